"""Functions as values, as Numba users write them: lambdas and nested `def`s called inside compiled
code (capturing the enclosing variables with CPython's cell semantics), and jitted or plain
functions passed as arguments.  Every result is compared with CPython's; what is refused is an
error naming the construct and the line."""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

import jitlab
from jitlab.errors import JitlabError, TypingError, UnsupportedError

sys.path.insert(0, str(Path(__file__).parent / "frontend"))
from corpus import closure_lambda, closure_loop_variable  # the frontend corpus, by path


def same(f, *args):
    """Compile `f`, run it on `args`, and compare value and type with CPython."""
    expected = f(*args)
    got = jitlab.jit(f, cache=False)(*args)
    if isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected and type(got) is type(expected), (args, expected, got)
    return got


# -- nested functions and lambdas ---------------------------------------------------------------
def lambda_argument_types(x):
    sq = lambda v: v * v
    return sq(x) + sq(1.5) + sq(True) + sq(2)


def captured_reassigned_after_def(x):
    k = 1
    g = lambda y: y + k
    first = g(x)
    k = 10
    return first * 100 + g(x)


def defined_before_loop_reads_loop_variable(n):
    total = 0.0
    i = 0
    scale = lambda v: v * i + 0.5
    for i in range(n):
        total += scale(1.0)
    return total


def captured_written_in_branch(n):
    m = 2

    def add(y):
        return y + m
    s = 0
    for i in range(n):
        if i % 3:
            s += add(i)
        else:
            m += 1
    return s


def nested_two_levels(x):
    a = 2

    def outer(y):
        b = 3

        def inner(z):
            return z * a + b + y
        return inner(y + 1) + inner(2.5)
    return outer(x)


def inner_with_control_flow(n):
    def collatz(v):
        steps = 0
        while v != 1:
            v = v // 2 if v % 2 == 0 else 3 * v + 1
            steps += 1
        return steps
    best = 0
    for k in range(1, n):
        best = max(best, collatz(k))
    return best


def inner_raises(x):
    def check(v):
        if v < 0:
            raise ValueError("negative")
        return v + 1
    return check(x) + check(x + 1)


def inner_raise_caught(x):
    def div(a, b):
        return a // b
    try:
        return div(10, x)
    except ZeroDivisionError:
        return -1


def lambda_in_comprehension_call(xs):
    c = 3
    g = lambda v: v * c
    return sum([g(v) for v in xs])


def inner_inside_loop_body_only(n):
    out = 0
    for i in range(n):
        def step(v):
            return v + i * i  # noqa: B023
        out = step(out)
    return out


def captures_argument_and_global_constant(x):
    f = lambda y: y * SCALE + x
    return f(2) + f(x)


SCALE = 7


def inner_returns_tuple(x):
    def pair(v):
        return v, v * 2
    a, b = pair(x)
    return a + b


def sibling_call(x):
    k = 2
    g = lambda y: y + k
    h = lambda y: g(y) * 2
    return h(x) + h(0.5)


def sibling_in_branch_with_default(x):
    k = 2

    def g(y, d=1):
        return y + k + d

    def h(y):
        if y > 0:
            return g(y)
        return g(y, 5) - 1
    s = 0
    for i in range(x):
        s += h(i - 2)
        k += 1
    return s


def nested_uses_outer_sibling(x):
    a = 3

    def g(y):
        return y * a

    def outer(y):
        def inner(z):
            return g(z) + y
        return inner(y + 1)
    return outer(x)


def recursive_inner(n):
    base = 3

    def f(k):
        if k <= 0:
            return base
        return f(k - 1) + k
    return f(n) + f(2)


def mutually_recursive_inner(n):
    def even(k):
        return True if k == 0 else odd(k - 1)

    def odd(k):
        return False if k == 0 else even(k - 1)
    return even(n)


def recursive_inner_two_types(x):
    def halves(v):
        if v < 1:
            return 0
        return 1 + halves(v / 2)
    return halves(x) + halves(7.0)


