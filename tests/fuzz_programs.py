"""Seeded random structured programs for differential fuzzing of the frontend (and all below it).

`generate(seed)` returns the source of one function `f(a, b, c)` over int arguments: nested
`for ... in range(...)` and `while` loops with bounded trip counts (`while True` with a counter
and several `break`s and `return`s: loops with several exits), `if`/`elif`/`else`, `break`,
`continue`, `return` at any depth, int arithmetic, `and`/`or` values, `not`, chained comparisons
and calls of `abs`/`min`/`max`.
The same seed always gives the same source (one `random.Random(seed)`, no global state).

Why the programs stay type-stable and in int64: every variable holds an int on every path
(comparisons appear only as conditions, never stored), every assignment reduces its value
(`% 997`, with a shift to get negatives back) and operands are bounded, so no intermediate
value leaves int64 and CPython's big ints never matter.  Loop variables are read only inside
their loop and every local is set before the first statement, so nothing is unbound.  `//` and
`%` by a value that may be zero are generated on purpose: the ZeroDivisionError must come back
from compiled code exactly where CPython raises it.

`ARGUMENTS` are the argument triples each program runs on.
"""
from __future__ import annotations

import random

ARGUMENTS = [(0, 0, 0), (1, 2, 3), (-3, 5, -7), (7, -1, 0), (12, 12, -12), (-20, 3, 9), (5, 0, 1)]

_LOCALS = ("x", "y", "z")
_ARGS = ("a", "b", "c")
_MOD = 997


