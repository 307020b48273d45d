"""Lowering of `str`: a string is `{ptr data, i64 length}` of UTF-32 code units, held by value.

Why this representation: indexing, slicing with step 1, `len` and iteration are O(1) and make
no copies (`s[i]` and `s[a:b]` point into `s`), comparisons are in code-point order by
comparing units, and any str round-trips (non-ASCII and emoji are one unit each).  The data is
immutable: a constant lives in a private global of the module, a str argument is copied into
an arena block by the wrapper (`PyUnicode_AsUCS4`), and every string made at run time (`+`,
`*`, a slice with a step, `chr` above 255, an f-string, a method's result) is an arena block
(`nrt.py`), alive until the outermost call returns; a returned str is boxed into a new `str`
(`PyUnicode_FromKindAndData`, which picks CPython's compact kind) before the arena goes.  No
reference counts: nothing here is a Python object.

What CPython computes for us is in `lower_str_bridge.py` (f-strings, `int(s)`, `float(s)`, the
methods without a native loop).  The helpers here are module functions (`jitlab.str.*`),
emitted once per module, written with the IR builder.
"""
from __future__ import annotations

import functools
import zlib

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import I64 as I64_T, NoneType, SliceType, StrType, TupleType, Type

from . import excinfo, formatted, nrt
from .irmodule import get_or_define, internal_global
from .lower import I1, I64, FunctionLowerer
from .signature import PTR, STATUS

CHAR = ir.IntType(32)
STR_T = ir.LiteralStructType([PTR, I64])  # (data, length)
I8 = ir.IntType(8)



def _probe(operation) -> str:
    """The message of the exception `operation()` raises in this CPython."""
    try:
        operation()
    except Exception as exc:
        return str(exc)
    raise RuntimeError(f"probing {operation} raised nothing")  # pragma: no cover


STRING_INDEX = _probe(lambda: ""[0])  # 'string index out of range'
CHR_RANGE = _probe(lambda: chr(-1))
REPEAT_TOO_LONG = _probe(lambda: "ab" * (2 ** 62))


def make(bld: ir.IRBuilder, data: ir.Value, n: ir.Value) -> ir.Value:
    return bld.insert_value(bld.insert_value(ir.Constant(STR_T, None), data, 0), n, 1)


def parts(bld: ir.IRBuilder, s: ir.Value) -> tuple[ir.Value, ir.Value]:
    return bld.extract_value(s, 0), bld.extract_value(s, 1)


def at(bld: ir.IRBuilder, data: ir.Value, i: ir.Value) -> ir.Value:
    """The address of code unit `i`."""
    return bld.gep(data, [i], source_etype=CHAR)


def constant(fl: FunctionLowerer, text: str) -> ir.Value:
    """A str constant: its units in a private global (`{null, 0}` for "")."""
    if not text:
        return ir.Constant(STR_T, [ir.Constant(PTR, None), I64(0)])
    units = [ord(c) for c in text]
    name = f"jitlab.strconst.{zlib.crc32(text.encode('utf-8', 'surrogatepass')):08x}"  # (hash() is seeded)
    while name in fl.module.globals:
        existing = fl.module.globals[name]
        if [c.constant for c in existing.initializer.constant] == units:
            break
        name += "_"
    ty = ir.ArrayType(CHAR, len(units))
    gv = internal_global(fl.module, name, ty, ir.Constant(ty, units), constant=True)
    gv.unnamed_addr = True
    return ir.Constant(STR_T, [gv.bitcast(PTR), I64(len(units))])


def alloc(fl: FunctionLowerer, n: ir.Value) -> ir.Value:
    """The data of a new arena block for `n` code units (MemoryError when there is none)."""
    bld = fl.builder
    nbytes = bld.mul(n, I64(4))
    pointer = bld.call(nrt.alloc_function(fl.module), [nbytes, ir.Constant(I1, 0)])
    fl.raise_if(bld.icmp_unsigned("==", pointer, ir.Constant(PTR, None)), MemoryError,
                "Unable to allocate memory for a str in compiled code")
    return pointer


def _memcpy(fl: FunctionLowerer, dst: ir.Value, src: ir.Value, nunits: ir.Value) -> None:
    fn = fl.declare("llvm.memcpy.p0.p0.i64", ir.FunctionType(ir.VoidType(), [PTR, PTR, I64, I1]))
    fl.builder.call(fn, [dst, src, fl.builder.mul(nunits, I64(4)), ir.Constant(I1, 0)])


def _counted(fl: FunctionLowerer, n: ir.Value, body) -> None:
    """for k in range(n): body(k), in the function being lowered."""
    from .lower_lists import _loop as counted_loop

    counted_loop(fl, n, body)


