"""What a typed list (or a dict's values) may hold beyond scalars, and how two item types join.

A list holds items of one type: a scalar (bool, an integer, a float, a complex number), a tuple
of such items, an array, or another list (`[[0] * m for _ in range(n)]`).  Two item types join
as NumPy joins numbers (int ⊔ float = float; bool joins only bool), item by item for tuples of
one length; arrays join when their dtype and number of dimensions agree (their layouts join to
"A" when they differ); two lists join by unifying their sites (`ListSites.unify`), so every inner
list of an outer list shares one element type.  A list cannot hold itself.
"""
from __future__ import annotations

from jitlab.ir.types import (
    ArrayType, BoolType, ComplexType, FloatType, IntType, ListType, StrType, TupleType, Type, UnknownType,
)


def holdable(t: Type, depth: int = 0) -> bool:
    """Whether a list (or a dict's values) can hold items of type `t`."""
    if isinstance(t, (IntType, FloatType, BoolType, ComplexType, UnknownType, StrType)):
        return True
    if isinstance(t, TupleType):
        return bool(t.items) and depth < 4 and all(holdable(i, depth + 1) for i in t.items)
    return isinstance(t, (ArrayType, ListType))


def is_scalar(t: Type) -> bool:
    return isinstance(t, (IntType, FloatType, BoolType))


def join(lists, old: Type, new: Type, clash) -> Type | None:
    """The item type holding both `old` and `new` (None when nothing does); `clash(a, b)` makes the
    error for two lists whose element types do not join (raised by `lists.unify`)."""
    from .lattice import is_numeric, promote

    if isinstance(old, UnknownType):
        return new
    if isinstance(old, ListType) and isinstance(new, ListType):
        if old.site and new.site:
            if lists.root(old.site) == lists.root(new.site):
                return old
            lists.unify(old.site, new.site, clash)
            return old
        return old if old == new else None
    if type(old) is not type(new) and not (is_numeric(old) and is_numeric(new)):
        return None
    if isinstance(old, TupleType):
        if len(old.items) != len(new.items):
            return None
        items = [join(lists, a, b, clash) for a, b in zip(old.items, new.items)]
        return None if any(i is None for i in items) else TupleType(tuple(items))
    if isinstance(old, ArrayType):
        if old.dtype != new.dtype or old.ndim != new.ndim:
            return None
        if old == new:
            return old
        layout = old.layout if old.layout == new.layout else "A"
        return ArrayType(old.dtype, old.ndim, layout, readonly=old.readonly or new.readonly)
    if old == new:
        return old
    if is_numeric(old) and is_numeric(new) and BoolType() not in (old, new):
        return promote(old, new)
    return None


def resite(t: Type, site: str, fix) -> Type:
    """`t` with every list in it (inner lists, lists in tuples) given a site of its own under
    `site`; `fix(site, elem)` records each one as fixed (a list of a caller or a callee: its
    element type is not this function's to change)."""
    if isinstance(t, ListType):
        elem = resite(t.elem, site + ".e", fix)
        fix(site, elem)
        return ListType(elem, site)
    if isinstance(t, TupleType):
        return TupleType(tuple(resite(item, f"{site}.{k}", fix) for k, item in enumerate(t.items)))
    return t


def contains_site(lists, t: Type, root: str) -> bool:
    """Whether item type `t` is (or holds) a list of site `root`: a list that would hold itself."""
    if isinstance(t, ListType):
        return bool(t.site) and (lists.root(t.site) == root or contains_site(lists, lists.elem_of(t), root))
    if isinstance(t, TupleType):
        return any(contains_site(lists, i, root) for i in t.items)
    return False


__all__ = ["contains_site", "holdable", "is_scalar", "join", "resite"]
