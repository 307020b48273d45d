"""Arrays made, viewed and combined by compiled code, vs NumPy, from hand-written IR.

The frontend does not emit `py.slice`, `py.callmethod`, dtype constants or NumPy
ufunc callees yet, so each case is a small IR function beside the NumPy
expression it must match.  Returned arrays are real `numpy.ndarray`s whose
memory compiled code allocated; `nrt.live_blocks()` proves it is freed.
"""

from __future__ import annotations

import gc
import itertools

import numpy as np
import pytest

from jitlab.backend.llvm import abi, get_engine, lower, native_signature, nrt, optimize, written_arguments
from jitlab.dispatch import typeof
from jitlab.ir import Module
from jitlab.ir.parser import parse
from jitlab.typing import infer

_unique = itertools.count()


def compile_ir(body: str, params: str, *args):
    """Compile `func @f(params) { body }` for the types of `args` and return the builtin."""
    name = f"alloc_{next(_unique)}"
    text = f"module {{\n  func @{name}({params}%io: !io) {{\n{body}\n  }}\n}}\n"
    typed = infer(parse(text), tuple(typeof(a) for a in args)).functions[0]
    engine = get_engine()
    engine.add_ir(optimize(lower(Module((typed,)))))
    symbol, types, rettype = native_signature(typed)
    return abi.wrap_native(engine, name, symbol, types, rettype, writable=written_arguments(typed))


def run(body: str, params: str, *args):
    return compile_ir(body, params, *args)(*args)


def same(got, want):
    assert type(got) is type(want) or isinstance(want, np.generic) or isinstance(got, np.ndarray)
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray)
        assert got.dtype == want.dtype and got.shape == want.shape, (got, want)
        np.testing.assert_array_equal(got, want)
    else:
        np.testing.assert_equal(got, want)


def call1(callee: str, n_args: int, kwnames=()):
    """A function of `n_args` params that returns `callee(params…)`."""
    params = "".join(f"%x{i}, " for i in range(n_args))
    uses = ", ".join([*(f"%x{i}" for i in range(n_args)), "%io"])
    kw = f", kwnames = {tuple(kwnames)!r}".replace("'", '"') if kwnames else ""
    if len(kwnames) == 1:
        kw = f', kwnames = ("{kwnames[0]}",)'
    body = f'    %r, %io.1 = py.call {{callee = "{callee}"{kw}}} ({uses})\n    return (%r, %io.1)'
    return body, params


def flatten(args):
    return [x for a in args for x in (a if isinstance(a, tuple) else (a,))]


def call_flat(callee: str, args):
    """Like `call1`, but a tuple argument arrives as separate parameters joined by `py.build_tuple`."""
    lines, uses, params, k = [], [], [], 0
    for a in args:
        names = [f"%x{k + j}" for j in range(len(a) if isinstance(a, tuple) else 1)]
        k += len(names)
        params += names
        if isinstance(a, tuple):
            lines.append(
                f"    %t{k}, %io.t{k} = py.build_tuple ({', '.join(names)}, %io)".replace("%io)", "%io)")
            )
        uses.append(f"%t{k}" if isinstance(a, tuple) else names[0])
    io = "%io"
    fixed = []
    for line in lines:  # thread the state through the tuple builds
        fixed.append(line.replace(", %io)", f", {io})"))
        io = line.split(",")[1].split("=")[0].strip()
    fixed.append(f'    %r, %io.r = py.call {{callee = "{callee}"}} ({", ".join([*uses, io])})')
    fixed.append("    return (%r, %io.r)")
    return "\n".join(fixed), "".join(f"{p}, " for p in params)


@pytest.fixture(autouse=True)
def no_leaks():
    gc.collect()
    before = nrt.live_blocks()
    yield
    gc.collect()
    assert nrt.live_blocks() == before


# -- allocation ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "callee, args",
    [
        ("numpy.zeros", (5,)),
        ("numpy.ones", (3,)),
        ("numpy.zeros", (0,)),
        ("numpy.ones", ((2, 3),)),
        ("numpy.full", (4, 2.5)),
        ("numpy.full", (4, 7)),
        ("numpy.full", ((2, 2), True)),
        ("numpy.arange", (5,)),
        ("numpy.arange", (2, 11, 3)),
        ("numpy.arange", (10, 1, -2)),
        ("numpy.arange", (0.5, 3.0, 0.25)),
        ("numpy.arange", (2.5,)),
        ("numpy.arange", (5, 2)),
        ("numpy.linspace", (0.0, 1.0, 7)),
        ("numpy.linspace", (-3, 5, 1)),
        ("numpy.linspace", (1.0, 1.0, 4)),
        ("numpy.linspace", (0.0, 1.0, 0)),
        ("numpy.zeros_like", (np.arange(6.0).reshape(2, 3),)),
        ("numpy.ones_like", (np.arange(4),)),
        ("numpy.full_like", (np.arange(4), 9)),
        ("numpy.ones_like", (np.ones((3, 2), order="F"),)),
    ],
)
def test_allocation_matches_numpy(callee, args):
    want = getattr(np, callee.split(".")[1])(*args)
    got = run(*call_flat(callee, args), *flatten(args))
    same(got, want)
    assert got.flags.writeable and got.flags.c_contiguous == want.flags.c_contiguous