def inner_calls_enclosing_global(n):
    g = lambda k: inner_calls_enclosing_global(k - 1) + 1
    if n <= 0:
        return 0
    return g(n)


def runtime_default_per_iteration(n):
    s = 0
    for i in range(n):
        g = lambda y, k=i: y * k
        s += g(2)
    return s


def runtime_default_evaluated_at_def(x):
    a = x + 1

    def g(y, k=a * 2, m=3):
        return y + k + m
    a = 100
    return g(1) + g(1, 0) + g(1, m=0) + a


def runtime_default_in_branches(x):
    k = x
    g = lambda y=k: y * 2
    if x > 2:
        r = g()
    else:
        r = g(5)
    return r


def nonlocal_counter(x):
    c = 0

    def inc(k):
        nonlocal c
        c += k
        return c
    r = inc(x)
    inc(2)
    return c * 100 + r


def nonlocal_in_loop_branch(n):
    total = 0.0

    def add(v):
        nonlocal total
        total = total + v
    for i in range(n):
        if i % 2:
            add(i * 0.5)
    return total


def nonlocal_running_max(x):
    best = -1
    count = 0

    def see(v):
        nonlocal best, count
        count += 1
        if v > best:
            best = v
            return True
        return False
    hits = 0
    for v in (3, 1, 4, 1, 5):
        if see(v * x):
            hits += 1
    return best, hits, count


@pytest.mark.parametrize("f, argsets", [
    (nonlocal_counter, [(3,), (-1,)]),
    (nonlocal_in_loop_branch, [(0,), (6,)]),
    (nonlocal_running_max, [(2,), (-1,)]),
    (runtime_default_per_iteration, [(0,), (5,)]),
    (runtime_default_evaluated_at_def, [(3,), (-1.5,)]),
    (runtime_default_in_branches, [(1,), (7,)]),
    (sibling_call, [(3,), (1.5,)]),
    (sibling_in_branch_with_default, [(0,), (6,)]),
    (nested_uses_outer_sibling, [(2,)]),
    (recursive_inner, [(0,), (4,)]),
    (mutually_recursive_inner, [(7,), (4,)]),
    (recursive_inner_two_types, [(100.0,), (3,)]),
    (inner_calls_enclosing_global, [(5,)]),
    (closure_lambda, [(1, 2), (2.5, -1)]),  # closure_* from tests/frontend/corpus.py
    (lambda_argument_types, [(3,), (0.5,)]),
    (captured_reassigned_after_def, [(3,), (-2,)]),
    (closure_loop_variable, [(0,), (6,)]),
    (defined_before_loop_reads_loop_variable, [(0,), (5,)]),
    (captured_written_in_branch, [(0,), (10,)]),
    (nested_two_levels, [(4,), (0,)]),
    (inner_with_control_flow, [(2,), (30,)]),
    (inner_raises, [(3,)]),
    (inner_raise_caught, [(0,), (3,)]),
    (lambda_in_comprehension_call, [([1, 2, 3],), ([],)]),
    (inner_inside_loop_body_only, [(0,), (5,)]),
    (captures_argument_and_global_constant, [(1,), (2.5,)]),
    (inner_returns_tuple, [(4,)]),
])
def test_nested_functions_compute_like_cpython(f, argsets):
    for args in argsets:
        same(f, *args)


def test_an_exception_in_a_nested_function_is_cpythons():
    f = jitlab.jit(inner_raises, cache=False)
    with pytest.raises(ValueError, match="negative"):
        f(-5)


def test_a_captured_array_is_read_and_written_in_place():
    def fill_and_sum(a, v):
        w = 2.0

        def put(i):
            a[i] = v * w
        for i in range(a.shape[0]):
            put(i)
        f = lambda i: a[i] + 1.0
        return sum([f(i) for i in range(a.shape[0])])
    a, b = np.zeros(4), np.zeros(4)
    assert jitlab.jit(fill_and_sum, cache=False)(a, 1.5) == fill_and_sum(b, 1.5)
    assert np.array_equal(a, b) and a[0] == 3.0


