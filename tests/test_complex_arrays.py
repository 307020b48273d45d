"""complex64/complex128 NumPy arrays: arguments, results, items, views of the parts, math.

Products and quotients of infinite or overflowing parts are left out: NumPy's own results
there depend on how it was built (a fused multiply-add turns `1e300 * 1e300 - inf` into
`-inf`, where the plain expression is NaN); abs, conj, negation and the parts are exact.

Each case runs under NumPy and under `jitlab.jit`; the results must be equal (same dtype for
arrays, same value for scalars: an item read from a complex array comes back as a Python
complex, as float items come back as Python floats), and arrays modified in place equal too.
"""
import math

import numpy as np
import pytest

import jitlab
from jitlab.backend.llvm import nrt
from jitlab.errors import TypingError


def item(a, i):
    return a[i]


def item_2d(a, i, j):
    return a[i, j] * 2.0


def store(a, i, z):
    a[i] = z
    a[i + 1] = 3.0  # a real value stored into a complex array
    return a[i] + a[i + 1]


def iterate(a):
    s = 0j
    for z in a:
        s += z * z.conjugate()
    return s


def reductions(a):
    return a.sum(), a.prod(), a.mean(), a.cumsum()


def parts(a):
    return a.real, a.imag, np.real(a) + 1.0, np.imag(a) * 2.0


def write_parts(a):
    a.real[0] = -1.0
    a.imag[1:] = 7.5
    re = a.real
    re[2] += 0.25
    return a


def ufuncs(a):
    return np.conj(a), np.conjugate(a) + a, np.negative(a), np.square(a)


def conj_methods(a):
    # the methods, as NumPy's: a new array (a copy of real items), conjugated
    return a.conj(), a.conjugate() * 2


def abs_parts(a):
    return np.abs(a), np.conj(a), -a, a.real, a.imag


def test_abs_is_numpys():
    """`np.abs` of complex items is NumPy's SIMD loop bit for bit (`l * sqrt(fma(s/l, s/l, 1))`),
    which differs from C's `hypot` (CPython's `abs(z)`) in the last bit for some items."""
    rng = np.random.default_rng(5)
    z = rng.standard_normal(4000) * 10.0 ** rng.integers(-8, 8, 4000) + 1j * rng.standard_normal(4000)
    for items in (M, z, z.astype(np.complex64)):
        got = jitlab.jit(abs_parts)(items)[0]
        assert np.array_equal(got, np.abs(items))
    assert any(np.abs(x) != abs(complex(x)) for x in z)  # the case the test is about


def arithmetic(a, b):
    return a + b, a - b, a * b, a / b, a * 2.0, 1j * a, a == b, a != b


def divide(a, b):
    return a / b, a.mean()


def allocate(n):
    z = np.zeros(n, np.complex128)
    w = np.ones(n, dtype=np.complex64)
    for i in range(n):
        z[i] = complex(i, -i)
        w[i] = w[i] * (1 + 1j)
    return z, w, np.empty(n, np.complex64).shape, z.copy() * 1j


def full(n, z):
    return np.full(n, z), np.full((n, 2), 2.5, np.complex64)


def scalar_numpy(z):
    return np.abs(z), np.conj(z), np.real(z), np.imag(z)


def real_array_parts(x):
    return x.real + np.real(x), np.conj(x)


C = np.array([1 + 2j, -3.5 + 0.5j, 0j, complex(1e300, -1e300), complex(-0.0, math.inf)])
C64 = np.array([1 + 2j, -3.5 + 0.5j, 0.25j, 2 - 1j], dtype=np.complex64)
NANS = np.array([complex(math.nan, 1.0), complex(1.0, math.nan), 1 + 1j, complex(math.inf, 0.0)])
M = (np.arange(6.0) + 1j * np.arange(6.0)[::-1]).reshape(2, 3)
F = np.asfortranarray(M)

