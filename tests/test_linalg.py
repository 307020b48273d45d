"""`np.linalg` (and `np.kron`/`np.cross`) in compiled code, differential against NumPy.

The implementations are jitlab Python (`jitlab/lib/linalg.py`) compiled by jitlab: results are
compared with NumPy's LAPACK within tolerances (rtol 1e-10 for float64 on well-conditioned
inputs, 1e-4 for float32), factorizations by their invariants (Q orthonormal, A = QR, A = UΣVh,
eigenvectors up to a sign per column), errors by class and message.  The same functions also
run under CPython (`test_library_runs_under_cpython`), which checks the algorithms apart from the
compiler.
"""
from __future__ import annotations

import numpy as np
import pytest

import jitlab
from jitlab.errors import JitlabError, TypingError, UnsupportedError
from jitlab.frontend.binding import CallArgumentError
from jitlab.lib import _EIG_ALWAYS_COMPLEX, CALLS, implementation
from numpy.linalg import LinAlgError

RNG = np.random.default_rng(20261127)
SIZES = (1, 2, 3, 5, 8, 13, 27, 50)


def _jit(body: str, params: str = "a"):
    """A jitted function `f(params)` returning `body` (a fresh function per call site)."""
    ns = {"np": np}
    exec(f"def f({params}):\n    return {body}\n", ns)
    return jitlab.jit(ns["f"])


det = _jit("np.linalg.det(a)")
slogdet = _jit("np.linalg.slogdet(a)")
inv = _jit("np.linalg.inv(a)")
solve = _jit("np.linalg.solve(a, b)", "a, b")
cholesky = _jit("np.linalg.cholesky(a)")
cholesky_upper = _jit("np.linalg.cholesky(a, upper=True)")
qr = _jit("np.linalg.qr(a)")
qr_complete = _jit("np.linalg.qr(a, mode='complete')")
qr_r = _jit("np.linalg.qr(a, 'r')")
lstsq = _jit("np.linalg.lstsq(a, b)", "a, b")
lstsq_rcond = _jit("np.linalg.lstsq(a, b, rcond=rcond)", "a, b, rcond")
pinv = _jit("np.linalg.pinv(a)")
pinv_rcond = _jit("np.linalg.pinv(a, rcond)", "a, rcond")
matrix_rank = _jit("np.linalg.matrix_rank(a)")
matrix_rank_tol = _jit("np.linalg.matrix_rank(a, tol)", "a, tol")
matrix_power = _jit("np.linalg.matrix_power(a, n)", "a, n")
eigh = _jit("np.linalg.eigh(a)")
eigh_upper = _jit("np.linalg.eigh(a, UPLO='U')")
eigvalsh = _jit("np.linalg.eigvalsh(a)")
eig = _jit("np.linalg.eig(a)")
eigvals = _jit("np.linalg.eigvals(a)")
svd = _jit("np.linalg.svd(a)")
svd_thin = _jit("np.linalg.svd(a, full_matrices=False)")
svdvals = _jit("np.linalg.svd(a, compute_uv=False)")
cond = _jit("np.linalg.cond(a)")
kron = _jit("np.kron(a, b)", "a, b")
cross = _jit("np.cross(a, b)", "a, b")
NORM_ORDS_MATRIX = (None, "fro", "nuc", 2, -2, 1, -1, np.inf, -np.inf)
NORM_ORDS_VECTOR = (None, 2, 1, np.inf, -np.inf, 0)
NORMS = {o: _jit(f"np.linalg.norm(a, {o!r})".replace("inf", "np.inf")) for o in
         set(NORM_ORDS_MATRIX) | set(NORM_ORDS_VECTOR)}


def _close(got, want, dtype=np.float64, scale=1.0):
    tol = 1e-4 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-10
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * scale)


def _general(n, m=None, dtype=np.float64):
    """A well-conditioned random matrix (n×m; square ones get a dominant diagonal)."""
    m = n if m is None else m
    a = RNG.standard_normal((n, m))
    if np.dtype(dtype).kind == "c":
        a = a + 1j * RNG.standard_normal((n, m))
    if n == m:
        a = a + n * np.eye(n)
    if np.dtype(dtype).kind == "i":
        return np.round(a * 4).astype(dtype)
    return a.astype(dtype)


