"""Cache keys: everything a kernel's machine code depends on, as named, separately hashed components.

`key_components(func, argtypes, options)` returns a flat dict (component name → hex digest);
`digest(components)` is the entry's key.  Keeping the components apart lets a miss say which
one changed (`code`, `global:N`, `callee:g`, `signature`, `options`, `target`, versions).

A jitted callee contributes its own function digest (code, globals and callees, transitively,
plus its options), never a symbol or address: when `g` changes in another cell or process,
every caller of `g` gets a new key.  That is the case Numba's cache misses.
"""
from __future__ import annotations

import builtins
import dataclasses
import hashlib
import os
import sys
import types
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any



class Uncacheable(Exception):
    """The function reads a value the key cannot describe; it is compiled without the cache."""


def _h(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def code_token(code: types.CodeType) -> tuple:
    """The code object's bytecode, constants (nested code recursively), names and line table."""
    consts = tuple(code_token(c) if isinstance(c, types.CodeType) else (type(c).__name__, repr(c))
                   for c in code.co_consts)
    return (code.co_code.hex(), consts, code.co_names, code.co_varnames, code.co_freevars,
            code.co_cellvars, code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount,
            code.co_flags, code.co_firstlineno, code.co_linetable.hex(), code.co_name)


def read_names(code: types.CodeType) -> list[str]:
    """Every name the code (and code nested in it) may look up as a global."""
    names = list(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            names.extend(read_names(c))
    return sorted(set(names))


def options_token(options: Any) -> tuple:
    """Compile options (a dataclass such as `pipeline.Options`) as plain values; passes by class and repr."""
    if options is None:
        return ()
    items = []
    for f in dataclasses.fields(options):
        value = getattr(options, f.name)
        if f.name == "passes" and value is not None:
            value = tuple(f"{type(p).__module__}.{type(p).__qualname__}:{p!r}" for p in value)
        items.append((f.name, repr(value)))
    return tuple(items)


def value_token(value: Any, options: Any, stack: tuple) -> tuple[str, str]:
    """(kind, digest) of a global or closure value: kind is "callee" for functions, else "global"."""
    if getattr(value, "_jitlab_pixie_", False):
        return "callee", _h("pixie", value.library.pixie.meta["uuid"], value.info.symbol)
    if getattr(value, "_jitlab_dispatcher_", False) and hasattr(value, "py_func"):
        return "callee", function_digest(value.py_func, value.options, stack)
    if isinstance(value, types.FunctionType):
        return "callee", function_digest(value, options, stack)  # gets a dispatcher with our options
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return "global", _h(type(value).__name__, repr(value))
    if isinstance(value, types.ModuleType):
        return "global", _h("module", value.__name__, getattr(value, "__version__", ""))
    np = sys.modules.get("numpy")  # not imported: the value cannot be an array (keys never load NumPy)
    if np is not None and isinstance(value, np.ndarray):
        content = hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest()
        return "global", _h("ndarray", str(value.dtype), value.shape, content)
    if np is not None and isinstance(value, np.generic):
        return "global", _h("np", str(value.dtype), repr(value))
    if isinstance(value, tuple):
        return "global", _h("tuple", *(value_token(v, options, stack) for v in value))
    if isinstance(value, types.BuiltinFunctionType):
        return "global", _h("builtin", getattr(value, "__module__", ""), value.__qualname__)
    raise Uncacheable(f"a global of type {type(value).__qualname__}")


def function_components(func: Callable, options: Any, stack: tuple = ()) -> dict[str, str]:
    """The components of `func` itself: code, defaults, closure values, globals, callees, options."""
    code = func.__code__
    stack = (*stack, code)
    parts = {"code": _h(code_token(code)), "options": _h(options_token(options))}
    if func.__defaults__:
        parts["defaults"] = _h(*(value_token(v, options, stack) for v in func.__defaults__))
    for name, cell in zip(code.co_freevars, func.__closure__ or ()):
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        kind, token = value_token(value, options, stack)
        parts[f"closure:{name}"] = token
    g = func.__globals__
    for name in read_names(code):
        if name in g:
            kind, token = value_token(g[name], options, stack)
            parts[f"{kind}:{name}"] = token
        elif hasattr(builtins, name):
            parts[f"global:{name}"] = _h("builtins", name)
    return parts


def function_digest(func: Callable, options: Any, stack: tuple = ()) -> str:
    """A callee's digest: its components, transitively; a recursive reference is cut by a marker."""
    if func.__code__ in stack:
        return _h("recursive", func.__qualname__)
    return digest(function_components(func, options, stack))


@cache
def target_token() -> str:
    import llvmlite.binding as llvm

    return _h(llvm.get_process_triple(), llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten())


@cache
def compiler_fingerprint() -> str:
    """A hash of jitlab's own compiler sources.

    Machine code depends on the compiler that made it, not only on its version number: a pass
    or lowering fixed between two releases (or in a developer's tree) must not be served code the
    old compiler produced.  Reading the sources once per process costs a few milliseconds.
    """
    root = str(Path(__file__).resolve().parent.parent)
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in ("__pycache__", "notebook", "labextension")]
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        files.extend(f"{rel}/{n}" for n in names if n.endswith(".py"))
    digest = hashlib.sha256()
    for rel in sorted(files):
        if rel.startswith(_NOT_CODEGEN):
            continue  # presentation and AOT linking only: cannot change the JIT's code
        with open(os.path.join(root, rel), "rb") as fh:
            digest.update(rel.encode() + b"\0" + fh.read() + b"\0")
    return digest.hexdigest()


_NOT_CODEGEN = ("./cli", "./aot.py", "./demo.py", "pixie/aot.py", "pixie/cpuid.py", "pixie/describe.py")


@cache
def version_components() -> dict[str, str]:
    from jitlab.pixie.reader import versions

    return {**versions(), "compiler": compiler_fingerprint()}


@cache
def runtime_token() -> str:
    """What code made outside any one function (the shared wrapper helpers, dispatch entries)
    depends on: the compiler, the target and the versions."""
    return digest({**version_components(), "target": target_token()})


def key_components(func: Callable, argtypes: tuple, options: Any) -> dict[str, str]:
    """Every component of the cache key of `func` compiled for `argtypes` with `options`."""
    parts = function_components(func, options)
    parts["signature"] = _h(*(str(t) for t in argtypes))
    parts["target"] = target_token()
    parts.update(version_components())
    return parts


def digest(components: dict[str, str]) -> str:
    return _h(sorted(components.items()))


def explain(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """What differs between two component dicts, one phrase per component."""
    out = []
    for name in sorted(old.keys() | new.keys()):
        if name not in old:
            out.append(f"{name} is new")
        elif name not in new:
            out.append(f"{name} is gone")
        elif old[name] != new[name]:
            out.append(f"{name} changed")
    return out
