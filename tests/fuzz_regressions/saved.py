"""Fuzz mismatches kept as regression tests: one file `seed_N.py` per failing fuzz program.

A file holds everything needed to rerun the program without the generator (which may change):

    SEED = 1234
    SOURCE = '''def f(a, b, c): ...'''
    CASES = [((1, 2, 3), ("value", "int", 5)), ((5, 0, 1), ("raise", "ZeroDivisionError")), ...]
    JITLAB_AT_SAVE = 'fuzz seed 1234, f(5, 0, 1): CPython ..., jitlab ...'

`CASES` pairs each argument triple with CPython's outcome (the expected result), in the form
`tests/test_fuzz.py` compares; `JITLAB_AT_SAVE` is what went wrong when the file was written, kept
for the reader only.  `test_saved_regressions.py` runs every file on each `make test`.
"""
from __future__ import annotations

import ast
import pprint
from pathlib import Path

REGRESSIONS_DIR = Path(__file__).parent

Outcome = tuple  # ("value", type name, value) or ("raise", exception type name)


def regression_path(seed: int, directory: Path = REGRESSIONS_DIR) -> Path:
    return directory / f"seed_{seed}.py"


def save_regression(seed: int, source: str, cases: list[tuple[tuple, Outcome]], failure: str,
                    directory: Path = REGRESSIONS_DIR) -> Path:
    """Write `seed_N.py` for fuzz program `seed` (replacing an older file for the same seed)."""
    text = (f'"""Fuzz program {seed}: a saved mismatch between CPython and jitlab '
            f'(tests/fuzz_regressions/saved.py)."""\n'
            f"SEED = {seed}\n"
            f"SOURCE = {_source_literal(source)}\n"
            f"CASES = {pprint.pformat(cases, width=100)}\n"
            f"JITLAB_AT_SAVE = {failure!r}\n")
    path = regression_path(seed, directory)
    partial = path.with_suffix(".partial")
    partial.write_text(text)
    partial.replace(path)  # atomic: a parallel shard or a reader never sees half a file
    return path


def _source_literal(source: str) -> str:
    """The program as a readable triple-quoted literal when it can be one, else its repr."""
    if "'''" in source or "\\" in source or not source.endswith("\n"):
        return repr(source)
    return "'''\\\n" + source + "'''"


def load_regression(path: Path) -> tuple[int, str, list[tuple[tuple, Outcome]]]:
    """(seed, source, cases) of a saved file, read as literals: the file is never executed."""
    values = {}
    for statement in ast.parse(path.read_text()).body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            values[statement.targets[0].id] = ast.literal_eval(statement.value)
    return values["SEED"], values["SOURCE"], values["CASES"]


def saved_regressions(directory: Path = REGRESSIONS_DIR) -> list[Path]:
    return sorted(directory.glob("seed_*.py"), key=lambda p: int(p.stem.removeprefix("seed_")))
