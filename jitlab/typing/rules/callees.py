"""Typing rules of `py.call` by callee: builtins, `math`, and jitted `global:` functions.

The result types follow Python: `math.floor`/`math.ceil` and `round(x)` give
`int`, `round(x, n)` keeps the type of `x`, every other `math` function gives a
float, `min`/`max` give the common type of their arguments (NumPy promotion, so
`max(1, 2.5)` is a float even when the int wins — the one place where jitlab
returns a value Python would have kept as `int`).  A `global:g` callee is typed
by `resolve_call("g", argtypes)`, which compiles `g` for those types and gives its
return type and native symbol; the symbol is recorded as the node's `symbol`
attribute for the backend.  A `closure:g:LINE` callee (a nested function, its captured
variables first) is resolved the same way, by its full name.
"""
from __future__ import annotations

from collections.abc import Callable

from jitlab.ir.types import (
    BOOL, F64, I64, BoolType, ComplexType, FloatType, FunctionValueType, IntType, NoneType, RangeIterType,
    TupleType, Type,
)
from jitlab.lib import CALLS

from ..infer import RuleContext
from ..lattice import is_integer, is_numeric, promote
from . import arrays, gpu, iterators, library, numpy_calls, random_calls

# Keyword parameter names accepted per callee (`round(x, ndigits=2)`).
KEYWORDS = {"builtins.round": ("number", "ndigits"),
            "math.isclose": ("a", "b", "rel_tol", "abs_tol")}

MATH_UNARY_FLOAT = {"sqrt", "exp", "log", "sin", "cos", "tan", "fabs", "asin", "acos", "atan", "sinh",
                    "cosh", "tanh", "asinh", "acosh", "atanh", "log10", "log2", "log1p", "expm1",
                    "exp2", "erf", "erfc", "cbrt", "degrees", "radians", "gamma", "lgamma"}
MATH_BINARY_FLOAT = {"atan2", "pow", "copysign", "fmod", "remainder"}
MATH_INT = {"gcd", "lcm", "factorial", "isqrt", "comb", "perm"}  # int arguments only (floats: TypeError)
_INT_ARITY = {"gcd": (0, 64), "lcm": (0, 64), "comb": (2, 2), "perm": (1, 2)}


def _arity(ctx: RuleContext, callee: str, args: list[Type], lo: int, hi: int) -> None:
    if not lo <= len(args) <= hi:
        want = str(lo) if lo == hi else f"{lo} to {hi}"
        raise ctx.error(f"{callee.split('.')[-1]}() takes {want} arguments ({len(args)} given)")


def _numeric(ctx: RuleContext, callee: str, args: list[Type]) -> None:
    for t in args:
        if not is_numeric(t):
            raise ctx.error(f"{callee.split('.')[-1]}() needs numbers, got {t}")


def _abs(ctx, callee, args):
    _arity(ctx, callee, args, 1, 1)
    _numeric(ctx, callee, args)
    return promote(args[0])


def _minmax(ctx, callee, args):
    if len(args) < 2:
        raise ctx.error(f"{callee.split('.')[-1]}() of one iterable argument is not supported",
                        hint="pass two or more numbers")
    _numeric(ctx, callee, args)
    return promote(*args)


def _divmod(ctx, callee, args):
    _arity(ctx, callee, args, 2, 2)
    _numeric(ctx, callee, args)
    t = promote(*args)
    if not isinstance(t, (IntType, FloatType)):
        raise ctx.error(f"divmod() of {args[0]} and {args[1]} is not supported",
                        hint="divmod() takes int and float numbers")
    return TupleType((t, t))


def _pow(ctx, callee, args):
    """`pow(a, e, m)` (two-argument `pow` is `**`, made by the frontend): integers only."""
    _arity(ctx, callee, args, 3, 3)
    for t in args:
        if not is_integer(t):
            raise ctx.error(f"pow() with a modulus needs integers, got {t}",
                            hint="pow() 3rd argument not allowed unless all arguments are integers")
    return I64


def _int(ctx, callee, args):
    _arity(ctx, callee, args, 0, 1)
    _numeric(ctx, callee, args)
    return I64


def _float(ctx, callee, args):
    _arity(ctx, callee, args, 0, 1)
    _numeric(ctx, callee, args)
    return F64


def _bool(ctx, callee, args):
    _arity(ctx, callee, args, 0, 1)
    for t in args:
        if not (is_numeric(t) or isinstance(t, NoneType)):
            raise ctx.error(f"bool() of {t} is not supported")
    return BOOL


def _round(ctx, callee, args):
    _arity(ctx, callee, args, 1, 2)
    _numeric(ctx, callee, args[:1])
    if len(args) == 1 or isinstance(args[1], NoneType):
        return I64
    if not is_integer(args[1]):
        raise ctx.error(f"round() ndigits must be an integer, not {args[1]}")
    return promote(args[0])


def _range(ctx, callee, args):
    _arity(ctx, callee, args, 1, 3)
    for t in args:
        if not is_integer(t):
            raise ctx.error(f"range() needs integers, got {t}",
                            hint="'float' object cannot be interpreted as an integer")
    return RangeIterType(I64)


