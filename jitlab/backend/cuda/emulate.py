"""CPU emulation of a kernel launch: every (block, thread) runs the kernel compiled for the CPU.

The kernel λ and its device functions are lowered by `EmulatedFunctionLowerer`, which reads
`threadIdx`/`blockIdx`/`blockDim`/`gridDim` from module globals, and inlined into one driver

    i32 @driver(ptr %ret, ptr %excmsg, i64 gx, gy, gz, bx, by, bz, <the kernel's arguments>)

that loops over blocks and, inside, over the block's threads (x fastest), setting the globals
and calling the kernel; an exception in any thread stops the launch and comes back as the
Python exception (the CPU calling convention, `backend/llvm/signature.py`).  The driver gets
the ordinary CPython wrapper (`abi.py`), so an emulated launch is one builtin call.

Shared arrays are module globals: blocks run one after another, so one copy serves them all.

`syncthreads` needs every thread of a block to reach the barrier before any passes it.  A
kernel that calls it runs each thread of a block as a fiber (`fibers.py`: one small stack per
thread, an assembly switch on x86-64, glibc's ucontext elsewhere): the driver resumes every
runnable thread in turn; a thread that reaches the barrier parks itself and switches back;
when no thread is runnable, every parked thread is released and the next round starts; the
block ends when all threads returned.  A thread that has returned counts as arrived (as on
Volta and later GPUs).  Barrier-free kernels keep the plain loop above (no fibers, no switches).
"""
from __future__ import annotations

import sys
from collections.abc import Callable

from llvmlite import ir

from jitlab.errors import UnsupportedError
from jitlab.ir.nodes import Gamma, Module, Op, Theta
from jitlab.ir.types import BOOL, F64 as F64_T, I64 as I64_T, NONE, ArrayType, FloatType, IntType, Type

from ..llvm import abi, get_engine, native, native_signature, optimize
from ..llvm.lower import LowerOptions
from ..llvm.signature import PTR, STATUS, abi_type
from . import fibers
from .lower_kernel import I64, EmulatedFunctionLowerer, emulation_global

DIMS = ("gx", "gy", "gz", "bx", "by", "bz")


def _calls(region, callee: str) -> bool:
    for node in region.nodes:
        if isinstance(node, Op) and node.attr("callee") == callee:
            return True
        if isinstance(node, Gamma) and any(_calls(b, callee) for b in node.branches):
            return True
        if isinstance(node, Theta) and _calls(node.body, callee):
            return True
    return False


def uses_barrier(modules: list[Module]) -> bool:
    return any(_calls(fn.body, "jitlab.cuda.syncthreads") for m in modules for fn in m.functions)


