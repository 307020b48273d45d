"""`np.linalg`'s eigenproblems in the Python subset jitlab compiles (see `linalg.py`).

`eigh`/`eigvalsh`: Householder tridiagonalisation and implicit QL (in float64).  `eig`/`eigvals`
(in float64 or complex128): Householder reduction to Hessenberg form, then for a real matrix
Francis double-shift QR (EISPACK's hqr2 scheme), for a complex one single-shift QR by Givens
rotations, to the Schur form; eigenvectors by back-substitution in the triangular Schur form,
normalised as LAPACK's geev does (norm 1, the largest component real).  A real matrix gives real
results (NumPy's dtype when the eigenvalues are real, as with Numba): complex eigenvalues of a
real matrix raise `LinAlgError` (a `ValueError`) naming the fix, a complex input.
"""
import cmath
import math

import numpy as np
from numpy.linalg import LinAlgError

from .linalg import _floats, _identity, _larfg, _square


# -- symmetric eigenproblem: Householder tridiagonalisation, implicit QL --------------------------
def _symmetric(a, lower):
    """A C float64 (complex128) copy of the symmetric (Hermitian) matrix that `a`'s lower (or
    upper) triangle holds."""
    n = _square(a)
    x = np.empty((n, n), (np.zeros(1) + np.zeros(1, a.dtype)).dtype)
    for i in range(n):
        for j in range(i + 1):
            v = a[i, j] if lower else np.conj(a[j, i])
            x[i, j] = v
            x[j, i] = np.conj(v)
        x[i, i] = np.real(x[i, i])
    return x


def _tridiagonal(x, z, d, e, vectors):
    """Householder reduction of the symmetric or Hermitian C array `x` (destroyed) to the real
    tridiagonal T = Z·x·Zᴴ by LAPACK's reflectors (`_larfg`, as hetd2): diagonal `d`,
    off-diagonal `e` (e[i] couples i and i+1).  Reflector k is kept in x[k+1:, k]; with
    `vectors`, Z = H_{n-2}ᴴ···H_0ᴴ is formed in `z` (which starts as I), by rows."""
    n = x.shape[0]
    tau = np.zeros(n, x.dtype)
    p = np.empty(n, x.dtype)
    v = np.empty(n, x.dtype)
    for k in range(n - 1):
        d[k] = np.real(x[k, k])
        xnorm2 = 0.0
        for i in range(k + 2, n):
            xnorm2 += np.real(x[i, k] * np.conj(x[i, k]))
        beta, t, scale = _larfg(x[k + 1, k], xnorm2)
        e[k] = beta
        tau[k] = t
        if t == 0:
            continue
        x[k + 1, k] = 1.0
        for i in range(k + 2, n):
            x[i, k] *= scale
        for i in range(k + 1, n):
            v[i] = x[i, k]
        # p = t·A·v, w = p - (conj(t)/2)(vᴴp)·v, A -= v·wᴴ + w·vᴴ on the trailing block, by rows
        vp = x[0, 0] * 0
        for i in range(k + 1, n):
            acc = x[i, k + 1] * 0
            for j in range(k + 1, n):
                acc += x[i, j] * v[j]
            p[i] = t * acc
            vp += np.conj(v[i]) * p[i]
        half = 0.5 * np.conj(t) * vp
        for i in range(k + 1, n):
            p[i] -= half * v[i]
        for i in range(k + 1, n):
            vi = v[i]
            wi = p[i]
            for j in range(k + 1, n):
                x[i, j] -= vi * np.conj(p[j]) + wi * np.conj(v[j])
    if n >= 1:
        d[n - 1] = np.real(x[n - 1, n - 1])
        e[n - 1] = 0.0
    if vectors:
        w = np.empty(n, x.dtype)
        for k in range(n - 1):
            tc = np.conj(tau[k])
            if tc == 0:
                continue
            for j in range(n):
                w[j] = 0.0
            for i in range(k + 1, n):
                vi = np.conj(x[i, k])
                for j in range(n):
                    w[j] += vi * z[i, j]
            for i in range(k + 1, n):
                f = tc * x[i, k]
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
    w = np.empty(n, np.abs(like).dtype)
    v = np.empty((n, n), like.dtype)
    for c in range(n):
        w[c] = d[order[c]]
        if vectors:
            for i in range(n):
                v[i, c] = np.conj(z[order[c], i])
    return w, v


