"""What the benchmark scripts share: the `--n`/`--repeat`/`--quick` arguments, Numba when it is
installed, and geometric means.  The scripts run as `python benchmarks/NAME.py`, so this module
is importable from them as `bench_support`.
"""
from __future__ import annotations

import argparse
import importlib
import math
from types import ModuleType


def sized_run(doc: str, n: int, argv: list[str] | None = None, repeat: int = 5,
              quick: tuple[int, int] = (20_000, 2)) -> tuple[int, int]:
    """Parse `--n N --repeat R --quick` (the description is `doc`'s first line): (n, repeat),
    `quick`'s pair with `--quick`."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--n", type=int, default=n)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--quick", action="store_true", help="small n, two rounds (a smoke test)")
    args = parser.parse_args(argv)
    return quick if args.quick else (args.n, args.repeat)


def optional_numba(*needs: str, missing: str | None = None) -> ModuleType | None:
    """The `numba` module, or None where it, or one of the modules `needs` names, is not
    installed (then `missing`, if given, is printed)."""
    try:
        import numba
        for name in needs:
            importlib.import_module(name)
    except ImportError:
        if missing:
            print(missing)
        return None
    return numba


def gmean(values: list[float]) -> float:
    """The geometric mean (of ratios)."""
    return math.exp(sum(map(math.log, values)) / len(values))
