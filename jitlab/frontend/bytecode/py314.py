"""CPython 3.14 -> jitlab vocabulary.

3.14 specifics, on top of 3.13's (`TO_BOOL`, `CALL_KW`, superinstructions,
"callable + NULL" from `LOAD_GLOBAL`, `COMPARE_OP` index shifted by 5):
small ints come from `LOAD_SMALL_INT` (the argument is the value); borrowed
loads `LOAD_FAST_BORROW` and `LOAD_FAST_BORROW_LOAD_FAST_BORROW` are plain
loads; `NOT_TAKEN` after a conditional jump is an instrumentation marker;
subscription is `BINARY_OP` with `NB_SUBSCR`; there is no `RETURN_CONST`
(`LOAD_CONST` + `RETURN_VALUE`); `FOR_ITER` targets `END_FOR; POP_ITER`;
`with` starts with `LOAD_SPECIAL`; `assert` loads `AssertionError` with
`LOAD_COMMON_CONSTANT`; constant slices (`a[1:3]`) are `LOAD_CONST` of a slice.
"""
from __future__ import annotations

from . import common, py312, py313, raw
from .instructions import DecodedCode

# argument encodings `dis` knows but its opcode lists do not say (see `raw.py`)
FORMAT = raw.ArgFormat(name_shift=py313.FORMAT.name_shift, compare_shift=5,
                       local_pairs=py313.FORMAT.local_pairs + ("LOAD_FAST_BORROW_LOAD_FAST_BORROW",))
VERSION = "3.14"
NB_SUBSCR = 26  # BINARY_OP's argument for `a[i]`, after the 13 operators and their in-place forms


@common.pure
def _binary_op(raw, ctx):
    """`BINARY_OP`: arithmetic as in 3.11-3.13, plus `NB_SUBSCR` (`a[i]`)."""
    if raw.arg == NB_SUBSCR:
        return [("getitem", None, None)]
    return common.binary_op(raw, ctx)


def _load_common_constant(raw, ctx):
    """`LOAD_COMMON_CONSTANT`: `AssertionError`, `NotImplementedError` or a builtin (`all`, `any`…)
    loaded without the globals; the argument repr names it (`<built-in function any>`).

    `any(genexpr)`, `all(genexpr)`, `list(genexpr)`, `tuple(genexpr)`: 3.14 tests
    `LOAD_GLOBAL any; COPY 1; LOAD_COMMON_CONSTANT any; IS_OP; POP_JUMP_IF_FALSE generic` and,
    when the global is the builtin, consumes the generator in the caller.  Both paths compute the
    same value; the vocabulary keeps only the generic call (as on 3.11-3.13): the test and its
    `COPY` vanish and the jump always goes to the call, so the fast path is unreachable.
    """
    if _builtin_fast_path(ctx, ctx.index - 1):
        ctx.unchecked = True
        return []
    name = raw.argrepr
    if name.startswith("<built-in function ") and name.endswith(">"):
        name = name[len("<built-in function "):-1]
    elif name.startswith("<class '") and name.endswith("'>"):
        name = name[len("<class '"):-2]
    return [("load_builtin", name, None)]


def _builtin_fast_path(ctx, copy_index: int) -> bool:
    """Is raws[copy_index] the `COPY 1` of the builtin test above?"""
    names = [r.opname for r in ctx.raws[copy_index:copy_index + 4]]
    return copy_index >= 1 and names == ["COPY", "LOAD_COMMON_CONSTANT", "IS_OP", "POP_JUMP_IF_FALSE"] \
        and ctx.raws[copy_index].arg == 1 and ctx.raws[copy_index - 1].opname == "LOAD_GLOBAL"


def _copy(raw, ctx):
    if _builtin_fast_path(ctx, ctx.index):
        ctx.unchecked = True
        return []
    return [("copy", raw.arg, None)]


def _is_op(raw, ctx):
    if _builtin_fast_path(ctx, ctx.index - 2):
        ctx.unchecked = True
        return []
    return common.is_op(raw, ctx)


def _pop_jump_if_false(raw, ctx):
    if _builtin_fast_path(ctx, ctx.index - 3):
        ctx.unchecked = True
        return [("jump", None, raw.argval)]
    return [("branch", "false", raw.argval)]


HANDLERS = {
    **py313.HANDLERS,
    "BINARY_OP": _binary_op,
    "LOAD_SMALL_INT": lambda raw, ctx: [("const", raw.arg, None)],
    "LOAD_CONST_IMMORTAL": common.load_const,
    "LOAD_CONST_MORTAL": common.load_const,
    "LOAD_FAST_BORROW": common.plain("load_local", argval=True),
    "LOAD_FAST_BORROW_LOAD_FAST_BORROW": common.load_load,
    "NOT_TAKEN": common.simple("nop"),
    "POP_ITER": common.simple("pop"),
    "LOAD_COMMON_CONSTANT": _load_common_constant,
    "COPY": _copy,
    "IS_OP": _is_op,
    "POP_JUMP_IF_FALSE": _pop_jump_if_false,
}
del HANDLERS["RETURN_CONST"]


def decode(func) -> DecodedCode:
    return common.decode_code(func, HANDLERS, for_iter_cleanup=("END_FOR", "POP_ITER"), version=VERSION,
                              fmt=FORMAT,
                              prepare=py312.plan_comprehensions)
