"""Typing rules of `py.call` to NumPy: allocation (`np.zeros`, `np.arange`, …) and ufuncs.

Result dtypes come from NumPy itself (`numpy_result`: the operation applied to
empty arrays of the operand dtypes), never from a table of ours.  A Python
scalar operand is "weak" as in NumPy 2 (NEP 50): `float32_array * 2.0` stays
float32.  Dtype arguments are `dtype<…>` values: a `py.const` string naming a
dtype (`"float64"`, `"f4"`; the frontend turns `np.float64` into one) or
`a.dtype`.  Allocation gives a C-contiguous array (`*_like` of an F array gives
an F array, as NumPy's default `order="K"` does).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from jitlab.ir.types import (BOOL, C128, F64, I64, NONE, ArrayType, BoolType, ComplexType, DTypeType,
                             NoneType, TupleType, Type)

from ..infer import RuleContext
from ..lattice import from_dtype, is_integer, is_numeric, to_dtype
from . import array_extras, axes_views

# callee -> positional parameter names (keywords may name any of them)
ALLOCATORS = {
    "numpy.empty": ("shape", "dtype"),
    "numpy.zeros": ("shape", "dtype"),
    "numpy.ones": ("shape", "dtype"),
    "numpy.full": ("shape", "fill_value", "dtype"),
    "numpy.empty_like": ("prototype", "dtype"),
    "numpy.zeros_like": ("a", "dtype"),
    "numpy.ones_like": ("a", "dtype"),
    "numpy.full_like": ("a", "fill_value", "dtype"),
    "numpy.arange": ("start", "stop", "step", "dtype"),
    "numpy.linspace": ("start", "stop", "num", "endpoint"),
}
UNARY_UFUNCS = {
    "sqrt",
    "exp",
    "log",
    "log2",
    "log10",
    "sin",
    "cos",
    "tan",
    "arcsin",
    "arccos",
    "arctan",
    "sinh",
    "cosh",
    "tanh",
    "abs",
    "absolute",
    "fabs",
    "floor",
    "ceil",
    "trunc",
    "negative",
    "square",
    "exp2",
    "expm1",
    "log1p",
    "conjugate",
    "conj",
    "isnan",
    "isinf",
    "isfinite",
    "sign",
    "invert",
    "logical_not",
    "rint",
    "angle",
    "deg2rad",
    "radians",
    "rad2deg",
    "degrees",
    "cbrt",
    "reciprocal",
    "positive",
}
PARTS = ("real", "imag")  # `np.real(a)`, `np.imag(a)`: views of an array's parts, like `a.real`
UFUNC_ALIASES = {"absolute": "abs", "conj": "conjugate"}
BINARY_UFUNCS = {
    "add": "+",
    "subtract": "-",
    "multiply": "*",
    "divide": "/",
    "true_divide": "/",
    "floor_divide": "//",
    "power": "**",
    "maximum": "maximum",
    "minimum": "minimum",
    "arctan2": "arctan2",
    "hypot": "hypot",
    "mod": "%",
    "remainder": "%",
    "bitwise_and": "&",
    "bitwise_or": "|",
    "bitwise_xor": "^",
    "left_shift": "<<",
    "right_shift": ">>",
    "less": "<",
    "less_equal": "<=",
    "greater": ">",
    "greater_equal": ">=",
    "equal": "==",
    "not_equal": "!=",
    **{name: name for name in ("logical_and", "logical_or", "logical_xor", "fmax", "fmin", "copysign", "fmod",
                               "nextafter", "logaddexp", "logaddexp2", "heaviside")},  # lower_ufuncs.py
}
# elementwise functions of several operands (NumPy broadcasting), computed by the backend's `scalar_op`
NARY_FUNCS = {"where": 3, "clip": 3, "round": (1, 2), "around": (1, 2)}
# `np.sum(a)` is `a.sum()`: NumPy functions of one array that are its methods
ARRAY_FUNCTIONS = {"sum": "sum", "prod": "prod", "min": "min", "max": "max", "amin": "min", "amax": "max",
                   "mean": "mean", "std": "std", "var": "var", "argmin": "argmin", "argmax": "argmax",
                   "any": "any", "all": "all", "cumsum": "cumsum", "cumprod": "cumprod", "copy": "copy",
                   "count_nonzero": "count_nonzero", "median": "median", "nansum": "nansum",
                   "nanprod": "nanprod", "nanmean": "nanmean", "nanmin": "nanmin", "nanmax": "nanmax",
                   "trace": "trace"}
_BINARY_FUNCS = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": np.true_divide,
    "//": np.floor_divide,
    "%": np.remainder,
    "**": np.power,
    "&": np.bitwise_and,
    "|": np.bitwise_or,
    "^": np.bitwise_xor,
    "<<": np.left_shift,
    ">>": np.right_shift,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
    "maximum": np.maximum,
    "minimum": np.minimum,
    "arctan2": np.arctan2,
    "hypot": np.hypot,
    **{name: getattr(np, name) for name in ("logical_and", "logical_or", "logical_xor", "fmax", "fmin",
                                            "copysign", "fmod", "nextafter", "logaddexp", "logaddexp2",
                                            "heaviside")},
}
_WEAK = {"b": True, "i": 1, "u": 1, "f": 1.0}


def _operand(t: Type):
    """An empty array of `t`'s dtype, or a weak Python scalar for a scalar type."""
    if isinstance(t, ArrayType):
        return np.empty(0, to_dtype(t.dtype))
    if t == I64:
        return 1
    if t == F64:
        return 1.0
    if t == BOOL:
        return True
    if t == C128:
        return 1j
    return to_dtype(t).type(1)  # a sized scalar (i32, f32) is strong


