"""Range analysis (`ranges`): symbolic intervals of `range` loop variables; marks
`py.getitem`/`py.setitem` nodes whose index is provably in `[0, len(x))` with
`inbounds = true`, so the backend can drop their bounds check.

Algorithm: one forward walk (Reissmann et al. 2020 §6 lists such analyses on the
RVSDG; the shape follows jlm's region-walking analyses).  Every value gets

* a *root*: the value it is at its definition site, seen through γ entry
  variables and invariant θ loop variables (`post == pre`), so `%xs` inside a
  loop and `%xs` outside are known to be one array;
* an exact symbolic value `sym + k` where known: constants (`k`),
  `len(x)` (`sym = len(root of x)`), and `± constant` of those;
* an interval `[lo, hi]` of two such symbolic values, where known.

Induction variables come from the frontend's `for` shape: a θ loop variable
whose input is `py.getiter(range(a[, b[, step]]))` with a constant step and whose
next value is the iterator that `py.iternext` returns (directly or through a γ
that passes it on, or leaves it undefined on the branch that exits the loop);
the value `py.iternext` yields is in `[a, b - 1]` (step > 0)
or `[b + 1, a]` (step < 0) inside branch 1 of the γ on its `ok` flag.
Intervals flow into γ branches, through invariant loop variables and through
`+`/`-` with a constant; a γ on `py.compare` of two ints narrows both in each branch
(`if 0 <= k < len(x): x[k]` is in bounds).  An index is in bounds when `lo >= 0` is a constant and
`hi <= len(x) - 1` symbolically (`x.shape[k]` is the symbol of axis k's length, like `len`).
A `while` loop variable stepped only by constants of one sign keeps its start's bound on the
other side (`monotone_body`: assumed during the walk, then checked step by step, including
that no step can wrap).  A tuple index `x[i, j]` is looked at per axis (`tuple_access`).

Loop versioning.  An access whose index interval comes from a loop's `range` but cannot be
proved in bounds statically (`out[i]` for `i in range(len(x))`, `a[i]` for `i in range(n)`)
gets `guard_loop = "<the loop's iterator>"` and `guard = (lo, hi, size)`: the interval's ends
and the length of the indexed axis, each as `(kind, value, k)` with kind `"const"` (k),
`"value"` (the value `value` + k), `"len"` (`len(value)` + k) or `"lenD"` (axis D of array
`value`, for rows `a[i]` of an n-D array), all defined outside that loop.  The backend
evaluates every guard of a loop once before it and runs a copy of the loop without those
checks when all hold (`lo >= 0` and `hi <= size - 1`), the checked loop otherwise -- which
raises the same IndexError at the same iteration as before.
"""
from __future__ import annotations

from dataclasses import dataclass

from jitlab.ir import Gamma, Lambda, Module, Op, Region, Theta
from jitlab.ir.types import I64, ArrayType, IntType

from .base import Pass, register_pass
from .rewrite import map_functions, replace

# A symbolic value: (symbol or None, constant offset); symbol ("len", root) or ("value", root).
Sym = tuple[object, int]
INDEXED_OPS = {"py.getitem", "py.setitem"}


@dataclass(frozen=True)
class RangeLoop:
    start: Sym | None
    stop: Sym | None
    step: int
    tag: str = ""  # the θ's iterator loop variable: names the loop for versioning


