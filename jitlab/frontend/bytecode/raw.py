"""A fast reader of raw CPython instructions: `co_code` walked directly.

Why: `dis.get_instructions` builds labels, argument reprs, cache listings and line
tables that the decoder never reads; it was about half of decoding time.  This module reads
what the decoder needs, in one pass over the code units: opname, opcode, the argument
(`EXTENDED_ARG` prefixes folded in, as `dis` does), the argument's meaning (`argval`: a
constant, a name, a local, a jump target offset), the offset and the source position.
`argrepr`, rarely needed (error messages, 3.14's `LOAD_COMMON_CONSTANT`), comes from `dis`
on first use.  `tests/frontend/test_raw.py` checks the records against `dis.get_instructions`.

What differs between versions is data: the per-opcode tables come from the running
interpreter's own `dis`/`opcode` modules (opcode numbers, which opcodes take an argument,
inline cache sizes, jump directions), and the argument encodings that differ (`LOAD_GLOBAL`'s
low bit, `COMPARE_OP`'s shift, superinstructions' packed locals) are the `ArgFormat` each
decoder module passes in.
"""
from __future__ import annotations

import dis
import opcode
from dataclasses import dataclass
from typing import Any, NamedTuple

_INT_OVERFLOW = 2 ** 32  # the oparg is a signed 32-bit integer, as in dis._unpack_opargs


@dataclass(frozen=True)
class ArgFormat:
    """How one Python version encodes arguments, where that is not in `dis`'s opcode lists.

    name_shift: (opname, right shift of the name index) pairs (`LOAD_GLOBAL`: 1, the low bit
    asks for a NULL); compare_shift: `COMPARE_OP`'s index shift; local_pairs: superinstructions whose
    argument packs two locals (high and low 4 bits).
    """

    name_shift: tuple[tuple[str, int], ...] = ()
    compare_shift: int = 0
    local_pairs: tuple[str, ...] = ()


class RawInstruction(NamedTuple):
    """One raw instruction, with the attributes of `dis.Instruction` the decoder reads
    (an immutable named tuple: one is made per code unit on every decode, see `get_instructions`).
    `pos` is the source span as `co_positions` gives it, `code` the code object."""

    opname: str
    opcode: int
    arg: int | None
    argval: Any
    offset: int
    line: int | None
    col: int | None
    pos: tuple
    code: Any

    @property
    def positions(self) -> dis.Positions:
        return dis.Positions(*self.pos)

    @property
    def argrepr(self) -> str:
        for ins in dis.get_instructions(self.code):
            if ins.offset == self.offset:
                return ins.argrepr
        return ""

    def __repr__(self) -> str:
        return f"RawInstruction({self.offset}: {self.opname} {self.arg} {self.argval!r})"


# per-opcode kind of argument value
_CONST, _NAME, _JUMP_FWD, _JUMP_BACK, _LOCAL, _PAIR, _COMPARE, _PLAIN, _NOARG, _FORMAT, _CONVERT = range(11)
_CONVERTERS = (None, str, repr, ascii)  # an f-string field's !s / !r / !a


def _cache_entries(name: str, op: int) -> int:
    table = getattr(dis, "_inline_cache_entries", None)
    if isinstance(table, dict):
        return table.get(name, 0)
    if isinstance(table, list):
        return table[op]
    return 0


_TABLES: dict[ArgFormat, tuple] = {}
_LAST_TABLES: list = [None]  # (format, tables) of the last call


def _tables(fmt: ArgFormat) -> tuple:
    last = _LAST_TABLES[0]
    if last is not None and last[0] is fmt:  # one format per interpreter: skip hashing it
        return last[1]
    got = _TABLES.get(fmt)
    if got is not None:
        _LAST_TABLES[0] = (fmt, got)
        return got
    hasarg = set(getattr(opcode, "hasarg", ())) or set(range(dis.HAVE_ARGUMENT, 256))
    jumps = set(dis.hasjrel) | set(dis.hasjabs)
    name_shift = dict(fmt.name_shift)
    names, kinds, caches, shifts = [], [], [], []
    for op in range(256):
        name = dis.opname[op]
        names.append(name)
        caches.append(_cache_entries(name, op))
        shifts.append(name_shift.get(name, 0))
        if op not in hasarg:
            kinds.append(_NOARG)
        elif op in dis.hasconst:
            kinds.append(_CONST)
        elif op in dis.hasname:
            kinds.append(_NAME)
        elif op in jumps:
            if op in dis.hasjabs:
                raise NotImplementedError(f"absolute jump {name}")  # none since 3.11
            kinds.append(_JUMP_BACK if dis._is_backward_jump(op) else _JUMP_FWD)
        elif name in fmt.local_pairs:
            kinds.append(_PAIR)
        elif op in dis.haslocal or op in dis.hasfree:
            kinds.append(_LOCAL)
        elif op in dis.hascompare:
            kinds.append(_COMPARE)
        elif name == "FORMAT_VALUE":  # 3.11-3.12: conversion and "has a format spec" in one
            kinds.append(_FORMAT)
        elif name == "CONVERT_VALUE":  # 3.13+
            kinds.append(_CONVERT)
        else:
            kinds.append(_PLAIN)
    steps = [2 + 2 * c for c in caches]  # code units to the next instruction, in bytes
    got = _TABLES[fmt] = (names, kinds, caches, shifts, dis.opmap["EXTENDED_ARG"], steps)
    return got


def get_instructions(code, fmt: ArgFormat) -> list[RawInstruction]:
    """The raw instructions of a code object, as `dis.get_instructions` lists them."""
    names, kinds, caches, shifts, extended, steps = _tables(fmt)
    raw = code.co_code
    positions = list(code.co_positions())
    consts, conames, varname = code.co_consts, code.co_names, code._varname_from_oparg
    cmp_op, cshift = dis.cmp_op, fmt.compare_shift
    out = []
    append, new = out.append, tuple.__new__
    ext = 0
    i, n = 0, len(raw)
    while i < n:
        op = raw[i]
        kind = kinds[op]
        if kind == _NOARG:
            arg = argval = None
            ext = 0
        else:
            arg = raw[i + 1] | ext
            if op == extended:
                ext = arg << 8
                if ext >= _INT_OVERFLOW:
                    ext -= 2 * _INT_OVERFLOW
            else:
                ext = 0
            # most frequent kinds first: locals, constants, plain arguments (BINARY_OP, CALL)
            if kind == _LOCAL:
                argval = varname(arg)
            elif kind == _CONST:
                argval = consts[arg]
            elif kind == _PLAIN:
                argval = arg
            elif kind == _NAME:
                argval = conames[arg >> shifts[op]]
            elif kind == _JUMP_FWD:
                argval = i + 2 + 2 * arg + 2 * caches[op]
            elif kind == _JUMP_BACK:
                argval = i + 2 - 2 * arg + 2 * caches[op]
            elif kind == _COMPARE:
                argval = cmp_op[arg >> cshift]
            elif kind == _PAIR:
                argval = (varname(arg >> 4), varname(arg & 15))
            elif kind == _FORMAT:
                argval = (_CONVERTERS[arg & 3], bool(arg & 4))
            else:  # _CONVERT
                argval = _CONVERTERS[arg]
        pos = positions[i >> 1]
        append(new(RawInstruction, (names[op], op, arg, argval, i, pos[0], pos[2], pos, code)))
        i += steps[op]
    return out