@cache
def numpy_result(op: str, types: tuple[Type, ...]) -> Type | None:
    """The element type NumPy gives `op` (a `_BINARY_FUNCS` key or a unary ufunc name), None if it refuses."""
    func = _BINARY_FUNCS.get(op, getattr(np, op, None)) if len(types) == 2 else getattr(np, op)
    try:
        with np.errstate(all="ignore"):
            result = func(*(_operand(t) for t in types))
    except (TypeError, np.exceptions.DTypePromotionError):
        return None
    try:
        return from_dtype(np.asarray(result).dtype)
    except TypeError:
        return None


# what compiled code computes on complex items (elementwise and NumPy scalar functions)
COMPLEX_OPS = {"+", "-", "*", "/", "**", "==", "!=", "<", "<=", ">", ">=", "maximum", "minimum", "negative",
               "abs", "conjugate", "real", "imag", "square", "sqrt", "exp", "log", "log2", "log10", "exp2",
               "expm1", "log1p", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
               "isnan", "isinf", "isfinite", "where", "sign", "round", "clip", "angle"}


def _check_complex(ctx: RuleContext, op: str, types) -> None:
    if op not in COMPLEX_OPS and any(isinstance(getattr(t, "dtype", t), ComplexType) for t in types):
        raise ctx.error(f"{op} on complex values is not supported",
                        hint="complex arrays support + - * / ** and comparisons, np.abs, np.conj, "
                             "np.negative, np.square, np.maximum/minimum, np.sqrt/exp/log/log2/log10/exp2/"
                             "expm1/log1p, the trigonometric and hyperbolic functions, .real, .imag, "
                             "sum, prod, mean, cumsum, min, max, argmin, argmax")


def elementwise(ctx: RuleContext, op: str, types: list[Type]) -> Type:
    """The array type of an elementwise `op` over arrays and scalars (NumPy broadcasting)."""
    for t in types:
        if not (isinstance(t, (ArrayType, ComplexType)) or is_numeric(t)):
            raise ctx.error(f"unsupported operand type for {op}: {t}")
    _check_complex(ctx, op, types)
    dtype = numpy_result(op, tuple(types))
    if dtype is None:
        raise ctx.error(f"NumPy does not support {op} on {', '.join(map(str, types))}")
    ndim = max(t.ndim for t in types if isinstance(t, ArrayType))
    return ArrayType(dtype, ndim, "C")


