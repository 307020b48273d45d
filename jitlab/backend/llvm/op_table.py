"""Which function lowers which op (one entry per op; the functions live by concept)."""
from __future__ import annotations

from jitlab.ir.types import (
    DictIterType, DictType, ListIterType, ListType, RangeIterType, SetType, SliceType, StrIterType, StrType,
    TupleType,
)

from . import lower_arith as arith
from . import lower_arrays as arrays
from . import lower_arrays_views as views
from . import lower_calls as calls
from . import lower_complex as cx
from . import lower_iterators as iterators
from . import lower_dicts as dicts
from . import lower_functional as functional
from . import lower_lists as lists
from . import lower_print
from . import lower_str as strs
from . import lower_str_bridge as str_bridge

_TABLES = (DictType, SetType, DictIterType)


def _on_table(table_case, other, inputs: int = 1):
    """The dict and set case of an op (by the type of one of its first `inputs` inputs)."""
    def lowerer(fl, node, args, in_types, out_types):
        if any(isinstance(t, _TABLES) for t in in_types[:inputs]):
            return table_case(fl, node, args, in_types, out_types)
        return other(fl, node, args, in_types, out_types)
    return lowerer


def _on_list(list_case, other, inputs: int = 1):
    """The list case of an op shared with arrays, ranges and tuples (by the type of one of its
    first `inputs` inputs)."""
    def lowerer(fl, node, args, in_types, out_types):
        if any(isinstance(t, (ListType, ListIterType)) for t in in_types[:inputs]):
            return list_case(fl, node, args, in_types, out_types)
        return other(fl, node, args, in_types, out_types)
    return lowerer


def _range_getitem(other):
    def lowerer(fl, node, args, in_types, out_types):
        if isinstance(in_types[0], RangeIterType):  # range(a, b, c)[i]
            from .lower_ranges import getitem

            return [getitem(fl, args[0], args[1], in_types[1]), None]
        return other(fl, node, args, in_types, out_types)
    return lowerer


def _on_str(str_case, other, inputs: int = 1, ops: tuple[str, ...] | None = None):
    """The str case of an op (by the type of one of its first `inputs` inputs; for `py.compare`,
    `in` tests the container, the second input)."""
    def lowerer(fl, node, args, in_types, out_types):
        if ops is not None and node.attr("op") in ("in", "notin"):
            if isinstance(in_types[1], StrType):
                return str_case(fl, node, args, in_types, out_types)
        elif any(isinstance(t, (StrType, StrIterType)) for t in in_types[:inputs]):
            return str_case(fl, node, args, in_types, out_types)
        return other(fl, node, args, in_types, out_types)
    return lowerer


def _const(fl, node, args, in_types, out_types):
    t = out_types[0]
    if isinstance(t, StrType) or isinstance(t, TupleType) and any(isinstance(i, StrType) for i in t.items):
        return [strs.const(fl, node.attr("value"), t)]
    return cx.complex_or(cx.const, views.const)(fl, node, args, in_types, out_types)


def _list_getitem(fl, node, args, in_types, out_types):
    if isinstance(in_types[1], SliceType):
        return [lists.slice_copy(fl, args[0], in_types[0], args[1], in_types[1], out_types[0]), None]
    return [lists.getitem(fl, args[0], in_types[0], args[1], in_types[1]), None]


def _list_setitem(fl, node, args, in_types, out_types):
    if isinstance(in_types[1], SliceType):
        from .list_slices import assign_slice

        assign_slice(fl, args[0], in_types[0], args[1], in_types[1], args[2], in_types[2])
        return [None]
    lists.setitem(fl, args[0], in_types[0], args[1], in_types[1], args[2], in_types[2])
    return [None]


def _list_getiter(fl, node, args, in_types, out_types):
    if isinstance(in_types[0], ListIterType):  # `for x in reversed(xs)`: already an iterator
        return [args[0], None]
    return [lists.getiter(fl, args[0], out_types[0]), None]


