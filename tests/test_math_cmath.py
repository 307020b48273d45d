"""`math.gamma/lgamma/comb/perm/lcm/prod/fsum` and the `cmath` module, differential against the
running CPython: the same value (bit for bit, signed zeros and NaN included) or the same exception
type and message (3.14 words its math domain errors differently; the messages are CPython's own).
"""
from __future__ import annotations

import cmath
import math
import random
import struct

import pytest

import jitlab
from jitlab.errors import JitlabError

INF, NAN = math.inf, math.nan


def outcome(fn, *args):
    """What calling `fn` gives: ("value", bits-exact key) or ("raise", type, message)."""
    try:
        value = fn(*args)
    except (ArithmeticError, ValueError, TypeError) as exc:
        return ("raise", type(exc).__name__, str(exc))
    return ("value", type(value).__name__, _key(value))


def _key(value):
    if isinstance(value, float) and value != value:
        return "nan"  # (the sign of a NaN is not meaningful: C compilers may commute a product)
    if isinstance(value, float):
        return struct.pack("<d", value)
    if isinstance(value, complex):
        return (_key(value.real), _key(value.imag))
    if isinstance(value, tuple):
        return tuple(_key(v) for v in value)
    return value


def fn_of(source: str):
    """A function from a lambda's source (compiled code reads `math`/`cmath` as globals)."""
    return eval(source, {"math": math, "cmath": cmath})


def check_all(py_fn, inputs, jit_fn=None):
    jit_fn = jit_fn or jitlab.jit(py_fn)
    bad = [(args, outcome(py_fn, *args), outcome(jit_fn, *args)) for args in inputs
           if outcome(py_fn, *args) != outcome(jit_fn, *args)]
    assert not bad, f"{len(bad)} of {len(inputs)} differ, e.g. {bad[:3]}"


# -- gamma and lgamma ------------------------------------------------------------------------
SPECIAL = [0.0, -0.0, 1.0, 2.0, 3.0, -1.0, -2.0, -1e300, 0.5, -0.5, -2.5, 1e-320, -1e-320, 1e-20, 5e-21,
           -5e-21, 23.0, 24.0, 22.5, 140.0, 139.9, 140.1, 171.5, 171.62, 171.7, 172.0, 200.0, 200.5,
           -200.5, -201.0, -170.5, -180.3, 1e300, 2.5e305, 1e308, 4.999, 5.0, 5.001, 5.524680040776729,
           INF, -INF, NAN]


