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
module that draws (`_helper`), so LLVM inlines the draw into the caller's loop.
"""
from __future__ import annotations

import math
import sys
from collections.abc import Callable

from llvmlite import ir

from jitlab.errors import LoweringError, UnsupportedError
from jitlab.ir.types import F64 as F64_T, I64 as I64_T, ArrayType, IntType, ListType, NoneType, Type

from . import messages, native
from .lower import F64, I1, I64, FunctionLowerer
from .lower_arrays import element_pointer, load_element, memory_type, shape
from .lower_arrays_alloc import (
    copy, flat_loop, flat_pointer, loop_nest, new_array, product, raise_formatted, shape_values,
    store_element,
)

I32 = ir.IntType(32)
N, M = native.MT_N, 397
STATE_TYPE = ir.LiteralStructType([ir.ArrayType(I32, N), I32, I32, F64])  # native.RandomState
KEY, POS, HAS_GAUSS, GAUSS = range(4)

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
TWOPI = 2.0 * math.pi
NV_MAGICCONST = 4 * math.exp(-0.5) / math.sqrt(2.0)


def _c32(v: int) -> ir.Constant:
    return ir.Constant(I32, v & 0xFFFFFFFF)


def _c64(v: int) -> ir.Constant:
    return ir.Constant(I64, v & 0xFFFFFFFFFFFFFFFF)


# -- the generator: internal functions of the module -------------------------------------------
def state(module: ir.Module, which: str) -> ir.GlobalVariable:
    """The process's state for `numpy` or `python` (an external global, resolved when loaded)."""
    native.register_random_symbols()
    symbol = native.RANDOM_NUMPY_SYMBOL if which == "numpy" else native.RANDOM_PYTHON_SYMBOL
    if symbol not in module.globals:
        ir.GlobalVariable(module, STATE_TYPE, symbol).linkage = "external"
    return module.globals[symbol]


def _field(b: ir.IRBuilder, st: ir.Value, k: int, i: ir.Value | None = None) -> ir.Value:
    indices = [_c32(0), _c32(k)] + ([i] if i is not None else [])
    return b.gep(st, indices, inbounds=True, source_etype=STATE_TYPE)


def _helper(module: ir.Module, name: str, ret: ir.Type, params: tuple[ir.Type, ...],
            build: Callable[[ir.Function, ir.IRBuilder], None], noinline: bool = False,
            inline: bool = False) -> ir.Function:
    name = f"jitlab.random.{name}"
    if name in module.globals:
        return module.globals[name]
    fn = ir.Function(module, ir.FunctionType(ret, params), name)
    fn.linkage = "internal"
    if noinline:
        fn.attributes.add("noinline")
    if inline:  # a constant bound folds its branches and mask away
        fn.attributes.add("alwaysinline")
    build(fn, ir.IRBuilder(fn.append_basic_block("entry")))
    return fn


def _loop(fn: ir.Function, b: ir.IRBuilder, start: ir.Value, stop: ir.Value,
          body: Callable[[ir.Value], None]) -> None:
    """`for i in range(start, stop): body(i)` for `start < stop` (the body runs at least once)."""
    before = b.block
    head = fn.append_basic_block("loop")
    end = fn.append_basic_block("loop.end")
    b.branch(head)
    b.position_at_end(head)
    i = b.phi(start.type, name="i")
    i.add_incoming(start, before)
    body(i)
    nxt = b.add(i, ir.Constant(start.type, 1))
    i.add_incoming(nxt, b.block)
    b.cbranch(b.icmp_signed("<", nxt, stop), head, end)
    b.position_at_end(end)


def _reload(module: ir.Module) -> ir.Function:
    """Generate the next 624 words (MT19937's twist) and set the index to 0: word k mixes words k
    and k + 1 with word k + 397, in three runs so that no index wraps inside a loop."""
    def build(fn, b):
        st, = fn.args

        def twist(k, nxt, far):
            y = b.or_(b.and_(b.load(_field(b, st, KEY, k), typ=I32), _c32(0x80000000)),
                      b.and_(b.load(_field(b, st, KEY, nxt), typ=I32), _c32(0x7FFFFFFF)))
            mag = b.select(b.trunc(y, I1), _c32(0x9908B0DF), _c32(0))
            value = b.xor(b.xor(b.load(_field(b, st, KEY, far), typ=I32), b.lshr(y, _c32(1))), mag)
            b.store(value, _field(b, st, KEY, k))

        _loop(fn, b, _c32(0), _c32(N - M), lambda k: twist(k, b.add(k, _c32(1)), b.add(k, _c32(M))))
        _loop(fn, b, _c32(N - M), _c32(N - 1), lambda k: twist(k, b.add(k, _c32(1)), b.sub(k, _c32(N - M))))
        twist(_c32(N - 1), _c32(0), _c32(M - 1))
        b.store(_c32(0), _field(b, st, POS))
        b.ret_void()
    return _helper(module, "reload", ir.VoidType(), (ir.PointerType(),), build, noinline=True)


def next32(module: ir.Module) -> ir.Function:
    """`u32 next32(state)`: the next tempered word."""
    def build(fn, b):
        st, = fn.args
        pos_ptr = _field(b, st, POS)
        pos = b.load(pos_ptr, typ=I32)
        entry = b.block
        reload_block = fn.append_basic_block("reload")
        draw = fn.append_basic_block("draw")
        b.cbranch(b.icmp_signed(">=", pos, _c32(N)), reload_block, draw)
        b.position_at_end(reload_block)
        b.call(_reload(module), [st])
        b.branch(draw)
        b.position_at_end(draw)
        p = b.phi(I32)
        p.add_incoming(pos, entry)
        p.add_incoming(_c32(0), reload_block)
        y = b.load(_field(b, st, KEY, p), typ=I32)
        b.store(b.add(p, _c32(1)), pos_ptr)
        y = b.xor(y, b.lshr(y, _c32(11)))
        y = b.xor(y, b.and_(b.shl(y, _c32(7)), _c32(0x9D2C5680)))
        y = b.xor(y, b.and_(b.shl(y, _c32(15)), _c32(0xEFC60000)))
        b.ret(b.xor(y, b.lshr(y, _c32(18))))
    return _helper(module, "next32", I32, (ir.PointerType(),), build)


