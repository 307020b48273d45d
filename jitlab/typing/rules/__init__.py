"""Typing rules, one table per op family: op name -> rule(ctx, input types) -> output types."""
from __future__ import annotations

from . import array_ops, arrays, complex_ops, dicts, functional, iterators, lists, py, strings

RULES = strings.wrap(functional.wrap(dicts.wrap(lists.wrap({
    "py.const": complex_ops.const,
    "py.undef": py.undef,
    "py.binop": complex_ops.binop,
    "py.unop": complex_ops.unop,
    "py.compare": complex_ops.compare,
    "py.truth": complex_ops.truth,
    "py.call": complex_ops.call,
    "py.raise": py.raise_,
    "py.print": py.print_,
    "py.catch": py.catch,
    "py.exc_match": py.exc_match,
    "py.reraise": py.reraise,
    "py.getiter": iterators.getiter,
    "py.iternext": iterators.iternext,
    "py.getitem": array_ops.getitem,
    "py.setitem": array_ops.setitem,
    "py.getattr": complex_ops.getattr_,
    "py.callmethod": complex_ops.callmethod,
    "py.build_tuple": arrays.build_tuple,
    "py.slice": array_ops.slice_,
    "py.unpack": iterators.unpack,
    "py.global": arrays.global_,
}))))
