"""The cache across processes: hits skip every stage, a changed callee or global invalidates its
callers (Numba's stale-callee bug), damaged or unsafe entries are discarded and recompiled."""
from __future__ import annotations

import os
import stat

import pytest

from .support import run_kernel

CALLEE_22 = """
@jitlab.jit
def g(x):
    return x * 22

@jitlab.jit
def f(x):
    return g(x)
"""
CALLEE_220 = CALLEE_22.replace("x * 22", "x * 220")


def entries(cache_dir):
    return sorted(cache_dir.rglob("*.pixie"))


def test_a_hit_in_a_fresh_process_runs_no_stage(tmp_path):
    cold = run_kernel(tmp_path, CALLEE_22)
    assert cold["result"] == 22 and cold["status"] == "stored"
    assert "typed" in cold["timings"] and "llvm-opt" in cold["timings"]
    hot = run_kernel(tmp_path, CALLEE_22)
    assert hot["result"] == 22 and hot["status"] == "hit"
    assert set(hot["timings"]) == {"cache-lookup", "cache-load"}


def test_a_changed_callee_invalidates_its_caller(tmp_path):
    # g is small, so f's `opt` stage has g's body inlined: the key still follows g (callee:g).
    # Numba returned 22 here after g changed in a restarted kernel.
    assert run_kernel(tmp_path, CALLEE_22)["result"] == 22
    changed = run_kernel(tmp_path, CALLEE_220)
    assert changed["result"] == 220
    assert changed["status"] == "stored"
    assert "callee:g changed" in changed["reason"]
    assert "callee:g changed" in changed["info"]
    again = run_kernel(tmp_path, CALLEE_220)
    assert again["result"] == 220 and again["status"] == "hit"
    back = run_kernel(tmp_path, CALLEE_22)  # the old entries are still there: a hit, and right
    assert back["result"] == 22 and back["status"] == "hit"


def test_a_changed_global_value_is_a_miss_that_names_it(tmp_path):
    source = "N = {n}\n@jitlab.jit\ndef f(x):\n    return x + N\n"
    assert run_kernel(tmp_path, source.format(n=1))["result"] == 2
    changed = run_kernel(tmp_path, source.format(n=5))
    assert changed["result"] == 6 and changed["reason"] == "global:N changed"


