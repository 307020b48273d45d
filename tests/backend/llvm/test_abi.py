"""The CPython call wrapper: unboxing, arity and type errors, exceptions, boxing, refcounts.

Native functions are hand-written LLVM IR following the native convention
(`i32 @f(ptr %ret, ptr %excmsg, args...)`), loaded with a tiny MCJIT engine so
these tests do not depend on the lowering or the project's engine.
"""
from __future__ import annotations

import gc
import importlib
import inspect
import subprocess
import sys
import textwrap

import llvmlite.binding as llvm
import numpy as np
import pytest

from jitlab.backend.llvm import abi, excinfo
from jitlab.errors import LoweringError
from jitlab.ir.types import BOOL, F64, I64, NONE, IntType, RangeIterType, TupleType

NATIVE = r"""
@zd = private unnamed_addr constant [23 x i8] c"float division by zero\00"
@boom = private unnamed_addr constant [12 x i8] c"boom: \C3\A9t\C3\A9\00"

define i32 @add(ptr %ret, ptr %msg, i64 %a, i64 %b) {
  %s = add i64 %a, %b
  store i64 %s, ptr %ret
  ret i32 0
}

define i32 @fdiv(ptr %ret, ptr %msg, double %a, double %b) {
  %z = fcmp oeq double %b, 0.0
  br i1 %z, label %err, label %ok
err:
  store ptr @zd, ptr %msg
  ret i32 1
ok:
  %q = fdiv double %a, %b
  store double %q, ptr %ret
  ret i32 0
}

define i32 @negate(ptr %ret, ptr %msg, i8 %a) {
  %r = xor i8 %a, 1
  store i8 %r, ptr %ret
  ret i32 0
}

define i32 @nothing(ptr %ret, ptr %msg, double %x) {
  ret i32 0
}

define i32 @answer(ptr %ret, ptr %msg) {
  store i64 42, ptr %ret
  ret i32 0
}

define i32 @raise_code(ptr %ret, ptr %msg, i64 %code, i8 %with_message) {
  %has = icmp ne i8 %with_message, 0
  br i1 %has, label %m, label %done
m:
  store ptr @boom, ptr %msg
  br label %done
done:
  %c = trunc i64 %code to i32
  ret i32 %c
}

define i32 @ident_f(ptr %ret, ptr %msg, double %x) {
  store double %x, ptr %ret
  ret i32 0
}
"""


class MiniEngine:
    """The smallest JIT with the `add_ir`/`address_of` protocol the wrapper expects."""

    def __init__(self):
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        machine = llvm.Target.from_default_triple().create_target_machine()
        self.engine = llvm.create_mcjit_compiler(llvm.parse_assembly(""), machine)

    def add_ir(self, text: str) -> None:
        module = llvm.parse_assembly(text)
        module.verify()
        self.engine.add_module(module)
        self.engine.finalize_object()

    def address_of(self, symbol: str) -> int:
        return self.engine.get_function_address(symbol)


@pytest.fixture(scope="module")
def fns():
    engine = MiniEngine()
    engine.add_ir(NATIVE)

    def wrap(name, symbol, argtypes, rettype, argnames=None, **kw):
        return abi.wrap_native(engine, name, symbol, argtypes, rettype, argnames=argnames, **kw)

    return {
        "add": wrap("add", "add", (I64, I64), I64, ("a", "b"), doc="add(a, b)\n--\n\nAdd two ints."),
        "fdiv": wrap("fdiv", "fdiv", (F64, F64), F64, ("x", "y")),
        "negate": wrap("negate", "negate", (BOOL,), BOOL, ("flag",)),
        "nothing": wrap("nothing", "nothing", (F64,), NONE, ("x",)),
        "answer": wrap("answer", "answer", (), I64),
        "raise_code": wrap("raise_code", "raise_code", (I64, BOOL), NONE),
        "ident_f": wrap("ident_f", "ident_f", (F64,), F64, ("x",)),
        "add_unnamed": wrap("add_unnamed", "add", (I64, I64), I64),
    }


def test_is_a_real_builtin(fns):
    add = fns["add"]
    assert type(add) is type(len)  # builtin_function_or_method
    assert add.__name__ == "add" and add.__qualname__ == "add"
    assert repr(add) == "<built-in function add>"
    assert add.__doc__ == "Add two ints."
    assert str(inspect.signature(add)) == "(a, b)"
    assert isinstance(add.__self__, abi.NativeFunctionOwner)
    assert fns["fdiv"].__doc__ is None


