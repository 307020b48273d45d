"""Array lowering details seen in the LLVM IR: bounds checks and where they are left out."""
from irbuild import FunctionBuilder

from jitlab.backend.llvm import lower
from jitlab.ir import Op
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


def test_inbounds_attribute_drops_the_check_but_keeps_the_wrap():
    text = lower(_getitem_module(inbounds=True))
    assert "raise.IndexError" not in text
    assert "icmp slt i64" in text  # a negative index still counts from the end


def test_boundscheck_option_drops_every_check():
    assert "raise.IndexError" not in lower(_getitem_module(), boundscheck=False)


def test_inbounds_survives_typing():
    fn = _getitem_module(inbounds=True).functions[0]
    (node,) = [n for n in fn.body.nodes if isinstance(n, Op)]
    assert node.attr("inbounds") is True
