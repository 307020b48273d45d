"""Ranges as sequences (the iterator `(next, remaining, step)`, `lower_calls`): `min`/`max` of a
range (its first or last item; an empty one raises CPython's `ValueError`), `sum(range(...),
start)`, and `range(...)[i]` (a negative `i` from the end; outside, CPython's `IndexError`)."""
from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import I64 as I64_T, FloatType, Type

from . import messages
from .lower import I64, FunctionLowerer

RANGE_INDEX = "range object index out of range"


def _parts(fl: FunctionLowerer, it: ir.Value):
    return tuple(fl.builder.extract_value(it, k) for k in range(3))  # next, remaining, step


def item_at(fl: FunctionLowerer, it: ir.Value, i: ir.Value) -> ir.Value:
    start, _, step = _parts(fl, it)
    return fl.builder.add(start, fl.builder.mul(i, step))


def min_max(fl: FunctionLowerer, it: ir.Value, largest: bool) -> ir.Value:
    bld = fl.builder
    start, n, step = _parts(fl, it)
    fl.raise_if(bld.icmp_signed("==", n, ir.Constant(I64, 0)), ValueError,
                messages.MAX_EMPTY if largest else messages.MIN_EMPTY)
    last = item_at(fl, it, bld.sub(n, ir.Constant(I64, 1)))
    up = bld.icmp_signed(">", step, ir.Constant(I64, 0))
    return bld.select(up, last, start) if largest else bld.select(up, start, last)


def sum_with_start(fl: FunctionLowerer, total: ir.Value, start: ir.Value, st: Type, rt: Type) -> ir.Value:
    """`sum(range(...), start)`: the start, then the range's sum (`total`, in closed form)."""
    if isinstance(rt, FloatType):
        return fl.builder.fadd(fl.cast(start, st, rt), fl.cast(total, I64_T, rt))
    return fl.builder.add(fl.cast(start, st, rt), total)


def getitem(fl: FunctionLowerer, it: ir.Value, i: ir.Value, it_type: Type) -> ir.Value:
    bld = fl.builder
    _, n, _ = _parts(fl, it)
    i = fl.cast(i, it_type, I64_T)
    i = bld.select(bld.icmp_signed("<", i, ir.Constant(I64, 0)), bld.add(i, n), i)
    fl.raise_if(bld.icmp_unsigned(">=", i, n), IndexError, RANGE_INDEX)
    return item_at(fl, it, i)


__all__ = ["getitem", "min_max", "sum_with_start"]
