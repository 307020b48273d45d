"""Typing rules of the `py.*` ops: Python semantics on int64, float64, bool and None.

One function per op; each takes the rule context and the input types (the `!io`
token included, last) and returns the output types.  Results follow Python:
`/` is always a float, `//` and `%` stay integral for integers, comparisons give
`bool`, and `bool` acts as an integer in arithmetic (`True + True == 2`).
"""
from __future__ import annotations

from jitlab.ir.exceptions import exception_class
from jitlab.ir.types import (
    BOOL, C128, EXC, F64, I64, NONE, STATE, BoolType, ComplexType, ExcType, FloatType, IntType,
    NoneType, StrType,
    TupleType, Type,
)

from ..infer import NO_CONST, RuleContext
from ..lattice import UndefType, is_integer, is_numeric, promote
from .callees import type_call

ARITH_OPS = {"+", "-", "*", "/", "//", "%", "**"}
BIT_OPS = {"&", "|", "^", "<<", ">>"}
ORDER_OPS = {"<", "<=", ">", ">="}
EQ_OPS = {"==", "!="}
IDENTITY_OPS = {"is", "isnot"}


def _pyname(t: Type) -> str:
    """How Python would name a value of type `t` in an error message."""
    if isinstance(t, ComplexType):
        return "complex"
    if isinstance(t, BoolType):
        return "bool"
    if isinstance(t, IntType):
        return "int"
    if isinstance(t, FloatType):
        return "float"
    if isinstance(t, NoneType):
        return "NoneType"
    if isinstance(t, StrType):
        return "str"
    if isinstance(t, TupleType):
        return "tuple"
    return "list" if str(t).startswith("list<") else str(t)


