"""`math.gamma`, `math.lgamma`, `math.comb`, `math.perm`, `math.lcm`, `math.fsum`, `math.hypot`/`dist`.

CPython computes gamma and lgamma with its own Lanczos approximation (N = 13, g =
6.024680040776729583740234375, the rational form of the sum that Boost uses), not with libm's
`tgamma`/`lgamma`; the helpers here take the same steps with the same libm calls (`exp`, `pow`,
`log`, `sin`, `cos`, `fmod`), so the results are CPython's bits.  The Lanczos coefficients are the
published values (computed with MPFR to 50 digits); the integer gamma values are exact.

`comb`/`perm`/`lcm` work on int64: CPython returns an int of any size, jitlab raises
`OverflowError` (`messages.comb_overflow`) when the exact result does not fit.  `fsum` is
Shewchuk's exact summation with CPython's final rounding step and its errors for an overflowing
intermediate sum and `inf + -inf`.  `hypot` (of any number of coordinates) and `dist` are CPython's
`vector_norm`: a power-of-two scaling, exact squares (an fma from 3.12 on, Veltkamp-Dekker splitting
before), compensated sums and one correction of the square root -- not libm's `hypot`.
"""
from __future__ import annotations

import math
import sys

from llvmlite import ir

from jitlab.ir.types import F64 as F64_T, I64 as I64_T, ListType, TupleType, Type

from . import lower_lists as lists
from . import messages as msg
from .irmodule import declare, get_or_define
from .lower import F64, I1, I64, FunctionLowerer
from .lower_arith import int_arith, is_int
from .lower_arrays import load_element

_I32 = ir.IntType(32)

LANCZOS_G = 6.024680040776729583740234375
LANCZOS_G_MINUS_HALF = 5.524680040776729583740234375
LANCZOS_NUM = (
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
)
LANCZOS_DEN = (0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0,
               2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0)  # x (x+1) ... (x+11)
GAMMA_INTEGRAL = tuple(float(math.factorial(n)) for n in range(23))  # Γ(n + 1), exact to 22!
LOG_PI = 1.144729885849400174143427351353058711647


class _Fn:
    """An internal `double` helper being built: its builder and libm calls, no fast-math flags
    (the error terms of gamma must not be reassociated away)."""

    def __init__(self, module: ir.Module, fn: ir.Function):
        self.module = module
        self.fn = fn
        self.b = ir.IRBuilder(fn.append_basic_block("entry"))

    def c(self, value: float) -> ir.Constant:
        return ir.Constant(F64, value)

    def libm(self, name: str, *args):
        return self.b.call(declare(self.module, name, ir.FunctionType(F64, [F64] * len(args))), list(args))

    def intrinsic(self, name: str, *args):
        return self.libm(f"llvm.{name}.f64", *args)

    def block(self, name: str) -> ir.Block:
        return self.fn.append_basic_block(name)

    def ret_if(self, cond, value_fn, name: str) -> None:
        """Return `value_fn()` (built in its own block) when `cond`, else go on."""
        then, cont = self.block(name), self.block(name + ".no")
        self.b.cbranch(cond, then, cont)
        self.b.position_at_end(then)
        self.b.ret(value_fn())
        self.b.position_at_end(cont)


def _helper(module: ir.Module, name: str, params: list[ir.Type], build, ret: ir.Type = F64) -> ir.Function:
    """The internal helper `name` of `module` (`ret(params)`): its body is written by `build(f)`
    over a new `_Fn` the first time it is asked for (`irmodule.get_or_define`)."""
    return get_or_define(module, name, ir.FunctionType(ret, params), lambda fn: build(_Fn(module, fn)))


def sinpi(module: ir.Module) -> ir.Function:
    """`jitlab.rt.sinpi(x)`: sin(pi*x) for finite x, exact at integers (CPython's m_sinpi)."""
    name = "jitlab.rt.sinpi"

    def build(f: _Fn) -> None:
        b, (x,) = f.b, f.fn.args
        y = f.libm("fmod", f.intrinsic("fabs", x), f.c(2.0))
        n = b.fptosi(f.intrinsic("round", b.fmul(f.c(2.0), y)), _I32)
        pi = f.c(math.pi)
        done = f.block("done")
        cases = []
        switch_block = b.block
        for k, compute in enumerate((
                lambda: f.libm("sin", b.fmul(pi, y)),
                lambda: f.libm("cos", b.fmul(pi, b.fsub(y, f.c(0.5)))),
                lambda: f.libm("sin", b.fmul(pi, b.fsub(f.c(1.0), y))),
                lambda: b.fneg(f.libm("cos", b.fmul(pi, b.fsub(y, f.c(1.5))))),
                lambda: f.libm("sin", b.fmul(pi, b.fsub(y, f.c(2.0)))))):
            block = f.block(f"case{k}")
            b.position_at_end(block)
            cases.append((block, compute()))
            b.branch(done)
        b.position_at_end(switch_block)
        switch = b.switch(n, cases[0][0])
        for k, (block, _) in enumerate(cases):
            switch.add_case(ir.Constant(_I32, k), block)
        b.position_at_end(done)
        r = b.phi(F64)
        for block, value in cases:
            r.add_incoming(value, block)
        b.ret(b.fmul(f.intrinsic("copysign", f.c(1.0), x), r))
    return _helper(module, name, [F64], build)


