"""The jit dispatcher: decoration forms, lazy and eager specialisation, signatures, errors."""
import math

import numpy as np
import pytest

import jitlab
from jitlab.backend.llvm import dispatch_wrapper
from jitlab.dispatch import parse_signature, typeof
from jitlab.errors import TypingError
from jitlab.ir import BOOL, F64, I64, IntType


def test_parse_signature_numba_form():
    assert parse_signature("float64(float64, int64)") == (F64, (F64, I64))
    assert parse_signature("(int64,)") == (None, (I64,))
    assert parse_signature("boolean(i8, f8)") == (BOOL, (I64, F64))
    assert parse_signature("int32()") == (IntType(32), ())


def test_parse_signature_errors_name_the_problem():
    with pytest.raises(jitlab.TypingError, match="not of the form"):
        parse_signature("float64")
    with pytest.raises(jitlab.TypingError, match="unknown type name 'floot64'"):
        parse_signature("floot64(int64)")


def test_typeof_python_and_numpy_scalars():
    assert typeof(True) == BOOL and typeof(3) == I64 and typeof(2.5) == F64
    assert typeof(np.int64(3)) == I64 and typeof(np.float64(1.0)) == F64 and typeof(np.bool_(1)) == BOOL
    assert str(typeof("abc")) == "str"
    with pytest.raises(jitlab.TypingError, match="bytes"):
        typeof(b"abc")


def poly(x, n):
    acc = 0.0
    for i in range(n):
        acc = acc * x + i
    return acc


def test_bare_decorator_specialises_per_argument_types():
    f = jitlab.jit(poly)
    assert f(2.0, 4) == poly(2.0, 4)
    assert f(3, 5) == poly(3, 5)
    assert set(f.signatures) == {(F64, I64), (I64, I64)}
    assert f.last_compile is not None and "typed" in f.last_compile.timings


def test_decorator_with_options_and_keyword_arguments():
    f = jitlab.jit(fastmath=False, boundscheck=True)(poly)
    assert f(x=1.5, n=3) == poly(1.5, 3)


def test_eager_signature_compiles_at_decoration_and_converts_arguments():
    f = jitlab.jit("float64(float64, int64)")(poly)
    assert f.signatures == [(F64, I64)]
    assert f(2, 3) == poly(2.0, 3)          # int converted to the declared float64
    assert f.signatures == [(F64, I64)]     # no new specialisation
    with pytest.raises(jitlab.TypingError, match="no signature of poly matches"):
        f(2.0, 3.5)


def test_declared_return_type_must_match():
    with pytest.raises(jitlab.TypingError, match="declared to return i64 but returns f64"):
        jitlab.jit("int64(float64, int64)")(poly)


def test_stages_are_ordered_and_named():
    texts = jitlab.stages(poly, 1.0, 3)
    assert list(texts) == list(jitlab.STAGE_NAMES)
    for key in ("bytecode", "regions", "rvsdg", "typed", "llvm", "llvm-opt", "asm"):
        assert texts[key].strip(), key
    assert "def poly" in texts["source"]
    assert "theta" in texts["rvsdg"] and ": f64" in texts["typed"]
    assert "define" in texts["llvm-opt"]


def helper(x):
    return math.sqrt(x) + 1.0


def caller(x):
    return helper(x) * 2.0


def test_calls_between_jitted_functions():
    f = jitlab.jit(caller)
    assert f(9.0) == 8.0


def gen(n):
    yield n


def test_unsupported_construct_is_a_clear_error():
    with pytest.raises(jitlab.UnsupportedError) as info:
        jitlab.jit(gen)(3)
    text = str(info.value)
    assert "Python 3." in text and "line" in text


def test_jit_rejects_non_functions():
    with pytest.raises(TypeError, match="expects a Python function"):
        jitlab.jit(len)


# The strict entry: each dispatcher's class gets a native `__call__` (backend/llvm/dispatch_wrapper.py)
# that picks a specialisation by the exact Python classes of the arguments, else falls back.

def kind(a, b):
    return a + b


