"""Range analysis beyond `range` loops (passes/range_analysis.py), run end to end.

* Monotone `while` loop variables: a variable that only moves one way by constant steps keeps
  its initial value's bound on the other side, so `while j >= 0 and a[j] > v: ...; j -= 1`
  indexes in bounds.
* Tuple indices `x[i, j]`: each axis is proved (`inbounds_axes`) or guarded (`guards`, loop
  versioning in backend/llvm/lower_versioning.py) on its own.

Accesses it cannot prove stay checked; a failing guard runs the checked loop, which raises
the same IndexError as CPython after the same writes."""
import numpy as np
import pytest

import jitlab


def insertion_sort(a):
    for i in range(1, len(a)):
        v = a[i]
        j = i - 1
        while j >= 0 and a[j] > v:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = v
    return a[0]


def down_from(a, start):
    s = 0.0
    j = start
    while j >= 0:
        s += a[j]
        j -= 1
    return s


def up_by_one(a):
    s = 0.0
    i = 0
    while i < len(a):
        s += a[i]
        i += 1
    return s


def up_by_three(a):
    s = 0.0
    i = 1
    while i < len(a):
        s += a[i]
        i = i + 3
    return s


def up_by_param(a, step):
    s = 0.0
    i = 0
    while i < len(a):
        s += a[i]
        i += step          # not a constant step: no bound from the start
    return s


def step_then_index(a):
    s = 0.0
    i = -1
    while i < len(a):
        i += 1
        s += a[i]          # i reaches len(a): IndexError
    return s


def both_ways(a, flip):
    j = len(a) - 1
    s = 0.0
    k = 0
    while j >= 0 and k < 6:
        s += a[j]
        if flip:
            j += 1
        else:
            j -= 1
        k += 1
    return s


def unbounded_down(a, n):
    j = len(a) - 1
    s = 0.0
    k = 0
    while k < n:
        s += a[j]          # j goes negative: Python wraps, then IndexError
        j -= 1
        k += 1
    return s


def _accesses(f, *args):
    """(checked, unchecked) counts of py.getitem/py.setitem in the optimised IR."""
    lines = [ln for ln in f.stages(*args)["opt"].splitlines() if "py.getitem" in ln or "py.setitem" in ln]
    unchecked = sum("inbounds = true" in ln for ln in lines)
    return len(lines) - unchecked, unchecked


def _same_as_python(func, *args):
    f = jitlab.jit(func)
    mine = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        want = func(*args)
    except IndexError as exc:
        with pytest.raises(IndexError) as info:
            f(*mine)
        assert str(info.value) == str(exc)
    else:
        assert f(*mine) == want
    for a, b in zip(args, mine):
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b)
    return f


def test_insertion_sort_inner_loop_is_unchecked():
    a = np.random.default_rng(1).standard_normal(50)
    f = _same_as_python(insertion_sort, a)
    assert list(a) == sorted(a)
    checked, unchecked = _accesses(f, a)
    assert unchecked == 4 and checked == 2  # a[i], a[j] twice, a[j + 1] in the loop; after it: a[j + 1], a[0]


@pytest.mark.parametrize("start", [-1, 0, 3, 4, 5, 9])
def test_decreasing_index_bounded_by_its_start(start):
    a = np.arange(5.0)
    f = _same_as_python(down_from, a, start)
    assert _accesses(f, a, start) == (1, 0)  # the start is not known below len(a): still checked


def test_decreasing_index_from_len_minus_one_is_unchecked():
    def down(a):
        s = 0.0
        j = len(a) - 1
        while j >= 0:
            s += a[j]
            j -= 1
        return s

    a = np.arange(7.0)
    f = _same_as_python(down, a)
    assert _accesses(f, a) == (0, 1)


@pytest.mark.parametrize("func", [up_by_one, up_by_three])
@pytest.mark.parametrize("n", [0, 1, 7])
def test_increasing_index_below_len_is_unchecked(func, n):
    a = np.arange(float(n))
    f = _same_as_python(func, a)
    assert _accesses(f, a) == (0, 1)


