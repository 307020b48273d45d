"""Lowering of the `math` functions beyond the basic ones in `lower_calls`.

Float functions call libm (glibc's results are CPython's: CPython calls the same libm for all
of these) and raise what CPython's `math` module raises: a domain check before the call
(`ValueError`, CPython's message, which shows the argument on 3.14), and for the functions
that can overflow, an infinite result from a finite argument is `OverflowError("math range
error")`.  Integer functions (`gcd`, `factorial`, `isqrt`) work on int64; `factorial(n)` for
`n > 20` does not fit and raises `OverflowError` (jitlab's int64 message); `gamma`, `lgamma`,
`comb`, `perm`, `lcm` and `fsum` are in `lower_math_special`.
"""
from __future__ import annotations

import functools
import math

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import F64 as F64_T, I64 as I64_T, Type

from . import lower_math_special as special
from . import messages as msg
from .irmodule import get_or_define, internal_global
from .lower import F64, I1, I64, FunctionLowerer
from .lower_arith import is_inf, is_int
from .signature import llvm_type

# name -> (domain check, can overflow); a domain check is (kind, message, message for an int arg)
_OPEN_UNIT = ("open_unit", msg.ATANH_DOMAIN, msg.ATANH_DOMAIN)
UNARY = {
    "asin": (("unit", msg.ASIN_DOMAIN, msg.ASIN_DOMAIN), False),
    "acos": (("unit", msg.ASIN_DOMAIN, msg.ASIN_DOMAIN), False),
    "atan": (None, False),
    "sinh": (None, True), "cosh": (None, True), "tanh": (None, False),
    "asinh": (None, False),
    "acosh": (("at_least_one", msg.ACOSH_DOMAIN, msg.ACOSH_DOMAIN), False),
    "atanh": (_OPEN_UNIT, False),
    "log10": (("positive", msg.LOG_DOMAIN, msg.LOG_DOMAIN_INT), False),
    "log2": (("positive", msg.LOG_DOMAIN, msg.LOG_DOMAIN_INT), False),
    "log1p": (("above_minus_one", msg.LOG1P_DOMAIN, msg.LOG1P_DOMAIN), False),
    "expm1": (None, True), "exp2": (None, True),
    "erf": (None, False), "erfc": (None, False), "cbrt": (None, False),
}
# one multiplication, as CPython's degrees()/radians() do
_SCALE = {"degrees": 180.0 / math.pi, "radians": math.pi / 180.0}


def call_math(fl: FunctionLowerer, name: str, node, args, in_types, rt: Type):
    bld = fl.builder
    if name in UNARY:
        return _unary(fl, name, args[0], in_types[0])
    if name in _SCALE:
        return bld.fmul(_f64(fl, args[0], in_types[0]), ir.Constant(F64, _SCALE[name]))
    if name == "isfinite":
        if is_int(in_types[0]):
            return ir.Constant(I1, 1)
        x = _f64(fl, args[0], in_types[0])
        return bld.fcmp_ordered("<", bld.call(fl.intrinsic("fabs", F64), [x]), ir.Constant(F64, math.inf))
    if name == "copysign":
        xs = [_f64(fl, a, t) for a, t in zip(args, in_types)]
        return bld.call(fl.intrinsic("copysign", F64, 2), xs)
    if name in ("fmod", "remainder"):
        return _fmod(fl, *(_f64(fl, a, t) for a, t in zip(args, in_types)), name)
    if name == "ldexp":
        return _ldexp(fl, _f64(fl, args[0], in_types[0]), fl.cast(args[1], in_types[1], I64_T))
    if name == "frexp":
        return _frexp(fl, _f64(fl, args[0], in_types[0]), rt)
    if name == "modf":
        return _modf(fl, _f64(fl, args[0], in_types[0]), rt)
    if name == "isclose":
        return _isclose(fl, node, args, in_types)
    if name == "gcd":
        return _gcd(fl, [fl.cast(a, t, I64_T) for a, t in zip(args, in_types)])
    if name == "factorial":
        return _factorial(fl, fl.cast(args[0], in_types[0], I64_T))
    if name == "isqrt":
        return _isqrt(fl, fl.cast(args[0], in_types[0], I64_T))
    if name in ("gamma", "lgamma"):
        return special.gamma(fl, _f64(fl, args[0], in_types[0]), lgamma=name == "lgamma")
    if name in ("comb", "perm", "lcm"):
        ints = [fl.cast(a, t, I64_T) for a, t in zip(args, in_types)]
        if name == "lcm":
            return special.lcm(fl, ints)
        if name == "perm" and len(ints) == 1:  # n!, with perm's message for a negative n
            fl.raise_if(fl.builder.icmp_signed("<", ints[0], ir.Constant(I64, 0)), ValueError,
                        msg.PERM_ONE_NEGATIVE)
            return _factorial(fl, ints[0])
        return (special.comb if name == "comb" else special.perm)(fl, *ints)
    raise LoweringError(f"cannot lower math.{name}", line=fl.line)


