"""Each scaling benchmark runs in `--quick` mode and prints its table (a smoke test, no timing goal).

The scripts are run as a user runs them, `python benchmarks/NAME.py --quick`, in a subprocess; the
test only checks that they finish and print their tables' headings and verdict lines.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def run_quick(script: str) -> str:
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), "--quick"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_frontend_speed_quick():
    pytest.importorskip("numba_scfg", reason="the bench extra (numba-scfg) is not installed")
    out = run_quick("frontend_speed.py")
    assert "bytecode -> regions" in out
    assert "functions compared; total ratio" in out
    assert "generated functions, time per block" in out
    assert "jitlab time per block max/min" in out


def test_ir_scaling_quick():
    out = run_quick("ir_scaling.py")
    assert "time per node in microseconds" in out
    for step in ("print", "parse", "verify", "pass dne", "pass cne"):
        assert any(line.startswith(step) for line in out.splitlines()), step
    assert "max/min" in out


def test_call_overhead_runs():
    done = subprocess.run([sys.executable, str(BENCHMARKS / "call_overhead.py"), "--number", "2000",
                           "--repeat", "2"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "(int, int)" in done.stdout and "(float, float)" in done.stdout


def test_cuda_emulation_quick():
    pytest.importorskip("numba", reason="the bench extra (numba) is not installed")
    out = run_quick("cuda_emulation.py")
    for name in ("vector_add", "block_reduce", "tiled_matmul", "block_scan", "histogram"):
        assert any(line.startswith(name) for line in out.splitlines()), name
    assert "geometric mean simulator/jitlab" in out


def test_cuda_gpu_benchmark_says_when_there_is_no_gpu():
    from jitlab.backend.cuda import launch

    if launch.is_available():
        pytest.skip("a GPU is present: scripts/gpu-check.sh runs the full benchmark")
    done = subprocess.run([sys.executable, str(BENCHMARKS / "cuda_gpu.py")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "no CUDA GPU/driver" in done.stdout


def test_runtime_benchmark_quick_compares_numba_and_c():
    pytest.importorskip("numba", reason="the bench extra (numba) is not installed")
    kernels = ["sum", "histogram", "find_first", "nbody", "vector_expr"]
    done = subprocess.run([sys.executable, str(BENCHMARKS / "runtime.py"), "--quick", "--repeat", "1",
                           "--cpu", "--only", *kernels], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "cache inputs (CPU ms per call;" in out
    for name in kernels:
        assert any(line.startswith(name) for line in out.splitlines()), name
    assert "geomean_ratio_bc_on" in out and "worst_ratio_bc_on" in out
    assert "allocating kernels, jitlab / Numba (not in the geomean; goal <= 1.10 each): vector_expr" in out


def test_compile_time_gives_a_ratio_per_demo_function():
    pytest.importorskip("numba", reason="the bench extra (numba) is not installed")
    import json

    done = subprocess.run([sys.executable, str(BENCHMARKS / "compile_time.py"), "--repeat", "1", "--cpu",
                           "--json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["meta"]["clock"] == "cpu"
    assert report["results"] and all(r["ratio"] > 0 and "llvm-opt" in r["jitlab_stage_ms"]
                                      for r in report["results"])
    # tiered: the quick code's phase, and the optimised code's cost on top, reported next to it
    assert all("tier0" in r["jitlab_stage_ms"] and r["ratio_with_tier1"] >= r["ratio"] > 0
               for r in report["results"])


def test_random_draws_quick():
    out = run_quick("random_draws.py")
    for name in ("loop_random", "loop_randint", "array_normal", "shuffle", "py_randint"):
        assert any(line.startswith(name) for line in out.splitlines()), name


def test_dicts_sets_quick():
    out = run_quick("dicts_sets.py")
    assert "jitlab/cpython" in out
    assert "geometric mean jitlab/cpython" in out
    for kernel in ("count", "dedup", "memo", "tuple_keys", "set_algebra", "items_sum"):
        assert any(line.startswith(kernel) for line in out.splitlines()), kernel
