"""Lowering of the builtins that apply a function per item (typing: `rules/functional.py`):
`sorted(xs, key=f)`, `xs.sort(key=f)`, `min/max(xs, key=f)`, `map(f, ...)`, `filter(f, xs)`.

The function is called through its native symbol (`lower_calls.call_symbol`; a nested function
gets its captured values first), or is one of the builtins `abs`, `len`, `float`, `int`, `bool`
lowered in place.  A key sort computes every key once, in order (as CPython does), into a block
of `(key, item)` pairs, sorts the pairs by key with the stable merge sort of `list_sort.py` and
copies the items back: equal keys keep their items' order, `reverse=True` too.  `min`/`max` keep
the first item whose key is smallest (largest), CPython's rule.  An exception raised by the
function leaves the list as it was (the keys are all computed before anything moves).
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import (
    ArrayType, BoolType, FloatType, IntType, ListType, RangeIterType, TupleType, Type, parse_type,
)

from . import lower_lists as lists, messages
from .list_items import compare, convert, item_size, item_type, load_item, store_item
from .lower import I64, FunctionLowerer

TAKERS = ("builtins.sorted", "builtins.min", "builtins.max", "builtins.map", "builtins.filter")


# -- the sequences items come from: a list, a 1-D array, a range -----------------------------
def seq_length(fl: FunctionLowerer, v: ir.Value, t: Type) -> ir.Value:
    if isinstance(t, ListType):
        return lists.length(fl, v)
    if isinstance(t, RangeIterType):
        return fl.builder.extract_value(v, 1)  # (next, remaining, step)
    return fl.builder.extract_value(v, [1, 0])


def seq_item_type(t: Type) -> Type:
    if isinstance(t, ListType):
        return t.elem
    if isinstance(t, RangeIterType):
        return t.item
    if t.ndim > 1:
        from jitlab.typing.rules.arrays import row_type

        return row_type(t)
    return t.dtype


def to_list(fl: FunctionLowerer, source: ir.Value, st: Type, elem: Type) -> ir.Value:
    """`list(a)` of an array (its rows) or a range: a new list of the items."""
    n = seq_length(fl, source, st)
    out = lists.new_list(fl, elem, n)
    data = lists.data_of(fl, out)
    lists.for_each(fl, n, lambda i: lists.put(fl, data, elem, i, seq_item(fl, source, st, i),
                                              seq_item_type(st)))
    return out


def seq_item(fl: FunctionLowerer, v: ir.Value, t: Type, i: ir.Value) -> ir.Value:
    from .lower_arrays import element_pointer, load_element

    bld = fl.builder
    if isinstance(t, ListType):
        return load_item(fl, lists.slot_of(fl, lists.data_of(fl, v), t.elem, i), t.elem)
    if isinstance(t, RangeIterType):
        return bld.add(bld.extract_value(v, 0), bld.mul(i, bld.extract_value(v, 2)))
    assert isinstance(t, ArrayType)
    if t.ndim > 1:  # a row: a view of the other axes
        from jitlab.typing.rules.arrays import row_type

        from .lower_arrays import subview

        return subview(fl, v, t, [i], row_type(t))
    return load_element(fl, element_pointer(fl, v, t, [i]), t.dtype)


# -- calling the function ------------------------------------------------------------------
def _split(fl: FunctionLowerer, node, args, in_types):
    """(values, their types, captured values, their types); an iterator other than a range among
    the values (`zip`, `enumerate`, `d.items()`) becomes a list of its items."""
    from jitlab.typing.rules.iterators import item_type

    n = node.attr("captures") or 0
    end = len(args) - 1 - n  # (the last input is `!io`)
    values, types = list(args[:end]), list(in_types[:end])
    for k, t in enumerate(types):
        if k != node.attr("fn_arg") and not isinstance(t, (ListType, ArrayType, RangeIterType)) \
                and k < len(types) - len(node.attr("kwnames") or ()):
            item = item_type(t)
            values[k], types[k] = iter_to_list(fl, values[k], t, item, item), ListType(item)
    return values, types, args[end:-1], in_types[end:-1]


def _apply(fl: FunctionLowerer, node, captured, captured_types, items, item_types) -> ir.Value:
    """The function's result for `items` (its type is the node's `fn_result`)."""
    from .lower_calls import BUILTINS, call_symbol

    rt = parse_type(node.attr("fn_result"))
    builtin = node.attr("fn_builtin")
    if builtin == "builtins.len" and isinstance(item_types[0], ListType):
        return lists.length(fl, items[0])
    if builtin is not None:
        return BUILTINS[builtin](fl, list(items), list(item_types), rt)
    return call_symbol(fl, node.attr("fn_symbol"), [*captured, *items], [*captured_types, *item_types], rt)


def _reverse(fl: FunctionLowerer, node, nvalues: int) -> bool:
    kwnames = tuple(node.attr("kwnames") or ())
    if "reverse" not in kwnames:
        return False
    return bool(fl.inferred_const(node.inputs[nvalues - len(kwnames) + kwnames.index("reverse")]))


def _truth(fl: FunctionLowerer, value: ir.Value, t: Type) -> ir.Value:
    return fl.truth(value, t) if isinstance(t, (IntType, FloatType, BoolType)) else value


# -- the builtins ----------------------------------------------------------------------------
def sort_by_key(fl: FunctionLowerer, node, source, st: Type, out, elem: Type, captured, ctypes,
                descending: bool) -> None:
    """Store the items of `source` into the list `out` (of the same length) ordered by key."""
    from .list_sort import sort_function

    bld = fl.builder
    key = parse_type(node.attr("fn_result"))
    entry = TupleType((key, elem))
    n = seq_length(fl, source, st)
    size = ir.Constant(I64, item_size(entry))
    pairs = lists.alloc_block(fl, bld.mul(n, size))
    scratch = lists.alloc_block(fl, bld.mul(n, size))
    ty = item_type(entry)

    def compute(i):
        item = seq_item(fl, source, st, i)
        k = _apply(fl, node, captured, ctypes, [item], [seq_item_type(st)])
        pair = bld.insert_value(ir.Constant(ty, None), k, 0)
        pair = bld.insert_value(pair, convert(fl, item, seq_item_type(st), elem), 1)
        store_item(fl, bld.gep(pairs, [i], inbounds=True, source_etype=ty), pair, entry)
    lists.for_each(fl, n, compute)
    bld.call(sort_function(fl, entry, descending, by_key=True), [pairs, n, scratch])
    data = lists.data_of(fl, out)

    def put(i):
        pair = load_item(fl, bld.gep(pairs, [i], inbounds=True, source_etype=ty), entry)
        store_item(fl, lists.slot_of(fl, data, elem, i), bld.extract_value(pair, 1), elem)
    lists.for_each(fl, n, put)


def min_max_by_key(fl: FunctionLowerer, node, source, st: Type, captured, ctypes, largest: bool) -> ir.Value:
    bld = fl.builder
    key_t, item_t = parse_type(node.attr("fn_result")), seq_item_type(st)
    n = seq_length(fl, source, st)
    fl.raise_if(bld.icmp_signed("==", n, ir.Constant(I64, 0)), ValueError,
                messages.MAX_EMPTY if largest else messages.MIN_EMPTY)
    best_item = fl.alloca(lists.llvm_type_of(item_t))
    best_key = fl.alloca(lists.llvm_type_of(key_t))
    first = seq_item(fl, source, st, ir.Constant(I64, 0))
    bld.store(first, best_item)
    bld.store(_apply(fl, node, captured, ctypes, [first], [item_t]), best_key)

    def pick(i):
        i = bld.add(i, ir.Constant(I64, 1))
        item = seq_item(fl, source, st, i)
        k = _apply(fl, node, captured, ctypes, [item], [item_t])
        better = compare(fl, ">" if largest else "<", k, bld.load(best_key, typ=best_key.allocated_type),
                         key_t, key_t)
        bld.store(bld.select(better, k, bld.load(best_key, typ=best_key.allocated_type)), best_key)
        bld.store(bld.select(better, item, bld.load(best_item, typ=best_item.allocated_type)), best_item)
    lists.for_each(fl, bld.sub(n, ir.Constant(I64, 1)), pick)
    return bld.load(best_item, typ=best_item.allocated_type)


def map_(fl: FunctionLowerer, node, sources, stypes, captured, ctypes, elem: Type) -> ir.Value:
    """`map(f, a, b, ...)`: a new list of f(a[i], b[i], ...) up to the shortest source."""
    bld = fl.builder
    n = None
    for s, t in zip(sources, stypes):
        m = seq_length(fl, s, t)
        n = m if n is None else bld.select(bld.icmp_signed("<", m, n), m, n)
    out = lists.new_list(fl, elem, n)
    data = lists.data_of(fl, out)
    rt = parse_type(node.attr("fn_result"))

    def each(i):
        items = [seq_item(fl, s, t, i) for s, t in zip(sources, stypes)]
        value = _apply(fl, node, captured, ctypes, items, [seq_item_type(t) for t in stypes])
        store_item(fl, lists.slot_of(fl, data, elem, i), convert(fl, value, rt, elem), elem)
    lists.for_each(fl, n, each)
    return out


def filter_(fl: FunctionLowerer, node, source, st: Type, captured, ctypes, elem: Type) -> ir.Value:
    """`filter(f, xs)`: a new list of the items for which f is true."""
    bld = fl.builder
    out = lists.empty(fl, elem)
    rt = parse_type(node.attr("fn_result"))

    def each(i):
        item = seq_item(fl, source, st, i)
        keep = _truth(fl, _apply(fl, node, captured, ctypes, [item], [seq_item_type(st)]), rt)
        with bld.if_then(keep):
            lists.append(fl, out, elem, item, seq_item_type(st))
    lists.for_each(fl, seq_length(fl, source, st), each)
    return out


def call(fl: FunctionLowerer, node, args, in_types, out_types):
    """The function-taking builtins; None for any other call."""
    callee = node.attr("callee")
    if callee not in TAKERS or node.attr("fn_arg") is None:
        return None
    values, types, captured, ctypes = _split(fl, node, args, in_types)
    if callee == "builtins.map":
        return [map_(fl, node, values[1:], types[1:], captured, ctypes, out_types[0].elem), None]
    if callee == "builtins.filter":
        return [filter_(fl, node, values[1], types[1], captured, ctypes, out_types[0].elem), None]
    if callee in ("builtins.min", "builtins.max"):
        largest = callee == "builtins.max"
        return [min_max_by_key(fl, node, values[0], types[0], captured, ctypes, largest), None]
    elem = out_types[0].elem
    out = lists.new_list(fl, elem, seq_length(fl, values[0], types[0]))
    sort_by_key(fl, node, values[0], types[0], out, elem, captured, ctypes, _reverse(fl, node, len(values)))
    return [out, None]


def sort_method(fl: FunctionLowerer, node, args, in_types, out_types):
    """`xs.sort(key=f, reverse=r)`: the list's own items, ordered by key."""
    values, types, captured, ctypes = _split(fl, node, args, in_types)
    lst, t = values[0], types[0]
    sort_by_key(fl, node, lst, t, lst, t.elem, captured, ctypes, _reverse(fl, node, len(values)))
    return [ir.Constant(lists.llvm_type_of(out_types[0]), None), None]