class _Analysis:
    def __init__(self, fn: Lambda):
        self.root: dict[str, str] = {}
        self.sym: dict[str, Sym] = {}
        self.interval: dict[str, tuple[Sym | None, Sym | None]] = {}  # (lo, hi); None: unknown
        self.producer: dict[str, Op] = {}
        self.iterators: dict[str, RangeLoop] = {}       # θ parameter → its range
        self.items: dict[str, tuple[str, RangeLoop]] = {}  # iternext `ok` → (value, range)
        self.types: dict[str, object] = {p.name: p.type for p in fn.body.params}
        self.dim_of: dict[str, tuple[str, int]] = {}  # root of a view x[i] → (root of x, axis)
        self.origin: dict[str, str] = {}  # value with an interval → tag of the loop it comes from
        self.scope: dict[str, tuple[str, ...]] = {}  # value → tags of the loops it is defined in
        self.loops: tuple[str, ...] = ()  # tags of the loops around the region being walked
        self.gamma_out: dict[str, tuple[str, ...]] = {}  # γ output → the branch results it merges
        self.shape_of: dict[str, str] = {}  # `x.shape` → x

    def root_of(self, name: str) -> str:
        return self.root.get(name, name)

    def sym_of(self, name: str) -> Sym:
        return self.sym.get(name, (("value", self.root_of(name)), 0))

    def alias(self, new: str, old: str) -> None:
        self.root[new] = self.root_of(old)  # dim_of is keyed by roots: aliases share it
        if old in self.origin:
            self.origin[new] = self.origin[old]
        if old in self.sym:
            self.sym[new] = self.sym[old]
        if old in self.interval:
            self.interval[new] = self.interval[old]
        if old in self.producer:
            self.producer[new] = self.producer[old]

    # -- walking ---------------------------------------------------------------------------
    def region(self, region: Region) -> Region:
        nodes = []
        for node in region.nodes:
            if isinstance(node, Op):
                node = self.op(node)
            elif isinstance(node, Gamma):
                node = self.gamma(node)
            else:
                node = self.theta(node)
            nodes.append(node)
        return replace(region, nodes=tuple(nodes))

    def op(self, node: Op) -> Op:
        for p in node.outputs:
            self.producer[p.name] = node
            self.scope[p.name] = self.loops
            self.types[p.name] = p.type
        out = node.outputs[0].name if node.outputs else None
        if node.op == "py.const" and type(node.attr("value")) is int:
            self.sym[out] = (None, node.attr("value"))
        elif node.op == "py.call" and node.attr("callee") == "builtins.len" and len(node.inputs) == 2:
            self.sym[out] = (self.len_head(node.inputs[0]), 0)
        elif node.op == "py.binop" and node.attr("op") in ("+", "-"):
            self.shift(node)
        elif node.op == "py.getattr" and node.attr("name") == "shape" \
                and isinstance(self.types.get(node.inputs[0]), ArrayType):
            self.shape_of[out] = node.inputs[0]
        elif node.op == "py.getitem" and self.root_of(node.inputs[0]) in self.shape_of \
                and self.sym_of(node.inputs[1])[0] is None:  # x.shape[k]: the length of axis k
            x, k = self.shape_of[self.root_of(node.inputs[0])], self.sym_of(node.inputs[1])[1]
            ndim = self.types[x].ndim
            if -ndim <= k < ndim:
                base, first = self.dim_of.get(self.root_of(x), (self.root_of(x), 0))
                axis = first + k % ndim
                self.sym[out] = (("len" if axis == 0 else f"len{axis}", base), 0)
        elif node.op == "py.iternext" and node.inputs[0] in self.iterators:
            self.items[out] = (node.outputs[1].name, self.iterators[node.inputs[0]])
        if node.op == "py.getitem" and len(node.inputs) == 3 and isinstance(node.outputs[0].type, ArrayType) \
                and isinstance(self.types.get(node.inputs[1]), IntType):
            base, axis = self.dim_of.get(self.root_of(node.inputs[0]), (self.root_of(node.inputs[0]), 0))
            self.dim_of[out] = (base, axis + 1)  # x[i] of an n-D x: its axis 0 is x's axis 1
        if node.op in INDEXED_OPS and len(node.inputs) >= 3 and node.attr("inbounds") is not True \
                and self.tuple_items(node.inputs[1]) is not None:
            node = self.tuple_access(node)
        elif node.op in INDEXED_OPS and len(node.inputs) >= 3 and node.attr("inbounds") is not True:
            if self.in_bounds(node):
                others = tuple((k, v) for k, v in node.attrs if k not in ("inbounds", "guard", "guard_loop"))
                node = replace(node, attrs=(*others, ("inbounds", True)))
            else:
                guard = self.guard(node)
                if guard is not None:
                    others = tuple((k, v) for k, v in node.attrs if k not in ("guard", "guard_loop"))
                    node = replace(node, attrs=(*others, ("guard_loop", guard[0]), ("guard", guard[1])))
        return node

    def tuple_items(self, index: str) -> tuple[str, ...] | None:
        """The int items of a tuple index built in this function (`x[i, j]`), else None."""
        build = self.producer.get(index)
        if build is None or build.op != "py.build_tuple":
            return None
        items = build.inputs[:-1]
        if not items or not all(isinstance(self.types.get(v), IntType) for v in items):
            return None
        return items

    def tuple_access(self, node: Op) -> Op:
        """`x[i, j, ...]`: each axis on its own.  `inbounds = true` when every axis is proved;
        else `inbounds_axes` lists the proved ones, and `guard_loop` with `guards = ((axis, lo,
        hi, size), ...)` the others that one loop's versioning can test before it: the loop
        around the access where the most axes have their interval's ends and size defined
        outside it, the outermost of those."""
        x = node.inputs[0]
        items = self.tuple_items(node.inputs[1])
        base, first = self.dim_of.get(self.root_of(x), (self.root_of(x), 0))
        proved, open_axes = [], []
        for k, item in enumerate(items):
            head = (("len" if first + k == 0 else f"len{first + k}"), base)
            if self.in_bounds_of(item, head):
                proved.append(k)
            else:
                open_axes.append((k, item, head))
        others = tuple((a, v) for a, v in node.attrs if a not in ("inbounds", "inbounds_axes", "guard_loop",
                                                                   "guards"))
        if not open_axes:
            return replace(node, attrs=(*others, ("inbounds", True)))
        attrs = [*others]
        if proved:
            attrs.append(("inbounds_axes", tuple(proved)))
        best: tuple[str, list] | None = None
        for tag in self.loops:  # outermost first: the test runs the least often
            guards = []
            for k, item, head in open_axes:
                lo, hi = self.bounds(item)
                ends = (None,) if lo is None or hi is None else \
                    (self.end(lo, tag), self.end(hi, tag), self.end((head, 0), tag))
                if None not in ends and not (lo[0] is None and lo[1] < 0):  # a negative constant never holds
                    guards.append((k, *ends))
            if guards and (best is None or len(guards) > len(best[1])):
                best = (tag, guards)
        if best is not None:
            attrs += [("guard_loop", best[0]), ("guards", tuple(best[1]))]
        return replace(node, attrs=tuple(attrs))

    def bounds(self, value: str) -> tuple[Sym | None, Sym | None]:
        """`value`'s interval; without one, its exact symbolic value at both ends."""
        return self.interval.get(value, (self.sym_of(value),) * 2)

    def in_bounds_of(self, index: str, head: tuple[str, str]) -> bool:
        """Is `index` in [0, len - 1] of the axis whose length symbol is `head`?"""
        low, high = self.bounds(index)
        if low is None or high is None:
            return False
        (lo_sym, lo), (hi_sym, hi) = low, high
        return lo_sym is None and lo >= 0 and hi_sym == head and hi <= -1

    def guard(self, node: Op) -> tuple[str, tuple] | None:
        """(loop tag, (lo, hi, array)) of an access the loop's copy can run unchecked (see the doc)."""
        x, index = node.inputs[0], node.inputs[1]
        tag = self.origin.get(index)
        if tag is None or index not in self.interval:
            return None
        lo, hi = self.interval[index]
        if lo is None or hi is None:
            return None
        ends = [self.end(lo, tag), self.end(hi, tag), self.end((self.len_head(x), 0), tag)]
        if None in ends:
            return None
        return tag, tuple(ends)

    def end(self, sym: Sym, tag: str) -> tuple | None:
        """`sym` as `(kind, value, k)` when it can be evaluated before loop `tag`, else None."""
        head, k = sym
        if head is None:
            return ("const", "", k)
        kind, root = head
        if tag in self.scope.get(root, ()):
            return None
        return (kind, root, k)

    def shift(self, node: Op) -> None:
        a, b = node.inputs[0], node.inputs[1]
        sign = 1 if node.attr("op") == "+" else -1
        sb = self.sym_of(b)
        if sb[0] is None:                       # x ± c
            k = sign * sb[1]
            base, src = self.sym_of(a), a
        elif sign == 1 and self.sym_of(a)[0] is None:   # c + x
            k = self.sym_of(a)[1]
            base, src = sb, b
        else:
            return
        out = node.outputs[0].name
        self.sym[out] = (base[0], base[1] + k)
        if src in self.interval:
            self.interval[out] = tuple(None if end is None else (end[0], end[1] + k)
                                       for end in self.interval[src])
            if src in self.origin:
                self.origin[out] = self.origin[src]

    def in_bounds(self, node: Op) -> bool:
        x, index = node.inputs[0], node.inputs[1]
        low, high = self.interval.get(index, (None, None))
        if low is None or high is None:
            return False
        (lo_sym, lo), (hi_sym, hi) = low, high
        return lo_sym is None and lo >= 0 and hi_sym == self.len_head(x) and hi <= -1

    def len_head(self, x: str) -> tuple[str, str]:
        """The symbol of `len(x)`: ("len", root) for an array's axis 0; ("lenD", root) for the
        length of axis D of the array `x` is a view of (`x = a[i]`: len(x) is a.shape[1])."""
        base, axis = self.dim_of.get(self.root_of(x), (self.root_of(x), 0))
        return ("len" if axis == 0 else f"len{axis}", base)

    def gamma(self, node: Gamma) -> Gamma:
        item = self.items.get(node.predicate)
        facts = self.comparison_facts(node.predicate) if len(node.branches) == 2 else {}
        branches = []
        for i, b in enumerate(node.branches):
            for p, inp in zip(b.params, node.inputs):
                self.alias(p.name, inp)
                self.scope[p.name] = self.loops
                self.types[p.name] = p.type
                if item is not None and i == 1 and inp == item[0]:
                    interval = self.range_interval(item[1])
                    if interval is not None:
                        self.interval[p.name] = interval
                        self.origin[p.name] = item[1].tag
                for side, bound in facts.get((i, self.root_of(inp)), ()):
                    self.narrow(p.name, side, bound)
            branches.append(self.region(b))
        for k, out in enumerate(node.outputs):
            self.gamma_out[out.name] = tuple(b.results[k] for b in branches)
        return replace(node, branches=tuple(branches))

    # `a OP b` true in branch 1, false in branch 0: per branch, bounds of a and of b.
    _NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}

    def comparison_facts(self, predicate: str) -> dict[tuple[int, str], list[tuple[str, Sym]]]:
        """{(branch, root of a compared int): [("lo" | "hi", bound)]} from the γ's predicate
        `py.compare` of two ints (`if 0 <= k < n` makes k in [0, n - 1] where both hold)."""
        cmp = self.producer.get(predicate)
        if cmp is None or cmp.op != "py.compare" or len(cmp.inputs) != 3 \
                or cmp.attr("op") not in self._NEGATED:
            return {}
        a, b = cmp.inputs[0], cmp.inputs[1]
        if not all(isinstance(self.types.get(v), IntType) for v in (a, b)):
            return {}
        facts: dict[tuple[int, str], list[tuple[str, Sym]]] = {}
        for branch, op in ((1, cmp.attr("op")), (0, self._NEGATED[cmp.attr("op")])):
            (sa, ka), (sb, kb) = self.sym_of(a), self.sym_of(b)
            strict = 1 if op in ("<", ">") else 0
            if op in ("<", "<="):  # a <= b - strict, b >= a + strict
                facts.setdefault((branch, self.root_of(a)), []).append(("hi", (sb, kb - strict)))
                facts.setdefault((branch, self.root_of(b)), []).append(("lo", (sa, ka + strict)))
            else:  # a >= b + strict, b <= a - strict
                facts.setdefault((branch, self.root_of(a)), []).append(("lo", (sb, kb + strict)))
                facts.setdefault((branch, self.root_of(b)), []).append(("hi", (sa, ka - strict)))
        return facts

    def narrow(self, name: str, side: str, bound: Sym) -> None:
        """Add a bound to `name`'s interval: a missing end takes it; two constants keep the tighter."""
        lo, hi = self.interval.get(name, (None, None))
        old = lo if side == "lo" else hi
        if old is None or (old[0] is None and bound[0] is None
                           and (bound[1] > old[1] if side == "lo" else bound[1] < old[1])):
            old = bound
        self.interval[name] = (old, hi) if side == "lo" else (lo, old)

    @staticmethod
    def range_interval(r: RangeLoop):
        if r.start is None or r.stop is None:
            return None
        if r.step > 0:
            return (r.start, (r.stop[0], r.stop[1] - 1))
        return ((r.stop[0], r.stop[1] + 1), r.start)

    def theta(self, node: Theta) -> Theta:
        tag = next((lv.pre.name for lv in node.loop_vars), "")  # any name unique to this θ
        outer = self.loops
        self.loops = (*outer, tag)
        for lv in node.loop_vars:
            self.scope[lv.pre.name] = self.loops
            self.types[lv.pre.name] = lv.pre.type
            if lv.post == lv.pre.name:
                self.alias(lv.pre.name, lv.input)
            loop = self.range_of(lv.input)
            if loop is not None and self.returns_iterator(node.body, lv.pre.name, lv.post):
                self.iterators[lv.pre.name] = replace(loop, tag=tag)
        body = self.monotone_body(node, tag)
        self.loops = outer
        for lv in node.loop_vars:
            self.scope[lv.output.name] = outer
            if lv.post == lv.pre.name:
                self.alias(lv.output.name, lv.input)
        return replace(node, body=body)

    # -- monotone loop variables -------------------------------------------------------------
    def monotone_body(self, node: Theta, tag: str) -> Region:
        """Walk the θ body, bounding its monotone int loop variables on one side.

        A loop variable whose next value is, on every path through the body, itself plus a
        constant of one sign (`j -= 1` in `while j >= 0 and a[j] > v`) never passes its initial
        value's bound on that side: `j <= hi(initial)`.  The walk assumes that bound, then checks
        each step: `post = pre + k` must be exact (the shifted value's interval, computed from
        the assumption, does not leave int64, so `wrap` cannot have wrapped; only i64 variables,
        whose wrap is at int64's ends).  By induction
        the assumption holds in every iteration.  When a check fails, the walk is undone and
        repeated without that variable's bound."""
        candidates = {}
        for lv in node.loop_vars:
            if lv.post != lv.pre.name and lv.pre.type == I64 and lv.pre.name not in self.iterators:
                signs = _step_signs(node.body, lv.post, {lv.pre.name}, {})
                if signs is None or signs - {0} not in ({1}, {-1}):
                    continue
                sign = max(signs, key=abs)
                low, high = self.interval.get(lv.input, (self.sym_of(lv.input),) * 2)
                if (high if sign < 0 else low) is not None:
                    candidates[lv.pre.name] = (lv, sign, (None, high) if sign < 0 else (low, None))
        while True:
            saved = self.save()
            for name, (_, _, assumed) in candidates.items():
                self.interval[name] = assumed
                self.origin[name] = tag
            body = self.region(node.body)
            failed = [name for name, (lv, sign, _) in candidates.items()
                      if not self.exact_steps(name, lv.post, sign)]
            if not failed:
                return body
            self.restore(saved)
            for name in failed:
                del candidates[name]

    def exact_steps(self, pre: str, post: str, sign: int) -> bool:
        """Did the walk show `post` is `pre` plus constants of sign `sign` (or `pre`), each step exact?"""
        steps = self.steps(pre, post)
        return steps is not None and all(k * sign >= 0 for k in steps)

    def steps(self, pre: str, value: str) -> list[int] | None:
        """The constants `k` with `value = pre + k` on each path; None when a path is anything
        else (or could wrap).  A branch that leaves the loop (undef) adds nothing."""
        if self.root_of(value) == pre:
            return [0]
        if value in self.gamma_out:
            found: list[int] = []
            for result in self.gamma_out[value]:
                more = self.steps(pre, result)
                if more is None:
                    return None
                found += more
            return found
        producer = self.producer.get(value)
        if producer is not None and producer.op == "py.undef":
            return []
        head, k = self.sym.get(value, (None, 0))
        if producer is None or producer.op != "py.binop" or head != ("value", pre):
            return None
        low, high = self.interval.get(value, (None, None))
        end = low if k < 0 else high
        if end is None or not _fits(end, k < 0):
            return None
        return [k]

    def save(self) -> tuple[dict, ...]:
        return tuple(dict(d) for d in self._state())

    def restore(self, saved: tuple[dict, ...]) -> None:
        for d, old in zip(self._state(), saved):
            d.clear()
            d.update(old)

    def _state(self) -> tuple[dict, ...]:
        return (self.root, self.sym, self.interval, self.producer, self.iterators, self.items,
                self.types, self.dim_of, self.origin, self.scope, self.gamma_out, self.shape_of)

    def range_of(self, iterator: str) -> RangeLoop | None:
        getiter = self.producer.get(iterator)
        if getiter is None or getiter.op != "py.getiter":
            return None
        call = self.producer.get(getiter.inputs[0])
        if call is None or call.op != "py.call" or call.attr("callee") != "builtins.range":
            return None
        args = [self.sym_of(n) for n in call.inputs[:-1]]
        if len(args) == 1:
            return RangeLoop((None, 0), args[0], 1)
        step = args[2] if len(args) == 3 else (None, 1)
        if len(args) not in (2, 3) or step[0] is not None or step[1] == 0:
            return None
        return RangeLoop(args[0], args[1], step[1])

    @staticmethod
    def returns_iterator(body: Region, pre: str, post: str) -> bool:
        """Is the next iterator the one `py.iternext(pre)` returned (maybe through a γ)?"""
        nexts = {n.outputs[2].name for n in body.nodes if isinstance(n, Op) and n.op == "py.iternext"
                 and n.inputs[0] == pre}
        if post in nexts:
            return True
        for n in body.nodes:
            if isinstance(n, Gamma) and post in {p.name for p in n.outputs}:
                k = [p.name for p in n.outputs].index(post)
                return all(_passes_on(b, b.results[k], n.inputs, nexts) for b in n.branches)
        return False


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _fits(end: Sym, lower: bool) -> bool:
    """Is an interval end (computed without wrapping) surely inside int64?  A constant is checked;
    `len(x) + k` is for |k| well below 2**62 (lengths are); `v + k` needs k >= 0 as a lower end
    (v >= INT64_MIN) and k <= 0 as an upper end."""
    head, k = end
    if head is None:
        return INT64_MIN <= k <= INT64_MAX
    if head[0] != "value":
        return abs(k) < 2**62
    return k >= 0 if lower else k <= 0


