"""Differential corpus: scalar Python functions and the arguments to run them on.

Every function here is plain Python in the style Numba users write (int64, float64 and bool
scalars only) and is registered with ``@case(args, args, ...)``.  ``tests/test_differential.py``
runs each (function, args) pair under CPython and under ``jitlab.jit`` and demands the same
result with the same Python type, or the same exception type and message.

Scheme for calls between functions (``global:NAME`` in the IR): the test builds one namespace,
a copy of this module's globals, in which *every* corpus function is replaced by
``jitlab.jit`` of a copy of that function whose globals are that namespace.  So a caller's
global ``gcd`` is a jit object, exactly as when a user decorates both functions with
``@jitlab.jit`` in one module; CPython reference results come from the plain originals here.

Assumptions (the language of issue 2, item 3):
- all int values, intermediate ones included, fit in int64 for every listed case; nothing
  relies on Python's arbitrary-precision ints;
- every function is type-stable: each variable and the return value have one type for a given
  argument-type signature on every path (so jitlab's unified type equals CPython's type);
- ``int ** negative`` appears only with a *constant* negative exponent (typed float64);
  ``int ** variable`` only with non-negative exponents;
- outside the try/except section at the end, the only exceptions expected are ZeroDivisionError
  (``/ // % **``) and ValueError("math domain error") from ``math``; no OverflowError cases (no
  float ``**``/``math.exp`` overflow, no ``int()``/``round()`` of inf, nan or huge floats);
- no arrays, tuples as values, lists, strings, deep recursion, or ``math`` attributes other than
  functions (``PI`` below is a module constant instead of ``math.pi``).

A few cases pin down exact-CPython corners where a naive lowering goes wrong; they sit in their
own functions so they are easy to find: ``int_true_div_big`` (int/int is correctly rounded
beyond 2**53), ``int_float_eq`` (int/float comparison is exact), ``bool_sum`` (bool + bool is
an int in Python, not NumPy's bool), ``mod_min_by_minus_one`` (INT64_MIN % -1 == 0, a trap in C).
"""

import math

SCALE = 3
OFFSET = -7
EPS = 1e-9
HALF = 0.5
BIG = 2**62
PI = 3.141592653589793
LIMIT = 100
ENABLED = True

I64_MAX = 2**63 - 1
I64_MIN = -(2**63)
NAN = float("nan")
INF = float("inf")

CASES = []


def case(*arg_tuples):
    """Register a corpus function with the argument tuples it is run on."""

    def register(func):
        CASES.append((func, [tuple(args) for args in arg_tuples]))
        return func

    return register


# ---------------------------------------------------------------- arithmetic


@case((1, 2), (-5, 3), (I64_MAX - 1, 1), (1.5, 2.25), (0.0, -0.0), (-0.0, -0.0), (INF, -INF),
      (1e308, 1e308), (3, 0.5), (True, 4))
def add(a, b):
    return a + b


@case((5, 3), (3, 5), (I64_MIN + 1, -1), (0.1, 0.3), (0.0, 0.0), (-0.0, 0.0), (INF, INF),
      (2, 0.5))
def sub(a, b):
    return a - b


@case((6, 7), (-6, 7), (3037000499, 3037000499), (-4611686018427387904, 2), (0, I64_MAX),
      (1e300, 1e300), (-0.0, 5.0), (0.0, -1.0), (INF, 0.0), (3, 0.5))
def mul(a, b):
    return a * b


@case((7, 2), (-7, 2), (1, 3), (6, 3), (0, 5), (1, 0), (1.0, 0.0), (0.0, 0.0), (0.0, -1.0),
      (INF, INF), (-1, INF), (1, 0.0), (1e-300, 1e300), (I64_MAX, 1))
def truediv(a, b):
    return a / b


