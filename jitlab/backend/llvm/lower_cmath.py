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

The code is branch-free: the special and the finite results are both computed and one selected.
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
        table = self.module.globals.get(gv_name)
        if table is None:
            table = ir.GlobalVariable(self.module, table_type, gv_name)
            table.linkage, table.global_constant = "internal", True
            table.initializer = ir.Constant(table_type, [
                ir.Constant(RESULT, [ir.Constant(F64, re), ir.Constant(F64, im), self.i32(e)])
                for re, im, e in entries])
        b = self.b
        index = b.add(b.mul(self.special_type(x), self.i32(7)), self.special_type(y))
        entry = b.load(b.gep(table, [self.i32(0), index], inbounds=True))
        return b.extract_value(entry, 0), b.extract_value(entry, 1), b.extract_value(entry, 2)

    def finite_pair(self, x, y):
        return self.b.and_(self.isfinite(x), self.isfinite(y))

    def large(self, x, y, bound: float = LARGE):
        limit = self.const(bound)
        return self.b.or_(self.cmp(">", self.fabs(x), limit), self.cmp(">", self.fabs(y), limit))

    def log_abs_big(self, x, y):
        """log|z| of a huge z without overflow: log(hypot(x/2, y/2)) + 2 ln 2."""
        two = self.const(2.0)
        return self.add(self.libm("log", self.libm("hypot", self.div(x, two), self.div(y, two))),
                        self.const(LN2 * 2.0))

    def pick(self, x, y, name: str, large, big, normal):
        """(re, im, errno 0): the table's entry for a non-finite z, `big` for a large one, else `normal`."""
        t_re, t_im, _ = self.table(name, x, y)
        finite = self.finite_pair(x, y)
        return (self.sel(finite, self.sel(large, big[0], normal[0]), t_re),
                self.sel(finite, self.sel(large, big[1], normal[1]), t_im), self.i32(0))

    def call(self, name: str, x, y):
        out = self.b.call(helper(self.module, name), [x, y])
        return self.b.extract_value(out, 0), self.b.extract_value(out, 1), self.b.extract_value(out, 2)

    def errno(self, cond, code: int, otherwise=None):
        return self.sel(cond, self.i32(code), otherwise if otherwise is not None else self.i32(0))


def helper(module: ir.Module, name: str) -> ir.Function:
    """`jitlab.rt.cmath.<name>`, built on first use in `module`."""
    fn_name = f"jitlab.rt.cmath.{name}"
    if fn_name in module.globals:
        return module.globals[fn_name]
    fn = ir.Function(module, ir.FunctionType(RESULT, [F64, F64]), fn_name)
    fn.linkage = "internal"
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    m = _Body(b, module)
    re, im, errno = _BODIES[name](m, *fn.args)
    out = b.insert_value(ir.Constant(RESULT, ir.Undefined), re, 0)
    out = b.insert_value(out, im, 1)
    b.ret(b.insert_value(out, errno, 2))
    return fn


# -- the bodies: (m, x, y) -> (re, im, errno) ------------------------------------------------
def _sqrt(m: _Body, x, y):
    t_re, t_im, _ = m.table("sqrt", x, y)
    zero = m.const(0.0)
    ax, ay = m.fabs(x), m.fabs(y)
    tiny = m.b.and_(m.cmp("<", ax, m.const(DBL_MIN)), m.cmp("<", ay, m.const(DBL_MIN)))
    up = m.const(2.0 ** SCALE_UP)
    ax_up = m.mul(ax, up)  # ldexp by an exact power of two
    s_tiny = m.mul(m.intrinsic("sqrt", m.add(ax_up, m.libm("hypot", ax_up, m.mul(ay, up)))),
                   m.const(2.0 ** SCALE_DOWN))
    ax8 = m.div(ax, m.const(8.0))
    hyp8 = m.libm("hypot", ax8, m.div(ay, m.const(8.0)))
    s_big = m.mul(m.const(2.0), m.intrinsic("sqrt", m.add(ax8, hyp8)))
    s = m.sel(tiny, s_tiny, s_big)
    d = m.div(ay, m.mul(m.const(2.0), s))
    nonnegative = m.cmp(">=", x, zero)
    re = m.sel(nonnegative, s, d)
    im = m.copysign(m.sel(nonnegative, d, s), y)
    both_zero = m.b.and_(m.cmp("==", x, zero), m.cmp("==", y, zero))
    re, im = m.sel(both_zero, zero, re), m.sel(both_zero, y, im)
    finite = m.finite_pair(x, y)
    return m.sel(finite, re, t_re), m.sel(finite, im, t_im), m.i32(0)