def raise_values(fl: FunctionLowerer, cond: ir.Value, exc: type[BaseException], fmt: str,
                 values: list[ir.Value], types: list[Type]) -> None:
    """When `cond`, raise `exc(fmt.format(*values))` (the message made by the wrapper,
    `formatted.py`); continue in a new block otherwise."""
    cold = fl.func.append_basic_block(f"raise.{exc.__name__}")
    cont = fl.func.append_basic_block("ok")
    fl.cold_branch(cond, cold, cont)
    fl.builder.position_at_end(cold)
    if fl.traps_on_raise:
        fl.builder.branch(fl.trap_block())
    else:
        record = formatted.raise_record(fl, fmt, values, types)
        fl.exit_with(fl.builder, ir.Constant(STATUS, excinfo.code_of(exc)), record)
    fl.builder.position_at_end(cont)


# -- module helpers ------------------------------------------------------------------------
def _helper(fl: FunctionLowerer, name: str, ret: ir.Type, params: list[ir.Type], write) -> ir.Function:
    fn = get_or_define(fl.module, f"jitlab.str.{name}", ir.FunctionType(ret, params),
                       functools.partial(_written, write))
    return fn


def _written(write, fn: ir.Function) -> None:
    fn.attributes.add("nounwind")
    write(fn, ir.IRBuilder(fn.append_basic_block("entry")))


def _loop(b: ir.IRBuilder, fn: ir.Function, start: ir.Value, stop: ir.Value, body, name: str = "loop"):
    """for i in range(start, stop): body(i) -- `body` may return early with its own `ret`."""
    before = b.block
    head = fn.append_basic_block(f"{name}.head")
    step = fn.append_basic_block(f"{name}.body")
    done = fn.append_basic_block(f"{name}.done")
    b.branch(head)
    b.position_at_end(head)
    i = b.phi(I64, "i")
    i.add_incoming(start, before)
    b.cbranch(b.icmp_signed("<", i, stop), step, done)
    b.position_at_end(step)
    body(i)
    i.add_incoming(b.add(i, I64(1)), b.block)
    b.branch(head)
    b.position_at_end(done)


def _write_compare(fn: ir.Function, b: ir.IRBuilder) -> None:
    """i32 (a, na, b, nb): -1, 0 or 1 in code-point order."""
    pa, na, pb, nb = fn.args
    common = b.select(b.icmp_signed("<", na, nb), na, nb)

    def body(i):
        x = b.load(at(b, pa, i), typ=CHAR)
        y = b.load(at(b, pb, i), typ=CHAR)
        with b.if_then(b.icmp_unsigned("!=", x, y)):
            b.ret(b.select(b.icmp_unsigned("<", x, y), CHAR(-1), CHAR(1)))
    _loop(b, fn, I64(0), common, body)
    b.ret(b.select(b.icmp_signed("<", na, nb), CHAR(-1),
                   b.select(b.icmp_signed(">", na, nb), CHAR(1), CHAR(0))))


def _write_equal(fn: ir.Function, b: ir.IRBuilder) -> None:
    """i1 (a, na, b, nb): same length and units."""
    pa, na, pb, nb = fn.args
    with b.if_then(b.icmp_signed("!=", na, nb)):
        b.ret(ir.Constant(I1, 0))
    memcmp = fn.module.globals.get("memcmp") or ir.Function(
        fn.module, ir.FunctionType(ir.IntType(32), [PTR, PTR, I64]), "memcmp")
    with b.if_then(b.icmp_signed("==", na, I64(0))):
        b.ret(ir.Constant(I1, 1))
    b.ret(b.icmp_signed("==", b.call(memcmp, [pa, pb, b.mul(na, I64(4))]), ir.Constant(ir.IntType(32), 0)))


def _matches_at(b: ir.IRBuilder, fn: ir.Function, ph: ir.Value, i: ir.Value, pn: ir.Value, nn: ir.Value):
    equal = _equal_fn(fn.module)
    return b.call(equal, [at(b, ph, i), nn, pn, nn])


def _equal_fn(module: ir.Module) -> ir.Function:
    return get_or_define(module, "jitlab.str.equal", ir.FunctionType(I1, [PTR, I64, PTR, I64]),
                         functools.partial(_written, _write_equal))


