"""Emulated kernel launches: jitlab's CPU emulation vs numba-cuda's simulator (NUMBA_ENABLE_CUDASIM=1),
on the whole kernel suite (benchmarks/cuda_suite.py: the same kernel source on both sides).

    python benchmarks/cuda_emulation.py [--n N] [--side S] [--quick]

Prints, per kernel, milliseconds per launch for each and the ratio simulator / jitlab (goal: >= 50x),
then the geometric mean.  jitlab's time is the best of 3 launches after a compiling one; the
simulator, which takes seconds, runs once per kernel in a child process (it must be enabled
before numba is imported).  Both check their outputs against NumPy.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cuda_suite
from bench_support import gmean

CHILD = r"""
import json, sys, time
sys.path.insert(0, {here!r})
import cuda_suite
result = {{}}
for case in cuda_suite.cases({n}, {side}):
    kern = cuda_suite.numba_kernel(case.name)
    args = case.args()
    start = time.perf_counter()
    kern[case.grid, case.block](*args)
    result[case.name] = (time.perf_counter() - start) * 1e3
    case.check(args)
print(json.dumps(result))
"""


def simulator_ms(n: int, side: int) -> dict[str, float] | None:
    try:
        import numba  # noqa: F401
    except ImportError:
        return None
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
    code = CHILD.format(here=os.path.dirname(os.path.abspath(__file__)), n=n, side=side)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"numba-cuda's simulator failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def jitlab_ms(n: int, side: int) -> dict[str, float]:
    result = {}
    for case in cuda_suite.cases(n, side):
        kern = cuda_suite.jitlab_kernel(case.name, "cuda-emulate")
        args = case.args()
        kern[case.grid, case.block](*args)  # compiles
        case.check(args)
        best = math.inf
        for _ in range(3):
            args = case.args()
            start = time.perf_counter()
            kern[case.grid, case.block](*args)
            best = min(best, (time.perf_counter() - start) * 1e3)
        result[case.name] = best
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4096, help="elements of the 1-D kernels (a multiple of 128)")
    parser.add_argument("--side", type=int, default=32, help="side of the 2-D kernels' matrices")
    parser.add_argument("--quick", action="store_true", help="a small run (smoke test)")
    opts = parser.parse_args()
    n, side = (512, 16) if opts.quick else (opts.n, opts.side)
    ours = jitlab_ms(n, side)
    sim = simulator_ms(n, side)
    print(f"kernel suite emulated, n={n}, side={side}")
    print(f"{'kernel':14} {'jitlab ms':>10} {'simulator ms':>13} {'ratio':>8}")
    ratios = []
    for name, ms in ours.items():
        if sim is None:
            print(f"{name:14} {ms:10.3f} {'-':>13} {'-':>8}")
            continue
        ratios.append(sim[name] / ms)
        print(f"{name:14} {ms:10.3f} {sim[name]:13.1f} {ratios[-1]:7.0f}x")
    if ratios:
        geo = gmean(ratios)
        print(f"geometric mean simulator/jitlab: {geo:.0f}x (goal >= 50x), min {min(ratios):.0f}x")
    else:
        print("numba is not installed: no simulator to compare with (pip install -e '.[bench]')")


if __name__ == "__main__":
    main()
