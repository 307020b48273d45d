"""`%%jit` through IPython's InteractiveShell, as a notebook kernel runs it."""
from __future__ import annotations

import pytest
from IPython.core.error import UsageError

import jitlab
from jitlab.errors import JitlabError
from jitlab.notebook.magics import parse_show, signatures_for, split_signature
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


def test_array_signatures_are_not_read_as_function_names():
    assert split_signature("void(float64[::1], float64[:])") == (None, "void(float64[::1], float64[:])")
    assert split_signature("k:void(float64[::1])") == ("k", "void(float64[::1])")
    assert signatures_for("k", ("void(float32[:, ::1])",)) == ("void(float32[:, ::1])",)


def test_parse_show_for_cuda_knows_the_ptx_stages():
    assert parse_show("ptx,ptx-resources", "cuda") == ("ptx", "ptx-resources")
    assert "ptx" in parse_show("all", "cuda") and "llvm-opt" not in parse_show("all", "cuda")
    with pytest.raises(UsageError, match="--target cpu"):
        parse_show("ptx", "cpu")


LOOP_CELL = ("def walk(n):\n"
             "    s = 0\n"
             "    for i in range(n):\n"
             "        if i % 2 == 0:\n"
             "            s += i\n"
             "    return s\n")


def test_help_lists_every_option(ip):
    doc = ip.find_cell_magic("jit").__doc__
    for option in ("--signature", "--target", "--show", "--passes", "--no-cache", "--force", "--fastmath",
                   "--no-boundscheck", "--explore", "--annotate", "--debug"):
        assert option in doc, option


def test_summary_is_html_and_text(ip, capsys):
    from IPython.core.formatters import format_display_data

    result, out = run(ip, capsys, '%%jit -s "int64(int64)"\n' + LOOP_CELL)
    assert result.success, out
    assert "walk(i64) -> i64" in out
    from jitlab.notebook.summary import CompileSummary

    data, _ = format_display_data(CompileSummary([], ()))
    assert {"text/plain", "text/html"} <= set(data)


def test_annotate_eager(ip, capsys):
    result, out = run(ip, capsys, '%%jit --annotate -s "int64(int64)"\n' + LOOP_CELL)
    assert result.success, out
    assert "IR nodes | LLVM instructions" in out
    assert "s += i" in out


def test_explore_eager_displays_the_explorer(ip, capsys):
    result, out = run(ip, capsys, '%%jit --explore -s "int64(int64)"\n' + LOOP_CELL)
    assert result.success, out
    assert "<jitlab explorer walk(i64): source, bytecode" in out


def test_annotate_lazy_shows_after_first_call(ip, capsys):
    result, out = run(ip, capsys, "%%jit --annotate\n" + LOOP_CELL)
    assert result.success, out
    assert "IR nodes" not in out and "shown after the first call" in out
    result, out = run(ip, capsys, "walk(10)")
    assert result.success, out
    assert "IR nodes | LLVM instructions" in out
    _, out = run(ip, capsys, "walk(1.0)")
    assert "IR nodes" not in out  # once only


def test_target_cpu_is_the_default(ip, capsys):
    result, out = run(ip, capsys, "%%jit --target cpu\ndef on_cpu(n):\n    return n\n")
    assert result.success, out
    assert isinstance(ip.user_ns["on_cpu"], jitlab.Dispatcher)


def test_no_cache_compiles_without_the_cache(ip, capsys):
    cell = '%%jit --no-cache -s "int64(int64)"\ndef uncached(n):\n    return n\n'
    result, out = run(ip, capsys, cell)
    assert result.success, out
    assert ip.user_ns["uncached"](3) == 3
    assert ip.user_ns["uncached"].last_compile.cache is None
    assert "cache off" in out


