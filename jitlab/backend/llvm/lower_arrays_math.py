"""Lowering of NumPy math: elementwise operators and ufuncs, and whole-array reductions.

Elementwise semantics are NumPy's, not Python's: integer `//` and `%` by zero
give 0 (NumPy warns, it does not raise), float `//` by zero gives `a / b`,
integer arithmetic wraps, shifts by the bit width or more give 0 (or -1 for
negative numbers shifted right), `maximum`/`minimum` propagate NaN, math on
floats never raises (NaN and inf come back as NumPy returns them).  An integer
raised to a negative integer power raises NumPy's `ValueError`.

Operands broadcast as in NumPy: shapes are aligned on the right, an axis of
length 1 stretches (its stride becomes 0), any other mismatch raises NumPy's
"operands could not be broadcast together" `ValueError`.  When every array
operand is C-contiguous and has the result's shape, one flat loop over the items
runs (LLVM vectorises it); otherwise a loop nest walks the strides.

Reductions walk every item in C order: `sum`/`prod` accumulate in the result
dtype (floats sequentially; NumPy sums floats pairwise, so float sums may differ
in the last bits), `min`/`max`/`argmin`/`argmax` propagate NaN like NumPy (the
first NaN wins), `mean` divides the sum by the size, `var`/`std` take the mean of the squared
distances to the mean (two passes, as NumPy), `any`/`all` test every item's truth,
`cumsum` gives a new 1-d array.

Complex items follow NumPy too (`lower_complex_numpy.py`): ordering and `maximum`/`minimum`/
`min`/`max`/`argmin`/`argmax` are lexicographic, `**` is `npy_cpow`, and `sqrt`, `exp`,
`log`, … call the C library's C99 complex functions as NumPy does.
"""

from __future__ import annotations

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import BOOL as BOOL_T, F64 as F64_T, I64 as I64_T
from jitlab.ir.types import ArrayType, BoolType, ComplexType, FloatType, IntType, Type

from .lower import I1, I64, FunctionLowerer
from .lower_arith import float_divmod, int_divmod
from .lower_fusion import Deferred
from .lower_arrays import element_pointer, load_element
from .lower_arrays_alloc import (
    convert,
    dims_of,
    flat_loop,
    flat_pointer,
    loop_nest,
    new_array,
    product,
    raise_formatted,
    shape_format,
    store_element,
)
from . import lower_ufuncs
from .lower_ufuncs import EXTRA_OPS
from .runtime import integer_power
from .signature import llvm_type

COMPARISONS = {"<", "<=", ">", ">=", "==", "!="}
PREDICATES = {"isnan", "isinf", "isfinite", "logical_not"}  # computed on the operand's type, give a bool
BOOL_RESULTS = COMPARISONS | PREDICATES | {"isclose"}
NEGATIVE_POWER = "Integers to negative integer powers are not allowed."
_INTRINSIC_UNARY = {
    "sqrt": "sqrt",
    "exp": "exp",
    "log": "log",
    "log2": "log2",
    "log10": "log10",
    "sin": "sin",
    "cos": "cos",
    "exp2": "exp2",
    "floor": "floor",
    "ceil": "ceil",
    "trunc": "trunc",
    "fabs": "fabs",
    "tan": "tan",
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "sinh": "sinh",
    "cosh": "cosh",
    "tanh": "tanh",
    "rint": "rint",
}
_LIBM_UNARY = {"expm1": "expm1", "log1p": "log1p"}
_LIBM_BINARY = {"arctan2": "atan2", "hypot": "hypot"}


# -- one element -----------------------------------------------------------------------------
def compute_type(op: str, types: list[Type], result: Type) -> Type:
    """The dtype an elementwise op computes in: the result's, for comparisons the operands' common
    one, for predicates (`isnan`) the operand's."""
    if op in PREDICATES:
        return types[0].dtype if isinstance(types[0], ArrayType) else types[0]
    if op == "isclose":
        return F64_T
    if op not in COMPARISONS:
        return result
    from jitlab.typing.rules.numpy_calls import numpy_result

    common = numpy_result("maximum", tuple(types))
    if common is None:
        raise LoweringError(f"cannot compare {types}")
    return common


