"""`np.linalg` in the Python subset jitlab compiles (see `jitlab/lib/__init__.py` for how calls reach it).

Every function copies its input into a C-contiguous work array of NumPy's result dtype (ints
become float64, float32 stays float32), so the O(n^3) loops run along rows: LU with partial
pivoting (the first largest pivot, as LAPACK's getrf), Cholesky by rows, Householder QR with
LAPACK's reflector convention (R's diagonal is -sign(a_kk)·norm, so Q and R match NumPy's), the
symmetric eigenproblem by Householder tridiagonalisation and implicit QL (in float64), and the
SVD by one-sided (Hestenes) Jacobi rotations after a QR of the taller side.  Errors are NumPy's
`LinAlgError`s with its messages.  The functions also run under CPython (tests compare both with
NumPy).
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


def _eps(one):
    """The machine epsilon of `one`'s type (float32 or float64)."""
    e = one
    while one + e / 2 != one:
        e = e / 2
    return e


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
    """Lower L with A = L·Lᵀ from A's lower triangle (as LAPACK's potrf reads it), row by row:
    each entry is a dot product of two rows of L."""
    n = _square(a)
    x = _work(a, _floats(a))
    low = np.zeros((n, n), x.dtype)
    for i in range(n):
        for j in range(i + 1):
            s = x[i, j]
            for k in range(j):
                s -= low[i, k] * low[j, k]
            if i == j:
                if s <= 0:
                    raise LinAlgError("Matrix is not positive definite")
                low[i, i] = np.sqrt(s)
            else:
                low[i, j] = s / low[j, j]
    return low


def cholesky_upper(a):
    return _transposed(cholesky(a))


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
def _householder(x, tau):
    """QR of the m×n C array `x` in place: R on and above the diagonal, reflector k's vector v
    below x[k, k] (v[k] = 1 implied) and its factor in tau[k], H_k = I - tau[k]·v·vᵀ.  The
    reflector is LAPACK's (larfg): beta = -sign(alpha)·‖(alpha, x)‖, no reflection for x = 0."""
    m = x.shape[0]
    n = x.shape[1]
    w = np.empty(n, x.dtype)
    for k in range(min(m, n)):
        alpha = x[k, k]
        xnorm2 = 0.0
        for i in range(k + 1, m):
            xnorm2 += x[i, k] * x[i, k]
        if xnorm2 == 0:
            tau[k] = 0
            continue
        beta = -math.copysign(math.sqrt(alpha * alpha + xnorm2), alpha)
        t = (beta - alpha) / beta
        tau[k] = t
        scale = 1.0 / (alpha - beta)
        for i in range(k + 1, m):
            x[i, k] *= scale
        x[k, k] = beta
        # x[k:, k+1:] -= t·v·(vᵀ·x[k:, k+1:]), by rows
        for j in range(k + 1, n):
            w[j] = x[k, j]
        for i in range(k + 1, m):
            vi = x[i, k]
            for j in range(k + 1, n):
                w[j] += vi * x[i, j]
        for j in range(k + 1, n):
            x[k, j] -= t * w[j]
        for i in range(k + 1, m):
            f = t * x[i, k]
            for j in range(k + 1, n):
                x[i, j] -= f * w[j]


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
            vi = x[i, k]
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
    x = _work(a, _floats(a))
    tau = np.empty(min(x.shape[0], x.shape[1]), x.dtype)
    _householder(x, tau)
    return x, tau


def qr_reduced(a):
    x, tau = _qr(a)
    k = tau.shape[0]
    return _form_q(x, tau, k), _upper(x, k)


def qr_complete(a):
    x, tau = _qr(a)
    return _form_q(x, tau, x.shape[0]), _upper(x, x.shape[0])


def qr_r(a):
    x, tau = _qr(a)
    return _upper(x, tau.shape[0])


# -- symmetric eigenproblem: Householder tridiagonalisation, implicit QL --------------------------
def _symmetric(a, lower):
    """A C float64 copy of the symmetric matrix that `a`'s lower (or upper) triangle holds."""
    n = _square(a)
    x = np.empty((n, n))
    for i in range(n):
        for j in range(i + 1):
            v = a[i, j] if lower else a[j, i]
            x[i, j] = v
            x[j, i] = v
    return x


