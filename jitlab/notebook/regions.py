"""The RVSDG region graph of an IR module: as nested HTML boxes and as JSON for the lab extension.

λ, γ and θ nodes are boxes that hold their regions; each region shows its parameters (ports in),
its nodes in order, and its results (ports out). γ branches sit side by side; a θ lists its loop
variables (`input → pre … post → output`) and the repeat predicate. Structural boxes are
`<details open>`, so they fold without JavaScript. No Graphviz.

`regions_json(module)` is the same graph as data, MIME type `application/vnd.jitlab.regions+json`;
its schema is written down in docs/regions-json.md.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from ..ir import Gamma, Lambda, Module, Op, Port, Region, Theta
from ..ir.printer import format_attr_value, format_port
from ..ir.types import UnknownType

REGIONS_MIME = "application/vnd.jitlab.regions+json"
SCHEMA = "jitlab.regions/1"


def _port(p: Port) -> dict:
    return {"name": p.name, "type": None if isinstance(p.type, UnknownType) else str(p.type)}


@dataclass
class _Builder:
    nodes: list[dict] = field(default_factory=list)
    regions: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)

    def node(self, kind: str, region: str | None, loc, **fields) -> dict:
        entry = {"id": f"n{len(self.nodes)}", "kind": kind, "region": region,
                 "line": loc.line if loc is not None else None, "col": loc.col if loc is not None else None,
                 "inputs": [], "outputs": [], "regions": [], **fields}
        self.nodes.append(entry)
        return entry

    def region(self, region: Region, owner: dict, kind: str, index: int) -> str:
        rid = f"r{len(self.regions)}"
        entry = {"id": rid, "owner": owner["id"], "kind": kind, "index": index,
                 "params": [_port(p) for p in region.params], "results": list(region.results), "nodes": []}
        self.regions.append(entry)
        owner["regions"].append(rid)
        producers: dict[str, dict] = {p.name: {"param": i} for i, p in enumerate(region.params)}
        for node in region.nodes:
            child = self.add(node, rid)
            entry["nodes"].append(child["id"])
            for i, name in enumerate(child["inputs"]):
                if name in producers:
                    self.edges.append({"region": rid, "value": name, "from": producers[name],
                                       "to": {"node": child["id"], "port": i}})
            for i, out in enumerate(child["outputs"]):
                producers[out["name"]] = {"node": child["id"], "port": i}
        for i, name in enumerate(region.results):
            if name in producers:
                self.edges.append({"region": rid, "value": name, "from": producers[name],
                                   "to": {"result": i}})
        return rid

    def add(self, node, region: str) -> dict:
        if isinstance(node, Op):
            entry = self.node("op", region, node.loc, op=node.op,
                              attrs={k: format_attr_value(v) for k, v in node.attrs})
            entry["inputs"] = list(node.inputs)
        elif isinstance(node, Gamma):
            entry = self.node("gamma", region, node.loc)
            entry["inputs"] = [node.predicate, *node.inputs]
            for i, branch in enumerate(node.branches):
                self.region(branch, entry, "gamma-branch", i)
        elif isinstance(node, Theta):
            entry = self.node("theta", region, node.loc)
            entry["inputs"] = list(node.inputs)
            self.region(node.body, entry, "theta-body", 0)
        else:
            raise TypeError(f"not an IR node: {node!r}")
        entry["outputs"] = [_port(p) for p in node.outputs]
        return entry


def regions_json(module: Module) -> dict:
    """The module's region graph as plain JSON data (schema `jitlab.regions/1`, docs/regions-json.md)."""
    b = _Builder()
    functions = []
    for fn in module.functions:
        entry = b.node("lambda", None, fn.loc, name=fn.name,
                       attrs={k: format_attr_value(v) for k, v in fn.attrs})
        b.region(fn.body, entry, "lambda-body", 0)
        functions.append({"name": fn.name, "node": entry["id"]})
    return {"schema": SCHEMA, "functions": functions, "nodes": b.nodes, "regions": b.regions,
            "edges": b.edges}


REGIONS_CSS = """
.jl-rg { font-family: var(--jp-code-font-family, monospace); font-size: 12px; line-height: 1.4; }
.jl-rg details { border: 1px solid #9aa7b8; border-radius: 4px; margin: 3px 0; padding: 0 4px 3px 4px; }
.jl-rg details.jl-lambda { border-color: #5a6b85; background: #f7f9fc; }
.jl-rg details.jl-gamma { border-color: #b0772a; background: #fffaf2; }
.jl-rg details.jl-theta { border-color: #3f8a4f; background: #f5fbf6; }
.jl-rg summary { cursor: pointer; font-weight: bold; }
.jl-rg .jl-branches { display: flex; gap: 6px; align-items: flex-start; }
.jl-rg .jl-region { border: 1px dashed #b8c2cf; border-radius: 3px; padding: 2px 4px; margin: 2px 0;
  flex: 1 1 0; min-width: 0; background: #fff; }
.jl-rg .jl-rtitle { color: #667; font-style: italic; }
.jl-rg .jl-ports { color: #345; }
.jl-rg .jl-port { display: inline-block; border: 1px solid #c6cfdb; border-radius: 8px; padding: 0 5px;
  margin: 1px 2px; background: #eef2f7; white-space: nowrap; }
.jl-rg .jl-port.jl-state { color: #999; background: #f4f4f4; }
.jl-rg .jl-op { white-space: nowrap; overflow-x: auto; padding: 1px 2px; }
.jl-rg .jl-opname { color: #0b5394; font-weight: bold; }
.jl-rg .jl-loc { color: #aaa; float: right; padding-left: 1em; }
.jl-rg .jl-hl { background: #fff3b0; }
"""


