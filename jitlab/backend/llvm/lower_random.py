"""Lowering of random numbers: NumPy's legacy global API (`np.random.*`) and the `random` module.

Both draw from an MT19937 generator whose state lives in the process, not in the module:
`native.RANDOM_STATES`, two `RandomState` structs (`STATE_TYPE` here), one for NumPy's API and
one for the `random` module, registered as the external symbols `jitlab_random_numpy` and
`jitlab_random_python` (`native.register_random_symbols`, seeded from `os.urandom` when the
process first loads compiled code).  Every compiled function -- compiled in this process or
loaded from the cache -- names the same two, so a seed set in one jitted function fixes what
any other draws.  They are not NumPy's or CPython's own generators: `np.random.seed(0)` called
from Python does not seed compiled code (as in Numba).

The streams are bit for bit NumPy's legacy `RandomState` and CPython's `random.Random` after the
same seed: NumPy's seeding (`init_genrand` of the 32-bit seed), CPython's (`init_by_array` of
the seed's absolute value in 32-bit words), 53-bit doubles from two words, NumPy's legacy polar
Box-Muller `gauss` and CPython's `gauss`, each keeping its second value in the state, NumPy's
masked rejection sampling (`random_interval`: randint, shuffle, permutation, choice) and
CPython's `_randbelow` by `getrandbits`.  The generator's functions are internal copies in each
module that draws (`random_mt.py`, the generator; `random_distributions.py`, gamma, beta, Poisson
and binomial), so LLVM inlines the draw into the caller's loop.
"""
from __future__ import annotations

import math
import sys
from collections.abc import Callable

from llvmlite import ir

from jitlab.errors import LoweringError, UnsupportedError
from jitlab.ir.types import (
    BOOL as BOOL_T, F64 as F64_T, I64 as I64_T, ArrayType, IntType, ListType, NoneType, Type,
)

from . import messages
from .lower import F64, I1, I64, FunctionLowerer
from .lower_arrays import element_pointer, load_element, memory_type, shape
from .lower_arrays_alloc import (
    copy, flat_loop, flat_pointer, loop_nest, new_array, product, raise_formatted, shape_values,
    store_element,
)
from .random_distributions import beta_numpy, binomial_numpy, gamma_numpy, poisson_numpy
from .random_mt import (
    I32, _c64, _intrinsic, below_python, gauss_numpy, gauss_python, getrandbits_python, interval, next_double,
    seed_numpy, seed_python, state,
)

SEED_RANGE = "Seed must be between 0 and 2**32 - 1"
SCALE_NEGATIVE = "scale < 0"
RANGE_BOUNDS = "Range exceeds valid bounds"
LOW_HIGH = "low >= high"
HIGH_POSITIVE = "high <= 0"  # randint(high) alone
CHOICE_INT = "a must be greater than 0 unless no samples are taken"
CHOICE_EMPTY = "'a' cannot be empty unless no samples are taken"
CHOICE_LARGER = "Cannot take a larger sample than population when 'replace=False'"
EMPTY_CHOICE = "Cannot choose from an empty sequence"
RANDRANGE_EMPTY = "empty range for randrange()"
RANDRANGE_ZERO_STEP = "zero step for randrange()"
if sys.version_info >= (3, 12):
    RANDRANGE_EMPTY_2 = "empty range in randrange(%lld, %lld)"
    RANDRANGE_EMPTY_3 = "empty range in randrange(%lld, %lld, %lld)"
else:
    RANDRANGE_EMPTY_2 = "empty range for randrange() (%lld, %lld, %lld)"  # start, stop, width
    RANDRANGE_EMPTY_3 = RANDRANGE_EMPTY
RANDINT_EMPTY = "empty range in randint(%lld, %lld)"  # 3.14
NV_MAGICCONST = 4 * math.exp(-0.5) / math.sqrt(2.0)


# -- calls ---------------------------------------------------------------------------------------
def call(fl: FunctionLowerer, node, callee: str, args, in_types, rt: Type) -> ir.Value | None:
    """Lower `numpy.random.<name>(...)` or `random.<name>(...)` (the value; None for none)."""
    if not getattr(fl, "random_numbers", True):
        raise UnsupportedError(f"{callee}() in a CUDA kernel (compiled code on the GPU has no random "
                               "number generator yet)", line=fl.line,
                               hint="draw the numbers on the host and pass them in an array")
    params = node.attr("params")
    if params is None:
        raise LoweringError(f"call of {callee} has no bound parameters: typing records them", line=fl.line)
    bound = dict(zip(params, zip(args, in_types)))
    if callee.startswith("numpy.random."):
        st = state(fl.module, "numpy")
        if callee == "numpy.random.choice" and node.attr("symbol"):  # with probabilities p
            return _np_choice(fl, st, bound, rt, node.attr("symbol"))
        return _NUMPY[callee[len("numpy.random."):]](fl, st, bound, rt)
    st = state(fl.module, "python")
    return _PYTHON[callee[len("random."):]](fl, st, bound, rt)


def _f64(fl: FunctionLowerer, bound, name: str, default: float) -> ir.Value:
    if name not in bound or isinstance(bound[name][1], NoneType):
        return ir.Constant(F64, default)
    value, t = bound[name]
    return fl.cast(value, t, F64_T)


def _i64(fl: FunctionLowerer, bound, name: str) -> ir.Value:
    value, t = bound[name]
    return fl.cast(value, t, I64_T)


