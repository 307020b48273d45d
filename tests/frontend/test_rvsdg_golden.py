"""Same program, same graph: the `rvsdg` stage text of every corpus function is one golden file,
shared by CPython 3.11, 3.12, 3.13 and 3.14.

`golden/NAME.txt` holds the text of `corpus.NAME` (the frontend corpus), `golden/differential/
NAME.txt` that of `differential_corpus.NAME`; `pytest --bless` rewrites them from the running
Python (bless on 3.12 or 3.13, where no function is an exception).  The stage text is the
frontend's graph after `passes.CANONICAL_PIPELINE`, so it is the canonicalisation that makes the
versions agree; `make test` runs this file under every version.

`VERSION_SHAPED` is the only exception list: functions whose graph differs on one version, each
with the reason.  On a listed version the text must differ from the golden file (a function that
starts to agree must leave the list), on every other version it must match.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from jitlab import pipeline

import corpus

sys.path.insert(0, str(Path(__file__).parents[1]))
import differential_corpus

GOLDEN = Path(__file__).parent / "golden"
VERSION = f"{sys.version_info[0]}.{sys.version_info[1]}"

# The one real difference of the bytecode: for `(x and y) or z` with a falsy `x`, 3.11 jumps from
# the `and` straight to `z` (`POP_JUMP_FORWARD_IF_FALSE` past `JUMP_IF_TRUE_OR_POP`), and 3.14
# threads the `and`'s jump past the `or`'s test of the same value, so `bool(x)` runs once; 3.12
# and 3.13 keep `x` as the `and`'s value (`COPY 1; POP_JUMP_IF_FALSE`) and test it again for the
# `or` (`COPY 1; POP_JUMP_IF_TRUE`), so `bool(x)` runs twice.  An object whose `__bool__` has an
# effect tells them apart, so no canonicalisation may merge the two graphs.
AND_OR = ("3.11 and 3.14 test a falsy `x` in `(x and y) or z` once, 3.12 and 3.13 twice "
          "(semantic: the bytecode differs)")

# Every other difference of the bytecode (3.14's uncopied `while` condition, 3.12+'s copied exit
# blocks, jump-only blocks, ...) is canonicalised away by `jitlab.frontend.canonical`.
VERSION_SHAPED: dict[str, dict[str, str]] = {
    **{name: {"3.11": AND_OR, "3.14": AND_OR}
       for name in ("and_or_values", "differential/and_or_value", "differential/leap_year",
                    "differential/xor_bool")},
}

# try statements: the bytecode of these few differs in a way canonicalisation does not undo yet.
TRY_IN_HANDLER_311 = ("3.11 lays out a try statement inside an except handler with one shared exit "
                      "block where 3.12+ copy it, and the restructured control variables come out "
                      "in another order (same computation)")
RERAISE_LINE_311 = ("3.11 gives the no-match RERAISE after a bare `except:` clause the previous "
                    "clause's line, 3.12+ the bare clause's (locations only)")
CONST_LOC_314 = ("3.14 returns a constant from a handler followed by `finally` as `LOAD_CONST; SWAP; "
                 "POP_EXCEPT; <finally>; RETURN_VALUE`, so the constant keeps its own column where "
                 "3.11-3.13's `RETURN_CONST` has the return statement's (locations only)")
VERSION_SHAPED["differential/try_nested_in_handler"] = {"3.11": TRY_IN_HANDLER_311}
VERSION_SHAPED["differential/try_reraise_before_bare_except"] = {"3.11": RERAISE_LINE_311}
VERSION_SHAPED["differential/try_return_in_finally_body"] = {"3.14": CONST_LOC_314}


def _cases():
    for func, _ in corpus.CORPUS:
        yield pytest.param(func, GOLDEN / f"{func.__name__}.txt", id=func.__name__)
    for func, _ in differential_corpus.CASES:
        yield pytest.param(func, GOLDEN / "differential" / f"{func.__name__}.txt",
                           id=f"differential/{func.__name__}")


def rvsdg_text(func) -> str:
    record = pipeline.CompileRecord(func, (), pipeline.Options())
    pipeline.run_stages(record, until="rvsdg")
    return record.texts["rvsdg"]


def _key(path: Path) -> str:
    return path.relative_to(GOLDEN).with_suffix("").as_posix()


@pytest.mark.parametrize("func, path", list(_cases()))
def test_rvsdg_text_is_the_shared_golden(func, path, request):
    text = rvsdg_text(func)
    reason = VERSION_SHAPED.get(_key(path), {}).get(VERSION)
    if request.config.getoption("--bless") and reason is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"missing golden file {path.name}; run pytest --bless (on 3.12 or 3.13)"
    if reason is not None:
        assert text != path.read_text(), f"{_key(path)} agrees on {VERSION} now: take it off VERSION_SHAPED"
        return
    assert text == path.read_text()


def test_exception_list_names_real_functions_and_versions():
    keys = {_key(p) for _, p in (c.values for c in _cases())}
    for name, versions in VERSION_SHAPED.items():
        assert name in keys, name
        assert set(versions) <= {"3.11", "3.12", "3.13", "3.14"} and all(versions.values()), name


def test_no_per_version_golden_files():
    assert not sorted(GOLDEN.rglob("*.py3*.txt")), "golden files are shared by every version"
