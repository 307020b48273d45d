"""PIXIE: multi-variant libraries of compiled functions (machine code per ISA + bitcode + metadata).

    data = build_container(units, default_variants(), name="mylib")   # units.py
    lib = load_container(data)                                        # library.py: best variant
    lib.f(3)                                                          # or re-JIT of the bitcode

`aot.py` links compiled functions into a shared library that is also a CPython extension module
(`jitlab.aot.build` drives it).  The format is specified in docs/pixie.md; the cache
(`jitlab.cache`) stores one container per (function, signature, target).

Every name below loads its submodule on first use (PEP 562): a cache hit needs only `reader`
(parse a container) and `isa` (choose a variant), not the IR builder or the backend that
building (`units`) and re-JIT (`library`) import.
"""
from __future__ import annotations

from jitlab.lazy import lazy_exports

# name → the submodule defining it
_EXPORTS = {
    **dict.fromkeys(("FunctionUnit", "build_container", "linked_module", "wrapper_ir"), "units"),
    **dict.fromkeys(("PixieFormatError", "read_container", "write_container", "find_container",
                     "section_spans"), "container"),
    **dict.fromkeys(("AARCH64", "VARIANTS", "X86_64", "X86_64_V2", "X86_64_V3", "X86_64_V4", "Variant",
                     "default_variants", "host_arch", "host_features", "host_variant", "select_variant"),
                    "isa"),
    **dict.fromkeys(("FunctionInfo", "Pixie", "versions"), "reader"),
    **dict.fromkeys(("Library", "PixieFunction", "link_for_inlining", "load_container", "load_library"),
                    "library"),
    "register_runtime_symbols": "runtime",
    **dict.fromkeys(("LinkerNotFound", "find_linker"), "aot"),
    "describe": "describe",
}


__getattr__ = lazy_exports(__name__, _EXPORTS)


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


__all__ = sorted(_EXPORTS)
