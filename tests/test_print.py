"""`print(...)` in compiled code: CPython's text, through `sys.stdout`, in order with Python's prints.

Every case runs the plain function and the compiled one with the same `sys.stdout` and compares
the text; the Jupyter case replaces `sys.stdout` by an object with only `write` (as ipykernel's
OutStream is to the C API), capfd checks nothing reaches file descriptor 1 behind Python's back.
"""
from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

import jitlab
from jitlab.errors import JitlabError

ROOT = Path(__file__).resolve().parent.parent


def scalars(i, x, z, b):
    print(i, x, z, b, None)
    print("i =", i, "x =", x)
    print(i, x, sep=", ", end=" <\n")
    print(i, x, sep="", end="")
    print()
    print(f"{i:>5d}|{x:.3f}|{z!r}|{b}|{x:e}|{i:#x}")
    print((i, x), (z,), (), ((i, b), None))
    print("braces {} {{}}", i)
    return i


def arrays(a):
    print(a)
    print("shape", a.shape, "head", a[:1], a.ndim)
    print(a[::2], a.T)
    print((a, 1))
    return a.size


SCALAR_ARGS = [(0, 0.0, 0j, False), (-7, -2.5, 1 - 2j, True),
               (2**63 - 1, 1e300, complex(float("inf"), float("nan")), True),
               (-2**63, float("nan"), complex(-0.0, -0.0), False), (42, 0.1, 1e-20j, True),
               (1, -0.0, 3.0 + 0j, False)]
ARRAYS = [np.arange(6.0).reshape(2, 3), np.zeros(0), np.array([True, False, True]),
          np.arange(5, dtype=np.int32), np.arange(24).reshape(2, 3, 4),
          np.asfortranarray(np.arange(6.0).reshape(3, 2)), np.arange(20.0)[::3], np.arange(4) + 1j,
          np.linspace(0, 1, 2000), np.array([1e-300, 1.0, np.nan, np.inf]), np.arange(6, dtype=np.uint8)]


def _capture(fn, *args) -> tuple[str, object]:
    old, sys.stdout = sys.stdout, io.StringIO()
    try:
        result = fn(*args)
        return sys.stdout.getvalue(), result
    finally:
        sys.stdout = old


@pytest.mark.parametrize("args", SCALAR_ARGS)
def test_scalars_tuples_fstrings_sep_end_print_as_cpython(args):
    compiled = jitlab.jit(scalars)
    assert _capture(compiled, *args) == _capture(scalars, *args)


@pytest.mark.parametrize("a", ARRAYS, ids=lambda a: f"{a.dtype}{a.shape}")
def test_arrays_print_as_numpy(a):
    compiled = jitlab.jit(arrays)
    assert _capture(compiled, a) == _capture(arrays, a)


def loop(n):
    total = 0
    for i in range(n):
        if i % 2 == 0:
            print("step", i)
        total += i
    print("total", total)
    return total


def test_order_with_python_prints_and_capsys(capsys):
    compiled = jitlab.jit(loop)
    print("before")
    assert compiled(5) == 10
    print("after")
    out = capsys.readouterr().out
    assert out == "before\nstep 0\nstep 2\nstep 4\ntotal 10\nafter\n"


def test_capfd_sees_the_same_text_on_file_descriptor_1(capfd):
    compiled = jitlab.jit(loop)
    compiled(3)
    sys.stdout.flush()
    assert capfd.readouterr().out == "step 0\nstep 2\ntotal 3\n"


class _Notebook:
    """A Jupyter-like `sys.stdout`: an object with `write` (and `flush`), no file descriptor."""

    def __init__(self):
        self.chunks, self.flushes = [], 0

    def write(self, text):
        self.chunks.append(text)
        return len(text)

    def flush(self):
        self.flushes += 1


def test_a_jupyter_like_stdout_receives_the_text():
    def f(x):
        print("x", x, flush=True)
        print("y")
        return x

    compiled = jitlab.jit(f)
    notebook, old = _Notebook(), sys.stdout
    sys.stdout = notebook
    try:
        compiled(2.5)
    finally:
        sys.stdout = old
    assert "".join(notebook.chunks) == "x 2.5\ny\n"
    assert notebook.flushes == 1


def test_print_never_leaves_a_loop_or_is_merged():
    """Identical prints in both arms and in a loop: cne, hoisting and dne must keep each one."""
    def f(n, c):
        for _ in range(n):
            print("same")
        if c:
            print("same")
        else:
            print("same")
        print("same")
        return n

    compiled = jitlab.jit(f)
    for args in ((3, True), (0, False)):
        assert _capture(compiled, *args) == _capture(f, *args)


