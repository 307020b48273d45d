"""RVSDG → RVSDG transformations and the pass manager that records them.

    from jitlab.passes import PassManager, DEFAULT_PIPELINE
    module, records = PassManager(["canon", *DEFAULT_PIPELINE], verify=True).run(module)
    for r in records: print(r); print(r.diff())

Passes (alias: module), from the RVSDG literature (Reissmann et al. 2020, "RVSDG:
An Intermediate Representation for Optimizing Compilers"; the jlm compiler):
`canon` canonicalize, `dne` dead_node_elimination, `cne` common_node_elimination,
`fold` constant_folding, `ivr` invariant_value_redirection, `hoist`
loop_invariant_hoisting, `inline` inline, `ranges` range_analysis.  Write your
own with `@module_pass("name")` or a `Pass` subclass; see `base.py`.
"""
from .base import (
    CANONICAL_PIPELINE, DEFAULT_PIPELINE, FunctionPass, Pass, get_pass, module_pass, register_pass,
    registered_passes, resolve_passes,
)
from .manager import PassManager, PassRecord
from .canonicalize import Canonicalize
from .dead_node_elimination import DeadNodeElimination
from .common_node_elimination import CommonNodeElimination
from .constant_folding import ConstantFolding
from .invariant_value_redirection import InvariantValueRedirection
from .loop_invariant_hoisting import LoopInvariantHoisting
from .inline import Inline
from .range_analysis import RangeAnalysis

__all__ = [
    "CANONICAL_PIPELINE", "DEFAULT_PIPELINE", "FunctionPass", "Pass", "PassManager", "PassRecord", "get_pass",
    "module_pass",
    "register_pass", "registered_passes", "resolve_passes", "Canonicalize", "DeadNodeElimination",
    "CommonNodeElimination", "ConstantFolding", "InvariantValueRedirection", "LoopInvariantHoisting",
    "Inline", "RangeAnalysis",
]
