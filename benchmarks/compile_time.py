"""Compile time of the demo functions: jitlab next to Numba, in one process.

    python benchmarks/compile_time.py [--repeat N] [--json] [--cpu]

What is timed, for each function of `jitlab.demo.EXAMPLES`: making a fresh copy of the function
callable for the example's explicit signature and calling it once with the example's arguments,
in three jitlab configurations next to Numba (`g = numba.njit(sig)(copy); g(*args)`):

* **default** (the headline): `f = jitlab.jit(copy, cache_dir=FRESH); f.compile(sig); f(*args)`
  -- the persistent cache on, as `jitlab.jit` is by default, in a new empty folder each round, so
  every compile is a cache miss (the first run of a notebook cell);
* **cache=False**: the same with `jitlab.jit(copy, cache=False)`;
* **hit**: the same function in a fresh process whose cache folder the default rounds filled (a
  restarted kernel): `jitlab.jit(func)`, compile, first call, timed inside that process after a
  warm-up hit of another function (so the process's start and one-time set-up are not counted).

Each round uses a new copy of the function, so no in-memory cache of either compiler helps (the
default rounds' copies share one cache key: a new folder each round makes each a miss); the call
itself is the same compiled code in all of them.  What is not timed: one-time start-up.  Both
compilers are warmed up first on a throwaway function (compiled and called), so one-off
initialisation (importing the compiler, Numba's type registry, LLVM's target setup, jitlab's
shared wrapper helpers) is not charged to the first example.  jitlab reuses a wrapper's IR for
signatures of the same shape (as Numba reuses its own typing and lowering caches); the median of
`--repeat` rounds counts that reuse, the first round of a shape does not.  The rounds alternate
the configurations and Numba, so a change in the machine's load affects all alike.  `--cpu`:
CPU time of the process (all its threads) instead of wall time, for a busy machine; the jitlab
per-stage times stay wall times.

jitlab compiles in tiers (docs/architecture.md, "tiers.py"): a compile, cache miss or not, loads
quick tier-0 code and the first call runs it, while a background thread makes the optimised (O3)
code, swaps it in and, on a miss, then writes the cache entry.  After the timed part each round
waits, untimed, for that (`f.wait_optimized()`), so it never runs during a later measurement; the
column "+bg" is the time that wait took on top (`--cpu`: the process's CPU time, so the background
thread's work), and "all/numba" is the ratio of both together to Numba -- what optimised code and
its cache entry cost, next to what the first call waits for.  The per-stage lines split the
default configuration's time: `cache-lookup` (the key), the frontend and `opt` (Python), `llvm`
(lowering), `tier0` (LLVM's SROA pass, fast codegen, the CPython wrapper, loading), then the
background's `llvm-opt` (O3), `native` (O3 codegen of the host variant and loading) and
`cache-write` (bitcode, the entry written).
Needs the `bench` extra (`pip install -e '.[bench]'`); exits 2 without Numba.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
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


def time_ms(compile_once: Callable[[], object], clock: Callable[[], float] = time.perf_counter,
            after: Callable[[object], object] | None = None) -> float:
    """The time of one run of `compile_once`; `after` (untimed) gets its result."""
    start = clock()
    result = compile_once()
    ms = (clock() - start) * 1e3
    if after is not None:
        after(result)
    return ms


def _warm_up(x):
    return x + 1


def _hit_child(cache_dir: str, cpu: bool) -> int:
    """In a fresh process: a warm-up hit, then one timed hit of each example (JSON on stdout)."""
    clock = time.process_time if cpu else time.perf_counter
    warm = jitlab.jit(_warm_up, cache_dir=cache_dir)
    warm.compile("int64(int64)")
    warm(1)
    times, statuses = {}, {}
    for example in EXAMPLES:
        def hit(example=example):
            f = jitlab.jit(example.func, cache_dir=cache_dir)
            f.compile(example.signature)
            f(*example.args)
            return f
        times[example.func.__name__] = time_ms(hit, clock)
        statuses[example.func.__name__] = jitlab.jit(example.func, cache_dir=cache_dir).compile(
            example.signature).record.cache.status
    print(json.dumps({"ms": times, "status": statuses, "warm": warm.last_compile.cache.status}))
    return 0


def _hits(cache_dir: str, cpu: bool) -> dict[str, float]:
    here = os.path.dirname(os.path.abspath(__file__))
    done = subprocess.run([sys.executable, os.path.join(here, "compile_time.py"), "--hit-child", cache_dir,
                           *(["--cpu"] if cpu else [])], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"the cache-hit process failed:\n{done.stderr}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    missed = {name: s for name, s in [("_warm_up", report["warm"]), *report["status"].items()] if s != "hit"}
    if missed:
        raise SystemExit(f"the cache-hit process missed: {missed}")
    return report["ms"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="compiles per function and configuration")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--cpu", action="store_true",
                        help="time CPU seconds of this process (time.process_time) instead of wall time: "
                             "steadier on a machine other jobs share")
    parser.add_argument("--hit-child", metavar="DIR", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.hit_child:
        return _hit_child(opts.hit_child, opts.cpu)
    try:
        import numba
    except ImportError:
        print("compile_time.py needs Numba: pip install -e '.[bench]'", file=sys.stderr)
        return 2

    clock = time.process_time if opts.cpu else time.perf_counter
    folders = tempfile.mkdtemp(prefix="jitlab-compile-time-")
    rounds = iter(range(1 << 30))

    def fresh_folder() -> str:
        return os.path.join(folders, f"round{next(rounds)}")

    try:
        warm = jitlab.jit(fresh_copy(_warm_up), cache=False)
        warm.compile("int64(int64)")
        warm(1)
        # (warm for the cache too: its folder becomes the one the hit process reads)
        hit_folder = fresh_folder()
        warm = jitlab.jit(_warm_up, cache_dir=hit_folder)
        warm.compile("int64(int64)")
        warm(1)
        warm.wait_optimized()
        numba.njit("int64(int64)")(fresh_copy(_warm_up))(1)
        rows = _measure(opts, clock, fresh_folder, hit_folder, numba)
    finally:
        shutil.rmtree(folders, ignore_errors=True)

    load = os.getloadavg() if hasattr(os, "getloadavg") else (math.nan,) * 3
    meta = {"python": platform.python_version(), "jitlab": jitlab.__version__, "numba": numba.__version__,
            "machine": platform.machine(), "repeat": opts.repeat, "clock": "cpu" if opts.cpu else "wall",
            "loadavg": [round(x, 2) for x in load]}
    ratios = {key: _geomean([r[key] for r in rows]) for key in ("ratio", "ratio_nocache", "ratio_hit")}
    if opts.json:
        print(json.dumps({"meta": meta, "results": rows, "geomean": ratios}, indent=2))
        return 0
    print("compile time (fresh function: eager compile + first call), median of {repeat} ({clock} ms); "
          "Python {python}, jitlab {jitlab}, Numba {numba}, {machine}, load average {loadavg}".format(**meta))
    print(f"{'':<12} {'':>8} | {'default: cache on, miss':^33} | {'cache=False':^17} | {'cache hit':^17}")
    print(f"{'function':<12} {'numba':>8} | {'jitlab':>8} {'/numba':>6} {'+bg':>7} {'all/nb':>7} | "
          f"{'jitlab':>8} {'/numba':>6}  | {'jitlab':>8} {'/numba':>6}")
    for r in rows:
        print(f"{r['function']:<12} {r['numba_ms']:>8.1f} | {r['jitlab_ms']:>8.1f} {r['ratio']:>6.2f} "
              f"{r['tier1_ms']:>7.1f} {r['ratio_with_tier1']:>7.2f} | {r['nocache_ms']:>8.1f} "
              f"{r['ratio_nocache']:>6.2f}  | {r['hit_ms']:>8.1f} {r['ratio_hit']:>6.2f}")
    print(f"{'geomean':<12} {'':>8} | {'':>8} {ratios['ratio']:>6.2f} {'':>7} {'':>7} | {'':>8} "
          f"{ratios['ratio_nocache']:>6.2f}  | {'':>8} {ratios['ratio_hit']:>6.2f}")
    print("\njitlab per stage, default configuration (median wall ms; tier0 = quick code loaded; llvm-opt, "
          "native, cache-write = in the background):")
    for r in rows:
        print(f"  {r['function']:<12} " + "  ".join(f"{k} {v:.1f}" for k, v in r["jitlab_stage_ms"].items()))
    return 0


def _geomean(values: list[float]) -> float:
    return round(math.exp(statistics.fmean(math.log(v) for v in values)), 3)


def _jitted(example, **options):
    """A fresh copy of the example's function, jitted with `options`, compiled and called once."""
    jitted = jitlab.jit(fresh_copy(example.func), **options)
    jitted.compile(example.signature)
    jitted(*example.args)
    return jitted