def _shaped(fl: FunctionLowerer, bound, rt: Type, draw: Callable[[], ir.Value], dims=None) -> ir.Value:
    """One draw, or an array of the shape `size` (or `dims`) filled by draws in C order."""
    if not isinstance(rt, ArrayType):
        return draw()
    if dims is None:
        dims = shape_values(fl, *bound["size"])
    array = new_array(fl, rt, dims)
    flat_loop(fl, product(fl, dims), lambda i: store_element(fl, flat_pointer(fl, array, rt.dtype, i),
                                                             draw(), rt.dtype))
    return array


def _check_scale(fl: FunctionLowerer, scale: ir.Value) -> None:
    _check_sign(fl, scale, SCALE_NEGATIVE)


def _check_sign(fl: FunctionLowerer, value: ir.Value, message: str) -> None:
    """NumPy's non-negative constraint: a set sign bit (-0.0 too) raises unless NaN."""
    bld = fl.builder
    sign = bld.icmp_signed("<", bld.bitcast(value, I64), _c64(0))
    fl.raise_if(bld.and_(sign, bld.fcmp_ordered("==", value, value)), ValueError, message)


def _np_seed(fl, st, bound, rt):
    seed = _i64(fl, bound, "seed")
    fl.raise_if(fl.builder.icmp_unsigned(">", seed, _c64(0xFFFFFFFF)), ValueError, SEED_RANGE)
    fl.builder.call(seed_numpy(fl.module), [st, fl.builder.trunc(seed, I32)])


def _np_double(fl, st, bound, rt):
    return _shaped(fl, bound, rt, lambda: fl.builder.call(next_double(fl.module), [st]))


def _np_gauss(fl, st, bound, rt):
    return _shaped(fl, bound, rt, lambda: fl.builder.call(gauss_numpy(fl.module), [st]))


def _vararg_dims(fl, bound):
    return [_i64(fl, bound, f"d{k}") for k in range(len(bound))]


def _np_rand(fl, st, bound, rt):
    return _shaped(fl, bound, rt, lambda: fl.builder.call(next_double(fl.module), [st]),
                   dims=_vararg_dims(fl, bound))


def _np_randn(fl, st, bound, rt):
    return _shaped(fl, bound, rt, lambda: fl.builder.call(gauss_numpy(fl.module), [st]),
                   dims=_vararg_dims(fl, bound))


def _np_normal(fl, st, bound, rt):
    loc, scale = _f64(fl, bound, "loc", 0.0), _f64(fl, bound, "scale", 1.0)
    _check_scale(fl, scale)
    bld = fl.builder
    return _shaped(fl, bound, rt,
                   lambda: bld.fadd(loc, bld.fmul(scale, bld.call(gauss_numpy(fl.module), [st]))))


def _np_uniform(fl, st, bound, rt):
    low, high = _f64(fl, bound, "low", 0.0), _f64(fl, bound, "high", 1.0)
    bld = fl.builder
    width = bld.fsub(high, low)
    finite = bld.fcmp_ordered("<", bld.call(fl.intrinsic("fabs", F64), [width]), ir.Constant(F64, math.inf))
    fl.raise_if(bld.not_(finite), OverflowError, RANGE_BOUNDS)
    return _shaped(fl, bound, rt,
                   lambda: bld.fadd(low, bld.fmul(width, bld.call(next_double(fl.module), [st]))))


def _standard_exponential(fl, st) -> ir.Value:
    bld = fl.builder
    u = bld.fsub(ir.Constant(F64, 1.0), bld.call(next_double(fl.module), [st]))
    return bld.fneg(bld.call(_intrinsic(fl.module, "log"), [u]))


def _np_exponential(fl, st, bound, rt):
    scale = _f64(fl, bound, "scale", 1.0)
    _check_scale(fl, scale)
    return _shaped(fl, bound, rt, lambda: fl.builder.fmul(scale, _standard_exponential(fl, st)))


def _np_standard_exponential(fl, st, bound, rt):
    return _shaped(fl, bound, rt, lambda: _standard_exponential(fl, st))


def _np_randint(fl, st, bound, rt):
    bld = fl.builder
    if "high" not in bound or isinstance(bound["high"][1], NoneType):
        low, high, message = _c64(0), _i64(fl, bound, "low"), HIGH_POSITIVE
    else:
        low, high, message = _i64(fl, bound, "low"), _i64(fl, bound, "high"), LOW_HIGH
    fl.raise_if(bld.icmp_signed(">=", low, high), ValueError, message)
    rng = bld.sub(bld.sub(high, _c64(1)), low)
    return _shaped(fl, bound, rt, lambda: bld.add(low, bld.call(interval(fl.module), [st, rng])))


def _swap_rows(fl: FunctionLowerer, array: ir.Value, t: ArrayType, i: ir.Value, j: ir.Value) -> None:
    """Exchange `array[i]` and `array[j]` (rows along axis 0)."""
    def body(rest):
        pi = element_pointer(fl, array, t, [i, *rest])
        pj = element_pointer(fl, array, t, [j, *rest])
        a, b = load_element(fl, pi, t.dtype), load_element(fl, pj, t.dtype)
        store_element(fl, pi, b, t.dtype)
        store_element(fl, pj, a, t.dtype)

    if t.ndim == 1:
        body([])
    else:
        loop_nest(fl, [shape(fl, array, k) for k in range(1, t.ndim)], body)


