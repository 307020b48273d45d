"""The emulator's barrier: every thread of a block is a fiber, scheduled by LLVM IR made here.

A kernel that calls `cuda.syncthreads()` cannot run its threads one after another: thread 0
would pass the barrier before thread 1 reached it.  The driver built here gives each thread of a
block its own stack and schedules the threads cooperatively:

    for each block:
        give every thread a fresh context on its own stack
        repeat:
            for each runnable thread t:  set threadIdx, switch to t until it parks or returns
            if a thread failed:          stop the launch with its status (its exception)
            if no thread is parked:      the block is done
            release every parked thread  (they all reached the barrier, or returned)

`jitlab.emulate.syncthreads` (what the kernel calls for the barrier) parks the running thread
and switches back to the scheduler; the fiber's entry calls the kernel with the launch's
arguments (kept in a module global: launches hold the GIL, so one runs at a time) and reports
its status.  Special registers live in module globals (`lower_kernel.emulation_global`), and the
scheduler sets `tid` before each switch, so the kernel code is the one of the plain emulator.

Two ways to switch:

* x86-64: a 20-instruction switch in module-level assembly that saves the callee-saved
  registers, MXCSR and the x87 control word on the old stack and restores them from the new one
  (the System V ABI's whole callee-saved state), about 5 ns;
* elsewhere on Linux (aarch64, ...): glibc's ucontext (`swapcontext`), which also saves the
  signal mask with a system call per switch (about 0.5 µs).  Only the fields every LP64 glibc
  `ucontext_t` shares are touched (uc_link at 8, uc_stack at 16: ss_sp, ss_flags, ss_size);
  contexts get `CONTEXT_BYTES`, more than any architecture's `sizeof(ucontext_t)`.
"""
from __future__ import annotations

import platform
import sys
from collections.abc import Callable

from llvmlite import ir

from ..llvm.irmodule import declare
from ..llvm.signature import PTR, STATUS

I1, I8, I32, I64 = ir.IntType(1), ir.IntType(8), ir.IntType(32), ir.IntType(64)
VOID = ir.VoidType()
CONTEXT_BYTES = 8192  # sizeof(ucontext_t): 968 on x86-64, 4560 on aarch64 (glibc)
STACK_BYTES = 256 * 1024  # per thread; malloc'd, so untouched pages cost no memory
RUNNABLE, PARKED, DONE = 0, 1, 2
# MXCSR (all exceptions masked, round to nearest) and x87 control word (double extended, masked)
# as a new x86-64 fiber starts with them; the switch restores both from the stack.
X86_FP_CONTROL = 0x037F << 32 | 0x1F80


def supported() -> bool:
    """Fibers need x86-64 or glibc's ucontext (Linux on a 64-bit CPU)."""
    return sys.platform.startswith("linux") and sys.maxsize > 2**32


def native_switch() -> bool:
    """Whether the assembly switch serves this machine (else ucontext)."""
    return platform.machine().lower() in ("x86_64", "amd64")


def switch_assembly(name: str) -> str:
    """`void name(i64 *save_sp, i64 new_sp)`: save this fiber's state, continue the other one."""
    body = [
        ".text", f".globl {name}", f".type {name},@function", ".p2align 4", f"{name}:",
        "pushq %rbp", "pushq %rbx", "pushq %r12", "pushq %r13", "pushq %r14", "pushq %r15",
        "subq $8, %rsp", "stmxcsr (%rsp)", "fnstcw 4(%rsp)",
        "movq %rsp, (%rdi)", "movq %rsi, %rsp",
        "ldmxcsr (%rsp)", "fldcw 4(%rsp)", "addq $8, %rsp",
        "popq %r15", "popq %r14", "popq %r13", "popq %r12", "popq %rbx", "popq %rbp",
        "ret", f".size {name}, .-{name}",
    ]
    return "".join(f'module asm "{line}"\n' for line in body)


