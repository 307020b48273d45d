"""Decoding machinery shared by the per-version decoders.

A per-version module supplies a table `opname -> handler`; a handler turns
one raw `dis.Instruction` into zero or more vocabulary operations
`(op, arg, target)`.  This module walks the raw instructions, keeps
positions, refuses unsupported constructs by name and unknown opcodes with
`UnsupportedBytecode`, and records CPython's own stack effects for the flow
graph's cross-check.  It never asks which Python is running: what differs
between versions lives in the tables.
"""
from __future__ import annotations

import dis
import inspect
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

from jitlab.errors import UnsupportedBytecode, UnsupportedError

from .instructions import (
    BINARY_OPERATORS, UNSUPPORTED_CONSTRUCTS, DecodedCode, Instruction, dis_stack_effect,
)

Op = tuple  # (op, arg, target)


@dataclass
class Context:
    """What a handler may look at besides its own raw instruction."""

    code: Any
    raws: list
    index: int
    version: str                          # "3.12": the decoder's own version, for messages
    kwnames: tuple[str, ...] = ()         # set by 3.11/3.12 KW_NAMES for the next CALL

    def next_raw(self, k: int = 1):
        j = self.index + k
        return self.raws[j] if j < len(self.raws) else None


Handler = Callable[[Any, Context], list]


def const(value) -> Handler:
    return lambda raw, ctx: [("const", value, None)]


def load_const(raw, ctx):
    """A constant; a constant tuple unpacked at once pushes its items instead (last first)."""
    nxt = ctx.next_raw()
    if isinstance(raw.argval, tuple) and nxt is not None and nxt.opname == "UNPACK_SEQUENCE" \
            and nxt.arg == len(raw.argval):
        return [("const", v, None) for v in reversed(raw.argval)]
    return [("const", raw.argval, None)]


def build_tuple(raw, ctx):
    """`BUILD_TUPLE n; UNPACK_SEQUENCE n` (`a, b, c, d = d, c, b, a`) folds away: no tuple value.

    Any other tuple display is a value: `build_tuple n`.
    """
    nxt = ctx.next_raw()
    if nxt is not None and nxt.opname == "UNPACK_SEQUENCE" and nxt.arg == raw.arg:
        return []
    return [("build_tuple", raw.arg, None)]


def unpack_sequence(raw, ctx):
    """The second half of the folds above (the items are already on the stack, reversed), else
    `unpack n` of a runtime value (`a, b = t`)."""
    prev = ctx.raws[ctx.index - 1] if ctx.index > 0 else None
    if prev is not None and prev.opname == "BUILD_TUPLE" and prev.arg == raw.arg:
        return [("reverse", raw.arg, None)]
    if prev is not None and prev.opname.startswith("LOAD_CONST") and isinstance(prev.argval, tuple) \
            and len(prev.argval) == raw.arg:
        return []
    return [("unpack", raw.arg, None)]


def raise_varargs(raw, ctx):
    """`raise E` / `raise E(...)`; a bare re-raise and `raise ... from ...` are refused."""
    if raw.arg == 1:
        return [("raise", None, None)]
    if raw.arg == 0:
        raise UnsupportedError("bare raise (re-raise outside an except block)")
    raise UnsupportedError("raise ... from ... (exception chaining)")


def load_builtin(name: str) -> Handler:
    return lambda raw, ctx: [("load_builtin", name, None)]


def build_slice(raw, ctx):
    return [("build_slice", raw.arg, None)]


def binary_slice(raw, ctx):
    """`a[i:j]` in one instruction (3.12+): the slice, then a plain subscript."""
    return [("build_slice", 2, None), ("getitem", None, None)]


def store_slice(raw, ctx):
    """`a[i:j] = v` in one instruction (3.12+): the slice, then a plain item store."""
    return [("build_slice", 2, None), ("setitem", None, None)]


def simple(op: str, arg=None) -> Handler:
    return lambda raw, ctx: [(op, arg, None)]


def binary_op(raw, ctx):
    """BINARY_OP: argument -> operator; in-place forms (`+=`) are the same operator."""
    n = len(BINARY_OPERATORS)
    if not 0 <= raw.arg < 2 * n:
        raise _unknown(raw, ctx, f"BINARY_OP argument {raw.arg}")
    op = BINARY_OPERATORS[raw.arg % n]
    if op == "@":
        raise UnsupportedError("matrix multiplication operator @")
    return [("binary", op, None)]


