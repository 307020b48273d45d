"""jitlab: a Jupyter-centric interactive compiler for Python.

    import jitlab

    @jitlab.jit
    def f(x, n): ...

    jitlab.stages(f, 1.0, 3)["llvm-opt"]

In a notebook: `%load_ext jitlab`, then a `%%jit` cell.

`import jitlab` loads only this file and `jitlab.errors`: the dispatcher, the cache and llvmlite's
binding load on first use of `jit`, `stages`, `Dispatcher`, `STAGE_NAMES` or a subpackage
(`jitlab.passes`, `jitlab.cache`, ...), through the module `__getattr__` below (PEP 562); the
compiler (the frontend, the passes, typing, the lowering, NumPy) only when something is compiled,
so a process whose kernels all come from the cache never loads it (docs/pixie.md, "What a hit
costs").
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

from .errors import JitlabError, TypingError, UnsupportedBytecode, UnsupportedError

# Names this package exports from a submodule that is imported when the name is first read.
_LAZY_NAMES = {"Dispatcher": "dispatch", "jit": "dispatch", "stages": "dispatch", "STAGE_NAMES": "pipeline"}
_SUBMODULES = frozenset({"aot", "backend", "cache", "cli", "cli_cache", "cli_pixie", "cuda", "demo",
                         "dispatch", "errors", "frontend", "ir", "notebook", "passes", "pipeline", "pixie",
                         "typing"})


def __getattr__(name: str):
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:  # `import jitlab; jitlab.passes.module_pass(...)` as with eager imports
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY_NAMES, *_SUBMODULES})


def load_ipython_extension(ipython):
    """`%load_ext jitlab`: register the `%%jit` magics (IPython is imported only there)."""
    from .notebook import load_ipython_extension as _load

    _load(ipython)


def explore(func, *args):
    """An explorer widget over every stage of `func` compiled for `args` (needs ipywidgets)."""
    from .notebook import explore as _explore

    return _explore(func, *args)


__all__ = ["Dispatcher", "JitlabError", "STAGE_NAMES", "TypingError", "UnsupportedBytecode",
           "UnsupportedError", "__version__", "explore", "jit", "stages"]
