"""Lowering of array allocation: `np.empty/zeros/ones/full/arange/linspace/*_like`, `a.copy()`.

A new array is one arena block (`nrt.py`) holding its elements in C order (F
order for `*_like` of an F array), with NumPy's checks: a negative dimension
raises `ValueError("negative dimensions are not allowed")`, a size whose bytes
overflow raises NumPy's "array is too big" `ValueError`, a failed allocation
`MemoryError`.  `np.zeros` asks for zeroed memory (`calloc`: large blocks come
zeroed from the OS and are never touched), the others fill in a loop.

`loop_nest` is the loop builder every whole-array operation uses: nested
counted loops over a shape, the innermost axis last, so C-contiguous data is
walked with unit stride and LLVM vectorises the inner loop.
"""

from __future__ import annotations

from collections.abc import Callable

from llvmlite import ir

from jitlab.ir.types import F64 as F64_T, I64 as I64_T, ArrayType, BoolType, FloatType, TupleType, Type

from . import excinfo, nrt
from .lower import I1, I8, I64, FunctionLowerer
from .lower_arrays import MESSAGE_BUFFER_BYTES, _message_buffer, data, itemsize, memory_type, shape, stride
from .signature import PTR, STATUS, llvm_type

NEGATIVE_DIMENSIONS = "negative dimensions are not allowed"
TOO_BIG = "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size."


# -- loops ---------------------------------------------------------------------------------
def loop_nest(fl: FunctionLowerer, counts: list[ir.Value], body: Callable[[list[ir.Value]], None]) -> None:
    """`for i0 in range(counts[0]): for i1 in …: body([i0, i1, …])` (nothing runs for an empty axis)."""
    bld = fl.builder

    def level(k: int, indices: list[ir.Value]) -> None:
        if k == len(counts):
            body(indices)
            return
        n = counts[k]
        before = bld.block
        head = fl.func.append_basic_block(f"nd.loop{k}")
        end = fl.func.append_basic_block(f"nd.end{k}")
        bld.cbranch(bld.icmp_signed(">", n, ir.Constant(I64, 0)), head, end)
        bld.position_at_end(head)
        i = bld.phi(I64, name=f"i{k}")
        i.add_incoming(ir.Constant(I64, 0), before)
        level(k + 1, [*indices, i])
        nxt = bld.add(i, ir.Constant(I64, 1), flags=("nsw", "nuw"))
        i.add_incoming(nxt, bld.block)
        bld.cbranch(bld.icmp_signed("<", nxt, n), head, end)
        bld.position_at_end(end)

    level(0, [])


def flat_loop(fl: FunctionLowerer, count: ir.Value, body: Callable[[ir.Value], None]) -> None:
    loop_nest(fl, [count], lambda ix: body(ix[0]))


def product(fl: FunctionLowerer, values: list[ir.Value]) -> ir.Value:
    result = ir.Constant(I64, 1)
    for v in values:
        result = fl.builder.mul(result, v)
    return result


def raise_formatted(
    fl: FunctionLowerer, cond: ir.Value, exc: type[BaseException], fmt: str, values: list[ir.Value]
) -> None:
    """Continue when `cond` is false, else raise `exc(fmt % values)` (`values` are i64, `%lld`)."""
    if fl.traps_on_raise:
        cont = fl.func.append_basic_block("ok")
        fl.builder.cbranch(cond, fl.trap_block(), cont)
        fl.builder.position_at_end(cont)
        return
    block = fl.func.append_basic_block(f"raise.{exc.__name__}.formatted")
    cont = fl.func.append_basic_block("ok")
    fl.cold_branch(cond, block, cont)
    rb = ir.IRBuilder(block)
    buffer = _message_buffer(fl)
    snprintf = fl.declare("snprintf", ir.FunctionType(ir.IntType(32), [PTR, I64, PTR], var_arg=True))
    rb.call(snprintf, [buffer, ir.Constant(I64, MESSAGE_BUFFER_BYTES), fl.cstring(fmt), *values])
    fl.exit_with(rb, ir.Constant(STATUS, excinfo.code_of(exc)), buffer)
    fl.builder.position_at_end(cont)


