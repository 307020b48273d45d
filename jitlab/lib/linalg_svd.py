"""`np.linalg`'s SVD and what rests on it (lstsq, pinv, matrix_rank, cond, the 2-norms), and
`norm`, in the Python subset jitlab compiles (see `linalg.py`).
"""
import math

import numpy as np
from numpy.linalg import LinAlgError

from .linalg import _column, _eps, _floats, _form_q, _householder, _identity, _transposed, _work


# -- SVD: one-sided Jacobi ----------------------------------------------------------------------
def _hestenes(w, vt, vectors):
    """Make the rows of the C array `w` (n×m) orthogonal by rotations of row pairs (one-sided
    Jacobi on the columns of wᵀ) until a sweep rotates nothing (|w_p·w_q| at most
    eps·‖w_p‖·‖w_q‖); with `vectors`, the rows of `vt` turn alike.  The squared row norms are
    computed at each sweep's start and updated by each rotation (‖w_p‖² - t·γ, ‖w_q‖² + t·γ)."""
    n = w.shape[0]
    m = w.shape[1]
    eps = _eps(np.ones(1, w.dtype)[0]) * 1.0
    norms = np.empty(n)
    for _sweep in range(100):
        rotated = False
        for p in range(n):
            acc = 0.0
            for k in range(m):
                acc += w[p, k] * w[p, k]
            norms[p] = acc
        for p in range(n - 1):
            for q in range(p + 1, n):
                alpha = norms[p]
                beta = norms[q]
                gamma = 0.0
                for k in range(m):
                    gamma += w[p, k] * w[q, k]
                if gamma == 0 or abs(gamma) <= eps * math.sqrt(alpha * beta):
                    continue
                rotated = True
                zeta = (beta - alpha) / (2.0 * gamma)
                t = 1.0 / (abs(zeta) + math.sqrt(1.0 + zeta * zeta))
                if zeta < 0:
                    t = -t
                c = 1.0 / math.sqrt(1.0 + t * t)
                s = c * t
                norms[p] = max(alpha - t * gamma, 0.0)  # rounding must not make it negative
                norms[q] = max(beta + t * gamma, 0.0)
                for k in range(m):
                    wp = w[p, k]
                    wq = w[q, k]
                    w[p, k] = c * wp - s * wq
                    w[q, k] = s * wp + c * wq
                if vectors:
                    for k in range(n):
                        vp = vt[p, k]
                        vq = vt[q, k]
                        vt[p, k] = c * vp - s * vq
                        vt[q, k] = s * vp + c * vq
        if not rotated:
            break


def _fill_orthonormal(u, ok):
    """Replace the columns of `u` whose `ok` is False by unit vectors orthogonal to all others:
    the unit vector e_i least represented in the columns so far (smallest row norm),
    orthogonalised twice."""
    m = u.shape[0]
    k = u.shape[1]
    rows = np.zeros(m)
    for i in range(m):
        for c in range(k):
            if ok[c]:
                rows[i] += u[i, c] * u[i, c]
    v = np.empty(m)
    for c in range(k):
        if ok[c]:
            continue
        best = 0
        for i in range(1, m):
            if rows[i] < rows[best]:
                best = i
        for i in range(m):
            v[i] = 0.0
        v[best] = 1.0
        for _twice in range(2):
            for d in range(k):
                if ok[d]:
                    dot = 0.0
                    for i in range(m):
                        dot += u[i, d] * v[i]
                    for i in range(m):
                        v[i] -= dot * u[i, d]
        size = 0.0
        for i in range(m):
            size += v[i] * v[i]
        size = math.sqrt(size)
        for i in range(m):
            u[i, c] = v[i] / size
            rows[i] += u[i, c] * u[i, c]
        ok[c] = True