def _f64(fl: FunctionLowerer, value, t: Type):
    return fl.cast(value, t, F64_T)


def _libm(fl: FunctionLowerer, name: str, *xs):
    return fl.builder.call(fl.declare(name, ir.FunctionType(F64, [F64] * len(xs))), list(xs))


def _unary(fl: FunctionLowerer, name: str, value, t: Type):
    bld = fl.builder
    x = _f64(fl, value, t)
    domain, overflows = UNARY[name]
    if domain is not None:
        kind, message, int_message = domain
        one, zero = ir.Constant(F64, 1.0), ir.Constant(F64, 0.0)
        fabs = bld.call(fl.intrinsic("fabs", F64), [x])
        bad = {"unit": lambda: bld.fcmp_ordered(">", fabs, one),
               "open_unit": lambda: bld.fcmp_ordered(">=", fabs, one),
               "at_least_one": lambda: bld.fcmp_ordered("<", x, one),
               "positive": lambda: bld.fcmp_ordered("<=", x, zero),
               "above_minus_one": lambda: bld.fcmp_ordered("<=", x, ir.Constant(F64, -1.0))}[kind]()
        fl.raise_if(bad, ValueError, int_message if is_int(t) else message, x)
    result = _libm(fl, name, x)
    if overflows:
        finite = bld.fcmp_ordered("<", bld.call(fl.intrinsic("fabs", F64), [x]), ir.Constant(F64, math.inf))
        fl.raise_if(bld.and_(is_inf(fl, result), finite), OverflowError, msg.MATH_RANGE)
    return result


def _fmod(fl: FunctionLowerer, x, y, name: str = "fmod"):
    """CPython's fmod (and remainder, exact in C99 too): NaN from non-NaN arguments (y == 0, x
    infinite) is a domain error."""
    bld = fl.builder
    result = _libm(fl, name, x, y)
    args_ordered = bld.fcmp_ordered("ord", x, y)
    fl.raise_if(bld.and_(bld.fcmp_unordered("uno", result, result), args_ordered), ValueError,
                msg.MATH_DOMAIN)
    return result


def _ldexp(fl: FunctionLowerer, x, e):
    """`ldexp(x, e)`: the exponent clamped into C int range first (the result is 0 or inf then)."""
    bld = fl.builder
    i32 = ir.IntType(32)
    lo, hi = ir.Constant(I64, -100000), ir.Constant(I64, 100000)
    e = bld.select(bld.icmp_signed("<", e, lo), lo, bld.select(bld.icmp_signed(">", e, hi), hi, e))
    result = bld.call(fl.declare("ldexp", ir.FunctionType(F64, [F64, i32])), [x, bld.trunc(e, i32)])
    finite = bld.fcmp_ordered("<", bld.call(fl.intrinsic("fabs", F64), [x]), ir.Constant(F64, math.inf))
    fl.raise_if(bld.and_(is_inf(fl, result), finite), OverflowError, msg.MATH_RANGE)
    return result


def _pair(fl: FunctionLowerer, rt: Type, first, second):
    value = ir.Constant(llvm_type(rt), None)
    value = fl.builder.insert_value(value, first, 0)
    return fl.builder.insert_value(value, second, 1)


def _frexp(fl: FunctionLowerer, x, rt: Type):
    """`(m, e)` with libm's frexp; CPython gives `(x, 0)` for infinities and NaN."""
    bld = fl.builder
    i32 = ir.IntType(32)
    slot = fl.alloca(i32, name="frexp.e")
    m = bld.call(fl.declare("frexp", ir.FunctionType(F64, [F64, slot.type])), [x, slot])
    finite = bld.fcmp_ordered("<", bld.call(fl.intrinsic("fabs", F64), [x]), ir.Constant(F64, math.inf))
    e = bld.select(finite, bld.sext(bld.load(slot), I64), ir.Constant(I64, 0))
    return _pair(fl, rt, bld.select(finite, m, x), e)


