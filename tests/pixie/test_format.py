"""The PIXIE container (docs/pixie.md): round trip, corruption detection, variant selection."""
from __future__ import annotations

import pytest

from jitlab.pixie import (
    AARCH64, X86_64, X86_64_V2, X86_64_V3, X86_64_V4, PixieFormatError, default_variants, read_container,
    select_variant, write_container,
)

SECTIONS = {"meta": b'{"a": 1}', "bitcode": b"BC\xc0\xde" * 50, "obj:x86-64": bytes(range(256))}
X86 = (X86_64, X86_64_V2, X86_64_V3, X86_64_V4)

# Simulated CPUs (LLVM feature names as llvm.get_host_cpu_features() reports them).
OLD_SSE2 = {"64bit", "cmov", "cx8", "fxsr", "mmx", "sse", "sse2"}
NEHALEM = OLD_SSE2 | {"cx16", "popcnt", "sahf", "sse3", "sse4.1", "sse4.2", "ssse3"}
HASWELL = NEHALEM | {"avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave"}
SKYLAKE_X = HASWELL | {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}


def test_round_trip():
    assert read_container(write_container(SECTIONS)) == SECTIONS


@pytest.mark.parametrize("damage", [
    lambda d: d[:-1],                                  # truncated by one byte
    lambda d: d[: len(d) // 2],                        # truncated half-way
    lambda d: d[:40] + bytes([d[40] ^ 1]) + d[41:],    # one bit flipped in the table
    lambda d: d[:-40] + bytes([d[-40] ^ 0x80]) + d[-39:],  # one bit flipped in a payload
    lambda d: b"garbage" * 20,
    lambda d: b"",
])
def test_damage_is_detected(damage):
    with pytest.raises(PixieFormatError):
        read_container(damage(write_container(SECTIONS)))


@pytest.mark.parametrize(("cpu", "expected"), [
    (SKYLAKE_X, X86_64_V4),
    (HASWELL, X86_64_V3),          # AVX2+FMA without AVX-512: v3, never v4
    (HASWELL - {"fma"}, X86_64_V2),  # one v3 feature missing: v2
    (NEHALEM, X86_64_V2),
    (OLD_SSE2, X86_64),            # an old CPU gets the baseline, never v4
    (SKYLAKE_X - {"avx512bw"}, X86_64_V3),
])
def test_selection_picks_the_best_variant_the_cpu_has(cpu, expected):
    assert select_variant(X86, cpu, "x86_64") == expected
    assert select_variant(reversed(X86), cpu, "x86_64") == expected  # order does not matter


def test_selection_never_picks_a_variant_the_cpu_lacks():
    assert select_variant([X86_64_V4], HASWELL, "x86_64") is None
    assert select_variant([X86_64_V3, X86_64_V4], OLD_SSE2, "x86_64") is None
    assert select_variant([], SKYLAKE_X, "x86_64") is None


def test_selection_respects_the_architecture():
    assert select_variant(X86, SKYLAKE_X | {"neon"}, "aarch64") is None
    assert select_variant((*X86, AARCH64), {"neon", "fp-armv8"}, "aarch64") == AARCH64


def test_v4_asks_for_512_bit_vectors():
    assert "+evex512" in X86_64_V4.features and "-prefer-256-bit" in X86_64_V4.features


def test_default_variants_are_the_host_architectures():
    arches = {v.arch for v in default_variants()}
    assert len(arches) == 1
