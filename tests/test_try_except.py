"""`try` statements in compiled code, beyond the scalar differential corpus.

The scalar forms run three ways in `test_three_way.py` (`differential_corpus`, the try/except
section). Here: the array functions of the frontend's control-flow corpus (an `IndexError` from a
bounds check caught by `except IndexError`/`except LookupError`), run by CPython, the IR
interpreter on the untyped and the typed stage, and native code; the protocol of `catch = true`
and `py.catch` in the interpreter; and the forms that stay unsupported, which must name the
construct, the line and the Python version.
"""
from __future__ import annotations

import copy
import sys
from pathlib import Path

import numpy as np
import pytest
from differential_support import disagreement, outcome

import jitlab
from jitlab.dispatch import typeof
from jitlab.errors import UnsupportedError
from jitlab.frontend import to_rvsdg
from jitlab.ir import parse, verify
from jitlab.ir.interpreter import Interpreter

sys.path.insert(0, str(Path(__file__).parent / "frontend"))
import control_flow_corpus as corpus

CASES = [(f, args) for f, argsets in corpus.CASES if f.__name__.startswith("try_") for args in argsets]
IDS = [f"{f.__name__}-{k}" for k, (f, _) in enumerate(CASES)]


def _native(func):
    return jitlab.jit(func)


def _plain(value):
    """NumPy scalars as Python's (CPython returns `np.float64` where jitlab returns `float`)."""
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value.item() if isinstance(value, np.generic) else value


@pytest.mark.parametrize(("func", "args"), CASES, ids=IDS)
def test_try_with_arrays_agrees_four_ways(func, args):
    kind, value = outcome(func, copy.deepcopy(args))
    expected = (kind, _plain(value))
    compiled = _native(func)
    typed = compiled.compile(tuple(typeof(a) for a in args)).record.artefacts["typed"]
    verify(typed)
    ways = {
        "native": lambda *a: compiled(*a),
        "interpreter on rvsdg": lambda *a: Interpreter(to_rvsdg(func)).call(func.__name__, *a),
        "interpreter on typed": lambda *a: Interpreter(typed).call(func.__name__, *a),
    }
    for way, run in ways.items():
        kind, value = outcome(run, copy.deepcopy(args))
        why = disagreement(expected, (kind, _plain(value)))
        assert why is None, f"{way}: CPython {why}"


def test_caught_op_leaves_its_exception_on_the_state():
    module = parse("""module {
  func @f(%a, %b, %io: !io) {
    %t, %io.1 = py.binop {op = "//", catch = true} (%a, %b, %io)
    %caught, %e, %io.2 = py.catch (%io.1)
    %m, %io.3 = py.exc_match {exc = ("ArithmeticError",)} (%e, %io.2)
    %r, %io.4 = gamma %caught (%t, %m, %io.3) {
    ^(%t.1, %m.1, %io.5):
      yield (%t.1, %io.5)
    ^(%t.2, %m.2, %io.6):
      yield (%m.2, %io.6)
    }
    return (%r, %io.4)
  }
}""")
    verify(module)
    assert Interpreter(module).call("f", 7, 2) == 3
    assert Interpreter(module).call("f", 7, 0) is True  # ZeroDivisionError is an ArithmeticError


def test_uncaught_op_and_reraise_reach_the_caller():
    module = parse("""module {
  func @f(%a, %b, %io: !io) {
    %t, %io.1 = py.binop {op = "//", catch = true} (%a, %b, %io)
    %caught, %e, %io.2 = py.catch (%io.1)
    %r, %io.3 = gamma %caught (%t, %e, %io.2) {
    ^(%t.1, %e.1, %io.4):
      yield (%t.1, %io.4)
    ^(%t.2, %e.2, %io.5):
      %io.6 = py.reraise (%e.2, %io.5)
      yield (%t.2, %io.6)
    }
    %u, %io.7 = py.binop {op = "//"} (%r, %b, %io.3)
    return (%u, %io.7)
  }
}""")
    verify(module)
    with pytest.raises(ZeroDivisionError):
        Interpreter(module).call("f", 7, 0)


def _exec(src: str):
    ns = {"np": np}
    exec(compile(src, "<try-test>", "exec"), ns)
    return ns["f"]


@pytest.mark.parametrize(("src", "construct", "line"), [
    ("def f(x):\n    try:\n        y = 1 // x\n    except ValueError as e:\n        y = 0\n        return e\n"
     "    return y\n", "with e used as a value", 6),
    ("def f(x):\n    try:\n        y = 1 // x\n    except ZeroDivisionError as e:\n        y = e\n"
     "    return y\n", "with e used as a value", 5),
    ("def f(x):\n    y = 0\n    try:\n        y = 1 // x\n    except* ValueError:\n        y = 0\n"
     "    return y\n", "except*", 5),
    ("def f(x):\n    y = 0\n    with x:\n        y = 1\n    return y\n", "with statement", 3),
    ("def f(x):\n    try:\n        y = 1 // x\n    except ZeroDivisionError:\n"
     "        raise ValueError('no') from None\n    return y\n", "raise ... from", 5),
    ("def f(x):\n    y = x\n    raise\n", "bare raise", 3),
    ("def f(x):\n    try:\n        y = 1 // x\n    except np.exceptions.AxisError:\n        y = 0\n"
     "    return y\n", "numpy.exceptions.AxisError", 4),
])
def test_unsupported_try_forms_name_construct_line_and_version(src, construct, line):
    func = _exec(src)
    with pytest.raises(UnsupportedError) as err:
        jitlab.jit(func)(1)
    version = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
    assert construct in str(err.value) and version in str(err.value), str(err.value)
    assert err.value.line == line, str(err.value)