def _spd(n, dtype=np.float64):
    """A symmetric (Hermitian, for a complex dtype) positive definite matrix."""
    a = RNG.standard_normal((n, n))
    if np.dtype(dtype).kind == "c":
        a = a + 1j * RNG.standard_normal((n, n))
    return (a @ a.conj().T + n * np.eye(n)).astype(dtype)


def _layouts(a):
    """`a` as C, Fortran and strided (a view of every other row and column) arrays."""
    big = np.zeros((2 * a.shape[0], 2 * a.shape[1]), a.dtype)
    big[::2, ::2] = a
    return {"C": a, "F": np.asfortranarray(a), "strided": big[::2, ::2]}


# -- LU: det, slogdet, inv, solve, matrix_power ------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.complex128])
def test_lu_family_matches_numpy(dtype):
    for n in SIZES:
        a = _general(n, dtype=dtype)
        scale = abs(np.linalg.det(a))
        _close(det(a), np.linalg.det(a), dtype, scale)
        sign, logdet = slogdet(a)
        want = np.linalg.slogdet(a)
        _close(sign, want.sign, dtype)
        _close(logdet, want.logabsdet, dtype)
        _close(inv(a), np.linalg.inv(a), dtype)
        b = RNG.standard_normal((n, 3))
        _close(solve(a, b), np.linalg.solve(a, b), dtype)
        _close(solve(a, b[:, 0]), np.linalg.solve(a, b[:, 0]), dtype)
    assert np.asarray(inv(_general(3, dtype=dtype))).dtype == np.linalg.inv(_general(3, dtype=dtype)).dtype
    assert solve(_general(3, dtype=dtype), np.ones(3)).dtype == np.linalg.solve(_general(3, dtype=dtype),
                                                                               np.ones(3)).dtype


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_layouts(layout):
    a = _general(7)
    x = _layouts(a)[layout]
    _close(det(x), np.linalg.det(a), scale=abs(np.linalg.det(a)))
    _close(solve(x, _layouts(a[:, :2])[layout]), np.linalg.solve(a, a[:, :2]))
    q, r = qr(x)
    _close(q @ r, a)
    s = _spd(7)
    _close(cholesky(_layouts(s)[layout]), np.linalg.cholesky(s))
    _close(eigvalsh(_layouts(s)[layout]), np.linalg.eigvalsh(s))
    _close(svdvals(x), np.linalg.svd(a, compute_uv=False))


def test_det_of_singular_and_special_matrices():
    assert det(np.array([[1.0, 2.0], [2.0, 4.0]])) == 0.0
    assert det(np.zeros((3, 3))) == 0.0
    assert det(np.eye(4)[::-1].copy()) == np.linalg.det(np.eye(4)[::-1])
    assert det(np.zeros((0, 0))) == 1.0
    sign, logdet = slogdet(np.zeros((2, 2)))
    assert sign == 0.0 and logdet == -np.inf
    h = 1.0 / (np.arange(6)[:, None] + np.arange(6)[None, :] + 1.0)  # Hilbert: ill-conditioned
    np.testing.assert_allclose(det(h), np.linalg.det(h), rtol=1e-8)  # cond(h) ~ 1.5e7
    np.testing.assert_allclose(inv(h), np.linalg.inv(h), rtol=1e-4)


