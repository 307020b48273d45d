"""Constant folding and algebraic simplification (`fold`), as rule tables.

Sources: the constant-folding and γ/θ reductions of Reissmann et al. 2020 §5
(jlm's `NodeReduction`: "γ with a constant predicate", "θ that runs once"), and
tinygrad's rewrite tables (one rule per line, each with its `lhs -> rhs`).

Simple-node rules (`SIMPLE_RULES`, tried in order on each node after its inputs
were renamed) get the node and a `Facts` view (constants, types, purity) and
return the value its output becomes, `Const(value)` for a new constant, or
None.  A folded state-threading node leaves the `!io` chain.  Folding follows
Python's semantics and never folds what would raise (`1 // 0` stays for the
program to raise) or what the typed port could not hold (an int beyond int64,
a complex from `(-8) ** 0.5`).  Identities (`x + 0 -> x`) need typed IR: they
hold for ints but not always for floats (`-0.0 + 0 == 0.0`) or bools
(`True + 0` is the int 1).

Structural rules (in `_Folder.gamma`/`theta`):
* `gamma const(i) {… ^b_i …} -> b_i inlined`: the taken branch replaces the γ;
* `theta {… yield (const(False), …)} -> body inlined`: a do-while that stops
  after one iteration is its body;
* `gamma p (const c, …) -> c materialised in each branch` (the entry variable goes), and the
  same for a `py.undef` input (`rewrite.materialise_entries`: an unbound variable never enters
  a γ, wherever the frontend created it or a branch was inlined from);
* `gamma exit var = const c in every branch -> const c after the γ`, and likewise
  `gamma exit var = undef in every branch -> undef after the γ`;
* `theta loop var with post == pre and a constant (or undef) input -> the constant in the body`.
"""
from __future__ import annotations

import math
import operator
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from jitlab.ir import Gamma, Lambda, Module, Op, Port, Region, Theta
from jitlab.ir.types import BoolType, FloatType, IntType, NoneType, Type, UnknownType

from .base import Pass, register_pass
from .common_node_elimination import attr_key
from .purity import is_pure
from .rewrite import (
    Names, bypass_state, is_nullary_value, map_functions, materialise_entries, port_types, rename_uses,
    replace, resolve,
)

INT64 = (-2**63, 2**63)


@dataclass(frozen=True)
class Const:
    value: object


@dataclass
class Facts:
    consts: dict[str, object]
    types: dict[str, Type]

    def const(self, name: str, default=None):
        return self.consts.get(name, default)

    def is_const(self, name: str) -> bool:
        return name in self.consts

    def type(self, name: str) -> Type:
        return self.types.get(name, UnknownType())


def _python_op(op: str, kind: str) -> Callable | None:
    table = {
        "binop": {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
                  "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "&": operator.and_,
                  "|": operator.or_, "^": operator.xor, "<<": operator.lshift, ">>": operator.rshift},
        "compare": {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
                    "==": operator.eq, "!=": operator.ne, "is": operator.is_, "isnot": operator.is_not},
        "unop": {"-": operator.neg, "+": operator.pos, "~": operator.invert, "not": operator.not_},
    }
    return table[kind].get(op)


def _fits(value, t: Type) -> bool:
    """May a constant `value` stand for a port of type `t`?"""
    if type(value) not in (int, float, bool, type(None)):
        return False
    if type(value) is int and not INT64[0] <= value < INT64[1]:
        return False
    if isinstance(t, UnknownType):
        return True
    return {IntType: int, FloatType: float, BoolType: bool, NoneType: type(None)}.get(type(t)) is type(value)


def _too_big(op: str, args: list) -> bool:
    """Would Python spend long or much memory on this (`10 ** 10 ** 9`)?"""
    if op == "**" and isinstance(args[1], int) and abs(args[1]) > 256:
        return True
    return op == "<<" and isinstance(args[1], int) and args[1] > 256


def fold_constants(node: Op, facts: Facts):
    # const op const -> const  (Python's result; kept when it raises or does not fit the port)
    kind = node.op.removeprefix("py.")
    if kind not in ("binop", "compare", "unop") or not bypass_state(node):
        return None
    values = node.inputs[:-1]
    if not all(facts.is_const(n) for n in values):
        return None
    args = [facts.const(n) for n in values]
    fn = _python_op(node.attr("op"), kind)
    if fn is None or any(type(a) not in (int, float, bool, type(None)) for a in args) or \
            _too_big(node.attr("op"), args):
        return None
    if node.attr("op") in ("is", "isnot") and not (None in args or all(type(a) is bool for a in args)):
        return None  # identity of equal ints or floats is CPython's business, not a constant
    try:
        result = fn(*args)
    except (ArithmeticError, ValueError, TypeError):
        return None
    if isinstance(result, float) and math.isnan(result):
        result = math.nan  # the one NaN object, so equal modules stay equal
    return Const(result) if _fits(result, node.outputs[0].type) else None


