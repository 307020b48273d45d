"""Array functions, compiled vs CPython on the same NumPy inputs: results, in-place writes, errors.

Every case runs the plain function on copies of the inputs and the jitted one on
other copies, then compares the return value, the exception (type and message)
and every array argument afterwards (in-place writes must reach the caller).
"""
from __future__ import annotations

import numpy as np
import pytest

import jitlab
from jitlab.dispatch import typeof
from jitlab.errors import TypingError
from jitlab.ir.types import ArrayType, BOOL, F64, FloatType, I64, IntType


def sum_loop(a):
    s = 0.0
    for i in range(len(a)):
        s += a[i]
    return s


def sum_iter(a):
    s = 0
    for x in a:
        s += x
    return s


def dot(a, b):
    s = 0.0
    for i in range(len(a)):
        s += a[i] * b[i]
    return s


def scale(a, k):
    for i in range(len(a)):
        a[i] = a[i] * k


def last(a):
    return a[-1]


def get(a, i):
    return a[i]


def put(a, i, v):
    a[i] = v


def sum2d(a):
    s = 0.0
    for i in range(len(a)):
        row = a[i]
        for j in range(len(row)):
            s += row[j] * (i + 2 * j + 1)
    return s


def sum2d_chained(a):
    s = 0.0
    n = len(a)
    m = len(a[0])
    for i in range(n):
        for j in range(m):
            s += a[i][j] * (i - j)
    return s


def rows_iter(a):
    s = 0.0
    for row in a:
        for x in row:
            s = s * 0.5 + x
    return s


def stencil(a, out):
    n = len(a)
    m = len(a[0])
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i][j] = 0.25 * (a[i - 1][j] + a[i + 1][j] + a[i][j - 1] + a[i][j + 1]) - a[i][j]


def matmul(a, b, c):
    n = len(a)
    k = len(b)
    m = len(b[0])
    for i in range(n):
        for j in range(m):
            s = 0.0
            for p in range(k):
                s += a[i][p] * b[p][j]
            c[i][j] = s


def sum3d(a):
    s = 0
    for plane in a:
        for row in plane:
            for x in row:
                s += x
    return s


def count_true(a):
    n = 0
    for x in a:
        if x:
            n += 1
    return n


def prefix_sum(a):
    for i in range(1, len(a)):
        a[i] = a[i] + a[i - 1]


def find_first(a, v):
    for i in range(len(a)):
        if a[i] == v:
            return i
    return -1


def corner(a):
    return a[1, -1] + a[-1, 0]


def put_corner(a, v):
    a[0, -1] = v


rng = np.random.default_rng(5)
M = rng.standard_normal((7, 5))
V = rng.standard_normal(11)

CASES = [
    (sum_loop, (V,)),
    (sum_loop, (np.arange(10, dtype=np.int32),)),
    (sum_loop, (np.arange(10, dtype=np.uint8),)),
    (sum_loop, (np.arange(10.0, dtype=np.float32),)),
    (sum_loop, (np.zeros(0),)),
    (sum_loop, (V[::2],)),
    (sum_loop, (V[::-3],)),
    (sum_iter, (np.arange(20, dtype=np.int64),)),
    (sum_iter, (np.arange(20, dtype=np.int16)[3:17:4],)),
    (sum_iter, (np.array([True, False, True, True]),)),
    (dot, (V, V[::-1].copy())),
    (dot, (np.arange(6, dtype=np.int8), np.arange(6.0))),
    (scale, (V.copy(), 3.0)),
    (scale, (np.arange(8), 3)),
    (scale, (np.arange(8.0)[1::3], -2.0)),
    (scale, (np.arange(8, dtype=np.int32), 2)),
    (last, (V,)),
    (last, (np.arange(5, dtype=np.uint64),)),
    (get, (V, -11)),
    (get, (V, 10)),
    (get, (V, 11)),
    (get, (V, -12)),
    (get, (V, 2**40)),
    (get, (np.zeros(0), 0)),
    (get, (np.arange(4, dtype=np.float32), 1)),
    (get, (np.array([False, True]), 1)),
    (put, (V.copy(), -1, 7.5)),
    (put, (np.zeros(3, dtype=np.int64), 1, 2.75)),
    (put, (np.zeros(3, dtype=np.bool_), 2, 5)),
    (put, (np.zeros(3), 3, 1.0)),
    (put, (np.zeros(3), -4, 1.0)),
    (sum2d, (M,)),
    (sum2d, (np.asfortranarray(M),)),
    (sum2d, (M[::2, ::-2],)),
    (sum2d, (M.T,)),
    (sum2d_chained, (M,)),
    (sum2d_chained, (np.asfortranarray(M),)),
    (sum2d_chained, (M[1:, ::3],)),
    (rows_iter, (M,)),
    (rows_iter, (M.T,)),
    (stencil, (M, np.zeros_like(M))),
    (stencil, (np.asfortranarray(M), np.asfortranarray(np.zeros_like(M)))),
    (matmul, (M, M.T.copy(), np.zeros((7, 7)))),
    (matmul, (np.asfortranarray(M), M.T, np.zeros((7, 7), order="F"))),
    (sum3d, (np.arange(24).reshape(2, 3, 4),)),
    (sum3d, (np.arange(24).reshape(2, 3, 4)[:, ::2, ::-1],)),
    (count_true, (np.array([True, False, True, True, False]),)),
    (prefix_sum, (np.arange(10, dtype=np.int64),)),
    (prefix_sum, (np.arange(10.0)[::2],)),
    (find_first, (np.array([3, 1, 4, 1, 5]), 4)),
    (find_first, (np.array([3, 1, 4, 1, 5]), 9)),
    (corner, (M,)),
    (corner, (M[::3, ::-1],)),
    (corner, (np.zeros((1, 3)),)),
    (put_corner, (np.zeros((2, 3), order="F"), 4.5)),
]


