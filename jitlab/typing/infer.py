"""Forward type inference over the regions of one λ.

Algorithm: walk each region's nodes in order (they are topologically sorted by
construction) and give every output a type from its inputs' types:

* simple nodes: the rule for the op (`rules.RULES`), which may also record
  attributes on the node (e.g. the native symbol of a jitted callee);
* γ: every branch's parameters take the entry values' types; each exit value
  is the join (`lattice.join`) of the branch results.  A predicate the types decide
  (`y is None` where `y` is `none`, or an int: an optional argument `def f(x, y=None)`)
  types only the branch that runs; the other is rebuilt as `py.undef` stubs, so code that
  is only valid for the other type of `y` is never typed;
* θ: the loop variables start with the inputs' types; the body is typed, each
  loop variable is joined with its next value, and the body is typed again
  until nothing changes (a fixpoint: types only move up a finite lattice, so a
  few rounds suffice — an `i64` counter that becomes `f64` takes two).

Then the λ is rebuilt with a concrete type on every port.  `py.undef` ports take
the type of what they were merged with (`none` when never merged).

A φ (recursive group, `infer_phi`) is typed to a fixpoint over its specialisations: a
call `rec:g` with argument types `ts` names the specialisation `(g, ts)` (a λ of the
typed φ of its own), whose return type starts *pending* (`?`, the lattice's bottom:
`? ⊔ t = t`).  While a λ is typed, an op with a pending input gives pending outputs
without consulting its rule, and merges drop pending values, so the non-recursive
paths decide the type (`fib`'s `return n` makes `fib(i64)` return `i64`).  Each round
types every specialisation with the return types of the round before and joins the
results; when a round changes nothing, every port is concrete.  A specialisation
that still has no return type returns only through recursive calls: a `TypingError`.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from collections.abc import Callable

from jitlab.errors import TypingError
from jitlab.ir.nodes import Gamma, Lambda, Loc, Op, Phi, Port, Region, Theta
from jitlab.ir.types import (
    BOOL, I64, NONE, STATE, UNKNOWN, ArrayIterType, ArrayType, DictIterType, DictType, FunctionValueType,
    ListIterType, ListType, NoneType, SetType, StateType, TupleType, Type, UnknownType,
)

from .lattice import ConflictType, UndefType, is_integer, join

ResolveCall = Callable[[str, tuple[Type, ...]], tuple[Type, str]]

MAX_THETA_ROUNDS = 16
MAX_PHI_ROUNDS = 16

NO_CONST = object()


@dataclass
class RuleContext:
    """What a typing rule may see and do besides its input types."""

    node: Op
    inferer: Inferer
    attrs: dict[str, object] = field(default_factory=dict)

    def const(self, name: str):
        """The Python value of `name` when it is a `py.const`, else `NO_CONST`."""
        return self.inferer.consts.get(name, NO_CONST)

    def error(self, message: str, hint: str | None = None) -> TypingError:
        return self.inferer.error(message, self.node.loc, hint)

    def resolve_call(self, callee: str, argtypes: tuple[Type, ...]) -> tuple[Type, str]:
        if self.inferer.resolve_call is None:
            raise self.error(f"cannot call {callee!r}: no resolver for jitted callees was given",
                             hint="compile through the dispatcher, which resolves global functions")
        return self.inferer.resolve_call(callee, argtypes)


class ListSites:
    """Element types of typed lists, by allocation site (`ListType.site`).

    Why: forward inference meets `xs = []` before `xs.append(1.5)` tells what `xs` holds.
    Every list value remembers its site (the `py.build_list` port, or `arg:N` for an argument);
    sites merged by a γ or θ are unified; appends and stores widen the site's element type
    (int ⊔ float = float, like NumPy; anything else that differs is a `TypingError`).  When a
    site's element type changed during a pass, inference runs the λ again with what it learned,
    until nothing changes.  Argument sites are fixed: the caller's list was unboxed as that type.
    """

    def __init__(self):
        self.parent: dict[str, str] = {}
        self.elem: dict[str, Type] = {}
        self.fixed: set[str] = set()
        self.dirty = False
        self.used = False            # a list was met: unknown element types wait for the next pass
        self.unknown: set[str] = set()  # sites whose element type was read before anything set it
        self.names: dict[str, str] = {}  # argument sites -> parameter names, for messages

    def root(self, site: str) -> str:
        while self.parent.get(site, site) != site:
            site = self.parent[site]
        return site

    def elem_of(self, t) -> Type:
        if not t.site:
            return t.elem
        self.used = True
        root = self.root(t.site)
        elem = self.elem.get(root, t.elem)
        if isinstance(elem, UnknownType):
            self.unknown.add(root)
        return elem

    def widen(self, site: str, new: Type, error: Callable[[Type, Type], TypingError]) -> None:
        from .list_items import contains_site, join

        root = self.root(site)
        old = self.elem.get(root, UnknownType())
        if isinstance(new, UnknownType) or (new == old and not isinstance(new, (ListType, TupleType))):
            return
        if contains_site(self, new, root):
            raise error(old, new)
        joined = join(self, old, new, error)
        if joined is None:
            raise error(old, new)
        if joined != old:
            if root in self.fixed:
                raise error(old, new)
            self.elem[root] = joined
            self.dirty = True

    def unify(self, a: str, b: str, error: Callable[[Type, Type], TypingError]) -> str:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return ra
        if rb in self.fixed:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.dirty = True
        if rb in self.elem:
            self.widen(ra, self.elem.pop(rb), error)
        return ra


class Inferer:
    def __init__(self, resolve_call: ResolveCall | None, filename: str | None,
                 lists: ListSites | None = None, deltas: tuple = ()):
        from .rules import RULES  # rules import RuleContext from here

        self.lists = lists if lists is not None else ListSites()
        self.rules = RULES
        self.resolve_call = resolve_call
        self.filename = filename
        self.types: dict[str, Type] = {}
        self.consts: dict[str, object] = {}
        self.const_slices: dict[str, slice] = {}  # py.slice ports whose bounds are constants
        self.node_attrs: dict[int, dict[str, object]] = {}
        self.undef_resolved: dict[str, Type] = {}
        # Named `py.undef` outputs -> the Python variable they stand for; ops that read a value
        # unbound on every path that reaches them -> the variable (`dead_read`)
        self.undef_names: dict[str, str] = {}
        self.dead_reads: dict[int, str | None] = {}
        self.decided: dict[str, bool] = {}  # values the types decide: `y is None`, `not y is None`
        self.live_branch: dict[int, int] = {}  # id(γ) -> the one branch its typed predicate takes
        # Inside a φ: `rec:` calls resolve here, and pending (`?`) values propagate.
        self.resolve_rec: Callable[[str, tuple[Type, ...]], tuple[Type, str]] | None = None
        # δs (global constant arrays) by name, and for each value holding a read-only array (a δ
        # or a view of one) what it comes from, for messages: "global G", "argument a"
        self.deltas = {d.name: d for d in deltas}
        self.origins: dict[str, str] = {}

    def error(self, message: str, loc: Loc | None, hint: str | None = None) -> TypingError:
        line, col = (loc.line, loc.col) if loc is not None else (None, None)
        return TypingError(message, filename=self.filename, line=line, col=col, hint=hint)

    # -- joining, with undef bookkeeping ------------------------------------------------
    def merge(self, types: list[Type], what: str, loc: Loc | None) -> Type:
        result: Type = types[0]
        for t in types[1:]:
            if isinstance(result, ConflictType):
                return result
            if isinstance(t, ConflictType):
                return t
            if isinstance(result, ListType) and isinstance(t, ListType) and result.site and t.site:
                def clash(a, b, what=what):
                    return self.error(f"{what}: lists of {a} and of {b} meet", loc,
                                      hint="a list holds items of one type (int and float widen to float)")
                root = self.lists.unify(result.site, t.site, clash)
                result = ListType(self.lists.elem_of(ListType(result.elem, root)), root)
                continue
            if isinstance(result, (DictType, SetType)) and type(t) is type(result) and result.site and t.site:
                def clash(a, b, what=what):
                    return self.error(f"{what}: dicts or sets of {a} and of {b} meet", loc,
                                      hint="a dict's keys (and its values) have one type")
                for suffix in ("#k", "#v"):
                    self.lists.unify(result.site + suffix, t.site + suffix, clash)
                result = self.settle(result)
                continue
            joined = join(result, t)
            if joined is None:
                shown = tuple(sorted({str(x) for x in types if not isinstance(x, UndefType)}))
                return ConflictType(shown, what, loc.line if loc is not None else None)
            result = joined
        if not isinstance(result, UndefType):
            for t in types:
                if isinstance(t, UndefType):
                    for name in t.ports:
                        prev = self.undef_resolved.get(name)
                        self.undef_resolved[name] = result if prev is None else (join(prev, result) or result)
        return result

    # -- walking -------------------------------------------------------------------------
    def region(self, region: Region, param_types: list[Type]) -> list[Type]:
        for port, t in zip(region.params, param_types):
            if isinstance(t, UndefType):  # an unbound entry (a dead read's value): one type for both
                t = UndefType(t.ports | {port.name})
            self.types[port.name] = t
        for node in region.nodes:
            if isinstance(node, Op):
                self.op(node)
            elif isinstance(node, Gamma):
                self.gamma(node)
            elif isinstance(node, Theta):
                self.theta(node)
            else:  # pragma: no cover - the verifier rules this out
                raise TypeError(f"not a node: {node!r}")
        return [self.lookup(name, None) for name in region.results]

    def lookup(self, name: str, loc: Loc | None) -> Type:
        try:
            return self.types[name]
        except KeyError:
            raise self.error(f"value %{name} is used before it is defined", loc) from None

    def use(self, name: str, loc: Loc | None) -> Type:
        """The type of a value that is read here: a merge conflict is an error now."""
        t = self.lookup(name, loc)
        if isinstance(t, ConflictType):
            where = f" (merged at line {t.line})" if t.line is not None else ""
            raise self.error(f"{t.value} has incompatible types on different paths: {', '.join(t.types)}"
                             f"{where}", loc, hint="give the variable the same kind of value on every path")
        return t

    def op(self, node: Op) -> None:
        rule = self.rules.get(node.op)
        if rule is None:
            raise self.error(f"no typing rule for op {node.op}", node.loc)
        argtypes = [self.use(n, node.loc) for n in node.inputs]
        waiting = self.resolve_rec is not None or self.lists.used
        if waiting and any(isinstance(t, UnknownType) for t in argtypes):
            # reads a recursive call's result not typed yet, or an element of a list whose type this
            # pass has not seen yet: wait for the next pass
            self.pending(node, argtypes)
            return
        ctx = RuleContext(node, self)
        try:
            outs = rule(ctx, argtypes)
        except TypingError:
            if not self.dead_read(node, argtypes):
                raise
            return
        if node.op == "py.undef" and node.attr("name"):
            self.undef_names[node.outputs[0].name] = node.attr("name")
        if len(outs) != len(node.outputs):
            raise self.error(f"{node.op} gives {len(outs)} values but the node has "
                             f"{len(node.outputs)} outputs",
                             node.loc)
        for port, t in zip(node.outputs, outs):
            if isinstance(t, UndefType):
                t = UndefType(t.ports | {port.name})
            self.types[port.name] = t
        if self.origins:
            self.track_origin(node.inputs, node.outputs)
        if ctx.attrs:
            self.node_attrs[id(node)] = ctx.attrs
        self.track_constant(node)

    def dead_read(self, node: Op, argtypes: list[Type]) -> bool:
        """An op its rule rejects because it reads a value bound on no path that reaches it.

        Python raises `UnboundLocalError` there, when (if ever) the op runs: such reads sit in
        code that constant folding showed dead but restructuring kept (a loop exit for a `return`
        that cannot happen), so they are not a compile error.  The op becomes a `py.raise` of
        that `UnboundLocalError` (`rebuild_region`); its values are unbound too.
        """
        if not argtypes or not isinstance(argtypes[-1], StateType):
            return False
        unbound = [t for t in argtypes[:-1] if isinstance(t, UndefType)]
        if not unbound:
            return False
        names = sorted({self.undef_names[p] for t in unbound for p in t.ports if p in self.undef_names})
        self.dead_reads[id(node)] = names[0] if names else None
        for port in node.outputs[:-1]:
            self.types[port.name] = UndefType(frozenset({port.name}))
        self.types[node.outputs[-1].name] = STATE
        return True

    def dead_predicate(self, t: Type) -> Type:
        """A γ or θ predicate made by a dead read (it raised before): typed bool, never tested."""
        if isinstance(t, UndefType) and self.dead_reads:
            for name in t.ports:
                self.undef_resolved.setdefault(name, BOOL)
            return BOOL
        return t

    def track_origin(self, inputs, outputs) -> None:
        """Read-only values (views, iterators, merges of a δ) remember the δ they come from."""
        origin = next((self.origins[n] for n in inputs if n in self.origins), None)
        if origin is None:
            return
        for port in outputs:
            name = getattr(port, "name", port)
            if is_readonly(self.types.get(name)):
                self.origins[name] = origin

    def readonly_error(self, name: str, what: str, loc: Loc | None) -> TypingError:
        """A write (or a use needing a writable array) of the read-only value `name`."""
        origin = self.origins.get(name, "a global constant array")
        return self.error(f"{what}: %{name} is read-only, it is {origin} (global arrays are constants, "
                          "frozen when the function is compiled)", loc,
                          hint="write to a copy (a = G.copy()) or pass the array as an argument")

    def pending(self, node: Op, argtypes: list[Type]) -> None:
        """Outputs of an op that reads a pending value: pending too (the state stays the state)."""
        stateful = bool(argtypes) and isinstance(argtypes[-1], StateType)
        for i, port in enumerate(node.outputs):
            self.types[port.name] = STATE if stateful and i == len(node.outputs) - 1 else UNKNOWN

    def track_constant(self, node: Op) -> None:
        """Remember constant values some rules depend on (`2 ** -1` is a float), and
        identity tests with None that the types decide (`y is None` for a `none` or an int `y`)."""
        if node.op == "py.compare" and node.attr("op") in ("is", "isnot"):
            nones = [isinstance(self.types.get(name), NoneType) for name in node.inputs[:2]]
            if any(nones):
                self.decided[node.outputs[0].name] = all(nones) == (node.attr("op") == "is")
        elif node.op in ("py.unop", "py.truth") and node.inputs[0] in self.decided:
            negate = node.attr("op") == "not"
            self.decided[node.outputs[0].name] = self.decided[node.inputs[0]] != negate
        elif node.op == "py.const":
            self.consts[node.outputs[0].name] = node.attr("value")
        elif node.op == "py.unop" and node.attr("op") == "-":
            value = self.consts.get(node.inputs[0])
            if isinstance(value, (int, float)):
                self.consts[node.outputs[0].name] = -value
        elif node.op == "py.build_tuple":  # (TILE, TILE) of module constants is a constant shape
            items = [self.consts.get(name, NO_CONST) for name in node.inputs[:-1]]  # the last is the state
            if all(item is not NO_CONST for item in items):
                self.consts[node.outputs[0].name] = tuple(items)

    def gamma(self, node: Gamma) -> None:
        pred = self.dead_predicate(self.use(node.predicate, node.loc))
        if not is_integer(pred) and not (self.resolve_rec is not None and isinstance(pred, UnknownType)):
            raise self.error(f"γ predicate %{node.predicate} must be bool or int, not {pred}", node.loc)
        entry = [self.lookup(n, node.loc) for n in node.inputs]
        for b in node.branches:  # a read-only entry value stays read-only inside the branches
            self.origins.update((p.name, self.origins[n]) for n, p in zip(node.inputs, b.params)
                                if n in self.origins)
        decided = self.decided.get(node.predicate)
        if decided is not None:
            self.live_branch[id(node)] = int(decided)
            per_branch = [self.region(node.branches[int(decided)], entry)]
        else:
            per_branch = [self.region(b, entry) for b in node.branches]
        for i, port in enumerate(node.outputs):
            t = self.merge([r[i] for r in per_branch], f"value %{port.name}", node.loc)
            if isinstance(t, UndefType):
                t = UndefType(t.ports | {port.name})
            self.types[port.name] = t
            self.track_origin([b.results[i] for b in node.branches], (port.name,))

    def theta(self, node: Theta) -> None:
        pre = [self.lookup(n, node.loc) for n in node.inputs]
        for _ in range(MAX_THETA_ROUNDS):
            for n, lv in zip(node.inputs, node.loop_vars):
                if n in self.origins and is_readonly(self.types.get(n)):
                    self.origins[lv.pre.name] = self.origins[n]
            results = self.region(node.body, pre)
            results[0] = self.dead_predicate(results[0])
            if not is_integer(results[0]) and not (self.resolve_rec is not None
                                                   and isinstance(results[0], UnknownType)):
                raise self.error(f"θ repeat predicate %{node.body.results[0]} must be bool or int, "
                                 f"not {results[0]}", node.loc)
            new = [self.merge([p, r], f"loop variable %{lv.pre.name}", node.loc)
                   for p, r, lv in zip(pre, results[1:], node.loop_vars)]
            new = [UndefType(t.ports | {lv.pre.name, lv.output.name}) if isinstance(t, UndefType) else t
                   for t, lv in zip(new, node.loop_vars)]
            if new == pre:
                break
            pre = new
        else:
            raise self.error("loop variable types do not settle", node.loc)
        for port, t, lv in zip(node.outputs, pre, node.loop_vars):
            self.types[port.name] = t
            self.track_origin((lv.pre.name, lv.post), (port.name,))

    # -- rebuilding with types -------------------------------------------------------------
    def final_type(self, name: str) -> Type:
        t = self.types.get(name)
        if isinstance(t, (UndefType, ConflictType, UnknownType)) or t is None:
            t = self.undef_resolved.get(name, NONE)
        return self.settle(t)

    def settle(self, t: Type) -> Type:
        """A list type with its site's final element type (inside iterators and tuples too)."""
        if isinstance(t, ListType):
            return ListType(self.settle(self.lists.elem_of(t)), t.site)
        if isinstance(t, ListIterType):
            return ListIterType(self.settle(t.source))
        if isinstance(t, DictType) and t.site:
            key = self.lists.elem_of(ListType(t.key, t.site + "#k"))
            return DictType(key, self.settle(self.lists.elem_of(ListType(t.value, t.site + "#v"))), t.site)
        if isinstance(t, SetType) and t.site:
            return SetType(self.lists.elem_of(ListType(t.elem, t.site + "#k")), t.site)
        if isinstance(t, DictIterType):
            return DictIterType(t.kind, self.settle(t.source))
        if isinstance(t, TupleType):
            return TupleType(tuple(self.settle(i) for i in t.items))
        return t

    def port(self, port: Port) -> Port:
        return replace(port, type=self.final_type(port.name))

    def rebuild_region(self, region: Region, entry: list[Type] | None = None) -> Region:
        """`region` with its types; a γ branch's unbound params take their entry's type (`entry`)."""
        nodes = []
        for n in region.nodes:
            if id(n) in self.dead_reads:
                nodes.extend(self.raise_unbound(n))
            else:
                nodes.append(self.rebuild_node(n))
        params = tuple(replace(p, type=entry[i])
                       if entry is not None and isinstance(self.types.get(p.name), UndefType)
                       else self.port(p) for i, p in enumerate(region.params))
        return replace(region, params=params, nodes=tuple(nodes))

    def raise_unbound(self, node: Op) -> list[Op]:
        """A dead read (`dead_read`): `py.raise` of Python's UnboundLocalError, its values undefined."""
        variable = self.dead_reads[id(node)]
        message = (f"cannot access local variable '{variable}' where it is not associated with a value"
                   if variable is not None else "a value is not bound on any path that reaches here")
        attrs = (("exc", "UnboundLocalError"), ("message", message))
        if node.attrs and node.attr("catch"):  # inside a `try`: its handler sees this raise
            attrs += (("catch", node.attr("catch")),)
        state_in, state_out = node.inputs[-1], self.port(node.outputs[-1])
        raised = Op("py.raise", (state_in,), (state_out,), attrs, node.loc)
        return [raised, *(Op("py.undef", (), (self.port(p),), (), None) for p in node.outputs[:-1])]

    def dead_region(self, node: Gamma, region: Region, outputs: tuple[Port, ...]) -> Region:
        """A branch the types rule out: the state passes through, other results are `py.undef`s."""
        params = tuple(replace(p, type=self.final_type(name)) for p, name in zip(region.params, node.inputs))
        state = next((p.name for p in params if isinstance(p.type, StateType)), None)
        nodes, results = [], []
        for out in outputs:
            if isinstance(out.type, StateType) and state is not None:
                results.append(state)
                continue
            nodes.append(Op("py.undef", (), (replace(out, name=f"{out.name}.dead"),)))
            results.append(nodes[-1].outputs[0].name)
        return Region(params, tuple(nodes), tuple(results))

    def rebuild_node(self, node):
        outputs = tuple(self.port(p) for p in node.outputs)
        if isinstance(node, Op):
            extra = self.node_attrs.get(id(node), {})
            attrs = tuple((k, v) for k, v in node.attrs if k not in extra) + tuple(extra.items())
            return replace(node, outputs=outputs, attrs=attrs)
        if isinstance(node, Gamma):
            live = self.live_branch.get(id(node))
            entry = [self.final_type(n) for n in node.inputs]
            branches = tuple(self.rebuild_region(b, entry) if live in (None, i)
                             else self.dead_region(node, b, outputs) for i, b in enumerate(node.branches))
            return replace(node, outputs=outputs, branches=branches)
        return replace(node, outputs=outputs, body=self.rebuild_region(node.body))