def _write_search(kind: str, fn: ir.Function, b: ir.IRBuilder) -> None:
    """i64 (h, nh, n, nn, start, end) for indices already adjusted (CPython's ADJUST_INDICES):
    `find` the first index, `rfind` the last, `count` the non-overlapping matches."""
    ph, nh, pn, nn, start, end = fn.args
    last = b.sub(end, nn)  # the last index a match may start at
    with b.if_then(b.icmp_signed("<", last, start)):
        b.ret(I64(0 if kind == "count" else -1))
    if kind == "count":
        with b.if_then(b.icmp_signed("==", nn, I64(0))):
            b.ret(b.add(b.sub(end, start), I64(1)))
        before = b.block
        head = fn.append_basic_block("count.head")
        body = fn.append_basic_block("count.body")
        done = fn.append_basic_block("count.done")
        b.branch(head)
        b.position_at_end(head)
        i, total = b.phi(I64, "i"), b.phi(I64, "total")
        i.add_incoming(start, before)
        total.add_incoming(I64(0), before)
        b.cbranch(b.icmp_signed("<=", i, last), body, done)
        b.position_at_end(body)
        hit = _matches_at(b, fn, ph, i, pn, nn)
        i.add_incoming(b.select(hit, b.add(i, nn), b.add(i, I64(1))), b.block)
        total.add_incoming(b.add(total, b.zext(hit, I64)), b.block)
        b.branch(head)
        b.position_at_end(done)
        b.ret(total)
        return
    if kind == "find":
        def body_f(i):
            with b.if_then(_matches_at(b, fn, ph, i, pn, nn)):
                b.ret(i)
        _loop(b, fn, start, b.add(last, I64(1)), body_f)
        b.ret(I64(-1))
        return

    def body_r(k):  # k counts up; the index counts down from `last`
        i = b.sub(last, b.sub(k, start))
        with b.if_then(_matches_at(b, fn, ph, i, pn, nn)):
            b.ret(i)
    _loop(b, fn, start, b.add(last, I64(1)), body_r)
    b.ret(I64(-1))


def _search_fn(fl: FunctionLowerer, kind: str) -> ir.Function:
    return _helper(fl, kind, I64, [PTR, I64, PTR, I64, I64, I64], functools.partial(_write_search, kind))


def equal_values(bld: ir.IRBuilder, a: ir.Value, ta: Type, b: ir.Value, tb: Type) -> ir.Value:
    """`a == b` where one side is a str (False when the other is not)."""
    if not (isinstance(ta, StrType) and isinstance(tb, StrType)):
        return ir.Constant(I1, 0)
    return bld.call(_equal_fn(bld.module), [*parts(bld, a), *parts(bld, b)])


def compare_function(module: ir.Module) -> ir.Function:
    """`i32 jitlab.str.compare(ptr a, i64 na, ptr b, i64 nb)`: -1, 0 or 1 in code-point order."""
    return get_or_define(module, "jitlab.str.compare", ir.FunctionType(CHAR, [PTR, I64, PTR, I64]),
                         functools.partial(_written, _write_compare))


def compare_values(bld: ir.IRBuilder, op: str, a: ir.Value, ta: Type, b: ir.Value, tb: Type) -> ir.Value:
    """`a op b` (`==`, `!=`, `<`, ...) where one side is a str (a list's item, a sort's key)."""
    if op in ("==", "!="):
        same = equal_values(bld, a, ta, b, tb)
        return bld.not_(same) if op == "!=" else same
    order = bld.call(compare_function(bld.module), [*parts(bld, a), *parts(bld, b)])
    return bld.icmp_signed(op, order, CHAR(0))


def hash_function(module: ir.Module) -> ir.Function:
    """`i64 jitlab.str.hash(ptr data, i64 length)`: FNV-1a over the code units, never -1 (the
    dicts' hash, `hashing.py`; not CPython's `hash(s)`, which compiled code does not offer)."""
    return get_or_define(module, "jitlab.str.hash", ir.FunctionType(I64, [PTR, I64]),
                         functools.partial(_written, _write_hash))


def _write_hash(fn: ir.Function, b: ir.IRBuilder) -> None:
    data, n = fn.args
    acc = b.alloca(I64)
    b.store(I64(0xCBF29CE484222325 - (1 << 64)), acc)

    def body(i):
        unit = b.zext(b.load(at(b, data, i), typ=CHAR), I64)
        b.store(b.mul(b.xor(b.load(acc, typ=I64), unit), I64(0x100000001B3)), acc)
    _loop(b, fn, I64(0), n, body)
    h = b.load(acc, typ=I64)
    b.ret(b.select(b.icmp_signed("==", h, I64(-1)), I64(-2), h))


def equal(fl: FunctionLowerer, a: ir.Value, b: ir.Value) -> ir.Value:
    bld = fl.builder
    return bld.call(_equal_fn(fl.module), [*parts(bld, a), *parts(bld, b)])