def test_options_and_signature_are_part_of_the_key(tmp_path):
    source = "@jitlab.jit(boundscheck={b})\ndef f(x):\n    return x + 1\n"
    run_kernel(tmp_path, source.format(b=True))
    other = run_kernel(tmp_path, source.format(b=False))
    assert other["status"] == "stored" and other["reason"] == "options changed"
    floats = run_kernel(tmp_path, source.format(b=True), call="f(1.5)")
    assert floats["result"] == 2.5 and floats["reason"] == "no entry for this function and signature"


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_damaged_entry_is_discarded_and_recompiled(tmp_path, damage):
    source = "@jitlab.jit\ndef f(x):\n    return x * 3\n"
    run_kernel(tmp_path, source)
    (entry,) = entries(tmp_path)
    data = entry.read_bytes()
    entry.write_bytes({"truncate": data[: len(data) // 3],
                       "flip": data[:100] + bytes([data[100] ^ 4]) + data[101:],
                       "garbage": b"\x7fELF" + os.urandom(300)}[damage])
    again = run_kernel(tmp_path, source)
    assert again["result"] == 3 and again["status"] == "stored"
    assert any("discarding" in w for w in again["warnings"]), again["warnings"]
    assert run_kernel(tmp_path, source)["status"] == "hit"


def test_entries_are_private_and_unsafe_ones_refused(tmp_path):
    cache_dir = tmp_path / "c"
    source = "@jitlab.jit\ndef f(x):\n    return x - 1\n"
    run_kernel(cache_dir, source)
    (entry,) = entries(cache_dir)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    entry.chmod(0o666)
    again = run_kernel(cache_dir, source)
    assert again["result"] == 0 and again["status"] == "stored"
    assert any("refusing" in w for w in again["warnings"]), again["warnings"]
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600  # replaced by a private one


def test_a_changed_global_array_is_a_miss_with_the_new_result(tmp_path):
    """The δ freezes a global array's contents into the code, so they are part of the key: the same
    shape and dtype with other contents in a new process is a miss, and the new values are read."""
    source = ("import numpy as np\nG = np.array([{a}, 2.0, 3.0])\n"
              "@jitlab.jit\ndef f(i):\n    return G[i] * 2.0\n")
    first = run_kernel(tmp_path, source.format(a=1.0), call="f(0)")
    assert first["result"] == 2.0 and first["status"] == "stored"
    assert run_kernel(tmp_path, source.format(a=1.0), call="f(0)")["status"] == "hit"
    changed = run_kernel(tmp_path, source.format(a=10.0), call="f(0)")
    assert changed["result"] == 20.0 and changed["status"] == "stored"
    assert changed["reason"] == "global:G changed"


ARGUMENT_22 = """
@jitlab.jit
def g(x):
    return x * 22

@jitlab.jit
def f(h, x):
    return h(x) + 1
"""
ARGUMENT_220 = ARGUMENT_22.replace("x * 22", "x * 220")


def test_a_changed_function_argument_misses_its_callers_entry(tmp_path):
    """A function passed as an argument is part of the caller's signature by its digest
    (`function<g:DIGEST>`): a changed g in a restarted kernel is a new signature, never the old code."""
    cold = run_kernel(tmp_path, ARGUMENT_22, call="f(g, 1)")
    assert cold["result"] == 23 and cold["status"] == "stored"
    hot = run_kernel(tmp_path, ARGUMENT_22, call="f(g, 1)")
    assert hot["result"] == 23 and hot["status"] == "hit"
    changed = run_kernel(tmp_path, ARGUMENT_220, call="f(g, 1)")
    assert changed["result"] == 221 and changed["status"] == "stored"
    back = run_kernel(tmp_path, ARGUMENT_22, call="f(g, 1)")
    assert back["result"] == 23 and back["status"] == "hit"


CLOSURE_3 = """
@jitlab.jit
def f(x):
    k = 2
    g = lambda y: y * 3 + k
    return g(x) + g(1.5)
"""


def test_a_nested_function_hits_and_a_changed_one_misses(tmp_path):
    """A lambda's code is part of its enclosing function's code; a hit in a fresh process loads
    the lambda's own entry for the captured variables' types."""
    assert run_kernel(tmp_path, CLOSURE_3)["result"] == 11.5
    hot = run_kernel(tmp_path, CLOSURE_3)
    assert hot["result"] == 11.5 and hot["status"] == "hit"
    changed = run_kernel(tmp_path, CLOSURE_3.replace("y * 3", "y * 4"))
    assert changed["result"] == 14.0 and changed["status"] == "stored"
    assert changed["reason"] == "code changed"


PASSED_ON_22 = """
@jitlab.jit
def g(x):
    return x * 22

@jitlab.jit
def apply(h, x):
    return h(x) + 1

@jitlab.jit
def f(x):
    return apply(g, x)
"""


def test_a_global_function_passed_on_from_compiled_code_hits_and_follows_changes(tmp_path):
    """`apply(g, x)` inside f: a hit in a fresh process finds `apply`'s entry for `function<g:…>`
    (g found by its name and digest), and a changed g misses f's entry (f reads the global g)."""
    cold = run_kernel(tmp_path, PASSED_ON_22)
    assert cold["result"] == 23 and cold["status"] == "stored"
    hot = run_kernel(tmp_path, PASSED_ON_22)
    assert hot["result"] == 23 and hot["status"] == "hit"
    changed = run_kernel(tmp_path, PASSED_ON_22.replace("x * 22", "x * 220"))
    assert changed["result"] == 221 and changed["status"] == "stored"
    assert "callee:g changed" in changed["reason"]
    assert run_kernel(tmp_path, PASSED_ON_22)["result"] == 23
