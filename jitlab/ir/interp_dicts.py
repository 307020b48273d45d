"""Typed semantics of dicts and sets for the reference interpreter (`interp_py.py`).

Typed IR's dicts are Python dicts whose keys and values are converted to the dict's types when
stored (`dict<f64, i64>` stores the key `1` as `1.0`), as native code stores them.  Typed sets
are `OrderedSet`s: native code iterates a set in insertion order (`lower_dicts.py`), where
CPython's order follows its hash table, so the interpreter keeps insertion order too; `pop`
takes the last item, as native code does.  An `OrderedSet` equals a `set` of the same items.
"""
from __future__ import annotations

from .interp_values import RangeIter, cast
from .types import DictType, SetType, TupleType, Type

SET_CHANGED = "Set changed size during iteration"


def convert(value, t: Type):
    """`cast`, item by item for a tuple."""
    if isinstance(t, TupleType):
        return tuple(cast(x, item) for x, item in zip(value, t.items))
    return cast(value, t)


class OrderedSet:
    """A set that iterates in insertion order (a dict's keys)."""

    __slots__ = ("_items",)

    def __init__(self, items=()):
        self._items = dict.fromkeys(items)

    def __iter__(self):
        n = len(self._items)
        for x in list(self._items):
            if len(self._items) != n:
                raise RuntimeError(SET_CHANGED)
            if x in self._items:
                yield x
        if len(self._items) != n:
            raise RuntimeError(SET_CHANGED)

    def __len__(self):
        return len(self._items)

    def __contains__(self, x):
        return x in self._items

    def __eq__(self, other):
        if isinstance(other, (OrderedSet, set, frozenset)):
            return len(self) == len(other) and all(x in other for x in self._items)
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        return "{" + ", ".join(map(repr, self._items)) + "}" if self._items else "set()"

    def __le__(self, other):
        return self.issubset(other)

    def __lt__(self, other):
        return self.issubset(other) and len(self) != len(other)

    def __ge__(self, other):
        return other.issubset(self) if isinstance(other, OrderedSet) else set(other) <= set(self._items)

    def __gt__(self, other):
        return self >= other and len(self) != len(other)

    def add(self, x):
        self._items[x] = None

    def discard(self, x):
        self._items.pop(x, None)

    def remove(self, x):
        if x not in self._items:
            raise KeyError(x)
        del self._items[x]

    def pop(self):
        if not self._items:
            raise KeyError("pop from an empty set")
        return self._items.popitem()[0]

    def clear(self):
        self._items.clear()

    def copy(self):
        return OrderedSet(self._items)

    def update(self, other):
        for x in other:
            self._items[x] = None

    def union(self, other):
        return OrderedSet([*self._items, *other])

    def intersection(self, other):
        return OrderedSet(x for x in self._items if x in other)

    def difference(self, other):
        return OrderedSet(x for x in self._items if x not in other)

    def symmetric_difference(self, other):
        return OrderedSet([*(x for x in self._items if x not in other),
                           *(x for x in other if x not in self._items)])

    def intersection_update(self, other):
        for x in [x for x in self._items if x not in other]:
            del self._items[x]

    def difference_update(self, other):
        for x in [x for x in self._items if x in other]:
            del self._items[x]

    def symmetric_difference_update(self, other):
        if other is self:
            self.clear()
            return
        for x in list(other):
            if x in self._items:
                del self._items[x]
            else:
                self._items[x] = None

    def issubset(self, other):
        return all(x in other for x in self._items)

    def issuperset(self, other):
        return all(x in self._items for x in other)

    def isdisjoint(self, other):
        return not any(x in other for x in self._items)

    __or__ = union
    __and__ = intersection
    __sub__ = difference
    __xor__ = symmetric_difference

    def __ior__(self, other):
        self.update(other)
        return self

    def __iand__(self, other):
        self.intersection_update(other)
        return self

    def __isub__(self, other):
        self.difference_update(other)
        return self

    def __ixor__(self, other):
        self.symmetric_difference_update(other)
        return self


def build_set(items, t: SetType) -> OrderedSet:
    return OrderedSet(convert(x, t.elem) for x in items)


def build_map(items, t: DictType) -> dict:
    return {convert(k, t.key): convert(v, t.value) for k, v in zip(items[::2], items[1::2])}


def convert_args(name: str, t: Type, values: list) -> list:
    """The arguments of method `name` of a dict or set of type `t`, converted where they are stored."""
    if isinstance(t, SetType) and name == "add":
        return [convert(values[0], t.elem)]
    if isinstance(t, DictType) and name == "setdefault":
        return [convert(values[0], t.key), convert(values[1], t.value)]
    if isinstance(t, DictType) and name == "update":
        return [{convert(k, t.key): convert(v, t.value) for k, v in values[0].items()}]
    if isinstance(t, SetType) and name in ("update", "symmetric_difference_update") and values[0] is not None:
        return [values[0] if isinstance(values[0], OrderedSet) else [convert(x, t.elem) for x in values[0]]]
    return values


def make(t: Type, source=None):
    """`set(...)`/`dict(...)` of typed IR: a new set or dict of type `t`."""
    if isinstance(source, RangeIter):
        source = range(source.next, source.stop, source.step)
    if isinstance(t, SetType):
        return OrderedSet(convert(x, t.elem) for x in (source if source is not None else ()))
    return {convert(k, t.key): convert(v, t.value) for k, v in (source or {}).items()}


__all__ = ["OrderedSet", "build_map", "build_set", "convert", "convert_args", "make"]