def compare3(fl: FunctionLowerer, a: ir.Value, b: ir.Value) -> ir.Value:
    bld = fl.builder
    return bld.call(compare_function(fl.module), [*parts(bld, a), *parts(bld, b)])


def concat(fl: FunctionLowerer, a: ir.Value, b: ir.Value) -> ir.Value:
    """`a + b`.  The result goes into a *builder block* (`jitlab.str.concat`): when `a` ends
    where the last builder block's used part ends, `b` is written in place after it, so
    `s = s + c` in a loop costs amortised O(len(c)) and the memory stays O(len(s))."""
    bld = fl.builder
    builder_global(fl)
    fn = get_or_define(fl.module, "jitlab.str.concat", ir.FunctionType(STR_T, [PTR, I64, PTR, I64]),
                       functools.partial(_written, _write_concat))
    result = bld.call(fn, [*parts(bld, a), *parts(bld, b)])
    fl.raise_if(bld.icmp_unsigned("==", bld.extract_value(result, 0), ir.Constant(PTR, None)), MemoryError,
                "Unable to allocate memory for a str in compiled code")
    return result


BUILDER = "jitlab.str.builder"
_BUILDER_HEADER = 16  # a builder block: i64 used, i64 capacity (code units), then the data


def builder_global(fl: FunctionLowerer) -> ir.GlobalVariable:
    """The module's pointer to the data of its last builder block, cleared where each of its
    functions that concatenates starts: blocks are freed only when an outermost call returns, so
    the block it points to is alive whenever it is not null."""
    gv = internal_global(fl.module, BUILDER, PTR)
    if not getattr(fl, "clears_builder", False):
        fl.alloca_builder.store(ir.Constant(PTR, None), gv)
        fl.clears_builder = True
    return gv


def _write_concat(fn: ir.Function, b: ir.IRBuilder) -> None:
    """{ptr, i64} (a, na, b, nb): `a + b`, in place after `a` when it ends at the used end of the
    last builder block with room for `b` (null data when out of memory)."""
    pa, na, pb, nb = fn.args
    last_slot = fn.module.globals[BUILDER]
    n = b.add(na, nb)
    last = b.load(last_slot, typ=PTR)
    slow = fn.append_basic_block("new")
    check = fn.append_basic_block("check")
    b.cbranch(b.icmp_unsigned("==", last, ir.Constant(PTR, None)), slow, check)
    b.position_at_end(check)
    used_at = b.gep(last, [I64(-_BUILDER_HEADER)], source_etype=I8)
    cap_at = b.gep(last, [I64(-_BUILDER_HEADER + 8)], source_etype=I8)
    used, cap = b.load(used_at, typ=I64), b.load(cap_at, typ=I64)
    ends_there = b.icmp_unsigned("==", at(b, pa, na), at(b, last, used))
    room = b.icmp_signed("<=", nb, b.sub(cap, used))
    in_place = fn.append_basic_block("append")
    b.cbranch(b.and_(ends_there, room), in_place, slow)
    b.position_at_end(in_place)
    memcpy = fn.module.globals.get("llvm.memcpy.p0.p0.i64") or ir.Function(
        fn.module, ir.FunctionType(ir.VoidType(), [PTR, PTR, I64, I1]), "llvm.memcpy.p0.p0.i64")
    b.call(memcpy, [at(b, last, used), pb, b.mul(nb, I64(4)), ir.Constant(I1, 0)])
    b.store(b.add(used, nb), used_at)
    b.ret(make(b, pa, n))
    b.position_at_end(slow)
    data = b.call(_new_builder_fn(fn.module), [n])
    with b.if_then(b.icmp_unsigned("==", data, ir.Constant(PTR, None)), likely=False):
        b.ret(make(b, ir.Constant(PTR, None), I64(0)))
    b.call(memcpy, [data, pa, b.mul(na, I64(4)), ir.Constant(I1, 0)])
    b.call(memcpy, [at(b, data, na), pb, b.mul(nb, I64(4)), ir.Constant(I1, 0)])
    b.ret(make(b, data, n))


def _new_builder_fn(module: ir.Module) -> ir.Function:
    """`ptr jitlab.str.new_builder(i64 n)`: the data of a new builder block holding `n` units
    (room for twice as many), made the module's last one; null when out of memory."""
    return get_or_define(module, "jitlab.str.new_builder", ir.FunctionType(PTR, [I64]),
                         functools.partial(_written, _write_new_builder))


