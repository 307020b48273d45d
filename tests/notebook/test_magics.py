"""`%%jit` through IPython's InteractiveShell, as a notebook kernel runs it."""
from __future__ import annotations

import pytest
from IPython.core.error import UsageError

import jitlab
from jitlab.errors import JitlabError
from jitlab.notebook.magics import parse_show, signatures_for
from jitlab.pipeline import STAGE_NAMES


@pytest.fixture
def ip(ipython_shell):
    return ipython_shell


def run(ip, capsys, cell: str):
    """Run a cell; return (result, everything it printed)."""
    result = ip.run_cell(cell)
    captured = capsys.readouterr()
    return result, captured.out + captured.err


def test_eager_cell_compiles_and_binds(ip, capsys):
    result, out = run(ip, capsys, '%%jit -s "int64(int64)"\ndef add3(n):\n    return n + 3\n')
    assert result.success, out
    add3 = ip.user_ns["add3"]
    assert isinstance(add3, jitlab.Dispatcher)
    assert add3(4) == 7
    assert add3.py_func(4) == 7
    assert "add3(" in out and "ms" in out


def test_lazy_cell_compiles_on_first_call(ip, capsys):
    result, out = run(ip, capsys, "%%jit\ndef square(x):\n    return x * x\n")
    assert result.success, out
    assert "lazy" in out
    assert ip.user_ns["square"].signatures == []
    result, out = run(ip, capsys, "sq_result = square(3.5)")
    assert result.success, out
    assert ip.user_ns["sq_result"] == 12.25
    assert len(ip.user_ns["square"].signatures) == 1


def test_cell_keeps_its_other_statements_and_globals(ip, capsys):
    cell = "%%jit\nSCALE = 3\ndef scaled(x):\n    return x * SCALE\n"
    result, out = run(ip, capsys, cell)
    assert result.success, out
    assert ip.user_ns["SCALE"] == 3
    assert ip.user_ns["scaled"](5) == 15


def test_show_prints_stage_headings(ip, capsys):
    cell = '%%jit -s "float64(float64)" --show rvsdg,llvm-opt\ndef halve(x):\n    return x / 2.0\n'
    result, out = run(ip, capsys, cell)
    assert result.success, out
    assert "rvsdg: halve(" in out
    assert "llvm-opt: halve(" in out
    assert "bytecode: halve(" not in out
    assert ip.user_ns["halve"](3.0) == 1.5


def test_show_for_a_lazy_function_prints_after_the_first_call(ip, capsys):
    result, out = run(ip, capsys, "%%jit --show typed\ndef twice(x):\n    return 2 * x\n")
    assert result.success, out
    assert "typed: twice(" not in out
    result, out = run(ip, capsys, "twice(21)")
    assert result.success, out
    assert "typed: twice(" in out
    _, out = run(ip, capsys, "twice(1)")
    assert "typed: twice(" not in out  # once only


def test_signature_for_one_named_function(ip, capsys):
    cell = ('%%jit -s "inc:int64(int64)"\n'
            "def inc(n):\n    return n + 1\n"
            "def dec(n):\n    return n - 1\n")
    result, out = run(ip, capsys, cell)
    assert result.success, out
    assert len(ip.user_ns["inc"].signatures) == 1
    assert ip.user_ns["dec"].signatures == []
    assert ip.user_ns["dec"](1) == 0


def test_unsupported_construct_shows_message_and_keeps_namespace(ip, capsys):
    result, out = run(ip, capsys, '%%jit -s "int64(int64)"\ndef kept(n):\n    return n * 2\n')
    assert result.success, out
    before = ip.user_ns["kept"]

    cell = ('%%jit -s "int64(int64)"\n'
            "added_by_failed_cell = 1\n"
            "def kept(n):\n"
            "    yield n\n")
    result, out = run(ip, capsys, cell)
    assert not result.success
    assert isinstance(result.error_in_exec, JitlabError)
    assert str(result.error_in_exec).splitlines()[0] in out
    assert "Traceback" not in out
    assert "jitlab/" not in out  # no internal frames
    assert ip.user_ns["kept"] is before
    assert ip.user_ns["kept"](21) == 42
    assert "added_by_failed_cell" not in ip.user_ns


def test_debug_shows_the_traceback(ip, capsys):
    cell = '%%jit --debug -s "int64(int64)"\ndef gen_debug(n):\n    yield n\n'
    result, out = run(ip, capsys, cell)
    assert not result.success
    assert isinstance(result.error_in_exec, JitlabError)
    assert "Traceback" in out
    assert "gen_debug" not in ip.user_ns


def test_error_on_the_first_call_of_a_lazy_function_shows_message_only(ip, capsys):
    result, out = run(ip, capsys, "%%jit\ndef gen_lazy(n):\n    yield n\n")
    assert result.success, out
    result, out = run(ip, capsys, "gen_lazy(1)")
    assert isinstance(result.error_in_exec, JitlabError)
    assert "Traceback" not in out


def test_unknown_stage_is_a_usage_error(ip, capsys):
    result, out = run(ip, capsys, "%%jit --show nonsense\ndef unused(n):\n    return n\n")
    assert isinstance(result.error_in_exec, UsageError)
    assert "nonsense" in out
    assert "unused" not in ip.user_ns


def test_parse_show():
    assert parse_show("rvsdg, llvm-opt") == ("rvsdg", "llvm-opt")
    assert parse_show("all") == STAGE_NAMES
    assert parse_show(None) == ()
    with pytest.raises(UsageError, match="nonsense"):
        parse_show("rvsdg,nonsense")


def test_signatures_for():
    sigs = ("int64(int64)", "f:float64(float64)", "g:int64(int64, int64)")
    assert signatures_for("f", sigs) == ("int64(int64)", "float64(float64)")
    assert signatures_for("h", sigs) == ("int64(int64)",)