CASES = [
    (item, (C, 1)), (item, (C, -1)), (item, (C64, 2)), (item_2d, (M, 1, 2)), (item_2d, (F, 0, 1)),
    (store, (C.copy(), 1, 2 - 1j)), (store, (C64.copy(), 0, 0.5 + 0.25j)),
    (iterate, (C[:3],)), (iterate, (C64,)),
    (reductions, (C[:3],)), (reductions, (C64,)), (reductions, (NANS,)), (reductions, (M,)),
    (parts, (C,)), (parts, (C64,)), (parts, (M,)), (parts, (F,)), (parts, (C[::-2],)),
    (write_parts, (C[:3].copy(),)), (write_parts, (C64.copy(),)), (write_parts, (M[1].copy(),)),
    (ufuncs, (C[:3],)), (ufuncs, (C64,)), (ufuncs, (M,)), (abs_parts, (C,)), (abs_parts, (NANS,)),
    (abs_parts, (C64,)),
    (arithmetic, (C[:3], C[1:4])), (arithmetic, (C64, C64[::-1])), (arithmetic, (M, M[0] + 1.0)),
    (divide, (C[:3], np.array([0j, 2 + 0j, complex(0.0, -0.5)]))),
    (divide, (C64, np.array([1 + 1j, 0j, -2j, 3 + 0j], dtype=np.complex64))),
    (divide, (np.array([1 + 1j, complex(math.nan, 0.0)]), np.array([0j, 1 + 0j]))),
    (allocate, (4,)), (allocate, (0,)), (full, (3, 1 - 2j)),
    (scalar_numpy, (3 - 4j,)), (scalar_numpy, (complex(math.nan, -0.0),)), (scalar_numpy, (2.5,)),
    (real_array_parts, (np.arange(4.0),)),
    (conj_methods, (M,)), (conj_methods, (C64,)), (conj_methods, (M.T,)), (conj_methods, (np.arange(4.0),)),
    (conj_methods, (np.arange(6).reshape(2, 3),)),
]


def same(got, want) -> bool:
    if isinstance(want, tuple):
        return isinstance(got, tuple) and len(got) == len(want) and all(map(same, got, want))
    if isinstance(want, np.ndarray):
        return (isinstance(got, np.ndarray) and got.dtype == want.dtype and got.shape == want.shape
                and np.array_equal(got, want, equal_nan=True))
    if isinstance(want, (np.complexfloating, complex)):
        want = complex(want)
        return type(got) is complex and (got == want or (got != got and want != want)
                                         and repr(got) == repr(want))
    if isinstance(want, np.floating):
        want = float(want)
    return type(got) is type(want) and (got == want or got != got and want != want)


def _copy(args):
    return tuple(a.copy(order="K") if isinstance(a, np.ndarray) else a for a in args)


@pytest.mark.parametrize("func, args", CASES, ids=lambda x: getattr(x, "__name__", None))
def test_matches_numpy(func, args):
    want_args, got_args = _copy(args), _copy(args)
    with np.errstate(all="ignore"):
        want = func(*want_args)
    got = jitlab.jit(func)(*got_args)
    assert same(got, want), (got, want)
    for g, w in zip(got_args, want_args):  # arrays modified in place are seen by the caller
        if isinstance(w, np.ndarray):
            assert np.array_equal(g, w, equal_nan=True)
    del got
    assert nrt.live_blocks() == 0


def test_parts_are_views_of_the_argument():
    a = C.copy()
    re, im, _, _ = jitlab.jit(parts)(a)
    assert re.base is a and im.base is a and not re.flags.c_contiguous
    re[0] = 42.0
    assert a[0] == 42 + 2j


def test_a_complex_value_is_not_stored_into_a_real_array():
    with pytest.raises(TypingError, match="cannot store a c128 value"):
        jitlab.jit(store)(np.zeros(3), 0, 1j)


@pytest.mark.parametrize("source", ["np.floor(a)", "a // a", "a % a", "np.fabs(a)", "np.arctan2(a, a)",
                                    "np.floor(a[0])"])
def test_what_numpy_refuses_on_complex_values_is_a_typing_error(source):
    namespace = {"np": np}
    exec(f"def f(a):\n    return {source}\n", namespace)
    with pytest.raises(TypingError, match="complex"):
        jitlab.jit(namespace["f"])(C)


