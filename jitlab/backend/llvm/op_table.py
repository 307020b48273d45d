"""Which function lowers which op (one entry per op; the functions live by concept)."""
from __future__ import annotations

from . import lower_arith as arith
from . import lower_arrays as arrays
from . import lower_calls as calls

OP_LOWERERS = {
    "py.const": arith.const,
    "py.undef": arith.undef,
    "py.binop": arith.binop,
    "py.unop": arith.unop,
    "py.compare": arith.compare,
    "py.truth": arith.truth,
    "py.call": calls.call,
    "py.raise": calls.raise_,
    "py.getiter": calls.getiter,
    "py.iternext": calls.iternext,
    "py.getitem": arrays.getitem,
    "py.setitem": arrays.setitem,
    "py.getattr": arrays.getattr_,
    "py.build_tuple": arrays.build_tuple,
}
