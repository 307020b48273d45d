"""Typed kernel IR → LLVM IR for `nvptx64-nvidia-cuda` → PTX, with llvmlite's NVPTX backend.

No libNVVM (CUDA 13's rejects modern LLVM IR text).  The kernel λ and its device functions are
lowered by `GPUFunctionLowerer` with the CPU calling convention (status code, result pointer),
made internal and always-inlined, and called from one entry function in the `ptx_kernel`
calling convention (how LLVM 22 marks kernels).  Kernel parameters are the λ's arguments with
every array flattened to (data pointer, shape[0..n), strides[0..n)) — what `launch.py` passes.
A status other than OK (an exception raised in the kernel) ends that thread; it is not reported.

Math calls libdevice (`__nv_sin`, ...): its bitcode, from the `nvidia-cuda-nvcc-cu12` wheel or a
CUDA toolkit, is linked in when the module calls it; then everything but the kernel is made
internal so O3 drops what is unused.
"""
from __future__ import annotations

import glob
import os
import sys
from functools import cache

import llvmlite.binding as llvm
from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.nodes import Module
from jitlab.ir.types import NONE, ArrayType, Type

from ..llvm.debuginfo import DebugInfo
from ..llvm.lower import LowerOptions
from ..llvm.signature import PTR, abi_type, llvm_type, native_signature
from .lower_kernel import GPUFunctionLowerer

TRIPLE = "nvptx64-nvidia-cuda"
DEFAULT_ARCH = "sm_80"


@cache
def target_machine(arch: str = DEFAULT_ARCH, opt: int = 3) -> llvm.TargetMachine:
    llvm.initialize_all_targets()
    llvm.initialize_all_asmprinters()
    return llvm.Target.from_triple(TRIPLE).create_target_machine(cpu=arch, opt=opt)


def kernel_params(argtypes: tuple[Type, ...]) -> list[tuple[str, ir.Type]]:
    """(role, LLVM type) of every kernel parameter: arrays flattened to data, shape and strides."""
    params = []
    for t in argtypes:
        if isinstance(t, ArrayType):
            params.append(("data", PTR))
            params += [("shape", ir.IntType(64))] * t.ndim + [("stride", ir.IntType(64))] * t.ndim
        else:
            params.append(("scalar", abi_type(t)))
    return params


def lower_kernel_module(kernel: Module, device_functions: list[Module], entry_name: str, *,
                        boundscheck: bool = False, fastmath: bool = False, filename: str | None = None,
                        debug_info: bool = True) -> str:
    """LLVM IR text: every λ lowered for the GPU and the `ptx_kernel` entry `entry_name`.

    With `debug_info` every instruction carries its source line (`debuginfo.py`, directives
    only), which the NVPTX backend writes as `.loc FILE LINE COL` directives (no DWARF sections,
    no `.target ..., debug`: ptxas optimises as without them): the explorer links PTX rows to
    source lines with them.  Device functions from other files keep the kernel's file.
    """
    options = LowerOptions(boundscheck=boundscheck, fastmath=fastmath)
    module = ir.Module(name=entry_name)
    module.triple = TRIPLE
    module.data_layout = str(target_machine().target_data)
    debug = DebugInfo(module, filename, emission="DebugDirectivesOnly") if debug_info else None
    lambdas = [fn for m in (kernel, *device_functions) for fn in m.functions]
    for fn in lambdas:
        func = GPUFunctionLowerer(module, fn, options, debug).lower()
        func.linkage = "internal"
        func.attributes.add("alwaysinline")
    lam = kernel.functions[0]
    sig = native_signature(lam)
    if sig.rettype != NONE:
        raise LoweringError(f"a kernel returns nothing; {lam.name} returns {sig.rettype}")
    _entry(module, module.globals[sig.symbol], sig.argtypes, entry_name, debug,
           lam.loc.line if lam.loc is not None else 0)
    return str(module)


def _entry(module: ir.Module, body: ir.Function, argtypes: tuple[Type, ...], name: str,
           debug: DebugInfo | None = None, line: int = 0) -> None:
    params = kernel_params(argtypes)
    fn = ir.Function(module, ir.FunctionType(ir.VoidType(), [ty for _, ty in params]), name)
    fn.calling_convention = "ptx_kernel"
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    if debug is not None:  # the call of the (inlined) kernel body needs a location of its own
        b.debug_metadata = debug.location(debug.subprogram(fn, name, line), line, None)
    ret = b.alloca(ir.IntType(8), name="ret")
    msg = b.alloca(PTR, name="excmsg")
    values = iter(fn.args)
    call_args = []
    for t in argtypes:
        if isinstance(t, ArrayType):
            struct = ir.Constant(llvm_type(t), None)
            struct = b.insert_value(struct, next(values), 0)
            for field in (1, 2):
                for k in range(t.ndim):
                    struct = b.insert_value(struct, next(values), [field, k])
            slot = b.alloca(llvm_type(t))
            b.store(struct, slot)
            call_args.append(slot)
        else:
            call_args.append(next(values))
    b.call(body, [ret, msg, *call_args])
    b.ret_void()


def libdevice_path() -> str | None:
    """libdevice.10.bc from the nvidia-cuda-nvcc wheel or a CUDA toolkit, if there is one."""
    candidates = [os.path.join(p, "nvidia", "cuda_nvcc", "nvvm", "libdevice", "libdevice.10.bc")
                  for p in sys.path]
    candidates += glob.glob("/usr/local/cuda*/nvvm/libdevice/libdevice.10.bc")
    return next((c for c in candidates if os.path.isfile(c)), None)


@cache
def _libdevice_bitcode() -> bytes:
    path = libdevice_path()
    if path is None:
        raise LoweringError("kernel math needs libdevice: pip install nvidia-cuda-nvcc-cu12 "
                            "(or the `cuda-tools` extra)")
    with open(path, "rb") as f:
        return f.read()


def optimize(llvm_ir: str, entry_name: str, arch: str = DEFAULT_ARCH, level: int = 3) -> str:
    """Link libdevice when needed, internalise all but the kernel, run `default<O{level}>`."""
    tm = target_machine(arch)
    try:
        module = llvm.parse_assembly(llvm_ir)
        module.verify()
    except RuntimeError as exc:
        raise LoweringError(f"invalid kernel LLVM IR: {exc}") from None
    if any(f.is_declaration and f.name.startswith("__nv_") for f in module.functions):
        libdevice = llvm.parse_bitcode(_libdevice_bitcode())
        libdevice.triple = module.triple
        libdevice.data_layout = module.data_layout
        module.link_in(libdevice)
    for f in module.functions:
        if not f.is_declaration and f.name != entry_name:
            f.linkage = llvm.Linkage.internal
    pto = llvm.create_pipeline_tuning_options(speed_level=level)
    pb = llvm.create_pass_builder(tm, pto)
    pb.getModulePassManager().run(module, pb)
    return str(module)


def emit_ptx(llvm_ir: str, arch: str = DEFAULT_ARCH) -> str:
    module = llvm.parse_assembly(llvm_ir)
    return target_machine(arch).emit_assembly(module)