# -- NumPy's complex math: ufuncs, **, ordering, maximum/minimum, min/max/argmin/argmax ------
INF, NAN = math.inf, math.nan
SPECIAL = np.array([complex(x, y) for x in (0.0, -0.0, 1.5, -2.0, 1e300, INF, -INF, NAN)
                    for y in (0.0, -0.0, 0.5, -3.0, 1e-310, INF, NAN)])
ORDINARY = np.array([1 + 2j, -3.5 + 0.5j, 0.25 - 1j, 2 + 0j, -1 - 1j, 0.5j, 3 - 0.5j, -0.75 + 0.25j])
UFUNCS = ["sqrt", "exp", "log", "log2", "log10", "exp2", "expm1", "log1p", "sin", "cos", "tan",
          "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh"]


def _ufunc_of(name):
    namespace = {"np": np}
    exec(f"def f(a):\n    return np.{name}(a)\n", namespace)
    return namespace["f"]


def close(got, want, dtype):
    """Equal: the same C library functions as NumPy's (`csqrtf` for complex64) and its formulas."""
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
@pytest.mark.parametrize("name", UFUNCS)
def test_complex_ufuncs_match_numpy(name, dtype):
    f = _ufunc_of(name)
    a = ORDINARY.astype(dtype).reshape(2, 4)
    with np.errstate(all="ignore"):
        want = f(a)
    close(jitlab.jit(f)(a), want, dtype)
    scalar = complex(ORDINARY[0])
    got = jitlab.jit(f)(scalar)
    assert type(got) is complex and got == complex(f(np.complex128(scalar)))


@pytest.mark.parametrize("name", ["sqrt", "exp", "log", "log2", "log10", "exp2", "sin", "cos", "tan",
                                  "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh"])
def test_complex_ufuncs_at_special_values(name):
    f = _ufunc_of(name)
    with np.errstate(all="ignore"):
        want = f(SPECIAL)
    got = jitlab.jit(f)(SPECIAL)
    np.testing.assert_array_equal(got, want)  # NaN where NumPy gives NaN, signed zeros, infinities
    assert np.array_equal(np.signbit(got.real), np.signbit(want.real))


def powers(a, b, k):
    return a ** b, a ** k, a ** 2, a ** 3, a ** -2, a ** 0.5, 2.0 ** a, np.power(a, b)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
@pytest.mark.parametrize("k", [0, 1, 2, 3, 7, -1, -3, 99, 100, 2.5, -0.5])
def test_complex_power_matches_numpy(k, dtype):
    a = ORDINARY.astype(dtype)
    b = (ORDINARY[::-1] * 0.5).astype(dtype)
    with np.errstate(all="ignore"):
        want = powers(a, b, k)
    got = jitlab.jit(powers)(a, b, k)
    for g, w, label in zip(got, want, ("a**b", "a**k", "a**2", "a**3", "a**-2", "a**0.5", "2**a", "power")):
        if label == "a**0.5" or label == "a**k" and k in (-1, 0.5):
            # NumPy computes these through np.sqrt / np.reciprocal (its fast scalar power),
            # jitlab through npy_cpow: the same value to a few ulps
            np.testing.assert_allclose(g, w, rtol=4e-7 if dtype == np.complex64 else 1e-15)
        else:
            close(g, w, dtype)


def test_complex_power_special_cases():
    a = np.array([0j, 0j, 0j, 1 + 1j, complex(INF, 0.0), complex(NAN, 1.0), -0.0 + 0j])
    b = np.array([0j, 2 + 0j, -1 + 0j, 0j, 2 + 0j, 1 + 0j, 1j])
    with np.errstate(all="ignore"):
        want = a ** b
    np.testing.assert_array_equal(jitlab.jit(lambda x, y: x ** y)(a, b), want)


def ordering(a, b):
    return a < b, a <= b, a > b, a >= b, np.maximum(a, b), np.minimum(a, b)