def _write_new_builder(fn: ir.Function, b: ir.IRBuilder) -> None:
    (n,) = fn.args
    twice = b.mul(n, I64(2))
    capacity = b.select(b.icmp_signed("<", twice, I64(16)), I64(16), twice)
    block = b.call(nrt.alloc_function(fn.module), [b.add(b.mul(capacity, I64(4)), I64(_BUILDER_HEADER)),
                                                   ir.Constant(I1, 0)])
    with b.if_then(b.icmp_unsigned("==", block, ir.Constant(PTR, None)), likely=False):
        b.ret(ir.Constant(PTR, None))
    data = b.gep(block, [I64(_BUILDER_HEADER)], source_etype=I8)
    b.store(n, block)
    b.store(capacity, b.gep(block, [I64(8)], source_etype=I8))
    b.store(data, fn.module.globals[BUILDER])
    b.ret(data)


def new_builder(fl: FunctionLowerer, n: ir.Value) -> ir.Value:
    """The data of a new builder block for a str of `n` units (`+` may append after it)."""
    bld = fl.builder
    builder_global(fl)
    data = bld.call(_new_builder_fn(fl.module), [n])
    fl.raise_if(bld.icmp_unsigned("==", data, ir.Constant(PTR, None)), MemoryError,
                "Unable to allocate memory for a str in compiled code")
    return data


def repeat(fl: FunctionLowerer, s: ir.Value, count: ir.Value) -> ir.Value:
    bld = fl.builder
    p, n = parts(bld, s)
    count = bld.select(bld.icmp_signed("<", count, I64(0)), I64(0), count)
    fl.raise_if(bld.and_(bld.icmp_signed(">", n, I64(0)),
                         bld.icmp_signed(">", count, bld.sdiv(I64((1 << 60) - 1), bld.select(
                             bld.icmp_signed(">", n, I64(0)), n, I64(1))))),
                OverflowError, REPEAT_TOO_LONG)
    total = bld.mul(n, count)
    data = alloc(fl, total)
    _counted(fl, count, lambda k: _memcpy(fl, at(bld, data, bld.mul(k, n)), p, n))
    return make(bld, data, total)


def char_at(fl: FunctionLowerer, s: ir.Value, i: ir.Value) -> ir.Value:
    """`s[i]` (negative from the end; IndexError outside): a view of one unit."""
    bld = fl.builder
    p, n = parts(bld, s)
    i = bld.select(bld.icmp_signed("<", i, I64(0)), bld.add(i, n), i)
    fl.raise_if(bld.icmp_unsigned(">=", i, n), IndexError, STRING_INDEX)
    return make(bld, at(bld, p, i), I64(1))


def slice_(fl: FunctionLowerer, s: ir.Value, sl: ir.Value, st: SliceType) -> ir.Value:
    """`s[a:b:c]`: a view for step 1, a copy otherwise (CPython's index rules)."""
    from .lower_arrays_views import _adjust

    bld = fl.builder
    p, n = parts(bld, s)
    start, count, step = _adjust(fl, sl, st, n)
    if isinstance(st.step, NoneType):
        return make(bld, at(bld, p, start), count)
    before = bld.block
    copy = fl.func.append_basic_block("str.slice.copy")
    joined = fl.func.append_basic_block("str.slice")
    view = make(bld, at(bld, p, start), count)
    bld.cbranch(bld.icmp_signed("==", step, I64(1)), joined, copy)
    bld.position_at_end(copy)
    data = alloc(fl, count)
    _counted(fl, count, lambda k: bld.store(bld.load(at(bld, p, bld.add(start, bld.mul(k, step))), typ=CHAR),
                                            at(bld, data, k)))
    done = bld.block
    copied = make(bld, data, count)
    bld.branch(joined)
    bld.position_at_end(joined)
    result = bld.phi(STR_T)
    result.add_incoming(view, before)
    result.add_incoming(copied, done)
    return result


def ord_(fl: FunctionLowerer, s: ir.Value) -> ir.Value:
    bld = fl.builder
    p, n = parts(bld, s)
    raise_values(fl, bld.icmp_signed("!=", n, I64(1)), TypeError,
                 "ord() expected a character, but string of length {} found", [n], [I64_T])
    return bld.zext(bld.load(p, typ=CHAR), I64)


def _latin1_table(fl: FunctionLowerer) -> ir.GlobalVariable:
    ty = ir.ArrayType(CHAR, 256)
    gv = internal_global(fl.module, "jitlab.str.latin1", ty, ir.Constant(ty, list(range(256))), constant=True)
    return gv


