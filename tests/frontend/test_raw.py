"""The fast raw-instruction reader (`bytecode/raw.py`) against `dis.get_instructions`: the same
instructions (opname, opcode, argument, argument value, offset, source position) for every
corpus function, on whichever Python runs the tests."""
import dis
import importlib
import sys
from pathlib import Path

import pytest

from jitlab.frontend.bytecode import raw

import control_flow_corpus
import corpus

sys.path.insert(0, str(Path(__file__).parents[1]))
import differential_corpus

_MINOR = f"py3{sys.version_info[1]}"
FORMAT = importlib.import_module(f"jitlab.frontend.bytecode.{_MINOR}").FORMAT


def _functions():
    seen = []
    for func, _ in [*corpus.CORPUS, *differential_corpus.CASES, *control_flow_corpus.CASES]:
        if func not in seen:
            seen.append(func)
    return seen


def _codes(code):
    yield code
    for c in code.co_consts:
        if hasattr(c, "co_code"):
            yield from _codes(c)


def _check(code):
    mine = raw.get_instructions(code, FORMAT)
    theirs = list(dis.get_instructions(code))
    assert [r.offset for r in mine] == [r.offset for r in theirs]
    for m, t in zip(mine, theirs):
        assert (m.opname, m.opcode, m.arg) == (t.opname, t.opcode, t.arg), t
        if t.opname == "EXTENDED_ARG":  # dis gives the folded argument only to the instruction
            continue
        if type(t.argval).__name__ != "_Unknown":  # 3.11's dis leaves KW_NAMES' constant unread
            assert type(m.argval) is type(t.argval) and m.argval == t.argval or m.argval is t.argval, t
        assert tuple(m.positions) == tuple(t.positions), t
        assert m.line == t.positions.lineno and m.col == t.positions.col_offset


@pytest.mark.parametrize("func", _functions(), ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_reader_agrees_with_dis(func):
    for code in _codes(func.__code__):
        _check(code)


def test_extended_arg_and_many_constants():
    """A function with more than 256 constants and long jumps: EXTENDED_ARG on both."""
    lines = ["def big(x):", "    s = 0"]
    lines += [f"    if x > {k}.5:\n        s = s + {k}.25" for k in range(300)]
    lines += ["    while s > 0:", "        s = s - 1.5", "    return s"]
    namespace: dict = {}
    exec("\n".join(lines), namespace)
    code = namespace["big"].__code__
    assert any(i.opname == "EXTENDED_ARG" for i in dis.get_instructions(code))
    _check(code)


def test_argrepr_comes_from_dis():
    def f(a):
        return a + 1
    binop = next(r for r in raw.get_instructions(f.__code__, FORMAT) if r.opname == "BINARY_OP")
    assert binop.argrepr == "+"
