"""What loaded object code may name outside itself: the C API and the allocation runtime (`nrt`).

Code compiled in this process registers these as it is generated; code loaded from a cache entry
or a container must do it first.  Kept apart from `library.py` so that loading a cache entry does
not import the re-JIT machinery.
"""
from __future__ import annotations


def register_runtime_symbols() -> None:
    from jitlab.backend.llvm import abi, nrt, wrapper_support

    abi.register_capi_symbols()
    nrt.register_symbols()
    wrapper_support.load_wrapper_support()  # the helpers JIT wrappers call