def _next64(b: ir.IRBuilder, module: ir.Module, st: ir.Value) -> ir.Value:
    """NumPy's `next_uint64` of MT19937: the first word high, the second low."""
    hi = b.zext(b.call(next32(module), [st]), I64)
    lo = b.zext(b.call(next32(module), [st]), I64)
    return b.or_(b.shl(hi, _c64(32)), lo)


def next_double(module: ir.Module) -> ir.Function:
    """`f64 double(state)`: `(a * 2**26 + b) / 2**53` of two words' top 27 and 26 bits (NumPy's
    `next_double` and CPython's `random()` alike)."""
    def build(fn, b):
        st, = fn.args
        a = b.lshr(b.call(next32(module), [st]), _c32(5))
        c = b.lshr(b.call(next32(module), [st]), _c32(6))
        value = b.fadd(b.fmul(b.uitofp(a, F64), ir.Constant(F64, 67108864.0)), b.uitofp(c, F64))
        b.ret(b.fdiv(value, ir.Constant(F64, 9007199254740992.0)))
    return _helper(module, "double", F64, (ir.PointerType(),), build)


def _smear(b: ir.IRBuilder, value: ir.Value) -> ir.Value:
    """The smallest all-ones mask >= value."""
    for s in (1, 2, 4, 8, 16, 32):
        value = b.or_(value, b.lshr(value, _c64(s)))
    return value


def interval(module: ir.Module) -> ir.Function:
    """`u64 interval(state, u64 max)`: NumPy's `random_interval`, uniform in [0, max] by masked
    rejection (32-bit words while max fits in 32 bits); also legacy randint's one draw."""
    def build(fn, b):
        st, mx = fn.args
        zero = fn.append_basic_block("zero")
        small = fn.append_basic_block("small")
        large = fn.append_basic_block("large")
        choose = fn.append_basic_block("choose")
        b.cbranch(b.icmp_unsigned("==", mx, _c64(0)), zero, choose)
        b.position_at_end(zero)
        b.ret(_c64(0))
        b.position_at_end(choose)
        mask = _smear(b, mx)
        b.cbranch(b.icmp_unsigned("<=", mx, _c64(0xFFFFFFFF)), small, large)
        for block, wide in ((small, False), (large, True)):
            b.position_at_end(block)
            again = fn.append_basic_block("again")
            b.branch(again)
            b.position_at_end(again)
            word = _next64(b, module, st) if wide else b.zext(b.call(next32(module), [st]), I64)
            value = b.and_(word, mask)
            done = fn.append_basic_block("done")
            b.cbranch(b.icmp_unsigned(">", value, mx), again, done)
            b.position_at_end(done)
            b.ret(value)
    return _helper(module, "interval", I64, (ir.PointerType(), I64), build, inline=True)


def gauss_numpy(module: ir.Module) -> ir.Function:
    """NumPy's `legacy_gauss`: the polar method, the pair's second value kept for the next call."""
    def build(fn, b):
        st, = fn.args
        has_ptr, gauss_ptr = _field(b, st, HAS_GAUSS), _field(b, st, GAUSS)
        cached = fn.append_basic_block("cached")
        fresh = fn.append_basic_block("fresh")
        b.cbranch(b.icmp_signed("!=", b.load(has_ptr, typ=I32), _c32(0)), cached, fresh)
        b.position_at_end(cached)
        value = b.load(gauss_ptr, typ=F64)
        b.store(_c32(0), has_ptr)
        b.store(ir.Constant(F64, 0.0), gauss_ptr)
        b.ret(value)
        b.position_at_end(fresh)
        again = fn.append_basic_block("again")
        b.branch(again)
        b.position_at_end(again)
        one, two = ir.Constant(F64, 1.0), ir.Constant(F64, 2.0)
        x1 = b.fsub(b.fmul(two, b.call(next_double(module), [st])), one)
        x2 = b.fsub(b.fmul(two, b.call(next_double(module), [st])), one)
        r2 = b.fadd(b.fmul(x1, x1), b.fmul(x2, x2))
        reject = b.or_(b.fcmp_ordered(">=", r2, one), b.fcmp_ordered("==", r2, ir.Constant(F64, 0.0)))
        done = fn.append_basic_block("done")
        b.cbranch(reject, again, done)
        b.position_at_end(done)
        log = _intrinsic(module, "log")
        sqrt = _intrinsic(module, "sqrt")
        f = b.call(sqrt, [b.fdiv(b.fmul(ir.Constant(F64, -2.0), b.call(log, [r2])), r2)])
        b.store(b.fmul(f, x1), gauss_ptr)
        b.store(_c32(1), has_ptr)
        b.ret(b.fmul(f, x2))
    return _helper(module, "gauss_numpy", F64, (ir.PointerType(),), build)


def gauss_python(module: ir.Module) -> ir.Function:
    """CPython's `gauss()` without mu and sigma: `gauss_next` if set, else a Box-Muller pair."""
    def build(fn, b):
        st, = fn.args
        has_ptr, gauss_ptr = _field(b, st, HAS_GAUSS), _field(b, st, GAUSS)
        cached = fn.append_basic_block("cached")
        fresh = fn.append_basic_block("fresh")
        b.cbranch(b.icmp_signed("!=", b.load(has_ptr, typ=I32), _c32(0)), cached, fresh)
        b.position_at_end(cached)
        b.store(_c32(0), has_ptr)
        b.ret(b.load(gauss_ptr, typ=F64))
        b.position_at_end(fresh)
        x2pi = b.fmul(b.call(next_double(module), [st]), ir.Constant(F64, TWOPI))
        u = b.fsub(ir.Constant(F64, 1.0), b.call(next_double(module), [st]))
        g2rad = b.call(_intrinsic(module, "sqrt"),
                       [b.fmul(ir.Constant(F64, -2.0), b.call(_intrinsic(module, "log"), [u]))])
        z = b.fmul(b.call(_intrinsic(module, "cos"), [x2pi]), g2rad)
        b.store(b.fmul(b.call(_intrinsic(module, "sin"), [x2pi]), g2rad), gauss_ptr)
        b.store(_c32(1), has_ptr)
        b.ret(z)
    return _helper(module, "gauss_python", F64, (ir.PointerType(),), build)


