"""Recursion, self and mutual: the φ node end to end (frontend grouping, typing to a fixpoint,
the interpreter, native code behind the stack check, cache keys), and a recursive pair split
across two notebook cells."""
import subprocess
import sys
import textwrap

import pytest

import jitlab
from jitlab.cache import key as cache_key
from jitlab.ir import I64, parse, print_module, verify
from jitlab.ir.interpreter import Interpreter
from jitlab.pipeline import Options


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


def no_base_case(n):
    return no_base_case(n - 1) + 1


def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)


def halves(x):
    if x < 1:
        return 0  # int here; halves(x / 2) makes the f64 specialisation
    return 1 + halves(x / 2)


def test_fib_is_one_phi_and_runs_natively():
    f = jitlab.jit(fib, cache=False)
    assert f(20) == 6765 and f(12.0) == 144.0 and type(f(12.0)) is float
    texts = f.stages(10)
    assert "phi {" in texts["rvsdg"] and 'callee = "rec:fib"' in texts["rvsdg"]
    assert "global:fib" not in texts["rvsdg"]
    module = parse(texts["typed"])
    verify(module)
    assert print_module(module) == texts["typed"]
    assert [fn.name for fn in module.lambdas] == ["fib"]


def test_mutual_recursion_compiles_both_members_into_one_phi():
    f = jitlab.jit(is_even, cache=False)
    assert [f(n) for n in range(6)] == [is_even(n) for n in range(6)]
    typed = parse(f.stages(3)["typed"])
    assert [fn.name for fn in typed.phis[0].functions] == ["is_even", "is_odd"]
    symbols = [fn.attr("symbol") for fn in typed.lambdas]
    assert symbols[1] == f"{symbols[0]}.rec.is_odd"


def test_each_argument_type_gets_its_own_specialisation_in_the_phi():
    f = jitlab.jit(halves, cache=False)
    assert f(10) == halves(10) == 4
    typed = parse(f.stages(10)["typed"])
    assert [fn.name for fn in typed.lambdas] == ["halves", "halves.2"]
    assert 'callee = "rec:halves.2"' in f.stages(10)["typed"]


def test_interpreter_runs_the_phi_untyped_and_typed():
    f = jitlab.jit(is_even, cache=False)
    texts = f.stages(7)
    for stage in ("rvsdg", "typed", "opt"):
        assert Interpreter(parse(texts[stage])).call("is_even", 7) is False


def test_a_function_that_only_recurses_is_a_typing_error():
    f = jitlab.jit(no_base_case, cache=False)
    with pytest.raises(jitlab.TypingError, match=r"cannot infer the return type of recursive function "
                       r"no_base_case\(i64\): every path returns the value of a recursive call"):
        f(3)


def test_deep_recursion_raises_recursion_error_instead_of_crashing():
    f = jitlab.jit(depth, cache=False)
    assert f(10_000) == 10_000
    with pytest.raises(RecursionError, match="maximum recursion depth exceeded"):
        f(10**5)
    with pytest.raises(RecursionError):
        f(10**8)
    assert f(1000) == 1000  # the depth counter is back at zero after the error


def test_deep_recursion_in_a_fresh_process_exits_cleanly():
    code = textwrap.dedent("""
        import jitlab

        @jitlab.jit(cache=False)
        def down(n):
            if n == 0:
                return 0
            return 1 + down(n - 1)

        try:
            down(10**7)
        except RecursionError as exc:
            print("RecursionError", exc)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("RecursionError maximum recursion depth exceeded")


CELL_1 = """
import jitlab

@jitlab.jit(cache=False)
def even(n):
    if n == 0:
        return True
    return odd(n - 1)
"""

CELL_2 = """
@jitlab.jit(cache=False)
def odd(n):
    if n == 0:
        return False
    return even(n - 1)
"""


def test_recursive_pair_split_across_two_notebook_cells():
    namespace: dict = {"__name__": "__main__"}
    exec(compile(CELL_1, "<ipython-input-1>", "exec"), namespace)
    exec(compile(CELL_2, "<ipython-input-2>", "exec"), namespace)
    even, odd = namespace["even"], namespace["odd"]
    assert even(10) is True and odd(7) is True and even(7) is False
    assert "rec:odd" in even.stages(4)["rvsdg"] and "rec:even" in odd.stages(4)["rvsdg"]


def test_cache_keys_of_a_recursive_group_terminate_and_see_both_members():
    namespace: dict = {"__name__": "cells"}
    exec(compile(CELL_1, "<cell-a>", "exec"), namespace)
    exec(compile(CELL_2, "<cell-b>", "exec"), namespace)
    even = namespace["even"]
    before = cache_key.key_components(even.py_func, (I64,), Options())
    exec(compile(CELL_2.replace("return False", "return 0 == 1"), "<cell-b>", "exec"), namespace)
    after = cache_key.key_components(even.py_func, (I64,), Options())
    assert cache_key.explain(before, after) == ["callee:odd changed"]


def test_recursive_function_through_the_cache(tmp_path):
    f = jitlab.jit(fib, cache_dir=str(tmp_path))
    assert f(15) == 610
    g = jitlab.jit(fib, cache_dir=str(tmp_path))
    assert g(15) == 610 and g.last_compile.cache.status == "hit"
