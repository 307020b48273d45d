"""Leak checks shared by the tests of containers: many calls, memory and reference counts flat."""
from __future__ import annotations

import gc
import sys
import tracemalloc

from jitlab.backend.llvm import nrt


def assert_flat(step, held: object, calls: int, limit: int = 64 * 1024) -> None:
    """Run `step()` `calls` times (after a warm-up): the arena's live blocks, the reference count of
    `held` (an argument the calls reflect into) and the memory Python traces must not grow."""
    for _ in range(100):
        step()
    gc.collect()
    blocks, refs = nrt.live_blocks(), sys.getrefcount(held)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(calls):
            step()
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert nrt.live_blocks() == blocks
    assert sys.getrefcount(held) == refs
    assert grown < limit, grown
