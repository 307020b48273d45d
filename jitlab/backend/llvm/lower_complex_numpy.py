"""NumPy's math on complex items: ordering, `maximum`/`minimum`, `**` and the complex ufuncs.

What NumPy computes, not what CPython's `cmath` does: no exception is ever raised (a domain
error gives an infinity or a NaN).

* Ordering is lexicographic, as NumPy's complex comparison loops define it: `a < b` is
  `(ar < br and neither imaginary part is NaN) or (ar == br and ai < bi)` (so any NaN part
  makes every ordering false).
* `maximum(a, b)` is `a` when `a` has a NaN part or `a >= b`, else `b` (`minimum` with `<=`):
  NaN propagates, the first one wins.  `min`/`max` reduce with them; `argmin`/`argmax`
  compare `ar < br or (ar == br and ai < bi)` and stop at the first item with a NaN part.
* `abs` is NumPy's loop, `l * sqrt(fma(s/l, s/l, 1))` (not C's `hypot`, which CPython's `abs`
  uses: they differ in the last bit for some items), in `lower_arrays_math.numpy_cabs`; `sign`
  is `z / hypot(re, im)` with NumPy's cases for zero, infinite and NaN parts.
* `**` is NumPy's `npy_cpow`: `b == 0` gives `1`, a zero base gives `0` for `b.real > 0`
  and NaN otherwise, an integral real exponent with `|b| < 100` multiplies (by squaring,
  then `1 / x` for a negative one), anything else calls C99 `cpow`.
* `sqrt exp log sin cos tan arcsin arccos arctan sinh cosh tanh` call the C library's C99
  functions (`csqrt`, …), as NumPy does on platforms that have them; `log2`/`log10` scale
  `clog`, `exp2` is `cexp(z * ln 2)`, `expm1` and `log1p` use NumPy's formulas.

complex64 items are computed in single precision (`csqrtf`, …), as NumPy does.  The C99
functions take and return complex values in registers, which LLVM IR spells per target:
x86-64 (System V) and AArch64 are supported; elsewhere these functions are a `LoweringError`.
"""
from __future__ import annotations

import math

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import ComplexType

from .irmodule import get_or_define
from .lower import FunctionLowerer
from .lower_complex import Math, make, parts

ORDER = {"<", "<=", ">", ">="}
C99_UNARY = {
    "sqrt": "csqrt", "exp": "cexp", "log": "clog", "sin": "csin", "cos": "ccos", "tan": "ctan",
    "arcsin": "casin", "arccos": "cacos", "arctan": "catan", "sinh": "csinh", "cosh": "ccosh",
    "tanh": "ctanh",
}
DERIVED_UNARY = {"log2", "log10", "exp2", "expm1", "log1p"}
UNARY = set(C99_UNARY) | DERIVED_UNARY


def _m(fl: FunctionLowerer, part: ir.Type) -> Math:
    return Math(fl.builder, fl.module, part, fl.float_flags)


def has_nan(fl: FunctionLowerer, z) -> ir.Value:
    b = fl.builder
    return b.or_(b.fcmp_unordered("uno", z[0], z[0]), b.fcmp_unordered("uno", z[1], z[1]))


def order(fl: FunctionLowerer, op: str, x, y) -> ir.Value:
    """NumPy's lexicographic `x op y` on (re, im) pairs (see the module doc)."""
    b = fl.builder
    (xr, xi), (yr, yi) = x, y
    strict = op.rstrip("=")
    no_nan = b.and_(b.fcmp_ordered("ord", xi, xi), b.fcmp_ordered("ord", yi, yi))
    first = b.and_(b.fcmp_ordered(strict, xr, yr), no_nan)
    return b.or_(first, b.and_(b.fcmp_ordered("==", xr, yr), b.fcmp_ordered(op, xi, yi)))


def extremum(fl: FunctionLowerer, op: str, values: list[ir.Value]) -> ir.Value:
    """NumPy's complex `maximum`/`minimum` of two complex values."""
    x, y = parts(fl, values[0]), parts(fl, values[1])
    keep = fl.builder.or_(has_nan(fl, x), order(fl, ">=" if op == "maximum" else "<=", x, y))
    return fl.builder.select(keep, values[0], values[1])


