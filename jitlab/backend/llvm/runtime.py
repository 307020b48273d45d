"""Small helper functions emitted into each LLVM module that needs them (internal linkage).

They are written with the IR builder rather than called from a C runtime so a
module stays self-contained: the JIT needs no extra library, and PIXIE bitcode
re-JITs anywhere.
"""
from __future__ import annotations

import functools
import math

from llvmlite import ir

from .irmodule import declare, get_or_define, internal_global


def integer_power(module: ir.Module, ty: ir.IntType) -> ir.Function:
    """`jitlab.rt.ipow.iN(base, exp)` for `exp >= 0`, by repeated squaring (wraps on overflow)."""
    name = f"jitlab.rt.ipow.i{ty.width}"
    return get_or_define(module, name, ir.FunctionType(ty, [ty, ty]),
                         functools.partial(_write_integer_power, ty))


def _write_integer_power(ty: ir.IntType, fn: ir.Function) -> None:
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



def checked_integer_power(module: ir.Module, ty: ir.IntType) -> ir.Function:
    """`{iN, i1} jitlab.rt.ipow.checked.iN(base, exp)` for `exp >= 0`: the power and whether
    it overflowed (signed).  A square that overflows only counts when a later step uses it."""
    name = f"jitlab.rt.ipow.checked.i{ty.width}"
    i1 = ir.IntType(1)
    result_type = ir.LiteralStructType([ty, i1])

    def build(fn: ir.Function) -> None:
        base, exp = fn.args
        entry, loop, done = (fn.append_basic_block(n) for n in ("entry", "loop", "done"))
        b = ir.IRBuilder(entry)
        zero, one, no = ir.Constant(ty, 0), ir.Constant(ty, 1), ir.Constant(i1, 0)
        b.cbranch(b.icmp_signed("==", exp, zero), done, loop)
        b.position_at_end(loop)
        acc, cur, e, over = b.phi(ty, "acc"), b.phi(ty, "base"), b.phi(ty, "exp"), b.phi(i1, "overflow")
        odd = b.icmp_unsigned("!=", b.and_(e, one), zero)
        product = b.smul_with_overflow(acc, cur)
        acc2 = b.select(odd, b.extract_value(product, 0), acc)
        over2 = b.or_(over, b.and_(odd, b.extract_value(product, 1)))
        e2 = b.lshr(e, one)
        square = b.smul_with_overflow(cur, cur)
        more = b.icmp_unsigned("!=", e2, zero)
        over2 = b.or_(over2, b.and_(more, b.extract_value(square, 1)))
        for phi, start, step in ((acc, one, acc2), (cur, base, b.extract_value(square, 0)), (e, exp, e2),
                                 (over, no, over2)):
            phi.add_incoming(start, entry)
            phi.add_incoming(step, loop)
        b.cbranch(more, loop, done)
        b.position_at_end(done)
        value, flag = b.phi(ty, "result"), b.phi(i1, "overflowed")
        value.add_incoming(one, entry)
        value.add_incoming(acc2, loop)
        flag.add_incoming(no, entry)
        flag.add_incoming(over2, loop)
        pair = b.insert_value(ir.Constant(result_type, None), value, 0)
        b.ret(b.insert_value(pair, flag, 1))
    return get_or_define(module, name, ir.FunctionType(result_type, [ty, ty]), build)

def _libc(module: ir.Module, name: str, ret: ir.Type, params: list[ir.Type], var_arg: bool = False):
    return declare(module, name, ir.FunctionType(ret, params, var_arg=var_arg))


def _cstr(module: ir.Module, text: str) -> ir.Constant:
    data = bytearray(text.encode() + b"\0")
    ty = ir.ArrayType(ir.IntType(8), len(data))
    gv = internal_global(module, f"jitlab.rt.str.{text.encode().hex()}", ty, ir.Constant(ty, data),
                         constant=True, unnamed_addr=True)
    zero = ir.Constant(ir.IntType(32), 0)
    return gv.gep([zero, zero])  # i8*: strings of any length have one type


FLOAT_REPR_BYTES = 32  # longest repr of a double ("-2.2250738585072014e-308") plus room