def scalar_op(fl: FunctionLowerer, op: str, values: list[ir.Value], t: Type) -> ir.Value:
    """NumPy's `op` on values already of dtype `t` (the result of a comparison is an i1)."""
    if isinstance(t, ComplexType):
        return _complex_op(fl, op, values, t)
    if op in EXTRA_OPS or lower_ufuncs.identity_on(op, t):  # np.logical_and, np.fmax, np.floor(int), ...
        return lower_ufuncs.scalar_op(fl, op, values, t)
    bld = fl.builder
    flags = fl.float_flags
    is_float = isinstance(t, FloatType)
    signed = isinstance(t, IntType) and t.signed
    if len(values) == 1:
        return _unary(fl, op, values[0], t)
    if op in ("where", "clip", "round"):
        return _nary(fl, op, values, t)
    x, y = values
    if op == "isclose":  # NumPy's defaults: |x - y| <= 1e-8 + 1e-5 |y|; infinities equal when equal
        fabs = fl.intrinsic("fabs", x.type)
        inf = ir.Constant(x.type, float("inf"))
        finite = bld.and_(bld.fcmp_ordered("<", bld.call(fabs, [x]), inf),
                          bld.fcmp_ordered("<", bld.call(fabs, [y]), inf))
        bound = bld.fadd(ir.Constant(x.type, 1e-8), bld.fmul(ir.Constant(x.type, 1e-5), bld.call(fabs, [y])))
        near = bld.fcmp_ordered("<=", bld.call(fabs, [bld.fsub(x, y)]), bound)
        return bld.select(finite, near, bld.fcmp_ordered("==", x, y))
    if op in COMPARISONS:
        if is_float:
            return bld.fcmp_unordered(op, x, y) if op == "!=" else bld.fcmp_ordered(op, x, y)
        return bld.icmp_signed(op, x, y) if signed else bld.icmp_unsigned(op, x, y)
    if isinstance(t, BoolType):  # bool arithmetic is logic in NumPy
        return {
            "+": bld.or_,
            "*": bld.and_,
            "&": bld.and_,
            "|": bld.or_,
            "^": bld.xor,
            "maximum": bld.or_,
            "minimum": bld.and_,
        }[op](x, y)
    if op in ("+", "-", "*"):
        if is_float:
            return {"+": bld.fadd, "-": bld.fsub, "*": bld.fmul}[op](x, y, flags=flags)
        return {"+": bld.add, "-": bld.sub, "*": bld.mul}[op](x, y)
    if op == "/":
        return bld.fdiv(x, y, flags=flags)
    if op in ("//", "%"):
        if is_float:
            floordiv, mod = float_divmod(fl, x, y)
            if op == "%":
                return mod
            return bld.select(
                bld.fcmp_ordered("==", y, ir.Constant(t_llvm(t), 0.0)), bld.fdiv(x, y), floordiv
            )
        zero = ir.Constant(x.type, 0)
        by_zero = bld.icmp_unsigned("==", y, zero)
        q, r = int_divmod(fl, x, bld.select(by_zero, ir.Constant(x.type, 1), y), signed)
        return bld.select(by_zero, zero, q if op == "//" else r)
    if op == "**":
        if is_float:
            return bld.call(fl.intrinsic("pow", x.type, 2), [x, y])
        if signed:
            fl.raise_if(bld.icmp_signed("<", y, ir.Constant(y.type, 0)), ValueError, NEGATIVE_POWER)
        return bld.call(integer_power(fl.module, x.type), [x, y])
    if op in ("&", "|", "^"):
        return {"&": bld.and_, "|": bld.or_, "^": bld.xor}[op](x, y)
    if op in ("<<", ">>"):
        width = ir.Constant(y.type, y.type.width)
        too_far = bld.icmp_unsigned(">=", y, width)  # a negative count is "too far" as well
        if op == "<<":
            return bld.select(
                too_far, ir.Constant(x.type, 0), bld.shl(x, bld.select(too_far, ir.Constant(y.type, 0), y))
            )
        if signed:
            return bld.ashr(x, bld.select(too_far, ir.Constant(y.type, y.type.width - 1), y))
        return bld.select(
            too_far, ir.Constant(x.type, 0), bld.lshr(x, bld.select(too_far, ir.Constant(y.type, 0), y))
        )
    if op in ("maximum", "minimum"):
        keep_x = (
            bld.fcmp_ordered(">=" if op == "maximum" else "<=", x, y)
            if is_float
            else (bld.icmp_signed if signed else bld.icmp_unsigned)(">=" if op == "maximum" else "<=", x, y)
        )
        if is_float:
            keep_x = bld.or_(keep_x, bld.fcmp_unordered("uno", x, x))
        return bld.select(keep_x, x, y)
    if op in _LIBM_BINARY:
        return bld.call(_libm(fl, _LIBM_BINARY[op], x.type, 2), [x, y])
    raise LoweringError(f"cannot lower the elementwise operator {op} on {t}", line=fl.line)


# ops that take a complex number to its real type (`np.abs(z)`, `np.real(z)`)
TO_REAL = {"abs", "real", "imag", "angle"}


def _complex_op(fl: FunctionLowerer, op: str, values: list[ir.Value], t: ComplexType) -> ir.Value:
    """NumPy's `op` on complex values (no Python exceptions: x / 0 is inf or nan)."""
    from . import lower_complex as cx
    from . import lower_complex_numpy as cxn

    m = cx._math(fl, t)
    z = [cx.parts(fl, v) if isinstance(v.type, ir.LiteralStructType) else None for v in values]
    if op == "negative":
        return cx.make(fl, t, m.neg(z[0][0]), m.neg(z[0][1]))
    if op == "conjugate":
        return cx.make(fl, t, z[0][0], m.neg(z[0][1]))
    if op in ("real", "imag"):
        return z[0][0] if op == "real" else z[0][1]
    if op == "abs":
        return numpy_cabs(fl, m, z[0])
    if op == "square":
        return cx.make(fl, t, *m.prod(z[0], z[0]))
    if op in ("+", "-"):
        f = m.add if op == "+" else m.sub
        return cx.make(fl, t, f(z[0][0], z[1][0]), f(z[0][1], z[1][1]))
    if op == "*":
        return cx.make(fl, t, *m.prod(z[0], z[1]))
    if op == "/":
        return cx.make(fl, t, *_numpy_quot(fl, m, z[0], z[1]))
    if op in ("isnan", "isinf", "isfinite"):  # NumPy: of either part (finite: of both)
        re, im = z[0]
        if op == "isnan":
            return cxn.has_nan(fl, z[0])
        inf = m.const(float("inf"))
        if op == "isinf":
            return fl.builder.or_(*(fl.builder.fcmp_ordered("==", m.fabs(v), inf) for v in (re, im)))
        return fl.builder.and_(*(fl.builder.fcmp_ordered("<", m.fabs(v), inf) for v in (re, im)))
    if op == "where":  # the condition is an i1, the values complex
        return fl.builder.select(values[0], values[1], values[2])
    if op == "angle":
        return fl.builder.call(_libm(fl, "atan2", z[0][0].type, 2), [z[0][1], z[0][0]])
    if op == "sign":
        return cx.make(fl, t, *_complex_sign(fl, m, z[0]))
    if op == "round":  # each part as a float (NumPy rounds the real and imaginary views)
        part = t.part
        rest = [fl.builder.extract_value(values[1], 0)] if len(values) == 2 else []
        if not rest:
            return cx.make(fl, t, *(scalar_op(fl, "rint", [v], part) for v in z[0]))
        return cx.make(fl, t, *(_nary(fl, "round", [v, *rest], part) for v in z[0]))
    if op == "clip":
        return cxn.extremum(fl, "minimum", [cxn.extremum(fl, "maximum", values[:2]), values[2]])
    if op in cxn.ORDER:
        return cxn.order(fl, op, z[0], z[1])
    if op in ("maximum", "minimum"):
        return cxn.extremum(fl, op, values)
    if op == "**":
        return cxn.power(fl, values[0], values[1], t)
    if op in cxn.UNARY:
        return cxn.unary(fl, op, values[0], t)
    if op in ("==", "!="):
        bld = fl.builder
        equal = bld.and_(bld.fcmp_ordered("==", z[0][0], z[1][0]), bld.fcmp_ordered("==", z[0][1], z[1][1]))
        return equal if op == "==" else bld.not_(equal)
    raise LoweringError(f"cannot lower the elementwise operator {op} on {t}", line=fl.line)