def test_ints(fns):
    add = fns["add"]
    assert add(2, 3) == 5 and type(add(2, 3)) is int
    assert add(-1, 0) == -1  # -1 is a value, not an error
    assert add(2**62, 2**62 - 1) == 2**63 - 1
    assert add(True, 1) == 2  # bool is an int
    assert add(np.int64(4), np.int32(5)) == 9  # __index__
    assert add(-2**63, 0) == -2**63


def test_floats(fns):
    fdiv = fns["fdiv"]
    assert fdiv(1.0, 4.0) == 0.25 and type(fdiv(1.0, 4.0)) is float
    assert fdiv(1, 4) == 0.25  # ints are accepted where Python would
    assert fdiv(np.float64(3.0), np.float32(2.0)) == 1.5
    assert fdiv(-1.0, 1.0) == -1.0
    assert np.isnan(fns["ident_f"](float("nan")))
    with pytest.raises(OverflowError, match=r"fdiv\(\) argument 'x' is out of range for f64"):
        fdiv(10**400, 1.0)


def test_bools(fns):
    negate = fns["negate"]
    assert negate(True) is False and negate(False) is True
    assert negate(np.bool_(True)) is False and negate(np.bool_(False)) is True
    for bad, shown in ((1, "int"), (0.0, "float"), (None, "NoneType"), ("x", "str")):
        with pytest.raises(TypeError, match=rf"^negate\(\) argument 'flag' must be bool, not {shown}$"):
            negate(bad)


def test_none_and_no_args(fns):
    assert fns["nothing"](1.5) is None
    assert fns["answer"]() == 42


def test_wrong_argument_count(fns):
    with pytest.raises(TypeError, match=r"^add\(\) takes 2 positional arguments but 3 were given$"):
        fns["add"](1, 2, 3)
    with pytest.raises(TypeError, match=r"^add\(\) takes 2 positional arguments but 1 was given$"):
        fns["add"](1)
    with pytest.raises(TypeError, match=r"^answer\(\) takes 0 positional arguments but 1 was given$"):
        fns["answer"](1)
    with pytest.raises(TypeError, match=r"^nothing\(\) takes 1 positional argument but 0 were given$"):
        fns["nothing"]()
    with pytest.raises(TypeError, match="keyword"):
        fns["add"](a=1, b=2)


def test_wrong_argument_type(fns):
    with pytest.raises(TypeError, match=r"^add\(\) argument 'b' must be int, not str$"):
        fns["add"](1, "abc")
    with pytest.raises(TypeError, match=r"^add\(\) argument 'a' must be int, not float$"):
        fns["add"](1.5, 2)
    with pytest.raises(TypeError, match=r"^add\(\) argument 'a' must be int, not numpy.bool$"):
        fns["add"](np.bool_(True), 2)
    with pytest.raises(TypeError, match=r"^add_unnamed\(\) argument 2 must be int, not list$"):
        fns["add_unnamed"](1, [])
    with pytest.raises(TypeError, match=r"^fdiv\(\) argument 'y' must be float, not str$"):
        fns["fdiv"](1.0, "abc")


def test_int_out_of_range(fns):
    for big in (2**63, -2**63 - 1, 10**30):
        with pytest.raises(OverflowError, match=r"^add\(\) argument 'a' is out of range for i64$"):
            fns["add"](big, 1)


def test_user_errors_pass_through(fns):
    class Bad:
        def __index__(self):
            raise KeyError("from __index__")

    with pytest.raises(KeyError, match="from __index__"):
        fns["add"](Bad(), 1)


def test_exception_propagation(fns):
    with pytest.raises(ZeroDivisionError) as info:
        fns["fdiv"](1.0, 0.0)
    assert info.value.args == ("float division by zero",)
    raise_code = fns["raise_code"]
    for code, exc in enumerate(excinfo.EXCEPTIONS[1:], start=1):
        with pytest.raises(exc) as info:
            raise_code(code, True)
        assert type(info.value) is exc and info.value.args == ("boom: été",)
        with pytest.raises(exc) as info:
            raise_code(code, False)  # no message: raised like `raise exc`
        assert info.value.args == ()
    for k, (module, name, _bases) in enumerate(excinfo.IMPORTED):  # AxisError, LinAlgError: NumPy's own
        exc = getattr(importlib.import_module(module), name)
        with pytest.raises(exc) as info:
            raise_code(excinfo.IMPORTED_BASE + k, True)
        assert type(info.value) is exc and info.value.args == ("boom: été",)
    for code in (len(excinfo.EXCEPTIONS), 99, -1):
        with pytest.raises(SystemError, match=r"raise_code\(\) returned unknown status"):
            raise_code(code, True)
    assert raise_code(0, True) is None


