"""NumPy array functions in the Python subset jitlab compiles (see `__init__.py` for how calls
reach them; `array_calls.py` binds NumPy's names to these).

Each takes arrays of the dimensions its table entry names (the 1-d and 2-d variants are separate
functions, picked by the arguments' dimensions) and builds its result with explicit loops, in
NumPy's result dtype (`_like(a, b)`: an empty array of the dtype NumPy gives `a * b`).  Errors are
NumPy's exception types and messages.  They also run under CPython (the tests compare both with
NumPy).
"""
import math

import numpy as np


# -- helpers ------------------------------------------------------------------------------------
def _flat(a):
    """The items of `a` (any dimensions) as a new 1-d C array."""
    return a.ravel().copy()


# -- construction -------------------------------------------------------------------------------
def tri(N, M, k):
    m = N if M is None else M
    out = np.zeros((N, m))
    for i in range(N):
        for j in range(min(m, max(0, i + k + 1))):
            out[i, j] = 1.0
    return out


def tril(m, k):
    out = m.copy()
    for i in range(m.shape[0]):
        for j in range(max(0, i + k + 1), m.shape[1]):
            out[i, j] = 0
    return out


def triu(m, k):
    out = m.copy()
    for i in range(m.shape[0]):
        for j in range(min(m.shape[1], max(0, i + k))):
            out[i, j] = 0
    return out


def tril_1d(m, k):
    return tril(_row_matrix(m), k)


def triu_1d(m, k):
    return triu(_row_matrix(m), k)


def _row_matrix(v):
    """NumPy's tril/triu of a 1-d `v`: `v` repeated as the rows of a square matrix."""
    n = v.shape[0]
    out = np.empty((n, n), v.dtype)
    for i in range(n):
        for j in range(n):
            out[i, j] = v[j]
    return out


def vander(x, N, increasing):
    n = x.shape[0]
    cols = n if N is None else N
    out = np.empty((n, cols), (x[:1] * x[:1]).dtype)
    for i in range(n):
        p = x[i] * 0 + 1
        for j in range(cols):
            out[i, j if increasing else cols - 1 - j] = p
            p = p * x[i]
    return out


def logspace(start, stop, num, endpoint, base):
    out = np.empty(num)
    div = (num - 1) if endpoint else num
    step = (stop - start) / div if div > 0 else 0.0
    for i in range(num):
        out[i] = base ** (start + i * step)
    if endpoint and num > 1:
        out[num - 1] = base ** stop
    return out


def geomspace(start, stop, num, endpoint):
    if start == 0 or stop == 0:
        raise ValueError("Geometric sequence cannot include zero")
    out = np.empty(num)
    if num == 0:
        return out
    sign = 1.0
    lo, hi = start * 1.0, stop * 1.0
    if lo < 0 and hi < 0:
        sign, lo, hi = -1.0, -lo, -hi
    a, b = math.log10(lo), math.log10(hi)
    div = (num - 1) if endpoint else num
    step = (b - a) / div if div > 0 else 0.0
    for i in range(num):
        out[i] = sign * 10.0 ** (a + i * step)
    out[0] = start
    if endpoint and num > 1:
        out[num - 1] = stop
    return out


