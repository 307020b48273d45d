"""Lowering of complex numbers, bit for bit as CPython's `Objects/complexobject.c` computes them.

A complex value is the struct `{P re, P im}` of its parts (`P` = double for `c128`, float
for `c64`).  The algorithms follow CPython's, step by step, because differential tests
compare the bits:

* `*` is `(ar*br - ai*bi, ar*bi + ai*br)` (no fused multiply-add: the backend never
  contracts without `fastmath`);
* `/` is Smith's method as in `_Py_c_quot`: divide by whichever of `br`, `bi` is larger in
  magnitude; both zero raises `ZeroDivisionError` with CPython's message;
* `**` uses `c_powi` (repeated squaring, then `1 / x**n` for negative `n`) for an integral
  real exponent with `|n| <= 100`, else `_Py_c_pow` through libm's `hypot`, `pow`, `atan2`,
  `exp`, `log`, `cos`, `sin`; a zero base with a negative or complex exponent raises
  `ZeroDivisionError`, and so does an infinite phase (libm's `cos` sets `errno = EDOM`,
  which CPython reports alike); an infinite part of the result raises `OverflowError`
  (`_Py_ADJUST_ERANGE2`);
* `abs(z)` is `_Py_c_abs` (an infinite part wins over a NaN one; `hypot` overflowing
  raises `OverflowError`);
* `==` with an int compares the real part exactly (as `float == int` does) and needs a
  zero imaginary part.

CPython 3.14 changed complex arithmetic (C99 Annex G): a real operand of `+ - * /` no
longer becomes `complex(x, 0.0)` first (`(1+2j) * -0.0` keeps the sign of both zero
parts), and `*` and `/` recover infinities from a NaN result.  `ANNEX_G` selects the
semantics of the CPython that runs the compiler, as `messages.py` does for messages.
"""
from __future__ import annotations

import sys

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import C128, ArrayType, BoolType, ComplexType, FloatType, IntType, Type

from . import messages as msg
from .irmodule import declare, get_or_define
from .lower import FunctionLowerer
from .lower_arith import compare_values
from .signature import llvm_type

ANNEX_G = sys.version_info >= (3, 14)

STATUS_OK, STATUS_EDOM, STATUS_ERANGE = 0, 1, 2