def _shuffle_array(fl: FunctionLowerer, st, array: ir.Value, t: ArrayType) -> None:
    """Legacy `shuffle`: for i from n-1 down to 1, swap rows i and `random_interval(i)`."""
    bld = fl.builder
    n = shape(fl, array, 0)

    def body(k):  # k = 0 .. n-2, i = n-1-k
        i = bld.sub(bld.sub(n, _c64(1)), k)
        _swap_rows(fl, array, t, i, bld.call(interval(fl.module), [st, i]))

    flat_loop(fl, bld.sub(n, _c64(1)), body)


def _np_shuffle(fl, st, bound, rt):
    _shuffle_array(fl, st, *bound["x"])


def _arange_shuffled(fl, st, n: ir.Value) -> ir.Value:
    t = ArrayType(I64_T, 1, "C")
    array = new_array(fl, t, [n])
    flat_loop(fl, n, lambda i: fl.builder.store(i, flat_pointer(fl, array, I64_T, i)))
    _shuffle_array(fl, st, array, t)
    return array


def _np_permutation(fl, st, bound, rt):
    x, t = bound["x"]
    if isinstance(t, ArrayType):
        array = copy(fl, x, t, rt)
        _shuffle_array(fl, st, array, rt)
        return array
    n = fl.cast(x, t, I64_T)
    bld = fl.builder
    return _arange_shuffled(fl, st, bld.select(bld.icmp_signed("<", n, _c64(0)), _c64(0), n))


def _np_choice(fl, st, bound, rt, symbol=None):
    """`choice(a, size, replace)`: with replacement `randint(0, len(a), size)`, without it the
    first items of `permutation(len(a))`, as indices into `a` (or themselves for an int `a`).
    With probabilities `p`, the indices come from `symbol`, the compiled library function
    `jitlab.lib.sampling.choice_indices(len(a), count, replace, p)` (typing resolved it)."""
    bld = fl.builder
    a, at = bound["a"]
    pop = shape(fl, a, 0) if isinstance(at, ArrayType) else fl.cast(a, at, I64_T)
    is_array = isinstance(rt, ArrayType)
    dims = shape_values(fl, *bound["size"]) if is_array else [_c64(1)]
    count = product(fl, dims)
    want = bld.icmp_signed("!=", count, _c64(0))
    if isinstance(at, ArrayType):
        fl.raise_if(bld.and_(bld.icmp_signed("==", pop, _c64(0)), want), ValueError, CHOICE_EMPTY)
    else:
        fl.raise_if(bld.and_(bld.icmp_signed("<=", pop, _c64(0)), want), ValueError, CHOICE_INT)
    result_t = rt if is_array else ArrayType(rt, 1, "C")
    out = new_array(fl, result_t, dims) if is_array else None
    slot = None if is_array else fl.alloca(memory_type(rt), name="choice")

    def put(k, index):
        value = load_element(fl, element_pointer(fl, a, at, [index]), at.dtype) \
            if isinstance(at, ArrayType) else index
        pointer = flat_pointer(fl, out, rt.dtype, k) if is_array else slot
        store_element(fl, pointer, value, result_t.dtype)

    replace = fl.truth(*bound["replace"]) if "replace" in bound else ir.Constant(I1, 1)
    if symbol is not None:
        from .lower_calls import call_symbol

        p, pt = bound["p"]
        index_t = ArrayType(I64_T, 1, "C")
        indices = call_symbol(fl, symbol, [pop, count, replace, p], [I64_T, I64_T, BOOL_T, pt], index_t)
        flat_loop(fl, count, lambda k: put(k, bld.load(flat_pointer(fl, indices, I64_T, k), typ=I64)))
        return out if is_array else load_element(fl, slot, rt)
    with bld.if_else(replace) as (with_replacement, without):
        with with_replacement:
            rng = bld.sub(pop, _c64(1))
            flat_loop(fl, count, lambda k: put(k, bld.call(interval(fl.module), [st, rng])))
        with without:
            fl.raise_if(bld.icmp_signed(">", count, pop), ValueError, CHOICE_LARGER)
            perm = _arange_shuffled(fl, st, pop)
            flat_loop(fl, count, lambda k: put(k, bld.load(flat_pointer(fl, perm, I64_T, k), typ=I64)))
    return out if is_array else load_element(fl, slot, rt)


def _nonnegative(fl, bound, name, default):
    value = _f64(fl, bound, name, default)
    _check_sign(fl, value, f"{name} < 0")
    return value


def _np_standard_gamma(fl, st, bound, rt):
    shape = _nonnegative(fl, bound, "shape", 1.0)
    return _shaped(fl, bound, rt, lambda: fl.builder.call(gamma_numpy(fl.module), [st, shape]))


def _np_gamma(fl, st, bound, rt):
    shape = _nonnegative(fl, bound, "shape", 1.0)
    scale = _nonnegative(fl, bound, "scale", 1.0)
    return _shaped(fl, bound, rt,
                   lambda: fl.builder.fmul(scale, fl.builder.call(gamma_numpy(fl.module), [st, shape])))


def _np_beta(fl, st, bound, rt):
    bld = fl.builder
    a, b = _f64(fl, bound, "a", 1.0), _f64(fl, bound, "b", 1.0)
    fl.raise_if(bld.fcmp_ordered("<=", a, ir.Constant(F64, 0.0)), ValueError, "a <= 0")
    fl.raise_if(bld.fcmp_ordered("<=", b, ir.Constant(F64, 0.0)), ValueError, "b <= 0")
    return _shaped(fl, bound, rt, lambda: bld.call(beta_numpy(fl.module), [st, a, b]))


LAM_NEGATIVE = "lam < 0 or lam is NaN"
P_BOUNDS = "p < 0, p > 1 or p is NaN"
LAM_TOO_LARGE = "lam value too large"
POISSON_LAM_MAX = float(2**63 - 1) - math.sqrt(2**63 - 1) * 10  # NumPy's bound, int64 samples