def fill_diagonal(a, val, wrap):
    n = min(a.shape[0], a.shape[1])
    if wrap and a.shape[0] > a.shape[1]:
        step = a.shape[1] + 1
        total = a.shape[0] * a.shape[1]
        i = 0
        while i < total:
            a[i // a.shape[1], i % a.shape[1]] = val
            i += step
        return None
    for i in range(n):
        a[i, i] = val
    return None


# -- gathering and repeating --------------------------------------------------------------------
def take(a, indices):
    flat = a.ravel()
    n = flat.shape[0]
    out = np.empty(indices.shape[0], a.dtype)
    for i in range(indices.shape[0]):
        j = indices[i]
        if j < -n or j >= n:
            raise IndexError(f"index {j} is out of bounds for axis 0 with size {n}")
        out[i] = flat[j + n if j < 0 else j]
    return out


def take_scalar(a, index):
    flat = a.ravel()
    n = flat.shape[0]
    if index < -n or index >= n:
        raise IndexError(f"index {index} is out of bounds for axis 0 with size {n}")
    return flat[index + n if index < 0 else index]


def repeat(a, repeats):
    if repeats < 0:
        raise ValueError("negative dimensions are not allowed")
    flat = a.ravel()
    out = np.empty(flat.shape[0] * repeats, a.dtype)
    for i in range(flat.shape[0]):
        for r in range(repeats):
            out[i * repeats + r] = flat[i]
    return out


def repeat_each(a, repeats):
    flat = a.ravel()
    if repeats.shape[0] != flat.shape[0]:
        raise ValueError(f"operands could not be broadcast together with shape ({flat.shape[0]},) "
                         f"({repeats.shape[0]},)")
    total = 0
    for i in range(repeats.shape[0]):
        if repeats[i] < 0:
            raise ValueError("repeats may not contain negative values.")
        total += repeats[i]
    out = np.empty(total, a.dtype)
    k = 0
    for i in range(flat.shape[0]):
        for _ in range(repeats[i]):
            out[k] = flat[i]
            k += 1
    return out


def tile_1d(a, reps):
    n = a.shape[0]
    out = np.empty(n * max(reps, 0), a.dtype)
    for r in range(reps):
        for i in range(n):
            out[r * n + i] = a[i]
    return out


def tile_2d(a, reps):
    m, n = a.shape[0], a.shape[1]
    out = np.empty((m, n * max(reps, 0)), a.dtype)
    for i in range(m):
        for r in range(reps):
            for j in range(n):
                out[i, r * n + j] = a[i, j]
    return out


def append(arr, values):
    a = arr.ravel()
    v = values.ravel()
    out = np.empty(a.shape[0] + v.shape[0], (a[:1] + v[:1]).dtype)
    for i in range(a.shape[0]):
        out[i] = a[i]
    for i in range(v.shape[0]):
        out[a.shape[0] + i] = v[i]
    return out


def append_scalar(arr, value):
    return append(arr, np.full(1, value))


def ediff1d(ary):
    a = ary.ravel()
    n = max(a.shape[0] - 1, 0)
    out = np.empty(n, (a[:1] - a[:1]).dtype)
    for i in range(n):
        out[i] = a[i + 1] - a[i]
    return out


def argwhere_1d(a):
    count = 0
    for i in range(a.shape[0]):
        if a[i]:
            count += 1
    out = np.empty((count, 1), np.int64)
    k = 0
    for i in range(a.shape[0]):
        if a[i]:
            out[k, 0] = i
            k += 1
    return out


def argwhere_2d(a):
    count = 0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            if a[i, j]:
                count += 1
    out = np.empty((count, 2), np.int64)
    k = 0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            if a[i, j]:
                out[k, 0] = i
                out[k, 1] = j
                k += 1
    return out


def extract(condition, arr):
    c = condition.ravel()
    a = arr.ravel()
    count = 0
    for i in range(min(c.shape[0], a.shape[0])):
        if c[i]:
            count += 1
    out = np.empty(count, arr.dtype)
    k = 0
    for i in range(min(c.shape[0], a.shape[0])):
        if c[i]:
            out[k] = a[i]
            k += 1
    return out


# -- sequences of numbers -----------------------------------------------------------------------
def convolve(a, v, mode):
    n, m = a.shape[0], v.shape[0]
    if n == 0:
        raise ValueError("a cannot be empty")
    if m == 0:
        raise ValueError("v cannot be empty")
    full = np.zeros(n + m - 1, (a[:1] * v[:1]).dtype)
    for i in range(n):
        for j in range(m):
            full[i + j] += a[i] * v[j]
    return _mode_slice(full, n, m, mode, False)


def correlate(a, v, mode):
    n, m = a.shape[0], v.shape[0]
    if n == 0:
        raise ValueError("a cannot be empty")
    if m == 0:
        raise ValueError("v cannot be empty")
    full = np.zeros(n + m - 1, (a[:1] * v[:1]).dtype)
    for i in range(n):
        for j in range(m):
            full[i + m - 1 - j] += a[i] * np.conj(v[j])
    return _mode_slice(full, n, m, mode, n < m)


def _mode_slice(full, n, m, mode, from_end):
    """The part of a full convolution that `mode` (0 full, 1 same, 2 valid) keeps (`from_end`:
    "same" centred from the end, as NumPy's correlate of a shorter first array is)."""
    if mode == 0:
        return full
    if mode == 1:
        size = max(n, m)
        start = (min(n, m) - 1) // 2
        if from_end:
            start = min(n, m) - 1 - start
        return full[start:start + size].copy()
    size = max(n, m) - min(n, m) + 1
    start = min(n, m) - 1
    return full[start:start + size].copy()


def convolve_full(a, v):
    return convolve(a, v, 0)


def convolve_same(a, v):
    return convolve(a, v, 1)


def convolve_valid(a, v):
    return convolve(a, v, 2)


def correlate_full(a, v):
    return correlate(a, v, 0)


def correlate_same(a, v):
    return correlate(a, v, 1)


def correlate_valid(a, v):
    return correlate(a, v, 2)


def polyval(p, x):
    out = x * 0 + p[0] * 0
    for i in range(p.shape[0]):
        out = out * x + p[i]
    return out


def trapezoid(y, x, dx):
    total = 0.0 * y[:1].sum()
    for i in range(y.shape[0] - 1):
        total += (y[i] + y[i + 1]) * dx / 2.0
    return total


def trapezoid_x(y, x, dx):
    total = 0.0 * y[:1].sum()
    for i in range(y.shape[0] - 1):
        total += (y[i] + y[i + 1]) * (x[i + 1] - x[i]) / 2.0
    return total


# -- binning and set operations -----------------------------------------------------------------
def digitize(x, bins, right):
    """NumPy's: searchsorted of the bins (reversed when decreasing), side "right" unless `right`."""
    flat = x.ravel()
    out = np.empty(flat.shape[0], np.int64)
    nb = bins.shape[0]
    increasing = nb < 2 or not bins[nb - 1] < bins[0]
    for i in range(flat.shape[0]):
        v = flat[i]
        lo, hi = 0, nb
        while lo < hi:
            mid = (lo + hi) // 2
            b = bins[mid] if increasing else bins[nb - 1 - mid]
            if (b < v if right else b <= v) or v != v and b == b:  # NaN after every number
                lo = mid + 1
            else:
                hi = mid
        out[i] = lo if increasing else nb - lo
    return out.reshape(x.shape)


def digitize_scalar(x, bins, right):
    return digitize(np.full(1, x), bins, right)[0]


def histogram(a, bins):
    """NumPy's histogram of `bins` equal bins over the items' range (counts, edges)."""
    flat = a.ravel()
    if bins < 1:
        raise ValueError("`bins` must be positive, when an integer")
    first, last = 0.0, 1.0
    if flat.shape[0] > 0:
        first, last = flat.min() * 1.0, flat.max() * 1.0
    if first > last:
        raise ValueError("max must be larger than min in range parameter.")
    if not (math.isfinite(first) and math.isfinite(last)):
        raise ValueError(f"autodetected range of [{first}, {last}] is not finite")
    if first == last:
        first, last = first - 0.5, last + 0.5
    edges = np.linspace(first, last, bins + 1)
    counts = np.zeros(bins, np.int64)
    span = last - first
    for i in range(flat.shape[0]):
        v = flat[i]
        if v >= first and v <= last:
            k = int((v - first) / span * bins)
            if k == bins:
                k -= 1
            if v < edges[k]:  # NumPy corrects rounding against the edges
                k -= 1
            elif k + 1 < bins and v >= edges[k + 1]:
                k += 1
            counts[k] += 1
    return counts, edges


def isin(element, test_elements, invert):
    flat = element.ravel()
    test = np.sort(test_elements.ravel())
    out = np.empty(flat.shape[0], np.bool_)
    n = test.shape[0]
    for i in range(flat.shape[0]):
        v = flat[i]
        lo, hi = 0, n
        while lo < hi:
            mid = (lo + hi) // 2
            if test[mid] < v:
                lo = mid + 1
            else:
                hi = mid
        found = lo < n and test[lo] == v
        out[i] = not found if invert else found
    return out.reshape(element.shape)




def _unique_sorted(s):
    n = s.shape[0]
    out = np.empty(n, s.dtype)
    k = 0
    for i in range(n):
        if i == 0 or s[i] != s[i - 1] and not (s[i] != s[i] and s[i - 1] != s[i - 1]):
            out[k] = s[i]
            k += 1
    return out[:k].copy()


def union1d(ar1, ar2):
    return _unique_sorted(np.sort(append(ar1, ar2)))


def intersect1d(ar1, ar2):
    a = _unique_sorted(np.sort(ar1.ravel()))
    b = _unique_sorted(np.sort(ar2.ravel()))
    out = np.empty(min(a.shape[0], b.shape[0]), (a[:1] + b[:1]).dtype)
    i = j = k = 0
    while i < a.shape[0] and j < b.shape[0]:
        if a[i] < b[j]:
            i += 1
        elif b[j] < a[i]:
            j += 1
        else:
            out[k] = a[i]
            k += 1
            i += 1
            j += 1
    return out[:k].copy()


def setdiff1d(ar1, ar2):
    a = _unique_sorted(np.sort(ar1.ravel()))
    keep = isin(a, ar2, True)
    return extract(keep, a)


# -- statistics ---------------------------------------------------------------------------------
def ptp(a, axis):
    flat = a.ravel()
    if flat.shape[0] == 0:
        raise ValueError("zero-size array to reduction operation maximum which has no identity")
    return flat.max() - flat.min()


def ptp_axis(a, axis):
    return a.max(axis=axis) - a.min(axis=axis)


def _quantile_sorted(s, q):
    """NumPy's default ('linear') quantile `q` in [0, 1] of the sorted 1-d `s` (NaN sorted last)."""
    n = s.shape[0]
    if n == 0 or s[n - 1] != s[n - 1]:
        return np.nan
    pos = q * (n - 1)
    lo = int(math.floor(pos))
    hi = min(lo + 1, n - 1)
    frac = pos - lo
    a, b = s[lo] * 1.0, s[hi] * 1.0
    diff = b - a
    # NumPy's _lerp: a + diff * t, or b - diff * (1 - t) from the upper half (exact at the ends)
    return b - diff * (1.0 - frac) if frac >= 0.5 else a + diff * frac


def _check_q(q, scale):
    if not (q >= 0.0 and q <= scale):
        if scale == 100.0:
            raise ValueError("Percentiles must be in the range [0, 100]")
        raise ValueError("Quantiles must be in the range [0, 1]")


def quantile(a, q):
    _check_q(q, 1.0)
    return _quantile_sorted(np.sort(a.ravel()), q)


def percentile(a, q):
    _check_q(q, 100.0)
    return _quantile_sorted(np.sort(a.ravel()), q / 100.0)


def quantile_array(a, q):
    s = np.sort(a.ravel())
    out = np.empty(q.shape[0])
    for i in range(q.shape[0]):
        _check_q(q[i], 1.0)
        out[i] = _quantile_sorted(s, q[i])
    return out


def percentile_array(a, q):
    s = np.sort(a.ravel())
    out = np.empty(q.shape[0])
    for i in range(q.shape[0]):
        _check_q(q[i], 100.0)
        out[i] = _quantile_sorted(s, q[i] / 100.0)
    return out


def _numbers(a):
    """The items of `a` that are not NaN, as a 1-d array."""
    flat = a.ravel()
    out = np.empty(flat.shape[0], flat.dtype)
    k = 0
    for i in range(flat.shape[0]):
        if flat[i] == flat[i]:
            out[k] = flat[i]
            k += 1
    return out[:k].copy()


def nanquantile(a, q):
    _check_q(q, 1.0)
    return _quantile_sorted(np.sort(_numbers(a)), q)


def nanpercentile(a, q):
    _check_q(q, 100.0)
    return _quantile_sorted(np.sort(_numbers(a)), q / 100.0)


def nanmedian(a):
    return _quantile_sorted(np.sort(_numbers(a)), 0.5)


def nanvar(a, ddof):
    x = _numbers(a)
    n = x.shape[0]
    if n - ddof <= 0:
        return np.nan
    m = x.mean()
    total = 0.0
    for i in range(n):
        d = x[i] - m
        total += d * d
    return total / (n - ddof)


def nanstd(a, ddof):
    return math.sqrt(nanvar(a, ddof))


def nanargmin(a):
    flat = a.ravel()
    best = -1
    for i in range(flat.shape[0]):
        if flat[i] == flat[i] and (best < 0 or flat[i] < flat[best]):
            best = i
    if best < 0:
        raise ValueError("All-NaN slice encountered")
    return best


def nanargmax(a):
    flat = a.ravel()
    best = -1
    for i in range(flat.shape[0]):
        if flat[i] == flat[i] and (best < 0 or flat[i] > flat[best]):
            best = i
    if best < 0:
        raise ValueError("All-NaN slice encountered")
    return best


def cov_2d(m, ddof):
    """np.cov of the rows of `m` (variables in rows)."""
    nv, no = m.shape[0], m.shape[1]
    means = np.empty(nv)
    for i in range(nv):
        s = 0.0
        for j in range(no):
            s += m[i, j]
        means[i] = s / no
    out = np.empty((nv, nv))
    for i in range(nv):
        for k in range(i, nv):
            s = 0.0
            for j in range(no):
                s += (m[i, j] - means[i]) * (m[k, j] - means[k])
            c = s / (no - ddof) if no - ddof > 0 else s / 0.0 if s != 0 else np.nan
            out[i, k] = c
            out[k, i] = c
    return out


def cov(m, y, ddof):
    return cov_2d(m, 1 if ddof is None else ddof)


def cov_xy(m, y, ddof):
    return cov_2d(_rows(m, y), 1 if ddof is None else ddof)


def _rows(x, y):
    if x.shape[0] != y.shape[0]:
        raise ValueError("all the input array dimensions except for the concatenation axis must match "
                         f"exactly, but along dimension 1, the array at index 0 has size {x.shape[0]} and "
                         f"the array at index 1 has size {y.shape[0]}")
    out = np.empty((2, x.shape[0]), (x[:1] * y[:1] * 1.0).dtype)
    for j in range(x.shape[0]):
        out[0, j] = x[j]
        out[1, j] = y[j]
    return out


def corrcoef(x, y):
    return _corr(cov_2d(x, 1))


def corrcoef_xy(x, y):
    return _corr(cov_2d(_rows(x, y), 1))


def _corr(c):
    n = c.shape[0]
    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            r = c[i, j] / math.sqrt(c[i, i] * c[j, j])
            out[i, j] = max(-1.0, min(1.0, r)) if r == r else r
    return out


# -- products -----------------------------------------------------------------------------------
def inner(a, b):
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"shapes ({a.shape[0]},) and ({b.shape[0]},) not aligned: {a.shape[0]} (dim 0) != "
                         f"{b.shape[0]} (dim 0)")
    total = a[:1].sum() * 0 + b[:1].sum() * 0
    for i in range(a.shape[0]):
        total += a[i] * b[i]
    return total


