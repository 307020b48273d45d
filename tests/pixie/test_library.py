"""PIXIE libraries built from jitted functions: every variant loads and runs; re-JIT of the bitcode
when no variant fits; the bitcode inlines into a jitted caller (JIT LTO)."""
from __future__ import annotations

import itertools
import re

import llvmlite.binding as llvm
import pytest

import jitlab
from jitlab import pipeline
from jitlab.ir import F64, I64
from jitlab.pixie import (
    X86_64, X86_64_V4, Pixie, build_container, default_variants, host_arch, host_features, load_container,
)

pytestmark = pytest.mark.skipif(host_arch() != "x86_64", reason="the variants under test are x86-64's")

_n = itertools.count()


def poly(x):
    return x * x + 3.0 * x + 1.0


def axpy_sum(n):
    s = 0.0
    for i in range(n):
        s += 2.0 * i + 1.0
    return s


def library(funcs, variants):
    """A container of `funcs` (func, argtypes) with library-private symbols (nothing loaded)."""
    tag = next(_n)
    units = [pipeline.compile_unit(f, sig, symbol=f"pixietest{tag}.{f.__name__}") for f, sig in funcs]
    return build_container(units, variants, name=f"lib{tag}")


def test_container_holds_every_variant_bitcode_and_metadata():
    data = library([(poly, (F64,)), (axpy_sum, (I64,))], default_variants())
    pixie = Pixie.parse(data)
    assert [v.isa for v in pixie.variants] == ["x86-64", "x86-64-v2", "x86-64-v3", "x86-64-v4"]
    assert all(f"obj:{v.isa}" in pixie.sections for v in pixie.variants)
    assert llvm.parse_bitcode(pixie.bitcode).get_function("pixietest0.poly") is not None
    meta = pixie.meta
    assert {"uuid", "versions", "source_hash", "triple", "functions", "variants"} <= meta.keys()
    assert {"jitlab", "llvmlite", "python"} <= meta["versions"].keys()
    assert [f["argtypes"] for f in meta["functions"]] == [["f64"], ["i64"]]
    v4 = next(v for v in meta["variants"] if v["isa"] == "x86-64-v4")
    assert "avx512f" in v4["requires"]


def test_the_best_supported_variant_is_loaded_and_runs():
    lib = load_container(library([(poly, (F64,))], default_variants()))
    expected = Pixie.parse(library([(poly, (F64,))], default_variants())).choose()
    assert lib.isa == expected.isa
    assert lib.poly(2.0) == poly(2.0)


def test_an_old_cpu_gets_the_baseline():
    old = frozenset({"cmov", "cx8", "fxsr", "mmx", "sse", "sse2"})
    lib = load_container(library([(poly, (F64,))], (X86_64, X86_64_V4)), features=old)
    assert lib.isa == "x86-64"
    assert lib.poly(1.5) == poly(1.5)


def test_no_fitting_variant_re_jits_the_bitcode():
    lib = load_container(library([(axpy_sum, (I64,))], (X86_64_V4,)), features=frozenset())
    assert lib.isa == "bitcode"
    assert lib.axpy_sum(10) == axpy_sum(10)


@pytest.mark.skipif("avx512f" not in host_features(), reason="needs an AVX-512 host to run v4 code")
def test_v4_code_uses_512_bit_registers():
    from jitlab.backend.llvm import optimize_for, target_machine_for

    unit = pipeline.compile_unit(axpy_sum, (I64,), symbol="pixietest.zmm")
    module = optimize_for(unit.llvm_ir, X86_64_V4.cpu, X86_64_V4.features)
    asm = target_machine_for(X86_64_V4.cpu, X86_64_V4.features).emit_assembly(module)
    assert "zmm" in asm


def square_plus_one(x):
    return x * x + 1


def test_pixie_function_inlines_into_a_jitted_caller():
    lib = load_container(library([(square_plus_one, (I64,))], default_variants()))
    namespace = {"sq": lib.square_plus_one}
    exec("def caller(n):\n    s = 0\n    for i in range(n):\n        s += sq(i)\n    return s\n", namespace)
    caller = jitlab.jit(namespace["caller"], cache=False)
    assert caller(10) == sum(i * i + 1 for i in range(10))
    optimized = caller.stages(10)["llvm-opt"]
    body = optimized[optimized.index("define"):].split("\n}\n")[0]  # the caller's optimised body
    calls = re.findall(r"call [^@\n]*@(\"[^\"]+\"|[\w.]+)", body)
    assert [c for c in calls if not c.startswith("llvm.")] == [], body  # inlined: only intrinsics
    assert f'@"{lib.square_plus_one.info.symbol}"' not in optimized.split("define", 1)[1]
