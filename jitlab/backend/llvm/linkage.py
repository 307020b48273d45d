"""What JIT-loaded machine code links against, checked before MCJIT sees it.

MCJIT resolves an object's undefined symbols when it is finalized, and a symbol it cannot find
is `LLVM ERROR: Symbol not found` -- `abort()`, the whole Python process gone.  Two guards:

* `register_libcalls` tells LLVM where the compiler runtime's helpers live.  LLVM's code
  generator calls them for operations the CPU has no instruction for, without any declaration
  in the IR: 128-bit division (`__udivti3`, which loop passes introduce when they widen a trip
  count computation to i128), float <-> i128 conversions, `llvm.powi`.  A Python process does
  not always have them loaded; on Linux they are in libgcc_s (linked into every process that
  uses threads), on macOS in libSystem (already in the process).
* `object_symbols` reads an ELF object's symbol table, so `JITEngine.add_object` can name a
  symbol nothing provides and raise a `LoweringError` instead of letting MCJIT abort.
"""
from __future__ import annotations

import ctypes
import struct
import sys

import llvmlite.binding as llvm

# Helpers LLVM's x86-64 and AArch64 code generators may call (compiler-rt / libgcc names).
LIBCALLS = (
    "__divti3", "__udivti3", "__modti3", "__umodti3", "__multi3", "__mulvti3",
    "__fixdfti", "__fixunsdfti", "__fixsfti", "__fixunssfti",
    "__floattidf", "__floatuntidf", "__floattisf", "__floatuntisf",
    "__powidf2", "__powisf2", "__popcountti2",
)
_LIBRARIES = {"linux": ("libgcc_s.so.1",), "darwin": ("libSystem.B.dylib",)}

_registered = False


def register_libcalls() -> tuple[str, ...]:
    """Make every compiler-runtime helper this process can provide known to LLVM (idempotent).
    Returns the names that stay unresolved (the object check names them if code needs one)."""
    global _registered
    if _registered:
        return ()
    _registered = True
    missing = [name for name in LIBCALLS if not llvm.address_of_symbol(name)]
    for path in _LIBRARIES.get(sys.platform, ()):
        if not missing:
            break
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for name in list(missing):
            function = getattr(library, name, None)
            if function is not None:
                llvm.add_symbol(name, ctypes.cast(function, ctypes.c_void_p).value)
                missing.remove(name)
    return tuple(missing)


_SHT_SYMTAB = 2
_STB_GLOBAL, _STB_WEAK = 1, 2
_SHN_UNDEF = 0


def object_symbols(data: bytes) -> tuple[set[str], set[str]] | None:
    """(defined, undefined) global symbols of a 64-bit little-endian ELF relocatable object;
    weak undefined symbols are left out (they may stay unresolved).  None for other formats
    (Mach-O, COFF): the caller then skips the check."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    defined: set[str] = set()
    undefined: set[str] = set()
    for _, kind, _, _, offset, size, link, _, _, entsize in sections:
        if kind != _SHT_SYMTAB or not entsize:
            continue
        strings_offset = sections[link][4]
        for at in range(offset + entsize, offset + size, entsize):  # entry 0 is the null symbol
            name_at, info, _, shndx = struct.unpack_from("<IBBH", data, at)
            binding = info >> 4
            if binding not in (_STB_GLOBAL, _STB_WEAK) or not name_at:
                continue
            end = data.index(b"\0", strings_offset + name_at)
            name = data[strings_offset + name_at:end].decode()
            if shndx != _SHN_UNDEF:
                defined.add(name)
            elif binding == _STB_GLOBAL:
                undefined.add(name)
    return defined, undefined