def vdot(a, b):
    x = a.ravel()
    y = b.ravel()
    if x.shape[0] != y.shape[0]:
        raise ValueError("cannot reshape array of size into shape")
    total = x[:1].sum() * 0 + y[:1].sum() * 0
    for i in range(x.shape[0]):
        total += np.conj(x[i]) * y[i]
    return total




# -- elementwise helpers NumPy writes in Python -------------------------------------------------
def sinc(x):
    """NumPy's: sin(pi y) / (pi y), y = x with 1e-20 for 0, in x's float dtype."""
    y = np.where(x == 0, 1.0e-20, x) * np.pi
    return np.sin(y) / y


def sinc_scalar(x):
    y = np.pi * (x if x != 0 else 1.0e-20)
    return np.sin(y) / y


def fix(x):
    return np.trunc(x)


def isposinf(x):
    return np.isinf(x) & (x > 0)


def isneginf(x):
    return np.isinf(x) & (x < 0)


def nan_to_num(x):
    out = x.copy()
    flat = out.ravel()
    big = _largest(flat)
    for i in range(flat.shape[0]):
        v = flat[i]
        if v != v:
            flat[i] = 0.0
        elif v == np.inf:
            flat[i] = big
        elif v == -np.inf:
            flat[i] = -big
    return out