@case((7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (5, 0), (I64_MAX, 2), (I64_MIN, 2),
      (I64_MIN, I64_MAX), (-1, I64_MAX), (1, 1))
def floordiv_int(a, b):
    return a // b


@case((7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (-0.0, 3.0), (0.0, -3.0), (5.0, INF), (-5.0, INF),
      (INF, 2.0), (1.0, 0.0), (NAN, 1.0), (1e300, 1e-300), (7, 2.0), (-7.0, 2), (0.3, 0.1))
def floordiv_float(a, b):
    return a // b


@case((7, 3), (-7, 3), (7, -3), (-7, -3), (0, 3), (3, 0), (I64_MAX, I64_MIN),
      (I64_MIN, I64_MAX), (-1, I64_MAX), (12, 4))
def mod_int(a, b):
    return a % b


@case((I64_MIN, -1), (I64_MIN, 1), (-1, -1))
def mod_min_by_minus_one(a, b):
    return a % b


@case((7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (-0.0, 5.0), (0.0, -5.0), (-5.0, INF), (5.0, -INF),
      (5.0, INF), (INF, 2.0), (1.0, 0.0), (7, 2.5), (-7, 2.5), (1e-300, 1e300), (0.3, 0.1),
      (-1e-320, 1.0))
def mod_float(a, b):
    return a % b


@case((17, 5), (-17, 5), (17, -5), (-17, -5), (I64_MIN + 1, 7), (I64_MAX, -7), (3, 0))
def floor_identity(a, b):
    q = a // b
    r = a % b
    return q * b + r == a and (r == 0 or (r < 0) == (b < 0))


@case((0,), (3,), (-3,), (2.5,), (-0.0,), (3037000499,), (-3037000499,), (1e150,), (NAN,))
def pow_square(x):
    return x ** 2


@case((0,), (2,), (-3,), (2097151,), (-2097152,), (2.5,), (-0.0,), (-INF,))
def pow_cube(x):
    return x ** 3


@case((2,), (-4,), (1,), (0,), (2.5,), (-0.0,), (INF,), (7,))
def pow_minus_one(x):
    return x ** -1


@case((2,), (-2,), (3,), (0,), (0.5,), (1e-10,))
def pow_minus_two(x):
    return x ** -2


@case((2, 10), (-3, 3), (2, 62), (-2, 63), (0, 0), (7, 0), (0, 5), (1, 10**18),
      (-1, 10**18 + 1), (10, 18))
def pow_int_var(b, e):
    return b ** e


@case((2.0, 0.5), (2.0, -1.0), (0.0, 0.0), (NAN, 0.0), (1.0, NAN), (-8.0, 3.0), (0.0, -1.0),
      (INF, -1.0), (-INF, 3.0), (2, 0.5), (4.0, 2), (-2.0, -2), (0.5, 1074.0), (-0.0, 3.0),
      (10.0, 308.0))
def pow_float(b, e):
    return b ** e


@case((0,), (4,), (2,), (0.25,), (INF,), (-0.0,))
def pow_half(x):
    return x ** 0.5


@case((0,), (5,), (-5,), (I64_MAX,), (0.0,), (-0.0,), (INF,), (NAN,), (True,), (False,))
def negate(x):
    return -x


@case((0,), (1,), (-2,), (1000,), (0.5,), (-1.5,), (1e10,))
def poly(x):
    return 3 * x * x - 2 * x + 1


@case((1, 2), (-3, 5), (7, 0), (2.5, -1.0))
def promote_mixed(a, b):
    return a * 2 + b / 4


@case((2**53 + 1, 1), (2**62 + 1, 3), (I64_MAX, I64_MAX - 1), (I64_MIN, 3), (10**18 + 1, 10**9),
      (2**53 + 3, 2), (2**53 + 1, 3), (3, 2**53 + 1), (1, I64_MIN), (0, -(2**60)), (0, -3), (I64_MIN, -1),
      (I64_MAX, 7), (-(2**62) - 12345, 1000003), (123456789, 2**62 + 7), (I64_MIN, I64_MAX),
      (2**53 + 2, 4), (7, 0), (2**60, 0))
def int_true_div_big(a, b):
    return a / b


@case((10,), (-10,), (0,), (I64_MAX // 4,), (10.5,), (-0.5,))
def augmented(x):
    x += 3
    x *= 2
    x -= 1
    x //= 3
    x %= 7
    return x


@case((True, True, True), (True, False, True), (False, False, False))
def bool_sum(a, b, c):
    return a + b + c


@case((True, 3), (False, 3), (True, 2.5), (True, -1))
def bool_times(flag, x):
    return flag * x - flag


@case((1, 2, 3), (-1, -2, -4), (0, 0, 1), (1.0, 2.0, 4.0), (I64_MAX // 3, I64_MAX // 3, 0))
def average3(a, b, c):
    return (a + b + c) / 3


# ---------------------------------------------------------------- comparisons


@case((1, 2), (2, 1), (2, 2), (1.0, NAN), (NAN, NAN), (-0.0, 0.0), (1, 1.0), (-INF, INF),
      (True, 1))
def compare_code(a, b):
    return (a < b) + 2 * (a <= b) + 4 * (a == b) + 8 * (a != b) + 16 * (a > b) + 32 * (a >= b)


@case((1, 2, 3), (1, 3, 2), (3, 2, 1), (1, 1, 2), (1.0, NAN, 3.0), (-1.5, 0, 1.5))
def chain_lt(a, b, c):
    return a < b < c


@case((1, 1, 2), (1, 1, 1), (1, 2, 3), (0.0, -0.0, 1.0), (NAN, NAN, 1.0))
def chain_eq_ne(a, b, c):
    return a == b != c


@case((1, 2, 3, 3), (1, 2, 2, 3), (0, 0, 1, 1), (-1.0, -1.0, 0.0, 0.0))
def chain4(a, b, c, d):
    return a <= b < c <= d


@case((5, 0, 10), (0, 0, 10), (10, 0, 10), (-1, 0, 10), (0.5, 0, 1), (NAN, 0.0, 1.0))
def in_half_open(x, lo, hi):
    if lo <= x < hi:
        return 1
    return 0


@case((1, 2, 3), (3, 2, 1), (2, 2, 2), (1.0, 0.0, -1.0))
def chain_mixed_ops(a, b, c):
    return a < b > c or a >= b <= c


@case((2**53 + 1, 2.0**53), (2**53, 2.0**53), (1, 1.0), (I64_MAX, 2.0**63), (-1, -0.5),
      (I64_MIN, -(2.0**63)))
def int_float_eq(a, b):
    return (a == b) + 2 * (a < b) + 4 * (a > b)


@case((5,), (0,), (-3,), (0.0,), (-0.0,), (2.5,), (-INF,), (NAN,))
def sign(x):
    if x > 0:
        return 1
    elif x < 0:
        return -1
    else:
        return 0


@case((5, 0, 10), (-5, 0, 10), (15, 0, 10), (0.5, 0.0, 1.0), (NAN, 0.0, 1.0), (-0.0, 0.0, 1.0))
def clamp(x, lo, hi):
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


# ---------------------------------------------------------------- and / or / not


@case((1, 1), (1, 0), (0, 1), (-1, -1), (0.5, 2.0), (NAN, 1.0))
def and_condition(a, b):
    if a > 0 and b > 0:
        return 1
    return 0


@case((1, 1), (1, 0), (0, 0), (-1, -1), (0.0, -0.0))
def or_condition(a, b):
    if a > 0 or b > 0:
        return 1
    return 0


@case((0,), (1,), (-1,), (0.0,), (NAN,))
def not_condition(x):
    if not x:
        return 10
    return 20


@case((0, 5), (3, 5), (0, 0), (-1, 0), (0.0, -0.0), (NAN, 1.0), (0.0, 2.5), (True, False),
      (False, False))
def or_value(a, b):
    x = a or b
    return x


@case((0, 5), (3, 5), (3, 0), (-0.0, 1.0), (2.0, NAN), (True, False), (True, True))
def and_value(a, b):
    x = a and b
    return x


@case((1, 2, 3), (0, 2, 3), (1, 0, 3), (0, 0, 0), (1.5, 0.0, -2.0))
def and_or_value(a, b, c):
    return a and b or c


@case((0,), (7,), (0.0,), (-0.0,), (NAN,), (True,), (False,))
def not_value(x):
    return not x


@case((5, 0), (9, 3), (9, 2), (0, 0), (-9, 2))
def short_circuit_and(a, b):
    return b != 0 and a // b > 2


@case((5, 0), (9, 3), (9, 2), (-9, 0))
def short_circuit_or(a, b):
    return b == 0 or a % b == 0


@case((True, True), (True, False), (False, True), (False, False))
def xor_bool(a, b):
    return (a and not b) or (not a and b)


@case((0, 0), (0, 3), (2, 0), (2, 3), (0.0, NAN))
def de_morgan(a, b):
    return (not (a and b)) == ((not a) or (not b))


@case((1, 2), (2, 1), (0, 0), (-1, 5))
def bool_of_comparisons(a, b):
    x = (a > 0) and (b > a)
    y = (a < 0) or (b == 0)
    return x or y


# ---------------------------------------------------------------- conditional expressions


@case((3,), (-3,), (0,), (-0.0,), (-2.5,), (I64_MIN + 1,))
def ifexp_abs(x):
    return x if x >= 0 else -x


@case((-4,), (0,), (9,), (-0.0,), (NAN,))
def ifexp_nested(x):
    return -1 if x < 0 else (0 if x == 0 else 1)


@case((3, 1, True), (1, 3, False), (2, 2, True), (-1.5, -2.5, False))
def ifexp_arith(a, b, c):
    return (a if a > b else b) * 2 + (1 if c else 0)


@case((1.0,), (NAN,), (-INF,), (-0.0,))
def ifexp_nan_to_zero(x):
    return 0.0 if x != x else x


@case((7, 2), (7, 0), (-1, 3), (0.5, 0.0))
def ifexp_div_guard(a, b):
    return a / b if b != 0 else 0.0


# ---------------------------------------------------------------- if / elif / else


@case((95,), (90,), (85,), (70,), (65,), (10,), (-5,), (89.99,))
def grade(score):
    if score >= 90:
        g = 4
    elif score >= 80:
        g = 3
    elif score >= 70:
        g = 2
    elif score >= 60:
        g = 1
    else:
        g = 0
    return g


@case((15,), (9,), (10,), (7,), (0,), (-30,), (-7,))
def fizzbuzz_code(n):
    if n % 15 == 0:
        return -15
    elif n % 3 == 0:
        return -3
    elif n % 5 == 0:
        return -5
    return n


@case((-2.0,), (-1.0,), (0.0,), (0.5,), (1.0,), (3.0,), (NAN,), (INF,))
def piecewise(x):
    if x < -1.0:
        y = -1.0
    elif x < 0.0:
        y = x
    elif x < 1.0:
        y = x * x
    else:
        y = 2.0 * x - 1.0
    return y


@case((1, 1), (-1, 1), (-1, -1), (1, -1), (0, 5), (5, 0), (0.0, 0.0), (-0.0, 1.0))
def quadrant(x, y):
    if x > 0:
        if y > 0:
            return 1
        else:
            return 4
    elif x < 0:
        if y > 0:
            return 2
        return 3
    return 0


@case((2000,), (1900,), (2024,), (2023,), (0,), (-4,))
def leap_year(y):
    return (y % 4 == 0 and y % 100 != 0) or y % 400 == 0


@case((2, 2000), (2, 1900), (2, 2023), (4, 2023), (12, 2023), (11, 2024))
def days_in_month(m, y):
    if m == 2:
        if leap_year(y):
            return 29
        return 28
    elif m == 4 or m == 6 or m == 9 or m == 11:
        return 30
    return 31


# ---------------------------------------------------------------- while, while-else


@case((1,), (6,), (7,), (27,), (97,), (871,), (0,))
def collatz_steps(n):
    steps = 0
    while n > 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


@case((12, 18), (17, 5), (0, 9), (9, 0), (0, 0), (-12, 18), (12, -18), (I64_MAX, 2**31 - 1),
      (832040, 514229))
def gcd(a, b):
    while b != 0:
        t = b
        b = a % b
        a = t
    return a


@case((4, 6), (21, 6), (0, 5), (7, 13), (-4, 6))
def lcm(a, b):
    if a == 0 or b == 0:
        return 0
    return abs(a // gcd(a, b) * b)


@case((0,), (1,), (2,), (15,), (16,), (17,), (10**18,), (2**62,), (I64_MAX // 2,))
def isqrt_newton(n):
    if n < 2:
        return n
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x


@case((2.0,), (0.0,), (1.0,), (1e-10,), (1e300,), (0.25,), (9.0,))
def newton_sqrt(x):
    if x == 0:
        return 0.0
    g = x if x > 1.0 else 1.0
    while True:
        h = 0.5 * (g + x / g)
        if abs(h - g) <= EPS * h:
            break
        g = h
    return h


@case((0,), (7,), (12345,), (-12345,), (I64_MAX,), (I64_MIN + 1,))
def digit_sum(n):
    n = abs(n)
    s = 0
    while n > 0:
        s += n % 10
        n //= 10
    return s


@case((0,), (1200,), (12345,), (-120,), (10**17 + 3,))
def reverse_digits(n):
    neg = n < 0
    if neg:
        n = -n
    r = 0
    while n:
        r = r * 10 + n % 10
        n = n // 10
    return -r if neg else r


@case((0,), (1,), (255,), (256,), (I64_MAX,), (0x5555555555555555,), (12345678901234,))
def count_bits(n):
    c = 0
    while n:
        c += n & 1
        n >>= 1
    return c


@case((10, 49), (10, 50), (0, 0), (100, 81), (5, 25))
def while_else_square(n, target):
    i = 0
    while i < n:
        if i * i == target:
            break
        i += 1
    else:
        return -1
    return i


@case((0,), (1,), (2,), (1000,), (I64_MAX,), (-5,))
def log2_floor(n):
    k = -1
    while n > 0:
        n >>= 1
        k += 1
    return k


@case((2.0,), (0.0,), (10.0,), (0.5,))
def bisect_sqrt(x):
    lo = 0.0
    hi = x if x > 1.0 else 1.0
    it = 0
    while hi - lo > EPS and it < 200:
        mid = (lo + hi) / 2
        if mid * mid < x:
            lo = mid
        else:
            hi = mid
        it += 1
    return lo


@case((0, 5), (3, 5), (5, 5), (-3, 2))
def while_else_plain(a, b):
    total = 0
    while a < b:
        total += a
        a += 1
    else:
        total += 1000
    return total


# ---------------------------------------------------------------- for over range


@case((0,), (1,), (10,), (-5,), (100000,))
def sum_range(n):
    s = 0
    for i in range(n):
        s += i
    return s


@case((0, 10), (10, 0), (-5, 5), (3, 3), (-10, -7), (I64_MAX - 1, I64_MAX))
def sum_range2(a, b):
    s = 0
    for i in range(a, b):
        s += i
    return s


@case((0, 10, 3), (10, 0, -3), (10, 0, 3), (0, 10, -1), (-5, 5, 2), (5, -5, -2), (0, 0, 1),
      (0, 10**18, 10**17), (I64_MAX, I64_MAX - 10, -4), (I64_MIN, I64_MIN + 9, 3), (1, 2, I64_MAX),
      (I64_MAX - 5, I64_MAX, 4), (I64_MIN + 5, I64_MIN, -4), (-1, -2, I64_MIN))
def sum_range3(a, b, step):
    s = 0
    n = 0
    for i in range(a, b, step):
        s += i % 1000
        n += 1
    return s * 1000 + n


@case((5,), (0,), (1,), (-1,))
def count_down(n):
    r = 0
    for i in range(n, 0, -1):
        r = r * 10 + i
    return r


@case((0,), (3,), (-3,))
def last_loop_value(n):
    i = -1
    for i in range(n):
        pass
    return i


@case((5,), (0,), (4,))
def assign_loop_variable(n):
    s = 0
    for i in range(n):
        i = i * 10
        s += i
    return s


@case((5,), (0,), (-2,))
def range_evaluated_once(n):
    c = 0
    for i in range(n):
        n = n - 1
        c += 1
    return c * 100 + n


@case((0,), (1,), (10,), (1000,))
def harmonic(n):
    s = 0.0
    for k in range(1, n + 1):
        s += 1.0 / k
    return s


@case((0,), (1,), (100,), (10000,))
def leibniz_pi(n):
    s = 0.0
    sgn = 1.0
    for k in range(n):
        s += sgn / (2 * k + 1)
        sgn = -sgn
    return 4.0 * s


@case((1.0, 20), (0.0, 5), (-1.0, 30), (2.5, 0), (10.0, 60))
def exp_series(x, n):
    term = 1.0
    s = 1.0
    for k in range(1, n):
        term = term * x / k
        s += term
    return s


@case((0,), (1,), (5,), (20,), (-3,))
def factorial(n):
    r = 1
    for k in range(2, n + 1):
        r *= k
    return r


@case((0,), (1,), (2,), (10,), (50,), (91,))
def fib(n):
    a = 0
    b = 1
    for _ in range(n):
        t = a + b
        a = b
        b = t
    return a


@case((0,), (1,), (10,), (-4,))
def sum_squares_float(n):
    s = 0.0
    for i in range(n):
        s += i * i * HALF
    return s


@case((0, 0), (5, 2), (10, 3), (60, 30), (10, 11), (61, 5))
def binomial(n, k):
    if k < 0 or k > n:
        return 0
    if k > n - k:
        k = n - k
    r = 1
    for i in range(1, k + 1):
        r = r * (n - k + i) // i
    return r


# ---------------------------------------------------------------- for-else


@case((2,), (3,), (4,), (97,), (91,), (1,), (0,), (7919,))
def is_prime(n):
    if n < 2:
        return False
    for d in range(2, n):
        if d * d > n:
            break
        if n % d == 0:
            return False
    return True


@case((2,), (9,), (13,), (1,), (25,), (0,))
def for_else_prime(n):
    if n < 2:
        return False
    for d in range(2, n):
        if n % d == 0:
            break
    else:
        return True
    return False


@case((10, 3), (10, 11), (0, 0), (5, -1))
def for_else_find(n, target):
    pos = -1
    for i in range(n):
        if i == target:
            pos = i
            break
    else:
        pos = -100
    return pos


@case((4,), (0,), (10,))
def for_else_nested(n):
    hits = 0
    for i in range(n):
        for j in range(i):
            if (i + j) % 7 == 6:
                break
        else:
            hits += 1
    return hits


# ---------------------------------------------------------------- break / continue at depth


@case((10, 5), (10, 20), (0, 0), (10, 0))
def break_depth1(n, k):
    s = 0
    for i in range(n):
        if i == k:
            break
        s += i
    return s


@case((10,), (0,), (-3,), (101,))
def continue_depth1(n):
    s = 0
    for i in range(n):
        if i % 2 == 0:
            continue
        s += i
    return s


@case((6,), (0,), (20,))
def break_depth2(n):
    c = 0
    for i in range(n):
        for j in range(n):
            if j > i:
                break
            c += 1
    return c


@case((6,), (0,), (15,))
def continue_depth2(n):
    c = 0
    for i in range(n):
        for j in range(n):
            if (i + j) % 3 == 0:
                continue
            c += i * j
    return c


@case((5,), (0,), (9,))
def break_depth3(n):
    c = 0
    for i in range(n):
        for j in range(n):
            for k in range(n):
                if k > j + i:
                    break
                c += 1
    return c


@case((5,), (0,), (8,))
def continue_depth3(n):
    c = 0
    for i in range(n):
        for j in range(i + 1):
            for k in range(j + 1):
                if (i + j + k) & 1:
                    continue
                c += i + j + k
    return c


@case((5, 3), (5, 100), (0, 0))
def break_both_depth3(n, limit):
    c = 0
    for i in range(n):
        for j in range(n):
            k = 0
            while True:
                k += 1
                if k > j:
                    break
                if k % 2 == 0:
                    continue
                c += k
                if c > limit:
                    break
            if c > limit:
                break
        if c > limit:
            break
    return c


@case((20,), (0,), (7,))
def break_in_elif(n):
    s = 0
    i = 0
    while True:
        if i % 3 == 0:
            s += 1
        elif i >= n:
            break
        elif i % 5 == 0:
            i += 2
            continue
        else:
            s += i
        i += 1
    return s


@case((10,), (0,), (3,))
def while_in_for_break(n):
    total = 0
    for i in range(n):
        j = i
        while j > 0:
            if j % 4 == 3:
                break
            total += j
            j -= 1
        else:
            total += 100
    return total


# ---------------------------------------------------------------- return from inside loops


@case((2,), (15,), (49,), (97,), (1,), (1000000007,))
def smallest_divisor(n):
    for d in range(2, n):
        if d * d > n:
            return n
        if n % d == 0:
            return d
    return n


@case((10, 12), (10, 81), (10, 97), (0, 0), (5, 0))
def find_product(n, target):
    for i in range(n):
        for j in range(i, n):
            if i * j == target:
                return i * 100 + j
    return -1


@case((1000,), (12,), (30,), (100,))
def pythagorean_triple(perimeter):
    for a in range(1, perimeter):
        for b in range(a, perimeter - a):
            c = perimeter - a - b
            if c <= b:
                break
            if a * a + b * b == c * c:
                return a * b * c
    return 0


@case((5, 7), (3, 100), (0, 1))
def return_from_while_in_for(n, target):
    for i in range(n):
        j = 0
        while j < n:
            if i * n + j == target:
                return i * 1000 + j
            j += 1
    return -1


@case((10,), (0,), (3,))
def return_first_iteration(n):
    for i in range(n):
        return i + 1000
    return -1


@case((16, 5), (16, 0), (3, 9))
def return_in_while_else(n, k):
    i = n
    while i > 0:
        if i == k:
            break
        i //= 2
    else:
        return -i - 1
    return i


# ---------------------------------------------------------------- nested-loop algorithms


@case((0.0, 0.0, 100), (2.0, 2.0, 100), (-0.75, 0.1, 500), (0.3, 0.5, 200), (-2.0, 0.0, 50),
      (0.25, 0.0, 1000), (NAN, 0.0, 10), (1.0, 1.0, 0))
def mandelbrot_escape(cr, ci, max_iter):
    zr = 0.0
    zi = 0.0
    for i in range(max_iter):
        zr2 = zr * zr
        zi2 = zi * zi
        if zr2 + zi2 > 4.0:
            return i
        zi = 2.0 * zr * zi + ci
        zr = zr2 - zi2 + cr
    return max_iter


@case((8, 50), (20, 100), (1, 10), (0, 10))
def mandelbrot_area(n, max_iter):
    inside = 0
    for py in range(n):
        for px in range(n):
            cr = -2.0 + 2.5 * px / n
            ci = -1.25 + 2.5 * py / n
            zr = 0.0
            zi = 0.0
            escaped = False
            for _ in range(max_iter):
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                if zr * zr + zi * zi > 4.0:
                    escaped = True
                    break
            if not escaped:
                inside += 1
    return inside


@case((-0.8, 0.156, 10, 64), (0.0, 0.0, 6, 20), (0.285, 0.01, 12, 80))
def julia_count(cr, ci, n, max_iter):
    total = 0
    for y in range(-n, n + 1):
        for x in range(-n, n + 1):
            zr = 1.5 * x / n
            zi = 1.5 * y / n
            it = 0
            while it < max_iter and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                it += 1
            total += it
    return total


@case((0,), (2,), (3,), (100,), (1000,), (-7,))
def count_primes_inline(n):
    count = 0
    for k in range(2, n):
        for d in range(2, k):
            if d * d > k:
                count += 1
                break
            if k % d == 0:
                break
        else:
            count += 1
    return count


@case((0,), (30,), (500,))
def count_primes_helper(n):
    count = 0
    for k in range(n):
        if is_prime(k):
            count += 1
    return count


@case((1000,), (1,), (30,))
def perfect_numbers_sum(n):
    total = 0
    for k in range(2, n):
        s = 1
        d = 2
        while d * d <= k:
            if k % d == 0:
                s += d
                if d * d != k:
                    s += k // d
            d += 1
        if s == k:
            total += k
    return total


@case((10,), (1,), (0,), (25,))
def gcd_table_sum(n):
    s = 0
    for i in range(1, n + 1):
        for j in range(1, n + 1):
            s += gcd(i, j)
    return s


@case((1,), (9,), (10,), (36,), (97,), (0,))
def totient(n):
    c = 0
    for k in range(1, n + 1):
        if gcd(k, n) == 1:
            c += 1
    return c


@case((2, 10, 1000), (3, 0, 7), (7, 560, 561), (123456789, 10**18, 1000000007), (5, 3, 1),
      (-2, 5, 13))
def power_mod(b, e, m):
    r = 1 % m
    b = b % m
    while e > 0:
        if e & 1:
            r = r * b % m
        b = b * b % m
        e >>= 1
    return r


@case((1,), (7,), (19,), (4,), (100,), (2,))
def is_happy(n):
    seen_one_loop = 0
    while n != 1 and seen_one_loop < 100:
        s = 0
        while n > 0:
            d = n % 10
            s += d * d
            n //= 10
        n = s
        seen_one_loop += 1
    return n == 1


@case((1000,), (10,), (200,))
def armstrong_sum(n):
    total = 0
    for k in range(1, n):
        digits = 0
        m = k
        while m > 0:
            digits += 1
            m //= 10
        s = 0
        m = k
        while m > 0:
            s += (m % 10) ** 3 if digits == 3 else (m % 10) ** 1 if digits == 1 else 0
            m //= 10
        if s == k:
            total += k
    return total


@case((10,), (100,), (1,))
def collatz_longest(n):
    best = 0
    best_k = 0
    for k in range(1, n):
        m = k
        steps = 0
        while m != 1:
            m = m // 2 if m % 2 == 0 else 3 * m + 1
            steps += 1
        if steps > best:
            best = steps
            best_k = k
    return best_k * 1000 + best


@case((0.0, 1.0, 10), (0.0, 1.0, 1000), (-1.0, 2.0, 7), (1.0, 1.0, 4))
def trapezoid_square(a, b, n):
    h = (b - a) / n
    s = 0.5 * (square(a) + square(b))
    for i in range(1, n):
        s += square(a + i * h)
    return s * h


@case((0.0, PI, 10), (0.0, 1.0, 100), (-1.0, 1.0, 2))
def simpson_sin(a, b, n):
    h = (b - a) / n
    s = math.sin(a) + math.sin(b)
    for i in range(1, n):
        x = a + i * h
        if i % 2 == 1:
            s += 4.0 * math.sin(x)
        else:
            s += 2.0 * math.sin(x)
    return s * h / 3.0


@case((0.0, 1.0), (-5.0, 5.0), (0.5, 0.6))
def bisect_cos_fixed_point(lo, hi):
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if math.cos(mid) - mid > 0.0:
            lo = mid
        else:
            hi = mid
        if hi - lo < EPS:
            break
    return 0.5 * (lo + hi)


@case((27.0,), (2.0,), (-8.0,), (0.0,), (1e-9,))
def newton_cbrt(a):
    if a == 0.0:
        return 0.0
    x = a if abs(a) > 1.0 else 1.0
    for _ in range(200):
        nx = x - (x * x * x - a) / (3.0 * x * x)
        if abs(nx - x) < EPS * abs(nx):
            return nx
        x = nx
    return x


@case((1, 10), (10, 1), (0, 0), (-5, 5))
def triangle_weighted(n, m):
    s = 0
    for i in range(n):
        for j in range(i, m):
            s += i * j - j
    return s


@case((5,), (28,), (100,), (1,))
def triangle_with_divisors(k):
    n = 1
    t = 1
    while True:
        d = 0
        i = 1
        while i * i <= t:
            if t % i == 0:
                d += 2 if i * i != t else 1
            i += 1
        if d > k:
            return t
        n += 1
        t += n


@case((12345,), (0,), (9,), (I64_MAX,))
def digital_root(n):
    while n >= 10:
        s = 0
        while n > 0:
            s += n % 10
            n //= 10
        n = s
    return n


@case((0,), (1,), (6,), (255,), (I64_MAX,), (-1,), (-6,), (I64_MIN,))
def shift_parity(n):
    p = 0
    for k in range(64):
        p += (n >> k) & 1
    return p & 1


# ---------------------------------------------------------------- builtins


@case((-3,), (3,), (0,), (-0.0,), (-INF,), (NAN,), (-2.5,), (I64_MIN + 1,), (True,))
def builtin_abs(x):
    return abs(x)


@case((1, 2), (2, 1), (-3, -3), (NAN, 1.0), (1.0, NAN), (0.0, -0.0), (-0.0, 0.0), (-INF, 5.0))
def builtin_min2(a, b):
    return min(a, b)


@case((1, 2), (2, 1), (NAN, 1.0), (1.0, NAN), (0.0, -0.0), (-0.0, 0.0), (I64_MIN, I64_MAX))
def builtin_max2(a, b):
    return max(a, b)


@case((3, 1, 2), (1, 2, 3), (2, 2, 1), (1.5, NAN, -1.0), (-0.0, 0.0, -0.0))
def builtin_min_max3(a, b, c):
    return min(a, b, c) * 10 + max(a, b, c)


@case((2.7,), (-2.7,), (-0.0,), (0.999,), (1e18,), (-9.2e18,), (True,), (5,), (-0.5,))
def builtin_int(x):
    return int(x)


@case((3,), (-0.0,), (True,), (I64_MAX,), (2.5,), (0,))
def builtin_float(x):
    return float(x)


@case((0,), (5,), (0.0,), (-0.0,), (NAN,), (True,), (-1,), (1e-320,))
def builtin_bool(x):
    return bool(x)


@case((2.5,), (3.5,), (-0.5,), (0.5,), (-1.5,), (-2.5,), (0.49999999999999994,), (1e15 + 0.5,),
      (4503599627370497.0,), (7,), (-0.0,), (2.4999,))
def builtin_round(x):
    return round(x)


@case((2.675, 2), (0.125, 2), (0.375, 2), (-0.4, 0), (123.456, -1), (1e300, 2), (INF, 1),
      (NAN, 1), (5.5, 0), (-5.5, 0), (1234.5678, 3), (0.5, 0), (1e-300, 5), (-0.0, 2),
      (1250, -2), (1350, -2), (-1250, -2), (17, 1))
def builtin_round_n(x, n):
    return round(x, n)


@case((7, 2), (-7, 2), (7, -2), (1, 3), (2**53, 1), (5, 0))
def int_of_division(a, b):
    return int(a / b)


@case((1.5, 3), (-0.5, 0), (2.0, 4))
def float_int_mix(x, n):
    return float(n) * x + int(x) + bool(n)


# ---------------------------------------------------------------- math


@case((4.0,), (2.0,), (0.0,), (-0.0,), (INF,), (NAN,), (-1.0,), (16,), (-INF,), (1e-320,))
def m_sqrt(x):
    return math.sqrt(x)


@case((0.0,), (1.0,), (-INF,), (709.0,), (-1000.0,), (NAN,), (INF,), (1,), (-0.0,))
def m_exp(x):
    return math.exp(x)


@case((1.0,), (2.718281828459045,), (0.0,), (-1.0,), (INF,), (1e-300,), (8,), (NAN,), (-0.0,),
      (5e-324,))
def m_log(x):
    return math.log(x)


@case((0.0,), (-0.0,), (1.0,), (PI,), (1e22,), (INF,), (NAN,), (3,))
def m_sin(x):
    return math.sin(x)


@case((0.0,), (1.0,), (PI,), (-1e10,), (-INF,), (NAN,), (2,))
def m_cos(x):
    return math.cos(x)


@case((0.0,), (-0.0,), (1.0,), (PI / 2,), (INF,), (1e300,))
def m_tan(x):
    return math.tan(x)


@case((2.5,), (-2.5,), (-0.0,), (7,), (-7,), (1e18,), (-0.5,), (I64_MAX,))
def m_floor(x):
    return math.floor(x)


@case((2.5,), (-2.5,), (-0.0,), (7,), (-0.5,), (1e18,))
def m_ceil(x):
    return math.ceil(x)


@case((-3,), (-0.0,), (2.5,), (-INF,), (NAN,), (I64_MIN,))
def m_fabs(x):
    return math.fabs(x)


@case((NAN,), (INF,), (-INF,), (1.0,), (5,), (0.0,))
def m_classify(x):
    return math.isnan(x) + 2 * math.isinf(x)


@case((3, 4), (3.0, 4.0), (INF, NAN), (NAN, INF), (1e300, 1e300), (0.0, -0.0), (-5, 12),
      (NAN, 1.0))
def m_hypot(x, y):
    return math.hypot(x, y)


@case((0.0, -0.0), (-0.0, -0.0), (0.0, 0.0), (1, 0), (-1.0, -INF), (INF, INF), (NAN, 1.0),
      (-1, -1))
def m_atan2(y, x):
    return math.atan2(y, x)


@case((2, 10), (0.0, -1.0), (-8.0, 1.0 / 3.0), (NAN, 0.0), (-2.0, 0.5), (1.0, NAN),
      (2.0, -1074.0), (-INF, 3.0), (0.0, 0.0), (-0.0, 3.0), (4, 0.5))
def m_pow(x, y):
    return math.pow(x, y)


@case((0.0,), (1.0,), (-1.0,), (20.0,), (-700.0,))
def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


@case((0.0, 0.0, 1.0), (1.0, 0.0, 1.0), (2.5, 1.0, 0.5), (100.0, 0.0, 1.0))
def gaussian(x, mu, sigma):
    z = (x - mu) / sigma
    return math.exp(-0.5 * z * z) / (sigma * math.sqrt(2.0 * PI))


@case((1.0, 1.0), (-1.0, 0.0), (0.0, -2.0), (0.0, 0.0))
def polar_angle_degrees(x, y):
    r = math.hypot(x, y)
    if r == 0.0:
        return 0.0
    return math.atan2(y, x) * 180.0 / PI + r


@case((0.0,), (1.0,), (-20.0,), (30.0,))
def softplus(x):
    if x > 20.0:
        return x
    return math.log(1.0 + math.exp(x))


@case((0.3,), (2.0,), (-1.7,), (1e-5,))
def trig_identity(x):
    s = math.sin(x)
    c = math.cos(x)
    t = math.tan(x)
    return abs(s * s + c * c - 1.0) < EPS and abs(t - s / c) < EPS * (1.0 + abs(t))


@case((10.0, 3.0), (-10.0, 3.0), (7.5, -2.0), (1e-5, 1e5))
def floor_ceil_mix(a, b):
    return math.floor(a / b) * 1000 + math.ceil(a / b)


# ---------------------------------------------------------------- module-level constants


@case((0,), (5,), (-5,), (2.5,))
def scaled(x):
    return x * SCALE + OFFSET


@case((0.0,), (1e-10,), (-1e-10,), (1e-8,), (NAN,))
def near_zero(x):
    return abs(x) < EPS


@case((0,), (5,), (BIG,), (-1,), (I64_MAX,))
def wrap_big(x):
    return x % BIG


@case((3,), (-3,), (0,))
def enabled_gate(x):
    if ENABLED:
        return x * SCALE
    return x


@case((50,), (150,), (100,))
def limited_count(n):
    c = 0
    for i in range(n):
        if i >= LIMIT:
            break
        c += 1
    return c


# ---------------------------------------------------------------- calls between functions


@case((3,), (-4,), (2.5,), (0,), (-0.0,))
def square(x):
    return x * x


@case((3,), (-2,), (1.5,))
def cube_via_square(x):
    return square(x) * x


@case((3.0, 4.0), (0.0, 0.0), (-5.0, 12.0), (1e200, 1e200))
def hypot_manual(x, y):
    return math.sqrt(square(x) + square(y))


@case((3,), (0,), (-2,))
def chain_f1(x):
    return x + 1


@case((3,), (0,))
def chain_f2(x):
    return chain_f1(x) * 2


@case((3,), (-1,), (10,))
def chain_f3(x):
    return chain_f2(x) - chain_f1(x)


@case((1, 5), (10, 5), (3, 3), (1.5, 2.5))
def helper_in_loop(a, b):
    total = 0
    for i in range(10):
        total += square(i) if chain_lt(a, i, b) else 0
    return total


@case((30, 12), (0, 5), (7, 7))
def gcd_then_lcm_sum(a, b):
    return gcd(a, b) + lcm(a, b)


@case((0,), (10,), (1000,))
def count_leap_years(n):
    c = 0
    for y in range(n):
        if leap_year(y):
            c += 1
    return c


# ---------------------------------------------------------------- tuple assignment (no tuple values)
# `a, b = b, a + b` and friends: the frontend folds the pack and unpack on its symbolic stack, so
# no tuple ever exists at run time.


@case((0,), (1,), (2,), (10,), (50,), (90,))
def fib_swap(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


@case((30, 12), (12, 30), (0, 5), (7, 0), (17, 5), (-12, 18), (2**40, 6))
def gcd_swap(a, b):
    while b:
        a, b = b, a % b
    return a


@case((1, 2, 3), (-4, 0, 9), (5, 5, 5))
def rotate3(a, b, c):
    for _ in range(4):
        a, b, c = c, a, b
    return a * 100 + b * 10 + c


@case((1, 2, 3, 4), (9, -8, 7, -6))
def reverse4(a, b, c, d):
    a, b, c, d = d, c, b, a
    return a * 1000 + b * 100 + c * 10 + d


@case((1, 2, 3, 4, 5), (0, 0, 1, 0, 0))
def rotate5(a, b, c, d, e):
    for _ in range(3):
        a, b, c, d, e = e, a, b, c, d
    return a * 10000 + b * 1000 + c * 100 + d * 10 + e


@case((3,), (-2,), (0,))
def constant_pairs(n):
    x, y = 1, 2
    p, q = 0.5, -1.5
    if n > 0:
        x, y = y * n, x
    return x * 10 + y + p * q


@case((10,), (1,), (0,))
def fib_pair_sum(n):
    a, b, s = 0, 1, 0
    i = 0
    while i < n:
        a, b = b, a + b
        if a % 2 == 0:
            s, i = s + a, i + 1
            continue
        i += 1
    return s


@case((5, 3), (-7, 2), (0, 9))
def swap_then_compare(a, b):
    if a < b:
        a, b = b, a
    return a - b >= 0 and a >= b


@case((3,), (-1,), (0,))
def maybe_unbound_branch(n):
    if n > 0:
        y = n * 2
    return y + 1  # UnboundLocalError (CPython's exact message) when n <= 0


@case((5,), (2,), (0,))
def maybe_unbound_loop(n):
    for i in range(n):
        if i == 2:
            last = i
    return last  # bound only when the loop reached i == 2


# -- complex numbers: CPython's algorithms bit for bit (Smith's division, c_powi, 3.14's Annex G)
Z_EDGE = (complex(1.0, 2.0), complex(-0.0, 0.0), complex(0.0, -0.0), complex(INF, 1.0), complex(NAN, 0.0),
          complex(1e300, -1e300), complex(3.0, -4.0))


@case(*[(z, w) for z in Z_EDGE for w in Z_EDGE],
      (1 + 2j, 3), (1 + 2j, -0.0), (2, 1 + 1j), (-0.0, 1j), (1j, True), (0j, 0), (1j, I64_MIN), (2.5, 0j))
def complex_arith(z, w):
    return z + w, z - w, z * w, w * z


@case(*[(z, w) for z in Z_EDGE for w in Z_EDGE], (1 + 2j, 3), (2, 1 + 1j), (1j, -0.0), (0.0, 1j),
      (1e308, complex(1e308, 1e308)), (1.0, complex(INF, INF)), (1 + 2j, 0), (5, 0j))
def complex_div(z, w):
    return z / w


@case((1 + 2j, 2), (1 + 2j, -3), (0j, -1), (0j, 0), (1 + 1j, 0.5), (-1 + 0j, 0.5), (1e200 + 0j, 2),
      (1e300 + 1e300j, 3), (2 + 3j, 1 - 1j), (0j, 1j), (1 + 1j, 101), (1 + 1j, 100), (1 + 1j, INF),
      (complex(INF, 0), 2), (3, 1j), (2.5, 0.5 + 0.5j), (-2 + 0j, 0.5))
def complex_pow(z, w):
    return z ** w


@case((3 + 4j,), (complex(INF, NAN),), (complex(NAN, -INF),), (complex(NAN, 1.0),), (-0.0j,),
      (complex(1.7e308, 1.7e308),), (complex(1e-320, 1e-320),))
def complex_abs(z):
    return abs(z)


@case((1 + 2j,), (-0.0j,), (complex(NAN, 0.0),), (complex(0.0, -0.0),))
def complex_parts(z):
    w = z.conjugate() * 2 - 1j
    return w.real - w.imag, -z, +z, bool(z), not z, z.imag


@case((1.0, 2.0), (-0.0, 0.0), (3, True), (INF, NAN), (0, 0))
def complex_build(a, b):
    z = complex(a, b) + complex(a) + complex() + 1j  # noqa: UP018 (complex() is the case)
    return z, complex(z)


@case((1 + 0j, 1), (2**53 + 0j, 2**53 + 1), (1 + 1j, 1), (complex(NAN, 0.0), 1.5), (2.0 + 0j, 2.0),
      (1j, 1j), (-0.0j, 0), (2**63 + 0j, I64_MAX), (complex(INF, 0.0), INF))
def complex_eq(z, x):
    return z == x, x == z, z != x, x != z


@case((1 + 2j, 3), (0j, 10), (1 - 1j, 0))
def complex_loop(z, n):
    acc = 0j
    for k in range(n):
        acc = acc * z + k
        if acc == 0:
            acc = acc + 1
    return acc


# -- defaults, keywords and recursion (issue 5, item 2) ----------------------------------------
def scaled_kw(x, factor=2.5, *, shift=1):
    return x * factor + shift


@case((3,), (-2.5,), (0,))
def calls_with_defaults_and_keywords(x):
    return scaled_kw(x) + scaled_kw(x, 1) + scaled_kw(x, shift=-4) + scaled_kw(factor=0.5, x=x, shift=x)


@case((0,), (1,), (2,), (10,), (15,), (12.0,), (-3,))
def fib_recursive(n):
    if n < 2:
        return n
    return fib_recursive(n - 1) + fib_recursive(n - 2)


@case((10, 4), (7, 0), (0, 0), (81, 27), (-12, 18))
def gcd_recursive(a, b):
    if b == 0:
        return a
    return gcd_recursive(b, a % b)


@case((0,), (1,), (7,), (10,), (100,))
def is_even_rec(n):
    if n == 0:
        return True
    return is_odd_rec(n - 1)


@case((0,), (1,), (7,), (10,), (99,))
def is_odd_rec(n):
    if n == 0:
        return False
    return is_even_rec(n - 1)


@case((5,), (0,), (-1,))
def factorial_or_raise(n):
    if n < 0:
        raise ValueError("negative")
    if n == 0:
        return 1
    return n * factorial_or_raise(n - 1)


@case((3, 2.5), (0, 1.0), (6, -1.0), (4, 3))
def power_rec(n, x):
    if n == 0:
        return 1.0
    return x * power_rec(n - 1, x)


@case((100,))
def count_down_deep(n):
    if n == 0:
        return 0
    return 1 + count_down_deep(n - 1)


# -- typed lists and comprehensions (issue 5 item 2; issue 3 item 3) ---------------------------
@case((0,), (1,), (6,))
def list_append_sum(n):
    xs = []
    for i in range(n):
        xs.append(i * i)
    return sum(xs) + len(xs)


@case((0,), (7,))
def list_comp_filter(n):
    return [i * 3 for i in range(n) if i % 2 == 0]


@case((5, 0), (5, -1), (5, -4), (5, 3), (5, 4), (5, -5))
def list_negative_index(n, k):
    xs = [1, 2, 3, n]
    xs[-1] += 1
    return xs[k]  # IndexError('list index out of range') past either end


@case((0,), (1,), (-2,), (2,), (-3,))
def list_store_index(n):
    xs = [1, 2]
    xs[n] = 5
    return xs


@case((0,), (1,), (4,))
def list_pop(n):
    xs = [i + 1 for i in range(n)]
    a = xs.pop()  # IndexError('pop from empty list') when n == 0
    return a * 100 + len(xs)


@case((0,), (5,))
def list_iterate_floats(n):
    xs = [0.5 * i for i in range(n)]
    t = 0.0
    for x in xs:
        t += x
    return t


@case((0,), (4,))
def listcomp_nested_sum(n):
    return sum([sum([i * j for j in range(i)]) for i in range(n)])


@case((0,), (10,))
def genexpr_filter_sum(n):
    return sum(i * i for i in range(n) if i % 3)


@case((0,), (5,))
def list_of_bools(n):
    return [i % 2 == 0 for i in range(n)]


@case((3,), (0,))
def list_empty_returned(n):
    xs = []
    for i in range(n):
        if i > 10:
            xs.append(i)
    return xs


@case((3,), (-2,))
def comprehension_keeps_outer_name(n):
    x = n
    ys = [x * 2 for x in range(3)]
    return x * 10 + sum(ys)


@case((4,), (1,))
def list_of_list_items_loop(n):
    xs = [n, n + 1]
    for i in range(n):
        xs.append(xs[-1] + xs[-2])
    return xs



@case((0,), (3,), (6,))
def genexpr_any_all(n):
    return any(i > 3 for i in range(n)), all(i < 5 for i in range(n)), any([0.0, n * 0.5])


@case((4,))
def listcomp_over_list(n):
    xs = [i - 2 for i in range(n)]
    return [x * x for x in xs if x != 0]


@case((0,), (1,), (5,))
def list_min_max_copy(n):
    xs = [(i * 7) % 5 - 2 for i in range(n)]
    ys = list(xs)
    ys.append(100)
    return min(ys), max(ys), len(xs), max(x * 0.5 for x in ys), min(xs)  # min([]) raises ValueError


# -- calls of small jitted helpers: the `inline` pass copies them into the caller's `opt` stage,
# so an exception raised by an inlined op is raised inside the caller's loop or branch.
def checked_sqrt(x):
    if x < 0:
        raise ValueError("negative")
    return math.sqrt(x)


def triangle(n):
    s = 0
    for i in range(n + 1):
        s += i
    return s


@case((7, 2), (7, 0), (-9, 4), (0, 0))
def floordiv_helper_in_loop(n, d):
    total = 0
    for i in range(n):
        total += floordiv_int(i, d)
    return total


@case((4.0,), (0.0,), (-1.0,))
def raise_from_helper(x):
    return checked_sqrt(x) + 1.0


@case((0,), (5,), (20,))
def sum_of_triangles(n):
    s = 0
    for k in range(n):
        s += triangle(k)
    return s


@case((3,), (-2.5,), (0,))
def helper_at_two_types(x):
    return square(x) + square(1.5) + sign(x)


# -- exception messages that show values (f-strings, str(), repr()), made when raised -----------
@case((1.5,), (-0.0,), (NAN,), (INF,), (-INF,), (1e300,), (1e-7,), (0.1,), (-2.5,), (123456789.125,))
def fstring_float(x):
    if x == x and x < 1.0:  # nan falls through to the second raise
        raise ValueError(f"bad value {x}")
    raise ValueError(f"{x:.3f}|{x:>12}|{x:e}|{x!r}|{x:g}|{x:+.2%}|{x:_<10.1f}")


@case((0, 5), (-3, 5), (I64_MAX, I64_MIN), (I64_MIN, -1), (1234567, 10))
def fstring_ints(i, n):
    if i < 0:
        raise IndexError(f"index {i} of {n}")
    raise ValueError(f"{i} of {n}: {i:>8}|{i:x}|{n:,}|{i:08d}|{i!r}|{n:+}|{i:b}")


@case((True, 3), (False, -2))
def fstring_bool(flag, n):
    ok = n > 0
    raise ValueError(f"flag={flag} ok={ok!r} {flag:>6} {ok:d} {flag!s}")


@case((1.5, -2.0), (0.0, -0.0), (NAN, 1.0), (1e300, INF))
def fstring_complex(re, im):
    z = complex(re, im)
    raise ValueError(f"z={z} {z!r} {z:.2f} {z:>30}")


@case((2.5, 3), (-1.0, 0))
def message_str_repr(x, n):
    if n == 0:
        raise ZeroDivisionError("n is " + str(n) + ", x is " + repr(x))
    raise ValueError(str(x) + " " + repr(n) + " " + format(x, ".1e") + " {braces} " + str(x > 1))


@case((5, 2.0), (-1, 0.5), (3, -1.0))
def assert_message(n, x):
    assert n >= 0, f"n must be non-negative, got {n}"
    assert x > 0, f"x={x:.4f} (n={n})"
    return n * x


@case((0.0,), (3.0,))
def fstring_constants_only(x):
    if x == 0.0:
        raise ValueError(f"{3:>4}|{'ab'!r}|{PI:.2f}")
    raise KeyError(f"key {x}")


@case((1.5,), (2,))
def fstring_bad_spec(x):
    raise ValueError(f"{x:q}")  # CPython's own error about the spec, raised instead


@case((1,), (-1,))
def message_starting_with_byte_one(n):
    if n > 0:
        raise ValueError("\x01 starts with byte 1")
    raise ValueError(f"\x01{n}")


@case((4,), (-2,))
def calls_fstring_raiser(i):
    return fstring_ints(i, 7)


# -- loop-invariant nodes inside a γ in a loop: `hoist` moves them out of the γ and the loop
# only when they cannot raise (a branch never taken must not raise either).
@case((5, 2.0, 0), (5, 2.0, 3), (0, 1.5, 1), (4, -0.5, 9))
def invariant_in_branch(n, x, k):
    s = 0.0
    for i in range(n):
        if i > k:
            s += x * 2.5 + 1.0
        else:
            s -= x
    return s


@case((5, 0, False), (5, 3, True), (3, 0, True), (0, 0, True))
def division_in_branch_never_taken(n, d, use):
    s = 0
    for i in range(n):
        if use:
            s += n // d + n // 2
        else:
            s += i
    return s


@case((3, 2**62, False), (3, 5, True))
def overflow_in_branch_never_taken(n, big, use):
    s = 0
    for i in range(n):
        if use:
            s += big * 4
        else:
            s += i
    return s


@case((6, 1.5, 1, 4), (6, 1.5, 4, 1), (0, 2.0, 0, 0))
def invariant_in_nested_branch(n, x, a, b):
    s = 0.0
    for i in range(n):
        if i > a:
            if i < b:
                s += x * x
    return s


# -- try/except/else/finally in compiled code ----------------------------------------------------
# Every form jitlab compiles: `except E`, `except (E1, E2)`, base classes (ArithmeticError,
# LookupError, Exception), bare `except`, `except E as e` re-raised, `else`, `finally` on every
# way out (normal, return, break, continue, an exception passing through), bare `raise`, nested
# `try`, a handler raising another exception, exceptions of a jitted callee; what no handler
# matches reaches the caller with CPython's type and message.


@case((7, 2), (1, 0), (-9, 4))
def try_floordiv(a, b):
    try:
        x = a // b
    except ZeroDivisionError:
        x = -1
    return x


@case((7.0, 2.0), (1.0, 0.0), (3.0, -1.0))
def try_tuple_of_classes(a, b):
    try:
        r = math.sqrt(b) + a / b
    except (ValueError, ZeroDivisionError):
        r = -1.0
    return r


@case((1.0,), (800.0,), (0.0,))
def try_arithmetic_base(x):
    try:
        y = math.exp(x) / (x - 1.0)
    except ArithmeticError:  # OverflowError and ZeroDivisionError
        y = -2.0
    return y


@case((5, 1), (5, 0), (0, 0))
def try_no_match_propagates(a, b):
    try:
        x = a % b
    except ValueError:
        x = -1
    return x


@case((3,), (0,), (-2,))
def try_exception_base(n):
    try:
        r = 100 // n
        r += int(math.sqrt(n))
    except Exception:
        r = -100
    return r


@case((4,), (0,))
def try_bare_except(n):
    try:
        r = 10 % n
    except:  # noqa: E722
        r = 99
    return r


@case((4, 2), (4, 0))
def try_else(a, b):
    try:
        q = a // b
    except ZeroDivisionError:
        q = 0
    else:
        q += 100
    return q


@case((4, 2), (4, 0))
def try_finally_normal(a, b):
    s = 1
    try:
        s += a // b
    finally:
        s *= 10
    return s


@case((4, 2), (4, 0))
def try_except_else_finally(a, b):
    log = 0
    try:
        q = a // b
    except ZeroDivisionError:
        q = -1
        log += 1
    else:
        log += 10
    finally:
        log += 100
    return q * 1000 + log


@case((4, 2), (4, 0), (0, 0))
def try_return_in_finally_body(a, b):
    try:
        return a // b
    except ZeroDivisionError:
        return -1
    finally:
        a = 0


@case((6,), (0,), (-3,))
def try_raise_caught(n):
    try:
        if n < 0:
            raise ValueError("negative")
        if n == 0:
            raise ZeroDivisionError
        r = n * 2
    except ValueError:
        r = -1
    except ZeroDivisionError:
        r = -2
    return r


@case((6,), (-3,))
def try_raise_uncaught_message(n):
    try:
        if n < 0:
            raise ValueError("negative input")
        r = n
    except ZeroDivisionError:
        r = 0
    return r


@case((3,), (4,))
def try_assert_caught(n):
    try:
        assert n != 4, "four is not allowed"
        r = n
    except AssertionError:
        r = -4
    return r


@case((3, 1), (3, 0))
def try_reraise_bare(a, b):
    try:
        r = a // b
    except ZeroDivisionError:
        raise
    return r


@case((3, 1), (3, 0))
def try_reraise_named(a, b):
    try:
        r = a // b
    except ZeroDivisionError as e:
        raise e
    return r


@case((3, 1), (3, 0), (-1, 1))
def try_handler_raises_other(a, b):
    try:
        r = a // b
        if r < 0:
            raise ValueError("negative quotient")
    except ZeroDivisionError:
        raise ValueError("no zero please")  # noqa: B904 - CPython's implicit chaining is invisible here
    return r


@case((3, 1), (3, 0), (0, 3))
def try_nested(a, b):
    try:
        try:
            r = a // b
        except ValueError:
            r = -1
        r = 10 // r
    except ZeroDivisionError:
        r = -2
    return r


@case((3, 0), (0, 0), (2, 1))
def try_nested_in_handler(a, b):
    try:
        r = a // b
    except ZeroDivisionError:
        try:
            r = 10 // a
        except ZeroDivisionError:
            r = -100
    return r


@case((0,), (5,), (12,))
def try_in_loop_continue_break(n):
    s = 0
    for i in range(n):
        try:
            if i == 2:
                continue
            if i == 9:
                break
            s += 100 // (i - 4)
        except ZeroDivisionError:
            s += 1000
    return s


@case((0,), (4,), (9,))
def try_finally_in_loop(n):
    s = 0
    for i in range(n):
        try:
            if i == 2:
                continue
            if i == 6:
                break
            s += 10 // (i - 3)
        except ZeroDivisionError:
            s += 100
        finally:
            s += 1
    return s


@case((0,), (3,), (10,))
def try_finally_exception_escapes_loop(n):
    s = 0
    i = 0
    while i < n:
        try:
            s += 12 // (5 - i)
        finally:
            s += 1
        i += 1
    return s


@case((5,), (2,), (0,))
def try_return_from_loop_with_finally(n):
    total = 0
    for i in range(10):
        try:
            if i == n:
                return total
            total += i
        finally:
            total += 1000
    return -total


@case((10,), (0,), (-4,))
def try_callee_raises(x):
    try:
        return gcd(x, 0) // x
    except ZeroDivisionError:
        return -1


@case((9.0,), (-1.0,))
def try_callee_math_error(x):
    try:
        return sqrt_or_fail(x)
    except ValueError:
        return -1.0


@case((4.0,), (-1.0,))
def sqrt_or_fail(x):
    return math.sqrt(x) + 1.0


@case((2,), (0,), (-1,))
def try_while_retry(n):
    tries = 0
    d = n
    while True:
        try:
            r = 60 // d
            break
        except ZeroDivisionError:
            tries += 1
            d = d + 3
    return r * 100 + tries


@case((4,), (0,))
def try_except_pass(n):
    r = 7
    try:
        r = 1 // n
    except ZeroDivisionError:
        pass
    return r


@case((2,), (5,))
def try_around_loop(n):
    s = 0
    try:
        for i in range(n):
            s += 10 // (i - 3)
    except ZeroDivisionError:
        s = -1
    return s


@case((4, 2), (4, 0))
def try_else_not_protected(a, b):
    try:
        q = a // 2
    except ZeroDivisionError:
        q = -1
    else:
        q = q // b  # the else block is outside the handlers' range: this one propagates
    return q


@case((4, 2), (4, 0))
def try_else_caught_outside(a, b):
    try:
        try:
            q = a // 2
        except ZeroDivisionError:
            q = -1
        else:
            q = q // b
    except ZeroDivisionError:
        q = -7
    return q


@case((2, 1), (2, 0), (0, 1), (0, 0))
def try_finally_raises(a, b):
    try:
        q = a // b
    finally:
        q = 5 // a  # an exception here replaces the one passing through
    return q


@case((0,), (7,))
def try_while_continue(n):
    i = 0
    s = 0
    while i < n:
        i += 1
        try:
            s += 100 // (i % 3)
        except ZeroDivisionError:
            continue
        s += 1
    return s


@case((2.5,), (INF,), (NAN,), (-7.9,))
def try_int_conversion_errors(x):
    try:
        y = int(x)
    except OverflowError:
        y = -1
    except ValueError:
        y = -2
    return y


@case((6, 1), (6, 2), (6, 5))
def try_nested_loops_break(a, b):
    r = 0
    for i in range(3):
        for j in range(3):
            try:
                r += a // (b - j)
            except ZeroDivisionError:
                if i == 1:
                    break
                r += 100
    return r


@case((0,), (5,))
def try_finally_inside_try(n):
    total = 0
    for i in range(n):
        try:
            try:
                total += 10 // (i - 2)
            finally:
                total += 1
        except ZeroDivisionError:
            total += 1000
    return total


@case((1,), (-1,))
def try_assert_finally(x):
    try:
        assert x > 0
        r = 1
    except AssertionError:
        r = 2
    finally:
        x = 0
    return r + x


@case((3, 1), (3, 0))
def try_reraise_before_bare_except(a, b):
    try:
        r = a // b
    except ZeroDivisionError:
        raise
    except:  # noqa: E722
        r = 0
    return r


@case((3, 0), (3, 1))
def try_as_unused(a, b):
    try:
        r = a // b
    except ZeroDivisionError as e:  # noqa: F841 - bound, never read: jitlab accepts it
        r = -1
    return r


@case((3, 0), (3, 1), (3, 5))
def try_as_reraised_in_loop(a, b):
    for i in range(3):
        try:
            r = a // (b - i)
        except ZeroDivisionError as err:
            if i == 1:
                raise err
            r = -1
    return r


@case((3,), (-1,))
def try_unbound_local(n):
    if n > 0:
        x = n
    try:
        y = x * 2
    except UnboundLocalError:
        y = -1
    return y


@case((2.5, 3), (-1.0, 0), (NAN, -7))
def message_str_format(x, n):
    if n == 0:
        raise ValueError("x={}, n={:>4}, x again {!r} {name}".format(x, n, x, name=n * 2))  # noqa: UP032
    raise ValueError("{1}/{0:.2e} {{lit}} {1:x} {0!r:>8}".format(x, n))  # noqa: UP032


@case((2.5, 3), (-1.0, 0), (NAN, -7), (1e300, I64_MIN))
def message_percent(x, n):
    if n == 0:
        raise ValueError("n=%d, x=%.3f, %r %s%% %5.1e|%-6d|%x" % (n, x, x, n > 0, x, n, n))  # noqa: UP031
    if n < 0 and x == x:
        raise ValueError("x is %d (as int), %g" % (x, x))  # noqa: UP031
    if n < 0:
        raise ValueError("nan: %s, %5.2f, %d%%" % (x, x, n))  # noqa: UP031
    raise IndexError("index %d" % n)  # noqa: UP031


@case((0, 3), (1, -2))
def read_of_a_loop_variable_in_dead_code(a, c):
    # `1 // -5 > -5` is always true: the inner loop never runs, so the return reading `i1` is dead
    # code whose read of `i1` is bound on no path once folded (fuzz seed 7746)
    y = -4
    for i0 in range(2):
        if (1 // -5) > -5:
            continue
        for i1 in range(5):
            if i0 or a:
                return c + min(3, i1)
            y = c
    return -y


@case((0,), (3,))
def read_of_a_variable_bound_on_no_path_in_a_try(n):
    y = 0
    for _ in range(2):
        if (1 // -5) > -5:
            continue
        k = n
    try:
        y = k + 1
    except UnboundLocalError:
        y = -1
    return y


# ---------------------------------------------------------------- random numbers, seeded inside
# Every function seeds first (`np.random.seed`, `random.seed`), so CPython's global generators,
# the interpreter's own and compiled code's draw the same numbers (imported here, not at the top,
# so that the line numbers of the functions above, which goldens record, stay put).
import random  # noqa: E402

import numpy as np  # noqa: E402


@case((0,), (42,), (2**32 - 1,), (-1,), (2**32,))
def random_numpy_seeded(seed):
    np.random.seed(seed)
    total = 0.0
    for i in range(40):
        total = total * 0.5 + np.random.random() + np.random.randn() + np.random.randint(-3, 1000)
        total += np.random.normal(1.0, 2.0) + np.random.uniform(-1.0, 1.0) + np.random.exponential(0.5)
    return total + np.random.choice(7)


@case((0, 100), (-9, 100), (2**40, 100), (5, 1), (5, 6))
def random_python_seeded(seed, top):
    random.seed(seed)
    total = 0.0
    for i in range(40):
        total = total * 0.5 + random.random() + random.gauss(0.0, 1.0) + random.randint(5, top)
        total += random.uniform(-2, 3) + random.normalvariate() + random.expovariate(2.0)
        total += random.randrange(-7, 100, 3)
    return total


# ---------------------------------------------------------------- dicts and sets


@case((0,), (1,), (30,))
def dict_memo_fib(n):
    memo = {}  # (a display of constant keys is BUILD_CONST_KEY_MAP before 3.14: its keys' columns differ)
    memo[0] = 0
    memo[1] = 1
    for i in range(2, n + 1):
        memo[i] = memo[i - 1] + memo[i - 2]
    return memo[n] + len(memo)


@case((10, 3), (100, 7), (0, 5))
def dict_count_items(n, m):
    d = {}
    for i in range(n):
        d[i % m] = d.get(i % m, 0) + i
    total = 0
    for k, v in d.items():
        total = total * 31 + k * v
    return total, len(d), (m - 1) in d


@case((12,), (1,), (0,))
def set_algebra_sizes(n):
    a = {i * 2 % 7 for i in range(n)}
    b = set(range(n // 2))
    a |= {100}
    return len(a | b), len(a & b), len(a - b), len(a ^ b), a <= b, 100 in a, sum(a)


@case((2,), (9,))
def dict_missing_key(k):
    one = 1
    d = {one: 1.5, one + 1: 2.5}
    return d[k] + d.pop(1, 0.0)
