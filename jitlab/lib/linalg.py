"""`np.linalg` in the Python subset jitlab compiles (see `jitlab/lib/__init__.py` for how calls reach it).

Every function copies its input into a C-contiguous work array of NumPy's result dtype (ints
become float64, float32 stays float32), so the O(n^3) loops run along rows: LU with partial
pivoting (the first largest pivot, as LAPACK's getrf), Cholesky by rows, Householder QR with
LAPACK's reflector convention (R's diagonal is -sign(a_kk)·norm, so Q and R match NumPy's) here;
the eigenproblems in `linalg_eig.py` (symmetric: Householder tridiagonalisation and implicit QL;
general: Hessenberg form and shifted QR), the SVD (Golub-Kahan bidiagonalisation and implicit QR,
in float64) and what rests on it in `linalg_svd.py`, stacks of matrices in `linalg_stacked.py`.
Errors are NumPy's `LinAlgError`s with its messages.  The functions also run under CPython
(tests compare both with NumPy).
"""
import math

import numpy as np
from numpy.linalg import LinAlgError


# -- helpers ------------------------------------------------------------------------------------
def _square(a):
    if a.shape[0] != a.shape[1]:
        raise LinAlgError("Last 2 dimensions of the array must be square")
    return a.shape[0]


def _work(a, like):
    """A C-contiguous copy of the 2-d `a` with items of `like`'s dtype (dtypes cannot be passed
    between compiled functions: an array of the dtype is)."""
    m = a.shape[0]
    n = a.shape[1]
    x = np.empty((m, n), like.dtype)
    for i in range(m):
        for j in range(n):
            x[i, j] = a[i, j]
    return x


def _floats(a):
    """A 1-item array of NumPy's linalg dtype for `a` (float64 for ints, else `a`'s own): its
    `.dtype` is what work arrays are made of (compiled code cannot return a dtype itself)."""
    return np.zeros(1, a.dtype) * 1.0


def _eps(like):
    """The machine epsilon of the float or complex array `like`'s precision (single precision
    rounds 1 + 2**-30 to 1)."""
    t = np.ones(1, like.dtype)
    t[0] = 1.0 + 2.0 ** -30
    return 2.0 ** -23 if t[0] == 1.0 else 2.0 ** -52


def _is_integer(a):
    """Whether `a` has integer items (0.5 cast to its dtype is 0)."""
    x = np.zeros(1, a.dtype)
    x[0] = 0.5
    return x[0] == 0


def _column(b, like):
    """The 1-d `b` as a C-contiguous n×1 array of `like`'s dtype."""
    n = b.shape[0]
    x = np.empty((n, 1), like.dtype)
    for i in range(n):
        x[i, 0] = b[i]
    return x


def _identity(n, like):
    x = np.zeros((n, n), like.dtype)
    for i in range(n):
        x[i, i] = 1
    return x


def _lu(x, perm):
    """LU of the square C array `x` in place (unit L below the diagonal, U on and above it),
    rows exchanged as `perm` records; returns the permutation's sign and whether a pivot was 0."""
    n = x.shape[0]
    sign = 1
    singular = False
    for i in range(n):
        perm[i] = i
    for k in range(n):
        p = k
        best = abs(x[k, k])
        for i in range(k + 1, n):
            v = abs(x[i, k])
            if v > best:
                best = v
                p = i
        if p != k:
            for j in range(n):
                t = x[k, j]
                x[k, j] = x[p, j]
                x[p, j] = t
            t2 = perm[k]
            perm[k] = perm[p]
            perm[p] = t2
            sign = -sign
        pivot = x[k, k]
        if pivot == 0:
            singular = True
            continue
        for i in range(k + 1, n):
            f = x[i, k] / pivot
            x[i, k] = f
            if f != 0:
                for j in range(k + 1, n):
                    x[i, j] -= f * x[k, j]
    return sign, singular


def _lu_solve(lu, perm, b):
    """Solve LU·X = P·B for the C array `b` (n×k) in place of a permuted copy; returns X."""
    n = lu.shape[0]
    k = b.shape[1]
    x = np.empty((n, k), lu.dtype)
    for i in range(n):
        for j in range(k):
            x[i, j] = b[perm[i], j]
    for c in range(n):
        for i in range(c + 1, n):
            f = lu[i, c]
            if f != 0:
                for j in range(k):
                    x[i, j] -= f * x[c, j]
    for c in range(n - 1, -1, -1):
        d = lu[c, c]
        for j in range(k):
            x[c, j] /= d
        for i in range(c):
            f = lu[i, c]
            if f != 0:
                for j in range(k):
                    x[i, j] -= f * x[c, j]
    return x


