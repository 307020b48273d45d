"""Which function lowers which op (one entry per op; the functions live by concept)."""
from __future__ import annotations

from . import lower_arith as arith
from . import lower_arrays as arrays
from . import lower_calls as calls

OP_LOWERERS = {
    "py.undef": arith.undef,
    "py.truth": arith.truth,
    "py.call": calls.call,
    "py.raise": calls.raise_,
    "py.getiter": calls.getiter,
    "py.iternext": calls.iternext,
    "py.build_tuple": arrays.build_tuple,
}
