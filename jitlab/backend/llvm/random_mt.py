"""MT19937 in LLVM IR: the generator compiled code draws from (`lower_random.py` lowers the calls).

Internal functions, made once per module that draws (`_helper`), over a state struct that lives
in the process (`state`: `native.RANDOM_STATES`, external symbols resolved when code loads):
the twist and the tempered word (`next32`), 53-bit doubles, NumPy's masked `random_interval`,
NumPy's legacy `gauss` and CPython's `gauss`, CPython's `_randbelow`, and both seedings
(NumPy's `init_genrand`, CPython's `init_by_array`).
"""
from __future__ import annotations

import math
from collections.abc import Callable

from llvmlite import ir

from . import native
from .irmodule import declare, external_global, get_or_define
from .lower import F64, I1, I64

I32 = ir.IntType(32)
N, M = native.MT_N, 397
STATE_TYPE = ir.LiteralStructType([ir.ArrayType(I32, N), I32, I32, F64])  # native.RandomState
KEY, POS, HAS_GAUSS, GAUSS = range(4)
TWOPI = 2.0 * math.pi


def _c32(v: int) -> ir.Constant:
    return ir.Constant(I32, v & 0xFFFFFFFF)


def _c64(v: int) -> ir.Constant:
    return ir.Constant(I64, v & 0xFFFFFFFFFFFFFFFF)


# -- the generator: internal functions of the module -------------------------------------------
def state(module: ir.Module, which: str) -> ir.GlobalVariable:
    """The process's state for `numpy` or `python` (an external global, resolved when loaded)."""
    native.register_random_symbols()
    symbol = native.RANDOM_NUMPY_SYMBOL if which == "numpy" else native.RANDOM_PYTHON_SYMBOL
    return external_global(module, symbol, STATE_TYPE)


def _field(b: ir.IRBuilder, st: ir.Value, k: int, i: ir.Value | None = None) -> ir.Value:
    indices = [_c32(0), _c32(k)] + ([i] if i is not None else [])
    return b.gep(st, indices, inbounds=True, source_etype=STATE_TYPE)


def _helper(module: ir.Module, name: str, ret: ir.Type, params: tuple[ir.Type, ...],
            build: Callable[[ir.Function, ir.IRBuilder], None], noinline: bool = False,
            inline: bool = False) -> ir.Function:
    def write(fn: ir.Function) -> None:
        if noinline:
            fn.attributes.add("noinline")
        if inline:  # a constant bound folds its branches and mask away
            fn.attributes.add("alwaysinline")
        build(fn, ir.IRBuilder(fn.append_basic_block("entry")))

    return get_or_define(module, f"jitlab.random.{name}", ir.FunctionType(ret, params), write)


def _enter(fn: ir.Function, b: ir.IRBuilder, name: str) -> tuple[ir.Block, ir.Block]:
    """Branch from the current block into a new one (a loop head): (the block left, the new one)."""
    before = b.block
    block = fn.append_basic_block(name)
    b.branch(block)
    b.position_at_end(block)
    return before, block


def _take_cached(fn: ir.Function, b: ir.IRBuilder, st: ir.Value) -> None:
    """Return the kept second normal value when the state has one (and drop it); else continue in
    a new block."""
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
            _, again = _enter(fn, b, "again")
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
        _take_cached(fn, b, st)
        _, again = _enter(fn, b, "again")
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
        b.store(b.fmul(f, x1), _field(b, st, GAUSS))
        b.store(_c32(1), _field(b, st, HAS_GAUSS))
        b.ret(b.fmul(f, x2))
    return _helper(module, "gauss_numpy", F64, (ir.PointerType(),), build)


def gauss_python(module: ir.Module) -> ir.Function:
    """CPython's `gauss()` without mu and sigma: `gauss_next` if set, else a Box-Muller pair."""
    def build(fn, b):
        st, = fn.args
        _take_cached(fn, b, st)  # CPython sets gauss_next to None: the kept value is not read again
        x2pi = b.fmul(b.call(next_double(module), [st]), ir.Constant(F64, TWOPI))
        u = b.fsub(ir.Constant(F64, 1.0), b.call(next_double(module), [st]))
        g2rad = b.call(_intrinsic(module, "sqrt"),
                       [b.fmul(ir.Constant(F64, -2.0), b.call(_intrinsic(module, "log"), [u]))])
        z = b.fmul(b.call(_intrinsic(module, "cos"), [x2pi]), g2rad)
        b.store(b.fmul(b.call(_intrinsic(module, "sin"), [x2pi]), g2rad), _field(b, st, GAUSS))
        b.store(_c32(1), _field(b, st, HAS_GAUSS))
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


def _libm_pow(module: ir.Module) -> ir.Function:
    """libm's `pow`, declared `nobuiltin`: LLVM would rewrite `pow(x, 2.0)` as `x * x` and
    `pow(x, 0.5)` as a square root, which may round differently from libm's `pow` in the last
    bit, and NumPy's and CPython's samplers call `pow`."""
    libm = declare(module, "pow", ir.FunctionType(F64, [F64, F64]))
    libm.attributes.add("nobuiltin")
    return libm


def getrandbits_python(module: ir.Module) -> ir.Function:
    """CPython's `getrandbits(k)` for 1 <= k <= 64: one word's top k bits, or two words, the
    first the least significant, the second's top k - 32 bits above it."""
    def build(fn, b):
        st, k = fn.args
        one_word, two_words = fn.append_basic_block("one"), fn.append_basic_block("two")
        b.cbranch(b.icmp_unsigned("<=", k, _c64(32)), one_word, two_words)
        b.position_at_end(one_word)
        b.ret(b.lshr(b.zext(b.call(next32(module), [st]), I64), b.sub(_c64(32), k)))
        b.position_at_end(two_words)
        low = b.zext(b.call(next32(module), [st]), I64)
        high = b.lshr(b.zext(b.call(next32(module), [st]), I64), b.sub(_c64(64), k))
        b.ret(b.or_(b.shl(high, _c64(32)), low))
    return _helper(module, "getrandbits", I64, (ir.PointerType(), I64), build, inline=True)


def below_python(module: ir.Module) -> ir.Function:
    """CPython's `_randbelow(n)` for 0 < n < 2**64: `getrandbits(n.bit_length())` until < n."""
    def build(fn, b):
        st, n = fn.args
        ctlz = declare(module, "llvm.ctlz.i64", ir.FunctionType(I64, [I64, I1]))
        k = b.sub(_c64(64), b.call(ctlz, [n, ir.Constant(I1, 0)]))
        _, again = _enter(fn, b, "again")
        r = b.call(getrandbits_python(module), [st, k])
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
        before, head = _enter(fn, b, "pass1")
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
    """`llvm.<name>.f64`; for `pow`, libm's `pow` itself (`_libm_pow`)."""
    if name == "pow":
        return _libm_pow(module)
    symbol = f"llvm.{name}.f64"
    return declare(module, symbol, ir.FunctionType(F64, [F64] * nargs))
