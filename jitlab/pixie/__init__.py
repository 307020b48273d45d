"""PIXIE: multi-variant libraries of compiled functions (machine code per ISA + bitcode + metadata).

    data = build_container(units, default_variants(), name="mylib")   # units.py
    lib = load_container(data)                                        # library.py: best variant
    lib.f(3)                                                          # or re-JIT of the bitcode

`aot.py` links compiled functions into a shared library that is also a CPython extension module
(`jitlab.aot.build` drives it).  The format is specified in docs/pixie.md; the cache
(`jitlab.cache`) stores one container per (function, signature, target).
"""
from .units import FunctionUnit, build_container, versions
from .container import PixieFormatError, read_container, write_container
from .isa import (
    AARCH64, VARIANTS, X86_64, X86_64_V2, X86_64_V3, X86_64_V4, Variant, default_variants, host_arch,
    host_features, host_variant, select_variant,
)
from .library import (
    Library, Pixie, PixieFunction, link_for_inlining, load_container, load_library, register_runtime_symbols,
)

__all__ = [
    "AARCH64", "VARIANTS", "X86_64", "X86_64_V2", "X86_64_V3", "X86_64_V4", "FunctionUnit", "Library",
    "Pixie", "PixieFormatError", "PixieFunction", "Variant", "build_container", "default_variants",
    "host_arch", "host_features", "host_variant", "link_for_inlining", "load_container", "load_library",
    "read_container", "register_runtime_symbols", "select_variant", "versions", "write_container",
    "describe", "find_linker", "LinkerNotFound",
]

_LAZY = {"find_linker": "aot", "LinkerNotFound": "aot", "describe": "describe"}


def __getattr__(name: str):
    """`find_linker`, `LinkerNotFound`, `describe`: their modules load on first use
    (the kernel cache imports this package on every `import jitlab`)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