def test_empty_has_the_shape_and_dtype():
    body, params = call1("numpy.empty", 1)
    got = run(body, params, 7)
    assert got.shape == (7,) and got.dtype == np.float64


@pytest.mark.parametrize("dtype", ["int32", "float32", "bool", "uint8", "f8", "numpy.int16"])
def test_dtype_constant(dtype):
    body = (
        f'    %d = py.const {{value = "{dtype}"}} ()\n'
        '    %r, %io.1 = py.call {callee = "numpy.ones", kwnames = ("dtype",)} (%n, %d, %io)\n'
        "    return (%r, %io.1)"
    )
    got = run(body, "%n, ", 3)
    same(got, np.ones(3, dtype.removeprefix("numpy.")))


@pytest.mark.parametrize(
    "callee, args, exc, message",
    [
        ("numpy.zeros", (-1,), ValueError, "negative dimensions are not allowed"),
        ("numpy.empty", (2**62,), ValueError, "array is too big"),
        ("numpy.arange", (0, 5, 0), ZeroDivisionError, "division by zero"),
        ("numpy.linspace", (0.0, 1.0, -1), ValueError, "Number of samples, -1, must be non-negative."),
    ],
)
def test_allocation_errors_match_numpy(callee, args, exc, message):
    with pytest.raises(exc) as want:
        getattr(np, callee.split(".")[1])(*args)
    body, params = call1(callee, len(args))
    with pytest.raises(exc) as got:
        run(body, params, *args)
    assert message in str(got.value) and message in str(want.value)


def test_returned_arrays_are_freed_over_many_calls():
    body, params = call1("numpy.zeros", 1)
    f = compile_ir(body, params, 1000)
    gc.collect()
    start = nrt.live_blocks()
    kept = [f(1000) for _ in range(100)]
    assert nrt.live_blocks() == start + 100
    del kept
    for _ in range(100_000):
        f(10)
    gc.collect()
    assert nrt.live_blocks() == start


def test_temporaries_are_freed_and_only_the_result_kept():
    body = (
        '    %a, %io.1 = py.call {callee = "numpy.ones"} (%n, %io)\n'
        '    %b, %io.2 = py.call {callee = "numpy.arange"} (%n, %io.1)\n'
        '    %c, %io.3 = py.binop {op = "+"} (%a, %b, %io.2)\n'
        '    %d, %io.4 = py.binop {op = "*"} (%c, %c, %io.3)\n'
        "    return (%d, %io.4)"
    )
    f = compile_ir(body, "%n, ", 5)
    gc.collect()
    start = nrt.live_blocks()
    got = f(5)
    assert nrt.live_blocks() == start + 1
    same(got, (np.ones(5) + np.arange(5)) ** 2)


def test_an_exception_frees_what_was_allocated():
    body = (
        '    %a, %io.1 = py.call {callee = "numpy.ones"} (%n, %io)\n'
        "    %b, %io.2 = py.getitem (%a, %n, %io.1)\n"
        "    return (%b, %io.2)"
    )
    f = compile_ir(body, "%n, ", 3)
    with pytest.raises(IndexError, match="index 3 is out of bounds for axis 0 with size 3"):
        f(3)


# -- methods and attributes --------------------------------------------------------------------
def method(name: str):
    return (f'    %r, %io.1 = py.callmethod {{name = "{name}"}} (%a, %io)\n    return (%r, %io.1)', "%a, ")


ARRAYS = [
    np.array([3.0, -1.5, 7.25, 0.5]),
    np.arange(12, dtype=np.int32).reshape(3, 4) - 5,
    np.array([[1.0, np.nan], [4.0, -2.0]]),
    np.arange(6, dtype=np.uint8),
    np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    np.arange(20.0)[::3],
    np.array([True, False, True]),
]


