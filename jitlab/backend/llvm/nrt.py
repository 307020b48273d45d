"""Memory of arrays allocated by compiled code: a per-call arena, and boxing of returned arrays.

The scheme (the simplest one that is correct; reference counts in compiled code
would need increments and decrements at every γ/θ boundary):

* compiled code allocates every array block (`np.zeros`, `a + b`, `a.copy()`, …)
  with `jitlab.nrt.alloc`, which links the block into one process-wide **arena**
  (a doubly linked list; the GIL is held while compiled code runs and compiled
  code never calls back into Python, so one list serves every call);
* compiled code frees only the temporaries it proves dead: an array made in a
  region (a loop body, a branch, the function) that no value leaving the region
  can hold is freed where the region ends (`lower_lifetimes.py`), so a loop that
  makes a temporary per iteration reuses one block; every other block (a value
  that may escape, a jitted callee's result) stays in the arena until the
  outermost call returns;
* when the native function returns, its CPython wrapper calls
  `jitlab.nrt.release<n>(keeps, kept)`: every block is freed except those holding
  one of the addresses `keeps` (the data pointers of the n returned arrays -- a
  tuple may return several -- each of which may point inside its block: a view
  such as `a[1:]` or `a[::-1]`); each returned array gets a `PyCapsule` of its
  block as the base of its `numpy.ndarray`, and a block counts its capsules
  (`return a, a[1:]` gives one block two), the last capsule's destructor freeing
  it.  After an exception every block is freed.  A returned array that is not in the arena is a view of
  an argument: its base becomes that argument (and it is writable only if the
  argument is).

Compiled code may free a block early: a temporary it proves dead (`lower_lifetimes.py`) is
unlinked (`free_function`; the list is doubly linked for that) and freed where its region ends.

A block is `HEADER_BYTES` of header (`next` block, data size in bytes, count of capsules,
`prev` block) followed by
the data, which is therefore 16-byte aligned like NumPy's.  `live_blocks()` counts
blocks not yet freed (the arena's and those owned by returned arrays), for tests.

The arena is a ctypes structure registered with LLVM's symbol table as
`ARENA_SYMBOL`; `BOX_SYMBOL` is a pointer variable holding `box_array` (the
wrapper loads the callable from it).  Both are resolved when a module is loaded,
not baked into its code, so cached object code stays valid, and a PIXIE shared
library (`jitlab.pixie.aot`) can define both itself: its own arena, and a pointer
its module initialiser sets to its own boxing function.

The run-time half (the arena, `box_array`, the registration) lives in `native.py`, which loading
cached code imports without this module's IR builders; it is re-exported here.
"""

from __future__ import annotations

import functools
import sys

from llvmlite import ir

# The run-time side (loaded code needs it without this module's IR builders): re-exported.
from .native import (
    ARENA_SYMBOL, BOX_SYMBOL, HEADER_BYTES, box_array, live_blocks,
    register_nrt_symbols as register_symbols,
)
from .irmodule import declare, external_global, get_or_define

_PTR = ir.PointerType()
_I64 = ir.IntType(64)
_VOID = ir.VoidType()


# -- LLVM helpers (internal copies in each module that needs them) ---------------------------
def arena_global(module: ir.Module) -> ir.GlobalVariable:
    register_symbols()
    # declared as its first field (a pointer) so that field addresses are opaque pointers
    return external_global(module, ARENA_SYMBOL, _PTR)


def _libc(module: ir.Module, name: str, ret: ir.Type, params: tuple) -> ir.Function:
    return declare(module, name, ir.FunctionType(ret, params))


def _head(b: ir.IRBuilder, arena: ir.Value) -> ir.Value:
    """The address of the arena's `head` field (an opaque pointer)."""
    return b.gep(arena, [_I64(0)], source_etype=ir.IntType(8))


def _count_live(b: ir.IRBuilder, arena: ir.Value, delta: int) -> None:
    live = b.gep(arena, [_I64(8)], source_etype=ir.IntType(8))
    b.store(b.add(b.load(live, typ=_I64), _I64(delta)), live)


def alloc_function(module: ir.Module) -> ir.Function:
    """`ptr jitlab.nrt.alloc(i64 nbytes, i1 zeroed)`: the data of a new arena block, null if out of memory."""
    name = "jitlab.nrt.alloc"
    return get_or_define(module, name, ir.FunctionType(_PTR, (_I64, ir.IntType(1))),
                         functools.partial(_write_alloc_function, module))