class Math:
    """Float helpers over one builder (the lowered function's, or a runtime helper's)."""

    def __init__(self, builder: ir.IRBuilder, module: ir.Module, part: ir.Type, flags=()):
        self.b, self.module, self.ty, self.flags = builder, module, part, tuple(flags)

    def const(self, value: float) -> ir.Constant:
        return ir.Constant(self.ty, value)

    def add(self, x, y):
        return self.b.fadd(x, y, flags=self.flags)

    def sub(self, x, y):
        return self.b.fsub(x, y, flags=self.flags)

    def mul(self, x, y):
        return self.b.fmul(x, y, flags=self.flags)

    def div(self, x, y):
        return self.b.fdiv(x, y, flags=self.flags)

    def neg(self, x):
        return self.b.fneg(x, flags=self.flags)

    def _declare(self, name: str, nargs: int) -> ir.Function:
        return declare(self.module, name, ir.FunctionType(self.ty, [self.ty] * nargs))

    def intrinsic(self, name: str, *args):
        suffix = "f64" if isinstance(self.ty, ir.DoubleType) else "f32"
        return self.b.call(self._declare(f"llvm.{name}.{suffix}", len(args)), list(args))

    def libm(self, name: str, *args):
        """A libm function (`hypot`, `atan2`; `hypotf` for floats)."""
        suffix = "" if isinstance(self.ty, ir.DoubleType) else "f"
        return self.b.call(self._declare(name + suffix, len(args)), list(args))

    def fabs(self, x):
        return self.intrinsic("fabs", x)

    def copysign(self, x, y):
        return self.intrinsic("copysign", x, y)

    def isnan(self, x):
        return self.b.fcmp_unordered("uno", x, x)

    def isinf(self, x):
        return self.b.fcmp_ordered("==", self.fabs(x), self.const(float("inf")))

    def isfinite(self, x):
        return self.b.fcmp_ordered("<", self.fabs(x), self.const(float("inf")))

    def unit(self, x, when):
        """`copysign(isinf(x) ? 1 : 0, x)` where `when`, else `x` (Annex G's "box" step)."""
        one_or_zero = self.b.select(self.isinf(x), self.const(1.0), self.const(0.0))
        return self.b.select(when, self.copysign(one_or_zero, x), x)

    def zero_nan(self, x, when):
        """`copysign(0, x)` where `when` and `x` is NaN, else `x`."""
        return self.b.select(self.b.and_(when, self.isnan(x)), self.copysign(self.const(0.0), x), x)

    def either_nan_pair(self, re, im):
        return self.b.and_(self.isnan(re), self.isnan(im))

    # -- CPython's complex algorithms on (re, im) pairs ----------------------------------
    def prod(self, a, b):
        """`_Py_c_prod`, with 3.14's recovery of infinities from a NaN result."""
        (ar, ai), (br, bi) = a, b
        ac, bd, ad, bc = self.mul(ar, br), self.mul(ai, bi), self.mul(ar, bi), self.mul(ai, br)
        re, im = self.sub(ac, bd), self.add(ad, bc)
        if not ANNEX_G:
            return re, im
        bld = self.b
        a_inf = bld.or_(self.isinf(ar), self.isinf(ai))
        ar1, ai1 = self.unit(ar, a_inf), self.unit(ai, a_inf)
        br1, bi1 = self.zero_nan(br, a_inf), self.zero_nan(bi, a_inf)
        b_inf = bld.or_(self.isinf(br), self.isinf(bi))
        br2, bi2 = self.unit(br1, b_inf), self.unit(bi1, b_inf)
        ar2, ai2 = self.zero_nan(ar1, b_inf), self.zero_nan(ai1, b_inf)
        recalc = bld.or_(a_inf, b_inf)
        part_inf = bld.or_(bld.or_(self.isinf(ac), self.isinf(bd)), bld.or_(self.isinf(ad), self.isinf(bc)))
        part_inf = bld.and_(part_inf, bld.not_(recalc))
        ar3, ai3, br3, bi3 = (self.zero_nan(x, part_inf) for x in (ar2, ai2, br2, bi2))
        recalc = bld.and_(bld.or_(recalc, part_inf), self.either_nan_pair(re, im))
        inf = self.const(float("inf"))
        re2 = self.mul(inf, self.sub(self.mul(ar3, br3), self.mul(ai3, bi3)))
        im2 = self.mul(inf, self.add(self.mul(ar3, bi3), self.mul(ai3, br3)))
        return bld.select(recalc, re2, re), bld.select(recalc, im2, im)

    def smith_cases(self, br, bi):
        """Which part of the divisor Smith's method divides by: (real part larger, imaginary
        part larger, both zero); neither larger means a NaN part."""
        abr, abi = self.fabs(br), self.fabs(bi)
        real_larger = self.b.fcmp_ordered(">=", abr, abi)
        imag_larger = self.b.fcmp_ordered(">=", abi, abr)
        by_zero = self.b.and_(real_larger, self.b.fcmp_ordered("==", abr, self.const(0.0)))
        return real_larger, imag_larger, by_zero

    def quot(self, a, b):
        """`_Py_c_quot` (Smith's method): ((re, im), divides by zero)."""
        (ar, ai), (br, bi) = a, b
        bld = self.b
        real_larger, imag_larger, by_zero = self.smith_cases(br, bi)
        ratio1 = self.div(bi, br)
        denom1 = self.add(br, self.mul(bi, ratio1))
        re1 = self.div(self.add(ar, self.mul(ai, ratio1)), denom1)
        im1 = self.div(self.sub(ai, self.mul(ar, ratio1)), denom1)
        ratio2 = self.div(br, bi)
        denom2 = self.add(self.mul(br, ratio2), bi)
        re2 = self.div(self.add(self.mul(ar, ratio2), ai), denom2)
        im2 = self.div(self.sub(self.mul(ai, ratio2), ar), denom2)
        nan = self.const(float("nan"))
        re = bld.select(real_larger, re1, bld.select(imag_larger, re2, nan))
        im = bld.select(real_larger, im1, bld.select(imag_larger, im2, nan))
        if ANNEX_G:
            re, im = self.recover_quot(a, b, re, im)
        return (re, im), by_zero

    def recover_quot(self, a, b, re, im):
        """3.14's recovery of infinities and zeros that Smith's method computed as NaN."""
        (ar, ai), (br, bi) = a, b
        bld = self.b
        nan_result = self.either_nan_pair(re, im)
        inf, zero, one = self.const(float("inf")), self.const(0.0), self.const(1.0)
        b_finite = bld.and_(self.isfinite(br), self.isfinite(bi))
        a_finite = bld.and_(self.isfinite(ar), self.isfinite(ai))
        inf_top = bld.and_(bld.or_(self.isinf(ar), self.isinf(ai)), b_finite)
        inf_bottom = bld.and_(bld.or_(self.isinf(br), self.isinf(bi)), a_finite)
        x = self.copysign(bld.select(self.isinf(ar), one, zero), ar)
        y = self.copysign(bld.select(self.isinf(ai), one, zero), ai)
        re_top = self.mul(inf, self.add(self.mul(x, br), self.mul(y, bi)))
        im_top = self.mul(inf, self.sub(self.mul(y, br), self.mul(x, bi)))
        u = self.copysign(bld.select(self.isinf(br), one, zero), br)
        v = self.copysign(bld.select(self.isinf(bi), one, zero), bi)
        re_bottom = self.mul(zero, self.add(self.mul(ar, u), self.mul(ai, v)))
        im_bottom = self.mul(zero, self.sub(self.mul(ai, u), self.mul(ar, v)))
        top, bottom = bld.and_(nan_result, inf_top), bld.and_(nan_result, bld.not_(inf_top))
        bottom = bld.and_(bottom, inf_bottom)
        re = bld.select(top, re_top, bld.select(bottom, re_bottom, re))
        im = bld.select(top, im_top, bld.select(bottom, im_bottom, im))
        return re, im

    def real_quot(self, a, b):
        """3.14's `_Py_rc_quot`: real `a` over complex `b` ((re, im), divides by zero)."""
        br, bi = b
        bld = self.b
        real_larger, imag_larger, by_zero = self.smith_cases(br, bi)
        ratio1 = self.div(bi, br)
        denom1 = self.add(br, self.mul(bi, ratio1))
        re1, im1 = self.div(a, denom1), self.div(self.mul(self.neg(a), ratio1), denom1)
        ratio2 = self.div(br, bi)
        denom2 = self.add(self.mul(br, ratio2), bi)
        re2, im2 = self.div(self.mul(a, ratio2), denom2), self.div(self.neg(a), denom2)
        nan = self.const(float("nan"))
        re = bld.select(real_larger, re1, bld.select(imag_larger, re2, nan))
        im = bld.select(real_larger, im1, bld.select(imag_larger, im2, nan))
        zero, one = self.const(0.0), self.const(1.0)
        recover = bld.and_(self.either_nan_pair(re, im), self.isfinite(a))
        recover = bld.and_(recover, bld.or_(self.isinf(br), self.isinf(bi)))
        u = self.copysign(bld.select(self.isinf(br), one, zero), br)
        v = self.copysign(bld.select(self.isinf(bi), one, zero), bi)
        re = bld.select(recover, self.mul(zero, self.mul(a, u)), re)
        im = bld.select(recover, self.mul(zero, self.mul(self.neg(a), v)), im)
        return (re, im), by_zero

    def abs(self, z):
        """`_Py_c_abs`: (|z|, overflowed)."""
        re, im = z
        bld = self.b
        hyp = self.libm("hypot", re, im)
        re_inf, im_inf = self.isinf(re), self.isinf(im)
        any_nan = bld.or_(self.isnan(re), self.isnan(im))
        result = bld.select(re_inf, self.fabs(re), bld.select(im_inf, self.fabs(im),
                            bld.select(any_nan, self.const(float("nan")), hyp)))
        finite_parts = bld.and_(self.isfinite(re), self.isfinite(im))
        return result, bld.and_(finite_parts, self.isinf(hyp))