def lanczos_sum(module: ir.Module) -> ir.Function:
    """`jitlab.rt.lanczos_sum(x)` for x > 0: the rational function, in 1/x from x = 5 on."""
    name = "jitlab.rt.lanczos_sum"

    def build(f: _Fn) -> None:
        b, (x,) = f.b, f.fn.args
        small, large = f.block("small"), f.block("large")
        b.cbranch(b.fcmp_ordered("<", x, f.c(5.0)), small, large)
        b.position_at_end(small)
        num = den = f.c(0.0)
        for i in reversed(range(len(LANCZOS_NUM))):
            num = b.fadd(b.fmul(num, x), f.c(LANCZOS_NUM[i]))
            den = b.fadd(b.fmul(den, x), f.c(LANCZOS_DEN[i]))
        b.ret(b.fdiv(num, den))
        b.position_at_end(large)
        num = den = f.c(0.0)
        for i in range(len(LANCZOS_NUM)):
            num = b.fadd(b.fdiv(num, x), f.c(LANCZOS_NUM[i]))
            den = b.fadd(b.fdiv(den, x), f.c(LANCZOS_DEN[i]))
        b.ret(b.fdiv(num, den))
    return _helper(module, name, [F64], build)


def gamma_function(module: ir.Module) -> ir.Function:
    """`jitlab.rt.gamma(x)`: Γ(x) as CPython's math.gamma computes it; the callers raise its
    errors (a pole or -inf: ValueError; an infinite result of a finite x: OverflowError)."""
    name = "jitlab.rt.gamma"

    def build(f: _Fn) -> None:
        b, (x,) = f.b, f.fn.args
        inf, nan = f.c(math.inf), f.c(math.nan)
        absx = f.intrinsic("fabs", x)
        f.ret_if(b.fcmp_unordered("uno", x, x), lambda: x, "nan")
        f.ret_if(b.fcmp_ordered("==", x, inf), lambda: x, "inf")
        f.ret_if(b.fcmp_ordered("==", x, f.c(-math.inf)), lambda: nan, "ninf")
        f.ret_if(b.fcmp_ordered("==", x, f.c(0.0)), lambda: f.intrinsic("copysign", inf, x), "zero")
        integral = b.fcmp_ordered("==", x, f.intrinsic("floor", x))
        f.ret_if(b.and_(integral, b.fcmp_ordered("<", x, f.c(0.0))), lambda: nan, "pole")
        table_type = ir.ArrayType(F64, len(GAMMA_INTEGRAL))
        table = ir.GlobalVariable(module, table_type, "jitlab.rt.gamma_integral")
        table.linkage, table.global_constant = "internal", True
        table.initializer = ir.Constant(table_type, [f.c(v) for v in GAMMA_INTEGRAL])

        def from_table():
            index = b.fptosi(x, I64)
            return b.load(b.gep(table, [ir.Constant(I64, 0), b.sub(index, ir.Constant(I64, 1))],
                                inbounds=True))

        f.ret_if(b.and_(integral, b.fcmp_ordered("<=", x, f.c(23.0))), from_table, "table")
        f.ret_if(b.fcmp_ordered("<", absx, f.c(1e-20)), lambda: b.fdiv(f.c(1.0), x), "tiny")
        sinpi_fn = sinpi(module)
        huge, cont = f.block("huge"), f.block("lanczos")
        b.cbranch(b.fcmp_ordered(">", absx, f.c(200.0)), huge, cont)
        b.position_at_end(huge)
        b.ret(b.select(b.fcmp_ordered("<", x, f.c(0.0)), b.fdiv(f.c(0.0), b.call(sinpi_fn, [x])), inf))
        b.position_at_end(cont)
        g, gmh = f.c(LANCZOS_G), f.c(LANCZOS_G_MINUS_HALF)
        y = b.fadd(absx, gmh)
        # the rounding error of y, e = y - (absx + g - 1/2), computed exactly
        z = b.select(b.fcmp_ordered(">", absx, gmh), b.fsub(b.fsub(y, absx), gmh),
                     b.fsub(b.fsub(y, gmh), absx))
        z = b.fdiv(b.fmul(z, g), y)
        lsum = b.call(lanczos_sum(module), [absx])
        below_140 = b.fcmp_ordered("<", absx, f.c(140.0))
        negative, positive = f.block("negative"), f.block("positive")
        b.cbranch(b.fcmp_ordered("<", x, f.c(0.0)), negative, positive)
        for block, sign in ((negative, -1), (positive, 1)):
            b.position_at_end(block)
            if sign < 0:
                r = b.fdiv(b.fdiv(f.c(-math.pi), b.call(sinpi_fn, [absx])), absx)
                r = b.fdiv(b.fmul(r, f.libm("exp", y)), lsum)
                r = b.fsub(r, b.fmul(z, r))
            else:
                r = b.fdiv(lsum, f.libm("exp", y))
                r = b.fadd(r, b.fmul(z, r))
            scale = b.fdiv if sign < 0 else b.fmul
            whole = scale(r, f.libm("pow", y, b.fsub(absx, f.c(0.5))))
            half = f.libm("pow", y, b.fsub(b.fdiv(absx, f.c(2.0)), f.c(0.25)))
            b.ret(b.select(below_140, whole, scale(scale(r, half), half)))
    return _helper(module, name, [F64], build)


