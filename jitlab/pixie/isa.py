"""CPU variants (ISAs) of PIXIE machine code and the choice of one for the running CPU.

The x86-64 levels are the psABI's micro-architecture levels, written as the LLVM feature names
`llvm.get_host_cpu_features()` reports.  `select_variant` is a pure function of the variants,
a feature set and an architecture, so tests drive it with simulated CPUs.  The rule: among the
variants of the host's architecture whose required features the CPU all has, the highest rank;
never one that needs a feature the CPU lacks.
"""
from __future__ import annotations

import platform
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    """One ISA: how to generate code for it and what a CPU needs to run that code."""

    isa: str
    arch: str
    cpu: str
    features: str            # LLVM codegen feature string
    requires: frozenset[str]  # LLVM feature names the running CPU must have
    rank: int

    def to_json(self) -> dict:
        return {"isa": self.isa, "arch": self.arch, "cpu": self.cpu, "features": self.features,
                "requires": sorted(self.requires), "rank": self.rank, "section": f"obj:{self.isa}"}

    @classmethod
    def from_json(cls, d: dict) -> Variant:
        return cls(d["isa"], d["arch"], d["cpu"], d["features"], frozenset(d["requires"]), d["rank"])


_V1 = frozenset({"cmov", "cx8", "fxsr", "mmx", "sse", "sse2"})
_V2 = _V1 | {"cx16", "popcnt", "sahf", "sse3", "sse4.1", "sse4.2", "ssse3"}
_V3 = _V2 | {"avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave"}
_V4 = _V3 | {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}

X86_64 = Variant("x86-64", "x86_64", "x86-64", "", _V1, 0)
X86_64_V2 = Variant("x86-64-v2", "x86_64", "x86-64-v2", "", _V2, 1)
X86_64_V3 = Variant("x86-64-v3", "x86_64", "x86-64-v3", "", _V3, 2)
# LLVM's x86-64-v4 tunes for 256-bit vectors; the v4 variant exists for its 512-bit ones.
X86_64_V4 = Variant("x86-64-v4", "x86_64", "x86-64-v4", "+evex512,-prefer-256-bit", _V4, 3)
AARCH64 = Variant("aarch64", "aarch64", "generic", "", frozenset({"neon"}), 0)

VARIANTS: dict[str, Variant] = {v.isa: v for v in (X86_64, X86_64_V2, X86_64_V3, X86_64_V4, AARCH64)}
HOST_RANK = 10


def host_arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)


def host_features() -> frozenset[str]:
    """The LLVM feature names enabled on the running CPU."""
    import llvmlite.binding as llvm

    return frozenset(name for name, on in llvm.get_host_cpu_features().items() if on)


def host_variant() -> Variant:
    """The running CPU exactly (what the JIT compiles for): the variant of cache entries."""
    import llvmlite.binding as llvm

    name = llvm.get_host_cpu_name()
    features = llvm.get_host_cpu_features()
    return Variant(f"host:{name}", host_arch(), name, features.flatten(),
                   frozenset(k for k, on in features.items() if on), HOST_RANK)


def default_variants(arch: str | None = None) -> tuple[Variant, ...]:
    """The portable variants a library is built with on this architecture."""
    arch = arch or host_arch()
    return tuple(v for v in VARIANTS.values() if v.arch == arch)


def select_variant(variants: Iterable[Variant], features: Iterable[str], arch: str) -> Variant | None:
    """The best variant this CPU can run, or None (then re-JIT the bitcode)."""
    have = frozenset(features)
    usable = [v for v in variants if v.arch == arch and v.requires <= have]
    return max(usable, key=lambda v: v.rank, default=None)
