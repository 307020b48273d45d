"""Reading a variable that no path bound raises UnboundLocalError, as in CPython.

The frontend emits `py.undef {name = "y"}` for a Python variable unbound on a path; the
LLVM lowering carries an unbound id alongside every value such an undef reaches through γ
exits and θ loop variables and checks it wherever the value is read.
"""
import pytest

import jitlab
from jitlab.backend.llvm import messages


def cpython_outcome(func, *args):
    try:
        return ("value", func(*args))
    except Exception as exc:
        return (type(exc), str(exc))


def jit_outcome(func, *args):
    try:
        return ("value", jitlab.jit(func)(*args))
    except Exception as exc:
        return (type(exc), str(exc))


def bound_in_one_branch(n):
    if n > 0:
        y = n
    return y


def bound_in_some_iterations(n):
    total = 0
    for i in range(n):
        if i % 3 == 2:
            seen = i
        total += i
    return total + seen


def used_by_an_op(n):
    if n > 1:
        y = n
    return y * 2


def used_as_predicate(n):
    if n > 0:
        flag = n > 5
    if flag:
        return 1
    return 0


def two_variables(n):
    if n > 0:
        a = n
    if n > 10:
        b = n
    if n > 5:
        return a
    return b


def bound_on_every_path(n):
    if n > 0:
        y = n
    else:
        y = -n
    for i in range(n):
        y += i
    return y


def message(name: str) -> str:
    return messages.UNBOUND_LOCAL.replace("{name}", name)


def test_unbound_in_one_branch_raises():
    f = jitlab.jit(bound_in_one_branch)
    assert f(3) == 3
    with pytest.raises(UnboundLocalError) as info:
        f(-1)
    assert str(info.value) == message("y")
    assert str(info.value) == "cannot access local variable 'y' where it is not associated with a value"


def test_loop_that_only_sometimes_assigns():
    f = jitlab.jit(bound_in_some_iterations)
    assert f(5) == bound_in_some_iterations(5)
    for n in (0, 1, 2):
        with pytest.raises(UnboundLocalError, match="'seen'"):
            f(n)


def test_typed_ir_keeps_the_name():
    assert 'py.undef {name = "y"}' in jitlab.stages(bound_in_one_branch, 1)["opt"]


@pytest.mark.parametrize("func", [bound_in_one_branch, bound_in_some_iterations, used_by_an_op,
                                  used_as_predicate, two_variables, bound_on_every_path])
@pytest.mark.parametrize("n", [-3, 0, 1, 2, 3, 6, 11])
def test_same_as_cpython(func, n):
    assert jit_outcome(func, n) == cpython_outcome(func, n)


def test_no_check_left_when_bound_on_every_path():
    text = jitlab.stages(bound_on_every_path, 1)["llvm-opt"]
    assert "not associated with a value" not in text
    assert "cannot access local variable" not in text


def test_check_survives_where_needed():
    assert "cannot access local variable 'y'" in jitlab.stages(bound_in_one_branch, 1)["llvm-opt"]
