"""A cache miss with tiers (the default): tier 0 at once, the entry written from the background
with optimised code only (`jitlab/cache_miss.py`); restarts, exits, kills and two compilers at once."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
import warnings

import pytest

import jitlab
from jitlab import cache_miss, tiers
from jitlab.backend.llvm import codegen
from jitlab.cache.store import STALE_TEMPORARY_S, CacheStore

from .support import ROOT

MODULE = """
def scale(n):
    s = 0
    for i in range(n):
        s += i * 3 + 1
    return s
"""


def _blocking_job() -> threading.Event:
    """Hold the background worker until the returned event is set (what queues behind it waits)."""
    release, started = threading.Event(), threading.Event()

    def work():
        started.set()
        release.wait(60)

    tiers.submit(tiers.Job("blocker", work, lambda result, error: None))
    started.wait(60)
    return release


def _fresh(name: str = "scale"):
    ns: dict = {}
    exec(compile(MODULE, "tiered_miss_module", "exec"), ns)
    return ns[name]


def test_a_miss_runs_tier_0_then_stores_the_optimised_code(tmp_path):
    release = _blocking_job()
    try:
        f = jitlab.jit(_fresh(), cache_dir=str(tmp_path))
        assert f(10) == 145
        (quick,) = f.overloads.values()
        assert quick.tier == 0 and "tier0" in f.last_compile.timings
        assert f.last_compile.cache.status == "miss" and not list(tmp_path.rglob("*.pixie"))
    finally:
        release.set()
    assert f.wait_optimized(timeout=60)  # waits for the entry too
    (compiled,) = f.overloads.values()
    probe = f.last_compile.cache
    assert compiled.tier == 1 and probe.status == "stored" and f(10) == 145
    (entry,) = tmp_path.rglob("*.pixie")
    data = entry.read_bytes()
    assert codegen.QUICK_SUFFIX.encode() + b"." not in data  # never tier-0 code
    assert f"{compiled.symbol}.pywrap".encode() in data
    assert {"native", "cache-write"} <= set(f.last_compile.timings)
    again = jitlab.jit(_fresh(), cache_dir=str(tmp_path))  # this process: a hit on the same code
    assert again(10) == 145 and again.last_compile.cache.status == "hit"


def test_the_same_key_compiled_again_while_its_entry_is_written_waits_and_hits(tmp_path):
    release = _blocking_job()
    try:
        f = jitlab.jit(_fresh(), cache_dir=str(tmp_path))
        assert f(4) == 22 and f.last_compile.cache.status == "miss"
        # a cell run again: its compile runs f's queued job (the worker is busy) and then hits
        g = jitlab.jit(_fresh(), cache_dir=str(tmp_path))
        assert g(4) == 22 and g.last_compile.cache.status == "hit"
        assert f.last_compile.cache.status == "stored" and [c.tier for c in f.overloads.values()] == [1]
    finally:
        release.set()


def test_wait_optimized_waits_for_the_entry_written_after_the_swap(tmp_path, monkeypatch):
    swapped, real_save = threading.Event(), jitlab.cache.save

    def slow_save(probe, unit, obj=None):
        swapped.set()
        time.sleep(0.3)
        return real_save(probe, unit, obj)

    monkeypatch.setattr(jitlab.cache, "save", slow_save)
    f = jitlab.jit(_fresh(), cache_dir=str(tmp_path))
    assert f(5) == 35
    assert swapped.wait(60) and [c.tier for c in f.overloads.values()] == [1]  # in, not stored yet
    assert f.wait_optimized(timeout=60)
    assert f.last_compile.cache.status == "stored" and len(list(tmp_path.rglob("*.pixie"))) == 1


def test_two_threads_compiling_the_same_kernel(tmp_path):
    funcs = [jitlab.jit(_fresh(), cache_dir=str(tmp_path)) for _ in range(2)]
    results, errors = [], []

    def call(f):
        try:
            results.append(f(100))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        threads = [threading.Thread(target=call, args=(f,)) for f in funcs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert all(f.wait_optimized(timeout=60) for f in funcs)
    assert not errors and results == [_fresh()(100)] * 2
    assert len(list(tmp_path.rglob("*.pixie"))) == 1
    assert all(c.tier == 1 for f in funcs for c in f.overloads.values())


def test_a_failed_cache_write_is_reported_and_the_optimised_code_stays(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jitlab.cache, "save", broken)
    f = jitlab.jit(_fresh(), cache_dir=str(tmp_path))
    with pytest.warns(tiers.TierWarning, match="storing it in the cache failed.*disk on fire"):
        assert f(3) == 12
        f.wait_optimized(timeout=60)
        tiers.wait_all(60)
    (compiled,) = f.overloads.values()
    assert compiled.tier == 1 and f(3) == 12 and not list(tmp_path.rglob("*.pixie"))
    assert compiled.record.optimizing.then_error is not None
    assert not cache_miss._pending


# ------------------------------------------------------------------------- other processes

SCRIPT = """
import sys, os
sys.path.insert(0, {root!r}); sys.path.insert(0, {here!r})
import jitlab, jitlab.cache
jitlab.cache.set_cache_dir({cache!r})
import kernels
f = jitlab.jit(kernels.scale)
print(f(50), f.last_compile.cache.status, [c.tier for c in f.overloads.values()][0], flush=True)
{after}
"""


def _run(tmp_path, after: str = "", check: bool = True) -> subprocess.CompletedProcess:
    (tmp_path / "kernels.py").write_text(MODULE)
    script = SCRIPT.format(root=str(ROOT), here=str(tmp_path), cache=str(tmp_path / "cache"),
                           after=textwrap.dedent(after))
    done = subprocess.run([sys.executable, "-X", "faulthandler", "-c", script], capture_output=True,
                          text=True, timeout=120)
    if check:
        assert done.returncode == 0, done.stderr
        assert "Warning" not in done.stderr, done.stderr
    return done


def _entries(tmp_path):
    store = CacheStore(tmp_path / "cache")
    return [e for e in store.entries()], list((tmp_path / "cache").rglob(".tmp-*"))


def test_exit_right_after_a_miss_stores_the_entry_and_a_restart_hits_it(tmp_path):
    first = _run(tmp_path)  # exits while its background job runs: the job is finished first
    assert first.stdout.split() == ["3725", "miss", "0"]
    (entry,), _ = _entries(tmp_path)
    assert entry.function == "scale"
    hot = _run(tmp_path)
    assert hot.stdout.split() == ["3725", "hit", "1"]  # optimised code, loaded without compiling


@pytest.mark.parametrize("when", ["optimising", "renaming"])
def test_a_process_killed_in_the_background_job_leaves_no_entry(tmp_path, when):
    # killed while making tier 1, or with the entry written to its temporary file but not renamed
    target = "jitlab.cache.host_object" if when == "optimising" else "os.replace"
    kill = f"""
        import os, signal, jitlab.cache, jitlab.cache.store
        module, name = {target!r}.rsplit(".", 1)
        owner = jitlab.cache if module == "jitlab.cache" else jitlab.cache.store.os
        def die(*a, **k):
            os.kill(os.getpid(), signal.SIGKILL)
        setattr(owner, name, die)
        jitlab.tiers.wait_all()
    """
    killed = _run(tmp_path, kill, check=False)
    assert killed.returncode == -9 and killed.stdout.split() == ["3725", "miss", "0"]
    entries, temporary = _entries(tmp_path)
    assert entries == [] and (when == "optimising" or temporary)
    for path in temporary:  # (old enough to be a killed writer's: the next write removes it)
        os.utime(path, (time.time() - 2 * STALE_TEMPORARY_S,) * 2)
    fine = _run(tmp_path)  # a clean miss (the temporary file is ignored), stored
    assert fine.stdout.split() == ["3725", "miss", "0"]
    assert _entries(tmp_path)[1] == []
    assert _run(tmp_path).stdout.split() == ["3725", "hit", "1"]
    assert all(e.function == "scale" for e in _entries(tmp_path)[0])


def test_two_processes_compiling_the_same_kernel(tmp_path):
    (tmp_path / "kernels.py").write_text(MODULE)
    script = SCRIPT.format(root=str(ROOT), here=str(tmp_path), cache=str(tmp_path / "cache"), after="")
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and "Warning" not in err, err
        assert out.split()[0] == "3725"
    (entry,), _ = _entries(tmp_path)
    assert _run(tmp_path).stdout.split() == ["3725", "hit", "1"]
