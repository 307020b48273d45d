"""Acceptance corpus, part 3: whole application kernels as users write them in notebooks -- dynamic
programming, graph algorithms, sorting and selection, numerical methods (quadrature, ODEs, root
finding, linear solvers), stencils and image filters, simulations with `np.random`, number theory.

Registered with `corpus_acceptance.py`'s `case`/`expect`/`gap` and run by
`test_corpus_acceptance.py`; array arguments are given as functions building a fresh copy.
Functions whose name starts with `_` are helpers (compiled too, called from the kernels).
"""
from __future__ import annotations

import cmath
import math

import numpy as np

from corpus_acceptance import case, gap

INF = float("inf")


# -- inputs ------------------------------------------------------------------------------------
def _rng_floats(n, seed, dtype=np.float64):
    return (np.random.default_rng(seed).random(n) * 20.0 - 10.0).astype(dtype)


def _rng_ints(n, seed, dtype=np.int64, hi=100):
    return np.random.default_rng(seed).integers(-hi, hi, n).astype(dtype)


def f7():
    return _rng_floats(7, 1)


def f50():
    return _rng_floats(50, 2)


def f50_32():
    return _rng_floats(50, 3, np.float32)


def i40():
    return _rng_ints(40, 4)


def i40_32():
    return _rng_ints(40, 5, np.int32)


def i1():
    return np.array([9], dtype=np.int64)


def i0():
    return np.zeros(0, dtype=np.int64)


def pos_i64():
    return np.array([12, 18, 30, 42, 66, 90], dtype=np.int64)


def pos_i32():
    return np.array([7, 21, 35, 49], dtype=np.int32)


def weights_graph():
    w = np.full((6, 6), INF)
    for i in range(6):
        w[i, i] = 0.0
    for a, b, c in ((0, 1, 7.0), (0, 2, 9.0), (0, 5, 14.0), (1, 2, 10.0), (1, 3, 15.0),
                    (2, 3, 11.0), (2, 5, 2.0), (3, 4, 6.0), (4, 5, 9.0)):
        w[a, b] = w[b, a] = c
    return w


def adj_graph():
    a = np.zeros((7, 7), dtype=np.int64)
    for u, v in ((0, 1), (0, 2), (1, 3), (2, 3), (3, 4), (5, 6)):
        a[u, v] = a[v, u] = 1
    return a


def image8():
    return (np.arange(64.0).reshape(8, 8) * 37.0) % 255.0


def image_u8():
    return ((np.arange(48).reshape(6, 8) * 53) % 200).astype(np.uint8)


def image5_32():
    return ((np.arange(25.0).reshape(5, 5) * 13.0) % 17.0).astype(np.float32)


def spd4():
    return np.array([[10.0, 1.0, 2.0, 0.5], [1.0, 8.0, 1.0, 1.0],
                     [2.0, 1.0, 9.0, 0.0], [0.5, 1.0, 0.0, 7.0]])


def rhs4():
    return np.array([1.0, -2.0, 3.0, 0.5])


def pts30():
    return np.random.default_rng(7).random((30, 2)) * 10.0


def pts12_3():
    return np.random.default_rng(8).random((12, 3))


def text_a():
    return np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3], dtype=np.int64)


def text_b():
    return np.array([1, 4, 1, 5, 2, 6, 3, 5], dtype=np.int64)


def knap_w():
    return np.array([12, 2, 1, 1, 4, 7, 3], dtype=np.int64)


def knap_v():
    return np.array([4, 2, 1, 2, 10, 13, 5], dtype=np.int64)


def vecs5x8():
    return np.random.default_rng(11).standard_normal((5, 8))


def polygon():
    return np.array([[0.0, 0.0], [4.0, 0.0], [5.0, 3.0], [2.0, 5.0], [-1.0, 3.0]])


# ------------------------------------------------------------------------------- simulations


@case((1, 1000), (7, 5000))
def monte_carlo_pi(seed, n):
    np.random.seed(seed)
    inside = 0
    for _ in range(n):
        x = np.random.random()
        y = np.random.random()
        if x * x + y * y <= 1.0:
            inside += 1
    return 4.0 * inside / n


@case((3, 200), (5, 1))
def random_walk_1d(seed, n):
    np.random.seed(seed)
    pos = 0
    far = 0
    path = np.empty(n, dtype=np.int64)
    for i in range(n):
        if np.random.random() < 0.5:
            pos -= 1
        else:
            pos += 1
        path[i] = pos
        if abs(pos) > far:
            far = abs(pos)
    return path, far


@case((2, 100, 2.0))
def gaussian_walk_2d(seed, n, sigma):
    np.random.seed(seed)
    xy = np.zeros((n + 1, 2))
    for i in range(n):
        xy[i + 1, 0] = xy[i, 0] + np.random.normal(0.0, sigma)
        xy[i + 1, 1] = xy[i, 1] + np.random.normal(0.0, sigma)
    d = 0.0
    for i in range(n + 1):
        r = math.sqrt(xy[i, 0] ** 2 + xy[i, 1] ** 2)
        d = max(d, r)
    return xy, d


@case((2.5, 3.9, 40, 100, 16))
def logistic_bifurcation(r_lo, r_hi, n_r, warmup, keep):
    out = np.empty((n_r, keep))
    for i in range(n_r):
        r = r_lo + (r_hi - r_lo) * i / (n_r - 1)
        x = 0.5
        for _ in range(warmup):
            x = r * x * (1.0 - x)
        for k in range(keep):
            x = r * x * (1.0 - x)
            out[i, k] = x
    return out


@case((11, 64, 0.3))
def percolation_fraction(seed, n, p):
    np.random.seed(seed)
    open_ = np.random.random((n, n)) < p
    count = 0
    for i in range(n):
        for j in range(n):
            if open_[i, j]:
                count += 1
    return count / (n * n), open_


@case((4, 2000), (9, 300))
def monte_carlo_integral(seed, n):
    np.random.seed(seed)
    s = 0.0
    s2 = 0.0
    for _ in range(n):
        x = np.random.uniform(0.0, math.pi)
        f = math.sin(x) ** 2
        s += f
        s2 += f * f
    mean = s / n
    var = s2 / n - mean * mean
    return math.pi * mean, math.pi * math.sqrt(var / n)


# --------------------------------------------------------------------------- dynamic programming


@case((text_a, text_b), (text_b, text_b), (text_a, i0))
def lcs_length(a, b):
    n, m = a.shape[0], b.shape[0]
    table = np.zeros((n + 1, m + 1), dtype=np.int64)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            if a[i - 1] == b[j - 1]:
                table[i, j] = table[i - 1, j - 1] + 1
            else:
                table[i, j] = max(table[i - 1, j], table[i, j - 1])
    return table[n, m]


