"""Typing rules, one table per op family: op name -> rule(ctx, input types) -> output types."""
from __future__ import annotations

from . import array_ops, arrays, iterators, py

RULES = {
    "py.const": array_ops.const,
    "py.undef": py.undef,
    "py.binop": array_ops.binop,
    "py.unop": array_ops.unop,
    "py.compare": array_ops.compare,
    "py.truth": py.truth,
    "py.call": py.call,
    "py.raise": py.raise_,
    "py.getiter": iterators.getiter,
    "py.iternext": iterators.iternext,
    "py.getitem": array_ops.getitem,
    "py.setitem": array_ops.setitem,
    "py.getattr": array_ops.getattr_,
    "py.callmethod": array_ops.callmethod,
    "py.build_tuple": arrays.build_tuple,
    "py.slice": array_ops.slice_,
    "py.unpack": iterators.unpack,
}