def const(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    value = ctx.node.attr("value")
    if ctx.node.attr("function"):  # a jitted global function as a value: its `function<g:DIGEST>`
        return (ctx.resolve_call(f"typeof:{value}", ())[0],)
    if isinstance(value, bool):
        return (BOOL,)
    if isinstance(value, int):
        if not -2**63 <= value < 2**63:
            raise ctx.error(f"integer constant {value} does not fit in int64")
        return (I64,)
    if isinstance(value, float):
        return (F64,)
    if value is None:
        return (NONE,)
    if isinstance(value, tuple) and all(v is None or isinstance(v, (int, float)) for v in value):
        items = tuple(NONE if v is None else BOOL if isinstance(v, bool) else I64 if isinstance(v, int)
                      else F64 for v in value)
        if any(isinstance(v, int) and not -2**63 <= v < 2**63 for v in value):
            raise ctx.error(f"integer constant in {value} does not fit in int64")
        return (TupleType(items),)
    raise ctx.error(f"constants of type {type(value).__name__} are not supported ({value!r})")


def undef(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    return (UndefType(),)


def _require_defined(ctx: RuleContext, args: list[Type], what: str) -> None:
    for name, t in zip(ctx.node.inputs, args):
        if isinstance(t, UndefType):
            raise ctx.error(f"{what}: value %{name} is not defined on any path that reaches here")


def binop(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    op = ctx.node.attr("op")
    _require_defined(ctx, args[:2], f"operator {op}")
    a, b = args[0], args[1]
    if not (is_numeric(a) and is_numeric(b)):
        raise ctx.error(f"unsupported operand types for {op}: {_pyname(a)} and {_pyname(b)}")
    if op in BIT_OPS:
        if not (is_integer(a) and is_integer(b)):
            raise ctx.error(f"unsupported operand types for {op}: {_pyname(a)} and {_pyname(b)}",
                            hint="bitwise operators need integers")
        if op in ("&", "|", "^") and isinstance(a, BoolType) and isinstance(b, BoolType):
            return BOOL, STATE
        return promote(a, b), STATE
    if op not in ARITH_OPS:
        raise ctx.error(f"unknown binary operator {op!r}")
    result = promote(a, b)
    if op == "/" and isinstance(result, IntType):
        return F64, STATE
    if op == "**" and isinstance(result, IntType):
        exponent = ctx.const(ctx.node.inputs[1])
        if exponent is not NO_CONST and exponent < 0:
            return F64, STATE  # 2 ** -1 == 0.5; a non-constant exponent stays integral (checked at run time)
    return result, STATE


def unop(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    op = ctx.node.attr("op")
    _require_defined(ctx, args[:1], f"operator {op}")
    a = args[0]
    if op == "not":
        if not (is_numeric(a) or isinstance(a, NoneType)):
            raise ctx.error(f"cannot apply `not` to {_pyname(a)}")
        return BOOL, STATE
    if op == "~":
        if not is_integer(a):
            raise ctx.error(f"bad operand type for unary ~: {_pyname(a)}")
        return promote(a), STATE
    if op in ("-", "+"):
        if not is_numeric(a):
            raise ctx.error(f"bad operand type for unary {op}: {_pyname(a)}")
        return promote(a), STATE
    raise ctx.error(f"unknown unary operator {op!r}")


def compare(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    op = ctx.node.attr("op")
    _require_defined(ctx, args[:2], f"comparison {op}")
    a, b = args[0], args[1]
    if op in IDENTITY_OPS:
        both_bool = isinstance(a, BoolType) and isinstance(b, BoolType)
        if isinstance(a, NoneType) or isinstance(b, NoneType) or both_bool:
            return BOOL, STATE
        raise ctx.error(f"`{'is not' if op == 'isnot' else 'is'}` between {_pyname(a)} and {_pyname(b)} "
                        "depends on object identity", hint="use == or != to compare numbers")
    if op in EQ_OPS:
        if (is_numeric(a) and is_numeric(b)) or isinstance(a, NoneType) or isinstance(b, NoneType):
            return BOOL, STATE
    elif op in ORDER_OPS:
        if is_numeric(a) and is_numeric(b):
            return BOOL, STATE
    else:
        raise ctx.error(f"unknown comparison operator {op!r}")
    raise ctx.error(f"'{op}' not supported between instances of '{_pyname(a)}' and '{_pyname(b)}'")


def truth(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    _require_defined(ctx, args[:1], "truth test")
    a = args[0]
    if not (is_numeric(a) or isinstance(a, NoneType)):
        raise ctx.error(f"cannot test the truth of a {_pyname(a)}")
    return BOOL, STATE


def call(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    callee = ctx.node.attr("callee")
    if not isinstance(callee, str):
        raise ctx.error("py.call needs a `callee` attribute naming the function")
    _require_defined(ctx, args[:-1], f"call of {callee}")
    return type_call(ctx, callee, args[:-1]), STATE


def printable(t: Type) -> bool:
    """What `print` shows in compiled code: Python's scalars, strs, None, tuples of them and arrays."""
    from jitlab.ir.types import ArrayType, NoneType, TupleType

    if isinstance(t, TupleType):
        return all(printable(item) for item in t.items)
    return isinstance(t, (BoolType, IntType, FloatType, ComplexType, NoneType, ArrayType, StrType))


def print_(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    """`print(...)`: an effect on the state token (`py.print {format}` of its values)."""
    if not isinstance(ctx.node.attr("format"), str):
        raise ctx.error("py.print needs a `format` string attribute")
    _require_defined(ctx, args[:-1], "a printed value")
    for t in args[:-1]:
        if not printable(t):
            raise ctx.error(f"print() of a {t} value is not supported (numbers, strs, None, tuples of them "
                            "and arrays are)",
                            hint="convert it first, e.g. float(x)" if isinstance(t, (FloatType, ComplexType))
                            else None)
    return (STATE,)


def raise_(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    """`raise E(message)` / a failed `assert`: only the state flows on."""
    exc, message = ctx.node.attr("exc"), ctx.node.attr("message")
    if exception_class(exc) is None:
        raise ctx.error(f"py.raise needs a builtin exception name, not {exc!r}")
    if message is not None and not isinstance(message, str):
        raise ctx.error(f"the message of a raised {exc} must be a string, not {message!r}")
    fmt = ctx.node.attr("format")
    if fmt is None and len(args) > 1:
        raise ctx.error(f"raise {exc}(...) with values computed at run time needs a `format` attribute")
    if fmt is not None and not isinstance(fmt, str):
        raise ctx.error(f"the format of a raised {exc}'s message must be a string, not {fmt!r}")
    _require_defined(ctx, args[:-1], f"the message of a raised {exc}")
    for t in args[:-1]:
        if not (isinstance(t, (BoolType, IntType, StrType)) or t in (F64, C128)):
            raise ctx.error(f"cannot show a {t} value in an exception message (ints, bools, float64, "
                            "complex128 and str values can be shown)",
                            hint="convert it first, e.g. float(x)" if isinstance(t, (FloatType, ComplexType))
                            else None)
    return (STATE,)


def catch(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    """`py.catch`: whether an exception is pending, the exception, the state."""
    return BOOL, EXC, STATE


def _require_exc(ctx: RuleContext, t: Type, what: str) -> None:
    if not isinstance(t, (ExcType, UndefType)):
        raise ctx.error(f"{what} needs a caught exception, not a {_pyname(t)}")


def exc_match(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    """`except E`: the names must be builtin exception classes."""
    _require_exc(ctx, args[0], "except clause")
    classes = ctx.node.attr("exc")
    for name in classes if isinstance(classes, tuple) else (classes,):
        if exception_class(name) is None:
            raise ctx.error(f"except {name!r}: not a builtin exception class")
    return BOOL, STATE


def reraise(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    _require_exc(ctx, args[0], "raise")
    return (STATE,)
