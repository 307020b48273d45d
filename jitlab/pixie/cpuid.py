"""Variant selection inside a PIXIE shared library: CPU features from CPUID, in LLVM IR.

A built library (`aot.py`) must choose its variant when Python imports it, without jitlab or
llvmlite.  Two small functions are emitted into the library's support module:

* `i64 pixie_cpu_features()`: a bit mask over `FEATURES` read with `cpuid`/`xgetbv`, with the
  same rules as LLVM's host detection (AVX and its successors only when the OS saves the YMM
  state, AVX-512 only when it saves the ZMM state too);
* `i32 pixie_select(i64 features)`: the index of the best variant whose required features are
  all in `features`, or -1.  Variants are tried from the highest rank down; one needing a
  feature the CPU lacks is never taken.

Both are exported so tests can call them with `ctypes` on simulated feature masks.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.errors import JitlabError

from .isa import Variant

# Bit i of a feature mask is FEATURES[i] (LLVM feature names, as `isa.py` writes requirements).
FEATURES = ("cmov", "cx8", "fxsr", "mmx", "sse", "sse2", "cx16", "popcnt", "sahf", "sse3", "sse4.1",
            "sse4.2", "ssse3", "avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave",
            "avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl")

# feature -> (CPUID leaf, register, bit, OS state it needs: "" / "avx" / "avx512")
_CPUID = {
    "cmov": (1, "edx", 15, ""), "cx8": (1, "edx", 8, ""), "fxsr": (1, "edx", 24, ""),
    "mmx": (1, "edx", 23, ""), "sse": (1, "edx", 25, ""), "sse2": (1, "edx", 26, ""),
    "cx16": (1, "ecx", 13, ""), "popcnt": (1, "ecx", 23, ""), "sahf": (0x80000001, "ecx", 0, ""),
    "sse3": (1, "ecx", 0, ""), "sse4.1": (1, "ecx", 19, ""), "sse4.2": (1, "ecx", 20, ""),
    "ssse3": (1, "ecx", 9, ""), "avx": (1, "ecx", 28, "avx"), "avx2": (7, "ebx", 5, "avx"),
    "bmi": (7, "ebx", 3, ""), "bmi2": (7, "ebx", 8, ""), "f16c": (1, "ecx", 29, "avx"),
    "fma": (1, "ecx", 12, "avx"), "lzcnt": (0x80000001, "ecx", 5, ""), "movbe": (1, "ecx", 22, ""),
    "xsave": (1, "ecx", 26, "avx"), "avx512f": (7, "ebx", 16, "avx512"),
    "avx512bw": (7, "ebx", 30, "avx512"), "avx512cd": (7, "ebx", 28, "avx512"),
    "avx512dq": (7, "ebx", 17, "avx512"), "avx512vl": (7, "ebx", 31, "avx512"),
}
_REGS = ("eax", "ebx", "ecx", "edx")

_I1, _I32, _I64 = ir.IntType(1), ir.IntType(32), ir.IntType(64)
_QUAD = ir.LiteralStructType([_I32] * 4)


def feature_mask(features) -> int:
    """The mask of the feature names in `features` that `FEATURES` knows (others are ignored)."""
    have = set(features)
    return sum(1 << i for i, name in enumerate(FEATURES) if name in have)


def mask_features(mask: int) -> list[str]:
    return [name for i, name in enumerate(FEATURES) if mask >> i & 1]


def required_mask(variant: Variant) -> int:
    unknown = sorted(set(variant.requires) - set(FEATURES))
    if unknown and variant.arch == "x86_64":
        raise JitlabError(f"variant {variant.isa} requires features the library's selector cannot detect: "
                          f"{', '.join(unknown)}")
    return feature_mask(variant.requires)


def emit_select(module: ir.Module, variants: list[Variant]) -> ir.Function:
    """`i32 pixie_select(i64 features)`: index into `variants` of the best one the mask allows."""
    fn = ir.Function(module, ir.FunctionType(_I32, [_I64]), "pixie_select")
    (have,) = fn.args
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    order = sorted(range(len(variants)), key=lambda i: -variants[i].rank)
    for i in order:
        need = _I64(required_mask(variants[i]))
        fits = b.icmp_unsigned("==", b.and_(have, need), need)
        with b.if_then(fits):
            b.ret(_I32(i))
    b.ret(_I32(-1))
    return fn


def emit_features(module: ir.Module, arch: str) -> ir.Function:
    """`i64 pixie_cpu_features()`: the running CPU's mask (every bit set off x86-64, where a
    library holds its architecture's one variant)."""
    fn = ir.Function(module, ir.FunctionType(_I64, []), "pixie_cpu_features")
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    if arch != "x86_64":
        b.ret(_I64(-1))
        return fn
    cpuid = ir.InlineAsm(ir.FunctionType(_QUAD, [_I32, _I32]), "cpuid",
                         "={ax},={bx},={cx},={dx},{ax},{cx},~{dirflag},~{fpsr},~{flags}", side_effect=True)
    xgetbv = ir.InlineAsm(ir.FunctionType(ir.LiteralStructType([_I32, _I32]), [_I32]), "xgetbv",
                          "={ax},={dx},{cx},~{dirflag},~{fpsr},~{flags}", side_effect=True)
    zero = ir.Constant(_QUAD, [_I32(0)] * 4)

    def leaf_if(cond, leaf: int):
        """cpuid(leaf) when `cond`, else zeros (a leaf above the maximum returns junk)."""
        before = b.block
        with b.if_then(cond):
            got = b.call(cpuid, [_I32(leaf), _I32(0)])
            inside = b.block
        phi = b.phi(_QUAD)
        phi.add_incoming(zero, before)
        phi.add_incoming(got, inside)
        return phi

    max_leaf = b.extract_value(b.call(cpuid, [_I32(0), _I32(0)]), 0)
    max_ext = b.extract_value(b.call(cpuid, [_I32(0x80000000), _I32(0)]), 0)
    leaves = {1: leaf_if(b.icmp_unsigned(">=", max_leaf, _I32(1)), 1),
              7: leaf_if(b.icmp_unsigned(">=", max_leaf, _I32(7)), 7),
              0x80000001: leaf_if(b.icmp_unsigned(">=", max_ext, _I32(0x80000001)), 0x80000001)}

    def bit(leaf: int, reg: str, k: int) -> ir.Value:
        word = b.extract_value(leaves[leaf], _REGS.index(reg))
        return b.trunc(b.lshr(word, _I32(k)), _I1)

    osxsave = bit(1, "ecx", 27)
    before = b.block
    with b.if_then(osxsave):
        xcr0_in = b.extract_value(b.call(xgetbv, [_I32(0)]), 0)
        inside = b.block
    xcr0 = b.phi(_I32)
    xcr0.add_incoming(_I32(0), before)
    xcr0.add_incoming(xcr0_in, inside)
    avx_state = b.icmp_unsigned("==", b.and_(xcr0, _I32(0x6)), _I32(0x6))
    state = {"": _I1(1), "avx": avx_state,
             "avx512": b.and_(avx_state, b.icmp_unsigned("==", b.and_(xcr0, _I32(0xE0)), _I32(0xE0)))}
    mask = _I64(0)
    for i, name in enumerate(FEATURES):
        leaf, reg, k, needs = _CPUID[name]
        on = b.and_(bit(leaf, reg, k), state[needs])
        mask = b.or_(mask, b.shl(b.zext(on, _I64), _I64(i)))
    b.ret(mask)
    return fn