def float_repr(module: ir.Module) -> ir.Function:
    """`void jitlab.rt.float_repr(ptr out, double x)`: `repr(x)` as CPython writes it, NUL-ended.

    Digits: the shortest decimal that reads back as `x` (what `repr` promises), found
    by trying 1, 2, … 17 significant digits with the C library's correctly rounded
    `snprintf("%.*e")` and `strtod`.  At each length the two decimals next to `x`
    are tried, nearest first: at a power of two the interval that reads back as `x`
    is lopsided, and only the farther neighbour may lie in it.  Layout: CPython's
    `float_repr_style = 'short'` rules (exponent form when the decimal point would
    sit more than 16 digits right or 4 left of the first digit, `.0` otherwise).
    `out` must hold `FLOAT_REPR_BYTES`.
    """
    name = "jitlab.rt.float_repr"
    i8, i32, i64, f64, ptr = ir.IntType(8), ir.IntType(32), ir.IntType(64), ir.DoubleType(), ir.PointerType()
    snprintf = _libc(module, "snprintf", i32, [ptr, i64, ptr], var_arg=True)
    strtod = _libc(module, "strtod", f64, [ptr, ptr])
    strtol = _libc(module, "strtol", i64, [ptr, ptr, i32])

    def build(fn: ir.Function) -> None:
        out, x = fn.args
        size = ir.Constant(i64, FLOAT_REPR_BYTES)
        blocks = {n: fn.append_basic_block(n) for n in (
            "entry", "special", "search", "below", "carry", "above", "next", "found", "strip", "stripped",
            "exp", "fixed", "small",
            "large", "middle")}
        b = ir.IRBuilder(blocks["entry"])
        tmp = b.alloca(i8, size=FLOAT_REPR_BYTES, name="tmp")
        digits = b.alloca(i8, size=FLOAT_REPR_BYTES, name="digits")
        fabs = _libc(module, "llvm.fabs.f64", f64, [f64])
        ax = b.call(fabs, [x])
        finite = b.fcmp_ordered("<", ax, ir.Constant(f64, math.inf))
        b.cbranch(finite, blocks["search"], blocks["special"])

        b.position_at_end(blocks["special"])  # nan, inf, -inf (never "-nan")
        text = b.select(b.fcmp_unordered("uno", x, x), _cstr(module, "nan"),
                        b.select(b.fcmp_ordered("<", x, ir.Constant(f64, 0.0)), _cstr(module, "-inf"),
                                 _cstr(module, "inf")))
        b.call(snprintf, [out, size, _cstr(module, "%s"), text])
        b.ret_void()

        b.position_at_end(blocks["search"])
        p = b.phi(i32, "precision")  # digits after the first
        p.add_incoming(ir.Constant(i32, 0), blocks["entry"])
        b.call(snprintf, [tmp, size, _cstr(module, "%.*e"), p, ax])
        near = b.call(strtod, [tmp, ir.Constant(ptr, None)])
        b.cbranch(b.fcmp_ordered("==", near, ax), blocks["found"], blocks["below"])
        b.position_at_end(blocks["next"])
        p.add_incoming(b.add(p, ir.Constant(i32, 1)), blocks["next"])
        b.branch(blocks["search"])  # 17 digits always read back
        # the nearest decimal lies below |x| and does not read back: try the one above it,
        # tmp's digits plus one unit in the last place (a carry out of the first digit gives up)
        b.position_at_end(blocks["below"])
        last = b.select(b.icmp_unsigned("==", p, ir.Constant(i32, 0)), ir.Constant(i64, 0),
                        b.add(b.zext(p, i64), ir.Constant(i64, 1)))
        b.cbranch(b.fcmp_ordered("<", near, ax), blocks["carry"], blocks["next"])
        b.position_at_end(blocks["carry"])
        i = b.phi(i64, "digit")
        i.add_incoming(last, blocks["below"])
        at = b.gep(tmp, [i], source_etype=i8)
        char = b.load(at, typ=i8)
        nine = b.icmp_unsigned("==", char, ir.Constant(i8, ord("9")))
        b.store(b.select(nine, ir.Constant(i8, ord("0")), b.add(char, ir.Constant(i8, 1))), at)
        prev = b.sub(i, ir.Constant(i64, 1))
        prev = b.select(b.icmp_signed("==", prev, ir.Constant(i64, 1)), ir.Constant(i64, 0), prev)  # skip '.'
        i.add_incoming(prev, blocks["carry"])
        carry_on = b.icmp_signed(">", i, ir.Constant(i64, 0))
        b.cbranch(b.and_(nine, carry_on), blocks["carry"], blocks["above"])
        b.position_at_end(blocks["above"])
        above = b.call(strtod, [tmp, ir.Constant(ptr, None)])
        b.cbranch(b.and_(b.not_(nine), b.fcmp_ordered("==", above, ax)), blocks["found"], blocks["next"])

        # tmp = "d[.ddd]e±XX" (of |x|): digits without the point, decimal exponent
        b.position_at_end(blocks["found"])
        negative = b.icmp_signed("<", b.bitcast(x, i64), ir.Constant(i64, 0))  # -0.0 too
        mantissa = tmp
        b.store(b.load(mantissa, typ=i8), digits)
        p64 = b.zext(p, i64)
        rest = b.gep(mantissa, [ir.Constant(i64, 2)], source_etype=i8)
        memcpy = _libc(module, "llvm.memcpy.p0.p0.i64", ir.VoidType(), [ptr, ptr, i64, ir.IntType(1)])
        after_first = b.gep(digits, [ir.Constant(i64, 1)], source_etype=i8)
        b.call(memcpy, [after_first, rest, p64, ir.Constant(ir.IntType(1), 0)])
        has_point = b.icmp_unsigned("!=", p, ir.Constant(i32, 0))
        e_at = b.select(has_point, b.add(p64, ir.Constant(i64, 3)), ir.Constant(i64, 2))  # just after 'e'
        exponent = b.trunc(b.call(strtol, [b.gep(mantissa, [e_at], source_etype=i8), ir.Constant(ptr, None),
                                           ir.Constant(i32, 10)]), i32)
        count = b.add(p, ir.Constant(i32, 1))
        b.branch(blocks["strip"])
        b.position_at_end(blocks["strip"])  # drop trailing zeros (a mirrored candidate may carry one)
        n = b.phi(i32, "ndigits")
        n.add_incoming(count, blocks["found"])
        last = b.load(b.gep(digits, [b.zext(b.sub(n, ir.Constant(i32, 1)), i64)], source_etype=i8), typ=i8)
        zero_tail = b.and_(b.icmp_unsigned("==", last, ir.Constant(i8, ord("0"))),
                           b.icmp_signed(">", n, ir.Constant(i32, 1)))
        n.add_incoming(b.sub(n, ir.Constant(i32, 1)), blocks["strip"])
        b.cbranch(zero_tail, blocks["strip"], blocks["stripped"])

        b.position_at_end(blocks["stripped"])
        b.store(ir.Constant(i8, 0), b.gep(digits, [b.zext(n, i64)], source_etype=i8))
        sign = b.select(negative, _cstr(module, "-"), _cstr(module, ""))
        decpt = b.add(exponent, ir.Constant(i32, 1))  # digits before the decimal point
        use_exp = b.or_(b.icmp_signed("<=", decpt, ir.Constant(i32, -4)),
                        b.icmp_signed(">", decpt, ir.Constant(i32, 16)))
        b.cbranch(use_exp, blocks["exp"], blocks["fixed"])

        b.position_at_end(blocks["exp"])  # 1e+16, 1.5e-05
        first = b.zext(b.load(digits, typ=i8), i32)
        point = b.select(b.icmp_signed(">", n, ir.Constant(i32, 1)), _cstr(module, "."), _cstr(module, ""))
        b.call(snprintf, [out, size, _cstr(module, "%s%c%s%se%+03d"), sign, first, point,
                          b.gep(digits, [ir.Constant(i64, 1)], source_etype=i8), exponent])
        b.ret_void()

        b.position_at_end(blocks["fixed"])
        b.cbranch(b.icmp_signed("<=", decpt, ir.Constant(i32, 0)), blocks["small"],
                  blocks["large"])
        b.position_at_end(blocks["small"])  # 0.000123
        b.call(snprintf, [out, size, _cstr(module, "%s0.%.*s%s"), sign, b.sub(ir.Constant(i32, 0), decpt),
                          _cstr(module, "000"), digits])
        b.ret_void()
        b.position_at_end(blocks["large"])
        b.cbranch(b.icmp_signed(">=", decpt, n), fn.append_basic_block("whole"), blocks["middle"])
        b.position_at_end(fn.blocks[-1])  # 1200.0
        b.call(snprintf, [out, size, _cstr(module, "%s%s%.*s.0"), sign, digits, b.sub(decpt, n),
                          _cstr(module, "0" * 16)])
        b.ret_void()
        b.position_at_end(blocks["middle"])  # 12.5
        b.call(snprintf, [out, size, _cstr(module, "%s%.*s.%s"), sign, decpt, digits,
                          b.gep(digits, [b.zext(decpt, i64)], source_etype=i8)])
        b.ret_void()
    return get_or_define(module, name, ir.FunctionType(ir.VoidType(), [ptr, f64]), build)


