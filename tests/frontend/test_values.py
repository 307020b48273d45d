"""Values beyond scalars: tuples, attributes, methods, slices, dtypes, raise/assert, closures.

Each function is checked three ways: the IR verifies and round-trips, it holds the ops
docs/ir.md specifies for the construct (the same on 3.11-3.14), and the frontend evaluator
(`rvsdg_eval`) computes what CPython computes, exceptions included.
"""
import copy
import math

import numpy as np
import pytest

from jitlab.errors import UnsupportedError
from jitlab.frontend import to_rvsdg
from jitlab.ir import Op, print_module, verify
from jitlab.ir.parser import parse

from rvsdg_eval import evaluate

PAIR = (3, 4)


def op_attrs(func):
    """(op, attrs) of every simple node, in walk order."""
    module = to_rvsdg(func)
    verify(module)
    assert parse(print_module(module)) == module
    return [(n.op, dict(n.attrs)) for n in module.get(func.__name__).body.walk() if isinstance(n, Op)]


def ops_of(func):
    return [op for op, _ in op_attrs(func)]


def outcome(func, args):
    try:
        return ("value", func(*copy.deepcopy(args)))
    except Exception as error:
        return ("raise", type(error).__name__, str(error))


def same_as_cpython(func, *argsets):
    module = to_rvsdg(func)
    for args in argsets:
        expected = outcome(func, args)
        got = outcome(lambda *a: evaluate(module, func, *a), args)
        if expected[0] == "value" and isinstance(expected[1], np.ndarray):
            assert got[0] == "value" and np.array_equal(got[1], expected[1]), (args, expected, got)
        else:
            assert got == expected, (args, expected, got)


# -- tuples ---------------------------------------------------------------------------------
def tuple_index(a, i, j):
    return a[i, j] + a[1, 2]


def tuple_store(a, i, j, v):
    a[i, j] = v
    return a


def tuple_return(x, y):
    return x + y, x * y


def tuple_unpack(t):
    x, y = t
    return x - y


def tuple_roundtrip(x, y):
    t = (y, x)
    a, b = t
    return a * 10 + b


def test_build_tuple_for_indices_and_returns():
    got = op_attrs(tuple_index)
    assert ("py.build_tuple", {}) in got
    assert any(op == "py.const" and a["value"] == (1, 2) for op, a in got)  # constant index: folded
    assert "py.build_tuple" in ops_of(tuple_store) and "py.setitem" in ops_of(tuple_store)
    assert "py.build_tuple" in ops_of(tuple_return)
    a = np.arange(12).reshape(3, 4)
    same_as_cpython(tuple_index, (a, 0, 1), (a, 2, 3))
    same_as_cpython(tuple_store, (a, 1, 1, 99))
    same_as_cpython(tuple_return, (2, 5))


def test_unpack_of_a_runtime_tuple():
    assert ("py.unpack", {"count": 2}) in op_attrs(tuple_unpack)
    text = print_module(to_rvsdg(tuple_unpack))
    assert "%x, %y, %io" in text   # the items are named after their locals
    same_as_cpython(tuple_unpack, ((5, 2),), ((1, 2, 3),))
    same_as_cpython(tuple_roundtrip, (1, 2))


# -- attributes and methods ---------------------------------------------------------------
def array_attrs(a):
    return a.shape[0] + a.size + a.ndim + a.T[0, 0]


def complex_parts(z):
    return z.real - z.imag


def methods(a, b):
    return a.sum() + a.copy().max(axis=0)[0] + b.conjugate()


def append_to(lst, x):
    lst.append(x)
    return len(lst)


def test_getattr_on_runtime_values():
    names = [a["name"] for op, a in op_attrs(array_attrs) if op == "py.getattr"]
    assert names == ["shape", "size", "ndim", "T"]
    same_as_cpython(array_attrs, (np.arange(6.0).reshape(2, 3),))
    assert [a["name"] for op, a in op_attrs(complex_parts) if op == "py.getattr"] == ["real", "imag"]
    same_as_cpython(complex_parts, (3 + 4j,))


def test_callmethod_on_runtime_values():
    got = [(a["name"], a.get("kwnames")) for op, a in op_attrs(methods) if op == "py.callmethod"]
    assert got == [("sum", None), ("copy", None), ("max", ("axis",)), ("conjugate", None)]
    assert "py.call" not in ops_of(methods)
    same_as_cpython(methods, (np.arange(6.0).reshape(2, 3), 5))
    assert [a["name"] for op, a in op_attrs(append_to) if op == "py.callmethod"] == ["append"]
    same_as_cpython(append_to, ([1, 2], 3))


# -- module constants and dtypes ----------------------------------------------------------
def module_constants(x):
    return x * math.pi + np.e


def dtypes(n):
    a = np.zeros(n, np.int32)
    b = np.ones(n, dtype=np.float64)
    return a.sum() + b.sum() + np.float32(2.5)


def test_module_numbers_are_constants():
    consts = [a["value"] for op, a in op_attrs(module_constants) if op == "py.const"]
    assert consts == [math.pi, np.e]
    same_as_cpython(module_constants, (2.0,))


def test_dtypes_are_named_constants_and_scalar_types_callees():
    got = op_attrs(dtypes)
    assert [a["value"] for op, a in got if op == "py.const" and isinstance(a["value"], str)] \
        == ["int32", "float64"]
    callees = [a["callee"] for op, a in got if op == "py.call"]
    assert callees == ["numpy.zeros", "numpy.ones", "numpy.float32"]


# -- slices ---------------------------------------------------------------------------------
def slices(a, i, j):
    return a[1:3].sum() + a[i:].sum() + a[:j].sum() + a[::2].sum() + a[i:j:2].sum()