def _global(module: ir.Module, name: str, ty: ir.Type) -> ir.GlobalVariable:
    gv = ir.GlobalVariable(module, ty, name=f"jitlab.emulate.{name}")
    gv.linkage = "internal"
    gv.initializer = ir.Constant(ty, None)
    return gv


def _counted_loop(b: ir.IRBuilder, name: str, count: ir.Value, emit_body: Callable[[ir.Value], None]) -> None:
    """for i in range(count): emit_body(i)  (count >= 1)."""
    func = b.function
    before = b.block
    head = func.append_basic_block(f"{name}.head")
    after = func.append_basic_block(f"{name}.end")
    b.branch(head)
    b.position_at_end(head)
    i = b.phi(I64, name)
    i.add_incoming(ir.Constant(I64, 0), before)
    emit_body(i)
    nxt = b.add(i, ir.Constant(I64, 1))
    i.add_incoming(nxt, b.block)
    b.cbranch(b.icmp_unsigned("<", nxt, count), head, after)
    b.position_at_end(after)


class _Switch:
    """How contexts are made and switched: the base class is glibc's ucontext."""

    context_bytes = CONTEXT_BYTES

    def __init__(self, module: ir.Module):
        self.module = module
        self.scheduler = _global(module, "scheduler", ir.ArrayType(I8, self.context_bytes))
        self.scheduler.align = 16
        self.contexts = _global(module, "contexts", PTR)

    def context(self, b: ir.IRBuilder, t: ir.Value) -> ir.Value:
        base = b.load(self.contexts, typ=PTR)
        return b.gep(base, [b.mul(t, ir.Constant(I64, self.context_bytes))], source_etype=I8)

    def make(self, b: ir.IRBuilder, t: ir.Value, stack: ir.Value, entry: ir.Function) -> None:
        ctx = self.context(b, t)
        libc = self.module
        b.call(declare(libc, "getcontext", ir.FunctionType(I32, [PTR])), [ctx])

        def at(offset: int) -> ir.Value:
            return b.gep(ctx, [ir.Constant(I64, offset)], source_etype=I8)

        b.store(ir.Constant(PTR, None), at(8))  # uc_link: the entry never returns
        b.store(stack, at(16))  # uc_stack.ss_sp
        b.store(ir.Constant(I32, 0), at(24))  # uc_stack.ss_flags
        b.store(ir.Constant(I64, STACK_BYTES), at(32))  # uc_stack.ss_size
        makecontext = declare(libc, "makecontext", ir.FunctionType(VOID, [PTR, PTR, I32], var_arg=True))
        b.call(makecontext, [ctx, entry, ir.Constant(I32, 0)])

    def to_thread(self, b: ir.IRBuilder, t: ir.Value) -> None:
        swap = declare(self.module, "swapcontext", ir.FunctionType(I32, [PTR, PTR]))
        b.call(swap, [self.scheduler, self.context(b, t)])

    def to_scheduler(self, b: ir.IRBuilder, t: ir.Value) -> None:
        swap = declare(self.module, "swapcontext", ir.FunctionType(I32, [PTR, PTR]))
        b.call(swap, [self.context(b, t), self.scheduler])

    def leave(self, b: ir.IRBuilder, t: ir.Value) -> None:
        """Switch to the scheduler for good (the thread returned)."""
        b.call(declare(self.module, "setcontext", ir.FunctionType(I32, [PTR])), [self.scheduler])

    def assembly(self) -> str:
        return ""