def shape_format(ndim: int) -> str:
    """How NumPy prints a shape of `ndim` axes: `(3,)`, `(2,3)`."""
    return "(" + ",".join(["%lld"] * ndim) + ("," if ndim == 1 else "") + ")"


# -- array structs -------------------------------------------------------------------------
def make_struct(
    fl: FunctionLowerer, t: ArrayType, pointer: ir.Value, dims: list[ir.Value], strides: list[ir.Value]
) -> ir.Value:
    bld = fl.builder
    value = bld.insert_value(ir.Constant(llvm_type(t), None), pointer, 0)
    for k, (n, s) in enumerate(zip(dims, strides)):
        value = bld.insert_value(value, n, [1, k])
        value = bld.insert_value(value, s, [2, k])
    return value


def dims_of(fl: FunctionLowerer, array: ir.Value, ndim: int) -> list[ir.Value]:
    return [shape(fl, array, k) for k in range(ndim)]


def strides_of(fl: FunctionLowerer, array: ir.Value, ndim: int) -> list[ir.Value]:
    return [stride(fl, array, k) for k in range(ndim)]


def check_span(fl: FunctionLowerer, dims: list[ir.Value], size: int, limit: int = 2**63 - 1) -> None:
    """NumPy's "array is too big" ValueError unless the item size times every non-zero extent
    (non-negative i64s) is at most `limit`: as in NumPy, an empty array's other extents count
    too, so every extent of every array times its item size fits an i64 (which
    `FunctionLowerer.array_argument` tells LLVM)."""
    bld = fl.builder
    umul = fl.declare(
        "llvm.umul.with.overflow.i64", ir.FunctionType(ir.LiteralStructType([I64, I1]), [I64, I64])
    )
    span, overflow = ir.Constant(I64, size), ir.Constant(I1, 0)
    one = ir.Constant(I64, 1)
    for n in dims:
        pair = bld.call(umul, [span, bld.select(bld.icmp_unsigned("==", n, ir.Constant(I64, 0)), one, n)])
        span = bld.extract_value(pair, 0)
        overflow = bld.or_(overflow, bld.extract_value(pair, 1))
    fl.raise_if(bld.or_(overflow, bld.icmp_unsigned(">", span, ir.Constant(I64, limit))), ValueError, TOO_BIG)


def new_array(
    fl: FunctionLowerer, t: ArrayType, dims: list[ir.Value], zeroed: bool = False, order: str = "C"
) -> ir.Value:
    """A new array of type `t` and shape `dims` (i64 values) in the arena, contiguous in `order`."""
    bld = fl.builder
    negative = None
    for n in dims:
        below = bld.icmp_signed("<", n, ir.Constant(I64, 0))
        negative = below if negative is None else bld.or_(negative, below)
    fl.raise_if(negative, ValueError, NEGATIVE_DIMENSIONS)
    check_span(fl, dims, itemsize(t.dtype), 2**63 - 1 - nrt.HEADER_BYTES)
    nbytes = ir.Constant(I64, itemsize(t.dtype))
    for n in dims:  # no wrap: within the span checked
        nbytes = bld.mul(nbytes, n)
    pointer = bld.call(nrt.alloc_function(fl.module), [nbytes, ir.Constant(I1, int(zeroed))])
    fl.raise_if(
        bld.icmp_unsigned("==", pointer, ir.Constant(PTR, None)),
        MemoryError,
        "Unable to allocate memory for an array in compiled code",
    )
    strides = [None] * len(dims)
    step = ir.Constant(I64, itemsize(t.dtype))
    axes = range(len(dims) - 1, -1, -1) if order == "C" else range(len(dims))
    for k in axes:
        strides[k] = step
        step = bld.mul(step, dims[k])
    return make_struct(fl, t, pointer, dims, strides)


def store_element(fl: FunctionLowerer, pointer: ir.Value, value: ir.Value, dtype: Type) -> None:
    if isinstance(dtype, BoolType):
        value = fl.builder.zext(value, I8)
    fl.builder.store(value, pointer)


def flat_pointer(fl: FunctionLowerer, array: ir.Value, dtype: Type, i: ir.Value) -> ir.Value:
    """Address of item `i` of a contiguous array's data."""
    return fl.builder.gep(data(fl, array), [i], inbounds=True, source_etype=memory_type(dtype))