def test_a_step_that_is_not_a_constant_gives_no_bound():
    a = np.arange(7.0)
    f = _same_as_python(up_by_param, a, 2)
    assert _accesses(f, a, 2) == (1, 0)


def test_step_before_the_access_stays_checked_and_raises():
    a = np.arange(4.0)
    f = _same_as_python(step_then_index, a)
    assert _accesses(f, a) == (1, 0)


@pytest.mark.parametrize("flip", [False, True])
def test_a_variable_moving_both_ways_gets_no_bound(flip):
    a = np.arange(4.0)
    f = _same_as_python(both_ways, a, flip)
    assert _accesses(f, a, flip) == (1, 0)


@pytest.mark.parametrize("n", [0, 3, 5, 8, 11])
def test_decreasing_without_a_lower_test_keeps_negative_indices_and_raises(n):
    a = np.arange(5.0)
    f = _same_as_python(unbounded_down, a, n)
    assert _accesses(f, a, n) == (1, 0)


def fill_first(out, n):
    i = 0
    while i < n:
        out[i] = 2.0 * i
        i += 1
    return i


@pytest.mark.parametrize("n", [0, 3, 5, 6, 9])
def test_while_loop_index_below_a_parameter_is_versioned(n):
    out = np.zeros(5)
    f = _same_as_python(fill_first, out, n)
    texts = f.stages(out, n)
    assert "guard_loop = " in texts["opt"] and "theta.unchecked" in texts["llvm"]


def rows_sum(pos, n):
    s = 0.0
    for j in range(n):
        s += pos[j, 0] + pos[j, 2]
    return s


def scale_rows(vel, n, k):
    for i in range(n):
        for c in range(k):
            vel[i, c] *= 2.0
    return vel[0, 0]


def inside(a):
    s = 0.0
    for i in range(len(a)):
        for j in range(a.shape[1]):
            s += a[i, j]
    return s


def negative_column(a):
    s = 0.0
    for i in range(len(a)):
        s += a[i, -1]
    return s


@pytest.mark.parametrize("shape", [(4, 3), (4, 2), (2, 3), (0, 3), (4, 1)])
@pytest.mark.parametrize("n", [0, 2, 4])
def test_guarded_tuple_index_versions_the_loop(shape, n):
    pos = np.arange(float(np.prod(shape))).reshape(shape)
    f = _same_as_python(rows_sum, pos, n)
    texts = f.stages(pos, n)
    assert "guards = " in texts["opt"] and "theta.unchecked" in texts["llvm"]


@pytest.mark.parametrize("n, k", [(3, 3), (3, 4), (4, 3), (0, 5), (2, 0)])
def test_writes_before_a_failing_tuple_index_happen(n, k):
    vel = np.arange(9.0).reshape(3, 3)
    _same_as_python(scale_rows, vel, n, k)


def test_axes_proved_from_the_shape_need_no_guard():
    a = np.arange(12.0).reshape(3, 4)
    f = _same_as_python(inside, a)
    opt = f.stages(a)["opt"]
    assert "inbounds = true" in opt and "guards = " not in opt


def test_a_negative_constant_axis_stays_checked_and_wraps():
    a = np.arange(12.0).reshape(3, 4)
    f = _same_as_python(negative_column, a)
    opt = f.stages(a)["opt"]
    assert "inbounds_axes = (0,)" in opt and "guards" not in opt
    _same_as_python(negative_column, np.zeros((2, 0)))


def unsigned_down(a, start, one):
    s = 0.0
    j = start
    k = 0
    while j >= 0 and k < 10:   # always true for a uint64: j wraps past 0 and the index fails
        s += a[j]
        j -= one
        k += 1
    return s


def test_an_unsigned_variable_that_wraps_stays_checked():
    a = np.arange(5.0)
    f = jitlab.jit(unsigned_down)
    with pytest.raises(IndexError):
        f(a, np.uint64(3), np.uint64(1))
    assert "inbounds" not in f.stages(a, np.uint64(3), np.uint64(1))["opt"]