def lgamma_function(module: ir.Module) -> ir.Function:
    """`jitlab.rt.lgamma(x)`: log|Γ(x)| as CPython's math.lgamma (inf at the poles, where the
    callers raise ValueError)."""
    name = "jitlab.rt.lgamma"

    def build(f: _Fn) -> None:
        b, (x,) = f.b, f.fn.args
        inf = f.c(math.inf)
        absx = f.intrinsic("fabs", x)
        f.ret_if(b.fcmp_unordered("uno", x, x), lambda: x, "nan")
        f.ret_if(b.fcmp_ordered("==", absx, inf), lambda: inf, "inf")
        integral = b.and_(b.fcmp_ordered("==", x, f.intrinsic("floor", x)), b.fcmp_ordered("<=", x, f.c(2.0)))
        f.ret_if(integral, lambda: b.select(b.fcmp_ordered("<=", x, f.c(0.0)), inf, f.c(0.0)), "integral")
        f.ret_if(b.fcmp_ordered("<", absx, f.c(1e-20)), lambda: b.fneg(f.libm("log", absx)), "tiny")
        r = b.fsub(f.libm("log", b.call(lanczos_sum(module), [absx])), f.c(LANCZOS_G))
        shifted = b.fsub(b.fadd(absx, f.c(LANCZOS_G)), f.c(0.5))
        r = b.fadd(r, b.fmul(b.fsub(absx, f.c(0.5)), b.fsub(f.libm("log", shifted), f.c(1.0))))
        negative, done = f.block("negative"), f.block("done")
        b.cbranch(b.fcmp_ordered("<", x, f.c(0.0)), negative, done)
        b.position_at_end(negative)
        reflected = b.fsub(f.c(LOG_PI), f.libm("log", f.intrinsic("fabs", b.call(sinpi(module), [absx]))))
        reflected = b.fsub(b.fsub(reflected, f.libm("log", absx)), r)
        b.ret(reflected)
        b.position_at_end(done)
        b.ret(r)
    return _helper(module, name, [F64], build)


def gamma(fl: FunctionLowerer, x, lgamma: bool = False):
    """`math.gamma(x)` / `math.lgamma(x)` with CPython's errors."""
    bld = fl.builder
    fabs = bld.call(fl.intrinsic("fabs", F64), [x])
    finite = bld.fcmp_ordered("<", fabs, ir.Constant(F64, math.inf))
    integral = bld.fcmp_ordered("==", x, bld.call(fl.intrinsic("floor", F64), [x]))
    pole = bld.and_(bld.and_(integral, finite), bld.fcmp_ordered("<=", x, ir.Constant(F64, 0.0)))
    if not lgamma:
        pole = bld.or_(pole, bld.fcmp_ordered("==", x, ir.Constant(F64, -math.inf)))
    fl.raise_if(pole, ValueError, msg.GAMMA_DOMAIN, x)
    fn = lgamma_function(fl.module) if lgamma else gamma_function(fl.module)
    result = bld.call(fn, [x])
    magnitude = bld.call(fl.intrinsic("fabs", F64), [result])
    result_inf = bld.fcmp_ordered("==", magnitude, ir.Constant(F64, math.inf))
    fl.raise_if(bld.and_(result_inf, finite), OverflowError, msg.MATH_RANGE)
    return result


# -- integers ------------------------------------------------------------------------------
def _nonnegative(fl: FunctionLowerer, n, message: str) -> None:
    fl.raise_if(fl.builder.icmp_signed("<", n, ir.Constant(I64, 0)), ValueError, message)


def _gcd(fl: FunctionLowerer, a, b):
    from .lower_math import _gcd_function

    return fl.builder.call(_gcd_function(fl.module), [a, b])


def _checked_product(fl: FunctionLowerer, name: str, first, count, step):
    """acc = 1; for i in first .. first + count - 1: acc = step(acc, i), each step's product checked
    (`step` gives the two factors)."""
    bld = fl.builder
    one = ir.Constant(I64, 1)
    before = bld.block
    head, body, done = (fl.func.append_basic_block(f"{name}.{s}") for s in ("head", "body", "done"))
    bld.branch(head)
    bld.position_at_end(head)
    i, acc = bld.phi(I64, "i"), bld.phi(I64, "acc")
    i.add_incoming(first, before)
    acc.add_incoming(one, before)
    bld.cbranch(bld.icmp_signed("<", bld.sub(i, first), count), body, done)
    bld.position_at_end(body)
    product = bld.smul_with_overflow(*step(acc, i))
    fl.raise_if(bld.extract_value(product, 1), OverflowError, msg.int_result_overflow(name))
    i.add_incoming(bld.add(i, one), bld.block)
    acc.add_incoming(bld.extract_value(product, 0), bld.block)
    bld.branch(head)
    bld.position_at_end(done)
    return acc


