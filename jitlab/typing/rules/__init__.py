"""Typing rules, one table per op family: op name -> rule(ctx, input types) -> output types."""
from __future__ import annotations

from . import arrays, py

RULES = {
    "py.const": py.const,
    "py.undef": py.undef,
    "py.binop": py.binop,
    "py.unop": py.unop,
    "py.compare": py.compare,
    "py.truth": py.truth,
    "py.call": py.call,
    "py.raise": py.raise_,
    "py.getiter": py.getiter,
    "py.iternext": py.iternext,
    "py.getitem": arrays.getitem,
    "py.setitem": arrays.setitem,
    "py.getattr": arrays.getattr_,
    "py.build_tuple": arrays.build_tuple,
}
