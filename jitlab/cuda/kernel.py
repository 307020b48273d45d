"""`Kernel`: a CUDA kernel compiled through jitlab's pipeline, per argument types.

A kernel specialisation runs the pipeline's stages up to `opt` (the typed, optimised RVSDG),
its device functions (plain or jitted Python functions it calls) likewise, then the CUDA
stages, each kept as text in the same `CompileRecord`:

    ptx-llvm      LLVM IR for nvptx64-nvidia-cuda, as lowered
    ptx-llvm-opt  after libdevice linking and O3
    ptx           PTX for the chosen sm_XX
    ptx-resources ptxas -v: registers, spills, shared memory (when ptxas is installed)
    sass          the cubin disassembled (when nvdisasm or cuobjdump is installed)

Calling `kernel[grid, block](*args)` runs it on the GPU when numba-cuda finds a driver, else
(or with `target="cuda-emulate"`) emulated on the CPU (`backend/cuda/emulate.py`).
"""
from __future__ import annotations

import inspect
import math
import time
from dataclasses import dataclass, field
from collections.abc import Callable

from .. import pipeline
from ..backend.cuda import emulate, launch, ptx, ptxas
from ..backend.llvm import native_signature
from ..dispatch import Dispatcher, typeof
from ..errors import UnsupportedError
from ..ir import Module, Type
from ..ir.types import ArrayType

TARGETS = ("cuda", "cuda-emulate", "auto")
CUDA_STAGES = ("ptx-llvm", "ptx-llvm-opt", "ptx", "ptx-resources", "sass")


def _dims(value) -> tuple[int, int, int]:
    dims = (value,) if isinstance(value, int) else tuple(value)
    if not 1 <= len(dims) <= 3 or not all(isinstance(d, int) and d > 0 for d in dims):
        raise ValueError(f"grid and block sizes are 1 to 3 positive ints, got {value!r}")
    return (*dims, 1, 1)[:3]


@dataclass
class KernelSpecialisation:
    """One kernel compiled for one tuple of argument types."""

    argtypes: tuple[Type, ...]
    record: pipeline.CompileRecord
    device_records: list[pipeline.CompileRecord] = field(default_factory=list)
    _emulated: Callable | None = None
    _gpu: object | None = None

    @property
    def typed(self) -> Module:
        return self.record.artefacts["opt"]

    @property
    def device_modules(self) -> list[Module]:
        return [r.artefacts["opt"] for r in self.device_records]