def chr_(fl: FunctionLowerer, i: ir.Value) -> ir.Value:
    """`chr(i)`: a view into a constant table below 256, a new block above."""
    bld = fl.builder
    fl.raise_if(bld.icmp_unsigned(">", i, I64(0x10FFFF)), ValueError, CHR_RANGE)
    before = bld.block
    big = fl.func.append_basic_block("chr.big")
    joined = fl.func.append_basic_block("chr")
    small = make(bld, at(bld, bld.bitcast(_latin1_table(fl), PTR), i), I64(1))
    bld.cbranch(bld.icmp_unsigned("<", i, I64(256)), joined, big)
    bld.position_at_end(big)
    data = alloc(fl, I64(1))
    bld.store(bld.trunc(i, CHAR), data)
    made = make(bld, data, I64(1))
    end = bld.block
    bld.branch(joined)
    bld.position_at_end(joined)
    result = bld.phi(STR_T)
    result.add_incoming(small, before)
    result.add_incoming(made, end)
    return result


def adjust_indices(fl: FunctionLowerer, n: ir.Value, start: ir.Value | None, end: ir.Value | None):
    """CPython's ADJUST_INDICES for the methods' start and end (start not clipped above)."""
    bld = fl.builder
    zero = I64(0)
    if end is None:
        end = n
    else:
        wrapped = bld.add(end, n)
        end = bld.select(bld.icmp_signed(">", end, n), n,
                         bld.select(bld.icmp_signed("<", end, zero),
                                    bld.select(bld.icmp_signed("<", wrapped, zero), zero, wrapped), end))
    if start is None:
        start = zero
    else:
        wrapped = bld.add(start, n)
        start = bld.select(bld.icmp_signed("<", start, zero),
                           bld.select(bld.icmp_signed("<", wrapped, zero), zero, wrapped), start)
    return start, end


def search(fl: FunctionLowerer, kind: str, h: ir.Value, needle: ir.Value, start, end) -> ir.Value:
    """`h.find(needle, start, end)` (`rfind`, `count`)."""
    bld = fl.builder
    ph, nh = parts(bld, h)
    pn, nn = parts(bld, needle)
    start, end = adjust_indices(fl, nh, start, end)
    return bld.call(_search_fn(fl, kind), [ph, nh, pn, nn, start, end])


def tailmatch(fl: FunctionLowerer, s: ir.Value, affix: ir.Value, start, end, suffix: bool) -> ir.Value:
    """`s.startswith(affix, start, end)` / `endswith`: CPython's `tailmatch`."""
    bld = fl.builder
    p, n = parts(bld, s)
    pa, na = parts(bld, affix)
    start, end = adjust_indices(fl, n, start, end)
    last = bld.sub(end, na)
    fits = bld.icmp_signed(">=", last, start)
    where = bld.select(fits, last if suffix else start, I64(0))
    length = bld.select(fits, na, I64(0))
    same = bld.call(_equal_fn(fl.module), [at(bld, p, where), length, pa, length])
    return bld.and_(fits, same)


def _write_from_int(fn: ir.Function, b: ir.IRBuilder) -> None:
    """i64 (i64 x, ptr out): the decimal digits of `x` (a `-` first) written as code units
    through `out` (room for 20), and their count."""
    x, out = fn.args
    negative = b.icmp_signed("<", x, I64(0))
    magnitude = b.select(negative, b.sub(I64(0), x), x)  # INT64_MIN: 2**63, unsigned below
    digits = b.alloca(ir.ArrayType(CHAR, 20))
    before = b.block
    loop = fn.append_basic_block("digit")
    done = fn.append_basic_block("done")
    b.branch(loop)
    b.position_at_end(loop)
    rest, k = b.phi(I64), b.phi(I64)
    rest.add_incoming(magnitude, before)
    k.add_incoming(I64(0), before)
    b.store(b.trunc(b.add(b.urem(rest, I64(10)), I64(48)), CHAR), b.gep(digits, [I64(0), k]))
    nxt, k1 = b.udiv(rest, I64(10)), b.add(k, I64(1))
    rest.add_incoming(nxt, loop)
    k.add_incoming(k1, loop)
    b.cbranch(b.icmp_unsigned("!=", nxt, I64(0)), loop, done)
    b.position_at_end(done)
    sign = b.zext(negative, I64)
    with b.if_then(negative):
        b.store(CHAR(45), out)

    def copy(i):  # digits were written last first
        unit = b.load(b.gep(digits, [I64(0), b.sub(b.sub(k1, I64(1)), i)]), typ=CHAR)
        b.store(unit, at(b, out, b.add(i, sign)))
    _loop(b, fn, I64(0), k1, copy)
    b.ret(b.add(k1, sign))


