"""Lowering of array and tuple indexing, assignment, attributes, `len` and iteration.

An array value is the struct `{ptr data, [N x i64] shape, [N x i64] strides}`
(`signature.py`).  Where an element lives:

* layout "C": `data + ((i0 * n1 + i1) * n2 + i2) * itemsize`, "F" the same with
  the axes reversed -- computed from the shape, never the strides, so LLVM sees
  unit-stride inner loops and vectorises them (a contiguous array's strides say
  nothing more, and may be arbitrary on axes of length 1);
* layout "A": `data + i0 * s0 + i1 * s1 + ...` with the byte strides.

An index `i` on an axis of length `n` is first wrapped as NumPy does (`i < 0`
→ `i + n`), then checked with one unsigned compare (`i >= n` also catches an
index still negative after wrapping).  A failed check raises
`IndexError("index 10 is out of bounds for axis 0 with size 10")`, NumPy's
message, formatted by `snprintf` into a module-private buffer (the GIL is held
while compiled code runs, and the wrapper copies the message at once).  The
check is left out when the lowering option `boundscheck` is off, or when the
node carries `inbounds = true`: the attribute asserts `0 <= index < size` (range
analysis proves it with a constant lower bound >= 0), so neither the check nor the
negative wrap is emitted; an access in the unchecked copy of a versioned loop
(`lower_versioning.py`) likewise.  A tuple index gets this per axis: `inbounds_axes` lists
the proved axes, `guards` the versioned ones.  Elsewhere the wrap is kept.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import (
    I64 as I64_T, ArrayIterType, ArrayType, BoolType, ComplexType, FloatType, IntType, StrType, TupleType,
    Type, RangeIterType as RangeIteratorType,
)

from . import excinfo, messages
from .lower import I8, I64, FunctionLowerer
from .signature import PTR, STATUS, llvm_type

INDEX_ERROR_FORMAT = "index %lld is out of bounds for axis %lld with size %lld"
MESSAGE_BUFFER_BYTES = 256


def itemsize(t: Type) -> int:
    if isinstance(t, BoolType):
        return 1
    if isinstance(t, (IntType, FloatType, ComplexType)):
        return t.bits // 8
    if isinstance(t, StrType):  # a list's item: (data, length), `lower_str.py`
        return 16
    raise LoweringError(f"{t} is not an array element type")


def memory_type(t: Type) -> ir.Type:
    """How an element is stored in memory (`bool` as a byte, unlike in registers)."""
    return I8 if isinstance(t, BoolType) else llvm_type(t)


# -- global constants (δ) -------------------------------------------------------------------
DELTA_ALIGN = 64  # a cache line: aligned vector loads from the start of a global array


def delta_global(fl: FunctionLowerer, name: str) -> ir.GlobalVariable:
    """The LLVM global holding δ `name`'s bytes: a private `constant`, so LLVM folds loads from it
    at known indices (and may merge equal ones: `unnamed_addr`)."""
    delta = fl.deltas.get(name)
    if delta is None:
        raise LoweringError(f"global array {name} is not a global constant of the module "
                            "(δs are lowered for CPU functions only)", line=fl.current_loc.line
                            if fl.current_loc is not None else None)
    symbol = f"jitlab.delta.{name}"
    existing = fl.module.globals.get(symbol)
    if existing is not None:
        return existing
    kind = ir.ArrayType(I8, len(delta.data))
    gv = ir.GlobalVariable(fl.module, kind, symbol)
    gv.initializer = ir.Constant(kind, bytearray(delta.data))
    gv.global_constant = True
    gv.linkage = "private"
    gv.unnamed_addr = True
    gv.align = DELTA_ALIGN
    return gv


def global_(fl: FunctionLowerer, node, args, in_types, out_types):
    """`py.global {name}`: the array struct of the δ, every field a constant (C strides)."""
    t: ArrayType = out_types[0]
    delta = fl.deltas.get(node.attr("name"))
    gv = delta_global(fl, node.attr("name"))
    strides, step = [], itemsize(t.dtype)
    for n in reversed(delta.shape):
        strides.insert(0, step)
        step *= max(n, 1)
    dims = ir.ArrayType(I64, t.ndim)
    return [ir.Constant(llvm_type(t), [gv, ir.Constant(dims, [I64(n) for n in delta.shape]),
                                       ir.Constant(dims, [I64(s) for s in strides])])]


# -- fields of the array struct ------------------------------------------------------------
def shape(fl: FunctionLowerer, array: ir.Value, axis: int) -> ir.Value:
    return fl.builder.extract_value(array, [1, axis])


def stride(fl: FunctionLowerer, array: ir.Value, axis: int) -> ir.Value:
    return fl.builder.extract_value(array, [2, axis])


def data(fl: FunctionLowerer, array: ir.Value) -> ir.Value:
    return fl.builder.extract_value(array, 0)


# -- indices -------------------------------------------------------------------------------
def wrap_index(fl: FunctionLowerer, index: ir.Value, t: Type, size: ir.Value, axis: int,
               check: bool, nonnegative: bool = False) -> ir.Value:
    """`index` as an i64 in [0, size): negative indices count from the end; checked if asked.
    `nonnegative`: the index is known not to be negative, so there is nothing to wrap (a select
    per access that would turn a vectorised loop's contiguous loads into gathers)."""
    bld = fl.builder
    signed = isinstance(t, IntType) and t.signed
    i = index
    if i.type.width < 64:
        i = bld.sext(i, I64) if signed else bld.zext(i, I64)
    given = i
    if signed and not nonnegative:
        i = bld.select(bld.icmp_signed("<", i, ir.Constant(I64, 0)), bld.add(i, size), i)
    if check:
        outside = bld.icmp_unsigned(">=", i, size)
        raise_index_error(fl, outside, given, axis, size, unsigned=not signed)
    return i


def raise_index_error(fl: FunctionLowerer, cond: ir.Value, index: ir.Value, axis: int, size: ir.Value,
                      unsigned: bool = False) -> None:
    """Continue when `cond` is false, else raise NumPy's out-of-bounds IndexError.

    One cold block per function formats the message; each check site feeds it
    its index, axis and size through φs.  A u64 index above INT64_MAX prints as
    negative; NumPy would print it unsigned -- the only difference.
    """
    if fl.traps_on_raise:
        cont = fl.func.append_basic_block("inbounds")
        fl.builder.cbranch(cond, fl.trap_block(), cont)
        fl.builder.position_at_end(cont)
        return
    if fl.landing_key not in fl.index_error:  # one per function, and per caught op
        block = fl.func.append_basic_block("raise.IndexError.bounds")
        rb = ir.IRBuilder(block)
        phis = [rb.phi(I64, name) for name in ("index", "axis", "size")]
        buffer = _message_buffer(fl)
        snprintf = fl.declare("snprintf", ir.FunctionType(ir.IntType(32), [PTR, I64, PTR], var_arg=True))
        rb.call(snprintf, [buffer, ir.Constant(I64, MESSAGE_BUFFER_BYTES), fl.cstring(INDEX_ERROR_FORMAT),
                           *phis])
        fl.exit_with(rb, ir.Constant(STATUS, excinfo.code_of(IndexError)), buffer)
        fl.index_error[fl.landing_key] = (block, phis)
    block, (index_phi, axis_phi, size_phi) = fl.index_error[fl.landing_key]
    cont = fl.func.append_basic_block("inbounds")
    fl.cold_branch(cond, block, cont)
    here = fl.builder.block
    index_phi.add_incoming(index, here)
    axis_phi.add_incoming(ir.Constant(I64, axis), here)
    size_phi.add_incoming(size, here)
    fl.builder.position_at_end(cont)


def _message_buffer(fl: FunctionLowerer) -> ir.GlobalVariable:
    return fl.message_buffer()


def _checked(fl: FunctionLowerer, node, axis: int | None = None) -> bool:
    """Does the access need its bounds check (on axis `axis` of a tuple index)?"""
    return fl.options.boundscheck and not _known_in_bounds(fl, node, axis)


def element_pointer(fl: FunctionLowerer, array: ir.Value, t: ArrayType, indices: list[ir.Value]) -> ir.Value:
    """Address of the element at (already wrapped) `indices`, one per axis."""
    bld = fl.builder
    elem = memory_type(t.dtype)
    if t.layout in ("C", "F"):
        axes = range(t.ndim) if t.layout == "C" else range(t.ndim - 1, -1, -1)
        linear = None
        for axis in axes:
            i = indices[axis]
            linear = i if linear is None else bld.add(bld.mul(linear, shape(fl, array, axis)), i)
        return bld.gep(data(fl, array), [linear], inbounds=True, source_etype=elem)
    offset = None
    for axis, i in enumerate(indices):
        term = bld.mul(i, stride(fl, array, axis))
        offset = term if offset is None else bld.add(offset, term)
    return bld.gep(data(fl, array), [offset], inbounds=True, source_etype=I8)


def subview(fl: FunctionLowerer, array: ir.Value, t: ArrayType, indices: list[ir.Value],
            result: ArrayType) -> ir.Value:
    """The view `a[i0, ..., ik]` of the remaining axes (a row of a 2-d array, say)."""
    bld = fl.builder
    offset = None
    for axis, i in enumerate(indices):
        term = bld.mul(i, stride(fl, array, axis))
        offset = term if offset is None else bld.add(offset, term)
    view = ir.Constant(llvm_type(result), None)
    view = bld.insert_value(view, bld.gep(data(fl, array), [offset], inbounds=True, source_etype=I8), 0)
    for k in range(result.ndim):
        view = bld.insert_value(view, shape(fl, array, len(indices) + k), [1, k])
        view = bld.insert_value(view, stride(fl, array, len(indices) + k), [2, k])
    return view


def load_element(fl: FunctionLowerer, pointer: ir.Value, dtype: Type) -> ir.Value:
    value = fl.builder.load(pointer, typ=memory_type(dtype))
    if isinstance(dtype, BoolType):
        return fl.builder.icmp_unsigned("!=", value, ir.Constant(I8, 0))
    return value


def _index_row(fl: FunctionLowerer, array, t: ArrayType, indices: list[ir.Value], result: Type):
    if isinstance(result, ArrayType):
        return subview(fl, array, t, indices, result)
    return load_element(fl, element_pointer(fl, array, t, indices), t.dtype)


# -- ops -----------------------------------------------------------------------------------
def _wrapped_indices(fl: FunctionLowerer, node, array: ir.Value, index: ir.Value, index_type: Type):
    """One wrapped (and checked) i64 per indexed axis, from an integer or a tuple index."""
    if isinstance(index_type, TupleType):
        items = [(fl.builder.extract_value(index, k), t) for k, t in enumerate(index_type.items)]
    else:
        items = [(index, index_type)]
    tuple_index = isinstance(index_type, TupleType)
    return [wrap_index(fl, value, t, shape(fl, array, axis), axis, _checked(fl, node, tuple_index and axis),
                       nonnegative=_known_in_bounds(fl, node, tuple_index and axis))
            for axis, (value, t) in enumerate(items)]


def _known_in_bounds(fl: FunctionLowerer, node, axis: int | bool = False) -> bool:
    """0 <= index < size is known: proved by range analysis (`inbounds`, whose interval starts at
    a constant >= 0) or tested before the loop running this unchecked copy (`guard`: lo >= 0).
    For axis `axis` of a tuple index (`axis` not False): `inbounds`, the axis listed in
    `inbounds_axes`, or in the `guards` of the loop running unchecked."""
    if node.attr("inbounds"):
        return True
    if axis is False:
        return node.attr("guard_loop") in fl.unchecked_loops and node.attr("guard") is not None
    if axis in (node.attr("inbounds_axes") or ()):
        return True
    return node.attr("guard_loop") in fl.unchecked_loops \
        and any(g[0] == axis for g in node.attr("guards") or ())


def getitem(fl: FunctionLowerer, node, args, in_types, out_types):
    array, t = args[0], in_types[0]
    if isinstance(t, TupleType) and node.attr("tuple_slice") is not None:  # t[1:], constant bounds
        value = ir.Constant(llvm_type(out_types[0]), None)
        for j, k in enumerate(node.attr("tuple_slice")):
            value = fl.builder.insert_value(value, fl.builder.extract_value(array, k), j)
        return [value, None]
    if isinstance(t, TupleType) and node.inputs[1] not in fl.consts:
        return [_tuple_item(fl, array, len(t.items), fl.cast(args[1], in_types[1], I64_T)), None]
    if isinstance(t, TupleType):  # a constant index, checked by typing
        k = fl.inferred_const(node.inputs[1]) % len(t.items)
        return [fl.builder.extract_value(array, k), None]
    indices = _wrapped_indices(fl, node, array, args[1], in_types[1])
    return [_index_row(fl, array, t, indices, out_types[0]), None]


def _tuple_item(fl: FunctionLowerer, tup: ir.Value, n: int, i: ir.Value) -> ir.Value:
    """`t[i]` of a tuple of one item type with a run-time index (negative from the end, checked)."""
    bld = fl.builder
    i = bld.select(bld.icmp_signed("<", i, ir.Constant(I64, 0)), bld.add(i, ir.Constant(I64, n)), i)
    fl.raise_if(bld.icmp_unsigned(">=", i, ir.Constant(I64, n)), IndexError, messages.TUPLE_INDEX)
    value = bld.extract_value(tup, 0)
    for k in range(1, n):
        value = bld.select(bld.icmp_signed("==", i, ir.Constant(I64, k)), bld.extract_value(tup, k), value)
    return value


def setitem(fl: FunctionLowerer, node, args, in_types, out_types):
    array, t = args[0], in_types[0]
    indices = _wrapped_indices(fl, node, array, args[1], in_types[1])
    value = to_dtype(fl, args[2], in_types[2], t.dtype)
    if isinstance(t.dtype, BoolType):
        value = fl.builder.zext(value, I8)
    fl.builder.store(value, element_pointer(fl, array, t, indices))
    return [None]


def getattr_(fl: FunctionLowerer, node, args, in_types, out_types):
    array, t, name = args[0], in_types[0], node.attr("name")
    if name == "ndim":
        return [ir.Constant(I64, t.ndim), None]
    sizes = [shape(fl, array, axis) for axis in range(t.ndim)]
    if name == "size":
        size = sizes[0]
        for n in sizes[1:]:
            size = fl.builder.mul(size, n)
        return [size, None]
    value = ir.Constant(llvm_type(out_types[0]), None)
    for axis, n in enumerate(sizes):
        value = fl.builder.insert_value(value, n, axis)
    return [value, None]


def build_tuple(fl: FunctionLowerer, node, args, in_types, out_types):
    value = ir.Constant(llvm_type(out_types[0]), None)
    for k, item in enumerate(args[:-1]):
        value = fl.builder.insert_value(value, item, k)
    return [value, None]


def to_dtype(fl: FunctionLowerer, value: ir.Value, src: Type, dst: Type) -> ir.Value:
    """NumPy's assignment cast: like promotion, plus float → int truncating toward zero."""
    if isinstance(src, FloatType) and isinstance(dst, IntType):
        conv = fl.builder.fptosi if dst.signed else fl.builder.fptoui
        return conv(value, llvm_type(dst))
    return fl.cast(value, src, dst)


def length(fl: FunctionLowerer, args, in_types, rt):
    if isinstance(in_types[0], TupleType):
        return ir.Constant(I64, len(in_types[0].items))
    if isinstance(in_types[0], RangeIteratorType):  # (next, remaining, step): what is left
        return fl.builder.extract_value(args[0], 1)
    return shape(fl, args[0], 0)


def getiter(fl: FunctionLowerer, node, args, in_types, out_types):
    it = ir.Constant(llvm_type(out_types[0]), None)
    it = fl.builder.insert_value(it, args[0], 0)
    return [fl.builder.insert_value(it, ir.Constant(I64, 0), 1), None]


def iternext(fl: FunctionLowerer, node, args, in_types, out_types):
    """(ok, a[i], iterator at i + 1); the row is only read while `i` is in bounds."""
    bld = fl.builder
    it_type: ArrayIterType = in_types[0]
    it = args[0]
    array, i = bld.extract_value(it, 0), bld.extract_value(it, 1)
    ok = bld.icmp_signed("<", i, shape(fl, array, 0))
    row_type = out_types[1]
    if isinstance(row_type, ArrayType):
        row = subview(fl, array, it_type.array, [i], row_type)
    else:
        before = bld.block
        read = fl.func.append_basic_block("iter.read")
        done = fl.func.append_basic_block("iter.next")
        bld.cbranch(ok, read, done)
        bld.position_at_end(read)
        value = load_element(fl, element_pointer(fl, array, it_type.array, [i]), it_type.array.dtype)
        bld.branch(done)
        bld.position_at_end(done)
        row = bld.phi(value.type)
        row.add_incoming(value, read)
        row.add_incoming(ir.Constant(value.type, None), before)
    advanced = bld.insert_value(it, bld.add(i, ir.Constant(I64, 1)), 1)
    return [ok, row, advanced, None]


__all__ = ["getitem", "setitem", "getattr_", "build_tuple", "length", "getiter", "iternext",
           "INDEX_ERROR_FORMAT"]