def eigh_l(a):
    return _eigh(a, True, True)


def eigh_u(a):
    return _eigh(a, False, True)


def eigvalsh_l(a):
    return _eigh(a, True, False)[0]


def eigvalsh_u(a):
    return _eigh(a, False, False)[0]


# -- general eigenproblem: Hessenberg reduction, shifted QR, back-substitution --------------------
def _finite_work(a, like):
    """A C copy of the square `a` in `like`'s dtype, after NumPy's checks (square, finite)."""
    n = _square(a)
    x = np.empty((n, n), like.dtype)
    for i in range(n):
        for j in range(n):
            v = a[i, j]
            if not abs(v) < math.inf:
                raise LinAlgError("Array must not contain infs or NaNs")
            x[i, j] = v
    return x


def _hessenberg(x, z, vectors):
    """Householder reduction of the C array `x` (real or complex) to upper Hessenberg form
    P·x·P in place, P = I - β·u·uᴴ Hermitian per column; with `vectors`, `z` (I) becomes z·P."""
    n = x.shape[0]
    u = np.empty(n, x.dtype)
    w = np.empty(n, x.dtype)
    for k in range(n - 2):
        tail = 0.0
        for i in range(k + 2, n):
            v = x[i, k]
            tail += np.real(v * np.conj(v))
        if tail == 0:
            continue
        alpha = x[k + 1, k]
        size = abs(alpha)
        norm = math.sqrt(tail + size * size)
        s = alpha / size if size > 0 else alpha * 0 + 1.0
        for i in range(k + 1, n):
            u[i] = x[i, k]
        u[k + 1] = alpha + s * norm
        beta = 1.0 / (norm * (norm + size))
        for j in range(k, n):  # from the left: x[k+1:, k:] -= β·u·(uᴴ·x), by rows
            w[j] = 0
        for i in range(k + 1, n):
            ci = np.conj(u[i])
            for j in range(k, n):
                w[j] += ci * x[i, j]
        for i in range(k + 1, n):
            f = beta * u[i]
            for j in range(k, n):
                x[i, j] -= f * w[j]
        for i in range(k + 2, n):
            x[i, k] = 0
        _reflect_columns(x, u, beta, k + 1)
        if vectors:
            _reflect_columns(z, u, beta, k + 1)


def _reflect_columns(x, u, beta, first):
    """x[:, first:] -= β·(x·u)·uᴴ, row by row."""
    n = x.shape[1]
    for i in range(x.shape[0]):
        d = x[i, first] * 0
        for j in range(first, n):
            d += x[i, j] * u[j]
        f = beta * d
        for j in range(first, n):
            x[i, j] -= f * np.conj(u[j])