def _np_poisson(fl, st, bound, rt):
    bld = fl.builder
    lam = _f64(fl, bound, "lam", 1.0)
    fl.raise_if(bld.fcmp_unordered("<", lam, ir.Constant(F64, 0.0)), ValueError, LAM_NEGATIVE)
    fl.raise_if(bld.fcmp_ordered(">", lam, ir.Constant(F64, POISSON_LAM_MAX)), ValueError, LAM_TOO_LARGE)
    return _shaped(fl, bound, rt, lambda: bld.call(poisson_numpy(fl.module), [st, lam]))


def _np_binomial(fl, st, bound, rt):
    bld = fl.builder
    n, p = _i64(fl, bound, "n"), _f64(fl, bound, "p", 0.5)
    outside = bld.or_(bld.fcmp_unordered("<", p, ir.Constant(F64, 0.0)),
                      bld.fcmp_ordered(">", p, ir.Constant(F64, 1.0)))
    fl.raise_if(outside, ValueError, P_BOUNDS)
    fl.raise_if(bld.icmp_signed("<", n, _c64(0)), ValueError, "n < 0")
    return _shaped(fl, bound, rt, lambda: bld.call(binomial_numpy(fl.module), [st, n, p]))


def _positive(fl, bound, name):
    value = _f64(fl, bound, name, 1.0)
    fl.raise_if(fl.builder.fcmp_ordered("<=", value, ir.Constant(F64, 0.0)), ValueError, f"{name} <= 0")
    return value


def _until(fl, draw: Callable[[], ir.Value], accept: Callable[[ir.Value], ir.Value]) -> ir.Value:
    """`draw()` again until `accept(value)` holds (NumPy's redraw of a uniform at an endpoint)."""
    bld = fl.builder
    again = fl.func.append_basic_block("redraw")
    bld.branch(again)
    bld.position_at_end(again)
    value = draw()
    done = fl.func.append_basic_block("redraw.done")
    bld.cbranch(accept(value), done, again)
    bld.position_at_end(done)
    return value


def _call(fl, fn, *args):
    return fl.builder.call(fn, list(args))


def _log(fl, x):
    return _call(fl, _intrinsic(fl.module, "log"), x)


def _np_lognormal(fl, st, bound, rt):
    bld = fl.builder
    mean, sigma = _f64(fl, bound, "mean", 0.0), _nonnegative(fl, bound, "sigma", 1.0)
    gauss = gauss_numpy(fl.module)
    return _shaped(fl, bound, rt, lambda: _call(fl, _intrinsic(fl.module, "exp"),
                                                bld.fadd(mean, bld.fmul(sigma, _call(fl, gauss, st)))))


def _np_standard_cauchy(fl, st, bound, rt):
    gauss = gauss_numpy(fl.module)
    return _shaped(fl, bound, rt, lambda: fl.builder.fdiv(_call(fl, gauss, st), _call(fl, gauss, st)))


def _np_chisquare(fl, st, bound, rt):
    bld = fl.builder
    half = bld.fdiv(_positive(fl, bound, "df"), ir.Constant(F64, 2.0))
    return _shaped(fl, bound, rt,
                   lambda: bld.fmul(ir.Constant(F64, 2.0), _call(fl, gamma_numpy(fl.module), st, half)))


def _np_standard_t(fl, st, bound, rt):
    bld = fl.builder
    half = bld.fdiv(_positive(fl, bound, "df"), ir.Constant(F64, 2.0))
    sqrt = _intrinsic(fl.module, "sqrt")

    def draw():
        num = _call(fl, gauss_numpy(fl.module), st)
        denom = _call(fl, gamma_numpy(fl.module), st, half)
        return bld.fdiv(bld.fmul(_call(fl, sqrt, half), num), _call(fl, sqrt, denom))
    return _shaped(fl, bound, rt, draw)


def _np_pareto(fl, st, bound, rt):
    bld = fl.builder
    a = _positive(fl, bound, "a")
    exp = _intrinsic(fl.module, "exp")
    return _shaped(fl, bound, rt, lambda: bld.fsub(_call(fl, exp, bld.fdiv(_standard_exponential(fl, st), a)),
                                                   ir.Constant(F64, 1.0)))


def _np_weibull(fl, st, bound, rt):
    bld = fl.builder
    a = _nonnegative(fl, bound, "a", 1.0)
    zero = bld.fcmp_ordered("==", a, ir.Constant(F64, 0.0))

    def draw():  # a == 0 gives 0.0 without drawing
        with bld.if_else(zero) as (no_draw, draws):
            with no_draw:
                before = bld.block
            with draws:
                value = _call(fl, _intrinsic(fl.module, "pow", 2), _standard_exponential(fl, st),
                              bld.fdiv(ir.Constant(F64, 1.0), a))
                after = bld.block
        phi = bld.phi(F64)
        phi.add_incoming(ir.Constant(F64, 0.0), before)
        phi.add_incoming(value, after)
        return phi
    return _shaped(fl, bound, rt, draw)


def _np_power(fl, st, bound, rt):
    bld = fl.builder
    a = _positive(fl, bound, "a")
    one = ir.Constant(F64, 1.0)
    return _shaped(fl, bound, rt, lambda: _call(
        fl, _intrinsic(fl.module, "pow", 2),
        bld.fsub(one, _call(fl, _intrinsic(fl.module, "exp"), bld.fneg(_standard_exponential(fl, st)))),
        bld.fdiv(one, a)))