# -- values --------------------------------------------------------------------------------
def parts(fl: FunctionLowerer, z: ir.Value) -> tuple[ir.Value, ir.Value]:
    return fl.builder.extract_value(z, 0), fl.builder.extract_value(z, 1)


def make(fl: FunctionLowerer, t: ComplexType, re: ir.Value, im: ir.Value) -> ir.Value:
    value = fl.builder.insert_value(ir.Constant(llvm_type(t), None), re, 0)
    return fl.builder.insert_value(value, im, 1)


def convert(fl: FunctionLowerer, value: ir.Value, src: Type, dst: ComplexType) -> ir.Value:
    """A number as a complex of type `dst` (a real one gets a +0.0 imaginary part)."""
    if src == dst:
        return value
    if isinstance(src, ComplexType):
        re, im = parts(fl, value)
        return make(fl, dst, fl.cast(re, src.part, dst.part), fl.cast(im, src.part, dst.part))
    if not isinstance(src, (IntType, FloatType, BoolType)):
        raise LoweringError(f"cannot convert a {src} value to {dst}", line=fl.line)
    return make(fl, dst, fl.cast(value, src, dst.part), ir.Constant(llvm_type(dst.part), 0.0))


def pair(fl: FunctionLowerer, value: ir.Value, src: Type, dst: ComplexType):
    return parts(fl, convert(fl, value, src, dst))