def _francis(h, z, wr, vectors):
    """The eigenvalues of the real upper Hessenberg `h` into `wr` by Francis double-shift QR
    steps (exceptional shifts after 10 and 20 steps without deflation); a 2×2 block with real
    eigenvalues is split by a rotation, one with complex eigenvalues raises.  With `vectors`, the
    whole of `h` becomes the (triangular) Schur form T and `z` the Schur vectors, A = Z·T·Zᵀ."""
    n = h.shape[0]
    eps = 2.220446049250313e-16
    norm = 0.0
    for i in range(n):
        for j in range(max(i - 1, 0), n):
            norm += abs(h[i, j])
    en = n - 1
    t = 0.0
    its = 0
    itn = 30 * n
    while en >= 0:
        lo = en
        while lo > 0:  # a negligible subdiagonal element splits the matrix
            s = abs(h[lo - 1, lo - 1]) + abs(h[lo, lo])
            if s == 0.0:
                s = norm
            if abs(h[lo, lo - 1]) <= eps * s:
                h[lo, lo - 1] = 0.0
                break
            lo -= 1
        x = h[en, en]
        if lo == en:  # one real eigenvalue
            h[en, en] = x + t
            wr[en] = x + t
            en -= 1
            its = 0
            continue
        na = en - 1
        y = h[na, na]
        w = h[en, na] * h[na, en]
        if lo == na:  # a 2×2 block
            p = (y - x) / 2.0
            q = p * p + w
            if q < 0:
                raise LinAlgError("eig() of a real matrix with complex eigenvalues: compiled code "
                                  "returns real arrays for a real matrix (pass a complex one, "
                                  "a.astype(np.complex128), for complex eigenvalues)")
            zz = p + math.copysign(math.sqrt(q), p)
            x = x + t
            h[en, en] = x
            h[na, na] = y + t
            wr[na] = x + zz
            wr[en] = x - w / zz if zz != 0.0 else x + zz
            if vectors:
                x = h[en, na]
                s = abs(x) + abs(zz)
                p = x / s
                q = zz / s
                r = math.sqrt(p * p + q * q)
                _rotate(h, z, na, en, p / r, q / r)
            en -= 2
            its = 0
            continue
        if itn == 0:
            raise LinAlgError("Eigenvalues did not converge")
        if its == 10 or its == 20:  # exceptional shift
            t += x
            for i in range(en + 1):
                h[i, i] -= x
            s = abs(h[en, na]) + abs(h[na, en - 2])
            x = 0.75 * s
            y = x
            w = -0.4375 * s * s
        its += 1
        itn -= 1
        m = en - 2  # two consecutive small subdiagonal elements start the step
        while True:
            zz = h[m, m]
            r = x - zz
            s = y - zz
            p = (r * s - w) / h[m + 1, m] + h[m, m + 1]
            q = h[m + 1, m + 1] - zz - r - s
            r = h[m + 2, m + 1]
            s = abs(p) + abs(q) + abs(r)
            p = p / s
            q = q / s
            r = r / s
            if m == lo:
                break
            far = abs(h[m, m - 1]) * (abs(q) + abs(r))
            near = abs(p) * (abs(h[m - 1, m - 1]) + abs(zz) + abs(h[m + 1, m + 1]))
            if far <= eps * near:
                break
            m -= 1
        for i in range(m + 2, en + 1):
            h[i, i - 2] = 0.0
            if i != m + 2:
                h[i, i - 3] = 0.0
        _double_step(h, z, lo, m, en, p, q, r, vectors)
    return True


def _rotate(h, z, na, en, p, q):
    """Rows and columns na, en of `h` (and columns of `z`) turned by the rotation (q, p)."""
    n = h.shape[0]
    for j in range(na, n):
        v = h[na, j]
        h[na, j] = q * v + p * h[en, j]
        h[en, j] = q * h[en, j] - p * v
    for i in range(en + 1):
        v = h[i, na]
        h[i, na] = q * v + p * h[i, en]
        h[i, en] = q * h[i, en] - p * v
    for i in range(n):
        v = z[i, na]
        z[i, na] = q * v + p * z[i, en]
        z[i, en] = q * z[i, en] - p * v