def test_lu_errors_are_numpys():
    for f, args in ((inv, (np.ones((2, 2)),)), (solve, (np.ones((2, 2)), np.ones(2))),
                    (solve, (np.zeros((3, 3)), np.ones((3, 1))))):
        with pytest.raises(LinAlgError, match="^Singular matrix$") as info:
            f(*args)
        assert type(info.value) is LinAlgError
    for f, args in ((det, (np.ones((2, 3)),)), (inv, (np.ones((3, 2)),)), (slogdet, (np.ones((1, 2)),)),
                    (solve, (np.ones((2, 3)), np.ones(2))), (cholesky, (np.ones((2, 3)),)),
                    (eigh, (np.ones((2, 3)),)), (matrix_power, (np.ones((2, 3)), 2))):
        with pytest.raises(LinAlgError, match="^Last 2 dimensions of the array must be square$"):
            f(*args)
    with pytest.raises(ValueError, match=r"^solve1: Input operand 1 has a mismatch in its core dimension 0, "
                                         r"with gufunc signature \(m,m\),\(m\)->\(m\) \(size 3 is different "
                                         r"from 2\)$"):
        solve(np.eye(2), np.ones(3))
    with pytest.raises(ValueError, match=r"^solve: .*\(size 3 is different from 2\)$"):
        solve(np.eye(2), np.ones((3, 2)))


def test_matrix_power():
    for dtype in (np.float64, np.float32, np.int64, np.complex128):
        a = _general(4, dtype=dtype)
        for n in (0, 1, 2, 3, 7):
            want = np.linalg.matrix_power(a, n)
            got = matrix_power(a, n)
            assert got.dtype == want.dtype
            _close(got, want, dtype, scale=abs(want).max())
        if dtype != np.int64:
            _close(matrix_power(a, -3), np.linalg.matrix_power(a, -3), dtype)
    with pytest.raises(ValueError, match="integer matrix with a negative exponent"):
        matrix_power(np.eye(2, dtype=np.int64), -1)
    with pytest.raises(LinAlgError, match="Singular matrix"):
        matrix_power(np.ones((2, 2)), -1)


# -- Cholesky, QR ------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.complex128, np.complex64])
def test_cholesky(dtype):
    for n in SIZES:
        s = _spd(n, dtype if np.dtype(dtype).kind == "c" else np.float64)
        if dtype == np.int64:
            s = np.round(s * 10).astype(np.int64) + 10 * n * np.eye(n, dtype=np.int64)
        s = s.astype(dtype)
        _close(cholesky(s), np.linalg.cholesky(s), dtype, scale=abs(s).max())
        _close(cholesky_upper(s), np.linalg.cholesky(s, upper=True), dtype, scale=abs(s).max())
    lower_only = np.tril(_spd(4)) + np.triu(np.full((4, 4), 99.0), 1)  # the upper triangle is not read
    _close(cholesky(lower_only), np.linalg.cholesky(lower_only))
    for bad in (-np.eye(3), np.array([[1.0, 2.0], [2.0, 1.0]]), np.zeros((2, 2))):
        with pytest.raises(LinAlgError, match="^Matrix is not positive definite$"):
            cholesky(bad)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.complex128, np.complex64])
def test_qr(dtype):
    for m, n in ((1, 1), (3, 3), (8, 5), (5, 8), (27, 27), (50, 13), (13, 50)):
        a = _general(m, n, dtype)
        q, r = qr(a)
        q0, r0 = np.linalg.qr(a)
        assert q.shape == q0.shape and r.shape == r0.shape and q.dtype == q0.dtype
        _close(q, q0, dtype)  # the same Householder convention as LAPACK: the same signs
        _close(r, r0, dtype, scale=abs(a).max())
        _close(q.conj().T @ q, np.eye(q.shape[1]), dtype)
        qc, rc = qr_complete(a)
        qc0, rc0 = np.linalg.qr(a, mode="complete")
        assert qc.shape == qc0.shape and rc.shape == rc0.shape
        _close(qc @ rc, a, dtype, scale=abs(a).max())
        _close(qc.conj().T @ qc, np.eye(m), dtype)
        _close(rc, rc0, dtype, scale=abs(a).max())
        _close(qr_r(a), np.linalg.qr(a, mode="r"), dtype, scale=abs(a).max())
    z = np.zeros((4, 3))  # no reflection: LAPACK's tau = 0
    _close(qr(z)[0], np.linalg.qr(z)[0])