def numpy_cabs(fl: FunctionLowerer, m, z) -> ir.Value:
    """NumPy's complex `absolute` (its SIMD loop, not C's `hypot`): `l * sqrt(fma(s/l, s/l, 1))` with
    `l`, `s` the larger and smaller of |re|, |im|; an infinite part gives inf, else a NaN part NaN,
    and 0 gives 0."""
    bld = fl.builder
    re, im = (m.fabs(v) for v in z)
    first = bld.fcmp_ordered(">=", re, im)
    larger, smaller = bld.select(first, re, im), bld.select(first, im, re)
    ratio = m.div(smaller, larger)
    one = m.const(1.0)
    square = bld.call(fl.intrinsic("fma", re.type, 3), [ratio, ratio, one])
    root = bld.call(fl.intrinsic("sqrt", re.type), [square])
    size = bld.select(bld.fcmp_ordered("==", larger, m.const(0.0)), m.const(0.0), m.mul(root, larger))
    size = bld.select(bld.or_(m.isnan(re), m.isnan(im)), m.const(float("nan")), size)
    return bld.select(bld.or_(m.isinf(re), m.isinf(im)), m.const(float("inf")), size)


def _complex_sign(fl: FunctionLowerer, m, z):
    """NumPy 2's complex `sign`: `z / |z|`, 0 for 0, NaN parts when a part is NaN; an infinite
    part gives its direction (both infinite: NaN)."""
    bld = fl.builder
    re, im = z
    size = m.abs(z)[0]
    zero, one, nan, inf = m.const(0.0), m.const(1.0), m.const(float("nan")), m.const(float("inf"))

    def unit(v):
        return bld.select(bld.fcmp_ordered(">", v, zero), one, m.const(-1.0))

    re_inf, im_inf = (bld.fcmp_ordered("==", m.fabs(v), inf) for v in (re, im))
    parts = (m.div(re, size), m.div(im, size))
    for cond, value in ((bld.fcmp_ordered("==", size, zero), (zero, zero)),
                        (im_inf, (zero, unit(im))),
                        (re_inf, (unit(re), zero)),
                        (bld.and_(re_inf, im_inf), (nan, nan)),
                        (bld.fcmp_unordered("uno", size, size), (nan, nan))):
        parts = tuple(bld.select(cond, v, p) for v, p in zip(value, parts))
    return parts


def _numpy_quot(fl: FunctionLowerer, m, a, b):
    """NumPy's complex division (Smith's method, scaled by the reciprocal of the denominator;
    a zero divisor gives inf or nan parts, no exception)."""
    bld = fl.builder
    (ar, ai), (br, bi) = a, b
    br_abs, bi_abs = m.fabs(br), m.fabs(bi)
    one = m.const(1.0)
    by_real = bld.fcmp_ordered(">=", br_abs, bi_abs)  # NaN: the other branch, as in NumPy
    rat = m.div(bld.select(by_real, bi, br), bld.select(by_real, br, bi))
    scl = m.div(one, m.add(bld.select(by_real, br, bi), m.mul(bld.select(by_real, bi, br), rat)))
    re = bld.select(by_real, m.mul(m.add(ar, m.mul(ai, rat)), scl), m.mul(m.add(m.mul(ar, rat), ai), scl))
    im = bld.select(by_real, m.mul(m.sub(ai, m.mul(ar, rat)), scl), m.mul(m.sub(m.mul(ai, rat), ar), scl))
    zero = bld.and_(bld.fcmp_ordered("==", br_abs, m.const(0.0)),
                    bld.fcmp_ordered("==", bi_abs, m.const(0.0)))
    return bld.select(zero, m.div(ar, br_abs), re), bld.select(zero, m.div(ai, br_abs), im)


def t_llvm(t: Type) -> ir.Type:
    return llvm_type(t)


def _libm(fl: FunctionLowerer, name: str, ty: ir.Type, nargs: int) -> ir.Function:
    symbol = name if ty == ir.DoubleType() else name + "f"
    return fl.declare(symbol, ir.FunctionType(ty, [ty] * nargs))


def _unary(fl: FunctionLowerer, op: str, x: ir.Value, t: Type) -> ir.Value:
    bld = fl.builder
    is_float = isinstance(t, FloatType)
    if op == "negative":
        return bld.fneg(x, flags=fl.float_flags) if is_float else bld.sub(ir.Constant(x.type, 0), x)
    if op == "square":
        return bld.fmul(x, x, flags=fl.float_flags) if is_float else bld.mul(x, x)
    if op in ("conjugate", "real"):  # of a real number: itself
        return x
    if op == "imag":
        return ir.Constant(x.type, 0)
    if op in PREDICATES or op in ("sign", "invert"):
        return _predicate_or_sign(fl, op, x, t)
    if op == "round":
        return bld.call(fl.intrinsic("rint", x.type), [x]) if is_float else x
    if op == "angle":  # NumPy: arctan2(0, x)
        return bld.call(_libm(fl, "atan2", x.type, 2), [ir.Constant(x.type, 0.0), x])
    if op == "abs":
        if is_float:
            return bld.call(fl.intrinsic("fabs", x.type), [x])
        if isinstance(t, IntType) and t.signed:
            negative = bld.icmp_signed("<", x, ir.Constant(x.type, 0))
            return bld.select(negative, bld.sub(ir.Constant(x.type, 0), x), x)
        return x
    if not is_float:
        raise LoweringError(f"numpy.{op} on {t} needs a float (typing converts)", line=fl.line)
    name = _INTRINSIC_UNARY.get(op)
    if name is not None:
        return bld.call(fl.intrinsic(name, x.type), [x])
    if op in _LIBM_UNARY:
        return bld.call(_libm(fl, _LIBM_UNARY[op], x.type, 1), [x])
    raise LoweringError(f"cannot lower numpy.{op}", line=fl.line)


def _nary(fl: FunctionLowerer, op: str, values: list[ir.Value], t: Type) -> ir.Value:
    """`where(c, x, y)` (`c` an i1), `clip(x, lo, hi)` (NaN propagates), `round(x, decimals)`
    (NumPy's: `rint(x * 10**d) / 10**d`, halves to even; the decimals come as a `t`)."""
    bld = fl.builder
    if op == "where":
        return bld.select(*values)
    if op == "clip":
        x, lo, hi = values
        return scalar_op(fl, "minimum", [scalar_op(fl, "maximum", [x, lo], t), hi], t)
    x, d = values
    if not isinstance(t, FloatType):
        return x  # typing allows integers only without decimals
    zero = ir.Constant(x.type, 0.0)
    factor = bld.call(fl.intrinsic("pow", x.type, 2),
                      [ir.Constant(x.type, 10.0), bld.call(fl.intrinsic("fabs", x.type), [d])])
    up = bld.fcmp_ordered(">=", d, zero)
    r = bld.call(fl.intrinsic("rint", x.type), [bld.select(up, bld.fmul(x, factor), bld.fdiv(x, factor))])
    return bld.select(up, bld.fdiv(r, factor), bld.fmul(r, factor))