def comb(fl: FunctionLowerer, n, k):
    """C(n, k) = prod_{i=1..k} (n-k+i)/i with k = min(k, n-k): every partial product is C(n-k+i, i),
    which grows with i, so the first overflow means the result does not fit."""
    bld = fl.builder
    _nonnegative(fl, n, msg.COMB_N_NEGATIVE)
    _nonnegative(fl, k, msg.COMB_K_NEGATIVE)
    zero = ir.Constant(I64, 0)
    over = bld.icmp_signed(">", k, n)
    k = bld.select(over, zero, k)
    k = bld.select(bld.icmp_signed(">", k, bld.sub(n, k)), bld.sub(n, k), k)
    m = bld.sub(n, k)

    def step(acc, i):
        g = _gcd(fl, acc, i)  # i divides acc * (m + i); i / g divides m + i
        return bld.sdiv(acc, g), bld.sdiv(bld.add(m, i), bld.sdiv(i, g))

    return bld.select(over, zero, _checked_product(fl, "comb", ir.Constant(I64, 1), k, step))


def perm(fl: FunctionLowerer, n, k):
    """n (n-1) ... (n-k+1), checked (the factors are >= 1, so the product never shrinks)."""
    bld = fl.builder
    _nonnegative(fl, n, msg.PERM_N_NEGATIVE)
    _nonnegative(fl, k, msg.PERM_K_NEGATIVE)
    zero = ir.Constant(I64, 0)
    over = bld.icmp_signed(">", k, n)
    k = bld.select(over, zero, k)
    product = _checked_product(fl, "perm", zero, k, lambda acc, i: (acc, bld.sub(n, i)))
    return bld.select(over, zero, product)


def lcm(fl: FunctionLowerer, xs):
    """lcm of int64s: |a / gcd(a, b) * b|, checked."""
    bld = fl.builder
    zero = ir.Constant(I64, 0)
    if not xs:
        return ir.Constant(I64, 1)

    def magnitude(v):
        negative = bld.icmp_signed("<", v, zero)
        fl.raise_if(bld.and_(negative, bld.icmp_signed("==", v, ir.Constant(I64, -2**63))), OverflowError,
                    msg.int_result_overflow("lcm"))
        return bld.select(negative, bld.sub(zero, v), v)

    result = magnitude(xs[0])
    for x in xs[1:]:
        x = magnitude(x)
        g = _gcd(fl, result, x)
        either_zero = bld.or_(bld.icmp_signed("==", result, zero), bld.icmp_signed("==", x, zero))
        safe_g = bld.select(either_zero, ir.Constant(I64, 1), g)
        product = bld.smul_with_overflow(bld.sdiv(result, safe_g), x)
        fl.raise_if(bld.and_(bld.not_(either_zero), bld.extract_value(product, 1)), OverflowError,
                    msg.int_result_overflow("lcm"))
        result = bld.select(either_zero, zero, bld.extract_value(product, 0))
    return result


# -- hypot and dist: CPython's vector_norm -----------------------------------------------------
# 3.12+ squares with an fma (error-free product); before, with Veltkamp-Dekker splitting
NORM_BY_FMA = sys.version_info >= (3, 12)
_T27 = 134217729.0  # 2**27 + 1, the splitting constant