def _f(v: float) -> ir.Constant:
    return ir.Constant(F64, v)


def _cmp(b: ir.IRBuilder, op: str, x: ir.Value, y: ir.Value) -> ir.Value:
    return b.fcmp_ordered(op, x, y)  # C's comparisons: false when either side is NaN


def _branch(fn: ir.Function, b: ir.IRBuilder, cond: ir.Value, name: str) -> tuple[ir.Block, ir.Block]:
    """Branch on `cond` to two new blocks (then, else); the builder is left in neither."""
    yes, no = fn.append_basic_block(name), fn.append_basic_block(name + ".else")
    b.cbranch(cond, yes, no)
    return yes, no


def _standard_exponential_of(b: ir.IRBuilder, module: ir.Module, st: ir.Value) -> ir.Value:
    """NumPy's `legacy_standard_exponential`: -log(1 - U)."""
    u = b.fsub(_f(1.0), b.call(next_double(module), [st]))
    return b.fneg(b.call(_intrinsic(module, "log"), [u]))


def gamma_numpy(module: ir.Module) -> ir.Function:
    """NumPy's `legacy_standard_gamma(shape)`: Marsaglia and Tsang's method (shape > 1, from
    `legacy_gauss`), rejection from the exponential below 1."""
    def build(fn, b):
        st, shape = fn.args
        log, pw = _intrinsic(module, "log"), _intrinsic(module, "pow", 2)
        one, no = _branch(fn, b, _cmp(b, "==", shape, _f(1.0)), "one")
        b.position_at_end(one)
        b.ret(_standard_exponential_of(b, module, st))
        b.position_at_end(no)
        zero, no = _branch(fn, b, _cmp(b, "==", shape, _f(0.0)), "zero")
        b.position_at_end(zero)
        b.ret(_f(0.0))
        b.position_at_end(no)
        small, large = _branch(fn, b, _cmp(b, "<", shape, _f(1.0)), "small")
        b.position_at_end(small)
        again = fn.append_basic_block("small.again")
        b.branch(again)
        b.position_at_end(again)
        u = b.call(next_double(module), [st])
        v = _standard_exponential_of(b, module, st)
        inv = b.fdiv(_f(1.0), shape)
        low, high = _branch(fn, b, _cmp(b, "<=", u, b.fsub(_f(1.0), shape)), "low")
        b.position_at_end(low)
        x = b.call(pw, [u, inv])
        done, _ = _branch(fn, b, _cmp(b, "<=", x, v), "low.done")
        b.position_at_end(done)
        b.ret(x)
        b.position_at_end(_)
        b.branch(again)
        b.position_at_end(high)
        y = b.fneg(b.call(log, [b.fdiv(b.fsub(_f(1.0), u), shape)]))
        x = b.call(pw, [b.fadd(b.fsub(_f(1.0), shape), b.fmul(shape, y)), inv])
        done, _ = _branch(fn, b, _cmp(b, "<=", x, b.fadd(v, y)), "high.done")
        b.position_at_end(done)
        b.ret(x)
        b.position_at_end(_)
        b.branch(again)
        b.position_at_end(large)
        bb = b.fsub(shape, _f(1.0 / 3.0))
        c = b.fdiv(_f(1.0), b.call(_intrinsic(module, "sqrt"), [b.fmul(_f(9.0), bb)]))
        outer = fn.append_basic_block("large.again")
        b.branch(outer)
        b.position_at_end(outer)
        x = b.call(gauss_numpy(module), [st])
        v = b.fadd(_f(1.0), b.fmul(c, x))
        _, ok = _branch(fn, b, _cmp(b, "<=", v, _f(0.0)), "nonpositive")
        b.position_at_end(_)
        b.branch(outer)
        b.position_at_end(ok)
        v = b.fmul(b.fmul(v, v), v)
        u = b.call(next_double(module), [st])
        xx = b.fmul(x, x)
        result = b.fmul(bb, v)
        quick, slow = _branch(fn, b, _cmp(b, "<", u, b.fsub(_f(1.0), b.fmul(b.fmul(_f(0.0331), xx), xx))),
                              "squeeze")
        b.position_at_end(quick)
        b.ret(result)
        b.position_at_end(slow)
        bound = b.fadd(b.fmul(b.fmul(_f(0.5), x), x),
                       b.fmul(bb, b.fadd(b.fsub(_f(1.0), v), b.call(log, [v]))))
        accept, reject = _branch(fn, b, _cmp(b, "<", b.call(log, [u]), bound), "accept")
        b.position_at_end(accept)
        b.ret(result)
        b.position_at_end(reject)
        b.branch(outer)
    return _helper(module, "gamma_numpy", F64, (ir.PointerType(), F64), build)


