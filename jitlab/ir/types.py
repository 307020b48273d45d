"""Types of jitlab IR values.

Every type is a frozen, hashable value that prints as one token and parses back
(`parse_type(str(t)) == t`).  The frontend leaves values untyped (`UNKNOWN`,
printed by omitting the type); typing fills in a concrete type for every port.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Type:
    def __str__(self) -> str:  # pragma: no cover - every subclass overrides
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class UnknownType(Type):
    """Not yet inferred (frontend output)."""

    def __str__(self) -> str:
        return "?"


@dataclass(frozen=True, slots=True)
class IntType(Type):
    bits: int = 64
    signed: bool = True

    def __str__(self) -> str:
        return f"{'i' if self.signed else 'u'}{self.bits}"


@dataclass(frozen=True, slots=True)
class FloatType(Type):
    bits: int = 64

    def __str__(self) -> str:
        return f"f{self.bits}"


@dataclass(frozen=True, slots=True)
class ComplexType(Type):
    """A complex number of two floats of `bits // 2` bits each (`c128` is Python's `complex`)."""

    bits: int = 128

    def __str__(self) -> str:
        return f"c{self.bits}"

    @property
    def part(self) -> FloatType:
        """The type of the real and imaginary parts."""
        return FloatType(self.bits // 2)


@dataclass(frozen=True, slots=True)
class BoolType(Type):
    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True, slots=True)
class NoneType(Type):
    def __str__(self) -> str:
        return "none"


@dataclass(frozen=True, slots=True)
class ExcType(Type):
    """A caught exception (`py.catch`): its class and message, re-raised by `py.reraise`."""

    def __str__(self) -> str:
        return "exc"


@dataclass(frozen=True, slots=True)
class StateType(Type):
    """The `!io` token that orders side effects."""

    def __str__(self) -> str:
        return "!io"


@dataclass(frozen=True, slots=True)
class StrType(Type):
    """A Python `str`: immutable, a sequence of Unicode code points (`backend/llvm/lower_str.py`
    holds it as UTF-32 code units and a length, so indexing and slicing are O(1))."""

    def __str__(self) -> str:
        return "str"


@dataclass(frozen=True, slots=True)
class StrIterType(Type):
    """Iterator over the characters of a str (`for c in s`): each item is a str of length 1."""

    def __str__(self) -> str:
        return "str_iter"


@dataclass(frozen=True, slots=True)
class RangeIterType(Type):
    """Iterator over `range(start, stop, step)` of a given integer type."""

    item: Type = IntType(64)

    def __str__(self) -> str:
        return f"range_iter<{self.item}>"


@dataclass(frozen=True, slots=True)
class FunctionType(Type):
    """A statically known callee (a builtin, a math function or a jitted function)."""

    def __str__(self) -> str:
        return "func"


@dataclass(frozen=True, slots=True)
class FunctionValueType(Type):
    """A jitted (or plain Python) function passed as an argument: `function<g:DIGEST>`.

    The type is the function's identity: `name` is its name, `digest` the first 16 hex digits of
    its cache digest (code, globals and callees, transitively: `cache.key.function_digest`), so
    every function gets its own specialisation of the caller, and a changed function a new one
    (and a new cache key).  The value carries nothing at run time: a call of it
    (`py.call {callee = "value"}`) calls the specialisation the digest names directly.
    """

    name: str = "f"
    digest: str = ""

    def __str__(self) -> str:
        return f"function<{self.name}:{self.digest}>"


@dataclass(frozen=True, slots=True)
class ArrayType(Type):
    """A NumPy array view: element type, number of dimensions, memory layout.

    `layout` is "C" (C-contiguous), "F" (Fortran-contiguous) or "A" (any strides);
    contiguous layouts let indexing ignore the strides, so loops vectorise.
    `readonly` marks a global constant array (a δ, `py.global`) and every view of it: typing
    refuses writes to it (`array<f64, 1, C, readonly>`).
    """

    dtype: Type = FloatType(64)
    ndim: int = 1
    layout: str = "C"
    readonly: bool = False

    def __post_init__(self):
        if not isinstance(self.dtype, (IntType, FloatType, BoolType, ComplexType)):
            raise ValueError(f"array element type must be numeric, not {self.dtype}")
        if not isinstance(self.ndim, int) or self.ndim < 1:
            raise ValueError(f"array ndim must be a positive int, not {self.ndim!r}")
        if self.layout not in ("C", "F", "A"):
            raise ValueError(f"array layout must be C, F or A, not {self.layout!r}")

    def __str__(self) -> str:
        flag = ", readonly" if self.readonly else ""
        return f"array<{self.dtype}, {self.ndim}, {self.layout}{flag}>"


@dataclass(frozen=True, slots=True)
class ArrayIterType(Type):
    """Iterator over the first axis of an array (`for x in a`)."""

    array: ArrayType = ArrayType()

    def __str__(self) -> str:
        return f"array_iter<{self.array}>"


@dataclass(frozen=True, slots=True)
class TupleType(Type):
    """A fixed-length tuple of values (`a.shape`, the index of `a[i, j]`)."""

    items: tuple[Type, ...] = ()

    def __str__(self) -> str:
        return "tuple<" + ", ".join(map(str, self.items)) + ">"


@dataclass(frozen=True, slots=True)
class EnumerateIterType(Type):
    """`enumerate(x, start)`: a counter next to the iterator of `x` (items `tuple<i64, item>`)."""

    inner: Type = RangeIterType()

    def __str__(self) -> str:
        return f"enumerate_iter<{self.inner}>"


@dataclass(frozen=True, slots=True)
class ZipIterType(Type):
    """`zip(a, b, ...)`: one iterator per argument (items `tuple<item_a, item_b, ...>`)."""

    iters: tuple[Type, ...] = ()

    def __str__(self) -> str:
        return "zip_iter<" + ", ".join(map(str, self.iters)) + ">"


@dataclass(frozen=True, slots=True)
class TupleIterType(Type):
    """Iterator over a tuple whose items all have one type (`for k in (1, 2, 3)`)."""

    source: TupleType = TupleType()

    def __str__(self) -> str:
        return f"tuple_iter<{self.source}>"


@dataclass(frozen=True, slots=True)
class SliceType(Type):
    """A slice `start:stop:step` (`py.slice`); a part that was left out has type `none`."""

    start: Type = NoneType()
    stop: Type = NoneType()
    step: Type = NoneType()

    def __str__(self) -> str:
        return f"slice<{self.start}, {self.stop}, {self.step}>"


@dataclass(frozen=True, slots=True)
class DTypeType(Type):
    """A NumPy dtype known at compile time (`np.float64`, `a.dtype`): the element type it names."""

    dtype: Type = FloatType(64)

    def __str__(self) -> str:
        return f"dtype<{self.dtype}>"


@dataclass(frozen=True, slots=True)
class ListType(Type):
    """A typed list of scalars (`[]`, `[1, 2]`, a comprehension, a list argument copied in).

    `site` is typing's bookkeeping only (which `py.build_list` or argument the list comes from,
    so that `xs.append(v)` can widen the element type of every value of that list); it takes no
    part in equality and is not printed.
    """

    elem: Type = IntType(64)
    site: str = field(default="", compare=False, hash=False, repr=False)

    def __str__(self) -> str:
        return f"list<{self.elem}>"


@dataclass(frozen=True, slots=True)
class ListIterType(Type):
    """Iterator over a list (`for x in xs`): it reads the list's current length at each step."""

    source: ListType = ListType()

    def __str__(self) -> str:
        return f"list_iter<{self.source}>"


@dataclass(frozen=True, slots=True)
class DictType(Type):
    """A dict (`{}`, `{k: v}`, `dict()`, a comprehension): keys of one type (a number, a bool or a
    tuple of them), values of one type (the same kinds).  `site` is typing's bookkeeping, as for
    `ListType` (not printed, not compared)."""

    key: Type = IntType(64)
    value: Type = IntType(64)
    site: str = field(default="", compare=False, hash=False, repr=False)

    def __str__(self) -> str:
        return f"dict<{self.key}, {self.value}>"


@dataclass(frozen=True, slots=True)
class SetType(Type):
    """A set (`set()`, `{1, 2}`, `set(xs)`, a comprehension) of one type of number, bool or tuple."""

    elem: Type = IntType(64)
    site: str = field(default="", compare=False, hash=False, repr=False)

    def __str__(self) -> str:
        return f"set<{self.elem}>"


@dataclass(frozen=True, slots=True)
class DictIterType(Type):
    """`d.keys()`, `d.values()`, `d.items()` (`kind`), `iter(d)` and `iter(s)` (`keys`): a view of
    a dict or set that is also its iterator (table, next entry, the length it started with)."""

    kind: str = "keys"
    source: Type = DictType()

    def __str__(self) -> str:
        return f"dict_iter<{self.kind}, {self.source}>"

    @property
    def item(self) -> Type:
        src = self.source
        if isinstance(src, SetType):
            return src.elem
        if self.kind == "keys":
            return src.key
        if self.kind == "values":
            return src.value
        return TupleType((src.key, src.value))


def _split_top_level(text: str) -> list[str]:
    """`a, b<c, d>, e` -> [`a`, `b<c, d>`, `e`]: commas outside angle brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"<": 1, ">": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


UNKNOWN = UnknownType()
I64 = IntType(64)
F64 = FloatType(64)
C128 = ComplexType(128)
BOOL = BoolType()
NONE = NoneType()
STATE = StateType()
EXC = ExcType()
STR = StrType()

_SIMPLE = {"?": UNKNOWN, "bool": BOOL, "none": NONE, "!io": STATE, "func": FunctionType(), "exc": EXC,
           "str": STR, "str_iter": StrIterType()}


def parse_type(text: str) -> Type:
    """Parse the printed form of a type; raise ValueError on anything else."""
    text = text.strip()
    if text in _SIMPLE:
        return _SIMPLE[text]
    if text.startswith("range_iter<") and text.endswith(">"):
        return RangeIterType(parse_type(text[len("range_iter<"):-1]))
    if text.startswith("array_iter<") and text.endswith(">"):
        array = parse_type(text[len("array_iter<"):-1])
        if not isinstance(array, ArrayType):
            raise ValueError(f"array_iter of a non-array type {array}")
        return ArrayIterType(array)
    if text.startswith("enumerate_iter<") and text.endswith(">"):
        return EnumerateIterType(parse_type(text[len("enumerate_iter<"):-1]))
    if text.startswith("zip_iter<") and text.endswith(">"):
        return ZipIterType(tuple(parse_type(p) for p in _split_top_level(text[len("zip_iter<"):-1])))
    if text.startswith("tuple_iter<") and text.endswith(">"):
        inner = parse_type(text[len("tuple_iter<"):-1])
        if not isinstance(inner, TupleType):
            raise ValueError(f"tuple_iter of a non-tuple type {inner}")
        return TupleIterType(inner)
    if text.startswith("list<") and text.endswith(">"):
        return ListType(parse_type(text[len("list<"):-1]))
    if text.startswith("list_iter<") and text.endswith(">"):
        inner = parse_type(text[len("list_iter<"):-1])
        if not isinstance(inner, ListType):
            raise ValueError(f"list_iter of a non-list type {inner}")
        return ListIterType(inner)
    if text.startswith("dict<") and text.endswith(">"):
        parts = _split_top_level(text[len("dict<"):-1])
        if len(parts) != 2:
            raise ValueError(f"dict type {text!r} is not dict<key, value>")
        return DictType(parse_type(parts[0]), parse_type(parts[1]))
    if text.startswith("set<") and text.endswith(">"):
        return SetType(parse_type(text[len("set<"):-1]))
    if text.startswith("dict_iter<") and text.endswith(">"):
        parts = _split_top_level(text[len("dict_iter<"):-1])
        source = parse_type(parts[1]) if len(parts) == 2 else None
        if parts[0].strip() not in ("keys", "values", "items") or not isinstance(source, (DictType, SetType)):
            raise ValueError(f"dict_iter type {text!r} is not dict_iter<keys|values|items, dict or set>")
        return DictIterType(parts[0].strip(), source)
    if text.startswith("tuple<") and text.endswith(">"):
        inner = text[len("tuple<"):-1]
        return TupleType(tuple(parse_type(p) for p in _split_top_level(inner)) if inner.strip() else ())
    if text.startswith("slice<") and text.endswith(">"):
        parts = _split_top_level(text[len("slice<"):-1])
        if len(parts) != 3:
            raise ValueError(f"slice type {text!r} is not slice<start, stop, step>")
        return SliceType(*(parse_type(p) for p in parts))
    if text.startswith("function<") and text.endswith(">"):
        name, colon, digest = text[len("function<"):-1].rpartition(":")
        if not colon or not name:
            raise ValueError(f"function type {text!r} is not function<name:digest>")
        return FunctionValueType(name, digest)
    if text.startswith("dtype<") and text.endswith(">"):
        return DTypeType(parse_type(text[len("dtype<"):-1]))
    if text.startswith("array<") and text.endswith(">"):
        parts = text[len("array<"):-1].split(",")
        readonly = len(parts) == 4 and parts[3].strip() == "readonly"
        if len(parts) != 3 + readonly or not parts[1].strip().isdigit():
            raise ValueError(f"array type {text!r} is not array<dtype, ndim, layout[, readonly]>")
        return ArrayType(parse_type(parts[0]), int(parts[1]), parts[2].strip(), readonly)
    if len(text) > 1 and text[0] in "iu" and text[1:].isdigit() and int(text[1:]) in (8, 16, 32, 64):
        return IntType(int(text[1:]), text[0] == "i")
    if len(text) > 1 and text[0] == "f" and text[1:] in ("32", "64"):
        return FloatType(int(text[1:]))
    if text in ("c64", "c128"):
        return ComplexType(int(text[1:]))
    raise ValueError(f"unknown type {text!r}")