def _np_laplace(fl, st, bound, rt):
    bld = fl.builder
    loc, scale = _f64(fl, bound, "loc", 0.0), _nonnegative(fl, bound, "scale", 1.0)
    half, zero = ir.Constant(F64, 0.5), ir.Constant(F64, 0.0)

    def draw():
        u = _until(fl, lambda: _call(fl, next_double(fl.module), st),
                   lambda u: bld.or_(bld.fcmp_ordered(">=", u, half), bld.fcmp_ordered(">", u, zero)))
        upper = bld.fsub(loc, bld.fmul(scale, _log(fl, bld.fsub(bld.fsub(ir.Constant(F64, 2.0), u), u))))
        lower = bld.fadd(loc, bld.fmul(scale, _log(fl, bld.fadd(u, u))))
        return bld.select(bld.fcmp_ordered(">=", u, half), upper, lower)
    return _shaped(fl, bound, rt, draw)


def _np_gumbel(fl, st, bound, rt):
    bld = fl.builder
    loc, scale = _f64(fl, bound, "loc", 0.0), _nonnegative(fl, bound, "scale", 1.0)
    one = ir.Constant(F64, 1.0)

    def draw():
        u = _until(fl, lambda: bld.fsub(one, _call(fl, next_double(fl.module), st)),
                   lambda u: bld.fcmp_ordered("<", u, one))
        return bld.fsub(loc, bld.fmul(scale, _log(fl, bld.fneg(_log(fl, u)))))
    return _shaped(fl, bound, rt, draw)


def _np_logistic(fl, st, bound, rt):
    bld = fl.builder
    loc, scale = _f64(fl, bound, "loc", 0.0), _nonnegative(fl, bound, "scale", 1.0)

    def draw():
        u = _until(fl, lambda: _call(fl, next_double(fl.module), st),
                   lambda u: bld.fcmp_ordered(">", u, ir.Constant(F64, 0.0)))
        return bld.fadd(loc, bld.fmul(scale, _log(fl, bld.fdiv(u, bld.fsub(ir.Constant(F64, 1.0), u)))))
    return _shaped(fl, bound, rt, draw)


def _np_rayleigh(fl, st, bound, rt):
    bld = fl.builder
    scale = _nonnegative(fl, bound, "scale", 1.0)

    def draw():  # NumPy's legacy_rayleigh: log1p(-U), not log(1 - U)
        log1p = fl.declare("log1p", ir.FunctionType(F64, [F64]))
        u = bld.fneg(_call(fl, next_double(fl.module), st))
        return bld.fmul(scale, _call(fl, _intrinsic(fl.module, "sqrt"),
                                     bld.fmul(ir.Constant(F64, -2.0), _call(fl, log1p, u))))
    return _shaped(fl, bound, rt, draw)


def _np_triangular(fl, st, bound, rt):
    bld = fl.builder
    left, mode, right = (_f64(fl, bound, name, 0.0) for name in ("left", "mode", "right"))
    fl.raise_if(bld.fcmp_ordered(">", left, mode), ValueError, "left > mode")
    fl.raise_if(bld.fcmp_ordered(">", mode, right), ValueError, "mode > right")
    fl.raise_if(bld.fcmp_ordered("==", left, right), ValueError, "left == right")
    base = bld.fsub(right, left)
    leftbase = bld.fsub(mode, left)
    ratio = bld.fdiv(leftbase, base)
    leftprod, rightprod = bld.fmul(leftbase, base), bld.fmul(bld.fsub(right, mode), base)
    sqrt = _intrinsic(fl.module, "sqrt")

    def draw():
        u = _call(fl, next_double(fl.module), st)
        low = bld.fadd(left, _call(fl, sqrt, bld.fmul(u, leftprod)))
        high = bld.fsub(right, _call(fl, sqrt, bld.fmul(bld.fsub(ir.Constant(F64, 1.0), u), rightprod)))
        return bld.select(bld.fcmp_ordered("<=", u, ratio), low, high)
    return _shaped(fl, bound, rt, draw)


_NUMPY = {
    "seed": _np_seed, "random": _np_double, "random_sample": _np_double, "ranf": _np_double,
    "sample": _np_double, "rand": _np_rand, "randn": _np_randn, "standard_normal": _np_gauss,
    "normal": _np_normal, "uniform": _np_uniform, "exponential": _np_exponential,
    "standard_exponential": _np_standard_exponential, "randint": _np_randint, "shuffle": _np_shuffle,
    "permutation": _np_permutation, "choice": _np_choice, "standard_gamma": _np_standard_gamma,
    "gamma": _np_gamma, "beta": _np_beta, "poisson": _np_poisson, "binomial": _np_binomial,
    "lognormal": _np_lognormal, "standard_cauchy": _np_standard_cauchy, "chisquare": _np_chisquare,
    "standard_t": _np_standard_t, "pareto": _np_pareto, "weibull": _np_weibull, "power": _np_power,
    "laplace": _np_laplace, "gumbel": _np_gumbel, "logistic": _np_logistic, "rayleigh": _np_rayleigh,
    "triangular": _np_triangular,
}


# -- the random module -------------------------------------------------------------------------
def _py_seed(fl, st, bound, rt):
    fl.builder.call(seed_python(fl.module), [st, _i64(fl, bound, "a")])


def _py_random(fl, st, bound, rt):
    return fl.builder.call(next_double(fl.module), [st])