def beta_numpy(module: ir.Module) -> ir.Function:
    """NumPy's `legacy_beta(a, b)`: Johnk's algorithm when both are at most 1, else a ratio of
    gammas."""
    def build(fn, b):
        st, a, bb = fn.args
        log, pw, exp = _intrinsic(module, "log"), _intrinsic(module, "pow", 2), _intrinsic(module, "exp")
        johnk, ratio = _branch(fn, b, b.and_(_cmp(b, "<=", a, _f(1.0)), _cmp(b, "<=", bb, _f(1.0))), "johnk")
        b.position_at_end(ratio)
        ga = b.call(gamma_numpy(module), [st, a])
        gb = b.call(gamma_numpy(module), [st, bb])
        b.ret(b.fdiv(ga, b.fadd(ga, gb)))
        b.position_at_end(johnk)
        again = fn.append_basic_block("johnk.again")
        b.branch(again)
        b.position_at_end(again)
        u = b.call(next_double(module), [st])
        v = b.call(next_double(module), [st])
        x = b.call(pw, [u, b.fdiv(_f(1.0), a)])
        y = b.call(pw, [v, b.fdiv(_f(1.0), bb)])
        xy = b.fadd(x, y)
        inside, outside = _branch(fn, b, _cmp(b, "<=", xy, _f(1.0)), "inside")
        b.position_at_end(outside)
        b.branch(again)
        b.position_at_end(inside)
        plain, tiny = _branch(fn, b, _cmp(b, ">", xy, _f(0.0)), "plain")
        b.position_at_end(plain)
        b.ret(b.fdiv(x, xy))
        b.position_at_end(tiny)
        log_x = b.fdiv(b.call(log, [u]), a)
        log_y = b.fdiv(b.call(log, [v]), bb)
        log_m = b.select(_cmp(b, ">", log_x, log_y), log_x, log_y)
        log_x, log_y = b.fsub(log_x, log_m), b.fsub(log_y, log_m)
        total = b.fadd(b.call(exp, [log_x]), b.call(exp, [log_y]))
        b.ret(b.call(exp, [b.fsub(log_x, b.call(log, [total]))]))
    return _helper(module, "beta_numpy", F64, (ir.PointerType(), F64, F64), build)


LOGGAM_COEFFICIENTS = (8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
                       -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
                       6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01,
                       -1.39243221690590e+00)


def loggam(module: ir.Module) -> ir.Function:
    """NumPy's `random_loggam(x)`: log(gamma(x)) by Stirling's series from x + n >= 7 (Zhang and
    Jin's SPECFUN), as NumPy's Poisson sampler uses it."""
    def build(fn, b):
        x, = fn.args
        log = _intrinsic(module, "log")
        one_or_two = b.or_(_cmp(b, "==", x, _f(1.0)), _cmp(b, "==", x, _f(2.0)))
        trivial, other = _branch(fn, b, one_or_two, "trivial")
        b.position_at_end(trivial)
        b.ret(_f(0.0))
        b.position_at_end(other)
        small = _cmp(b, "<=", x, _f(7.0))
        n = b.select(small, b.fptosi(b.fsub(_f(7.0), x), I64), _c64(0))
        x0 = b.select(small, b.fadd(x, b.sitofp(n, F64)), x)
        x2 = b.fdiv(_f(1.0), b.fmul(x0, x0))
        gl0 = _f(LOGGAM_COEFFICIENTS[9])
        for k in range(8, -1, -1):
            gl0 = b.fadd(b.fmul(gl0, x2), _f(LOGGAM_COEFFICIENTS[k]))
        gl = b.fadd(b.fadd(b.fdiv(gl0, x0), _f(0.5 * math.log(2 * math.pi))),
                    b.fmul(b.fsub(x0, _f(0.5)), b.call(log, [x0])))
        gl = b.fsub(gl, x0)
        before = b.block
        loop = fn.append_basic_block("down")
        end = fn.append_basic_block("done")
        b.cbranch(b.icmp_signed(">", n, _c64(0)), loop, end)
        b.position_at_end(loop)
        k = b.phi(I64)
        g = b.phi(F64)
        xk = b.phi(F64)
        k.add_incoming(_c64(1), before)
        g.add_incoming(gl, before)
        xk.add_incoming(x0, before)
        g2 = b.fsub(g, b.call(log, [b.fsub(xk, _f(1.0))]))
        xk2 = b.fsub(xk, _f(1.0))
        k2 = b.add(k, _c64(1))
        k.add_incoming(k2, loop)
        g.add_incoming(g2, loop)
        xk.add_incoming(xk2, loop)
        b.cbranch(b.icmp_signed("<=", k2, n), loop, end)
        b.position_at_end(end)
        result = b.phi(F64)
        result.add_incoming(gl, before)
        result.add_incoming(g2, loop)
        b.ret(result)
    return _helper(module, "loggam", F64, (F64,), build)