def _largest(flat):
    """The largest finite number of `flat`'s float dtype."""
    one = flat[:1] * 0.0 + 1.0
    x = one * 2.0
    while np.isfinite(x * 2.0)[0]:
        x = x * 2.0
    # x is the largest power of two; the largest finite number is x * (2 - eps)
    e = one
    while (one + e / 2.0)[0] != one[0]:
        e = e / 2.0
    return (x * (2.0 - e))[0]


def delete(arr, obj):
    a = arr.ravel()
    n = a.shape[0]
    if obj < -n or obj >= n:
        raise IndexError(f"index {obj} is out of bounds for axis 0 with size {n}")
    k = obj + n if obj < 0 else obj
    out = np.empty(n - 1, a.dtype)
    for i in range(k):
        out[i] = a[i]
    for i in range(k + 1, n):
        out[i - 1] = a[i]
    return out


def insert(arr, obj, values):
    a = arr.ravel()
    n = a.shape[0]
    if obj < -n or obj > n:
        raise IndexError(f"index {obj} is out of bounds for axis 0 with size {n}")
    k = obj + n if obj < 0 else obj
    out = np.empty(n + 1, a.dtype)
    for i in range(k):
        out[i] = a[i]
    out[k] = values
    for i in range(k, n):
        out[i + 1] = a[i]
    return out
