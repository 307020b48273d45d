"""Scalar and control-flow corpus: numeric functions in the style Numba users write.

A second differential corpus next to ``differential_corpus.py``, wider in what it touches:
mixed int/float/bool/complex promotion, ``//``/``%``/``**`` corners, ``math``/``cmath``,
bit operations, loops with ``else``, nested ``break``/``continue``, recursion, calls between
jitted functions, closures, default/keyword/optional arguments, tuples, typed local lists,
iterators (``enumerate``/``zip``/``reversed``), exceptions with formatted messages and
``try``/``except``.  ``tests/test_corpus_scalars.py`` runs every (function, args) pair under
CPython and under ``jitlab.jit`` (all functions rebound into one namespace of jit objects, as in
``differential_corpus``) and demands the same value and Python type, or the same exception
type and message.

Three registrations:
- ``@case(args, ...)``: CPython is the oracle;
- ``@wraps_case((args, expected), ...)``: int64 wraparound (jitlab's default overflow mode)
  and float->int limits, where jitlab differs from CPython by design: the expected value or
  exception is given;
- ``@unsupported("construct", args)``: jitlab does not compile it; the call must raise a
  ``JitlabError`` (TypingError/UnsupportedError) that names a source line, never crash.
"""

import cmath
import math

N_MAX = 10
SCALE = 2.5
LIMITS = (3, 7, 11)
PAIR = (1.5, -2)
FLAG = False
I64_MAX = 2**63 - 1
I64_MIN = -(2**63)
NAN = float("nan")
INF = float("inf")

CASES = []
WRAPS = []
UNSUPPORTED = []


def case(*arg_tuples):
    """Register a function with the argument tuples it is run on (CPython is the oracle)."""

    def register(func):
        CASES.append((func, [tuple(args) for args in arg_tuples]))
        return func

    return register


def wraps_case(*pairs):
    """Register a function with (args, expected) pairs; expected is a value or an exception."""

    def register(func):
        WRAPS.append((func, [(tuple(args), expected) for args, expected in pairs]))
        return func

    return register


def unsupported(construct, *arg_tuples):
    """Register a function jitlab rejects with a clear error (`construct` names what)."""

    def register(func):
        UNSUPPORTED.append((func, construct, [tuple(args) for args in arg_tuples]))
        return func

    return register


# ------------------------------------------------------------ arithmetic and promotion