class _NativeSwitch(_Switch):
    """x86-64: a context is the saved stack pointer; the state lies on the fiber's own stack."""

    context_bytes = 8

    def __init__(self, module: ir.Module, symbol: str):
        super().__init__(module)
        self.name = "jitlab_fiber_switch_" + "".join(c if c.isalnum() else "_" for c in symbol)
        self.switch = ir.Function(module, ir.FunctionType(VOID, [PTR, I64]), self.name)

    def make(self, b: ir.IRBuilder, t: ir.Value, stack: ir.Value, entry: ir.Function) -> None:
        # The frame the switch pops: FP control, r15 r14 r13 r12 rbx rbp, return address = entry,
        # then a dummy slot; after `ret`, rsp is 8 mod 16 as after a call.
        top = b.add(b.ptrtoint(stack, I64), ir.Constant(I64, STACK_BYTES))
        top = b.and_(top, ir.Constant(I64, -16))
        sp = b.sub(top, ir.Constant(I64, 72))
        slots = [ir.Constant(I64, X86_FP_CONTROL), *[ir.Constant(I64, 0)] * 6, b.ptrtoint(entry, I64),
                 ir.Constant(I64, 0)]
        base = b.inttoptr(sp, PTR)
        for k, value in enumerate(slots):
            b.store(value, b.gep(base, [ir.Constant(I64, k)], source_etype=I64))
        b.store(sp, self.context(b, t))

    def to_thread(self, b: ir.IRBuilder, t: ir.Value) -> None:
        b.call(self.switch, [self.scheduler, b.load(self.context(b, t), typ=I64)])

    def to_scheduler(self, b: ir.IRBuilder, t: ir.Value) -> None:
        b.call(self.switch, [self.context(b, t), b.load(self.scheduler, typ=I64)])

    def leave(self, b: ir.IRBuilder, t: ir.Value) -> None:
        self.to_scheduler(b, t)  # never resumed: the block's contexts are remade

    def assembly(self) -> str:
        return switch_assembly(self.name)