def is_op(raw, ctx):
    return [("compare", "isnot" if raw.arg else "is", None)]


def branch(cond: str) -> Handler:
    return lambda raw, ctx: [("branch", cond, raw.argval)]


def branch_or_pop(cond: str) -> Handler:
    return lambda raw, ctx: [("branch_or_pop", cond, raw.argval)]


def jump(raw, ctx):
    return [("jump", None, raw.argval)]


def load_global(null_first: bool) -> Handler:
    """LOAD_GLOBAL; the low bit asks for a NULL beside the callable (below it when `null_first`).

    `call` accepts the NULL on either side of the callable, so the order only
    matters to instructions that work on the top of the stack (`LOAD_ATTR`).
    """
    def handler(raw, ctx):
        ops = [("load_global", raw.argval, None)]
        if raw.arg & 1:
            ops.insert(0 if null_first else 1, ("push_null", None, None))
        return ops
    return handler


def load_method(raw, ctx):
    """Method-form attribute load (`LOAD_METHOD`, `LOAD_ATTR` with the low bit): pops the object,
    pushes "callable, self" for a method of a runtime value and "callable, NULL" for a module's
    function.  CPython's NULL position differs per version; `call` accepts either side, so the
    vocabulary keeps one order.
    """
    return [("load_method", raw.argval, None)]


def store_then_load(raw, ctx):
    a, b = raw.argval
    return [("store_local", a, None), ("load_local", b, None)]


def load_load(raw, ctx):
    a, b = raw.argval
    return [("load_local", a, None), ("load_local", b, None)]


def store_store(raw, ctx):
    a, b = raw.argval
    return [("store_local", a, None), ("store_local", b, None)]


def return_const(raw, ctx):
    return [("const", raw.argval, None), ("return", None, None)]


def _position(raw, last_line: int | None):
    pos = raw.positions
    line = pos.lineno if pos is not None and pos.lineno is not None else last_line
    col = pos.col_offset if pos is not None and pos.col_offset is not None else None
    return line, col


def _unknown(raw, ctx, what: str | None = None) -> UnsupportedBytecode:
    line, col = _position(raw, ctx.code.co_firstlineno)
    return UnsupportedBytecode(
        what or raw.opname, filename=ctx.code.co_filename, line=line, col=col,
        hint=f"jitlab's Python {ctx.version} decoder does not know this opcode; "
             "rewrite the construct or report it",
    )


_GENERATOR_OPS = ("YIELD_VALUE", "GET_AWAITABLE", "SEND", "GET_AITER", "GET_ANEXT", "GET_YIELD_FROM_ITER")


def check_signature(func, raws) -> None:
    code = func.__code__
    if code.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
        first = next((r for r in raws if r.opname in _GENERATOR_OPS), None)
        line, col = _position(first, code.co_firstlineno) if first else (code.co_firstlineno, None)
        what = UNSUPPORTED_CONSTRUCTS[first.opname] if first else "yield"
        raise UnsupportedError(f"generator or coroutine function ({what})",
                               filename=code.co_filename, line=line, col=col)
    if code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        raise UnsupportedError("*args or **kwargs parameters",
                               filename=code.co_filename, line=code.co_firstlineno)
    if code.co_cellvars:
        raise UnsupportedError("closure (a nested function or lambda captures a local variable)",
                               filename=code.co_filename, line=code.co_firstlineno)