def _modf(fl: FunctionLowerer, x, rt: Type):
    """`(fractional, integral)`, both with the sign of x (libm's modf, as CPython)."""
    bld = fl.builder
    slot = fl.alloca(F64, name="modf.i")
    frac = bld.call(fl.declare("modf", ir.FunctionType(F64, [F64, slot.type])), [x, slot])
    return _pair(fl, rt, frac, bld.load(slot))


def _isclose(fl: FunctionLowerer, node, args, in_types):
    """CPython's isclose: equal, else both finite and |a - b| within rel_tol or abs_tol."""
    bld = fl.builder
    names = ("a", "b", "rel_tol", "abs_tol")
    kwnames = node.attr("kwnames") or ()
    values = {"rel_tol": ir.Constant(F64, 1e-09), "abs_tol": ir.Constant(F64, 0.0)}
    npos = len(args) - len(kwnames)
    for i, (arg, t) in enumerate(zip(args, in_types)):
        values[names[i] if i < npos else kwnames[i - npos]] = _f64(fl, arg, t)
    a, b, rel_tol, abs_tol = (values[n] for n in names)
    zero = ir.Constant(F64, 0.0)
    negative = bld.or_(bld.fcmp_ordered("<", rel_tol, zero), bld.fcmp_ordered("<", abs_tol, zero))
    fl.raise_if(negative, ValueError, msg.ISCLOSE_TOLERANCE)
    fabs = fl.intrinsic("fabs", F64)
    diff = bld.call(fabs, [bld.fsub(b, a)])
    near = bld.or_(bld.fcmp_ordered("<=", diff, bld.call(fabs, [bld.fmul(rel_tol, b)])),
                   bld.fcmp_ordered("<=", diff, bld.call(fabs, [bld.fmul(rel_tol, a)])))
    near = bld.or_(near, bld.fcmp_ordered("<=", diff, abs_tol))
    near = bld.and_(near, bld.not_(bld.or_(is_inf(fl, a), is_inf(fl, b))))
    return bld.or_(bld.fcmp_ordered("==", a, b), near)


def _gcd_function(module: ir.Module) -> ir.Function:
    """`jitlab.rt.gcd.i64(a, b)`: Euclid on the magnitudes as unsigned numbers."""
    name = "jitlab.rt.gcd.i64"
    return get_or_define(module, name, ir.FunctionType(I64, [I64, I64]),
                         functools.partial(_write_gcd_function, module))


def _write_gcd_function(module: ir.Module, fn: ir.Function) -> None:
    entry, loop, done = (fn.append_basic_block(n) for n in ("entry", "loop", "done"))
    b = ir.IRBuilder(entry)
    zero = ir.Constant(I64, 0)

    def magnitude(v):
        return b.select(b.icmp_signed("<", v, zero), b.sub(zero, v), v)

    a0, b0 = magnitude(fn.args[0]), magnitude(fn.args[1])
    b.cbranch(b.icmp_unsigned("==", b0, zero), done, loop)
    b.position_at_end(loop)
    x, y = b.phi(I64, "x"), b.phi(I64, "y")
    r = b.urem(x, y)
    x.add_incoming(a0, entry)
    y.add_incoming(b0, entry)
    x.add_incoming(y, loop)
    y.add_incoming(r, loop)
    b.cbranch(b.icmp_unsigned("==", r, zero), done, loop)
    b.position_at_end(done)
    result = b.phi(I64, "gcd")
    result.add_incoming(a0, entry)
    result.add_incoming(y, loop)
    b.ret(result)


def _gcd(fl: FunctionLowerer, xs):
    if not xs:
        return ir.Constant(I64, 0)
    fn = _gcd_function(fl.module)
    result = fl.builder.call(fn, [xs[0], ir.Constant(I64, 0)])
    for x in xs[1:]:
        result = fl.builder.call(fn, [result, x])
    return result


_FACTORIALS = [math.factorial(n) for n in range(21)]  # 20! is the last that fits int64