def vector_norm_function(module: ir.Module) -> ir.Function:
    """`jitlab.rt.vector_norm(double* xs, i64 n, double max, i1 nan)`: CPython's `vector_norm` of
    the magnitudes `xs` (the largest is `max`): scaled by a power of two, squared exactly, summed
    with compensation, the square root corrected once (the running CPython's variant)."""
    name = "jitlab.rt.vector_norm"

    def build(f: _Fn) -> None:
        b, (xs, n, max_, found_nan) = f.b, f.fn.args
        zero_i, one_i = ir.Constant(I64, 0), ir.Constant(I64, 1)
        f.ret_if(b.fcmp_ordered("==", max_, f.c(math.inf)), lambda: max_, "inf")
        f.ret_if(found_nan, lambda: f.c(math.nan), "nan")
        trivial = b.or_(b.fcmp_ordered("==", max_, f.c(0.0)), b.icmp_signed("<=", n, one_i))
        f.ret_if(trivial, lambda: max_, "trivial")
        slot = b.alloca(_I32, name="max_e")
        frexp = declare(module, "frexp", ir.FunctionType(F64, [F64, slot.type]))
        ldexp = declare(module, "ldexp", ir.FunctionType(F64, [F64, _I32]))

        def exponent_of(value):
            b.call(frexp, [value, slot])
            return b.load(slot)

        def loop(body, state):
            """for each x in xs: state = body(x, state); the final state."""
            before = b.block
            head, step, done = f.block("head"), f.block("step"), f.block("done")
            b.branch(head)
            b.position_at_end(head)
            i = b.phi(I64)
            phis = [b.phi(F64) for _ in state]
            i.add_incoming(zero_i, before)
            for phi, value in zip(phis, state):
                phi.add_incoming(value, before)
            b.cbranch(b.icmp_signed("<", i, n), step, done)
            b.position_at_end(step)
            new = body(b.load(b.gep(xs, [i], inbounds=True)), phis)
            i.add_incoming(b.add(i, one_i), b.block)
            for phi, value in zip(phis, new):
                phi.add_incoming(value, b.block)
            b.branch(head)
            b.position_at_end(done)
            return phis

        def fast_sum(a, x):  # |a| >= |x|: a + x and its rounding error
            total = b.fadd(a, x)
            return total, b.fadd(b.fsub(a, total), x)

        def add_compensated(csum, frac, x):
            total, err = fast_sum(csum, x)
            return total, b.fadd(frac, err)

        one, zero = f.c(1.0), f.c(0.0)
        dbl_min = f.c(sys.float_info.min)
        tiny = b.icmp_signed("<", exponent_of(max_), ir.Constant(_I32, -1023))
        if NORM_BY_FMA:
            def exact_square(x):  # x*x and its rounding error (an fma: no Veltkamp split needed)
                hi = b.fmul(x, x)
                return hi, f.intrinsic("fma", x, x, b.fneg(hi))

            divisor = b.select(tiny, dbl_min, one)  # subnormal magnitudes made normal, the norm scaled back
            scale = b.call(ldexp, [one, b.neg(exponent_of(b.fdiv(max_, divisor)))])

            def body(x, state):
                csum, frac1, frac2 = state
                hi, lo = exact_square(b.fmul(b.fdiv(x, divisor), scale))
                total, err = fast_sum(csum, hi)
                return total, b.fadd(frac1, lo), b.fadd(frac2, err)

            csum, frac1, frac2 = loop(body, [one, zero, zero])
            h = f.intrinsic("sqrt", b.fadd(b.fsub(csum, one), b.fadd(frac1, frac2)))
            minus_h = b.fneg(h)
            hi = b.fmul(minus_h, h)  # (-h) * h, exactly: hi + lo
            lo = f.intrinsic("fma", minus_h, h, b.fneg(hi))
            total, err = fast_sum(csum, hi)
            x = b.fadd(b.fsub(total, one), b.fadd(b.fadd(frac1, lo), b.fadd(frac2, err)))
            h = b.fadd(h, b.fdiv(x, b.fmul(f.c(2.0), h)))
            result = b.fdiv(h, scale)
            b.ret(b.select(tiny, b.fmul(dbl_min, result), result))
            return
        # before 3.12: Veltkamp-Dekker splitting, three fraction sums; no scaling for subnormals
        small, scaled = f.block("subnormal"), f.block("scaled")
        b.cbranch(tiny, small, scaled)
        b.position_at_end(small)

        def simple(x, state):
            csum, frac1 = state
            x = b.fdiv(x, max_)
            return add_compensated(csum, frac1, b.fmul(x, x))

        csum, frac1 = loop(simple, [one, zero])
        b.ret(b.fmul(max_, f.intrinsic("sqrt", b.fadd(b.fsub(csum, one), frac1))))
        b.position_at_end(scaled)
        scale = b.call(ldexp, [one, b.neg(exponent_of(max_))])
        t27, two = f.c(_T27), f.c(2.0)

        def split(x):
            t = b.fmul(x, t27)
            hi = b.fsub(t, b.fsub(t, x))
            return hi, b.fsub(x, hi)

        def veltkamp(x, state):
            csum, frac1, frac2, frac3 = state
            hi, lo = split(b.fmul(x, scale))
            csum, frac1 = add_compensated(csum, frac1, b.fmul(hi, hi))
            csum, frac2 = add_compensated(csum, frac2, b.fmul(b.fmul(two, hi), lo))
            return csum, frac1, frac2, b.fadd(frac3, b.fmul(lo, lo))

        csum, frac1, frac2, frac3 = loop(veltkamp, [one, zero, zero, zero])
        h = f.intrinsic("sqrt", b.fadd(b.fsub(csum, one), b.fadd(b.fadd(frac1, frac2), frac3)))
        hi, lo = split(h)
        csum, frac1 = add_compensated(csum, frac1, b.fmul(b.fneg(hi), hi))
        csum, frac2 = add_compensated(csum, frac2, b.fmul(b.fmul(f.c(-2.0), hi), lo))
        csum, frac3 = add_compensated(csum, frac3, b.fmul(b.fneg(lo), lo))
        x = b.fadd(b.fsub(csum, one), b.fadd(b.fadd(frac1, frac2), frac3))
        b.ret(b.fdiv(b.fadd(h, b.fdiv(x, b.fmul(two, h))), scale))
    return _helper(module, name, [ir.PointerType(F64), I64, F64, I1], build)