def fold_truth(node: Op, facts: Facts):
    # truth(const) -> const bool ; truth(b: bool) -> b
    if node.op != "py.truth" or not bypass_state(node):
        return None
    x = node.inputs[0]
    if facts.is_const(x) and type(facts.const(x)) in (int, float, bool, type(None)):
        return Const(bool(facts.const(x)))
    if isinstance(facts.type(x), BoolType):
        return x
    return None


def _identity(x_is: str, op: str, const_ok: Callable[[object, Type], bool], result: str = "x"):
    """A rule `x op c -> x` (or `c op x -> x` when x_is == "rhs") on typed pure nodes."""
    def rule(node: Op, facts: Facts):
        if node.op != "py.binop" or node.attr("op") != op or not bypass_state(node):
            return None
        a, b = node.inputs[0], node.inputs[1]
        x, c = (a, b) if x_is == "lhs" else (b, a)
        out_t = node.outputs[0].type
        if isinstance(out_t, UnknownType) or facts.type(x) != out_t or not facts.is_const(c):
            return None
        if not const_ok(facts.const(c), out_t):
            return None
        return x if result == "x" else Const(0)
    return rule


def _is(value) -> Callable[[object, Type], bool]:
    """A constant that equals `value` with the same kind (int rules match ints and bools only)."""
    return lambda c, t: type(c) in (int, bool) and c == value and isinstance(t, IntType)


def _is_float(value: float) -> Callable[[object, Type], bool]:
    return lambda c, t: type(c) is float and repr(c) == repr(value) and isinstance(t, FloatType)


def _one(c, t) -> bool:
    return (type(c) in (int, bool) and c == 1) or (type(c) is float and c == 1.0)


SIMPLE_RULES: list[Callable] = [
    fold_constants,                                  # const op const -> const
    fold_truth,                                      # truth(const) -> const ; truth(b: bool) -> b
    _identity("lhs", "+", _is(0)),                   # x + 0 -> x            (ints)
    _identity("rhs", "+", _is(0)),                   # 0 + x -> x            (ints)
    _identity("lhs", "+", _is_float(-0.0)),          # x + -0.0 -> x         (floats)
    _identity("lhs", "-", _is(0)),                   # x - 0 -> x            (ints)
    _identity("lhs", "-", _is_float(0.0)),           # x - 0.0 -> x          (floats)
    _identity("lhs", "*", _one),                     # x * 1 -> x            (ints, floats)
    _identity("rhs", "*", _one),                     # 1 * x -> x            (ints, floats)
    _identity("lhs", "*", _is(0), result="zero"),    # x * 0 -> 0            (ints)
    _identity("rhs", "*", _is(0), result="zero"),    # 0 * x -> 0            (ints)
    _identity("lhs", "//", _is(1)),                  # x // 1 -> x           (ints)
    _identity("lhs", "|", _is(0)),                   # x | 0 -> x            (ints)
    _identity("lhs", "^", _is(0)),                   # x ^ 0 -> x            (ints)
    _identity("lhs", "<<", _is(0)),                  # x << 0 -> x           (ints)
    _identity("lhs", ">>", _is(0)),                  # x >> 0 -> x           (ints)
]


