"""CPython 3.11 -> jitlab vocabulary.

3.11 specifics: `PRECALL` before every `CALL` (its stack effect moves to
`call`), `KW_NAMES` naming the next call's keyword arguments by a constant
index, `LOAD_METHOD`, forward *and* backward `POP_JUMP_*` variants,
`JUMP_IF_TRUE_OR_POP`/`JUMP_IF_FALSE_OR_POP` for `and`/`or` values,
`COMPARE_OP`'s argument is the comparison's index, `UNARY_POSITIVE` exists,
and `FOR_ITER` jumps straight to the loop's exit.
"""
from __future__ import annotations

import dis

from . import common, raw
from .instructions import DecodedCode


@common.pure
def _compare(raw, ctx):
    return [("compare", dis.cmp_op[raw.arg], None)]


def _kw_names(raw, ctx):
    ctx.kwnames = tuple(ctx.code.co_consts[raw.arg])
    return []


def _call(raw, ctx):
    if common.comprehension_call(raw, ctx):
        return common.inline_comprehension(raw, ctx)
    kwnames, ctx.kwnames = ctx.kwnames, ()
    return [("call", (raw.arg, kwnames, False), None)]


HANDLERS = {
    **common.common_handlers(),
    "FORMAT_VALUE": common.format_value,
    "COMPARE_OP": _compare,
    "LOAD_GLOBAL": common.load_global(null_first=True),
    "LOAD_ATTR": common.plain("load_attr", argval=True),
    "LOAD_METHOD": common.plain("load_method", argval=True),  # as `common.load_method`
    "PRECALL": common.simple("nop"),
    "KW_NAMES": _kw_names,
    "CALL": _call,
    "UNARY_POSITIVE": common.simple("unary", "+"),
    "POP_JUMP_FORWARD_IF_TRUE": common.branch("true"),
    "POP_JUMP_BACKWARD_IF_TRUE": common.branch("true"),
    "POP_JUMP_FORWARD_IF_FALSE": common.branch("false"),
    "POP_JUMP_BACKWARD_IF_FALSE": common.branch("false"),
    "POP_JUMP_FORWARD_IF_NONE": common.branch("none"),
    "POP_JUMP_BACKWARD_IF_NONE": common.branch("none"),
    "POP_JUMP_FORWARD_IF_NOT_NONE": common.branch("notnone"),
    "POP_JUMP_BACKWARD_IF_NOT_NONE": common.branch("notnone"),
    "JUMP_IF_TRUE_OR_POP": common.branch_or_pop("true"),
    "JUMP_IF_FALSE_OR_POP": common.branch_or_pop("false"),
}


# argument encodings `dis` knows but its opcode lists do not say (see `raw.py`)
FORMAT = raw.ArgFormat(name_shift=(("LOAD_GLOBAL", 1),))
VERSION = "3.11"


def decode(func) -> DecodedCode:
    return common.decode_code(func, HANDLERS, for_iter_cleanup=(), version=VERSION, fmt=FORMAT)
