"""Programs that once broke a pass, run end to end against CPython, and the structural rule
that fixed them checked on the whole frontend corpus."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

import jitlab
from jitlab.frontend import to_rvsdg
from jitlab.ir import Gamma, Op
from jitlab.passes import CANONICAL_PIPELINE, DEFAULT_PIPELINE, PassManager

sys.path.insert(0, str(Path(__file__).parents[1] / "frontend"))
import corpus


def undef_lifted_by_fold(a, b, c):
    """Fuzz seeds 12 of 300 (`cannot convert a none value to i64`): `fold` inlined the γ on the
    constant `y > 8` and lifted its `py.undef` for the return value into the λ; `ivr` then routed it
    through the `for` loop into the γ after the loop, where typing gave the unbound branch
    parameter `none` and the merged exit `i64`."""
    x = 4; y = 0; z = 0  # noqa: E702 - the fuzzer's spelling
    if (y > 8 == y >= b):
        return ((c - x) % 3)
    for i0 in range(z % 5):
        if not (i0 < (c - c)):
            return z
        elif (i0 <= (y % (2 - i0))):
            continue
        elif (y == (-8 - c)):
            break
    return b


REGRESSIONS = [
    (undef_lifted_by_fold, [(0, 0, 0), (1, -3, 7), (-5, 2, -8)]),
]


@pytest.mark.parametrize("func, argsets", REGRESSIONS, ids=lambda x: getattr(x, "__name__", ""))
def test_regression_compiles_and_computes_like_cpython(func, argsets):
    compiled = jitlab.jit(func)
    for args in argsets:
        assert compiled(*args) == func(*args), args


def _undef_gamma_entries(region, path=""):
    """Names of γ entry variables whose input is a `py.undef` of the same region."""
    undefs = {n.outputs[0].name for n in region.nodes if isinstance(n, Op) and n.op == "py.undef"}
    found = []
    for node in region.nodes:
        if isinstance(node, Gamma):
            found += [name for name in node.inputs if name in undefs]
            for b in node.branches:
                found += _undef_gamma_entries(b)
        elif not isinstance(node, Op):
            found += _undef_gamma_entries(node.body)
    return found


@pytest.mark.parametrize("pipeline", [CANONICAL_PIPELINE, DEFAULT_PIPELINE], ids=["canonical", "default"])
@pytest.mark.parametrize("func", [f for f, _ in corpus.CORPUS] + [f for f, _ in REGRESSIONS],
                         ids=lambda f: f.__name__)
def test_no_undef_enters_a_gamma(func, pipeline):
    module, _ = PassManager(pipeline, verify=True).run(to_rvsdg(func))
    assert _undef_gamma_entries(module.functions[0].body) == []