def arg_better(fl: FunctionLowerer, name: str, x, cur) -> ir.Value:
    """`argmin`/`argmax`: whether item `x` replaces the best so far `cur` (NumPy's loop)."""
    b = fl.builder
    (xr, xi), (cr, ci) = x, cur
    op = "<" if name == "argmin" else ">"
    lexi = b.or_(b.fcmp_ordered(op, xr, cr), b.and_(b.fcmp_ordered("==", xr, cr), b.fcmp_ordered(op, xi, ci)))
    return b.and_(b.or_(lexi, has_nan(fl, x)), b.not_(has_nan(fl, cur)))


def sort_less(b: ir.IRBuilder, x, y) -> ir.Value:
    """`x < y` in NumPy's sort order of complex (re, im) pairs: lexicographic, and
    `R + Rj < R + nanj < nan + Rj < nan + nanj` (npysort's complex `LT`)."""
    (xr, xi), (yr, yi) = x, y

    def nan(v):
        return b.fcmp_unordered("uno", v, v)

    def num(v):
        return b.fcmp_ordered("ord", v, v)

    below = b.or_(num(xi), nan(yi))  # xr < yr
    above = b.and_(nan(yi), num(xi))  # xr > yr
    tie = b.or_(b.fcmp_ordered("<", xi, yi), b.and_(nan(yi), num(xi)))  # equal reals, or both NaN
    same = b.or_(b.fcmp_ordered("==", xr, yr), b.and_(nan(xr), nan(yr)))
    return b.select(b.fcmp_ordered("<", xr, yr), below,
                    b.select(b.fcmp_ordered(">", xr, yr), above, b.select(same, tie, nan(yr))))


def fmax_keeps(fl: FunctionLowerer, op: str, x, y) -> ir.Value:
    """NumPy's complex `fmax(x, y)` (`fmin`: `op` "<=") keeps `x`: `x op y` in NumPy's complex
    order, or `y` has a NaN part."""
    return fl.builder.or_(order(fl, op, x, y), has_nan(fl, y))


# -- C99 complex functions ------------------------------------------------------------------
def _c99(fl: FunctionLowerer, name: str, *zs) -> tuple[ir.Value, ir.Value]:
    """`name(z, …)` of the C library on (re, im) pairs: double ones, or float ones (then the
    `float` version, `csqrtf`)."""
    b = fl.builder
    part = zs[0][0].type
    double = isinstance(part, ir.DoubleType)
    name = name if double else name + "f"
    arch = fl.target_arch
    pair = ir.LiteralStructType([part, part])
    vector = ir.VectorType(part, 2)
    i32 = ir.IntType(32)
    if arch == "x86_64" and double:  # System V: a complex double in two SSE registers
        params, args, ret = [part] * (2 * len(zs)), [v for z in zs for v in z], pair
    elif arch == "x86_64":  # a complex float in one SSE register, as <2 x float>
        params, ret = [vector] * len(zs), vector
        args = [b.insert_element(b.insert_element(ir.Constant(vector, None), z[0], i32(0)), z[1], i32(1))
                for z in zs]
    elif arch == "aarch64":  # AAPCS64: a homogeneous aggregate of two parts
        array = ir.ArrayType(part, 2)
        params, ret = [array] * len(zs), pair
        args = [b.insert_value(b.insert_value(ir.Constant(array, None), z[0], 0), z[1], 1) for z in zs]
    else:
        raise LoweringError(f"complex {name} needs the C library's complex functions, which jitlab calls "
                            f"on x86-64 and AArch64 only (this is {arch})", line=fl.line)
    result = b.call(fl.declare(name, ir.FunctionType(ret, params)), args)
    if ret is vector:
        return b.extract_element(result, i32(0)), b.extract_element(result, i32(1))
    return b.extract_value(result, 0), b.extract_value(result, 1)