def vector_norm(fl: FunctionLowerer, magnitudes: list):
    """CPython's norm of the values `magnitudes` (fabs already taken), NaN and inf as it treats them."""
    bld = fl.builder
    buffer = fl.alloca(ir.ArrayType(F64, max(len(magnitudes), 1)), name="norm.items")
    largest = ir.Constant(F64, 0.0)
    found_nan = ir.Constant(I1, 0)
    for k, x in enumerate(magnitudes):
        bld.store(x, bld.gep(buffer, [ir.Constant(I64, 0), ir.Constant(I64, k)], inbounds=True))
        found_nan = bld.or_(found_nan, bld.fcmp_unordered("uno", x, x))
        largest = bld.select(bld.fcmp_ordered(">", x, largest), x, largest)
    pointer = bld.gep(buffer, [ir.Constant(I64, 0), ir.Constant(I64, 0)], inbounds=True)
    count = ir.Constant(I64, len(magnitudes))
    return bld.call(vector_norm_function(fl.module), [pointer, count, largest, found_nan])


# -- dist, prod and fsum of lists and tuples ----------------------------------------------------
def sequence_call(fl: FunctionLowerer, node, callee: str, args, in_types, rt: Type) -> ir.Value:
    if callee == "math.dist":
        return dist(fl, args, in_types)
    return reduce_sequence(fl, node, callee, args[0], in_types[0], rt)


def dist(fl: FunctionLowerer, points, types) -> ir.Value:
    """`math.dist(p, q)`: CPython's vector norm of |p_i - q_i| (a ValueError for unequal lengths)."""
    bld = fl.builder
    fabs = fl.intrinsic("fabs", F64)
    if all(isinstance(t, TupleType) for t in types):
        if len(types[0].items) != len(types[1].items):
            fl.raise_if(ir.Constant(I1, 1), ValueError, msg.DIST_DIMENSIONS)
            return ir.Constant(F64, 0.0)
        def coordinate(side, k):
            return fl.cast(bld.extract_value(points[side], k), types[side].items[k], F64_T)
        count = len(types[0].items)
        diffs = [bld.call(fabs, [bld.fsub(coordinate(0, k), coordinate(1, k))]) for k in range(count)]
        return vector_norm(fl, diffs)
    # a list on either side: the lengths at run time, the magnitudes in a new list of doubles
    sides = []
    for seq, t in zip(points, types):
        if isinstance(t, TupleType):  # a tuple next to a list: its items as a list of doubles first
            tmp = lists.new_list(fl, F64_T, ir.Constant(I64, len(t.items)))
            for k, item_t in enumerate(t.items):
                value = bld.extract_value(seq, k)
                lists.put(fl, lists.data_of(fl, tmp), F64_T, ir.Constant(I64, k), value, item_t)
            sides.append((tmp, F64_T))
        else:
            sides.append((seq, t.elem))

    def item(side, i):
        seq, elem = sides[side]
        value = load_element(fl, lists.slot_of(fl, lists.data_of(fl, seq), elem, i), elem)
        return fl.cast(value, elem, F64_T)

    n = lists.length(fl, sides[0][0])
    fl.raise_if(bld.icmp_signed("!=", n, lists.length(fl, sides[1][0])), ValueError, msg.DIST_DIMENSIONS)
    out = lists.new_list(fl, F64_T, n)
    largest, found_nan = fl.alloca(F64, name="dist.max"), fl.alloca(I1, name="dist.nan")
    bld.store(ir.Constant(F64, 0.0), largest)
    bld.store(ir.Constant(I1, 0), found_nan)

    def step(i):
        x = bld.call(fabs, [bld.fsub(item(0, i), item(1, i))])
        lists.put(fl, lists.data_of(fl, out), F64_T, i, x, F64_T)
        bld.store(bld.or_(bld.load(found_nan), bld.fcmp_unordered("uno", x, x)), found_nan)
        current = bld.load(largest)
        bld.store(bld.select(bld.fcmp_ordered(">", x, current), x, current), largest)

    lists.for_each(fl, n, step)
    norm = vector_norm_function(fl.module)
    return bld.call(norm, [lists.data_of(fl, out), n, bld.load(largest), bld.load(found_nan)])


