"""The `cmath` module on complex numbers, as CPython's `Modules/cmathmodule.c` computes it.

Each function is an internal helper `{double re, double im, i32 errno} jitlab.rt.cmath.<name>(x, y)`
that takes CPython's steps with the same libm calls (`hypot`, `atan2`, `log1p`, `asinh`, `cosh`...),
so the results are CPython's bits; `errno` is 0, 1 (EDOM: `ValueError("math domain error")`) or 2
(ERANGE: `OverflowError("math range error")`), raised by the caller as CPython's wrappers do.

Infinite and NaN inputs follow C99 Annex G through CPython's 7x7 special-value tables, indexed by
the class of each part (-inf, negative, -0, +0, positive, +inf, NaN).  The tables are not written
down here: they are read off the running CPython once (`_special_table`), calling its function on
one representative of each class -- every entry of CPython's tables is a constant, so one value per
class finds it, and whether the entry raises (exp/cosh/sinh/tanh/rect's domain errors).  The few
cases CPython computes rather than looks up (an infinite part next to a finite nonzero one, whose
signs come from `cos`/`sin`) are computed here the same way.

Like CPython's, the code branches: a finite z never reads a table, a large one takes no square root.
"""
from __future__ import annotations

import cmath
import functools
import math
import sys

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import C128, F64 as F64_T, ComplexType, TupleType, Type

from . import messages as msg
from .irmodule import get_or_define, internal_global
from .lower import F64, I1, FunctionLowerer
from .lower_complex import Math, make, pair

I32 = ir.IntType(32)
RESULT = ir.LiteralStructType([F64, F64, I32])
EDOM, ERANGE = 1, 2

# the classes of a double, in CPython's order (`special_type`), and one representative of each
NINF, NEG, NZERO, PZERO, POS, PINF, NAN = range(7)
_REPRESENTATIVES = (-math.inf, -2.0, -0.0, 0.0, 2.0, math.inf, math.nan)

