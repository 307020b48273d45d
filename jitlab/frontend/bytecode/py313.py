"""CPython 3.13 -> jitlab vocabulary.

3.13 specifics: superinstructions (`LOAD_FAST_LOAD_FAST`,
`STORE_FAST_LOAD_FAST`, `STORE_FAST_STORE_FAST`) are split; `TO_BOOL` before a
conditional jump or `not` folds away (the vocabulary's `branch` and
`unary not` test truth themselves), elsewhere it is `to_bool`; `CALL_KW` takes
its keyword names from the constant tuple pushed just before it;
`COMPARE_OP`'s argument holds the comparison index shifted left by 5 (bit 4
asks for a bool result, which `compare` always gives); `LOAD_GLOBAL` pushes
"callable + NULL"; `FOR_ITER` targets `END_FOR; POP_TOP`.
"""
from __future__ import annotations

import dis

from . import common, nested, py312, raw
from .instructions import DecodedCode

_TRUTH_CONSUMERS = ("POP_JUMP_IF_TRUE", "POP_JUMP_IF_FALSE", "UNARY_NOT")


@common.pure
def _load_attr(raw, ctx):
    """`LOAD_ATTR`, low bit set: the method form, pushing "attribute, NULL|self"."""
    if raw.arg & 1:
        return common.load_method(raw, ctx)
    return [("load_attr", raw.argval, None)]


@common.pure
def _compare(raw, ctx):
    return [("compare", dis.cmp_op[raw.arg >> 5], None)]


def _to_bool(raw, ctx):
    nxt = ctx.next_raw()
    if nxt is not None and nxt.opname in _TRUTH_CONSUMERS:
        return []
    return [("to_bool", None, None)]


def _call(raw, ctx):
    if common.comprehension_call(raw, ctx):
        return common.inline_comprehension(raw, ctx)
    return [("call", (raw.arg, (), False), None)]


def _call_kw(raw, ctx):
    prev = ctx.raws[ctx.index - 1]
    if prev.opname != "LOAD_CONST" or not isinstance(prev.argval, tuple):
        raise common._unknown(raw, ctx, "CALL_KW without a constant tuple of keyword names")
    return [("call", (raw.arg, tuple(prev.argval), True), None)]


HANDLERS = {
    **common.common_handlers(),
    # f-strings: a conversion is its own instruction; `format` converts nothing then
    "CONVERT_VALUE": lambda raw, ctx: [("format", (common.CONVERSIONS[raw.arg], False), None)],
    "FORMAT_SIMPLE": common.simple("format", (None, False)),
    "FORMAT_WITH_SPEC": common.simple("format", (None, True)),
    "COMPARE_OP": _compare,
    "LOAD_GLOBAL": common.load_global(null_first=False),
    "LOAD_ATTR": _load_attr,
    "CALL": _call,
    "SET_FUNCTION_ATTRIBUTE": nested.set_function_attribute,
    "CALL_KW": _call_kw,
    "CALL_INTRINSIC_1": py312.intrinsic_1,
    "RETURN_CONST": common.return_const,
    "BINARY_SLICE": common.binary_slice,
    "STORE_SLICE": common.store_slice,
    "LOAD_FAST_AND_CLEAR": py312.load_fast_and_clear,
    "LOAD_FAST_LOAD_FAST": common.load_load,
    "STORE_FAST_LOAD_FAST": common.store_then_load,
    "STORE_FAST_STORE_FAST": common.store_store,
    "TO_BOOL": _to_bool,
    "END_FOR": common.simple("pop"),
    "POP_JUMP_IF_TRUE": common.branch("true"),
    "POP_JUMP_IF_FALSE": common.branch("false"),
    "POP_JUMP_IF_NONE": common.branch("none"),
    "POP_JUMP_IF_NOT_NONE": common.branch("notnone"),
}


# argument encodings `dis` knows but its opcode lists do not say (see `raw.py`)
FORMAT = raw.ArgFormat(name_shift=py312.FORMAT.name_shift, compare_shift=5,
                       local_pairs=("LOAD_FAST_LOAD_FAST", "STORE_FAST_LOAD_FAST", "STORE_FAST_STORE_FAST"))
VERSION = "3.13"


def decode(func) -> DecodedCode:
    return common.decode_code(func, HANDLERS, for_iter_cleanup=("END_FOR", "POP_TOP"), version=VERSION,
                              fmt=FORMAT,
                              prepare=py312.plan_comprehensions)