# -- LU: det, slogdet, inv, solve, matrix_power -------------------------------------------------
def det(a):
    n = _square(a)
    x = _work(a, _floats(a))
    perm = np.empty(n, np.int64)
    sign, singular = _lu(x, perm)
    d = np.ones(1, x.dtype)[0]
    if sign < 0:
        d = -d
    for k in range(n):
        d *= x[k, k]
    return d


def slogdet(a):
    n = _square(a)
    x = _work(a, _floats(a))
    perm = np.empty(n, np.int64)
    sign, singular = _lu(x, perm)
    s = np.ones(1, x.dtype)  # one-item arrays keep the results in NumPy's dtypes
    logdet = np.abs(np.zeros(1, x.dtype))
    if sign < 0:
        s[0] = -s[0]
    if singular:
        s[0] = 0
        logdet[0] = -np.inf
        return s[0], logdet[0]
    acc = 0.0
    for k in range(n):
        v = x[k, k]
        r = abs(v)
        s[0] = s[0] * (v / r)
        acc += math.log(r)
    logdet[0] = acc
    return s[0], logdet[0]


def inv(a):
    n = _square(a)
    x = _work(a, _floats(a))
    perm = np.empty(n, np.int64)
    sign, singular = _lu(x, perm)
    if singular:
        raise LinAlgError("Singular matrix")
    return _lu_solve(x, perm, _identity(n, x))


def _solve_factor(a, b):
    n = _square(a)
    x = _work(a, _floats(a) * _floats(b))
    perm = np.empty(n, np.int64)
    sign, singular = _lu(x, perm)
    if singular:
        raise LinAlgError("Singular matrix")
    return x, perm


def solve(a, b):
    n = _square(a)
    if b.shape[0] != n:
        raise ValueError(f"solve: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
                         f"signature (m,m),(m,n)->(m,n) (size {b.shape[0]} is different from {n})")
    x, perm = _solve_factor(a, b)
    return _lu_solve(x, perm, _work(b, x))


def solve_vector(a, b):
    n = _square(a)
    if b.shape[0] != n:
        raise ValueError(f"solve1: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
                         f"signature (m,m),(m)->(m) (size {b.shape[0]} is different from {n})")
    x, perm = _solve_factor(a, b)
    return _lu_solve(x, perm, _column(b, x)).reshape(n)


def matrix_power(a, n):
    m = _square(a)
    if n < 0:
        if _is_integer(a):
            raise ValueError("matrix_power() of an integer matrix with a negative exponent is not "
                             "supported in compiled code (pass a float matrix)")
        base = _work(inv(a), a)
        n = -n
    else:
        base = a.copy()
    result = _identity(m, a)
    if n == 0:
        return result
    first = True
    while n > 0:
        if n % 2 == 1:
            if first:
                result = base.copy()
                first = False
            else:
                result = result @ base
        n //= 2
        if n > 0:
            base = base @ base
    return result


# -- Cholesky -----------------------------------------------------------------------------------
def cholesky(a):
    """Lower L with A = L·Lᴴ from A's lower triangle (as LAPACK's potrf reads it), row by row:
    each entry is a dot product of two rows of L."""
    n = _square(a)
    x = _work(a, _floats(a))
    low = np.zeros((n, n), x.dtype)
    for i in range(n):
        for j in range(i + 1):
            s = x[i, j]
            for k in range(j):
                s -= low[i, k] * np.conj(low[j, k])
            if i == j:
                if not np.real(s) > 0:
                    raise LinAlgError("Matrix is not positive definite")
                low[i, i] = np.sqrt(np.real(s))
            else:
                low[i, j] = s / low[j, j]
    return low


def cholesky_upper(a):
    return _adjoint(cholesky(a))


def _adjoint(x):
    """A C-contiguous copy of xᴴ (xᵀ for a real x)."""
    m = x.shape[0]
    n = x.shape[1]
    t = np.empty((n, m), x.dtype)
    for i in range(m):
        for j in range(n):
            t[j, i] = np.conj(x[i, j])
    return t


def _transposed(x):
    """A C-contiguous copy of xᵀ."""
    m = x.shape[0]
    n = x.shape[1]
    t = np.empty((n, m), x.dtype)
    for i in range(m):
        for j in range(n):
            t[j, i] = x[i, j]
    return t