def _step_signs(region: Region, value: str, same: set[str], consts: dict[str, int]) -> set[int] | None:
    """Signs of the steps `value - pre` along the paths through a θ body (`same`: the names of
    `pre` in `region`, `consts`: int constants there); a quick structural look that picks the
    side the range analysis then assumes and checks.  None: not a sum of constant steps."""
    if value in same:
        return {0}
    consts = {**consts, **{n.outputs[0].name: n.attr("value") for n in region.nodes if isinstance(n, Op)
                           and n.op == "py.const" and type(n.attr("value")) is int}}
    for n in region.nodes:
        if isinstance(n, Op) and value in (p.name for p in n.outputs):
            if n.op == "py.undef":
                return set()
            if n.op != "py.binop" or n.attr("op") not in ("+", "-") or len(n.inputs) != 3:
                return None
            a, b = n.inputs[0], n.inputs[1]
            if b not in consts and n.attr("op") == "+":
                a, b = b, a
            if b not in consts:
                return None
            inner = _step_signs(region, a, same, consts)
            k = consts[b] if n.attr("op") == "+" else -consts[b]
            return None if inner is None else (inner - {0}) | {(k > 0) - (k < 0)}
        if isinstance(n, Gamma) and value in (p.name for p in n.outputs):
            index = [p.name for p in n.outputs].index(value)
            found: set[int] = set()
            for b in n.branches:
                inner_same = {p.name for p, inp in zip(b.params, n.inputs) if inp in same}
                inner_consts = {p.name: consts[inp] for p, inp in zip(b.params, n.inputs) if inp in consts}
                more = _step_signs(b, b.results[index], inner_same, inner_consts)
                if more is None:
                    return None
                found |= more
            return found
    return None


def _passes_on(branch: Region, result: str, inputs: tuple[str, ...], wanted: set[str]) -> bool:
    """Is a branch result the entry value from `wanted`, or undefined (a branch that leaves the loop)?"""
    params = [p.name for p in branch.params]
    if result in params:
        return inputs[params.index(result)] in wanted
    return any(isinstance(n, Op) and n.op == "py.undef" and n.outputs[0].name == result for n in branch.nodes)


def mark_in_bounds(fn: Lambda) -> Lambda:
    return replace(fn, body=_Analysis(fn).region(fn.body))


@dataclass(frozen=True)
class RangeAnalysis(Pass):
    name: str = "ranges"

    def run(self, module: Module) -> Module:
        return map_functions(module, mark_in_bounds)


register_pass(RangeAnalysis())
