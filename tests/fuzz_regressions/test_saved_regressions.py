"""Every saved fuzz mismatch (`seed_N.py`, written by `pytest tests/test_fuzz.py --fuzz-save`) must
now give CPython's outcome under `jitlab.jit`; and the save/load round trip itself works."""
from __future__ import annotations

import pytest

import jitlab
import fuzz_programs
from fuzz_regressions.saved import load_regression, save_regression, saved_regressions


def _outcome(func, args):
    try:
        value = func(*args)
    except Exception as error:  # the expected outcome may be an exception
        return ("raise", type(error).__name__)
    return ("value", type(value).__name__, value)


@pytest.mark.parametrize("path", saved_regressions(), ids=lambda p: p.stem)
def test_saved_regression(path):
    seed, source, cases = load_regression(path)
    func = fuzz_programs.load(seed, source)
    compiled = jitlab.jit(func)
    for args, expected in cases:
        assert _outcome(func, args) == expected, f"{path.name}: CPython itself disagrees with the file"
        assert _outcome(compiled, args) == expected, f"{path.name}: f{args}\n\n{source}"


def test_save_and_load_round_trip(tmp_path):
    source = fuzz_programs.generate(3)
    func = fuzz_programs.load(3, source)
    cases = [(args, _outcome(func, args)) for args in fuzz_programs.ARGUMENTS]
    path = save_regression(3, source, cases, "an example failure", directory=tmp_path)
    assert path.name == "seed_3.py"
    assert load_regression(path) == (3, source, cases)
    assert saved_regressions(tmp_path) == [path]
