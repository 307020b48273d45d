"""The stack check of recursive functions: deep recursion raises `RecursionError`, never crashes.

CPython stops runaway recursion at `sys.getrecursionlimit()` Python frames (1000 by default);
native recursion has no such guard, and running off the end of the thread's stack kills the
process (a Jupyter kernel with it).  Every λ of a φ (the only λs that can recurse) is lowered
under `SYMBOL.body` behind a checked entry `SYMBOL`:

    entry:  sp = frame address
            if depth == 0: base = sp                  ; the outermost call of this function
            if base - sp > STACK_BUDGET: raise RecursionError
            depth += 1; status = SYMBOL.body(...); depth -= 1
            return status

`depth` and `base` are internal globals of the function's module (jitted code holds the GIL, so
no two threads run it at once).  The budget counts bytes of stack, not calls, so it holds for
frames of any size: `STACK_BUDGET` (4 MiB) fits in the 8 MiB main-thread and default thread stacks
of Linux with room for what called the function.  A function recursing about 60,000 deep in 64-byte
frames reaches it (CPython's default limit is 1,000 calls).  Two different recursive groups that
recurse inside each other each get the budget, so threads with stacks below 8 MiB
(`threading.stack_size`) can still run out: documented in docs/ir.md.
"""
from __future__ import annotations

from llvmlite import ir

from . import excinfo
from .irmodule import declare
from .signature import STATUS

STACK_BUDGET = 4 << 20
MESSAGE = "maximum recursion depth exceeded (jitlab: recursion used over 4 MiB of stack)"
I64 = ir.IntType(64)


def checked_entry(module: ir.Module, symbol: str, body: ir.Function,
                  message: ir.GlobalVariable) -> ir.Function:
    """Define `symbol` (the type of `body`) as `body` behind the stack check above."""
    fn = declare(module, symbol, body.function_type)
    fn.linkage = "external"
    depth = _counter(module, f"{symbol}.depth")
    base = _counter(module, f"{symbol}.base")
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    frameaddress = declare(module, "llvm.frameaddress.p0",
                           ir.FunctionType(ir.PointerType(), [ir.IntType(32)]))
    sp = b.ptrtoint(b.call(frameaddress, [ir.Constant(ir.IntType(32), 0)]), I64, name="sp")
    level = b.load(depth, name="depth")
    with b.if_then(b.icmp_unsigned("==", level, ir.Constant(I64, 0))):
        b.store(sp, base)
    used = b.sub(b.load(base), sp, name="used")
    with b.if_then(b.icmp_signed(">", used, ir.Constant(I64, STACK_BUDGET)), likely=False):
        b.store(message, fn.args[1])
        b.ret(ir.Constant(STATUS, excinfo.code_of(RecursionError)))
    b.store(b.add(level, ir.Constant(I64, 1)), depth)
    status = b.call(body, list(fn.args))
    b.store(level, depth)
    b.ret(status)
    return fn


def _counter(module: ir.Module, name: str) -> ir.GlobalVariable:
    gv = ir.GlobalVariable(module, I64, name=name)
    gv.linkage = "internal"
    gv.initializer = ir.Constant(I64, 0)
    return gv
