"""CUDA kernels on any machine: PTX text, ptxas validation (when installed), emulated results
against NumPy; the `cuda`-marked tests launch on a GPU and skip without one."""
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from jitlab import cuda
from jitlab.backend.cuda import emulate, fibers, launch, ptxas
from jitlab.cuda import Kernel, kernel
from jitlab.errors import JitlabError

from . import kernels as k

needs_ptxas = pytest.mark.skipif(ptxas.ptxas_path() is None,
                                 reason="ptxas (pip nvidia-cuda-nvcc-cu12) missing")
needs_gpu = pytest.mark.skipif(not launch.is_available(), reason="no CUDA GPU/driver")


SUITE = ["vector_add", "saxpy", "stencil_2d", "histogram", "atomics", "math_kernel", "local_reverse",
         "block_reduce", "tiled_matmul", "block_scan"]
CONFIGS = {"stencil_2d": ((3, 4), (16, 16)), "tiled_matmul": ((2, 4), (k.TILE, k.TILE))}


def emulated(kern: Kernel) -> Kernel:
    return Kernel(kern.py_func, target="cuda-emulate")


def vector_args(n=1000):
    x = np.arange(n, dtype=np.float64)
    return x, np.ones(n), np.zeros(n)


def test_ptx_of_vector_add_reads_special_registers_and_is_a_kernel():
    ptx = k.vector_add.ptx(*vector_args())
    assert ".visible .entry jitlab_kernel_vector_add(" in ptx
    for register in ("%ctaid.x", "%ntid.x", "%tid.x"):
        assert register in ptx
    assert "add.rn.f64" in ptx
    assert re.search(r"\.target sm_80", ptx)


def test_stages_hold_pipeline_and_cuda_texts():
    texts = k.saxpy.stages(np.float32(2), *vector_args())
    assert {"rvsdg", "typed", "opt", "ptx-llvm", "ptx-llvm-opt", "ptx"} <= set(texts)
    assert "ptx_kernel" in texts["ptx-llvm"]


def test_arch_is_chosen():
    kern = kernel(k.vector_add.py_func, arch="sm_90")
    assert ".target sm_90" in kern.ptx(*vector_args())


def test_atomics_lower_to_ptx_atomics():
    ptx = k.atomics.ptx(np.zeros(3, np.int32), np.zeros(1, np.float32), np.arange(10, dtype=np.int32))
    for instr in ("max.s32", "min.s32", "add.f32", "cas.b32"):
        assert re.search(r"atom\.[a-z.]*global\." + instr.replace(".", r"\."), ptx), instr


def test_shared_array_lives_in_shared_memory():
    @cuda.kernel
    def reverse_block(x):
        tile = cuda.shared.array(128, cuda.float32)
        t = cuda.threadIdx.x
        tile[t] = x[t]
        cuda.syncthreads()
        x[t] = tile[127 - t]

    ptx = reverse_block.ptx(np.zeros(128, np.float32))
    assert ".shared .align 16 .b8" in ptx
    assert "bar.sync" in ptx or "barrier.sync" in ptx
    assert "st.shared.b32" in ptx or "st.shared.f32" in ptx


@needs_ptxas
@pytest.mark.parametrize("name", SUITE)
def test_ptxas_accepts_the_suite(name):
    kern = getattr(k, name)
    args = _suite_args(name)
    texts = kern.stages(*args)
    report = ptxas.resources(texts["ptx"], kern.arch)
    assert report.registers > 0
    assert report.spill_stores == 0
    assert "Used" in texts["ptx-resources"]


def _suite_args(name):
    rng = np.random.default_rng(0)
    n = 1000
    x, y, out = vector_args(n)
    return {
        "vector_add": (x, y, out),
        "saxpy": (np.float32(2.5), x.astype(np.float32), y.astype(np.float32), np.zeros(n, np.float32)),
        "stencil_2d": (rng.random((40, 50)), np.zeros((40, 50))),
        "histogram": (rng.integers(0, 1000, n).astype(np.int64), np.zeros(16, np.int32)),
        "atomics": (np.array([-(2**31), 2**31 - 1, 0], np.int32), np.zeros(1, np.float32),
                    rng.integers(-100, 100, n).astype(np.int32)),
        "math_kernel": (rng.random(n) * 4, rng.random(n).astype(np.float32), np.zeros(n)),
        "local_reverse": (x, out),
        "block_reduce": (x, np.zeros(8)),
        "tiled_matmul": (rng.random((50, 40)), rng.random((40, 30)), np.zeros((50, 30))),
        "block_scan": (rng.integers(-50, 50, n), np.zeros(n, np.int64)),
    }[name]


