"""Compile hand-built IR through typing + the LLVM backend and call it with ctypes (tests only)."""
from __future__ import annotations

import ctypes
import itertools
from dataclasses import replace

from jitlab.backend.llvm import excinfo, get_engine, lower, native_signature, optimize
from jitlab.ir.types import BoolType, FloatType, IntType, NoneType
from jitlab.typing import infer

_unique = itertools.count()

_CTYPES = {"i64": ctypes.c_int64, "f64": ctypes.c_double, "bool": ctypes.c_int8}


def ctype(t):
    return _CTYPES[str(t)]


class Native:
    """A compiled function: calling it returns the result or raises the native exception."""

    def __init__(self, fn, argtypes, resolve_call=None, opt=True, overflow="raise"):
        # "raise": these tests check the int64 overflow checks (jitlab.jit's default is "wrap")
        fn = replace(fn, name=f"{fn.name}_{next(_unique)}")
        from jitlab.ir import Module
        self.typed = infer(Module((fn,)), argtypes, resolve_call)
        self.llvm_ir = lower(self.typed, overflow=overflow)
        get_engine().add_ir(optimize(self.llvm_ir) if opt else self.llvm_ir)
        self.symbol, self.argtypes, self.rettype = native_signature(self.typed.functions[0])
        address = get_engine().address_of(self.symbol)
        proto = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p,
                                 *(ctype(t) for t in self.argtypes))
        self._cfunc = proto(address)

    def __call__(self, *args):
        ret = ctypes.c_int64() if isinstance(self.rettype, NoneType) else ctype(self.rettype)()
        excmsg = ctypes.c_char_p()
        status = self._cfunc(ctypes.addressof(ret), ctypes.addressof(excmsg), *args)
        if status:
            exc_type = excinfo.EXCEPTIONS[status]
            raise exc_type() if excmsg.value is None else exc_type(excmsg.value.decode())
        if isinstance(self.rettype, NoneType):
            return None
        if isinstance(self.rettype, BoolType):
            return bool(ret.value)
        assert isinstance(self.rettype, (IntType, FloatType))
        return ret.value