def reduce_sequence(fl: FunctionLowerer, node, callee: str, seq: ir.Value, t: Type, rt: Type) -> ir.Value:
    """`math.fsum` (exact, `lower_math_special.fsum` over the items as doubles) and `math.prod`
    (CPython's order: 1 * x0 * x1 ..., in int64 until a float item, then in doubles)."""
    bld = fl.builder
    if callee == "math.fsum":
        if isinstance(t, ListType):
            lst = seq if t.elem == F64_T else lists.copy(fl, seq, t.elem, F64_T)
            return fsum(fl, lists.data_of(fl, lst), lists.length(fl, lst))
        buffer = fl.alloca(ir.ArrayType(F64, max(len(t.items), 1)), name="fsum.items")
        for k, item in enumerate(t.items):
            slot = bld.gep(buffer, [ir.Constant(I64, 0), ir.Constant(I64, k)], inbounds=True)
            bld.store(fl.cast(bld.extract_value(seq, k), item, F64_T), slot)
        pointer = bld.gep(buffer, [ir.Constant(I64, 0), ir.Constant(I64, 0)], inbounds=True)
        return fsum(fl, pointer, ir.Constant(I64, len(t.items)))

    def times(acc, acc_t, x, x_t):
        if is_int(acc_t) and is_int(x_t):
            return int_arith(fl, node, "*", acc, fl.cast(x, x_t, I64_T), I64_T), I64_T
        return bld.fmul(fl.cast(acc, acc_t, F64_T), fl.cast(x, x_t, F64_T)), F64_T

    if isinstance(t, TupleType):
        acc, acc_t = ir.Constant(I64, 1), I64_T
        for k, item in enumerate(t.items):
            acc, acc_t = times(acc, acc_t, bld.extract_value(seq, k), item)
        return fl.cast(acc, acc_t, rt)
    slot = fl.alloca(lists.llvm_type_of(rt), name="prod")
    bld.store(fl.cast(ir.Constant(I64, 1), I64_T, rt), slot)
    data = lists.data_of(fl, seq)

    def step(i):
        item = load_element(fl, lists.slot_of(fl, data, t.elem, i), t.elem)
        bld.store(times(bld.load(slot), rt, item, t.elem)[0], slot)

    lists.for_each(fl, lists.length(fl, seq), step)
    return bld.load(slot)


# -- fsum ----------------------------------------------------------------------------------
FSUM_PARTIALS = 2100  # non-overlapping partials of doubles: fewer than the 2098 bits of the range + 2
FSUM_OK, FSUM_OVERFLOW, FSUM_INF_MINUS_INF = 0, 1, 2