DBL_MIN = sys.float_info.min
LARGE = sys.float_info.max / 4.0  # CM_LARGE_DOUBLE
SQRT_LARGE = math.sqrt(LARGE)
LOG_LARGE = math.log(LARGE)
SQRT_DBL_MIN = math.sqrt(DBL_MIN)
LN2, LN10 = 0.6931471805599453094, 2.302585092994045684
SCALE_UP = 2 * (sys.float_info.mant_dig // 2) + 1  # CM_SCALE_UP
SCALE_DOWN = -(SCALE_UP + 1) // 2

# functions with a table, and the CPython call that reads it
_TABLED = {
    "sqrt": cmath.sqrt, "exp": cmath.exp, "log": cmath.log, "acos": cmath.acos, "acosh": cmath.acosh,
    "asinh": cmath.asinh, "atanh": cmath.atanh, "cosh": cmath.cosh, "sinh": cmath.sinh, "tanh": cmath.tanh,
}
UNARY = {"sqrt", "exp", "log", "log10", "acos", "acosh", "asin", "asinh", "atan", "atanh",
         "cos", "cosh", "sin", "sinh", "tan", "tanh"}


@functools.cache
def _special_table(name: str) -> tuple[tuple[float, float, int], ...]:
    """(re, im, errno) for the 49 class pairs (finite pairs: unused zeros), from CPython itself."""
    entries = []
    for x in _REPRESENTATIVES:
        for y in _REPRESENTATIVES:
            if math.isfinite(x) and math.isfinite(y):
                entries.append((0.0, 0.0, 0))
                continue
            try:
                z = cmath.rect(x, y) if name == "rect" else _TABLED[name](complex(x, y))
            except ValueError:
                entries.append((math.nan, math.nan, EDOM))
            else:
                entries.append((z.real, z.imag, 0))
    return tuple(entries)


class _Body(Math):
    """Float steps on one helper's builder (no fast-math flags: CPython's steps, exactly)."""

    def __init__(self, builder: ir.IRBuilder, module: ir.Module):
        super().__init__(builder, module, F64)

    def sel(self, cond, a, b):
        return self.b.select(cond, a, b)

    def cmp(self, op: str, a, b):
        return self.b.fcmp_ordered(op, a, b)

    def i32(self, value: int) -> ir.Constant:
        return ir.Constant(I32, value)

    def special_type(self, d):
        """CPython's `special_type(d)` as an i32."""
        b, zero = self.b, self.const(0.0)
        positive_sign = self.cmp("==", self.copysign(self.const(1.0), d), self.const(1.0))
        nonzero_class = self.sel(positive_sign, self.i32(POS), self.i32(NEG))
        finite_class = self.sel(self.cmp("!=", d, zero), nonzero_class,
                                self.sel(positive_sign, self.i32(PZERO), self.i32(NZERO)))
        infinite_class = self.sel(self.isnan(d), self.i32(NAN), self.sel(positive_sign, self.i32(PINF),
                                                                         self.i32(NINF)))
        return b.select(self.isfinite(d), finite_class, infinite_class)

    def table(self, name: str, x, y):
        """The table entry for (x, y): (re, im, errno)."""
        entries = _special_table(name)
        table_type = ir.ArrayType(RESULT, len(entries))
        gv_name = f"jitlab.rt.cmath.table.{name}"
        table = internal_global(self.module, gv_name, table_type, ir.Constant(table_type, [
            ir.Constant(RESULT, [ir.Constant(F64, re), ir.Constant(F64, im), self.i32(e)])
            for re, im, e in entries]), constant=True)
        b = self.b
        index = b.add(b.mul(self.special_type(x), self.i32(7)), self.special_type(y))
        entry = b.load(b.gep(table, [self.i32(0), index], inbounds=True))
        return b.extract_value(entry, 0), b.extract_value(entry, 1), b.extract_value(entry, 2)

    def finite_pair(self, x, y):
        return self.b.and_(self.isfinite(x), self.isfinite(y))

    def branch(self, cond, then_fn, else_fn):
        """The values `then_fn()` or `else_fn()` (each a tuple, built in its own arm) as φs."""
        b = self.b
        with b.if_else(cond) as (then, otherwise):
            with then:
                first, first_block = then_fn(), b.block
            with otherwise:
                second, second_block = else_fn(), b.block
        out = []
        for a, c in zip(first, second):
            phi = b.phi(a.type)
            phi.add_incoming(a, first_block)
            phi.add_incoming(c, second_block)
            out.append(phi)
        return tuple(out)

    def special(self, name: str, x, y, finite_fn, special_fn=None):
        """CPython's shape: a finite z takes `finite_fn`, any other `special_fn` (default: the
        table's entry, errno 0)."""
        def table():
            re, im, _ = self.table(name, x, y)
            return re, im, self.i32(0)
        return self.branch(self.finite_pair(x, y), finite_fn, special_fn or table)

    def large(self, x, y, bound: float = LARGE):
        limit = self.const(bound)
        return self.b.or_(self.cmp(">", self.fabs(x), limit), self.cmp(">", self.fabs(y), limit))

    def log_abs_big(self, x, y):
        """log|z| of a huge z without overflow: log(hypot(x/2, y/2)) + 2 ln 2."""
        two = self.const(2.0)
        return self.add(self.libm("log", self.libm("hypot", self.div(x, two), self.div(y, two))),
                        self.const(LN2 * 2.0))

    def pick(self, x, y, name: str, big_fn, normal_fn):
        """(re, im, errno 0): the table's entry for a non-finite z, `big_fn()` for a large one, else
        `normal_fn()`."""
        def finite():
            re, im = self.branch(self.large(x, y), big_fn, normal_fn)
            return re, im, self.i32(0)
        return self.special(name, x, y, finite)

    def call(self, name: str, x, y):
        out = self.b.call(helper(self.module, name), [x, y])
        return self.b.extract_value(out, 0), self.b.extract_value(out, 1), self.b.extract_value(out, 2)

    def errno(self, cond, code: int, otherwise=None):
        return self.sel(cond, self.i32(code), otherwise if otherwise is not None else self.i32(0))


def helper(module: ir.Module, name: str) -> ir.Function:
    """`jitlab.rt.cmath.<name>`, built on first use in `module`."""
    fn_name = f"jitlab.rt.cmath.{name}"

    def build(fn: ir.Function) -> None:
        b = ir.IRBuilder(fn.append_basic_block("entry"))
        m = _Body(b, module)
        re, im, errno = _BODIES[name](m, *fn.args)
        out = b.insert_value(ir.Constant(RESULT, ir.Undefined), re, 0)
        out = b.insert_value(out, im, 1)
        b.ret(b.insert_value(out, errno, 2))
    return get_or_define(module, fn_name, ir.FunctionType(RESULT, [F64, F64]), build)


# -- the bodies: (m, x, y) -> (re, im, errno) ------------------------------------------------
def _sqrt(m: _Body, x, y):
    def finite():
        zero = m.const(0.0)
        ax, ay = m.fabs(x), m.fabs(y)

        def tiny():  # hypot(ax, ay) would be subnormal: scale up by an exact power of two first
            up = m.const(2.0 ** SCALE_UP)
            ax_up = m.mul(ax, up)
            hyp = m.libm("hypot", ax_up, m.mul(ay, up))
            return (m.mul(m.intrinsic("sqrt", m.add(ax_up, hyp)), m.const(2.0 ** SCALE_DOWN)),)

        def normal():
            ax8 = m.div(ax, m.const(8.0))
            hyp8 = m.libm("hypot", ax8, m.div(ay, m.const(8.0)))
            return (m.mul(m.const(2.0), m.intrinsic("sqrt", m.add(ax8, hyp8))),)

        (s,) = m.branch(m.b.and_(m.cmp("<", ax, m.const(DBL_MIN)), m.cmp("<", ay, m.const(DBL_MIN))),
                        tiny, normal)
        d = m.div(ay, m.mul(m.const(2.0), s))
        nonnegative = m.cmp(">=", x, zero)
        re = m.sel(nonnegative, s, d)
        im = m.copysign(m.sel(nonnegative, d, s), y)
        both_zero = m.b.and_(m.cmp("==", x, zero), m.cmp("==", y, zero))
        return m.sel(both_zero, zero, re), m.sel(both_zero, y, im), m.i32(0)
    return m.special("sqrt", x, y, finite)


def _infinite_special(m: _Body, name: str, x, y, computed_fn, edom):
    """exp/cosh/sinh/tanh/rect for a non-finite z: `computed_fn()` for an infinite x next to a
    finite nonzero y (signs from cos/sin), else the table's entry; errno EDOM where `edom`."""
    def special():
        computed = m.b.and_(m.b.and_(m.isinf(x), m.isfinite(y)), m.cmp("!=", y, m.const(0.0)))
        re, im = m.branch(computed, computed_fn, lambda: m.table(name, x, y)[:2])
        return re, im, m.errno(edom(), EDOM)
    return special


def _exp_like(name: str):
    """exp, cosh, sinh: their finite formulas and the computed infinite cases."""
    def body(m: _Body, x, y):
        b = m.b
        inf, zero, e = m.const(math.inf), m.const(0.0), m.const(math.e)

        def computed():
            cos_y, sin_y = m.libm("cos", y), m.libm("sin", y)
            positive = m.cmp(">", x, zero)
            if name == "exp":
                return (m.sel(positive, m.copysign(inf, cos_y), m.copysign(zero, cos_y)),
                        m.sel(positive, m.copysign(inf, sin_y), m.copysign(zero, sin_y)))
            if name == "cosh":
                signed = m.copysign(inf, sin_y)
                return m.copysign(inf, cos_y), m.sel(positive, signed, m.neg(signed))
            signed = m.copysign(inf, cos_y)
            return m.sel(positive, signed, m.neg(signed)), m.copysign(inf, sin_y)

        def finite():
            cos_y, sin_y = m.libm("cos", y), m.libm("sin", y)
            if name == "exp":
                def big():
                    scaled = m.libm("exp", m.sub(x, m.const(1.0)))
                    return m.mul(m.mul(scaled, cos_y), e), m.mul(m.mul(scaled, sin_y), e)

                def small():
                    scaled = m.libm("exp", x)
                    return m.mul(scaled, cos_y), m.mul(scaled, sin_y)
                re, im = m.branch(m.cmp(">", x, m.const(LOG_LARGE)), big, small)
            else:
                first, second = ("cosh", "sinh") if name == "cosh" else ("sinh", "cosh")

                def big():  # cosh(x) overflows where cosh(z) need not
                    x1 = m.sub(x, m.copysign(m.const(1.0), x))
                    return (m.mul(m.mul(cos_y, m.libm(first, x1)), e),
                            m.mul(m.mul(sin_y, m.libm(second, x1)), e))

                def small():
                    return m.mul(cos_y, m.libm(first, x)), m.mul(sin_y, m.libm(second, x))
                re, im = m.branch(m.cmp(">", m.fabs(x), m.const(LOG_LARGE)), big, small)
            return re, im, m.errno(b.or_(m.isinf(re), m.isinf(im)), ERANGE)

        if name == "exp":
            def edom():
                return b.and_(m.isinf(y), b.or_(m.isfinite(x), b.and_(m.isinf(x), m.cmp(">", x, zero))))
        else:
            def edom():
                return b.and_(m.isinf(y), b.not_(m.isnan(x)))
        return m.special(name, x, y, finite, _infinite_special(m, name, x, y, computed, edom))
    return body


def _tanh(m: _Body, x, y):
    b = m.b
    zero, one = m.const(0.0), m.const(1.0)

    def computed():
        sin_y, cos_y = m.libm("sin", y), m.libm("cos", y)
        im = m.copysign(zero, m.mul(m.mul(m.const(2.0), sin_y), cos_y))
        return m.sel(m.cmp(">", x, zero), one, m.const(-1.0)), im

    def finite():
        def big():
            sin_y, cos_y = m.libm("sin", y), m.libm("cos", y)
            decay = m.libm("exp", m.mul(m.const(-2.0), m.fabs(x)))
            im = m.mul(m.mul(m.mul(m.const(4.0), sin_y), cos_y), decay)
            return m.copysign(one, x), im

        def normal():
            tx, ty = m.libm("tanh", x), m.libm("tan", y)
            cx = m.div(one, m.libm("cosh", x))
            txty = m.mul(tx, ty)
            denom = m.add(one, m.mul(txty, txty))
            re = m.div(m.mul(tx, m.add(one, m.mul(ty, ty))), denom)
            return re, m.mul(m.mul(m.div(ty, denom), cx), cx)
        re, im = m.branch(m.cmp(">", m.fabs(x), m.const(LOG_LARGE)), big, normal)
        return re, im, m.i32(0)

    return m.special("tanh", x, y, finite,
                     _infinite_special(m, "tanh", x, y, computed, lambda: b.and_(m.isinf(y), m.isfinite(x))))


def _log(m: _Body, x, y):
    """CPython's c_log."""
    def finite():
        b = m.b
        zero = m.const(0.0)
        ax, ay = m.fabs(x), m.fabs(y)
        both_zero = b.and_(m.cmp("==", ax, zero), m.cmp("==", ay, zero))

        def large():  # (log|z| + ln 2: c_log's own constant)
            return (m.add(m.libm("log", m.libm("hypot", m.div(ax, m.const(2.0)), m.div(ay, m.const(2.0)))),
                          m.const(LN2)),)

        def tiny():
            scale = m.const(2.0 ** sys.float_info.mant_dig)
            scaled = m.sub(m.libm("log", m.libm("hypot", m.mul(ax, scale), m.mul(ay, scale))),
                           m.const(sys.float_info.mant_dig * LN2))
            return (m.sel(both_zero, m.const(-math.inf), scaled),)

        def normal():
            h = m.libm("hypot", ax, ay)

            def near_one():
                am, an = m.sel(m.cmp(">", ax, ay), ax, ay), m.sel(m.cmp(">", ax, ay), ay, ax)
                sum_ = m.add(m.mul(m.sub(am, m.const(1.0)), m.add(am, m.const(1.0))), m.mul(an, an))
                return (m.div(m.libm("log1p", sum_), m.const(2.0)),)
            return m.branch(b.and_(m.cmp("<=", m.const(0.71), h), m.cmp("<=", h, m.const(1.73))),
                            near_one, lambda: (m.libm("log", h),))

        is_tiny = b.and_(m.cmp("<", ax, m.const(DBL_MIN)), m.cmp("<", ay, m.const(DBL_MIN)))
        (re,) = m.branch(m.large(x, y), large, lambda: m.branch(is_tiny, tiny, normal))
        return re, m.libm("atan2", y, x), m.errno(both_zero, EDOM)
    return m.special("log", x, y, finite)


def _log10(m: _Body, x, y):
    re, im, errno = m.call("log", x, y)
    ln10 = m.const(LN10)
    return m.div(re, ln10), m.div(im, ln10), errno


def _acos(m: _Body, x, y):
    zero, one = m.const(0.0), m.const(1.0)

    def big():
        log_abs = m.log_abs_big(x, y)
        im = m.sel(m.cmp("<", x, zero), m.neg(m.copysign(log_abs, y)), m.copysign(log_abs, m.neg(y)))
        return m.libm("atan2", m.fabs(y), x), im

    def normal():
        s1_re, s1_im, _ = m.call("sqrt", m.sub(one, x), m.neg(y))
        s2_re, s2_im, _ = m.call("sqrt", m.add(one, x), y)
        return (m.mul(m.const(2.0), m.libm("atan2", s1_re, s2_re)),
                m.libm("asinh", m.sub(m.mul(s2_re, s1_im), m.mul(s2_im, s1_re))))
    return m.pick(x, y, "acos", big, normal)


def _acosh(m: _Body, x, y):
    one = m.const(1.0)

    def normal():
        s1_re, s1_im, _ = m.call("sqrt", m.sub(x, one), y)
        s2_re, s2_im, _ = m.call("sqrt", m.add(x, one), y)
        return (m.libm("asinh", m.add(m.mul(s1_re, s2_re), m.mul(s1_im, s2_im))),
                m.mul(m.const(2.0), m.libm("atan2", s1_im, s2_re)))
    return m.pick(x, y, "acosh", lambda: (m.log_abs_big(x, y), m.libm("atan2", y, x)), normal)


def _asinh(m: _Body, x, y):
    zero, one = m.const(0.0), m.const(1.0)

    def big():
        log_abs = m.log_abs_big(x, y)
        re = m.sel(m.cmp(">=", y, zero), m.copysign(log_abs, x), m.neg(m.copysign(log_abs, m.neg(x))))
        return re, m.libm("atan2", y, m.fabs(x))

    def normal():
        s1_re, s1_im, _ = m.call("sqrt", m.add(one, y), m.neg(x))
        s2_re, s2_im, _ = m.call("sqrt", m.sub(one, y), x)
        return (m.libm("asinh", m.sub(m.mul(s1_re, s2_im), m.mul(s2_re, s1_im))),
                m.libm("atan2", y, m.sub(m.mul(s1_re, s2_re), m.mul(s1_im, s2_im))))
    return m.pick(x, y, "asinh", big, normal)


def _atanh(m: _Body, x_in, y_in):
    def finite():
        b = m.b
        zero, one, two = m.const(0.0), m.const(1.0), m.const(2.0)
        flip = m.cmp("<", x_in, zero)  # atanh(z) = -atanh(-z) makes the real part >= 0
        x, y = m.sel(flip, m.neg(x_in), x_in), m.sel(flip, m.neg(y_in), y_in)
        ay = m.fabs(y)
        ay_zero = m.cmp("==", ay, zero)

        def big():
            h = m.libm("hypot", m.div(x, two), m.div(y, two))
            im = m.neg(m.copysign(m.const(math.pi / 2.0), m.neg(y)))
            return m.div(m.div(m.div(x, m.const(4.0)), h), h), im, m.i32(0)

        def at_one():  # C99: atanh(1 +- 0i) is inf +- 0i, a domain error
            ratio = m.div(m.intrinsic("sqrt", ay), m.intrinsic("sqrt", m.libm("hypot", ay, two)))
            return (m.sel(ay_zero, m.const(math.inf), m.neg(m.libm("log", ratio))),
                    m.sel(ay_zero, y, m.copysign(m.div(m.libm("atan2", two, m.neg(ay)), two), y)),
                    m.errno(ay_zero, EDOM))

        def normal():
            one_minus = m.sub(one, x)
            denominator = m.add(m.mul(one_minus, one_minus), m.mul(ay, ay))
            re = m.div(m.libm("log1p", m.div(m.mul(m.const(4.0), x), denominator)), m.const(4.0))
            im = m.neg(m.div(m.libm("atan2", m.mul(m.const(-2.0), y),
                                    m.sub(m.mul(one_minus, m.add(one, x)), m.mul(ay, ay))), two))
            return re, im, m.i32(0)

        is_one = b.and_(m.cmp("==", x, one), m.cmp("<", ay, m.const(SQRT_DBL_MIN)))
        re, im, errno = m.branch(m.large(x, y, SQRT_LARGE), big, lambda: m.branch(is_one, at_one, normal))
        return m.sel(flip, m.neg(re), re), m.sel(flip, m.neg(im), im), errno
    return m.special("atanh", x_in, y_in, finite)


def _rotated(inner: str, back: bool):
    """f(z) through g(i z): asin/atan/sin/tan (`back`: the result turned back by -i) and cos."""
    def body(m: _Body, x, y):
        re, im, errno = m.call(inner, m.neg(y), x)
        return (im, m.neg(re), errno) if back else (re, im, errno)
    return body


def _rect(m: _Body, r, phi):
    b = m.b
    zero, inf = m.const(0.0), m.const(math.inf)

    def computed():
        cos_p, sin_p = m.libm("cos", phi), m.libm("sin", phi)
        positive = m.cmp(">", r, zero)
        return (m.sel(positive, m.copysign(inf, cos_p), m.neg(m.copysign(inf, cos_p))),
                m.sel(positive, m.copysign(inf, sin_p), m.neg(m.copysign(inf, sin_p))))

    def finite():
        phi_zero = m.cmp("==", phi, zero)
        re, im = m.branch(phi_zero, lambda: (r, m.mul(r, phi)),
                          lambda: (m.mul(r, m.libm("cos", phi)), m.mul(r, m.libm("sin", phi))))
        return re, im, m.i32(0)

    def edom():
        return b.and_(b.and_(b.fcmp_unordered("!=", r, zero), b.not_(m.isnan(r))), m.isinf(phi))
    return m.special("rect", r, phi, finite, _infinite_special(m, "rect", r, phi, computed, edom))


_BODIES = {
    "sqrt": _sqrt, "exp": _exp_like("exp"), "cosh": _exp_like("cosh"), "sinh": _exp_like("sinh"),
    "tanh": _tanh, "log": _log, "log10": _log10, "acos": _acos, "acosh": _acosh, "asinh": _asinh,
    "atanh": _atanh, "asin": _rotated("asinh", True), "atan": _rotated("atanh", True),
    "sin": _rotated("sinh", True), "tan": _rotated("tanh", True), "cos": _rotated("cosh", False),
    "rect": _rect,
}


# -- the calls ---------------------------------------------------------------------------------
def _as_complex(fl: FunctionLowerer, value, t: Type):
    """A number's (re, im) as doubles (a real one gets +0.0: CPython's promotion)."""
    if isinstance(t, ComplexType):
        return pair(fl, value, t, C128)
    return fl.cast(value, t, F64_T), ir.Constant(F64, 0.0)


def _raise_errno(fl: FunctionLowerer, errno) -> None:
    bld = fl.builder
    fl.raise_if(bld.icmp_unsigned("==", errno, ir.Constant(I32, EDOM)), ValueError, msg.MATH_DOMAIN)
    fl.raise_if(bld.icmp_unsigned("==", errno, ir.Constant(I32, ERANGE)), OverflowError, msg.MATH_RANGE)


def _run(fl: FunctionLowerer, name: str, x, y):
    out = fl.builder.call(helper(fl.module, name), [x, y])
    return tuple(fl.builder.extract_value(out, k) for k in range(3))


def call(fl: FunctionLowerer, name: str, node, args, in_types, rt: Type):
    """`cmath.<name>(...)` of numbers: CPython's result and errors."""
    bld = fl.builder
    if name in UNARY or (name == "log" and len(args) == 2):
        x, y = _as_complex(fl, args[0], in_types[0])
        re, im, errno = _run(fl, "log" if name == "log" else name, x, y)
        if name == "log" and len(args) == 2:  # log(z) / log(base); errno from the base's log
            bx, by = _as_complex(fl, args[1], in_types[1])
            b_re, b_im, errno = _run(fl, "log", bx, by)
            (re, im), by_zero = Math(bld, fl.module, F64).quot((re, im), (b_re, b_im))
            errno = bld.select(by_zero, ir.Constant(I32, EDOM), errno)
        _raise_errno(fl, errno)
        return make(fl, C128, re, im)
    if name == "rect":
        r, phi = (fl.cast(a, t, F64_T) for a, t in zip(args, in_types))
        re, im, errno = _run(fl, "rect", r, phi)
        _raise_errno(fl, errno)
        return make(fl, C128, re, im)
    if name == "polar":
        x, y = _as_complex(fl, args[0], in_types[0])
        m = Math(bld, fl.module, F64)
        phi = m.libm("atan2", y, x)
        r, overflow = m.abs((x, y))
        fl.raise_if(overflow, OverflowError, msg.MATH_RANGE)
        if not isinstance(rt, TupleType):
            raise LoweringError("cmath.polar gives a tuple", line=fl.line)
        value = bld.insert_value(ir.Constant(ir.LiteralStructType([F64, F64]), None), r, 0)
        return bld.insert_value(value, phi, 1)
    if name == "isclose":
        return _isclose(fl, node, args, in_types)
    raise LoweringError(f"cannot lower cmath.{name}", line=fl.line)


def _isclose(fl: FunctionLowerer, node, args, in_types):
    """CPython's cmath.isclose: equal parts, else no infinite part and |a - b| within tolerance."""
    bld = fl.builder
    names = ("a", "b", "rel_tol", "abs_tol")
    kwnames = node.attr("kwnames") or ()
    values = {"rel_tol": (ir.Constant(F64, 1e-09), None), "abs_tol": (ir.Constant(F64, 0.0), None)}
    npos = len(args) - len(kwnames)
    for i, (arg, t) in enumerate(zip(args, in_types)):
        values[names[i] if i < npos else kwnames[i - npos]] = (arg, t)
    (ar, ai), (br, bi) = (_as_complex(fl, *values[n]) for n in ("a", "b"))
    rel_tol, abs_tol = (v if t is None else fl.cast(v, t, F64_T)
                        for v, t in (values["rel_tol"], values["abs_tol"]))
    m = Math(bld, fl.module, F64)
    zero = m.const(0.0)
    negative = bld.or_(bld.fcmp_ordered("<", rel_tol, zero), bld.fcmp_ordered("<", abs_tol, zero))
    fl.raise_if(negative, ValueError, msg.ISCLOSE_TOLERANCE)
    equal = bld.and_(bld.fcmp_ordered("==", ar, br), bld.fcmp_ordered("==", ai, bi))
    any_inf = bld.or_(bld.or_(m.isinf(ar), m.isinf(ai)), bld.or_(m.isinf(br), m.isinf(bi)))
    diff, _ = m.abs((m.sub(ar, br), m.sub(ai, bi)))
    abs_a, _ = m.abs((ar, ai))
    abs_b, _ = m.abs((br, bi))
    near = bld.or_(bld.fcmp_ordered("<=", diff, m.mul(rel_tol, abs_b)),
                   bld.fcmp_ordered("<=", diff, m.mul(rel_tol, abs_a)))
    near = bld.or_(near, bld.fcmp_ordered("<=", diff, abs_tol))
    return bld.or_(equal, bld.and_(bld.not_(any_inf), near))


__all__ = ["call", "UNARY", "I1"]
