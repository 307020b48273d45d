"""Typing rules of whole-array operations: slices, views, methods, operators on arrays.

Each rule here handles its op when an array (or a slice, or a dtype string) is
involved and hands everything else to the scalar rule it wraps (`py.py`,
`arrays.py`), so the scalar rules stay as they are.

* `py.slice` builds `slice<start, stop, step>`; an index made of slices,
  integers and `None` (`a[1:n]`, `a[i, :]`, `a[::-1]`, `a[:, None]`) gives a view:
  one axis per slice, none per integer, a new axis of length 1 per `None`.  A view
  of a C array stays "C" when it keeps whole trailing rows (integers first, then at
  most one slice without a step, then only `:`); other views are strided ("A").
* `a[mask]` and `a[idx]` (a bool array of `a`'s shape, a 1-d integer array) give a new
  array; `a[mask] = x` stores a number or the items of a 1-d array in order,
  `a[idx] = x` a number into a 1-d array;
* assigning to a view (`a[1:3] = v`, `a[i] = row` on a 2-d array) takes a number
  (broadcast) or an array of the view's dimension count;
* `a.T` reverses the axes (C ↔ F), `a.dtype` is a `dtype<…>` value;
* methods: `copy`, `sum`, `prod`, `min`, `max`, `mean`, `std`, `var`, `argmin`,
  `argmax`, `any`, `all`, `cumsum`, `cumprod`, the reductions (and `np.median`,
  `np.count_nonzero`, the `np.nan*` ones) also along one `axis`: a constant (the node's `axis`
  attribute, set by typing) or an integer known at run time (`axis_at_run_time`), with
  `keepdims=`, a tuple axis and `ddof=` typed by `reduce_options.py`; `reshape`,
  `ravel`, `flatten`, `transpose` (no axes), `astype(dtype)`, `sort(axis, kind)`, `fill(x)` (in
  place) (result dtypes from NumPy, `numpy_calls.numpy_result`); a sort's `kind` string is typed
  `none` (only its value matters, read here);
* `+ - * / // % ** & | ^ << >>`, comparisons, unary `-` and `~` on arrays are
  elementwise with NumPy broadcasting and give a new C array; the in-place form
  `a += b` (`inplace`) of an array `a` writes into `a` and gives `a`;
* `a @ b`, `np.dot(a, b)`, `a.dot(b)` of 1-d and 2-d arrays (dtype from `np.dot`).
"""

from __future__ import annotations

import warnings

import numpy as np

from jitlab.ir.types import (
    BOOL,
    I64,
    NONE,
    STATE,
    ArrayType,
    BoolType,
    ComplexType,
    DTypeType,
    FloatType,
    IntType,
    NoneType,
    SliceType,
    TupleType,
    Type,
)

from ..infer import RuleContext
from ..lattice import from_dtype, is_integer, is_numeric, to_dtype
from . import array_extras, arrays, axes_views, fancy_index, py
from .numpy_calls import elementwise

REDUCTIONS = {"sum", "prod", "min", "max", "mean", "std", "var", "argmin", "argmax"}
NAN_REDUCTIONS = {"nansum", "nanprod", "nanmean", "nanmin", "nanmax"}