class _Gen:
    def __init__(self, seed: int, max_depth: int = 3, max_stmts: int = 3):
        self.rng = random.Random(seed)
        self.max_depth = max_depth
        self.max_stmts = max_stmts
        self.lines: list[str] = []
        self.loop_vars: list[str] = []     # loop variables readable here (innermost last)
        self.counters = 0

    # -- expressions (ints only) -----------------------------------------------------------
    def atom(self) -> str:
        r = self.rng.random()
        if r < 0.15:
            return str(self.rng.randint(-9, 9))
        pool = list(_LOCALS + _ARGS) + self.loop_vars * 2
        return self.rng.choice(pool)

    def expr(self, depth: int = 0) -> str:
        r = self.rng.random()
        if depth >= 2 or r < 0.3:
            return self.atom()
        if r < 0.65:
            op = self.rng.choice(["+", "-", "*", "+", "-"])
            return f"({self.expr(depth + 1)} {op} {self.expr(depth + 1)})"
        if r < 0.75:
            # A divisor that is zero now and then, on purpose.
            op = self.rng.choice(["//", "%"])
            divisor = self.rng.choice([f"({self.atom()} % 4)", f"({self.atom()} - {self.atom()})",
                                       str(self.rng.choice([3, 7, -5]))])
            return f"({self.expr(depth + 1)} {op} {divisor})"
        if r < 0.83:
            return f"({self.expr(depth + 1)} {self.rng.choice(['and', 'or'])} {self.expr(depth + 1)})"
        if r < 0.9:
            return f"-{self.atom()}"
        fn = self.rng.choice(["abs", "min", "max"])
        if fn == "abs":
            return f"abs({self.expr(depth + 1)})"
        return f"{fn}({self.expr(depth + 1)}, {self.expr(depth + 1)})"

    def cond(self, depth: int = 0) -> str:
        r = self.rng.random()
        if depth < 1 and r < 0.2:
            return f"({self.cond(depth + 1)} {self.rng.choice(['and', 'or'])} {self.cond(depth + 1)})"
        if depth < 1 and r < 0.3:
            return f"not {self.cond(depth + 1)}"
        if r < 0.45:
            ops = [self.rng.choice(["<", "<=", "==", "!=", ">", ">="]) for _ in range(self.rng.randint(2, 3))]
            parts = [self.atom()]
            for op in ops:
                parts += [op, self.atom()]
            return "(" + " ".join(parts) + ")"
        if r < 0.55:
            return self.atom()   # truth of an int
        op = self.rng.choice(["<", "<=", "==", "!=", ">", ">="])
        return f"({self.expr(1)} {op} {self.expr(1)})"

    # -- statements ------------------------------------------------------------------------
    def emit(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)

    def assign(self, indent: int) -> None:
        var = self.rng.choice(_LOCALS)
        r = self.rng.random()
        if r < 0.25:
            self.emit(indent, f"{var} += {self.rng.randint(-5, 9)}")
        elif r < 0.6:
            self.emit(indent, f"{var} = {self.expr()} % {_MOD}")
        else:
            self.emit(indent, f"{var} = {self.expr()} % {_MOD} - {_MOD // 2}")

    def block(self, indent: int, depth: int, in_loop: bool) -> None:
        for _ in range(self.rng.randint(1, self.max_stmts)):
            self.statement(indent, depth, in_loop)

    def statement(self, indent: int, depth: int, in_loop: bool) -> None:
        r = self.rng.random()
        nested = depth < self.max_depth
        if r < 0.35 or not nested and r < 0.8:
            self.assign(indent)
        elif r < 0.55 and nested:
            self.if_stmt(indent, depth, in_loop)
        elif r < 0.7 and nested:
            self.for_stmt(indent, depth)
        elif r < 0.8 and nested:
            self.while_stmt(indent, depth)
        elif r < 0.9 and in_loop:
            self.emit(indent, f"if {self.cond()}:")
            self.emit(indent + 1, self.rng.choice(["break", "continue"]))
        elif r < 0.95:
            self.emit(indent, f"if {self.cond()}:")
            self.emit(indent + 1, f"return {self.expr()}")
        else:
            self.assign(indent)

    def if_stmt(self, indent: int, depth: int, in_loop: bool) -> None:
        self.emit(indent, f"if {self.cond()}:")
        self.block(indent + 1, depth + 1, in_loop)
        for _ in range(self.rng.choice([0, 0, 1, 2])):
            self.emit(indent, f"elif {self.cond()}:")
            self.block(indent + 1, depth + 1, in_loop)
        if self.rng.random() < 0.5:
            self.emit(indent, "else:")
            self.block(indent + 1, depth + 1, in_loop)

    def for_stmt(self, indent: int, depth: int) -> None:
        var = f"i{len(self.loop_vars)}"
        r = self.rng.random()
        if r < 0.5:
            rng = f"range({self.rng.randint(0, 5)})"
        elif r < 0.8:
            rng = f"range({self.atom()} % 5)"
        else:
            rng = f"range({self.rng.randint(4, 7)}, {self.rng.randint(-2, 2)}, -{self.rng.randint(1, 3)})"
        self.emit(indent, f"for {var} in {rng}:")
        self.loop_vars.append(var)
        self.block(indent + 1, depth + 1, True)
        self.loop_vars.pop()
        if self.rng.random() < 0.15:
            self.emit(indent, "else:")
            self.block(indent + 1, depth + 1, False)

    def while_stmt(self, indent: int, depth: int) -> None:
        self.counters += 1
        w = f"w{self.counters}"
        limit = self.rng.randint(1, 6)
        self.emit(indent, f"{w} = 0")
        if self.rng.random() < 0.4:
            # `while True` left by several breaks (and whatever the body adds): a loop with
            # several exits that restructuring funnels through one exit variable.
            self.emit(indent, "while True:")
            self.emit(indent + 1, f"{w} += 1")
            self.emit(indent + 1, f"if {w} > {limit}:")
            self.emit(indent + 2, "break")
            self.block(indent + 1, depth + 1, True)
            for _ in range(self.rng.choice([0, 1, 1, 2])):
                self.emit(indent + 1, f"if {self.cond()}:")
                if self.rng.random() < 0.5:
                    self.assign(indent + 2)
                self.emit(indent + 2, self.rng.choice(["break", "break", f"return {self.expr()}"]))
                if self.rng.random() < 0.5:
                    self.block(indent + 1, depth + 1, True)
            return
        extra = f" and {self.cond()}" if self.rng.random() < 0.5 else ""
        self.emit(indent, f"while {w} < {limit}{extra}:")
        self.emit(indent + 1, f"{w} += 1")
        self.block(indent + 1, depth + 1, True)

    def program(self) -> str:
        self.emit(0, "def f(a, b, c):")
        for var in _LOCALS:
            self.emit(1, f"{var} = {self.rng.randint(-9, 9)}")
        self.block(1, 0, False)
        self.emit(1, f"return {self.expr()}")
        return "\n".join(self.lines) + "\n"


def generate(seed: int) -> str:
    """The source of program number `seed`: a function `f(a, b, c)`."""
    return _Gen(seed).program()


def load(seed: int, source: str | None = None):
    """Compile program `seed` (or the given source) into a function, its source kept in linecache."""
    import linecache

    source = generate(seed) if source is None else source
    filename = f"<fuzz-{seed}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict = {}
    exec(compile(source, filename, "exec"), namespace)
    return namespace["f"]