def slice_store(a, i, j):
    a[i:j] = 0
    a[:1] = 7
    return a


def slice_and_index(a, i):
    return a[1:, i]


def test_slices_are_py_slice_with_none_parts():
    got = op_attrs(slices)
    assert ops_of(slices).count("py.slice") == 5
    nones = [a["value"] for op, a in got if op == "py.const" and a["value"] is None]
    assert len(nones) == 2 + 2 + 2 + 1  # missing parts of a[1:3], a[i:], a[:j], a[::2], a[i:j:2]
    a = np.arange(10.0)
    same_as_cpython(slices, (a, 2, 7), (a, -3, -1))
    same_as_cpython(slice_store, (np.arange(6), 2, 4))
    assert "py.build_tuple" in ops_of(slice_and_index)
    same_as_cpython(slice_and_index, (np.arange(12).reshape(3, 4), 2))


# -- raise and assert ---------------------------------------------------------------------
# pytest rewrites `assert` in test modules: compile this one from source
_CHECKED = """
def checked(x):
    assert x != 0, "zero"
    if x < 0:
        raise ValueError("negative")
    if x > 100:
        raise OverflowError
    assert x != 7
    return 100 // x
"""
_ns = {}
exec(compile(_CHECKED, "<checked>", "exec"), _ns)
checked = _ns["checked"]


def raise_in_loop(n):
    s = 0
    for i in range(n):
        s += i
        if s > 10:
            raise IndexError("too big")
    return s


def test_raise_and_assert_become_py_raise():
    raises = [a for op, a in op_attrs(checked) if op == "py.raise"]
    assert sorted(raises, key=repr) == sorted([{"exc": "AssertionError", "message": "zero"},
                                               {"exc": "ValueError", "message": "negative"},
                                               {"exc": "OverflowError"}, {"exc": "AssertionError"}], key=repr)
    same_as_cpython(checked, (5,), (0,), (-2,), (101,), (7,))
    same_as_cpython(raise_in_loop, (3,), (6,))


def test_raise_with_a_run_time_value_passes_it_as_the_argument():
    def f(x):
        raise ValueError(x)
    raises = [a for op, a in op_attrs(f) if op == "py.raise"]
    assert raises == [{"exc": "ValueError", "format": "{}", "args": True}]
    same_as_cpython(f, (3,), (2.5,))


def test_an_f_string_message_is_a_format_with_the_values_as_inputs():
    def g(x, n):
        raise ValueError(f"bad {x!r:>8} {{of}} {n:.3f}" + str(n) + f"{3:>3}")
    raises = [a for op, a in op_attrs(g) if op == "py.raise"]
    assert raises == [{"exc": "ValueError", "format": "bad {!r:>8} {{of}} {:.3f}{!s}  3"}]
    (node,) = [n for n in to_rvsdg(g).functions[0].body.nodes if n.op == "py.raise"]
    assert len(node.inputs) == 4  # x, n, n and the state
    same_as_cpython(g, (1, 2.5), (-7, 1e300))


def test_a_string_built_at_run_time_used_as_a_value_is_py_format():
    def as_value(x):
        s = f"{x:>5}|"
        return s + f"{str(x)!r}"
    formats = [a for op, a in op_attrs(as_value) if op == "py.format"]
    # `str(x)` made first (a repr of it follows), then the f-strings joined into one format
    assert formats == [{"format": "{!s}"}, {"format": "{:>5}|{!r}"}]
    same_as_cpython(as_value, (7,), (-2.5,))


def test_strings_built_at_run_time_bad_formats_are_refused():
    def computed_spec(x, w):
        raise ValueError(f"{x:{w}}")
    with pytest.raises(UnsupportedError, match="format spec computed at run time"):
        to_rvsdg(computed_spec)

    def mixed_numbering(x):
        raise ValueError("{} {0}".format(x))  # noqa: F525
    with pytest.raises(UnsupportedError, match="cannot switch from automatic field numbering"):
        to_rvsdg(mixed_numbering)

    def percent_key(x):
        raise ValueError("%(x)s" % x)  # noqa: UP031
    with pytest.raises(UnsupportedError, match="only plain conversions"):
        to_rvsdg(percent_key)

    def percent_count(x):
        raise ValueError("%d %d" % (x, x, x))  # noqa: F507, UP031
    with pytest.raises(UnsupportedError, match="not all arguments converted"):
        to_rvsdg(percent_count)


# -- closures over constants --------------------------------------------------------------
def make_scaled(k, offset):
    def scaled(x):
        return x * k + offset + math.floor(2.5)
    return scaled


def make_calls_closure():
    def inner(x):
        return x
    def outer(x):
        return inner(x)
    return outer


def test_closure_over_constants_is_resolved():
    f = make_scaled(3, 0.5)
    got = op_attrs(f)
    assert [a["value"] for op, a in got if op == "py.const"] == [3, 0.5, 2.5]
    same_as_cpython(f, (2,))


def test_closure_over_a_function_calls_the_cell():
    """A function in a closure cell is a callee (`cell:inner`), compiled as a global one is."""
    got = op_attrs(make_calls_closure())
    assert [a["callee"] for op, a in got if op == "py.call"] == ["cell:inner"]


def test_a_nested_function_is_called_with_what_it_captures_but_never_a_value():
    def f(x):
        def g():
            return x
        return g()
    text = print_module(to_rvsdg(f))
    assert 'callee = "closure:g:' in text and "(%x, %io)" in text

    def h(x):
        def g():
            return x
        return g
    with pytest.raises(UnsupportedError, match="return of the function g") as err:
        to_rvsdg(h)
    assert err.value.line == h.__code__.co_firstlineno + 3
