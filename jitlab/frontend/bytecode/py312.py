"""CPython 3.12 -> jitlab vocabulary.

3.12 specifics: no `PRECALL`; `KW_NAMES` still names the next call's keywords;
`LOAD_ATTR`'s low bit replaces `LOAD_METHOD`; `COMPARE_OP`'s argument holds the
comparison index shifted left by 4; `RETURN_CONST`; one direction-free
`POP_JUMP_IF_*` family; unary plus is `CALL_INTRINSIC_1 5`; `FOR_ITER` targets
an `END_FOR` that pops iterator and item (the vocabulary jumps past it).
"""
from __future__ import annotations

import dis

from . import common, raw
from .instructions import DecodedCode

INTRINSIC_UNARY_POSITIVE = 5


@common.pure
def _compare(raw, ctx):
    return [("compare", dis.cmp_op[raw.arg >> 4], None)]


@common.pure
def load_attr(raw, ctx):
    """`LOAD_ATTR`, low bit set: the method form, pushing "NULL|self, attribute"."""
    if raw.arg & 1:
        return common.load_method(raw, ctx)
    return [("load_attr", raw.argval, None)]


def _kw_names(raw, ctx):
    ctx.kwnames = tuple(raw.argval)
    return []


def intrinsic_1(raw, ctx):
    if raw.arg == INTRINSIC_UNARY_POSITIVE:
        return [("unary", "+", None)]
    raise common._unknown(raw, ctx, f"CALL_INTRINSIC_1 {raw.argrepr or raw.arg}")


def plan_comprehensions(ctx) -> None:
    """Find the inlined comprehensions (PEP 709) of a code object before decoding it.

    Each starts with `LOAD_FAST_AND_CLEAR` of the names it binds (their old values saved on the
    stack), `SWAP`, `BUILD_LIST|SET|MAP 0`; an exception-table entry from the build to the loop's
    end leads to a cleanup that restores the names and re-raises.  The vocabulary keeps none of
    the saving (see `common`): the names are renamed to the comprehension's scope from the first
    `LOAD_FAST_AND_CLEAR` until their restoring stores after the loop, the saved values, the
    `SWAP`s that move them and the cleanup code never appear.  Records, by raw index of the first
    `LOAD_FAST_AND_CLEAR`: (names, end offset of the loop).
    """
    raws = ctx.raws
    if not any(r.opname == "LOAD_FAST_AND_CLEAR" for r in raws):
        return
    entries = dis.Bytecode(ctx.code).exception_entries
    starts = []
    i = 0
    while i < len(raws):
        if raws[i].opname != "LOAD_FAST_AND_CLEAR":
            i += 1
            continue
        j = i
        while j < len(raws) and raws[j].opname == "LOAD_FAST_AND_CLEAR":
            j += 1
        if j < len(raws) and raws[j].opname == "SWAP":
            ctx.hidden.add(j)
            j += 1
        build = raws[j] if j < len(raws) else None
        target = next((e.target for e in entries if build is not None and e.start == build.offset), None)
        if build is None or not build.opname.startswith("BUILD_") or target is None:
            raise common._unknown(raws[i], ctx, "LOAD_FAST_AND_CLEAR outside an inlined comprehension")
        starts.append((i, [r.argval for r in raws[i:j] if r.opname == "LOAD_FAST_AND_CLEAR"], target))
        i = j
    for _, _, target in starts:
        common.skip_handler(ctx, target)
    skipped = {raws[k].offset for k in ctx.skip}
    for i, names, target in starts:
        end = max(e.end for e in entries if e.target == target and e.start not in skipped)
        ctx.plans[i] = (names, end)
        at_end = next((k for k, r in enumerate(raws) if r.offset == end), None)
        if at_end is not None and raws[at_end].opname == "SWAP":
            ctx.hidden.add(at_end)


def load_fast_and_clear(raw, ctx):
    """Save a name for an inlined comprehension: hidden; the first opens the comprehension's scope."""
    plan = ctx.plans.get(ctx.index)
    if plan is not None:
        names, end = plan
        ctx.open_scope(names)
        ctx.restores.append((end, set(names)))
    ctx.unchecked = True
    return []


def call(raw, ctx):
    """`CALL n` (the keyword names of `KW_NAMES` before it); a comprehension's call inlines it."""
    if common.comprehension_call(raw, ctx):
        return common.inline_comprehension(raw, ctx)
    kwnames, ctx.kwnames = ctx.kwnames, ()
    return [("call", (raw.arg, kwnames, False), None)]


def raise_varargs(raw, ctx):
    """`raise`; an `assert`'s raise sits at the statement's column in 3.12 but at the condition's
    in 3.11 and 3.13+: it takes the condition's, the position of the jump over the raise."""
    ops = common.raise_varargs(raw, ctx)
    for k in range(ctx.index - 1, max(ctx.index - 64, 0), -1):
        prev = ctx.raws[k]
        if prev.opname == "LOAD_ASSERTION_ERROR":
            jump = ctx.raws[k - 1]
            if jump.opname.startswith("POP_JUMP_IF") and jump.line is not None:
                return [(*op, (jump.line, jump.col)) for op in ops]
            break
        if prev.opname in ("RAISE_VARARGS", "RETURN_VALUE", "RETURN_CONST") or "JUMP" in prev.opname:
            break
    return ops


HANDLERS = {
    **common.common_handlers(),
    "RAISE_VARARGS": raise_varargs,
    "FORMAT_VALUE": common.format_value,
    "COMPARE_OP": _compare,
    "LOAD_GLOBAL": common.load_global(null_first=True),
    "LOAD_ATTR": load_attr,
    "KW_NAMES": _kw_names,
    "CALL": call,
    "CALL_INTRINSIC_1": intrinsic_1,
    "RETURN_CONST": common.return_const,
    "BINARY_SLICE": common.binary_slice,
    "STORE_SLICE": common.store_slice,
    "LOAD_FAST_AND_CLEAR": load_fast_and_clear,
    "END_FOR": lambda raw, ctx: [("pop", None, None), ("pop", None, None)],
    "POP_JUMP_IF_TRUE": common.branch("true"),
    "POP_JUMP_IF_FALSE": common.branch("false"),
    "POP_JUMP_IF_NONE": common.branch("none"),
    "POP_JUMP_IF_NOT_NONE": common.branch("notnone"),
}


# argument encodings `dis` knows but its opcode lists do not say (see `raw.py`)
FORMAT = raw.ArgFormat(name_shift=(("LOAD_GLOBAL", 1), ("LOAD_ATTR", 1), ("LOAD_SUPER_ATTR", 2)),
                       compare_shift=4)
VERSION = "3.12"


def decode(func) -> DecodedCode:
    return common.decode_code(func, HANDLERS, for_iter_cleanup=("END_FOR",), version=VERSION,
                              fmt=FORMAT,
                              prepare=plan_comprehensions)