@case((text_a, text_b), (i0, text_b), (i1, i1))
def edit_distance(a, b):
    n, m = len(a), len(b)
    prev = np.arange(m + 1)
    cur = np.zeros(m + 1, dtype=prev.dtype)
    for i in range(1, n + 1):
        cur[0] = i
        for j in range(1, m + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        prev, cur = cur, prev
    return prev[m]


@case((knap_w, knap_v, 15), (knap_w, knap_v, 0), (knap_w, knap_v, 40))
def knapsack_01(weights, values, capacity):
    best = np.zeros(capacity + 1, dtype=np.int64)
    for k in range(weights.shape[0]):
        w = weights[k]
        for c in range(capacity, w - 1, -1):
            cand = best[c - w] + values[k]
            if cand > best[c]:
                best[c] = cand
    return best[capacity]


@case((i40,), (i40_32,), (i0,), (text_a,))
def longest_increasing_subsequence(a):
    n = a.shape[0]
    if n == 0:
        return 0
    length = np.ones(n, dtype=np.int64)
    for i in range(1, n):
        for j in range(i):
            if a[j] < a[i] and length[j] + 1 > length[i]:
                length[i] = length[j] + 1
    return length.max()


@case((i40,), (f50,), (f50_32,), (i1,))
def max_subarray_kadane(a):
    best = a[0]
    cur = a[0]
    start = best_start = best_end = 0
    for i in range(1, a.shape[0]):
        if cur < 0:
            cur = a[i]
            start = i
        else:
            cur += a[i]
        if cur > best:
            best = cur
            best_start = start
            best_end = i
    return best, best_start, best_end


@case((11,), (0,), (63,))
def coin_change_ways(amount):
    coins = (1, 2, 5, 10, 25)
    ways = np.zeros(amount + 1, dtype=np.int64)
    ways[0] = 1
    for c in coins:
        for v in range(c, amount + 1):
            ways[v] += ways[v - c]
    return ways[amount]


@case((11,), (3,), (100,))
def min_coins(amount):
    coins = np.array([1, 5, 6, 9])
    big = amount + 1
    need = np.full(amount + 1, big, dtype=np.int64)
    need[0] = 0
    for v in range(1, amount + 1):
        for k in range(coins.shape[0]):
            c = coins[k]
            if c <= v and need[v - c] + 1 < need[v]:
                need[v] = need[v - c] + 1
    return need[amount] if need[amount] < big else -1


@case((f50,), (i40,))
def trapped_rain_water(h):
    n = h.shape[0]
    left = np.empty_like(h)
    right = np.empty_like(h)
    left[0] = h[0]
    for i in range(1, n):
        left[i] = max(left[i - 1], h[i])
    right[n - 1] = h[n - 1]
    for i in range(n - 2, -1, -1):
        right[i] = max(right[i + 1], h[i])
    total = 0
    for i in range(n):
        total += min(left[i], right[i]) - h[i]
    return total


@case((f50,), (f50_32,), (i1,))
def best_stock_profit(prices):
    lowest = prices[0]
    best = prices[0] - prices[0]
    for p in prices[1:]:
        if p - lowest > best:
            best = p - lowest
        if p < lowest:
            lowest = p
    return best


@case((10,), (1,), (25,))
def pascal_triangle(n):
    tri = np.zeros((n, n), dtype=np.int64)
    for i in range(n):
        tri[i, 0] = 1
        for j in range(1, i + 1):
            tri[i, j] = tri[i - 1, j - 1] + tri[i - 1, j]
    return tri


@case((15,), (0,), (30,))
def catalan_numbers(n):
    c = np.zeros(n + 1, dtype=np.int64)
    c[0] = 1
    for i in range(1, n + 1):
        s = 0
        for j in range(i):
            s += c[j] * c[i - 1 - j]
        c[i] = s
    return c


# --------------------------------------------------------------------------------------- graphs


@case((weights_graph,))
def floyd_warshall(w):
    n = w.shape[0]
    d = w.copy()
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if d[i, k] + d[k, j] < d[i, j]:
                    d[i, j] = d[i, k] + d[k, j]
    return d


@case((weights_graph, 0), (weights_graph, 4))
def dijkstra_dense(w, source):
    n = w.shape[0]
    dist = np.full(n, INF)
    done = np.zeros(n, dtype=np.bool_)
    dist[source] = 0.0
    for _ in range(n):
        u = -1
        for v in range(n):
            if not done[v] and (u == -1 or dist[v] < dist[u]):
                u = v
        if u == -1 or dist[u] == INF:
            break
        done[u] = True
        for v in range(n):
            if w[u, v] < INF and dist[u] + w[u, v] < dist[v]:
                dist[v] = dist[u] + w[u, v]
    return dist


@case((adj_graph, 0), (adj_graph, 5))
def bfs_levels(adj, start):
    n = adj.shape[0]
    level = np.full(n, -1, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    head, tail = 0, 0
    queue[tail] = start
    tail += 1
    level[start] = 0
    while head < tail:
        u = queue[head]
        head += 1
        for v in range(n):
            if adj[u, v] != 0 and level[v] < 0:
                level[v] = level[u] + 1
                queue[tail] = v
                tail += 1
    return level


def _find(parent, x):
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        nxt = parent[x]
        parent[x] = root
        x = nxt
    return root


@case((adj_graph,))
def union_find_components(adj):
    n = adj.shape[0]
    parent = np.arange(n)
    for i in range(n):
        for j in range(i + 1, n):
            if adj[i, j]:
                ri, rj = _find(parent, i), _find(parent, j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
    count = 0
    labels = np.empty(n, dtype=np.int64)
    for i in range(n):
        labels[i] = _find(parent, i)
        if labels[i] == i:
            count += 1
    return count, labels


def _dfs(adj, u, seen, order, k):
    seen[u] = True
    order[k] = u
    k += 1
    for v in range(adj.shape[0]):
        if adj[u, v] and not seen[v]:
            k = _dfs(adj, v, seen, order, k)
    return k


@case((adj_graph,))
def dfs_order_recursive(adj):
    n = adj.shape[0]
    seen = np.zeros(n, dtype=np.bool_)
    order = np.full(n, -1, dtype=np.int64)
    k = 0
    for s in range(n):
        if not seen[s]:
            k = _dfs(adj, s, seen, order, k)
    return order


@case((adj_graph,))
def flood_fill_stack(adj):
    n = adj.shape[0]
    comp = np.full(n, -1, dtype=np.int64)
    stack = np.empty(n * n, dtype=np.int64)
    label = 0
    for s in range(n):
        if comp[s] >= 0:
            continue
        top = 0
        stack[top] = s
        top += 1
        while top > 0:
            top -= 1
            u = stack[top]
            if comp[u] >= 0:
                continue
            comp[u] = label
            for v in range(n):
                if adj[u, v] == 1 and comp[v] < 0:
                    stack[top] = v
                    top += 1
        label += 1
    return comp, label


# ------------------------------------------------------------------------- sorting and search


def _merge_sort(a, tmp, lo, hi):
    if hi - lo < 2:
        return
    mid = (lo + hi) // 2
    _merge_sort(a, tmp, lo, mid)
    _merge_sort(a, tmp, mid, hi)
    i, j, k = lo, mid, lo
    while i < mid and j < hi:
        if a[j] < a[i]:
            tmp[k] = a[j]
            j += 1
        else:
            tmp[k] = a[i]
            i += 1
        k += 1
    while i < mid:
        tmp[k] = a[i]
        i += 1
        k += 1
    while j < hi:
        tmp[k] = a[j]
        j += 1
        k += 1
    for t in range(lo, hi):
        a[t] = tmp[t]


@case((f50,), (i40_32,), (i0,), (f50_32,))
def merge_sort(a):
    out = a.copy()
    tmp = np.empty_like(out)
    _merge_sort(out, tmp, 0, out.shape[0])
    return out


@case((f50,), (i40,), (i1,))
def shell_sort_inplace(a):
    n = a.shape[0]
    gap = n // 2
    while gap > 0:
        for i in range(gap, n):
            x = a[i]
            j = i
            while j >= gap and a[j - gap] > x:
                a[j] = a[j - gap]
                j -= gap
            a[j] = x
        gap //= 2


@case((i40,), (i40_32,), (i0,))
def counting_sort(a):
    if a.shape[0] == 0:
        return a.copy()
    lo, hi = a.min(), a.max()
    counts = np.zeros(hi - lo + 1, dtype=np.int64)
    for x in a:
        counts[x - lo] += 1
    out = np.empty_like(a)
    k = 0
    for v in range(counts.shape[0]):
        for _ in range(counts[v]):
            out[k] = v + lo
            k += 1
    return out


def _select(a, lo, hi, k):
    while True:
        if lo == hi:
            return a[lo]
        pivot = a[(lo + hi) // 2]
        i, j = lo, hi
        while i <= j:
            while a[i] < pivot:
                i += 1
            while a[j] > pivot:
                j -= 1
            if i <= j:
                a[i], a[j] = a[j], a[i]
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return a[k]


@case((f50,), (i40,), (f7,), (i1,))
def quickselect_median(a):
    work = a.copy()
    n = work.shape[0]
    return _select(work, 0, n - 1, n // 2)


@case((f50, 0.5), (f50, -100.0), (f50, 100.0))
def sorted_insert_position(a, x):
    s = np.sort(a)
    lo, hi = 0, s.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if s[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo, lo == np.searchsorted(s, x)


@case((f50,), (i40,))
def selection_sort_argsort(a):
    n = a.shape[0]
    idx = np.arange(n)
    for i in range(n - 1):
        m = i
        for j in range(i + 1, n):
            if a[idx[j]] < a[idx[m]]:
                m = j
        idx[i], idx[m] = idx[m], idx[i]
    return idx


# ------------------------------------------------------------------------------ number theory


@case((2, 1), (100, 0), (2, 10))
def sieve_primes_list(n, _unused):
    is_p = np.ones(n + 1, dtype=np.bool_)
    is_p[0] = False
    if n >= 1:
        is_p[1] = False
    i = 2
    while i * i <= n:
        if is_p[i]:
            for j in range(i * i, n + 1, i):
                is_p[j] = False
        i += 1
    return np.nonzero(is_p)[0]


@case((360,), (97,), (1,), (2**31 - 1,), (600851475143,))
def prime_factors(n):
    factors = []
    d = 2
    while d * d <= n:
        while n % d == 0:
            factors.append(d)
            n //= d
        d += 1
    if n > 1:
        factors.append(n)
    return len(factors), sum(factors), max(factors) if factors else 0


def _gcd(a, b):
    while b:
        a, b = b, a % b
    return a


@case((pos_i64,), (pos_i32,))
def gcd_lcm_array(a):
    g = a[0]
    lcm = a[0]
    for i in range(1, a.shape[0]):
        g = _gcd(g, a[i])
        lcm = lcm // _gcd(lcm, a[i]) * a[i]
    return g, lcm, math.gcd(int(a[0]), int(a[1]))


@case((30,), (1,), (1000,))
def collatz_lengths(n):
    out = np.zeros(n + 1, dtype=np.int64)
    for start in range(1, n + 1):
        x = start
        steps = 0
        while x != 1:
            if x < start:
                steps += out[x]
                break
            x = x // 2 if x % 2 == 0 else 3 * x + 1
            steps += 1
        out[start] = steps
    return out


@case((pos_i64,), (i40,), (i0,))
def digit_sums(a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        x = abs(a[i])
        s = 0
        while x > 0:
            s += x % 10
            x //= 10
        out[i] = s
    return out


@case((3, 200, 1000007), (2, 0, 13), (7, 123456789, 998244353))
def modular_exponent(base, exp, mod):
    result = 1
    b = base % mod
    e = exp
    while e > 0:
        if e & 1:
            result = result * b % mod
        b = b * b % mod
        e >>= 1
    return result, result == pow(base, exp, mod)


def _is_probable_prime(n):
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13):
        if n % p == 0:
            return n == p
    d = n - 1
    s = 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in (2, 3, 5, 7):
        x = pow(a, d, n)
        if x == 1 or x == n - 1:
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


@case((100,), (2000,))
def miller_rabin_count(n):
    count = 0
    for k in range(n):
        if _is_probable_prime(k):
            count += 1
    return count


@case((i40,), (pos_i32,))
def popcounts(a):
    out = np.zeros(a.shape[0], dtype=np.int64)
    for i in range(a.shape[0]):
        x = int(a[i]) & 0xFFFFFFFF
        c = 0
        while x:
            x &= x - 1
            c += 1
        out[i] = c
    return out


def _place(row, n, cols, diag1, diag2):
    if row == n:
        return 1
    total = 0
    for c in range(n):
        if not cols[c] and not diag1[row + c] and not diag2[row - c + n - 1]:
            cols[c] = diag1[row + c] = diag2[row - c + n - 1] = True
            total += _place(row + 1, n, cols, diag1, diag2)
            cols[c] = diag1[row + c] = diag2[row - c + n - 1] = False
    return total


@case((1,), (4,), (6,), (8,))
def n_queens(n):
    cols = np.zeros(n, dtype=np.bool_)
    d1 = np.zeros(2 * n, dtype=np.bool_)
    d2 = np.zeros(2 * n, dtype=np.bool_)
    return _place(0, n, cols, d1, d2)


# ------------------------------------------------------------------------ numerical methods


def _f_quad(x):
    return math.exp(-x * x) * math.cos(3.0 * x)


@case((0.0, 2.0, 10), (-1.0, 1.0, 200))
def simpson(a, b, n):
    if n % 2:
        n += 1
    h = (b - a) / n
    s = _f_quad(a) + _f_quad(b)
    for i in range(1, n):
        x = a + i * h
        s += (4.0 if i % 2 else 2.0) * _f_quad(x)
    return s * h / 3.0


@case((0.0, math.pi, 100), (1.0, 1.0, 4))
def trapezoid_callee(a, b, n):
    h = (b - a) / n
    s = 0.5 * (math.sin(a) + math.sin(b))
    for i in range(1, n):
        s += math.sin(a + i * h)
    return s * h


@case((0.0, 1.0, 6))
def romberg(a, b, levels):
    r = np.zeros((levels, levels))
    h = b - a
    r[0, 0] = 0.5 * h * (_f_quad(a) + _f_quad(b))
    for i in range(1, levels):
        h /= 2.0
        s = 0.0
        for k in range(1, 2 ** i, 2):
            s += _f_quad(a + k * h)
        r[i, 0] = 0.5 * r[i - 1, 0] + s * h
        for j in range(1, i + 1):
            r[i, j] = r[i, j - 1] + (r[i, j - 1] - r[i - 1, j - 1]) / (4.0 ** j - 1.0)
    return r[levels - 1, levels - 1]


def _lorenz(state, out):
    sigma, rho, beta = 10.0, 28.0, 8.0 / 3.0
    out[0] = sigma * (state[1] - state[0])
    out[1] = state[0] * (rho - state[2]) - state[1]
    out[2] = state[0] * state[1] - beta * state[2]


@case((0.01, 200),)
def rk4_lorenz(dt, steps):
    y = np.array([1.0, 1.0, 1.0])
    k1 = np.empty(3)
    k2 = np.empty(3)
    k3 = np.empty(3)
    k4 = np.empty(3)
    traj = np.empty((steps + 1, 3))
    traj[0] = y
    for s in range(steps):
        _lorenz(y, k1)
        _lorenz(y + 0.5 * dt * k1, k2)
        _lorenz(y + 0.5 * dt * k2, k3)
        _lorenz(y + dt * k3, k4)
        y = y + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        traj[s + 1] = y
    return traj


def _pendulum(theta, omega):
    return omega, -9.81 * math.sin(theta)


@case((0.5, 0.0, 0.01, 300))
def euler_cromer_pendulum(theta, omega, dt, steps):
    energy = np.empty(steps)
    for i in range(steps):
        _, alpha = _pendulum(theta, omega)
        omega += alpha * dt
        theta += omega * dt
        energy[i] = 0.5 * omega * omega + 9.81 * (1.0 - math.cos(theta))
    return theta, omega, energy


@case((2.0,), (10.0,), (0.25,))
def newton_sqrt(x):
    g = x if x > 1.0 else 1.0
    it = 0
    while it < 100:
        nxt = 0.5 * (g + x / g)
        if abs(nxt - g) < 1e-15 * g:
            g = nxt
            break
        g = nxt
        it += 1
    return g, it


def _cubic(x):
    return x ** 3 - 2.0 * x - 5.0


@case((2.0, 3.0, 1e-12), (-5.0, 5.0, 1e-6))
def bisection(lo, hi, tol):
    flo = _cubic(lo)
    n = 0
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        fm = _cubic(mid)
        if (fm < 0.0) == (flo < 0.0):
            lo, flo = mid, fm
        else:
            hi = mid
        n += 1
    return 0.5 * (lo + hi), n


@case((1.0, 1e-14, 50), (3.0, 1e-10, 5))
def secant_method(x0, tol, max_iter):
    x1 = x0 + 0.1
    f0, f1 = _cubic(x0), _cubic(x1)
    for i in range(max_iter):
        if f1 == f0:
            break
        x2 = x1 - f1 * (x1 - x0) / (f1 - f0)
        x0, f0 = x1, f1
        x1, f1 = x2, _cubic(x2)
        if abs(x1 - x0) < tol:
            return x1, i
    return x1, -1


@case((f7, 0.3), (f50, -1.5), (f50_32, 2.0))
def horner_array(coeffs, x):
    out = 0.0
    for c in coeffs:
        out = out * x + c
    deriv = 0.0
    n = coeffs.shape[0]
    for k in range(n - 1):
        deriv = deriv * x + coeffs[k] * (n - 1 - k)
    return out, deriv


@case((spd4, rhs4))
def lu_solve_no_pivot(a, b):
    n = a.shape[0]
    lu = a.copy()
    for k in range(n):
        for i in range(k + 1, n):
            lu[i, k] /= lu[k, k]
            for j in range(k + 1, n):
                lu[i, j] -= lu[i, k] * lu[k, j]
    y = b.copy()
    for i in range(n):
        for j in range(i):
            y[i] -= lu[i, j] * y[j]
    x = y.copy()
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            x[i] -= lu[i, j] * x[j]
        x[i] /= lu[i, i]
    return lu, x


@case((spd4,))
def cholesky_by_hand(a):
    n = a.shape[0]
    low = np.zeros_like(a)
    for i in range(n):
        for j in range(i + 1):
            s = a[i, j]
            for k in range(j):
                s -= low[i, k] * low[j, k]
            if i == j:
                low[i, j] = math.sqrt(s)
            else:
                low[i, j] = s / low[j, j]
    return low


@case((spd4, rhs4, 1e-12, 200))
def gauss_seidel(a, b, tol, max_iter):
    n = b.shape[0]
    x = np.zeros(n)
    for it in range(max_iter):
        change = 0.0
        for i in range(n):
            s = b[i]
            for j in range(n):
                if j != i:
                    s -= a[i, j] * x[j]
            new = s / a[i, i]
            change = max(change, abs(new - x[i]))
            x[i] = new
        if change < tol:
            return x, it
    return x, -1


@case((spd4, rhs4))
def matvec_and_residual(a, x):
    n, m = a.shape
    y = np.zeros(n)
    for i in range(n):
        acc = 0.0
        for j in range(m):
            acc += a[i, j] * x[j]
        y[i] = acc
    r = y - a @ x
    return y, np.abs(r).max() < 1e-12


@case((spd4, 100))
def power_method_rayleigh(a, iters):
    n = a.shape[0]
    v = np.ones(n) / math.sqrt(n)
    lam = 0.0
    for _ in range(iters):
        w = np.zeros(n)
        for i in range(n):
            for j in range(n):
                w[i] += a[i, j] * v[j]
        norm = math.sqrt(np.sum(w * w))
        v = w / norm
        lam = 0.0
        for i in range(n):
            for j in range(n):
                lam += v[i] * a[i, j] * v[j]
    return lam, v


@case((20, 50, 0.2), (5, 3, 0.5))
def heat_explicit(n, steps, alpha):
    u = np.zeros(n)
    u[n // 2] = 100.0
    new = np.empty(n)
    for _ in range(steps):
        new[0] = 0.0
        new[n - 1] = 0.0
        for i in range(1, n - 1):
            new[i] = u[i] + alpha * (u[i - 1] - 2.0 * u[i] + u[i + 1])
        u, new = new, u
    return u


@case((12, 30))
def heat_2d_slices(n, steps):
    u = np.zeros((n, n))
    u[0, :] = 1.0
    for _ in range(steps):
        u[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
    return u


# ----------------------------------------------------------------------- images and grids


@case((image8,), (image5_32,))
def gaussian_blur_clamped(img):
    h, w = img.shape
    k = np.outer(np.array([1.0, 2.0, 1.0]), np.array([1.0, 2.0, 1.0])) / 16.0
    out = np.zeros((h, w))
    for i in range(h):
        for j in range(w):
            acc = 0.0
            for di in range(-1, 2):
                for dj in range(-1, 2):
                    y = min(max(i + di, 0), h - 1)
                    x = min(max(j + dj, 0), w - 1)
                    acc += k[di + 1, dj + 1] * img[y, x]
            out[i, j] = acc
    return out


@case((image8,), (image_u8,))
def sobel_magnitude(img):
    h, w = img.shape
    out = np.zeros((h, w))
    for i in range(1, h - 1):
        for j in range(1, w - 1):
            gx = (float(img[i - 1, j + 1]) + 2.0 * img[i, j + 1] + img[i + 1, j + 1]
                  - img[i - 1, j - 1] - 2.0 * img[i, j - 1] - img[i + 1, j - 1])
            gy = (float(img[i + 1, j - 1]) + 2.0 * img[i + 1, j] + img[i + 1, j + 1]
                  - img[i - 1, j - 1] - 2.0 * img[i - 1, j] - img[i - 1, j + 1])
            out[i, j] = math.sqrt(gx * gx + gy * gy)
    return out


@case((image8, 2.5, 3.25), (image8, 0.0, 0.0), (image5_32, 3.9, 1.1))
def bilinear_sample(img, y, x):
    h, w = img.shape
    y0 = int(math.floor(y))
    x0 = int(math.floor(x))
    y1 = min(y0 + 1, h - 1)
    x1 = min(x0 + 1, w - 1)
    fy = y - y0
    fx = x - x0
    top = img[y0, x0] * (1.0 - fx) + img[y0, x1] * fx
    bottom = img[y1, x0] * (1.0 - fx) + img[y1, x1] * fx
    return top * (1.0 - fy) + bottom * fy


@case((image8, 13, 5))
def resize_bilinear(img, out_h, out_w):
    h, w = img.shape
    out = np.empty((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            y = i * (h - 1) / (out_h - 1)
            x = j * (w - 1) / (out_w - 1)
            y0, x0 = int(y), int(x)
            y1, x1 = min(y0 + 1, h - 1), min(x0 + 1, w - 1)
            fy, fx = y - y0, x - x0
            out[i, j] = ((1 - fy) * ((1 - fx) * img[y0, x0] + fx * img[y0, x1])
                         + fy * ((1 - fx) * img[y1, x0] + fx * img[y1, x1]))
    return out


@case((image_u8,))
def histogram_equalize(img):
    hist = np.zeros(256, dtype=np.int64)
    for v in img.ravel():
        hist[v] += 1
    cdf = np.cumsum(hist)
    nonzero = cdf[cdf > 0]
    cdf_min = nonzero[0]
    total = img.size
    out = np.empty_like(img)
    h, w = img.shape
    for i in range(h):
        for j in range(w):
            out[i, j] = np.uint8(round((cdf[img[i, j]] - cdf_min) * 255 / (total - cdf_min)))
    return out, hist


@case((image8,), (image_u8,))
def integral_image(img):
    h, w = img.shape
    s = np.zeros((h + 1, w + 1))
    for i in range(h):
        row = 0.0
        for j in range(w):
            row += img[i, j]
            s[i + 1, j + 1] = s[i, j + 1] + row
    box = s[h, w] - s[0, w] - s[h, 0] + s[0, 0]
    return s, box


@case((image8,))
def median_filter_3x3(img):
    h, w = img.shape
    out = img.copy()
    win = np.empty(9)
    for i in range(1, h - 1):
        for j in range(1, w - 1):
            k = 0
            for di in range(-1, 2):
                for dj in range(-1, 2):
                    win[k] = img[i + di, j + dj]
                    k += 1
            win.sort()
            out[i, j] = win[4]
    return out


@case((-0.8, 0.156, 24, 32, 50), (0.285, 0.01, 10, 10, 100))
def julia_set(cr, ci, h, w, max_iter):
    out = np.zeros((h, w), dtype=np.int32)
    for i in range(h):
        for j in range(w):
            z = complex(-1.5 + 3.0 * j / w, -1.0 + 2.0 * i / h)
            c = complex(cr, ci)
            n = 0
            while n < max_iter and z.real * z.real + z.imag * z.imag <= 4.0:
                z = z * z + c
                n += 1
            out[i, j] = n
    return out


@case((30, 20, 40))
def mandelbrot_float_only(w, h, max_iter):
    out = np.empty((h, w), dtype=np.int64)
    for py in range(h):
        y0 = -1.2 + 2.4 * py / h
        for px in range(w):
            x0 = -2.2 + 3.2 * px / w
            x = y = 0.0
            it = 0
            while x * x + y * y < 4.0 and it < max_iter:
                x, y = x * x - y * y + x0, 2.0 * x * y + y0
                it += 1
            out[py, px] = it
    return out


@case((12, 10, 5))
def life_torus(n, m, steps):
    board = np.zeros((n, m), dtype=np.uint8)
    board[1, 2] = board[2, 3] = board[3, 1] = board[3, 2] = board[3, 3] = 1
    nxt = np.zeros_like(board)
    for _ in range(steps):
        for i in range(n):
            for j in range(m):
                live = 0
                for di in (-1, 0, 1):
                    for dj in (-1, 0, 1):
                        if di != 0 or dj != 0:
                            live += board[(i + di) % n, (j + dj) % m]
                nxt[i, j] = 1 if live == 3 or (live == 2 and board[i, j]) else 0
        board, nxt = nxt, board
    return board


@case((0, 0, 7, 3, 8), (5, 1, 0, 6, 8), (2, 2, 2, 2, 4))
def bresenham_line(x0, y0, x1, y1, size):
    grid = np.zeros((size, size), dtype=np.int64)
    dx = abs(x1 - x0)
    dy = -abs(y1 - y0)
    sx = 1 if x0 < x1 else -1
    sy = 1 if y0 < y1 else -1
    err = dx + dy
    while True:
        grid[y0, x0] = 1
        if x0 == x1 and y0 == y1:
            break
        e2 = 2 * err
        if e2 >= dy:
            err += dy
            x0 += sx
        if e2 <= dx:
            err += dx
            y0 += sy
    return grid


# ------------------------------------------------------------------- statistics and geometry


@case((f50,), (f50_32,), (i40,), (f7,))
def welford(a):
    n = 0
    mean = 0.0
    m2 = 0.0
    for x in a:
        n += 1
        d = x - mean
        mean += d / n
        m2 += d * (x - mean)
    var = m2 / (n - 1) if n > 1 else 0.0
    two_pass = np.sum((a - a.mean()) ** 2) / (n - 1) if n > 1 else 0.0
    return mean, var, abs(var - two_pass) < 1e-9 * (1.0 + abs(var))


@case((f50, 5), (i40, 3), (f50, 1))
def moving_average_window(a, k):
    n = a.shape[0]
    out = np.empty(n - k + 1)
    s = 0.0
    for i in range(k):
        s += a[i]
    out[0] = s / k
    for i in range(k, n):
        s += a[i] - a[i - k]
        out[i - k + 1] = s / k
    cum = np.empty(n)
    acc = 0.0
    for i in range(n):
        acc += a[i]
        cum[i] = acc / (i + 1)
    return out, cum


@case((vecs5x8,))
def cosine_similarity_matrix(v):
    n = v.shape[0]
    norms = np.empty(n)
    for i in range(n):
        norms[i] = math.sqrt(np.dot(v[i], v[i]))
    sim = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            sim[i, j] = np.dot(v[i], v[j]) / (norms[i] * norms[j])
    return sim


@case((pts30,), (pts12_3,))
def pairwise_distance_matrix(p):
    n, d = p.shape
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            s = 0.0
            for k in range(d):
                t = p[i, k] - p[j, k]
                s += t * t
            out[i, j] = out[j, i] = math.sqrt(s)
    return out


@case((f50,), (f7,), (f50_32,))
def stable_softmax_loop(x):
    m = x[0]
    for v in x:
        if v > m:
            m = v
    e = np.empty(x.shape[0])
    s = 0.0
    for i in range(x.shape[0]):
        e[i] = math.exp(x[i] - m)
        s += e[i]
    return e / s, m + math.log(s)


@case((f50, 10), (f50_32, 4), (i40, 7))
def histogram_fixed_bins(a, bins):
    lo, hi = a.min(), a.max()
    counts = np.zeros(bins, dtype=np.int64)
    width = (hi - lo) / bins
    for x in a:
        k = int((x - lo) / width)
        if k == bins:
            k -= 1
        counts[k] += 1
    return counts


@case((pts30, 3, 4), (pts12_3, 2, 3))
def kmeans_lloyd(points, k, iters):
    n, d = points.shape
    centers = points[:k].copy()
    labels = np.zeros(n, dtype=np.int64)
    for _ in range(iters):
        for i in range(n):
            best, best_d = 0, INF
            for c in range(k):
                dist = 0.0
                for j in range(d):
                    dist += (points[i, j] - centers[c, j]) ** 2
                if dist < best_d:
                    best, best_d = c, dist
            labels[i] = best
        sums = np.zeros((k, d))
        counts = np.zeros(k)
        for i in range(n):
            sums[labels[i]] += points[i]
            counts[labels[i]] += 1
        for c in range(k):
            if counts[c] > 0:
                centers[c] = sums[c] / counts[c]
    return centers, labels


@case((polygon,))
def shoelace_and_centroid(p):
    n = p.shape[0]
    area = 0.0
    cx = cy = 0.0
    for i in range(n):
        j = (i + 1) % n
        cross = p[i, 0] * p[j, 1] - p[j, 0] * p[i, 1]
        area += cross
        cx += (p[i, 0] + p[j, 0]) * cross
        cy += (p[i, 1] + p[j, 1]) * cross
    area *= 0.5
    return area, cx / (6.0 * area), cy / (6.0 * area)


@case((polygon, 2.0, 2.0), (polygon, 6.0, 1.0), (polygon, -0.5, 2.9))
def point_in_polygon(p, x, y):
    inside = False
    n = p.shape[0]
    j = n - 1
    for i in range(n):
        xi, yi = p[i, 0], p[i, 1]
        xj, yj = p[j, 0], p[j, 1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


@case((pts30,), (pts12_3,))
def nbody_energy(pos):
    n, d = pos.shape
    mass = np.linspace(1.0, 2.0, n)
    vel = np.zeros_like(pos)
    acc = np.zeros_like(pos)
    dt = 0.001
    for _ in range(3):
        acc[:] = 0.0
        for i in range(n):
            for j in range(n):
                if i != j:
                    r = pos[j] - pos[i]
                    dist = math.sqrt(np.sum(r * r) + 0.01)
                    acc[i] += mass[j] * r / dist ** 3
        vel += acc * dt
        pos += vel * dt
    kinetic = 0.5 * np.sum(mass * np.sum(vel * vel, axis=1))
    return kinetic, pos


@case((0.05, 0.2, 1.0, 100.0, 95.0), (0.01, 0.5, 0.25, 50.0, 60.0))
def black_scholes_put_greeks(r, sigma, t, s, k):
    sq = sigma * math.sqrt(t)
    d1 = (math.log(s / k) + (r + 0.5 * sigma * sigma) * t) / sq
    d2 = d1 - sq
    nd1 = 0.5 * (1.0 + math.erf(d1 / math.sqrt(2.0)))
    nd2 = 0.5 * (1.0 + math.erf(d2 / math.sqrt(2.0)))
    put = k * math.exp(-r * t) * (1.0 - nd2) - s * (1.0 - nd1)
    pdf = math.exp(-0.5 * d1 * d1) / math.sqrt(2.0 * math.pi)
    delta = nd1 - 1.0
    gamma = pdf / (s * sq)
    vega = s * pdf * math.sqrt(t)
    return put, delta, gamma, vega


@case((13, 100.0, 0.05, 0.2, 1.0, 12, 400))
def monte_carlo_asian_option(seed, s0, r, sigma, t, steps, paths):
    np.random.seed(seed)
    dt = t / steps
    drift = (r - 0.5 * sigma * sigma) * dt
    vol = sigma * math.sqrt(dt)
    payoff = 0.0
    for _ in range(paths):
        s = s0
        avg = 0.0
        for _ in range(steps):
            s *= math.exp(drift + vol * np.random.standard_normal())
            avg += s
        avg /= steps
        payoff += max(avg - s0, 0.0)
    return math.exp(-r * t) * payoff / paths


@case((f50, 0.3), (f7, 0.9))
def exponential_smoothing(a, alpha):
    out = np.empty(a.shape[0])
    level = a[0]
    for i in range(a.shape[0]):
        level = alpha * a[i] + (1.0 - alpha) * level
        out[i] = level
    return out


@case((i40,), (text_a,))
def run_length_encode(a):
    n = a.shape[0]
    values = np.empty(n, dtype=a.dtype)
    lengths = np.empty(n, dtype=np.int64)
    k = 0
    i = 0
    while i < n:
        j = i
        while j < n and a[j] == a[i]:
            j += 1
        values[k] = a[i]
        lengths[k] = j - i
        k += 1
        i = j
    return values[:k], lengths[:k]


@case((f50,), (i40,))
def inversion_count(a):
    n = a.shape[0]
    count = 0
    for i in range(n):
        for j in range(i + 1, n):
            if a[i] > a[j]:
                count += 1
    return count


@case((8,), (1,), (20,))
def spiral_matrix(n):
    m = np.zeros((n, n), dtype=np.int32)
    top, bottom, left, right = 0, n - 1, 0, n - 1
    k = 1
    while top <= bottom and left <= right:
        for j in range(left, right + 1):
            m[top, j] = k
            k += 1
        top += 1
        for i in range(top, bottom + 1):
            m[i, right] = k
            k += 1
        right -= 1
        if top <= bottom:
            for j in range(right, left - 1, -1):
                m[bottom, j] = k
                k += 1
            bottom -= 1
        if left <= right:
            for i in range(bottom, top - 1, -1):
                m[i, left] = k
                k += 1
            left += 1
    return m


# ------------------------------------------------------------- bit tricks, FFT, sparse, puzzles


@case((1, 10), (123456789, 50))
def xorshift64_stream(seed, n):
    x = np.uint64(seed)
    out = np.empty(n, dtype=np.uint64)
    for i in range(n):
        x ^= x << np.uint64(13)
        x ^= x >> np.uint64(7)
        x ^= x << np.uint64(17)
        out[i] = x
    return out


@case((42, 20), (0, 5))
def lcg_uniforms(seed, n):
    state = seed
    out = np.empty(n)
    for i in range(n):
        state = (1103515245 * state + 12345) & 0x7FFFFFFF
        out[i] = state / 2147483648.0
    return out


def hello_u8():
    return np.frombuffer(b"hello", dtype=np.uint8).copy()


@gap("scalars: an int constant above int64's range (Numba types it uint64)", (hello_u8,))
def fnv1a_hash(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h ^= int(byte)
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def signal16():
    t = np.arange(16.0)
    return np.sin(2 * np.pi * t / 8.0) + 0.5 * np.cos(2 * np.pi * 3 * t / 16.0) + 0j


@case((signal16,))
def fft_radix2(x):
    n = x.shape[0]
    a = x.copy()
    j = 0
    for i in range(1, n):
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j ^= bit
        if i < j:
            a[i], a[j] = a[j], a[i]
    length = 2
    while length <= n:
        w_len = complex(math.cos(-2 * math.pi / length), math.sin(-2 * math.pi / length))
        for start in range(0, n, length):
            w = 1 + 0j
            for k in range(length // 2):
                u = a[start + k]
                v = a[start + k + length // 2] * w
                a[start + k] = u + v
                a[start + k + length // 2] = u - v
                w *= w_len
        length <<= 1
    return a


@case((signal16,))
def naive_dft(x):
    n = x.shape[0]
    out = np.zeros(n, dtype=np.complex128)
    for k in range(n):
        s = 0j
        for t in range(n):
            s += x[t] * cmath.exp(-2j * cmath.pi * k * t / n)
        out[k] = s
    return out


def csr_data():
    return np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])


def csr_indices():
    return np.array([0, 2, 1, 0, 2, 3], dtype=np.int32)


def csr_indptr():
    return np.array([0, 2, 3, 5, 6], dtype=np.int32)


def dense4():
    return np.array([1.0, -1.0, 2.0, 0.5])


@case((csr_data, csr_indices, csr_indptr, dense4))
def csr_matvec(data, indices, indptr, x):
    n = indptr.shape[0] - 1
    y = np.zeros(n)
    for row in range(n):
        s = 0.0
        for k in range(indptr[row], indptr[row + 1]):
            s += data[k] * x[indices[k]]
        y[row] = s
    return y


def sudoku4():
    return np.array([[1, 0, 0, 0], [0, 0, 3, 0], [0, 4, 0, 0], [0, 0, 0, 2]], dtype=np.int64)


def _sudoku_ok(b, r, c, v):
    n = b.shape[0]
    box = int(math.isqrt(n))
    for k in range(n):
        if b[r, k] == v or b[k, c] == v:
            return False
    r0, c0 = r - r % box, c - c % box
    for i in range(r0, r0 + box):
        for j in range(c0, c0 + box):
            if b[i, j] == v:
                return False
    return True


def _sudoku_solve(b):
    n = b.shape[0]
    for r in range(n):
        for c in range(n):
            if b[r, c] == 0:
                for v in range(1, n + 1):
                    if _sudoku_ok(b, r, c, v):
                        b[r, c] = v
                        if _sudoku_solve(b):
                            return True
                        b[r, c] = 0
                return False
    return True


@case((sudoku4,))
def sudoku_backtrack(board):
    ok = _sudoku_solve(board)
    return ok, board.sum()


def _hanoi(n, src, dst, via, moves):
    if n == 0:
        return 0
    count = _hanoi(n - 1, src, via, dst, moves)
    moves[src, dst] += 1
    count += 1
    return count + _hanoi(n - 1, via, dst, src, moves)


@case((1,), (5,), (10,))
def tower_of_hanoi(n):
    moves = np.zeros((3, 3), dtype=np.int32)
    return _hanoi(n, 0, 2, 1, moves), moves


def _fib_pair(n):
    if n == 0:
        return 0, 1
    a, b = _fib_pair(n // 2)
    c = a * (2 * b - a)
    d = a * a + b * b
    if n % 2 == 0:
        return c, d
    return d, c + d


@case((0,), (10,), (90,))
def fast_doubling_fib(n):
    return _fib_pair(n)[0]


@case((-7, 3), (7, -3), (-7, -3), (0, 5))
def int_div_mod_signs(a, b):
    arr = np.arange(a - 1, a + 2).astype(np.int32)
    q = np.empty(3, dtype=np.int32)
    r = np.empty(3, dtype=np.int32)
    for i in range(3):
        q[i] = arr[i] // b
        r[i] = arr[i] % b
    return q, r, divmod(a, b), a // b, a % b


@case((2.5,), (-2.5,), (3.5,), (-0.4999,), (1e10 + 0.5,))
def rounding_modes(x):
    return (round(x), int(x), math.floor(x), math.ceil(x), math.trunc(x), round(x, 2),
            np.round(x), np.floor(x))


@case((f50,), (i40_32,))
def monotone_stack_next_greater(a):
    n = a.shape[0]
    res = np.full(n, -1, dtype=np.int64)
    stack = np.empty(n, dtype=np.int64)
    top = 0
    for i in range(n):
        while top > 0 and a[stack[top - 1]] < a[i]:
            top -= 1
            res[stack[top]] = i
        stack[top] = i
        top += 1
    return res


@case((pts30,))
def convex_hull_monotone(points):
    order = np.argsort(points[:, 0] * 1e6 + points[:, 1])
    p = points[order]
    n = p.shape[0]
    hull = np.empty(2 * n, dtype=np.int64)
    k = 0
    for i in range(n):
        while k >= 2 and ((p[hull[k - 1], 0] - p[hull[k - 2], 0]) * (p[i, 1] - p[hull[k - 2], 1])
                          - (p[hull[k - 1], 1] - p[hull[k - 2], 1]) * (p[i, 0] - p[hull[k - 2], 0])) <= 0:
            k -= 1
        hull[k] = i
        k += 1
    lower = k + 1
    for i in range(n - 2, -1, -1):
        while k >= lower and ((p[hull[k - 1], 0] - p[hull[k - 2], 0]) * (p[i, 1] - p[hull[k - 2], 1])
                              - (p[hull[k - 1], 1] - p[hull[k - 2], 1]) * (p[i, 0] - p[hull[k - 2], 0])) <= 0:
            k -= 1
        hull[k] = i
        k += 1
    return order[hull[:k - 1]]


@case((i40,), (i40_32,), (text_a,))
def two_sum_sorted_pairs(a):
    s = np.sort(a)
    target = s[0] + s[-1] + 1
    i, j = 0, s.shape[0] - 1
    count = 0
    while i < j:
        t = s[i] + s[j]
        if t == target:
            count += 1
            i += 1
            j -= 1
        elif t < target:
            i += 1
        else:
            j -= 1
    return count, target


@case((30, 3), (7, 2))
def josephus(n, k):
    alive = np.ones(n, dtype=np.bool_)
    order = np.empty(n, dtype=np.int64)
    pos = -1
    for out in range(n):
        steps = 0
        while steps < k:
            pos = (pos + 1) % n
            if alive[pos]:
                steps += 1
        alive[pos] = False
        order[out] = pos
    return order


@case((image8,), (image5_32,))
def bilinear_upsample_2x(img):
    h, w = img.shape
    out = np.zeros((2 * h - 1, 2 * w - 1), dtype=img.dtype)
    out[::2, ::2] = img
    out[1::2, ::2] = 0.5 * (img[:-1, :] + img[1:, :])
    out[::2, 1::2] = 0.5 * (img[:, :-1] + img[:, 1:])
    out[1::2, 1::2] = 0.25 * (img[:-1, :-1] + img[1:, :-1] + img[:-1, 1:] + img[1:, 1:])
    return out


@case((i40,), (i40_32,), (pos_i64,))
def int_array_reductions_by_hand(a):
    acc32 = np.int32(0)
    prod = 1
    xor = 0
    big = a[0]
    for v in a:
        acc32 += np.int32(v)
        prod = (prod * int(v)) % 1000003
        xor ^= int(v)
        big = max(big, v)
    return acc32, prod, xor, big


@case((0.1, 500), (0.9, 50))
def lotka_volterra_euler(dt, steps):
    prey, pred = 10.0, 5.0
    a, b, c, d = 1.1, 0.4, 0.4, 0.1
    hist = np.empty((steps, 2))
    for i in range(steps):
        dprey = a * prey - b * prey * pred
        dpred = d * prey * pred - c * pred
        prey += dt * dprey * 0.01
        pred += dt * dpred * 0.01
        hist[i, 0], hist[i, 1] = prey, pred
    return hist


@case((8, 1.0, 0.25), (3, 0.5, 0.5))
def wave_equation_1d(n, c, courant):
    u_prev = np.zeros(n)
    u = np.zeros(n)
    for i in range(n):
        u[i] = math.sin(math.pi * i / (n - 1))
    u_prev[:] = u
    r2 = (c * courant) ** 2
    for _ in range(20):
        u_next = np.zeros(n)
        for i in range(1, n - 1):
            u_next[i] = 2 * u[i] - u_prev[i] + r2 * (u[i + 1] - 2 * u[i] + u[i - 1])
        u_prev, u = u, u_next
    return u


# --------------------------------------------------- callees, closures, errors, random helpers


def _clamp(x, lo=0.0, hi=1.0):
    return lo if x < lo else hi if x > hi else x


@case((f50,), (f7,))
def normalize_with_defaults(a):
    lo, hi = a.min(), a.max()
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = _clamp((a[i] - lo) / (hi - lo) * 1.2 - 0.1)
        out[i] += _clamp(a[i], hi=0.5, lo=-0.5)
    return out


@case((pts30, 2.0), (pts12_3, 0.3))
def neighbours_within(points, radius):
    r2 = radius * radius

    def close(i, j):
        s = 0.0
        for k in range(points.shape[1]):
            s += (points[i, k] - points[j, k]) ** 2
        return s <= r2

    n = points.shape[0]
    counts = np.zeros(n, dtype=np.int64)
    for i in range(n):
        for j in range(n):
            if i != j and close(i, j):
                counts[i] += 1
    return counts


@case((f50, 3.0), (f50, 0.0), (i40, 7))
def safe_ratios(a, d):
    out = np.empty(a.shape[0])
    failures = 0
    for i in range(a.shape[0]):
        try:
            out[i] = float(a[i]) / (d - i % 4)
        except ZeroDivisionError:
            out[i] = 0.0
            failures += 1
    return out, failures


@case((f7, 3), (f7, 0), (f7, 9), messages=True)
def checked_window_mean(a, k):
    if k <= 0:
        raise ValueError("window must be positive")
    if k > a.shape[0]:
        raise IndexError("window longer than the data")
    out = np.empty(a.shape[0] - k + 1)
    for i in range(out.shape[0]):
        out[i] = a[i:i + k].mean()
    return out


@case((f50,), (i40,))
def first_negative_pair(a):
    n = a.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            if a[i] < 0 and a[j] < 0 and a[i] + a[j] < -15:
                return i, j
    return -1, -1


@case((pos_i64,), (text_a,))
def first_prime_or_none(a):
    for v in a:
        if v < 2:
            continue
        for d in range(2, int(math.sqrt(v)) + 1):
            if v % d == 0:
                break
        else:
            return v
    return -1


@case((5, 20), (17, 8))
def shuffle_and_permute(seed, n):
    np.random.seed(seed)
    a = np.arange(n)
    np.random.shuffle(a)
    p = np.random.permutation(n)
    r = np.random.randint(0, 10, n)
    return a, p, r


@case((9, 1000))
def dice_histogram(seed, rolls):
    np.random.seed(seed)
    counts = np.zeros(13, dtype=np.int64)
    for _ in range(rolls):
        counts[np.random.randint(1, 7) + np.random.randint(1, 7)] += 1
    return counts


@case((3, 200, 0.3))
def metropolis_gaussian(seed, n, step):
    np.random.seed(seed)
    x = 0.0
    samples = np.empty(n)
    accepted = 0
    for i in range(n):
        proposal = x + step * (2.0 * np.random.random() - 1.0)
        if np.random.random() < math.exp(-0.5 * (proposal * proposal - x * x)):
            x = proposal
            accepted += 1
        samples[i] = x
    return samples, accepted


@case((f50,), (f7,))
def zip_reversed_horner(a):
    b = a[::-1].copy()
    s = 0.0
    for i, (x, y) in enumerate(zip(a, b)):
        s += i * x - y
    t = 0.0
    for i in reversed(range(a.shape[0])):
        t = t * 0.5 + a[i]
    return s, t


@case((3, 4), (1, 1), (5, 0))
def math_combinatorics(n, k):
    return (math.comb(n + k, k), math.factorial(n), math.perm(n + k, k), math.hypot(n, k),
            math.atan2(k, n), math.isclose(n * 0.1 * 3, n * 0.3), math.fsum([0.1] * (n + 1)))


def cube234():
    return np.arange(24.0).reshape(2, 3, 4)


@case((cube234,))
def volume_smoothing_3d(v):
    nz, ny, nx = v.shape
    out = np.zeros_like(v)
    for z in range(nz):
        for y in range(ny):
            for x in range(nx):
                total = 0.0
                count = 0
                for dz in (-1, 0, 1):
                    for dy in (-1, 0, 1):
                        for dx in (-1, 0, 1):
                            zz, yy, xx = z + dz, y + dy, x + dx
                            if 0 <= zz < nz and 0 <= yy < ny and 0 <= xx < nx:
                                total += v[zz, yy, xx]
                                count += 1
                out[z, y, x] = total / count
    return out


@case((spd4,), (image8,))
def row_normalize_inplace(m):
    for i in range(m.shape[0]):
        row = m[i, :]
        s = np.abs(row).sum()
        if s > 0:
            m[i, :] /= s
    m[:, 0] += 1.0
    return m.T.sum(axis=1)


@case((f50, 4), (i40, 2))
def bootstrap_mean_ci(a, seed):
    np.random.seed(seed)
    n = a.shape[0]
    means = np.empty(200)
    for b in range(200):
        s = 0.0
        for _ in range(n):
            s += a[np.random.randint(0, n)]
        means[b] = s / n
    means.sort()
    return means[5], means[194]


# ------------------------------------------------------------ mutual recursion, memo, float32

G_WEIGHTS = (0.2, 0.3, 0.5)
G_LOOKUP = np.array([1, 1, 2, 6, 24, 120, 720], dtype=np.int64)


def _is_even(n):
    return True if n == 0 else _is_odd(n - 1)


def _is_odd(n):
    return False if n == 0 else _is_even(n - 1)


@case((0,), (7,), (30,))
def mutual_recursion_parity(n):
    count = 0
    for k in range(n + 1):
        if _is_even(k):
            count += 1
    return count, _is_odd(n)


def _ways(n, memo):
    if n <= 1:
        return 1
    if memo[n] >= 0:
        return memo[n]
    r = _ways(n - 1, memo) + _ways(n - 2, memo) + (_ways(n - 3, memo) if n >= 3 else 0)
    memo[n] = r
    return r


@case((3,), (25,), (60,))
def staircase_memo(n):
    memo = np.full(n + 1, -1, dtype=np.int64)
    return _ways(n, memo)


@case((f50,), (i40,))
def weighted_filter_global(a):
    n = a.shape[0]
    out = np.zeros(n)
    for i in range(2, n):
        for k in range(3):
            out[i] += G_WEIGHTS[k] * a[i - 2 + k]
    return out, G_LOOKUP[min(n, 6)] * 2


@case((f50_32,), (f50,))
def float32_accumulators(a):
    acc = np.zeros(3, dtype=np.float32)
    for i in range(a.shape[0]):
        acc[i % 3] += a[i]
        acc[0] = max(acc[0], np.float32(a[i]))
    centred = (a - a.mean()).astype(np.float32)
    return acc, centred, np.float32(2.5) * centred[0]


@case((f50,), (i40,))
def nan_inf_screening(a):
    b = a.astype(np.float64) / (a % 3)
    finite = 0
    nans = 0
    infs = 0
    for x in b:
        if math.isnan(x):
            nans += 1
        elif math.isinf(x):
            infs += 1
        else:
            finite += 1
    return finite, nans, infs, np.isfinite(b).sum()


@case((5, 3), (1, 1), (12, 4))
def int_power_table(n, m):
    t = np.zeros((n, m), dtype=np.int64)
    for i in range(n):
        for j in range(m):
            t[i, j] = (i - 2) ** j + 2 ** (i + j) - (-3) ** j
    return t, 2 ** -2, 10 ** 18 // 7


@case((pts30,), (pts12_3,))
def nearest_neighbour_index(p):
    n = p.shape[0]
    nn = np.empty(n, dtype=np.int64)
    for i in range(n):
        d = np.sum((p - p[i]) ** 2, axis=1)
        d[i] = np.inf
        nn[i] = np.argmin(d)
    return nn


@case((f50,), (f7,))
def min_max_mixed(a):
    lo = 0
    hi = 0
    for x in a:
        lo = min(lo, x, -1)
        hi = max(hi, x, 3)
    return lo, hi, min(3, 2.5), max(-1, 0.5)


@case((24,), (1,), (97,))
def divisors_and_totient(n):
    divs = np.zeros(n + 1, dtype=np.int64)
    k = 0
    for d in range(1, n + 1):
        if n % d == 0:
            divs[k] = d
            k += 1
    phi = n
    m = n
    p = 2
    while p * p <= m:
        if m % p == 0:
            while m % p == 0:
                m //= p
            phi -= phi // p
        p += 1
    if m > 1:
        phi -= phi // m
    return divs[:k], phi


@case((0.3, 1e-12), (2.0, 1e-8))
def fixed_point_cos(x, tol):
    it = 0
    while True:
        nxt = math.cos(x)
        it += 1
        if abs(nxt - x) < tol or it >= 1000:
            break
        x = nxt
    return nxt, it


@case((image8,), (image5_32,))
def max_pool_2x2(img):
    h, w = img.shape
    out = np.empty((h // 2, w // 2), dtype=img.dtype)
    for i in range(h // 2):
        for j in range(w // 2):
            out[i, j] = img[2 * i:2 * i + 2, 2 * j:2 * j + 2].max()
    return out


# -------------------------------------------------- blocked loops with bounds from the shapes


def m6x6():
    return (np.arange(36.0).reshape(6, 6) * 7.0) % 11.0


def m6x4():
    return (np.arange(24.0).reshape(6, 4) * 5.0) % 9.0 - 3.0


@case((m6x6, m6x4, 2), (m6x6, m6x4, 4))
def blocked_matmul(a, b, bs):
    n, k = a.shape
    m = b.shape[1]
    c = np.zeros((n, m))
    for i0 in range(0, n, bs):
        for k0 in range(0, k, bs):
            for j0 in range(0, m, bs):
                for i in range(i0, min(i0 + bs, n)):
                    for kk in range(k0, min(k0 + bs, k)):
                        aik = a[i, kk]
                        for j in range(j0, min(j0 + bs, m)):
                            c[i, j] += aik * b[kk, j]
    return c


@case((m6x4, 4), (image8, 3))
def tiled_transpose(a, tile):
    n, m = a.shape
    out = np.empty((m, n), dtype=a.dtype)
    for i0 in range(0, n, tile):
        for j0 in range(0, m, tile):
            for i in range(i0, min(i0 + tile, n)):
                for j in range(j0, min(j0 + tile, m)):
                    out[j, i] = a[i, j]
    return out


@case((f50, 4), (i40, 6))
def sliding_window_max(a, k):
    n = a.shape[0]
    out = np.empty(n - k + 1, dtype=a.dtype)
    for i in range(n - k + 1):
        out[i] = a[i:i + k].max()
    return out


@case((image8, 3), (m6x6, 2))
def im2col_patches(img, k):
    h, w = img.shape
    oh, ow = h - k + 1, w - k + 1
    cols = np.empty((oh * ow, k * k))
    for i in range(oh):
        for j in range(ow):
            cols[i * ow + j, :] = img[i:i + k, j:j + k].ravel()
    return cols


@case((image8,), (m6x6,))
def downsample_mean_2x(img):
    h, w = img.shape
    h2, w2 = h // 2, w // 2
    out = np.zeros((h2, w2))
    for i in range(h2):
        for j in range(w2):
            out[i, j] = img[2 * i:2 * i + 2, 2 * j:2 * j + 2].mean()
    for i in range(h // 2):
        out[i, w // 2 - 1] += img[2 * i, w - 1]
    return out


@case((m6x6,), (spd4,))
def symmetric_part_inplace(a):
    n = a.shape[0]
    half = n // 2
    for i in range(n):
        for j in range(i + 1, n):
            s = 0.5 * (a[i, j] + a[j, i])
            a[i, j] = s
            a[j, i] = s
    for i in range(half):
        a[i, i] = a[n - 1 - i, n - 1 - i]
    return a.trace()


@case((image8, 0), (image8, 1), (m6x4, 2))
def pooled_into_short_output(img, short):
    h, w = img.shape
    out = np.zeros((h // 2 - short, w // 2))
    for i in range(h // 2):
        for j in range(w // 2):
            out[i, j] = img[2 * i:2 * i + 2, 2 * j:2 * j + 2].max()
    return out


@case((f50,), (i40_32,), (i1,), (i0,))
def reverse_halves_inplace(a):
    n = len(a)
    for i in range(n // 2):
        a[i], a[n - 1 - i] = a[n - 1 - i], a[i]
    mid = n // 2
    for i in range(len(a) // 2):
        a[i] = a[i] + a[mid + i] if mid + i < n else a[i]
    return a


@case((m6x6,), (image8,), (m6x4,))
def checkerboard_sums(a):
    h, w = a.shape
    hh = h // 2
    out = np.zeros((2, w // 2))
    for r in range(2):
        for i in range(h // 2):
            for j in range(w // 2):
                out[r, j] += a[r * hh + i, 2 * j + (i + r) % 2]
    return out


@case((f50, 3), (i40, 5))
def strided_decimate(a, step):
    n = a.shape[0]
    m = (n + step - 1) // step
    out = np.empty(m, dtype=a.dtype)
    for i in range((n + step - 1) // step):
        out[i] = a[i * step]
    return out, a[::step].sum() == out.sum()


@case((m6x6,), (spd4,))
def anti_diagonal_sums(a):
    n = a.shape[0]
    out = np.zeros(2 * n - 1)
    for s in range(2 * n - 1):
        for i in range(max(0, s - n + 1), min(s, n - 1) + 1):
            out[s] += a[i, s - i]
    return out


@case((21, 500), (3, 10))
def inverse_cdf_sampling(seed, n):
    np.random.seed(seed)
    weights = np.array([0.1, 0.4, 0.2, 0.3])
    cdf = np.cumsum(weights)
    counts = np.zeros(4, dtype=np.int64)
    u = np.random.rand(n)
    for x in u:
        k = np.searchsorted(cdf, x * cdf[-1])
        counts[min(k, 3)] += 1
    return counts


@case((8, 300))
def queue_simulation(seed, customers):
    np.random.seed(seed)
    clock = 0.0
    free_at = 0.0
    waited = 0.0
    longest = 0.0
    for _ in range(customers):
        clock += np.random.exponential(1.0)
        start = max(clock, free_at)
        wait = start - clock
        waited += wait
        longest = max(longest, wait)
        free_at = start + np.random.exponential(0.8)
    return waited / customers, longest


@case((5, 50, 0.3))
def binomial_poisson_draws(seed, n, p):
    np.random.seed(seed)
    hits = 0
    events = 0
    for _ in range(n):
        hits += np.random.binomial(10, p)
        events += np.random.poisson(2.5)
    z = np.random.randn(n)
    return hits, events, z


@gap("arrays: a.flat", (m6x4,))
def count_positive_flat(a):
    s = 0
    for i in range(a.size):
        if a.flat[i] > 0:
            s += 1
    return s



@case((image8,), (image5_32,))
def sharpen_with_literal_kernel(img):
    k = np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]])
    h, w = img.shape
    out = np.zeros((h, w))
    for i in range(1, h - 1):
        for j in range(1, w - 1):
            acc = 0.0
            for di in range(3):
                for dj in range(3):
                    acc += k[di, dj] * img[i + di - 1, j + dj - 1]
            out[i, j] = min(max(acc, 0.0), 255.0)
    return out, np.var(img)
