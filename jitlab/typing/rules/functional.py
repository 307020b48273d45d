"""Typing rules of the builtins that apply a function per item: `sorted(xs, key=f, reverse=r)`,
`xs.sort(key=f, reverse=r)`, `min(xs, key=f)`, `max(xs, key=f)`, `map(f, xs, ...)`, `filter(f, xs)`.

The frontend passes the function as a value (`closures.function_argument`): its input is named by
the call's `fn_arg`, and a nested function's captured values follow the call's other inputs
(`captures` of them), since its lifted callee takes them first.  The function is a nested
function or lambda (`function<closure:g:LINE:local>`), a jitted or plain global
(`function<g:DIGEST>`), a function passed in as an argument, or one of a few builtins named by
`fn_builtin` (`abs`, `len`, `float`, `int`, `bool`).  The rule resolves its specialisation for the
item types and records the native symbol as `fn_symbol` and its result type as `fn_result`.

The items come from a list, a 1-D array or a range.  `map` and `filter` make new lists at once
(the items are computed when the call runs, as a generator expression is, not lazily).
"""
from __future__ import annotations

from collections.abc import Callable

from jitlab.ir.types import (
    BOOL, F64, I64, NONE, STATE, ArrayType, BoolType, ComplexType, FloatType, FunctionValueType, IntType,
    ListType, TupleType, Type, UnknownType,
)

from ..infer import RuleContext
from ..lattice import is_numeric, promote

Rule = Callable[[RuleContext, list[Type]], tuple[Type, ...]]

TAKERS = ("builtins.sorted", "builtins.min", "builtins.max", "builtins.map", "builtins.filter")
BUILTINS = ("builtins.abs", "builtins.len", "builtins.float", "builtins.int", "builtins.bool")
LOCAL = "local"  # the digest of a nested function's value type: it has no identity across calls


def split(node, args: list):
    """(the call's own values, the captured values after them) of inputs `args` (without `!io`)."""
    n = node.attr("captures") or 0
    return list(args[:len(args) - n]), list(args[len(args) - n:])


def item_type(ctx: RuleContext, t: Type, what: str) -> Type:
    """The type of the items of a list, an array (its rows), a range or another iterator
    (`zip`, `enumerate`, `d.items()`, ...: its items are listed first)."""
    from . import arrays, iterators

    if isinstance(t, ListType):
        return ctx.inferer.lists.elem_of(t)
    if isinstance(t, ArrayType):
        return arrays.row_type(t)
    if isinstance(t, iterators.ITERATORS):
        return iterators.item_type(_settled(ctx, t))
    raise ctx.error(f"{what} of a {t} is not supported", hint="pass a list, an array, a range or an iterator")


def _settled(ctx: RuleContext, t: Type) -> Type:
    """An iterator type with the element types its lists and dicts have now (inside zips too)."""
    from jitlab.ir.types import EnumerateIterType, ZipIterType

    if isinstance(t, ZipIterType):
        return ZipIterType(tuple(_settled(ctx, i) for i in t.iters))
    if isinstance(t, EnumerateIterType):
        return EnumerateIterType(_settled(ctx, t.inner))
    return ctx.inferer.settle(t)


def _unknown(t: Type) -> bool:
    return isinstance(t, UnknownType) or isinstance(t, TupleType) and any(_unknown(i) for i in t.items)


def _builtin_result(ctx: RuleContext, builtin: str, items: list[Type]) -> Type:
    name = builtin[len("builtins."):]
    if len(items) != 1:
        raise ctx.error(f"{name}() applied to {len(items)} items at once is not supported")
    t = items[0]
    if isinstance(t, UnknownType):
        return t
    if name == "len":
        if not isinstance(t, (ListType, TupleType, ArrayType)):
            raise ctx.error(f"len() of a {t}", hint="object has no len()")
        return I64
    if not is_numeric(t) or isinstance(t, ComplexType):
        raise ctx.error(f"{name}() of a {t} is not supported here", hint="apply it to real numbers")
    if name == "abs":
        return promote(t)
    return {"float": F64, "int": I64, "bool": BOOL}[name]


def apply_type(ctx: RuleContext, fn: Type, captured: list[Type], items: list[Type]) -> Type:
    """The result type of the per-item function applied to `items` (its symbol goes to `fn_symbol`)."""
    builtin = ctx.node.attr("fn_builtin")
    if builtin is not None:
        if builtin not in BUILTINS:
            raise ctx.error(f"{builtin[len('builtins.'):]}() as a function value is not supported",
                            hint="use a lambda: key=lambda x: ...")
        result = _builtin_result(ctx, builtin, items)
    elif not isinstance(fn, FunctionValueType):
        raise ctx.error(f"a {fn} where a function is expected", hint="pass a function or a lambda")
    elif any(_unknown(t) for t in items):
        return UnknownType()  # (the items' type is known at a later pass)
    else:
        callee = fn.name if fn.digest == LOCAL else f"function:{fn.name}:{fn.digest}"
        argtypes = tuple(captured) + tuple(items) if fn.digest == LOCAL else tuple(items)
        result, symbol = ctx.resolve_call(callee, argtypes)
        ctx.attrs["fn_symbol"] = symbol
    ctx.attrs["fn_result"] = str(result)
    return result