class Kernel:
    """A CUDA kernel: `k[grid, block](*args)`, `k.launch(n, *args)`, `k.ptx(*args)`."""

    def __init__(self, py_func: Callable, *, arch: str = ptx.DEFAULT_ARCH, target: str = "auto",
                 boundscheck: bool = False, fastmath: bool = False):
        if not inspect.isfunction(py_func):
            raise TypeError(f"jitlab.cuda.kernel expects a Python function, got {type(py_func).__name__}")
        if target not in TARGETS:
            raise ValueError(f"target must be one of {', '.join(TARGETS)}, got {target!r}")
        self.py_func = py_func
        self.arch = arch
        self.target = target
        self.options = pipeline.Options(boundscheck=boundscheck, fastmath=fastmath)
        self._specialisations: dict[tuple[Type, ...], KernelSpecialisation] = {}
        self.__name__ = py_func.__name__
        self.__qualname__ = py_func.__qualname__
        self.__doc__ = py_func.__doc__
        self.__wrapped__ = py_func

    def __repr__(self) -> str:
        return f"<jitlab.cuda.kernel {self.__qualname__} ({len(self._specialisations)} specialisations)>"

    @property
    def specialisations(self) -> dict[tuple[Type, ...], KernelSpecialisation]:
        """The specialisations compiled so far, by argument types."""
        return dict(self._specialisations)

    # -- compiling -------------------------------------------------------------------------
    def specialise(self, argtypes: tuple[Type, ...]) -> KernelSpecialisation:
        found = self._specialisations.get(argtypes)
        if found is not None:
            return found
        devices: dict[tuple[Callable, tuple[Type, ...]], pipeline.CompileRecord] = {}

        def resolver(globals_: dict) -> Callable:
            def resolve(callee: str, types: tuple[Type, ...]) -> tuple[Type, str]:
                name = callee.removeprefix("global:")
                target = globals_.get(name)
                func = target.py_func if isinstance(target, Dispatcher) else target
                if not inspect.isfunction(func):
                    raise UnsupportedError(f"kernel call of global {name!r} ({type(target).__name__})",
                                           hint="kernels call jitted or plain Python functions")
                key = (func, tuple(types))
                if key not in devices:
                    rec = pipeline.CompileRecord(func, tuple(types), self.options, resolver(func.__globals__))
                    devices[key] = pipeline.run_stages(rec, until="opt")
                fn = devices[key].artefacts["opt"].functions[0]
                return native_signature(fn).rettype, fn.attr("symbol")
            return resolve

        record = pipeline.CompileRecord(self.py_func, argtypes, self.options,
                                        resolver(self.py_func.__globals__))
        pipeline.run_stages(record, until="opt")
        spec = KernelSpecialisation(argtypes, record, list(devices.values()))
        self._cuda_stages(spec)
        self._specialisations[argtypes] = spec
        return spec

    @property
    def entry_name(self) -> str:
        return "jitlab_kernel_" + "".join(c if c.isalnum() else "_" for c in self.__qualname__)

    def _cuda_stages(self, spec: KernelSpecialisation) -> None:
        rec = spec.record

        def stage(name: str, run: Callable[[], str]) -> None:
            start = time.perf_counter()
            rec.texts[name] = rec.artefacts[name] = run()
            rec.timings[name] = (time.perf_counter() - start) * 1e3

        stage("ptx-llvm", lambda: ptx.lower_kernel_module(
            spec.typed, spec.device_modules, self.entry_name,
            boundscheck=self.options.boundscheck, fastmath=self.options.fastmath, filename=rec.filename))
        stage("ptx-llvm-opt", lambda: ptx.optimize(rec.artefacts["ptx-llvm"], self.entry_name, self.arch))
        stage("ptx", lambda: ptx.emit_ptx(rec.artefacts["ptx-llvm-opt"], self.arch))
        if ptxas.ptxas_path() is not None:
            stage("ptx-resources", lambda: ptxas.resources(rec.artefacts["ptx"], self.arch).text)
            if ptxas.disassembler_path() is not None:
                stage("sass", lambda: ptxas.sass(rec.artefacts["ptx"], self.arch))

    def argtypes_of(self, args: tuple) -> tuple[Type, ...]:
        return tuple(launch.device_array_type(a) or typeof(a) for a in args)

    def stages(self, *args) -> dict[str, str]:
        """Every stage's text (pipeline stages up to `opt`, then the CUDA stages) for these arguments."""
        return dict(self.specialise(self.argtypes_of(args)).record.texts)

    def ptx(self, *args) -> str:
        return self.stages(*args)["ptx"]

    # -- running ---------------------------------------------------------------------------
    def __getitem__(self, config) -> Callable:
        if not isinstance(config, tuple) or len(config) not in (2, 3):
            raise TypeError("kernel[grid, block](...) takes a grid and a block size")
        grid, block = _dims(config[0]), _dims(config[1])
        return lambda *args: self.run(grid, block, args)

    def uses_gpu(self) -> bool:
        if self.target == "cuda-emulate":
            return False
        available = launch.is_available()
        if self.target == "cuda" and not available:
            raise RuntimeError("target='cuda' but numba.cuda.is_available() found no CUDA driver and GPU")
        return available

    def run(self, grid: tuple[int, int, int], block: tuple[int, int, int], args: tuple) -> None:
        spec = self.specialise(self.argtypes_of(args))
        if self.uses_gpu():
            if spec._gpu is None:
                spec._gpu = launch.load(spec.record.artefacts["ptx"], self.entry_name)
            launch.launch(spec._gpu, grid, block, spec.argtypes, args)
            return
        if spec._emulated is None:
            spec._emulated = emulate.compile_emulation(spec.typed, spec.device_modules, self.__name__,
                                                       boundscheck=self.options.boundscheck,
                                                       fastmath=self.options.fastmath)
        for t, a in zip(spec.argtypes, args):
            if isinstance(t, ArrayType) and launch.device_array_type(a) is not None:
                raise TypeError("an emulated kernel takes NumPy arrays, not device arrays")
        spec._emulated(*grid, *block, *args)

    def launch(self, n: int, *args, block: int = 256) -> None:
        """Run over `n` threads in 1-D: `ceil(n / block)` blocks of `block` threads."""
        self.run(_dims(max(1, math.ceil(n / block))), _dims(block), args)

    def time(self, grid, block, *args, repeat: int = 10) -> float:
        """Milliseconds per launch (CUDA events on the GPU; wall clock when emulated), best of `repeat`."""
        grid, block = _dims(grid), _dims(block)
        spec = self.specialise(self.argtypes_of(args))
        if self.uses_gpu():
            self.run(grid, block, args)
            return launch.time(spec._gpu, grid, block, spec.argtypes, args, repeat)
        self.run(grid, block, args)
        best = math.inf
        for _ in range(repeat):
            start = time.perf_counter()
            self.run(grid, block, args)
            best = min(best, (time.perf_counter() - start) * 1e3)
        return best


def kernel(func: Callable | None = None, *, arch: str = ptx.DEFAULT_ARCH, target: str = "auto",
           boundscheck: bool = False, fastmath: bool = False):
    """Make a CUDA kernel of a Python function: `@cuda.kernel` or `@cuda.kernel(arch="sm_90")`.

    `target`: "auto" (the GPU when there is one, else emulation), "cuda" or "cuda-emulate".
    Bounds checks are off by default, as in CUDA; an emulated kernel with `boundscheck=True`
    raises IndexError.
    """
    def decorate(f: Callable) -> Kernel:
        return Kernel(f, arch=arch, target=target, boundscheck=boundscheck, fastmath=fastmath)

    return decorate(func) if func is not None else decorate