def test_a_small_lambda_is_inlined_into_its_caller():
    def f(x):
        g = lambda y: y * 3
        return g(x) + 1
    texts = jitlab.stages(f, 2)
    assert 'callee = "closure:<lambda>:' in texts["rvsdg"]
    assert "py.call" not in texts["opt"]  # the `inline` pass copied the lambda's body in


# -- refused, with the construct and the line ----------------------------------------------------
def returns_lambda(x):
    g = lambda y: y
    return g


def stores_function_in_list(x):
    fs = [lambda y: y + 1]
    return fs[0](x)


def calls_generator_function(x):
    def gen():
        yield x
    return gen()


def nonlocal_from_sibling(x):
    c = 0

    def bump():
        nonlocal c
        c += x

    def twice():
        bump()
        bump()
    twice()
    return c


def differs_by_branch(x):
    g = lambda y: y + 1
    if x > 0:
        g = lambda y: y - 1
    return g(x)


def reassigned_function_used_by_sibling(x):
    g = lambda y: y + 1
    h = lambda y: g(y) * 2
    g = lambda y: y - 1
    return h(x)


def sorted_with_default(xs):
    f = lambda v, k=1: v * k
    return sorted(xs, key=f)


@pytest.mark.parametrize("f, arg, message, line", [
    (returns_lambda, 1, "return of the function <lambda>", 2),
    (stores_function_in_list, 1, "nested function <lambda> used as a value", 1),
    (calls_generator_function, 1, "generator", 2),
    (nonlocal_from_sibling, 1, "assigns the variable c of an enclosing function", 8),
    (differs_by_branch, 1, "different functions on different paths", 4),
    (reassigned_function_used_by_sibling, 1, "uses the nested function <lambda>", 4),
    (sorted_with_default, [3, 1], "has default values", 2),
])
def test_what_is_refused_names_the_construct_and_line(f, arg, message, line):
    with pytest.raises(UnsupportedError, match=message) as err:
        jitlab.jit(f, cache=False)(arg)
    assert err.value.line == f.__code__.co_firstlineno + line, str(err.value)


# -- functions passed as arguments -------------------------------------------------------------
@jitlab.jit(cache=False)
def square(x):
    return x * x


@jitlab.jit(cache=False)
def halve(x):
    return x / 2


def plus_hundred(x):
    return x + 100


def apply_sum(a, f):
    s = 0.0
    for i in range(a.shape[0]):
        s += f(a[i])
    return s


def compose(f, g, x):
    return f(g(x)) + g(f(x))


def pass_it_on(f, x):
    return apply_twice(f, x) + 1


@jitlab.jit(cache=False)
def apply_twice(f, x):
    return f(f(x))


def test_jitted_and_plain_functions_are_arguments():
    a = np.arange(6.0)
    f = jitlab.jit(apply_sum, cache=False)
    for fn in (square, halve, plus_hundred, lambda v: v - 1.0, square):
        assert f(a, fn) == apply_sum(a, getattr(fn, "py_func", fn))
    # one specialisation per function: the type is the function's identity
    assert len(f.signatures) == 4
    assert sorted(str(t[1]).split(":")[0] for t in f.signatures) == [
        "function<<lambda>", "function<halve", "function<plus_hundred", "function<square"]


def test_functions_as_arguments_compose_and_pass_on():
    c = jitlab.jit(compose, cache=False)
    for f, g, x in ((square, halve, 3.0), (halve, square, 3.0), (square, plus_hundred, 2)):
        assert c(f, g, x) == compose(getattr(f, "py_func", f), getattr(g, "py_func", g), x)
    p = jitlab.jit(pass_it_on, cache=False)
    assert p(square, 3) == 82 and p(plus_hundred, 1) == 202