def fill(fl: FunctionLowerer, array: ir.Value, t: ArrayType, value: ir.Value) -> None:
    """Store `value` (already of the dtype) into every element of a new contiguous array."""
    size = product(fl, dims_of(fl, array, t.ndim))
    flat_loop(fl, size, lambda i: store_element(fl, flat_pointer(fl, array, t.dtype, i), value, t.dtype))


# -- np.* allocation calls -------------------------------------------------------------------
def shape_values(fl: FunctionLowerer, value: ir.Value, t: Type) -> list[ir.Value]:
    """The i64 dimensions of a shape argument (an integer or a tuple of integers)."""
    if isinstance(t, TupleType):
        return [fl.cast(fl.builder.extract_value(value, k), item, I64_T) for k, item in enumerate(t.items)]
    return [fl.cast(value, t, I64_T)]


def allocation(fl: FunctionLowerer, node, callee: str, args, in_types, rt: ArrayType) -> ir.Value:
    from jitlab.typing.rules.numpy_calls import bound_arguments

    bound = bound_arguments(tuple(node.attr("kwnames") or ()), callee, len(args))

    def arg(name):
        i = bound.get(name)
        return None if i is None else (args[i], in_types[i])

    kind = callee[len("numpy.") :]
    if kind in ("empty", "zeros", "ones", "full"):
        dims = shape_values(fl, *arg("shape"))
        array = new_array(fl, rt, dims, zeroed=kind == "zeros")
        if kind in ("ones", "full"):
            value, t = arg("fill_value") if kind == "full" else (ir.Constant(I64, 1), I64_T)
            fill(fl, array, rt, convert(fl, value, t, rt.dtype))
        return array
    if kind.endswith("_like"):
        proto, proto_t = arg("prototype") or arg("a")
        dims = dims_of(fl, proto, proto_t.ndim)
        array = new_array(fl, rt, dims, zeroed=kind == "zeros_like", order=rt.layout)
        if kind in ("ones_like", "full_like"):
            value, t = arg("fill_value") if kind == "full_like" else (ir.Constant(I64, 1), I64_T)
            fill(fl, array, rt, convert(fl, value, t, rt.dtype))
        return array
    if kind == "arange":
        return _arange(fl, arg, rt)
    return _linspace(fl, arg, rt)


def convert(fl: FunctionLowerer, value: ir.Value, src: Type, dst: Type) -> ir.Value:
    """NumPy's cast of a value into an array of `dst` (float → int truncates toward zero)."""
    from .lower_arrays import to_dtype

    return to_dtype(fl, value, src, dst)


def _arange(fl: FunctionLowerer, arg, rt: ArrayType) -> ir.Value:
    """NumPy's `arange`: length `ceil((stop - start) / step)` (at least 0), item i = start + i * step."""
    bld = fl.builder
    present = [arg(n) for n in ("start", "stop", "step") if arg(n) is not None]
    floating = any(isinstance(t, FloatType) for _, t in present) or isinstance(rt.dtype, FloatType)
    work = F64_T if floating else I64_T
    vals = [fl.cast(v, t, work) for v, t in present]
    zero = ir.Constant(llvm_type(work), 0)
    one = ir.Constant(llvm_type(work), 1)
    start, stop, step = (
        (zero, vals[0], one) if len(vals) == 1 else (vals[0], vals[1], vals[2] if len(vals) > 2 else one)
    )
    if floating:
        fl.raise_if(bld.fcmp_ordered("==", step, zero), ZeroDivisionError, "division by zero")
        span = bld.fdiv(bld.fsub(stop, start), step)
        ceil = bld.call(fl.intrinsic("ceil", span.type), [span])
        positive = bld.fcmp_ordered(">", ceil, ir.Constant(span.type, 0.0))
        n = bld.select(positive, bld.fptosi(ceil, I64), ir.Constant(I64, 0))
    else:
        fl.raise_if(bld.icmp_signed("==", step, zero), ZeroDivisionError, "division by zero")
        # ceil((stop - start) / step) without overflow for the ranges arange accepts
        diff = bld.sub(stop, start)
        q = bld.sdiv(diff, step)
        r = bld.srem(diff, step)
        same_sign = bld.icmp_signed("==", bld.icmp_signed("<", r, zero), bld.icmp_signed("<", step, zero))
        q = bld.select(bld.and_(bld.icmp_signed("!=", r, zero), same_sign), bld.add(q, one), q)
        n = bld.select(bld.icmp_signed(">", q, zero), q, ir.Constant(I64, 0))
    array = new_array(fl, rt, [n])

    def body(i):
        k = bld.sitofp(i, F64_LLVM) if floating else i
        item = bld.fadd(start, bld.fmul(k, step)) if floating else bld.add(start, bld.mul(k, step))
        store_element(fl, flat_pointer(fl, array, rt.dtype, i), convert(fl, item, work, rt.dtype), rt.dtype)

    flat_loop(fl, n, body)
    return array