def is_readonly(t) -> bool:
    """Whether a value of type `t` is (or iterates, or holds in a tuple) a read-only array."""
    if isinstance(t, ArrayIterType):
        t = t.array
    if isinstance(t, TupleType):
        return any(is_readonly(item) for item in t.items)
    return isinstance(t, ArrayType) and t.readonly


def _type_body(inf: Inferer, fn: Lambda, argtypes: tuple[Type, ...]) -> Type:
    """Type `fn`'s body for `argtypes` in `inf`; return the type of its return value."""
    params = fn.body.params
    if not params or not isinstance(params[-1].type, (StateType, UnknownType)):
        raise inf.error(f"function {fn.name} must take the !io state as its last parameter", fn.loc)
    if len(argtypes) != len(params) - 1:
        raise inf.error(f"function {fn.name} takes {len(params) - 1} arguments, "
                        f"but {len(argtypes)} types were given", fn.loc)
    lists = ListSites()
    argtypes = tuple(_argument_site(t, f"arg:{i}") for i, t in enumerate(argtypes))
    def fix(site: str, elem: Type) -> None:
        lists.elem[site] = elem
        lists.fixed.add(site)
    for i, (t, param) in enumerate(zip(argtypes, params)):
        if isinstance(t, ListType):  # (and the lists inside it: each a fixed site of its own)
            from .list_items import resite

            argtypes = argtypes[:i] + (resite(t, t.site, fix),) + argtypes[i + 1:]
            lists.names[t.site] = param.name
        elif isinstance(t, (DictType, SetType)):  # a copy of the caller's: its types are fixed
            parts = (("#k", t.key), ("#v", t.value)) if isinstance(t, DictType) else (("#k", t.elem),)
            for suffix, elem in parts:
                lists.elem[t.site + suffix] = elem
                lists.fixed.add(t.site + suffix)
            lists.names[t.site] = param.name
    inf.lists = lists
    for _ in range(MAX_THETA_ROUNDS):
        lists.dirty = False
        inf.types, inf.consts, inf.node_attrs, inf.undef_resolved = {}, {}, {}, {}  # a fresh pass
        inf.origins = {p.name: f"argument {p.name} of {fn.name}, which the caller passed a global "
                       "constant array" for t, p in zip(argtypes, params) if is_readonly(t)}
        inf.decided, inf.live_branch, inf.const_slices = {}, {}, {}
        results = inf.region(fn.body, [*argtypes, STATE])
        if not lists.dirty:
            # a list nothing is ever added to: its elements are ints (`[]` returned, `len([])`)
            unset = {lists.root(r) for r in lists.unknown} - set(lists.elem)
            if not unset:
                break
            lists.elem.update((r, I64) for r in unset)
        lists.unknown.clear()
    inf.use(fn.body.results[0], fn.loc)
    if is_readonly(results[0]):
        name = fn.body.results[0]
        origin = inf.origins.get(name, "a global constant array (or a view of one)")
        raise inf.error(f"function {fn.name} returns a read-only array: it is {origin} (global arrays are "
                        "constants, frozen when the function is compiled, and cannot be returned)", fn.loc,
                        hint="return a copy: G.copy()")
    returned = results[0].items if isinstance(results[0], TupleType) else (results[0],)
    if any(isinstance(t, FunctionValueType) for t in returned):
        name = fn.body.results[0]
        where = next((n.loc for n in fn.body.walk() if isinstance(n, Op) and n.loc is not None
                      and any(p.name == name for p in n.outputs)), fn.loc)
        raise inf.error(f"function {fn.name} returns a function ({results[0]}): functions can be "
                        "passed to compiled code and called there, not returned", where)
    if len(results) != 2 or not isinstance(results[1], StateType):
        raise inf.error(f"function {fn.name} must return (value, !io)", fn.loc)
    return results[0]