def test_a_failing_write_raises_its_own_exception():
    class Full:
        def write(self, text):
            raise OSError("disk full")

    compiled = jitlab.jit(loop)
    old, sys.stdout = sys.stdout, Full()
    try:
        with pytest.raises(OSError, match="disk full"):
            compiled(3)
    finally:
        sys.stdout = old


def test_no_stdout_prints_nothing():
    compiled = jitlab.jit(loop)
    old, sys.stdout = sys.stdout, None
    try:
        assert compiled(4) == 6
    finally:
        sys.stdout = old


def test_a_bad_format_spec_is_cpythons_error():
    def f(x):
        print(f"{x:q}")

    with pytest.raises(ValueError) as want:
        f(1.5)
    with pytest.raises(ValueError) as got:
        jitlab.jit(f)(1.5)
    assert str(got.value) == str(want.value)


def test_prints_from_threads_are_all_captured():
    compiled = jitlab.jit(loop)
    compiled(1)
    old, sys.stdout = sys.stdout, io.StringIO()
    try:
        threads = [threading.Thread(target=compiled, args=(4,)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        lines = sys.stdout.getvalue().splitlines()
    finally:
        sys.stdout = old
    assert sorted(lines) == sorted(["step 0", "step 2", "total 6"] * 4)


def test_unsupported_prints_are_clear_errors():
    def to_file(x):
        print(x, file=None)

    with pytest.raises(JitlabError, match=r"only sep=, end=, flush="):
        jitlab.jit(to_file)(1)

    def sep_value(x, s):
        print(x, sep=s)

    with pytest.raises(JitlabError, match="must be a constant"):
        jitlab.jit(sep_value)(1, 2)


def test_the_interpreters_print_the_same_text():
    from jitlab.dispatch import typeof
    from jitlab.frontend import to_rvsdg
    from jitlab.ir.interpreter import Interpreter

    for args in SCALAR_ARGS[:3]:
        want = _capture(scalars, *args)[0]
        typed = jitlab.jit(scalars).compile(tuple(typeof(a) for a in args)).record.artefacts["typed"]
        assert _capture(Interpreter(to_rvsdg(scalars)).call, "scalars", *args)[0] == want
        assert _capture(Interpreter(typed).call, "scalars", *args)[0] == want
    a = ARRAYS[0]
    assert _capture(Interpreter(to_rvsdg(arrays)).call, "arrays", a)[0] == _capture(arrays, a)[0]


def test_a_cache_hit_in_a_fresh_process_prints(tmp_path):
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        import jitlab, jitlab.cache
        jitlab.cache.set_cache_dir({str(tmp_path)!r})

        @jitlab.jit(cache=True)
        def f(x):
            print("x is", x, (x, 0.5))
            return x

        print("start")
        f(3)
        f.wait_optimized()  # (a miss writes its entry in the background)
        print("status", f.last_compile.cache.status if f.last_compile else "hit")
    """)
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == "start\nx is 3 (3, 0.5)\nstatus stored\n"
    assert second.stdout == "start\nx is 3 (3, 0.5)\nstatus hit\n"


def test_print_in_a_cuda_kernel_is_a_clear_error():
    from jitlab import cuda

    @cuda.kernel
    def k(a):
        i = cuda.grid(1)
        print(i)
        a[i] = i

    with pytest.raises(JitlabError, match="print\\(\\) in a CUDA kernel is not supported"):
        k[1, 2](np.zeros(2))


def test_a_failing_print_inside_try_reaches_the_caller():
    def f(n):
        try:
            print("n", n)
        except Exception:
            return -1
        return n

    class Full:
        def write(self, text):
            raise OSError("disk full")

    compiled = jitlab.jit(f)
    assert _capture(compiled, 4) == ("n 4\n", 4)
    old, sys.stdout = sys.stdout, Full()
    try:
        with pytest.raises(OSError, match="disk full"):
            compiled(3)
    finally:
        sys.stdout = old


def numpy_scalars(a, b, c, d):
    x = a[0]
    print(x, b[1], c[0], d[0], (x, b[1], d[0]), f"{x:.3f}|{b[1]:>4}", a[1:])
    return 0


def test_numpy_scalars_print_as_numpy_scalars():
    """float32, int32, complex64, uint8 items print as the NumPy scalars CPython holds."""
    args = (np.array([0.1, 2.5], dtype=np.float32), np.arange(3, dtype=np.int32),
            np.array([1 + 2j], dtype=np.complex64), np.array([7], dtype=np.uint8))
    assert _capture(jitlab.jit(numpy_scalars), *args) == _capture(numpy_scalars, *args)
