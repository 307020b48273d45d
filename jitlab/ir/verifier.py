"""The verifier of jitlab IR: `verify(module)` checks the invariants below and raises
`VerificationError(invariant, message, line=...)` at the first one broken.

Why these: every pass may assume them on input and must keep them on output (the pass
manager verifies after every pass in tests), and the parser checks only syntax, so a
well-formed text can still describe a broken graph.  Each id appears in the error
message (`[V4] ...`) and has a negative test in tests/ir/test_verifier.py.  Types are
checked only where both sides are typed: `?` (UNKNOWN, frontend output) agrees with
every type.

V1  Well-formed values: nodes are Op/Gamma/Theta, ports are `Port`s with a `Type`,
    uses are `str` names, locations are `Loc`s, a module holds `Lambda`s.
V2  Function names are unique within a module.
V3  Value names are unique within a function (parameters and outputs of every
    region and node, at any depth), so a name identifies one value.
V4  Strict RVSDG scoping: a use (node input, γ predicate, region result) names a
    parameter of the same region or an output of an earlier node of the same region.
    Regions do not capture from enclosing regions: a γ/θ region sees only its own
    parameters, so everything it reads is routed through entry/loop variables.
V5  λ signature: the body has at least one parameter, the last being the state
    token, and exactly two results, (return value, state).  Where typed, the state
    parameter and the state result are `!io` and no other parameter is.
V6  γ shape: at least two branches; every branch has one parameter per input and
    one result per output.
V7  θ shape: as many outputs and body parameters as inputs; the body has one
    result more (the repeat predicate first).
V8  Predicates (a γ's predicate, a θ body's first result) are `bool` or an integer
    type where typed; a γ on a `bool` has exactly two branches.
V9  Port types agree where typed: the ports of one γ entry variable (input, each
    branch's parameter) have one type; a γ exit variable's branch results and a θ
    loop variable's input and next value each have the type of the port they flow
    into (the γ output; the loop parameter, which equals the θ output) or widen to
    it implicitly (bool → int → float, narrower → wider of one kind, a C or F array
    → the same array of layout A): the merge converts, as CPython's values would.
V10 Simple nodes: the op name is `family.name` (dotted identifiers); attribute keys
    are unique within a node and values are int, float, bool, str, None or tuples
    of them.
V11 Known `py.*` ops have the input/output arity and the required attributes of the
    table in docs/ir.md, and their state ports are `!io` where typed.  Ops of other
    families (and unknown `py.*` ops) are allowed, so users can add ops.
V12 The state token is used linearly: each state value is consumed at most once (a
    second use would fork the order of side effects).  State values are those typed
    `!io`, the λ's last parameter, the state output of a known `py.*` op, and what γ/θ
    route from them.
V13 Recursion environments: a module's `phis` are `Phi`s of at least one `Lambda`
    each; a `py.call {callee = "rec:g"}` appears only in a λ of a φ, `g` names a λ of
    that same φ, and it passes as many values as `g` has parameters.  Calls between
    λs outside a φ are `global:` calls (a φ is the only place a λ may call itself).
V14 Global constants: a module's `deltas` are `Delta`s named uniquely (and unlike every
    λ), typed `array<dtype, ndim, C, readonly>` with `ndim` extents in `shape` and
    exactly `prod(shape) * itemsize` bytes of data; every `py.global {name}` names a δ
    of its module, and its output, where typed, has that δ's type.
V15 Read-only values are only read: a typed `py.setitem` (or in-place `py.binop`) never writes into a
    `readonly` array (a δ or a view of one), and a read-only array never flows into
    a port typed as a writable array (V9's widening keeps `readonly`).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ..errors import VerificationError
from .nodes import Delta, Gamma, Lambda, Loc, Module, Op, Phi, Port, Region, Theta
from .types import STATE, ArrayType, BoolType, FloatType, IntType, Type, UnknownType

_OP_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


@dataclass(frozen=True, slots=True)
class PyOpSignature:
    """Arity of a `py.*` op: `min_inputs` (exactly, or at least when `variadic`) and outputs."""

    inputs: int
    outputs: int
    variadic: bool = False
    stateful: bool = True  # the last input and the last output are the state token
    required_attrs: tuple[str, ...] = ()
    counted: bool = False  # `outputs` more outputs than the `count` attr (py.unpack's items)


# The `py` family table of docs/ir.md ("Ops of the `py` family").
PY_OPS: dict[str, PyOpSignature] = {
    "py.const": PyOpSignature(0, 1, stateful=False, required_attrs=("value",)),
    "py.undef": PyOpSignature(0, 1, stateful=False),
    "py.binop": PyOpSignature(3, 2, required_attrs=("op",)),
    "py.unop": PyOpSignature(2, 2, required_attrs=("op",)),
    "py.compare": PyOpSignature(3, 2, required_attrs=("op",)),
    "py.truth": PyOpSignature(2, 2),
    "py.call": PyOpSignature(1, 2, variadic=True, required_attrs=("callee",)),
    "py.getiter": PyOpSignature(2, 2),
    "py.iternext": PyOpSignature(2, 4),
    "py.getitem": PyOpSignature(3, 2),
    "py.setitem": PyOpSignature(4, 1),
    "py.getattr": PyOpSignature(2, 2, required_attrs=("name",)),
    "py.callmethod": PyOpSignature(2, 2, variadic=True, required_attrs=("name",)),
    "py.build_tuple": PyOpSignature(1, 2, variadic=True),
    "py.build_list": PyOpSignature(1, 2, variadic=True),
    "py.build_set": PyOpSignature(1, 2, variadic=True),
    "py.build_map": PyOpSignature(1, 2, variadic=True),
    "py.slice": PyOpSignature(4, 2),
    "py.raise": PyOpSignature(1, 1, variadic=True, required_attrs=("exc",)),
    "py.print": PyOpSignature(1, 1, variadic=True, required_attrs=("format",)),
    "py.format": PyOpSignature(0, 1, variadic=True, stateful=False, required_attrs=("format",)),
    "py.catch": PyOpSignature(1, 3),
    "py.exc_match": PyOpSignature(2, 2, required_attrs=("exc",)),
    "py.reraise": PyOpSignature(2, 1),
    "py.global": PyOpSignature(0, 1, stateful=False, required_attrs=("name",)),
    "py.unpack": PyOpSignature(2, 1, required_attrs=("count",), counted=True),
}


def verify(module: Module) -> None:
    """Raise VerificationError at the first broken invariant of `module` (see module doc)."""
    if not isinstance(module, Module) or not isinstance(module.functions, tuple) \
            or not isinstance(module.phis, tuple):
        raise VerificationError("V1", f"expected a Module of a tuple of functions, got {module!r}")
    for phi in module.phis:
        if not isinstance(phi, Phi):
            raise VerificationError("V13", f"module holds {type(phi).__name__} among its φs, not a Phi")
        if not isinstance(phi.functions, tuple) or not phi.functions:
            raise VerificationError("V13", "a φ holds no λ", line=_line(phi.loc))
    seen: set[str] = set()
    groups = [(None, module.functions), *((phi, phi.functions) for phi in module.phis)]
    for _, functions in groups:
        for fn in functions:
            if not isinstance(fn, Lambda):
                raise VerificationError("V1", f"module holds {type(fn).__name__}, not a Lambda")
            if fn.name in seen:
                raise VerificationError("V2", f"function @{fn.name} is defined twice", line=_line(fn.loc))
            seen.add(fn.name)
            verify_function(fn)
    for phi, functions in groups:
        for fn in functions:
            _check_recursive_calls(fn, phi)
    _check_deltas(module, seen)


def _check_deltas(module: Module, function_names: set[str]) -> None:
    """V14: the δs are well formed, and every `py.global` reads one of them with its type."""
    deltas: dict[str, Delta] = {}
    for d in module.deltas if isinstance(module.deltas, tuple) else (module.deltas,):
        if not isinstance(d, Delta):
            raise VerificationError("V14", f"module holds {type(d).__name__} among its δs, not a Delta")
        line = _line(d.loc)
        if d.name in deltas or d.name in function_names:
            raise VerificationError("V14", f"global @{d.name} is defined twice", line=line)
        t = d.type
        if not isinstance(t, ArrayType) or not t.readonly or t.layout != "C":
            raise VerificationError("V14", f"global @{d.name} is typed {t}, not a read-only C array "
                                    "(array<dtype, ndim, C, readonly>)", line=line)
        if not (isinstance(d.shape, tuple) and len(d.shape) == t.ndim
                and all(isinstance(n, int) and n >= 0 for n in d.shape)):
            raise VerificationError("V14", f"global @{d.name} has shape {d.shape!r} for {t.ndim} dimensions",
                                    line=line)
        size = math.prod(d.shape) * (1 if isinstance(t.dtype, BoolType) else t.dtype.bits // 8)
        if not isinstance(d.data, bytes) or len(d.data) != size:
            got = len(d.data) if isinstance(d.data, bytes) else type(d.data).__name__
            raise VerificationError("V14", f"global @{d.name} holds {got} bytes, shape {d.shape} of "
                                    f"{t.dtype} needs {size}", line=line)
        deltas[d.name] = d
    for fn in module.lambdas:
        for node in fn.body.walk():
            if not (isinstance(node, Op) and node.op == "py.global"):
                continue
            name = node.attr("name")
            d = deltas.get(name) if isinstance(name, str) else None
            where = f"in func @{fn.name}: py.global {{name = {name!r}}}"
            if d is None:
                raise VerificationError("V14", f"{where} names no global of the module", line=_line(node.loc))
            out = node.outputs[0].type
            if _known(out) and out != d.type:
                raise VerificationError("V14", f"{where} is typed {out}, the global is {d.type}",
                                        line=_line(node.loc))


def _check_recursive_calls(fn: Lambda, phi: Phi | None) -> None:
    """V13: every `rec:` callee names a λ of the φ `fn` belongs to, with its parameter count."""
    members = {} if phi is None else {g.name: g for g in phi.functions}
    for node in fn.body.walk():
        callee = node.attr("callee") if isinstance(node, Op) and node.op == "py.call" else None
        if not isinstance(callee, str) or not callee.startswith("rec:"):
            continue
        where = f"in func @{fn.name}: call of {callee}"
        if phi is None:
            raise VerificationError("V13", f"{where} outside a φ (a λ calls itself only inside one)",
                                    line=_line(node.loc))
        target = members.get(callee.removeprefix("rec:"))
        if target is None:
            raise VerificationError("V13", f"{where} names no λ of its φ ({', '.join(sorted(members))})",
                                    line=_line(node.loc))
        if len(node.inputs) != len(target.body.params):
            raise VerificationError("V13", f"{where} passes {len(node.inputs)} values to "
                                    f"{len(target.body.params)} parameters", line=_line(node.loc))


def verify_function(fn: Lambda) -> None:
    """Check one λ (all invariants but V2)."""
    _FunctionVerifier(fn).run()


def _line(loc) -> int | None:
    return loc.line if isinstance(loc, Loc) else None


def _known(t: Type) -> bool:
    return not isinstance(t, UnknownType)


def _widens(src: Type, dst: Type) -> bool:
    """Whether a value of type `src` converts implicitly to `dst` where control flow merges."""
    if src == dst:
        return True
    if isinstance(src, BoolType):
        return isinstance(dst, (IntType, FloatType))
    if isinstance(src, IntType):
        if isinstance(dst, FloatType):
            return True
        return isinstance(dst, IntType) and dst.signed == src.signed and dst.bits >= src.bits
    if isinstance(src, FloatType):
        return isinstance(dst, FloatType) and dst.bits >= src.bits
    if isinstance(src, ArrayType) and isinstance(dst, ArrayType):
        return ((src.dtype, src.ndim) == (dst.dtype, dst.ndim) and dst.layout == "A"
                and (dst.readonly or not src.readonly))  # V15: no write access from a merge
    return False


def _is_attr_value(value) -> bool:
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    return isinstance(value, tuple) and all(_is_attr_value(v) for v in value)


def _describe(node) -> str:
    kind = f"op {node.op}" if isinstance(node, Op) else "gamma" if isinstance(node, Gamma) else "theta"
    if node.outputs:
        return f"{kind} defining %{node.outputs[0].name}"
    return kind


class _FunctionVerifier:
    """One walk over a λ; `types` maps every name defined so far to its type."""

    def __init__(self, fn: Lambda):
        self.fn = fn
        self.types: dict[str, Type] = {}
        self.state: set[str] = set()  # names known to carry the state token (V12)
        self.state_uses: Counter[str] = Counter()
        self.line = _line(fn.loc)

    def fail(self, invariant: str, message: str, loc=None) -> VerificationError:
        line = _line(loc) if _line(loc) is not None else self.line
        return VerificationError(invariant, f"in func @{self.fn.name}: {message}", line=line)

    def run(self) -> None:
        fn = self.fn
        if not isinstance(fn.name, str) or not isinstance(fn.body, Region):
            raise self.fail("V1", "a function needs a str name and a Region body")
        if fn.loc is not None and not isinstance(fn.loc, Loc):
            raise self.fail("V1", f"location {fn.loc!r} is not a Loc")
        self.check_attrs(fn.attrs, None)
        self.check_lambda_signature(fn.body)
        self.region(fn.body, fn.loc, entry_state=(len(fn.body.params) - 1,))

    # -- V5 -------------------------------------------------------------------------------------
    def check_lambda_signature(self, body: Region) -> None:
        self.check_ports(body.params, self.fn.loc)
        if not body.params:
            raise self.fail("V5", "a function needs at least the state parameter")
        if not isinstance(body.results, tuple) or len(body.results) != 2:
            raise self.fail("V5", f"a function returns (value, state), not {len(body.results)} results")
        *args, state = body.params
        if _known(state.type) and state.type != STATE:
            raise self.fail("V5", f"the last parameter %{state.name} is the state, typed {state.type}, "
                            "not !io")
        for p in args:
            if p.type == STATE:
                raise self.fail("V5", f"parameter %{p.name} is typed !io but only the last one is the state")

    def check_lambda_results(self, body: Region) -> None:
        value, state = body.results
        if self.types[value] == STATE:
            raise self.fail("V5", f"the return value %{value} is the state token")
        if _known(self.types[state]) and self.types[state] != STATE:
            raise self.fail("V5", f"the returned state %{state} is typed {self.types[state]}, not !io")

    # -- regions --------------------------------------------------------------------------------
    def check_ports(self, ports, loc) -> None:
        if not isinstance(ports, tuple):
            raise self.fail("V1", f"ports must be a tuple, got {ports!r}", loc)
        for p in ports:
            if not isinstance(p, Port) or not isinstance(p.name, str) or not isinstance(p.type, Type):
                raise self.fail("V1", f"{p!r} is not a Port with a str name and a Type", loc)

    def check_uses(self, names, loc) -> None:
        if not isinstance(names, tuple) or not all(isinstance(n, str) for n in names):
            raise self.fail("V1", f"uses must be a tuple of str names, got {names!r}", loc)

    def define(self, ports: tuple[Port, ...], scope: set[str], loc) -> None:
        for p in ports:
            if p.name in self.types:
                raise self.fail("V3", f"value %{p.name} is defined twice", loc)
            self.types[p.name] = p.type
            scope.add(p.name)
            if p.type == STATE:
                self.state.add(p.name)

    def use(self, name: str, scope: set[str], user: str, loc) -> Type:
        if name not in scope:
            why = ("is defined in another region (a region sees only its own parameters and nodes: "
                   "route values through γ/θ inputs and outputs)") if name in self.types \
                else "is not defined before this use"
            raise self.fail("V4", f"%{name} used by {user} {why}", loc)
        if name in self.state:
            self.state_uses[name] += 1
            if self.state_uses[name] > 1:
                raise self.fail("V12", f"state %{name} is consumed twice (second use by {user})", loc)
        return self.types[name]

    def region(self, region: Region, loc, entry_state: tuple[int, ...] = ()) -> set[str]:
        """Verify `region` (its params defined here); return its scope."""
        if not isinstance(region, Region):
            raise self.fail("V1", f"{region!r} is not a Region", loc)
        self.check_ports(region.params, loc)
        self.check_uses(region.results, loc)
        if not isinstance(region.nodes, tuple):
            raise self.fail("V1", "region nodes must be a tuple", loc)
        scope: set[str] = set()
        self.define(region.params, scope, loc)
        for i in entry_state:
            self.state.add(region.params[i].name)
        for node in region.nodes:
            self.node(node, scope)
        user = "return" if region is self.fn.body else "yield"
        for name in region.results:
            self.use(name, scope, user, loc)
        if region is self.fn.body:
            self.check_lambda_results(region)
        return scope

    # -- nodes ----------------------------------------------------------------------------------
    def node(self, node, scope: set[str]) -> None:
        if not isinstance(node, (Op, Gamma, Theta)):
            raise self.fail("V1", f"{type(node).__name__} is not an IR node (Op, Gamma or Theta)")
        loc = node.loc
        if loc is not None and not isinstance(loc, Loc):
            raise self.fail("V1", f"location {loc!r} is not a Loc")
        self.check_ports(node.outputs, loc)
        self.check_uses(node.inputs, loc)
        if isinstance(node, Op):
            self.op(node, scope)
        elif isinstance(node, Gamma):
            self.gamma(node, scope)
        else:
            self.theta(node, scope)

    def op(self, node: Op, scope: set[str]) -> None:
        loc, user = node.loc, _describe(node)
        if not isinstance(node.op, str) or not _OP_NAME.fullmatch(node.op):
            raise self.fail("V10", f"op name {node.op!r} is not of the form family.name", loc)
        self.check_attrs(node.attrs, loc)
        for name in node.inputs:
            self.use(name, scope, user, loc)
        self.define(node.outputs, scope, loc)
        if (node.op == "py.setitem" or node.op == "py.binop" and node.attr("inplace")) and node.inputs:
            target = self.types[node.inputs[0]]
            if isinstance(target, ArrayType) and target.readonly:
                raise self.fail("V15", f"{node.op} writes into %{node.inputs[0]}, a read-only {target}", loc)
        sig = PY_OPS.get(node.op)
        if sig is None:
            return
        for key in sig.required_attrs:
            if all(k != key for k, _ in node.attrs):
                raise self.fail("V11", f"{node.op} needs the attribute {key!r}", loc)
        n_in, n_out = len(node.inputs), len(node.outputs)
        outputs = sig.outputs
        if sig.counted:
            count = node.attr("count")
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise self.fail("V11", f"{node.op}'s count must be an int >= 0, not {count!r}", loc)
            outputs += count
        if (n_in < sig.inputs if sig.variadic else n_in != sig.inputs) or n_out != outputs:
            want = f"{'at least ' if sig.variadic else ''}{sig.inputs} inputs and {outputs} outputs"
            raise self.fail("V11", f"{node.op} takes {want}, not {n_in} and {n_out}", loc)
        if sig.stateful:
            state_in, state_out = node.inputs[-1], node.outputs[-1]
            for name, t in ((state_in, self.types[state_in]), (state_out.name, state_out.type)):
                if _known(t) and t != STATE:
                    raise self.fail("V11", f"{node.op}'s state %{name} is typed {t}, not !io", loc)
            self.state.add(state_out.name)
        for p in node.outputs[:-1] if sig.stateful else node.outputs:
            if p.type == STATE:
                raise self.fail("V11", f"{node.op}'s value output %{p.name} is typed !io", loc)

    def check_attrs(self, attrs, loc) -> None:
        if not isinstance(attrs, tuple):
            raise self.fail("V10", f"attributes must be a tuple of (key, value) pairs, got {attrs!r}", loc)
        keys: set[str] = set()
        for item in attrs:
            if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
                raise self.fail("V10", f"attribute {item!r} is not a (str, value) pair", loc)
            key, value = item
            if key in keys:
                raise self.fail("V10", f"attribute {key!r} is given twice", loc)
            keys.add(key)
            if not _is_attr_value(value):
                raise self.fail("V10", f"attribute {key!r} has a value of type {type(value).__name__}", loc)

    def agree(self, ports: list[tuple[str, Type]], loc) -> None:
        """V9: the typed ones among the ports of one entry/exit/loop variable have one type."""
        known = [(what, t) for what, t in ports if _known(t)]
        for what, t in known[1:]:
            if t != known[0][1]:
                raise self.fail("V9", f"{known[0][0]}: {known[0][1]} disagrees with {what}: {t}", loc)

    def flows_into(self, sources: list[tuple[str, Type]], target: tuple[str, Type], loc) -> None:
        """V9 for merges: each typed source equals or widens to the typed target."""
        what, t = target
        if not _known(t):
            return self.agree([*sources, target], loc)
        for src_what, src in sources:
            if _known(src) and not _widens(src, t):
                raise self.fail("V9", f"{src_what}: {src} disagrees with {what}: {t}", loc)
        return None

    def predicate(self, name: str, t: Type, what: str, loc) -> None:
        if _known(t) and not isinstance(t, (BoolType, IntType)):
            raise self.fail("V8", f"{what} %{name} is typed {t}, not bool or an integer", loc)

    def gamma(self, node: Gamma, scope: set[str]) -> None:
        loc, user = node.loc, _describe(node)
        if not isinstance(node.predicate, str) or not isinstance(node.branches, tuple):
            raise self.fail("V1", "a gamma needs a str predicate and a tuple of branches", loc)
        pred_type = self.use(node.predicate, scope, user, loc)
        in_types = [self.use(name, scope, user, loc) for name in node.inputs]
        if len(node.branches) < 2:
            raise self.fail("V6", f"gamma has {len(node.branches)} branches, needs at least 2", loc)
        self.predicate(node.predicate, pred_type, "gamma predicate", loc)
        if isinstance(pred_type, BoolType) and len(node.branches) != 2:
            raise self.fail("V8", f"gamma on bool %{node.predicate} has {len(node.branches)} branches, not 2",
                            loc)
        for i, branch in enumerate(node.branches):
            if not isinstance(branch, Region):
                raise self.fail("V1", f"gamma branch {i} is not a Region", loc)
            self.check_ports(branch.params, loc)
            if len(branch.params) != len(node.inputs) or len(branch.results) != len(node.outputs):
                raise self.fail("V6", f"gamma branch {i} has {len(branch.params)} params and "
                                f"{len(branch.results)} results for {len(node.inputs)} inputs and "
                                f"{len(node.outputs)} outputs", loc)
        for i, inp in enumerate(node.inputs):
            self.agree([(f"gamma input %{inp}", in_types[i])]
                       + [(f"branch {b} param %{br.params[i].name}", br.params[i].type)
                          for b, br in enumerate(node.branches)], loc)
        routed_state = tuple(i for i, name in enumerate(node.inputs) if name in self.state)
        for branch in node.branches:
            self.region(branch, loc, routed_state)
        for j, out in enumerate(node.outputs):
            results = [br.results[j] for br in node.branches]
            self.flows_into([(f"branch {b} result %{res}", self.types[res]) for b, res in enumerate(results)],
                            (f"gamma output %{out.name}", out.type), loc)
        self.define(node.outputs, scope, loc)
        self.state.update(out.name for j, out in enumerate(node.outputs)
                          if any(br.results[j] in self.state for br in node.branches))

    def theta(self, node: Theta, scope: set[str]) -> None:
        loc, user, body = node.loc, _describe(node), node.body
        in_types = [self.use(name, scope, user, loc) for name in node.inputs]
        if not isinstance(body, Region):
            raise self.fail("V1", "theta body is not a Region", loc)
        n = len(node.inputs)
        if len(node.outputs) != n or len(body.params) != n or len(body.results) != n + 1:
            raise self.fail("V7", f"theta has {n} inputs, {len(node.outputs)} outputs, {len(body.params)} "
                            f"body params and {len(body.results)} body results (needs {n}, {n}, {n + 1})",
                            loc)
        routed_state = tuple(i for i, name in enumerate(node.inputs) if name in self.state)
        self.region(body, loc, routed_state)
        self.predicate(body.results[0], self.types[body.results[0]], "theta repeat predicate", loc)
        for i, inp in enumerate(node.inputs):
            pre, post, out = body.params[i], body.results[i + 1], node.outputs[i]
            self.agree([(f"loop param %{pre.name}", pre.type), (f"theta output %{out.name}", out.type)], loc)
            target = ((f"loop param %{pre.name}", pre.type) if _known(pre.type)
                      else (f"theta output %{out.name}", out.type))
            self.flows_into([(f"theta input %{inp}", in_types[i]), (f"next value %{post}", self.types[post])],
                            target, loc)
        self.define(node.outputs, scope, loc)
        self.state.update(out.name for i, out in enumerate(node.outputs)
                          if i in routed_state or body.results[i + 1] in self.state)