def format_plain(fl: FunctionLowerer, fmt: str, values: list, types: list) -> ir.Value | None:
    """`fmt.format(*values)` natively when every field is an int, a bool or a str without a spec
    (`str(i)`, `f"{name}={count}"`): the pieces joined into one new block; None otherwise."""
    from jitlab.ir.types import BoolType, IntType

    pieces = formatted.pieces(fmt)
    fields = [p for p in pieces if p[1] is not None]
    if len(fields) != len(values) or any(spec or conv not in (None, "s") for _, spec, conv in fields):
        return None
    if not all(isinstance(t, (BoolType, StrType)) or isinstance(t, IntType) and (t.signed or t.bits < 64)
               for t in types):
        return None
    if len(pieces) == 1 and values and isinstance(types[0], StrType):  # `str(s)`, `f"{s}"`: s itself
        return values[0]
    bld = fl.builder
    parts_, vals = [], iter(zip(values, types))
    for literal, spec, _ in pieces:
        if spec is None:
            parts_.append(constant(fl, literal))
            continue
        value, t = next(vals)
        if isinstance(t, StrType):
            parts_.append(value)
        elif isinstance(t, BoolType):
            parts_.append(bld.select(value, constant(fl, "True"), constant(fl, "False")))
        else:
            buffer = fl.alloca(ir.ArrayType(CHAR, 20), name="str.digits")
            data = bld.bitcast(buffer, PTR)
            fn = _helper(fl, "from_i64", I64, [I64, PTR], _write_from_int)
            parts_.append(make(bld, data, bld.call(fn, [fl.cast(value, t, I64_T), data])))
    total = I64(0)
    for p in parts_:
        total = bld.add(total, bld.extract_value(p, 1))
    data = new_builder(fl, total)
    offset = I64(0)
    for p in parts_:
        src, n = parts(bld, p)
        _memcpy(fl, at(bld, data, offset), src, n)
        offset = bld.add(offset, n)
    return make(bld, data, total)


def contains(fl: FunctionLowerer, needle: ir.Value, h: ir.Value) -> ir.Value:
    return fl.builder.icmp_signed(">=", search(fl, "find", h, needle, None, None), I64(0))


# -- ops -----------------------------------------------------------------------------------
def is_str(t: Type) -> bool:
    return isinstance(t, StrType)


def binop(fl: FunctionLowerer, node, args, in_types, out_types):
    op = node.attr("op")
    a, b = args[0], args[1]
    if op == "+":
        return [concat(fl, a, b), None]
    if op == "*":
        s, k, kt = (a, b, in_types[1]) if is_str(in_types[0]) else (b, a, in_types[0])
        return [repeat(fl, s, fl.cast(k, kt, I64_T)), None]
    raise LoweringError(f"operator {op} of strs", line=fl.line)


_ORDER = {"<": "<", "<=": "<=", ">": ">", ">=": ">="}


def compare(fl: FunctionLowerer, node, args, in_types, out_types):
    op = node.attr("op")
    bld = fl.builder
    a, b = args[0], args[1]
    if op in ("in", "notin"):
        found = contains(fl, a, b)
        return [bld.not_(found) if op == "notin" else found, None]
    if not (is_str(in_types[0]) and is_str(in_types[1])):  # a str never equals another type
        return [ir.Constant(I1, 1 if op in ("!=", "isnot") else 0), None]
    if op in ("==", "!=", "is", "isnot"):
        same = equal(fl, a, b)
        return [bld.not_(same) if op in ("!=", "isnot") else same, None]
    return [bld.icmp_signed(_ORDER[op], compare3(fl, a, b), CHAR(0)), None]


def truth(fl: FunctionLowerer, node, args, in_types, out_types):
    nonempty = fl.builder.icmp_signed("!=", fl.builder.extract_value(args[0], 1), I64(0))
    if node.op == "py.unop":  # `not s`
        return [fl.builder.not_(nonempty), None]
    return [nonempty, None]


def getitem(fl: FunctionLowerer, node, args, in_types, out_types):
    if isinstance(in_types[1], SliceType):
        return [slice_(fl, args[0], args[1], in_types[1]), None]
    return [char_at(fl, args[0], fl.cast(args[1], in_types[1], I64_T)), None]


def getiter(fl: FunctionLowerer, node, args, in_types, out_types):
    return [iter_of(fl, args[0]), None]


def iter_of(fl: FunctionLowerer, s: ir.Value) -> ir.Value:
    it = fl.builder.insert_value(ir.Constant(ir.LiteralStructType([STR_T, I64]), None), s, 0)
    return fl.builder.insert_value(it, I64(0), 1)


