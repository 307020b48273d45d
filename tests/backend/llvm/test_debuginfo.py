"""Debug locations: `!dbg` from IR `loc`s survive optimisation and become `.loc` in assembly."""
import re

from irbuild import FunctionBuilder
from native import Native

from jitlab.backend.llvm import emit_assembly, lower, optimize
from jitlab.ir import Module
from jitlab.ir.types import I64
from jitlab.typing import infer


def typed_sum():
    from test_control import counting_loop
    return infer(Module((counting_loop(),)), (I64,))


def test_lowered_ir_has_a_subprogram_and_locations():
    text = lower(typed_sum(), filename="/tmp/cell.py")
    assert re.search(r'!DIFile\(directory: "/tmp", filename: "cell.py"\)', text)
    assert "!DISubprogram(" in text and "LineTablesOnly" in text
    assert re.search(r"!dbg !\d+", text)


def test_optimised_ir_and_assembly_keep_lines():
    text = lower(typed_sum(), filename="cell.py")
    assert "!DILocation(line:" in optimize(text)
    assert re.search(r"^\s*\.loc\s+\d+\s+\d+", emit_assembly(text), re.M)


def test_debug_info_can_be_left_out():
    text = lower(typed_sum(), debug_info=False)
    assert "!dbg" not in text and ".loc" not in emit_assembly(text)


def test_functions_with_debug_info_run():
    fb = FunctionBuilder("add", ["a", "b"])
    native = Native(fb.finish(fb.binop("+", "a", "b")), (I64, I64))
    assert native(2, 3) == 5
