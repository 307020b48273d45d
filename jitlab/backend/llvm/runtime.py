"""Small helper functions emitted into each LLVM module that needs them (internal linkage).

They are written with the IR builder rather than called from a C runtime so a
module stays self-contained: the JIT needs no extra library, and PIXIE bitcode
re-JITs anywhere.
"""
from __future__ import annotations

from llvmlite import ir


def integer_power(module: ir.Module, ty: ir.IntType) -> ir.Function:
    """`jitlab.rt.ipow.iN(base, exp)` for `exp >= 0`, by repeated squaring (wraps on overflow)."""
    name = f"jitlab.rt.ipow.i{ty.width}"
    if name in module.globals:
        return module.globals[name]
    fn = ir.Function(module, ir.FunctionType(ty, [ty, ty]), name)
    fn.linkage = "internal"
    base, exp = fn.args
    entry, loop, done = (fn.append_basic_block(name) for name in ("entry", "loop", "done"))
    b = ir.IRBuilder(entry)
    zero, one = ir.Constant(ty, 0), ir.Constant(ty, 1)
    b.cbranch(b.icmp_signed("==", exp, zero), done, loop)
    b.position_at_end(loop)
    acc = b.phi(ty, "acc")
    cur = b.phi(ty, "base")
    e = b.phi(ty, "exp")
    odd = b.icmp_unsigned("!=", b.and_(e, one), zero)
    acc2 = b.select(odd, b.mul(acc, cur), acc)
    e2 = b.lshr(e, one)
    cur2 = b.mul(cur, cur)
    acc.add_incoming(one, entry)
    cur.add_incoming(base, entry)
    e.add_incoming(exp, entry)
    acc.add_incoming(acc2, loop)
    cur.add_incoming(cur2, loop)
    e.add_incoming(e2, loop)
    b.cbranch(b.icmp_unsigned("!=", e2, zero), loop, done)
    b.position_at_end(done)
    result = b.phi(ty, "result")
    result.add_incoming(one, entry)
    result.add_incoming(acc2, loop)
    b.ret(result)
    return fn
