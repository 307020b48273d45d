"""Typing rules, one table per op family: op name -> rule(ctx, input types) -> output types."""
from __future__ import annotations


RULES = {
    "py.undef": py.undef,
    "py.truth": py.truth,
    "py.call": py.call,
    "py.raise": py.raise_,
    "py.getiter": py.getiter,
    "py.iternext": py.iternext,
    "py.build_tuple": arrays.build_tuple,
}
