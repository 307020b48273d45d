"""`jitlab.cuda`: CUDA kernels compiled by jitlab.

    from jitlab import cuda

    @cuda.kernel
    def add(x, y, out):
        i = cuda.grid(1)
        if i < out.shape[0]:
            out[i] = x[i] + y[i]

    add[blocks, threads](x, y, out)   # on the GPU, or emulated on the CPU without one
    add.launch(n, x, y, out)          # grid and block sizes chosen for n elements
    add.ptx(x, y, out)                # PTX text; add.stages(...) every stage

The names below are markers, not Python code that runs: each one tells the frontend what it
stands for (`_jitlab_intrinsic_`), and typing (`typing/rules/gpu.py`) and the backends
(`backend/cuda/`) give it meaning.  `threadIdx.x` becomes `py.call {callee="jitlab.cuda.threadIdx.x"}`.
Shared and local arrays take a constant shape and a dtype: `cuda.shared.array((16, 16), cuda.float32)`.
"""
from __future__ import annotations

from ..typing.rules.gpu import DTYPE_CODES
from .kernel import Kernel, kernel

PREFIX = "jitlab.cuda"


class _Intrinsic:
    """A function only kernels can call (`cuda.grid`, `cuda.atomic.add`, ...)."""

    _jitlab_intrinsic_: tuple[str, str] | None = None  # (kind, name), read by the frontend

    def __init__(self, name: str):
        self._jitlab_intrinsic_ = ("function", name)
        self.__name__ = name.rsplit(".", 1)[-1]
        self.__qualname__ = name

    def __call__(self, *args, **kwargs):
        raise RuntimeError(f"{self.__qualname__} can only be called inside a jitlab.cuda kernel")

    def __repr__(self):
        return f"<jitlab kernel intrinsic {self.__qualname__}>"


class _Value:
    """A value only kernels can read (`cuda.threadIdx.x`, ...)."""

    _jitlab_intrinsic_: tuple[str, str] | None = None  # (kind, name), read by the frontend

    def __init__(self, name: str):
        self._jitlab_intrinsic_ = ("value", name)
        self.__qualname__ = name

    def __repr__(self):
        return f"<jitlab kernel value {self.__qualname__}>"


class _Namespace:
    """A group of intrinsics (`cuda.threadIdx`, `cuda.shared`, `cuda.atomic`)."""

    _jitlab_intrinsic_: tuple[str, str] | None = None  # (kind, name), read by the frontend

    def __init__(self, name: str, **members):
        self._jitlab_intrinsic_ = ("namespace", name)
        self.__name__ = name
        for key, member in members.items():
            setattr(self, key, member)

    def __repr__(self):
        return f"<jitlab kernel namespace {self.__name__}>"


def _dim3(name: str) -> _Namespace:
    full = f"{PREFIX}.{name}"
    return _Namespace(full, **{axis: _Value(f"{full}.{axis}") for axis in "xyz"})


def _functions(name: str, *members: str) -> _Namespace:
    full = f"{PREFIX}.{name}"
    return _Namespace(full, **{m: _Intrinsic(f"{full}.{m}") for m in members})


threadIdx = _dim3("threadIdx")
blockIdx = _dim3("blockIdx")
blockDim = _dim3("blockDim")
gridDim = _dim3("gridDim")
grid = _Intrinsic(f"{PREFIX}.grid")
gridsize = _Intrinsic(f"{PREFIX}.gridsize")
syncthreads = _Intrinsic(f"{PREFIX}.syncthreads")
shared = _functions("shared", "array")
local = _functions("local", "array")
atomic = _functions("atomic", "add", "min", "max", "cas")
# Math that keeps float32 as float32 (Python's `math` module works too, in float64).
math = _functions("math", "sqrt", "exp", "log", "sin", "cos", "tan", "fabs", "floor", "ceil",
                  "pow", "atan2", "hypot", "tanh", "erf", "log2", "exp2", "rsqrt", "fma")

class _Dtype:
    """An element type for `shared.array`/`local.array` (`cuda.float32`)."""

    _jitlab_intrinsic_: tuple[str, int] | None = None

    def __init__(self, name: str):
        self._jitlab_intrinsic_ = ("const", DTYPE_CODES[name])
        self.name = name

    def __repr__(self):
        return f"jitlab.cuda.{self.name}"


float32, float64, int32, int64, uint32, uint64 = map(
    _Dtype, ("float32", "float64", "int32", "int64", "uint32", "uint64"))

__all__ = ["Kernel", "atomic", "blockDim", "blockIdx", "grid", "gridDim", "gridsize", "kernel", "local",
           "math", "shared", "syncthreads", "threadIdx"]