def _predicate_or_sign(fl: FunctionLowerer, op: str, x: ir.Value, t: Type) -> ir.Value:
    """`isnan`, `isinf`, `isfinite`, `logical_not` (an i1), `sign` and `invert` (of `t`)."""
    bld = fl.builder
    is_float = isinstance(t, FloatType)
    if op == "logical_not":
        return bld.not_(fl.truth(x, t))
    if op == "invert":
        if is_float:
            raise LoweringError(f"numpy.invert of {t}", line=fl.line)
        return bld.xor(x, ir.Constant(x.type, 1 if isinstance(t, BoolType) else -1))
    if op == "sign":
        zero, one, minus = (ir.Constant(x.type, v) for v in ((0.0, 1.0, -1.0) if is_float else (0, 1, -1)))
        if isinstance(t, BoolType):
            return x
        if not is_float:
            signed = isinstance(t, IntType) and t.signed
            cmp = bld.icmp_signed if signed else bld.icmp_unsigned
            return bld.select(cmp(">", x, zero), one, bld.select(cmp("<", x, zero), minus, zero))
        same = bld.select(bld.fcmp_ordered("==", x, zero), zero, x)  # -0.0 gives 0.0, NaN stays
        below = bld.select(bld.fcmp_ordered("<", x, zero), minus, same)
        return bld.select(bld.fcmp_ordered(">", x, zero), one, below)
    if not is_float:  # an integer is never NaN nor infinite
        return ir.Constant(I1, int(op == "isfinite"))
    if op == "isnan":
        return bld.fcmp_unordered("uno", x, x)
    inf = ir.Constant(x.type, float("inf"))
    magnitude = bld.call(fl.intrinsic("fabs", x.type), [x])
    return bld.fcmp_ordered("==" if op == "isinf" else "<", magnitude, inf)


def scalar_ufunc(fl: FunctionLowerer, op: str, args: list[ir.Value], types: list[Type], rt: Type) -> ir.Value:
    """A NumPy ufunc on scalars (`np.sqrt(x)`): NumPy's result, no Python exceptions."""
    if op in TO_REAL and isinstance(types[0], ComplexType):
        return fl.cast(scalar_op(fl, op, [args[0]], types[0]), types[0].part, rt)
    work = compute_type(op, types, rt)
    return scalar_op(fl, op, [fl.cast(a, t, work) for a, t in zip(args, types)], work)


# -- whole arrays ----------------------------------------------------------------------------
def elementwise(
    fl: FunctionLowerer, op: str, args: list, types: list[Type], rt: ArrayType, into=None, node=None
) -> ir.Value | Deferred:
    """A new C array holding `op` applied item by item, with NumPy broadcasting; with `into`
    (`(array, type)`: `a op= b`) the items are cast and written into that array instead, which
    must have the broadcast shape (NumPy's ValueError), an operand overlapping it copied first;
    a `Deferred` instead when `node`'s result is fused into its user (`lower_fusion`)."""
    if into is not None:
        args = [_unaliased(fl, a, t, *into) if isinstance(t, ArrayType) and a is not into[0] else a
                for a, t in zip(args, types)]
    expr = prepare(fl, op, args, types, rt)
    if into is None and node is not None and node.outputs[0].name in fl.fused:
        return expr
    return materialize(fl, expr, into)


def _item_type(op: str, j: int, work: Type) -> Type:
    """The dtype operand `j` of `op` is computed in (`where`'s condition is a bool)."""
    return BOOL_T if op == "where" and j == 0 else work


def prepare(fl: FunctionLowerer, op: str, args: list, types: list[Type], rt: ArrayType) -> Deferred:
    """What computing `op` needs, checked where the op stands: the broadcast shape (NumPy's
    ValueError when the operands do not fit) and the scalar operands in their working dtype."""
    work = compute_type(op, types, rt.dtype)
    if op in TO_REAL and isinstance(types[0], ArrayType) and isinstance(types[0].dtype, ComplexType):
        work = types[0].dtype  # computed on the complex items, the result is real
    made = work.part if isinstance(work, ComplexType) and op in TO_REAL else work
    arrays = [(a, t) for a, t in zip(args, types) if isinstance(t, ArrayType)]
    dims = _broadcast_shape(fl, arrays, rt.ndim)
    scalars = {j: fl.cast(a, t, _item_type(op, j, work))
               for j, (a, t) in enumerate(zip(args, types)) if not isinstance(t, ArrayType)}
    return Deferred(op, list(args), list(types), rt, dims, work, made, scalars)


def _leaves(expr: Deferred, path: tuple = ()):
    """(path, array, type) of every stored array operand of a fused tree."""
    for j, (a, t) in enumerate(zip(expr.args, expr.types)):
        if isinstance(a, Deferred):
            yield from _leaves(a, (*path, j))
        elif isinstance(t, ArrayType):
            yield (*path, j), a, t


def _root_strides(fl: FunctionLowerer, expr: Deferred, ndim: int) -> dict:
    """path -> byte strides of that stored operand on the `ndim` axes of the tree's result
    (0 on the axes it is broadcast along, at any level of the tree)."""
    bld = fl.builder
    zero = ir.Constant(I64, 0)
    out = {}
    for j, (a, t) in enumerate(zip(expr.args, expr.types)):
        if isinstance(a, Deferred):
            inner = a.rt.ndim
            for path, strides in _root_strides(fl, a, inner).items():
                stretched = [bld.icmp_signed("==", n, ir.Constant(I64, 1)) for n in a.dims]
                out[(j, *path)] = [zero] * (ndim - inner) + [
                    bld.select(flag, zero, s) for flag, s in zip(stretched, strides)
                ]
        elif isinstance(t, ArrayType):
            out[(j,)] = _broadcast_strides(fl, a, t, ndim)
    return out


