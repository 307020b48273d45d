"""Array lowering details seen in the LLVM IR: bounds checks and where they are left out."""
import itertools
from dataclasses import replace

import numpy as np
import pytest
from irbuild import FunctionBuilder

from jitlab.backend.llvm import abi, get_engine, lower, native_signature, optimize, written_arguments
from jitlab.ir import Module, Op
from jitlab.ir.types import F64, I64, ArrayType
from jitlab.typing import infer

A1 = ArrayType(F64, 1, "C")


def _getitem_module(**attrs):
    fb = FunctionBuilder("f", ["a", "i"])
    r = fb._op("py.getitem", ["a", "i"], 1, tuple(attrs.items()))[0]
    return infer(fb.module(r), (A1, I64))


def test_bounds_check_by_default():
    text = lower(_getitem_module())
    assert "raise.IndexError.bounds" in text
    assert "index %lld is out of bounds for axis %lld with size %lld" in text


def test_inbounds_attribute_drops_the_check_and_the_wrap():
    """`inbounds = true` asserts 0 <= index < size (range analysis proves a constant lower bound
    >= 0), so a negative index needs no wrap either; without it both stay."""
    text = lower(_getitem_module(inbounds=True))
    assert "raise.IndexError" not in text
    assert "icmp slt i64" not in text
    assert "icmp slt i64" in lower(_getitem_module())  # a negative index counts from the end


def test_boundscheck_option_drops_every_check():
    assert "raise.IndexError" not in lower(_getitem_module(), boundscheck=False)


def test_inbounds_survives_typing():
    fn = _getitem_module(inbounds=True).functions[0]
    (node,) = [n for n in fn.body.nodes if isinstance(n, Op)]
    assert node.attr("inbounds") is True


# -- ops the frontend does not emit yet (tuple indices, attributes), from hand-built IR ------
_unique = itertools.count()


def _builtin(fb, result, argtypes):
    """Type, lower, JIT and wrap a hand-built function as a CPython builtin."""
    fn = replace(fb.finish(result), name=f"arrays_{next(_unique)}")
    typed = infer(Module((fn,)), argtypes).functions[0]
    engine = get_engine()
    engine.add_ir(optimize(lower(Module((typed,)))))
    symbol, types, rettype = native_signature(typed)
    return abi.wrap_native(engine, typed.name, symbol, types, rettype, writable=written_arguments(typed))


def test_tuple_index_shape_and_size():
    fb = FunctionBuilder("f", ["a", "i", "j"])
    index = fb._op("py.build_tuple", ["i", "j"], 1)[0]
    x = fb._op("py.getitem", ["a", index], 1)[0]
    shape = fb._op("py.getattr", ["a"], 1, (("name", "shape"),))[0]
    last = fb._op("py.getitem", [shape, fb.const(-1)], 1)[0]
    size = fb._op("py.getattr", ["a"], 1, (("name", "size"),))[0]
    f = _builtin(fb, fb.binop("+", x, fb.binop("*", last, size)), (ArrayType(F64, 2, "F"), I64, I64))
    a = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    assert f(a, 1, -1) == a[1, -1] + 4 * 12
    with pytest.raises(IndexError, match="index 4 is out of bounds for axis 1 with size 4"):
        f(a, 0, 4)


def test_tuple_index_assignment_and_constant_tuple():
    fb = FunctionBuilder("f", ["a", "v"])
    fb._op("py.setitem", ["a", fb.const((1, -1)), "v"], 0)
    f = _builtin(fb, fb.const(None), (ArrayType(I64, 2, "A"), F64))
    a = np.zeros((3, 4), dtype=np.int64)
    f(a[:, ::-1], 7.9)
    assert a[1, 0] == 7 and a.sum() == 7
