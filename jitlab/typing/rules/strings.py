"""Typing rules of `str`: constants, arguments, f-strings, operators, builtins and methods.

A str is immutable and compares, orders and hashes by code points, as CPython's.  The cases here
sit in front of the rules they share an op with (`wrap`): an op whose operands are not strs goes
on to the rule it wraps.  Mixed operands follow Python: `s == 1` is False, `s + 1` and `s < 1`
are the TypeError CPython raises, refused here at compile time with CPython's words.

Methods: each entry of `NATIVE_METHODS` (searching: positional arguments only) and `METHODS`
gives the method's parameters (a str, an int, `str|none`, ...; keywords by `KEYWORDS`), how many
are required and its result type.  The backend lowers the searches, `split`, `strip` and `join`
to native loops (`backend/llvm/lower_str.py`, `lower_str_split.py`) and calls CPython's own
method for the others (`lower_str_bridge.py`), so their results (non-ASCII case mapping,
Unicode digits and spaces included) are CPython's.
"""
from __future__ import annotations

from collections.abc import Callable

from jitlab.ir.types import (
    BOOL, F64, I64, NONE, STATE, STR, BoolType, IntType, ListType, NoneType,
    SliceType, StrIterType, StrType, TupleType, Type, UnknownType,
)

from ..infer import RuleContext
from .py import _pyname

Rule = Callable[[RuleContext, list[Type]], tuple[Type, ...]]

_S, _I, _SN, _IN = "str", "int", "str|none", "int|none"
LIST_STR = ListType(STR)

# name -> (parameter kinds, how many are required, result type)
NATIVE_METHODS: dict[str, tuple[tuple[str, ...], int, Type]] = {
    "startswith": ((_S, _IN, _IN), 1, BOOL),
    "endswith": ((_S, _IN, _IN), 1, BOOL),
    "find": ((_S, _IN, _IN), 1, I64),
    "rfind": ((_S, _IN, _IN), 1, I64),
    "index": ((_S, _IN, _IN), 1, I64),
    "rindex": ((_S, _IN, _IN), 1, I64),
    "count": ((_S, _IN, _IN), 1, I64),
}
METHODS: dict[str, tuple[tuple[str, ...], int, Type]] = {
    **dict.fromkeys(("upper", "lower", "capitalize", "title", "swapcase", "casefold"), ((), 0, STR)),
    **dict.fromkeys(("isdigit", "isalpha", "isspace", "isalnum", "isupper", "islower", "isnumeric",
                     "isdecimal", "isidentifier", "isascii", "istitle", "isprintable"), ((), 0, BOOL)),
    **dict.fromkeys(("strip", "lstrip", "rstrip"), ((_SN,), 0, STR)),
    "replace": ((_S, _S, _I), 2, STR),
    "split": ((_SN, _I), 0, LIST_STR),
    "rsplit": ((_SN, _I), 0, LIST_STR),
    "splitlines": (("bool",), 0, LIST_STR),
    "join": (("list[str]",), 1, STR),
    "zfill": ((_I,), 1, STR),
    "center": ((_I, _S), 1, STR),
    "ljust": ((_I, _S), 1, STR),
    "rjust": ((_I, _S), 1, STR),
    "expandtabs": ((_I,), 0, STR),
    "removeprefix": ((_S,), 1, STR),
    "removesuffix": ((_S,), 1, STR),
    "partition": ((_S,), 1, TupleType((STR, STR, STR))),
    "rpartition": ((_S,), 1, TupleType((STR, STR, STR))),
}
# keyword names CPython's methods take (`s.split(sep=",", maxsplit=1)`)
KEYWORDS = {"split": ("sep", "maxsplit"), "rsplit": ("sep", "maxsplit"), "splitlines": ("keepends",),
            "replace": ("old", "new", "count"), "expandtabs": ("tabsize",)}


def _is_int(t: Type) -> bool:
    return isinstance(t, (IntType, BoolType))


def _fits(kind: str, t: Type) -> bool:
    if kind == _S:
        return isinstance(t, StrType)
    if kind == _I:
        return _is_int(t)
    if kind == _SN:
        return isinstance(t, (StrType, NoneType))
    if kind == _IN:
        return _is_int(t) or isinstance(t, NoneType)
    if kind == "bool":
        return _is_int(t)
    if kind == "list[str]":
        return isinstance(t, ListType) and isinstance(t.elem, (StrType, UnknownType))
    raise AssertionError(kind)


