"""Acceptance corpus, part 1: scalar numeric code in the style Numba users write in notebooks,
docs and tests -- loops over ints, floats and complex numbers, `math`/`cmath`, builtins, tuples,
global constants, defaults and keywords, recursion, jitted callees, closures, exceptions and
`None` on one path.

Registrations (shared with `corpus_acceptance_arrays.py`, run by `test_corpus_acceptance.py`):
- `@case(args, ...)`: CPython/NumPy is the oracle (same value and kind, or the same exception
  type and message); an argument that is a callable is called for a fresh copy (arrays);
- `@expect((args, value), ...)`: where jitlab differs from CPython by design (int64 wraparound);
- `@gap("area", args)`: a known missing feature, owned by the named area; the call must raise a
  clean `JitlabError` naming a line of the function -- never a crash or a wrong value.
Functions whose name starts with `_` are helpers called from the cases (compiled too).
"""
from __future__ import annotations

import cmath
import math

import numpy as np

CASES = []
EXPECTS = []
GAPS = []

NAN, INF = float("nan"), float("inf")
I64_MAX, I64_MIN = 2**63 - 1, -(2**63)

G_RATE = 0.05
G_STEPS = 12
G_COEFFS = (1.0, -3.0, 0.5, 2.0)
G_NESTED = ((1, 2), (3, 4))
G_ON = True
G_TABLE = np.array([1.0, 2.0, 4.0, 8.0])


def case(*arg_tuples, messages=True):
    def register(func):
        CASES.append((func, [tuple(a) for a in arg_tuples], messages))
        return func
    return register


def expect(*pairs):
    def register(func):
        EXPECTS.append((func, [(tuple(a), want) for a, want in pairs]))
        return func
    return register


def gap(area, *arg_tuples):
    def register(func):
        GAPS.append((func, area, [tuple(a) for a in arg_tuples]))
        return func
    return register


# ----------------------------------------------------------------------------- numeric loops


@case((1,), (10,), (1000,))
def harmonic(n):
    s = 0.0
    for k in range(1, n + 1):
        s += 1.0 / k
    return s


@case((0,), (1,), (100,), (10001,))
def leibniz_pi(n):
    total = 0.0
    sign = 1.0
    for k in range(n):
        total += sign / (2 * k + 1)
        sign = -sign
    return 4 * total


@case((1,), (6,), (27,), (97,))
def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


@case((12, 18), (17, 5), (0, 9), (-12, 18), (12, -18), (0, 0))
def gcd_loop(a, b):
    while b:
        a, b = b, a % b
    return a


@case((1,), (2,), (97,), (91,), (7919,), (0,), (-7,))
def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    i = 3
    while i * i <= n:
        if n % i == 0:
            return False
        i += 2
    return True


@case((10,), (100,), (1000,))
def count_primes(n):
    c = 0
    for k in range(n):
        if is_prime(k):
            c += 1
    return c


