"""Typing rules of iteration and tuple unpacking: `enumerate`, `zip`, `reversed`, tuples.

`py.getiter` gives an iterator type: a range is its own iterator, an array an
`array_iter`, a tuple whose items share one type a `tuple_iter`; `enumerate(x)`,
`zip(a, b, …)` and `reversed(range(…))` are iterators already, so `py.getiter`
returns them unchanged.  `py.iternext` yields `tuple<i64, item>` for `enumerate`,
`tuple<item_a, item_b, …>` for `zip` (which stops at its shortest argument), and
`reversed(range(…))` is again a `range_iter` (stepping backwards).  `py.unpack
{count}` splits a tuple of exactly `count` items.
"""
from __future__ import annotations

from jitlab.ir.types import (
    BOOL, I64, STATE, ArrayIterType, ArrayType, DictIterType, DictType, EnumerateIterType, ListIterType,
    ListType, RangeIterType, SetType, STR, StrIterType, StrType,
    TupleIterType, TupleType, Type, ZipIterType,
)

from ..infer import RuleContext
from ..lattice import is_integer
from . import arrays

ITERATORS = (RangeIterType, ArrayIterType, EnumerateIterType, ZipIterType, TupleIterType, ListIterType,
             DictIterType, StrIterType)


def iter_type(ctx: RuleContext, t: Type) -> Type:
    """The type of `iter(x)` for `x` of type `t`."""
    if isinstance(t, ITERATORS):
        return t
    if isinstance(t, ArrayType):
        return arrays.getiter(t)
    if isinstance(t, ListType):
        return ListIterType(t)
    if isinstance(t, StrType):  # its characters
        return StrIterType()
    if isinstance(t, (DictType, SetType)):  # a dict's keys, a set's items
        return DictIterType("keys", t)
    if isinstance(t, TupleType):
        if not t.items:
            raise ctx.error("iterating over an empty tuple is not supported")
        if any(item != t.items[0] for item in t.items):
            raise ctx.error(f"cannot iterate over {t}: its items have different types",
                            hint="a loop over a tuple needs items of one type")
        return TupleIterType(t)
    raise ctx.error(f"cannot iterate over a {t}",
                    hint="ranges, arrays, tuples, lists, dicts, sets, enumerate(), zip() and "
                         "reversed(range()) can be iterated")


def item_type(it: Type) -> Type:
    """The type of the values iterator type `it` yields."""
    if isinstance(it, RangeIterType):
        return it.item
    if isinstance(it, ArrayIterType):
        return arrays.row_type(it.array)
    if isinstance(it, TupleIterType):
        return it.source.items[0]
    if isinstance(it, ListIterType):
        return it.source.elem
    if isinstance(it, StrIterType):
        return STR
    if isinstance(it, DictIterType):
        return it.item
    if isinstance(it, EnumerateIterType):
        return TupleType((I64, item_type(it.inner)))
    if isinstance(it, ZipIterType):
        return TupleType(tuple(item_type(i) for i in it.iters))
    raise TypeError(f"{it} is not an iterator type")


def getiter(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    return iter_type(ctx, args[0]), STATE


def iternext(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    it = args[0]
    if not isinstance(it, ITERATORS):
        raise ctx.error(f"py.iternext needs an iterator, not {it}")
    return BOOL, item_type(it), it, STATE


def unpack(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    t, count = args[0], ctx.node.attr("count")
    if not isinstance(t, TupleType):
        raise ctx.error(f"cannot unpack a {t}", hint="only tuples can be unpacked yet")
    if len(t.items) > count:
        raise ctx.error(f"too many values to unpack (expected {count}, got {len(t.items)})")
    if len(t.items) < count:
        raise ctx.error(f"not enough values to unpack (expected {count}, got {len(t.items)})")
    return (*t.items, STATE)


def enumerate_(ctx: RuleContext, callee: str, args: list[Type]) -> Type:
    if not 1 <= len(args) <= 2:
        raise ctx.error(f"enumerate() takes 1 or 2 arguments ({len(args)} given)")
    if len(args) == 2 and not is_integer(args[1]):
        raise ctx.error(f"enumerate() start must be an integer, not {args[1]}")
    return EnumerateIterType(iter_type(ctx, args[0]))


def zip_(ctx: RuleContext, callee: str, args: list[Type]) -> Type:
    if not args:
        raise ctx.error("zip() of no arguments is not supported")
    return ZipIterType(tuple(iter_type(ctx, t) for t in args))


def reversed_(ctx: RuleContext, callee: str, args: list[Type]) -> Type:
    if len(args) != 1:
        raise ctx.error(f"reversed() takes exactly one argument ({len(args)} given)")
    if isinstance(args[0], ListType):  # iterates a reversed copy (made when reversed() is called)
        return ListIterType(args[0])
    if not isinstance(args[0], RangeIterType):
        raise ctx.error(f"reversed() of a {args[0]} is not supported", hint="reverse a range(...) or a list")
    return args[0]


CALLEES = {"builtins.enumerate": enumerate_, "builtins.zip": zip_, "builtins.reversed": reversed_}