def test_summary_says_cache_hit_or_miss_and_force_recompiles(ip, capsys):
    cell = '%%jit -s "int64(int64)"\ndef hit_me(n):\n    return n * 3\n'
    result, out = run(ip, capsys, cell)
    assert result.success, out
    assert "cache miss: no entry for this function and signature" in out
    result, out = run(ip, capsys, cell)
    assert "cache hit" in out and "cache miss" not in out
    assert ip.user_ns["hit_me"](2) == 6
    result, out = run(ip, capsys, cell.replace("n * 3", "n * 4"))
    assert "cache miss: code changed" in out
    assert ip.user_ns["hit_me"](2) == 8
    result, out = run(ip, capsys, cell.replace("%%jit", "%%jit --force").replace("n * 3", "n * 4"))
    assert result.success, out
    assert ip.user_ns["hit_me"].wait_optimized()  # (the entry is written in the background)
    assert "cache miss" in out and ip.user_ns["hit_me"].last_compile.cache.status == "stored"
    result, out = run(ip, capsys, cell.replace("n * 3", "n * 4"))  # --force stored a fresh entry
    assert "cache hit" in out


def test_passes_option(ip, capsys):
    cell = '%%jit --passes dne,cne -s "int64(int64)"\ndef passed(n):\n    return n + 1\n'
    result, out = run(ip, capsys, cell)
    assert result.success, out
    assert ip.user_ns["passed"](1) == 2
    assert [r.name for r in ip.user_ns["passed"].last_compile.pass_records] == ["dne", "cne"]


def test_jit_explore_line_magic(ip, capsys):
    result, out = run(ip, capsys, '%%jit\n' + LOOP_CELL)
    assert result.success, out
    explorer = ip.run_line_magic("jit_explore", "walk 7")
    from jitlab.notebook import Explorer

    assert isinstance(explorer, Explorer)
    assert "llvm-opt" in explorer.stages
    result, out = run(ip, capsys, '%jit_explore walk "int64(int64)"')
    assert result.success, out
    result, out = run(ip, capsys, "%jit_explore no_such_function 1")
    assert isinstance(result.error_in_exec, UsageError) and "no_such_function" in out


def test_typing_error_shows_the_cell_line_with_a_caret(ip, capsys):
    cell = '%%jit -s "int64(int64)"\ndef bad_call(n):\n    return n + len\n'
    result, out = run(ip, capsys, cell)
    assert not result.success
    assert isinstance(result.error_in_exec, JitlabError)
    assert "Traceback" not in out
    assert "line 3" in out and "return n + len" in out


def test_a_pass_written_in_a_cell_runs_from_jit_passes(ip, capsys):
    """Issue 4 item 5: a user pass defined in one cell changes a function compiled in another."""
    define = '''
from dataclasses import replace
from jitlab.ir import Op
from jitlab.passes import module_pass
from jitlab.passes.rewrite import map_functions

@module_pass("cell-sevens-to-eights")
def sevens_to_eights(module):
    def region(r):
        nodes = []
        for n in r.nodes:
            if isinstance(n, Op) and n.op == "py.const" and n.attr("value") == 7 \\
                    and type(n.attr("value")) is int:
                n = replace(n, attrs=(("value", 8),))
            nodes.append(n)
        return replace(r, nodes=tuple(nodes))
    return map_functions(module, lambda fn: replace(fn, body=region(fn.body)))
'''
    result, out = run(ip, capsys, define)
    assert result.success, out
    result, out = run(ip, capsys, '%%jit --no-cache --passes cell-sevens-to-eights,dne -s "int64(int64)"\n'
                                  'def plus_seven(n):\n    return n + 7\n')
    assert result.success, out
    compiled = ip.user_ns["plus_seven"]
    assert compiled(1) == 9                      # the cell's pass turned 7 into 8
    assert compiled.py_func(1) == 8
    records = compiled.last_compile.pass_records
    assert [r.name for r in records] == ["cell-sevens-to-eights", "dne"]
    assert records[0].changed and "value = 8" in records[0].after
