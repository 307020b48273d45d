"""Three-way differential tests: CPython, the IR interpreter, native code.

Every (function, args) pair of ``differential_corpus.CASES`` runs

1. under CPython (the oracle),
2. in ``jitlab.ir.interpreter`` on the ``rvsdg`` stage (untyped IR, Python semantics),
3. in the interpreter on the ``typed`` stage (the backend's int64/float64/bool semantics),
4. as native code (``jitlab.jit``),

and every run must agree with CPython (same type and value, or same exception type and
message; ``differential_support``).  Calls between corpus functions (``global:g``) stay in the
same world: the interpreter runs the callee's IR of the same stage, native code calls native
code (the jitted namespace of ``test_differential``).

A disagreement between the typed interpreter and native code is a bug in one of them (or in
the typed semantics of ``docs/ir.md``); one between the two interpreters a bug in typing.
"""
from __future__ import annotations

import functools
import math

import pytest
from differential_support import disagreement, outcome
from test_differential import IDS, PAIRS, _jitted_namespace

import differential_corpus as corpus
from jitlab.dispatch import typeof
from jitlab.frontend import to_rvsdg
from jitlab.ir import BOOL, F64, I64, verify
from jitlab.ir.interpreter import Interpreter

CORPUS = {func.__name__: func for func, _ in corpus.CASES}


@functools.cache
def rvsdg_module(name: str):
    module = to_rvsdg(CORPUS[name])
    verify(module)
    return module


def resolve_rvsdg(name: str):
    """`global:name` in untyped IR: the callee's rvsdg stage, interpreted; else the corpus global."""
    if name not in CORPUS:
        return getattr(corpus, name)
    return lambda *args: Interpreter(rvsdg_module(name), resolve=resolve_rvsdg).call(name, *args)


def typed_module(name: str, args: tuple):
    """The `typed` stage the dispatcher compiled for these arguments' types."""
    compiled = _jitted_namespace()[name].compile(tuple(typeof(a) for a in args))
    module = compiled.record.artefacts["typed"]
    verify(module)
    return module


def resolve_typed(name: str):
    """`global:name` in typed IR: the callee's typed stage for the arguments' types, interpreted."""
    def call(*args):
        return Interpreter(typed_module(name, args), resolve=resolve_typed).call(name, *args)
    return call


def run_rvsdg(func, args):
    return Interpreter(rvsdg_module(func.__name__), resolve=resolve_rvsdg).call(func.__name__, *args)


def run_typed(func, args):
    return Interpreter(typed_module(func.__name__, args), resolve=resolve_typed).call(func.__name__, *args)


def run_native(func, args):
    return _jitted_namespace()[func.__name__](*args)


WAYS = {"interpreter on rvsdg": run_rvsdg, "interpreter on typed": run_typed, "native": run_native}


@pytest.mark.parametrize(("func", "args"), PAIRS, ids=IDS)
def test_three_ways_agree(func, args):
    expected = outcome(func, args)
    outcomes = {way: outcome(functools.partial(run, func), (args,)) for way, run in WAYS.items()}
    problems = [f"{way}: CPython {why}" for way, got in outcomes.items()
                if (why := disagreement(expected, got)) is not None]
    typed_vs_native = disagreement(outcomes["native"], outcomes["interpreter on typed"])
    if typed_vs_native is not None:
        problems.append(f"typed interpreter vs native: native {typed_vs_native}")
    assert not problems, f"{func.__name__}{args!r}:\n  " + "\n  ".join(problems)


# -- where typed semantics differ from CPython by design: the typed interpreter and native
# code must still agree with each other (docs/ir.md, "Typed semantics").
I64_MAX, I64_MIN = 2**63 - 1, -(2**63)


def t_add(a, b):
    return a + b


def t_mul(a, b):
    return a * b


def t_neg(a):
    return -a


def t_abs(a):
    return abs(a)


def t_pow(a, b):
    return a ** b


def t_shl(a, b):
    return a << b


def t_shr(a, b):
    return a >> b


def t_int(x):
    return int(x)


def t_round(x):
    return round(x)


def t_floor(x):
    return math.floor(x)


def t_merge(flag, a, b):
    x = a if flag else b
    return x


def t_floordiv(a, b):
    return a // b


TYPED_ONLY = [
    (t_add, (I64_MAX, 1)), (t_add, (I64_MIN, -1)), (t_mul, (2**40, 2**40)), (t_mul, (-(2**62), 4)),
    (t_neg, (I64_MIN,)), (t_abs, (I64_MIN,)), (t_pow, (3, 50)), (t_pow, (-2, 65)), (t_pow, (2, -1)),
    (t_pow, (-8.0, 1.0 / 3.0)), (t_pow, (10.0, 400.0)), (t_pow, (0.0, -1.0)), (t_shl, (1, 63)),
    (t_shl, (1, 64)), (t_shl, (5, 200)), (t_shl, (1, -1)), (t_shr, (-5, 100)), (t_shr, (5, 64)),
    (t_int, (1e19,)), (t_int, (-9.3e18,)), (t_int, (float("nan"),)), (t_int, (float("-inf"),)),
    (t_round, (9.3e18,)), (t_round, (-2.5,)), (t_floor, (1e300,)), (t_floor, (-0.5,)),
    (t_merge, (True, 1, 2.5)), (t_merge, (False, 1, 2.5)), (t_merge, (True, True, 7)),
    (t_floordiv, (I64_MIN, -1)),
]


@pytest.mark.parametrize("overflow", ["raise", "wrap"])
@pytest.mark.parametrize(("func", "args"), TYPED_ONLY, ids=[f"{f.__name__}{a!r}" for f, a in TYPED_ONLY])
def test_typed_interpreter_matches_native_beyond_cpython(func, args, overflow):
    import jitlab

    dispatcher = jitlab.jit(func, overflow=overflow)
    typed = dispatcher.compile(tuple(typeof(a) for a in args)).record.artefacts["typed"]
    native = outcome(dispatcher, args)
    interpreted = outcome(Interpreter(typed, overflow=overflow).call, (func.__name__, *args))
    why = disagreement(native, interpreted)
    assert why is None, f"{func.__name__}{args!r}: native {why}"
    # the untyped IR keeps Python's semantics exactly
    assert disagreement(outcome(func, args), outcome(Interpreter(to_rvsdg(func)).call,
                                                     (func.__name__, *args))) is None


def test_typed_ir_of_a_mixed_type_merge_verifies():
    """A merge converts each branch's value to the join's type (V9 allows the widening)."""
    import jitlab

    typed = jitlab.jit(t_merge).compile((BOOL, I64, F64)).record.artefacts["typed"]
    verify(typed)