def poisson_numpy(module: ir.Module) -> ir.Function:
    """NumPy's `random_poisson(lam)`: Hoermann's transformed rejection (PTRS) from 10 on, the
    product of uniforms below."""
    def build(fn, b):
        st, lam = fn.args
        log = _intrinsic(module, "log")
        ptrs, other = _branch(fn, b, _cmp(b, ">=", lam, _f(10.0)), "ptrs")
        b.position_at_end(other)
        zero, mult = _branch(fn, b, _cmp(b, "==", lam, _f(0.0)), "zero")
        b.position_at_end(zero)
        b.ret(_c64(0))
        b.position_at_end(mult)
        enlam = b.call(_intrinsic(module, "exp"), [b.fneg(lam)])
        before = b.block
        loop = fn.append_basic_block("mult.loop")
        b.branch(loop)
        b.position_at_end(loop)
        count = b.phi(I64)
        prod = b.phi(F64)
        count.add_incoming(_c64(0), before)
        prod.add_incoming(_f(1.0), before)
        prod2 = b.fmul(prod, b.call(next_double(module), [st]))
        more, done = _branch(fn, b, _cmp(b, ">", prod2, enlam), "more")
        b.position_at_end(done)
        b.ret(count)
        b.position_at_end(more)
        count.add_incoming(b.add(count, _c64(1)), more)
        prod.add_incoming(prod2, more)
        b.branch(loop)
        b.position_at_end(ptrs)
        slam = b.call(_intrinsic(module, "sqrt"), [lam])
        loglam = b.call(log, [lam])
        bb = b.fadd(_f(0.931), b.fmul(_f(2.53), slam))
        a = b.fadd(_f(-0.059), b.fmul(_f(0.02483), bb))
        invalpha = b.fadd(_f(1.1239), b.fdiv(_f(1.1328), b.fsub(bb, _f(3.4))))
        vr = b.fsub(_f(0.9277), b.fdiv(_f(3.6224), b.fsub(bb, _f(2.0))))
        again = fn.append_basic_block("ptrs.again")
        b.branch(again)
        b.position_at_end(again)
        u = b.fsub(b.call(next_double(module), [st]), _f(0.5))
        v = b.call(next_double(module), [st])
        us = b.fsub(_f(0.5), b.call(_intrinsic(module, "fabs"), [u]))
        t = b.fadd(b.fadd(b.fmul(b.fadd(b.fdiv(b.fmul(_f(2.0), a), us), bb), u), lam), _f(0.43))
        k = b.fptosi(b.call(_intrinsic(module, "floor"), [t]), I64)
        quick, rest = _branch(fn, b, b.and_(_cmp(b, ">=", us, _f(0.07)), _cmp(b, "<=", v, vr)), "quick")
        b.position_at_end(quick)
        b.ret(k)
        b.position_at_end(rest)
        reject = b.or_(b.icmp_signed("<", k, _c64(0)),
                       b.and_(_cmp(b, "<", us, _f(0.013)), _cmp(b, ">", v, us)))
        back, test = _branch(fn, b, reject, "reject")
        b.position_at_end(back)
        b.branch(again)
        b.position_at_end(test)
        lhs = b.fsub(b.fadd(b.call(log, [v]), b.call(log, [invalpha])),
                     b.call(log, [b.fadd(b.fdiv(a, b.fmul(us, us)), bb)]))
        kf = b.sitofp(k, F64)
        rhs = b.fsub(b.fadd(b.fneg(lam), b.fmul(kf, loglam)),
                     b.call(loggam(module), [b.sitofp(b.add(k, _c64(1)), F64)]))
        accept, back = _branch(fn, b, _cmp(b, "<=", lhs, rhs), "accept")
        b.position_at_end(accept)
        b.ret(k)
        b.position_at_end(back)
        b.branch(again)
    return _helper(module, "poisson_numpy", I64, (ir.PointerType(), F64), build)


def _binomial_inversion(module: ir.Module) -> ir.Function:
    """NumPy's `random_binomial_inversion(n, p)` (n * p <= 30): walk the distribution from 0."""
    def build(fn, b):
        st, n, p = fn.args
        nf = b.sitofp(n, F64)
        q = b.fsub(_f(1.0), p)
        qn = b.call(_intrinsic(module, "exp"), [b.fmul(nf, b.call(_intrinsic(module, "log"), [q]))])
        np_ = b.fmul(nf, p)
        spread = b.call(_intrinsic(module, "sqrt"), [b.fadd(b.fmul(np_, q), _f(1.0))])
        limit = b.fadd(np_, b.fmul(_f(10.0), spread))
        bound = b.fptosi(b.select(_cmp(b, "<", nf, limit), nf, limit), I64)
        first = b.call(next_double(module), [st])
        before = b.block
        head = fn.append_basic_block("walk")
        b.branch(head)
        b.position_at_end(head)
        x, px, u = b.phi(I64), b.phi(F64), b.phi(F64)
        x.add_incoming(_c64(0), before)
        px.add_incoming(qn, before)
        u.add_incoming(first, before)
        step, done = _branch(fn, b, _cmp(b, ">", u, px), "step")
        b.position_at_end(done)
        b.ret(x)
        b.position_at_end(step)
        x1 = b.add(x, _c64(1))
        restart, go_on = _branch(fn, b, b.icmp_signed(">", x1, bound), "restart")
        b.position_at_end(restart)
        x.add_incoming(_c64(0), restart)
        px.add_incoming(qn, restart)
        u.add_incoming(b.call(next_double(module), [st]), restart)
        b.branch(head)
        b.position_at_end(go_on)
        x.add_incoming(x1, go_on)
        u.add_incoming(b.fsub(u, px), go_on)
        top = b.fmul(b.fmul(b.sitofp(b.add(b.sub(n, x1), _c64(1)), F64), p), px)
        px.add_incoming(b.fdiv(top, b.fmul(b.sitofp(x1, F64), q)), go_on)
        b.branch(head)
    return _helper(module, "binomial_inversion", I64, (ir.PointerType(), I64, F64), build)


def _btpe_series(b: ir.IRBuilder, a2: ir.Value, a1: ir.Value) -> ir.Value:
    """`(13680 - (462 - (132 - (99 - 140/a2)/a2)/a2)/a2)/a1/166320` (Stirling's correction)."""
    t = b.fdiv(b.fsub(_f(99.0), b.fdiv(_f(140.0), a2)), a2)
    t = b.fdiv(b.fsub(_f(132.0), t), a2)
    t = b.fdiv(b.fsub(_f(462.0), t), a2)
    return b.fdiv(b.fdiv(b.fsub(_f(13680.0), t), a1), _f(166320.0))


