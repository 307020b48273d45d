"""The CPU backend: typed jitlab IR → LLVM IR → optimised IR → machine code in this process.

    text = lower(typed_module)                 # LLVM IR (llvmlite.ir), see lower.py
    text = optimize(text)                      # new pass manager, default<O3>
    get_engine().add_ir(text)                  # MCJIT, no system linker
    symbol, argtypes, rettype = native_signature(typed_module.functions[0])
    address = get_engine().address_of(symbol)

The native calling convention is documented in `signature.py`; exception codes
in `excinfo.py`.
"""
import sys
import types

from jitlab.lazy import lazy_exports

# name → the submodule defining it; each loads on first use (PEP 562), so loading cached object
# code (`codegen`, `abi`) does not import the lowering.
_EXPORTS = {
    "written_arguments": "array_writes",
    **dict.fromkeys(("JITEngine", "emit_assembly", "emit_object", "get_engine", "host_target_machine",
                     "optimize", "optimize_for", "optimize_module", "quick_object", "strip_debug_info",
                     "target_machine_for"), "codegen"),
    "lower": "lower",
    **dict.fromkeys(("NativeSignature", "abi_type", "llvm_type", "mangle", "native_signature"), "signature"),
}


__getattr__ = lazy_exports(__name__, _EXPORTS)


class _Package(types.ModuleType):
    """Loading submodule `lower` binds the name `lower` in its package; here the function of that
    name must win (as `from .lower import lower` made it when this package imported eagerly)."""

    def __setattr__(self, name: str, value) -> None:
        if name in _EXPORTS and isinstance(value, types.ModuleType) and _EXPORTS[name] == name:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = sorted(_EXPORTS)