def next_of(fl: FunctionLowerer, it: ir.Value):
    """(ok, the next character, the advanced iterator)."""
    bld = fl.builder
    s, i = bld.extract_value(it, 0), bld.extract_value(it, 1)
    p, n = parts(bld, s)
    ok = bld.icmp_signed("<", i, n)
    item = make(bld, at(bld, p, i), I64(1))  # (not read when past the end)
    return ok, item, bld.insert_value(it, bld.add(i, I64(1)), 1)


def iternext(fl: FunctionLowerer, node, args, in_types, out_types):
    ok, item, advanced = next_of(fl, args[0])
    return [ok, item, advanced, None]


def _opt(fl: FunctionLowerer, args, types, k: int) -> ir.Value | None:
    if k >= len(args) or isinstance(types[k], NoneType):
        return None
    return fl.cast(args[k], types[k], I64_T)


def callmethod(fl: FunctionLowerer, node, args, in_types, out_types):
    """The methods with native loops; the others go to CPython (`lower_str_bridge`)."""
    name = node.attr("name")
    values, types = args[:-1], in_types[:-1]
    s = values[0]
    bld = fl.builder
    if name in ("startswith", "endswith"):
        start, end = _opt(fl, values, types, 2), _opt(fl, values, types, 3)
        affixes = ([bld.extract_value(values[1], k) for k in range(len(types[1].items))]
                   if isinstance(types[1], TupleType) else [values[1]])
        result = ir.Constant(I1, 0)
        for affix in affixes:
            result = bld.or_(result, tailmatch(fl, s, affix, start, end, name == "endswith"))
        return [result, None]
    if name in ("find", "rfind", "index", "rindex", "count"):
        kind = {"index": "find", "rindex": "rfind"}.get(name, name)
        found = search(fl, kind, s, values[1], _opt(fl, values, types, 2), _opt(fl, values, types, 3))
        if name in ("index", "rindex"):
            fl.raise_if(bld.icmp_signed("<", found, I64(0)), ValueError, "substring not found")
        return [found, None]
    if name == "split":
        from .lower_str_split import split

        bound = _bind(node, values[1:], types[1:], ("sep", "maxsplit"))
        return [split(fl, s, bound.get("sep"), bound.get("maxsplit"), out_types[0]), None]
    if name in ("strip", "lstrip", "rstrip"):
        from .lower_str_split import strip

        chars = (values[1], types[1]) if len(values) > 1 else None
        return [strip(fl, s, chars, name != "rstrip", name != "lstrip"), None]
    if name == "join":
        from .lower_str_split import join

        return [join(fl, s, values[1]), None]
    from . import lower_str_bridge

    return lower_str_bridge.callmethod(fl, node, args, in_types, out_types)


def _bind(node, values: list, types: list, names: tuple[str, ...]) -> dict:
    """The arguments of a method call by parameter name: (value, type) each (`kwnames` last)."""
    kwnames = tuple(node.attr("kwnames") or ())
    npos = len(values) - len(kwnames)
    keys = list(names[:npos]) + list(kwnames)
    return dict(zip(keys, zip(values, types)))


def call(fl: FunctionLowerer, node, args, in_types, out_types):
    """`len`, `ord`, `chr`, `bool` of strs; `int(s)` and `float(s)` in `lower_str_bridge`; None
    for another callee."""
    callee = node.attr("callee")
    values, types = args[:-1], in_types[:-1]
    if callee == "builtins.chr":
        return [chr_(fl, fl.cast(values[0], types[0], I64_T)), None]
    if not any(is_str(t) for t in types):
        return None
    if callee == "builtins.len":
        return [fl.builder.extract_value(values[0], 1), None]
    if callee == "builtins.bool":
        return [fl.builder.icmp_signed("!=", fl.builder.extract_value(values[0], 1), I64(0)), None]
    if callee == "builtins.ord":
        return [ord_(fl, values[0]), None]
    if callee in ("builtins.int", "builtins.float"):
        from . import lower_str_bridge

        return [lower_str_bridge.parse_number(fl, values[0], callee), None]
    return None  # enumerate(s), zip(s, t), a jitted callee taking strs...


def const(fl: FunctionLowerer, value, t: Type) -> ir.Value:
    """A str constant, or a constant tuple holding strs."""
    from .signature import llvm_type

    if isinstance(t, StrType):
        return constant(fl, value)
    items = [constant(fl, v) if isinstance(item, StrType) else
             ir.Constant(llvm_type(item), 0 if v is None else int(v) if isinstance(v, bool) else v)
             for item, v in zip(t.items, value)]
    return ir.Constant(llvm_type(t), items)


__all__ = ["STR_T", "constant", "equal", "make", "parts"]
