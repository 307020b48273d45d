"""Decoding: version-free vocabulary, superinstructions, errors for unknown opcodes."""
import sys

import pytest

from jitlab.errors import UnsupportedBytecode, UnsupportedError
from jitlab.frontend import decode
from jitlab.frontend.bytecode import common
from jitlab.frontend.bytecode.instructions import VOCABULARY


def ops(func):
    return [(i.op, i.arg) for i in decode(func).instructions if i.op != "nop"]


def test_same_vocabulary_on_every_version():
    def f(a, b):
        return a + b
    assert ops(f) == [("load_local", "a"), ("load_local", "b"), ("binary", "+"), ("return", None)]


def test_superinstruction_is_split_at_one_offset():
    def f(a, b):
        x, y = a, b  # noqa: F841 - 3.13 emits STORE_FAST_STORE_FAST / LOAD_FAST_LOAD_FAST
        return a * b
    loads = [i for i in decode(f).instructions if i.op == "load_local" and i.arg in ("a", "b")]
    assert [i.arg for i in loads][-2:] == ["a", "b"]
    if sys.version_info >= (3, 13):
        last_two = loads[-2:]
        assert last_two[0].offset == last_two[1].offset and (last_two[0].part, last_two[1].part) == (0, 1)
        assert last_two[0].opname in ("LOAD_FAST_LOAD_FAST", "LOAD_FAST_BORROW_LOAD_FAST_BORROW")


def test_return_const_and_implicit_none():
    def f(x):
        if x:
            return None
    d = decode(f)
    assert ("const", None) in [(i.op, i.arg) for i in d.instructions]
    assert all(i.op in VOCABULARY for i in d.instructions)


def g(a, key=0):
    return a


def test_calls_with_keywords_and_null():
    def f(a):
        return g(a, key=2)
    calls = [i for i in decode(f).instructions if i.op == "call"]
    assert len(calls) == 1
    nargs, kwnames, _ = calls[0].arg
    assert (nargs, kwnames) == (2, ("key",))
    assert "push_null" in [op for op, _ in ops(f)]


def test_compare_and_binary_arguments():
    def f(a, b):
        a += b
        return (a <= b) + (a is not b) + (a != b) + a ** b + a // b
    got = ops(f)
    assert ("compare", "<=") in got and ("compare", "isnot") in got and ("compare", "!=") in got
    assert ("binary", "+") in got and ("binary", "**") in got and ("binary", "//") in got


def test_listing_names_ops_and_lines():
    def f(a):
        return -a
    text = str(decode(f))
    version = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
    assert "unary" in text and "load_local" in text and version in text


@pytest.mark.parametrize("src, construct", [
    ("def f(x):\n    yield x\n", "generator"),
    ("def f(x):\n    with x:\n        pass\n", "with"),
    ("def f(x):\n    try:\n        x = 1 // x\n    except* ValueError:\n        x = 0\n    return x\n",
     "except*"),
    ("def f(x):\n    class A:\n        pass\n    return x\n", "class"),
    # a lambda capturing the comprehension's variable: 3.12+ make its cell inside the inlined loop
    ("def f(x):\n    return [lambda: i for i in x]\n",
     "defined inside a comprehension|LOAD_FAST_AND_CLEAR outside an inlined comprehension"),
    ("def f(x):\n    return sum([(lambda y: y)(i) for i in x])\n", "defined inside a comprehension"),
    ("def f(x):\n    def g(y: int):\n        return y\n    return g(x)\n",
     "annotations on the nested function g"),
    ("def f(x):\n    a, *b = x\n    return a\n", "starred unpacking"),
    ("def f(x):\n    return [*x]\n", "list display"),
    ("def f(x):\n    return {**x}\n", "dict display"),
])
def test_unsupported_constructs_are_named(src, construct):
    ns = {}
    exec(compile(src, "<test>", "exec"), ns)
    with pytest.raises(UnsupportedError) as err:
        decode(ns["f"])
    text = str(err.value)
    assert any(c in text for c in construct.split("|")), text


def test_unknown_opcode_names_opcode_line_and_version(monkeypatch):
    def f(a):
        b = a + 1
        return b
    real = common.get_instructions  # the decoder's reader of raw instructions (bytecode/raw.py)

    def future(code, fmt):
        out = real(code, fmt)
        k = next(k for k, r in enumerate(out) if r.opname == "BINARY_OP")
        out[k] = out[k]._replace(opname="BINARY_FUTURE_OP")
        return out

    monkeypatch.setattr(common, "get_instructions", future)
    with pytest.raises(UnsupportedBytecode) as err:
        decode(f)
    e = err.value
    assert e.opname == "BINARY_FUTURE_OP"
    assert e.line == f.__code__.co_firstlineno + 1
    version = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
    assert "BINARY_FUTURE_OP" in str(e) and version in str(e) and "b = a + 1" in str(e)


def test_tuple_assignment_folds_to_stack_moves():
    def f(a, b, c, d):
        a, b, c, d = d, c, b, a
        x, y = 1, 2
        return a + b + c + d + x + y
    got = ops(f)
    assert ("reverse", 4) in got
    assert not any(op == "const" and isinstance(arg, tuple) for op, arg in got)
    assert {("const", 1), ("const", 2)} <= set(got)


@pytest.mark.parametrize("src, construct, line", [
    ("def f(x):\n    y = x + 1\n    yield y\n", "yield", 3),
    ("async def f(x):\n    y = x\n    await y\n", "await", 3),
    ("def f(x):\n    y = x\n    with y:\n        pass\n", "with", 3),
    ("def f(x):\n    y = x\n    class A:\n        pass\n    return y\n", "class", 3),
    ("def f(x):\n    y = x\n    import math\n    return y\n", "import", 3),
    ("def f(x):\n    y = x\n    raise\n", "bare raise", 3),
    ("def f(x):\n    y = x\n    raise ValueError from y\n", "raise ... from", 3),
    ("def f(x):\n    y = x\n    del y\n    return x\n", "del statement", 3),
    ("def f(x):\n    y = x\n    a, *b = y\n    return a\n", "starred unpacking", 3),
    ("def f(x):\n    y = x\n    return {**y}\n", "dict display", 3),
    ("def f(x):\n    y = x\n    try:\n        y = 1 // y\n    except ValueError as e:\n        y = 0\n"
     "        return e\n", "except ... as e` with e used as a value", 7),
    ("def f(x):\n    y = x\n    try:\n        y = 1 // y\n    except* ValueError:\n        y = 0\n"
     "    return y\n", "except* (exception group)", 5),
    ("def f(x):\n    y = x\n    try:\n        y = 1 // y\n    finally:\n        with y:\n"
     "            pass\n    return y\n", "with", 6),
])
def test_unsupported_names_construct_line_and_version(src, construct, line):
    ns = {}
    exec(compile(src, "<test>", "exec"), ns)
    with pytest.raises(UnsupportedError) as err:
        decode(ns["f"])
    e = err.value
    version = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
    assert construct in str(e) and version in str(e), str(e)
    assert e.line == line, str(e)
