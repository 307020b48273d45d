"""Which function lowers which op (one entry per op; the functions live by concept)."""
from __future__ import annotations

from . import lower_arith as arith
from . import lower_arrays as arrays
from . import lower_arrays_views as views
from . import lower_calls as calls
from . import lower_complex as cx
from . import lower_iterators as iterators

OP_LOWERERS = {
    "py.const": cx.complex_or(cx.const, views.const),
    "py.undef": arith.undef,
    "py.binop": cx.complex_or(cx.binop, views.binop),
    "py.unop": cx.complex_or(cx.unop, views.unop),
    "py.compare": cx.complex_or(cx.compare, views.compare),
    "py.truth": cx.complex_or(cx.truth_op, arith.truth),
    "py.call": cx.call_op(iterators.call),
    "py.raise": calls.raise_,
    "py.getiter": iterators.getiter,
    "py.iternext": iterators.iternext,
    "py.getitem": views.getitem,
    "py.setitem": views.setitem,
    "py.getattr": cx.complex_or(cx.getattr_, views.getattr_),
    "py.callmethod": cx.complex_or(cx.callmethod, views.callmethod),
    "py.build_tuple": arrays.build_tuple,
    "py.slice": views.slice_,
    "py.unpack": iterators.unpack,
}