def _math(fl: FunctionLowerer, t: ComplexType) -> Math:
    return Math(fl.builder, fl.module, llvm_type(t.part), fl.float_flags)


def truth(fl: FunctionLowerer, z: ir.Value) -> ir.Value:
    re, im = parts(fl, z)
    zero, bld = ir.Constant(re.type, 0.0), fl.builder
    return bld.or_(bld.fcmp_unordered("!=", re, zero), bld.fcmp_unordered("!=", im, zero))


# -- operators -----------------------------------------------------------------------------
def binop(fl: FunctionLowerer, node, args, in_types, out_types):
    op, rt = node.attr("op"), out_types[0]
    (a, b), (ta, tb) = args[:2], in_types[:2]
    m = _math(fl, rt)
    real_a, real_b = not isinstance(ta, ComplexType), not isinstance(tb, ComplexType)
    if ANNEX_G and op in ("+", "-", "*", "/") and (real_a or real_b):
        return [_mixed(fl, m, op, a, b, ta, tb, rt), None]
    x, y = pair(fl, a, ta, rt), pair(fl, b, tb, rt)
    if op == "+":
        re, im = m.add(x[0], y[0]), m.add(x[1], y[1])
    elif op == "-":
        re, im = m.sub(x[0], y[0]), m.sub(x[1], y[1])
    elif op == "*":
        re, im = m.prod(x, y)
    elif op == "/":
        (re, im), by_zero = m.quot(x, y)
        fl.raise_if(by_zero, ZeroDivisionError, msg.COMPLEX_DIV_ZERO)
    elif op == "**":
        return [power(fl, x, y, rt), None]
    else:
        raise LoweringError(f"cannot lower {ta} {op} {tb} -> {rt}", line=fl.line)
    return [make(fl, rt, re, im), None]


def _mixed(fl: FunctionLowerer, m: Math, op: str, a, b, ta, tb, rt: ComplexType) -> ir.Value:
    """3.14: a real operand of `+ - * /` takes part as a real (`_Py_cr_sum`, `_Py_rc_diff`, ...)."""
    if not isinstance(ta, ComplexType):  # real op complex
        r, (br, bi) = fl.cast(a, ta, rt.part), pair(fl, b, tb, rt)
        if op == "+":
            return make(fl, rt, m.add(r, br), bi)
        if op == "-":
            return make(fl, rt, m.sub(r, br), m.neg(bi))
        if op == "*":
            return make(fl, rt, m.mul(r, br), m.mul(r, bi))
        (re, im), by_zero = m.real_quot(r, (br, bi))
        fl.raise_if(by_zero, ZeroDivisionError, msg.COMPLEX_DIV_ZERO)
        return make(fl, rt, re, im)
    (ar, ai), r = pair(fl, a, ta, rt), fl.cast(b, tb, rt.part)
    if op == "+":
        return make(fl, rt, m.add(ar, r), ai)
    if op == "-":
        return make(fl, rt, m.sub(ar, r), ai)
    if op == "*":
        return make(fl, rt, m.mul(ar, r), m.mul(ai, r))
    fl.raise_if(fl.builder.fcmp_ordered("==", r, m.const(0.0)), ZeroDivisionError, msg.COMPLEX_DIV_ZERO)
    return make(fl, rt, m.div(ar, r), m.div(ai, r))