def lower_fiber_driver(module: ir.Module, body: ir.Function, symbol: str, *, store3: Callable,
                       unflatten: Callable, narrow: Callable, argtypes: list[ir.Type]) -> str:
    """Define `symbol(ret, msg, gx, gy, gz, bx, by, bz, *args) -> status`, running `body` per thread.

    Returns module-level assembly to append to the module's text (empty for ucontext)."""
    switch = _NativeSwitch(module, symbol) if native_switch() else _Switch(module)
    kernel_args = body.function_type.args[2:]
    launch_type = ir.LiteralStructType([PTR, PTR, *kernel_args])
    launch = _global(module, "launch", launch_type)  # ret, msg and the kernel's arguments
    states = _global(module, "states", PTR)
    current = _global(module, "current", I64)
    failed = _global(module, "failed", STATUS)

    def field(b: ir.IRBuilder, k: int) -> ir.Value:
        return b.gep(launch, [ir.Constant(I32, 0), ir.Constant(I32, k)], inbounds=True)

    def state_of(b: ir.IRBuilder, t: ir.Value) -> ir.Value:
        return b.gep(b.load(states, typ=PTR), [t], source_etype=I8)

    # The barrier: park the running thread, switch back to the scheduler.
    barrier = declare(module, "jitlab.emulate.syncthreads", ir.FunctionType(VOID, []))
    barrier.linkage = "internal"
    b = ir.IRBuilder(barrier.append_basic_block("entry"))
    t = b.load(current, typ=I64)
    b.store(ir.Constant(I8, PARKED), state_of(b, t))
    switch.to_scheduler(b, t)
    b.ret_void()

    # A fiber's entry: run the kernel for the thread the scheduler chose, report, switch back.
    entry = ir.Function(module, ir.FunctionType(VOID, []), "jitlab.emulate.fiber")
    entry.linkage = "internal"
    b = ir.IRBuilder(entry.append_basic_block("entry"))
    values = [b.load(field(b, k), typ=ty) for k, ty in enumerate((PTR, PTR, *kernel_args))]
    status = b.call(body, values)
    with b.if_then(b.icmp_unsigned("!=", status, ir.Constant(STATUS, 0))):
        b.store(status, failed)
    t = b.load(current, typ=I64)
    b.store(ir.Constant(I8, DONE), state_of(b, t))
    switch.leave(b, t)
    b.unreachable()

    # The driver.
    driver = ir.Function(module, ir.FunctionType(STATUS, [PTR, PTR, *[I64] * 6, *argtypes]), symbol)
    ret, msg, gx, gy, gz, bx, by, bz, *args = driver.args
    b = ir.IRBuilder(driver.append_basic_block("entry"))
    parked = b.alloca(I1, name="parked")
    b.store(ret, field(b, 0))
    b.store(msg, field(b, 1))
    for k, (a, ty) in enumerate(zip(args, kernel_args)):
        b.store(narrow(b, a, ty), field(b, 2 + k))
    store3(b, module, "nctaid", (gx, gy, gz))
    store3(b, module, "ntid", (bx, by, bz))
    b.store(ir.Constant(STATUS, 0), failed)
    nblocks = b.mul(b.mul(gx, gy), gz)
    nthreads = b.mul(b.mul(bx, by), bz)
    # Contexts, stacks and states are kept from launch to launch (grown when a block has more
    # threads): fresh stacks would cost page faults on every launch.
    capacity = _global(module, "capacity", I64)
    stacks = _global(module, "stacks", PTR)
    with b.if_then(b.icmp_unsigned(">", nthreads, b.load(capacity, typ=I64)), likely=False):
        malloc = declare(module, "malloc", ir.FunctionType(PTR, [I64]))
        free = declare(module, "free", ir.FunctionType(VOID, [PTR]))
        for gv, size in ((switch.contexts, switch.context_bytes), (stacks, STACK_BYTES), (states, 1)):
            b.call(free, [b.load(gv, typ=PTR)])
            b.store(b.call(malloc, [b.mul(nthreads, ir.Constant(I64, size))]), gv)
        b.store(nthreads, capacity)
    stack_memory = b.load(stacks, typ=PTR)
    finish = driver.append_basic_block("finish")

    def run_block(blk: ir.Value) -> None:
        store3(b, module, "ctaid", unflatten(b, blk, gx, gy))

        def make_fiber(t: ir.Value) -> None:
            stack = b.gep(stack_memory, [b.mul(t, ir.Constant(I64, STACK_BYTES))], source_etype=I8)
            switch.make(b, t, stack, entry)
            b.store(ir.Constant(I8, RUNNABLE), state_of(b, t))

        _counted_loop(b, "make", nthreads, make_fiber)
        round_head = driver.append_basic_block("round")
        b.branch(round_head)
        b.position_at_end(round_head)

        def resume(t: ir.Value) -> None:
            with b.if_then(b.icmp_unsigned("==", b.load(state_of(b, t), typ=I8), ir.Constant(I8, RUNNABLE))):
                b.store(t, current)
                store3(b, module, "tid", unflatten(b, t, bx, by))
                switch.to_thread(b, t)

        _counted_loop(b, "resume", nthreads, resume)
        release_block = driver.append_basic_block("release")
        b.cbranch(b.icmp_unsigned("!=", b.load(failed, typ=STATUS), ir.Constant(STATUS, 0)), finish,
                  release_block)
        b.position_at_end(release_block)
        b.store(ir.Constant(I1, 0), parked)

        def release(t: ir.Value) -> None:
            state = state_of(b, t)
            with b.if_then(b.icmp_unsigned("==", b.load(state, typ=I8), ir.Constant(I8, PARKED))):
                b.store(ir.Constant(I8, RUNNABLE), state)
                b.store(ir.Constant(I1, 1), parked)

        _counted_loop(b, "release", nthreads, release)
        block_done = driver.append_basic_block("block.done")
        b.cbranch(b.load(parked, typ=I1), round_head, block_done)
        b.position_at_end(block_done)

    _counted_loop(b, "block", nblocks, run_block)
    b.branch(finish)
    b.position_at_end(finish)
    b.ret(b.load(failed, typ=STATUS))
    return switch.assembly()


__all__ = ["CONTEXT_BYTES", "STACK_BYTES", "lower_fiber_driver", "native_switch", "supported"]
