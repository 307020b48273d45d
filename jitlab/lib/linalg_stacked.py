"""`np.linalg` on stacks of matrices: a 3-d `a` of shape (k, m, n) is k matrices, each handled by
the 2-d implementation, the results stacked as NumPy's gufuncs stack them (det: (k,), inv:
(k, n, n), svd: ((k, m, m), (k, min), (k, n, n)), …).  `solve` broadcasts the stack axis of
`a` and `b` (length 1 against k) and takes a 1-d `b` as one vector for every matrix.
"""
import numpy as np
from numpy.linalg import LinAlgError

from .linalg import (
    _floats, _square, cholesky as cholesky_2d, cholesky_upper as cholesky_upper_2d, det as det_2d, inv as
    inv_2d, matrix_power as matrix_power_2d, qr_complete as qr_complete_2d, qr_r as qr_r_2d, qr_reduced as
    qr_reduced_2d, slogdet as slogdet_2d, solve as solve_2d, solve_vector as solve_vector_2d,
)
from .linalg_eig import (
    eig as eig_2d, eig_complex as eig_complex_2d, eigh_l as eigh_l_2d, eigh_u as eigh_u_2d, eigvals as
    eigvals_2d, eigvals_complex as eigvals_complex_2d, eigvalsh_l as eigvalsh_l_2d, eigvalsh_u as
    eigvalsh_u_2d,
)
from .linalg_svd import (
    cond as cond_2d, matrix_rank as matrix_rank_2d, pinv as pinv_2d, svd_full as svd_full_2d, svd_thin as
    svd_thin_2d, svdvals as svdvals_2d,
)


def _square3(a):
    if a.shape[1] != a.shape[2]:
        raise LinAlgError("Last 2 dimensions of the array must be square")
    return a.shape[1]


# -- LU family, Cholesky, QR ---------------------------------------------------------------------
def det(a):
    _square3(a)
    out = np.empty(a.shape[0], _floats(a).dtype)
    for i in range(a.shape[0]):
        out[i] = det_2d(a[i])
    return out


def slogdet(a):
    _square3(a)
    like = _floats(a)
    sign = np.empty(a.shape[0], like.dtype)
    logdet = np.empty(a.shape[0], np.abs(like).dtype)
    for i in range(a.shape[0]):
        s, d = slogdet_2d(a[i])
        sign[i] = s
        logdet[i] = d
    return sign, logdet


def inv(a):
    _square3(a)
    out = np.empty(a.shape, _floats(a).dtype)
    for i in range(a.shape[0]):
        out[i] = inv_2d(a[i])
    return out


def matrix_power(a, p):
    _square3(a)
    out = np.empty(a.shape, a.dtype)  # an integer stack with p < 0 raises (as one matrix does)
    for i in range(a.shape[0]):
        out[i] = matrix_power_2d(a[i], p)
    return out


def _broadcast(ka, kb):
    if ka != kb and ka != 1 and kb != 1:
        raise ValueError(f"solve: the stacks of a and b do not broadcast ({ka} and {kb} matrices)")
    return max(ka, kb)


def solve(a, b):
    """a (ka, n, n), b (kb, n, m), broadcast over the stack axis."""
    n = _square3(a)
    k = _broadcast(a.shape[0], b.shape[0])
    out = np.empty((k, n, b.shape[2]), (_floats(a) * _floats(b)).dtype)
    for i in range(k):
        out[i] = solve_2d(a[i if a.shape[0] > 1 else 0], b[i if b.shape[0] > 1 else 0])
    return out


def solve_matrix(a, b):
    """a (k, n, n), b (n, m): the same right-hand sides for every matrix."""
    n = _square3(a)
    out = np.empty((a.shape[0], n, b.shape[1]), (_floats(a) * _floats(b)).dtype)
    for i in range(a.shape[0]):
        out[i] = solve_2d(a[i], b)
    return out


def solve_vector(a, b):
    """a (k, n, n), b (n,): one vector for every matrix."""
    n = _square3(a)
    out = np.empty((a.shape[0], n), (_floats(a) * _floats(b)).dtype)
    for i in range(a.shape[0]):
        out[i] = solve_vector_2d(a[i], b)
    return out


def solve_stacked_b(a, b):
    """a (n, n), b (k, n, m): every stack of right-hand sides against the one matrix."""
    n = _square(a)
    out = np.empty((b.shape[0], n, b.shape[2]), (_floats(a) * _floats(b)).dtype)
    for i in range(b.shape[0]):
        out[i] = solve_2d(a, b[i])
    return out


def cholesky(a):
    _square3(a)
    out = np.empty(a.shape, _floats(a).dtype)
    for i in range(a.shape[0]):
        out[i] = cholesky_2d(a[i])
    return out


def cholesky_upper(a):
    _square3(a)
    out = np.empty(a.shape, _floats(a).dtype)
    for i in range(a.shape[0]):
        out[i] = cholesky_upper_2d(a[i])
    return out