def power(fl: FunctionLowerer, x, y, rt: ComplexType) -> ir.Value:
    result = fl.builder.call(complex_power(fl.module, llvm_type(rt.part)), [*x, *y])
    status = fl.builder.extract_value(result, 0)
    fl.raise_if(fl.builder.icmp_unsigned("==", status, ir.Constant(status.type, STATUS_EDOM)),
                ZeroDivisionError, msg.COMPLEX_ZERO_POWER)
    fl.raise_if(fl.builder.icmp_unsigned("==", status, ir.Constant(status.type, STATUS_ERANGE)),
                OverflowError, msg.COMPLEX_POW_OVERFLOW)
    return make(fl, rt, fl.builder.extract_value(result, 1), fl.builder.extract_value(result, 2))


def complex_power(module: ir.Module, part: ir.Type) -> ir.Function:
    """`{i32 status, P re, P im} jitlab.rt.cpow.<P>(ar, ai, br, bi)`: CPython's `complex_pow`
    (status 0, or 1 for a zero base's domain error, 2 for an infinite part)."""
    name = f"jitlab.rt.cpow.{'f64' if isinstance(part, ir.DoubleType) else 'f32'}"
    i32, i64 = ir.IntType(32), ir.IntType(64)
    result_type = ir.LiteralStructType([i32, part, part])

    def build(fn: ir.Function) -> None:
        ar, ai, br, bi = fn.args
        entry, powi, loop, body, after, general, done = (
            fn.append_basic_block(n) for n in ("entry", "powi", "loop", "body", "after", "general", "done"))
        b = ir.IRBuilder(entry)
        m = Math(b, module, part)
        zero, one = m.const(0.0), m.const(1.0)
        integral = b.and_(b.fcmp_ordered("==", bi, zero), b.fcmp_ordered("==", br, m.intrinsic("floor", br)))
        integral = b.and_(integral, b.fcmp_ordered("<=", m.fabs(br), m.const(100.0)))
        b.cbranch(integral, powi, general)
        # c_powi: x ** |n| by squaring (c_powu), then 1 / that for n <= 0
        b.position_at_end(powi)
        n = b.fptosi(br, i64)
        count = b.select(b.icmp_signed(">", n, i64(0)), n, b.neg(n))
        b.branch(loop)
        b.position_at_end(loop)
        mask, r_re, r_im, p_re, p_im = (b.phi(t, name=nm) for t, nm in (
            (i64, "mask"), (part, "r.re"), (part, "r.im"), (part, "p.re"), (part, "p.im")))
        for phi, value in zip((mask, r_re, r_im, p_re, p_im), (i64(1), one, zero, ar, ai)):
            phi.add_incoming(value, powi)
        b.cbranch(b.icmp_signed(">=", count, mask), body, after)
        b.position_at_end(body)
        bit = b.icmp_unsigned("!=", b.and_(count, mask), i64(0))
        rp = m.prod((r_re, r_im), (p_re, p_im))
        pp = m.prod((p_re, p_im), (p_re, p_im))
        for phi, value in zip((mask, r_re, r_im, p_re, p_im),
                              (b.shl(mask, i64(1)), b.select(bit, rp[0], r_re), b.select(bit, rp[1], r_im),
                               *pp)):
            phi.add_incoming(value, body)
        b.branch(loop)
        b.position_at_end(after)
        (q_re, q_im), by_zero = m.quot((one, zero), (r_re, r_im))
        positive = b.icmp_signed(">", n, i64(0))
        powi_re, powi_im = b.select(positive, r_re, q_re), b.select(positive, r_im, q_im)
        powi_edom = b.and_(b.not_(positive), by_zero)
        powi_re, powi_im = b.select(powi_edom, zero, powi_re), b.select(powi_edom, zero, powi_im)
        b.branch(done)
        # _Py_c_pow
        b.position_at_end(general)
        exp_zero = b.and_(b.fcmp_ordered("==", br, zero), b.fcmp_ordered("==", bi, zero))
        base_zero = b.and_(b.fcmp_ordered("==", ar, zero), b.fcmp_ordered("==", ai, zero))
        vabs = m.libm("hypot", ar, ai)
        length = m.intrinsic("pow", vabs, br)
        at = m.libm("atan2", ai, ar)
        phase = m.mul(at, br)
        has_imag = b.fcmp_unordered("!=", bi, zero)
        if ANNEX_G:  # 3.14: len *= exp(-at * b.imag)
            scaled = m.mul(length, m.intrinsic("exp", m.mul(m.neg(at), bi)))
        else:  # len /= exp(at * b.imag)
            scaled = m.div(length, m.intrinsic("exp", m.mul(at, bi)))
        length = b.select(has_imag, scaled, length)
        phase = b.select(has_imag, m.add(phase, m.mul(bi, m.intrinsic("log", vabs))), phase)
        gen_re, gen_im = m.mul(length, m.intrinsic("cos", phase)), m.mul(length, m.intrinsic("sin", phase))
        gen_re = b.select(exp_zero, one, b.select(base_zero, zero, gen_re))
        gen_im = b.select(exp_zero, zero, b.select(base_zero, zero, gen_im))
        bad_exp = b.or_(b.fcmp_unordered("!=", bi, zero), b.fcmp_ordered("<", br, zero))
        # libm's cos/sin of an infinite phase set errno to EDOM, which CPython reports as for a zero base
        edom = b.select(base_zero, bad_exp, m.isinf(phase))
        gen_edom = b.and_(b.not_(exp_zero), edom)
        b.branch(done)
        b.position_at_end(done)
        re, im, edom = b.phi(part, "re"), b.phi(part, "im"), b.phi(ir.IntType(1), "edom")
        for phi, from_powi, from_general in ((re, powi_re, gen_re), (im, powi_im, gen_im),
                                             (edom, powi_edom, gen_edom)):
            phi.add_incoming(from_powi, after)
            phi.add_incoming(from_general, general)
        infinite = b.or_(m.isinf(re), m.isinf(im))
        status = b.select(edom, i32(STATUS_EDOM), b.select(infinite, i32(STATUS_ERANGE), i32(STATUS_OK)))
        value = b.insert_value(ir.Constant(result_type, None), status, 0)
        value = b.insert_value(value, re, 1)
        b.ret(b.insert_value(value, im, 2))
    return get_or_define(module, name, ir.FunctionType(result_type, [part] * 4), build)


