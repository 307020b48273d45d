"""The CPU backend: typed jitlab IR → LLVM IR → optimised IR → machine code in this process.

    text = lower(typed_module)                 # LLVM IR (llvmlite.ir), see lower.py
    text = optimize(text)                      # new pass manager, default<O3>
    get_engine().add_ir(text)                  # MCJIT, no system linker
    symbol, argtypes, rettype = native_signature(typed_module.functions[0])
    address = get_engine().address_of(symbol)

The native calling convention is documented in `signature.py`; exception codes
in `excinfo.py`.
"""
from .array_writes import written_arguments
from .codegen import (
    JITEngine, emit_assembly, emit_object, get_engine, host_target_machine, optimize, optimize_for,
    target_machine_for,
)
from .lower import lower
from .signature import NativeSignature, abi_type, llvm_type, mangle, native_signature

__all__ = [
    "JITEngine", "NativeSignature", "abi_type", "emit_assembly", "emit_object", "get_engine",
    "host_target_machine", "llvm_type", "lower", "mangle", "native_signature", "optimize", "optimize_for",
    "target_machine_for", "written_arguments",
]
