"""DWARF line tables for lowered functions: a `!dbg` location on every instruction from its IR `loc`.

Why: the explorer and `%%jit --annotate` link LLVM IR rows (`!dbg !N` → `!DILocation(line:)`)
and assembly rows (`.loc FILE LINE COL`) back to source lines, and LLVM keeps line tables
through every optimisation.  Only line tables are emitted (`emissionKind: LineTablesOnly`):
no variable or type descriptions, so the optimiser runs the same passes and the machine code
is the same as without debug information; the object code carries a `.debug_line` section,
which MCJIT loads and ignores.

Lines are the IR's (1-based, relative to the source the frontend read), columns the IR's
0-based column plus one (DWARF columns are 1-based; 0 means "no column").
"""
from __future__ import annotations

import os

from llvmlite import ir

I32 = ir.IntType(32)


class DebugInfo:
    """The compile unit and file of one LLVM module; `subprogram` per function, `location` per node."""

    def __init__(self, module: ir.Module, filename: str | None, emission: str = "LineTablesOnly"):
        """`emission="DebugDirectivesOnly"`: `.loc`/`.file` directives without DWARF sections
        (what the NVPTX backend needs for line info without making the PTX a debug build)."""
        path = filename or "<jitlab>"
        directory, base = os.path.split(path)
        self.module = module
        self._locations: dict[tuple[int, int, int | None], ir.DIValue] = {}
        self.file = module.add_debug_info("DIFile", {"filename": base or path, "directory": directory or "."})
        self.unit = module.add_debug_info("DICompileUnit", {
            "language": ir.DIToken("DW_LANG_Python"),
            "file": self.file,
            "producer": "jitlab",
            "isOptimized": True,
            "runtimeVersion": 0,
            "emissionKind": ir.DIToken(emission),
        }, is_distinct=True)
        module.add_named_metadata("llvm.dbg.cu", self.unit)
        flags = module.add_named_metadata("llvm.module.flags")
        flags.add(module.add_metadata([I32(7), "Dwarf Version", I32(5)]))
        flags.add(module.add_metadata([I32(2), "Debug Info Version", I32(3)]))
        self._subroutine_type = module.add_debug_info("DISubroutineType", {"types": module.add_metadata([])})

    def subprogram(self, func: ir.Function, name: str, line: int):
        sp = self.module.add_debug_info("DISubprogram", {
            "name": name,
            "linkageName": func.name,
            "scope": self.file,
            "file": self.file,
            "line": line,
            "type": self._subroutine_type,
            "scopeLine": line,
            "spFlags": ir.DIToken("DISPFlagDefinition | DISPFlagOptimized"),
            "unit": self.unit,
        }, is_distinct=True)
        func.set_metadata("dbg", sp)
        return sp

    def location(self, scope, line: int, col: int | None):
        key = (id(scope), line, col)  # llvmlite's own lookup of an equal node costs far more
        found = self._locations.get(key)
        if found is None:
            found = self._locations[key] = self.module.add_debug_info(
                "DILocation", {"line": line, "column": (col or 0) + 1, "scope": scope})
        return found