def _exp_like(name: str):
    """exp, cosh, sinh: their finite formulas and the computed infinite cases."""
    def body(m: _Body, x, y):
        b = m.b
        t_re, t_im, _ = m.table(name, x, y)
        inf, zero, e = m.const(math.inf), m.const(0.0), m.const(math.e)
        cos_y, sin_y = m.libm("cos", y), m.libm("sin", y)
        positive = m.cmp(">", x, zero)
        if name == "exp":
            s_re = m.sel(positive, m.copysign(inf, cos_y), m.copysign(zero, cos_y))
            s_im = m.sel(positive, m.copysign(inf, sin_y), m.copysign(zero, sin_y))
            large = m.cmp(">", x, m.const(LOG_LARGE))
            big = m.libm("exp", m.sub(x, m.const(1.0)))
            small = m.libm("exp", x)
            re = m.sel(large, m.mul(m.mul(big, cos_y), e), m.mul(small, cos_y))
            im = m.sel(large, m.mul(m.mul(big, sin_y), e), m.mul(small, sin_y))
            edom = b.and_(m.isinf(y), b.or_(m.isfinite(x), b.and_(m.isinf(x), positive)))
        else:
            first, second = ("cosh", "sinh") if name == "cosh" else ("sinh", "cosh")
            if name == "cosh":
                s_re, s_im = m.copysign(inf, cos_y), m.sel(positive, m.copysign(inf, sin_y),
                                                           m.neg(m.copysign(inf, sin_y)))
            else:
                s_re = m.sel(positive, m.copysign(inf, cos_y), m.neg(m.copysign(inf, cos_y)))
                s_im = m.copysign(inf, sin_y)
            large = m.cmp(">", m.fabs(x), m.const(LOG_LARGE))
            x1 = m.sub(x, m.copysign(m.const(1.0), x))
            re = m.sel(large, m.mul(m.mul(cos_y, m.libm(first, x1)), e), m.mul(cos_y, m.libm(first, x)))
            im = m.sel(large, m.mul(m.mul(sin_y, m.libm(second, x1)), e), m.mul(sin_y, m.libm(second, x)))
            edom = b.and_(m.isinf(y), b.not_(m.isnan(x)))
        computed = b.and_(b.and_(m.isinf(x), m.isfinite(y)), m.cmp("!=", y, zero))
        sp_re, sp_im = m.sel(computed, s_re, t_re), m.sel(computed, s_im, t_im)
        finite = m.finite_pair(x, y)
        overflow = b.or_(m.isinf(re), m.isinf(im))
        errno = m.sel(finite, m.errno(overflow, ERANGE), m.errno(edom, EDOM))
        return m.sel(finite, re, sp_re), m.sel(finite, im, sp_im), errno
    return body


def _tanh(m: _Body, x, y):
    b = m.b
    t_re, t_im, _ = m.table("tanh", x, y)
    zero, one = m.const(0.0), m.const(1.0)
    sin_y, cos_y = m.libm("sin", y), m.libm("cos", y)
    s_re = m.sel(m.cmp(">", x, zero), one, m.const(-1.0))
    s_im = m.copysign(zero, m.mul(m.mul(m.const(2.0), sin_y), cos_y))
    computed = b.and_(b.and_(m.isinf(x), m.isfinite(y)), m.cmp("!=", y, zero))
    large = m.cmp(">", m.fabs(x), m.const(LOG_LARGE))
    big_re = m.copysign(one, x)
    big_im = m.mul(m.mul(m.mul(m.const(4.0), sin_y), cos_y), m.libm("exp", m.mul(m.const(-2.0), m.fabs(x))))
    tx, ty = m.libm("tanh", x), m.libm("tan", y)
    cx = m.div(one, m.libm("cosh", x))
    txty = m.mul(tx, ty)
    denom = m.add(one, m.mul(txty, txty))
    re = m.sel(large, big_re, m.div(m.mul(tx, m.add(one, m.mul(ty, ty))), denom))
    im = m.sel(large, big_im, m.mul(m.mul(m.div(ty, denom), cx), cx))
    finite = m.finite_pair(x, y)
    edom = b.and_(m.isinf(y), m.isfinite(x))
    return (m.sel(finite, re, m.sel(computed, s_re, t_re)), m.sel(finite, im, m.sel(computed, s_im, t_im)),
            m.sel(finite, m.i32(0), m.errno(edom, EDOM)))