def _write_alloc_function(module: ir.Module, fn: ir.Function) -> None:
    # out of line, returning fresh memory like malloc: inlined, its branches cost LLVM facts
    # about the caller's loops (a fill loop's index no longer known >= 0: scatters, 3x slower)
    fn.attributes.add("noinline")
    fn.return_value.add_attribute("noalias")
    nbytes, zeroed = fn.args
    arena = arena_global(module)
    malloc = _libc(module, "malloc", _PTR, (_I64,))
    calloc = _libc(module, "calloc", _PTR, (_I64, _I64))
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    total = b.add(nbytes, _I64(HEADER_BYTES))
    with b.if_else(zeroed) as (then, otherwise):
        with then:
            by_calloc = b.call(calloc, [_I64(1), total])
            from_calloc = b.block
        with otherwise:
            by_malloc = b.call(malloc, [total])
            from_malloc = b.block
    block = b.phi(_PTR)
    block.add_incoming(by_calloc, from_calloc)
    block.add_incoming(by_malloc, from_malloc)
    with b.if_then(b.icmp_unsigned("==", block, _PTR(None)), likely=False):
        b.ret(_PTR(None))
    if sys.platform.startswith("linux"):
        _advise_huge_pages(module, b, block, total)
    head = _head(b, arena)
    old = b.load(head, typ=_PTR)
    b.store(old, block)  # block.next = arena.head
    b.store(nbytes, b.gep(block, [_I64(8)], source_etype=ir.IntType(8)))  # block.size
    b.store(_I64(0), _refs(b, block))  # block.refs: set when returned (`release`)
    b.store(_PTR(None), _prev(b, block))
    with b.if_then(b.icmp_unsigned("!=", old, _PTR(None))):
        b.store(block, _prev(b, old))
    b.store(block, head)
    _count_live(b, arena, 1)
    b.ret(b.gep(block, [_I64(HEADER_BYTES)], source_etype=ir.IntType(8)))


HUGE_PAGE_BYTES = 4 << 20  # blocks this large ask for transparent huge pages, as NumPy's do
_MADV_HUGEPAGE = 14


def _advise_huge_pages(module: ir.Module, b: ir.IRBuilder, block: ir.Value, total: ir.Value) -> None:
    """`madvise(MADV_HUGEPAGE)` on the whole pages of a large block: one page fault per 2 MiB
    instead of per 4 KiB when the block is first written (where the kernel leaves the choice
    to the program, like NumPy does for its large arrays)."""
    madvise = _libc(module, "madvise", ir.IntType(32), (_PTR, _I64, ir.IntType(32)))
    with b.if_then(b.icmp_unsigned(">=", total, _I64(HUGE_PAGE_BYTES)), likely=False):
        start = b.ptrtoint(block, _I64)
        first = b.and_(b.add(start, _I64(4095)), _I64(-4096))
        length = b.and_(b.sub(b.add(start, total), first), _I64(-4096))
        b.call(madvise, [b.inttoptr(first, _PTR), length, ir.IntType(32)(_MADV_HUGEPAGE)])


def _prev(b: ir.IRBuilder, block: ir.Value) -> ir.Value:
    """The address of a block's `prev` link (the block allocated just after it, null for the head)."""
    return b.gep(block, [_I64(24)], source_etype=ir.IntType(8))


def free_function(module: ir.Module) -> ir.Function:
    """`void jitlab.nrt.free(ptr data)`: unlink the arena block of `data` (a pointer `alloc`
    returned) and free it now -- a temporary that compiled code knows is dead."""
    name = "jitlab.nrt.free"
    return get_or_define(module, name, ir.FunctionType(_VOID, (_PTR,)),
                         functools.partial(_write_free_function, module))


def _write_free_function(module: ir.Module, fn: ir.Function) -> None:
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    arena = arena_global(module)
    block = b.gep(fn.args[0], [_I64(-HEADER_BYTES)], source_etype=ir.IntType(8))
    nxt, prev = b.load(block, typ=_PTR), b.load(_prev(b, block), typ=_PTR)
    with b.if_else(b.icmp_unsigned("==", prev, _PTR(None))) as (first, inner):
        with first:
            b.store(nxt, _head(b, arena))
        with inner:
            b.store(nxt, prev)  # prev.next
    with b.if_then(b.icmp_unsigned("!=", nxt, _PTR(None))):
        b.store(prev, _prev(b, nxt))
    b.call(_libc(module, "free", _VOID, (_PTR,)), [block])
    _count_live(b, arena, -1)
    b.ret_void()


def _refs(b: ir.IRBuilder, block: ir.Value) -> ir.Value:
    """The address of a block's count of returned arrays (capsules) that hold it."""
    return b.gep(block, [_I64(16)], source_etype=ir.IntType(8))


