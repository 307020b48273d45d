"""CPython 3.12 -> jitlab vocabulary.

3.12 specifics: no `PRECALL`; `KW_NAMES` still names the next call's keywords;
`LOAD_ATTR`'s low bit replaces `LOAD_METHOD`; `COMPARE_OP`'s argument holds the
comparison index shifted left by 4; `RETURN_CONST`; one direction-free
`POP_JUMP_IF_*` family; unary plus is `CALL_INTRINSIC_1 5`; `FOR_ITER` targets
an `END_FOR` that pops iterator and item (the vocabulary jumps past it).
"""
from __future__ import annotations

import dis

from jitlab.errors import UnsupportedError

from . import common
from .instructions import DecodedCode

INTRINSIC_UNARY_POSITIVE = 5


def _compare(raw, ctx):
    return [("compare", dis.cmp_op[raw.arg >> 4], None)]


def load_attr(raw, ctx):
    """`LOAD_ATTR`, low bit set: the method form, pushing "NULL|self, attribute"."""
    if raw.arg & 1:
        return common.load_method(raw, ctx)
    return [("load_attr", raw.argval, None)]


def _kw_names(raw, ctx):
    ctx.kwnames = tuple(raw.argval)
    return []


def _call(raw, ctx):
    kwnames, ctx.kwnames = ctx.kwnames, ()
    return [("call", (raw.arg, kwnames, False), None)]


def intrinsic_1(raw, ctx):
    if raw.arg == INTRINSIC_UNARY_POSITIVE:
        return [("unary", "+", None)]
    raise common._unknown(raw, ctx, f"CALL_INTRINSIC_1 {raw.argrepr or raw.arg}")


def comprehension(raw, ctx):
    raise UnsupportedError("comprehension")


HANDLERS = {
    **common.common_handlers(),
    "COMPARE_OP": _compare,
    "LOAD_GLOBAL": common.load_global(null_first=True),
    "LOAD_ATTR": load_attr,
    "KW_NAMES": _kw_names,
    "CALL": _call,
    "CALL_INTRINSIC_1": intrinsic_1,
    "RETURN_CONST": common.return_const,
    "BINARY_SLICE": common.binary_slice,
    "STORE_SLICE": common.store_slice,
    "LOAD_FAST_AND_CLEAR": comprehension,
    "END_FOR": lambda raw, ctx: [("pop", None, None), ("pop", None, None)],
    "POP_JUMP_IF_TRUE": common.branch("true"),
    "POP_JUMP_IF_FALSE": common.branch("false"),
    "POP_JUMP_IF_NONE": common.branch("none"),
    "POP_JUMP_IF_NOT_NONE": common.branch("notnone"),
}


VERSION = "3.12"


def decode(func) -> DecodedCode:
    return common.decode_code(func, HANDLERS, for_iter_cleanup=("END_FOR",), version=VERSION)
