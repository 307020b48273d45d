"""Typing of the NumPy calls compiled from jitlab Python (`jitlab.lib`: `np.linalg.det`, …).

The rule checks the array arguments (dimensions, dtypes) so a wrong call is a typing error that
names NumPy's function, picks the implementation from the call's `static` attribute (`qr`'s
mode, `norm`'s ord), has the resolver compile it for the argument types (callee
`lib:module.function`, as a jitted global is compiled) and records its native symbol (`symbol`)
and name (`library`) on the node; its return type is the implementation's.
"""
from __future__ import annotations

from jitlab.ir.types import ArrayType, BoolType, ComplexType, FloatType, IntType, NoneType, TupleType, Type
from jitlab.lib import CALLS

from ..infer import RuleContext


def _not_an_array(t: Type, allowed: tuple):
    """What `ndims` records for a non-array input its entry allows (0 a number, -1 None, "tuple"
    a tuple of numbers), else None."""
    if isinstance(t, NoneType) and -1 in allowed:
        return -1
    numeric = (IntType, FloatType, BoolType, ComplexType)
    if 0 in allowed and isinstance(t, numeric):
        return 0
    if "tuple" in allowed and isinstance(t, TupleType) and all(isinstance(x, numeric) for x in t.items):
        return "tuple"
    return None


def type_call(ctx: RuleContext, callee: str, args: list[Type]) -> Type | None:
    """The result type of a library call, or None for a call the NumPy rules type natively
    (`np.linalg.norm(x)` with no `ord`)."""
    lib = CALLS[callee]
    static = dict(ctx.node.attr("static") or ())
    if callee == "numpy.linalg.norm" and not static:
        return None
    short = callee.removeprefix("numpy.")
    ndims = []
    for i, (name, t) in enumerate(zip(lib.runtime_params(), args)):
        allowed = lib.arrays[i] if i < len(lib.arrays) else None
        if allowed is None:
            if isinstance(t, ArrayType):
                raise ctx.error(f"{short}() argument {name} must be a number or None, not {t}")
            ndims.append(None)
            continue
        if not isinstance(t, ArrayType):
            other = _not_an_array(t, allowed)
            if other is not None:
                ndims.append(other)
                continue
        kinds = (IntType, FloatType, ComplexType, *((BoolType,) if lib.any_dtype else ()))
        if not isinstance(t, ArrayType) or not isinstance(t.dtype, kinds):
            what = "an array" if any(type(k) is int and k > 0 for k in allowed) else "a value"
            raise ctx.error(f"{short}() argument {name} must be {what} of numbers, not {t}",
                            hint="pass a NumPy array of an int, float or complex dtype")
        allowed = tuple(k for k in allowed if type(k) is int and k > 0)
        if not allowed:
            raise ctx.error(f"{short}() argument {name} must be a number, not {t}")
        if t.ndim not in allowed:
            if t.ndim > max(allowed):
                what = "more than one stack axis is" if 3 in allowed else "stacked matrices are"
                raise ctx.error(f"{short}() of a {t.ndim}-d array: {what} not supported "
                                f"(argument {name} must be {' or '.join(map(str, allowed))}-d)",
                                hint="loop over the leading axes")
            raise ctx.error(f"{short}() argument {name} must be a {' or '.join(map(str, allowed))}-d "
                            f"array, not {t.ndim}-d")
        ndims.append(t.ndim)
    try:
        is_complex = any(isinstance(t, ArrayType) and isinstance(t.dtype, ComplexType) for t in args)
        impl = lib.select(static, tuple(ndims), is_complex)
    except ValueError as exc:
        raise ctx.error(f"{short}(): {exc}") from None
    result, symbol = ctx.resolve_call(f"lib:{impl}", tuple(args))
    ctx.attrs["symbol"] = symbol
    ctx.attrs["library"] = impl
    return result
