"""Global constant arrays (δ nodes, docs/ir.md "δ"): read three ways, frozen, never written.

Every case runs under CPython (the oracle), in the IR interpreter on the `rvsdg` stage (untyped),
in the interpreter on the `typed` stage and as native code, and all four must agree
(`differential_support`).  Results are Python scalars (`float(...)`, `int(...)`) so that NumPy's
scalar types do not stand between CPython and compiled code.  Then: writes, in every disguise,
are `TypingError`s naming the global, the line and a caret; the value is frozen at compile time;
the δ is an LLVM `constant` whose loads fold.
"""
from __future__ import annotations

import functools

import numpy as np
import pytest
from differential_support import disagreement, outcome

import jitlab
from jitlab.dispatch import typeof
from jitlab.errors import TypingError, UnsupportedError
from jitlab.frontend import to_rvsdg
from jitlab.ir import parse, print_module, verify
from jitlab.ir.interpreter import Interpreter

V1 = np.array([1.5, -2.0, 3.25, 0.0, 8.0])
M2 = np.arange(12, dtype=np.int64).reshape(3, 4) * 3 - 7
I32 = np.array([[7, -3], [2, 9], [-8, 1]], dtype=np.int32)
U8 = (np.arange(24, dtype=np.uint8) * 11).reshape(2, 3, 4)
F32 = np.array([0.1, 0.2, -1e30, 3.0], dtype=np.float32)
FORTRAN = np.asfortranarray(np.arange(6.0).reshape(2, 3))  # frozen in C order, same values
MASK = np.array([True, False, True, True])
Z = np.array([1 + 2j, -0.5 + 0j, 3 - 4j])
TABLE = (1, 2, 3)  # a tuple global stays a constant (`py.const`)


def read_1d(i):
    return float(V1[i])


def read_negative(i):
    return float(V1[-1 - i])


def length_and_shape(i):
    return len(V1) + M2.shape[0] * 10 + M2.shape[1] * 100 + M2.size + M2.ndim + i


def iterate_1d(k):
    s = 0.0
    for x in V1:
        s += x * k
    return float(s)


def iterate_rows(k):
    s = 0
    for row in M2:
        for x in row:
            s += int(x) * k
    return s


def slice_views(i):
    a = V1[1:4]
    b = M2[1:, ::2]
    c = M2[:, i]
    return float(a.sum()) + int(b.sum()) + int(c[0]) + len(a) * 1000 + b.shape[1]


def reversed_view(i):
    return float(V1[::-1][i])


def in_expressions(x):
    return float(V1[2] * x + V1.max() - V1.min() + V1.mean())


def multi_dim_reads(i, j):
    return int(M2[i, j]) + int(M2[i][j]) * 1000 + int(I32[i % 3, j % 2]) + int(M2.T[j, i]) * 7


def three_dims(i):
    s = 0
    for j in range(3):
        for k in range(4):
            s += int(U8[i, j, k])
    return s + int(U8[1, 2, 3])


def float32_reads(i):
    return float(F32[i]) + float(F32.sum())


def fortran_global(i, j):
    return float(FORTRAN[i, j]) + FORTRAN.shape[1]


def mask_count(n):
    c = 0
    for b in MASK:
        if b:
            c += n
    return c


def complex_parts(i):
    z = Z[i]
    return float(z.real * 10.0 + z.imag)


def two_globals_in_loop(n):
    s = 0.0
    for i in range(n):
        if i % 2:
            s += V1[i % 5] * TABLE[1]
        else:
            s -= float(M2[i % 3, i % 4])
    return float(s)


def out_of_bounds(i):
    return float(V1[i])