# -- Householder QR -----------------------------------------------------------------------------
def _larfg(alpha, xnorm2):
    """LAPACK's reflector (larfg) for the vector (alpha, x), ‖x‖² = xnorm2: (beta, tau, scale)
    with H = I - tau·v·vᴴ, v = (1, scale·x), Hᴴ·(alpha, x) = (beta, 0) and beta real,
    beta = -sign(Re alpha)·‖(alpha, x)‖; tau = 0 (no reflection) when x = 0 and alpha is real."""
    if xnorm2 == 0 and np.imag(alpha) == 0:
        return np.real(alpha) * 1.0, alpha * 0, alpha * 0
    beta = -math.copysign(math.sqrt(np.real(alpha * np.conj(alpha)) + xnorm2), np.real(alpha))
    return beta, (beta - alpha) / beta, 1.0 / (alpha - beta)


def _column_norm2(x, k, first):
    """Σ |x[i, k]|² for i ≥ first."""
    acc = 0.0
    for i in range(first, x.shape[0]):
        v = x[i, k]
        acc += np.real(v * np.conj(v))
    return acc


def _reflect_down(x, k, first):
    """Make the reflector of column k from row `first` down (x[first, k] becomes beta, the
    rows below hold v) and apply Hᴴ to the columns right of k; returns tau."""
    m = x.shape[0]
    n = x.shape[1]
    beta, t, scale = _larfg(x[first, k], _column_norm2(x, k, first + 1))
    if t == 0:
        return t
    for i in range(first + 1, m):
        x[i, k] *= scale
    x[first, k] = beta
    # x[first:, k+1:] -= conj(t)·v·(vᴴ·x[first:, k+1:]), by rows
    tc = np.conj(t)
    w = x[first, k + 1:].copy()
    for i in range(first + 1, m):
        vi = np.conj(x[i, k])
        for j in range(k + 1, n):
            w[j - k - 1] += vi * x[i, j]
    for j in range(k + 1, n):
        x[first, j] -= tc * w[j - k - 1]
    for i in range(first + 1, m):
        f = tc * x[i, k]
        for j in range(k + 1, n):
            x[i, j] -= f * w[j - k - 1]
    return t


def _householder(x, tau):
    """QR of the m×n C array `x` in place: R on and above the diagonal, reflector k's vector v
    below x[k, k] (v[k] = 1 implied) and its factor in tau[k], H_k = I - tau[k]·v·vᴴ, LAPACK's
    reflectors (`_larfg`, so Q and R are NumPy's)."""
    for k in range(min(x.shape[0], x.shape[1])):
        tau[k] = _reflect_down(x, k, k)


def _form_q(x, tau, cols):
    """The first `cols` columns of Q = H_0·H_1·…, applied to I from the last reflector back."""
    m = x.shape[0]
    q = np.zeros((m, cols), x.dtype)
    for i in range(min(m, cols)):
        q[i, i] = 1
    w = np.empty(cols, x.dtype)
    for k in range(tau.shape[0] - 1, -1, -1):
        t = tau[k]
        if t == 0:
            continue
        for j in range(k, cols):
            w[j] = q[k, j]
        for i in range(k + 1, m):
            vi = np.conj(x[i, k])
            if vi != 0:
                for j in range(k, cols):
                    w[j] += vi * q[i, j]
        for j in range(k, cols):
            q[k, j] -= t * w[j]
        for i in range(k + 1, m):
            f = t * x[i, k]
            if f != 0:
                for j in range(k, cols):
                    q[i, j] -= f * w[j]
    return q


def _upper(x, rows):
    """The first `rows` rows of the upper triangle of `x` (zeros below the diagonal)."""
    n = x.shape[1]
    r = np.zeros((rows, n), x.dtype)
    for i in range(min(rows, x.shape[0])):
        for j in range(i, n):
            r[i, j] = x[i, j]
    return r


def _qr(a):
    """The Householder QR of `a` in float64 or complex128 (reflectors of single-precision
    scalars would cross between compiled functions, which complex64 cannot)."""
    x = _work(a, np.zeros(1) + np.zeros(1, a.dtype))
    tau = np.empty(min(x.shape[0], x.shape[1]), x.dtype)
    _householder(x, tau)
    return x, tau


def qr_reduced(a):
    x, tau = _qr(a)
    k = tau.shape[0]
    return _work(_form_q(x, tau, k), _floats(a)), _work(_upper(x, k), _floats(a))


def qr_complete(a):
    x, tau = _qr(a)
    return _work(_form_q(x, tau, x.shape[0]), _floats(a)), _work(_upper(x, x.shape[0]), _floats(a))


def qr_r(a):
    x, tau = _qr(a)
    return _work(_upper(x, tau.shape[0]), _floats(a))
