"""`jitlab` on the command line: compile, stages, opt, run, verify (in-process through `main`),
and one run of the console entry point as a subprocess."""
from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import pytest

from jitlab.cli import main
from jitlab.ir import parse, print_module

SOURCE = textwrap.dedent("""\
    def g(n):
        s = 0
        for i in range(n):
            s += i * i
        return s

    def sq(n):
        return n * n + 1
""")

DIV = textwrap.dedent("""\
    module {
      func @h(%a, %io: !io) {
        %z = py.const {value = 0} ()
        %r, %io.1 = py.binop {op = "//"} (%a, %z, %io)
        return (%r, %io.1)
      }
    }
""")


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "funcs.py"
    path.write_text(SOURCE)
    return path


def run(capsys, *argv, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def emit(capsys, source, func, stage, sig="(int64,)"):
    rc, out, _ = run(capsys, "compile", f"{source}:{func}", "--sig", sig, "--emit", stage)
    assert rc == 0
    return out


def test_stages_lists_every_stage(capsys):
    rc, out, _ = run(capsys, "stages")
    assert rc == 0
    assert [line.split()[0] for line in out.splitlines()][:5] == ["source", "bytecode", "flow", "regions",
                                                                 "rvsdg"]


def test_compile_emits_ir_that_parses(capsys, source):
    text = emit(capsys, source, "g", "rvsdg")
    assert print_module(parse(text)) == text


def test_compile_emits_several_stages_with_headers(capsys, source):
    rc, out, _ = run(capsys, "compile", f"{source}:sq", "--sig", "(int64,)", "--emit", "rvsdg,typed")
    assert rc == 0
    assert ";; ---- rvsdg ----" in out and ";; ---- typed ----" in out and "i64" in out


def test_compile_rejects_unknown_stage(capsys, source):
    rc, _, err = run(capsys, "compile", f"{source}:g", "--sig", "(int64,)", "--emit", "nope")
    assert rc == 2 and "unknown stage" in err


def test_opt_without_passes_round_trips(capsys, source, tmp_path):
    text = emit(capsys, source, "g", "rvsdg")
    path = tmp_path / "g.jir"
    path.write_text(text)
    rc, out, _ = run(capsys, "opt", "-p", "", str(path))
    assert rc == 0 and out == text


def test_opt_runs_passes_by_name_from_stdin(capsys, source, monkeypatch):
    text = emit(capsys, source, "g", "rvsdg")
    rc, out, err = run(capsys, "opt", "-p", "dne,cne", "--stats", "-", stdin=text, monkeypatch=monkeypatch)
    assert rc == 0
    parse(out)
    assert [line.split()[0] for line in err.splitlines()] == ["dne", "cne"]


def test_opt_rejects_unknown_pass(capsys, tmp_path):
    path = tmp_path / "h.jir"
    path.write_text(DIV)
    rc, _, err = run(capsys, "opt", "-p", "nope", str(path))
    assert rc == 2 and "nope" in err


def test_opt_writes_output_file(capsys, tmp_path):
    src, dst = tmp_path / "h.jir", tmp_path / "out.jir"
    src.write_text(DIV)
    assert run(capsys, "opt", "-p", "", str(src), "-o", str(dst))[0] == 0
    assert dst.read_text() == DIV


def test_run_interprets_untyped_and_typed_ir(capsys, source, tmp_path):
    untyped, typed = tmp_path / "sq.rvsdg.jir", tmp_path / "sq.typed.jir"
    untyped.write_text(emit(capsys, source, "sq", "rvsdg"))
    typed.write_text(emit(capsys, source, "sq", "typed"))
    assert run(capsys, "run", str(untyped), "sq", "3037000500")[:2] == (0, "9223372037000250001\n")
    rc, _, err = run(capsys, "run", str(typed), "sq", "3037000500")  # int64 does not hold it
    assert rc == 1 and err.startswith("OverflowError: integer overflow")
    rc, out, _ = run(capsys, "run", str(typed), "sq", "3037000500", "--overflow", "wrap")
    assert (rc, out) == (0, "-9223372036709301615\n")


def test_run_reports_the_programs_exception(capsys, monkeypatch):
    rc, _, err = run(capsys, "run", "-", "h", "3", stdin=DIV, monkeypatch=monkeypatch)
    assert rc == 1
    try:
        3 // (3 - 3)
    except ZeroDivisionError as exc:  # this CPython's own wording (3.14 changed it)
        expected = f"ZeroDivisionError: {exc}"
    assert err.strip() == expected


def test_run_steps_prints_events(capsys, source, tmp_path):
    path = tmp_path / "g.jir"
    path.write_text(emit(capsys, source, "g", "rvsdg"))
    rc, out, _ = run(capsys, "run", str(path), "g", "2", "--steps")
    lines = out.splitlines()
    assert rc == 0 and lines[-1] == "1"
    assert lines[0].startswith("@g enter (%n=2")
    assert any(":theta#1" in line for line in lines)


def test_run_arguments_are_literals(capsys, monkeypatch):
    text = DIV.replace('"//"', '"+"').replace("value = 0", "value = 1")
    rc, out, _ = run(capsys, "run", "-", "h", "nan", stdin=text, monkeypatch=monkeypatch)
    assert (rc, out.strip()) == (0, "nan")
    rc, _, err = run(capsys, "run", "-", "h", "abc", stdin=text, monkeypatch=monkeypatch)
    assert rc == 2 and "not a Python literal" in err


def test_verify_accepts_and_rejects(capsys, tmp_path):
    good, bad = tmp_path / "good.jir", tmp_path / "bad.jir"
    good.write_text(DIV)
    bad.write_text(DIV.replace("(%r, %io.1)", "(%nowhere, %io.1)"))
    assert run(capsys, "verify", str(good))[:2] == (0, "ok: 1 function verified\n")
    rc, _, err = run(capsys, "verify", str(bad))
    assert rc == 1 and "[V4]" in err


def test_parse_error_names_line_and_column(capsys, tmp_path):
    path = tmp_path / "broken.jir"
    path.write_text("module {\n  func @f( {\n}\n")
    rc, _, err = run(capsys, "verify", str(path))
    assert rc == 1 and "line 2, col" in err


def test_console_entry_point_as_subprocess(source):
    compile_g = ["compile", f"{source}:g", "--sig", "(int64,)", "--emit", "rvsdg"]
    compiled = subprocess.run([sys.executable, "-m", "jitlab.cli", *compile_g],
                              capture_output=True, text=True, check=True)
    result = subprocess.run([sys.executable, "-m", "jitlab.cli", "run", "-", "g", "10"],
                            input=compiled.stdout, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "285"