F64_LLVM = ir.DoubleType()


def _linspace(fl: FunctionLowerer, arg, rt: ArrayType) -> ir.Value:
    """NumPy's `linspace(start, stop, num=50, endpoint=True)`: `start + i * step`, step =
    (stop - start) / (num - 1) (/ num without the endpoint), the last item exactly `stop` (as NumPy
    computes it, so the results are bit-identical)."""
    bld = fl.builder
    start = fl.cast(*arg("start"), F64_T)
    stop = fl.cast(*arg("stop"), F64_T)
    num = fl.cast(*arg("num"), I64_T) if arg("num") is not None else ir.Constant(I64, 50)
    raise_formatted(
        fl,
        bld.icmp_signed("<", num, ir.Constant(I64, 0)),
        ValueError,
        "Number of samples, %lld, must be non-negative.",
        [num],
    )
    array = new_array(fl, rt, [num])
    endpoint = fl.truth(*arg("endpoint")) if arg("endpoint") is not None else ir.Constant(ir.IntType(1), 1)
    div = bld.select(endpoint, bld.sub(num, ir.Constant(I64, 1)), num)  # endpoint=False: num steps
    div_f = bld.sitofp(div, F64_LLVM)
    delta = bld.fsub(stop, start)
    step = bld.fdiv(delta, div_f)
    step_zero = bld.fcmp_ordered("==", step, ir.Constant(F64_LLVM, 0.0))
    positive_div = bld.icmp_signed(">", div, ir.Constant(I64, 0))

    def body(i):
        k = bld.sitofp(i, F64_LLVM)
        scaled = bld.select(step_zero, bld.fmul(bld.fdiv(k, div_f), delta), bld.fmul(k, step))
        plain = bld.fmul(k, delta)  # num == 1: NumPy multiplies by delta (only i = 0 exists)
        item = bld.fadd(bld.select(positive_div, scaled, plain), start)
        last = bld.and_(bld.and_(endpoint, positive_div), bld.icmp_signed("==", i, div))
        store_element(fl, flat_pointer(fl, array, rt.dtype, i), bld.select(last, stop, item), rt.dtype)

    flat_loop(fl, num, body)
    return array


# -- copies ----------------------------------------------------------------------------------
def copy(fl: FunctionLowerer, array: ir.Value, t: ArrayType, result: ArrayType) -> ir.Value:
    """`a.copy()`: a new C array with `a`'s elements (one `memcpy` when `a` is C-contiguous)."""
    from .lower_arrays import element_pointer, load_element

    dims = dims_of(fl, array, t.ndim)
    out = new_array(fl, result, dims)
    if t.layout == "C":
        nbytes = fl.builder.mul(product(fl, dims), ir.Constant(I64, itemsize(t.dtype)))
        memcpy = fl.declare("llvm.memcpy.p0.p0.i64", ir.FunctionType(ir.VoidType(), [PTR, PTR, I64, I1]))
        fl.builder.call(memcpy, [data(fl, out), data(fl, array), nbytes, ir.Constant(I1, 0)])
        return out

    def body(ix):
        value = load_element(fl, element_pointer(fl, array, t, ix), t.dtype)
        store_element(fl, element_pointer(fl, out, result, ix), value, result.dtype)

    loop_nest(fl, dims, body)
    return out


__all__ = [
    "allocation",
    "copy",
    "fill",
    "loop_nest",
    "flat_loop",
    "new_array",
    "make_struct",
    "raise_formatted",
    "shape_format",
    "product",
    "dims_of",
    "strides_of",
    "store_element",
    "flat_pointer",
    "convert",
]