def unop(fl: FunctionLowerer, node, args, in_types, out_types):
    op, z, t = node.attr("op"), args[0], in_types[0]
    if op == "not":
        return [fl.builder.not_(truth(fl, z)), None]
    if op == "+":
        return [z, None]
    if op == "-":
        re, im = parts(fl, z)
        m = _math(fl, t)
        return [make(fl, t, m.neg(re), m.neg(im)), None]
    raise LoweringError(f"cannot lower unary {op} on {t}", line=fl.line)


def compare(fl: FunctionLowerer, node, args, in_types, out_types):
    """`==`/`!=` as `complex_richcompare`: an int operand compares exactly with the real part."""
    op = node.attr("op")
    (a, b), (ta, tb) = args[:2], in_types[:2]
    if not isinstance(ta, ComplexType):
        (a, ta), (b, tb) = (b, tb), (a, ta)
    bld = fl.builder
    re, im = parts(fl, a)
    zero = ir.Constant(re.type, 0.0)
    if isinstance(tb, ComplexType):
        wide = ComplexType(max(ta.bits, tb.bits))
        (xr, xi), (yr, yi) = pair(fl, a, ta, wide), pair(fl, b, tb, wide)
        equal = bld.and_(bld.fcmp_ordered("==", xr, yr), bld.fcmp_ordered("==", xi, yi))
    else:
        real_equal = compare_values(fl, "==", re, b, ta.part, tb)
        equal = bld.and_(real_equal, bld.fcmp_ordered("==", im, zero))
    return [equal if op == "==" else bld.not_(equal), None]


# -- attributes, methods and calls ---------------------------------------------------------
def getattr_(fl: FunctionLowerer, node, args, in_types, out_types):
    re, im = parts(fl, args[0])
    return [re if node.attr("name") == "real" else im, None]


