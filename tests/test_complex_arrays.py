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


def abs_parts(a):
    return np.abs(a), np.conj(a), -a, a.real, a.imag


def test_abs_is_hypot():
    """`np.abs` of complex items is `hypot(re, im)`, as CPython's `abs(z)`; NumPy's SIMD loop
    scales instead and may differ in the last bit."""
    got = jitlab.jit(abs_parts)(M)[0]
    assert np.array_equal(got, [[abs(complex(z)) for z in row] for row in M])
    assert np.allclose(got, np.abs(M), rtol=4e-16, atol=0)


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


@pytest.mark.parametrize("source", ["a.max()", "a.argmin()", "np.sqrt(a)", "a < a", "a ** 2",
                                    "np.maximum(a, a)", "np.exp(a[0])"])
def test_what_complex_arrays_do_not_support_yet_is_a_typing_error(source):
    namespace = {"np": np}
    exec(f"def f(a):\n    return {source}\n", namespace)
    with pytest.raises(TypingError, match="complex"):
        jitlab.jit(namespace["f"])(C)