def _key_type(ctx: RuleContext, key: Type, what: str) -> None:
    def comparable(t: Type) -> bool:
        return isinstance(t, (IntType, FloatType, BoolType, UnknownType)) or \
            isinstance(t, TupleType) and all(comparable(i) for i in t.items)
    if not comparable(key):
        raise ctx.error(f"{what}: the key function returns a {key}, which is not supported as a key",
                        hint="return a number or a tuple of numbers")


def _keywords(ctx: RuleContext, values: list[Type], allowed: tuple[str, ...], what: str) -> None:
    kwnames = tuple(ctx.node.attr("kwnames") or ())
    for k in kwnames:
        if k not in allowed:
            raise ctx.error(f"{what} got an unsupported keyword argument {k!r}")
    if "reverse" in kwnames:
        index = len(values) - len(kwnames) + kwnames.index("reverse")
        if not isinstance(ctx.const(ctx.node.inputs[index]), (bool, int)):
            raise ctx.error(f"{what}: reverse must be a constant True or False")


def _new_list(ctx: RuleContext, elem: Type) -> ListType:
    from .lists import _list, _put

    new = ListType(UnknownType(), ctx.node.outputs[0].name)
    _put(ctx, new, elem, "filling")
    return _list(ctx, new.site)


def call(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        callee, index = ctx.node.attr("callee"), ctx.node.attr("fn_arg")
        if callee not in TAKERS or index is None:
            return fallback(ctx, args)
        values, captured = split(ctx.node, args[:-1])
        name = callee[len("builtins."):] + "()"
        fn = values[index]
        if callee in ("builtins.map", "builtins.filter"):
            sources = values[1:]
            if not sources or (callee == "builtins.filter" and len(sources) != 1) or ctx.node.attr("kwnames"):
                what = "one iterable" if callee == "builtins.filter" else "iterables"
                raise ctx.error(f"{name} takes a function and {what}")
            items = [item_type(ctx, t, name) for t in sources]
            result = apply_type(ctx, fn, captured, items)
            if callee == "builtins.map":
                return _new_list(ctx, result), STATE
            if not isinstance(result, (IntType, FloatType, BoolType, UnknownType)):
                raise ctx.error(f"filter(): the function returns a {result}",
                                hint="return a bool or a number")
            return _new_list(ctx, items[0]), STATE
        positional = len(values) - len(ctx.node.attr("kwnames") or ())
        if positional != 1:
            raise ctx.error(f"{name} with a key takes one iterable here",
                            hint="min(a, b, key=f) of separate values is not supported")
        _keywords(ctx, values, ("key", "reverse") if callee == "builtins.sorted" else ("key",), name)
        item = item_type(ctx, values[0], name)
        _key_type(ctx, apply_type(ctx, fn, captured, [item]), name)
        if callee == "builtins.sorted":
            return _new_list(ctx, item), STATE
        return item, STATE
    return rule


def callmethod(fallback: Rule) -> Rule:
    """`xs.sort(key=f, reverse=r)`."""
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        index = ctx.node.attr("fn_arg")
        if ctx.node.attr("name") != "sort" or index is None or not isinstance(args[0], ListType):
            return fallback(ctx, args)
        values, captured = split(ctx.node, args[:-1])
        _keywords(ctx, values, ("key", "reverse"), "list.sort()")
        if len(values) - len(ctx.node.attr("kwnames") or ()) != 1:
            raise ctx.error("list.sort() takes no positional arguments")
        item = ctx.inferer.lists.elem_of(args[0])
        _key_type(ctx, apply_type(ctx, values[index], captured, [item]), "list.sort()")
        return NONE, STATE
    return rule


def const(fallback: Rule) -> Rule:
    """A nested function as a value: `function<closure:g:LINE:local>` (its callee name)."""
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        value = ctx.node.attr("value")
        if ctx.node.attr("function") and isinstance(value, str) and value.startswith("closure:"):
            return (FunctionValueType(value, LOCAL),)
        return fallback(ctx, args)
    return rule


def wrap(rules: dict) -> dict:
    wrapped = dict(rules)
    wrapped["py.call"] = call(rules["py.call"])
    wrapped["py.callmethod"] = callmethod(rules["py.callmethod"])
    wrapped["py.const"] = const(rules["py.const"])
    return wrapped


__all__ = ["BUILTINS", "LOCAL", "TAKERS", "item_type", "split", "wrap"]
