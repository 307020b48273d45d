"""The kernel suite on a real GPU: jitlab vs numba-cuda (same source, benchmarks/cuda_suite.py),
and bandwidth-bound kernels against the device's measured device-to-device copy bandwidth.

    python benchmarks/cuda_gpu.py [--n N] [--side S] [--repeat R]

Each kernel first runs once on fresh inputs and its outputs are checked against NumPy (both
jitlab's and numba-cuda's), then each is timed with CUDA events, best of R launches, with the
arrays on the device.  Goals: jitlab / numba-cuda <= 1.0 per kernel; bandwidth-bound kernels at
>= 85% of the copy bandwidth.  Without a GPU it says so and exits 0 (scripts/gpu-check.sh runs it).
"""
from __future__ import annotations

import argparse
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cuda_suite
from bench_support import gmean


def copy_bandwidth(cuda, nbytes: int, repeat: int) -> float:
    """GB/s of a device-to-device copy (read + write counted)."""
    src = cuda.to_device(np.ones(nbytes // 8))
    dst = cuda.device_array_like(src)
    start, stop = cuda.event(), cuda.event()
    best = math.inf
    for _ in range(repeat):
        start.record()
        dst.copy_to_device(src)
        stop.record()
        stop.synchronize()
        best = min(best, cuda.event_elapsed_time(start, stop))
    return 2 * nbytes / best / 1e6


def on_device(cuda, args: tuple) -> tuple:
    return tuple(cuda.to_device(a) if isinstance(a, np.ndarray) else a for a in args)


def to_host(args: tuple) -> tuple:
    return tuple(a.copy_to_host() if hasattr(a, "copy_to_host") else a for a in args)


def numba_ms(cuda, kern, case, args, repeat: int) -> float:
    start, stop = cuda.event(), cuda.event()
    best = math.inf
    for _ in range(repeat):
        start.record()
        kern[case.grid, case.block](*args)
        stop.record()
        stop.synchronize()
        best = min(best, cuda.event_elapsed_time(start, stop))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1 << 24, help="elements of the 1-D kernels")
    parser.add_argument("--side", type=int, default=2048, help="side of the 2-D kernels' matrices")
    parser.add_argument("--repeat", type=int, default=20)
    opts = parser.parse_args()
    from jitlab.backend.cuda import launch

    if not launch.is_available():
        print("no CUDA GPU/driver (numba.cuda.is_available() is False): nothing to time")
        return
    from numba import cuda

    copy = copy_bandwidth(cuda, 8 * opts.n, opts.repeat)
    name = cuda.get_current_device().name
    name = name.decode() if isinstance(name, bytes) else name
    print(f"kernel suite on {name}: n={opts.n}, side={opts.side}; device-to-device copy {copy:.0f} GB/s")
    print(f"{'kernel':14} {'jitlab ms':>10} {'numba ms':>10} {'ratio':>6} {'GB/s':>8} {'% of copy':>9}")
    ratios = []
    for case in cuda_suite.cases(opts.n, opts.side):
        ours = cuda_suite.jitlab_kernel(case.name, "cuda")
        theirs = cuda_suite.numba_kernel(case.name)
        for kern in (ours, theirs):
            args = on_device(cuda, case.args())
            kern[case.grid, case.block](*args)
            cuda.synchronize()
            case.check(to_host(args))
        args = on_device(cuda, case.args())
        ms = ours.time(case.grid, case.block, *args, repeat=opts.repeat)
        nb = numba_ms(cuda, theirs, case, on_device(cuda, case.args()), opts.repeat)
        ratios.append(ms / nb)
        gbs = case.bytes_moved(args) / ms / 1e6
        share = f"{100 * gbs / copy:8.0f}%" if case.bandwidth_bound else f"{'-':>9}"
        print(f"{case.name:14} {ms:10.4f} {nb:10.4f} {ms / nb:6.2f} {gbs:8.0f} {share}")
    geo = gmean(ratios)
    print(f"geometric mean jitlab/numba-cuda: {geo:.2f} (goal <= 1.0), max {max(ratios):.2f}")


if __name__ == "__main__":
    main()