def _random_floats(n: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    return ([rng.uniform(-200, 200) for _ in range(n)] + [rng.uniform(-6, 6) for _ in range(n)]
            + [10 ** rng.uniform(-30, 2.4) * rng.choice((1, -1)) for _ in range(n)])


@pytest.mark.parametrize("name", ["gamma", "lgamma"])
def test_gamma_and_lgamma_are_cpythons_bits_and_errors(name):
    inputs = [(x,) for x in SPECIAL + _random_floats(3000, 11)]
    check_all(fn_of(f"lambda x: math.{name}(x)"), inputs)


def test_gamma_of_ints_and_bools():
    check_all(lambda n: math.gamma(n), [(n,) for n in (-3, -1, 0, 1, 2, 5, 23, 24, 170, 171, 172)])
    check_all(lambda n: math.lgamma(n), [(n,) for n in (-3, 0, 1, 2, 3, 100, 10**6)])
    check_all(lambda b: math.gamma(b), [(True,), (False,)])


# -- comb, perm, lcm, factorial: exact on int64, OverflowError past it --------------------------
def _fits(value) -> bool:
    return -2**63 <= value < 2**63


def _int_cases(name: str):
    rng = random.Random(5)
    pairs = [(n, k) for n in range(0, 70) for k in range(-1, 72, 3)] + [(-1, 2), (3, -1), (-4, -4)]
    pairs += [(rng.randrange(0, 2**62), rng.randrange(0, 4)) for _ in range(200)]
    pairs += [(2**63 - 1, 0), (2**63 - 1, 1), (62, 31), (66, 33), (67, 33), (68, 34), (20, 20), (21, 21),
              (25, 13), (2**32, 2)]
    if name == "comb":  # (CPython's perm of these is a number too large to compute)
        pairs += [(2**63 - 1, 2**63 - 1), (2**63 - 1, 2**63 - 2), (2**63 - 1, 2**63 - 3)]
    return pairs


@pytest.mark.parametrize("name", ["comb", "perm"])
def test_comb_and_perm_exact_or_overflow(name):
    py_fn = getattr(math, name)
    jit_fn = jitlab.jit(fn_of(f"lambda n, k: math.{name}(n, k)"))
    for n, k in _int_cases(name):
        try:
            want = py_fn(n, k)
        except ValueError as exc:
            with pytest.raises(ValueError, match=str(exc)):
                jit_fn(n, k)
            continue
        if _fits(want):
            assert jit_fn(n, k) == want, (n, k)
        else:
            with pytest.raises(OverflowError, match=rf"math\.{name}\(\) result does not fit in a 64-bit int"):
                jit_fn(n, k)


def test_perm_of_one_argument_and_factorial():
    perm1 = jitlab.jit(lambda n: math.perm(n))
    factorial = jitlab.jit(lambda n: math.factorial(n))
    for n in range(21):
        assert perm1(n) == math.perm(n) == factorial(n)
    with pytest.raises(OverflowError):
        perm1(21)
    for fn, py_fn in ((perm1, math.perm), (factorial, math.factorial)):
        with pytest.raises(ValueError) as caught:
            fn(-1)
        assert str(caught.value) == str(_error(py_fn, -1))


def _error(fn, *args):
    try:
        fn(*args)
    except Exception as exc:
        return exc
    raise AssertionError("no error")


def test_lcm():
    f0, f1 = jitlab.jit(lambda: math.lcm()), jitlab.jit(lambda a: math.lcm(a))
    f2, f3 = jitlab.jit(lambda a, b: math.lcm(a, b)), jitlab.jit(lambda a, b, c: math.lcm(a, b, c))
    assert f0() == 1 and f1(-6) == 6
    rng = random.Random(3)
    values = [0, 1, -1, 2, 6, -15, 2**31, 2**62, -2**63 + 1]
    values += [rng.randrange(-10**6, 10**6) for _ in range(60)]
    for a in values:
        for b in values[:20]:
            want = math.lcm(a, b)
            if _fits(want):
                assert f2(a, b) == want
            else:
                with pytest.raises(OverflowError):
                    f2(a, b)
    assert f3(4, 6, 10) == 60
    with pytest.raises(OverflowError):
        f1(-2**63)


def test_integer_functions_refuse_floats():
    for fn in (lambda x: math.comb(x, 2), lambda x: math.perm(x, 2), lambda x: math.lcm(x, 2)):
        with pytest.raises(JitlabError, match="needs integers"):
            jitlab.jit(fn)(2.0)


# -- prod and fsum ---------------------------------------------------------------------------
def test_prod_of_tuples_and_lists():
    check_all(lambda a, b, c: math.prod((a, b, c)), [(1, 2, 3), (2, 2.5, 3), (1.5, 2, True), (0, -1, 5)])
    check_all(lambda a: math.prod((a,)), [(7,), (2.5,)])
    check_all(lambda: math.prod(()), [()])
    check_all(lambda n: math.prod([i + 1 for i in range(n)]), [(0,), (1,), (10,), (20,)])
    check_all(lambda n: math.prod([i * 0.5 + 1 for i in range(n)]), [(1,), (5,), (30,)])
    check_all(lambda x: math.prod([x, -x, 2.0]), [(1.5,), (INF,), (NAN,), (-0.0,)])


def test_fsum_is_exact_with_cpythons_errors():
    f_list = jitlab.jit(lambda xs: math.fsum(xs))
    rng = random.Random(9)
    cases = [[], [0.0], [-0.0], [1e100, 1.0, -1e100], [0.1] * 10, [1e308, 1e308], [-1e308, -1e308],
             [INF, -INF], [INF, 1.0], [NAN, 1.0], [INF, NAN], [-INF, -INF, 1e308], [1e308, 1e308, -1e308],
             [2.0 ** -1074, 1.0, -1.0], [1.0, 2.0 ** -53, 2.0 ** -105], [1.0, -2.0 ** -53, -2.0 ** -105]]
    for _ in range(400):
        cases.append([rng.choice([rng.uniform(-1, 1) * 10.0 ** rng.randint(-20, 20), 1e308, -1e308, 1e-300,
                                  2.0 ** rng.randint(-1074, 1023), float(rng.randint(-9, 9))])
                      for _ in range(rng.randint(0, 40))])
    check_all(lambda xs: math.fsum(xs), [(c,) for c in cases], jit_fn=f_list)
    check_all(lambda n: math.fsum([i for i in range(n)]), [(0,), (10,), (1000,)])
    check_all(lambda a, b, c: math.fsum((a, b, c)), [(1e100, 1, -1e100), (0.1, 0.2, 0.3), (INF, -INF, 1.0),
                                                    (1e308, 1e308, 1.0), (True, 2, 0.5)])


def test_prod_and_fsum_refuse_what_they_cannot_compile():
    with pytest.raises(JitlabError, match="start= is not supported"):
        jitlab.jit(lambda xs: math.prod(xs, start=2))([1, 2])
    with pytest.raises(JitlabError, match="not supported"):
        jitlab.jit(lambda z: math.fsum((z, 1.0)))(1j)


# -- cmath -----------------------------------------------------------------------------------
_PARTS = [-INF, -1e308, -710.0, -2.5, -1.0, -0.5, -1e-310, -0.0, 0.0, 1e-310, 3e-200, 0.5, 1.0, 1.0000001,
          2.5, 710.0, 1e154, 1e200, 1e308, INF, NAN]


def _complex_inputs(seed: int = 1) -> list[complex]:
    rng = random.Random(seed)
    zs = [complex(a, b) for a in _PARTS for b in _PARTS]
    zs += [complex(rng.uniform(-5, 5), rng.uniform(-5, 5)) for _ in range(150)]
    zs += [complex(rng.choice((-1, 1)) * 10 ** rng.uniform(-320, 308),
                   rng.choice((-1, 1)) * 10 ** rng.uniform(-320, 308)) for _ in range(150)]
    return zs


CMATH_UNARY = ["sqrt", "exp", "log", "log10", "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos",
               "cosh", "sin", "sinh", "tan", "tanh", "phase", "polar", "isnan", "isinf", "isfinite"]


@pytest.mark.parametrize("name", CMATH_UNARY)
def test_cmath_functions_match_cpython_with_special_values(name):
    """Annex G's infinities, NaNs and signed zeros; CPython's ValueError/OverflowError cases."""
    check_all(fn_of(f"lambda z: cmath.{name}(z)"), [(z,) for z in _complex_inputs()])


@pytest.mark.parametrize("name", ["sqrt", "exp", "log", "acos", "atanh", "phase", "polar"])
def test_cmath_promotes_real_arguments(name):
    check_all(fn_of(f"lambda x: cmath.{name}(x)"), [(x,) for x in _PARTS])
    check_all(fn_of(f"lambda n: cmath.{name}(n)"), [(n,) for n in (-3, -1, 0, 1, 7, 2**62)])
    check_all(fn_of(f"lambda b: cmath.{name}(b)"), [(True,), (False,)])


def test_cmath_log_with_a_base_and_rect():
    zs = _complex_inputs(2)[::7]
    bases = [2.0, 10, 1.0, 0.0, -1.0, 1j, complex(0.5, 0.5), complex(INF, 0.0), complex(NAN, 1.0)]
    check_all(fn_of("lambda z, b: cmath.log(z, b)"), [(z, b) for z in zs for b in bases])
    check_all(fn_of("lambda r, phi: cmath.rect(r, phi)"), [(r, phi) for r in _PARTS for phi in _PARTS])
    check_all(fn_of("lambda r, phi: cmath.rect(r, phi)"), [(2, 1), (0, 3), (-1, 0)])


def test_cmath_isclose_and_constants():
    pairs = [(1 + 1j, 1 + 1j), (1 + 1j, 1 + 1.0000000001j), (1j, 2j), (complex(INF, 0), complex(INF, 0)),
             (complex(INF, 0), complex(-INF, 0)), (complex(NAN, 0), complex(NAN, 0)), (0j, 1e-12j),
             (1, 1 + 0j)]
    check_all(fn_of("lambda a, b: cmath.isclose(a, b)"), pairs)
    check_all(fn_of("lambda a, b: cmath.isclose(a, b, rel_tol=0.1)"), pairs)
    check_all(fn_of("lambda a, b: cmath.isclose(a, b, abs_tol=1e-9, rel_tol=0.0)"), pairs)
    check_all(fn_of("lambda a, b, t: cmath.isclose(a, b, abs_tol=t)"), [(1j, 2j, -1.0), (1j, 2j, 2.0)])
    check_all(fn_of("lambda x: (cmath.pi * x, cmath.e, cmath.tau, cmath.inf, cmath.infj, cmath.nan, "
                    "cmath.nanj)"), [(1.0,)])


def test_cmath_refuses_what_cpython_refuses():
    with pytest.raises(JitlabError, match="must be real number, not complex"):
        jitlab.jit(fn_of("lambda z: cmath.rect(z, 1.0)"))(1j)
    with pytest.raises(JitlabError, match="takes 1 arguments"):
        jitlab.jit(fn_of("lambda z: cmath.sqrt(z, z)"))(1j)
    with pytest.raises(JitlabError, match="unsupported keyword"):
        jitlab.jit(fn_of("lambda z: cmath.sqrt(z=z)"))(1j)


def _kernel(body: str):
    from jitlab import cuda

    namespace = {"cuda": cuda, "math": math, "cmath": cmath}
    exec(f"def k(a, z):\n    i = cuda.grid(1)\n    if i < a.shape[0]:\n        a[i] = {body}\n", namespace)
    return cuda.kernel(namespace["k"])


@pytest.mark.parametrize("body", ["cmath.sqrt(z).real", "cmath.exp(z).imag", "math.comb(i, 2)",
                                  "math.fsum((z.real, 1.0))", "math.hypot(z.real, z.imag, 1.0)",
                                  "math.dist((z.real, 1.0), (2.0, 3.0))"])
def test_cpu_only_functions_in_a_cuda_kernel_are_clear_errors(body):
    import numpy as np

    with pytest.raises(JitlabError, match="in a CUDA kernel is not supported") as caught:
        _kernel(body)[1, 2](np.zeros(2), 1 + 2j)
    assert caught.value.line is not None


def test_gamma_in_a_kernel_is_the_device_librarys():
    """libdevice's tgamma/lgamma on the GPU, libm's when emulated: CUDA's math, not CPython's."""
    import numpy as np

    a = np.zeros(2)
    _kernel("math.gamma(z.real) + math.lgamma(z.imag)")[1, 2](a, 4.5 + 2.5j)
    assert a[0] == pytest.approx(math.gamma(4.5) + math.lgamma(2.5), rel=1e-14)


def test_the_typed_interpreter_agrees_with_native_code_past_int64():
    from jitlab.dispatch import typeof
    from jitlab.ir.interpreter import Interpreter

    f = fn_of("lambda n, k: math.comb(n, k) + math.perm(n, k) + math.lcm(n, k) + math.factorial(k) "
              "+ math.perm(k)")
    f.__name__ = "f"
    compiled = jitlab.jit(f)
    for args in [(10, 3), (68, 20), (30, 21), (2**40, 2**40 - 1), (-1, 2), (5, 9)]:
        typed = compiled.compile(tuple(typeof(a) for a in args)).record.artefacts["typed"]
        assert outcome(compiled, *args) == outcome(Interpreter(typed).call, "f", *args), args


# -- hypot and dist: CPython's vector norm ----------------------------------------------------
def _norm_inputs(count: int, width: int, seed: int):
    rng = random.Random(seed)

    def one():
        return rng.choice([rng.uniform(-10, 10), 10 ** rng.uniform(-320, 308) * rng.choice((1, -1)), 0.0,
                           -0.0, INF, -INF, NAN, 1e-310, 3.0, 4.0])
    return [tuple(one() for _ in range(width)) for _ in range(count)]


def test_hypot_of_any_number_of_coordinates():
    check_all(fn_of("lambda: math.hypot()"), [()])
    check_all(fn_of("lambda x: math.hypot(x)"), [(x,) for x in (-2.5, 0.0, -0.0, INF, -INF, NAN, 7)])
    check_all(fn_of("lambda x, y: math.hypot(x, y)"), _norm_inputs(4000, 2, 1) + [(3, 4), (True, 1)])
    check_all(fn_of("lambda x, y, z: math.hypot(x, y, z)"), _norm_inputs(4000, 3, 2))
    check_all(fn_of("lambda a, b, c, d, e: math.hypot(a, b, c, d, e)"), _norm_inputs(1000, 5, 3))


def test_dist_of_tuples_and_lists():
    inputs = _norm_inputs(2000, 6, 4)
    check_all(fn_of("lambda a, b, c, x, y, z: math.dist((a, b, c), (x, y, z))"), inputs)
    check_all(fn_of("lambda p, q: math.dist(p, q)"), [(list(t[:3]), list(t[3:])) for t in inputs[:500]]
              + [([1.0, 2.0], [1.0]), ([], []), ([1, 2], [4, 6])])
    check_all(fn_of("lambda p, x, y: math.dist(p, (x, y))"), [(list(t[:2]), t[2], t[3]) for t in inputs[:300]]
              + [([1.0], 2.0, 3.0)])
    check_all(fn_of("lambda x: math.dist((x, 1.0), (2.0,))"), [(1.0,)])