@case((7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (7, 0), (I64_MIN, 3))
def c_floordiv_mod_pair(a, b):
    return a // b, a % b


@case((7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (-0.0, 3.0), (1.0, 0.0), (5.0, INF), (-5.0, INF), (INF, 2.0))
def c_float_floordiv_mod(a, b):
    return a // b, a % b


@case((7, 2.5), (-7, 2.5), (3, -0.5), (0, 1.5))
def c_mixed_floordiv_mod(a, b):
    return a // b, a % b


@case((7, 3), (-7, 3), (7, -3), (0, 1), (5, 0), (I64_MIN, 3), (I64_MAX, -1))
def c_divmod_int(a, b):
    return divmod(a, b)


@case((7.0, 3.0), (-7.5, 2.0), (7.0, -0.5), (1.0, 0.0))
def c_divmod_float(a, b):
    q, r = divmod(a, b)
    return q * 10.0 + r


@case((2, 10), (3, 0), (-2, 3), (0, 0), (7, 1))
def c_pow_int(a, b):
    return a ** b


@case((2,), (-2,), (4,))
def c_pow_negative_const(a):
    return a ** -2


@case((2.0, -1), (0.5, 3), (-8.0, 3), (4.0, 0.5), (0.0, -1.0), (2.0, 0.0), (10.0, 400.0))
def c_pow_float(a, b):
    return a ** b


@case((2, 0.5), (9, -0.5), (0, 2.0))
def c_pow_int_float(a, b):
    return a ** b


@case((3, 2.0), (True, 1.5), (False, 2), (5, True))
def c_mixed_add_mul(a, b):
    return a + b, a * b, a - b


@case((1, 3), (10, 4), (-9, 3), (0, 7), (1, 0))
def c_true_div_ints(a, b):
    return a / b


@case((True, True), (True, False), (False, False))
def c_bool_arith(a, b):
    return a + b, a * 3, a - b, -a, a & b, a | b, a ^ b


@case((True,), (False,))
def c_bool_invert_int(a):
    return ~int(a), int(a) << 3, a / 2


@case((3,), (-3,), (0,))
def c_unary_ops(x):
    return -x, +x, ~x, not x, abs(x)


@case((3.5,), (-0.0,), (NAN,), (-INF,))
def c_unary_float(x):
    return -x, +x, abs(x), not x


@case((1, 2, 3), (5, -1, 4), (0, 0, 0), (-2, -7, -3))
def c_min_max_three(a, b, c):
    return min(a, b, c), max(a, b, c), min(a, b), max(c, a)


@case((1.0, NAN), (NAN, 1.0), (-0.0, 0.0), (0.0, -0.0))
def c_min_max_float_corners(a, b):
    return min(a, b), max(a, b)


@case((2.5,), (3.5,), (-2.5,), (0.5,), (-0.5,), (1e15 + 0.5,), (2.675,))
def c_round_half_even(x):
    return round(x), round(x, 1), round(x, 2)


@case((1234,), (-1255,), (15,))
def c_round_int_ndigits(x):
    return round(x), round(x, -1), round(x, -2)


@case((3.9,), (-3.9,), (0.0,), (-0.5,), (1e18,))
def c_int_of_float(x):
    return int(x)


@case((INF,), (-INF,), (NAN,))
def c_int_of_special(x):
    return int(x)


@case((NAN,), (INF,))
def c_round_of_special(x):
    return round(x)


@case((0,), (7,), (-1,), (0.0,), (-0.0,), (NAN,), (0.1,))
def c_bool_of_number(x):
    return bool(x)


@case((3,), (-4,), (True,))
def c_float_of_int(x):
    return float(x), float(x) / 2


@case((I64_MAX,), (2**53 + 1,))
def c_float_of_big_int(x):
    return float(x)


@case((5, 3), (2**53 + 1, 2**53), (-3, 3))
def c_int_float_compare(a, b):
    return a == float(b), a < b + 0.5, float(a) >= b


@case((2**53 + 1,), (3,))
def c_exact_mixed_compare(n):
    x = 2.0 ** 53
    return n == x, n > x, n <= x


@case((1, 2), (3, 1), (2, 2))
def c_compare_bools(a, b):
    t = a < b
    u = a > b
    return t + u, t == u, t < u


@case((10, 3), (-10, 3), (10, -3))
def c_augmented_ops(a, b):
    x = a
    x += b
    x *= 2
    x -= 1
    x //= b
    x %= 7
    x **= 2
    x <<= 1
    x >>= 2
    x |= 8
    x &= 13
    x ^= 5
    return x


@case((10.0, 3.0), (-1.5, 0.25))
def c_augmented_float(a, b):
    x = a
    x += b
    x *= b
    x /= 2
    x -= a
    x **= 2
    x //= 1.5
    x %= 4.0
    return x


@case((3, 4), (0, 1))
def c_promote_through_loop(a, n):
    x = a
    for i in range(n):
        x = x + 0.5
    return x


@case((1e308,), (-1e308,), (1e-320,))
def c_float_overflow_to_inf(x):
    return x * 10.0, x / 1e10, x - x


@case((0.1, 0.2), (1.0, 1e-17))
def c_float_assoc(a, b):
    return (a + b) + 0.3, a + (b + 0.3)


@case((5,), (0,))
def c_float_inf_sentinel(n):
    best = float("inf")
    worst = float("-inf")
    for i in range(n):
        v = (i * 7 % 5) - 2.5
        if v < best:
            best = v
        if v > worst:
            worst = v
    return best, worst, float("nan") != float("nan"), float("1e3")


@case((3, 4), (2.5, 2), (-8.0, 2.0), (0, 0))
def c_builtin_pow(a, b):
    return pow(a, b), pow(a, 2)


# ------------------------------------------------------------------------ math


@case((2.5,), (-2.5,), (-0.0,), (INF,), (NAN,), (-1e18,))
def c_math_floor_ceil_trunc(x):
    return math.floor(x), math.ceil(x), math.trunc(x)


@case((7,), (-3,))
def c_math_floor_int(n):
    return math.floor(n), math.ceil(n), math.trunc(n)


@case((NAN,), (INF,), (-INF,), (1.0,), (0.0,))
def c_math_classify(x):
    return math.isnan(x), math.isinf(x), math.isfinite(x)


@case((1.0, 1.0 + 1e-10), (1.0, 1.1), (0.0, 1e-12), (INF, INF), (NAN, NAN))
def c_math_isclose(a, b):
    return math.isclose(a, b), math.isclose(a, b, rel_tol=0.2), math.isclose(a, b, abs_tol=1e-9)


@case((12, 18), (0, 5), (-12, 18), (0, 0), (17, 5))
def c_math_gcd(a, b):
    return math.gcd(a, b)


@case((0,), (5,), (20,), (-1,))
def c_math_factorial(n):
    return math.factorial(n)


@case((3.0, 4.0), (0.0, -0.0), (INF, NAN), (1e300, 1e300), (3, 4))
def c_math_hypot(a, b):
    return math.hypot(a, b)


@case((1.0, 1.0), (0.0, -0.0), (-0.0, -1.0), (-1.0, 0.0), (0.0, 0.0), (INF, -INF))
def c_math_atan2(y, x):
    return math.atan2(y, x)


@case((3.0, -0.0), (-2.0, 1.0), (0.0, -1.0), (NAN, -1.0), (5, -1))
def c_math_copysign(a, b):
    return math.copysign(a, b)


@case((7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (1.0, 0.0), (INF, 1.0), (1.0, INF))
def c_math_fmod(a, b):
    return math.fmod(a, b)


@case((8.0, 2.0), (100.0, 10.0), (1.0, 3.0), (0.0, 2.0), (8, 2), (-1.0, 2.0))
def c_math_log_base(x, b):
    return math.log(x, b)


@case((100.0,), (1.0,), (0.0,), (-1.0,), (1024,))
def c_math_log10_log2(x):
    return math.log10(x), math.log2(x)


@case((1e-10,), (0.0,), (-1.0,), (-0.5,), (3.0,))
def c_math_log1p(x):
    return math.log1p(x)


@case((1e-10,), (0.0,), (-0.0,), (1.0,), (-50.0,))
def c_math_expm1(x):
    return math.expm1(x)


@case((0.0,), (0.5,), (-1.0,), (3.0,), (INF,))
def c_math_erf(x):
    return math.erf(x), math.erfc(x)




@case((0.5,), (-0.5,), (1.0,), (2.0,))
def c_math_inverse_trig(x):
    return math.asin(x), math.acos(x), math.atan(x)


@case((0.5,), (0.0,), (-3.0,), (1.0,))
def c_math_hyperbolic(x):
    return math.sinh(x), math.cosh(x), math.tanh(x), math.asinh(x)


@case((2.0,), (0.5,), (1.0,))
def c_math_inverse_hyperbolic(x):
    return math.acosh(x), math.atanh(x / 4)


@case((4.0,), (-1.0,), (0.0,), (-0.0,), (INF,))
def c_math_sqrt(x):
    return math.sqrt(x)


@case((1.0,), (710.0,), (-1000.0,))
def c_math_exp_overflow(x):
    return math.exp(x)


@case((2.0, 3.0), (-2.0, 0.5), (0.0, -1.0), (2.0, 2000.0), (-8.0, 3.0))
def c_math_pow(a, b):
    return math.pow(a, b)


@case((180.0,), (-45.0,))
def c_math_degrees_radians(x):
    return math.radians(x), math.degrees(math.radians(x))


@case((1.0,),)
def c_math_constants(x):
    return math.pi * x, math.e * x, math.tau * x, math.inf * x, math.isnan(math.nan * x)


@case((3.7,), (-3.7,), (0.0,))
def c_math_modf_frexp(x):
    f, i = math.modf(x)
    m, e = math.frexp(x)
    return f, i, m, e


@case((1.5, 3), (1.0, -2), (0.0, 10))
def c_math_ldexp(x, e):
    return math.ldexp(x, e)


@case((2.0,), (-3.0,))
def c_math_cbrt_exp2(x):
    return math.exp2(x), math.cbrt(x * x * x)


@case((7,), (0,), (-4,))
def c_math_with_ints(n):
    return math.sqrt(abs(n)), math.exp(n / 10), math.sin(n), math.fabs(n)


@case((3, 4), (5, 12), (0, 0), (-1, 0), (3037000499, 0))
def c_math_isqrt(a, b):
    return math.isqrt(a * a + b * b)


# --------------------------------------------------------------------- complex


@case((1.0, 2.0, 3.0, -1.0), (0.0, 0.0, 1.0, 1.0), (-1.5, 0.5, 2.0, 0.0))
def c_complex_ops(a, b, c, d):
    z = complex(a, b)
    w = complex(c, d)
    return z + w, z - w, z * w, z / w, -z, z.conjugate()


@case((1j,), (3 + 4j,), (-2 - 0j,))
def c_complex_arg(z):
    return abs(z), z.real, z.imag, z * 2, z + 1.5, z == 1j


@case((1 + 1j, 0j), (2j, 1j))
def c_complex_div_zero(a, b):
    return a / b


@case((1 + 2j,), (-1 + 0j,), (0j,), (-4 - 0j,))
def c_cmath_phase(z):
    return cmath.phase(z), cmath.phase(z * 1j)


@case((1 + 1j,), (complex(NAN, 0.0),), (complex(INF, 1.0),))
def c_cmath_classify(z):
    return cmath.isnan(z), cmath.isinf(z), cmath.isfinite(z)


@case((2 + 0j, 3), (1j, 2), (1 + 1j, 0))
def c_complex_int_pow(z, n):
    return z ** n


@case((3, 2.0))
def c_complex_from_mixed(a, b):
    z = a + b * 1j
    return z, z * a, abs(z)


@case((1.0,), (-2.0,))
def c_complex_loop(x):
    z = 0j
    for k in range(4):
        z = z * complex(0.5, x) + k
    return z


@case((0.5, 0.5), (2.0, 0.0), (-0.75, 0.1))
def c_mandel_complex(cr, ci):
    c = complex(cr, ci)
    z = 0j
    for i in range(50):
        z = z * z + c
        if abs(z) > 2.0:
            return i
    return -1


# -------------------------------------------------------------------------- bits


@case((0b1011, 0b0110), (-1, 255), (I64_MIN, I64_MAX), (0, 0))
def c_bit_ops(a, b):
    return a & b, a | b, a ^ b, ~a


@case((1, 3), (-8, 1), (I64_MAX, 62), (-1, 63), (5, 0))
def c_shifts_in_range(a, s):
    return a >> s, (a & 0xFF) << (s & 7)


@case((1, 64), (-1, 64), (I64_MIN, 100), (12345, 200))
def c_rshift_large(a, s):
    return a >> s


@case((1, -1), (8, -3))
def c_rshift_negative(a, s):
    return a >> s


@case((1, -1), (0, -64))
def c_lshift_negative(a, s):
    return a << s


@case((0, 64), (0, 100))
def c_lshift_zero_large(a, s):
    return a << s


@case((0,), (1,), (255,), (-1,), (I64_MAX,))
def c_popcount_loop(x):
    n = 0
    v = x & I64_MAX
    while v:
        v &= v - 1
        n += 1
    return n


@case((1,), (40,), (2**62,))
def c_bit_length_loop(x):
    n = 0
    while x > 0:
        x >>= 1
        n += 1
    return n


@case((5,), (0,), (I64_MAX,))
def c_bit_length_method(x):
    return x.bit_length()


@case((0x12345678,),)
def c_byte_swap32(x):
    return ((x & 0xFF) << 24) | ((x >> 8 & 0xFF) << 16) | ((x >> 16 & 0xFF) << 8) | (x >> 24 & 0xFF)


@case((6, 2), (6, 0), (5, 1))
def c_test_bit(x, i):
    return (x >> i) & 1 == 1, bool(x & (1 << i))


@case((True, False), (True, True))
def c_bool_bitwise(a, b):
    return a & b, a | b, a ^ b, ~int(a)


# ---------------------------------------------------------------- control flow


@case((1, 2, 3), (3, 2, 1), (1, 1, 2), (2, 1, 2))
def c_chained_compare(a, b, c):
    return a < b < c, a <= b <= c, a == b != c, a < b > c, 0 <= a < b <= c < 10


@case((5.0,), (NAN,), (-1.0,))
def c_chained_float_nan(x):
    return 0.0 <= x <= 10.0, not (x < 0.0)


@case((3,), (-3,), (0,))
def c_ifexp_types(x):
    y = x if x > 0 else -x
    z = 1.5 if x else 2.5
    return y, z, (x > 0) if x else (x < 0)


@case((10,), (7,), (1,))
def c_while_else_break(n):
    i = 2
    while i * i <= n:
        if n % i == 0:
            break
        i += 1
    else:
        return -1
    return i


@case((5,), (0,))
def c_for_else_no_break(n):
    t = 0
    for i in range(n):
        t += i
    else:
        t += 100
    return t


@case((10, 3), (10, 20))
def c_for_else_break(n, target):
    found = -1
    for i in range(n):
        if i == target:
            found = i
            break
    else:
        found = -2
    return found


@case((5,), (8,))
def c_nested_break_continue(n):
    total = 0
    for i in range(n):
        if i == 1:
            continue
        for j in range(n):
            if j > i:
                break
            if (i + j) % 3 == 0:
                continue
            total += i * j
        if total > 50:
            break
    return total


@case((6,), (0,))
def c_while_true_multi_exit(n):
    i = 0
    while True:
        i += 1
        if i > 20:
            return -1
        if i * i > n * 3:
            break
        if i == n + 5:
            return i * 100
    return i


@case((3,), (4,), (-1,))
def c_early_returns(x):
    if x < 0:
        return 0
    for i in range(10):
        if i * x > 10:
            return i
    return 99


@case((20,), (1,))
def c_while_continue(n):
    i = 0
    s = 0
    while i < n:
        i += 1
        if i % 2:
            continue
        s += i
    return s


@case((4,), (0,))
def c_triple_loop(n):
    s = 0
    for i in range(n):
        for j in range(i):
            for k in range(j):
                s += i * 100 + j * 10 + k
    return s


@case((10, -1), (0, 10), (10, 0, ))
def c_range_neg_step(a, b):
    s = 0
    for i in range(a, b, -2):
        s = s * 3 + i
    return s


@case((5,), (-5,))
def c_range_forms(n):
    a = sum(range(n))
    b = len(range(n, 2 * n))
    c = len(range(0, n, 3))
    d = sum(range(n, -n, -3))
    return a, b, c, d


@case((0,), (1,))
def c_range_zero_step(s):
    t = 0
    for i in range(0, 10, s):
        t += i
    return t


@case((7,), (12,))
def c_loop_var_after_loop(n):
    for i in range(n):
        pass
    return i


@case((3,), (5,))
def c_loop_modifies_bound(n):
    m = n
    s = 0
    for i in range(m):
        m += 1
        s += i
    return s, m


@case((100,), (1,))
def c_nested_while(n):
    steps = 0
    x = n
    while x > 1:
        y = x
        while y % 2 == 0:
            y //= 2
            steps += 1
        x = y - 1 if y > 1 else 0
        steps += 1
    return steps


@case((4, 3), (0, 0))
def c_if_chain(a, b):
    if a > b:
        r = 1
    elif a == b:
        r = 2
    elif a < 0:
        r = 3
    else:
        r = 4
    return r


@case((1.5,), (-1.5,), (0.0,))
def c_branch_float_int_mix(x):
    if x > 0:
        y = 2.0
    else:
        y = -1.0
    return y * x


@case((7,), (0,))
def c_pass_and_ellipsis(n):
    if n:
        pass
    else:
        ...
    return n


@case((13,), (30,))
def c_goto_like_state_machine(n):
    state = 0
    count = 0
    while count < n:
        if state == 0:
            state = 1
        elif state == 1:
            state = 2 if count % 3 else 0
        else:
            state = 0
        count += 1
    return state, count


# ------------------------------------------------------ functions, recursion, calls


def _helper_square(x):
    return x * x


def _helper_div(a, b):
    return a / b


def _helper_two(a, b):
    return a + b, a - b


@case((3,), (2.5,))
def c_calls_helper(x):
    return _helper_square(x) + _helper_square(x + 1)


@case((6, 3), (1, 0))
def c_calls_helper_raising(a, b):
    return _helper_div(a, b)


@case((5, 2),)
def c_calls_helper_tuple(a, b):
    s, d = _helper_two(a, b)
    return s * d


@case((10,), (0,), (1,))
def c_recursive_fib(n):
    if n < 2:
        return n
    return c_recursive_fib(n - 1) + c_recursive_fib(n - 2)


@case((3, 4), (2, 2))
def c_ackermann_small(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return c_ackermann_small(m - 1, 1)
    return c_ackermann_small(m - 1, c_ackermann_small(m, n - 1))


def _is_even(n):
    return True if n == 0 else _is_odd(n - 1)


def _is_odd(n):
    return False if n == 0 else _is_even(n - 1)


@case((10,), (7,))
def c_mutual_recursion(n):
    return _is_even(n), _is_odd(n)


@case((2.0, 10), (3.0, 0), (0.5, 3))
def c_recursive_power_float(x, n):
    if n == 0:
        return 1.0
    h = c_recursive_power_float(x, n // 2)
    return h * h if n % 2 == 0 else h * h * x


def _scaled(x, k=2, offset=0.5):
    return x * k + offset


@case((3,), (1.5,))
def c_defaults_and_keywords(x):
    return _scaled(x), _scaled(x, 3), _scaled(x, offset=1.0), _scaled(x, k=4, offset=-1.0)


def _maybe(x, y=None):
    if y is None:
        return x * 2
    return x + y


@case((3,), (2.5,))
def c_optional_none_arg(x):
    return _maybe(x), _maybe(x, 10)


@case((4,), (4, 1), (4, None))
def c_optional_default_direct(x, y=None):
    if y is None:
        return -x
    return x * y


@case((4,), (4, 3))
def c_default_used_in_loop(n, step=1):
    s = 0
    for i in range(0, n * 3, step):
        s += i
    return s


@case((3,), (-2,))
def nested_function_closure(x):
    k = 5

    def inner(y):
        return y * k + 1

    return inner(x) + inner(2)


def _make_scaler(k):
    def scaler(x):
        return x * k + SCALE

    return scaler


_triple = _make_scaler(3)


@case((2,), (-1.5,))
def c_closure_cell_constant(x):
    return _triple(x)


@case((1.0,), (2,))
def c_global_constants(x):
    return x * SCALE + N_MAX + LIMITS[1] + PAIR[0] + (1 if FLAG else 0)


@case((5,), (0,))
def c_global_tuple_iterate(n):
    s = 0
    for lim in LIMITS:
        if n < lim:
            s += lim
    return s


@case((2, 3),)
def c_keyword_call_order(a, b):
    return _helper_two(b=a, a=b)


# --------------------------------------------------------------------- tuples


@case((1, 2), (5, -5))
def c_tuple_swap(a, b):
    a, b = b, a
    return a * 10 + b


@case((1, 2, 3),)
def c_tuple_rotate(a, b, c):
    a, b, c = b, c, a
    return a, b, c


@case((3, 1.5),)
def c_tuple_nested(a, b):
    t = ((a, b), (b, a), a)
    (x, y), (u, v), w = t
    return x + v, y * u, w, t[0][1], len(t)


@case((2, 3.5),)
def c_tuple_return_mixed(a, b):
    return a, b, a > b, complex(a, b)


@case((4,), (0,))
def c_tuple_len_index(n):
    t = (n, n + 1, n * 2, -n)
    return len(t), t[0], t[-1], t[-4]


@case((4, 0), (4, 3), (4, -1), (4, -4), (4, 4), (4, -5))
def c_tuple_runtime_index(n, i):
    t = (n, n + 1, n * 2, -n)
    s = 0
    for k in range(len(t)):
        s = s * 10 + t[k] + t[-1 - k]
    return s, t[i]  # IndexError('tuple index out of range') past either end


@case((3, 2.5),)
def c_tuple_iterate_floats(a, b):
    s = 0.0
    for v in (a * 1.0, b, 1.0, -b):
        s += v
    return s


@case((4,), (-1,))
def c_tuple_slice(n):
    t = (n, n + 1, n * 2.5, -n)
    return t[1:3], t[::-1], t[-2:], t[:0]


@unsupported('a loop over a tuple of int and float items', (3, 2.5),)
def u_tuple_iterate_homogeneous(a, b):
    s = 0.0
    for v in (a, b, 1.0, -a):
        s += v
    return s


@unsupported('a loop over a tuple of mixed item types', (3, 2.5),)
def u_tuple_iterate_mixed(a, b):
    s = 0.0
    for v in (a, b, True):
        s += v
    return s


@case((1, 2), (2, 1), (1, 1))
def c_tuple_compare(a, b):
    return ((a, b) < (b, a), (a, b) == (a, b), (a, 1) != (a, 2), (a,) < (a, b), (a, b, 0) >= (a, b),
            (a, 2.5) <= (a, b), (1, 2) == (1.0, 2.0), (a, b) > (a,))


@case((3,), (-1,))
def c_tuple_concat(n):
    t = (n, n) + (1.5,)
    return t, (n,) * 3


@case((2, 7), (0, 7))
def c_tuple_in(x, y):
    return x in (1, 2, 3), y not in (1, 2, 3)


@case((3, 4),)
def c_tuple_unpack_from_call(a, b):
    q, r = divmod(a * 10 + b, 7)
    m, e = math.frexp(float(q))
    return q, r, m, e


@case((5,), (1,))
def c_tuple_accumulate_in_loop(n):
    acc = (0, 1)
    for i in range(n):
        acc = (acc[1], acc[0] + acc[1])
    return acc


@unsupported('starred unpacking', (4,),)
def u_tuple_star_unpack(n):
    first, *rest = (n, n + 1, n + 2)
    return first, len(rest)


@case((3, 9), (0, 0))
def c_tuple_max_min_of(a, b):
    t = (a, b, a + b)
    return max(t), min(t), sum(t)


# ---------------------------------------------------------------------- lists


@case((5,), (0,))
def c_list_append_pop(n):
    xs = []
    for i in range(n):
        xs.append(i * 2)
    s = 0
    while xs:
        s = s * 3 + xs.pop()
    return s


@case((5,),)
def c_list_pop_index(n):
    xs = [i for i in range(n)]
    a = xs.pop(0)
    b = xs.pop(-1)
    c = xs.pop(1)
    return a, b, c, xs


@case((4,), (0,))
def c_list_insert(n):
    xs = [1, 2, 3]
    xs.insert(0, n)
    xs.insert(2, -n)
    xs.insert(100, 9)
    xs.insert(-1, 7)
    return xs


@case((3,),)
def c_list_extend(n):
    xs = [1, 2]
    xs.extend([n, n * 2])
    ys = xs + [0]
    return xs, ys, len(ys)


@case((3,), (7,))
def c_list_index_contains(n):
    xs = [5, 3, 7, 3]
    return n in xs, n not in xs, xs.count(3)


@case((3,), (4,), (7,))
def c_list_index_method(n):
    xs = [5, 3, 7, 3]
    ys = [0.5, 1.5]
    k = xs.index(n)  # ValueError('4 is not in list'; 3.14: 'list.index(x): x not in list')
    xs.remove(n)
    return k, xs, ys.index(n * 0.5)


@case((1,), (2,))
def c_list_remove_missing(n):
    xs = [1.5, 2.5, 1.5]
    xs.remove(n + 0.5)
    xs.remove(1.5)
    return xs


@case((6,), (0,), (1,))
def c_list_slicing(n):
    xs = [i * i for i in range(n)]
    return xs[1:4], xs[::-1], xs[-2:], xs[:0], xs[::2], xs[5:1:-2], xs[-100:100], xs[n:], xs[:-1]


@case((6,), (2,))
def c_list_slice_store(n):
    xs = [i for i in range(n)]
    xs[1:3] = [0]
    ys = [i for i in range(n)]
    del ys[::2]
    return xs, ys


@case((6,), (0,))
def c_list_sum_min_max(n):
    xs = [(i * 5) % 7 - 3 for i in range(n)]
    return sum(xs), min(xs), max(xs)


@case((6,), (0,), (1,))
def c_list_sorted(n):
    xs = [(i * 5) % 7 - 3.5 for i in range(n)]
    ys = sorted(xs)
    return ys, xs


@case((6,), (0,))
def c_list_sort_reverse(n):
    xs = [(i * 5) % 7 for i in range(n)]
    xs.sort()
    ys = sorted(xs, reverse=True)
    xs.reverse()
    zs = [0.0, -0.0, 1.5, -0.0, 0.0] * n
    zs.sort(reverse=True)
    return xs, ys, zs, sorted(zs)


@case((3,), (6,))
def c_sorted_key(n):
    xs = [i - 2 for i in range(n)]
    return sorted(xs, key=abs), sorted(xs, key=lambda v: (v % 2, -v)), min(xs, key=lambda v: v * v)


@case((8,),)
def c_list_comp_if(n):
    return [i * i for i in range(n) if i % 3 != 1]


@case((4,),)
def c_list_comp_nested(n):
    return [i * 10 + j for i in range(n) for j in range(i)]


@case((5,),)
def c_list_comp_float(n):
    return [x / 2 for x in range(n)]


@case((4,),)
def c_list_setitem_loop(n):
    xs = [0] * n
    for i in range(n):
        xs[i] = i * i
    xs[-1] = 100
    return xs


@case((3,),)
def c_list_len_and_truth(n):
    xs = [1.0] * n
    ys = []
    for _ in range(n):
        ys.append(0.5)
    return len(xs), bool(xs), len(ys) == n, not []


@case((5,),)
def c_list_of_bools_any_all(n):
    xs = [i > 2 for i in range(n)]
    return any(xs), all(xs), sum(xs)


@case((5,), (0,))
def c_list_enumerate(n):
    xs = [i * 3 for i in range(n)]
    s = 0
    for i, x in enumerate(xs, 1):
        s += i * x
    return s


@case((5,), (0,))
def c_list_reversed(n):
    xs = [i * 3 for i in range(n)]
    s = 0
    for x in reversed(xs):
        s = s * 2 + x
    for i, x in enumerate(reversed(xs)):
        s += i * x
    return s


@case((4,), (0,))
def c_list_from_range(n):
    xs = list(range(n))
    return xs


@case((4,),)
def c_list_clear_copy(n):
    xs = [1, 2, n]
    ys = xs.copy()
    xs.clear()
    return xs, ys


@case((3,), (0,), (1,))
def c_list_inplace_ops(n):
    xs = [1, 2]
    alias = xs
    xs += [n, n * 2]
    ys = [0.5] * 2
    ys *= n
    zs = alias
    zs *= 2
    return xs, alias, ys, len(zs)


@case((3,), (4,))
def c_list_equality(n):
    return [1, 2, n] == [1, 2, 3], [1, n] != [1, 3], [1.0, 2.0] == [1, n - 1], [n] == [n, n], [] == []


@unsupported("ordering comparison of lists", (3,))
def u_list_order(n):
    return [1, n] < [1, 3]


@case((3,), (-4,))
def lambda_square(n):
    sq = lambda y: y * y
    return sq(n)


@unsupported("print(file=...)", (3,))
def u_print_file(n):
    print("n is", n, file=None)
    return n


@case((5,), (-1,))
def c_print(n):
    print("n is", n, (n, n * 0.5), sep="; ")
    return n


@case((5,), (1,))
def c_list_del_item(n):
    xs = list(range(n))
    del xs[-1]
    del xs[1]  # IndexError('list assignment index out of range') when n == 1
    return xs


@case((6,),)
def c_list_index_error(n):
    xs = [1, 2, 3]
    return xs[n]


# ------------------------------------------------------------------ iterators


@case((5,), (0,))
def c_enumerate_start(n):
    s = 0
    for i, v in enumerate(range(10, 10 + n), 1):
        s += i * v
    return s


@case((4,), (6,))
def c_zip_ranges(n):
    s = 0
    for a, b in zip(range(n), range(10, 3, -1)):
        s += a * b
    return s


@case((5,),)
def c_zip_three(n):
    s = 0
    for a, b, c in zip(range(n), range(1, n + 1), range(2, 20)):
        s += a * b - c
    return s


@case((6,), (0,))
def c_reversed_range(n):
    s = 0
    for i in reversed(range(1, n, 2)):
        s = s * 10 + i
    return s


@case((10,), (3,), (1,))
def c_sum_floats_compensated(n):
    xs = [0.1] * n
    ys = [1e100, 1.0, -1e100, 0.5 * n]
    return sum(xs), sum(ys), sum(x * 0.1 for x in range(n + 1)), sum((0.1, 0.2, 0.3))


@case((4, None), (4, 2.5), (4, -1.0))
def c_optional_guarded(x, limit=None):
    if limit is not None and limit > 0:
        return x * limit
    if limit is None:
        return -1.0
    return 0.0


@case((5,), (1,))
def c_sum_generator(n):
    return sum(i * i for i in range(n)), sum(x / 2 for x in range(n))


@case((5,), (0,))
def c_any_all_generator(n):
    return any(i > 3 for i in range(n)), all(i >= 0 for i in range(n)), any(i < 0 for i in range(n))


@case((6,),)
def c_min_max_generator(n):
    return min(i * i - 4 * i for i in range(n)), max((i * 7) % 5 for i in range(n))


@case((4,), (10,))
def c_sum_with_start(n):
    xs = [i for i in range(n)]
    return sum(xs, 10), sum([0.5, 1.5] * n, 1), sum([0.1] * n, 0.5), sum(xs, start=0.25)


@case((4,), (0,))
def c_sum_range_start(n):
    return sum(range(n), 10), max(range(n + 1)), range(n + 1)[-1]


@case((5,),)
def c_enumerate_tuple(n):
    s = 0
    for i, v in enumerate((n, n * 2, n * 3)):
        s += i * v
    return s


@case((5,),)
def c_zip_lists(n):
    xs = [i for i in range(n)]
    ys = [i * 0.5 for i in range(n)]
    s = 0.0
    for x, y in zip(xs, ys):
        s += x * y
    return s


@case((3,),)
def c_nested_generators(n):
    return sum(sum(j for j in range(i)) for i in range(n + 2))


@unsupported('iter()/next()', (4,),)
def u_iter_next(n):
    it = iter(range(n))
    a = next(it)
    b = next(it)
    return a + b


@case((5,), (0,))
def c_len_range_neg(n):
    return len(range(n, 0, -1)), len(range(-n))


# ---------------------------------------------------- exceptions and assertions


@case((3,), (-1,))
def c_assert_message(x):
    assert x >= 0, "x must be non-negative"
    return x


@case((3,), (-1,))
def c_assert_fstring(x):
    assert x >= 0, f"got {x}"
    return x


@case((2.5,), (-0.0,), (NAN,), (1e16,), (1e-5,), (INF,))
def c_raise_format_float(x):
    if x > 0 or x <= 0 or x != x:
        raise ValueError(f"bad value {x} and {x * 2}")
    return x


@case((7,), (-3,))
def c_raise_format_int(n):
    raise IndexError(f"index {n} out of range [0, {n + 1})")


@case((1.5,),)
def c_raise_format_spec(x):
    raise ValueError(f"x={x:.3f} n={int(x):4d} e={x:e}")


@case((True,), (False,))
def c_raise_format_bool(b):
    raise RuntimeError(f"flag {b}")


@case((0,), (1,), (2,))
def c_raise_kinds(k):
    if k == 0:
        raise ZeroDivisionError("zero")
    if k == 1:
        raise OverflowError
    raise IndexError(f"{k}")


@case((2,))
def c_raise_key_error(k):
    raise KeyError(k)


@case((4, 2), (4, 0))
def c_try_except_zero(a, b):
    try:
        return a // b
    except ZeroDivisionError:
        return -1


@case((-1.0,), (4.0,))
def c_try_math_domain(x):
    try:
        y = math.sqrt(x)
    except ValueError:
        y = -1.0
    return y


@case((3,), (0,), (-1,))
def c_try_except_else_finally(n):
    r = 0
    try:
        if n < 0:
            raise ValueError("neg")
        r = 10 // n
    except ZeroDivisionError:
        r = -1
    except ValueError:
        r = -2
    else:
        r += 100
    finally:
        r += 1000
    return r


@case((5,), (0,))
def c_try_in_loop(n):
    s = 0
    for i in range(-2, n):
        try:
            s += 12 // i
        except ZeroDivisionError:
            s += 1000
    return s


@case((1,), (0,))
def c_try_reraise(n):
    try:
        return 1 // n
    except ZeroDivisionError:
        raise


@case((2.0,), (0.0,))
def c_exception_from_nested_call(x):
    try:
        return _helper_div(1.0, x)
    except ZeroDivisionError:
        return INF


@case((10,), (30,))
def c_raise_in_loop(n):
    s = 0
    for i in range(n):
        s += i
        if s > 100:
            raise OverflowError(f"sum {s} exceeded at i={i}")
    return s


@case((3,), (0,))
def c_zero_div_messages_int(n):
    return 1 / n, 1 % n


@case((3.0,), (0.0,))
def c_zero_div_messages_float(x):
    return 1.0 / x, 1.0 // x


@case((3.0,), (0.0,))
def c_zero_div_mod_float(x):
    return 1.0 % x


@case((0.0,), (2.0,))
def c_zero_pow_negative(x):
    return x ** -1.0


@case((0,), (2,))
def c_int_zero_pow_negative(n):
    return n ** -1


# --------------------------------------------------- float special values


@case((0.0,), (-0.0,))
def c_negative_zero(x):
    return x, -x, x * -1.0, x + 0.0, x - 0.0, math.copysign(1.0, x), 1.0 / (x + 1.0)


@case((INF,), (-INF,), (NAN,))
def c_inf_nan_arith(x):
    return x + 1.0, x - x, x * 0.0, x == x, x != x, x > 0.0


@case((1e308,),)
def c_float_limits(x):
    return x * 2.0, -x * 2.0, (x * 2.0) - (x * 2.0), 5e-324 / 2.0


@case((0.1,), (1 / 3,))
def c_float_repr_roundtrip(x):
    return x * 3, x + x + x == 3 * x


@case((2.5,), (-2.5,), (NAN,))
def c_float_is_integer(x):
    return x.is_integer(), (x * 2).is_integer()


@case((NAN,), (1.0,))
def c_nan_compare_chain(x):
    return x < 1.0, x >= 1.0, x == x, min(x, 2.0) != min(x, 2.0)


# -------------------------------------------------- integer overflow (wrap by default)


@wraps_case(((I64_MAX, 1), I64_MIN), ((I64_MIN, -1), I64_MAX), ((2, 3), 5))
def w_add_wraps(a, b):
    return a + b


@wraps_case(((2**62, 2), I64_MIN), ((3037000500, 3037000500), -9223372036709301616), ((7, 6), 42))
def w_mul_wraps(a, b):
    return a * b


@wraps_case(((1, 63), I64_MIN), ((1, 64), 0), ((3, 62), I64_MIN + 2**62), ((1, 70), 0))
def w_lshift_wraps(a, s):
    return a << s


@wraps_case(((I64_MIN,), I64_MIN), ((-5,), 5))
def w_abs_min(a):
    return abs(a)


@wraps_case(((I64_MIN,), I64_MIN), ((5,), -5))
def w_negate_min(a):
    return -a


@wraps_case(((1e30,), OverflowError), ((9.3e18,), OverflowError), ((-9.3e18,), OverflowError),
            ((9.2e18,), 9200000000000000000))
def w_int_of_huge_float(x):
    return int(x)


@wraps_case(((2, 64), 0), ((3, 40), 3**40 % 2**64 - 2**64 if 3**40 % 2**64 >= 2**63 else 3**40 % 2**64))
def w_pow_wraps(a, b):
    return a ** b


@wraps_case(((25,), 7034535277573963776), ((20,), 2432902008176640000))
def w_factorial_loop_wraps(n):
    f = 1
    for i in range(2, n + 1):
        f *= i
    return f


@wraps_case(((1e20,), OverflowError), ((-1e19,), OverflowError), ((2.5,), 2))
def w_floor_huge(x):
    return math.floor(x)


@wraps_case(((I64_MIN, -1), (I64_MIN, 0)), ((7, -2), (-4, -1)))
def w_divmod_min_wraps(a, b):
    return divmod(a, b)


@wraps_case(((-8.0, 1.0 / 3.0), ValueError), ((8.0, 1.0 / 3.0), 2.0))
def w_pow_negative_fractional(a, b):
    return a ** b  # CPython: a complex number; jitlab: a float or ValueError (type-stable)


@wraps_case(((1, 2.5, 3), (1.0, 3.0)), ((5, -1.0, 4), (-1.0, 5.0)))
def w_min_max_promote(a, b, c):
    return min(a, b, c), max(a, b, c)  # NumPy promotion: a float even when an int wins


@wraps_case(((0,), 0.0), ((3,), 1.5))
def w_sum_empty_float_generator(n):
    return sum(x / 2 for x in range(n))  # CPython: int 0 when empty; jitlab: 0.0


@wraps_case(((20,), 2432902008176640000), ((21,), OverflowError), ((-1,), ValueError))
def w_math_factorial_int64(n):
    return math.factorial(n)


# ------------------------------------------------ what jitlab rejects, clearly


@case((5.0,), (0.5,), (-2.5,), (1e-30,), (171.5,), (-0.0,), (-3.0,), (200.0,), (INF,), (-INF,), (NAN,))
def c_math_gamma(x):
    return math.gamma(x) + math.lgamma(x)


@case((3, 200, 13), (3, 2, 0), (2, -1, 4), (3, -1, 7), (-3, 5, 7), (3, 5, -7), (0, 0, 1), (5, 0, -3),
      (I64_MAX, I64_MAX, I64_MAX - 1), (I64_MIN, 3, I64_MIN), (7, -5, I64_MIN + 1), (2, 64, I64_MIN))
def c_pow_modulus(a, b, m):
    return pow(a, b, m)


@case((5, 3), (3, 5), (30, 10), (-1, 2), (2, -1), (0, 0))
def c_math_comb(n, k):
    return math.comb(n, k) + math.perm(n, k) + math.lcm(n, k)


@wraps_case(((68, 34), OverflowError), ((21, 21), OverflowError), ((2**62, 4), OverflowError))
def w_math_comb_int64(n, k):
    return math.comb(n, k) * 0 + math.perm(n, k) * 0


@case((1 + 2j,), (0j,), (-1.0,), (complex(INF, NAN),), (complex(-0.0, -INF),), (1e300 + 1e300j,))
def c_cmath_sqrt(z):
    return cmath.sqrt(z) + cmath.exp(z) + cmath.log(z) + cmath.sin(z) + cmath.atanh(z)


@case((3 + 4j,), (-2.5,), (complex(-INF, 0.0),), (complex(NAN, 1.0),))
def c_cmath_polar(z):
    r, phi = cmath.polar(z)
    return cmath.rect(r, phi)


@case((3,), (0,))
def c_string_concat(n):
    s = "a"
    for _ in range(n):
        s = s + "b"
    return len(s)


@case((3,), (1,), (10,), (0,))
def dict_counter(n):
    d = {}
    for i in range(n):
        d[i % 2] = i
    return d[0]


@unsupported("generator function (yield)", (3,))
def u_generator(n):
    for i in range(n):
        yield i * 2


@unsupported("with statement", (3,))
def u_with(n):
    with open("x") as f:
        return f.read(n)


@case((3,), (1,), (2,), (-7,))
def set_len(n):
    s = {1, 2, n}
    return len(s)


@unsupported("type-unstable variable (int or tuple)", (3,))
def u_type_unstable(n):
    if n > 2:
        x = 1
    else:
        x = (1, 2)
    return x


@case((3,), (1,))
def c_list_of_tuples(n):
    xs = [(i, i + 1) for i in range(n)]
    return xs[0][1], xs, sorted(xs, reverse=True)
