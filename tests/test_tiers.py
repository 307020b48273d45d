"""Tiered compilation (docs/architecture.md, "tiers.py"): quick tier-0 code at once, the
optimised tier-1 code from a background thread swapped in when ready.

Both tiers must compute the same results (the corpora below, a deterministic sample of each, run
in both), the swap must reach every path a call takes, inspection must show the optimised code,
the persistent cache must only ever hold optimised code, and the background thread must survive
what a program does around it: failures, other threads, interpreter exit.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import warnings
from pathlib import Path

import numpy as np
import pytest

import jitlab
from jitlab import pipeline, tiers
from jitlab.backend.llvm import codegen

import corpus_arrays
import corpus_scalars
import differential_corpus
from differential_support import disagreement, outcome
from test_corpus_arrays import _fresh, _run, _same

ROOT = Path(__file__).resolve().parent.parent


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def hypot_sum(xs):
    s = 0.0
    for i in range(len(xs)):
        s += (xs[i] * xs[i] + 1.0) ** 0.5
    return s


# ---------------------------------------------------------------- both tiers compute the same

SCALAR_SAMPLE = (differential_corpus.CASES + corpus_scalars.CASES)[::3]
ARRAY_SAMPLE = corpus_arrays.CASES[::5]


@pytest.mark.parametrize("func, arg_tuples", SCALAR_SAMPLE, ids=[f.__name__ for f, _ in SCALAR_SAMPLE])
def test_tiers_agree_on_the_scalar_corpora(func, arg_tuples):
    quick = jitlab.jit(func, cache=False, tier=0)
    optimised = jitlab.jit(func, cache=False, tier=1)
    for args in arg_tuples:
        want, got = outcome(optimised, args), outcome(quick, args)
        assert disagreement(want, got) is None, f"{func.__name__}{args}: {disagreement(want, got)}"
    assert {c.tier for c in quick.overloads.values()} <= {0}
    assert {c.tier for c in optimised.overloads.values()} <= {1}


@pytest.mark.parametrize("func, args", ARRAY_SAMPLE, ids=[f.__name__ for f, _ in ARRAY_SAMPLE])
def test_tiers_agree_on_the_array_corpus(func, args):
    quick_args, opt_args = _fresh(args), _fresh(args)
    want = _run(jitlab.jit(func, cache=False, tier=1), opt_args)
    got = _run(jitlab.jit(func, cache=False, tier=0), quick_args)
    assert want[0] == got[0], f"{want} vs {got}"
    if want[0] == "raise":
        assert type(want[1]) is type(got[1]) and str(want[1]) == str(got[1])
    else:
        assert _same(want[1], got[1]) is None, _same(want[1], got[1])
    for k, (a, b) in enumerate(zip(opt_args, quick_args)):
        if isinstance(a, np.ndarray):
            assert _same(a, b, f"argument {k}") is None


# ---------------------------------------------------------------- the swap


def test_auto_runs_quick_code_then_swaps_in_the_optimised_code():
    f = jitlab.jit(fib, cache=False)
    assert f(20) == 6765
    (first,) = f.overloads.values()
    assert first.tier == 0 and first.wrapper.endswith(f"{codegen.QUICK_SUFFIX}.pywrap")
    assert f.wait_optimized(timeout=60)
    (now,) = f.overloads.values()
    assert now.tier == 1 and now.record is first.record and now.entry is not first.entry
    assert now.wrapper == f"{now.symbol}.pywrap"
    assert all(entry is now.entry for entry in f._fast.values())
    # the native strict entry, left out while tier 1 was coming, now calls tier 1
    assert type(type(f).__dict__["__call__"]).__name__ == "builtin_function_or_method"
    assert f(20) == 6765 and f(90) == fib(90)
    assert {"tier0", "llvm-opt", "native"} <= set(f.last_compile.timings)


def test_array_rows_are_swapped_too():
    f = jitlab.jit(hypot_sum, cache=False)
    xs = np.linspace(0.0, 3.0, 7)
    want = hypot_sum(xs)
    assert f(xs) == want
    assert f.wait_optimized(timeout=60)
    (now,) = f.overloads.values()
    assert all(entry is now.entry for entry in f._array_rows.values())
    assert f(xs) == want


def test_eager_signatures_get_tier_1_too():
    f = jitlab.jit("int64(int64)", cache=False)(fib)
    assert f(30) == fib(30)
    assert f.wait_optimized(timeout=60)
    assert [c.tier for c in f.overloads.values()] == [1]
    assert f(30) == fib(30) and f(True) == 1  # (the eager path converts a bool)


def test_tier_1_compiles_optimised_code_at_once_and_tier_0_never_optimises():
    f = jitlab.jit(fib, cache=False, tier=1)
    f(5)
    assert [c.tier for c in f.overloads.values()] == [1] and f.last_compile.optimizing is None
    g = jitlab.jit(fib, cache=False, tier=0)
    g(5)
    assert [c.tier for c in g.overloads.values()] == [0] and g.last_compile.optimizing is None
    assert g.wait_optimized() is False  # it never will be


def test_a_bad_tier_is_refused():
    with pytest.raises(ValueError, match="tier must be one of"):
        jitlab.jit(fib, tier=2)


def test_stages_show_the_optimised_code_even_before_the_swap():
    f = jitlab.jit(fib, cache=False)
    f(3)
    texts = jitlab.stages(f, 3)  # waits for the background `llvm-opt`, does not run it twice
    record = f.last_compile
    assert record.optimizing.finished
    assert texts["llvm-opt"] == codegen.optimize(texts["llvm"])
    assert codegen.QUICK_SUFFIX not in texts["llvm-opt"] and codegen.QUICK_SUFFIX not in texts["asm"]
    assert "llvm-opt" in record.timings


def test_a_failing_background_compile_keeps_the_quick_code_and_warns_once(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("LLVM fell over")

    monkeypatch.setattr(pipeline.llvm_backend, "optimize_module", broken)
    f = jitlab.jit(fib, cache=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert f(10) == 55
        assert f.wait_optimized(timeout=60) is False
    messages = [str(w.message) for w in caught if issubclass(w.category, tiers.TierWarning)]
    assert len(messages) == 1 and "LLVM fell over" in messages[0] and "fib(i64)" in messages[0]
    (kept,) = f.overloads.values()
    assert kept.tier == 0 and f(10) == 55 and f(11) == 89
    # the quick code gets the native entry once it is clear that no tier 1 comes
    assert type(type(f).__dict__["__call__"]).__name__ == "builtin_function_or_method"


def test_threads_calling_at_once_get_one_compile_and_right_results():
    f = jitlab.jit(fib, cache=False)
    results, errors = [], []
    start = threading.Barrier(6)

    def call(n):
        try:
            start.wait()
            for k in range(200):
                results.append((n + k % 3, f(n + k % 3)))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(results) == 1200 and all(got == fib(n) for n, got in results)
    assert len(f.overloads) == 1
    assert f.wait_optimized(timeout=60)


# ---------------------------------------------------------------- the cache holds optimised code only


def test_the_cache_stores_and_loads_only_optimised_code(tmp_path):
    quick = jitlab.jit(fib, cache_dir=str(tmp_path), tier=0)
    assert quick(12) == 144
    assert quick.last_compile.cache.status != "stored"  # quick code is never written
    assert not list(tmp_path.rglob("*.pixie"))
    f = jitlab.jit(fib, cache_dir=str(tmp_path))  # a miss: tier 0, then tier 1 loaded, then stored
    assert f(12) == 144
    assert f.wait_optimized(timeout=60)
    (compiled,) = f.overloads.values()
    assert compiled.tier == 1 and f.last_compile.cache.status == "stored"
    eager = jitlab.jit("int64(int64)", cache_dir=str(tmp_path), tier=1)(fib)  # tier 1: a hit
    assert eager.last_compile.cache.status == "hit"
    hit = jitlab.jit(fib, cache_dir=str(tmp_path), tier=0)  # even tier 0 loads the optimised entry
    assert hit(12) == 144
    probe = hit.last_compile.cache
    assert probe.status == "hit" and [c.tier for c in hit.overloads.values()] == [1]
    objects = [data for name, data in probe.pixie.sections.items() if name.startswith("obj:")]
    assert objects and all(codegen.QUICK_SUFFIX.encode() + b"." not in data for data in objects)
    assert all(f"{compiled.symbol}.pywrap".encode() in data for data in objects)


# ---------------------------------------------------------------- interpreter exit, fork

EXIT_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
import jitlab

def make(k):
    def f(n):
        s = 0.0
        for i in range(n):
            for j in range(i):
                s += (i * j + k) % 7 * 0.5
        return s
    return f

fs = [jitlab.jit(make(k), cache=False) for k in range(12)]
print(sum(f(30) for f in fs), flush=True)
# exit now: most of the twelve background compiles are queued or running
"""


