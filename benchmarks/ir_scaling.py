"""IR scaling: print, parse, verify and every registered pass, time per node from 1,000 to 100,000 nodes.

    python benchmarks/ir_scaling.py [--quick] [--json] [--sizes N,N,...] [--budget S]

The modules come from a fast deterministic generator (`generate_module`), not from Hypothesis
(`tests/ir/strategies.py` draws far too slowly for 100,000 nodes): one typed λ holding a run of
units shaped like the frontend's loops, each a γ whose one branch holds a θ whose body ends in the
repeat predicate's γ — nested γ/θ with `py.const`/`py.binop`/`py.compare` nodes, a state token
threaded through all of them, and work for every pass: a constant that can be folded, a
duplicate for `cne`, a dead node for `dne`, a loop-invariant node for `hoist`.

Each step runs on the same module of each size: `print_module`, `parse` (of that text),
`verify`, and the `run` of every pass in `registered_passes()`. A time is the best of
a few runs with the garbage collector off (as `timeit` does), in CPU time of this process
(`time.process_time`: other work on a shared machine does not count; `--wall` for wall time);
a size whose projected time (the last size's, scaled quadratically) passes `--budget` seconds is
skipped and shown as such. The table prints microseconds per node and, per step, max/min of
that over the sizes: issue 4's goal is at most 2 (linear). `--quick` (a smoke run of a few
seconds): sizes 1,000 and 2,000.
"""
from __future__ import annotations

import argparse
import gc
import json
import platform
import sys
import time
from collections.abc import Callable

from jitlab.ir import (
    BOOL, I64, STATE, Gamma, Lambda, Module, Op, Port, Region, Theta, parse, print_module, verify,
)
from jitlab.passes import registered_passes

SIZES = (1_000, 3_000, 10_000, 30_000, 100_000)
QUICK_SIZES = (1_000, 2_000)
GOAL_FLATNESS = 2.0


class _ModuleBuilder:
    """Builds one λ of `units` loop-shaped units; every name comes from one counter (V3)."""

    def __init__(self) -> None:
        self.counter = 0

    def port(self, stem: str, type_) -> Port:
        self.counter += 1
        return Port(f"{stem}.{self.counter}", type_)

    def const(self, nodes: list, value, type_=I64) -> str:
        out = self.port("c", type_)
        nodes.append(Op("py.const", (), (out,), (("value", value),)))
        return out.name

    def stateful(self, nodes: list, op: str, symbol: str, a: str, b: str, io: str) -> tuple[str, str]:
        out, io_out = self.port("t", BOOL if op == "py.compare" else I64), self.port("io", STATE)
        nodes.append(Op(op, (a, b, io), (out, io_out), (("op", symbol),)))
        return out.name, io_out.name

    def repeat_gamma(self, nodes: list, predicate: str) -> str:
        branches = []
        for value in (False, True):
            body: list = []
            result = self.const(body, value, BOOL)
            branches.append(Region((), tuple(body), (result,)))
        out = self.port("repeat", BOOL)
        nodes.append(Gamma(predicate, (), tuple(branches), (out,)))
        return out.name

    def loop(self, nodes: list, x: str, n: str, io: str, k: int) -> tuple[str, str, str]:
        """θ: `i = 0; while True: x = x + i * 2; i += 1; repeat while i < n - 2` (and some waste)."""
        zero = self.const(nodes, 0)
        params = [self.port("x", I64), self.port("i", I64), self.port("n", I64), self.port("io", STATE)]
        xx, ii, nn, io_in = (p.name for p in params)
        body: list = []
        two = self.const(body, 2)                      # invariant: hoisted out of the θ
        self.const(body, 2)                            # a duplicate: merged by cne
        self.const(body, k)                            # dead: removed by dne
        scaled, io_in = self.stateful(body, "py.binop", "*", ii, two, io_in)
        x_next, io_in = self.stateful(body, "py.binop", "+", xx, scaled, io_in)
        one = self.const(body, 1)
        i_next, io_in = self.stateful(body, "py.binop", "+", ii, one, io_in)
        limit, io_in = self.stateful(body, "py.binop", "-", nn, two, io_in)  # invariant: hoisted
        more, io_in = self.stateful(body, "py.compare", "<", i_next, limit, io_in)
        repeat = self.repeat_gamma(body, more)
        outputs = (self.port("x", I64), self.port("i", I64), self.port("n", I64), self.port("io", STATE))
        region = Region(tuple(params), tuple(body), (repeat, x_next, i_next, nn, io_in))
        nodes.append(Theta((x, zero, n, io), region, outputs))
        return outputs[0].name, outputs[2].name, outputs[3].name

    def unit(self, nodes: list, x: str, a: str, n: str, io: str, k: int) -> tuple[str, str, str]:
        """`if a > k % 7: loop else: x = x - (3 + 4)`, as a γ over (x, n, io); n passes through
        both the γ and the θ unchanged, as the frontend's graphs pass variables (work for `ivr`)."""
        bound = self.const(nodes, k % 7)
        test, io = self.stateful(nodes, "py.compare", ">", a, bound, io)
        branches = []
        # branch 0 (false): a constant expression that folds
        params = (self.port("x", I64), self.port("n", I64), self.port("io", STATE))
        body: list = []
        seven, io0 = self.stateful(body, "py.binop", "+", self.const(body, 3), self.const(body, 4),
                                   params[2].name)
        x0, io0 = self.stateful(body, "py.binop", "-", params[0].name, seven, io0)
        branches.append(Region(params, tuple(body), (x0, params[1].name, io0)))
        # branch 1 (true): the loop
        params = (self.port("x", I64), self.port("n", I64), self.port("io", STATE))
        body = []
        x1, n1, io1 = self.loop(body, params[0].name, params[1].name, params[2].name, k)
        branches.append(Region(params, tuple(body), (x1, n1, io1)))
        outputs = (self.port("x", I64), self.port("n", I64), self.port("io", STATE))
        nodes.append(Gamma(test, (x, n, io), tuple(branches), outputs))
        return tuple(p.name for p in outputs)


