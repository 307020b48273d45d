"""Canonicalisation (`canon`): one spelling for one graph, whatever CPython produced it.

The frontend's names and locations carry traces of the bytecode they came from.
CPython 3.12 copies a small `return` block into every predecessor, so the value
a 3.11 function merges as `r` and then returns is merged as `$ret` on 3.12;
versions attribute a branch's truth test, a `for` loop's `iter`/`next` and the
constants that restructuring adds (Bahmann et al. 2015) to different lines and
columns.  This pass rewrites exactly those, by rules that read only the graph:

Names (a canonical walk in printed order: a node's outputs, then its regions):
* every value is renamed `base`, `base.1`, `base.2`, … numbered in order of
  definition, where `base` is the frontend's name without its number: Python
  variables keep their name (`x`, `x.1`), temporaries stay `t`/`c`/`p`/`it`,
  control variables `$repeat`/`$ctl`/`$exit`, stack slots `$stack0`.  (Not
  `t0, t1`: a temporary cannot be told from a variable named `t`, and a name
  `t0` could clash with one.)  The λ's parameters keep their names exactly.
* a value whose only uses lead to the λ's return value — directly or through
  γ exit variables — is named `$ret`, whether the bytecode stored it in a local
  first (3.11) or returned it from a copied return block (3.12+);
* a γ branch parameter is named after the γ input it receives, and a θ's body
  parameter and output after the θ input, so a value keeps one base name.

Locations (`loc(line:col)`; a column is only kept where every version agrees):
* ops computed from source expressions keep their exact line and column;
* `py.truth`, `py.getiter` and `py.iternext` (attributed by CPython to a jump or
  `FOR_ITER` whose column moved between versions) keep their line, column 0;
* `py.undef` and the restructuring constants (`$repeat`, `$ctl`, `$exit`,
  `$entry`) have no source and print no location;
* a γ takes the line of its predicate's node (else the first line inside its
  branches), a θ the first line inside its body, both with column 0.

Idempotent: `canon(canon(m)) == canon(m)`; it changes no value, only names and
locations, so it is correct on untyped and typed IR alike.
"""
from __future__ import annotations

from dataclasses import dataclass

from jitlab.ir import Gamma, Lambda, Loc, Module, Op, Port, Region

from .base import Pass, register_pass
from .rewrite import Names, base_name, map_functions, replace

RET = "$ret"
LINE_ONLY_OPS = {"py.truth", "py.getiter", "py.iternext"}
CONTROL_VARIABLES = {"$repeat", "$ctl", "$exit", "$entry"}  # made by restructuring, not by the source


# -- locations ---------------------------------------------------------------------------
def _first_line(region: Region) -> int | None:
    lines = [n.loc.line for n in region.walk() if isinstance(n, Op) and n.loc is not None]
    return min(lines) if lines else None


def _op_loc(node: Op) -> Loc | None:
    if node.loc is None or node.op == "py.undef":
        return None
    if node.op == "py.const" and node.outputs and base_name(node.outputs[0].name) in CONTROL_VARIABLES:
        return None
    if node.op in LINE_ONLY_OPS:
        return Loc(node.loc.line, 0)
    return node.loc


def _locs(region: Region) -> Region:
    defined: dict[str, Op] = {}
    nodes = []
    for node in region.nodes:
        if isinstance(node, Op):
            node = replace(node, loc=_op_loc(node))
            for p in node.outputs:
                defined[p.name] = node
        elif isinstance(node, Gamma):
            branches = tuple(_locs(b) for b in node.branches)
            pred = defined.get(node.predicate)
            if pred is not None and pred.loc is not None:
                line = pred.loc.line
            else:
                lines = [x for x in map(_first_line, branches) if x is not None]
                line = min(lines) if lines else None
            node = replace(node, branches=branches, loc=Loc(line, 0) if line is not None else None)
        else:
            body = _locs(node.body)
            line = _first_line(body)
            node = replace(node, body=body, loc=Loc(line, 0) if line is not None else None)
        nodes.append(node)
    return replace(region, nodes=tuple(nodes))


# -- values that only flow to the return -------------------------------------------------
def _return_bound(region: Region, result_bound: list[bool], out: set[str]) -> list[bool | None]:
    """Add to `out` the values of `region` whose every use leads to a `True` result.

    Returns, per parameter, True (return-bound), False (used otherwise) or None (unused).
    """
    ok: dict[str, bool] = {}

    def use(name: str, good: bool) -> None:
        ok[name] = ok.get(name, True) and good

    for name, good in zip(region.results, result_bound):
        use(name, good)
    for node in reversed(region.nodes):
        for p in node.outputs:
            if ok.get(p.name):
                out.add(p.name)
        if isinstance(node, Gamma):
            flags = [ok.get(p.name, False) for p in node.outputs]
            per_branch = [_return_bound(b, flags, out) for b in node.branches]
            use(node.predicate, False)
            for j, name in enumerate(node.inputs):
                use(name, all(pb[j] is not False for pb in per_branch)
                    and any(pb[j] for pb in per_branch))
        else:
            for name in node.inputs:
                use(name, False)
    return [ok.get(p.name) for p in region.params]


# -- renaming ------------------------------------------------------------------------------
class _Renamer:
    def __init__(self, bound: set[str]):
        self.bound = bound
        self.names = Names()
        self.new: dict[str, str] = {}

    def define(self, port: Port, base: str | None = None) -> Port:
        if base is None:
            base = RET if port.name in self.bound else base_name(port.name)
        name = self.names.fresh(base)
        self.new[port.name] = name
        return replace(port, name=name)

    def use(self, name: str) -> str:
        return self.new[name]

    def region(self, region: Region, param_bases: list[str] | None) -> Region:
        if param_bases is None:
            params = tuple(self.define(p) for p in region.params)
        else:
            params = tuple(self.define(p, b) for p, b in zip(region.params, param_bases))
        nodes = tuple(self.node(n) for n in region.nodes)
        return replace(region, params=params, nodes=nodes, results=tuple(map(self.use, region.results)))

    def node(self, node):
        inputs = tuple(map(self.use, node.inputs))
        if isinstance(node, Op):
            return replace(node, inputs=inputs, outputs=tuple(self.define(p) for p in node.outputs))
        bases = [base_name(n) for n in inputs]
        if isinstance(node, Gamma):
            outputs = tuple(self.define(p) for p in node.outputs)
            branches = tuple(self.region(b, bases) for b in node.branches)
            return replace(node, predicate=self.use(node.predicate), inputs=inputs, outputs=outputs,
                           branches=branches)
        outputs = tuple(self.define(p, b) for p, b in zip(node.outputs, bases))
        body = self.region(node.body, bases)
        return replace(node, inputs=inputs, outputs=outputs, body=body)


def canonicalize_lambda(fn: Lambda) -> Lambda:
    body = _locs(fn.body)
    bound: set[str] = set()
    _return_bound(body, [True] + [False] * (len(body.results) - 1), bound)
    bound -= {p.name for p in body.params}
    renamer = _Renamer(bound)
    params = tuple(renamer.define(p, p.name) for p in body.params)
    nodes = tuple(renamer.node(n) for n in body.nodes)
    body = replace(body, params=params, nodes=nodes, results=tuple(map(renamer.use, body.results)))
    return replace(fn, body=body)


@dataclass(frozen=True)
class Canonicalize(Pass):
    name: str = "canon"

    def run(self, module: Module) -> Module:
        return map_functions(module, canonicalize_lambda)


register_pass(Canonicalize())