def test_exit_while_background_compiles_run_is_clean():
    script = textwrap.dedent(EXIT_SCRIPT).format(root=str(ROOT))
    done = subprocess.run([sys.executable, "-X", "faulthandler", "-c", script], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert float(done.stdout) > 0


FORK_SCRIPT = """
import os, sys
sys.path.insert(0, {root!r})
import jitlab

def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a

f = jitlab.jit(fib, cache=False)
f(10)                    # tier 1 is being made in the background while we fork
pid = os.fork()
if pid == 0:
    ok = f(20) == 6765 and jitlab.jit(fib, cache=False)(21) == 10946
    os._exit(0 if ok else 1)
_, status = os.waitpid(pid, 0)
assert f.wait_optimized(timeout=60)
print(os.waitstatus_to_exitcode(status), f(30))
"""


@pytest.mark.skipif(not hasattr(sys.modules["os"], "fork"), reason="needs os.fork")
def test_fork_during_a_background_compile():
    script = textwrap.dedent(FORK_SCRIPT).format(root=str(ROOT))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "832040"]


def test_the_worker_thread_ends_when_idle_and_comes_back(monkeypatch):
    import time

    monkeypatch.setattr(tiers, "_IDLE_S", 0.05)
    f = jitlab.jit(fib, cache=False)
    f(5)
    assert f.wait_optimized(timeout=60)
    deadline = time.monotonic() + 30
    while any(t.name == "jitlab-tier1" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(t.name == "jitlab-tier1" for t in threading.enumerate())
    g = jitlab.jit(fib, cache=False)
    g(6)
    assert g.wait_optimized(timeout=60) and [c.tier for c in g.overloads.values()] == [1]