def _list_iternext(fl, node, args, in_types, out_types):
    return [*lists.iternext(fl, args[0], in_types[0].source.elem), None]


def _call(fl, node, args, in_types, out_types):
    got = functional.call(fl, node, args, in_types, out_types)
    if got is None:
        got = strs.call(fl, node, args, in_types, out_types)
    if got is None:
        got = dicts.call(fl, node, args, in_types, out_types)
    if got is None:
        got = lists.call(fl, node, args, in_types, out_types)
    return got if got is not None else iterators.call(fl, node, args, in_types, out_types)


def _contains_or(other):
    def lowerer(fl, node, args, in_types, out_types):
        if node.attr("op") in ("in", "notin"):
            return lists.contains(fl, node, args, in_types, out_types)
        if isinstance(in_types[0], TupleType) and isinstance(in_types[1], TupleType):
            return lists.compare_tuples(fl, node, args, in_types, out_types)
        if isinstance(in_types[0], ListType) and isinstance(in_types[1], ListType):
            return lists.lists_equal(fl, node, args, in_types, out_types)
        return other(fl, node, args, in_types, out_types)
    return lowerer


def _tuple_or(other):
    def lowerer(fl, node, args, in_types, out_types):
        if isinstance(out_types[0], TupleType):
            return lists.tuple_binop(fl, node, args, in_types, out_types)
        return other(fl, node, args, in_types, out_types)
    return lowerer


_BINOP = _on_table(dicts.binop, _tuple_or(_on_list(lists.binop, cx.complex_or(cx.binop, views.binop),
                                                   inputs=2)), inputs=2)
_UNOP = _on_table(dicts.truth, _on_list(lists.truth, cx.complex_or(cx.unop, views.unop)))
_COMPARE = _on_table(dicts.compare, _contains_or(cx.complex_or(cx.compare, views.compare)), inputs=2)
_TRUTH = _on_table(dicts.truth, _on_list(lists.truth, cx.complex_or(cx.truth_op, arith.truth)))

OP_LOWERERS = {
    "py.const": _const,
    "py.undef": arith.undef,
    "py.binop": _on_str(strs.binop, _BINOP, inputs=2),
    "py.unop": _on_str(strs.truth, _UNOP),
    "py.compare": _on_str(strs.compare, _COMPARE, inputs=2, ops=("in", "notin")),
    "py.truth": _on_str(strs.truth, _TRUTH),
    "py.call": cx.call_op(_call),
    "py.raise": calls.raise_,
    "py.print": lower_print.print_,
    "py.catch": calls.catch,
    "py.exc_match": calls.exc_match,
    "py.reraise": calls.reraise,
    "py.getiter": _on_str(strs.getiter, _on_table(dicts.getiter, _on_list(_list_getiter, iterators.getiter))),
    "py.iternext": _on_str(strs.iternext, _on_table(dicts.iternext, _on_list(_list_iternext,
                                                                              iterators.iternext))),
    "py.getitem": _on_str(strs.getitem, _on_table(dicts.getitem, _on_list(_list_getitem,
                                                                          _range_getitem(views.getitem)))),
    "py.setitem": _on_table(dicts.setitem, _on_list(_list_setitem, views.setitem)),
    "py.getattr": cx.complex_or(cx.getattr_, views.getattr_),
    "py.callmethod": _on_str(strs.callmethod, _on_table(dicts.callmethod, _on_list(
        lists.callmethod, cx.complex_or(cx.callmethod, views.callmethod)))),
    "py.format": str_bridge.format_,
    "py.build_tuple": arrays.build_tuple,
    "py.build_list": lists.build_list,
    "py.build_map": dicts.build_map,
    "py.build_set": dicts.build_set,
    "py.slice": views.slice_,
    "py.unpack": iterators.unpack,
    "py.global": arrays.global_,
}