def _log(m: _Body, x, y):
    """CPython's c_log."""
    b = m.b
    t_re, t_im, _ = m.table("log", x, y)
    zero = m.const(0.0)
    ax, ay = m.fabs(x), m.fabs(y)
    large = m.large(x, y)
    tiny = b.and_(m.cmp("<", ax, m.const(DBL_MIN)), m.cmp("<", ay, m.const(DBL_MIN)))
    both_zero = b.and_(m.cmp("==", ax, zero), m.cmp("==", ay, zero))
    re_large = m.add(m.libm("log", m.libm("hypot", m.div(ax, m.const(2.0)), m.div(ay, m.const(2.0)))),
                     m.const(LN2))  # (log|z| + ln 2: c_log's own constant)
    scale = m.const(2.0 ** sys.float_info.mant_dig)
    re_tiny = m.sub(m.libm("log", m.libm("hypot", m.mul(ax, scale), m.mul(ay, scale))),
                    m.const(sys.float_info.mant_dig * LN2))
    h = m.libm("hypot", ax, ay)
    near_one = b.and_(m.cmp("<=", m.const(0.71), h), m.cmp("<=", h, m.const(1.73)))
    am, an = m.sel(m.cmp(">", ax, ay), ax, ay), m.sel(m.cmp(">", ax, ay), ay, ax)
    re_near = m.div(m.libm("log1p", m.add(m.mul(m.sub(am, m.const(1.0)), m.add(am, m.const(1.0))),
                                          m.mul(an, an))), m.const(2.0))
    re = m.sel(large, re_large, m.sel(tiny, m.sel(both_zero, m.const(-math.inf), re_tiny),
                                      m.sel(near_one, re_near, m.libm("log", h))))
    im = m.libm("atan2", y, x)
    finite = m.finite_pair(x, y)
    errno = m.errno(b.and_(finite, both_zero), EDOM)
    return m.sel(finite, re, t_re), m.sel(finite, im, t_im), errno


def _log10(m: _Body, x, y):
    re, im, errno = m.call("log", x, y)
    ln10 = m.const(LN10)
    return m.div(re, ln10), m.div(im, ln10), errno


def _acos(m: _Body, x, y):
    zero, one = m.const(0.0), m.const(1.0)
    log_abs = m.log_abs_big(x, y)
    big_im = m.sel(m.cmp("<", x, zero), m.neg(m.copysign(log_abs, y)), m.copysign(log_abs, m.neg(y)))
    s1_re, s1_im, _ = m.call("sqrt", m.sub(one, x), m.neg(y))
    s2_re, s2_im, _ = m.call("sqrt", m.add(one, x), y)
    re = m.mul(m.const(2.0), m.libm("atan2", s1_re, s2_re))
    im = m.libm("asinh", m.sub(m.mul(s2_re, s1_im), m.mul(s2_im, s1_re)))
    return m.pick(x, y, "acos", m.large(x, y), (m.libm("atan2", m.fabs(y), x), big_im), (re, im))


def _acosh(m: _Body, x, y):
    one = m.const(1.0)
    s1_re, s1_im, _ = m.call("sqrt", m.sub(x, one), y)
    s2_re, s2_im, _ = m.call("sqrt", m.add(x, one), y)
    re = m.libm("asinh", m.add(m.mul(s1_re, s2_re), m.mul(s1_im, s2_im)))
    im = m.mul(m.const(2.0), m.libm("atan2", s1_im, s2_re))
    return m.pick(x, y, "acosh", m.large(x, y), (m.log_abs_big(x, y), m.libm("atan2", y, x)), (re, im))


def _asinh(m: _Body, x, y):
    zero, one = m.const(0.0), m.const(1.0)
    log_abs = m.log_abs_big(x, y)
    big_re = m.sel(m.cmp(">=", y, zero), m.copysign(log_abs, x), m.neg(m.copysign(log_abs, m.neg(x))))
    s1_re, s1_im, _ = m.call("sqrt", m.add(one, y), m.neg(x))
    s2_re, s2_im, _ = m.call("sqrt", m.sub(one, y), x)
    re = m.libm("asinh", m.sub(m.mul(s1_re, s2_im), m.mul(s2_re, s1_im)))
    im = m.libm("atan2", y, m.sub(m.mul(s1_re, s2_re), m.mul(s1_im, s2_im)))
    return m.pick(x, y, "asinh", m.large(x, y), (big_re, m.libm("atan2", y, m.fabs(x))), (re, im))


