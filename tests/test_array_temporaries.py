"""Array temporaries: fused elementwise expressions and temporaries freed early, vs NumPy.

`x * 2.0 + y` computes in one loop into one new array (`lower_fusion.py`), and an array made
in a loop body that cannot outlive the iteration is freed where the body ends
(`lower_lifetimes.py`).  Results must not change: every case runs the plain function and
the jitted one on copies of the same inputs; the escape cases carry, return, view or
select the temporary, where freeing it early would hand its block to the next allocation.
"""
from __future__ import annotations

import gc

import numpy as np
import pytest

import jitlab
from jitlab.backend.llvm import nrt


def check(f, *args):
    want = f(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    got = jitlab.jit(f)(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=1e-12)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-12)
        if isinstance(want, np.ndarray):
            assert got.dtype == want.dtype and got.shape == want.shape


rng = np.random.default_rng(7)
A = rng.standard_normal((3, 4))
B = rng.standard_normal(4)
C = rng.standard_normal((3, 1))
Z = rng.standard_normal(4) + 1j * rng.standard_normal(4)
N = np.arange(12).reshape(3, 4)


def axpy_expr(x, y):
    return x * 2.0 + y


def deep(x, y, z):
    return np.sqrt(np.abs(x * 2.0 - y)) + (z > 0.5) * (x - 1.0) / (1.0 + z * z)


def compare_chain(x, y):
    return (x + y) > (y * 0.5)


def mixed_dtypes(n, x):
    return (n * 3 + 1) * x - n // 2


def complex_chain(z, x):
    return np.abs(z * z + x) + (z * 2.0).real


def reused(x, y):
    t = x * 2.0
    return t + y + t


def strided(x, y):
    return x[:, ::2] * 3.0 + y[::2]


def transposed(x, y):
    return x.T * 2.0 - y[:3]


@pytest.mark.parametrize("f, args", [
    (axpy_expr, (A, B)),
    (axpy_expr, (A, A)),
    (deep, (A, B, C)),
    (compare_chain, (A, B)),
    (mixed_dtypes, (N, A)),
    (complex_chain, (Z, B)),
    (reused, (A, B)),
    (strided, (A, B)),
    (transposed, (A, B)),
])
def test_fused_expressions_match_numpy(f, args):
    check(f, *args)


def test_a_fused_expression_allocates_once():
    llvm = jitlab.stages(deep, A, B, C)["llvm-opt"]
    assert llvm.count("@malloc(") + llvm.count("@calloc(") == 2  # the alloc helper's two calls


def two_mismatches(a, b, c, d):
    return (a * b) + (c * d)


def test_broadcast_errors_come_in_the_unfused_order():
    with pytest.raises(ValueError, match=r"shapes \(3,\) \(4,\)"):
        jitlab.jit(two_mismatches)(np.ones(3), np.ones(4), np.ones(5), np.ones(6))
    with pytest.raises(ValueError, match=r"shapes \(5,\) \(6,\)"):
        jitlab.jit(two_mismatches)(np.ones(3), np.ones(3), np.ones(5), np.ones(6))
    with pytest.raises(ValueError, match=r"shapes \(3,\) \(5,\)"):
        jitlab.jit(two_mismatches)(np.ones(3), np.ones(3), np.ones(5), np.ones(5))


def write_between(x, y):
    t = x * 2.0
    x[0] = 100.0
    return t + y


def test_a_write_between_the_ops_is_not_fused_past():
    check(write_between, B, B)


# -- temporaries freed early -------------------------------------------------------------
def per_iteration(n):
    s = 0.0
    for k in range(n):
        t = np.ones(8)
        t[k % 8] = k
        s += t[k % 8] + t[(k + 1) % 8] + (t * 2.0).sum()
    return s


def carried(n):
    prev = np.zeros(4)
    for k in range(n):
        t = np.full(4, float(k))
        u = np.ones(4)  # dead at the end of the body: its block is reused by the next t
        prev = prev + t + u
    return prev


def carried_itself(n):
    t = np.zeros(3)
    for k in range(n):
        old = t
        t = np.full(3, float(k))
        t[0] = old[0] + 1.0
    return t


def kept_in_a_view(n):
    v = np.zeros(2)
    for k in range(n):
        t = np.arange(4.0) + k
        v = t[1:3]
        w = np.ones(4)
        w[0] = 9.0
    return v


def kept_in_a_branch(n):
    best = np.zeros(3)
    for k in range(n):
        t = np.full(3, float(k % 5))
        if k % 5 == 4:
            best = t
        junk = np.ones(3) * 7.0
        junk[0] = 1.0
    return best


def returned_in_a_tuple(n):
    a = np.ones(n)
    b = a * 2.0
    c = b + 1.0
    return a, c


def transposed_carry(n):
    m = np.zeros((2, 2))
    for k in range(n):
        t = np.full((2, 2), float(k))
        m = t.T
        np.ones((2, 2))
    return m


@pytest.mark.parametrize("f", [per_iteration, carried, carried_itself, kept_in_a_view,
                               kept_in_a_branch, returned_in_a_tuple, transposed_carry])
def test_temporaries_and_escaping_arrays(f):
    check(f, 13)


def test_a_dead_temporary_is_freed_in_the_loop():
    llvm = jitlab.stages(per_iteration, 3)["llvm"]
    assert "jitlab.nrt.free" in llvm


def test_no_blocks_left_after_many_calls():
    gc.collect()
    before = nrt.live_blocks()
    f, g = jitlab.jit(per_iteration), jitlab.jit(carried)
    for _ in range(2000):
        f(20)
        g(5)
    gc.collect()
    assert nrt.live_blocks() == before


def test_temporaries_of_an_exception_are_freed():
    def fails(n):
        s = 0.0
        for k in range(n):
            t = np.ones(4)
            s += t[k]  # IndexError at k == 4, with this iteration's t still live
        return s

    gc.collect()
    before = nrt.live_blocks()
    with pytest.raises(IndexError):
        jitlab.jit(fails)(10)
    assert nrt.live_blocks() == before


def inplace_between(x, y):
    t = x * 2.0
    x += 1.0
    return t + y


def inplace_of_an_argument(x, n):
    for k in range(n):
        x += x * 0.5
    x -= 1.0
    return 0


def inplace_of_a_temporary(n):
    s = 0.0
    for k in range(n):
        t = np.ones(3)
        t *= float(k)
        s += t.sum()
    return s


@pytest.mark.parametrize("f, args", [(inplace_between, (B, B)), (inplace_of_an_argument, (B, 3)),
                                     (inplace_of_a_temporary, (20,))])
def test_in_place_operators(f, args):
    check(f, *args)
    x, y = B.copy(), B.copy()
    f(x, *args[1:]) if len(args) > 1 else None
    if len(args) > 1:
        jitlab.jit(f)(y, *args[1:])
        np.testing.assert_allclose(y, x)  # the caller's array got the same writes


def fill_new(n):
    a = np.zeros(n)
    for i in range(n):
        a[i] = i * 0.5
    return a


def test_the_allocator_stays_out_of_line_so_a_fill_loop_vectorises():
    """`jitlab.nrt.alloc` is a noinline call returning noalias memory: inlined, its branches
    (huge pages, the arena's back links) cost LLVM the proof that `i >= 0`, and the unchecked
    store's negative-index wrap became a scatter (3x slower)."""
    llvm = jitlab.jit(fill_new, boundscheck=False).stages(16)["llvm-opt"]
    assert "masked.scatter" not in llvm
    assert "x double>" in llvm  # vectorised stores