def _py_uniform(fl, st, bound, rt):
    bld = fl.builder
    (a, at), (b, bt) = bound["a"], bound["b"]
    if isinstance(at, IntType) and isinstance(bt, IntType):  # `b - a` of ints is exact in Python
        width = bld.sitofp(bld.sub(fl.cast(b, bt, I64_T), fl.cast(a, at, I64_T)), F64)
    else:
        width = bld.fsub(fl.cast(b, bt, F64_T), fl.cast(a, at, F64_T))
    r = bld.call(next_double(fl.module), [st])
    return bld.fadd(fl.cast(a, at, F64_T), bld.fmul(width, r))


def _below(fl, st, n):
    return fl.builder.call(below_python(fl.module), [st, n])


def _randrange(fl, st, start, stop, step, step_is_one: bool):
    """CPython's `randrange(start, stop, step)` on int64 values (`stop` None: `randrange(start)`)."""
    bld = fl.builder
    if stop is None:
        fl.raise_if(bld.icmp_signed("<=", start, _c64(0)), ValueError, RANDRANGE_EMPTY)
        return _below(fl, st, start)
    width = bld.sub(stop, start)
    if step_is_one:
        empty = bld.icmp_signed("<=", stop, start)
        shown = [start, stop] if sys.version_info >= (3, 12) else [start, stop, width]
        raise_formatted(fl, empty, ValueError, RANDRANGE_EMPTY_2, shown)
        return bld.add(start, _below(fl, st, width))
    fl.raise_if(bld.icmp_signed("==", step, _c64(0)), ValueError, RANDRANGE_ZERO_STEP)
    positive = bld.icmp_signed(">", step, _c64(0))
    numerator = bld.add(width, bld.select(positive, bld.sub(step, _c64(1)), bld.add(step, _c64(1))))
    q = bld.sdiv(numerator, step)  # floor division: truncation corrected when the signs differ
    r = bld.srem(numerator, step)
    adjust = bld.and_(bld.icmp_signed("!=", r, _c64(0)), bld.icmp_signed("<", bld.xor(r, step), _c64(0)))
    n = bld.sub(q, bld.zext(adjust, I64))
    empty = bld.icmp_signed("<=", n, _c64(0))
    is_one = bld.icmp_signed("==", step, _c64(1))  # CPython's own path for a step of 1
    shown = [start, stop] if sys.version_info >= (3, 12) else [start, stop, width]
    raise_formatted(fl, bld.and_(empty, is_one), ValueError, RANDRANGE_EMPTY_2, shown)
    if sys.version_info >= (3, 12):
        raise_formatted(fl, empty, ValueError, RANDRANGE_EMPTY_3, [start, stop, step])
    else:
        fl.raise_if(empty, ValueError, RANDRANGE_EMPTY_3)
    return bld.add(start, bld.mul(step, _below(fl, st, n)))


def _py_randint(fl, st, bound, rt):
    a, b = _i64(fl, bound, "a"), _i64(fl, bound, "b")
    if sys.version_info >= (3, 14):  # its own check and message; the same draw
        bld = fl.builder
        raise_formatted(fl, bld.icmp_signed("<", b, a), ValueError, RANDINT_EMPTY, [a, b])
        return bld.add(a, _below(fl, st, bld.add(bld.sub(b, a), _c64(1))))
    return _randrange(fl, st, a, fl.builder.add(b, _c64(1)), None, True)


def _py_randrange(fl, st, bound, rt):
    start = _i64(fl, bound, "start")
    stop = None if "stop" not in bound or isinstance(bound["stop"][1], NoneType) else _i64(fl, bound, "stop")
    if "step" not in bound:
        return _randrange(fl, st, start, stop, None, True)
    if stop is None:
        raise UnsupportedError("random.randrange() with a step needs a stop", line=fl.line)
    return _randrange(fl, st, start, stop, _i64(fl, bound, "step"), False)


def _py_gauss(fl, st, bound, rt):
    bld = fl.builder
    mu, sigma = _f64(fl, bound, "mu", 0.0), _f64(fl, bound, "sigma", 1.0)
    return bld.fadd(mu, bld.fmul(bld.call(gauss_python(fl.module), [st]), sigma))


def _py_normalvariate(fl, st, bound, rt):
    """Kinderman and Monahan's ratio method, as CPython's `normalvariate`."""
    bld = fl.builder
    mu, sigma = _f64(fl, bound, "mu", 0.0), _f64(fl, bound, "sigma", 1.0)
    again = fl.func.append_basic_block("normalvariate")
    bld.branch(again)
    bld.position_at_end(again)
    u1 = bld.call(next_double(fl.module), [st])
    u2 = bld.fsub(ir.Constant(F64, 1.0), bld.call(next_double(fl.module), [st]))
    z = bld.fdiv(bld.fmul(ir.Constant(F64, NV_MAGICCONST), bld.fsub(u1, ir.Constant(F64, 0.5))), u2)
    zz = bld.fdiv(bld.fmul(z, z), ir.Constant(F64, 4.0))
    accept = bld.fcmp_ordered("<=", zz, bld.fneg(bld.call(_intrinsic(fl.module, "log"), [u2])))
    done = fl.func.append_basic_block("normalvariate.done")
    bld.cbranch(accept, done, again)
    bld.position_at_end(done)
    return bld.fadd(mu, bld.fmul(z, sigma))


def _py_expovariate(fl, st, bound, rt):
    bld = fl.builder
    lambd = _f64(fl, bound, "lambd", 1.0)
    fl.raise_if(bld.fcmp_ordered("==", lambd, ir.Constant(F64, 0.0)), ZeroDivisionError,
                messages.FLOAT_TRUEDIV_ZERO)
    u = bld.fsub(ir.Constant(F64, 1.0), bld.call(next_double(fl.module), [st]))
    return bld.fdiv(bld.fneg(bld.call(_intrinsic(fl.module, "log"), [u])), lambd)