def _binomial_btpe(module: ir.Module) -> ir.Function:
    """NumPy's `random_binomial_btpe(n, p)`: Kachitvichyanukul and Schmeiser's BTPE (n * p > 30)."""
    def build(fn, b):
        st, n, p = fn.args
        log, floor = _intrinsic(module, "log"), _intrinsic(module, "floor")
        fabs, sqrt = _intrinsic(module, "fabs"), _intrinsic(module, "sqrt")
        nf = b.sitofp(n, F64)
        one_minus = b.fsub(_f(1.0), p)
        r = b.select(_cmp(b, "<", p, one_minus), p, one_minus)
        q = b.fsub(_f(1.0), r)
        fm = b.fadd(b.fmul(nf, r), r)
        m = b.fptosi(b.call(floor, [fm]), I64)
        mf = b.sitofp(m, F64)
        p1 = b.fadd(b.call(floor, [b.fsub(b.fmul(_f(2.195), b.call(sqrt, [b.fmul(b.fmul(nf, r), q)])),
                                          b.fmul(_f(4.6), q))]), _f(0.5))
        xm = b.fadd(mf, _f(0.5))
        xl, xr = b.fsub(xm, p1), b.fadd(xm, p1)
        c = b.fadd(_f(0.134), b.fdiv(_f(20.5), b.fadd(_f(15.3), mf)))
        a = b.fdiv(b.fsub(fm, xl), b.fsub(fm, b.fmul(xl, r)))
        laml = b.fmul(a, b.fadd(_f(1.0), b.fdiv(a, _f(2.0))))
        a = b.fdiv(b.fsub(xr, fm), b.fmul(xr, q))
        lamr = b.fmul(a, b.fadd(_f(1.0), b.fdiv(a, _f(2.0))))
        p2 = b.fmul(p1, b.fadd(_f(1.0), b.fmul(_f(2.0), c)))
        p3 = b.fadd(p2, b.fdiv(c, laml))
        p4 = b.fadd(p3, b.fdiv(c, lamr))
        nrq = b.fmul(b.fmul(nf, r), q)
        step10 = fn.append_basic_block("step10")
        step50 = fn.append_basic_block("step50")
        step60 = fn.append_basic_block("step60")
        b.branch(step10)
        b.position_at_end(step10)
        u = b.fmul(b.call(next_double(module), [st]), p4)
        v = b.call(next_double(module), [st])
        s20, s10a = _branch(fn, b, _cmp(b, ">", u, p1), "step20")
        b.position_at_end(s10a)
        y_a = b.fptosi(b.call(floor, [b.fadd(b.fsub(xm, b.fmul(p1, v)), u)]), I64)
        from_a = b.block
        b.branch(step60)
        b.position_at_end(s20)
        s30, s20a = _branch(fn, b, _cmp(b, ">", u, p2), "step30")
        b.position_at_end(s20a)
        x = b.fadd(xl, b.fdiv(b.fsub(u, p1), c))
        v_b = b.fsub(b.fadd(b.fmul(v, c), _f(1.0)),
                     b.fdiv(b.call(fabs, [b.fadd(b.fsub(mf, x), _f(0.5))]), p1))
        back, ok = _branch(fn, b, _cmp(b, ">", v_b, _f(1.0)), "reject20")
        b.position_at_end(back)
        b.branch(step10)
        b.position_at_end(ok)
        y_b = b.fptosi(b.call(floor, [x]), I64)
        from_b = b.block
        b.branch(step50)
        b.position_at_end(s30)
        s40, s30a = _branch(fn, b, _cmp(b, ">", u, p3), "step40")
        b.position_at_end(s30a)
        y_c = b.fptosi(b.call(floor, [b.fadd(xl, b.fdiv(b.call(log, [v]), laml))]), I64)
        bad = b.or_(b.icmp_signed("<", y_c, _c64(0)), _cmp(b, "==", v, _f(0.0)))
        back, ok = _branch(fn, b, bad, "reject30")
        b.position_at_end(back)
        b.branch(step10)
        b.position_at_end(ok)
        v_c = b.fmul(b.fmul(v, b.fsub(u, p2)), laml)
        from_c = b.block
        b.branch(step50)
        b.position_at_end(s40)
        y_d = b.fptosi(b.call(floor, [b.fsub(xr, b.fdiv(b.call(log, [v]), lamr))]), I64)
        bad = b.or_(b.icmp_signed(">", y_d, n), _cmp(b, "==", v, _f(0.0)))
        back, ok = _branch(fn, b, bad, "reject40")
        b.position_at_end(back)
        b.branch(step10)
        b.position_at_end(ok)
        v_d = b.fmul(b.fmul(v, b.fsub(u, p3)), lamr)
        from_d = b.block
        b.branch(step50)
        # Step 50: accept or reject (y, v)
        b.position_at_end(step50)
        y = b.phi(I64)
        vv = b.phi(F64)
        for value, vvalue, block in ((y_b, v_b, from_b), (y_c, v_c, from_c), (y_d, v_d, from_d)):
            y.add_incoming(value, block)
            vv.add_incoming(vvalue, block)
        diff = b.sub(y, m)
        k = b.select(b.icmp_signed("<", diff, _c64(0)), b.neg(diff), diff)
        kf = b.sitofp(k, F64)
        far = b.and_(b.icmp_signed(">", k, _c64(20)),
                     _cmp(b, "<", kf, b.fsub(b.fdiv(nrq, _f(2.0)), _f(1.0))))
        s52, explicit = _branch(fn, b, far, "step52")
        b.position_at_end(explicit)
        s_ = b.fdiv(r, q)
        a50 = b.fmul(s_, b.sitofp(b.add(n, _c64(1)), F64))
        up = b.icmp_signed("<", m, y)
        lo = b.add(b.select(up, m, y), _c64(1))  # i runs over (min(m, y), max(m, y)]
        hi = b.select(up, y, m)
        before = b.block
        loop = fn.append_basic_block("product")
        after = fn.append_basic_block("product.done")
        b.cbranch(b.icmp_signed("<=", lo, hi), loop, after)
        b.position_at_end(loop)
        i = b.phi(I64)
        f = b.phi(F64)
        i.add_incoming(lo, before)
        f.add_incoming(_f(1.0), before)
        term = b.fsub(b.fdiv(a50, b.sitofp(i, F64)), s_)
        f2 = b.select(up, b.fmul(f, term), b.fdiv(f, term))
        i2 = b.add(i, _c64(1))
        i.add_incoming(i2, loop)
        f.add_incoming(f2, loop)
        b.cbranch(b.icmp_signed("<=", i2, hi), loop, after)
        b.position_at_end(after)
        big_f = b.phi(F64)
        big_f.add_incoming(_f(1.0), before)
        big_f.add_incoming(f2, loop)
        back, ok = _branch(fn, b, _cmp(b, ">", vv, big_f), "reject50")
        b.position_at_end(back)
        b.branch(step10)
        b.position_at_end(ok)
        from_e = b.block
        b.branch(step60)
        # Step 52: squeeze with Stirling's formula
        b.position_at_end(s52)
        rho = b.fmul(b.fdiv(kf, nrq),
                     b.fadd(b.fdiv(b.fadd(b.fmul(kf, b.fadd(b.fdiv(kf, _f(3.0)), _f(0.625))),
                                          _f(0.16666666666666666)), nrq), _f(0.5)))
        t = b.fdiv(b.sitofp(b.mul(b.neg(k), k), F64), b.fmul(_f(2.0), nrq))
        big_a = b.call(log, [vv])
        sure, maybe = _branch(fn, b, _cmp(b, "<", big_a, b.fsub(t, rho)), "squeeze.accept")
        b.position_at_end(sure)
        from_f = b.block
        b.branch(step60)
        b.position_at_end(maybe)
        back, exact = _branch(fn, b, _cmp(b, ">", big_a, b.fadd(t, rho)), "squeeze.reject")
        b.position_at_end(back)
        b.branch(step10)
        b.position_at_end(exact)
        x1 = b.sitofp(b.add(y, _c64(1)), F64)
        f1 = b.sitofp(b.add(m, _c64(1)), F64)
        z = b.sitofp(b.sub(b.add(n, _c64(1)), m), F64)
        w = b.sitofp(b.add(b.sub(n, y), _c64(1)), F64)
        x2, f2s, z2, w2 = b.fmul(x1, x1), b.fmul(f1, f1), b.fmul(z, z), b.fmul(w, w)
        bound = b.fmul(xm, b.call(log, [b.fdiv(f1, x1)]))
        bound = b.fadd(bound, b.fmul(b.fadd(b.sitofp(b.sub(n, m), F64), _f(0.5)),
                                     b.call(log, [b.fdiv(z, w)])))
        bound = b.fadd(bound, b.fmul(b.sitofp(b.sub(y, m), F64),
                                     b.call(log, [b.fdiv(b.fmul(w, r), b.fmul(x1, q))])))
        for a2, a1 in ((f2s, f1), (z2, z), (x2, x1), (w2, w)):
            bound = b.fadd(bound, _btpe_series(b, a2, a1))
        back, ok = _branch(fn, b, _cmp(b, ">", big_a, bound), "reject52")
        b.position_at_end(back)
        b.branch(step10)
        b.position_at_end(ok)
        from_g = b.block
        b.branch(step60)
        b.position_at_end(step60)
        result = b.phi(I64)
        result.add_incoming(y_a, from_a)
        for block in (from_e, from_f, from_g):
            result.add_incoming(y, block)
        b.ret(b.select(_cmp(b, ">", p, _f(0.5)), b.sub(n, result), result))
    return _helper(module, "binomial_btpe", I64, (ir.PointerType(), I64, F64), build)