# -- eigh, SVD ---------------------------------------------------------------------------------
def _check_eigh(a, dtype=np.float64, upper=False):
    w, v = (eigh_upper if upper else eigh)(a)
    w0, v0 = np.linalg.eigh(a, UPLO="U" if upper else "L")
    scale = max(1.0, abs(w0).max())
    _close(w, w0, dtype, scale)
    assert w.dtype == w0.dtype and v.dtype == v0.dtype
    sym = np.triu(a) + np.triu(a, 1).conj().T if upper else np.tril(a) + np.tril(a, -1).conj().T
    if np.dtype(dtype).kind == "c":
        sym = sym - 1j * np.diag(np.diag(sym).imag)  # LAPACK reads the real part of the diagonal
    _close(sym @ v, v * w, dtype, scale)
    _close(v.conj().T @ v, np.eye(len(w)), dtype)
    gaps = np.diff(w0)
    if len(w0) < 2 or gaps.min() > 1e-3 * scale:  # distinct eigenvalues: vectors up to a sign or phase
        phases = np.sum(v.conj() * v0, axis=0)
        _close(v * phases / abs(phases), v0, dtype, scale=1e3 if dtype == np.float64 else 10)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.complex128, np.complex64])
def test_eigh(dtype):
    for n in SIZES:
        a = RNG.standard_normal((n, n))
        if np.dtype(dtype).kind == "c":
            a = a + 1j * RNG.standard_normal((n, n))
        a = np.round((a + a.T) * 4).astype(dtype) if dtype == np.int64 else (a + a.conj().T).astype(dtype)
        _check_eigh(a, dtype)
        _close(eigvalsh(a), np.linalg.eigvalsh(a), dtype, max(1.0, abs(np.linalg.eigvalsh(a)).max()))
    _check_eigh(np.triu(_spd(6)) + np.tril(np.full((6, 6), 7.0), -1), upper=True)
    w, v = eigh(np.eye(5))  # repeated eigenvalues
    _close(w, np.ones(5))
    _close(v.T @ v, np.eye(5))
    _check_eigh(np.diag([3.0, -1.0, 2.0]))


def _real_spectrum(n, dtype=np.float64):
    """A non-symmetric n×n matrix with well-separated real eigenvalues (NumPy's results real)."""
    q = RNG.standard_normal((n, n)) + n * np.eye(n)
    t = np.triu(RNG.standard_normal((n, n)), 1) + np.diag(np.arange(n) - n / 2)
    return (q @ t @ np.linalg.inv(q)).astype(dtype)


def _matched(w, w0):
    """The items of `w` in the order of the nearest of `w0` (eigenvalues come in any order)."""
    order = [int(np.argmin(abs(w - x))) for x in w0]
    assert sorted(order) == list(range(len(w))) or len(set(np.round(w0, 6))) < len(w0), (w, w0)
    return w[order]


def _check_eig(a, dtype):
    w, v = eig(a)
    w0, v0 = np.linalg.eig(a)
    assert w.dtype == w0.dtype and v.dtype == v0.dtype and w.shape == w0.shape and v.shape == v0.shape
    scale = max(1.0, abs(w0).max(initial=0))
    _close(_matched(w, w0), w0, dtype, scale)
    _close(_matched(eigvals(a), w0), w0, dtype, scale)
    _close(a @ v, v * w, dtype, scale)  # A·v = w·v, unit columns
    _close(np.linalg.norm(v, axis=0), np.ones(len(w)), dtype)
    gaps = abs(w0[:, None] - w0[None, :]) + scale * np.eye(len(w0))
    if len(w0) > 1 and gaps.min() < 1e-3 * scale:
        return  # a repeated eigenvalue: its vectors are not unique
    for i in range(len(w)):  # each of NumPy's vectors, up to a sign or phase
        k = np.argmin(abs(w - w0[i]))
        phase = np.vdot(v[:, k], v0[:, i])
        _close(v[:, k] * phase / abs(phase), v0[:, i], dtype, scale=10 * scale)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.complex128, np.complex64])
