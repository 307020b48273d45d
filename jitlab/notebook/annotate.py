"""`%%jit --annotate`: the function's source with a heat map of what each line compiled to.

Per source line: the IR nodes of the typed IR whose `loc` is on that line, how many of those are
still untyped-Python-semantics `py.*` ops, and the LLVM instructions of the optimised module that
the source map (sourcemap.py: by `!dbg` locations) puts there — for a CUDA kernel, of the
optimised NVPTX module (`ptx-llvm-opt`). The heat is the share of
the function's IR nodes and LLVM instructions that line accounts for. Each line is an HTML
`<details>`: click it to see that line's IR rows (works without JavaScript).
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from ..ir import Module
from ..pipeline import CompileRecord
from .render import CSS, highlight_rows
from .sourcemap import lines_per_source_line, stage_line_maps

ANNOTATE_CSS = """
.jl-annotate { font-family: var(--jp-code-font-family, monospace); font-size: 12px; }
.jl-annotate details { margin: 0; }
.jl-annotate summary { list-style: none; cursor: pointer; white-space: pre; display: flex; }
.jl-annotate summary::-webkit-details-marker { display: none; }
.jl-annotate .jl-no { width: 3.2em; text-align: right; padding-right: .6em; color: #999; }
.jl-annotate .jl-count { width: 9em; color: #555; text-align: right; padding-right: .8em; }
.jl-annotate .jl-code { flex: 1; }
.jl-annotate .jl-ir { margin: 0 0 4px 13em; padding: 2px 6px; background: #f6f6f6;
  border-left: 3px solid #e0a040; white-space: pre; overflow-x: auto; }
.jl-annotate .jl-legend { color: #666; padding: 2px 0 4px 0; }
"""


@dataclass(frozen=True)
class LineInfo:
    line: int
    text: str
    ir_nodes: int
    py_ops: int
    llvm_instructions: int
    ir_rows: tuple[str, ...]


def annotate_lines(record: CompileRecord) -> list[LineInfo]:
    """One `LineInfo` per line of the function's source."""
    maps = stage_line_maps(record)
    ir_stage = "opt" if "opt" in record.texts else "typed" if "typed" in record.texts else "rvsdg"
    ir_text = record.texts.get(ir_stage, "").splitlines()
    ir_rows = lines_per_source_line(maps.get(ir_stage, []))
    llvm_stage = "ptx-llvm-opt" if "ptx-llvm-opt" in record.texts else "llvm-opt"
    llvm_rows = lines_per_source_line(maps.get(llvm_stage, []))
    module = record.artefacts.get(ir_stage)
    nodes: dict[int, list[str]] = {}
    if isinstance(module, Module):
        for fn in module.functions:
            for node in fn.body.walk():
                if node.loc is not None:
                    nodes.setdefault(node.loc.line, []).append(getattr(node, "op", type(node).__name__))
    first = record.func.__code__.co_firstlineno
    out = []
    for i, text in enumerate(record.texts.get("source", "").splitlines()):
        line = first + i
        ops = nodes.get(line, [])
        out.append(LineInfo(line, text, len(ops), sum(op.startswith("py.") for op in ops),
                            len(llvm_rows.get(line, [])),
                            tuple(ir_text[r].strip() for r in ir_rows.get(line, []))))
    return out


def _heat(value: float) -> str:
    """White → orange as `value` goes 0 → 1."""
    v = max(0.0, min(1.0, value))
    return f"rgba(255, {int(200 - 90 * v)}, {int(120 - 100 * v)}, {0.08 + 0.6 * v:.2f})"


def annotate_html(record: CompileRecord) -> str:
    infos = annotate_lines(record)
    total = max(1, max((i.ir_nodes + i.llvm_instructions for i in infos), default=0))
    code = highlight_rows("\n".join(i.text for i in infos), "python")
    rows = []
    for info, row in zip(infos, code):
        weight = (info.ir_nodes + info.llvm_instructions) / total
        any_code = info.ir_nodes or info.llvm_instructions
        counts = f"{info.ir_nodes} ir · {info.llvm_instructions} llvm" if any_code else ""
        title = f"{info.ir_nodes} IR nodes ({info.py_ops} py.*), {info.llvm_instructions} LLVM instructions"
        summary = (f'<summary style="background:{_heat(weight)}" title="{title}">'
                   f'<span class="jl-no">{info.line}</span><span class="jl-count">{counts}</span>'
                   f'<span class="jl-code">{row or " "}</span></summary>')
        body = html.escape("\n".join(info.ir_rows)) if info.ir_rows else "(no IR on this line)"
        rows.append(f'<details>{summary}<div class="jl-ir">{body}</div></details>')
    name = html.escape(record.func.__qualname__)
    sig = html.escape(", ".join(map(str, record.argtypes)))
    legend = (f'<div class="jl-legend"><b>{name}({sig})</b> — per line: IR nodes and LLVM '
              f"instructions after optimisation; click a line for its IR</div>")
    return (f'<style>{CSS}{ANNOTATE_CSS}</style><div class="jl-annotate jitlab-code">{legend}'
            f'{"".join(rows)}</div>')


def annotate_text(record: CompileRecord) -> str:
    infos = annotate_lines(record)
    width = max((len(i.text) for i in infos), default=0)
    sig = ", ".join(map(str, record.argtypes))
    out = [f"{record.func.__qualname__}({sig}): line | IR nodes | LLVM instructions | source"]
    for i in infos:
        out.append(f"{i.line:4} {i.ir_nodes:4} {i.llvm_instructions:4}  {i.text.ljust(width)}")
    return "\n".join(out)


class Annotation:
    """The annotated source of one compiled specialisation (text/plain and text/html)."""

    def __init__(self, record: CompileRecord):
        self.record = record

    def __repr__(self) -> str:
        return annotate_text(self.record)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": annotate_text(self.record), "text/html": annotate_html(self.record)}