def _bind(ctx: RuleContext, callee: str, args: list[Type]) -> dict[str, tuple[int, Type]]:
    """Parameter name -> (input index, type), from positional inputs and `kwnames`."""
    names = ALLOCATORS[callee]
    kwnames = tuple(ctx.node.attr("kwnames") or ())
    n_pos = len(args) - len(kwnames)
    if n_pos > len(names):
        raise ctx.error(f"{callee}() takes at most {len(names)} positional arguments ({n_pos} given)")
    bound = {name: (i, args[i]) for i, name in enumerate(names[:n_pos])}
    for k, kw in enumerate(kwnames):
        if kw not in names:
            raise ctx.error(f"{callee}() got an unsupported keyword argument {kw!r}")
        if kw in bound:
            raise ctx.error(f"{callee}() got multiple values for argument {kw!r}")
        bound[kw] = (n_pos + k, args[n_pos + k])
    return bound


def _dtype(ctx: RuleContext, bound, default: Type) -> Type:
    if "dtype" not in bound or isinstance(bound["dtype"][1], NoneType):
        return default
    t = bound["dtype"][1]
    if not isinstance(t, DTypeType):
        raise ctx.error(
            f"dtype must be a NumPy dtype known at compile time (np.float64, 'f4', a.dtype), not {t}"
        )
    return t.dtype


def shape_ndim(ctx: RuleContext, t: Type, what: str = "shape") -> int:
    if is_integer(t) and t != BOOL:
        return 1
    if isinstance(t, TupleType) and t.items and all(is_integer(i) and i != BOOL for i in t.items):
        return len(t.items)
    raise ctx.error(f"{what} must be an integer or a non-empty tuple of integers, not {t}")


def _require(ctx: RuleContext, callee: str, bound, *names: str) -> None:
    for name in names:
        if name not in bound:
            raise ctx.error(f"{callee}() missing required argument {name!r}")


def _like(ctx: RuleContext, callee: str, bound) -> ArrayType:
    proto = bound.get("prototype", bound.get("a"))[1]
    if not isinstance(proto, ArrayType):
        raise ctx.error(f"{callee}() needs an array, not {proto}")
    return proto