def _argument_site(t: Type, site: str) -> Type:
    """An argument's list, dict or set type with its typing site (`arg:N`)."""
    if isinstance(t, ListType):
        return ListType(t.elem, site)
    if isinstance(t, DictType):
        return DictType(t.key, t.value, site)
    if isinstance(t, SetType):
        return SetType(t.elem, site)
    return t


def infer_lambda(fn: Lambda, argtypes: tuple[Type, ...], resolve_call: ResolveCall | None,
                 filename: str | None, deltas: tuple = ()) -> Lambda:
    inf = Inferer(resolve_call, filename, deltas=deltas)
    _type_body(inf, fn, argtypes)
    return replace(fn, body=inf.rebuild_region(fn.body))


def infer_phi(phi: Phi, entry: str, argtypes: tuple[Type, ...], resolve_call: ResolveCall | None,
              filename: str | None, deltas: tuple = ()) -> Phi:
    """Type the φ's λ `entry` for `argtypes` and every specialisation of a member it reaches
    through `rec:` calls, to a fixpoint of their return types (see the module doc).  The typed φ
    holds one λ per specialisation, `entry`'s first: the first specialisation of a member keeps
    its name, later ones are named `g.2`, `g.3`, … and the `rec:` calls name them."""
    members = {fn.name: fn for fn in phi.functions}
    specs: dict[tuple[str, tuple[Type, ...]], str] = {(entry, tuple(argtypes)): entry}
    rets: dict[tuple[str, tuple[Type, ...]], Type] = {}
    where = members[entry].loc

    def resolve_rec(name: str, types: tuple[Type, ...]) -> tuple[Type, str]:
        key = (name, tuple(types))
        if key not in specs:
            taken = sum(1 for other, _ in specs if other == name)
            specs[key] = name if not taken else f"{name}.{taken + 1}"
        return rets.get(key, UNKNOWN), specs[key]

    for _ in range(MAX_PHI_ROUNDS):
        changed, typed, done = False, [], 0
        while done < len(specs):  # specialisations found in this round are typed in it too
            (name, types), spec_name = list(specs.items())[done]
            done += 1
            fn = members[name]
            inf = Inferer(resolve_call, filename, deltas=deltas)
            inf.resolve_rec = resolve_rec
            ret = _type_body(inf, fn, types)
            old = rets.get((name, types), UNKNOWN)
            new = join(old, ret)
            if new is None:
                raise inf.error(f"recursive function {name} returns {old} on one path and {ret} on another",
                                fn.loc, hint="return the same kind of value on every path")
            if new != old:
                rets[(name, types)], changed = new, True
            typed.append(replace(fn, name=spec_name, body=inf.rebuild_region(fn.body)))
        if not changed:
            break
    else:
        raise Inferer(resolve_call, filename).error("the return types of recursive functions do not settle",
                                                    where)
    for name, types in specs:
        if isinstance(rets.get((name, types), UNKNOWN), UnknownType):
            shown = ", ".join(map(str, types))
            raise Inferer(resolve_call, filename).error(
                f"cannot infer the return type of recursive function {name}({shown}): every path returns "
                "the value of a recursive call", members[name].loc,
                hint="add a path that returns without recursing (a base case)")
    return replace(phi, functions=tuple(typed))