__all__ = ["call", "seq_item", "seq_item_type", "seq_length", "sort_method"]


# -- dict(zip(ks, vs)), dict(pairs) ------------------------------------------------------------
def _iter_parts(fl: FunctionLowerer, it: ir.Value, t: Type):
    """(sequence, its type, first index) of a list, 1-D array or range iterator."""
    from jitlab.ir.types import ArrayIterType, ListIterType

    bld = fl.builder
    if isinstance(t, ListIterType):
        return bld.extract_value(it, 0), t.source, bld.extract_value(it, 1)
    if isinstance(t, ArrayIterType):
        return bld.extract_value(it, 0), t.array, bld.extract_value(it, 1)
    return it, t, ir.Constant(I64, 0)


def dict_from_pairs(fl: FunctionLowerer, source: ir.Value, st: Type, rt) -> ir.Value:
    """`dict(zip(ks, vs))` (to the shorter) or `dict(xs)` of a list of pairs: later keys win."""
    from jitlab.ir.types import ZipIterType

    from .lower_dicts import layout_of, new_table, store

    bld = fl.builder
    layout = layout_of(rt)
    table = new_table(fl, layout)
    if isinstance(st, ZipIterType):
        parts = [_iter_parts(fl, bld.extract_value(source, k), t) for k, t in enumerate(st.iters)]
        n = None
        for seq, t, first in parts:
            m = bld.sub(seq_length(fl, seq, t), first)
            n = m if n is None else bld.select(bld.icmp_signed("<", m, n), m, n)
        n = bld.select(bld.icmp_signed("<", n, ir.Constant(I64, 0)), ir.Constant(I64, 0), n)

        def put(i):
            (ks, kt, k0), (vs, vt, v0) = parts
            store(fl, table, layout, seq_item(fl, ks, kt, bld.add(k0, i)), seq_item_type(kt),
                  seq_item(fl, vs, vt, bld.add(v0, i)), seq_item_type(vt))
        lists.for_each(fl, n, put)
        return table

    def put_pair(i):
        pair = seq_item(fl, source, st, i)
        store(fl, table, layout, bld.extract_value(pair, 0), st.elem.items[0],
              bld.extract_value(pair, 1), st.elem.items[1])
    lists.for_each(fl, seq_length(fl, source, st), put_pair)
    return table


def iter_to_list(fl: FunctionLowerer, it: ir.Value, t: Type, item: Type, elem: Type) -> ir.Value:
    """`list(zip(...))`, `list(enumerate(xs))`, `list(reversed(xs))`, ...: the iterator's items."""
    from .lower_iterators import next_of

    bld = fl.builder
    out = lists.empty(fl, elem)
    slot = fl.alloca(it.type)
    bld.store(it, slot)
    head, body, done = (fl.func.append_basic_block(f"tolist.{k}") for k in ("head", "body", "done"))
    bld.branch(head)
    bld.position_at_end(head)
    ok, value, advanced = next_of(fl, bld.load(slot, typ=it.type), t, item)
    bld.cbranch(ok, body, done)
    bld.position_at_end(body)
    lists.append(fl, out, elem, value, item)
    bld.store(advanced, slot)
    bld.branch(head)
    bld.position_at_end(done)
    return out