def type_call(ctx: RuleContext, callee: str, args: list[Type]) -> Type:
    name = callee[len("numpy.") :]
    if callee in ALLOCATORS:
        return _allocation(ctx, callee, args)
    if name in JOINS:
        return _join(ctx, callee, name, args)
    if name in ("eye", "identity") and (len(args) > 1 or ctx.node.attr("kwnames")):  # M, k, dtype
        return array_extras.eye_type(ctx, callee, name, args)
    if name in ("array", "asarray") and args and isinstance(args[0], TupleType):  # np.array([[1, 2], [3]])
        return array_extras.array_of_tuple_type(ctx, callee, args)
    if name == "asfortranarray" and len(args) == 1 and isinstance(args[0], ArrayType):
        a = args[0]
        keep = a.layout == "F" or a.ndim == 1 and a.layout == "C"
        return a if keep else ArrayType(a.dtype, a.ndim, "F" if a.ndim > 1 else "C")
    if name in ("eye", "identity") and len(args) == 1:
        if not is_integer(args[0]) or args[0] == BOOL:
            raise ctx.error(f"{callee}() needs an integer size, not {args[0]}")
        return ArrayType(F64, 2, "C")
    if name == "interp" and len(args) == 3:
        for t in args[1:]:
            if not (isinstance(t, ArrayType) and t.ndim == 1 and is_numeric(t.dtype)):
                raise ctx.error(f"{callee}() xp and fp must be 1-d real arrays, not {t}")
        x = args[0]
        if isinstance(x, ArrayType) and is_numeric(x.dtype):
            return ArrayType(F64, x.ndim, "C")
        if not is_numeric(x):
            raise ctx.error(f"{callee}() x must be a number or an array, not {x}")
        return F64
    if name == "average" and args:
        return _average_type(ctx, callee, args)
    if name in ("roll", "bincount", "array_equal", "diag") and args:
        return _misc_type(ctx, callee, name, args)
    if name in ("diff", "flip", "fliplr", "flipud") and args:
        return _along_type(ctx, callee, name, args)
    if name == "outer" and len(args) == 2:
        if not all(isinstance(t, ArrayType) for t in args):
            raise ctx.error(f"{callee}() needs two arrays")
        return ArrayType(elementwise(ctx, "*", args).dtype, 2, "C")
    if name in SEARCHES and len(args) == SEARCHES[name]:
        return _search_type(ctx, callee, name, args)
    if name in ("sort", "argsort") and args:
        from .array_ops import sorted_type

        return sorted_type(ctx, f"{callee}()", args[0], args[1:], ctx.node.inputs[1:len(args)])
    if name in axes_views.FUNCTIONS and args and isinstance(args[0], ArrayType) and (
            name != "transpose" or len(args) > 1):  # np.swapaxes, np.expand_dims, ...: views
        return axes_views.view_type(ctx, name, args[0], args[1:], ctx.node.inputs[1:len(args)], False)
    if name in ARRAY_FUNCTIONS and len(args) >= 2 and isinstance(args[0], ArrayType):
        from .array_ops import axis_reduction

        return axis_reduction(ctx, args[0], ARRAY_FUNCTIONS[name], args[1:], ctx.node.inputs[1:-1])
    if ctx.node.attr("kwnames"):
        raise ctx.error(f"{callee}() with keyword arguments is not supported")
    if name in ARRAY_FUNCTIONS and len(args) == 1:
        from .array_ops import method_result

        if not isinstance(args[0], ArrayType):
            raise ctx.error(f"{callee}() of a {args[0]} is not supported", hint="pass an array")
        return method_result(ctx, args[0], ARRAY_FUNCTIONS[name])
    if name == "matmul" and len(args) == 2:
        from .array_ops import product_type

        return product_type(ctx, "numpy.matmul()", args[0], args[1])
    if name in ("reshape", "ravel", "transpose") and args and isinstance(args[0], ArrayType):
        from .array_ops import shape_method

        return shape_method(ctx, args[0], name, args[1:])
    if name == "dot" and len(args) == 2:
        from .array_ops import product_type

        return product_type(ctx, "numpy.dot()", args[0], args[1])
    if name in ("asarray", "ascontiguousarray") and len(args) == 1 and isinstance(args[0], ArrayType):
        a = args[0]  # an array as it is, or a C copy of a non-C one
        return a if name == "asarray" or a.layout == "C" else ArrayType(a.dtype, a.ndim, "C")
    if name == "where" and len(args) == 1:  # np.where(condition) is np.nonzero(condition)
        return _search_type(ctx, callee, "nonzero", args)
    if name in NARY_FUNCS:
        return _nary(ctx, callee, "round" if name == "around" else name, args)
    if name in PARTS and len(args) == 1 and isinstance(args[0], ArrayType):
        from .array_ops import parts_view

        if isinstance(args[0].dtype, ComplexType):
            return parts_view(args[0])
        if name == "real":
            return args[0]
        raise ctx.error(f"numpy.imag() of a real array {args[0]} is not supported",
                        hint="NumPy gives read-only zeros: use np.zeros_like(a)")
    if name in PARTS and len(args) == 1:
        return _ufunc(ctx, name, args)
    if name in UNARY_UFUNCS and len(args) == 1:
        return _ufunc(ctx, UFUNC_ALIASES.get(name, name), args)
    if name in BINARY_UFUNCS and len(args) == 2:
        return _ufunc(ctx, BINARY_UFUNCS[name], args)
    scalar_type = dtype_of_name(name)
    if scalar_type is not None and len(args) == 1:  # `np.float32(x)`: NumPy's cast
        if is_numeric(args[0]) and is_numeric(scalar_type):
            return scalar_type
        if isinstance(scalar_type, ComplexType) and (is_numeric(args[0]) or isinstance(args[0], ComplexType)):
            return scalar_type  # `np.complex128(x)`
        if isinstance(args[0], ArrayType):
            from .array_ops import shape_method

            return shape_method(ctx, args[0], "astype", [DTypeType(scalar_type)])
    raise ctx.error(f"call of unsupported function {callee} with {len(args)} arguments")