def unary(fl: FunctionLowerer, op: str, value: ir.Value, t: ComplexType) -> ir.Value:
    """NumPy's complex ufunc `op` (one of `UNARY`) of one complex value of type `t`, in the
    precision of its parts (`csqrtf` for complex64, as NumPy)."""
    z = parts(fl, value)
    m = _m(fl, z[0].type)
    if op in C99_UNARY:
        return make(fl, t, *_c99(fl, C99_UNARY[op], z))
    if op in ("log2", "log10"):
        scale = m.const(math.log2(math.e) if op == "log2" else math.log10(math.e))
        re, im = _c99(fl, "clog", z)
        return make(fl, t, m.mul(re, scale), m.mul(im, scale))
    if op == "exp2":
        ln2 = m.const(math.log(2.0))
        return make(fl, t, *_c99(fl, "cexp", (m.mul(z[0], ln2), m.mul(z[1], ln2))))
    if op == "expm1":
        a = m.intrinsic("sin", m.div(z[1], m.const(2.0)))
        two_a2 = m.mul(m.mul(m.const(2.0), a), a)
        re = m.sub(m.mul(m.libm("expm1", z[0]), m.intrinsic("cos", z[1])), two_a2)
        im = m.mul(m.intrinsic("exp", z[0]), m.intrinsic("sin", z[1]))
        return make(fl, t, re, im)
    if op == "log1p":
        re1 = m.add(z[0], m.const(1.0))
        return make(fl, t, m.intrinsic("log", m.libm("hypot", re1, z[1])), m.libm("atan2", z[1], re1))
    raise LoweringError(f"cannot lower numpy.{op} on {t}", line=fl.line)


def power(fl: FunctionLowerer, x: ir.Value, y: ir.Value, t: ComplexType) -> ir.Value:
    """NumPy's `npy_cpow` (see the module doc) of two complex values of type `t`."""
    part = x.type.elements[0]
    result = fl.builder.call(_power_function(fl, part), [*parts(fl, x), *parts(fl, y)])
    return make(fl, t, fl.builder.extract_value(result, 0), fl.builder.extract_value(result, 1))