@pytest.mark.parametrize("name", ["sum", "prod", "min", "max", "mean", "argmin", "argmax", "cumsum", "copy"])
@pytest.mark.parametrize("a", ARRAYS, ids=lambda a: f"{a.dtype}{a.shape}")
def test_methods_match_numpy(name, a):
    if name in ("min", "max", "argmin", "argmax", "prod", "mean", "cumsum") and a.dtype == bool:
        pytest.skip("bool reductions beyond sum")
    body, params = method(name)
    want = getattr(a, name)()
    got = run(body, params, a)
    if isinstance(want, np.ndarray):
        same(got, want)
    else:
        assert np.asarray(got).dtype == want.dtype or isinstance(got, (int, float))
        np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize(
    "name, message",
    [
        ("min", "zero-size array to reduction operation minimum which has no identity"),
        ("argmax", "attempt to get argmax of an empty sequence"),
    ],
)
def test_empty_reductions_raise_like_numpy(name, message):
    body, params = method(name)
    with pytest.raises(ValueError, match=message):
        run(body, params, np.zeros(0))


@pytest.mark.parametrize("a", ARRAYS[:6], ids=lambda a: f"{a.dtype}{a.shape}")
def test_transpose_is_a_view_of_the_argument(a):
    body = '    %r, %io.1 = py.getattr {name = "T"} (%a, %io)\n    return (%r, %io.1)'
    got = run(body, "%a, ", a)
    same(got, a.T)
    if a.size:
        assert np.shares_memory(got, a)


def test_dtype_attribute_feeds_allocation():
    body = (
        '    %d, %io.1 = py.getattr {name = "dtype"} (%a, %io)\n'
        '    %r, %io.2 = py.call {callee = "numpy.zeros", kwnames = ("dtype",)} (%n, %d, %io.1)\n'
        "    return (%r, %io.2)"
    )
    same(run(body, "%a, %n, ", np.arange(3, dtype=np.int16), 4), np.zeros(4, np.int16))


# -- slices ----------------------------------------------------------------------------------
def slicing(parts: str, params: str, store: bool = False):
    """`a[start:stop:step]` (each part a param name or `none`)."""
    lines = ["    %none = py.const {value = none} ()"]
    names = []
    for k, part in enumerate(parts.split(":")):
        names.append("%none" if part == "" else f"%{part}")
    lines.append(f"    %s, %io.1 = py.slice ({', '.join(names)}, %io)")
    if store:
        lines.append("    %io.2 = py.setitem (%a, %s, %v, %io.1)")
        lines.append("    return (%none, %io.2)")
    else:
        lines.append("    %r, %io.2 = py.getitem (%a, %s, %io.1)")
        lines.append("    return (%r, %io.2)")
    return "\n".join(lines), params


@pytest.mark.parametrize(
    "parts, values",
    [
        ("i:j:", (1, 4)),
        ("i::", (-2,)),
        (":j:", (-1,)),
        ("::k", (-1,)),
        ("::k", (2,)),
        ("i:j:k", (7, 1, -2)),
        ("i:j:k", (-100, 100, 3)),
        ("i:j:", (5, 2)),
        ("i::k", (8, -3)),
        ("i:j:k", (9, -20, -4)),
    ],
)
def test_slices_match_numpy(parts, values):
    a = np.arange(10.0)
    names = [p for p in parts.split(":") if p]
    body, _ = slicing(parts, "")
    params = "%a, " + "".join(f"%{n}, " for n in names)
    got = run(body, params, a, *values)
    key = slice(*[dict(zip(names, values)).get(p) if p else None for p in parts.split(":")])
    same(got, a[key])
    assert got.size == 0 or np.shares_memory(got, a)


def test_slice_step_zero_raises():
    body, _ = slicing("::k", "")
    with pytest.raises(ValueError, match="slice step cannot be zero"):
        run(body, "%a, %k, ", np.arange(3.0), 0)


def test_store_through_a_slice_reaches_the_caller():
    body, _ = slicing("i:j:", "")
    body = body.replace("%r, %io.2 = py.getitem (%a, %s, %io.1)", "%io.2 = py.setitem (%a, %s, %v, %io.1)")
    body = body.replace("return (%r, %io.2)", "return (%none, %io.2)")
    a = np.zeros(6)
    compile_ir(body, "%a, %i, %j, %v, ", a, 1, 4, 2.5)(a, 1, 4, 2.5)
    same(a, np.array([0, 2.5, 2.5, 2.5, 0, 0]))
    b = np.arange(6.0)
    f = compile_ir(body, "%a, %i, %j, %v, ", b, 1, 6, b[:5])
    f(b, 1, 6, b[:5].copy())
    want = np.arange(6.0)
    want[1:6] = np.arange(5.0)
    same(b, want)
    with pytest.raises(
        ValueError, match=r"could not broadcast input array from shape \(5,\) into shape \(2,\)"
    ):
        f(np.arange(6.0), 1, 3, np.arange(5.0))


