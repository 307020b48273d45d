"""Control flow the frontend must restructure (issue 3 item 3), with arguments to run on.

A plain module (not a test module) so pytest does not rewrite its `assert` statements.
"""
import numpy as np

OFFSETS = (1, 2, 3)


def while_true_breaks(n):
    i = 0
    s = 0
    while True:
        i += 1
        if i > n:
            break
        s += i
        if s > 20:
            break
        if i * i == n:
            s = -s
            break
    return s, i


def loop_exits_everywhere(n, m):
    i = 0
    while i < n:
        j = 0
        while True:
            j += 1
            if j > m:
                break
            if i + j == 7:
                return i * 100 + j
            if j * i > 12:
                i += 100
                break
        i += 1
        if i == 5:
            return -1
    else:
        return -2
    return i


def deep_return(a, b):
    for i in range(a):
        if i > 2:
            for j in range(b):
                while j < b:
                    if i * j > 6:
                        return i, j
                    j += 2
    return a, b


def for_over_array(a):
    s = 0.0
    for x in a:
        if x < 0:
            continue
        s += x
    return s


def for_over_tuple(x):
    s = 0
    for k in OFFSETS:
        s += k * x
    for k in (5, 7):
        s -= k
    return s


def for_enumerate(a):
    s = 0
    for i, x in enumerate(a):
        s += i * x
    for i, x in enumerate(a, 1):
        s -= i
    return s


def for_zip(a, b):
    s = 0
    for x, y in zip(a, b):
        s += x * y
    return s


def for_reversed_range(n):
    out = 0
    for i in reversed(range(n)):
        out = out * 3 + i
    for i in reversed(range(1, n, 2)):
        out -= i
    return out


def asserting(x):
    assert x >= 0, "x must be non-negative"
    while True:
        x -= 3
        assert x != 4
        if x < 0:
            return x


CASES = [
    (while_true_breaks, [(0,), (3,), (4,), (9,), (30,)]),
    (loop_exits_everywhere, [(0, 0), (3, 2), (10, 1), (4, 9), (6, 6), (2, 30)]),
    (deep_return, [(0, 0), (5, 5), (4, 2), (9, 9)]),
    (for_over_array, [(np.array([1.0, -2.0, 3.5]),), (np.zeros(0),)]),
    (for_over_tuple, [(0,), (4,)]),
    (for_enumerate, [([3, 4, 5],), ([],), (np.arange(4),)]),
    (for_zip, [([1, 2, 3], [4, 5]), ([], [1])]),
    (for_reversed_range, [(0,), (1,), (6,)]),
    (asserting, [(10,), (-1,), (7,), (8,)]),
]


# -- try statements (evaluated with Python semantics: any exception the ops raise) -------------------
def try_index_lookup(a, i):
    try:
        v = a[i]
    except LookupError:
        v = -1.0
    return v


def try_several_handlers(a, i, d):
    try:
        v = a[i] + 10 // d
    except IndexError:
        v = -1.0
    except ZeroDivisionError:
        v = -2.0
    else:
        v += 0.5
    finally:
        i = 0
    return v, i


def try_in_while_true(a):
    i = 0
    s = 0.0
    while True:
        try:
            s += a[i]
            i += 1
        except IndexError:
            break
    return s, i


def try_reraise_other(a, i):
    try:
        return a[i]
    except IndexError:
        raise ValueError("bad index")  # noqa: B904 - implicit chaining is invisible to the caller


def try_bare_raise_nested(x):
    try:
        try:
            y = 10 // x
        except ZeroDivisionError:
            y = 10 // (x - 1)
            raise
    except ArithmeticError:
        y = -1
    return y


CASES += [
    (try_index_lookup, [(np.arange(3.0), 1), (np.arange(3.0), 3), (np.arange(3.0), -4)]),
    (try_several_handlers, [(np.arange(1.0, 4.0), 1, 2), (np.arange(3.0), 5, 1), (np.arange(3.0), 0, 0)]),
    (try_in_while_true, [(np.arange(4.0),), (np.zeros(0),)]),
    (try_reraise_other, [(np.arange(3.0), 1), (np.arange(3.0), 9)]),
    (try_bare_raise_nested, [(0,), (1,), (5,)]),
]


# comprehensions inside a try body: their exceptions reach the handler (3.12+ inline them with a
# cleanup handler of their own, 3.11 and generator expressions have their own code object)
def listcomp_in_try(n):
    try:
        s = sum([10 // (x - 2) for x in range(n)])
    except ZeroDivisionError:
        s = -1
    return s


def genexpr_in_try(n):
    try:
        s = sum(10 // (x - 2) for x in range(n))
    except ZeroDivisionError:
        s = -1
    return s


def listcomp_in_try_in_loop(n):
    s = 0
    for i in range(n):
        try:
            s += sum([i // (x - 1) for x in range(3)])
        except ZeroDivisionError:
            s -= 1
    return s


CASES += [
    (listcomp_in_try, [(2,), (5,)]),
    (genexpr_in_try, [(2,), (5,)]),
    (listcomp_in_try_in_loop, [(0,), (3,)]),
]