def test_no_reference_leaks(fns):
    big = 1.0e300 * 3.0  # a fresh float object, not a cached constant
    ident, before = fns["ident_f"], sys.getrefcount(big)
    results = [ident(big) for _ in range(1000)]
    assert sys.getrefcount(big) == before
    assert all(r == big and r is not big for r in results)
    results = None
    arg = 10**15 + 7
    before = sys.getrefcount(arg)
    for _ in range(1000):
        fns["add"](arg, arg)
        fns["nothing"](big)
    with pytest.raises(TypeError):
        fns["add"](arg, "x")
    assert sys.getrefcount(arg) == before


def test_lifetime_of_builtin(fns):
    """The builtin keeps its method def and engine alive; dropping it frees the owner."""
    engine = MiniEngine()
    engine.add_ir(NATIVE.replace("@add(", "@add2("))
    f = abi.wrap_native(engine, "add2", "add2", (I64, I64), I64)
    assert f.__self__.keepalive is engine
    del engine
    gc.collect()
    assert f(40, 2) == 42 and f.__name__ == "add2"


def test_repeated_calls(fns):
    add, fdiv, negate = fns["add"], fns["fdiv"], fns["negate"]
    total = 0
    for i in range(100_000):
        total = add(total, i)
        if i % 1000 == 0:
            with pytest.raises(ZeroDivisionError):
                fdiv(float(i), 0.0)
            negate(bool(i & 1))
    assert total == sum(range(100_000))


def test_a_call_runs_no_python_code(fns):
    """The wrapped `add` is a C builtin: calling it runs no Python frame (no ctypes round trip,
    no Python-level unboxing).  The cost itself is measured by benchmarks/call_overhead.py."""
    import sys

    add = fns["add"]
    assert type(add).__name__ == "builtin_function_or_method"
    events = []
    sys.setprofile(lambda frame, event, arg: events.append((event, frame.f_code.co_name)))
    try:
        add(1000, 2000)
    finally:
        sys.setprofile(None)
    assert [e for e, _ in events if e == "call"] == [], events
    assert any(e == "c_call" for e, _ in events), events


def test_ir_and_errors():
    text, symbol = abi.make_wrapper_ir("f", "f_native", (I64, F64, BOOL), F64)
    assert symbol == "f_native.pywrap"
    module = llvm.parse_assembly(text)
    module.verify()
    assert module.get_function("f_native").is_declaration
    assert not module.get_function(symbol).is_declaration
    with pytest.raises(LoweringError):  # a tuple of a range has no unboxing (one of numbers has)
        abi.make_wrapper_ir("f", "f_native", (TupleType((RangeIterType(I64),)),), I64)
    text, _ = abi.make_wrapper_ir("f", "f_native", (TupleType((I64, TupleType((F64, BOOL)))),), I64)
    llvm.parse_assembly(text).verify()
    abi.make_wrapper_ir("f", "f_native", (IntType(32),), I64)
    with pytest.raises(LoweringError):  # a range has no unboxing
        abi.make_wrapper_ir("f", "f_native", (RangeIterType(I64),), I64)
    text, _ = abi.make_wrapper_ir("f", "f_native", (I64, NONE), I64)  # an optional argument left at None
    llvm.parse_assembly(text).verify()
    with pytest.raises(ValueError):
        abi.make_wrapper_ir("f", "f_native", (I64,), I64, argnames=("a", "b"))
    with pytest.raises(ValueError):
        abi.make_builtin("f", 0)
    assert all(addr for addr in abi.capi_symbols().values())


def test_exceptions_stay_right_when_numba_shares_the_process():
    """Numba registers `PyExc_*` in LLVM's process-wide symbol table as the exception objects;
    jitlab's wrappers load the C variables, under their own names (abi.JIT_EXC_PREFIX)."""
    pytest.importorskip("numba")
    code = textwrap.dedent("""
        import numba, numpy as np, jitlab
        def first(a, i):
            return a[i]
        jitlab.jit(first)(np.zeros(3), 0)          # jitlab registers its symbols first
        numba.njit(lambda x: x + 1)(1)             # then Numba registers its own
        for f in (jitlab.jit(first), jitlab.jit(lambda a, i: a[i] + 1.0)):
            try:
                f(np.zeros(3), 7)
            except IndexError as exc:
                print("IndexError", exc)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("IndexError index 7 is out of bounds for axis 0 with size 3") == 2, done.stdout