def _measure(opts, clock, fresh_folder, hit_folder, numba) -> list[dict]:
    samples = {e.func.__name__: {"miss": [], "nocache": [], "numba": [], "bg": [], "stages": {}}
               for e in EXAMPLES}

    def until_optimized(jitted, s):
        """Untimed: wait for tier 1 (and the entry), note how long that took and the stage times."""
        start = clock()
        if not jitted.wait_optimized():
            raise SystemExit(f"tier 1 of {jitted.__name__} failed")
        s["bg"].append((clock() - start) * 1e3)
        for name, ms in jitted.last_compile.timings.items():
            s["stages"].setdefault(name, []).append(ms)

    for k in range(opts.repeat):
        for example in EXAMPLES:
            s = samples[example.func.__name__]
            folder = hit_folder if k == opts.repeat - 1 else fresh_folder()

            s["miss"].append(time_ms(lambda e=example, d=folder: _jitted(e, cache_dir=d), clock,
                                     after=lambda f, s=s: until_optimized(f, s)))
            s["numba"].append(time_ms(lambda e=example: numba.njit(e.signature)(fresh_copy(e.func))(*e.args),
                                      clock))
            s["nocache"].append(time_ms(lambda e=example: _jitted(e, cache=False), clock,
                                        after=lambda f: f.wait_optimized()))
    hit_samples = [_hits(hit_folder, opts.cpu) for _ in range(opts.repeat)]
    rows = []
    for example in EXAMPLES:
        name = example.func.__name__
        s = samples[name]
        miss_ms, nb_ms, bg_ms, nocache_ms = (statistics.median(s[k])
                                             for k in ("miss", "numba", "bg", "nocache"))
        hit_ms = statistics.median(h[name] for h in hit_samples)
        rows.append({
            "function": name,
            "signature": example.signature,
            "jitlab_ms": round(miss_ms, 2),
            "numba_ms": round(nb_ms, 2),
            "ratio": round(miss_ms / nb_ms, 3),
            "tier1_ms": round(bg_ms, 2),
            "ratio_with_tier1": round((miss_ms + bg_ms) / nb_ms, 3),
            "nocache_ms": round(nocache_ms, 2),
            "ratio_nocache": round(nocache_ms / nb_ms, 3),
            "hit_ms": round(hit_ms, 2),
            "ratio_hit": round(hit_ms / nb_ms, 3),
            "jitlab_stage_ms": {k: round(statistics.median(ms), 2) for k, ms in s["stages"].items()},
        })
    return rows


if __name__ == "__main__":
    sys.exit(main())