def _evaluate(fl: FunctionLowerer, expr: Deferred, load, path: tuple = ()) -> ir.Value:
    """One item of `expr`: `load(path, array, type)` gives the address of a stored operand's item."""
    values = []
    for j, (a, t) in enumerate(zip(expr.args, expr.types)):
        want = _item_type(expr.op, j, expr.work)
        if j in expr.scalars:
            values.append(expr.scalars[j])
        elif isinstance(a, Deferred):
            values.append(fl.cast(_evaluate(fl, a, load, (*path, j)), a.rt.dtype, want))
        else:
            values.append(fl.cast(load_element(fl, load((*path, j), a, t), t.dtype), t.dtype, want))
    value = scalar_op(fl, expr.op, values, expr.work)
    return value if expr.op in BOOL_RESULTS else convert(fl, value, expr.made, expr.rt.dtype)


def materialize(fl: FunctionLowerer, expr: Deferred, into=None) -> ir.Value:
    """The items of a (possibly fused) elementwise tree in a new C array, or written into
    `into`: one loop.  When every stored operand is C-contiguous with the result's shape, one
    flat loop runs (LLVM vectorises it); otherwise a loop nest walks the strides."""
    bld = fl.builder
    rt, dims = expr.rt, expr.dims
    if into is None:
        out, out_type = new_array(fl, rt, dims), rt
    else:
        out, out_type = into
        target = dims_of(fl, out, out_type.ndim)
        bad = ir.Constant(I1, 0)
        for n, m in zip(target, dims):
            bad = bld.or_(bad, bld.icmp_signed("!=", n, m))
        message = (f"non-broadcastable output operand with shape {shape_format(out_type.ndim)} doesn't match "
                   f"the broadcast shape {shape_format(rt.ndim)}")
        raise_formatted(fl, bad, ValueError, message, [*target, *dims])
    leaves = list(_leaves(expr))
    flat_ok = all(t.layout == "C" and t.ndim == rt.ndim for _, _, t in leaves) and out_type.layout == "C"
    same = ir.Constant(I1, int(flat_ok))
    if flat_ok:
        for _, a, t in leaves:
            for k in range(t.ndim):
                same = bld.and_(same, bld.icmp_signed("==", dims_of(fl, a, t.ndim)[k], dims[k]))
    size = product(fl, dims)

    def result(value):
        return value if out_type is rt else convert(fl, value, rt.dtype, out_type.dtype)

    def flat_body(i):
        value = _evaluate(fl, expr, lambda path, a, t: flat_pointer(fl, a, t.dtype, i))
        store_element(fl, flat_pointer(fl, out, out_type.dtype, i), result(value), out_type.dtype)

    strides = _root_strides(fl, expr, rt.ndim)

    def nd_body(ix):
        def load(path, a, t):
            offset = None
            for i, s in zip(ix, strides[path]):
                term = bld.mul(i, s)
                offset = term if offset is None else bld.add(offset, term)
            return bld.gep(bld.extract_value(a, 0), [offset], inbounds=True, source_etype=ir.IntType(8))

        value = _evaluate(fl, expr, load)
        target = (flat_pointer(fl, out, rt.dtype, _c_index(fl, ix, dims)) if into is None
                  else element_pointer(fl, out, out_type, ix))
        store_element(fl, target, result(value), out_type.dtype)

    with bld.if_else(same) as (fast, general):
        with fast:
            flat_loop(fl, size, flat_body)
        with general:
            loop_nest(fl, dims, nd_body)
    return out


def _c_index(fl: FunctionLowerer, ix: list[ir.Value], dims: list[ir.Value]) -> ir.Value:
    linear = ix[0]
    for i, n in zip(ix[1:], dims[1:]):
        linear = fl.builder.add(fl.builder.mul(linear, n), i)
    return linear


def _broadcast_shape(fl: FunctionLowerer, arrays, ndim: int) -> list[ir.Value]:
    """The result shape of broadcasting `arrays`; NumPy's ValueError when they do not fit."""
    bld = fl.builder
    one = ir.Constant(I64, 1)
    dims = [one] * ndim
    bad = ir.Constant(I1, 0)
    for a, t in arrays:
        for k, n in enumerate(_dims(fl, a, t)):
            axis = ndim - t.ndim + k
            cur = dims[axis]
            clash = bld.and_(
                bld.icmp_signed("!=", cur, n),
                bld.and_(bld.icmp_signed("!=", cur, one), bld.icmp_signed("!=", n, one)),
            )
            bad = bld.or_(bad, clash)
            dims[axis] = bld.select(bld.icmp_signed("==", cur, one), n, cur)
    if len(arrays) > 1:
        fmt = "operands could not be broadcast together with shapes " + "".join(
            shape_format(t.ndim) + " " for _, t in arrays
        )
        shown = [n for a, t in arrays for n in _dims(fl, a, t)]
        raise_formatted(fl, bad, ValueError, fmt, shown)
    return dims


def _dims(fl: FunctionLowerer, a, t: ArrayType) -> list[ir.Value]:
    return a.dims if isinstance(a, Deferred) else dims_of(fl, a, t.ndim)


def _broadcast_strides(fl: FunctionLowerer, a: ir.Value, t: ArrayType, ndim: int) -> list[ir.Value]:
    """`a`'s byte strides on the result's `ndim` axes: 0 on missing or stretched (length-1) axes."""
    bld = fl.builder
    zero = ir.Constant(I64, 0)
    strides = [zero] * (ndim - t.ndim)
    for k in range(t.ndim):
        n, s = bld.extract_value(a, [1, k]), bld.extract_value(a, [2, k])
        strides.append(bld.select(bld.icmp_signed("==", n, ir.Constant(I64, 1)), zero, s))
    return strides


def assign(fl: FunctionLowerer, target: ir.Value, tt: ArrayType, value: ir.Value, vt: Type) -> None:
    """`view[...] = value`: a number fills the view, an array is broadcast into it (NumPy's rules).

    An array that may overlap the view (`a[1:] = a[:-1]`) is copied first, as NumPy does.
    """
    bld = fl.builder
    dims = dims_of(fl, target, tt.ndim)
    if not isinstance(vt, ArrayType):
        item = convert(fl, value, vt, tt.dtype)
        loop_nest(fl, dims, lambda ix: store_element(fl, element_pointer(fl, target, tt, ix), item, tt.dtype))
        return
    vdims = dims_of(fl, value, vt.ndim)
    bad = ir.Constant(I1, 0)
    for k, n in enumerate(vdims):
        m = dims[tt.ndim - vt.ndim + k]
        bad = bld.or_(
            bad, bld.and_(bld.icmp_signed("!=", n, m), bld.icmp_signed("!=", n, ir.Constant(I64, 1)))
        )
    raise_formatted(
        fl,
        bad,
        ValueError,
        f"could not broadcast input array from shape {shape_format(vt.ndim)} "
        f"into shape {shape_format(tt.ndim)}",
        [*vdims, *dims],
    )
    source = _unaliased(fl, value, vt, target, tt)
    strides = _broadcast_strides(fl, source, vt, tt.ndim)

    def body(ix):
        offset = ir.Constant(I64, 0)
        for i, s in zip(ix, strides):
            offset = bld.add(offset, bld.mul(i, s))
        pointer = bld.gep(bld.extract_value(source, 0), [offset], inbounds=True, source_etype=ir.IntType(8))
        item = convert(fl, load_element(fl, pointer, vt.dtype), vt.dtype, tt.dtype)
        store_element(fl, element_pointer(fl, target, tt, ix), item, tt.dtype)

    loop_nest(fl, dims, body)