def test_eig(dtype):
    for n in (0, 1, 2, 3, 5, 8, 13, 27):
        if np.dtype(dtype).kind == "c":
            a = (RNG.standard_normal((n, n)) + 1j * RNG.standard_normal((n, n))).astype(dtype)
        elif dtype == np.int64:
            a = np.round(RNG.standard_normal((n, n)) * 4).astype(dtype)
            a = a + a.T  # symmetric: real eigenvalues
        else:
            a = _real_spectrum(n, dtype)
        _check_eig(a, dtype)
    _check_eig(np.eye(4), np.float64)  # repeated eigenvalues
    _check_eig(np.diag([3.0, -1.0, 2.0]), np.float64)
    _check_eig(np.triu(np.ones((5, 5))) + np.diag(np.arange(5.0)), np.float64)
    _check_eig(np.array([[0, 1], [-1, 0]], np.complex128), np.complex128)  # the rotation: ±i
    _check_eig(np.roll(np.eye(6), 1, axis=1).astype(np.complex128), np.complex128)  # roots of unity


def test_eig_errors():
    rotation = np.array([[0.0, 1.0], [-1.0, 0.0]])
    for f in (eig, eigvals):
        if _EIG_ALWAYS_COMPLEX:  # NumPy >= 2.5: complex results for every input, so ±i is a result
            got = np.sort(eig(rotation)[0] if f is eig else eigvals(rotation))
            np.testing.assert_allclose(got, np.array([-1j, 1j]), atol=1e-12)
        else:
            with pytest.raises(LinAlgError, match="real matrix with complex eigenvalues") as info:
                f(rotation)
            assert isinstance(info.value, ValueError)
        with pytest.raises(LinAlgError, match="^Last 2 dimensions of the array must be square$"):
            f(np.ones((2, 3)))
        for bad in (np.nan, np.inf):
            with pytest.raises(LinAlgError, match="^Array must not contain infs or NaNs$"):
                f(np.array([[1.0, bad], [0.0, 1.0]]))
            with pytest.raises(LinAlgError, match="^Array must not contain infs or NaNs$"):
                f(np.array([[1.0, bad], [0.0, 1.0]], np.complex128))


def _check_svd(a, dtype=np.float64):
    m, n = a.shape
    k = min(m, n)
    u, s, vh = svd(a)
    u0, s0, vh0 = np.linalg.svd(a)
    assert u.shape == u0.shape and s.shape == s0.shape and vh.shape == vh0.shape
    assert u.dtype == u0.dtype and s.dtype == s0.dtype and vh.dtype == vh0.dtype
    scale = max(1.0, s0.max(initial=0))
    _close(s, s0, dtype, scale)
    _close(u[:, :k] * s @ vh[:k], a, dtype, scale)
    _close(u.conj().T @ u, np.eye(m), dtype)
    _close(vh @ vh.conj().T, np.eye(n), dtype)
    ut, st, vht = svd_thin(a)
    assert ut.shape == (m, k) and vht.shape == (k, n)
    _close(ut * st @ vht, a, dtype, scale)
    _close(svdvals(a), s0, dtype, scale)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.complex128, np.complex64])
def test_svd(dtype):
    for m, n in ((1, 1), (2, 2), (5, 3), (3, 5), (13, 13), (50, 7), (7, 50), (27, 40)):
        _check_svd(_general(m, n, dtype), dtype)
    rank2 = RNG.standard_normal((9, 2)) @ RNG.standard_normal((2, 6))  # rank-deficient
    _check_svd(rank2)
    _check_svd(np.zeros((4, 3)))
    _check_svd(np.ones((3, 5)))


# -- lstsq, pinv, matrix_rank, cond, norms -----------------------------------------------------
def _check_lstsq(a, b, got, dtype=np.float64):
    x0, res0, rank0, s0 = np.linalg.lstsq(a, b)
    x, res, rank, s = got
    assert x.dtype == x0.dtype and s.dtype == s0.dtype
    _close(x, x0, dtype, scale=abs(x0).max(initial=1))
    assert res.shape == res0.shape and res.dtype == res0.dtype
    _close(res, res0, dtype, scale=max(1.0, abs(res0).max(initial=0)))
    assert rank == rank0
    _close(s, s0, dtype, scale=s0.max(initial=1))