def _math(ctx, callee, args):
    name = callee[len("math."):]
    _numeric(ctx, callee, args)
    if name in MATH_UNARY_FLOAT:
        _arity(ctx, callee, args, 1, 2 if name == "log" else 1)
        return F64
    if name in MATH_BINARY_FLOAT:
        _arity(ctx, callee, args, 2, 2)
        return F64
    if name == "hypot":  # any number of coordinates
        _arity(ctx, callee, args, 0, 255)
        return F64
    if name in ("floor", "ceil", "trunc"):
        _arity(ctx, callee, args, 1, 1)
        return I64
    if name in ("isnan", "isinf", "isfinite"):
        _arity(ctx, callee, args, 1, 1)
        return BOOL
    if name in MATH_INT:
        _arity(ctx, callee, args, *_INT_ARITY.get(name, (1, 1)))
        for t in args:
            if not is_integer(t):
                raise ctx.error(f"math.{name}() needs integers, got {t}",
                                hint=f"'{t}' object cannot be interpreted as an integer")
        return I64
    if name == "ldexp":
        _arity(ctx, callee, args, 2, 2)
        if not is_integer(args[1]):
            raise ctx.error(f"math.ldexp() exponent must be an integer, got {args[1]}")
        return F64
    if name in ("frexp", "modf"):
        _arity(ctx, callee, args, 1, 1)
        return TupleType((F64, I64 if name == "frexp" else F64))
    if name == "isclose":
        _arity(ctx, callee, args, 2, 4)
        return BOOL
    raise ctx.error(f"unsupported math function {callee}",
                    hint="math.dist, math.prod and math.fsum take a list or a tuple")


def _isinstance(ctx: RuleContext, callee: str, args: list[Type]) -> Type:
    """`isinstance(x, (int, float))`: decided by `x`'s type (a bool is an int, as in Python; any
    integer type is an int and any float type a float, as in Numba), so the branch it guards is
    typed alone."""
    t = args[0]
    kinds = {"builtins.bool": isinstance(t, BoolType),
             "builtins.int": isinstance(t, (IntType, BoolType)),
             "builtins.float": isinstance(t, FloatType),
             "builtins.complex": isinstance(t, ComplexType),
             "builtins.str": str(t) == "str"}
    result = any(kinds[c] for c in ctx.node.attr("classes"))
    ctx.attrs["result"] = result
    ctx.inferer.decided[ctx.node.outputs[0].name] = result
    return BOOL


BUILTINS: dict[str, Callable] = {
    "builtins.isinstance": _isinstance,
    "builtins.abs": _abs, "builtins.min": _minmax, "builtins.max": _minmax,
    "builtins.int": _int, "builtins.float": _float, "builtins.bool": _bool,
    "builtins.round": _round, "builtins.range": _range, "builtins.len": arrays.length,
    "builtins.divmod": _divmod, "builtins.pow": _pow, **iterators.CALLEES,
}


def positional_args(ctx: RuleContext, callee: str, n_args: int) -> None:
    """Reject keyword arguments a callee does not take (kwnames name the trailing inputs)."""
    kwnames = ctx.node.attr("kwnames") or ()
    if not kwnames:
        return
    allowed = KEYWORDS.get(callee, ())
    for i, kw in enumerate(kwnames):
        position = n_args - len(kwnames) + i
        # math.isclose's tolerances are keyword-only: any of them, in any order (lowering maps names)
        matches = kw in allowed[position:] if callee == "math.isclose" else \
            position < len(allowed) and allowed[position] == kw
        if not matches or kwnames.count(kw) > 1:
            raise ctx.error(f"{callee.split('.')[-1]}() got an unsupported keyword argument {kw!r}")


def _call_value(ctx: RuleContext, args: list[Type]) -> Type:
    """`g(x)` of a function passed as an argument (`function<g:DIGEST>`): the specialisation of
    that function for these argument types, resolved as `function:DIGEST`."""
    f = args[0] if args else None
    if not isinstance(f, FunctionValueType):
        raise ctx.error(f"call of a value of type {f}",
                        hint="only functions (jitted, or plain Python ones jitlab compiles) can be called")
    result, symbol = ctx.resolve_call(f"function:{f.name}:{f.digest}", tuple(args[1:]))
    ctx.attrs["symbol"] = symbol
    return result


def type_call(ctx: RuleContext, callee: str, args: list[Type]) -> Type:
    if callee in CALLS:
        result = library.type_call(ctx, callee, args)
        if result is not None:
            return result
    if random_calls.is_random(callee):
        return random_calls.type_call(ctx, callee, args)
    if callee.startswith("numpy."):
        return numpy_calls.type_call(ctx, callee, args)
    if callee == "value":
        return _call_value(ctx, args)
    positional_args(ctx, callee, len(args))
    if callee in BUILTINS:
        return BUILTINS[callee](ctx, callee, args)
    if callee.startswith("math."):
        return _math(ctx, callee, args)
    if callee.startswith(gpu.PREFIX):
        return gpu.type_call(ctx, callee, args)
    if callee.startswith("global:"):
        name = callee[len("global:"):]
        result, symbol = ctx.resolve_call(name, tuple(args))
        ctx.attrs["symbol"] = symbol
        return result
    if callee.startswith(("closure:", "cell:")):  # a nested function of this one, lifted
        # (frontend/closures.py), or a function held in a closure cell
        result, symbol = ctx.resolve_call(callee, tuple(args))
        ctx.attrs["symbol"] = symbol
        return result
    if callee.startswith("rec:") and ctx.inferer.resolve_rec is not None:
        # A λ of the same φ: the specialisation for these types, its return type so far.
        result, spec = ctx.inferer.resolve_rec(callee[len("rec:"):], tuple(args))
        ctx.attrs["callee"] = f"rec:{spec}"
        return result
    raise ctx.error(f"call of unsupported function {callee}")