@case((0,), (1,), (2,), (30,), (90,))
def fib_iter(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


@case((0,), (1,), (15,), (16,), (10**12,), (10**18 - 1,))
def isqrt_newton(n):
    if n < 2:
        return n
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x


@case((2.0,), (0.25,), (1e10,), (1.0,))
def sqrt_newton(a):
    x = a if a > 1.0 else 1.0
    for _ in range(100):
        nx = 0.5 * (x + a / x)
        if abs(nx - x) < 1e-15 * nx:
            return nx
        x = nx
    return x


def _cubic(x):
    return x * x * x - 2.0 * x - 5.0


@case((2.0, 3.0), (0.0, 4.0))
def bisect_root(lo, hi):
    flo = _cubic(lo)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        fm = _cubic(mid)
        if fm == 0.0 or hi - lo < 1e-14:
            break
        if (fm < 0) == (flo < 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return mid


def _gauss(x):
    return math.exp(-x * x)


@case((0.0, 1.0, 10), (-2.0, 2.0, 1000))
def trapezoid(a, b, n):
    h = (b - a) / n
    s = 0.5 * (_gauss(a) + _gauss(b))
    for i in range(1, n):
        s += _gauss(a + i * h)
    return s * h


@case((0.0, math.pi, 100),)
def simpson_sin(a, b, n):
    h = (b - a) / n
    s = math.sin(a) + math.sin(b)
    for i in range(1, n):
        s += (4 if i % 2 else 2) * math.sin(a + i * h)
    return s * h / 3


@case((0,), (9,), (12345,), (-987,), (10**17,))
def digit_sum(n):
    n = abs(n)
    s = 0
    while n:
        s += n % 10
        n //= 10
    return s


@case((123,), (-456,), (1200,), (0,))
def reverse_digits(n):
    sign = -1 if n < 0 else 1
    n = abs(n)
    r = 0
    while n > 0:
        r = r * 10 + n % 10
        n = n // 10
    return sign * r


@case((3, 200, 13), (2, 10, 1000), (-3, 3, 7), (5, 0, 7), (7, 5, 1), (12, 34, -5))
def pow_mod(a, b, m):
    return pow(a, b, m)


@case((3, 7), (10, 17), (2, 9))
def pow_mod_inverse(a, m):
    return pow(a, -1, m)


@case((4, 6), (4, 2))
def pow_mod_inverse_missing(a, m):
    return pow(a, -1, m)


@case((5, 2), (10, 0), (10, 10), (30, 15), (3, 5))
def binomial(n, k):
    if k < 0 or k > n:
        return 0
    k = min(k, n - k)
    r = 1
    for i in range(k):
        r = r * (n - i) // (i + 1)
    return r


@case((0,), (5,), (15,))
def catalan(n):
    c = 1
    for i in range(n):
        c = c * 2 * (2 * i + 1) // (i + 2)
    return c


@case((28,), (496,), (12,), (1,))
def is_perfect(n):
    s = 1 if n > 1 else 0
    d = 2
    while d * d <= n:
        if n % d == 0:
            s += d
            if d != n // d:
                s += n // d
        d += 1
    return s == n


@case((-0.75, 0.1, 100), (0.3, 0.5, 50), (-2.0, 0.0, 1000), (0.0, 0.0, 20))
def mandel_escape(x, y, max_iter):
    c = complex(x, y)
    z = 0.0j
    for i in range(max_iter):
        z = z * z + c
        if (z.real * z.real + z.imag * z.imag) >= 4:
            return i
    return max_iter


@case((1 + 2j,), (0j,), (-0.5 + 0.5j,))
def horner_complex(z):
    acc = 0j
    for c in G_COEFFS:
        acc = acc * z + c
    return acc


@case((3 + 4j,), (-1 - 1j,), (2.5 + 0j,))
def complex_parts(z):
    return abs(z), z.conjugate(), z.real, z.imag, z * z.conjugate()


@case((1 + 1j,), (-4 + 0j,), (0j,), (1e-3 - 2j,))
def cmath_mix(z):
    r, phi = cmath.polar(z)
    w = cmath.rect(r, phi)
    return cmath.sqrt(z), cmath.exp(z), w, cmath.isclose(w, z, abs_tol=1e-12)


@case((1 + 1j,), (0j,))
def cmath_log_zero(z):
    return cmath.log(z)


@case((1.0, 0.0), (3.0, -4.0), (0.0, 0.0))
def complex_from_parts(a, b):
    z = complex(a, b)
    w = complex(a)
    return z, w, z + w, z / (w + 1)


@case((3, 4), (0, 0), (-1, 2))
def complex_int_ctor(a, b):
    return complex(a, b) ** 2


@case((4,), (10,))
def roots_of_unity_sum(n):
    s = 0j
    for k in range(n):
        s += cmath.exp(2j * math.pi * k / n)
    return abs(s) < 1e-9


# ------------------------------------------------------------- mixed arithmetic and casting


@case((True, True), (True, False), (False, False))
def bool_sum(a, b):
    return a + b, a * 3, a - b, a / 2 if a else -1.0


@case((5,), (0,), (-3,))
def count_true(n):
    c = 0
    for i in range(-5, 5):
        c += i < n
    return c


@case((3.7,), (-3.7,), (0.5,), (-0.5,), (1e15,))
def int_trunc(x):
    return int(x), math.floor(x), math.ceil(x), round(x)


@case((2.5,), (3.5,), (-2.5,), (0.125,), (2.675,), (1234.5678,), (-0.0,))
def round_ndigits(x):
    return round(x, 2), round(x, 0), round(x, -1), round(x, 1)


@case((1234,), (-1255,), (5,), (150,), (250,))
def round_int_negative_digits(n):
    return round(n, -1), round(n, -2), round(n, 0), round(n, 2)


@case((3,), (0,), (-2,))
def number_ctors(n):
    return int(n), float(n), bool(n), complex(n), int(float(n) + 0.5), float(bool(n))


@case((0.0,), (0.1,), (-0.0,), (NAN,))
def float_truth(x):
    if x:
        return 1
    return 0


@case((7, 2), (-7, 2), (7, -2), (-7, -2), (0, -3))
def int_div_family(a, b):
    return a // b, a % b, divmod(a, b), a / b, -(a // b) == (-a) // b


@case((7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (-0.0, 1.0), (1e300, 1e-300), (5.0, 0.3))
def float_div_family(a, b):
    return a // b, a % b, divmod(a, b), math.fmod(a, b), math.remainder(a, b)


@case((7, 0), (0, 0))
def int_mod_zero(a, b):
    return a % b


@case((7.0, 0.0),)
def float_floordiv_zero(a, b):
    return a // b


@case((1.0, 0.0), (0.0, 0.0))
def float_div_zero_caught(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        return -1.0


@case((3, 2.5), (-4, 0.5), (7, 7.0))
def mixed_int_float(i, x):
    return i + x, i * x, i - x, i / x, i // x, i % x, i ** 2 * x, i == x, i < x


@case((2, 3), (0, 0), (10, 0), (-3, 3), (7, 1))
def int_pow_signs(a, b):
    return a ** b


@expect(((2, -1), ValueError), ((0, -1), ValueError), ((3, 2), 9))
def int_pow_negative_exponent(a, b):
    return a ** b  # a float in CPython: jitlab's int ** int is an int, a negative exponent raises


@case((2.0, 0.5), (0.0, -1.0), (-0.0, -1.0), (-1.0, INF), (INF, 0.0), (-8.0, 3.0), (0.5, -INF))
def float_pow_corners(a, b):
    return a ** b


@expect(((-1.0, 0.5), ValueError), ((-8.0, 1.0 / 3.0), ValueError), ((4.0, 0.5), 2.0))
def float_pow_negative_fraction(a, b):
    return a ** b  # a complex number in CPython


@case((5, 3), (-5, 3), (0, 0), (255, 8))
def bit_ops(a, b):
    return a & b, a | b, a ^ b, ~a, a << b, a >> b, -a >> 1


@case((0b1011_0110,), (0,), (1,), (255,), (2**40 + 3,))
def bit_tricks(x):
    low = x & -x
    cleared = x & (x - 1)
    pop = 0
    y = x
    while y:
        y &= y - 1
        pop += 1
    return low, cleared, pop, (x & 1) == 1


@case((True, False), (True, True), (False, False))
def bool_bitwise(a, b):
    return a & b, a | b, a ^ b, not a, a and b, a or b, ~a


@case((3, 0), (0, 4), (0, 0), (2, 5))
def bool_ops_ints(a, b):
    return (a and b), (a or b), (not a)


@case((1, 2, 3), (3, 2, 1), (1, 1, 1), (1, 3, 2))
def chained_compare(a, b, c):
    return a < b < c, a <= b <= c, a < b > c, a == b == c, a != b != c, 0 < a < b < c < 10


_CALLS = [0]


def _clamp(x):
    return max(0.0, min(1.0, x))


@case((0.5,), (-1.0,), (2.0,), (NAN,))
def chained_with_calls(x):
    return 0.0 <= _clamp(x) <= 1.0, _clamp(x)


@case((NAN,), (1.0,), (INF,), (-INF,))
def float_specials(x):
    return x != x, x == x, x < INF, x > -INF, math.isnan(x), math.isinf(x), math.isfinite(x)


@case((1.0,), (-1.0,))
def inf_arithmetic(x):
    a = INF * x
    return a, a - a, a * 0.0, 1.0 / a, -a, math.copysign(1.0, 1.0 / a)


@case((0.0,), (-0.0,))
def signed_zero(x):
    return math.copysign(1.0, x), x == 0.0, abs(x), -x, x + 0.0, x * -1.0


@case((5.5, 2.0), (2.0, 5.0), (NAN, 1.0), (1.0, NAN), (-0.0, 0.0))
def max_min_floats(a, b):
    return max(a, b), min(a, b)


@expect(((5, 2.0), (5.0, 2.0)), ((2, 5.0), (5.0, 2.0)))
def max_min_mixed(a, b):
    return max(a, b), min(a, b)  # CPython returns the winning object (an int); typed code a float


@case((5, 2), (-3, -9), (0, 0))
def max_min_ints(a, b):
    return max(a, b, 0), min(a, b, 0), max(a, b) - min(a, b)


@case((-5,), (5,), (0,))
def abs_int(n):
    return abs(n), abs(-n), abs(n) == abs(-n)


@case((2.5,), (-2.5,), (NAN,), (-INF,))
def abs_float(x):
    return abs(x), abs(x) ** 0.5


@case((-3 + 4j,),)
def abs_complex(z):
    return abs(z)


@case((3,), (0,), (-3,))
def sign_function(x):
    return (x > 0) - (x < 0)


@case((8,), (0,), (-5,))
def float_int_equality(n):
    return float(n) == n, n / 2 == n // 2, int(n / 2) == n // 2


@case((2**53,), (2**53 + 1,), (I64_MAX,), (-(2**53) - 1,))
def int_float_precise_compare(n):
    return n == float(n), n < float(n), n > float(n), float(n) == 2.0**53


# ---------------------------------------------------------------------------- math module


@case((0.5,), (1.0,), (2.0,), (10.0,))
def math_special(x):
    return math.gamma(x), math.lgamma(x), math.erf(x), math.erfc(x)


@case((0.5,), (3.0,), (-2.5,))
def math_trig(x):
    return (math.sin(x), math.cos(x), math.tan(x), math.atan(x), math.sinh(x), math.cosh(x),
            math.tanh(x), math.degrees(x), math.radians(x))


@case((2.0,), (0.0,), (-1.0,))
def math_log_domain(x):
    return math.log(x)


@case((1.5, 2.0), (-1.5, 2.0), (1.0, 0.0), (0.0, 0.0))
def math_two_arg(x, y):
    return math.atan2(x, y), math.hypot(x, y), math.copysign(x, y), math.pow(abs(x), y)


@case((10, 4), (0, 0), (48, 18), (-12, 8))
def math_int_fns(a, b):
    return math.gcd(a, b), math.lcm(a, b), math.comb(abs(a), min(abs(b), abs(a))), math.factorial(abs(b))


@case((3.0,), (0.1,), (-7.25,), (1e300,))
def math_frexp_modf(x):
    m, e = math.frexp(x)
    f, i = math.modf(x)
    return m, e, f, i, math.ldexp(m, e) == x


@case((0.1, 0.2, 0.3), (1e20, 1.0, -1e20))
def math_fsum_tuple(a, b, c):
    return math.fsum((a, b, c)), a + b + c


@case((1.0, 1.0 + 1e-10), (1.0, 1.01), (0.0, 1e-12))
def math_isclose(a, b):
    return math.isclose(a, b), math.isclose(a, b, rel_tol=1e-2), math.isclose(a, b, abs_tol=1e-11)


@case((2.0,), (1e-5,), (1e5,))
def math_exp_log_family(x):
    return math.exp(x), math.expm1(x), math.log1p(x), math.log2(x), math.log10(x), math.log(x, 3)


@case((1000.0,),)
def math_exp_overflow(x):
    return math.exp(x)


@case((-1.0,),)
def math_sqrt_negative(x):
    return math.sqrt(x)


@case((0,), (5,), (20,))
def math_consts(n):
    return math.pi * n, math.e ** n, math.tau / 2 == math.pi, math.inf > n, math.isnan(math.nan)


# ----------------------------------------------------------------------------- control flow


@case((10, 7), (10, 11), (0, 0))
def while_else_search(n, target):
    i = 0
    while i < n:
        if i == target:
            break
        i += 1
    else:
        return -1
    return i


@case((20,), (1,), (2,))
def for_else_nested(n):
    found = 0
    for a in range(2, n):
        for b in range(2, a):
            if a % b == 0:
                break
        else:
            found += a
    return found


@case((5, 5), (3, 10), (0, 4))
def find_pair(n, s):
    for i in range(n):
        for j in range(i, n):
            if i + j == s:
                return i, j
    return -1, -1


@case((30,), (0,))
def while_continue_complex(n):
    i = 0
    total = 0
    while i < n:
        i += 1
        if i % 3 == 0 or i % 5 == 0:
            continue
        if i > 25:
            break
        total += i
    return total, i


@case((0,), (5,), (50,))
def while_true_break(n):
    k = 0
    acc = 1
    while True:
        if k >= n:
            break
        acc = (acc * 3) % 1000003
        k += 1
    return acc


@case((-5,), (0,), (5,), (50,), (500,))
def classify_ladder(x):
    if x < 0:
        kind = -1
    elif x == 0:
        kind = 0
    elif x < 10:
        kind = 1
    elif x < 100:
        kind = 2
    else:
        kind = 3
    return kind


@case((3.0,), (-3.0,), (0.0,))
def ternary_mixed(x):
    y = x if x > 0 else 0.0
    z = 1.0 if x == 0 else x / 2
    return y, z


@expect(((-3.0,), (0.0, -1.5)), ((0.0,), (0.0, 1.0)))
def ternary_int_or_float(x):
    y = x if x > 0 else 0  # an int on one path, a float on the other: unified to float
    z = 1 if x == 0 else x / 2
    return y, z


@case((10,), (1,), (0,))
def range_negative_steps(n):
    s = 0
    for i in range(n, 0, -1):
        s = s * 2 + i
    t = 0
    for i in range(n, -n, -3):
        t += i
    return s, t, len(range(n, -n, -3)), len(range(0, n, 4))


@case((5,), (0,))
def range_step_variable(n):
    out = 0
    for step in (1, 2, -1, -2):
        for i in range(0, n * step, step):
            out += i
    return out


@case((0,),)
def range_zero_step(s):
    t = 0
    for i in range(0, 10, s):
        t += i
    return t


@case((6,), (0,))
def enumerate_zip_reversed(n):
    total = 0
    for i, (a, b) in enumerate(zip(range(n), reversed(range(n)))):
        total += i * a - b
    for k, v in enumerate(range(n, 2 * n), 3):
        total += k * v
    return total


@case((8,),)
def nested_loops_with_flags(n):
    count = 0
    done = False
    for i in range(n):
        if done:
            break
        for j in range(n):
            if i * j > 20:
                done = True
                break
            count += 1
    return count, done


@case((10,), (1,))
def loop_variable_after(n):
    for i in range(n):
        pass
    j = 0
    while j < n:
        j += 3
    return i, j


@case((1000,),)
def accumulate_int_float(n):
    s = 0
    for i in range(n):
        s += i
        if s > 100:
            s = s / 2
    return s


@case((5,), (-1,))
def augmented_all(n):
    x = 100
    x += n
    x -= 3
    x *= 2
    x //= 3
    x %= 17
    x **= 2
    x <<= 1
    x >>= 2
    x &= 0xFF
    x |= 0x100
    x ^= 0x55
    y = 2.0
    y /= 4
    y **= 0.5
    return x, y


# ---------------------------------------------------------------------------- exceptions


@case((4, 2), (4, 0), (0, 0))
def safe_div(a, b):
    try:
        r = a / b
    except ZeroDivisionError:
        r = 0.0
    else:
        r = r + 1
    finally:
        r = r * 2
    return r


@case((5,), (-1,), (0,))
def raise_value_error(x):
    if x < 0:
        raise ValueError("negative input")
    if x == 0:
        raise ValueError(f"zero input: {x}")
    return math.sqrt(x)


def _checked_sqrt(x):
    if x < 0:
        raise ValueError(f"cannot take sqrt of {x}")
    return math.sqrt(x)


@case((4.0,), (-4.0,))
def callee_raises(x):
    return _checked_sqrt(x) + 1


@case((4.0,), (-4.0,))
def callee_raises_caught(x):
    try:
        return _checked_sqrt(x)
    except ValueError:
        return -1.0


@case((10,), (3,))
def count_failures(n):
    failures = 0
    for i in range(-n, n):
        try:
            _checked_sqrt(i)
        except ValueError:
            failures += 1
    return failures


@case((1,), (2,), (3,), (4,))
def except_tuple_order(k):
    try:
        if k == 1:
            raise IndexError("idx")
        if k == 2:
            raise KeyError("key")
        if k == 3:
            raise ZeroDivisionError("zero")
        return 0
    except (IndexError, KeyError):
        return 1
    except ArithmeticError:
        return 2


@case((1,), (0,))
def try_finally_return(x):
    total = 0
    for i in range(3):
        try:
            if x:
                continue
            total += i
        finally:
            total += 10
    return total


@case((5,), (-5,))
def assert_positive(x):
    assert x > 0, "x must be positive"
    return x * 2


@case((2,), (-3,))
def assert_plain(x):
    assert x % 2 == 0
    return x // 2


class MyError(Exception):
    pass


@gap("exceptions: user-defined exception classes", (1,), (-1,))
def raise_user_exception(x):
    if x < 0:
        raise MyError("bad value")
    return x


@case((3,), (0,))
def reraise_named(x):
    try:
        return 10 // x
    except ZeroDivisionError as e:
        raise e


@case((3,), (20,))
def raise_in_loop(n):
    s = 0
    for i in range(n):
        s += i
        if s > 50:
            raise OverflowError(f"sum exceeded at i={i}, s={s}")
    return s


@case((2.5,), (-1.25,))
def raise_float_message(x):
    if x < 0:
        raise ValueError(f"x={x:.3f} is negative, abs {abs(x)}")
    return x


# ------------------------------------------------------- defaults, keywords, closures, recursion


def _scale(x, factor=2.0, offset=0):
    return x * factor + offset


@case((3.0,), (-1.5,))
def defaults_and_keywords(x):
    return (_scale(x), _scale(x, 3), _scale(x, offset=1), _scale(x, offset=2, factor=0.5),
            _scale(factor=1, x=x))


def _kwonly(a, *, b=10, c=1):
    return a * b + c


@case((2,), (0,))
def keyword_only_callee(a):
    return _kwonly(a), _kwonly(a, c=5), _kwonly(a, b=2, c=0)


@case((3.0,), (1.0,))
def own_default(x, n=4, p=2.0):
    s = 0.0
    for i in range(n):
        s += x ** p
    return s


def _sum_args(*args):
    s = 0
    for a in args:
        s += a
    return s


@case((1, 2, 3), (0, 0, 0), (1.5, 2.0, 3.0))
def star_args_callee(a, b, c):
    return _sum_args(a, b, c), _sum_args(a)


@case((3,), (10,))
def closure_capture(n):
    k = n * 2

    def add_k(x):
        return x + k

    s = 0
    for i in range(n):
        s += add_k(i)
    return s


@case((4.0,), (0.5,))
def lambda_local(x):
    sq = lambda v: v * v
    cube = lambda v: sq(v) * v
    return sq(x) + cube(x)


def _apply_twice(f, x):
    return f(f(x))


def _inc(x):
    return x + 1


def _halve(x):
    return x / 2


@case((3,), (0,))
def function_as_argument(x):
    return _apply_twice(_inc, x), _apply_twice(_halve, x)


@case((5,), (3,))
def nested_closures(n):
    base = 10

    def outer(x):
        def inner(y):
            return y + base + x
        return inner(x * 2)

    return outer(n)


@case((5,), (0,))
def nonlocal_counter(n):
    count = 0

    def bump(k):
        nonlocal count
        count += k

    for i in range(n):
        bump(i)
    return count


def _fact(n):
    if n <= 1:
        return 1
    return n * _fact(n - 1)


@case((0,), (1,), (10,), (20,))
def factorial_recursive(n):
    return _fact(n)


def _fib_rec(n):
    if n < 2:
        return n
    return _fib_rec(n - 1) + _fib_rec(n - 2)


@case((0,), (1,), (15,))
def fib_recursive(n):
    return _fib_rec(n)


def _gcd_rec(a, b):
    return a if b == 0 else _gcd_rec(b, a % b)


@case((48, 36), (17, 5), (0, 4))
def gcd_recursive(a, b):
    return _gcd_rec(a, b)


def _fast_pow(x, n):
    if n == 0:
        return 1.0
    half = _fast_pow(x, n // 2)
    if n % 2:
        return half * half * x
    return half * half


@case((2.0, 10), (1.5, 7), (3.0, 0))
def power_by_squaring(x, n):
    return _fast_pow(x, n)


def _hanoi(n, a, b, c):
    if n == 0:
        return 0
    return _hanoi(n - 1, a, c, b) + 1 + _hanoi(n - 1, c, b, a)


@case((1,), (10,))
def hanoi_moves(n):
    return _hanoi(n, 1, 2, 3)


@case((3, 2.0), (0, 1.0))
def globals_read(n, x):
    s = x
    for i in range(G_STEPS):
        s *= 1 + G_RATE
    if G_ON:
        s += G_NESTED[1][0] * n
    return s, G_TABLE[n % 4], len(G_COEFFS)


# ------------------------------------------------------------------------------------ tuples


@case((1, 2.5), (-3, 0.0))
def tuple_nested_unpack(a, b):
    t = (a, (b, (a + 1, b * 2)))
    x, (y, (z, w)) = t
    return x + z, y * w, t[1][1][0]


@case((3, 4.0, True),)
def tuple_heterogeneous(a, b, c):
    t = (a, b, c)
    return t, t[0], t[-1], t[-2], len(t), t + (a,), t * 2


@case((1, 2, 3, 4),)
def tuple_swap_rotate(a, b, c, d):
    a, b, c, d = d, a, b, c
    return (a, b, c, d), (a, b) < (c, d), (a, b) == (a, b), 2 in (1, 2)


@case((1, 2), (3, 4), (5, 6), (0, -1))
def tuple_in_nested(a, b):
    t = ((1, 2), (3, 4), (a, b))
    return ((a, b) in ((1, 2), (3, 4)), (a, (b, 1.5)) < (a, (b, 2)), ((a, b), 1) == ((a, b), 1),
            (5, 6) not in t, (a, (b,)) >= (a, (b, 0)))


@case((2, 3),)
def tuple_return_call(a, b):
    q, r = divmod(a * 10, b)
    lo, hi = min(a, b), max(a, b)
    return q, r, lo, hi


@case((5,), (0,))
def tuple_loop_homogeneous(n):
    s = 0
    for v in (n, n + 1, n * 2, 7):
        s += v
    for p in ((1, 2), (3, 4), (5, 6)):
        s += p[0] * p[1]
    return s


@case((3,),)
def tuple_index_in_loop(n):
    t = (10, 20, 30, 40)
    s = 0
    for i in range(len(t)):
        s += t[i] * (i + n)
    return s


@case((3,),)
def tuple_from_global_unpacked(n):
    a, b, c, d = G_COEFFS
    return a + b * n + c * n * n + d * n ** 3


@case((2.0, 3.0),)
def tuple_argument_pass(x, y):
    return _norm2((x, y)), _norm2((y, -x))


def _norm2(p):
    return math.sqrt(p[0] * p[0] + p[1] * p[1])


@case((4,),)
def tuple_slice_const(n):
    t = (n, n + 1, n * 2, -n, 0)
    return t[1:3], t[:2], t[2:], t[::-1], t[::2]


@gap("tuples: starred unpacking", (4,))
def tuple_star_unpack(n):
    first, *rest = (n, n + 1, n + 2)
    *init, last = (n, 2.5, n * 2)
    return first, last, len(rest), len(init)


@case(((1, 2), 3),)
def tuple_arg_nested(t, k):
    return t[0] * k + t[1]


# ------------------------------------------------------------------------- None on one path


@gap("optional: None on one path, a value on another", (3,), (-3,))
def optional_local(x):
    r = None
    if x > 0:
        r = x * 2
    if r is None:
        return -1
    return r


@gap("optional: None on one path, a value on another", (3.0,), (-3.0,))
def optional_return(x):
    if x > 0:
        return math.sqrt(x)
    return None


def _find(n, target):
    for i in range(n):
        if i * i == target:
            return i
    return None


@gap("optional: None on one path, a value on another", (10, 49), (10, 50))
def optional_from_callee(n, target):
    r = _find(n, target)
    if r is None:
        return -1
    return r + 100


@case((2, None), (2, 5))
def optional_argument(a, b):
    if b is None:
        return a
    return a + b


@gap("optional: None on one path, a value on another", (5,), (0,))
def best_so_far(n):
    best = None
    for i in range(n):
        v = (i * 7) % 5
        if best is None or v > best:
            best = v
    return best


# ------------------------------------------------------------------------ numeric constructors


@case((100,), (0,), (127,))
def np_int_ctors(n):
    return int(np.int8(n)), int(np.uint8(n)), int(np.int16(n)), int(np.int32(n)), int(np.uint32(n))


@expect(((300,), (44, 44, 300, 300, 300)), ((-1,), (-1, 255, -1, -1, 4294967295)))
def np_int_ctors_wrap(n):  # NumPy 2 raises OverflowError for a Python int out of range; typed code wraps
    return int(np.int8(n)), int(np.uint8(n)), int(np.int16(n)), int(np.int32(n)), int(np.uint32(n))


@case((1.5,), (-2.7,), (1e40,))
def np_float_ctors(x):
    return float(np.float32(x)), float(np.float64(x)), np.float32(x) * 2 == np.float32(x * 2)


@case((3,), (0,))
def np_scalar_arith(n):
    a = np.int32(n) + np.int32(7)
    b = np.float32(n) / np.float32(3)
    c = np.uint8(n) + np.uint8(250)
    return int(a), float(b), int(c)


@case((1.5,), (-0.5,))
def float32_loop(x):
    s = np.float32(0.0)
    for i in range(10):
        s += np.float32(x) * np.float32(0.1)
    return float(s)


# ----------------------------------------------------------------------- int64 wraparound


@expect(((2**62,), -(2**63)), ((1,), 2))
def wrap_double(n):
    return n * 2


@expect(((I64_MAX,), I64_MIN), ((5,), 6))
def wrap_increment(n):
    return n + 1


@expect(((1,), 2), ((63,), I64_MIN), ((64,), 1))
def wrap_shift(k):
    r = 1
    for _ in range(k):
        r *= 2
    return r if r != 0 else 1


@expect(((I64_MIN,), I64_MIN))
def wrap_abs(n):
    return abs(n)


# ----------------------------------------------------------------------------- builtins misc


@case((3,), (0,))
def isinstance_checks(n):
    x = n * 1.5
    return isinstance(n, int), isinstance(x, float), isinstance(x, int), isinstance(n, (int, float))


@case((5,), (0,))
def sum_builtin_range(n):
    return sum(range(n)), sum((1, 2, 3)), sum(range(2, n, 2)), sum(i * i for i in range(n))


@case((5,), (0,))
def sum_range_start(n):
    return sum(range(n), 10)


@case((5,), (1,))
def any_all_generators(n):
    return any(i > 3 for i in range(n)), all(i < 10 for i in range(n))


@case((4,), (0,))
def min_max_iterables(n):
    return min((3, n, 7)), max(i * (5 - i) for i in range(n + 1)), max((2.5, n * 1.0, -1.0))


@case((4,), (0,))
def max_of_range(n):
    return max(range(1, n + 2))


@case((10,),)
def divmod_loop(n):
    out = 0
    for i in range(-n, n):
        q, r = divmod(i, 3)
        out += q * 31 + r
    return out


@case((3,), (-3,))
def hash_of_ints(n):
    return hash(n), hash(float(n)), hash(n) == hash(float(n))


@case((65,), (0x1F600,), (0,))
def chr_ord(n):
    return ord(chr(n))


@case((10,),)
def len_of_range(n):
    return len(range(n)), len(range(2, n, 3)), len(range(n, 0)), len(range(-n, n, 7))


@case((10,), (1,))
def range_index(n):
    return range(0, n, 2)[-1]


# ------------------------------------------------------------------------- round two: corners


@case((1e16,), (0.1,), (-0.0,), (NAN,), (INF,), (123456789.125,), (1e-7,), (2.5,))
def raise_float_repr(x):
    raise ValueError(f"value {x} / {x!r} / {x:.3e} / {x:g} / {x:10.2f}|")


@case((5,), (-42,), (0,), (123456789,))
def raise_int_formats(n):
    raise ValueError(f"n={n:05d} hex={n:x} width=[{n:>8}] plus={n:+d} sep={n:,}")


@case((True,), (False,))
def raise_bool_repr(b):
    raise ValueError(f"flag={b} not={not b} int={int(b)}")


@case((1 + 2j,), (-0.5j,))
def raise_complex_repr(z):
    raise ValueError(f"z={z} re={z.real}")


@case((3,),)
def raise_class_no_call(n):
    if n > 0:
        raise ValueError
    return n


@case((3,),)
def raise_empty_message(n):
    raise IndexError()


@case((0,), (1,), (2,))
def except_exception_catches_all(k):
    try:
        if k == 0:
            return 10 // k
        if k == 1:
            raise KeyError("k")
        return k
    except Exception:
        return -1


@case((5,), (12,))
def break_inside_try_finally(n):
    log = 0
    for i in range(n):
        try:
            if i == 7:
                break
            log += i
        finally:
            log += 100
    return log


@case((8,),)
def except_in_while_continue(n):
    i = 0
    caught = 0
    while i < n:
        i += 1
        try:
            if i % 3 == 0:
                raise ValueError("three")
        except ValueError:
            caught += 1
            continue
        caught += 10
    return caught


@case((3,), (0,))
def nested_try(n):
    try:
        try:
            return 100 // n
        except ZeroDivisionError:
            raise ValueError("inner")  # noqa: B904 -- the implicit context, as users write it
    except ValueError:
        return -1


@case((3, 1), (3, 5))
def index_error_from_tuple(n, i):
    t = (n, n + 1, n + 2)
    try:
        return t[i] if i < 3 else -1
    except IndexError:
        return -2


@case((2,), (-2,))
def assert_fstring_message(x):
    assert x > 0, f"x must be positive, got {x}"
    return x


@case((True,), (False,))
def bool_unary(b):
    return -b, +b, abs(b), b + 0, b * 1.5, b // 1, b % 2, b ** 2


@case((7, 2), (-7, 2), (2**62, 3), (-(2**62), 7), (I64_MIN + 1, -1))
def int_corners(a, b):
    return a // b, a % b, -a // b, (-a) % b, abs(a) // b


@expect(((I64_MIN, -1), (I64_MIN, 0)), ((I64_MIN, 1), (I64_MIN, 0)))
def int_min_floordiv(a, b):
    return a // b, a % b  # CPython: 2**63, a bigger int; int64 wraps to -2**63


@case((-0.0, 1.0), (0.0, -1.0), (-1e-300, 1.0), (5.0, INF), (-5.0, INF), (NAN, 1.0))
def float_divmod_signs(a, b):
    return divmod(a, b), a % b, a // b


@case((0.5,), (1.5,), (2.5,), (-0.5,), (0.285,), (1.005,), (1e15 + 0.5,), (5e-324,))
def round_corners(x):
    return round(x), round(x, 2), round(x, 1), round(x, 300), round(x, -300)


@case((1,), (-1,), (2**62,))
def float_int_mix_precision(n):
    x = n * 1.0
    return x == n, x + 1 == n + 1, int(x) == n, float(n) / 3


@case((3.0,), (-0.0,), (INF,), (NAN,))
def float_hash_and_int(x):
    return hash(x) == hash(x), x.is_integer() if math.isfinite(x) else False


@case((NAN, 1.0), (1.0, NAN), (NAN, NAN))
def nan_comparisons(a, b):
    return a < b, a > b, a == b, a != b, a <= b, max(a, b) != max(a, b), min(a, b) == min(a, b)


@case((1e308, 10.0), (-1e308, 10.0), (1e-308, 1e-10))
def float_overflow_underflow(a, b):
    return a * b, a / b, a + a, a - a


@case((2.0, 3.0), (0.5, -2.0), (-2.0, 2.0), (0.0, 0.0))
def float_power_builtin(a, b):
    return pow(a, b), a ** b, math.pow(a, b)


@case((3 + 4j, 2), (1j, 4), (2 - 1j, 0), (0j, 3), (1 + 1j, -2))
def complex_integer_power(z, n):
    return z ** n


@case((1 + 1j, 0.5 + 0.5j), (2j, 1 + 0j), (0j, 0j))
def complex_complex_power(z, w):
    return z ** w


@case((1 + 2j, 0j),)
def complex_div_by_zero(a, b):
    return a / b


@case((1 + 2j, 3 - 1j), (-1j, 1j), (0.5 + 0j, 0.5 + 0j))
def complex_compare_eq(a, b):
    return a == b, a != b, a == a.real, abs(a) == abs(b)


@case((1.0,), (-1.0,), (0.0,), (2.0,))
def cmath_branch_cuts(x):
    z = complex(-x, 0.0)
    w = complex(-x, -0.0)
    return cmath.sqrt(z), cmath.sqrt(w), cmath.log(z) if x != 0 else 0j, cmath.phase(w)


@case((0.5 + 0.5j,), (2 - 3j,), (-1 + 0j,))
def cmath_trig(z):
    return cmath.sin(z), cmath.cos(z), cmath.tan(z), cmath.asin(z), cmath.atanh(z * 0.5), cmath.log10(z)


def _egcd(a, b):
    if b == 0:
        return a, 1, 0
    g, x, y = _egcd(b, a % b)
    return g, y, x - (a // b) * y


@case((240, 46), (17, 5), (7, 0))
def extended_gcd(a, b):
    return _egcd(a, b)


def _count_down(n, acc):
    if n == 0:
        return acc
    return _count_down(n - 1, acc + n * 0.5)


@case((10,), (0,), (500,))
def tail_recursion_float(n):
    return _count_down(n, 0.0)


def _depth(n):
    return 0 if n <= 1 else 1 + _depth(n // 2 if n % 2 == 0 else 3 * n + 1)


@case((1,), (7,), (27,))
def collatz_recursive(n):
    return _depth(n)


def _ping(n):
    return 0 if n <= 0 else 1 + _pong(n - 1)


def _pong(n):
    return 0 if n <= 0 else 2 + _ping(n - 2)


@case((0,), (5,), (10,))
def mutual_recursion_mixed(n):
    return _ping(n)


def _opt_scale(x, factor=None):
    if factor is None:
        return x
    return x * factor


@case((3.0,), (-1.0,))
def optional_parameter_default(x):
    return _opt_scale(x), _opt_scale(x, 2.0), _opt_scale(x, factor=0.5)


def _clip(x, lo=0.0, hi=1.0):
    return min(max(x, lo), hi)


@case((0.5,), (-2.0,), (7.0,))
def defaults_by_keyword_order(x):
    return _clip(x), _clip(x, hi=10.0), _clip(x, -1.0), _clip(hi=0.25, x=x, lo=0.1)


@case((4,),)
def closure_over_loop_values(n):
    total = 0
    for i in range(n):
        def times_i(x):
            return x * i  # noqa: B023 -- called in the same iteration
        total += times_i(10)
    return total


@case((3,),)
def closure_reads_later_value(n):
    k = 1

    def f(x):
        return x + k

    a = f(n)
    k = 100
    return a, f(n)


@case((2.0,),)
def lambda_with_default(x):
    g = lambda v, p=2: v ** p
    return g(x), g(x, 3), g(p=1, v=x)


def _apply(f, a, b):
    return f(a, b)


def _add(a, b):
    return a + b


def _hyp(a, b):
    return math.hypot(a, b)


@case((3.0, 4.0),)
def function_argument_multiple(a, b):
    return _apply(_add, a, b), _apply(_hyp, a, b), _apply(_add, int(a), int(b))


G_INT = 7
G_FLOAT = -2.5
G_TUPLE = (1, 2.0, True)
G_BIG = 2**62


@case((1,),)
def global_mixed_constants(n):
    return G_INT * n, G_FLOAT * n, G_TUPLE[0] + G_TUPLE[1], G_TUPLE[2], G_BIG + n, math.pi * G_INT


@case((5,), (0,))
def while_else_with_continue(n):
    i = 0
    s = 0
    while i < n:
        i += 1
        if i % 2:
            continue
        s += i
    else:
        s += 1000
    return s


@case((10,),)
def for_else_return_inside(n):
    for i in range(n):
        if i * i > 50:
            return i
    else:
        return -1


@case((4, 3),)
def triple_nested_break_flags(n, m):
    hits = 0
    for i in range(n):
        for j in range(m):
            for k in range(n):
                if (i + j + k) % 5 == 4:
                    break
                hits += 1
            else:
                hits += 100
    return hits


@case((3,), (0,), (-2,))
def early_return_types(x):
    if x > 0:
        return x * 2.0
    elif x == 0:
        return 0.0
    return -1.0


@case((5,),)
def swap_three_way(n):
    a, b, c = n, n * 2, n * 3
    for _ in range(n):
        a, b, c = c - 1, a + 1, b
    return a, b, c


@case((9,), (1,))
def unpack_divmod_chain(n):
    h, rem = divmod(n * 3671, 3600)
    m, s = divmod(rem, 60)
    return h, m, s


@case((5, 3), (3, 5), (4, 4))
def compare_ops_return_bool(a, b):
    eq = a == b
    lt = a < b
    both = eq or lt
    return eq, lt, both, not both, eq is False, (a > b) + (a < b)


@case((10,), (-10,))
def is_none_checks(x):
    y = None
    return y is None, x is not None, (x if y is None else 0)


@case((0,), (3,))
def bool_of_ints_and_floats(n):
    return bool(n), bool(n * 0.5), bool(n - n), not n, bool(-n)


@case((255,), (1,), (2**40,))
def bit_length_and_count(n):
    c = 0
    m = n
    while m:
        c += 1
        m >>= 1
    return c, n.bit_length()


@case((12, 5), (-12, 5), (12, -5))
def bitwise_negative(a, b):
    return a & b, a | b, a ^ b, ~a & 0xFF, (a << 2) >> 1, -a >> 3


# ------------------------------------------------- round three: operators over type combinations

_MIXED = ((7, 2.5), (2.5, -2), (True, 3), (3, True), (True, False), (3 + 1j, 2), (-1.5, 2 - 1j), (-7, -2),
          (4.0, 0.5))


@case(*_MIXED)
def op_add_sub_mul(a, b):
    return a + b, a - b, a * b, -a, +b


@case(*_MIXED)
def op_truediv(a, b):
    return a / b


@case(*_MIXED[:5], (-7, -2), (4.0, 0.5), (-7.5, 2))
def op_floordiv_mod(a, b):
    return a // b, a % b


@case(*(p for p in _MIXED if p != (-7, -2)), (0, 0), (0.0, -1), (-7, 2))
def op_power(a, b):
    return a ** b


@case(*_MIXED)
def op_equality(a, b):
    return a == b, a != b, a == a, b != b


@case(*_MIXED[:5], (-7, -2), (4.0, 0.5), (NAN, 2), (2, NAN))
def op_ordering(a, b):
    return a < b, a <= b, a > b, a >= b


@case((3 + 1j, 2),)
def op_complex_ordering(a, b):
    return a < b


@case((3 + 1j, 2),)
def op_complex_floordiv(a, b):
    return a // b


@case((5, 3), (True, 6), (-1, True), (0, -9))
def op_bits_mixed(a, b):
    return a & b, a | b, a ^ b, a << 2, b >> 1


@case((2.5, 1),)
def op_float_bitand(a, b):
    return a & b


@case((7,), (-7,), (0,))
def op_inplace_chain(x):
    y = x
    y += 1.5
    z = x
    z //= 2
    w = x
    w **= 2
    v = x
    v /= 4
    return y, z, w, v


# -------------------------------------------------------------- ranges, iteration, constructors


@case((10,), (0,), (-3,))
def range_membership(n):
    r = range(0, n, 3)
    return 3 in r, 4 in r, n in range(n + 1), -1 in range(-5, 0), 7 not in r


@case((5,),)
def range_reversed_enumerate(n):
    out = 0
    for i, v in enumerate(reversed(range(1, n * 2, 2))):
        out += (i + 1) * v
    for v in reversed(range(n, 0, -2)):
        out = out * 3 + v
    return out


@case((4,),)
def zip_unequal_lengths(n):
    s = 0
    for a, b, c in zip(range(n), range(10, 20), range(n * 2, 0, -1)):
        s += a * b - c
    return s


@case((3,),)
def enumerate_zip_nested(n):
    s = 0.0
    for i, (a, b) in enumerate(zip(range(n), range(n, 2 * n))):
        for j, c in enumerate(range(i)):
            s += i * j + a * b * 0.5 + c
    return s


@case((2.5,), (-1.0,))
def numpy_scalar_constructors(x):
    a = np.float32(x)
    b = np.int32(x * 4)
    c = np.complex128(x)
    d = np.float64(b)
    return float(a * 2), int(b), complex(c * 1j), float(d / 3), bool(np.bool_(x > 0))


@case((3,), (-3,))
def int_float_conversions(n):
    x = float(n) / 2
    return int(x), int(-x), round(x), int(round(x * 3)), float(int(x * 10)) / 10


@case((1, 2.0), (0, -0.0))
def complex_constructor_forms(a, b):
    return complex(a), complex(a, b), complex(b, a), complex(complex(a, b)), complex(True, False)


@case((3.7,), (-3.7,), (2.0,))
def math_int_conversions(x):
    return math.floor(x), math.ceil(x), math.trunc(x), int(x), round(x), -(-x // 1)


# ------------------------------------------------------------------- exceptions, more kinds


@case((0,), (1,), (2,), (3,), (4,), (5,))
def raise_builtin_kinds(k):
    if k == 0:
        raise TypeError("t")
    if k == 1:
        raise RuntimeError("r")
    if k == 2:
        raise NotImplementedError("n")
    if k == 3:
        raise ArithmeticError("a")
    if k == 4:
        raise AssertionError("as")
    return k


@case((0,), (1,), (2,))
def except_base_classes(k):
    try:
        if k == 0:
            raise ZeroDivisionError("z")
        if k == 1:
            raise OverflowError("o")
        raise IndexError("i")
    except ArithmeticError:
        return 1
    except LookupError:
        return 2


@case((4,), (-4,))
def finally_runs_on_raise(x):
    count = 0
    try:
        try:
            if x < 0:
                raise ValueError("neg")
            count += 1
        finally:
            count += 10
    except ValueError:
        count += 100
    return count


@case((3,), (0,))
def reraise_bare(x):
    try:
        return 6 // x
    except ZeroDivisionError:
        raise


@case((5,),)
def exception_in_callee_loop_partial(n):
    total = 0
    try:
        for i in range(n, -n, -1):
            total += _checked_sqrt(i) > 1
    except ValueError:
        total += 1000
    return total


def _hashes(n, x):
    return (hash(n), hash(x), hash(-1), hash(-1.0), hash(2**61 - 1), hash(2**61), hash(INF), hash(-INF),
            hash(0.5), hash(1e300))


@case((-1, -1.0), (2**62, 2.5), (I64_MIN, -0.0), (12345678901, 1e-300))
def hash_corners(n, x):
    return _hashes(n, x)


@case((-0.0, 1.0), (0.0, -1.0), (-0.0, -1.0), (5.5, -2.0), (-5.5, INF), (1e300, 1e-300), (3.0, 0.0))
def signed_zero_math(x, y):
    return (divmod(x, y) if y else (0.0, 0.0), math.atan2(x, y), math.fmod(x, y) if y else 0.0,
            math.copysign(1.0, x * y), abs(complex(x, NAN)), cmath.phase(complex(x, -0.0)), round(x, 400),
            round(x, -400))


@case((5,), (-5,), (0,), (2**62,), (I64_MIN + 1,))
def int_mod_sign_corners(n):
    return n % -1, -n % 1, n // -1, divmod(n, -n) if n else (0, 0), pow(n, 2, -7), pow(-n, 3, 7)
