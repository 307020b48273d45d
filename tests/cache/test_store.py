"""The cache folder under load: 8 processes at once, LRU eviction, keys of array globals, the CLI."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

import jitlab
from jitlab.cache import CacheStore, key
from jitlab.cli import main as cli_main
from jitlab.ir import I64
from jitlab.pipeline import Options

from .support import ROOT

WORKER = """
import json, sys
sys.path.insert(0, {root!r})
import jitlab, jitlab.cache
jitlab.cache.set_cache_dir({cache!r})
k = int(sys.argv[1])

@jitlab.jit
def shared(x):
    return x * 7 + 1

def make(k):
    ns = {{}}
    exec(f"def own(x):\\n    return x * {{k}} + 100", ns)
    return jitlab.jit(ns["own"])

print(json.dumps([shared(k), make(k)(k)]))
"""


def test_eight_processes_lose_nothing_and_load_no_half_entry(tmp_path):
    script = WORKER.format(root=str(ROOT), cache=str(tmp_path))
    for round_ in range(2):  # the first round compiles and writes at once, the second loads
        procs = [subprocess.Popen([sys.executable, "-c", script, str(k)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for k in range(8)]
        for k, p in enumerate(procs):
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            assert "discarding" not in err and "refusing" not in err, err
            assert json.loads(out) == [k * 7 + 1, k * k + 100]
    store = CacheStore(tmp_path)
    assert len(store.entries()) == 8 + 1  # one `own` per k (different constants), one `shared`
    assert not list(tmp_path.rglob(".tmp-*"))
    assert all(store.read(e.path, e.digest) is not None for e in store.entries())


def test_least_recently_used_entries_are_evicted(tmp_path):
    store = CacheStore(tmp_path, size_limit=10**9)
    funcs = []
    for k in range(4):
        ns = {}
        exec(f"def lru{k}(x):\n    return x + {k}\n", ns)
        funcs.append(jitlab.jit(ns[f"lru{k}"], cache_dir=str(tmp_path)))
    for f in funcs:
        f(1)
        f.wait_optimized()  # a miss writes its entry with tier 1, from the background
    sizes = sorted(e.size for e in store.entries())
    assert len(sizes) == 4
    store.size_limit = sizes[0] + sizes[1] + sizes[2] - 1  # room for two entries only
    store._evict()
    assert len(store.entries()) <= 2


def test_array_and_tuple_globals_are_keyed_by_content():
    ns = {"A": np.arange(4.0), "T": (1, 2.5)}
    exec("def f(i):\n    return A[i] + T[0]\n", ns)
    f = ns["f"]
    before = key.key_components(f, (I64,), Options())
    ns["A"] = np.arange(4.0)  # a new array, same content: same key
    assert key.key_components(f, (I64,), Options()) == before
    ns["A"][0] = 9.0
    after = key.key_components(f, (I64,), Options())
    assert key.explain(before, after) == ["global:A changed"]
    ns["T"] = (1, 2.0)
    assert key.explain(after, key.key_components(f, (I64,), Options())) == ["global:T changed"]


def test_cli_lists_explains_and_clears(tmp_path, capsys):
    src = tmp_path / "kernels.py"
    src.write_text("def f(x):\n    return x + 41\n")
    cache_dir = tmp_path / "cache"
    assert cli_main(["cache", "info", f"{src}:f", "--sig", "(int64,)", "--dir", str(cache_dir)]) == 0
    assert "miss (no entry for this function and signature)" in capsys.readouterr().out
    namespace = {}
    exec(compile(src.read_text(), str(src), "exec", dont_inherit=True), namespace)
    namespace["f"].__module__ = "__jitlab_cli__"
    f = jitlab.jit(namespace["f"], cache_dir=str(cache_dir))
    assert f(1) == 42
    assert f.wait_optimized()  # the entry is written with tier 1, from the background
    assert cli_main(["cache", "list", "--dir", str(cache_dir)]) == 0
    out = capsys.readouterr().out
    assert "f " in out and "(i64) -> i64" in out and "1 entries" in out
    assert cli_main(["cache", "info", f"{src}:f", "--sig", "(int64,)", "--dir", str(cache_dir)]) == 0
    assert ": hit" in capsys.readouterr().out
    assert cli_main(["cache", "clear", "--dir", str(cache_dir)]) == 0
    assert "removed 1 entries" in capsys.readouterr().out


def test_writes_scan_the_folder_only_when_the_limit_may_be_passed(tmp_path, monkeypatch):
    store = CacheStore(tmp_path, size_limit=10**9)
    scans = []
    files = store._files
    monkeypatch.setattr(store, "_files", lambda: scans.append(1) or files())
    for k in range(10):
        store.write(store.path("m", "f", f"{k:064x}"), b"x" * 1000)
    assert len(scans) == 1  # the first write learns the folder's size; the next ones add to it
    store.size_limit = 2500
    store.write(store.path("m", "f", "f" * 64), b"x" * 1000)
    assert len(scans) == 2 and 0 < sum(st.st_size for _, st in files()) <= 2500