def _power_function(fl: FunctionLowerer, part: ir.Type) -> ir.Function:
    """`{P, P} jitlab.rt.npy_cpow.<P>(ar, ai, br, bi)`: NumPy's float or double version."""
    name = f"jitlab.rt.npy_cpow.{'f64' if isinstance(part, ir.DoubleType) else 'f32'}"
    pair = ir.LiteralStructType([part, part])

    def build(fn: ir.Function) -> None:
        ar, ai, br, bi = fn.args
        blocks = {n: fn.append_basic_block(n) for n in (
            "entry", "one", "zero_base", "small", "loop", "body", "after", "general")}
        saved = fl.builder
        b = fl.builder = ir.IRBuilder(blocks["entry"])
        try:
            m = _m(fl, part)
            zero, one = m.const(0.0), m.const(1.0)

            def ret(re, im):
                b.ret(b.insert_value(b.insert_value(ir.Constant(pair, None), re, 0), im, 1))

            exp_zero = b.and_(b.fcmp_ordered("==", br, zero), b.fcmp_ordered("==", bi, zero))
            b.cbranch(exp_zero, blocks["one"], blocks["zero_base"])
            b.position_at_end(blocks["one"])
            ret(one, zero)
            b.position_at_end(blocks["zero_base"])
            base_zero = b.and_(b.fcmp_ordered("==", ar, zero), b.fcmp_ordered("==", ai, zero))
            nan = m.const(math.nan)
            with b.if_then(base_zero, likely=False):
                positive = b.fcmp_ordered(">", br, zero)
                ret(b.select(positive, zero, nan), b.select(positive, zero, nan))
            in_range = b.and_(b.fcmp_ordered(">", br, m.const(-100.0)),
                              b.fcmp_ordered("<", br, m.const(100.0)))
            small = b.and_(b.fcmp_ordered("==", bi, zero), in_range)
            small = b.and_(small, b.fcmp_ordered("==", br, m.intrinsic("trunc", br)))
            b.cbranch(small, blocks["small"], blocks["general"])
            # an integral exponent: x ** |n| by squaring, 1 / that for a negative n (cmul, cdiv)
            b.position_at_end(blocks["small"])
            i64 = ir.IntType(64)
            n = b.fptosi(br, i64)
            count = b.select(b.icmp_signed("<", n, i64(0)), b.neg(n), n)
            b.branch(blocks["loop"])
            b.position_at_end(blocks["loop"])
            mask, r_re, r_im, p_re, p_im = (b.phi(ty) for ty in (i64, part, part, part, part))
            for phi, v in zip((mask, r_re, r_im, p_re, p_im), (i64(1), one, zero, ar, ai)):
                phi.add_incoming(v, blocks["small"])
            b.cbranch(b.icmp_signed(">=", count, mask), blocks["body"], blocks["after"])
            b.position_at_end(blocks["body"])
            bit = b.icmp_unsigned("!=", b.and_(count, mask), i64(0))
            rp = _cmul(m, (r_re, r_im), (p_re, p_im))
            pp = _cmul(m, (p_re, p_im), (p_re, p_im))
            for phi, v in zip((mask, r_re, r_im, p_re, p_im),
                              (b.shl(mask, i64(1)), b.select(bit, rp[0], r_re), b.select(bit, rp[1], r_im),
                               *pp)):
                phi.add_incoming(v, blocks["body"])
            b.branch(blocks["loop"])
            b.position_at_end(blocks["after"])
            # NumPy unrolls n = 1, 2, 3 (no product with 1 + 0j: inf and signed zeros stay)
            two = _cmul(m, (ar, ai), (ar, ai))
            three = _cmul(m, (ar, ai), two)
            is1, is2, is3 = (b.icmp_signed("==", n, i64(k)) for k in (1, 2, 3))
            re = b.select(is1, ar, b.select(is2, two[0], b.select(is3, three[0], r_re)))
            im = b.select(is1, ai, b.select(is2, two[1], b.select(is3, three[1], r_im)))
            q = _cdiv(fl, m, (one, zero), (re, im))
            negative = b.fcmp_ordered("<", br, zero)
            ret(b.select(negative, q[0], re), b.select(negative, q[1], im))
            b.position_at_end(blocks["general"])
            ret(*_c99(fl, "cpow", (ar, ai), (br, bi)))
        finally:
            fl.builder = saved
    return get_or_define(fl.module, name, ir.FunctionType(pair, [part] * 4), build)


def _cmul(m: Math, a, b):
    (ar, ai), (br, bi) = a, b
    return m.sub(m.mul(ar, br), m.mul(ai, bi)), m.add(m.mul(ar, bi), m.mul(ai, br))


def _cdiv(fl: FunctionLowerer, m: Math, a, c):
    """NumPy's `cdiv` (Smith's method; a zero divisor gives inf or nan parts)."""
    b = fl.builder
    (ar, ai), (br, bi) = a, c
    abs_br, abs_bi = m.fabs(br), m.fabs(bi)
    by_real = b.fcmp_ordered(">=", abs_br, abs_bi)
    both_zero = b.and_(b.fcmp_ordered("==", abs_br, m.const(0.0)), b.fcmp_ordered("==", abs_bi, m.const(0.0)))
    rat1 = m.div(bi, br)
    scl1 = m.div(m.const(1.0), m.add(br, m.mul(bi, rat1)))
    re1, im1 = m.mul(m.add(ar, m.mul(ai, rat1)), scl1), m.mul(m.sub(ai, m.mul(ar, rat1)), scl1)
    rat2 = m.div(br, bi)
    scl2 = m.div(m.const(1.0), m.add(bi, m.mul(br, rat2)))
    re2, im2 = m.mul(m.add(m.mul(ar, rat2), ai), scl2), m.mul(m.sub(m.mul(ai, rat2), ar), scl2)
    re = b.select(by_real, b.select(both_zero, m.div(ar, abs_br), re1), re2)
    im = b.select(by_real, b.select(both_zero, m.div(ai, abs_bi), im1), im2)
    return re, im


__all__ = ["ORDER", "UNARY", "arg_better", "extremum", "fmax_keeps", "has_nan", "order", "power", "sort_less",
           "unary"]