def _factorial(fl: FunctionLowerer, n):
    bld = fl.builder
    fl.raise_if(bld.icmp_signed("<", n, ir.Constant(I64, 0)), ValueError, msg.FACTORIAL_NEGATIVE)
    fl.raise_if(bld.icmp_signed(">", n, ir.Constant(I64, 20)), OverflowError, msg.INT_OVERFLOW)
    table_type = ir.ArrayType(I64, len(_FACTORIALS))
    table = internal_global(fl.module, "jitlab.rt.factorials", table_type,
                            ir.Constant(table_type, _FACTORIALS), constant=True)
    return bld.load(bld.gep(table, [ir.Constant(I64, 0), n], inbounds=True))


def _isqrt(fl: FunctionLowerer, n):
    """The float square root, corrected by one step either way (exact for every int64)."""
    bld = fl.builder
    fl.raise_if(bld.icmp_signed("<", n, ir.Constant(I64, 0)), ValueError, msg.ISQRT_NEGATIVE)
    root = bld.fptoui(bld.call(fl.intrinsic("sqrt", F64), [bld.uitofp(n, F64)]), I64)
    one = ir.Constant(I64, 1)
    root = bld.select(bld.icmp_unsigned(">", bld.mul(root, root), n), bld.sub(root, one), root)
    up = bld.add(root, one)
    return bld.select(bld.icmp_unsigned("<=", bld.mul(up, up), n), up, root)


_I128 = ir.IntType(128)


def _mulmod_function(module: ir.Module) -> ir.Function:
    """`jitlab.rt.mulmod(x, y, m)`: x*y mod m for x, y < m <= 2**63 as unsigned int64s, by doubling
    (no 128-bit division: the JIT links no compiler-rt)."""
    name = "jitlab.rt.mulmod"
    return get_or_define(module, name, ir.FunctionType(I64, [I64, I64, I64]),
                         functools.partial(_write_mulmod_function, module))


def _write_mulmod_function(module: ir.Module, fn: ir.Function) -> None:
    x, y, m = fn.args
    entry, loop, done = (fn.append_basic_block(n) for n in ("entry", "loop", "done"))
    b = ir.IRBuilder(entry)
    zero, one = ir.Constant(I64, 0), ir.Constant(I64, 1)
    b.branch(loop)
    b.position_at_end(loop)
    acc, bit = b.phi(I64, "acc"), b.phi(I64, "bit")

    def reduce(v):  # v < 2*m: one subtraction
        return b.select(b.icmp_unsigned(">=", v, m), b.sub(v, m), v)

    doubled = reduce(b.shl(acc, one))
    set_ = b.icmp_unsigned("!=", b.and_(b.lshr(y, bit), one), zero)
    acc2 = b.select(set_, reduce(b.add(doubled, x)), doubled)
    acc.add_incoming(zero, entry)
    bit.add_incoming(ir.Constant(I64, 63), entry)
    acc.add_incoming(acc2, loop)
    bit.add_incoming(b.sub(bit, one), loop)
    b.cbranch(b.icmp_unsigned("==", bit, zero), done, loop)
    b.position_at_end(done)
    b.ret(acc2)


def _powmod_function(module: ir.Module) -> ir.Function:
    """`jitlab.rt.powmod(a, e, m)`: a**e mod m for a < m, 1 <= m <= 2**63 (unsigned int64s)."""
    name = "jitlab.rt.powmod"
    return get_or_define(module, name, ir.FunctionType(I64, [I64, I64, I64]),
                         functools.partial(_write_powmod_function, module))


def _write_powmod_function(module: ir.Module, fn: ir.Function) -> None:
    base, exp, m = fn.args
    mulmod = _mulmod_function(module)
    entry, loop, done = (fn.append_basic_block(n) for n in ("entry", "loop", "done"))
    b = ir.IRBuilder(entry)
    zero, one = ir.Constant(I64, 0), ir.Constant(I64, 1)
    start = b.urem(one, m)
    b.cbranch(b.icmp_unsigned("==", exp, zero), done, loop)
    b.position_at_end(loop)
    acc, cur, e = b.phi(I64, "acc"), b.phi(I64, "base"), b.phi(I64, "exp")
    odd = b.icmp_unsigned("!=", b.and_(e, one), zero)
    acc2 = b.select(odd, b.call(mulmod, [acc, cur, m]), acc)
    cur2, e2 = b.call(mulmod, [cur, cur, m]), b.lshr(e, one)
    for phi, first, nxt in ((acc, start, acc2), (cur, base, cur2), (e, exp, e2)):
        phi.add_incoming(first, entry)
        phi.add_incoming(nxt, loop)
    b.cbranch(b.icmp_unsigned("!=", e2, zero), loop, done)
    b.position_at_end(done)
    result = b.phi(I64, "result")
    result.add_incoming(start, entry)
    result.add_incoming(acc2, loop)
    b.ret(result)