def fsum_function(module: ir.Module) -> ir.Function:
    """`{double, i32} jitlab.rt.fsum(double* xs, i64 n)`: the correctly rounded sum and a status
    (1: an intermediate sum overflowed, 2: inf + -inf)."""
    name = "jitlab.rt.fsum"
    ret = ir.LiteralStructType([F64, _I32])
    ptr = ir.PointerType(F64)

    def build(f: _Fn) -> None:
        b, (xs, n) = f.b, f.fn.args
        zero_i, one_i = ir.Constant(I64, 0), ir.Constant(I64, 1)
        zero = f.c(0.0)
        entry = b.block
        parts = b.alloca(F64, FSUM_PARTIALS, name="partials")
        special = b.alloca(F64, name="special")
        infs = b.alloca(F64, name="infs")
        count = b.alloca(I64, name="count")
        for slot, value in ((special, zero), (infs, zero), (count, zero_i)):
            b.store(value, slot)

        def result(value, status):
            out = b.insert_value(ir.Constant(ret, ir.Undefined), value, 0)
            return b.insert_value(out, ir.Constant(_I32, status), 1)

        fabs = lambda v: f.intrinsic("fabs", v)  # noqa: E731
        outer, item, inner, inner_body, inner_done, summed = (f.block(s) for s in (
            "outer", "item", "inner", "inner.body", "inner.done", "summed"))
        b.branch(outer)
        b.position_at_end(outer)
        k = b.phi(I64, "k")
        k.add_incoming(zero_i, entry)
        b.cbranch(b.icmp_signed("<", k, n), item, summed)
        # add one item to the partials
        b.position_at_end(item)
        xsave = b.load(b.gep(xs, [k], inbounds=True))
        b.branch(inner)
        b.position_at_end(inner)
        j, i, x = b.phi(I64, "j"), b.phi(I64, "i"), b.phi(F64, "x")
        j.add_incoming(zero_i, item)
        i.add_incoming(zero_i, item)
        x.add_incoming(xsave, item)
        b.cbranch(b.icmp_signed("<", j, b.load(count)), inner_body, inner_done)
        b.position_at_end(inner_body)
        y = b.load(b.gep(parts, [j], inbounds=True))
        swap = b.fcmp_ordered("<", fabs(x), fabs(y))
        big, small = b.select(swap, y, x), b.select(swap, x, y)
        hi = b.fadd(big, small)
        lo = b.fsub(small, b.fsub(hi, big))
        keep = b.fcmp_unordered("!=", lo, zero)
        b.store(lo, b.gep(parts, [i], inbounds=True))  # harmless when not kept: slot i is rewritten
        j.add_incoming(b.add(j, one_i), inner_body)
        i.add_incoming(b.select(keep, b.add(i, one_i), i), inner_body)
        x.add_incoming(hi, inner_body)
        b.branch(inner)
        b.position_at_end(inner_done)
        b.store(i, count)
        nonzero, nonfinite, finite, next_item = (f.block(s)
                                                 for s in ("nonzero", "nonfinite", "finite", "next"))
        b.cbranch(b.fcmp_unordered("!=", x, zero), nonzero, next_item)
        b.position_at_end(nonzero)
        b.cbranch(b.fcmp_ordered("<", fabs(x), f.c(math.inf)), finite, nonfinite)
        b.position_at_end(finite)
        b.store(x, b.gep(parts, [i], inbounds=True))
        b.store(b.add(i, one_i), count)
        b.branch(next_item)
        b.position_at_end(nonfinite)
        f.ret_if(b.fcmp_ordered("<", fabs(xsave), f.c(math.inf)), lambda: result(zero, FSUM_OVERFLOW),
                 "overflow")
        is_inf = b.fcmp_ordered("==", fabs(xsave), f.c(math.inf))
        b.store(b.select(is_inf, b.fadd(b.load(infs), xsave), b.load(infs)), infs)
        b.store(b.fadd(b.load(special), xsave), special)
        b.store(zero_i, count)
        b.branch(next_item)
        b.position_at_end(next_item)
        k.add_incoming(b.add(k, one_i), next_item)
        b.branch(outer)
        # the special values, then the partials from the top, with the half-way correction
        b.position_at_end(summed)
        special_sum = b.load(special)
        has_special, plain = f.block("special"), f.block("plain")
        b.cbranch(b.fcmp_unordered("!=", special_sum, zero), has_special, plain)
        b.position_at_end(has_special)
        inf_sum = b.load(infs)
        b.ret(b.select(b.fcmp_unordered("uno", inf_sum, inf_sum), result(zero, FSUM_INF_MINUS_INF),
                       result(special_sum, FSUM_OK)))
        b.position_at_end(plain)
        total = b.load(count)
        f.ret_if(b.icmp_signed("==", total, zero_i), lambda: result(zero, FSUM_OK), "empty")
        top = b.sub(total, one_i)
        hi0 = b.load(b.gep(parts, [top], inbounds=True))
        down, down_body, down_done = f.block("down"), f.block("down.body"), f.block("down.done")
        start = b.block
        b.branch(down)
        b.position_at_end(down)
        m, hi, lo = b.phi(I64, "m"), b.phi(F64, "hi"), b.phi(F64, "lo")
        m.add_incoming(top, start)
        hi.add_incoming(hi0, start)
        lo.add_incoming(zero, start)
        b.cbranch(b.icmp_signed(">", m, zero_i), down_body, down_done)
        b.position_at_end(down_body)
        m2 = b.sub(m, one_i)
        y = b.load(b.gep(parts, [m2], inbounds=True))
        hi2 = b.fadd(hi, y)
        lo2 = b.fsub(y, b.fsub(hi2, hi))
        m.add_incoming(m2, down_body)
        hi.add_incoming(hi2, down_body)
        lo.add_incoming(lo2, down_body)
        b.cbranch(b.fcmp_unordered("!=", lo2, zero), down_done, down)
        b.position_at_end(down_done)
        # left the loop with m partials below hi unread (m > 0 only when lo != 0 stopped it)
        m3, hi3, lo3 = b.phi(I64, "m"), b.phi(F64, "hi"), b.phi(F64, "lo")
        for phi, from_down, from_body in ((m3, m, m2), (hi3, hi, hi2), (lo3, lo, lo2)):
            phi.add_incoming(from_down, down)
            phi.add_incoming(from_body, down_body)
        below = b.load(b.gep(parts, [b.select(b.icmp_signed(">", m3, zero_i), b.sub(m3, one_i), zero_i)],
                             inbounds=True))
        same_sign = b.or_(b.and_(b.fcmp_ordered("<", lo3, zero), b.fcmp_ordered("<", below, zero)),
                          b.and_(b.fcmp_ordered(">", lo3, zero), b.fcmp_ordered(">", below, zero)))
        correct = b.and_(b.icmp_signed(">", m3, zero_i), same_sign)
        y = b.fmul(lo3, f.c(2.0))
        x = b.fadd(hi3, y)
        exact = b.fcmp_ordered("==", y, b.fsub(x, hi3))
        b.ret(result(b.select(b.and_(correct, exact), x, hi3), FSUM_OK))
    return _helper(module, name, [ptr, I64], build, ret)


def fsum(fl: FunctionLowerer, pointer, n):
    """`math.fsum` of `n` doubles at `pointer`, raising CPython's errors."""
    bld = fl.builder
    out = bld.call(fsum_function(fl.module), [pointer, n])
    status = bld.extract_value(out, 1)
    fl.raise_if(bld.icmp_unsigned("==", status, ir.Constant(_I32, FSUM_OVERFLOW)), OverflowError,
                msg.FSUM_OVERFLOW)
    fl.raise_if(bld.icmp_unsigned("==", status, ir.Constant(_I32, FSUM_INF_MINUS_INF)), ValueError,
                msg.FSUM_INF_MINUS_INF)
    return bld.extract_value(out, 0)


__all__ = ["gamma", "comb", "perm", "lcm", "fsum", "I1"]