def test_overlapping_assignment_copies_first():
    body, _ = slicing("i:j:", "")
    body = body.replace(
        "%r, %io.2 = py.getitem (%a, %s, %io.1)",
        "%t, %io.9 = py.slice (%none, %k, %none, %io.1)\n"
        "    %v, %io.8 = py.getitem (%a, %t, %io.9)\n"
        "    %io.2 = py.setitem (%a, %s, %v, %io.8)",
    )
    body = body.replace("return (%r, %io.2)", "return (%none, %io.2)")
    a = np.arange(6.0)
    compile_ir(body, "%a, %i, %j, %k, ", a, 1, 6, 5)(a, 1, 6, 5)
    want = np.arange(6.0)
    want[1:6] = want[:5]
    same(a, want)


def test_row_of_a_2d_array_by_integer_and_full_slice():
    body = (
        "    %none = py.const {value = none} ()\n"
        "    %s, %io.1 = py.slice (%none, %none, %none, %io)\n"
        "    %t, %io.2 = py.build_tuple (%i, %s, %io.1)\n"
        "    %r, %io.3 = py.getitem (%a, %t, %io.2)\n"
        "    return (%r, %io.3)"
    )
    a = np.arange(12.0).reshape(3, 4)
    same(run(body, "%a, %i, ", a, -1), a[-1, :])
    with pytest.raises(IndexError, match="index 3 is out of bounds for axis 0 with size 3"):
        run(body, "%a, %i, ", a, 3)


# -- elementwise -----------------------------------------------------------------------------
def binop(op: str):
    return (f'    %r, %io.1 = py.binop {{op = "{op}"}} (%a, %b, %io)\n    return (%r, %io.1)', "%a, %b, ")


_OPS = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": np.true_divide,
    "//": np.floor_divide,
    "%": np.remainder,
    "**": np.power,
}


@pytest.mark.parametrize("op", list(_OPS))
@pytest.mark.parametrize(
    "a, b",
    [
        (np.array([1.5, -2.0, 3.0, 0.0]), np.array([0.5, 4.0, -2.0, 0.0])),
        (np.array([7, -7, 3, 0]), np.array([2, 2, 0, -3])),
        (np.arange(6.0).reshape(2, 3), np.array([1.0, 2.0, 3.0])),
        (np.arange(4, dtype=np.float32), 2.0),
        (np.arange(4, dtype=np.int32), 3),
        (2.5, np.arange(1.0, 5.0)),
        (np.arange(6.0).reshape(2, 3).T, np.arange(6.0).reshape(3, 2)[::-1]),
    ],
    ids=lambda v: f"{np.asarray(v).dtype}{np.asarray(v).shape}",
)
def test_elementwise_matches_numpy(op, a, b):
    body, params = binop(op)
    try:
        with np.errstate(all="ignore"):
            want = _OPS[op](a, b)
    except ValueError as err:
        with pytest.raises(ValueError, match=str(err)):
            run(body, params, a, b)
        return
    got = run(body, params, a, b)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-6, equal_nan=True)


def test_comparison_gives_a_bool_array():
    body = '    %r, %io.1 = py.compare {op = "<"} (%a, %b, %io)\n    return (%r, %io.1)'
    same(run(body, "%a, %b, ", np.arange(5), 2.5), np.arange(5) < 2.5)


def test_broadcast_mismatch_raises_numpy_message():
    body, params = binop("+")
    with pytest.raises(
        ValueError, match=r"operands could not be broadcast together with shapes \(3,\) \(4,\) "
    ):
        run(body, params, np.ones(3), np.ones(4))


@pytest.mark.parametrize(
    "name", ["sqrt", "exp", "log", "sin", "cos", "abs", "floor", "tanh", "arctan", "square"]
)
def test_ufuncs_on_arrays_and_scalars(name):
    a = np.array([0.25, 1.0, 2.5, 9.0])
    body, params = call1(f"numpy.{name}", 1)
    np.testing.assert_allclose(run(body, params, a), getattr(np, name)(a), rtol=1e-15)
    np.testing.assert_allclose(run(body, params, 2.5), getattr(np, name)(2.5), rtol=1e-15)


def test_negative_of_an_array():
    body = '    %r, %io.1 = py.unop {op = "-"} (%a, %io)\n    return (%r, %io.1)'
    same(run(body, "%a, ", np.arange(4)), -np.arange(4))
