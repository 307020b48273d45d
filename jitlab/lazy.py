"""Packages whose names load their submodules on first use (PEP 562).

    __getattr__ = lazy_exports(__name__, {"get_engine": "codegen", ...})

Keeps `import jitlab.<package>` cheap, so a process that only loads cached code never imports
the compiler it does not run.
"""
from __future__ import annotations

import importlib
import sys
from collections.abc import Callable


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` for `package`: `exports` maps each name to the submodule defining it."""

    def __getattr__(name: str):
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
