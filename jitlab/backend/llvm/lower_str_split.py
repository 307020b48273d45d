"""`s.split()`, `s.split(sep, maxsplit)`, `s.strip(chars)` (`lstrip`, `rstrip`) and `sep.join(xs)`
natively: split's parts and strip's result are views into `s` (no copies).

The whitespace of `s.split()` is CPython's (`str.isspace`): the ASCII controls 9-13 and 28-31,
the space, and the Unicode spaces listed in `SPACES` (`tests/test_strings.py` checks the list
against the running CPython).
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import I64 as I64_T, ListType, NoneType, StrType

from . import lower_lists
from .lower import I1, I64, FunctionLowerer
from .lower_str import CHAR, STR_T, at, make, parts, search

# the code points above 127 for which `str.isspace()` is true
SPACES = (0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000)
EMPTY_SEPARATOR = "empty separator"


def is_space(bld: ir.IRBuilder, unit: ir.Value) -> ir.Value:
    """Whether the code unit `unit` is whitespace (`str.isspace` of one character)."""
    def eq(v):
        return bld.icmp_unsigned("==", unit, CHAR(v))

    def within(lo, hi):
        return bld.icmp_unsigned("<=", bld.sub(unit, CHAR(lo)), CHAR(hi - lo))
    ascii_space = bld.or_(bld.or_(eq(32), within(9, 13)), within(28, 31))
    wide = eq(SPACES[0])
    for v in (0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000):
        wide = bld.or_(wide, eq(v))
    wide = bld.or_(wide, within(0x2000, 0x200A))
    return bld.select(bld.icmp_unsigned("<", unit, CHAR(0x80)), ascii_space, wide)


class _Vars:
    """Mutable locals of the loops below: stack slots (SROA turns them into registers)."""

    def __init__(self, fl: FunctionLowerer, **init):
        self.fl = fl
        self.slots = {}
        for name, value in init.items():
            slot = fl.alloca(value.type, name=f"split.{name}")
            fl.builder.store(value, slot)
            self.slots[name] = slot

    def __getattr__(self, name):
        slot = self.__dict__["slots"][name]
        return self.__dict__["fl"].builder.load(slot, typ=slot.allocated_type)

    def set(self, name, value):
        self.fl.builder.store(value, self.slots[name])


def _while(fl: FunctionLowerer, cond, body, name: str) -> None:
    bld = fl.builder
    head = fl.func.append_basic_block(f"{name}.head")
    step = fl.func.append_basic_block(f"{name}.body")
    done = fl.func.append_basic_block(f"{name}.done")
    bld.branch(head)
    bld.position_at_end(head)
    bld.cbranch(cond(), step, done)
    bld.position_at_end(step)
    body(done)
    if bld.block.terminator is None:
        bld.branch(head)
    bld.position_at_end(done)


def split(fl: FunctionLowerer, s: ir.Value, sep, maxsplit, rt: ListType) -> ir.Value:
    """`s.split(sep, maxsplit)`; `sep` and `maxsplit` are (value, type) or None."""
    bld = fl.builder
    p, n = parts(bld, s)
    limit = I64(-1) if maxsplit is None else fl.cast(maxsplit[0], maxsplit[1], I64_T)
    out = lower_lists.empty(fl, rt.elem)
    v = _Vars(fl, i=I64(0), count=I64(0))

    def add(start, stop):
        lower_lists.append(fl, out, rt.elem, make(bld, at(bld, p, start), bld.sub(stop, start)), StrType())

    def room():
        return bld.or_(bld.icmp_signed("<", limit, I64(0)), bld.icmp_signed("<", v.count, limit))

    if sep is not None and not isinstance(sep[1], NoneType):
        needle = sep[0]
        fl.raise_if(bld.icmp_signed("==", bld.extract_value(needle, 1), I64(0)), ValueError, EMPTY_SEPARATOR)

        def body(done):
            j = search(fl, "find", s, needle, v.i, None)
            found = fl.func.append_basic_block("split.found")
            bld.cbranch(bld.icmp_signed("<", j, I64(0)), done, found)
            bld.position_at_end(found)
            add(v.i, j)
            v.set("i", bld.add(j, bld.extract_value(needle, 1)))
            v.set("count", bld.add(v.count, I64(1)))
        _while(fl, room, body, "split")
        add(v.i, n)
        return out

    def scan(var: str, space: bool, name: str) -> None:
        """Advance `var` while it is below `n` and `s[var].isspace()` is `space`."""
        head, check, step, done = (fl.func.append_basic_block(f"{name}.{k}")
                                   for k in ("head", "check", "step", "done"))
        bld.branch(head)
        bld.position_at_end(head)
        k = getattr(v, var)
        bld.cbranch(bld.icmp_signed("<", k, n), check, done)
        bld.position_at_end(check)
        hit = is_space(bld, bld.load(at(bld, p, k), typ=CHAR))
        bld.cbranch(hit if space else bld.not_(hit), step, done)
        bld.position_at_end(step)
        v.set(var, bld.add(k, I64(1)))
        bld.branch(head)
        bld.position_at_end(done)

    def body(done):
        # skip whitespace, then take one word (the rest of `s` once `maxsplit` words were taken)
        scan("i", True, "split.space")
        word, take, rest = (fl.func.append_basic_block(f"split.{k}") for k in ("word", "take", "rest"))
        bld.cbranch(bld.icmp_signed(">=", v.i, n), done, word)
        bld.position_at_end(word)
        bld.cbranch(room(), take, rest)
        bld.position_at_end(rest)
        add(v.i, n)
        bld.branch(done)
        bld.position_at_end(take)
        v.set("j", v.i)
        scan("j", False, "split.nonspace")
        add(v.i, v.j)
        v.set("i", v.j)
        v.set("count", bld.add(v.count, I64(1)))
    v.slots["j"] = fl.alloca(I64, name="split.j")
    _while(fl, lambda: ir.Constant(I1, 1), body, "split.words")
    return out


def strip(fl: FunctionLowerer, s: ir.Value, chars, left: bool, right: bool) -> ir.Value:
    """`s.strip(chars)` (`lstrip`, `rstrip`): a view of `s` without the leading and trailing
    characters in `chars` (whitespace when `chars` is None or `none`)."""
    bld = fl.builder
    p, n = parts(bld, s)
    v = _Vars(fl, i=I64(0), j=n)
    strips_space = chars is None or isinstance(chars[1], NoneType)

    def stripped(k: ir.Value) -> ir.Value:
        unit = bld.load(at(bld, p, k), typ=CHAR)
        if strips_space:
            return is_space(bld, unit)
        found = search(fl, "find", chars[0], make(bld, at(bld, p, k), I64(1)), None, None)
        return bld.icmp_signed(">=", found, I64(0))

    def scan(var: str, step: int) -> None:
        head, check, advance, done = (fl.func.append_basic_block(f"strip.{k}")
                                      for k in ("head", "check", "step", "done"))
        bld.branch(head)
        bld.position_at_end(head)
        i, j = v.i, v.j
        bld.cbranch(bld.icmp_signed("<", i, j), check, done)
        bld.position_at_end(check)
        k = i if step > 0 else bld.sub(j, I64(1))
        bld.cbranch(stripped(k), advance, done)
        bld.position_at_end(advance)
        v.set(var, bld.add(getattr(v, var), I64(step)))
        bld.branch(head)
        bld.position_at_end(done)
    if left:
        scan("i", 1)
    if right:
        scan("j", -1)
    i = v.i
    return make(bld, at(bld, p, i), bld.sub(v.j, i))


def join(fl: FunctionLowerer, sep: ir.Value, lst: ir.Value) -> ir.Value:
    """`sep.join(items)` of a list of strs: one new block, the items copied in."""
    from .lower_str import _memcpy, alloc

    bld = fl.builder
    count = lower_lists.length(fl, lst)
    data = lower_lists._data(fl, lst)
    psep, nsep = parts(bld, sep)
    v = _Vars(fl, total=I64(0), at=I64(0))

    def item(k):
        return bld.load(bld.gep(data, [k], source_etype=STR_T), typ=STR_T)

    lower_lists._loop(fl, count, lambda k: v.set("total", bld.add(v.total, bld.extract_value(item(k), 1))))
    gaps = bld.select(bld.icmp_signed(">", count, I64(0)), bld.sub(count, I64(1)), I64(0))
    total = bld.add(v.total, bld.mul(gaps, nsep))
    out = alloc(fl, total)

    def put(k):
        with bld.if_then(bld.icmp_signed(">", k, I64(0))):
            _memcpy(fl, at(bld, out, v.at), psep, nsep)
            v.set("at", bld.add(v.at, nsep))
        src, m = parts(bld, item(k))
        _memcpy(fl, at(bld, out, v.at), src, m)
        v.set("at", bld.add(v.at, m))
    lower_lists._loop(fl, count, put)
    return make(bld, out, total)


__all__ = ["SPACES", "is_space", "join", "split", "strip"]