def conjugate(fl: FunctionLowerer, node, args, in_types, out_types):
    t = in_types[0]
    re, im = parts(fl, args[0])
    return [make(fl, t, re, _math(fl, t).neg(im)), None]


def call(fl: FunctionLowerer, callee: str, args, in_types, rt: Type) -> ir.Value:
    """`complex(...)`, `abs(z)` and `cmath` functions."""
    if callee == "builtins.complex":
        if len(args) == 1:
            return convert(fl, args[0], in_types[0], C128)
        re = fl.cast(args[0], in_types[0], C128.part) if args else ir.Constant(llvm_type(C128.part), 0.0)
        im = fl.cast(args[1], in_types[1], C128.part) if len(args) == 2 else ir.Constant(re.type, 0.0)
        return make(fl, C128, re, im)
    t = in_types[0]
    if callee == "builtins.bool":
        return truth(fl, args[0])
    if callee == "builtins.abs":
        result, overflow = _math(fl, t).abs(parts(fl, args[0]))
        fl.raise_if(overflow, OverflowError, msg.COMPLEX_ABS_OVERFLOW)
        return result
    name = callee[len("cmath."):]
    if isinstance(t, ComplexType):
        re, im = pair(fl, args[0], t, C128)
    else:
        re, im = fl.cast(args[0], t, C128.part), ir.Constant(llvm_type(C128.part), 0.0)
    m = _math(fl, C128)
    if name == "isnan":
        return fl.builder.or_(m.isnan(re), m.isnan(im))
    if name == "isinf":
        return fl.builder.or_(m.isinf(re), m.isinf(im))
    if name == "isfinite":
        return fl.builder.and_(m.isfinite(re), m.isfinite(im))
    if name == "phase":
        # CPython reads libm's errno after atan2: glibc sets ERANGE when a nonzero y over a finite x
        # underflows to zero, which cmath.phase reports as OverflowError
        phi = m.libm("atan2", im, re)
        bld = fl.builder
        underflow = bld.and_(bld.fcmp_ordered("==", phi, m.const(0.0)),
                             bld.fcmp_unordered("!=", im, m.const(0.0)))
        fl.raise_if(bld.and_(underflow, m.isfinite(re)), OverflowError, msg.MATH_RANGE)
        return phi
    raise LoweringError(f"cannot lower cmath.{name}", line=fl.line)


# -- the op table's entries: complex operands here, everything else to the wrapped lowerer --
def _scalar_complex(types) -> bool:
    return any(isinstance(t, ComplexType) for t in types) and not any(isinstance(t, ArrayType) for t in types)


def complex_or(lowerer, other):
    """An op lowerer that takes nodes with a complex input or output (and no array)."""
    def lower(fl: FunctionLowerer, node, args, in_types, out_types):
        if _scalar_complex([*in_types, *out_types]):
            return lowerer(fl, node, args, in_types, out_types)
        return other(fl, node, args, in_types, out_types)
    return lower


def const(fl: FunctionLowerer, node, args, in_types, out_types):
    re, im = node.attr("value")
    t = out_types[0]
    part = llvm_type(t.part)
    return [ir.Constant(llvm_type(t), [ir.Constant(part, re), ir.Constant(part, im)])]


def callmethod(fl: FunctionLowerer, node, args, in_types, out_types):
    return conjugate(fl, node, args, in_types, out_types)


def truth_op(fl: FunctionLowerer, node, args, in_types, out_types):
    return [truth(fl, args[0]), None]


def call_op(other):
    def lower(fl: FunctionLowerer, node, args, in_types, out_types):
        callee = node.attr("callee")
        name = callee[len("cmath."):] if callee.startswith("cmath.") else None
        if name is not None and name not in ("isnan", "isinf", "isfinite", "phase"):
            from . import lower_cmath  # builds on this module

            return [lower_cmath.call(fl, name, node, args[:-1], in_types[:-1], out_types[0]), None]
        if callee == "builtins.complex" or callee.startswith("cmath.") or \
                (callee in ("builtins.abs", "builtins.bool") and _scalar_complex(in_types[:1])):
            return [call(fl, callee, args[:-1], in_types[:-1], out_types[0]), None]
        return other(fl, node, args, in_types, out_types)
    return lower


__all__ = ["ANNEX_G", "complex_or", "call_op", "convert", "truth", "parts", "make"]
