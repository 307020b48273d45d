"""Loop versioning for bounds checks (backend/llvm/lower_versioning.py, passes/range_analysis.py):
a loop whose accesses range analysis guards runs unchecked when the test before it holds, and
exactly as before (same IndexError, same writes done before it) when it does not."""
import numpy as np
import pytest

import jitlab


def copy_scaled(x, out):
    for i in range(len(x)):
        out[i] = 2.0 * x[i]
    return out[0]


def shifted(x, out, n, k):
    for i in range(n):
        out[i + k] = x[i] + 1.0
    return n


def nested(a, out, m):
    for i in range(len(a)):
        for j in range(i, m):
            out[j] += a[i]
    return out[0]


def test_guarded_accesses_and_both_loop_copies_in_llvm():
    f = jitlab.jit(copy_scaled)
    x, out = np.arange(5.0), np.zeros(5)
    assert f(x, out) == 0.0 and list(out) == [0.0, 2.0, 4.0, 6.0, 8.0]
    texts = f.stages(x, out)
    assert 'guard_loop = ' in texts["opt"]
    assert "theta.unchecked" in texts["llvm"] and "theta.checked" in texts["llvm"]
    assert "theta.unchecked" not in jitlab.jit(copy_scaled, boundscheck=False).stages(x, out)["llvm"]


@pytest.mark.parametrize("n_out", [5, 8, 4, 0])
def test_failing_guard_runs_the_checked_loop_with_python_semantics(n_out):
    x = np.arange(5.0)
    got_out, want_out = np.zeros(n_out), np.zeros(n_out)
    f = jitlab.jit(copy_scaled)
    try:
        want = copy_scaled(x, want_out)
    except IndexError as exc:
        with pytest.raises(IndexError) as info:
            f(x, got_out)
        assert str(info.value) == str(exc)
    else:
        assert f(x, got_out) == want
    np.testing.assert_array_equal(got_out, want_out)  # the writes before the error happened too


@pytest.mark.parametrize(("n", "k"), [(3, 0), (3, 2), (3, 3), (5, 0), (0, 9), (2, -1), (3, -3), (3, -4)])
def test_guards_with_offsets_and_negative_indices(n, k):
    x = np.arange(6.0)
    got_out, want_out = np.zeros(5), np.zeros(5)
    f = jitlab.jit(shifted)
    try:
        want = shifted(x, want_out, n, k)
    except IndexError as exc:
        with pytest.raises(IndexError, match="out of bounds"):
            f(x, got_out, n, k)
        assert "out of bounds" in str(exc)
    else:
        assert f(x, got_out, n, k) == want
    np.testing.assert_array_equal(got_out, want_out)


@pytest.mark.parametrize("m", [0, 3, 6, 7])
def test_nested_loop_guard_uses_the_outer_induction_variable(m):
    a = np.arange(1.0, 5.0)
    got_out, want_out = np.zeros(6), np.zeros(6)
    f = jitlab.jit(nested)
    try:
        want = nested(a, want_out, m)
    except IndexError:
        with pytest.raises(IndexError):
            f(a, got_out, m)
    else:
        assert f(a, got_out, m) == want
    np.testing.assert_array_equal(got_out, want_out)


def rows(a, out):
    for i in range(len(a)):
        for j in range(len(a[0])):
            out[i][j] = a[i][j] * 2.0
    return out[0][0]


@pytest.mark.parametrize("shape_out", [(3, 4), (2, 4), (3, 3), (4, 5)])
def test_rows_of_2d_arrays_are_guarded_by_the_axis_length(shape_out):
    a = np.arange(12.0).reshape(3, 4)
    f = jitlab.jit(rows)
    opt = f.stages(a, np.zeros((3, 4)))["opt"]
    assert 'guard = (("const", "", 0), ("len1", "a", -1), ("len1", "out", 0))' in opt
    got_out, want_out = np.zeros(shape_out), np.zeros(shape_out)
    try:
        want = rows(a, want_out)
    except IndexError as exc:
        with pytest.raises(IndexError) as info:
            f(a, got_out)
        assert str(info.value) == str(exc)
    else:
        assert f(a, got_out) == want
    np.testing.assert_array_equal(got_out, want_out)


def bucket(data, counts, lo, hi):
    n = len(counts)
    for i in range(len(data)):
        k = int((data[i] - lo) * n / (hi - lo))
        if 0 <= k < n:
            counts[k] += 1
        elif k >= n and n > 0:
            counts[n - 1] += 1
    return counts[0]


def test_comparisons_narrow_indices_in_their_branches():
    data = np.array([-1.0, 0.0, 0.5, 0.99, 1.0, 3.0])
    f = jitlab.jit(bucket)
    got, want = np.zeros(4, np.int64), np.zeros(4, np.int64)
    assert f(data, got, 0.0, 1.0) == bucket(data, want, 0.0, 1.0)
    np.testing.assert_array_equal(got, want)
    opt = f.stages(data, got, 0.0, 1.0)["opt"]
    accesses = [line for line in opt.splitlines() if "py.setitem" in line]
    assert len(accesses) == 2 and "inbounds = true" in accesses[0] + accesses[1]


def first_hits(a, x):
    """A versioned inner loop whose variable `j` is unbound until it runs (for-else)."""
    total = 0
    for i in range(len(a)):
        for j in range(i, len(a)):
            if a[j] == x:
                total += j
                break
        else:
            total -= 1
    return total


def last_j(a, x):
    for i in range(len(a)):
        for j in range(i, len(a)):
            if a[j] > x:
                break
    return j


@pytest.mark.parametrize("n", [0, 1, 5, 20])
def test_a_versioned_loop_merges_its_variables_unbound_ids(n):
    """Both copies' unbound ids meet in a φ after them (LLVM aborted on the module before)."""
    a = np.arange(float(n)) % 7
    assert jitlab.jit(first_hits)(a, 3.0) == first_hits(a, 3.0)
    if n == 0:
        with pytest.raises(UnboundLocalError):
            jitlab.jit(last_j)(a, 3.0)
    else:
        assert jitlab.jit(last_j)(a, 3.0) == last_j(a, 3.0)


def pooled(img):
    h, w = img.shape
    out = np.empty((h // 2, w // 2))
    for i in range(h // 2):
        for j in range(w // 2):
            out[i, j] = img[2 * i:2 * i + 2, 2 * j:2 * j + 2].max()
    return out


@pytest.mark.parametrize("shape", [(8, 8), (5, 7), (1, 1)])
def test_guard_naming_a_value_merged_away_after_range_analysis(shape):
    """`w // 2` is hoisted out of both loops, guards the store, then `cne` merges it with the
    same quotient computed before the loops: the guard's name is gone (a LoweringError before);
    the loop is then not versioned and stays checked."""
    img = np.arange(float(shape[0] * shape[1])).reshape(shape)
    np.testing.assert_array_equal(jitlab.jit(pooled)(img), pooled(img))
