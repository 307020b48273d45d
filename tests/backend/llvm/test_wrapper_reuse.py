"""A wrapper's IR is made once per signature shape and copied with each function's names put in
(`abi._wrapper_template`, `abi._instantiate`); JIT wrappers declare the helpers they share
(`wrapper_support`) where AOT wrappers define internal copies."""
from __future__ import annotations

import pytest

from jitlab.backend.llvm import abi
from jitlab.ir.types import BOOL, C128, F64, I64, NONE, ArrayType, FloatType, IntType, ListType, TupleType

SHAPES = [
    ((I64, I64), I64),
    ((BOOL, C128), C128),
    ((ArrayType(F64, 1, "C"), I64), ArrayType(F64, 1, "C")),
    ((ListType(I64),), ListType(F64)),
    ((ArrayType(I64, 2, "A"), ArrayType(F64, 1, "F")), TupleType((ArrayType(F64, 1, "C"), I64, NONE))),
    ((IntType(8, False), FloatType(32)), NONE),
    (tuple([I64] * 12), I64),
]
# names that need escaping in LLVM strings and symbols, or doubling in PyErr_Format formats
NAMES = ["gcd", "100%", "ünïcode", 'q"x\\y']


@pytest.mark.parametrize("argtypes,rettype", SHAPES, ids=lambda v: str(v)[:30])
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("jit", [True, False])
def test_copy_of_template_is_the_wrapper_made_afresh(argtypes, rettype, name, jit):
    for argnames in (None, tuple(f"{name}{i}%" if i % 2 else f"a{i}" for i in range(len(argtypes)))):
        symbol = f"jitlab.{name}.7.sym"
        text, wrapper = abi.make_wrapper_ir(name, symbol, argtypes, rettype, argnames=argnames, jit=jit)
        writable = tuple(isinstance(t, ArrayType) for t in argtypes)
        assert text == abi._wrapper_ir(name, symbol, argtypes, rettype, argnames, writable, jit)
        assert wrapper == f"{symbol}.pywrap"


def test_jit_wrappers_declare_the_shared_helpers():
    jit, _ = abi.make_wrapper_ir("f", "f.native", (BOOL, I64), I64, jit=True)
    aot, _ = abi.make_wrapper_ir("f", "f.native", (BOOL, I64), I64, jit=False)
    for helper in ("jitlab.arg_error", "jitlab.raise_status", "jitlab.raise_record", "jitlab.unbox_bool"):
        assert f'declare void @"{helper}"' in jit or f'declare i32 @"{helper}"' in jit
        assert f'define internal void @"{helper}"' in aot or f'define internal i32 @"{helper}"' in aot