def int_true_divide(module: ir.Module) -> ir.Function:
    """`double jitlab.rt.itruediv(i64 a, i64 b)` for `b != 0`: `a / b` correctly rounded, as
    CPython's `long_true_divide` computes it (converting both to double first rounds twice
    once either is beyond 2**53).

    Both within 2**53: the doubles are exact, so one IEEE division rounds correctly.  Else
    long division of the magnitudes until the quotient has at least 56 bits, the remainder
    kept as a sticky bit below the rounding position; the conversion to double rounds that
    once (to nearest, ties to even) and scaling by a power of two is exact.
    """
    name = "jitlab.rt.itruediv"
    i64, f64 = ir.IntType(64), ir.DoubleType()

    def build(fn: ir.Function) -> None:
        a, b = fn.args
        entry, fast, slow, loop, done = (fn.append_basic_block(n)
                                         for n in ("entry", "fast", "slow", "loop", "done"))
        bld = ir.IRBuilder(entry)
        zero = i64(0)
        negative = bld.xor(bld.icmp_signed("<", a, zero), bld.icmp_signed("<", b, zero))
        ua = bld.select(bld.icmp_signed("<", a, zero), bld.sub(zero, a), a)  # |INT64_MIN| = 2**63 unsigned
        ub = bld.select(bld.icmp_signed("<", b, zero), bld.sub(zero, b), b)
        exact = bld.and_(bld.icmp_unsigned("<=", ua, i64(2**53)), bld.icmp_unsigned("<=", ub, i64(2**53)))
        bld.cbranch(bld.or_(exact, bld.icmp_unsigned("==", ua, zero)), fast, slow)
        bld.position_at_end(fast)
        bld.ret(bld.fdiv(bld.sitofp(a, f64), bld.sitofp(b, f64)))
        bld.position_at_end(slow)
        q0, r0 = bld.udiv(ua, ub), bld.urem(ua, ub)
        bld.branch(loop)
        bld.position_at_end(loop)
        q, r, e = bld.phi(i64, "q"), bld.phi(i64, "r"), bld.phi(i64, "e")
        q.add_incoming(q0, slow)
        r.add_incoming(r0, slow)
        e.add_incoming(zero, slow)
        enough = bld.icmp_unsigned(">=", q, i64(2**55))
        r2 = bld.shl(r, i64(1))  # r < ub <= 2**63: no bit is lost
        bit = bld.icmp_unsigned(">=", r2, ub)
        q.add_incoming(bld.or_(bld.shl(q, i64(1)), bld.zext(bit, i64)), loop)
        r.add_incoming(bld.select(bit, bld.sub(r2, ub), r2), loop)
        e.add_incoming(bld.add(e, i64(1)), loop)
        bld.cbranch(enough, done, loop)
        bld.position_at_end(done)
        sticky = bld.zext(bld.icmp_unsigned("!=", r, zero), i64)
        magnitude = bld.uitofp(bld.or_(q, sticky), f64)
        scale = bld.bitcast(bld.shl(bld.sub(i64(1023), e), i64(52)), f64)  # 2**-e, e <= 119
        result = bld.fmul(magnitude, scale)
        bld.ret(bld.select(negative, bld.fneg(result), result))
    return get_or_define(module, name, ir.FunctionType(f64, [i64, i64]), build)