def _modinv_function(module: ir.Module) -> ir.Function:
    """`jitlab.rt.modinv(a, m)`: x in [0, m) with a*x = 1 mod m for a < m <= 2**63 (unsigned; the
    extended Euclid's coefficients in 128 bits, |x| <= m), or -1 when gcd(a, m) != 1."""
    name = "jitlab.rt.modinv"
    return get_or_define(module, name, ir.FunctionType(_I128, [I64, I64]),
                         functools.partial(_write_modinv_function, module))


def _write_modinv_function(module: ir.Module, fn: ir.Function) -> None:
    a, m = fn.args
    entry, loop, done = (fn.append_basic_block(n) for n in ("entry", "loop", "done"))
    b = ir.IRBuilder(entry)
    zero, one = ir.Constant(_I128, 0), ir.Constant(_I128, 1)
    b.branch(loop)
    b.position_at_end(loop)
    old_r, r = b.phi(I64, "old_r"), b.phi(I64, "r")
    old_s, s = b.phi(_I128, "old_s"), b.phi(_I128, "s")
    last = b.icmp_unsigned("==", r, ir.Constant(I64, 0))
    safe_r = b.select(last, ir.Constant(I64, 1), r)
    q = b.udiv(old_r, safe_r)
    r2 = b.sub(old_r, b.mul(q, safe_r))
    s2 = b.sub(old_s, b.mul(b.zext(q, _I128), s))
    for phi, first, nxt in ((old_r, a, r), (r, m, r2), (old_s, one, s), (s, zero, s2)):
        phi.add_incoming(first, entry)
        phi.add_incoming(nxt, loop)
    b.cbranch(b.icmp_unsigned("==", r, ir.Constant(I64, 0)), done, loop)
    b.position_at_end(done)
    # r == 0: old_r is the gcd and old_s a's coefficient
    wide_m = b.zext(m, _I128)
    x = b.select(b.icmp_signed("<", old_s, zero), b.add(old_s, wide_m), old_s)
    x = b.select(b.icmp_signed(">=", x, wide_m), b.sub(x, wide_m), x)
    b.ret(b.select(b.icmp_unsigned("==", old_r, ir.Constant(I64, 1)), x, ir.Constant(_I128, -1)))


def power_modulo(fl: FunctionLowerer, a, e, m):
    """`pow(a, e, m)` of int64s: CPython's result (the sign of m), its ValueErrors for m == 0 and
    for a negative exponent whose base has no inverse modulo m."""
    bld = fl.builder
    zero = ir.Constant(I64, 0)
    fl.raise_if(bld.icmp_signed("==", m, zero), ValueError, msg.POW_MODULUS_ZERO)
    modulus = bld.select(bld.icmp_signed("<", m, zero), bld.neg(m), m)  # |m| as unsigned
    magnitude = bld.select(bld.icmp_signed("<", a, zero), bld.neg(a), a)
    rem = bld.urem(magnitude, modulus)
    flip = bld.and_(bld.icmp_signed("<", a, zero), bld.icmp_unsigned("!=", rem, zero))
    base = bld.select(flip, bld.sub(modulus, rem), rem)  # a mod |m|, in [0, |m|)
    negative = bld.icmp_signed("<", e, zero)
    one_mod = bld.icmp_unsigned("==", modulus, ir.Constant(I64, 1))
    inverse = bld.call(_modinv_function(fl.module), [base, modulus])
    invertible = bld.or_(one_mod, bld.icmp_signed(">=", inverse, ir.Constant(_I128, 0)))
    fl.raise_if(bld.and_(negative, bld.not_(invertible)), ValueError, msg.POW_NOT_INVERTIBLE)
    base = bld.select(negative, bld.select(one_mod, zero, bld.trunc(inverse, I64)), base)
    exponent = bld.select(negative, bld.neg(e), e)  # |e| as unsigned
    result = bld.call(_powmod_function(fl.module), [base, exponent, modulus])
    shift = bld.and_(bld.icmp_signed("<", m, zero), bld.icmp_unsigned("!=", result, zero))
    return bld.select(shift, bld.sub(result, modulus), result)


__all__ = ["call_math", "power_modulo", "UNARY"]
