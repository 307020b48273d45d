"""Tuples and iterators, compiled vs CPython: `enumerate`, `zip`, `reversed(range)`, loops over
tuples, tuple unpacking and tuple results (boxed as Python tuples, arrays inside included)."""
from __future__ import annotations

import numpy as np
import pytest

import jitlab
from jitlab.backend.llvm import nrt
from jitlab.errors import JitlabError


def t_enum(a):
    s = 0.0
    for i, x in enumerate(a):
        s += i * x
    return s


def t_enum_start(a, k):
    s = 0.0
    for i, x in enumerate(a, k):
        s += i * x
    return s


def t_enum_range(n):
    s = 0
    for i, k in enumerate(range(3, n, 2)):
        s += i * k
    return s


def t_enum_rows(a):
    s = 0.0
    for i, row in enumerate(a):
        s += i * row.sum()
    return s


def t_zip(a, b):
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    return s


def t_zip3(a, b, c):
    s = 0.0
    n = 0
    for x, y, z in zip(a, b, c):
        s += x * y - z
        n += 1
    return s, n


def t_zip_enum(a, b):
    s = 0.0
    for i, (x, y) in enumerate(zip(a, b)):
        s += i * (x - y)
    return s


def t_unpack(a):
    n, m = a.shape
    return n * m


def t_unpack_nested(a, b):
    (n, m), (p,) = a.shape, b.shape
    return n * 100 + m * 10 + p


def t_swap(x, y):
    x, y = y, x
    return x - y


def t_tuple_ret(x):
    return x, x + 1


def t_tuple_mixed(x):
    return x, x > 1.5, (x * 2, None)


def t_array_float(a):
    b = a * 2.0
    return b, b.sum()


def t_view_int(a):
    return a[1:], len(a)


def t_rev(n):
    s = 0
    for i in reversed(range(n)):
        s = s * 2 + i
    return s


def t_rev_step(a, b, step):
    s = 0
    for i in reversed(range(a, b, step)):
        s = s * 3 + i
    return s


def t_rev_ends(a, b, step):
    first, last, n = 0, 0, 0
    for i in reversed(range(a, b, step)):
        if n == 0:
            first = i
        last = i
        n += 1
    return first, last, n


def t_consttuple():
    s = 0
    for k in (1, 2, 3):
        s += k
    return s


def t_tuple_value(x, y):
    s = 0.0
    for v in (x, y, x * y):
        s = s * 10 + v
    return s


def _helper(x):
    return x, x * 2


def t_callee(x):
    p, q = _helper(x)
    return p + q


a = np.arange(5.0)
b = np.linspace(1.0, 2.0, 7)
c = np.arange(3.0) + 0.5
m = np.arange(12.0).reshape(3, 4)

CASES = [
    (t_enum, (a,)), (t_enum, (np.empty(0),)), (t_enum_start, (a, 3)), (t_enum_start, (a, -2)),
    (t_enum_range, (10,)), (t_enum_range, (2,)), (t_enum_rows, (m,)),
    (t_zip, (a, a)), (t_zip, (a, b)), (t_zip, (b, a)), (t_zip3, (a, b, c)), (t_zip3, (b, c, a)),
    (t_zip_enum, (a, b)),
    (t_unpack, (m,)), (t_unpack_nested, (m, a)), (t_swap, (3, 8)),
    (t_tuple_ret, (3,)), (t_tuple_ret, (-2**62,)), (t_tuple_mixed, (2.5,)), (t_tuple_mixed, (1.0,)),
    (t_array_float, (a,)), (t_view_int, (b,)),
    (t_rev, (0,)), (t_rev, (1,)), (t_rev, (10,)),
    (t_rev_step, (2, 20, 3)), (t_rev_step, (20, 2, -3)), (t_rev_step, (5, 5, 1)),
    (t_rev_step, (-7, 9, 4)),
    (t_rev_step, (9, -7, -5)),
    (t_rev_ends, (-2**63, 2**63 - 1, 2**62)), (t_rev_ends, (2**63 - 1, -2**63, -2**61)),
    (t_rev_ends, (3, 3, 1)),
    (t_consttuple, ()), (t_tuple_value, (1.5, 2.0)), (t_callee, (5,)),
]


