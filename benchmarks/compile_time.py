"""Compile time of the demo functions: jitlab next to Numba, in one process.

    python benchmarks/compile_time.py [--repeat N] [--json] [--cpu]

What is timed, for each function of `jitlab.demo.EXAMPLES` and each compiler: making a fresh copy
of the function callable for the example's explicit signature and calling it once with the
example's arguments — jitlab: `f = jitlab.jit(copy, cache=False); f.compile(sig); f(*args)` (a cold
compile, not a cache hit; the first call also builds the dispatcher's native entry), Numba:
`g = numba.njit(sig)(copy); g(*args)`.  Each round uses a new copy of the function, so no in-memory
cache of either compiler helps; the call itself is the same compiled code in both (well under a
millisecond here).  What is not timed: one-time start-up.  Both compilers are warmed up first on a
throwaway function (compiled and called), so one-off initialisation (importing the compiler,
Numba's type registry, LLVM's target setup, jitlab's shared wrapper helpers) is not charged to the
first example.  jitlab reuses a wrapper's IR for signatures of the same shape (as Numba reuses its
own typing and lowering caches); the median of `--repeat` rounds counts that reuse, the first
round of a shape does not.  The table gives the medians and the ratio jitlab / Numba (`--cpu`: CPU
time instead of wall time, for a busy machine; the jitlab per-stage times stay wall times).

jitlab compiles in tiers (docs/architecture.md, "tiers.py"): the timed compile loads
quick tier-0 code and the first call runs it, while a background thread makes the optimised
(O3) code.  After the timed part each round waits, untimed, for that code (`f.wait_optimized()`),
so it never runs during a later measurement; the column "+tier 1" is the time that wait took on
top (`--cpu`: the process's CPU time, so the background thread's work), and "all/numba" is the
ratio of both together to Numba -- what optimised code costs, next to what the first call waits
for.  The per-phase lines split jitlab's time by stage: the frontend and `opt` (Python), `llvm`
(lowering, Python and llvmlite's IR builder), `tier0` (LLVM's SROA pass, fast codegen, the
CPython wrapper, loading), then the background's `llvm-opt` (O3) and `native` (O3 codegen and
loading).
Needs the `bench` extra (`pip install -e '.[bench]'`); exits 2 without Numba.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
import types
from collections.abc import Callable

import jitlab
from jitlab.demo import EXAMPLES


def fresh_copy(func: Callable) -> Callable:
    """A new function object with the same code, so compilers cannot reuse an earlier result."""
    copy = types.FunctionType(func.__code__, func.__globals__, func.__name__, func.__defaults__,
                              func.__closure__)
    copy.__qualname__ = func.__qualname__
    return copy


def time_ms(compile_once: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter,
            after: Callable[[object], object] | None = None) -> list[float]:
    """Times of `repeat` runs of `compile_once`; `after` (untimed) gets each run's result."""
    times = []
    for _ in range(repeat):
        start = clock()
        result = compile_once()
        times.append((clock() - start) * 1e3)
        if after is not None:
            after(result)
    return times


def _warm_up(x):
    return x + 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="compiles per function and compiler")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--cpu", action="store_true",
                        help="time CPU seconds of this process (time.process_time) instead of wall time: "
                             "steadier on a machine other jobs share")
    opts = parser.parse_args(argv)
    try:
        import numba
    except ImportError:
        print("compile_time.py needs Numba: pip install -e '.[bench]'", file=sys.stderr)
        return 2

    warm = jitlab.jit(fresh_copy(_warm_up), cache=False)
    warm.compile("int64(int64)")
    warm(1)
    numba.njit("int64(int64)")(fresh_copy(_warm_up))(1)

    clock = time.process_time if opts.cpu else time.perf_counter
    rows = []
    for example in EXAMPLES:
        func, sig, args = example.func, example.signature, example.args
        stage_ms: dict[str, list[float]] = {}
        tier1_ms: list[float] = []

        def jitlab_compile(func=func, sig=sig, args=args):
            jitted = jitlab.jit(fresh_copy(func), cache=False)
            jitted.compile(sig)
            jitted(*args)
            return jitted

        def numba_compile(func=func, sig=sig, args=args):
            numba.njit(sig)(fresh_copy(func))(*args)

        def until_optimized(jitted, stage_ms=stage_ms, tier1_ms=tier1_ms):
            """Untimed by `time_ms`: wait for tier 1, note how long that took and the stage times."""
            start = clock()
            if not jitted.wait_optimized():
                raise SystemExit(f"tier 1 of {jitted.__name__} failed")
            tier1_ms.append((clock() - start) * 1e3)
            for name, ms in jitted.last_compile.timings.items():
                stage_ms.setdefault(name, []).append(ms)

        jitlab_times = time_ms(jitlab_compile, opts.repeat, clock, after=until_optimized)
        numba_times = time_ms(numba_compile, opts.repeat, clock)
        jit_ms, nb_ms, t1_ms = (statistics.median(t) for t in (jitlab_times, numba_times, tier1_ms))
        rows.append({
            "function": func.__name__,
            "signature": sig,
            "jitlab_ms": round(jit_ms, 2),
            "numba_ms": round(nb_ms, 2),
            "ratio": round(jit_ms / nb_ms, 3),
            "tier1_ms": round(t1_ms, 2),
            "ratio_with_tier1": round((jit_ms + t1_ms) / nb_ms, 3),
            "jitlab_stage_ms": {name: round(statistics.median(ms), 2) for name, ms in stage_ms.items()},
        })

    meta = {"python": platform.python_version(), "jitlab": jitlab.__version__, "numba": numba.__version__,
            "machine": platform.machine(), "repeat": opts.repeat, "clock": "cpu" if opts.cpu else "wall"}
    if opts.json:
        print(json.dumps({"meta": meta, "results": rows}, indent=2))
        return 0
    print("compile time (fresh function: eager compile + first call), median of {repeat} ({clock} ms); "
          "Python {python}, jitlab {jitlab}, Numba {numba}, {machine}".format(**meta))
    print(f"{'function':<12} {'signature':<30} {'jitlab':>9} {'numba':>9} {'jitlab/numba':>13} "
          f"{'+tier 1':>9} {'all/numba':>10}")
    for r in rows:
        print(f"{r['function']:<12} {r['signature']:<30} {r['jitlab_ms']:>9.1f} {r['numba_ms']:>9.1f} "
              f"{r['ratio']:>13.2f} {r['tier1_ms']:>9.1f} {r['ratio_with_tier1']:>10.2f}")
    print("\njitlab per stage (median wall ms; tier0 = quick code loaded; llvm-opt, native = tier 1 "
          "in the background):")
    for r in rows:
        print(f"  {r['function']:<12} " + "  ".join(f"{k} {v:.1f}" for k, v in r["jitlab_stage_ms"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
