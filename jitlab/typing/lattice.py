"""The type lattice of inference: bottom (`?`), undefined values, concrete types.

Why a lattice and not just equality: a value merged from two paths (γ exits,
θ loop variables) must hold whatever either path produces.  Numbers join by
NumPy's own promotion (`numpy.promote_types`), so `i64 ⊔ f64 = f64` exactly as
NumPy and Python agree; Python's `bool` is an integer in arithmetic, so
`bool ⊔ i64 = i64` (NumPy would keep `bool`-ness differently for `bool ⊔ bool`,
which stays `bool` here as well).  Anything else that disagrees (`none ⊔ i64`)
has no join: the caller reports a `TypingError` naming both types.  Arrays of
one dtype and ndim but different layouts join to the strided layout "A" (every
array value carries its real strides, so a C or F array is also a valid "A").

`py.undef` (a name not bound on some path) starts as `UndefType`, which joins
with anything to that thing and remembers which ports it flowed through, so
that after inference those ports take the type they were merged with.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jitlab.ir.types import BOOL, I64, ArrayType, BoolType, ComplexType, FloatType, IntType, Type, UnknownType


@dataclass(frozen=True, slots=True)
class UndefType(Type):
    """A value not bound on this path; `ports` are the port names it flowed through."""

    ports: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return "undef"


@dataclass(frozen=True, slots=True)
class ConflictType(Type):
    """A merge of types with no join (e.g. `none` and `i64`).

    Not an error by itself: restructured control flow merges values (stack slots,
    dead variables) that no later path reads.  Reading one is the error, so the
    value keeps what is needed to report it there.
    """

    types: tuple[str, ...] = ()
    value: str = ""
    line: int | None = None

    def __str__(self) -> str:
        return "conflict<" + "|".join(self.types) + ">"


def is_numeric(t: Type) -> bool:
    return isinstance(t, (IntType, FloatType, BoolType))


def is_complex(t: Type) -> bool:
    return isinstance(t, ComplexType)


def is_number(t: Type) -> bool:
    """A real number or a complex one (`is_numeric` is the real numbers only: ordering,
    `math`, `int()` and the like refuse complex values as Python does)."""
    return is_numeric(t) or isinstance(t, ComplexType)


def is_integer(t: Type) -> bool:
    """int or bool: the types Python accepts where an integer is needed."""
    return isinstance(t, (IntType, BoolType))


def to_dtype(t: Type) -> np.dtype:
    if isinstance(t, BoolType):
        return np.dtype(np.bool_)
    if isinstance(t, IntType):
        return np.dtype(f"{'i' if t.signed else 'u'}{t.bits // 8}")
    if isinstance(t, FloatType):
        return np.dtype(f"f{t.bits // 8}")
    if isinstance(t, ComplexType):
        return np.dtype(f"c{t.bits // 8}")
    raise TypeError(f"{t} is not numeric")


def from_dtype(dt: np.dtype) -> Type:
    if dt.kind == "b":
        return BOOL
    if dt.kind in "iu":
        return IntType(dt.itemsize * 8, dt.kind == "i")
    if dt.kind == "f" and dt.itemsize in (4, 8):
        return FloatType(dt.itemsize * 8)
    if dt.kind == "c" and dt.itemsize in (8, 16):
        return ComplexType(dt.itemsize * 8)
    raise TypeError(f"NumPy type {dt} has no jitlab type")


def arith_type(t: Type) -> Type:
    """The type a value has inside Python arithmetic: `bool` behaves as `int`."""
    return I64 if isinstance(t, BoolType) else t


def promote(*types: Type) -> Type:
    """The common numeric type of arithmetic operands (bool counts as int)."""
    return from_dtype(np.result_type(*(to_dtype(arith_type(t)) for t in types)))


def join(a: Type, b: Type) -> Type | None:
    """The least type holding both `a` and `b`, or None when there is none."""
    if a == b:
        return a
    if isinstance(a, UnknownType):
        return b
    if isinstance(b, UnknownType):
        return a
    if isinstance(a, UndefType) and isinstance(b, UndefType):
        return UndefType(a.ports | b.ports)
    if isinstance(a, UndefType):
        return b
    if isinstance(b, UndefType):
        return a
    if is_number(a) and is_number(b):
        return promote(a, b)
    if isinstance(a, ArrayType) and isinstance(b, ArrayType) and (a.dtype, a.ndim) == (b.dtype, b.ndim):
        return ArrayType(a.dtype, a.ndim, "A", a.readonly or b.readonly)
    return None