def test_emulated_vector_add_and_saxpy():
    x, y, out = vector_args()
    emulated(k.vector_add).launch(len(x), x, y, out)
    np.testing.assert_array_equal(out, x + y)
    args = _suite_args("saxpy")
    emulated(k.saxpy)[(8,), (128,)](*args)
    np.testing.assert_allclose(args[3], np.float32(2.5) * args[1] + args[2])


def test_emulated_stencil_on_a_2d_grid():
    a, out = _suite_args("stencil_2d")
    emulated(k.stencil_2d)[(3, 4), (16, 16)](a, out)
    expect = np.zeros_like(a)
    expect[1:-1, 1:-1] = 0.25 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:])
    np.testing.assert_allclose(out, expect)


def test_emulated_histogram_with_atomics():
    data, bins = _suite_args("histogram")
    emulated(k.histogram)[4, 64](data, bins)
    np.testing.assert_array_equal(bins, np.bincount(data % 16, minlength=16))


def test_emulated_atomic_min_max_add_cas():
    ints, floats, values = _suite_args("atomics")
    emulated(k.atomics).launch(len(values), ints, floats, values)
    assert ints[0] == values.max() and ints[1] == values.min()
    assert floats[0] == 0.5 * len(values)
    assert ints[2] == 1  # the first thread's compare-and-swap wins


def test_emulated_math_and_device_function():
    x, out32, out64 = _suite_args("math_kernel")
    before = out32.copy()
    emulated(k.math_kernel).launch(len(x), x, out32, out64)
    np.testing.assert_allclose(out64, np.sqrt(x) + np.sin(x) + 2 * x)
    np.testing.assert_allclose(out32, np.exp(before), rtol=1e-6)
    assert out32.dtype == np.float32


def test_emulated_local_array():
    x, out = _suite_args("local_reverse")
    emulated(k.local_reverse).launch(len(x), x, out)
    np.testing.assert_array_equal(out, np.full(len(x), 3.0))


def test_kernel_intrinsics_outside_a_kernel_raise():
    with pytest.raises(RuntimeError, match="only be called inside"):
        cuda.grid(1)


def test_grid_needs_a_constant_ndim():
    @cuda.kernel
    def bad(x, n):
        x[0] = cuda.grid(n)

    with pytest.raises(JitlabError, match="constant ndim"):
        bad.ptx(np.zeros(1, np.int64), 1)


def test_a_kernel_returns_nothing():
    @cuda.kernel
    def bad(x):
        return x[0]

    with pytest.raises(JitlabError, match="returns nothing"):
        bad.ptx(np.zeros(1))


@pytest.mark.cuda
@needs_gpu
@pytest.mark.parametrize("name", SUITE)
def test_gpu_matches_emulation(name):
    kern = getattr(k, name)
    gpu_args = _suite_args(name)
    emu_args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in gpu_args)
    config = CONFIGS.get(name, (8, 128))
    Kernel(kern.py_func, target="cuda")[config](*gpu_args)
    emulated(kern)[config](*emu_args)
    for g, e in zip(gpu_args, emu_args):
        if isinstance(g, np.ndarray):
            if name == "atomics":  # which thread's compare-and-swap wins differs
                g, e = g[:2], e[:2]
            np.testing.assert_allclose(g, e, rtol=1e-6)


def test_frontend_reads_intrinsic_values_and_functions_as_calls():
    texts = k.saxpy.stages(np.float32(2), *vector_args())
    for callee in ("jitlab.cuda.blockIdx.x", "jitlab.cuda.blockDim.x", "jitlab.cuda.threadIdx.x"):
        assert f'callee = "{callee}"' in texts["rvsdg"]
    assert 'callee = "jitlab.cuda.grid"' in k.vector_add.stages(*vector_args())["rvsdg"]


# -- syncthreads: every thread of a block reaches the barrier before any passes it ---------------

def test_emulated_block_reduction_with_shared_memory_and_barriers():
    x, out = _suite_args("block_reduce")
    emulated(k.block_reduce)[8, k.BLOCK](x, out)
    padded = np.concatenate([x, np.zeros(8 * k.BLOCK - len(x))])
    np.testing.assert_allclose(out, padded.reshape(8, k.BLOCK).sum(axis=1))


def test_emulated_tiled_matmul_barriers_inside_a_loop():
    a, b, c = _suite_args("tiled_matmul")
    emulated(k.tiled_matmul)[CONFIGS["tiled_matmul"]](a, b, c)
    np.testing.assert_allclose(c, a @ b)