def _run(func, args):
    args = tuple(_fresh(a) for a in args)
    try:
        result = ("return", func(*args))
    except Exception as exc:  # both sides' exceptions are compared
        result = ("raise", exc)
    return result, [a for a in args if isinstance(a, np.ndarray)]


def _fresh(a):
    """A copy of `a` with the same layout and strides (a strided view of a fresh base)."""
    if not isinstance(a, np.ndarray):
        return a
    base = np.empty(a.nbytes // max(a.itemsize, 1) * 4 + 16, dtype=a.dtype)
    view = np.lib.stride_tricks.as_strided(base[len(base) // 2:], a.shape, a.strides)
    view[...] = a
    return view


def _ids():
    return [f"{f.__name__}-{i}" for i, (f, _) in enumerate(CASES)]


@pytest.mark.parametrize(("func", "args"), CASES, ids=_ids())
def test_matches_numpy(func, args):
    expected, expected_arrays = _run(func, args)
    actual, actual_arrays = _run(jitlab.jit(func), args)
    if expected[0] == "raise":
        assert actual[0] == "raise", f"CPython raised {expected[1]!r}, jitlab returned {actual[1]!r}"
        assert type(actual[1]) is type(expected[1])
        assert str(actual[1]) == str(expected[1])
    else:
        if actual[0] == "raise":
            raise AssertionError(f"CPython returned {expected[1]!r}, jitlab raised") from actual[1]
        if expected[1] is None:
            assert actual[1] is None
        else:
            np.testing.assert_allclose(actual[1], expected[1], rtol=1e-12)
    for got, want in zip(actual_arrays, expected_arrays):
        np.testing.assert_array_equal(got, want)


def test_layouts_typed_from_flags():
    m = np.zeros((3, 4))
    assert typeof(m) == ArrayType(F64, 2, "C")
    assert typeof(np.asfortranarray(m)) == ArrayType(F64, 2, "F")
    assert typeof(m[:, ::2]) == ArrayType(F64, 2, "A")
    assert typeof(np.zeros(5)[::2]) == ArrayType(F64, 1, "A")
    assert typeof(np.zeros(5, np.int32)) == ArrayType(IntType(32), 1, "C")
    assert typeof(np.zeros(5, np.uint16)) == ArrayType(IntType(16, False), 1, "C")
    assert typeof(np.zeros(5, np.float32)) == ArrayType(FloatType(32), 1, "C")
    assert typeof(np.zeros(5, np.bool_)) == ArrayType(BOOL, 1, "C")
    assert typeof(np.zeros(5, np.int64)) == ArrayType(I64, 1, "C")
    with pytest.raises(TypingError, match="0-dimensional"):
        typeof(np.zeros(()))
    with pytest.raises(TypingError, match="byte order"):
        typeof(np.zeros(3, dtype=">f8"))


def test_boundscheck_off_still_wraps_negative_indices():
    f = jitlab.jit(get, boundscheck=False)
    a = np.arange(5.0)
    assert f(a, -1) == 4.0
    assert f(a, 2) == 2.0
    assert "raise.IndexError" not in jitlab.stages(f, a, 1)["llvm"]


def test_read_only_array_can_be_read_not_written():
    a = np.arange(4.0)
    a.setflags(write=False)
    assert jitlab.jit(sum_loop)(a) == 6.0
    with pytest.raises(ValueError, match="read-only"):
        jitlab.jit(scale)(a, 2.0)


def test_builtin_rejects_other_arrays_without_crashing():
    f = jitlab.jit(sum_loop)
    a = np.arange(4.0)
    f(a)
    entry = f.overloads[(typeof(a),)].entry
    with pytest.raises(TypeError, match="argument 'a' must be a 1-dimensional array of float64"):
        entry(np.arange(4))
    with pytest.raises(TypeError, match="must be a 1-dimensional array"):
        entry(np.zeros((2, 2)))
    with pytest.raises(TypeError, match=r"must be an array \(array<f64, 1, C>\), not int"):
        entry(3)
    with pytest.raises(ValueError, match="not C-contiguous"):
        entry(np.arange(8.0)[::2])  # a C-layout specialisation needs a contiguous buffer
    assert entry(memoryview(np.arange(3.0))) == 3.0


def test_buffers_released_on_every_path():
    import sys
    f = jitlab.jit(get)
    a = np.arange(3.0)
    f(a, 0)
    before = sys.getrefcount(a)
    for i in (0, 5, -9):
        try:
            f(a, i)
        except IndexError:
            pass
    with pytest.raises(TypeError):
        f.overloads[(typeof(a), I64)].entry(a, "x")
    assert sys.getrefcount(a) == before
    a.resize(10, refcheck=True)  # fails if any buffer export were still held


# -- returned arrays are made by NumPy's C API in the wrapper (abi_boxing._box_array) ---------------------

def _view_tail(a):
    return a[1:]


def _zeros_made_inside(n):
    return np.zeros(n)


def test_returned_view_keeps_its_argument_alive_and_its_writeability():
    import gc

    f = jitlab.jit(_view_tail)
    ro = np.arange(10.0)
    ro.flags.writeable = False
    got = f(ro)
    assert not got.flags.writeable and got.base is ro and list(got) == list(range(1, 10))
    rw = np.arange(6.0)
    got = f(rw)
    got[0] = 100.0
    assert rw[1] == 100.0 and got.flags.writeable and not got.flags.owndata
    del rw
    gc.collect()
    assert got[0] == 100.0  # the view holds its base
    assert f(np.arange(1.0)).shape == (0,)  # empty: made by the Python helper


def test_returned_fresh_array_owns_a_block_freed_with_it():
    import gc

    from jitlab.backend.llvm import nrt

    f = jitlab.jit(_zeros_made_inside)
    before = nrt.live_blocks()
    got = f(5)
    assert nrt.live_blocks() == before + 1 and got.flags.writeable and got.dtype == np.float64
    del got
    gc.collect()
    assert nrt.live_blocks() == before
    assert f(0).shape == (0,)


def like_allocations(a):
    return (np.zeros_like(a), np.ones_like(a, np.int32), np.full_like(a, 2.5), np.empty_like(a).shape,
            np.linspace(0.0, 1.0, 5))


def test_like_allocations_and_linspace_from_python_source():
    """NumPy 2 wraps these for __array_function__ (not builtins, not ufuncs): the frontend knows them."""
    for arg in (np.arange(3.0), np.ones((2, 3), order="F")):
        got, want = jitlab.jit(like_allocations)(arg), like_allocations(arg)
        for g, w in zip(got, want):
            assert np.array_equal(g, w) and getattr(g, "dtype", None) == getattr(w, "dtype", None)
            if isinstance(w, np.ndarray):
                assert g.flags.f_contiguous == w.flags.f_contiguous


def _iadd(a, b):
    a += b


def _imul_views(a, k):
    a *= k
    a[1:] -= a[:-1]
    return a


def test_inplace_operators_write_into_the_array():
    a = np.arange(4.0)
    jitlab.jit(_iadd)(a, np.ones(4))
    assert list(a) == [1.0, 2.0, 3.0, 4.0]
    m = np.ones((2, 3))
    jitlab.jit(_iadd)(m, np.arange(3.0))  # broadcast into the target
    assert m.tolist() == [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]
    assert list(jitlab.jit(_imul_views)(np.arange(4.0), 3)) == list(_imul_views(np.arange(4.0), 3))
    with pytest.raises(TypingError, match="same_kind"):
        jitlab.jit(_iadd)(np.arange(3), 1.5)  # NumPy refuses the float result in an int array


_FROZEN = np.arange(6.0)


def _sort_global():
    _FROZEN.sort()


def _write_through_reshape():
    v = _FROZEN.reshape(2, 3)
    v[0, 0] = 1.0


def _read_global_through_new_ops():
    return _FROZEN.reshape(2, 3).sum(axis=0)[1] + np.sort(_FROZEN)[0] + _FROZEN[_FROZEN > 2].sum()


def test_new_array_ops_keep_global_arrays_read_only():
    for func in (_sort_global, _write_through_reshape):
        with pytest.raises(TypingError, match="read-only"):
            jitlab.jit(func)()
    assert jitlab.jit(_read_global_through_new_ops)() == _read_global_through_new_ops()
    assert list(_FROZEN) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
