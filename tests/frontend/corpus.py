"""Functions the frontend must compile, with arguments to compare against CPython.

Each entry: (function, list of argument tuples).  Covers if/elif/else, while,
while-else, for over range with positive and negative steps, for-else,
break/continue at any depth, return from nested loops, `and`/`or` values,
`not`, conditional expressions, chained comparisons, calls of builtins, math
functions and other functions, keyword arguments and module constants.
"""
import math

LIMIT = 10
SCALE = 2.5
FLAG = True


def helper(a, b=1):
    return a * b


def add(a, b):
    return a + b


def arith(a, b):
    return (a * b - a // 3 + a % 5) ** 2 - (-b) + (~a) + (a << 2) - (b >> 1) + (a & b) + (a | b) + (a ^ b)


def true_div(a, b):
    return a / b + SCALE


def if_elif_else(x):
    if x < 0:
        r = -1
    elif x == 0:
        r = 0
    elif x < LIMIT:
        r = 1
    else:
        r = 2
    return r


def and_or_values(a, b, c):
    return (a and b) or c


def not_op(a, b):
    return (not a) + 2 * (not (a and b))


def cond_expr(a, b):
    return a if a > b else b


def nested_cond_expr(a, b, c):
    return (a if a > c else c) if a > b else (b if b > c else c)


def chained(a, b, c):
    return a < b < c


def chained_branch(a, b, c):
    if 0 <= a < b <= c:
        return 1
    return 0


def while_loop(n):
    s = 0
    i = 0
    while i < n:
        s += i
        i += 1
    return s


def while_else(n):
    i = 0
    while i < n:
        if i == 7:
            break
        i += 1
    else:
        i = -1
    return i


def for_range(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def for_negative_step(n):
    s = 0
    for i in range(n, 0, -2):
        s = s * 2 + i
    return s


def for_else(n):
    for i in range(n):
        if i * i > 50:
            break
    else:
        return -1
    return i


def break_continue_depth3(n):
    total = 0
    for i in range(n):
        if i % 2 == 0:
            continue
        for j in range(n):
            if j > i:
                break
            k = 0
            while True:
                k += 1
                if k > j:
                    break
                if (i + j + k) % 3 == 0:
                    continue
                total += k
    return total


def return_nested(n):
    for i in range(n):
        for j in range(n):
            if i * j == 12:
                return i - j
    return -100


def while_true_breaks(n):
    i = 0
    while True:
        i += 3
        if i > n:
            break
        if i % 7 == 0:
            break
    return i


def loop_several_exits(n, m):
    i = 0
    while i < n:
        i += 1
        if i == m:
            return 1000
        if i * 3 == n:
            break
    else:
        return -i
    return i


def nested_while(n):
    i = 0
    c = 0
    while i < n:
        j = 0
        while j < i:
            c += j
            j += 1
        i += 1
    return c


def calls(x, y):
    return abs(x) + min(x, y) + max(x, y, 3) + int(2.7) + round(3.4) + len(range(x))


def math_calls(x):
    return math.sqrt(x) + math.floor(x) + math.pi


def global_calls(x):
    return helper(x, b=3) + helper(x) + add(x, 1)


def bool_float(x):
    return float(bool(x)) + float(x)


def undefined_on_path(n):
    if n > 0:
        y = n
    return y


def maybe_none(x):
    y = None if x > 3 else x
    if y is None:
        return 0
    return y


def or_condition(a, b):
    if a > 3 or b > 3:
        return 1
    return 2


def complex_condition(a, b, c):
    if (a > 0 and b > 0) or (c > 0 and not a > b):
        return a + b
    return c


def loop_cond_and(n):
    i = 0
    while i < n and i * i < 30:
        i += 1
    return i


def flag_global(n):
    return n if FLAG else -n


def getitem(xs, i):
    xs[i] = xs[i - 1] + 1
    return xs[i]


def early_return_in_while(n):
    while n > 0:
        if n == 13:
            return 13
        n -= 2
    return n


def unary_plus(x):
    return +x - -x


def fib_swap(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def rotate4(a, b, c, d):
    a, b, c, d = d, a, b, c
    a, b, c = c, a, b
    return a * 1000 + b * 100 + c * 10 + d


# -- comprehensions: 3.11 calls a nested code object, 3.12+ inline it; one graph for both ------
def listcomp_if(xs, k):
    x = 7
    ys = [x * k for x in xs if x > 1]
    return ys, x


def listcomp_nested(xs, ys):
    return [[x * y for y in ys] for x in xs]


def listcomp_two_fors(n):
    return [i * j for i in range(n) if i % 2 for j in range(i)]


def comp_in_loop(n):
    t = 0
    for i in range(n):
        t += sum([j * i for j in range(i)])
    return t


def dict_set_comps(xs):
    return {x: x + 1 for x in xs}, {x % 3 for x in xs}


def genexpr_sum(xs, k):
    return sum(x * k for x in xs if x != k)


def list_display(a, b):
    return [a, b, a + b]


def listcomp_unpack_two_ifs(xs, ys):
    return [p * q for p, q in zip(xs, ys) if p if q > 1]


def dictcomp_enumerate(xs):
    return {k: v for k, v in enumerate(xs) if v}


def genexpr_two_fors(n):
    return sum(i * j for i in range(n) for j in range(i) if j)


def comp_in_cond_expr_in_loop(xs):
    out = []
    for x in xs:
        out.append(sum([x * y for y in xs]) if x else -1)
    return out


def genexpr_in_listcomp(n):
    return [sum(j for j in range(i)) for i in range(n)]


def listcomp_of_tuples(xs):
    return [(x, y) for x in xs for y in xs if x < y]


CORPUS = [
    (add, [(1, 2), (1.5, 2)]),
    (arith, [(7, 3), (10, 4)]),
    (true_div, [(1, 2), (5, 4)]),
    (if_elif_else, [(-3,), (0,), (5,), (20,)]),
    (and_or_values, [(0, 2, 3), (1, 0, 3), (1, 2, 3), (1, 0, 0)]),
    (not_op, [(0, 1), (1, 1), (1, 0)]),
    (cond_expr, [(1, 2), (3, 2)]),
    (nested_cond_expr, [(1, 2, 3), (3, 2, 1), (2, 3, 1), (3, 1, 5)]),
    (chained, [(1, 2, 3), (2, 1, 3), (1, 3, 2)]),
    (chained_branch, [(0, 1, 2), (1, 1, 2), (-1, 2, 3), (1, 2, 1)]),
    (while_loop, [(0,), (5,)]),
    (while_else, [(3,), (10,)]),
    (for_range, [(0,), (6,)]),
    (for_negative_step, [(0,), (7,), (8,)]),
    (for_else, [(3,), (20,)]),
    (break_continue_depth3, [(0,), (5,), (8,)]),
    (return_nested, [(3,), (8,)]),
    (while_true_breaks, [(10,), (30,)]),
    (loop_several_exits, [(9, 100), (9, 2), (10, 100), (0, 1)]),
    (nested_while, [(0,), (5,)]),
    (calls, [(3, -4), (-2, 5)]),
    (math_calls, [(2.0,), (9.5,)]),
    (global_calls, [(2,), (5,)]),
    (bool_float, [(0,), (3,)]),
    (undefined_on_path, [(3,)]),
    (maybe_none, [(1,), (5,)]),
    (or_condition, [(1, 1), (5, 1), (1, 5)]),
    (complex_condition, [(1, 1, 0), (0, 1, 1), (2, 1, 1), (-1, -1, 0)]),
    (loop_cond_and, [(3,), (10,)]),
    (flag_global, [(4,)]),
    (getitem, [([1, 2, 3], 1)]),
    (early_return_in_while, [(20,), (21,), (0,)]),
    (unary_plus, [(3,)]),
    (fib_swap, [(0,), (10,)]),
    (rotate4, [(1, 2, 3, 4)]),
    (listcomp_if, [([1, 2, 3], 2), ([], 1)]),
    (listcomp_nested, [([1, 2], [3, 4, 5]), ([], [1])]),
    (listcomp_two_fors, [(0,), (6,)]),
    (comp_in_loop, [(0,), (5,)]),
    (dict_set_comps, [([1, 2, 3, 4],)]),
    (genexpr_sum, [([1, 2, 3], 2), ([], 1)]),
    (list_display, [(1, 2)]),
    (listcomp_unpack_two_ifs, [([1, 2, 3], [3, 0, 2])]),
    (dictcomp_enumerate, [([0, 1, 2],)]),
    (genexpr_two_fors, [(0,), (5,)]),
    (comp_in_cond_expr_in_loop, [([0, 1, 2],)]),
    (genexpr_in_listcomp, [(4,)]),
    (listcomp_of_tuples, [([1, 2, 3],)]),
]


# -- try statements: defined after CORPUS so the lines above (and their goldens) stay put -------------
def try_except_classes(a, b):
    try:
        if a < 0:
            raise ValueError("negative")
        q = a // b
    except (ValueError, IndexError):
        q = -1
    except ArithmeticError:
        q = -2
    else:
        q += 1
    return q


def try_loop_finally(n):
    s = 0
    for i in range(n):
        try:
            if i == 1:
                continue
            if i == 5:
                break
            s += LIMIT // (i - 2)
        except ZeroDivisionError:
            s -= 1
        finally:
            s += 100
    return s


def try_reraise_in_handler(a, b):
    try:
        try:
            r = a // b
        except ZeroDivisionError:
            if a == 0:
                raise
            r = -1
    except Exception:
        r = -100
    return r


CORPUS += [
    (try_except_classes, [(7, 2), (7, 0), (-1, 3)]),
    (try_loop_finally, [(0,), (3,), (8,)]),
    (try_reraise_in_handler, [(4, 2), (4, 0), (0, 0)]),
]


# -- global constant arrays (δ): defined after CORPUS so the lines above (and their goldens) stay put --
import numpy as np  # noqa: E402

WEIGHTS = np.array([[0.5, 1.5, -2.0], [4.0, 0.0, 1.0]])


def global_array_dot(i):
    s = 0.0
    for j in range(WEIGHTS.shape[1]):
        s += float(WEIGHTS[i, j]) * j
    return s + len(WEIGHTS)


CORPUS += [(global_array_dot, [(0,), (1,), (-1,)])]


# -- nested functions and lambdas: defined after CORPUS so the lines above (and their goldens) stay put --
def closure_lambda(x, a):
    k = 3
    g = lambda y, z=2: y * k + a + z
    return g(x) + g(x, z=5) + g(z=1, y=a)


def closure_reassigned(x):
    k = 1
    g = lambda y: y + k
    first = g(x)
    k = 10
    return first + g(x)


def closure_loop_variable(n):
    s = 0
    for i in range(n):
        g = lambda y: y * i  # noqa: B023
        s += g(2)
    return s


def closure_written_in_branch(n):
    m = 2

    def add(y):
        return y + m
    s = 0
    for i in range(n):
        if i % 2:
            s += add(i)
        else:
            m += 1
    return s


def closure_two_levels(x):
    a = 2

    def outer(y):
        b = 3

        def inner(z):
            return z * a + b + y
        return inner(y + 1) + inner(2)
    return outer(x)


def call_function_argument(f, x):
    return f(f(x)) + 1


CORPUS += [
    (closure_lambda, [(1, 2), (2.5, -1)]),
    (closure_reassigned, [(3,), (-2,)]),
    (closure_loop_variable, [(0,), (5,)]),
    (closure_written_in_branch, [(0,), (7,)]),
    (closure_two_levels, [(4,), (0,)]),
    (call_function_argument, [(abs, -3), (round, 2.5)]),
]


def closure_sibling(x):
    k = 2
    g = lambda y, d=1: y + k + d
    h = lambda y: g(y) * 2 if y > 0 else g(y, 5)
    return h(x) + h(-x)


CORPUS += [(closure_sibling, [(3,), (0,)])]


def double_it(v):
    return v * 2


def pass_global_function(x):
    return call_function_argument(double_it, x) * 10


CORPUS += [(pass_global_function, [(3,), (-1.5,)])]


def closure_runtime_default(n):
    s = 0
    for i in range(n):
        g = lambda y, k=i * 2: y + k
        s += g(1) + g(1, k=0)
    return s


CORPUS += [(closure_runtime_default, [(0,), (4,)])]


def closure_nonlocal(n):
    c = 0

    def bump(k):
        nonlocal c
        c += k
        return c
    s = 0
    for i in range(n):
        if i % 2:
            s += bump(i)
    return c * 100 + s


CORPUS += [(closure_nonlocal, [(0,), (5,)])]
