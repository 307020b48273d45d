"""`sorted(xs)` and `xs.sort()` of typed lists: a stable bottom-up merge sort, emitted once per
element type and direction as an internal function `jitlab.rt.sort.<type>.<asc|desc>`.

Stable like CPython's timsort, so equal items (`0.0` and `-0.0`, or `True` and `1` widened to
one type) keep their order and every list without NaN sorts exactly as CPython sorts it;
`reverse=True` takes the right-hand item only when it is strictly greater, which is CPython's
"reverse, sort, reverse" result.  NaN compares false both ways: where it ends up may differ from
timsort, whose result with NaN depends on its merge pattern.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import BoolType, FloatType, IntType, StrType, TupleType, Type

from .irmodule import declare, get_or_define
from .list_items import compare as compare_items, item_size, item_type

I64 = ir.IntType(64)
PTR = ir.PointerType()


def sort_function(fl, elem: Type, descending: bool, by_key: bool = False) -> ir.Function:
    """`void (ptr data, i64 n, ptr scratch)`: sorts `n` items of `data` (scratch holds n more).

    With `by_key`, the items are `(key, item)` tuples (`elem` their tuple type) ordered by their
    keys alone; tuples compare as CPython compares them (`list_items.compare`, built with the
    caller's lowerer pointed at this function's builder: it needs no stack slot)."""
    module = fl.module
    name = f"jitlab.rt.sort.{elem}.{'key.' if by_key else ''}{'desc' if descending else 'asc'}"
    ty = item_type(elem)

    def build(fn: ir.Function) -> None:
        data, n, scratch = fn.args
        b = ir.IRBuilder(fn.append_basic_block("entry"))
        slots = {k: b.alloca(I64, name=k) for k in ("width", "i", "left", "right", "k")}
        src_slot, dst_slot = b.alloca(PTR, name="src"), b.alloca(PTR, name="dst")
        b.store(data, src_slot)
        b.store(scratch, dst_slot)
        b.store(ir.Constant(I64, 1), slots["width"])
        blocks = {k: fn.append_basic_block(k) for k in (
            "pass.head", "pass.body", "run.head", "run.body", "merge.head", "merge.body", "merge.done",
            "pass.done", "copy", "done")}

        def load(slot):
            return b.load(slot, typ=I64)

        def smaller(x, y):
            return b.select(b.icmp_signed("<", x, y), x, y)

        def item(base, index):
            return b.load(b.gep(base, [index], inbounds=True, source_etype=ty), typ=ty)

        def before(x, y):  # x must come before y: strictly less (greater when descending)
            op = ">" if descending else "<"
            if by_key or isinstance(elem, TupleType):
                t = elem.items[0] if by_key else elem
                if by_key:
                    x, y = b.extract_value(x, 0), b.extract_value(y, 0)
                if not isinstance(t, TupleType):
                    return scalar_before(op, t, x, y)
                outer = fl.builder
                fl.builder = b
                try:
                    return compare_items(fl, op, x, y, t, t)
                finally:
                    fl.builder = outer
            return scalar_before(op, elem, x, y)

        def scalar_before(op, elem, x, y):
            if isinstance(elem, FloatType):
                return b.fcmp_ordered(op, x, y)
            if isinstance(elem, StrType):
                from .lower_str import compare_values

                return compare_values(b, op, x, elem, y, elem)
            if isinstance(elem, IntType) and elem.signed:
                return b.icmp_signed(op, x, y)
            assert isinstance(elem, (IntType, BoolType))
            return b.icmp_unsigned(op, x, y)

        b.branch(blocks["pass.head"])
        # while width < n: merge runs of `width` from src into dst, then swap src and dst
        b.position_at_end(blocks["pass.head"])
        width = load(slots["width"])
        b.cbranch(b.icmp_signed("<", width, n), blocks["pass.body"], blocks["pass.done"])
        b.position_at_end(blocks["pass.body"])
        b.store(ir.Constant(I64, 0), slots["i"])
        b.branch(blocks["run.head"])
        b.position_at_end(blocks["run.head"])
        i = load(slots["i"])
        b.cbranch(b.icmp_signed("<", i, n), blocks["run.body"], blocks["merge.done"])
        b.position_at_end(blocks["run.body"])
        width = load(slots["width"])
        b.store(i, slots["left"])
        b.store(smaller(b.add(i, width), n), slots["right"])
        b.store(i, slots["k"])
        b.branch(blocks["merge.head"])
        # merge [i, mid) and [mid, hi) into dst[i, hi)
        b.position_at_end(blocks["merge.head"])
        i, width = load(slots["i"]), load(slots["width"])
        mid, hi = smaller(b.add(i, width), n), smaller(b.add(i, b.mul(width, ir.Constant(I64, 2))), n)
        k = load(slots["k"])
        next_run = fn.append_basic_block("run.next")
        b.cbranch(b.icmp_signed("<", k, hi), blocks["merge.body"], next_run)
        b.position_at_end(blocks["merge.body"])
        src, dst = b.load(src_slot, typ=PTR), b.load(dst_slot, typ=PTR)
        left, right = load(slots["left"]), load(slots["right"])
        left_done = b.icmp_signed(">=", left, mid)
        right_open = b.icmp_signed("<", right, hi)
        # read only in-range items: an exhausted side reads index i (any valid one)
        x = item(src, b.select(left_done, i, left))
        y = item(src, b.select(right_open, right, i))
        take_right = b.and_(right_open, b.or_(left_done, before(y, x)))
        b.store(b.select(take_right, y, x), b.gep(dst, [k], inbounds=True, source_etype=ty))
        b.store(b.select(take_right, b.add(right, ir.Constant(I64, 1)), right), slots["right"])
        b.store(b.select(take_right, left, b.add(left, ir.Constant(I64, 1))), slots["left"])
        b.store(b.add(k, ir.Constant(I64, 1)), slots["k"])
        b.branch(blocks["merge.head"])
        b.position_at_end(next_run)
        b.store(b.add(i, b.mul(width, ir.Constant(I64, 2))), slots["i"])
        b.branch(blocks["run.head"])
        b.position_at_end(blocks["merge.done"])
        src, dst = b.load(src_slot, typ=PTR), b.load(dst_slot, typ=PTR)
        b.store(dst, src_slot)
        b.store(src, dst_slot)
        b.store(b.mul(load(slots["width"]), ir.Constant(I64, 2)), slots["width"])
        b.branch(blocks["pass.head"])
        # the sorted items are in src: copy them back when that is the scratch block
        b.position_at_end(blocks["pass.done"])
        src = b.load(src_slot, typ=PTR)
        b.cbranch(b.icmp_unsigned("!=", src, data), blocks["copy"], blocks["done"])
        b.position_at_end(blocks["copy"])
        memcpy = declare(module, "llvm.memcpy.p0.p0.i64",
                         ir.FunctionType(ir.VoidType(), [PTR, PTR, I64, ir.IntType(1)]))
        size = ir.Constant(I64, item_size(elem))
        b.call(memcpy, [data, src, b.mul(n, size), ir.Constant(ir.IntType(1), 0)])
        b.branch(blocks["done"])
        b.position_at_end(blocks["done"])
        b.ret_void()
    return get_or_define(module, name, ir.FunctionType(ir.VoidType(), [PTR, I64, PTR]), build)


__all__ = ["sort_function"]
