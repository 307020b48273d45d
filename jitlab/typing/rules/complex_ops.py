"""Typing rules of complex numbers: Python's `complex` (`c128`) and NumPy's `complex64` (`c64`).

Each rule handles its op when a complex value is involved and hands everything
else to the rule it wraps (`array_ops`, `py`), as `array_ops` does for arrays.
Python's rules:

* `1j` is a `py.const {value = (0.0, 1.0), complex = true}` (the frontend writes a
  complex constant as its two parts: the text format has no complex literal);
* `+ - * / **` mix complex with int, float and bool (NumPy promotion: `c128` with
  anything but `c64`); `// % & | ^ << >>` on a complex operand are a TypingError, as
  CPython's TypeError;
* `==` and `!=` compare with any number; `< <= > >=` are a TypingError;
* `-z`, `+z`, `not z`, `bool(z)`; `~z` is an error;
* `z.real`, `z.imag` (floats of the part type), `z.conjugate()`;
* `complex()`, `complex(x)`, `complex(x, y)` of real numbers, or `complex(z)` of a complex;
  `abs(z)` is a float of the part type;
* the `cmath` functions take numbers (a real one is promoted): `sqrt`, `exp`, `log` (and its
  base), `log10`, the trigonometric and hyperbolic functions and their inverses give a complex,
  `phase` a float, `polar` a (float, float) tuple, `rect(r, phi)` of reals a complex,
  `isnan`/`isinf`/`isfinite`/`isclose` a bool (`backend/llvm/lower_cmath.py`).
"""
from __future__ import annotations

from jitlab.ir.types import BOOL, C128, F64, STATE, ArrayType, ComplexType, TupleType, Type

from ..infer import RuleContext
from ..lattice import is_number, is_numeric, promote
from . import array_ops, py

COMPLEX_ARITH = {"+", "-", "*", "/", "**"}
CMATH_PREDICATES = {"isnan", "isinf", "isfinite"}
CMATH_UNARY = {"sqrt", "exp", "log10", "acos", "acosh", "asin", "asinh", "atan", "atanh",
               "cos", "cosh", "sin", "sinh", "tan", "tanh", "phase", "polar", *CMATH_PREDICATES}
CMATH_ARITY = {"log": (1, 2), "rect": (2, 2), "isclose": (2, 4)}


pyname = py._pyname


def _scalar_complex(args: list[Type]) -> bool:
    """A complex operand and no array (elementwise ops on arrays belong to `array_ops`)."""
    return any(isinstance(t, ComplexType) for t in args) and not any(isinstance(t, ArrayType) for t in args)


