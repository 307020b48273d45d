"""Which source lines each line of a stage's text came from, read off the compile record.

Every stage maps each of its text lines to a set of source lines (line numbers of the file or
notebook cell the function came from, as in `loc(line:col)`):

* `source`: the function's own lines, from `co_firstlineno`;
* `bytecode`, `flow`: the line column of each instruction row;
* `regions`: a `block N` row stands for the lines of flow block N;
* IR stages (`rvsdg`, `typed`, `opt`, and any IR after a pass): the `loc(line:col)` of the row; a
  γ/θ/func header takes the location printed on its closing `}` row;
* `llvm`, `llvm-opt`: a row with `!dbg !N` maps to the line of `!N = !DILocation(line: L, …)`.
  Without debug locations (`lower(..., debug_info=False)`) the map is **approximate**: the backend
  names LLVM values after the IR ports they lower (`%"s.9"`, `%s.8.lcssa` after optimisation),
  so a row that defines such a value maps to the line of the IR node that defined the port;
  unnamed values (`%.46`) and block labels map to nothing;
* `asm`, `ptx`: rows after a `.loc FILE LINE COL` directive map to LINE (the CPU and NVPTX
  backends emit them from the LLVM debug locations); without them nothing maps.
* a CUDA kernel's `ptx-llvm`, `ptx-llvm-opt` read like `llvm`, `llvm-opt`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ..ir import Gamma, Module, Op, Theta
from ..pipeline import CompileRecord

LineMap = list[frozenset[int]]

IR_STAGES = ("rvsdg", "typed", "opt")
EXACT_STAGES = ("source", "bytecode", "flow", "regions", *IR_STAGES)
APPROXIMATE_STAGES = ("llvm", "llvm-opt", "ptx-llvm", "ptx-llvm-opt")
LOC_STAGES = ("asm", "ptx")  # assembly-like texts whose `.loc FILE LINE COL` directives give lines

_LOC = re.compile(r"\bloc\((\d+):\d+\)")
_INSTR_ROW = re.compile(r"^\s*\d+(?:\.\d+)?\s+(\d+)\s+\S")
_BLOCK_HEAD = re.compile(r"^block (\d+)\b")
_BLOCK_REF = re.compile(r"\bblock (\d+)\b")
# llvmlite prints a node's fields sorted (`column:` before `line:`), LLVM in its own order
_DILOCATION = re.compile(r"^(![\w.]+)\s*=\s*(?:distinct\s+)?!DILocation\([^)]*?\bline:\s*(\d+)")
_DBG_REF = re.compile(r"!dbg\s+(![\w.]+)")
_ASM_LOC = re.compile(r"^\s*\.loc\s+\d+\s+(\d+)")
_LLVM_DEF = re.compile(r'^\s*%("(?:[^"\\]|\\.)*"|[-\w$.]+)\s*=')
# Suffixes LLVM's passes append to a value's name (loop-closed SSA, select formation, preheader copies).
_LLVM_SUFFIX = re.compile(r"\.(?:lcssa|v|pre|ph|us|le|lver\.orig|frozen|fr|sink|split|promoted|reass|"
                          r"neg|not|idx|ext|trunc|cast|op)$")


def source_line_map(text: str, first_line: int) -> LineMap:
    return [frozenset({first_line + i}) for i in range(len(text.splitlines()))]


def listing_line_map(text: str) -> LineMap:
    """bytecode and flow listings: the second column of an instruction row is its line."""
    out = []
    for row in text.splitlines():
        m = _INSTR_ROW.match(row)
        out.append(frozenset({int(m.group(1))}) if m else frozenset())
    return out


def flow_block_lines(flow_text: str) -> dict[int, frozenset[int]]:
    """Flow block offset → the source lines of its instructions."""
    blocks: dict[int, set[int]] = {}
    current = None
    for row in flow_text.splitlines():
        head = _BLOCK_HEAD.match(row)
        if head:
            current = blocks.setdefault(int(head.group(1)), set())
            continue
        m = _INSTR_ROW.match(row)
        if m and current is not None:
            current.add(int(m.group(1)))
    return {k: frozenset(v) for k, v in blocks.items()}


def regions_line_map(text: str, flow_text: str) -> LineMap:
    blocks = flow_block_lines(flow_text)
    out = []
    for row in text.splitlines():
        lines: set[int] = set()
        for m in _BLOCK_REF.finditer(row):
            lines |= blocks.get(int(m.group(1)), frozenset())
        out.append(frozenset(lines))
    return out


def ir_line_map(text: str) -> LineMap:
    """`loc(L:C)` per row; a row ending in `{` takes the loc of its matching `}` row."""
    rows = text.splitlines()
    out: list[frozenset[int]] = []
    open_rows: list[int] = []
    for i, row in enumerate(rows):
        m = _LOC.search(row)
        out.append(frozenset({int(m.group(1))}) if m else frozenset())
        stripped = row.strip()
        if stripped.startswith("}") and open_rows:
            opener = open_rows.pop()
            if m and not out[opener]:
                out[opener] = out[i]
        if stripped.endswith("{"):
            open_rows.append(i)
    return out


def port_lines(module: Module) -> dict[str, int]:
    """IR port name → the source line of the node (or structural node) that defines it."""
    found: dict[str, int] = {}

    def visit(nodes: Iterable, enclosing: int | None) -> None:
        for node in nodes:
            line = node.loc.line if node.loc is not None else enclosing
            if line is not None:
                for port in node.outputs:
                    found.setdefault(port.name, line)
            if isinstance(node, Gamma):
                for branch in node.branches:
                    if line is not None:
                        for port in branch.params:
                            found.setdefault(port.name, line)
                    visit(branch.nodes, line)
            elif isinstance(node, Theta):
                if line is not None:
                    for port in node.body.params:
                        found.setdefault(port.name, line)
                visit(node.body.nodes, line)
            elif not isinstance(node, Op):
                continue

    for fn in module.functions:
        visit(fn.body.nodes, fn.loc.line if fn.loc is not None else None)
    return found


def llvm_value_line(name: str, ports: dict[str, int]) -> int | None:
    """The source line of an LLVM value named after an IR port, after undoing LLVM's renaming.

    Optimisation appends suffixes (`s.1.lcssa`, `s.8.v`) and, to keep names unique, digits
    (`$stack0` → `$stack06`); llvmlite's unnamed values (`%.46`) map to nothing.
    """
    name = name.strip('"')
    if re.fullmatch(r"\.?\d+", name):
        return None
    for _ in range(6):
        if name in ports:
            return ports[name]
        shorter = _LLVM_SUFFIX.sub("", name)
        if shorter == name and name[-1:].isdigit():
            shorter = name[:-1]
        if shorter == name or not shorter or shorter.endswith("."):
            return None
        name = shorter
    return None


def has_debug_locations(text: str) -> bool:
    return any(_DILOCATION.match(row) for row in text.splitlines())


def llvm_line_map(text: str, ports: dict[str, int]) -> LineMap:
    rows = text.splitlines()
    locations = {m.group(1): int(m.group(2)) for m in map(_DILOCATION.match, rows) if m}
    if locations:
        out = []
        for row in rows:
            ref = _DBG_REF.search(row)
            line = locations.get(ref.group(1)) if ref else None
            out.append(frozenset({line}) if line else frozenset())
        return out
    out = []
    for row in rows:
        m = _LLVM_DEF.match(row)
        line = llvm_value_line(m.group(1), ports) if m else None
        out.append(frozenset({line}) if line is not None else frozenset())
    return out


def _locations(text: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for m in map(_DILOCATION.match, text.splitlines()) if m}


def llvm_diff_line_map(diff: str, before: str, after: str) -> LineMap:
    """A unified diff of two LLVM modules: each `-`/`+`/context row with `!dbg !N` maps to the line
    of `!N` in the module it comes from (`-` rows: `before`, the others: `after`)."""
    old, new = _locations(before), _locations(after)
    out = []
    for row in diff.splitlines():
        ref = _DBG_REF.search(row)
        table = old if row.startswith("-") else new
        line = table.get(ref.group(1)) if ref else None
        out.append(frozenset({line}) if line else frozenset())
    return out


def asm_line_map(text: str) -> LineMap:
    """Rows after `.loc FILE LINE COL` map to LINE, until the next `.loc` or label-less section end."""
    out = []
    current: int | None = None
    for row in text.splitlines():
        m = _ASM_LOC.match(row)
        if m:
            current = int(m.group(1)) or None
            out.append(frozenset())
            continue
        if row.startswith(".Lfunc_end") or row.lstrip().startswith(".size"):
            current = None
        out.append(frozenset({current}) if current and not row.lstrip().startswith(".") else frozenset())
    return out


def stage_line_maps(record: CompileRecord) -> dict[str, LineMap]:
    """Every recorded stage's text-line → source-lines map (an empty set where nothing is known)."""
    texts = record.texts
    maps: dict[str, LineMap] = {}
    first = record.func.__code__.co_firstlineno
    # LLVM is lowered from the last IR stage: its port names are the ones LLVM values carry.
    typed = record.artefacts.get("opt") or record.artefacts.get("typed") or record.artefacts.get("rvsdg")
    ports = port_lines(typed) if isinstance(typed, Module) else {}
    for stage, text in texts.items():
        if stage == "source":
            maps[stage] = source_line_map(text, first)
        elif stage in ("bytecode", "flow"):
            maps[stage] = listing_line_map(text)
        elif stage == "regions":
            maps[stage] = regions_line_map(text, texts.get("flow", ""))
        elif stage in APPROXIMATE_STAGES:
            maps[stage] = llvm_line_map(text, ports)
        elif stage in LOC_STAGES:
            maps[stage] = asm_line_map(text)
        elif isinstance(record.artefacts.get(stage), Module) or stage in IR_STAGES:
            maps[stage] = ir_line_map(text)
        else:
            maps[stage] = [frozenset()] * len(text.splitlines())
    return maps


def lines_per_source_line(line_map: LineMap) -> dict[int, list[int]]:
    """Inverse map: source line → the (0-based) text rows that came from it."""
    inverse: dict[int, list[int]] = {}
    for row, lines in enumerate(line_map):
        for line in lines:
            inverse.setdefault(line, []).append(row)
    return inverse
