"""Running PTX on a GPU: the only module that touches the CUDA driver (through numba-cuda).

numba-cuda is used as a driver and launcher only, never as a compiler: its context loads the
PTX (`create_module_ptx(...).get_function(...)`) and `cuda.core.launch` runs it.  Arguments:
NumPy arrays are copied to the device and back after the launch; numba-cuda device arrays
are passed as they are; scalars become sized NumPy scalars of their jitlab type (a raw Python
int would be taken as a pointer).  An array is passed as its data pointer, shape and byte
strides, the kernel ABI of `ptx.kernel_params`.

`is_available()` is `numba.cuda.is_available()`, False when numba-cuda is missing; nothing
else here is called without a driver.
"""
from __future__ import annotations

from functools import cache

import numpy as np

from jitlab.ir.types import ArrayType, BoolType, FloatType, IntType, Type


@cache
def is_available() -> bool:
    try:
        from numba import cuda
    except ImportError:
        return False
    try:
        return bool(cuda.is_available())
    except Exception:  # a broken driver install reads as no GPU
        return False


def device_array_type(value) -> ArrayType | None:
    """The jitlab type of a numba-cuda device array (None for anything else)."""
    if not hasattr(value, "__cuda_array_interface__") or isinstance(value, np.ndarray):
        return None
    shape = value.shape
    strides = value.strides
    itemsize = value.dtype.itemsize
    c = all(s == itemsize * int(np.prod(shape[i + 1:])) for i, s in enumerate(strides))
    return ArrayType(_dtype_type(value.dtype), len(shape), "C" if c else "A")


def _dtype_type(dtype: np.dtype) -> Type:
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return BoolType()
    if dtype.kind in "iu":
        return IntType(dtype.itemsize * 8, dtype.kind == "i")
    return FloatType(dtype.itemsize * 8)


def _scalar(value, t: Type):
    if isinstance(t, BoolType):
        return np.uint8(bool(value))
    if isinstance(t, IntType):
        return np.dtype(f"{'i' if t.signed else 'u'}{t.bits // 8}").type(value)
    if isinstance(t, FloatType):
        return (np.float32 if t.bits == 32 else np.float64)(value)
    raise TypeError(f"cannot pass a {t} to a kernel")


def load(ptx: str, entry_name: str):
    """Load PTX into the current context; the kernel object `launch` takes."""
    from numba import cuda

    module = cuda.current_context().create_module_ptx(ptx)
    return module.get_function(entry_name)


def _arguments(argtypes: tuple[Type, ...], args: tuple) -> tuple[list, list]:
    """(kernel parameters, (host array, device array) pairs to copy back)."""
    from numba import cuda

    params, copy_back = [], []
    for t, value in zip(argtypes, args):
        if isinstance(t, ArrayType):
            if isinstance(value, np.ndarray):
                device = cuda.to_device(value)
                copy_back.append((value, device))
            else:
                device = value
            params.append(np.uint64(device.__cuda_array_interface__["data"][0]))
            params += [np.int64(n) for n in device.shape]
            params += [np.int64(s) for s in device.strides]
        else:
            params.append(_scalar(value, t))
    return params, copy_back


def _run(function, grid, block, params, stream) -> None:
    from cuda.core import LaunchConfig, launch as core_launch

    core_launch(stream, LaunchConfig(grid=tuple(grid), block=tuple(block)), function.kernel, *params)


def _stream():
    from numba import cuda

    return cuda.default_stream()


def launch(function, grid, block, argtypes: tuple[Type, ...], args: tuple) -> None:
    params, copy_back = _arguments(argtypes, args)
    stream = _stream()
    _run(function, grid, block, params, stream)
    for host, device in copy_back:
        device.copy_to_host(host)
    stream.synchronize()


def time(function, grid, block, argtypes: tuple[Type, ...], args: tuple, repeat: int = 10) -> float:
    """Best milliseconds of `repeat` launches, by CUDA events (arrays stay on the device meanwhile)."""
    from numba import cuda

    params, copy_back = _arguments(argtypes, args)
    stream = _stream()
    best = float("inf")
    for _ in range(repeat):
        start, stop = cuda.event(), cuda.event()
        start.record(stream)
        _run(function, grid, block, params, stream)
        stop.record(stream)
        stop.synchronize()
        best = min(best, cuda.event_elapsed_time(start, stop))
    for host, device in copy_back:
        device.copy_to_host(host)
    return best