def const(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    if ctx.node.attr("complex"):
        value = ctx.node.attr("value")
        if not (isinstance(value, tuple) and len(value) == 2 and all(type(v) is float for v in value)):
            raise ctx.error(f"a complex constant is a pair of floats (real, imag), not {value!r}")
        return (C128,)
    return array_ops.const(ctx, args)


def binop(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    if not _scalar_complex(args[:2]):
        return array_ops.binop(ctx, args)
    op, (a, b) = ctx.node.attr("op"), args[:2]
    if op not in COMPLEX_ARITH or not (is_number(a) and is_number(b)):
        raise ctx.error(f"unsupported operand type(s) for {op}: '{pyname(a)}' and '{pyname(b)}'",
                        hint="complex numbers support + - * / ** only" if op in py.ARITH_OPS | py.BIT_OPS
                        else None)
    return promote(a, b), STATE


def unop(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, op = args[0], ctx.node.attr("op")
    if not isinstance(a, ComplexType):
        return array_ops.unop(ctx, args)
    if op == "not":
        return BOOL, STATE
    if op in ("-", "+"):
        return a, STATE
    raise ctx.error(f"bad operand type for unary {op}: 'complex'")


def compare(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    if not _scalar_complex(args[:2]):
        return array_ops.compare(ctx, args)
    op, (a, b) = ctx.node.attr("op"), args[:2]
    if op in py.EQ_OPS and is_number(a) and is_number(b):
        return BOOL, STATE
    if op in py.IDENTITY_OPS:
        raise ctx.error("`is` between complex numbers depends on object identity", hint="use == or !=")
    raise ctx.error(f"'{op}' not supported between instances of '{pyname(a)}' and '{pyname(b)}'")


def truth(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    if isinstance(args[0], ComplexType):
        return BOOL, STATE
    return py.truth(ctx, args)


def getattr_(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, name = args[0], ctx.node.attr("name")
    if isinstance(a, ComplexType):
        if name in ("real", "imag"):
            return a.part, STATE
        raise ctx.error(f"complex has no supported attribute {name!r}", hint="supported: real, imag")
    return array_ops.getattr_(ctx, args)


def callmethod(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, name = args[0], ctx.node.attr("name")
    if isinstance(a, ComplexType):
        if name == "conjugate" and len(args) == 2:
            return a, STATE
        raise ctx.error(f"complex has no supported method {name!r}", hint="supported: conjugate()")
    return array_ops.callmethod(ctx, args)


def _complex_call(ctx: RuleContext, callee: str, args: list[Type]) -> Type | None:
    """The result type of a call that involves complex numbers, or None when it does not."""
    if callee == "builtins.complex":
        if ctx.node.attr("kwnames"):
            raise ctx.error("complex() with keyword arguments is not supported", hint="complex(real, imag)")
        if len(args) > 2:
            raise ctx.error(f"complex() takes at most 2 arguments ({len(args)} given)")
        if len(args) == 1 and isinstance(args[0], ComplexType):
            return C128
        for t in args:
            if not is_numeric(t):
                raise ctx.error(f"complex() argument must be a real number here, not '{pyname(t)}'",
                                hint="complex(real, imag) with int, float or bool parts")
        return C128
    if callee == "builtins.abs" and len(args) == 1 and isinstance(args[0], ComplexType):
        return args[0].part
    if callee == "builtins.bool" and len(args) == 1 and isinstance(args[0], ComplexType):
        return BOOL
    if callee.startswith("cmath."):
        return _cmath_call(ctx, callee[len("cmath."):], args)
    return None


def _cmath_call(ctx: RuleContext, name: str, args: list[Type]) -> Type:
    kwnames = ctx.node.attr("kwnames") or ()
    if kwnames and (name != "isclose" or any(k not in ("rel_tol", "abs_tol") for k in kwnames)
                    or len(set(kwnames)) != len(kwnames) or len(args) - len(kwnames) != 2):
        raise ctx.error(f"{name}() got an unsupported keyword argument",
                        hint="only cmath.isclose(a, b, rel_tol=..., abs_tol=...) takes keywords")
    lo, hi = CMATH_ARITY.get(name, (1, 1))
    if name not in CMATH_ARITY and name not in CMATH_UNARY:
        raise ctx.error(f"unsupported cmath function cmath.{name}",
                        hint="supported: " + ", ".join(sorted({*CMATH_UNARY, *CMATH_ARITY})))
    if not lo <= len(args) <= hi:
        want = str(lo) if lo == hi else f"{lo} to {hi}"
        raise ctx.error(f"{name}() takes {want} arguments ({len(args)} given)")
    real_only = name == "rect" or (name == "isclose" and len(kwnames) < len(args) - 2)
    for k, t in enumerate(args):
        if not is_number(t) or (isinstance(t, ComplexType) and (name == "rect" or (real_only and k >= 2))):
            raise ctx.error(f"must be real number, not {pyname(t)}" if name == "rect" or k >= 2
                            else f"must be a number, not {pyname(t)}")
    if name == "phase":
        return F64
    if name in CMATH_PREDICATES or name == "isclose":
        return BOOL
    if name == "polar":
        return TupleType((F64, F64))
    return C128


def call(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    callee = ctx.node.attr("callee")
    if isinstance(callee, str):
        result = _complex_call(ctx, callee, args[:-1])
        if result is not None:
            return result, STATE
    return py.call(ctx, args)