def generate_module(units: int) -> Module:
    """A valid module with one λ `f(a, n)` of `units` units (NODES_PER_UNIT nodes each, and 1)."""
    builder = _ModuleBuilder()
    a, n, io = Port("a", I64), Port("n", I64), Port("io", STATE)
    nodes: list = []
    x, bound, state = builder.const(nodes, 0), n.name, io.name
    for k in range(units):
        x, bound, state = builder.unit(nodes, x, a.name, bound, state, k)
    return Module((Lambda("f", Region((a, n, io), tuple(nodes), (x, state))),))


def count_nodes(module: Module) -> int:
    return sum(1 for fn in module.functions for _ in fn.body.walk())


NODES_PER_UNIT = count_nodes(generate_module(1)) - 1


def module_with_nodes(target: int) -> Module:
    return generate_module(max(1, round((target - 1) / NODES_PER_UNIT)))


def best_time(step: Callable[[], object], repeat: int, clock: Callable[[], float]) -> float:
    """Seconds for one run: the best of `repeat` runs, garbage collector off (as timeit)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        best = float("inf")
        for _ in range(repeat):
            start = clock()
            step()
            best = min(best, clock() - start)
        return best
    finally:
        if enabled:
            gc.enable()


def steps_for(module: Module, text: str) -> dict[str, Callable[[], object]]:
    steps = {"print": lambda: print_module(module), "parse": lambda: parse(text),
             "verify": lambda: verify(module)}
    for name, each in registered_passes().items():
        steps[f"pass {name}"] = lambda p=each: p.run(module)
    return steps


def run(sizes: tuple[int, ...], budget_s: float, clock: Callable[[], float]) -> dict:
    """{step: [{nodes, seconds or None, us_per_node, projected_s}, ...]} over the sizes."""
    results: dict[str, list[dict]] = {}
    for target in sizes:
        module = module_with_nodes(target)
        nodes = count_nodes(module)
        text = print_module(module)
        repeat = 3  # best of 3 at every size: one run of a large size is too noisy for a 2x goal
        for step, call in steps_for(module, text).items():
            rows = results.setdefault(step, [])
            timed = [r for r in rows if r["seconds"] is not None]
            projected = timed[-1]["seconds"] * (nodes / timed[-1]["nodes"]) ** 2 if timed else None
            if rows and not timed or projected is not None and projected > budget_s:
                rows.append({"nodes": nodes, "seconds": None, "us_per_node": None, "projected_s": projected})
                continue
            try:
                seconds = best_time(call, repeat, clock)
            except Exception as error:  # a pass that rejects the module is reported, not timed
                rows.append({"nodes": nodes, "seconds": None, "us_per_node": None, "projected_s": None,
                             "error": f"{type(error).__name__}: {error}"[:120]})
                continue
            rows.append({"nodes": nodes, "seconds": seconds, "us_per_node": seconds / nodes * 1e6,
                         "projected_s": None})
    return results


def flatness(rows: list[dict]) -> float | None:
    per_node = [r["us_per_node"] for r in rows if r["us_per_node"] is not None]
    return max(per_node) / min(per_node) if len(per_node) > 1 else None


def print_table(results: dict, clock_name: str) -> None:
    sizes = [r["nodes"] for r in next(iter(results.values()))]
    print(f"IR {clock_name} time per node in microseconds (Python {platform.python_version()}, gc off)")
    print(f"{'step':14}" + "".join(f"{n:>11,}" for n in sizes) + f"{'max/min':>9}  goal <= {GOAL_FLATNESS}")
    for step, rows in results.items():
        cells = []
        for r in rows:
            if r["us_per_node"] is not None:
                cells.append(f"{r['us_per_node']:11.2f}")
            elif r.get("error"):
                cells.append(f"{'error':>11}")
            else:
                cells.append(f"{'skipped':>11}")
        flat = flatness(rows)
        verdict = "-" if flat is None else ("ok" if flat <= GOAL_FLATNESS else "NOT within 2x")
        print(f"{step:14}" + "".join(cells) + (f"{flat:9.2f}" if flat is not None else f"{'-':>9}")
              + f"  {verdict}")
    notes = [(step, r) for step, rows in results.items() for r in rows if r["seconds"] is None]
    for step, r in notes:
        if r.get("error"):
            print(f"  {step} at {r['nodes']:,} nodes: {r['error']}")
        elif r["projected_s"] is not None:
            print(f"  {step} at {r['nodes']:,} nodes: skipped, projected {r['projected_s']:.0f} s")
    total = [r["seconds"] for rows in results.values() for r in rows[-1:] if r["seconds"] is not None]
    print(f"largest size: {sizes[-1]:,} nodes, {sum(total):.1f} s over the steps that ran there")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes 1,000 and 2,000 only")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--sizes", type=lambda s: tuple(int(x) for x in s.split(",")), default=None,
                        help="node counts, comma-separated (default 1000,3000,10000,30000,100000)")
    parser.add_argument("--wall", action="store_true", help="time wall-clock, not this process's CPU time")
    parser.add_argument("--budget", type=float, default=120.0,
                        help="seconds one step may be projected to take on one size before it is skipped")
    opts = parser.parse_args(argv)
    sizes = opts.sizes or (QUICK_SIZES if opts.quick else SIZES)
    small = generate_module(2)
    verify(small)
    assert parse(print_module(small)) == small, "the generator's module does not round-trip"
    clock, clock_name = (time.perf_counter, "wall") if opts.wall else (time.process_time, "CPU")
    results = run(sizes, opts.budget, clock)
    if opts.json:
        print(json.dumps({"python": platform.python_version(), "clock": clock_name,
                          "nodes_per_unit": NODES_PER_UNIT,
                          "steps": results, "max_over_min": {s: flatness(r) for s, r in results.items()},
                          "goal": GOAL_FLATNESS}, indent=2))
    else:
        print_table(results, clock_name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