def _sequence(fl, bound, name):
    """(length, pointer of item i, element type) of a list or 1-d array."""
    from . import lower_lists

    x, t = bound[name]
    if isinstance(t, ListType):
        base = lower_lists._data(fl, x)
        return (lower_lists.length(fl, x),
                lambda i: fl.builder.gep(base, [i], inbounds=True, source_etype=memory_type(t.elem)), t.elem)
    return shape(fl, x, 0), lambda i: element_pointer(fl, x, t, [i]), t.dtype


def _py_shuffle(fl, st, bound, rt):
    bld = fl.builder
    n, item, elem = _sequence(fl, bound, "x")

    def body(k):  # i = n-1 .. 1
        i = bld.sub(bld.sub(n, _c64(1)), k)
        j = _below(fl, st, bld.add(i, _c64(1)))
        pi, pj = item(i), item(j)
        a, b = load_element(fl, pi, elem), load_element(fl, pj, elem)
        store_element(fl, pi, b, elem)
        store_element(fl, pj, a, elem)

    flat_loop(fl, bld.sub(n, _c64(1)), body)


def _py_choice(fl, st, bound, rt):
    bld = fl.builder
    n, item, elem = _sequence(fl, bound, "seq")
    fl.raise_if(bld.icmp_signed("<=", n, _c64(0)), IndexError, EMPTY_CHOICE)
    return load_element(fl, item(_below(fl, st, n)), elem)


def _getrandbits_negative() -> str:
    """CPython's message for `getrandbits(-1)` (3.14 changed it)."""
    import random

    try:
        random.Random(0).getrandbits(-1)
    except ValueError as exc:
        return str(exc)
    return "number of bits must be non-negative"  # pragma: no cover


GETRANDBITS_NEGATIVE = _getrandbits_negative()
GETRANDBITS_WIDE = "random.getrandbits(k) of more than 63 bits does not fit in an int64"
GAMMAVARIATE_DOMAIN = "gammavariate: alpha and beta must be > 0.0"
LOG4 = math.log(4.0)
SG_MAGICCONST = 1.0 + math.log(4.5)


def _py_getrandbits(fl, st, bound, rt):
    bld = fl.builder
    k = _i64(fl, bound, "k")
    fl.raise_if(bld.icmp_signed("<", k, _c64(0)), ValueError, GETRANDBITS_NEGATIVE)
    fl.raise_if(bld.icmp_signed(">", k, _c64(63)), OverflowError, GETRANDBITS_WIDE)
    with bld.if_else(bld.icmp_signed("==", k, _c64(0))) as (zero, draw):
        with zero:
            before = bld.block
        with draw:
            value = bld.call(getrandbits_python(fl.module), [st, k])
            after = bld.block
    result = bld.phi(I64)
    result.add_incoming(_c64(0), before)
    result.add_incoming(value, after)
    return result


def _random(fl, st):
    return fl.builder.call(next_double(fl.module), [st])


def _fdiv_checked(fl, x, y):
    """Python's float `x / y`: ZeroDivisionError for a zero `y`."""
    fl.raise_if(fl.builder.fcmp_ordered("==", y, ir.Constant(F64, 0.0)), ZeroDivisionError,
                messages.FLOAT_TRUEDIV_ZERO)
    return fl.builder.fdiv(x, y)


def _py_triangular(fl, st, bound, rt):
    bld = fl.builder
    low, high = _f64(fl, bound, "low", 0.0), _f64(fl, bound, "high", 1.0)
    u = _random(fl, st)
    width = bld.fsub(high, low)
    if "mode" in bound and not isinstance(bound["mode"][1], NoneType):
        c = bld.fdiv(bld.fsub(_f64(fl, bound, "mode", 0.0), low), width)
    else:
        c = ir.Constant(F64, 0.5)
    flip = bld.fcmp_ordered(">", u, c)
    one = ir.Constant(F64, 1.0)
    u2, c2 = bld.select(flip, bld.fsub(one, u), u), bld.select(flip, bld.fsub(one, c), c)
    lo, hi = bld.select(flip, high, low), bld.select(flip, low, high)
    root = _call(fl, _intrinsic(fl.module, "sqrt"), bld.fmul(u2, c2))
    value = bld.fadd(lo, bld.fmul(bld.fsub(hi, lo), root))
    # (mode - low) / (high - low) raising ZeroDivisionError gives `low` (after the draw)
    return bld.select(bld.fcmp_ordered("==", width, ir.Constant(F64, 0.0)), low, value)