def test_strict_entry_is_a_native_builtin_on_the_dispatcher_class():
    f = jitlab.jit(kind)
    assert isinstance(f, jitlab.Dispatcher) and type(f).__name__ == "Dispatcher"
    assert f(1, 2) == 3
    assert f.wait_optimized()  # (quick code stays behind the fallback until tier 1 is in)
    assert type(type(f).__dict__["__call__"]).__name__ == "builtin_function_or_method"
    assert "__call__" not in jitlab.Dispatcher.__dict__ or not isinstance(
        jitlab.Dispatcher.__dict__["__call__"], type(len))  # the base class keeps the Python slow path
    g = jitlab.jit(kind)
    assert type(g) is not type(f)  # one class per dispatcher


def test_strict_entry_many_specialisations_and_exact_bool_int_float():
    f = jitlab.jit(kind)
    values = [True, 3, 2.5]
    for a in values:
        for b in values:
            expected = kind(a, b)
            got = f(a, b)
            assert got == expected and type(got) is type(expected), (a, b, got)
    assert len(f.signatures) == 9
    last = f.last_compile
    for a in values:  # every pair again: all hits, nothing compiles
        for b in values:
            assert type(f(a, b)) is type(kind(a, b))
    assert f.last_compile is last and len(f.signatures) == 9
    assert f(False, False) == 0 and f(True, True) == 2  # bool+bool is int, as in Python
    assert f(10**3, -7) == 993 and f(-0.5, 1) == 0.5


def test_strict_entry_numpy_scalars_and_arrays_fall_back():
    f = jitlab.jit(kind)
    assert f(1, 2) == 3
    assert f(np.int64(4), 5) == 9 and (I64, I64) in f.signatures
    assert f(np.float64(1.5), 2) == 3.5 and (F64, I64) in f.signatures
    assert f(np.bool_(True), True) == 2
    assert f(1.5, 2) == 3.5


def add_arrays(a, b):
    return a[0] + b


def test_strict_entry_array_arguments_get_native_rows():
    f = jitlab.jit(add_arrays)
    assert f(np.arange(3.0) + 1, 2.0) == 3.0
    assert f(np.arange(3) + 5, 1) == 6
    assert f(np.arange(3.0) + 1, 2.0) == 3.0
    assert len(f.signatures) == 2
    assert f.wait_optimized()  # (quick code stays behind the fallback until tier 1 is in)
    assert type(type(f).__dict__["__call__"]).__name__ == "builtin_function_or_method"
    assert len(f._entry_keys) == 2  # both array specialisations are rows of the native entry


def corner(a):
    return a[0, 0]


@pytest.mark.skipif(not dispatch_wrapper.array_rows_supported(), reason="NumPy's array struct differs here")
def test_native_array_rows_tell_dtype_ndim_and_layout_apart():
    """Each call must reach the specialisation `typeof` selects: a row that matched a wrong dtype,
    ndim or layout would read the array with the wrong element type or strides."""
    f = jitlab.jit(corner)
    c = np.arange(12.0).reshape(3, 4)
    variants = [c, np.asfortranarray(c), c[:, ::2], c.astype(np.float32), c.astype(np.int32),
                np.asfortranarray(c.astype(np.int64)), c[::-1], c.T, c.astype(np.uint8)]
    for _ in range(2):  # second round: every call is a native-row hit
        for a in variants:
            assert f(a) == a[0, 0], (a.dtype, a.flags)
            assert (typeof(a),) in f.signatures
    assert len(f.signatures) == len({typeof(a) for a in variants}) == 7
    before = f.last_compile
    for a in variants:
        assert f(a) == a[0, 0]
    assert f.last_compile is before  # no recompilation: the rows found every specialisation
    swapped = c.astype(c.dtype.newbyteorder(">"))  # not the canonical descriptor: the fallback refuses it
    with pytest.raises(jitlab.TypingError, match="byte order"):
        f(swapped)

    class Sub(np.ndarray):
        pass

    assert f(c.view(Sub)) == 0.0  # a subclass is not a row match, the fallback takes it
    assert f(np.zeros((2, 2, 2))[0]) == 0.0  # a view of a 3-D array is a 2-D array like any other
    with pytest.raises(TypingError):
        f([[1.0]])


def test_native_array_rows_no_reference_leaks():
    import gc
    import sys

    f = jitlab.jit(add_arrays)
    a = np.arange(4.0)
    f(a, 1.0)
    f(a, 1.0)
    gc.collect()
    before = sys.getrefcount(a)
    for _ in range(100_000):
        f(a, 1.0)
    gc.collect()
    assert sys.getrefcount(a) == before