def _byte_bounds(fl: FunctionLowerer, a: ir.Value, t: ArrayType) -> tuple[ir.Value, ir.Value]:
    bld = fl.builder
    low = high = bld.ptrtoint(bld.extract_value(a, 0), I64)
    for k in range(t.ndim):
        n, s = bld.extract_value(a, [1, k]), bld.extract_value(a, [2, k])
        span = bld.mul(bld.sub(n, ir.Constant(I64, 1)), s)
        negative = bld.icmp_signed("<", span, ir.Constant(I64, 0))
        low = bld.add(low, bld.select(negative, span, ir.Constant(I64, 0)))
        high = bld.add(high, bld.select(negative, ir.Constant(I64, 0), span))
    return low, high


def _unaliased(
    fl: FunctionLowerer, value: ir.Value, vt: ArrayType, target: ir.Value, tt: ArrayType
) -> ir.Value:
    """`value`, or a C copy of it when its memory overlaps `target`'s."""
    from .lower_arrays_alloc import copy

    bld = fl.builder
    vlow, vhigh = _byte_bounds(fl, value, vt)
    tlow, thigh = _byte_bounds(fl, target, tt)
    overlap = bld.and_(bld.icmp_signed("<=", vlow, thigh), bld.icmp_signed("<=", tlow, vhigh))
    before = bld.block
    with bld.if_then(overlap, likely=False):
        copied = copy(fl, value, vt, ArrayType(vt.dtype, vt.ndim, "C"))
        from_copy = bld.block
    merged = bld.phi(value.type)
    merged.add_incoming(value, before)
    merged.add_incoming(copied, from_copy)
    return merged