class _Folder:
    def __init__(self, fn: Lambda):
        self.names = Names(fn)
        self.facts = Facts({}, dict(port_types(fn)))  # grows as folding makes values
        self.nullary: dict[str, Op] = {}  # name -> the py.const / py.undef that makes it
        for node in fn.body.walk():
            if is_nullary_value(node):
                self.remember(node)

    def remember(self, node: Op) -> Op:
        self.nullary[node.outputs[0].name] = node
        if node.op == "py.const":
            self.facts.consts[node.outputs[0].name] = node.attr("value")
        return node

    def const_node(self, port: Port, value, like: Op | None) -> Op:
        self.facts.types[port.name] = port.type
        loc = like.loc if like is not None else None
        return self.remember(Op("py.const", (), (port,), (("value", value),), loc))

    def region(self, region: Region) -> Region:
        """The folded region; `region` itself when nothing in it changed (so later passes and
        `map_functions` see the same object and need not compare)."""
        mapping: dict[str, str] = {}
        nodes: list = []
        same = True
        queue = deque(region.nodes)
        while queue:
            original = queue.popleft()
            node = rename_uses(Region((), (original,), ()), mapping).nodes[0] if mapping else original
            if isinstance(node, Op):
                emit = self.op(node, mapping)
            else:
                structural = self.gamma if isinstance(node, Gamma) else self.theta
                emit, inlined = structural(node, mapping)
                queue.extendleft(reversed(inlined))  # an inlined region's nodes are folded here, in order
            same = same and len(emit) == 1 and emit[0] is original
            nodes.extend(emit)
        results = tuple(resolve(mapping, r) for r in region.results)
        if same and results == region.results:
            return region
        return replace(region, nodes=tuple(nodes), results=results)

    def op(self, node: Op, mapping: dict[str, str]) -> list:
        typed_pure = is_pure(node, self.facts.types, self.facts.consts)
        for i, rule in enumerate(SIMPLE_RULES):
            if i >= 2 and not typed_pure:
                break
            found = rule(node, self.facts)
            if found is None:
                continue
            mapping.update(bypass_state(node))
            if isinstance(found, Const):
                return [self.const_node(node.outputs[0], found.value, node)]
            mapping[node.outputs[0].name] = found
            return []
        return [node]

    def _is_undef(self, name: str) -> bool:
        node = self.nullary.get(name)
        return node is not None and node.op == "py.undef"

    @staticmethod
    def _inline(region: Region, inputs: tuple[str, ...], outputs: tuple[Port, ...],
                results: tuple[str, ...], mapping: dict[str, str]) -> tuple[list, list]:
        """Splice `region` into the enclosing one: its params become `inputs`, `outputs` its results."""
        mapping.update((p.name, i) for p, i in zip(region.params, inputs))
        mapping.update((o.name, r) for o, r in zip(outputs, results))
        return [], list(region.nodes)

    def gamma(self, node: Gamma, mapping: dict[str, str]) -> tuple[list, list]:
        """(nodes to emit, nodes of an inlined branch to fold next)."""
        pred = self.facts.const(node.predicate)
        if type(pred) in (bool, int) and 0 <= pred < len(node.branches):
            # gamma const(i) {...} -> branch i, inlined
            taken = node.branches[int(pred)]
            return self._inline(taken, node.inputs, node.outputs, taken.results, mapping)
        # gamma p (const c, ...) -> c materialised in each branch ; gamma p (undef, ...) likewise
        made_here = {n: self.nullary[n] for n in node.inputs if n in self.nullary}
        materialised = materialise_entries(node, made_here)
        made = len(node.inputs) - len(materialised.inputs)
        for b in materialised.branches:
            for op in b.nodes[:made]:
                self.remember(op)
        branches = tuple(self.region(b) for b in materialised.branches)
        if materialised is not node or any(new is not b for new, b in zip(branches, node.branches)):
            node = replace(materialised, branches=branches)
        # gamma exit var = const c in every branch -> const c after the gamma
        after = []
        keep = []
        for k, out in enumerate(node.outputs):
            values = {attr_key(self.facts.const(b.results[k], _Missing)) for b in node.branches}
            value = self.facts.const(node.branches[0].results[k], _Missing)
            same = len(values) == 1 and value is not _Missing and _fits(value, out.type)
            unbound = all(self._is_undef(b.results[k]) for b in node.branches)
            keep.append(not (same or unbound))
            if same:
                after.append(self.const_node(out, value, None))
            elif unbound:
                # gamma exit var = undef in every branch -> undef after the gamma (naming the
                # variable, `{name = "x"}`, when every branch's undef names the same one)
                attrs = {self.nullary[b.results[k]].attrs for b in node.branches}
                named = attrs.pop() if len(attrs) == 1 else ()
                after.append(self.remember(Op("py.undef", (), (out,), named)))
        if all(keep):
            return [node], []
        branches = tuple(replace(b, results=tuple(r for r, k in zip(b.results, keep) if k))
                         for b in node.branches)
        node = replace(node, branches=branches, outputs=tuple(o for o, k in zip(node.outputs, keep) if k))
        return [node, *after], []

    def theta(self, node: Theta, mapping: dict[str, str]) -> tuple[list, list]:
        # theta loop var with post == pre and a constant (or undef) input -> the constant in the body
        body = node.body
        pre_nodes = []
        rename = {}
        for lv in node.loop_vars:
            if lv.post == lv.pre.name and lv.input in self.nullary:
                fresh = Port(self.names.fresh(lv.pre.name), lv.pre.type)
                self.facts.types[fresh.name] = fresh.type
                pre_nodes.append(self.remember(replace(self.nullary[lv.input], outputs=(fresh,), loc=None)))
                rename[lv.pre.name] = fresh.name
                mapping[lv.output.name] = lv.input
        if pre_nodes:
            body = rename_uses(replace(body, nodes=(*pre_nodes, *body.nodes)), rename)
        body = self.region(body)
        repeat = self.facts.const(body.results[0], _Missing)
        if type(repeat) in (bool, int) and not repeat:
            # theta {... yield (const False, ...)} -> body, once
            return self._inline(body, node.inputs, node.outputs, body.results[1:], mapping)
        return [node if body is node.body else replace(node, body=body)], []


class _MissingType:
    pass


_Missing = _MissingType()


def fold_lambda(fn: Lambda) -> Lambda:
    body = _Folder(fn).region(fn.body)
    return fn if body is fn.body else replace(fn, body=body)


@dataclass(frozen=True)
class ConstantFolding(Pass):
    name: str = "fold"

    def run(self, module: Module) -> Module:
        return map_functions(module, fold_lambda)


register_pass(ConstantFolding())