def _tridiagonal(x, z, d, e, vectors):
    """Householder reduction of the symmetric C array `x` (destroyed) to the tridiagonal
    T = Z·x·Zᵀ: diagonal `d`, off-diagonal `e` (e[i] couples i and i+1).  Reflector k is kept in
    x[k+1:, k]; with `vectors`, Z = H_{n-3}···H_0 is formed in `z` (which starts as I), by rows."""
    n = x.shape[0]
    tau = np.zeros(n)
    p = np.empty(n)
    v = np.empty(n)
    for k in range(n - 2):
        xnorm2 = 0.0
        for i in range(k + 2, n):
            xnorm2 += x[i, k] * x[i, k]
        alpha = x[k + 1, k]
        d[k] = x[k, k]
        if xnorm2 == 0:
            e[k] = alpha
            continue
        beta = -math.copysign(math.sqrt(alpha * alpha + xnorm2), alpha)
        t = (beta - alpha) / beta
        tau[k] = t
        scale = 1.0 / (alpha - beta)
        x[k + 1, k] = 1.0
        for i in range(k + 2, n):
            x[i, k] *= scale
        for i in range(k + 1, n):
            v[i] = x[i, k]
        e[k] = beta
        # p = t·A·v, w = p - (t/2)(vᵀp)·v, A -= v·wᵀ + w·vᵀ on the trailing block, by rows
        vp = 0.0
        for i in range(k + 1, n):
            acc = 0.0
            for j in range(k + 1, n):
                acc += x[i, j] * v[j]
            p[i] = t * acc
            vp += v[i] * p[i]
        half = 0.5 * t * vp
        for i in range(k + 1, n):
            p[i] -= half * v[i]
        for i in range(k + 1, n):
            vi = v[i]
            wi = p[i]
            for j in range(k + 1, n):
                x[i, j] -= vi * p[j] + wi * v[j]
    if n >= 2:
        d[n - 2] = x[n - 2, n - 2]
        e[n - 2] = x[n - 1, n - 2]
    if n >= 1:
        d[n - 1] = x[n - 1, n - 1]
        e[n - 1] = 0.0
    if vectors:
        w = np.empty(n)
        for k in range(n - 2):
            t = tau[k]
            if t == 0:
                continue
            for j in range(n):
                w[j] = 0.0
            for i in range(k + 1, n):
                vi = x[i, k]
                for j in range(n):
                    w[j] += vi * z[i, j]
            for i in range(k + 1, n):
                f = t * x[i, k]
                for j in range(n):
                    z[i, j] -= f * w[j]


def _tridiagonal_ql(d, e, z, vectors):
    """The eigenvalues of the symmetric tridiagonal (d, e) into `d`, by implicit QL sweeps with
    Wilkinson's shift, deflating where |e[m]| ≤ eps·(|d[m]| + |d[m+1]|); with `vectors`, each
    rotation of (i, i+1) turns rows i and i+1 of `z` too."""
    n = d.shape[0]
    eps = 2.220446049250313e-16
    for first in range(n):
        iterations = 0
        while True:
            m = first
            while m < n - 1:
                if abs(e[m]) <= eps * (abs(d[m]) + abs(d[m + 1])):
                    break
                m += 1
            if m == first:
                break
            iterations += 1
            if iterations > 60:
                raise LinAlgError("Eigenvalues did not converge")
            g = (d[first + 1] - d[first]) / (2.0 * e[first])
            r = math.hypot(g, 1.0)
            g = d[m] - d[first] + e[first] / (g + math.copysign(r, g))
            s = 1.0
            c = 1.0
            p = 0.0
            i = m - 1
            deflated = False
            while i >= first:
                f = s * e[i]
                b = c * e[i]
                r = math.hypot(f, g)
                e[i + 1] = r
                if r == 0.0:
                    d[i + 1] -= p
                    e[m] = 0.0
                    deflated = True
                    break
                s = f / r
                c = g / r
                g = d[i + 1] - p
                r = (d[i] - g) * s + 2.0 * c * b
                p = s * r
                d[i + 1] = g + p
                g = c * r - b
                if vectors:
                    for k in range(n):
                        zi = z[i, k]
                        zj = z[i + 1, k]
                        z[i + 1, k] = s * zi + c * zj
                        z[i, k] = c * zi - s * zj
                i -= 1
            if not deflated:
                d[first] -= p
                e[first] = g
                e[m] = 0.0


def _eigh(a, lower, vectors):
    x = _symmetric(a, lower)
    n = x.shape[0]
    z = _identity(n, x)
    d = np.empty(n)
    e = np.empty(n)
    _tridiagonal(x, z, d, e, vectors)
    _tridiagonal_ql(d, e, z, vectors)
    order = np.argsort(d)
    like = _floats(a)
    w = np.empty(n, like.dtype)
    v = np.empty((n, n), like.dtype)
    for c in range(n):
        w[c] = d[order[c]]
        if vectors:
            for i in range(n):
                v[i, c] = z[order[c], i]
    return w, v


def eigh_l(a):
    return _eigh(a, True, True)


def eigh_u(a):
    return _eigh(a, False, True)


def eigvalsh_l(a):
    return _eigh(a, True, False)[0]


def eigvalsh_u(a):
    return _eigh(a, False, False)[0]


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