CASES = [
    (read_1d, [(0,), (4,), (-2,)]),
    (read_negative, [(0,), (3,)]),
    (length_and_shape, [(1,)]),
    (iterate_1d, [(2.0,)]),
    (iterate_rows, [(3,)]),
    (slice_views, [(0,), (3,)]),
    (reversed_view, [(0,), (4,)]),
    (in_expressions, [(2.5,)]),
    (multi_dim_reads, [(0, 0), (2, 3), (1, 2)]),
    (three_dims, [(0,), (1,)]),
    (float32_reads, [(0,), (2,)]),
    (fortran_global, [(1, 2), (0, 1)]),
    (mask_count, [(5,)]),
    (complex_parts, [(0,), (2,)]),
    (two_globals_in_loop, [(0,), (9,)]),
    (out_of_bounds, [(5,), (-6,)]),
]
PAIRS = [(f, args) for f, argsets in CASES for args in argsets]
IDS = [f"{f.__name__}{args!r}" for f, args in PAIRS]


@functools.cache
def jitted(func):
    return jitlab.jit(func)


def run_rvsdg(func, *args):
    module = to_rvsdg(func)
    verify(module)
    return Interpreter(module).call(func.__name__, *args)


def run_typed(func, *args):
    module = jitted(func).compile(tuple(typeof(a) for a in args)).record.artefacts["typed"]
    verify(module)
    return Interpreter(module).call(func.__name__, *args)


def run_native(func, *args):
    return jitted(func)(*args)


