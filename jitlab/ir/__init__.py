"""jitlab IR: immutable RVSDG nodes, types, one printer, one parser, a verifier.

This package imports nothing else from jitlab (the layering test checks it).
"""
from .nodes import (
    EntryVar, ExitVar, Gamma, Lambda, Loc, LoopVar, Module, Node, Op, Phi, Port, Region, Theta,
    node_inputs, node_regions,
)
from .parser import parse, parse_function
from .printer import print_ir, print_module
from .types import (
    BOOL, F64, I64, NONE, STATE, UNKNOWN, BoolType, FloatType, FunctionType, IntType, NoneType,
    RangeIterType, StateType, Type, UnknownType, parse_type,
)
from .verifier import verify, verify_function

__all__ = [
    "EntryVar", "ExitVar", "Gamma", "Lambda", "Loc", "LoopVar", "Module", "Node", "Op", "Phi", "Port",
    "Region", "Theta", "node_inputs", "node_regions", "print_ir", "print_module",
    "BOOL", "F64", "I64", "NONE", "STATE", "UNKNOWN", "BoolType", "FloatType", "FunctionType",
    "IntType", "NoneType", "RangeIterType", "StateType", "Type", "UnknownType", "parse_type",
    "parse", "parse_function", "verify", "verify_function",
]