def same(got, want) -> bool:
    """Equal values of the same kind, recursively (arrays: same dtype, shape and items)."""
    if isinstance(want, np.ndarray):
        return isinstance(got, np.ndarray) and got.dtype == want.dtype and np.array_equal(got, want)
    if isinstance(want, tuple):
        return isinstance(got, tuple) and len(got) == len(want) and all(map(same, got, want))
    if isinstance(want, np.floating):
        want = float(want)
    if isinstance(want, np.integer):
        want = int(want)
    return type(got) is type(want) and got == want


@pytest.mark.parametrize("func, args", CASES, ids=lambda x: getattr(x, "__name__", None))
def test_matches_cpython(func, args):
    want = func(*args)
    got = jitlab.jit(func)(*args)
    assert same(got, want), (got, want)
    del got
    assert nrt.live_blocks() == 0  # a returned array's block is freed with the array


def test_returned_arrays_own_their_blocks_and_views_keep_their_argument():
    f = jitlab.jit(t_two_views_of_one_block)
    arg = m[1].copy()
    first, (whole, tail, reversed_arg), again = f(arg)
    assert nrt.live_blocks() == 1  # one block, held by four arrays
    assert np.shares_memory(first, whole) and np.shares_memory(tail, again)
    assert np.shares_memory(reversed_arg, arg) and reversed_arg.base is arg
    whole[1] = -1.0  # writable, and the others see it
    assert tail[0] == -1.0 and again[1] == -1.0
    del first, whole, tail
    assert nrt.live_blocks() == 1
    del again
    assert nrt.live_blocks() == 0
    x, y = jitlab.jit(t_two_arrays)(a)
    assert nrt.live_blocks() == 2
    del x
    assert nrt.live_blocks() == 1
    del y
    assert nrt.live_blocks() == 0


def test_returning_several_arrays_100000_times_leaks_nothing():
    import gc
    import resource
    import sys

    f, g = jitlab.jit(t_two_arrays), jitlab.jit(t_array_and_view)
    arg = np.arange(64.0)
    f(arg), g(arg)
    gc.collect()
    refs = sys.getrefcount(arg)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(50_000):
        f(arg)
        g(arg)
    gc.collect()
    assert nrt.live_blocks() == 0 and sys.getrefcount(arg) == refs
    # 100,000 calls allocating 1.5 KiB each: a leak would grow the peak by ~150 MiB (ru_maxrss is in KiB)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 20_000


def test_zip_stops_at_shortest():
    got = jitlab.jit(t_zip3)(a, b, c)
    assert got[1] == 3


def t_two_arrays(a):
    return a + 1.0, a * 2.0


def t_array_and_view(a):
    return a * 3.0, a[1:], a.shape[0]  # one allocated, one a view of the argument


def t_two_views_of_one_block(a):
    c = a * 2.0
    return c[::2], (c, c[1:], a[::-1]), c  # three arrays and a view in one block, one argument view


def t_second_array_empty(a):
    return a + 1.0, a[2:2] * 1.0


CASES += [(t_two_arrays, (a,)), (t_array_and_view, (b,)), (t_two_views_of_one_block, (m[0],)),
          (t_second_array_empty, (c,))]


def t_mixed_tuple_loop():
    s = 0.0
    for k in (1, 2.5):
        s += k
    return s


def t_unpack_wrong(a):
    n, m, k = a.shape
    return n


@pytest.mark.parametrize("func, args, message", [
    (t_mixed_tuple_loop, (), "different types"),
    (t_unpack_wrong, (m,), "not enough values to unpack"),
])
def test_unsupported(func, args, message):
    with pytest.raises(JitlabError, match=message):
        jitlab.jit(func)(*args)