def qr_reduced(a):
    m = a.shape[1]
    n = a.shape[2]
    k = min(m, n)
    q = np.empty((a.shape[0], m, k), _floats(a).dtype)
    r = np.empty((a.shape[0], k, n), _floats(a).dtype)
    for i in range(a.shape[0]):
        qi, ri = qr_reduced_2d(a[i])
        q[i] = qi
        r[i] = ri
    return q, r


def qr_complete(a):
    m = a.shape[1]
    n = a.shape[2]
    q = np.empty((a.shape[0], m, m), _floats(a).dtype)
    r = np.empty((a.shape[0], m, n), _floats(a).dtype)
    for i in range(a.shape[0]):
        qi, ri = qr_complete_2d(a[i])
        q[i] = qi
        r[i] = ri
    return q, r


def qr_r(a):
    out = np.empty((a.shape[0], min(a.shape[1], a.shape[2]), a.shape[2]), _floats(a).dtype)
    for i in range(a.shape[0]):
        out[i] = qr_r_2d(a[i])
    return out


# -- eigenproblems -------------------------------------------------------------------------------
def _eigh(a, upper):
    n = _square3(a)
    like = _floats(a)
    w = np.empty((a.shape[0], n), np.abs(like).dtype)
    v = np.empty((a.shape[0], n, n), like.dtype)
    for i in range(a.shape[0]):
        wi, vi = eigh_u_2d(a[i]) if upper else eigh_l_2d(a[i])
        w[i] = wi
        v[i] = vi
    return w, v


def eigh_l(a):
    return _eigh(a, False)


def eigh_u(a):
    return _eigh(a, True)


def eigvalsh_l(a):
    _square3(a)
    out = np.empty((a.shape[0], a.shape[1]), np.abs(_floats(a)).dtype)
    for i in range(a.shape[0]):
        out[i] = eigvalsh_l_2d(a[i])
    return out


def eigvalsh_u(a):
    _square3(a)
    out = np.empty((a.shape[0], a.shape[1]), np.abs(_floats(a)).dtype)
    for i in range(a.shape[0]):
        out[i] = eigvalsh_u_2d(a[i])
    return out


def eig(a):
    n = _square3(a)
    w = np.empty((a.shape[0], n), _floats(a).dtype)
    v = np.empty(a.shape, _floats(a).dtype)
    for i in range(a.shape[0]):
        wi, vi = eig_2d(a[i])
        w[i] = wi
        v[i] = vi
    return w, v


def eig_complex(a):
    n = _square3(a)
    like = a[:1, :1, :1] * np.complex64(1)  # complex64 for float32/complex64, else complex128
    w = np.empty((a.shape[0], n), like.dtype)
    v = np.empty(a.shape, like.dtype)
    for i in range(a.shape[0]):
        wi, vi = eig_complex_2d(a[i])
        w[i] = wi
        v[i] = vi
    return w, v


def eigvals(a):
    _square3(a)
    out = np.empty((a.shape[0], a.shape[1]), _floats(a).dtype)
    for i in range(a.shape[0]):
        out[i] = eigvals_2d(a[i])
    return out


def eigvals_complex(a):
    _square3(a)
    out = np.empty((a.shape[0], a.shape[1]), (a[:1, :1, :1] * np.complex64(1)).dtype)
    for i in range(a.shape[0]):
        out[i] = eigvals_complex_2d(a[i])
    return out


# -- SVD and what rests on it --------------------------------------------------------------------
def _svd(a, full, ucols, vrows):
    m = a.shape[1]
    n = a.shape[2]
    like = _floats(a)
    u = np.empty((a.shape[0], m, ucols), like.dtype)
    s = np.empty((a.shape[0], min(m, n)), np.abs(like).dtype)
    vh = np.empty((a.shape[0], vrows, n), like.dtype)
    for i in range(a.shape[0]):
        ui, si, vi = svd_full_2d(a[i]) if full else svd_thin_2d(a[i])
        u[i] = ui
        s[i] = si
        vh[i] = vi
    return u, s, vh


def svd_full(a):
    return _svd(a, True, a.shape[1], a.shape[2])


def svd_thin(a):
    k = min(a.shape[1], a.shape[2])
    return _svd(a, False, k, k)


def svdvals(a):
    out = np.empty((a.shape[0], min(a.shape[1], a.shape[2])), np.abs(_floats(a)).dtype)
    for i in range(a.shape[0]):
        out[i] = svdvals_2d(a[i])
    return out


def pinv(a, rcond):
    out = np.empty((a.shape[0], a.shape[2], a.shape[1]), _floats(a).dtype)
    for i in range(a.shape[0]):
        out[i] = pinv_2d(a[i], rcond)
    return out


def matrix_rank(a, tol, rtol):
    out = np.empty(a.shape[0], np.int64)
    for i in range(a.shape[0]):
        out[i] = matrix_rank_2d(a[i], tol, rtol)
    return out


def cond(a):
    out = np.empty(a.shape[0], np.abs(_floats(a)).dtype)
    for i in range(a.shape[0]):
        out[i] = cond_2d(a[i])
    return out
