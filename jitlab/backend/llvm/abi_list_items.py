"""Boxing the items of lists (and dict values) that are arrays, or tuples holding arrays or lists.

An array inside a list lies in the call's arena, which the wrapper empties when the call returns
(`nrt.py`: only the blocks of the arrays a result holds directly are kept), so it is returned as
a new array that NumPy owns, a C-contiguous copy of its items (`PyArray_NewFromDescr` with no
data, then the items copied in the array's own order).  Arrays in a returned list are therefore
never views of one another or of an argument, unlike the same arrays returned directly.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import ArrayType, TupleType

from .wrapper_module import _I8, _I64, _INT, _PTR, _SSIZE, to_dtype

_NPY_DATA_OFFSET = 16  # PyArrayObject_fields.data, after the object header


def box_array_copy(wm, b: ir.IRBuilder, t: ArrayType, struct: ir.Value) -> ir.Value:
    """A new NumPy array holding a copy of the array `struct`'s items (null with an error set)."""
    from .abi_boxing import _NPY_ARRAY_TYPE, _NPY_DESCR_FROM_TYPE, _NPY_NEW_FROM_DESCR, _numpy_api

    null = _PTR(None)
    fn = b.function
    api = b.call(_numpy_api(wm), [])
    result = b.alloca(_PTR, name="copy")
    with b.if_else(b.icmp_unsigned("==", api, null), likely=False) as (missing, present):
        with missing:
            b.call(wm.capi("PyErr_SetString"), [wm.exc(b, "RuntimeError"),
                                                 wm.cstr("NumPy's C API is not available to box an array")])
            b.store(null, result)
        with present:
            def api_slot(index: int, function: ir.FunctionType | None = None) -> ir.Value:
                typ = _PTR if function is None else function.as_pointer()
                return b.load(b.gep(api, [_I64(index)], source_etype=_PTR), typ=typ)

            with b.goto_entry_block():
                dims_memory = b.alloca(ir.ArrayType(_SSIZE, t.ndim), name="copy.dims")
            shape = [b.extract_value(struct, [1, k]) for k in range(t.ndim)]
            strides = [b.extract_value(struct, [2, k]) for k in range(t.ndim)]
            for k, n in enumerate(shape):
                b.store(n, b.gep(dims_memory, [_I64(0), _I64(k)]))
            descr = b.call(api_slot(_NPY_DESCR_FROM_TYPE, ir.FunctionType(_PTR, (_INT,))),
                           [_INT(to_dtype(t.dtype).num)])
            new_from_descr = ir.FunctionType(_PTR, (_PTR, _PTR, _INT, _PTR, _PTR, _PTR, _INT, _PTR))
            array = b.call(api_slot(_NPY_NEW_FROM_DESCR, new_from_descr),
                           [api_slot(_NPY_ARRAY_TYPE), descr, _INT(t.ndim),
                            b.gep(dims_memory, [_I64(0), _I64(0)]), null, null, _INT(0), null])
            b.store(array, result)
            with b.if_then(b.icmp_unsigned("!=", array, null)):
                size = _I64(1)
                for n in shape:
                    size = b.mul(size, n)
                itemsize = to_dtype(t.dtype).itemsize
                dst = b.load(b.gep(array, [_I64(_NPY_DATA_OFFSET)], source_etype=_I8), typ=_PTR)
                src = b.extract_value(struct, 0)
                item = ir.IntType(8 * itemsize) if itemsize <= 8 else ir.ArrayType(_I8, itemsize)
                from .abi_lists import _list_loop

                def copy(k):
                    offset, rest = _I64(0), k
                    for d in reversed(range(t.ndim)):  # the item's index along each axis, last fastest
                        index = b.srem(rest, shape[d]) if d else rest
                        rest = b.sdiv(rest, shape[d]) if d else rest
                        offset = b.add(offset, b.mul(index, strides[d]))
                    value = b.load(b.gep(src, [offset], source_etype=_I8), typ=item, align=1)
                    b.store(value, b.gep(dst, [k], source_etype=item), align=1)
                _list_loop(b, fn, size, copy)
    return b.load(result, typ=_PTR)


def box_tuple_items(wm, b: ir.IRBuilder, t: TupleType, value: ir.Value) -> ir.Value:
    """A new Python tuple of a tuple item holding arrays or lists (null with an error set)."""
    from .abi_lists import box_item

    result = b.alloca(_PTR, name="tuple")
    obj = b.call(wm.capi("PyTuple_New"), [_SSIZE(len(t.items))])
    b.store(obj, result)
    with b.if_then(b.icmp_unsigned("!=", obj, _PTR(None))):
        failed = ir.Constant(ir.IntType(1), 0)
        for k, item_type in enumerate(t.items):
            item = b.extract_value(value, k)
            boxed = box_item(wm, b, item_type, item)
            failed = b.or_(failed, b.icmp_unsigned("==", boxed, _PTR(None)))
            b.call(wm.capi("PyTuple_SetItem"), [obj, _SSIZE(k), boxed])  # steals; null is allowed
        with b.if_then(failed, likely=False):
            b.call(wm.capi("Py_DecRef"), [obj])
            b.store(_PTR(None), result)
    return b.load(result, typ=_PTR)


__all__ = ["box_array_copy", "box_tuple_items"]