def dtype_of_name(name: str) -> Type | None:
    """The dtype of a NumPy scalar type's name (`float32`, `bool`), None for other names."""
    try:
        return from_dtype(np.dtype(name))
    except TypeError:
        return None


JOINS = ("concatenate", "stack", "vstack", "hstack", "column_stack")
# functions that find items: name -> number of arguments
SEARCHES = {"linalg.norm": 1, "allclose": 2, "isclose": 2, "searchsorted": 2, "nonzero": 1, "flatnonzero": 1,
            "unique": 1}


def _along_type(ctx: RuleContext, callee: str, name: str, args: list[Type]) -> Type:
    """`np.diff(a, n=1, axis=-1)` (a new C array, `n` an integer, maybe known at run time only) and
    `np.flip(a, axis=None)`, `np.fliplr(a)`, `np.flipud(a)` (views with reversed strides)."""
    from .array_ops import along_axis, bind

    a = args[0]
    if not isinstance(a, ArrayType):
        raise ctx.error(f"{callee}() of a {a} is not supported", hint="pass an array")
    inputs = ctx.node.inputs[1:len(args)]
    if name == "diff":
        bound = bind(ctx, f"{callee}()", ("n", "axis"), args[1:], inputs)
        if "n" in bound and (isinstance(bound["n"][0], BoolType) or not is_integer(bound["n"][0])):
            raise ctx.error(f"{callee}() n must be an integer, not {bound['n'][0]}")
        along_axis(ctx, f"{callee}()", a, *bound.get("axis", (None, None)), a.ndim - 1)
        if ctx.attrs.get("axis") is None and not ctx.attrs.get("axis_at_run_time"):
            raise ctx.error(f"{callee}() axis must be an integer, not None")
        return ArrayType(a.dtype, a.ndim, "C")
    if name == "flip":
        bound = bind(ctx, f"{callee}()", ("axis",), args[1:], inputs)
        along_axis(ctx, f"{callee}()", a, *bound.get("axis", (NONE, None)), None)
    elif len(args) != 1:
        raise ctx.error(f"{callee}() takes one array")
    elif a.ndim < (2 if name == "fliplr" else 1):
        raise ctx.error(f"{callee}() of a {a} is not supported", hint="NumPy needs a >= 2-d array")
    else:
        ctx.attrs["axis"] = 1 if name == "fliplr" else 0
    return ArrayType(a.dtype, a.ndim, "A", a.readonly)


def _average_type(ctx: RuleContext, callee: str, args: list[Type]) -> Type:
    """`np.average(a)` (the mean) or `np.average(a, weights=w)` (w of a's shape): a float."""
    kwnames = tuple(ctx.node.attr("kwnames") or ())
    a = args[0]
    if not isinstance(a, ArrayType) or isinstance(a.dtype, ComplexType) or len(args) > 2 \
            or (len(args) == 2 and kwnames != ("weights",)):
        raise ctx.error(f"{callee}() takes a real array and optionally weights=",
                        hint="axis is not supported")
    if len(args) == 1:
        from .array_ops import method_result

        return method_result(ctx, a, "mean")
    w = args[1]
    if not (isinstance(w, ArrayType) and w.ndim == a.ndim and is_numeric(w.dtype)):
        raise ctx.error(f"{callee}() weights must be a real array of the array's shape, not {w}")
    return from_dtype(np.result_type(to_dtype(a.dtype), to_dtype(w.dtype), "f8"))