def _gammavariate(fl, st, alpha, beta):
    """CPython's `gammavariate(alpha, beta)` (Cheng's method above 1, Ahrens-Dieter's GS below)."""
    bld = fl.builder
    zero, one = ir.Constant(F64, 0.0), ir.Constant(F64, 1.0)
    fl.raise_if(bld.or_(bld.fcmp_ordered("<=", alpha, zero), bld.fcmp_ordered("<=", beta, zero)), ValueError,
                GAMMAVARIATE_DOMAIN)
    log, exp, sqrt = (_intrinsic(fl.module, n) for n in ("log", "exp", "sqrt"))
    pw = _intrinsic(fl.module, "pow", 2)
    result = fl.alloca(F64, name="gammavariate")
    with bld.if_else(bld.fcmp_ordered(">", alpha, one)) as (cheng, other):
        with cheng:
            ainv = _call(fl, sqrt, bld.fsub(bld.fmul(ir.Constant(F64, 2.0), alpha), one))
            bbb = bld.fsub(alpha, ir.Constant(F64, LOG4))
            ccc = bld.fadd(alpha, ainv)
            u1 = _until(fl, lambda: _random(fl, st), lambda u: bld.and_(  # `1e-7 < u1 < 0.9999999`
                bld.fcmp_ordered("<", ir.Constant(F64, 1e-7), u),
                bld.fcmp_ordered("<", u, ir.Constant(F64, 0.9999999))))
            u2 = bld.fsub(one, _random(fl, st))
            v = bld.fdiv(_call(fl, log, bld.fdiv(u1, bld.fsub(one, u1))), ainv)
            x = bld.fmul(alpha, _call(fl, exp, v))
            z = bld.fmul(bld.fmul(u1, u1), u2)
            r = bld.fsub(bld.fadd(bbb, bld.fmul(ccc, v)), x)
            accept = bld.or_(
                bld.fcmp_ordered(">=", bld.fsub(bld.fadd(r, ir.Constant(F64, SG_MAGICCONST)),
                                                bld.fmul(ir.Constant(F64, 4.5), z)), zero),
                bld.fcmp_ordered(">=", r, _call(fl, log, z)))
            _retry_unless(fl, accept, u1)
            bld.store(bld.fmul(x, beta), result)
        with other, bld.if_else(bld.fcmp_ordered("==", alpha, one)) as (exponential, gs):
            with exponential:
                e = bld.fneg(_call(fl, log, bld.fsub(one, _random(fl, st))))
                bld.store(bld.fmul(e, beta), result)
            with gs:
                b_ = bld.fdiv(bld.fadd(ir.Constant(F64, math.e), alpha), ir.Constant(F64, math.e))
                u = _random(fl, st)
                p = bld.fmul(b_, u)
                small = bld.fcmp_ordered("<=", p, one)
                x = bld.select(small, _call(fl, pw, p, bld.fdiv(one, alpha)),
                               bld.fneg(_call(fl, log, bld.fdiv(bld.fsub(b_, p), alpha))))
                u1 = _random(fl, st)
                accept = bld.select(small, bld.fcmp_ordered("<=", u1, _call(fl, exp, bld.fneg(x))),
                                    bld.fcmp_ordered("<=", u1, _call(fl, pw, x, bld.fsub(alpha, one))))
                _retry_unless(fl, accept, u)
                bld.store(bld.fmul(x, beta), result)
    return bld.load(result, typ=F64)


def _retry_unless(fl, accept, first_draw):
    """Loop back to the block that made `first_draw` (the sampling loop's first draw: everything
    from there on runs again) unless `accept` holds."""
    done = fl.func.append_basic_block("accepted")
    fl.builder.cbranch(accept, done, first_draw.parent)
    fl.builder.position_at_end(done)


def _py_gammavariate(fl, st, bound, rt):
    return _gammavariate(fl, st, _f64(fl, bound, "alpha", 1.0), _f64(fl, bound, "beta", 1.0))


def _py_betavariate(fl, st, bound, rt):
    bld = fl.builder
    alpha, beta = _f64(fl, bound, "alpha", 1.0), _f64(fl, bound, "beta", 1.0)
    one = ir.Constant(F64, 1.0)
    y = _gammavariate(fl, st, alpha, one)
    result = fl.alloca(F64, name="betavariate")
    bld.store(ir.Constant(F64, 0.0), result)
    with bld.if_then(bld.fcmp_unordered("!=", y, ir.Constant(F64, 0.0))):
        bld.store(bld.fdiv(y, bld.fadd(y, _gammavariate(fl, st, beta, one))), result)
    return bld.load(result, typ=F64)


def _py_lognormvariate(fl, st, bound, rt):
    return _call(fl, _intrinsic(fl.module, "exp"), _py_normalvariate(fl, st, bound, rt))


def _py_paretovariate(fl, st, bound, rt):
    bld = fl.builder
    alpha = _f64(fl, bound, "alpha", 1.0)
    u = bld.fsub(ir.Constant(F64, 1.0), _random(fl, st))
    return _call(fl, _intrinsic(fl.module, "pow", 2), u, _fdiv_checked(fl, ir.Constant(F64, -1.0), alpha))


def _py_weibullvariate(fl, st, bound, rt):
    bld = fl.builder
    alpha, beta = _f64(fl, bound, "alpha", 1.0), _f64(fl, bound, "beta", 1.0)
    u = bld.fsub(ir.Constant(F64, 1.0), _random(fl, st))
    power = _fdiv_checked(fl, ir.Constant(F64, 1.0), beta)
    return bld.fmul(alpha, _call(fl, _intrinsic(fl.module, "pow", 2), bld.fneg(_log(fl, u)), power))


_PYTHON = {
    "seed": _py_seed, "random": _py_random, "uniform": _py_uniform, "randint": _py_randint,
    "randrange": _py_randrange, "gauss": _py_gauss, "normalvariate": _py_normalvariate,
    "expovariate": _py_expovariate, "shuffle": _py_shuffle, "choice": _py_choice,
    "getrandbits": _py_getrandbits, "triangular": _py_triangular, "gammavariate": _py_gammavariate,
    "betavariate": _py_betavariate, "lognormvariate": _py_lognormvariate, "paretovariate": _py_paretovariate,
    "weibullvariate": _py_weibullvariate,
}

__all__ = ["call"]
