"""What loaded object code may name outside itself: the C API, the allocation runtime (`nrt`) and
the helpers JIT wrappers share (`wrapper_support`).

Code compiled in this process registers these as it is generated; code loaded from a cache entry
or a container must do it first.  Kept apart from `library.py` so that loading a cache entry does
not import the re-JIT machinery.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jitlab.backend.llvm.native import ObjectCache


def register_runtime_symbols(objects: ObjectCache | None = None) -> None:
    """`objects`: where the shared wrapper helpers' object code may be cached (`jitlab.cache`)."""
    from jitlab.backend.llvm import native

    native.register_capi_symbols()
    native.register_nrt_symbols()
    native.load_wrapper_support(objects)