# -- products --------------------------------------------------------------------------------
def matrix_product(fl: FunctionLowerer, what: str, a: ir.Value, at: ArrayType, b: ir.Value, bt: ArrayType,
                   rt: Type) -> ir.Value:
    """`a @ b` / `np.dot(a, b)` of 1-d and 2-d arrays: a 1-d left operand is a row, a 1-d right one a
    column; each item sums its products in order of the inner index (NumPy's BLAS may sum in
    another order, so float results may differ in the last bits)."""
    bld = fl.builder
    work = rt.dtype if isinstance(rt, ArrayType) else rt
    one = ir.Constant(I64, 1)
    a_dims, b_dims = dims_of(fl, a, at.ndim), dims_of(fl, b, bt.ndim)
    n, k = (a_dims if at.ndim == 2 else [one, a_dims[0]])
    k2, m = (b_dims if bt.ndim == 2 else [b_dims[0], one])
    if what == "@":
        message = ("matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                   "(n?,k),(k,m?)->(n?,m?) (size %lld is different from %lld)")
        raise_formatted(fl, bld.icmp_signed("!=", k, k2), ValueError, message, [k2, k])
    else:
        message = (f"shapes {shape_format(at.ndim)} and {shape_format(bt.ndim)} not aligned: "
                   f"%lld (dim {at.ndim - 1}) != %lld (dim 0)")
        raise_formatted(fl, bld.icmp_signed("!=", k, k2), ValueError, message, [*a_dims, *b_dims, k, k2])

    def item(array, t, row, col, left):
        index = [row, col] if t.ndim == 2 else [col if left else row]  # a 1-d operand: its inner index
        return fl.cast(load_element(fl, element_pointer(fl, array, t, index), t.dtype), t.dtype, work)

    acc = fl.alloca(llvm_type(work), name="dot.acc")

    def dot_at(i, j):
        bld.store(_number(work, 0), acc)

        def inner(ix):
            term = scalar_op(fl, "*", [item(a, at, i, ix[0], True), item(b, bt, ix[0], j, False)], work)
            bld.store(scalar_op(fl, "+", [bld.load(acc), term], work), acc)

        loop_nest(fl, [k], inner)
        return bld.load(acc)

    zero = ir.Constant(I64, 0)
    if not isinstance(rt, ArrayType):
        return dot_at(zero, zero)
    out = new_array(fl, rt, [d for d, keep in ((n, at.ndim == 2), (m, bt.ndim == 2)) if keep])

    def body(ix):
        i, j = (ix if rt.ndim == 2 else (ix[0], zero) if at.ndim == 2 else (zero, ix[0]))
        store_element(fl, element_pointer(fl, out, rt, ix), dot_at(i, j), rt.dtype)

    loop_nest(fl, dims_of(fl, out, rt.ndim), body)
    return out


# -- reductions ------------------------------------------------------------------------------
def reduce(fl: FunctionLowerer, name: str, array: ir.Value, t: ArrayType, rt: Type) -> ir.Value:
    bld = fl.builder
    dims = dims_of(fl, array, t.ndim)
    size = product(fl, dims)
    if name in ("cumsum", "cumprod"):
        return _cumsum(fl, array, t, rt, dims, size, "+" if name == "cumsum" else "*")
    if name == "median":
        from .lower_arrays_sort import median

        return median(fl, array, t, rt, size)
    if name == "count_nonzero":
        count = fl.alloca(I64, name="count_nonzero.acc")
        bld.store(ir.Constant(I64, 0), count)
        loop_nest(fl, dims, lambda ix: bld.store(bld.add(bld.load(count), bld.zext(fl.truth(
            load_element(fl, element_pointer(fl, array, t, ix), t.dtype), t.dtype), I64)), count))
        return bld.load(count)
    if name in ("std", "var"):
        return _variance(fl, name, array, t, rt, dims, size)
    if name == "trace":  # the sum of the main diagonal
        n = bld.select(bld.icmp_signed("<", dims[0], dims[1]), dims[0], dims[1])
        acc = fl.alloca(llvm_type(rt), name="trace.acc")
        bld.store(_number(rt, 0), acc)

        def diagonal(ix):
            x = fl.cast(load_element(fl, element_pointer(fl, array, t, [ix[0], ix[0]]), t.dtype), t.dtype, rt)
            bld.store(scalar_op(fl, "+", [bld.load(acc), x], rt), acc)

        loop_nest(fl, [n], diagonal)
        return bld.load(acc)
    if name.startswith("nan"):
        return _nan_reduce(fl, name[3:], array, t, rt, dims, size)
    if name in ("any", "all"):
        return _any_all(fl, name, array, t, dims)
    if name in ("min", "max", "argmin", "argmax"):
        what = {"min": "minimum", "max": "maximum"}.get(name)
        message = (
            f"zero-size array to reduction operation {what} which has no identity"
            if what
            else f"attempt to get {name} of an empty sequence"
        )
        fl.raise_if(bld.icmp_signed("==", size, ir.Constant(I64, 0)), ValueError, message)
    acc_type = (
        F64_or(rt) if name == "mean" else (t.dtype if name in ("min", "max", "argmin", "argmax") else rt)
    )
    acc = fl.alloca(llvm_type(acc_type), name=f"{name}.acc")
    index = fl.alloca(I64, name=f"{name}.index")
    counter = fl.alloca(I64, name=f"{name}.count")
    first = (
        load_element(fl, element_pointer(fl, array, t, [ir.Constant(I64, 0)] * t.ndim), t.dtype)
        if name in ("min", "max", "argmin", "argmax")
        else None
    )
    if name in ("sum", "mean", "prod"):
        bld.store(_number(acc_type, 1 if name == "prod" else 0), acc)
    else:
        bld.store(first, acc)
    bld.store(ir.Constant(I64, 0), index)
    bld.store(ir.Constant(I64, 0), counter)
    is_float = isinstance(t.dtype, FloatType)

    def body(ix):
        x = load_element(fl, element_pointer(fl, array, t, ix), t.dtype)
        cur = bld.load(acc)
        if name in ("sum", "mean", "prod"):
            x = fl.cast(x, t.dtype, acc_type)
            bld.store(scalar_op(fl, "+" if name != "prod" else "*", [cur, x], acc_type), acc)
            return
        if name in ("min", "max"):
            bld.store(scalar_op(fl, "maximum" if name == "max" else "minimum", [cur, x], t.dtype), acc)
            return
        n = bld.load(counter)
        better = scalar_op(fl, ">" if name == "argmax" else "<", [x, cur], t.dtype)
        if isinstance(t.dtype, ComplexType):  # lexicographic; the first NaN wins and stays
            from .lower_complex import parts
            from .lower_complex_numpy import arg_better

            better = arg_better(fl, name, parts(fl, x), parts(fl, cur))
        elif is_float:  # the first NaN wins and stays
            better = bld.and_(
                bld.or_(better, bld.fcmp_unordered("uno", x, x)), bld.fcmp_ordered("ord", cur, cur)
            )
        bld.store(bld.select(better, x, cur), acc)
        bld.store(bld.select(better, n, bld.load(index)), index)
        bld.store(bld.add(n, ir.Constant(I64, 1)), counter)

    loop_nest(fl, dims, body)
    if name in ("argmin", "argmax"):
        return bld.load(index)
    result = bld.load(acc)
    if name == "mean" and isinstance(acc_type, ComplexType):  # NumPy: the sum / complex(size)
        total = fl.cast(bld.sitofp(size, llvm_type(acc_type.part)), acc_type.part, acc_type)
        return scalar_op(fl, "/", [result, total], acc_type)
    if name == "mean":
        total = bld.sitofp(size, llvm_type(acc_type))
        return fl.cast(bld.fdiv(result, total), acc_type, rt)
    return result


def identity(t: Type, op: str) -> ir.Constant:
    """Where a cumulative sum ("+") or product ("*") of items of type `t` starts: NumPy starts with
    the first item, so -0.0 for floats (-0.0 + x is x, -0.0 kept); a complex product must take the
    first item itself ((1+0j) * z is NaN for an infinite part).  (`sum` and `prod` start at 0 and 1,
    as NumPy's reductions do.)"""
    if op == "+" and isinstance(t, (FloatType, ComplexType)):
        return ir.Constant(llvm_type(t), (-0.0, -0.0) if isinstance(t, ComplexType) else -0.0)
    return _number(t, 1 if op == "*" else 0)


def _number(t: Type, value: int) -> ir.Constant:
    """The constant `value` of type `t` (a complex one with a zero imaginary part)."""
    return ir.Constant(llvm_type(t), (float(value), 0.0) if isinstance(t, ComplexType) else value)


def F64_or(rt: Type) -> Type:
    return rt if isinstance(rt, (FloatType, ComplexType)) else I64_T


def _variance(fl: FunctionLowerer, name: str, array, t: ArrayType, rt: Type, dims, size) -> ir.Value:
    """NumPy's two passes: the mean, then the mean of the squared distances (in the result's float
    type; an empty array gives NaN)."""
    bld = fl.builder
    # complex items: the distance to the (complex) mean is |x - mean|**2 = re**2 + im**2, as
    # NumPy's `(x * conj(x)).real`; the result is real
    item = t.dtype if isinstance(t.dtype, ComplexType) else rt
    mean = fl.cast(reduce(fl, "mean", array, t, item), item, item)
    acc = fl.alloca(llvm_type(rt), name=f"{name}.acc")
    bld.store(_number(rt, 0), acc)

    def body(ix):
        x = fl.cast(load_element(fl, element_pointer(fl, array, t, ix), t.dtype), t.dtype, item)
        d = scalar_op(fl, "-", [x, mean], item)
        if item is rt:
            square = scalar_op(fl, "*", [d, d], rt)
        else:
            re, im = (fl.cast(bld.extract_value(d, k), item.part, rt) for k in (0, 1))
            square = scalar_op(fl, "+", [scalar_op(fl, "*", [re, re], rt),
                                         scalar_op(fl, "*", [im, im], rt)], rt)
        bld.store(scalar_op(fl, "+", [bld.load(acc), square], rt), acc)

    loop_nest(fl, dims, body)
    var = bld.fdiv(bld.load(acc), bld.sitofp(size, llvm_type(rt)))
    return bld.call(fl.intrinsic("sqrt", var.type), [var]) if name == "std" else var


def _nan_reduce(fl: FunctionLowerer, name: str, array, t: ArrayType, rt: Type, dims, size) -> ir.Value:
    """`np.nansum/nanprod/nanmean/nanmin/nanmax`: NaN items are left out (an integer array has
    none); the mean or extreme of no number is NaN, of an empty array a ValueError for min/max."""
    bld = fl.builder
    if isinstance(t.dtype, ComplexType):
        return _nan_reduce_complex(fl, name, array, t, rt, dims, size)
    if not isinstance(t.dtype, FloatType):
        return reduce(fl, name, array, t, rt)
    if name in ("min", "max"):
        what = {"min": "fmin", "max": "fmax"}[name]
        fl.raise_if(bld.icmp_signed("==", size, ir.Constant(I64, 0)), ValueError,
                    f"zero-size array to reduction operation {what} which has no identity")
    work = rt if name != "mean" else rt
    acc = fl.alloca(llvm_type(work), name=f"nan{name}.acc")
    count = fl.alloca(I64, name=f"nan{name}.count")
    start = float("nan") if name in ("min", "max") else 1.0 if name == "prod" else 0.0
    bld.store(ir.Constant(llvm_type(work), start), acc)
    bld.store(ir.Constant(I64, 0), count)

    def body(ix):
        x = fl.cast(load_element(fl, element_pointer(fl, array, t, ix), t.dtype), t.dtype, work)
        number = bld.fcmp_ordered("ord", x, x)
        cur = bld.load(acc)
        if name in ("min", "max"):
            better = bld.fcmp_ordered(">" if name == "max" else "<", x, cur)
            take = bld.and_(number, bld.or_(better, bld.fcmp_unordered("uno", cur, cur)))
            bld.store(bld.select(take, x, cur), acc)
            return
        op = "*" if name == "prod" else "+"
        bld.store(bld.select(number, scalar_op(fl, op, [cur, x], work), cur), acc)
        bld.store(bld.add(bld.load(count), bld.zext(number, I64)), count)

    loop_nest(fl, dims, body)
    if name == "mean":
        return bld.fdiv(bld.load(acc), bld.sitofp(bld.load(count), llvm_type(work)))
    return bld.load(acc)


def _nan_reduce_complex(fl: FunctionLowerer, name: str, array, t: ArrayType, rt: Type, dims,
                        size) -> ir.Value:
    """The `nan*` reductions of complex items (NaN: either part): `nansum`/`nanprod`/`nanmean` take
    them as 0 (1), the mean divides by the count of the others; `nanmax`/`nanmin` are NumPy's
    `fmax`/`fmin` reductions (the first item to start, NaN only when every item has one)."""
    from .lower_complex import make, parts
    from .lower_complex_numpy import fmax_keeps, has_nan

    bld = fl.builder
    acc = fl.alloca(llvm_type(rt), name=f"nan{name}.acc")
    count = fl.alloca(I64, name=f"nan{name}.count")
    bld.store(ir.Constant(I64, 0), count)
    if name in ("min", "max"):
        what = {"min": "fmin", "max": "fmax"}[name]
        fl.raise_if(bld.icmp_signed("==", size, ir.Constant(I64, 0)), ValueError,
                    f"zero-size array to reduction operation {what} which has no identity")
        first = element_pointer(fl, array, t, [ir.Constant(I64, 0)] * t.ndim)
        bld.store(load_element(fl, first, t.dtype), acc)
    else:
        bld.store(_number(rt, 1 if name == "prod" else 0), acc)

    def body(ix):
        x = load_element(fl, element_pointer(fl, array, t, ix), t.dtype)
        cur = bld.load(acc)
        if name in ("min", "max"):
            keep = fmax_keeps(fl, ">=" if name == "max" else "<=", parts(fl, cur), parts(fl, x))
            bld.store(bld.select(keep, cur, x), acc)
            return
        number = bld.not_(has_nan(fl, parts(fl, x)))
        op = "*" if name == "prod" else "+"
        bld.store(bld.select(number, scalar_op(fl, op, [cur, x], rt), cur), acc)
        bld.store(bld.add(bld.load(count), bld.zext(number, I64)), count)

    loop_nest(fl, dims, body)
    if name == "mean":
        n = bld.sitofp(bld.load(count), llvm_type(rt.part))
        return scalar_op(fl, "/", [bld.load(acc), make(fl, rt, n, ir.Constant(n.type, 0.0))], rt)
    return bld.load(acc)


def _any_all(fl: FunctionLowerer, name: str, array, t: ArrayType, dims) -> ir.Value:
    """Whether any (all) item is true: non-zero, NaN counting as true."""
    bld = fl.builder
    acc = fl.alloca(I1, name=f"{name}.acc")
    bld.store(ir.Constant(I1, int(name == "all")), acc)

    def body(ix):
        x = fl.truth(load_element(fl, element_pointer(fl, array, t, ix), t.dtype), t.dtype)
        bld.store((bld.or_ if name == "any" else bld.and_)(bld.load(acc), x), acc)

    loop_nest(fl, dims, body)
    return bld.load(acc)


def _cumsum(fl: FunctionLowerer, array, t: ArrayType, rt: ArrayType, dims, size, op: str = "+") -> ir.Value:
    bld = fl.builder
    out = new_array(fl, rt, [size])
    acc = fl.alloca(llvm_type(rt.dtype), name="cumsum.acc")
    counter = fl.alloca(I64, name="cumsum.count")
    bld.store(identity(rt.dtype, op), acc)
    bld.store(ir.Constant(I64, 0), counter)

    def body(ix):
        x = fl.cast(load_element(fl, element_pointer(fl, array, t, ix), t.dtype), t.dtype, rt.dtype)
        n = bld.load(counter)
        total = scalar_op(fl, op, [bld.load(acc), x], rt.dtype)
        if op == "*" and isinstance(rt.dtype, ComplexType):
            total = bld.select(bld.icmp_signed("==", n, ir.Constant(I64, 0)), x, total)
        bld.store(total, acc)
        store_element(fl, flat_pointer(fl, out, rt.dtype, n), total, rt.dtype)
        bld.store(bld.add(n, ir.Constant(I64, 1)), counter)

    loop_nest(fl, dims, body)
    return out


__all__ = ["assign", "elementwise", "reduce", "scalar_op", "scalar_ufunc", "COMPARISONS"]