@pytest.mark.parametrize(("func", "args"), PAIRS, ids=IDS)
def test_three_ways_agree_with_cpython(func, args):
    expected = outcome(func, args)
    problems = []
    for way, run in (("rvsdg interpreter", run_rvsdg), ("typed interpreter", run_typed),
                     ("native", run_native)):
        why = disagreement(expected, outcome(functools.partial(run, func), args))
        if why is not None:
            problems.append(f"{way}: CPython {why}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("func", [f for f, _ in CASES], ids=lambda f: f.__name__)
def test_every_stage_holds_the_deltas_and_round_trips(func):
    args = dict(CASES)[func][0]
    record = jitted(func).compile(tuple(typeof(a) for a in args)).record
    for stage in ("rvsdg", "typed", "opt"):
        module = record.artefacts[stage]
        verify(module)
        assert module.deltas, stage
        assert parse(print_module(module)) == module, stage
        assert all(d.type.readonly and d.type.layout == "C" for d in module.deltas)


def test_a_delta_holds_a_c_ordered_copy_of_the_global():
    module = to_rvsdg(fortran_global)
    (delta,) = module.deltas
    assert delta.name == "FORTRAN" and delta.shape == (2, 3)
    assert str(delta.type) == "array<f64, 2, C, readonly>"
    assert np.array_equal(delta.array(), FORTRAN) and not delta.array().flags.writeable
    assert "delta @FORTRAN: array<f64, 2, C, readonly> shape (2, 3) = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0)" \
        in print_module(module)


# -- frozen at compile time --------------------------------------------------------------------------
def test_the_value_is_frozen_when_the_function_is_compiled():
    namespace = {"np": np}
    exec("G = np.array([1.0, 2.0, 3.0])\ndef f(i):\n    return float(G[i])\n", namespace)
    f = jitlab.jit(namespace["f"])
    assert f(1) == 2.0
    namespace["G"][1] = 20.0  # changing the global afterwards does not reach compiled code
    namespace["G"] = np.array([0.0, 0.0, 0.0])
    assert f(1) == 2.0
    assert namespace["f"](1) == 0.0  # (CPython reads the global at each call)
    g = jitlab.jit(namespace["f"])  # compiled again: the value of now
    assert g(1) == 0.0


# -- writes are typing errors that name the global, the line and a caret -------------------------------
def write_element(i):
    V1[i] = 1.0
    return 0


def write_through_alias(i):
    a = V1
    a[i] += 1.0
    return 0


def inplace_operator(i):
    a = M2[i]
    a += 1
    return 0


def write_slice(i):
    M2[i:, 1] = 0
    return 0


def write_row_view(i):
    row = M2[i]
    row[0] = 5
    return 0


def write_iterated_row(i):
    for row in M2:
        row[i] = 0
    return 0


def write_in_branch(i):
    a = V1[1:]
    if i > 0:
        a[0] = 2.0
    return 0


def return_the_global(i):
    return V1


def return_a_view(i):
    return M2[i], 1


@pytest.mark.parametrize(("func", "line_text", "message"), [
    (write_element, "V1[i] = 1.0", "cannot assign to an element: %V1 is read-only, it is the global V1"),
    (write_through_alias, "a[i] += 1.0", "the global V1"),
    (inplace_operator, "a += 1", "cannot apply += in place: %a is read-only, it is the global M2"),
    (write_slice, "M2[i:, 1] = 0", "cannot assign to a slice: %M2 is read-only, it is the global M2"),
    (write_row_view, "row[0] = 5", "%row is read-only, it is the global M2"),
    (write_iterated_row, "row[i] = 0", "the global M2"),
    (write_in_branch, "a[0] = 2.0", "the global V1"),
    (return_the_global, "def return_the_global(i):", "returns a read-only array: it is the global V1"),
    (return_a_view, "def return_a_view(i):", "returns a read-only array: it is the global M2"),
], ids=lambda x: getattr(x, "__name__", None))
def test_writes_and_returns_are_typing_errors(func, line_text, message):
    with pytest.raises(TypingError) as info:
        jitlab.jit(func)(1)
    text = str(info.value)
    assert message in text and "frozen when the function is compiled" in text
    assert line_text in text and "^" in text
    assert info.value.line == func.__code__.co_firstlineno + (0 if line_text.startswith("def") else
                                                                [ln.strip() for ln in _source(func)]
                                                                .index(line_text))


def _source(func):
    import inspect

    return inspect.getsource(func).splitlines()


def test_passing_the_global_where_a_writable_array_is_needed():
    namespace = {"np": np, "jitlab": jitlab, "V1": V1}
    exec("@jitlab.jit\ndef fill(a):\n    a[0] = 1.0\n    return 0\n"
         "@jitlab.jit\ndef f(i):\n    return fill(V1)\n", namespace)
    with pytest.raises(TypingError) as info:
        namespace["f"](0)
    text = str(info.value)
    assert "argument a of fill, which the caller passed a global constant array" in text
    assert info.value.line == 3  # in fill, where the write is


def test_reading_the_global_in_a_jitted_callee_and_in_recursion():
    namespace = {"np": np, "jitlab": jitlab, "V1": V1}
    exec("@jitlab.jit\ndef get(i):\n    return V1[i]\n"
         "@jitlab.jit\ndef f(i):\n    return get(i) + get(i + 1)\n"
         "@jitlab.jit\ndef rec(n):\n    if n == 0:\n        return 0.0\n    return V1[n % 5] + rec(n - 1)\n",
         namespace)
    assert namespace["f"](1) == V1[1] + V1[2]
    assert namespace["rec"](7) == sum(V1[n % 5] for n in range(1, 8))
    assert namespace["rec"].last_compile.artefacts["typed"].deltas


def test_unsupported_global_arrays_name_the_global():
    namespace = {"np": np, "S": np.array(3.0), "O": np.array([object()])}
    exec("def zero_d():\n    return S + 1\ndef objects():\n    return O[0]\n", namespace)
    for name, glob in (("zero_d", "S"), ("objects", "O")):
        with pytest.raises(UnsupportedError, match=f"global {glob}: a"):
            to_rvsdg(namespace[name])


# -- native code: an LLVM constant whose loads fold -----------------------------------------------------
def constant_read(i):
    return M2[2, 3] + M2[0, 1] * i


def test_the_delta_is_an_aligned_llvm_constant_and_loads_fold():
    record = jitted(constant_read).compile((typeof(1),)).record
    llvm = record.artefacts["llvm"]
    line = next(ln for ln in llvm.splitlines() if ln.startswith('@"jitlab.delta.M2"'))
    assert "private unnamed_addr constant [96 x i8]" in line and line.endswith("align 64")
    optimized = record.artefacts["llvm-opt"]
    assert "jitlab.delta.M2" not in optimized  # every load folded to a constant: the data is gone
    assert jitted(constant_read)(3) == M2[2, 3] + M2[0, 1] * 3