def binomial_numpy(module: ir.Module) -> ir.Function:
    """NumPy's `legacy_random_binomial(p, n)`: inversion while n * min(p, 1 - p) <= 30, else BTPE,
    on the smaller of p and 1 - p (no shortcut for n == 0 or p == 0: those draw once too)."""
    def build(fn, b):
        st, n, p = fn.args
        nf = b.sitofp(n, F64)
        low = _cmp(b, "<=", p, _f(0.5))
        pp = b.select(low, p, b.fsub(_f(1.0), p))
        few, many = _branch(fn, b, _cmp(b, "<=", b.fmul(pp, nf), _f(30.0)), "inversion")
        b.position_at_end(few)
        got_few = b.call(_binomial_inversion(module), [st, n, pp])
        b.ret(b.select(low, got_few, b.sub(n, got_few)))
        b.position_at_end(many)
        got_many = b.call(_binomial_btpe(module), [st, n, pp])
        b.ret(b.select(low, got_many, b.sub(n, got_many)))
    return _helper(module, "binomial_numpy", I64, (ir.PointerType(), I64, F64), build)


def below_python(module: ir.Module) -> ir.Function:
    """CPython's `_randbelow(n)` for 0 < n < 2**64: `getrandbits(n.bit_length())` until < n."""
    def build(fn, b):
        st, n = fn.args
        ctlz = module.globals.get("llvm.ctlz.i64") or ir.Function(
            module, ir.FunctionType(I64, [I64, I1]), "llvm.ctlz.i64")
        k = b.sub(_c64(64), b.call(ctlz, [n, ir.Constant(I1, 0)]))
        again = fn.append_basic_block("again")
        b.branch(again)
        b.position_at_end(again)
        one_word = fn.append_basic_block("one")
        two_words = fn.append_basic_block("two")
        check = fn.append_basic_block("check")
        b.cbranch(b.icmp_unsigned("<=", k, _c64(32)), one_word, two_words)
        b.position_at_end(one_word)
        r1 = b.lshr(b.zext(b.call(next32(module), [st]), I64), b.sub(_c64(32), k))
        b.branch(check)
        b.position_at_end(two_words)
        low = b.zext(b.call(next32(module), [st]), I64)  # getrandbits: least significant word first
        high = b.lshr(b.zext(b.call(next32(module), [st]), I64), b.sub(_c64(64), k))
        r2 = b.or_(b.shl(high, _c64(32)), low)
        b.branch(check)
        b.position_at_end(check)
        r = b.phi(I64)
        r.add_incoming(r1, one_word)
        r.add_incoming(r2, two_words)
        done = fn.append_basic_block("done")
        b.cbranch(b.icmp_unsigned(">=", r, n), again, done)
        b.position_at_end(done)
        b.ret(r)
    return _helper(module, "below_python", I64, (ir.PointerType(), I64), build, inline=True)