def test_lstsq():
    for m, n in ((1, 1), (5, 3), (3, 5), (13, 13), (50, 7), (8, 30)):
        a = _general(m, n)
        b = RNG.standard_normal((m, 4))
        _check_lstsq(a, b, lstsq(a, b))
        _check_lstsq(a, b[:, 0], lstsq(a, b[:, 0]))
    rank2 = RNG.standard_normal((9, 2)) @ RNG.standard_normal((2, 6))
    b = RNG.standard_normal(9)
    _check_lstsq(rank2, b, lstsq(rank2, b))
    x, res, rank, s = lstsq_rcond(rank2, b, 0.5)
    x0, res0, rank0, s0 = np.linalg.lstsq(rank2, b, rcond=0.5)
    assert rank == rank0
    _close(x, x0)
    _check_lstsq(np.eye(3, dtype=np.int64), np.ones(3), lstsq(np.eye(3, dtype=np.int64), np.ones(3)))
    for dtype in (np.complex128, np.float32):  # (complex64 shares the SVD test_svd covers)
        a = _general(12, 5, dtype)
        b = _general(12, 2, dtype)
        _check_lstsq(a, b, lstsq(a, b), dtype)
    with pytest.raises(LinAlgError, match="^Incompatible dimensions$"):
        lstsq(np.ones((3, 2)), np.ones(4))