# -- constants: dtype names ------------------------------------------------------------------
def const(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    value = ctx.node.attr("value")
    if ctx.node.attr("function"):  # a jitted global function as a value (rules/py.py)
        return py.const(ctx, args)
    if value in SORT_KINDS:  # `kind="stable"` of a sort: only its value matters, read at typing
        return (NONE,)
    if isinstance(value, str):
        return (DTypeType(dtype_named(ctx, value)),)
    return py.const(ctx, args)


def dtype_named(ctx: RuleContext, name: str) -> Type:
    try:
        with warnings.catch_warnings():  # a deprecated alias ('a') is no dtype name here
            warnings.simplefilter("error", DeprecationWarning)
            return from_dtype(np.dtype(name.removeprefix("numpy.")))
    except (TypeError, DeprecationWarning):
        raise ctx.error(
            f"constants of type str are only supported as NumPy dtype names ({name!r} is not one)",
            hint="strings are only supported as dtype names",
        ) from None


# -- slices and views ------------------------------------------------------------------------
def slice_(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    for part, t in zip(("start", "stop", "step"), args[:3]):
        if not (isinstance(t, NoneType) or (is_integer(t) and not isinstance(t, BoolType))):
            raise ctx.error(f"slice {part} must be an integer or None, not {t}")
    parts = [ctx.const(name) for name in ctx.node.inputs[:3]]
    if all(p is None or (type(p) is int) for p in parts):  # constant bounds: a tuple can be sliced
        ctx.inferer.const_slices[ctx.node.outputs[0].name] = slice(*parts)
    return SliceType(*args[:3]), STATE


def index_items(index: Type) -> tuple[Type, ...]:
    return index.items if isinstance(index, TupleType) else (index,)


def is_view_index(a: Type, index: Type) -> bool:
    """Whether `a[index]` is a view taken by slicing (not a scalar rule's element or row)."""
    return isinstance(a, ArrayType) and any(isinstance(t, (SliceType, NoneType)) for t in index_items(index))


def view_ndim(a: ArrayType, items: tuple[Type, ...]) -> int:
    """Axes of `a[items]`: one per slice, none per integer, a new one per `None`, then `a`'s rest."""
    used = sum(not isinstance(t, NoneType) for t in items)
    return sum(isinstance(t, (SliceType, NoneType)) for t in items) + a.ndim - used


def view_type(ctx: RuleContext, a: ArrayType, index: Type) -> Type:
    items = index_items(index)
    used = sum(not isinstance(t, NoneType) for t in items)
    if used > a.ndim:
        raise ctx.error(
            f"too many indices for array: {a} is {a.ndim}-dimensional, but {used} were indexed"
        )
    for t in items:
        if not isinstance(t, (SliceType, NoneType)) and (isinstance(t, BoolType) or not is_integer(t)):
            raise ctx.error(f"cannot index {a} with {t}", hint="indices are integers, slices and None")
    ndim = view_ndim(a, items)
    if ndim == 0:
        return a.dtype
    return ArrayType(a.dtype, ndim, _view_layout(a, items), a.readonly)


def _full(t: Type) -> bool:
    return t == SliceType(NONE, NONE, NONE)


def _view_layout(a: ArrayType, items: tuple[Type, ...]) -> str:
    if any(isinstance(t, NoneType) for t in items):
        return "A"
    if all(_full(t) for t in items) and a.layout != "A":
        return a.layout
    if a.layout != "C":
        return "A"
    k = 0
    while k < len(items) and not isinstance(items[k], SliceType):
        k += 1
    if k < len(items) and not isinstance(items[k].step, NoneType):
        return "A"
    return "C" if all(_full(t) for t in items[k + 1 :]) else "A"


def selection_type(ctx: RuleContext, a: ArrayType, index: ArrayType) -> ArrayType:
    """`a[mask]` (a bool array of `a`'s shape: the items where it is true, 1-d) or `a[idx]` (a 1-d
    integer array: the items, or rows, at those indices): a new C array."""
    if isinstance(index.dtype, BoolType):
        if index.ndim != a.ndim:
            raise ctx.error(f"indexing {a} with a boolean {index} is not supported",
                            hint="the mask must have the array's shape")
        return ArrayType(a.dtype, 1, "C")
    if not is_integer(index.dtype) or index.ndim != 1:
        raise ctx.error(f"cannot index {a} with {index}",
                        hint="index with a boolean mask of the same shape or a 1-d integer array")
    return ArrayType(a.dtype, a.ndim, "C")


def getitem(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    if fancy_index.is_fancy(args[0], args[1]):  # a[:, idx], a[rows, cols]
        return fancy_index.fancy_type(ctx, args[0], args[1]), STATE
    if isinstance(args[0], ArrayType) and isinstance(args[1], ArrayType):
        return selection_type(ctx, args[0], args[1]), STATE
    if is_view_index(args[0], args[1]):
        return view_type(ctx, args[0], args[1]), STATE
    return arrays.getitem(ctx, args)


def setitem(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, index, value = args[0], args[1], args[2]
    arrays.check_writable(ctx, a, "cannot assign to a slice" if is_view_index(a, index)
                          else "cannot assign to an element")
    if not isinstance(a, ArrayType):
        return arrays.setitem(ctx, args)
    if fancy_index.is_fancy_store(a, index, value):  # a[:, idx] = x, a[idx] = row or array
        fancy_index.store_type(ctx, a, index, value)
        return (STATE,)
    if isinstance(index, ArrayType):
        selection_type(ctx, a, index)
        mask = isinstance(index.dtype, BoolType)
        values = isinstance(value, ArrayType) and value.ndim == 1 and not isinstance(value.dtype, ComplexType)
        if not (is_numeric(value) or (mask and values)) or (not mask and a.ndim != 1):
            raise ctx.error(f"assigning a {value} to {a} selected by {index} is not supported",
                            hint="a[mask] = number, a[mask] = 1-d array and a[idx] = number (1-d a) are")
        return (STATE,)
    target = (
        view_type(ctx, a, index) if is_view_index(a, index) else arrays.row_type(a, len(index_items(index)))
    )
    if not isinstance(target, ArrayType):
        return arrays.setitem(ctx, args)
    if is_numeric(value):
        return (STATE,)
    if isinstance(value, ArrayType) and value.ndim <= target.ndim:
        return (STATE,)
    raise ctx.error(
        f"cannot assign a {value} value to a view {target}",
        hint="assign a number or an array of the same shape",
    )


# -- attributes and methods ------------------------------------------------------------------
def transposed(a: ArrayType) -> ArrayType:
    return ArrayType(a.dtype, a.ndim, {"C": "F", "F": "C"}.get(a.layout, "A") if a.ndim > 1 else a.layout,
                     a.readonly)


def getattr_(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, name = args[0], ctx.node.attr("name")
    if isinstance(a, ArrayType):
        if name == "T":
            return transposed(a), STATE
        if name == "dtype":
            return DTypeType(a.dtype), STATE
        if name in ("real", "imag") and isinstance(a.dtype, ComplexType):
            return parts_view(a), STATE
        if name == "real":
            return a, STATE  # a real array's `.real` is the array itself
        if name in array_extras.ATTRIBUTES:  # itemsize, nbytes, strides
            return array_extras.attribute_type(a, name), STATE
    return arrays.getattr_(ctx, args)


def parts_view(a: ArrayType) -> ArrayType:
    """The type of `a.real` / `a.imag` of a complex array: a strided view of the parts."""
    return ArrayType(a.dtype.part, a.ndim, "A", a.readonly)


def method_result(ctx: RuleContext, a: ArrayType, name: str) -> Type:
    dtype = to_dtype(a.dtype)
    if name == "copy":
        return ArrayType(a.dtype, a.ndim, "C")
    if name in ("argmin", "argmax"):
        return I64
    if name in ("any", "all"):
        return BOOL
    if name == "count_nonzero":
        return I64
    if name == "trace":
        if a.ndim != 2:
            raise ctx.error(f"trace() of a {a.ndim}-dimensional array is not supported",
                            hint="2-d arrays are")
        return from_dtype(np.zeros((1, 1), dtype).trace().dtype)
    if name in NAN_REDUCTIONS:
        with np.errstate(all="ignore"):
            return from_dtype(getattr(np, name)(np.zeros(1, dtype)).dtype)
    if name == "median":
        return from_dtype(np.median(np.zeros(1, dtype)).dtype)
    if name in ("cumsum", "cumprod"):
        return ArrayType(from_dtype(getattr(np.zeros(1, dtype), name)().dtype), 1, "C")
    if name in REDUCTIONS:
        with np.errstate(all="ignore"):
            return from_dtype(getattr(np.zeros(1, dtype), name)().dtype)
    raise ctx.error(
        f"{a} has no supported method {name!r}",
        hint="supported: copy, sum, prod, min, max, mean, std, var, argmin, argmax, any, all, cumsum, "
             "cumprod, reshape, ravel, flatten, transpose, astype, sort, fill, dot",
    )


SHAPE_METHODS = {"reshape", "ravel", "flatten", "transpose", "astype"}


def shape_method(ctx: RuleContext, a: ArrayType, name: str, extra: list[Type]) -> ArrayType:
    """`a.reshape(n, m)` / `a.reshape((n, m))`, `a.ravel()`, `a.flatten()`, `a.transpose()`,
    `a.astype(dtype)`: a C array (a view of a C array for `reshape`/`ravel`, else a copy)."""
    from .numpy_calls import shape_ndim

    if ctx.node.attr("kwnames"):
        raise ctx.error(f"{name}() with keyword arguments is not supported")
    if name == "reshape":
        if not extra:
            raise ctx.error("reshape() needs a shape")
        if len(extra) == 1:
            return ArrayType(a.dtype, shape_ndim(ctx, extra[0]), "C", a.readonly)
        for t in extra:
            if isinstance(t, BoolType) or not is_integer(t):
                raise ctx.error(f"reshape() dimensions must be integers, not {t}")
        return ArrayType(a.dtype, len(extra), "C", a.readonly)
    if name == "astype":
        if len(extra) != 1 or not isinstance(extra[0], DTypeType):
            raise ctx.error("astype() needs one dtype known at compile time (np.float32, 'i8', a.dtype)")
        if isinstance(extra[0].dtype, ComplexType) or isinstance(a.dtype, ComplexType):
            raise ctx.error("astype() to or from complex is not supported yet")
        return ArrayType(extra[0].dtype, a.ndim, "F" if a.layout == "F" else "C")
    if extra:
        raise ctx.error(f"{name}() with arguments is not supported", hint="axes are not supported")
    if name == "transpose":
        return transposed(a)
    return ArrayType(a.dtype, 1, "C", a.readonly and name == "ravel")  # a view of a constant stays one


def axis_reduction(ctx: RuleContext, a: ArrayType, name: str, extra: list[Type], inputs) -> Type:
    """`a.sum(axis)`, `a.sum(axis=k)`, `np.sum(a, axis=k)`: the reduction along one axis (a cumulative
    sum keeps every axis).  A constant axis is recorded as the node's `axis`, made non-negative; an
    integer known only at run time (or a constant out of range) sets `axis_at_run_time` (the
    backend checks it: NumPy's AxisError); the other axes remain."""
    from .reduce_options import has_options, reduction_type

    if has_options(ctx, name, extra):  # keepdims=, ddof=, a tuple axis
        return reduction_type(ctx, a, name, extra, inputs, method_result(ctx, a, name))
    kwnames = tuple(ctx.node.attr("kwnames") or ())
    if len(extra) != 1 or kwnames not in ((), ("axis",)) or name not in AXIS_REDUCTIONS:
        raise ctx.error(f"{name}() with these arguments is not supported on arrays",
                        hint="reductions take `axis` (an integer, None or a constant tuple), `keepdims` and "
                             "(std, var) `ddof`, no dtype or out")
    if isinstance(extra[0], NoneType):
        return method_result(ctx, a, name)
    cumulative = name in ("cumsum", "cumprod")
    result = method_result(ctx, a, name)
    if cumulative:
        result = result.dtype
    axis = ctx.const(inputs[0])
    if type(axis) is not int or not -a.ndim <= axis < a.ndim:  # out of range: NumPy's AxisError when run
        axis_type(ctx, name, extra[0])
        ctx.attrs["axis_at_run_time"] = True
    elif a.ndim > 1:
        ctx.attrs["axis"] = axis % a.ndim
    if cumulative:
        return ArrayType(result, a.ndim, "C")
    return result if a.ndim == 1 else ArrayType(result, a.ndim - 1, "C")


def axis_type(ctx: RuleContext, name: str, t: Type) -> None:
    if isinstance(t, BoolType) or not is_integer(t):
        raise ctx.error(f"{name}() axis must be an integer or None, not {t}")


AXIS_REDUCTIONS = {"sum", "prod", "min", "max", "mean", "std", "var", "argmin", "argmax", "any", "all",
                   "cumsum", "cumprod", "median", "count_nonzero", *NAN_REDUCTIONS}
AXIS_METHODS = {"sum", "prod", "min", "max", "mean", "std", "var", "argmin", "argmax", "any", "all",
                "cumsum", "cumprod"}  # the ones that are also methods of arrays
SORT_KINDS = ("quicksort", "mergesort", "heapsort", "stable")


def bind(ctx: RuleContext, what: str, names: tuple[str, ...], types: list[Type], inputs) -> dict:
    """Parameter name -> (type, input) of a call's arguments after the array."""
    kwnames = tuple(ctx.node.attr("kwnames") or ())
    n_pos = len(types) - len(kwnames)
    if n_pos > len(names):
        raise ctx.error(f"{what} takes at most {len(names)} arguments after the array")
    bound = {name: (types[k], inputs[k]) for k, name in enumerate(names[:n_pos])}
    for k, kw in enumerate(kwnames):
        if kw not in names or kw in bound:
            raise ctx.error(f"{what} got an unsupported keyword argument {kw!r}",
                            hint=f"{what} takes {', '.join(names)}")
        bound[kw] = (types[n_pos + k], inputs[n_pos + k])
    return bound


def along_axis(ctx: RuleContext, what: str, a: ArrayType, t: Type, node_input,
               default: int | None) -> int | None:
    """An `axis` argument (`t` its type; absent: `default`): records `axis` (constant, made
    non-negative) or `axis_at_run_time`; gives the constant axis, or None for `axis=None`."""
    axis = default if t is None else ctx.const(node_input)
    if isinstance(t, NoneType) or (t is None and default is None):
        return None
    if type(axis) is not int or not -a.ndim <= axis < a.ndim:  # out of range: NumPy's AxisError when run
        axis_type(ctx, what.removesuffix("()"), t)
        ctx.attrs["axis_at_run_time"] = True
        return -1
    ctx.attrs["axis"] = axis % a.ndim
    return axis % a.ndim


def sorted_type(ctx: RuleContext, what: str, a: Type, extra: list[Type], inputs=()) -> ArrayType:
    """`np.sort(a, axis=-1, kind=None)`, `a.sort(axis=-1, kind=None)`, `np.argsort(a, axis=-1,
    kind=None)`: along one axis (`axis=None`: of the flattened array, not for `a.sort`); every kind
    gives NumPy's stable order."""
    if not isinstance(a, ArrayType):
        raise ctx.error(f"{what} of a {a} is not supported", hint="pass an array")
    bound = bind(ctx, what, ("axis", "kind"), extra, inputs)
    kind_t, kind_in = bound.get("kind", (NONE, None))
    kind = None if kind_in is None else ctx.const(kind_in)
    if not isinstance(kind_t, NoneType) or kind not in (None, *SORT_KINDS):
        raise ctx.error(f"{what} kind must be one of {', '.join(map(repr, SORT_KINDS))} or None")
    axis_t, axis_in = bound.get("axis", (None, None))
    axis = along_axis(ctx, what, a, axis_t, axis_in, a.ndim - 1)
    if axis is None and what == "sort()":
        raise ctx.error("sort() axis=None is not supported in place", hint="NumPy refuses it too")
    ndim = 1 if axis is None else a.ndim
    if axis is None:
        ctx.attrs["flat"] = True
    if what.startswith("numpy.argsort"):
        return ArrayType(I64, ndim, "C")
    return ArrayType(a.dtype, ndim, "C")


# methods of numbers: (receiver type class, name) -> result type
SCALAR_METHODS = {(IntType, "bit_length"): I64, (BoolType, "bit_length"): I64,
                  (FloatType, "is_integer"): BOOL}


def callmethod(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, name = args[0], ctx.node.attr("name")
    if name == "__delitem__":
        raise ctx.error(f"del x[i] on a {a} is not supported", hint="only list items can be deleted")
    scalar = SCALAR_METHODS.get((type(a), name))
    if scalar is not None and len(args) == 2:
        return scalar, STATE
    if not isinstance(a, ArrayType):
        raise ctx.error(f"{a} has no supported method {name!r}",
                        hint="numbers have int.bit_length() and float.is_integer()")
    if name in AXIS_METHODS and len(args) >= 3:
        return axis_reduction(ctx, a, name, args[1:-1], ctx.node.inputs[1:-1]), STATE
    if name == "item":
        return array_extras.item_type(ctx, a, args[1:-1]), STATE
    if name in array_extras.NUMPY_METHODS:  # a.clip(lo, hi) is np.clip(a, lo, hi), ...
        return array_extras.method_as_function(ctx, name, args[:-1]), STATE
    if name in axes_views.METHODS and (name != "transpose" or len(args) > 2):  # a.swapaxes(0, 1), ...
        return axes_views.view_type(ctx, name, a, args[1:-1], ctx.node.inputs[1:-1], True), STATE
    if name in SHAPE_METHODS:
        return shape_method(ctx, a, name, args[1:-1]), STATE
    if name in ("sort", "fill"):
        arrays.check_writable(ctx, a, f"cannot {name}() in place")
    if name == "sort":
        sorted_type(ctx, "sort()", a, args[1:-1], ctx.node.inputs[1:-1])
        return NONE, STATE
    if name == "fill":
        if len(args) != 3 or not (is_numeric(args[1]) or isinstance(args[1], ComplexType)):
            raise ctx.error("fill() needs one number")
        return NONE, STATE
    if name in ("conj", "conjugate") and len(args) == 2:  # np.conjugate(a): a copy for real items
        return elementwise(ctx, "conjugate", [a]), STATE
    if name == "dot" and len(args) == 3 and not ctx.node.attr("kwnames"):
        return product_type(ctx, "dot()", a, args[1]), STATE
    if len(args) > 2:
        raise ctx.error(
            f"{name}() with arguments is not supported on arrays",
            hint="reductions over all elements only (no axis, dtype or out)",
        )
    return method_result(ctx, a, name), STATE


# -- operators -------------------------------------------------------------------------------
def _involves_array(args: list[Type]) -> bool:
    return any(isinstance(t, ArrayType) for t in args)


def product_type(ctx: RuleContext, what: str, a: Type, b: Type) -> Type:
    """`a @ b`, `np.dot(a, b)`, `a.dot(b)` of 1-d and 2-d arrays: a number (1-d · 1-d) or a new C array."""
    if not (isinstance(a, ArrayType) and isinstance(b, ArrayType)):
        raise ctx.error(f"{what} of {a} and {b} is not supported", hint="both operands must be arrays")
    if a.ndim > 2 or b.ndim > 2:
        raise ctx.error(f"{what} of arrays of more than 2 dimensions is not supported")
    dtype = from_dtype(np.dot(np.zeros(1, to_dtype(a.dtype)), np.zeros(1, to_dtype(b.dtype))).dtype)
    ndim = (a.ndim - 1) + (b.ndim - 1)
    return dtype if ndim == 0 else ArrayType(dtype, ndim, "C")


def binop(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    if ctx.node.attr("op") == "@":
        return product_type(ctx, "matrix multiplication @", args[0], args[1]), STATE
    if _involves_array(args[:2]):
        op = ctx.node.attr("op")
        result = elementwise(ctx, op, args[:2])
        if ctx.node.attr("inplace") and isinstance(args[0], ArrayType):
            return inplace_target(ctx, op, args[0], result), STATE
        return result, STATE
    return py.binop(ctx, args)


def inplace_target(ctx: RuleContext, op: str, a: ArrayType, result: ArrayType) -> ArrayType:
    """`a op= b` writes `a op b` into `a` (NumPy's `out=a`): the result must broadcast to `a`
    and cast to its dtype by the "same_kind" rule."""
    arrays.check_writable(ctx, a, f"cannot apply {op}= in place")
    if result.ndim > a.ndim:
        raise ctx.error(f"non-broadcastable output operand: {op}= of a {a} with a {result.ndim}-dimensional "
                        "result", hint="write `a = a op b` to make a new array")
    if not np.can_cast(to_dtype(result.dtype), to_dtype(a.dtype), "same_kind"):
        raise ctx.error(f"cannot cast the {op}= result from {result.dtype} to {a.dtype} with casting rule "
                        "'same_kind'", hint=f"write `a = a {op} b` to make a new array of the result type")
    return a


def compare(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    if _involves_array(args[:2]):
        op = ctx.node.attr("op")
        if op in ("is", "isnot"):
            raise ctx.error("`is` on arrays compares identity", hint="use == for elementwise equality")
        return elementwise(ctx, op, args[:2]), STATE
    return py.compare(ctx, args)


def unop(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, op = args[0], ctx.node.attr("op")
    if isinstance(a, ArrayType):
        if op == "-":
            return elementwise(ctx, "negative", [a]), STATE
        if op == "~":
            return elementwise(ctx, "invert", [a]), STATE
        if op == "+":
            return ArrayType(a.dtype, a.ndim, "C"), STATE  # +a is a copy in NumPy
        raise ctx.error(f"unary {op} on arrays is not supported")
    return py.unop(ctx, args)


__all__ = [
    "binop",
    "callmethod",
    "compare",
    "const",
    "getattr_",
    "getitem",
    "setitem",
    "slice_",
    "unop",
    "view_type",
    "transposed",
    "method_result",
    "is_view_index",
    "index_items",
]
