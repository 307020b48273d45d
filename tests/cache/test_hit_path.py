"""What a cache hit in a fresh process loads: no NumPy, no compiler, no LLVM IR (issue 7's start-up
goal, benchmarks/cache.py), and the dispatcher's native entry cached next to the entries."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from .support import ROOT

KERNELS = """
import jitlab

@jitlab.jit
def g(x):
    return x * 0.5 + 1.0

@jitlab.jit
def f(n):
    s = 0.0
    for i in range(n):
        s += g(i * 1.0)
    return s
"""

# Counts what would mean compiling: LLVM IR parsed (beyond the JIT's empty start module) and IR
# built with llvmlite's builder; lists the modules the process imported.
PROBE = """
import json, sys, warnings
sys.path.insert(0, {root!r})
import llvmlite.binding as llvm, llvmlite.ir as llvm_ir
parsed, built = [], []
real_parse, real_init = llvm.parse_assembly, llvm_ir.Module.__init__
def parse(text, *a, **k):
    if text:
        parsed.append(len(text))
    return real_parse(text, *a, **k)
def init(self, *a, **k):
    built.append(1)
    real_init(self, *a, **k)
llvm.parse_assembly, llvm_ir.Module.__init__ = parse, init
import jitlab.cache
jitlab.cache.set_cache_dir({cache!r})
caught = []
warnings.simplefilter("always")
warnings.showwarning = lambda message, *a, **k: caught.append(str(message))
exec(compile({source!r}, "kernels", "exec"))
result = [{calls}]
for d in (f, g):  # a miss stores its entry from the background (tier 1)
    d.wait_optimized()
print(json.dumps({{"result": result, "parsed": parsed, "built": len(built), "warnings": caught,
                  "status": [r and r.cache.status for r in (f.last_compile, g.last_compile)],
                  "modules": sorted(m for m in sys.modules if m.startswith(("numpy", "jitlab")))}}))
"""


def run(cache_dir, calls: str = "f(100)", source: str = KERNELS) -> dict:
    script = PROBE.format(root=str(ROOT), cache=str(cache_dir), source=textwrap.dedent(source),
                                    calls=calls)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_scalar_hit_imports_no_numpy_or_compiler_and_builds_no_ir(tmp_path):
    cold = run(tmp_path)
    assert cold["status"] == ["stored", "stored"] and cold["parsed"] and cold["built"]
    assert "jitlab.frontend" in cold["modules"]  # (the probe sees what a compile imports)
    assert len(list(tmp_path.glob("f-*/*.dispatch"))) == 1  # f's native entry (g is only called from f)
    assert len(list(tmp_path.glob("g-*/*.dispatch"))) == 0
    assert len(list(tmp_path.glob("_runtime_-*/*.dispatch"))) == 1  # the helpers wrappers share
    hot = run(tmp_path)
    assert hot["result"] == cold["result"] == [sum(i * 0.5 + 1.0 for i in range(100))]
    assert hot["status"] == ["hit", "hit"] and not hot["warnings"]
    assert hot["parsed"] == [] and hot["built"] == 0, "a hit built or parsed LLVM IR"
    loaded = set(hot["modules"])
    assert not {m for m in loaded if m == "numpy" or m.startswith("numpy.")}, "a scalar hit imported NumPy"
    for compiler in ("jitlab.frontend", "jitlab.passes", "jitlab.typing", "jitlab.ir.nodes",
                     "jitlab.backend.llvm.lower", "jitlab.backend.llvm.abi", "jitlab.backend.llvm.nrt",
                     "jitlab.pixie.units", "jitlab.pixie.library"):
        assert compiler not in loaded, f"a hit imported {compiler}"


def test_a_new_signature_and_a_second_dispatcher_after_a_hit(tmp_path):
    run(tmp_path, "f(10), g(2), g(2.0)")  # two rows in g's entry
    hot = run(tmp_path, "f(10), g(2), g(2.0)")
    assert hot["result"] == [sum(i * 0.5 + 1.0 for i in range(10)), 2.0, 2.0] and hot["parsed"] == []
    # f's entry, g's with one row and g's with two: each table a process builds on the way
    assert len(list(tmp_path.glob("[fg]-*/*.dispatch"))) == 3
    # The same table twice in one process (a second dispatcher of the same function): the second
    # gets an entry, and a fallback, of its own; each adds its own rows.
    twice = run(tmp_path, "g(3), g2(3), g(True), g2(2.5), g(3), g2(True)",
                source=KERNELS + "\ng2 = jitlab.jit(g.py_func)\n")
    assert twice["result"] == [2.5, 2.5, 1.5, 2.25, 2.5, 1.5] and not twice["warnings"]


@pytest.mark.parametrize("which", ["f-*", "_runtime_-*"])
def test_a_damaged_cached_object_is_discarded_and_rebuilt(tmp_path, which):
    run(tmp_path)
    (entry,) = tmp_path.glob(f"{which}/*.dispatch")
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0xFF
    entry.write_bytes(bytes(data))
    again = run(tmp_path)
    assert again["result"] == [sum(i * 0.5 + 1.0 for i in range(100))]
    assert any("discarding" in w and entry.name in w for w in again["warnings"])
    assert again["built"]  # regenerated
    assert run(tmp_path)["built"] == 0  # and stored again


def test_numpy_arguments_still_dispatch_when_numpy_comes_after_jitlab(tmp_path):
    source = KERNELS + """
@jitlab.jit
def total(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s

import numpy as np
"""
    calls = "total(np.arange(4.0)), total(np.arange(3.0)), f(np.int64(4)), f(4), total(np.arange(2))"
    assert run(tmp_path, calls, source)["result"] == [6.0, 3.0, 7.0, 7.0, 1.0]
    hot = run(tmp_path, calls, source)
    assert hot["result"] == [6.0, 3.0, 7.0, 7.0, 1.0] and not hot["warnings"] and hot["parsed"] == []