def test_pinv_rank_cond():
    for m, n in ((1, 1), (4, 4), (9, 3), (3, 9), (30, 30)):
        a = _general(m, n)
        _close(pinv(a), np.linalg.pinv(a))
        _close(pinv_rcond(a, 0.1), np.linalg.pinv(a, rcond=0.1))
        assert matrix_rank(a) == np.linalg.matrix_rank(a)
        assert matrix_rank_tol(a, 0.5) == np.linalg.matrix_rank(a, 0.5)
        if m == n:
            _close(cond(a), np.linalg.cond(a))
    for r in (0, 1, 3):
        a = RNG.standard_normal((8, r)) @ RNG.standard_normal((r, 6)) if r else np.zeros((8, 6))
        assert matrix_rank(a) == np.linalg.matrix_rank(a) == r
        _close(pinv(a), np.linalg.pinv(a))
    assert matrix_rank(np.zeros(4)) == 0 and matrix_rank(np.arange(4.0)) == 1
    assert pinv(np.eye(3, dtype=np.float32)).dtype == np.float32
    for dtype in (np.complex128,):
        a = _general(6, 4, dtype)
        got, want = pinv(a), np.linalg.pinv(a)
        assert got.dtype == want.dtype
        _close(got, want, dtype)
        assert matrix_rank(a) == np.linalg.matrix_rank(a)
        _close(cond(a[:4]), np.linalg.cond(a[:4]), dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_norms(dtype):
    for n in (1, 4, 13):
        a = _general(n, n + 2, dtype)
        for o in NORM_ORDS_MATRIX:
            got, want = NORMS[o](a), np.linalg.norm(a, o)
            assert np.asarray(got).dtype == want.dtype or np.dtype(dtype) == np.float32, o
            _close(got, want, dtype, scale=abs(want))
        x = a[0].copy()
        x[0] = 0
        for o in NORM_ORDS_VECTOR:
            _close(NORMS[o](x), np.linalg.norm(x, o), dtype, scale=abs(np.linalg.norm(x, o)))


def test_kron_cross():
    a, b = _general(3, 4), _general(2, 5, np.int64)
    np.testing.assert_array_equal(kron(a, b), np.kron(a, b))
    np.testing.assert_array_equal(kron(a[0], b[1]), np.kron(a[0], b[1]))
    np.testing.assert_array_equal(cross(a[0, :3], b[0, :3]), np.cross(a[0, :3], b[0, :3]))
    np.testing.assert_array_equal(cross(b[0, :3], b[1, :3]), np.cross(b[0, :3], b[1, :3]))
    with pytest.raises(ValueError, match="incompatible dimensions for cross product"):
        cross(np.ones(4), np.ones(4))


# -- stacks of matrices ------------------------------------------------------------------------
STACKED = [  # (body, argument makers from a well-conditioned (4, 3, 3) stack `a`, a (4, 3, 2) `b`)
    ("np.linalg.det(a)", lambda a, b: (a,)), ("np.linalg.slogdet(a)", lambda a, b: (a,)),
    ("np.linalg.inv(a)", lambda a, b: (a,)), ("np.linalg.solve(a, b)", lambda a, b: (a, b)),
    ("np.linalg.solve(a, b)", lambda a, b: (a, b[0, :, 0])),
    ("np.linalg.solve(a, b)", lambda a, b: (a, b[0])),
    ("np.linalg.solve(a, b)", lambda a, b: (a[0], b)), ("np.linalg.solve(a, b)", lambda a, b: (a[:1], b)),
    ("np.linalg.cholesky(a)", lambda a, b: (a @ a.transpose(0, 2, 1),)),
    ("np.linalg.qr(a)", lambda a, b: (b,)), ("np.linalg.qr(a, 'r')", lambda a, b: (b,)),
    ("np.linalg.matrix_power(a, 3)", lambda a, b: (a,)),
    ("np.linalg.eigh(a)", lambda a, b: (a + a.transpose(0, 2, 1),)),
    ("np.linalg.eigvalsh(a)", lambda a, b: (a,)),
    ("np.sort(np.linalg.eigvals(a))", lambda a, b: (a + a.transpose(0, 2, 1),)),
    ("np.sort(np.linalg.eig(a)[0].real)", lambda a, b: ((a + a.transpose(0, 2, 1)).astype(np.complex128),)),
    ("np.linalg.svd(a, compute_uv=False)", lambda a, b: (b,)), ("np.linalg.pinv(a)", lambda a, b: (b,)),
    ("np.linalg.matrix_rank(a)", lambda a, b: (b,)), ("np.linalg.cond(a)", lambda a, b: (a,)),
]


@pytest.mark.parametrize("body, make", STACKED, ids=[f"{i}-{b}" for i, (b, _) in enumerate(STACKED)])
def test_stacked_matrices(body, make):
    a = RNG.standard_normal((4, 3, 3)) + 3 * np.eye(3)
    b = RNG.standard_normal((4, 3, 2))
    args = make(a, b)
    f = _jit(body, ", ".join("ab"[:len(args)]))
    got, want = f(*args), f.py_func(*args)
    for g, w in zip(got if isinstance(want, tuple) else (got,), want if isinstance(want, tuple) else (want,)):
        assert np.shape(g) == np.shape(w) and np.asarray(g).dtype == np.asarray(w).dtype
        if "eigh" in body and np.ndim(w) == 3 or "qr" in body and isinstance(want, tuple):
            g, w = abs(g), abs(w)  # vectors up to a sign
        _close(g, w)
    empty = [np.zeros((0,) + x.shape[1:], x.dtype) if x.ndim == 3 else x for x in args]  # no matrices
    if "solve(a, b)" not in body:
        got, want = f(*empty), f.py_func(*empty)
        assert [np.shape(g) for g in got] == [np.shape(w) for w in want] if isinstance(want, tuple) \
            else np.shape(got) == np.shape(want)
    with pytest.raises(LinAlgError, match="^Last 2 dimensions of the array must be square$"):
        _jit("np.linalg.inv(a)")(np.ones((2, 3, 2)))


# -- compile-time errors -----------------------------------------------------------------------
@pytest.mark.parametrize("body, params, args, error, message", [
    ("np.linalg.det(a)", "a", (np.ones(3),), TypingError,
     r"linalg.det\(\) argument a must be a 2 or 3-d array"),
    ("np.linalg.det(a)", "a", (np.ones((2, 2, 2, 2)),), TypingError, "more than one stack axis"),
    ("np.linalg.lstsq(a, a)", "a", (np.ones((2, 2, 2)),), TypingError, "stacked matrices are not supported"),
    ("np.linalg.det(a)", "a", (np.ones((2, 2), bool),), TypingError, "must be an array of numbers"),
    ("np.linalg.qr(a, mode='raw')", "a", (np.ones((2, 2)),), TypingError, "qr mode 'raw' is not supported"),
    ("np.linalg.norm(a, 3)", "a", (np.ones((2, 2)),), TypingError, "norm ord 3 is not supported"),
    ("np.linalg.norm(a, axis=0)", "a", (np.ones((2, 2)),), TypingError, "axis"),
    ("np.linalg.svd(a, hermitian=True)", "a", (np.ones((2, 2)),), TypingError, "hermitian=True"),
    ("np.linalg.qr(a, m)", "a, m", (np.ones((2, 2)), 1), UnsupportedError, "mode computed at run time"),
    ("np.linalg.det(a, a)", "a", (np.ones((2, 2)),), CallArgumentError, "takes 1 positional"),
    ("np.linalg.solve(a)", "a", (np.ones((2, 2)),), CallArgumentError, "missing required argument 'b'"),
    ("np.linalg.det(x=a)", "a", (np.ones((2, 2)),), CallArgumentError, "unexpected keyword argument 'x'"),
])
def test_compile_errors(body, params, args, error, message):
    f = _jit(body, params)
    with pytest.raises(error, match=message) as info:
        f(*args)
    assert isinstance(info.value, JitlabError)


def test_linalg_error_caught_in_compiled_code():
    @jitlab.jit
    def safe_inv_trace(a):
        try:
            return np.trace(np.linalg.inv(a))
        except np.linalg.LinAlgError:
            return -1.0

    @jitlab.jit
    def as_value_error(a):
        try:
            return np.linalg.det(a) + np.linalg.cholesky(a)[0, 0]
        except ValueError:
            return -2.0

    assert safe_inv_trace(np.ones((2, 2))) == -1.0
    assert safe_inv_trace(2 * np.eye(2)) == 1.0
    assert as_value_error(-np.eye(2)) == -2.0


def test_interpreter_runs_numpy_and_the_typed_ir_names_the_implementation():
    from jitlab.ir import parse
    from jitlab.ir.interpreter import Interpreter

    a = _general(4)
    stages = jitlab.stages(qr_complete, a)
    assert 'callee = "numpy.linalg.qr"' in stages["rvsdg"]
    assert 'static = (("mode", "complete"),)' in stages["rvsdg"]
    assert 'library = "linalg.qr_complete"' in stages["typed"]
    for stage in ("rvsdg", "typed"):  # the interpreter calls NumPy's function with the static mode
        q, r = Interpreter(parse(stages[stage])).call("f", a)
        _close(q, np.linalg.qr(a, "complete")[0])


# -- the library under CPython -----------------------------------------------------------------
def test_library_runs_under_cpython():
    """The implementations are plain Python: run them as such on small inputs (no compiler)."""
    a, s = _general(5, 3), _spd(4)
    u, sv, vh = implementation("linalg_svd.svd_full")(a)
    _close(u[:, :3] * sv @ vh, a)
    _close(implementation("linalg.det")(s), np.linalg.det(s), scale=np.linalg.det(s))
    _close(implementation("linalg_eig.eigvalsh_l")(s), np.linalg.eigvalsh(s))
    _close(implementation("linalg.qr_complete")(a)[0], np.linalg.qr(a, "complete")[0])
    with pytest.raises(LinAlgError, match="Singular matrix"):
        implementation("linalg.inv")(np.ones((2, 2)))


def test_every_library_entry_names_an_implementation():
    for callee, lib in CALLS.items():
        assert callee.partition(".")[0] in ("numpy", "heapq"), callee
        for param in lib.static:
            assert param in lib.params
        if isinstance(lib.impl, str):
            assert callable(implementation(lib.impl))