def _svd_tall(x, vectors):
    """SVD of the C array `x` (m×n, m ≥ n): (U m×n, s descending, Vh n×n); a taller `x` is
    reduced to its n×n R by QR first."""
    m = x.shape[0]
    n = x.shape[1]
    tau = np.empty(n, x.dtype)
    if m > n:
        _householder(x, tau)
    w = np.zeros((n, n), x.dtype)  # Rᵀ (or xᵀ): its rows are R's columns
    for i in range(n):
        for j in range(i if m > n else 0, n):
            w[j, i] = x[i, j]
    vt = _identity(n, x)
    _hestenes(w, vt, vectors)
    sizes = np.empty(n)
    for p in range(n):
        acc = 0.0
        for k in range(n):
            acc += w[p, k] * w[p, k]
        sizes[p] = math.sqrt(acc)
    order = np.argsort(-sizes)
    s = np.empty(n, x.dtype)
    for c in range(n):
        s[c] = sizes[order[c]]
    if not vectors:
        return x[:0, :0].copy(), s, x[:0, :0].copy()
    ur = np.empty((n, n), x.dtype)
    vh = np.empty((n, n), x.dtype)
    ok = np.empty(n, np.bool_)
    for c in range(n):
        p = order[c]
        size = sizes[p]
        ok[c] = size > 0
        for k in range(n):
            ur[k, c] = w[p, k] / size if size > 0 else 0.0
            vh[c, k] = vt[p, k]
    _fill_orthonormal(ur, ok)
    if m > n:
        return _form_q(x, tau, n) @ ur, s, vh
    return ur, s, vh


def _svd(a, vectors, full):
    m = a.shape[0]
    n = a.shape[1]
    if m >= n:
        u, s, vh = _svd_tall(_work(a, _floats(a)), vectors)
        if full and vectors and m > n:
            u = _extended(u, m)
        return u, s, vh
    # a = (aᵀ)ᵀ = (U'·S·Vh')ᵀ = Vh'ᵀ·S·U'ᵀ
    u2, s, vh2 = _svd_tall(_work(a.T, _floats(a)), vectors)
    if not vectors:
        return u2, s, vh2
    if full:
        u2 = _extended(u2, n)
    return _transposed(vh2), s, _transposed(u2)


def _extended(u, cols):
    """`u` (m×k, orthonormal columns) with cols - k orthonormal columns added."""
    m = u.shape[0]
    k = u.shape[1]
    out = np.zeros((m, cols), u.dtype)
    ok = np.zeros(cols, np.bool_)
    for i in range(m):
        for c in range(k):
            out[i, c] = u[i, c]
    for c in range(k):
        ok[c] = True
    _fill_orthonormal(out, ok)
    return out


def svd_full(a):
    return _svd(a, True, True)


def svd_thin(a):
    return _svd(a, True, False)


def svdvals(a):
    return _svd(a, False, False)[1]


# -- least squares, pseudo-inverse, rank, condition ----------------------------------------------
def _cutoff_rank(s, cutoff):
    rank = 0
    for i in range(s.shape[0]):
        if s[i] > cutoff:
            rank += 1
    return rank


def _lstsq(a, b2, rcond):
    m = a.shape[0]
    n = a.shape[1]
    if b2.shape[0] != m:
        raise LinAlgError("Incompatible dimensions")
    like = _floats(a) * _floats(b2)
    x = _work(a, like)
    b = _work(b2, like)
    u, s, vh = _svd(x, True, False)
    if rcond is None:
        rc = _eps(np.ones(1, x.dtype)[0]) * max(m, n)
    else:
        rc = rcond * 1.0
    if rc < 0:
        rc = _eps(np.ones(1, x.dtype)[0])
    k = s.shape[0]
    cutoff = rc * s[0] if k > 0 else 0.0
    rank = _cutoff_rank(s, cutoff)
    nb = b.shape[1]
    # x = V·diag(1/s)·Uᵀ·b over the first `rank` singular values
    ub = np.zeros((rank, nb), x.dtype)
    for c in range(rank):
        for i in range(m):
            f = u[i, c]
            for j in range(nb):
                ub[c, j] += f * b[i, j]
        for j in range(nb):
            ub[c, j] /= s[c]
    sol = np.zeros((n, nb), x.dtype)
    for c in range(rank):
        for i in range(n):
            f = vh[c, i]
            for j in range(nb):
                sol[i, j] += f * ub[c, j]
    if rank == n and m > n:
        resid = np.zeros(nb, s.dtype)
        r = b - x @ sol
        for i in range(m):
            for j in range(nb):
                resid[j] += r[i, j] * r[i, j]
    else:
        resid = np.zeros(0, s.dtype)
    return sol, resid, rank, s


