"""Bytecode decoding: the only place in `jitlab.frontend` that looks at the Python version.

`decode(func)` picks the decoder module for the running interpreter's minor
version; each maps the raw instructions (`raw.py` reads them from `co_code`)
onto jitlab's version-free `Instruction` records (see `instructions.py` for the
vocabulary).
"""
from __future__ import annotations

import sys

from jitlab.errors import UnsupportedError

from .instructions import VOCABULARY, DecodedCode, Instruction


def decode(func) -> DecodedCode:
    """Decode a Python function's bytecode into jitlab's version-free records."""
    decoder = _DECODER[0] or _decoder()
    if not hasattr(func, "__code__"):
        raise UnsupportedError(f"{func!r} is not a Python function")
    return decoder.decode(func)


_DECODER: list = [None]  # the running interpreter's decoder module, once picked


def _decoder():
    minor = sys.version_info[:2]
    if minor == (3, 11):
        from . import py311 as decoder
    elif minor == (3, 12):
        from . import py312 as decoder
    elif minor == (3, 13):
        from . import py313 as decoder
    elif minor == (3, 14):
        from . import py314 as decoder
    else:
        raise UnsupportedError(f"unsupported Python version {minor[0]}.{minor[1]} (jitlab decodes 3.11-3.14)")
    _DECODER[0] = decoder
    return decoder


__all__ = ["decode", "DecodedCode", "Instruction", "VOCABULARY"]
