"""`np.linalg`'s SVD and what rests on it (lstsq, pinv, matrix_rank, cond, the 2-norms), and
`norm`, in the Python subset jitlab compiles (see `linalg.py`).
"""
import math

import numpy as np
from numpy.linalg import LinAlgError

from .linalg import _adjoint, _column, _eps, _floats, _form_q, _larfg, _reflect_down, _work


# -- SVD: Golub-Kahan bidiagonalisation, implicit QR ----------------------------------------------
def _bidiagonalize(x, tauq, taup, d, e):
    """Householder reduction of the C array `x` (m×n, m ≥ n, real or complex) to the real upper
    bidiagonal Qᴴ·x·P (diagonal `d`, superdiagonal `e`) by LAPACK's reflectors (`_larfg`):
    reflector k from the left kept below x[k, k] (as in `_householder`), from the right kept
    right of x[k, k + 1] (v[k + 1] = 1 implied, taup[k + 1])."""
    m = x.shape[0]
    n = x.shape[1]
    for k in range(n):
        tauq[k] = _reflect_down(x, k, k)
        d[k] = np.real(x[k, k])
        if k >= n - 1:
            continue
        # from the right: the reflector of the conjugated row zeroes x[k, k+2:]
        xnorm2 = 0.0
        for j in range(k + 2, n):
            v = x[k, j]
            xnorm2 += np.real(v * np.conj(v))
        beta, t, scale = _larfg(np.conj(x[k, k + 1]), xnorm2)
        taup[k + 1] = t
        e[k] = beta
        if t == 0:
            continue
        for j in range(k + 2, n):
            x[k, j] = np.conj(x[k, j]) * scale
        for i in range(k + 1, m):  # x[k+1:, k+1:] -= t·(x·v)·vᴴ, by rows
            acc = x[i, k + 1]
            for j in range(k + 2, n):
                acc += x[i, j] * x[k, j]
            f = t * acc
            x[i, k + 1] -= f
            for j in range(k + 2, n):
                x[i, j] -= f * np.conj(x[k, j])


def _rotate_rows(a, i, j, c, s):
    """Rows i, j of `a` := (c·a_i + s·a_j, c·a_j - s·a_i)."""
    for k in range(a.shape[1]):
        y = a[i, k]
        z = a[j, k]
        a[i, k] = y * c + z * s
        a[j, k] = z * c - y * s


def _bidiagonal_qr(d, f, ut, vt, vectors):
    """The singular values of the upper bidiagonal (d, f) (f[i] couples i - 1 and i, f[0] = 0)
    into `d` by Golub-Kahan-Reinsch implicit shifted QR sweeps; with `vectors`, the rotations turn
    the rows of `ut` (left vectors) and `vt` (right vectors)."""
    n = d.shape[0]
    eps = 2.220446049250313e-16
    anorm = 0.0
    for i in range(n):
        anorm = max(anorm, abs(d[i]) + abs(f[i]))
    tiny = eps * anorm
    for k in range(n - 1, -1, -1):
        its = 0
        while True:
            split = False  # whether d[l - 1] is negligible (f[l] must then be chased out)
            lo = k
            while lo >= 0:
                if abs(f[lo]) <= tiny:
                    break
                if abs(d[lo - 1]) <= tiny:
                    split = True
                    break
                lo -= 1
            if split:
                nm = lo - 1
                c = 0.0
                s = 1.0
                for i in range(lo, k + 1):
                    g = s * f[i]
                    f[i] = c * f[i]
                    if abs(g) <= tiny:
                        break
                    h = math.hypot(g, d[i])
                    c = d[i] / h
                    s = -g / h
                    d[i] = h
                    if vectors:
                        _rotate_rows(ut, nm, i, c, s)
            z = d[k]
            if lo == k:
                if z < 0:
                    d[k] = -z
                    if vectors:
                        for j in range(vt.shape[1]):
                            vt[k, j] = -vt[k, j]
                break
            its += 1
            if its > 75:
                raise LinAlgError("SVD did not converge")
            x = d[lo]
            nm = k - 1
            y = d[nm]
            g = f[nm]
            h = f[k]
            r = ((y - z) * (y + z) + (g - h) * (g + h)) / (2.0 * h * y)
            g = math.hypot(r, 1.0)
            r = ((x - z) * (x + z) + h * ((y / (r + math.copysign(g, r))) - h)) / x
            c = 1.0
            s = 1.0
            for j in range(lo, nm + 1):
                i = j + 1
                g = f[i]
                y = d[i]
                h = s * g
                g = c * g
                z = math.hypot(r, h)
                f[j] = z
                c = r / z
                s = h / z
                r = x * c + g * s
                g = g * c - x * s
                h = y * s
                y = y * c
                if vectors:
                    _rotate_rows(vt, j, i, c, s)
                z = math.hypot(r, h)
                d[j] = z
                if z != 0:
                    c = r / z
                    s = h / z
                r = c * g + s * y
                x = c * y - s * g
                if vectors:
                    _rotate_rows(ut, j, i, c, s)
            f[lo] = 0.0
            f[k] = r
            d[k] = x


