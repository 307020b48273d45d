"""The frontend: a Python function -> jitlab IR (an RVSDG `Module`).

    decode -> build_flow_graph -> restructure (canonicalize first) -> build_rvsdg

Each stage's artefact prints as text (`bytecode`, `flow`, `regions`, IR).
Only `bytecode/__init__.py` looks at the Python version.
"""
from __future__ import annotations

from jitlab.ir import Module

from .bytecode import DecodedCode, decode
from .flow import FlowGraph, build_flow_graph
from .recursion import as_phi, recursive_group
from .restructure import StructuredRegion, restructure
from .to_rvsdg import build_rvsdg


def to_rvsdg(func) -> Module:
    """Compile a Python function's bytecode into an RVSDG module with one λ."""
    return build_rvsdg(restructure(build_flow_graph(decode(func))), func)


__all__ = ["DecodedCode", "FlowGraph", "StructuredRegion", "as_phi", "build_flow_graph", "build_rvsdg",
           "decode", "recursive_group", "restructure", "to_rvsdg"]