def _double_step(h, z, lo, m, en, p, q, r, vectors):
    """One Francis double-shift step on rows/columns m..en of `h`, by 3×3 reflectors (the
    first from (p, q, r), the others chasing the bulge)."""
    n = h.shape[0]
    na = en - 1
    last = n if vectors else en + 1
    first = 0 if vectors else lo
    for k in range(m, na + 1):
        notlast = k != na
        x = 0.0
        if k != m:
            p = h[k, k - 1]
            q = h[k + 1, k - 1]
            r = h[k + 2, k - 1] if notlast else 0.0
            x = abs(p) + abs(q) + abs(r)
            if x == 0.0:
                continue
            p = p / x
            q = q / x
            r = r / x
        s = math.copysign(math.sqrt(p * p + q * q + r * r), p)
        if k != m:
            h[k, k - 1] = -s * x
        elif lo != m:
            h[k, k - 1] = -h[k, k - 1]
        p = p + s
        x = p / s
        y = q / s
        zz = r / s
        q = q / p
        r = r / p
        for j in range(k, last):
            v = h[k, j] + q * h[k + 1, j]
            if notlast:
                v += r * h[k + 2, j]
                h[k + 2, j] -= v * zz
            h[k + 1, j] -= v * y
            h[k, j] -= v * x
        for i in range(first, min(en, k + 3) + 1):
            v = x * h[i, k] + y * h[i, k + 1]
            if notlast:
                v += zz * h[i, k + 2]
                h[i, k + 2] -= v * r
            h[i, k + 1] -= v * q
            h[i, k] -= v
        if vectors:
            for i in range(n):
                v = x * z[i, k] + y * z[i, k + 1]
                if notlast:
                    v += zz * z[i, k + 2]
                    z[i, k + 2] -= v * r
                z[i, k + 1] -= v * q
                z[i, k] -= v


def _complex_schur(h, z, w, vectors):
    """The eigenvalues of the complex upper Hessenberg `h` into `w` by single-shift QR steps
    (Wilkinson's shift; exceptional shifts after 10 and 20 steps), each step Givens rotations of
    the active window; with `vectors`, `h` becomes the triangular Schur form and `z` its vectors."""
    n = h.shape[0]
    eps = 2.220446049250313e-16
    norm = 0.0
    for i in range(n):
        for j in range(max(i - 1, 0), n):
            norm += abs(h[i, j])
    cs = np.empty(n)
    sn = np.empty(n, h.dtype)
    hi = n - 1
    its = 0
    itn = 30 * n
    while hi >= 0:
        lo = hi
        while lo > 0:
            s = abs(h[lo - 1, lo - 1]) + abs(h[lo, lo])
            if s == 0.0:
                s = norm
            if abs(h[lo, lo - 1]) <= eps * s:
                h[lo, lo - 1] = 0
                break
            lo -= 1
        if lo == hi:
            w[hi] = h[hi, hi]
            hi -= 1
            its = 0
            continue
        if itn == 0:
            raise LinAlgError("Eigenvalues did not converge")
        d = h[hi, hi]
        if its == 10 or its == 20:  # exceptional shift
            mu = d * 0 + abs(np.real(h[hi, hi - 1])) + (abs(np.real(h[hi - 1, hi - 2])) if hi >= 2 else 0.0)
        else:  # Wilkinson's: the eigenvalue of the trailing 2×2 nearer its last diagonal item
            bc = h[hi - 1, hi] * h[hi, hi - 1]
            half = (h[hi - 1, hi - 1] - d) / 2
            disc = cmath.sqrt(half * half + bc)
            big = half + disc
            if abs(half - disc) > abs(big):
                big = half - disc
            mu = d - bc / big if abs(big) > 0 else d
        its += 1
        itn -= 1
        last = n if vectors else hi + 1
        first = 0 if vectors else lo
        for k in range(lo, hi + 1):
            h[k, k] -= mu
        for k in range(lo, hi):
            a = h[k, k]
            b = h[k + 1, k]
            aa = abs(a)
            bb = abs(b)
            c = 1.0
            s = b * 0
            if bb > 0:
                if aa == 0:
                    c = 0.0
                    s = s + 1.0
                else:
                    r = math.hypot(aa, bb)
                    c = aa / r
                    s = (a / aa) * np.conj(b) / r
            cs[k] = c
            sn[k] = s
            for j in range(k, last):
                x = h[k, j]
                y = h[k + 1, j]
                h[k, j] = c * x + s * y
                h[k + 1, j] = c * y - np.conj(s) * x
        for k in range(lo, hi):
            c = cs[k]
            s = sn[k]
            cj = np.conj(s)
            for i in range(first, min(k + 2, hi) + 1):
                x = h[i, k]
                y = h[i, k + 1]
                h[i, k] = c * x + cj * y
                h[i, k + 1] = c * y - s * x
            if vectors:
                for i in range(n):
                    x = z[i, k]
                    y = z[i, k + 1]
                    z[i, k] = c * x + cj * y
                    z[i, k + 1] = c * y - s * x
        for k in range(lo, hi + 1):
            h[k, k] += mu


