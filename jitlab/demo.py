"""`python -m jitlab.demo` (`make demo`): compile a few functions and print every stage.

For each example: the source, jitlab's bytecode, the structured regions, the RVSDG, the typed IR,
the optimised LLVM IR, the milliseconds per stage, and the result next to CPython's. Exits 1 if
a result differs from CPython's or a function fails to compile.

    python -m jitlab.demo                       # every example, the default stages
    python -m jitlab.demo fib --stages all      # one example, every stage
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import jitlab
from jitlab.errors import JitlabError
from jitlab.pipeline import STAGE_NAMES

DEFAULT_STAGES = ("source", "bytecode", "regions", "rvsdg", "typed", "llvm-opt")


def mandelbrot(width, height, max_iter):
    """Sum of the escape times over a width x height grid covering [-2, 1] x [-1.5, 1.5]."""
    total = 0
    for j in range(height):
        cy = -1.5 + 3.0 * j / height
        for i in range(width):
            cx = -2.0 + 3.0 * i / width
            x = 0.0
            y = 0.0
            n = 0
            while n < max_iter:
                if x * x + y * y > 4.0:
                    break
                xt = x * x - y * y + cx
                y = 2.0 * x * y + cy
                x = xt
                n += 1
            total += n
    return total


def fib(n):
    """The n-th Fibonacci number, by iteration."""
    a = 0
    b = 1
    for _ in range(n):
        t = a + b
        a = b
        b = t
    return a


def gcd(a, b):
    """Greatest common divisor (Euclid, with Python's modulo)."""
    while b != 0:
        t = a % b
        a = b
        b = t
    return abs(a)


def basel(n):
    """pi from the Basel series: sqrt(6 * sum(1/k**2 for k in 1..n))."""
    s = 0.0
    for k in range(1, n + 1):
        s += 1.0 / (k * k)
    return math.sqrt(6.0 * s)


@dataclass(frozen=True)
class Example:
    func: Callable
    signature: str  # Numba's string form, used by the compile-time benchmark
    args: tuple


EXAMPLES: tuple[Example, ...] = (
    Example(mandelbrot, "int64(int64, int64, int64)", (60, 40, 100)),
    Example(fib, "int64(int64)", (50,)),
    Example(gcd, "int64(int64, int64)", (1071, -462)),
    Example(basel, "float64(int64)", (100_000,)),
)


def heading(text: str, char: str = "=") -> str:
    return f"{char * 4} {text} {char * max(4, 74 - len(text))}"


def same_result(expected, got) -> bool:
    if isinstance(expected, float):
        return math.isclose(expected, got, rel_tol=1e-12) or (math.isnan(expected) and math.isnan(got))
    return type(expected) is type(got) and expected == got


def run_example(example: Example, stages: tuple[str, ...], out=sys.stdout) -> bool:
    """Compile, run and print one example; True when it compiled and matched CPython."""
    func, args = example.func, example.args
    call = f"{func.__name__}({', '.join(map(repr, args))})"
    print(heading(call), file=out)
    jitted = jitlab.jit(func)
    try:
        texts = jitlab.stages(jitted, *args)
    except JitlabError as err:
        print(f"jitlab could not compile {func.__name__}:\n{err}\n", file=out)
        return False
    for name in stages:
        print(heading(name, "-"), file=out)
        print(texts[name].rstrip("\n"), file=out)
    timings = jitted.last_compile.timings
    print(heading("compile time", "-"), file=out)
    print("  ".join(f"{name} {ms:.1f}" for name, ms in timings.items())
          + f"   total {sum(timings.values()):.1f} ms", file=out)

    start = time.perf_counter()
    expected = func(*args)
    cpython_ms = (time.perf_counter() - start) * 1e3
    start = time.perf_counter()
    got = jitted(*args)
    jitlab_ms = (time.perf_counter() - start) * 1e3
    ok = same_result(expected, got)
    print(heading("result", "-"), file=out)
    print(f"CPython {expected!r} ({cpython_ms:.2f} ms)   jitlab {got!r} ({jitlab_ms:.2f} ms)   "
          f"{'match' if ok else 'MISMATCH'}\n", file=out)
    return ok


def main(argv: list[str] | None = None) -> int:
    names = [e.func.__name__ for e in EXAMPLES]
    parser = argparse.ArgumentParser(prog="python -m jitlab.demo", description=__doc__.splitlines()[0])
    parser.add_argument("examples", nargs="*", metavar="EXAMPLE",
                        help=f"which examples to run ({', '.join(names)}; default: all)")
    parser.add_argument("--stages", default=",".join(DEFAULT_STAGES),
                        help=f"comma-separated stages to print, or 'all' ({', '.join(STAGE_NAMES)})")
    opts = parser.parse_args(argv)
    stages = STAGE_NAMES if opts.stages == "all" else tuple(s for s in opts.stages.split(",") if s)
    unknown = [s for s in stages if s not in STAGE_NAMES]
    if unknown:
        parser.error(f"unknown stage(s) {', '.join(unknown)}; stages are {', '.join(STAGE_NAMES)}")
    unknown = [e for e in opts.examples if e not in names]
    if unknown:
        parser.error(f"unknown example(s) {', '.join(unknown)}; examples are {', '.join(names)}")

    print(f"jitlab {jitlab.__version__} on Python {sys.version.split()[0]}\n")
    chosen = [e for e in EXAMPLES if not opts.examples or e.func.__name__ in opts.examples]
    failed = [e.func.__name__ for e in chosen if not run_example(e, stages)]
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    print(f"all {len(chosen)} examples compiled and matched CPython")
    return 0


if __name__ == "__main__":
    sys.exit(main())
