"""`np.random.choice(a, size, replace, p)` with probabilities, in the Python subset jitlab compiles.

The lowering of `np.random.choice` (`backend/llvm/lower_random_choice.py`) calls `choice_indices`
for the indices into `a` and gathers the items itself.  The algorithm is NumPy's legacy
`RandomState.choice`, so the draws are bit for bit NumPy's after the same seed: `p` is checked
(its Kahan sum, NaN, signs), its cumulative sum divided by its last item is searched (side
'right') for uniform draws (`random_sample`); without replacement, rounds draw as many uniforms
as items are missing, zero the probabilities of the items found, and keep each round's new
indices in the order they first appear.
"""
import math

import numpy as np

from .linalg import _eps


def _cdf(p):
    """p's cumulative sum divided by its last item (NumPy's `cdf /= cdf[-1]`)."""
    n = p.shape[0]
    cdf = np.empty(n)
    acc = 0.0
    for i in range(n):
        acc += p[i]
        cdf[i] = acc
    last = cdf[n - 1]
    for i in range(n):
        cdf[i] = cdf[i] / last
    return cdf


def _search_right(cdf, x):
    """The first index whose cdf item is greater than x (`searchsorted(x, side='right')`)."""
    lo = 0
    hi = cdf.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if x < cdf[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _probabilities(pop, p):
    """`p` as float64 after NumPy's checks of it (same order, same messages)."""
    n = p.shape[0]
    atol = math.sqrt(2.0 ** -52)
    floating = np.zeros(1, p.dtype)
    floating[0] = 0.5
    if floating[0] != 0:  # a float p: the tolerance of its precision if coarser
        atol = max(atol, math.sqrt(_eps(p)))
    if n != pop:
        raise ValueError("'a' and 'p' must have same size")
    q = np.empty(n)
    for i in range(n):
        q[i] = p[i]
    total = 0.0
    if n > 0:  # Kahan summation, as NumPy's check
        total = q[0]
        c = 0.0
        for i in range(1, n):
            y = q[i] - c
            t = total + y
            c = (t - total) - y
            total = t
    if total != total:
        raise ValueError("probabilities contain NaN")
    for i in range(n):
        if q[i] < 0:
            raise ValueError("probabilities are not non-negative")
    if abs(total - 1.0) > atol:
        raise ValueError("probabilities do not sum to 1")
    return q


def choice_indices(pop, count, replace, p):
    """`count` indices in [0, pop) drawn with probabilities `p`, as NumPy's legacy choice draws."""
    q = _probabilities(pop, p)
    out = np.empty(count, np.int64)
    if replace:
        cdf = _cdf(q)
        u = np.random.random_sample(count)
        for k in range(count):
            out[k] = _search_right(cdf, u[k])
        return out
    if count > pop:
        raise ValueError("Cannot take a larger sample than population when 'replace=False'")
    nonzero = 0
    for i in range(pop):
        if q[i] > 0:
            nonzero += 1
    if nonzero < count:
        raise ValueError("Fewer non-zero entries in p than size")
    seen = np.zeros(pop, np.bool_)
    found = 0
    while found < count:
        u = np.random.random_sample(count - found)
        for k in range(found):
            q[out[k]] = 0.0
        cdf = _cdf(q)
        for k in range(u.shape[0]):
            i = _search_right(cdf, u[k])
            if not seen[i]:  # a round keeps its new indices in first-appearance order
                seen[i] = True
                out[found] = i
                found += 1
    return out