def _atanh(m: _Body, x, y):
    b = m.b
    t_re, t_im, _ = m.table("atanh", x, y)
    zero, one, two = m.const(0.0), m.const(1.0), m.const(2.0)
    flip = m.cmp("<", x, zero)  # atanh(z) = -atanh(-z) makes the real part >= 0
    x = m.sel(flip, m.neg(x), x)
    y_in = y
    y = m.sel(flip, m.neg(y), y)
    ay = m.fabs(y)
    large = m.large(x, y, SQRT_LARGE)  # (x >= 0 here)
    h = m.libm("hypot", m.div(x, two), m.div(y, two))
    big_re = m.div(m.div(m.div(x, m.const(4.0)), h), h)
    big_im = m.neg(m.copysign(m.const(math.pi / 2.0), m.neg(y)))
    at_one = b.and_(m.cmp("==", x, one), m.cmp("<", ay, m.const(SQRT_DBL_MIN)))
    ay_zero = m.cmp("==", ay, zero)
    ratio = m.div(m.intrinsic("sqrt", ay), m.intrinsic("sqrt", m.libm("hypot", ay, two)))
    one_re = m.sel(ay_zero, m.const(math.inf), m.neg(m.libm("log", ratio)))
    one_im = m.sel(ay_zero, y, m.copysign(m.div(m.libm("atan2", two, m.neg(ay)), two), y))
    one_minus = m.sub(one, x)
    denominator = m.add(m.mul(one_minus, one_minus), m.mul(ay, ay))
    re = m.div(m.libm("log1p", m.div(m.mul(m.const(4.0), x), denominator)), m.const(4.0))
    im = m.neg(m.div(m.libm("atan2", m.mul(m.const(-2.0), y),
                            m.sub(m.mul(one_minus, m.add(one, x)), m.mul(ay, ay))), two))
    re = m.sel(large, big_re, m.sel(at_one, one_re, re))
    im = m.sel(large, big_im, m.sel(at_one, one_im, im))
    re, im = m.sel(flip, m.neg(re), re), m.sel(flip, m.neg(im), im)
    finite = m.finite_pair(x, y_in)
    errno = m.errno(b.and_(b.and_(finite, b.not_(large)), b.and_(at_one, ay_zero)), EDOM)
    return m.sel(finite, re, t_re), m.sel(finite, im, t_im), errno


def _rotated(inner: str, back: bool):
    """f(z) through g(i z): asin/atan/sin/tan (`back`: the result turned back by -i) and cos."""
    def body(m: _Body, x, y):
        re, im, errno = m.call(inner, m.neg(y), x)
        return (im, m.neg(re), errno) if back else (re, im, errno)
    return body


def _rect(m: _Body, r, phi):
    b = m.b
    t_re, t_im, _ = m.table("rect", r, phi)
    zero, inf = m.const(0.0), m.const(math.inf)
    cos_p, sin_p = m.libm("cos", phi), m.libm("sin", phi)
    positive = m.cmp(">", r, zero)
    s_re = m.sel(positive, m.copysign(inf, cos_p), m.neg(m.copysign(inf, cos_p)))
    s_im = m.sel(positive, m.copysign(inf, sin_p), m.neg(m.copysign(inf, sin_p)))
    computed = b.and_(b.and_(m.isinf(r), m.isfinite(phi)), m.cmp("!=", phi, zero))
    phi_zero = m.cmp("==", phi, zero)
    re = m.sel(phi_zero, r, m.mul(r, cos_p))
    im = m.sel(phi_zero, m.mul(r, phi), m.mul(r, sin_p))
    finite = m.finite_pair(r, phi)
    edom = b.and_(b.and_(b.fcmp_unordered("!=", r, zero), b.not_(m.isnan(r))), m.isinf(phi))
    return (m.sel(finite, re, m.sel(computed, s_re, t_re)), m.sel(finite, im, m.sel(computed, s_im, t_im)),
            m.sel(finite, m.i32(0), m.errno(edom, EDOM)))


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
