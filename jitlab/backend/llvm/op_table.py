"""Which function lowers which op (one entry per op; the functions live by concept)."""
from __future__ import annotations

from . import lower_arith as arith
from . import lower_arrays as arrays
from . import lower_arrays_views as views
from . import lower_calls as calls
from . import lower_iterators as iterators

OP_LOWERERS = {
    "py.const": views.const,
    "py.undef": arith.undef,
    "py.binop": views.binop,
    "py.unop": views.unop,
    "py.compare": views.compare,
    "py.truth": arith.truth,
    "py.call": iterators.call,
    "py.raise": calls.raise_,
    "py.getiter": iterators.getiter,
    "py.iternext": iterators.iternext,
    "py.getitem": views.getitem,
    "py.setitem": views.setitem,
    "py.getattr": views.getattr_,
    "py.callmethod": views.callmethod,
    "py.build_tuple": arrays.build_tuple,
    "py.slice": views.slice_,
    "py.unpack": iterators.unpack,
}