def test_strict_entry_keywords_and_errors_take_the_slow_path():
    f = jitlab.jit(kind)
    assert f(1, 2) == 3
    assert f(1, b=2) == 3 and f(b=2.5, a=1) == 3.5
    with pytest.raises(jitlab.TypingError, match="str"):
        f("x", 1)
    with pytest.raises(TypeError):
        f(1, c=2)
    with pytest.raises(TypeError, match=r"^kind\(\) missing 1 required positional argument: 'b'$"):
        f(1)
    assert f(1, 2) == 3


def defaults_and_keywords(a, b=2.5, *, c=3):
    return a * b + c


def positional_only(x, /, y=1):
    return x - y


CALLS = [((1,), {}), ((1, 4), {}), ((1,), {"c": 2}), ((), {"a": 2, "b": 1}), ((1, 2.0), {"c": 0.5}),
         ((True,), {"b": False})]
BAD_CALLS = [((), {}), ((1, 2, 3), {}), ((1,), {"d": 2}), ((1,), {"a": 2}), ((1, 2, 3, 4), {})]


@pytest.mark.parametrize("args, kwargs", CALLS)
def test_defaults_and_keyword_only_arguments_from_python(args, kwargs):
    f = jitlab.jit(defaults_and_keywords, cache=False)
    expected = defaults_and_keywords(*args, **kwargs)
    got = f(*args, **kwargs)
    assert got == expected and type(got) is type(expected)
    assert f(*args, **kwargs) == expected  # again, now with the specialisation loaded


@pytest.mark.parametrize("args, kwargs", BAD_CALLS)
def test_bad_calls_raise_cpythons_type_error(args, kwargs):
    with pytest.raises(TypeError) as want:
        defaults_and_keywords(*args, **kwargs)
    f = jitlab.jit(defaults_and_keywords, cache=False)
    f(1)
    with pytest.raises(TypeError) as got:
        f(*args, **kwargs)
    assert str(got.value) == str(want.value)


def test_keyword_only_parameters_never_take_the_positional_fast_path():
    f = jitlab.jit(defaults_and_keywords, cache=False)
    assert f(1, 2, c=3) == 5
    with pytest.raises(TypeError, match="takes from 1 to 2 positional arguments but 3 were given"):
        f(1, 2, 3)


def test_positional_only_parameters():
    f = jitlab.jit(positional_only, cache=False)
    assert f(5) == 4 and f(5, y=2) == 3 and f(5, 3) == 2
    with pytest.raises(TypeError) as want:
        positional_only(x=5)
    with pytest.raises(TypeError) as got:
        f(x=5)
    assert str(got.value) == str(want.value)


def test_kwargs_are_a_clear_error():
    def star(*xs, **kw):
        return 1

    with pytest.raises(jitlab.UnsupportedError, match=r"\*\*kwargs parameters of"):
        jitlab.jit(star)


def test_varargs_are_one_tuple_parameter():
    """`*args` binds as CPython binds it, into a tuple parameter (keyword-only ones after it)."""
    def head(x, *rest, scale=2):
        return x * scale + len(rest), rest, rest[1:]

    f = jitlab.jit(head, cache=False)
    for args, kwargs in (((1,), {}), ((1, 2.0, 3.0), {"scale": 10}), ((2, 5, 6), {})):
        assert f(*args, **kwargs) == head(*args, **kwargs)
    with pytest.raises(TypeError) as want:
        head()
    with pytest.raises(TypeError) as got:
        f()
    assert str(got.value) == str(want.value)


def callee_with_defaults(a, b=2.5, *, c=3):
    return a * b + c


def calls_with_keywords(x):
    return (callee_with_defaults(x) + callee_with_defaults(x, c=1) + callee_with_defaults(b=1, a=x)
            + callee_with_defaults(x, 2, c=x))


def calls_with_a_bad_keyword(x):
    return callee_with_defaults(x, d=1)


def test_jitted_code_calls_with_keywords_and_defaults():
    f = jitlab.jit(calls_with_keywords, cache=False)
    assert f(2) == calls_with_keywords(2) and f(1.5) == calls_with_keywords(1.5)
    rvsdg = f.stages(2)["rvsdg"]
    assert "kwnames" not in rvsdg and 'py.const {value = 2.5}' in rvsdg  # bound at compile time