def _misc_type(ctx: RuleContext, callee: str, name: str, args: list[Type]) -> Type:
    """`np.roll(a, shift)` (flattened, as NumPy without axis), `np.bincount(x[, weights])`,
    `np.array_equal(a, b)`, `np.diag(v)` (1-d: a square matrix; 2-d: the main diagonal)."""
    a = args[0]
    if not isinstance(a, ArrayType) or any(isinstance(getattr(t, "dtype", t), ComplexType) for t in args):
        raise ctx.error(f"{callee}() of a {a} is not supported", hint="pass a real array")
    arity = {"roll": (2, 3), "bincount": (1, 2), "array_equal": (2,), "diag": (1, 2)}[name]
    if len(args) not in arity:
        raise ctx.error(f"{callee}() with {len(args)} arguments is not supported")
    if name in ("roll", "diag") and len(args) > 1 + (name == "roll"):  # np.roll(a, k, axis), np.diag(v, k)
        from .array_ops import along_axis

        extra = args[2] if name == "roll" else args[1]
        if not is_integer(extra) or extra == BOOL:
            raise ctx.error(f"{callee}() {'axis' if name == 'roll' else 'k'} must be an integer, not {extra}")
        if name == "roll":
            along_axis(ctx, f"{callee}()", a, extra, ctx.node.inputs[2], None)
    if name == "roll":
        if not is_integer(args[1]) or args[1] == BOOL:
            raise ctx.error(f"{callee}() shift must be an integer, not {args[1]}")
        return ArrayType(a.dtype, a.ndim, "C")
    if name == "bincount":
        if a.ndim != 1 or not is_integer(a.dtype) or a.dtype == BOOL:
            raise ctx.error(f"{callee}() needs a 1-d array of integers, not {a}")
        if len(args) == 2:
            w = args[1]
            if not (isinstance(w, ArrayType) and w.ndim == 1 and is_numeric(w.dtype)):
                raise ctx.error(f"{callee}() weights must be a 1-d array, not {w}")
            return ArrayType(F64, 1, "C")
        return ArrayType(I64, 1, "C")
    if name == "array_equal":
        if not isinstance(args[1], ArrayType):
            raise ctx.error(f"{callee}() needs two arrays")
        return BOOL
    if a.ndim not in (1, 2):
        raise ctx.error(f"{callee}() needs a 1-d or 2-d array, not {a}")
    return ArrayType(a.dtype, 3 - a.ndim, "C")


def _search_type(ctx: RuleContext, callee: str, name: str, args: list[Type]) -> Type:
    """`np.linalg.norm(a)` (2-norm, Frobenius for a matrix), `np.allclose`/`np.isclose(a, b)`
    (default tolerances), `np.searchsorted(a, v)` (side "left"), `np.nonzero(a)`,
    `np.flatnonzero(a)`, `np.unique(a)` (sorted distinct items, one NaN)."""
    a = args[0]
    if name not in ("searchsorted", "unique") and any(isinstance(getattr(t, "dtype", t), ComplexType)
                                                      for t in args):
        raise ctx.error(f"{callee}() of complex values is not supported yet")
    if name in ("allclose", "isclose"):
        for t in args:
            if not (isinstance(t, ArrayType) or is_numeric(t)):
                raise ctx.error(f"{callee}() needs numbers or arrays, not {t}")
        if name == "allclose":
            elementwise(ctx, "+", args)  # the shapes must broadcast
            return BOOL
        return _ufunc(ctx, "isclose", args)
    if not isinstance(a, ArrayType):
        raise ctx.error(f"{callee}() needs an array, not {a}")
    if name == "linalg.norm":
        if a.ndim > 2:
            raise ctx.error(f"{callee}() of a {a.ndim}-dimensional array is not supported")
        return from_dtype(np.linalg.norm(np.zeros((1,) * a.ndim, to_dtype(a.dtype))).dtype)
    if name == "searchsorted":
        v = args[1]
        if a.ndim != 1:
            raise ctx.error(f"{callee}() needs a 1-d sorted array, not {a}")
        if isinstance(v, ArrayType):
            return ArrayType(I64, v.ndim, "C")
        if not (is_numeric(v) or isinstance(v, ComplexType)):
            raise ctx.error(f"{callee}() of a {v} is not supported")
        return I64
    if name == "nonzero":
        return TupleType((ArrayType(I64, 1, "C"),) * a.ndim)
    if name == "flatnonzero":
        return ArrayType(I64, 1, "C")
    return ArrayType(a.dtype, 1, "C")  # unique