def decode_code(func, handlers: dict[str, Handler], for_iter_cleanup: tuple[str, ...],
                version: str) -> DecodedCode:
    """Decode `func` with a version's handler table.

    `for_iter_cleanup` names the instructions a version puts at a `FOR_ITER`
    target (3.12: `END_FOR`, 3.13: `END_FOR POP_TOP`): the vocabulary's
    `for_iter` jumps past them, and their CPython stack effects are added to
    the recorded jump effect so the cross-check still compares like with like.
    """
    code = func.__code__
    raws = list(dis.get_instructions(code))
    check_signature(func, raws)
    by_offset = {r.offset: i for i, r in enumerate(raws)}
    out: list[Instruction] = []
    ctx = Context(code, raws, 0, version)
    last_line = code.co_firstlineno
    for index, raw in enumerate(raws):
        ctx.index = index
        line, col = _position(raw, last_line)
        last_line = line
        construct = UNSUPPORTED_CONSTRUCTS.get(raw.opname)
        if construct == "try statement":  # handler code sits after the body: name the body's line
            raise UnsupportedError(construct, filename=code.co_filename, line=_handler_line(code, raws))
        if construct is not None:
            raise UnsupportedError(construct, filename=code.co_filename, line=line, col=col)
        handler = handlers.get(raw.opname)
        if handler is None:
            raise _unknown(raw, ctx)
        try:
            ops = handler(raw, ctx)
        except UnsupportedError as err:
            raise err.with_location(code.co_filename, line, col) from None
        dis_next = dis_stack_effect(raw, jump=False)
        dis_jump = dis_stack_effect(raw, jump=True)
        if ops and ops[-1][0] == "for_iter" and for_iter_cleanup:
            target_index = by_offset[ops[-1][2]]
            skipped = raws[target_index:target_index + len(for_iter_cleanup)]
            if tuple(r.opname for r in skipped) != for_iter_cleanup:
                raise _unknown(raw, ctx, f"FOR_ITER target {[r.opname for r in skipped]}")
            dis_jump += sum(dis_stack_effect(r, jump=False) for r in skipped)
            after = raws[target_index + len(for_iter_cleanup)].offset
            ops[-1] = ("for_iter", None, after)
        if not ops:
            ops = [("nop", None, None)]  # keep every offset so jumps may target it
        for part, (op, arg, target) in enumerate(ops):
            last = part == len(ops) - 1
            out.append(Instruction(raw.offset, part, raw.opname, op, arg, target, line, col,
                                   (dis_next, dis_jump) if last else None))
    if code.co_exceptiontable:
        raise UnsupportedError("try or with statement (exception handlers)",
                               filename=code.co_filename, line=_handler_line(code, raws))
    argcount = code.co_argcount + code.co_kwonlyargcount
    return DecodedCode(func.__name__, code.co_filename, code.co_firstlineno,
                       tuple(code.co_varnames[:argcount]), tuple(out), version)


def _handler_line(code, raws) -> int:
    """The line of the first instruction an exception-table entry covers."""
    starts = {e.start for e in dis.Bytecode(code).exception_entries}
    for raw in raws:
        if raw.offset in starts and raw.positions is not None and raw.positions.lineno:
            return raw.positions.lineno
    return code.co_firstlineno


def common_handlers() -> dict[str, Handler]:
    """Opcodes that mean the same in 3.11, 3.12 and 3.13."""
    return {
        "NOP": simple("nop"), "RESUME": simple("nop"), "EXTENDED_ARG": simple("nop"),
        "CACHE": simple("nop"),
        "LOAD_CONST": load_const,
        "BUILD_TUPLE": build_tuple, "UNPACK_SEQUENCE": unpack_sequence,
        "LOAD_FAST": lambda raw, ctx: [("load_local", raw.argval, None)],
        "LOAD_FAST_CHECK": lambda raw, ctx: [("load_local", raw.argval, None)],
        "STORE_FAST": lambda raw, ctx: [("store_local", raw.argval, None)],
        "BINARY_OP": binary_op,
        "UNARY_NEGATIVE": simple("unary", "-"), "UNARY_INVERT": simple("unary", "~"),
        "UNARY_NOT": simple("unary", "not"),
        "IS_OP": is_op,
        "BINARY_SUBSCR": simple("getitem"), "STORE_SUBSCR": simple("setitem"),
        "GET_ITER": simple("get_iter"),
        "POP_TOP": simple("pop"),
        "COPY": lambda raw, ctx: [("copy", raw.arg, None)],
        "SWAP": lambda raw, ctx: [("swap", raw.arg, None)],
        "PUSH_NULL": simple("push_null"),
        "RETURN_VALUE": simple("return"),
        "RAISE_VARARGS": raise_varargs,
        "LOAD_ASSERTION_ERROR": load_builtin("AssertionError"),
        "BUILD_SLICE": build_slice,
        "LOAD_DEREF": lambda raw, ctx: [("load_deref", raw.argval, None)],
        "COPY_FREE_VARS": simple("nop"),
        "JUMP_FORWARD": jump, "JUMP_BACKWARD": jump, "JUMP_BACKWARD_NO_INTERRUPT": jump,
        "FOR_ITER": lambda raw, ctx: [("for_iter", None, raw.argval)],
    }