def _init_genrand(b: ir.IRBuilder, fn: ir.Function, st: ir.Value, seed: ir.Value) -> None:
    b.store(seed, _field(b, st, KEY, _c32(0)))

    def body(i):
        prev = b.load(_field(b, st, KEY, b.sub(i, _c32(1))), typ=I32)
        value = b.add(b.mul(_c32(1812433253), b.xor(prev, b.lshr(prev, _c32(30)))), i)
        b.store(value, _field(b, st, KEY, i))

    _loop(fn, b, _c32(1), _c32(N), body)
    b.store(_c32(N), _field(b, st, POS))
    b.store(_c32(0), _field(b, st, HAS_GAUSS))
    b.store(ir.Constant(F64, 0.0), _field(b, st, GAUSS))


def seed_numpy(module: ir.Module) -> ir.Function:
    """NumPy's legacy seeding of a 32-bit seed (`init_genrand`); the kept gauss is dropped."""
    def build(fn, b):
        st, seed = fn.args
        _init_genrand(b, fn, st, seed)
        b.ret_void()
    return _helper(module, "seed_numpy", ir.VoidType(), (ir.PointerType(), I32), build, noinline=True)


def seed_python(module: ir.Module) -> ir.Function:
    """CPython's `random.seed(n)` of an int: `init_by_array` of |n| in 32-bit words, least
    significant first (1 or 2 words for an int64); `gauss_next` is dropped."""
    def build(fn, b):
        st, n = fn.args
        magnitude = b.select(b.icmp_signed("<", n, _c64(0)), b.neg(n), n)  # |-2**63| as unsigned
        words = b.select(b.icmp_unsigned(">", magnitude, _c64(0xFFFFFFFF)), _c32(2), _c32(1))
        key = b.alloca(ir.ArrayType(I32, 2))
        b.store(b.trunc(magnitude, I32), b.gep(key, [_c32(0), _c32(0)], inbounds=True))
        b.store(b.trunc(b.lshr(magnitude, _c64(32)), I32), b.gep(key, [_c32(0), _c32(1)], inbounds=True))
        _init_genrand(b, fn, st, _c32(19650218))

        def mt(i):
            return _field(b, st, KEY, i)

        def step(i, j, factor, add):  # mt[i] = (mt[i] ^ ((mt[i-1] ^ (mt[i-1] >> 30)) * factor)) + add
            prev = b.load(mt(b.sub(i, _c32(1))), typ=I32)
            mixed = b.xor(b.load(mt(i), typ=I32), b.mul(b.xor(prev, b.lshr(prev, _c32(30))), _c32(factor)))
            b.store(b.add(mixed, add), mt(i))
            i = b.add(i, _c32(1))
            wrap = b.icmp_signed(">=", i, _c32(N))
            with b.if_then(wrap):
                b.store(b.load(mt(_c32(N - 1)), typ=I32), mt(_c32(0)))
            return b.select(wrap, _c32(1), i)

        # first pass: max(N, words) = N steps over i (from 1) and j (over the key)
        before = b.block
        head = fn.append_basic_block("pass1")
        b.branch(head)
        b.position_at_end(head)
        k = b.phi(I32)
        i = b.phi(I32)
        j = b.phi(I32)
        for phi, v in ((k, _c32(N)), (i, _c32(1)), (j, _c32(0))):
            phi.add_incoming(v, before)
        word = b.load(b.gep(key, [_c32(0), j], inbounds=True), typ=I32)
        i2 = step(i, j, 1664525, b.add(word, j))
        j2 = b.add(j, _c32(1))
        j2 = b.select(b.icmp_signed(">=", j2, words), _c32(0), j2)
        k2 = b.sub(k, _c32(1))
        for phi, v in ((k, k2), (i, i2), (j, j2)):
            phi.add_incoming(v, b.block)
        second = fn.append_basic_block("pass2")
        latch = b.block
        b.cbranch(b.icmp_signed(">", k2, _c32(0)), head, second)
        b.position_at_end(second)
        k = b.phi(I32)
        i = b.phi(I32)
        k.add_incoming(_c32(N - 1), latch)
        i.add_incoming(i2, latch)
        i3 = step(i, None, 1566083941, b.neg(i))
        k3 = b.sub(k, _c32(1))
        k.add_incoming(k3, b.block)
        i.add_incoming(i3, b.block)
        end = fn.append_basic_block("seeded")
        b.cbranch(b.icmp_signed(">", k3, _c32(0)), second, end)
        b.position_at_end(end)
        b.store(_c32(0x80000000), mt(_c32(0)))
        b.ret_void()
    return _helper(module, "seed_python", ir.VoidType(), (ir.PointerType(), I64), build, noinline=True)


def _intrinsic(module: ir.Module, name: str, nargs: int = 1) -> ir.Function:
    symbol = f"llvm.{name}.f64"
    return module.globals.get(symbol) or ir.Function(module, ir.FunctionType(F64, [F64] * nargs), symbol)


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


def _np_choice(fl, st, bound, rt):
    """`choice(a, size, replace)`: with replacement `randint(0, len(a), size)`, without it the
    first items of `permutation(len(a))`, as indices into `a` (or themselves for an int `a`)."""
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


_NUMPY = {
    "seed": _np_seed, "random": _np_double, "random_sample": _np_double, "ranf": _np_double,
    "sample": _np_double, "rand": _np_rand, "randn": _np_randn, "standard_normal": _np_gauss,
    "normal": _np_normal, "uniform": _np_uniform, "exponential": _np_exponential,
    "standard_exponential": _np_standard_exponential, "randint": _np_randint, "shuffle": _np_shuffle,
    "permutation": _np_permutation, "choice": _np_choice, "standard_gamma": _np_standard_gamma,
    "gamma": _np_gamma, "beta": _np_beta, "poisson": _np_poisson, "binomial": _np_binomial,
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


_PYTHON = {
    "seed": _py_seed, "random": _py_random, "uniform": _py_uniform, "randint": _py_randint,
    "randrange": _py_randrange, "gauss": _py_gauss, "normalvariate": _py_normalvariate,
    "expovariate": _py_expovariate, "shuffle": _py_shuffle, "choice": _py_choice,
}

__all__ = ["STATE_TYPE", "call", "state"]