def release_function(module: ir.Module, n: int) -> ir.Function:
    """`void jitlab.nrt.release<n>(ptr keeps, ptr kept)`: free every arena block but those
    holding one of the `n` addresses `keeps[j]` (data start <= keep <= data end); the block
    holding `keeps[j]` is unlinked and stored into `kept[j]` (null if none), its count of
    holders set to how many keeps it holds (each becomes a capsule: `free_block_function`)."""
    name = f"jitlab.nrt.release{n}"
    return get_or_define(module, name, ir.FunctionType(_VOID, (_PTR, _PTR)),
                         functools.partial(_write_release_function, module, n))


def _write_release_function(module: ir.Module, n: int, fn: ir.Function) -> None:
    keeps, kept = fn.args
    arena = arena_global(module)
    free = _libc(module, "free", _VOID, (_PTR,))
    entry, loop, held, freed, nxt_block, done = (
        fn.append_basic_block(n) for n in ("entry", "loop", "held", "freed", "next", "done")
    )
    b = ir.IRBuilder(entry)
    keep_at = [b.ptrtoint(b.load(b.gep(keeps, [_I64(j)], source_etype=_PTR), typ=_PTR), _I64)
               for j in range(n)]
    kept_at = [b.gep(kept, [_I64(j)], source_etype=_PTR) for j in range(n)]
    for slot in kept_at:
        b.store(_PTR(None), slot)
    head = _head(b, arena)
    first = b.load(head, typ=_PTR)
    b.store(_PTR(None), head)
    b.cbranch(b.icmp_unsigned("==", first, _PTR(None)), done, loop)
    b.position_at_end(loop)
    block = b.phi(_PTR, "block")
    block.add_incoming(first, entry)
    nxt = b.load(block, typ=_PTR)
    start = b.ptrtoint(b.gep(block, [_I64(HEADER_BYTES)], source_etype=ir.IntType(8)), _I64)
    end = b.add(start, b.load(b.gep(block, [_I64(8)], source_etype=ir.IntType(8)), typ=_I64))
    holders = _I64(0)
    for k, slot in zip(keep_at, kept_at):
        inside = b.and_(b.icmp_unsigned(">=", k, start), b.icmp_unsigned("<=", k, end))
        b.store(b.select(inside, block, b.load(slot, typ=_PTR)), slot)
        holders = b.add(holders, b.zext(inside, _I64))
    b.cbranch(b.icmp_unsigned("==", holders, _I64(0)), freed, held)
    b.position_at_end(held)
    b.store(holders, _refs(b, block))
    b.branch(nxt_block)
    b.position_at_end(freed)
    b.call(free, [block])
    _count_live(b, arena, -1)
    b.branch(nxt_block)
    b.position_at_end(nxt_block)
    block.add_incoming(nxt, nxt_block)
    b.cbranch(b.icmp_unsigned("==", nxt, _PTR(None)), done, loop)
    b.position_at_end(done)
    b.ret_void()


def free_block_function(module: ir.Module, get_pointer: ir.Function) -> ir.Function:
    """`void jitlab.nrt.capsule_free(PyObject *capsule)`: the destructor of a returned block's capsule."""
    name = "jitlab.nrt.capsule_free"
    return get_or_define(module, name, ir.FunctionType(_VOID, (_PTR,)),
                         functools.partial(_write_free_block_function, module, get_pointer))


def _write_free_block_function(module: ir.Module, get_pointer: ir.Function, fn: ir.Function) -> None:
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    emit_drop_block(module, b, b.call(get_pointer, [fn.args[0], _PTR(None)]))
    b.ret_void()


def emit_drop_block(module: ir.Module, b: ir.IRBuilder, block: ir.Value) -> None:
    """Drop one holder of an unlinked block (one `release` kept); the last one frees it and
    counts it as gone."""
    refs = _refs(b, block)
    left = b.sub(b.load(refs, typ=_I64), _I64(1))
    b.store(left, refs)
    with b.if_then(b.icmp_signed("<=", left, _I64(0))):
        b.call(_libc(module, "free", _VOID, (_PTR,)), [block])
        _count_live(b, arena_global(module), -1)


def typestr(dtype) -> str:
    import numpy as np

    return np.dtype(dtype).str


__all__ = [
    "ARENA_SYMBOL",
    "BOX_SYMBOL",
    "HEADER_BYTES",
    "alloc_function",
    "box_array",
    "emit_drop_block",
    "free_block_function",
    "free_function",
    "live_blocks",
    "register_symbols",
    "release_function",
]