def _chip(p: Port | str) -> str:
    text = format_port(p) if isinstance(p, Port) else f"%{p}"
    if isinstance(p, Port):
        state = str(p.type) == "!io" or p.name == "io" or p.name.startswith("io.")
    else:
        state = p == "io" or p.startswith("io.")
    return f'<span class="jl-port{" jl-state" * state}">{html.escape(text)}</span>'


def _ports(label: str, ports) -> str:
    chips = "".join(_chip(p) for p in ports) or "<i>none</i>"
    return f'<div class="jl-ports">{label} {chips}</div>'


def _loc(loc) -> str:
    return f'<span class="jl-loc">line {loc.line}</span>' if loc is not None else ""


def _hl(loc, highlight: frozenset[int]) -> str:
    return " jl-hl" if loc is not None and loc.line in highlight else ""


def _region_html(region: Region, title: str, highlight: frozenset[int], terminator: str = "yield") -> str:
    body = "".join(_node_html(n, highlight) for n in region.nodes)
    return (f'<div class="jl-region"><div class="jl-rtitle">{html.escape(title)}</div>'
            f'{_ports("in", region.params)}{body}{_ports(terminator, region.results)}</div>')


def _node_html(node, highlight: frozenset[int]) -> str:
    if isinstance(node, Op):
        attrs = ", ".join(f"{k} = {format_attr_value(v)}" for k, v in node.attrs)
        attrs = f" {{{html.escape(attrs)}}}" if attrs else ""
        outs = "".join(_chip(p) for p in node.outputs)
        ins = "".join(_chip(n) for n in node.inputs)
        line = node.loc.line if node.loc else ""
        return (f'<div class="jl-op{_hl(node.loc, highlight)}" data-line="{line}">'
                f'{outs} = <span class="jl-opname">{html.escape(node.op)}</span>{attrs} ({ins})'
                f'{_loc(node.loc)}</div>')
    if isinstance(node, Gamma):
        names = (" (false)", " (true)") if len(node.branches) == 2 else ("",) * len(node.branches)
        branches = "".join(_region_html(b, f"branch {i}{names[i]}", highlight)
                           for i, b in enumerate(node.branches))
        return (f'<details open class="jl-gamma{_hl(node.loc, highlight)}"><summary>γ gamma on '
                f'{_chip(node.predicate)}{_loc(node.loc)}</summary>{_ports("entry", node.inputs)}'
                f'<div class="jl-branches">{branches}</div>{_ports("exit", node.outputs)}</details>')
    if isinstance(node, Theta):
        loop_vars = "".join(
            f'<div class="jl-ports">{_chip(lv.input)} → {_chip(lv.pre)} … {_chip(lv.post)} → '
            f'{_chip(lv.output)}</div>' for lv in node.loop_vars)
        return (f'<details open class="jl-theta{_hl(node.loc, highlight)}"><summary>θ theta: repeat while '
                f'{_chip(node.predicate)}{_loc(node.loc)}</summary>'
                f'<div class="jl-rtitle">loop variables: input → pre … post → output</div>{loop_vars}'
                f'{_region_html(node.body, "body", highlight)}</details>')
    raise TypeError(f"not an IR node: {node!r}")


def lambda_html(fn: Lambda, highlight: frozenset[int] = frozenset()) -> str:
    return (f'<details open class="jl-lambda"><summary>λ {html.escape(fn.name)}{_loc(fn.loc)}</summary>'
            f'{_region_html(fn.body, "body", highlight, terminator="return")}</details>')


def regions_html(module: Module, highlight: frozenset[int] | set[int] = frozenset(), css: bool = True) -> str:
    """The module's λ/γ/θ nesting as HTML boxes; nodes from `highlight`ed source lines marked."""
    hl = frozenset(highlight)
    style = f"<style>{REGIONS_CSS}</style>" if css else ""
    return style + '<div class="jl-rg">' + "".join(lambda_html(fn, hl) for fn in module.functions) + "</div>"


class RegionsView:
    """A module's region graph: text/plain (the IR text), text/html (boxes) and the regions JSON."""

    def __init__(self, module: Module, highlight: frozenset[int] | set[int] = frozenset()):
        self.module = module
        self.highlight = frozenset(highlight)

    def __repr__(self) -> str:
        from ..ir import print_module

        return print_module(self.module)

    def _repr_html_(self) -> str:
        return regions_html(self.module, self.highlight)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/plain": repr(self), "text/html": self._repr_html_(),
                REGIONS_MIME: regions_json(self.module)}
