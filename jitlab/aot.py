"""Ahead-of-time PIXIE libraries: compile a module's jitted functions into an importable `.so`.

    jitlab.aot.build("kernels.py", "libkern.so", variants=["baseline", "x86-64-v3"])
    # then, in any interpreter of the same Python version, without jitlab:
    import libkern; libkern.f(3); libkern.__PIXIE__["variant"]

What gets exported: every function the module decorates with `@jitlab.jit("sig", ...)` (each of
its signatures), or the `exports` given as `"name:sig"` (`"alias=name:sig"` exports `name` as
`alias`).  Each export and, transitively, every jitted function it calls are compiled through
the ordinary dispatchers (and so the kernel cache); `jitlab.pixie.aot` turns the result into the
library (docs/pixie.md, "AOT libraries").  This module is the driver-layer half: it runs the
user's module and compiles; the storage layer never imports the compiler.
"""
from __future__ import annotations

import os
import runpy
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from .dispatch import Dispatcher, as_dispatcher, callee_target, parse_signature
from .errors import JitlabError
from .ir import Type
from .pipeline import Options, function_unit
from .pixie import Variant
from .pixie.aot import AotFunction, find_linker, library_name, link_library, resolve_variants


@dataclass(frozen=True)
class Export:
    """One exported function: its name in the library, its dispatcher, one signature."""

    name: str
    func: Dispatcher
    argtypes: tuple[Type, ...]


def parse_export(spec: str, namespace: dict) -> Export:
    """`name:sig` or `alias=name:sig` (sig as `jit` takes it: `"f8(f8, i8)"`, `"(int64[:],)"`)."""
    head, sep, sig = spec.partition(":")
    if not sep or not sig.strip():
        raise JitlabError(f"export {spec!r} is not of the form NAME:SIGNATURE",
                          hint='e.g. --export "f:float64(float64, int64)"')
    alias, _, name = head.rpartition("=")
    name = name.strip()
    target = namespace.get(name)
    dispatcher = as_dispatcher(target, Options()) if target is not None else None
    if dispatcher is None:
        raise JitlabError(f"export {spec!r}: the module defines no function {name!r}")
    _, argtypes = parse_signature(sig)
    return Export(alias.strip() or name, dispatcher, argtypes)


def exports_of(namespace: dict, module_name: str) -> list[Export]:
    """The functions `module_name` decorates with `@jitlab.jit("sig", ...)`, one per signature."""
    found = []
    for value in namespace.values():
        if isinstance(value, Dispatcher) and value._eager and value.__module__ == module_name:
            found.extend(Export(value.__name__, value, argtypes) for argtypes in value.signatures)
    return found


def compile_exports(exports: list[Export]) -> tuple[list[AotFunction], list[str], list[bytes], list[str]]:
    """Compile every export and, transitively, its callees: (the exports, the LLVM IR of every
    function, the PIXIE bitcode they call into, the source texts)."""
    irs: dict[str, str] = {}         # native symbol → LLVM IR (before the O3 pipeline)
    bitcodes: dict[str, bytes] = {}  # PIXIE library uuid → bitcode
    sources: list[str] = []

    def visit(compiled) -> None:
        if compiled.symbol in irs:
            return
        record = compiled.record
        irs[compiled.symbol] = record.texts["llvm"]
        sources.append(record.texts["source"])
        for callee, argtypes, symbol in list(record.callees):
            target = callee_target(record.func, callee)
            if getattr(target, "_jitlab_pixie_", False):
                bitcodes[target.library.pixie.meta["uuid"]] = target.library.pixie.bitcode
                continue
            inner = as_dispatcher(target, record.options).compile(tuple(argtypes))
            if inner.symbol != symbol:
                raise JitlabError(f"callee {callee} of {record.func.__qualname__} changed while building")
            visit(inner)

    functions = []
    for export in exports:
        compiled = export.func.compile(export.argtypes)
        visit(compiled)
        unit = function_unit(compiled.record)
        functions.append(AotFunction(export.name, unit.symbol, unit.argtypes, unit.rettype, unit.argnames,
                                     unit.writable, unit.doc))
    return functions, list(irs.values()), list(bitcodes.values()), sources


def build(source: str | os.PathLike | ModuleType | dict, output: str | os.PathLike, *,
          variants: Iterable[str | Variant] | None = None, exports: Iterable[str] = ()) -> Path:
    """Build the PIXIE shared library `output` (`NAME.so`, imported as `NAME`); return its path.

    `source` is a Python file (run as a module), a module or a namespace dict.  `variants` are
    ISA names (`baseline` = `x86-64`, `x86-64-v2`, `x86-64-v3`, `x86-64-v4`; default: all of this
    architecture's).  `exports` are `"name:sig"` strings; without them every function the module
    decorates with `@jitlab.jit("sig")` is exported.  Linking needs a C compiler driver
    (`jitlab.pixie.aot.LinkerNotFound` says so before anything is compiled).
    """
    name = library_name(output)
    find_linker()
    chosen = resolve_variants(variants)
    if isinstance(source, dict):
        namespace, module_name = source, source.get("__name__", "__main__")
    elif isinstance(source, ModuleType):
        namespace, module_name = vars(source), source.__name__
    else:
        module_name = f"__pixie_build_{name}__"
        namespace = runpy.run_path(str(source), run_name=module_name)
    specs = list(exports)
    todo = [parse_export(spec, namespace) for spec in specs] if specs else exports_of(namespace, module_name)
    if not todo:
        raise JitlabError(f"nothing to export from {source}: no @jitlab.jit(\"signature\") function",
                          hint='decorate functions with @jitlab.jit("float64(float64)") or pass '
                               '--export NAME:SIGNATURE')
    functions, irs, bitcodes, sources = compile_exports(todo)
    return link_library(output, functions, irs, bitcodes, sources, chosen)


__all__ = ["Export", "build", "compile_exports", "exports_of", "parse_export"]
