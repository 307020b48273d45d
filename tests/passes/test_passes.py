"""Golden tests per pass (input `.jir` → `.expected`, `pytest --bless` rewrites them), round trips,
the verifier after every pass, the pass manager's records, and user-defined passes in `jitlab.jit`."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

import jitlab
from jitlab.frontend import to_rvsdg
from jitlab.ir import Op, parse, print_module, verify
from jitlab.passes import (
    CANONICAL_PIPELINE, DEFAULT_PIPELINE, Canonicalize, FunctionPass, PassManager, get_pass, module_pass,
    registered_passes,
)

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*/*.jir"))
sys.path.insert(0, str(Path(__file__).parents[1] / "frontend"))
import corpus  # noqa: E402


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden(path: Path, request):
    module = parse(path.read_text())
    verify(module)
    assert parse(print_module(module)) == module
    out, records = PassManager([path.parent.name], verify=True).run(module)
    text = print_module(out)
    expected = path.with_suffix(".expected")
    if request.config.getoption("--bless", default=False):
        expected.write_text(text)
    assert expected.exists(), f"missing {expected.name}; run pytest --bless"
    assert text == expected.read_text()
    assert parse(text) == out
    assert records[0].changed == (out != module)


def test_every_pass_has_golden_files():
    assert {p.parent.name for p in CASES} >= {"canon", "dne", "cne", "fold", "ivr", "hoist", "inline",
                                              "ranges"}


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_default_pipeline_verifies_and_is_stable(path: Path):
    module = parse(path.read_text())
    out, _ = PassManager([*DEFAULT_PIPELINE, "inline", *DEFAULT_PIPELINE, "canon"], verify=True).run(module)
    again, records = PassManager(["canon", *DEFAULT_PIPELINE], verify=True).run(out)
    assert not records[0].changed, "canon is idempotent"
    assert not any(r.changed for r in records[1:]), "a second round of the default pipeline finds nothing"


@pytest.mark.parametrize("func, argsets", corpus.CORPUS, ids=lambda x: getattr(x, "__name__", ""))
def test_all_passes_on_the_frontend_corpus(func, argsets):
    module = to_rvsdg(func)
    names = ["canon", *registered_passes()]
    out, records = PassManager([n for n in names if n in registered_passes()], verify=True).run(module)
    assert parse(print_module(out)) == out
    assert [r.name for r in records] == names


def test_records_and_diff():
    module = parse((GOLDEN / "fold" / "constants.jir").read_text())
    out, records = PassManager(["fold", "fold"]).run(module)
    first, second = records
    assert first.changed and not second.changed
    assert first.after == second.before == print_module(out) and first.time_ms >= 0
    assert first.diff().startswith("--- before fold") and second.diff() == ""
    assert "fold" in str(first)


def test_verify_names_the_pass_that_broke_an_invariant():
    @module_pass("break-names")
    def break_names(module):
        """Give the constant the parameter's name: two definitions of %a (V3)."""
        return parse(print_module(module).replace("%c = ", "%a = ").replace("(%c, %io)", "(%a, %io)"))

    module = parse("module {\n  func @f(%a, %io: !io) {\n    %c = py.const {value = 1} ()\n"
                   "    return (%c, %io)\n  }\n}\n")
    with pytest.raises(jitlab.errors.VerificationError, match="after pass 'break-names'"):
        PassManager(["break-names"], verify=True).run(module)


def test_registry_and_default_pipeline_are_plain_data():
    assert isinstance(DEFAULT_PIPELINE, list) and all(isinstance(n, str) for n in DEFAULT_PIPELINE)
    assert get_pass("canon") == Canonicalize()
    with pytest.raises(KeyError, match="no pass named"):
        get_pass("no-such-pass")


def test_canonical_text_is_what_the_rvsdg_stage_shows():
    def f(x):
        if x > 0:
            r = x * 2
        else:
            r = -x
        return r

    text = jitlab.stages(f, 3)["rvsdg"]
    assert text == print_module(PassManager(CANONICAL_PIPELINE, verify=True).run(to_rvsdg(f))[0])
    assert "%$ret" in text  # the value that only flows to the return


def test_opt_stage_keeps_pass_records():
    @jitlab.jit(cache=False)  # a cache hit skips the stages and so has no pass records
    def f(n):
        s = 0
        for i in range(n):
            s += i * 1 + 0
        return s

    assert f(10) == 45
    record = f.last_compile
    assert [r.name for r in record.pass_records] == DEFAULT_PIPELINE
    assert any(r.changed for r in record.pass_records)
    assert list(record.texts).index("opt") == list(record.texts).index("typed") + 1


def test_user_pass_from_a_decorated_function_changes_the_compiled_function():
    @module_pass("twos-to-threes")
    def twos_to_threes(module):
        """Every integer constant 2 becomes 3 (a toy, to see a user pass take effect)."""
        from dataclasses import replace

        from jitlab.passes.rewrite import map_functions

        def region(r):
            nodes = []
            for n in r.nodes:
                if isinstance(n, Op) and n.op == "py.const" and type(n.attr("value")) is int \
                        and n.attr("value") == 2:
                    n = replace(n, attrs=(("value", 3),))
                elif not isinstance(n, Op):
                    n = replace(n, **({"branches": tuple(map(region, n.branches))} if hasattr(n, "branches")
                                      else {"body": region(n.body)}))
                nodes.append(n)
            return replace(r, nodes=tuple(nodes))

        return map_functions(module, lambda fn: replace(fn, body=region(fn.body)))

    assert isinstance(twos_to_threes, FunctionPass)

    def times_two(x):
        return x * 2

    plain = jitlab.jit(times_two)
    mine = jitlab.jit(times_two, passes=["twos-to-threes", *DEFAULT_PIPELINE])
    by_object = jitlab.jit(times_two, passes=[twos_to_threes])
    assert plain(5) == 10
    assert mine(5) == 15 and by_object(5) == 15
    assert mine.last_compile.pass_records[0].changed
    assert "value = 3" in jitlab.stages(mine, 5)["opt"]