def lower_emulation(kernel: Module, device_functions: list[Module], name: str, *,
                    boundscheck: bool = False, fastmath: bool = False) -> tuple[str, str]:
    """(LLVM IR text, driver symbol) of the emulated launch of `kernel`."""
    barrier = uses_barrier([kernel, *device_functions])
    if barrier and not fibers.supported():
        raise UnsupportedError(f"emulating a kernel that calls cuda.syncthreads() on {sys.platform}",
                               hint="the emulator's fibers use glibc's ucontext (Linux); run it on a GPU")
    options = LowerOptions(boundscheck=boundscheck, fastmath=fastmath)
    sig = native_signature(kernel.functions[0])
    module = ir.Module(name=f"{sig.symbol}.emulate")
    for fn in (f for m in (kernel, *device_functions) for f in m.functions):
        func = EmulatedFunctionLowerer(module, fn, options).lower()
        func.linkage = "internal"
        func.attributes.add("alwaysinline")
    body = module.globals[sig.symbol]
    symbol = f"{sig.symbol}.emulate"
    if barrier:
        assembly = fibers.lower_fiber_driver(
            module, body, symbol, store3=_store3, unflatten=_unflatten, narrow=_narrow,
            argtypes=[abi_type(_wide(t)) for t in sig.argtypes])
        return str(module) + assembly, symbol
    driver = ir.Function(module, ir.FunctionType(STATUS, [PTR, PTR, *[I64] * 6, *(
        abi_type(_wide(t)) for t in sig.argtypes)]), symbol)
    ret, msg, gx, gy, gz, bx, by, bz, *args = driver.args
    b = ir.IRBuilder(driver.append_basic_block("entry"))

    def store3(register: str, values) -> None:
        _store3(b, module, register, values)

    store3("nctaid", (gx, gy, gz))
    store3("ntid", (bx, by, bz))
    nblocks = b.mul(b.mul(gx, gy), gz)
    nthreads = b.mul(b.mul(bx, by), bz)
    entry = b.block
    block_loop = driver.append_basic_block("block")
    thread_loop = driver.append_basic_block("thread")
    thread_next = driver.append_basic_block("thread.next")
    block_next = driver.append_basic_block("block.next")
    done = driver.append_basic_block("done")
    failed = driver.append_basic_block("failed")
    zero, one = ir.Constant(I64, 0), ir.Constant(I64, 1)
    b.branch(block_loop)

    b.position_at_end(block_loop)
    blk = b.phi(I64, "block")
    blk.add_incoming(zero, entry)
    store3("ctaid", _unflatten(b, blk, gx, gy))
    b.branch(thread_loop)

    b.position_at_end(thread_loop)
    thr = b.phi(I64, "thread")
    thr.add_incoming(zero, block_loop)
    store3("tid", _unflatten(b, thr, bx, by))
    status = b.call(body, [ret, msg, *(_narrow(b, a, t) for a, t in zip(args, body.function_type.args[2:]))])
    b.cbranch(b.icmp_unsigned("!=", status, ir.Constant(STATUS, 0)), failed, thread_next)

    b.position_at_end(thread_next)
    thr_next = b.add(thr, one)
    thr.add_incoming(thr_next, thread_next)
    b.cbranch(b.icmp_unsigned("<", thr_next, nthreads), thread_loop, block_next)

    b.position_at_end(block_next)
    blk_next = b.add(blk, one)
    blk.add_incoming(blk_next, block_next)
    b.cbranch(b.icmp_unsigned("<", blk_next, nblocks), block_loop, done)

    b.position_at_end(done)
    b.ret(ir.Constant(STATUS, 0))
    b.position_at_end(failed)
    b.ret(status)
    return str(module), symbol


def _store3(b: ir.IRBuilder, module: ir.Module, register: str, values) -> None:
    """Set the emulator's copy of special register `register` to (x, y, z)."""
    gv = emulation_global(module, register)
    for k, v in enumerate(values):
        b.store(v, b.gep(gv, [ir.Constant(ir.IntType(32), 0), ir.Constant(ir.IntType(32), k)]))


def _wide(t: Type) -> Type:
    """Python passes ints as int64 and floats as float64; the driver narrows them for the kernel."""
    if isinstance(t, IntType) and t != BOOL:
        return I64_T
    if isinstance(t, FloatType):
        return F64_T
    return t


def _narrow(b: ir.IRBuilder, value: ir.Value, ty: ir.Type) -> ir.Value:
    if value.type == ty:
        return value
    if isinstance(ty, ir.IntType):
        return b.trunc(value, ty)
    return b.fptrunc(value, ty)


def _unflatten(b: ir.IRBuilder, i: ir.Value, nx: ir.Value, ny: ir.Value) -> tuple:
    """(x, y, z) of linear index `i` in an (nx, ny, ·) box, x fastest."""
    x = b.urem(i, nx)
    rest = b.udiv(i, nx)
    return x, b.urem(rest, ny), b.udiv(rest, ny)


def compile_emulation(kernel: Module, device_functions: list[Module], name: str, *,
                      boundscheck: bool = False, fastmath: bool = False) -> Callable:
    """A builtin `f(gx, gy, gz, bx, by, bz, *args)` that runs the whole launch on the CPU."""
    text, symbol = lower_emulation(kernel, device_functions, name, boundscheck=boundscheck,
                                   fastmath=fastmath)
    engine = get_engine()
    engine.add_ir(optimize(text))
    argtypes = native_signature(kernel.functions[0]).argtypes
    wrapper_ir, wrapper_symbol = abi.make_wrapper_ir(
        name, symbol, (*[I64_T] * 6, *map(_wide, argtypes)), NONE,
        argnames=(*DIMS, *(f"arg{i}" for i in range(len(argtypes)))),
        writable=(*[False] * 6, *(isinstance(t, ArrayType) for t in argtypes)))
    native.load_wrapper_support()
    engine.add_ir(wrapper_ir)
    return native.make_builtin(name, engine.address_of(wrapper_symbol), doc=None, keepalive=engine,
                               module=__name__)
