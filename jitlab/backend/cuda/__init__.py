"""The CUDA backend: typed kernel IR → PTX (llvmlite's NVPTX), PTX checks, launch, CPU emulation.

    text = ptx.lower_kernel_module(typed, device_modules, "entry")   # LLVM IR for nvptx64
    text = ptx.optimize(text, "entry", "sm_80")                       # libdevice, O3
    source = ptx.emit_ptx(text, "sm_80")                              # PTX
    ptxas.resources(source, "sm_80")                                  # registers, spills, smem
    emulate.compile_emulation(typed, device_modules, "name")          # a CPU launch as a builtin
    launch.load(source, "entry"); launch.launch(...)                  # on a GPU (numba-cuda driver)

The user API is `jitlab.cuda`.
"""
from . import emulate, launch, ptx, ptxas

__all__ = ["emulate", "launch", "ptx", "ptxas"]
