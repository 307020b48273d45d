"""jitlab IR: immutable RVSDG nodes, types, one printer, one parser, a verifier.

This package imports nothing else from jitlab but `jitlab.errors` and `jitlab.lazy` (the layering
test checks it).  Every name below loads its submodule on first use (PEP 562): `jitlab.ir.types`
alone (what loading cached code needs to read signatures) does not import the nodes, the parser
or the verifier.
"""
from jitlab.lazy import lazy_exports

# name → the submodule defining it
_EXPORTS = {
    **dict.fromkeys(("Delta", "EntryVar", "ExitVar", "Gamma", "Lambda", "Loc", "LoopVar", "Module", "Node",
                     "Op", "Phi", "Port", "Region", "Theta", "node_inputs", "node_regions"), "nodes"),
    **dict.fromkeys(("parse", "parse_function"), "parser"),
    **dict.fromkeys(("print_ir", "print_module"), "printer"),
    **dict.fromkeys(("BOOL", "F64", "I64", "NONE", "STATE", "UNKNOWN", "BoolType", "FloatType",
                     "FunctionType", "IntType", "NoneType", "RangeIterType", "StateType", "Type",
                     "UnknownType", "parse_type"), "types"),
    **dict.fromkeys(("verify", "verify_function"), "verifier"),
}

__getattr__ = lazy_exports(__name__, _EXPORTS)


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


__all__ = sorted(_EXPORTS)