def lstsq(a, b, rcond):
    return _lstsq(a, b, rcond)


def lstsq_vector(a, b, rcond):
    sol, resid, rank, s = _lstsq(a, _column(b, _floats(b)), rcond)
    return sol.reshape(sol.shape[0]), resid, rank, s


def pinv(a, rcond):
    m = a.shape[0]
    n = a.shape[1]
    u, s, vh = _svd(a, True, False)
    if rcond is None:
        rc = 1e-15
    else:
        rc = rcond * 1.0
    k = s.shape[0]
    cutoff = rc * s[0] if k > 0 else 0.0
    out = np.zeros((n, m), s.dtype)
    for c in range(k):
        if s[c] > cutoff:
            inv_s = 1.0 / s[c]
            for i in range(n):
                f = vh[c, i] * inv_s
                for j in range(m):
                    out[i, j] += f * u[j, c]
    return out


def matrix_rank(a, tol, rtol):
    s = _svd(a, False, False)[1]
    if tol is None:
        if rtol is None:
            r = _eps(np.ones(1, s.dtype)[0]) * max(a.shape[0], a.shape[1])
        else:
            r = rtol * 1.0
        top = s[0] if s.shape[0] > 0 else 0.0
        return _cutoff_rank(s, top * r)
    return _cutoff_rank(s, tol * 1.0)


def matrix_rank_vector(a, tol, rtol):
    for i in range(a.shape[0]):
        if a[i] != 0:
            return 1
    return 0


def cond(a):
    s = _svd(a, False, False)[1]
    return s[0] / s[s.shape[0] - 1]


# -- norms ---------------------------------------------------------------------------------------
def _real_scalar(x, value):
    """`value` as a scalar of NumPy's norm dtype for `x` (float64 for ints, float32 for float32)."""
    out = np.abs(_floats(x))
    out[0] = value
    return out[0]


def norm_vector_2(x):
    acc = 0.0
    for i in range(x.shape[0]):
        v = abs(x[i]) * 1.0
        acc += v * v
    return _real_scalar(x, math.sqrt(acc))


def norm_vector_1(x):
    acc = 0.0
    for i in range(x.shape[0]):
        acc += abs(x[i]) * 1.0
    return _real_scalar(x, acc)


def norm_vector_inf(x):
    acc = 0.0
    for i in range(x.shape[0]):
        v = abs(x[i]) * 1.0
        if v > acc or v != v:
            acc = v
    return _real_scalar(x, acc)


def norm_vector_neginf(x):
    acc = np.inf
    for i in range(x.shape[0]):
        v = abs(x[i]) * 1.0
        if v < acc or v != v:
            acc = v
    return _real_scalar(x, acc)


def norm_vector_0(x):
    acc = 0.0
    for i in range(x.shape[0]):
        if x[i] != 0:
            acc += 1.0
    return _real_scalar(x, acc)


def norm_matrix_fro(x):
    acc = 0.0
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            v = abs(x[i, j]) * 1.0
            acc += v * v
    return _real_scalar(x, math.sqrt(acc))


def _line_sums(x, axis):
    """Sums of |x| along `axis` (0: per column, 1: per row), in float64."""
    out = np.zeros(x.shape[1 - axis])
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            if axis == 0:
                out[j] += abs(x[i, j])
            else:
                out[i] += abs(x[i, j])
    return out


def norm_matrix_1(x):
    return _real_scalar(x, _line_sums(x, 0).max())


def norm_matrix_neg1(x):
    return _real_scalar(x, _line_sums(x, 0).min())


def norm_matrix_inf(x):
    return _real_scalar(x, _line_sums(x, 1).max())


def norm_matrix_neginf(x):
    return _real_scalar(x, _line_sums(x, 1).min())


def norm_matrix_2(x):
    return _real_scalar(x, _svd(x, False, False)[1][0])


def norm_matrix_neg2(x):
    s = _svd(x, False, False)[1]
    return _real_scalar(x, s[s.shape[0] - 1])


def norm_matrix_nuc(x):
    return _real_scalar(x, _svd(x, False, False)[1].sum())