def _join(ctx: RuleContext, callee: str, name: str, args: list[Type]) -> Type:
    """`np.concatenate((a, b, …), axis=k)`, `np.stack((a, b), axis=k)`, `np.vstack`, `np.hstack`,
    `np.column_stack` of a tuple of arrays with the same number of dimensions (`axis` a constant):
    a new C array of NumPy's result dtype.  The node records `axis`, the result's axis the items
    are laid along, and `lift`, where each item gets a new axis of length 1 (stack, vstack and
    column_stack of 1-d arrays)."""
    kwnames = tuple(ctx.node.attr("kwnames") or ())
    takes_axis = name in ("concatenate", "stack")
    if kwnames not in ((), ("axis",)) or (kwnames and not takes_axis) or not 1 <= len(args) <= 2 \
            or (len(args) == 2 and not takes_axis):
        more = " and an axis" if takes_axis else ""
        raise ctx.error(f"{callee}() takes a tuple of arrays{more}")
    seq = args[0]
    if not (isinstance(seq, TupleType) and seq.items and all(isinstance(t, ArrayType) for t in seq.items)):
        raise ctx.error(f"{callee}() needs a tuple of arrays, not {seq}", hint=f"write np.{name}((a, b))")
    ndim = seq.items[0].ndim
    flat = len(args) == 2 and name == "concatenate" and isinstance(args[1], NoneType)
    if any(t.ndim != ndim for t in seq.items) and not flat:
        raise ctx.error(f"{callee}() of arrays with different numbers of dimensions is not supported")
    dtype = from_dtype(np.result_type(*(to_dtype(t.dtype) for t in seq.items)))
    lift = None
    out_ndim = ndim + 1 if name == "stack" or (name in ("vstack", "column_stack") and ndim == 1) else ndim
    axis = 0
    if flat:  # of the flattened items
        ctx.attrs["flat"] = True
        ctx.attrs["axis"] = 0
        return ArrayType(dtype, 1, "C")
    if len(args) == 2:
        axis = ctx.const(ctx.node.inputs[1])
        if type(axis) is not int or not -out_ndim <= axis < out_ndim:
            raise ctx.error(f"{callee}() axis must be an integer constant in [-{out_ndim}, {out_ndim})")
    if name == "stack":
        lift = axis % out_ndim
    elif name == "hstack" and ndim > 1 or name == "column_stack":
        axis = 1
        lift = 1 if ndim == 1 else None
    elif name == "vstack" and ndim == 1:
        lift = 0
    ctx.attrs["axis"] = axis % out_ndim
    if lift is not None:
        ctx.attrs["lift"] = lift
    return ArrayType(dtype, out_ndim, "C")