def test_emulated_block_scan_double_buffered():
    x, out = _suite_args("block_scan")
    emulated(k.block_scan)[8, k.BLOCK](x, out)
    expect = np.concatenate([np.cumsum(x[s:s + k.BLOCK]) for s in range(0, len(x), k.BLOCK)])
    np.testing.assert_array_equal(out, expect)


def test_emulated_barrier_orders_shared_writes_before_reads():
    """Without a real barrier, thread t would read tile[127 - t] before thread 127 - t wrote it."""
    @cuda.kernel(target="cuda-emulate")
    def reverse_blocks(x):
        tile = cuda.shared.array(128, cuda.float32)
        t = cuda.threadIdx.x
        i = cuda.grid(1)
        tile[t] = x[i]
        cuda.syncthreads()
        x[i] = tile[127 - t]

    x = np.arange(512, dtype=np.float32)
    reverse_blocks[4, 128](x)
    np.testing.assert_array_equal(x, np.arange(512, dtype=np.float32).reshape(4, 128)[:, ::-1].ravel())


def _synced_neighbour(tile, t):  # a device function with a barrier
    cuda.syncthreads()
    return tile[(t + 1) % 64]


@cuda.kernel(target="cuda-emulate")
def rotate(x, n):
    tile = cuda.shared.array(64, cuda.int64)
    t = cuda.threadIdx.x
    tile[t] = t
    if t >= n:
        return  # leaves early: the others' barrier must not wait for it forever
    x[t] = _synced_neighbour(tile, t)


def test_emulated_barrier_in_a_device_function_and_exited_threads_count_as_arrived():
    x = np.full(64, -1, np.int64)
    rotate[1, 64](x, 64)
    np.testing.assert_array_equal(x, (np.arange(64) + 1) % 64)
    x[:] = -1
    rotate[1, 64](x, 32)
    np.testing.assert_array_equal(x[:32], np.arange(1, 33))
    assert (x[32:] == -1).all()


def test_emulated_exception_in_one_thread_stops_the_launch_at_a_barrier():
    @cuda.kernel(target="cuda-emulate", boundscheck=True)
    def bad(x):
        tile = cuda.shared.array(32, cuda.float64)
        t = cuda.threadIdx.x
        tile[t] = x[t + 1]  # the last thread reads past the end
        cuda.syncthreads()
        x[t] = tile[31 - t]

    x = np.zeros(32)
    with pytest.raises(IndexError):
        bad[1, 32](x)
    bad_again = np.arange(33.0)
    bad[1, 32](bad_again)  # a failed launch leaves the emulator usable
    np.testing.assert_array_equal(bad_again[:32], np.arange(32.0, 0.0, -1.0))


# -- PTX goldens: the suite's PTX text, shared by every Python (`--bless` rewrites) ----------------

# PTX depends on the libdevice of the NVIDIA wheel each environment installed (3.11's `.venv` pins the
# one the goldens were made with) and on the RVSDG, whose cross-version identity has its own golden
# test (tests/frontend/test_rvsdg_golden.py): compared on the default interpreter.
@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="PTX goldens are kept for CPython 3.11")
@pytest.mark.parametrize("name", SUITE)
def test_ptx_golden(name, request):
    golden = Path(__file__).parent / "golden" / f"{name}.ptx"
    # `.file` names the kernel's source by its absolute path: keep only the file name, so the
    # goldens do not depend on where the checkout is.
    text = re.sub(r'^(\s*\.file\s+\d+\s+")[^"]*/([^"/]*")', r"\1\2", getattr(k, name).ptx(*_suite_args(name)),
                  flags=re.M)
    if request.config.getoption("--bless"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text)
    assert golden.exists(), f"no golden file {golden.name}: run pytest {__file__} --bless"
    assert text == golden.read_text()


@pytest.mark.skipif(not fibers.supported(), reason="fibers need Linux")
@pytest.mark.parametrize("native", [True, False], ids=["asm-switch", "ucontext"])
def test_both_fiber_switches_run_the_barrier_kernels(native, monkeypatch):
    if native and not fibers.native_switch():
        pytest.skip("the assembly switch is for x86-64")
    monkeypatch.setattr(fibers, "native_switch", lambda: native)
    x, out = _suite_args("block_scan")
    emulated(k.block_scan)[8, k.BLOCK](x, out)
    expect = np.concatenate([np.cumsum(x[s:s + k.BLOCK]) for s in range(0, len(x), k.BLOCK)])
    np.testing.assert_array_equal(out, expect)
    text, _ = emulate.lower_emulation(k.block_scan.specialise(k.block_scan.argtypes_of((x, out))).typed, [],
                                      "block_scan")
    assert ("module asm" in text) == native
    assert ("swapcontext" in text) == (not native)