def test_calls_alternating_between_functions_stay_right():
    f = jitlab.jit(apply_twice.py_func, cache=False)
    for _ in range(3):  # no native fast path may mistake one function for another
        assert f(square, 3) == 81 and f(plus_hundred, 3) == 203 and f(halve, 8.0) == 2.0


def test_a_non_function_called_is_a_typing_error_with_the_line():
    with pytest.raises(TypingError, match="call of a value of type i64") as err:
        jitlab.jit(apply_twice.py_func, cache=False)(3, 2)
    assert err.value.line == apply_twice.py_func.__code__.co_firstlineno + 2


def test_an_uncompilable_function_argument_is_a_clear_error():
    def uses_kwargs(*args):
        return 1
    with pytest.raises(JitlabError, match=r"\*args"):
        jitlab.jit(apply_twice.py_func, cache=False)(uses_kwargs, 2)


def apply_in_jitted(a):
    return apply_sum_jitted(a, square) + apply_sum_jitted(a, plus_hundred) + apply_twice(halve, 8.0)


apply_sum_jitted = jitlab.jit(apply_sum, cache=False)


def test_a_global_function_is_passed_as_an_argument_from_compiled_code():
    a = np.arange(4.0)
    expected = apply_sum(a, square.py_func) + apply_sum(a, plus_hundred) + 2.0
    assert jitlab.jit(apply_in_jitted, cache=False)(a) == expected
    text = jitlab.stages(apply_in_jitted, a)["rvsdg"]
    assert 'py.const {value = "global:square", function = true}' in text


def returns_global_function(x):
    return square


def returns_function_argument(f):
    return f


def test_returning_a_function_is_refused_with_the_line():
    with pytest.raises(UnsupportedError, match="return of the function square") as err:
        jitlab.jit(returns_global_function, cache=False)(1)
    assert err.value.line == returns_global_function.__code__.co_firstlineno + 1
    with pytest.raises(TypingError, match="returns a function"):
        jitlab.jit(returns_function_argument, cache=False)(square)


def nested_calls_function_argument(a, f):
    g = lambda i: f(a[i]) + 1.0
    return sum([g(i) for i in range(a.shape[0])])


def nested_captures_global_function(x):
    f = square
    g = lambda y: f(y) + 1
    return g(x) + g(2.5)


def test_nested_functions_use_function_values():
    a = np.arange(3.0)
    assert jitlab.jit(nested_calls_function_argument, cache=False)(a, square) == \
        nested_calls_function_argument(a, square.py_func)
    assert jitlab.jit(nested_captures_global_function, cache=False)(3) == 17.25


def test_written_free_vars_reads_the_code_units_as_dis_does():
    """`nested.written_free_vars` walks `co_code` itself (no memo): the same names as `dis`, with
    an `EXTENDED_ARG` prefix (a function of 300 locals) and for functions that assign nothing."""
    import dis
    import types

    from jitlab.frontend.bytecode.nested import written_free_vars

    body = "".join(f"        v{k} = {k}\n" for k in range(300))
    source = (f"def outer(a, b):\n    def inner():\n        nonlocal a\n{body}"
              "        a = v299\n        return b\n    return inner\n")
    namespace: dict = {}
    exec(compile(source, "<many-locals>", "exec"), namespace)
    codes = [c for c in namespace["outer"].__code__.co_consts if isinstance(c, types.CodeType)]
    codes += [c for f in (nonlocal_counter, nonlocal_in_loop_branch, nonlocal_running_max, sibling_call,
                          nested_two_levels, captured_written_in_branch)
              for c in f.__code__.co_consts if isinstance(c, types.CodeType)]
    for code in codes:
        expected = tuple(sorted({i.argval for i in dis.get_instructions(code)
                                 if i.opname == "STORE_DEREF" and i.argval in code.co_freevars}))
        assert written_free_vars(code) == expected
    assert written_free_vars(codes[0]) == ("a",)
    assert any(i.opname == "EXTENDED_ARG" for i in dis.get_instructions(codes[0]))