def _triangular_vectors(t, z):
    """The eigenvectors Z·X of Z·T·Zᴴ for the upper triangular T (`t`, overwritten by X): X's
    column k solves (T - t_kk)·x = 0 with x_k = 1 by back-substitution (a zero pivot becomes
    eps·‖T‖)."""
    n = t.shape[0]
    eps = 2.220446049250313e-16
    norm = 0.0
    for i in range(n):
        for j in range(i, n):
            norm += abs(t[i, j])
    small = eps * norm if norm > 0 else eps
    for k in range(n - 1, -1, -1):
        lam = t[k, k]
        t[k, k] = 1
        for i in range(k - 1, -1, -1):
            r = t[i, k] * 0
            for j in range(i + 1, k + 1):
                r += t[i, j] * t[j, k]
            d = t[i, i] - lam
            if abs(d) < small:
                d = d * 0 + small
            t[i, k] = -r / d
            size = abs(t[i, k])
            if size > 1e100:  # rescale the column before it overflows
                for j in range(i, k + 1):
                    t[j, k] /= size
        for i in range(k + 1, n):
            t[i, k] = 0
    v = np.empty((n, n), t.dtype)
    for i in range(n):
        for j in range(n):
            acc = t[0, j] * 0
            for k in range(j + 1):
                acc += z[i, k] * t[k, j]
            v[i, j] = acc
    for j in range(n):  # LAPACK's normalisation: norm 1, the largest item real and positive
        size = 0.0
        big = 0
        top = -1.0
        for i in range(n):
            m2 = np.real(v[i, j] * np.conj(v[i, j]))
            size += m2
            if m2 > top:
                top = m2
                big = i
        size = math.sqrt(size)
        phase = np.conj(v[big, j]) / abs(v[big, j]) if top > 0 else v[big, j] * 0 + 1.0
        f = phase / size
        for i in range(n):
            v[i, j] = v[i, j] * f
    return v


def _results(w, v, like, vectors):
    """w and v in `like`'s dtype (the computation's is float64 or complex128)."""
    n = w.shape[0]
    wo = np.empty(n, like.dtype)
    vo = np.empty((n if vectors else 0, n if vectors else 0), like.dtype)
    for i in range(n):
        wo[i] = w[i]
        if vectors:
            for j in range(n):
                vo[i, j] = v[i, j]
    return wo, vo


def _eig_real(a, vectors):
    x = _finite_work(a, np.zeros(1))
    n = x.shape[0]
    z = _identity(n, x)
    _hessenberg(x, z, vectors)
    w = np.empty(n)
    _francis(x, z, w, vectors)
    return _results(w, _triangular_vectors(x, z) if vectors else z, _floats(a), vectors)


def _eig_complex(a, vectors):
    x = _finite_work(a, np.zeros(1, np.complex128))
    n = x.shape[0]
    z = _identity(n, x)
    _hessenberg(x, z, vectors)
    w = np.empty(n, x.dtype)
    _complex_schur(x, z, w, vectors)
    # complex64 for float32 and complex64 input, complex128 otherwise (NumPy's result types)
    return _results(w, _triangular_vectors(x, z) if vectors else z, a[:1, :1] * np.complex64(1), vectors)


def eig(a):
    return _eig_real(a, True)


def eig_complex(a):
    return _eig_complex(a, True)


def eigvals(a):
    return _eig_real(a, False)[0]


def eigvals_complex(a):
    return _eig_complex(a, False)[0]