def test_jitted_call_that_cannot_bind_is_cpythons_type_error_at_compile_time():
    f = jitlab.jit(calls_with_a_bad_keyword, cache=False)
    with pytest.raises(TypeError, match=r"^callee_with_defaults\(\) got an unexpected keyword argument 'd'"
                       ) as got:
        f(1)
    assert isinstance(got.value, jitlab.JitlabError)
    assert "return callee_with_defaults(x, d=1)" in str(got.value)


def test_strict_entry_eager_signatures_convert():
    f = jitlab.jit("float64(float64, float64)")(kind)
    assert type(type(f).__dict__["__call__"]).__name__ == "builtin_function_or_method"
    assert f(1.5, 2.0) == 3.5
    assert f(1, 2) == 3.0 and type(f(1, 2)) is float
    assert f(True, 2.0) == 3.0
    assert f(np.int64(2), 1) == 3.0
    with pytest.raises(jitlab.TypingError, match="no signature of kind matches argument types \\(str, "):
        f("a", 1)
    with pytest.raises(jitlab.TypingError, match="no signature of kind matches"):
        f(np.arange(2.0), 1)
    assert f.signatures == [(F64, F64)]
    g = jitlab.jit(["int64(int64, int64)", "float64(float64, float64)"])(kind)
    assert type(g(1, 2)) is int and type(g(1.0, 2.0)) is float and g(1, 2.5) == 3.5


def test_strict_entry_native_errors_propagate():
    def div(a, b):
        return a // b

    f = jitlab.jit(div)
    assert f(7, 2) == 3
    with pytest.raises(ZeroDivisionError):
        f(1, 0)
    assert f(9, 3) == 3


def test_strict_entry_no_reference_leaks():
    import gc
    import sys
    import weakref

    f = jitlab.jit(kind)
    x, y, big = 1.5, 2.5, 10**12
    f(x, y), f(big, 1), f(np.int64(1), 1)
    gc.collect()
    before = (sys.getrefcount(x), sys.getrefcount(big), sys.getrefcount(f), sys.getrefcount(kind))
    for _ in range(100_000):
        f(x, y)
        f(big, 1)
    for _ in range(1000):
        f(np.int64(1), 1)  # the fallback path
        f(a=big, b=1)
    gc.collect()
    assert (sys.getrefcount(x), sys.getrefcount(big), sys.getrefcount(f), sys.getrefcount(kind)) == before
    ref = weakref.ref(f)
    del f
    gc.collect()
    assert ref() is None  # the class, its builtin and the fallback are collectable


def test_strict_entry_limits_rows_and_keeps_working(monkeypatch):
    from jitlab import dispatch

    monkeypatch.setattr(dispatch, "_ENTRY_ROWS", 4)
    f = jitlab.jit(kind)
    values = [True, 2, 0.5]
    combos = [(a, b) for a in values for b in values]
    for args in combos:
        assert f(*args) == kind(*args) and type(f(*args)) is type(kind(*args))
    assert len(f.signatures) == 9 and len(f._entry_keys) == 4
    for args in combos:  # rows past the limit are found by the fallback's class lookup
        assert type(f(*args)) is type(kind(*args))


def _scale(a, b):
    return a * b + 1


def test_overflow_option_raises_or_wraps():
    checked, wrapping = jitlab.jit(_scale, overflow="raise"), jitlab.jit(_scale)  # wrapping is the default
    with pytest.raises(OverflowError, match="int64"):
        checked(2**62, 4)
    assert wrapping(2**62, 4) == 1  # 2**64 wraps to 0, as np.int64 arithmetic does
    assert wrapping(3, 4) == checked(3, 4) == 13
    assert checked.options != wrapping.options  # a separate cache key
    with pytest.raises(ValueError, match="overflow must be one of"):
        jitlab.jit(_scale, overflow="saturate")


def _calls_scale(a):
    return _scale(a, a)


def test_overflow_option_reaches_plain_callees():
    assert jitlab.jit(_calls_scale, overflow="wrap")(2**32) == 1
    with pytest.raises(OverflowError):
        jitlab.jit(_calls_scale, overflow="raise")(2**32)