def _nary(ctx: RuleContext, callee: str, op: str, args: list[Type]) -> Type:
    """`np.where(c, x, y)`, `np.clip(a, lo, hi)`, `np.round(a, decimals)`."""
    arity = NARY_FUNCS[op]
    if len(args) not in (arity if isinstance(arity, tuple) else (arity,)):
        raise ctx.error(f"{callee}() with {len(args)} arguments is not supported")
    if op == "round" and len(args) == 2:
        if not is_integer(args[1]):
            raise ctx.error(f"{callee}() decimals must be an integer, not {args[1]}")
        item = args[0].dtype if isinstance(args[0], ArrayType) else args[0]
        if is_integer(item):
            raise ctx.error(f"{callee}() of integers with decimals is not supported",
                            hint="integers are already rounded: leave decimals out")
    if op == "where" and not any(isinstance(t, ArrayType) for t in args):
        raise ctx.error(f"{callee}() of scalars is not supported (NumPy gives a 0-d array)",
                        hint="use `x if c else y`")
    return _ufunc(ctx, op, args)


def _ufunc(ctx: RuleContext, op: str, args: list[Type]) -> Type:
    if any(isinstance(t, ArrayType) for t in args):
        return elementwise(ctx, op, args)
    for t in args:
        if not (is_numeric(t) or isinstance(t, ComplexType)):
            raise ctx.error(f"numpy.{op}() needs numbers or arrays, not {t}")
    _check_complex(ctx, op, args)
    result = numpy_result(op, tuple(args))
    if result is None:
        raise ctx.error(f"numpy.{op}() does not support {', '.join(map(str, args))}")
    return result


def _allocation(ctx: RuleContext, callee: str, args: list[Type]) -> Type:
    bound = _bind(ctx, callee, args)
    kind = callee[len("numpy.") :]
    if kind in ("empty", "zeros", "ones", "full"):
        _require(ctx, callee, bound, "shape", *(("fill_value",) if kind == "full" else ()))
        ndim = shape_ndim(ctx, bound["shape"][1])
        default = F64
        if kind == "full":
            fill = bound["fill_value"][1]
            if not (is_numeric(fill) or isinstance(fill, ComplexType)):
                raise ctx.error(f"full() fill_value must be a number, not {fill}")
            default = fill
        return ArrayType(_dtype(ctx, bound, default), ndim, "C")
    if kind.endswith("_like"):
        proto = _like(ctx, callee, bound)
        if kind == "full_like":
            _require(ctx, callee, bound, "fill_value")
            if not is_numeric(bound["fill_value"][1]):
                raise ctx.error(f"full_like() fill_value must be a number, not {bound['fill_value'][1]}")
        return ArrayType(_dtype(ctx, bound, proto.dtype), proto.ndim, "F" if proto.layout == "F" else "C")
    if kind == "arange":
        _require(ctx, callee, bound, "start")
        numbers = [bound[n][1] for n in ("start", "stop", "step") if n in bound]
        for t in numbers:
            if not is_numeric(t):
                raise ctx.error(f"arange() needs numbers, not {t}")
        default = I64 if all(is_integer(t) for t in numbers) else F64
        return ArrayType(_dtype(ctx, bound, default), 1, "C")
    _require(ctx, callee, bound, "start", "stop")  # linspace
    for name in ("start", "stop"):
        if not is_numeric(bound[name][1]):
            raise ctx.error(f"linspace() {name} must be a number, not {bound[name][1]}")
    if "num" in bound and not is_integer(bound["num"][1]):
        raise ctx.error(f"linspace() num must be an integer, not {bound['num'][1]}")
    if "endpoint" in bound and not is_numeric(bound["endpoint"][1]):
        raise ctx.error(f"linspace() endpoint must be a bool, not {bound['endpoint'][1]}")
    return ArrayType(F64, 1, "C")


def bound_arguments(ctx_node_kwnames: tuple[str, ...], callee: str, n_args: int) -> dict[str, int]:
    """Parameter name -> input index for an allocation call (the lowering's view of `_bind`)."""
    names = ALLOCATORS[callee]
    n_pos = n_args - len(ctx_node_kwnames)
    bound = {name: i for i, name in enumerate(names[:n_pos])}
    bound.update({kw: n_pos + k for k, kw in enumerate(ctx_node_kwnames)})
    return bound


__all__ = ["ALLOCATORS", "elementwise", "numpy_result", "type_call", "bound_arguments"]