def extrema(a):
    return a.min(), a.max(), a.argmin(), a.argmax()


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_complex_ordering_is_numpys(dtype):
    with np.errstate(all="ignore"):
        a = SPECIAL.astype(dtype)
        b = SPECIAL[::-1].astype(dtype)
        want = ordering(a, b)
        shifted = ordering(a, np.roll(a, 3))
    for got, w in ((jitlab.jit(ordering)(a, b), want), (jitlab.jit(ordering)(a, np.roll(a, 3)), shifted)):
        for g, x in zip(got, w):
            assert g.dtype == x.dtype
            np.testing.assert_array_equal(g, x)


@pytest.mark.parametrize("values", [
    ORDINARY, ORDINARY[::-1], np.array([1 + 2j, 1 + 3j, 1 - 3j, 0.5 + 9j]),
    np.array([1 + 1j, complex(2.0, NAN), complex(NAN, 0.0), 3 + 0j]),
    np.array([complex(NAN, NAN), 1j]), np.array([5 + 0j]), ORDINARY.reshape(2, 4),
    SPECIAL,
], ids=range(8))
@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_complex_extrema_are_numpys(values, dtype):
    with np.errstate(all="ignore"):
        a = values.astype(dtype)
    with np.errstate(all="ignore"):
        want = extrema(a)
    got = jitlab.jit(extrema)(a)
    for g, w in zip(got[:2], want[:2]):
        assert type(g) is complex
        np.testing.assert_array_equal(np.complex128(g), np.complex128(w))
    assert got[2:] == tuple(int(w) for w in want[2:])


def test_empty_complex_extrema_raise_like_numpy():
    for method, message in (("min", "zero-size array to reduction operation minimum"),
                            ("argmax", "attempt to get argmax of an empty sequence")):
        namespace = {}
        exec(f"def f(a):\n    return a.{method}()\n", namespace)
        with pytest.raises(ValueError, match=message):
            jitlab.jit(namespace["f"])(np.zeros(0, np.complex128))


def predicates(a, b):
    return np.isnan(a), np.isinf(a), np.isfinite(a), np.where(np.isfinite(a), a, b), np.isnan(a[1])


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_complex_predicates_and_where_match_numpy(dtype):
    with np.errstate(all="ignore"):
        a = SPECIAL.astype(dtype)
        b = np.full(len(SPECIAL), 7 - 1j, dtype)
    want = predicates(a, b)
    got = jitlab.jit(predicates)(a, b)
    for g, w in zip(got[:4], want[:4]):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w)
    assert got[4] is bool(want[4])


def joins(a, b):
    squares = (a.reshape(2, 2), b.reshape(2, 2))
    return np.concatenate((a, b)), np.vstack((a, b)), np.hstack((a, b)), np.concatenate(squares, 1)


@pytest.mark.parametrize("a, b", [(ORDINARY[:4], ORDINARY[4:]), (C64, ORDINARY[:4]),
                                  (ORDINARY[:4], np.arange(4.0))])
def test_complex_arrays_join_like_numpy(a, b):
    want, got = joins(a, b), jitlab.jit(joins)(a, b)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w)


def spreads(a):
    return a.var(), a.std(), np.var(a), np.std(a)


@pytest.mark.parametrize("a", [ORDINARY, C64, ORDINARY.reshape(2, 4), ORDINARY[::-3]], ids=range(4))
def test_complex_var_and_std_are_real_like_numpy(a):
    want, got = spreads(a), jitlab.jit(spreads)(a)
    for g, w in zip(got, want):  # NumPy sums pairwise, jitlab in order: the last bits may differ
        assert type(g) is float
        assert math.isclose(g, float(w), rel_tol=1e-6 if a.dtype == np.complex64 else 1e-14)


def products(a, b, m):
    return np.dot(a, b), a @ b, m @ a, np.dot(m, m), a.dot(b), m @ b.real


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_complex_matrix_products_match_numpy(dtype):
    a, b = ORDINARY[:3].astype(dtype), ORDINARY[3:6]
    m = (np.outer(a, b) + 1j).astype(dtype)
    want, got = products(a, b, m), jitlab.jit(products)(a, b, m)
    for g, w in zip(got, want):  # BLAS sums in its own order: the last bits may differ
        if isinstance(w, np.ndarray):
            assert g.dtype == w.dtype
        np.testing.assert_allclose(g, w, rtol=1e-5 if dtype == np.complex64 else 1e-13)