def _svd_tall(x, vectors, full):
    """SVD of the C array `x` (m×n, m ≥ n): (U m×n, or m×m if `full`; s descending; Vh n×n),
    in float64 or complex128 by Golub-Kahan bidiagonalisation and implicit QR of the real
    bidiagonal; the QR rotations turn the rows of Qᴴ and Pᴴ (x = Q·B·Pᴴ), which become Uᴴ, Vᴴ."""
    m = x.shape[0]
    n = x.shape[1]
    b = np.empty((m, n), (np.zeros(1) + np.zeros(1, x.dtype)).dtype)
    for i in range(m):
        for j in range(n):
            b[i, j] = x[i, j]
    tauq = np.zeros(n, b.dtype)
    taup = np.zeros(n, b.dtype)
    d = np.zeros(n)
    e = np.zeros(n)
    _bidiagonalize(b, tauq, taup, d, e)
    f = np.zeros(n)
    for i in range(1, n):
        f[i] = e[i - 1]
    cols = m if full else n
    if vectors:
        right = np.zeros((n, n), b.dtype)
        for k in range(1, n):
            for j in range(k + 1, n):
                right[j, k] = b[k - 1, j]
        ut = _adjoint(_form_q(b, tauq, cols))
        vt = _adjoint(_form_q(right, taup, n))
    else:
        ut = np.zeros((0, 0), b.dtype)
        vt = np.zeros((0, 0), b.dtype)
    _bidiagonal_qr(d, f, ut, vt, vectors)
    order = np.argsort(-d)
    s = np.empty(n, np.abs(_floats(x)).dtype)
    for c in range(n):
        s[c] = d[order[c]]
    if not vectors:
        return x[:0, :0].copy(), s, x[:0, :0].copy()
    u = np.empty((m, cols), x.dtype)
    vh = np.empty((n, n), x.dtype)
    for c in range(cols):
        p = order[c] if c < n else c
        for k in range(m):
            u[k, c] = np.conj(ut[p, k])
    for c in range(n):
        p = order[c]
        for k in range(n):
            vh[c, k] = vt[p, k]
    return u, s, vh


def _svd(a, vectors, full):
    m = a.shape[0]
    n = a.shape[1]
    if m >= n:
        return _svd_tall(_work(a, _floats(a)), vectors, full)
    # a = (aᴴ)ᴴ = (U'·S·Vh')ᴴ = Vh'ᴴ·S·U'ᴴ
    u2, s, vh2 = _svd_tall(_adjoint(_work(a, _floats(a))), vectors, full)
    if not vectors:
        return u2, s, vh2
    return _adjoint(vh2), s, _adjoint(u2)


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
        rc = _eps(x) * max(m, n)
    else:
        rc = rcond * 1.0
    if rc < 0:
        rc = _eps(x)
    k = s.shape[0]
    cutoff = rc * s[0] if k > 0 else 0.0
    rank = _cutoff_rank(s, cutoff)
    nb = b.shape[1]
    # x = V·diag(1/s)·Uᴴ·b over the first `rank` singular values
    ub = np.zeros((rank, nb), x.dtype)
    for c in range(rank):
        for i in range(m):
            f = np.conj(u[i, c])
            for j in range(nb):
                ub[c, j] += f * b[i, j]
        for j in range(nb):
            ub[c, j] /= s[c]
    sol = np.zeros((n, nb), x.dtype)
    for c in range(rank):
        for i in range(n):
            f = np.conj(vh[c, i])
            for j in range(nb):
                sol[i, j] += f * ub[c, j]
    if rank == n and m > n:
        resid = np.zeros(nb, s.dtype)
        r = b - x @ sol
        for i in range(m):
            for j in range(nb):
                resid[j] += np.real(r[i, j] * np.conj(r[i, j]))
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
    out = np.zeros((n, m), u.dtype)
    for c in range(k):
        if s[c] > cutoff:
            inv_s = 1.0 / s[c]
            for i in range(n):
                f = np.conj(vh[c, i]) * inv_s
                for j in range(m):
                    out[i, j] += f * np.conj(u[j, c])
    return out


def matrix_rank(a, tol, rtol):
    s = _svd(a, False, False)[1]
    if tol is None:
        if rtol is None:
            r = _eps(s) * max(a.shape[0], a.shape[1])
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