def const(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        value = ctx.node.attr("value")
        if not ctx.node.attr("str"):  # an unmarked string is a dtype name or a sort kind
            return fallback(ctx, args)
        if isinstance(value, str):
            return (STR,)
        if isinstance(value, tuple) and all(v is None or isinstance(v, (str, int, float)) for v in value):
            items = [_const_type(v) for v in value]
            if any(t is None for t in items):
                raise ctx.error(f"integer constant in {value!r} does not fit in int64")
            return (TupleType(tuple(items)),)
        return fallback(ctx, args)
    return rule


def _const_type(v) -> Type | None:
    """The type of one item of a constant tuple holding strs (None: an int beyond int64)."""
    if isinstance(v, str):
        return STR
    if isinstance(v, bool):
        return BOOL
    if isinstance(v, int):
        return I64 if -2**63 <= v < 2**63 else None
    return F64 if isinstance(v, float) else NONE


def format_(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    """`py.format {format}`: an f-string (or `str(x)`, `repr(x)`, `format(x, spec)`) as a str."""
    if not isinstance(ctx.node.attr("format"), str):
        raise ctx.error("py.format needs a `format` string attribute")
    from .py import printable

    for t in args:
        if not printable(t):
            raise ctx.error(f"formatting a {t} into a str is not supported",
                            hint="f-strings format numbers, bools, strs, None, tuples of them and arrays")
    return (STR,)


def binop(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        a, b = args[0], args[1]
        if not (isinstance(a, StrType) or isinstance(b, StrType)):
            return fallback(ctx, args)
        op = ctx.node.attr("op")
        if op == "+" and isinstance(a, StrType) and isinstance(b, StrType):
            return STR, STATE
        if op == "*" and (_is_int(b) and isinstance(a, StrType) or _is_int(a) and isinstance(b, StrType)):
            return STR, STATE
        if op == "+" and isinstance(a, StrType):
            raise ctx.error(f'can only concatenate str (not "{_pyname(b)}") to str',
                            hint="convert it first: s + str(x), or an f-string")
        raise ctx.error(f"unsupported operand type(s) for {op}: '{_pyname(a)}' and '{_pyname(b)}'")
    return rule


def compare(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        a, b = args[0], args[1]
        op = ctx.node.attr("op")
        if op in ("in", "notin"):
            if isinstance(b, StrType):
                if not isinstance(a, StrType):
                    raise ctx.error(f"'in <string>' requires string as left operand, not {_pyname(a)}")
                return BOOL, STATE
            return fallback(ctx, args)
        if not (isinstance(a, StrType) or isinstance(b, StrType)):
            return fallback(ctx, args)
        if isinstance(a, StrType) and isinstance(b, StrType):
            return BOOL, STATE
        if op in ("==", "!=", "is", "isnot"):  # a str never equals a value of another type
            return BOOL, STATE
        raise ctx.error(f"'{op}' not supported between instances of '{_pyname(a)}' and '{_pyname(b)}'")
    return rule


def truth(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        if isinstance(args[0], StrType):
            op = ctx.node.attr("op")
            if ctx.node.op == "py.unop" and op != "not":
                raise ctx.error(f"bad operand type for unary {op}: 'str'")
            return BOOL, STATE
        return fallback(ctx, args)
    return rule


def getitem(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        s, i = args[0], args[1]
        if not isinstance(s, StrType):
            return fallback(ctx, args)
        if _is_int(i):
            return STR, STATE
        if isinstance(i, SliceType) and all(_is_int(p) or isinstance(p, NoneType)
                                            for p in (i.start, i.stop, i.step)):
            return STR, STATE
        raise ctx.error(f"string indices must be integers, not '{_pyname(i)}'")
    return rule


def setitem(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        if isinstance(args[0], StrType):
            raise ctx.error("'str' object does not support item assignment",
                            hint="build a new string: s[:i] + c + s[i + 1:]")
        return fallback(ctx, args)
    return rule


def getiter(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        if isinstance(args[0], StrType):
            return StrIterType(), STATE
        return fallback(ctx, args)
    return rule


def iternext(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        if isinstance(args[0], StrIterType):
            return BOOL, STR, args[0], STATE
        return fallback(ctx, args)
    return rule


def call(fallback: Rule) -> Rule:
    """`len(s)`, `ord(c)`, `chr(i)`, `int(s)`, `float(s)`, `str(s)` of a str."""
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        callee, values = ctx.node.attr("callee"), args[:-1]
        strs = [isinstance(t, StrType) for t in values]
        if callee == "builtins.chr":
            if len(values) != 1 or not _is_int(values[0]):
                got = _pyname(values[0]) if values else "nothing"
                raise ctx.error(f"chr() takes one integer, not {got}")
            return STR, STATE
        if not any(strs) or callee[9:] in ("enumerate", "zip", "reversed", "isinstance") \
                or not callee.startswith("builtins."):
            return fallback(ctx, args)  # iterators over strs, jitted callees taking strs
        name = callee.removeprefix("builtins.")
        if ctx.node.attr("kwnames"):
            raise ctx.error(f"{name}() of a str with keyword arguments is not supported")
        if callee in ("builtins.len", "builtins.ord") and len(values) == 1:
            return I64, STATE
        if callee == "builtins.int" and len(values) == 1:
            return I64, STATE
        if callee == "builtins.float" and len(values) == 1:
            return F64, STATE
        if callee == "builtins.bool" and len(values) == 1:
            return BOOL, STATE
        raise ctx.error(f"{name}() of a str is not supported here"
                        + (" (only int(s) in base 10)" if callee == "builtins.int" else ""))
    return rule


def callmethod(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        if not isinstance(args[0], StrType):
            return fallback(ctx, args)
        name, values = ctx.node.attr("name"), args[1:-1]
        entry = NATIVE_METHODS.get(name) or METHODS.get(name)
        if entry is None:
            raise ctx.error(f"str.{name}() is not supported in compiled code",
                            hint="supported: " + ", ".join(sorted({*NATIVE_METHODS, *METHODS})))
        params, required, result = entry
        kwnames = tuple(ctx.node.attr("kwnames") or ())
        names = KEYWORDS.get(name, ())
        if any(k not in names for k in kwnames):
            raise ctx.error(f"str.{name}() with the keyword argument(s) {', '.join(kwnames)} "
                            "is not supported")
        npos = len(values) - len(kwnames)
        slots = list(range(npos)) + [names.index(k) for k in kwnames]
        if npos > len(params) or any(k < npos for k in slots[npos:]) \
                or not all(k in slots for k in range(required)):
            raise ctx.error(f"str.{name}() takes {required}"
                            + (f" to {len(params)}" if len(params) != required else "")
                            + f" arguments ({len(values)} given)")
        for k, t in zip(slots, values):
            if not _fits(params[k], t):
                if params[k] == _S and isinstance(t, TupleType) and name in ("startswith", "endswith") \
                        and t.items and all(isinstance(i, StrType) for i in t.items):
                    continue
                raise ctx.error(f"str.{name}() argument {k + 1} must be {params[k]}, not {_pyname(t)}")
        if kwnames and name in NATIVE_METHODS:
            raise ctx.error(f"str.{name}() with keyword arguments is not supported")
        if name == "join" and isinstance(values[0].elem, UnknownType):
            from .lists import _put  # an empty list joined: its items are strs

            _put(ctx, values[0], STR, "joining")
        if result == LIST_STR:
            return _new_list_of_str(ctx), STATE
        return result, STATE
    return rule


def _new_list_of_str(ctx: RuleContext) -> ListType:
    """A fresh `list<str>` (`s.split()`): its own allocation site, items str."""
    site = ctx.node.outputs[0].name
    sites = ctx.inferer.lists
    sites.used = True
    sites.widen(site, STR, lambda old, new: ctx.error(f"a list of {old} meets {new}"))
    return ListType(sites.elem_of(ListType(UnknownType(), site)), site)


def wrap(rules: dict) -> dict:
    """The rule table with the str cases in front of the ops they share."""
    wrapped = dict(rules)
    for op, maker in (("py.const", const), ("py.binop", binop), ("py.compare", compare),
                      ("py.truth", truth), ("py.unop", truth), ("py.getitem", getitem),
                      ("py.setitem", setitem), ("py.getiter", getiter), ("py.iternext", iternext),
                      ("py.call", call), ("py.callmethod", callmethod)):
        wrapped[op] = maker(rules[op])
    wrapped["py.format"] = format_
    return wrapped


__all__ = ["METHODS", "NATIVE_METHODS", "wrap"]
