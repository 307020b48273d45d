"""Exception messages that show values (`raise ValueError(f"bad {x:.3f}")`), made when raised.

The hot path pays nothing: the native code formats no text.  A raising site stores its
values into a static *message record* of its own and hands the wrapper a pointer to
it through `%excmsg`, where constant messages hand a C string:

    record = { [8 x i8] marker, ptr recipe, [n x [2 x i64]] values }   (marker[0] = 1)
    recipe = { i64 count, [count x { i64 kind, ptr text }] }

A piece's `kind` holds its value type in the low four bits (`LITERAL`: `text` is the
literal; otherwise `text` is the format spec and the piece takes the next value slot)
and its conversion (`!s`, `!r`, `!a`) above them.  The wrapper (`abi.py`) tells the two
apart by the first byte -- a UTF-8 message never starts with byte 1 (a constant message
that does is sent as a record too) -- and builds the message with CPython's own C API:
each value boxed (`PyFloat_FromDouble`...), converted (`PyObject_Repr`...) and formatted
(`PyObject_Format`), the pieces joined.  The text is exactly what the f-string makes in
CPython, float formatting included, and a bad spec raises CPython's own error.

A record is static, like the array checks' message buffer: it is read right after the
call returns, so only concurrent failing calls of one function could mix their values.
"""
from __future__ import annotations

import functools
import string

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import C128, F64, BoolType, IntType, StrType, Type

from .irmodule import get_or_define

MARKER = 1
KEY_MARKER = 2  # a record whose values are the exception's argument itself (`KeyError(key)`)
LITERAL, SIGNED, UNSIGNED, FLOAT, BOOL, COMPLEX, OBJECT, STR = range(8)  # OBJECT: a new reference (print)
# STR: a str's (UTF-32 data, length) in the slot's two words (`lower_str.py`)
CONVERSIONS = {None: 0, "s": 1, "r": 2, "a": 3, "%": 4}  # "%": the spec is a printf-style template

_PTR = ir.PointerType()
_I8, _I32, _I64, _F64 = ir.IntType(8), ir.IntType(32), ir.IntType(64), ir.DoubleType()
_SLOT = ir.ArrayType(_I64, 2)
_INT4 = ir.Constant(ir.IntType(32), 4)  # PyUnicode_4BYTE_KIND
_PIECE = ir.LiteralStructType([_I64, _PTR])


def value_kind(t: Type) -> int:
    if isinstance(t, BoolType):
        return BOOL
    if isinstance(t, IntType):
        return SIGNED if t.signed else UNSIGNED
    if t == F64:
        return FLOAT
    if t == C128:
        return COMPLEX
    if isinstance(t, StrType):
        return STR
    raise LoweringError(f"cannot show a {t} value in an exception message")


def pieces(fmt: str) -> list[tuple[str, str | None, str | None]]:
    """`fmt` as (literal, spec, conversion) pieces, the spec None for a literal: `str.format`'s
    own parser, automatic field numbering only (what the frontend writes)."""
    out = []
    for literal, field, spec, conversion in string.Formatter().parse(fmt):
        if literal:
            out.append((literal, None, None))
        if field is not None:
            if field != "":
                raise LoweringError(f"message format {fmt!r} names a field ({field!r})")
            out.append(("", spec or "", conversion))
    return out


def raise_record(fl, fmt: str, values: list[ir.Value], types: list[Type],
                 marker: int = MARKER) -> ir.GlobalVariable:
    """Store `values` into a new message record for `fmt` and return the record (the builder
    is in the raising block); `fl` is the `FunctionLowerer`.  With `KEY_MARKER` (and `fmt` one
    `{}` per value) the wrapper raises the exception with the value itself as its argument, a
    tuple of the values when there are several (`set_key_helper`)."""
    return make_record(fl, fmt, values, [value_kind(t) for t in types], marker=marker)


def make_record(fl, fmt: str, values: list[ir.Value], kinds: list[int], on_stack: bool = False,
                marker: int = MARKER) -> ir.Value:
    """A record of `values` (of the value `kinds`) for `fmt`: a static one (a raised message, read
    after the call returns) or, `on_stack`, one in the function's frame (`print`, read at once)."""
    entries, k = [], 0
    for literal, spec, conversion in pieces(fmt):
        if spec is None:
            entries.append(ir.Constant.literal_struct([_I64(LITERAL), fl.cstring(literal)]))
            continue
        if k >= len(kinds):
            raise LoweringError(f"message format {fmt!r} has more fields than values", line=fl.line)
        kind = kinds[k] | CONVERSIONS[conversion] << 4
        entries.append(ir.Constant.literal_struct([_I64(kind), fl.cstring(spec)]))
        k += 1
    if k != len(kinds):
        raise LoweringError(f"message format {fmt!r} has {k} fields for {len(kinds)} values", line=fl.line)
    module = fl.module
    items = ir.ArrayType(_PIECE, len(entries))
    recipe_type = ir.LiteralStructType([_I64, items])
    recipe = ir.GlobalVariable(module, recipe_type, module.get_unique_name("jitlab.recipe"))
    recipe.linkage, recipe.global_constant = "internal", True
    recipe.initializer = ir.Constant(recipe_type, [_I64(len(entries)), ir.Constant(items, entries)])
    record_type = ir.LiteralStructType([ir.ArrayType(_I8, 8), _PTR, ir.ArrayType(_SLOT, len(kinds))])
    marker = ir.Constant(ir.ArrayType(_I8, 8), [marker] + [0] * 7)
    b = fl.builder
    if on_stack:
        record = fl.alloca(record_type, name="print.record")
        for k, field in ((0, marker), (1, recipe)):
            at = b.gep(record, [_I32(0), _I32(k)], source_etype=record_type)
            b.store(field, b.bitcast(at, field.type.as_pointer()))
    else:
        record = ir.GlobalVariable(module, record_type, module.get_unique_name("jitlab.raised"))
        record.linkage = "internal"
        values_init = ir.Constant(record_type.elements[2], None)
        record.initializer = ir.Constant(record_type, [marker, recipe, values_init])
    for i, (v, kind) in enumerate(zip(values, kinds)):
        slot = b.gep(record, [_I32(0), _I32(2), _I32(i)], source_etype=record_type)
        if kind == BOOL:
            v = b.zext(v, _I64)
        elif kind == OBJECT:
            v = b.ptrtoint(v, _I64)
        elif kind in (SIGNED, UNSIGNED) and v.type.width < 64:
            v = b.sext(v, _I64) if kind == SIGNED else b.zext(v, _I64)
        b.store(v, b.bitcast(slot, v.type.as_pointer()))  # an i64, a double or a complex's pair
    return record


# -- the wrapper's side -----------------------------------------------------------------------
def set_message_helper(wm) -> ir.Function:
    """`void jitlab.raise_record(ptr exc, ptr record)`: set `exc(message of record)` as the
    pending exception, or the error that making the message raised (a bad format spec).

    `wm` is the wrapper module under construction (`abi._WrapperModule`)."""
    name = "jitlab.raise_record"
    return get_or_define(wm.module, name, ir.FunctionType(ir.VoidType(), (_PTR, _PTR)),
                         functools.partial(_write_set_message_helper, wm))


def _write_set_message_helper(wm, fn: ir.Function) -> None:
    exc, record = fn.args
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    message = b.call(format_record_helper(wm, "jitlab.format_record"), [record])
    with b.if_then(b.icmp_unsigned("!=", message, _PTR(None))):
        b.call(wm.capi("PyErr_SetObject"), [exc, message])
        b.call(wm.capi("Py_DecRef"), [message])
    b.ret_void()


def print_helper(wm, name: str = "jitlab.print_record") -> ir.Function:
    """`i32 <name>(ptr record, i1 flush)`: write the text of `record` to `sys.stdout` as `print`
    does (nothing when it is None), then call its `flush()` if asked; 0, or -1 with the exception
    set (a failing write, a bad spec)."""
    return get_or_define(wm.module, name, ir.FunctionType(_I32, (_PTR, ir.IntType(1))),
                         functools.partial(_write_print_helper, wm, name))


def _write_print_helper(wm, name: str, fn: ir.Function) -> None:
    record, flush = fn.args
    null = _PTR(None)
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    text = b.call(format_record_helper(wm, name + ".format"), [record])
    with b.if_then(b.icmp_unsigned("==", text, null), likely=False):
        b.ret(_I32(-1))
    out = b.call(wm.capi("PySys_GetObject"), [wm.cstr("stdout")])  # borrowed
    # no sys.stdout at all is CPython's RuntimeError("lost sys.stdout"): here nothing is written
    none = b.icmp_unsigned("==", out, wm.data("_Py_NoneStruct"))
    with b.if_then(b.or_(b.icmp_unsigned("==", out, null), none), likely=False):
        b.call(wm.capi("Py_DecRef"), [text])
        b.ret(_I32(0))
    status = b.call(wm.capi("PyFile_WriteObject"), [text, out, _I32(1)])  # Py_PRINT_RAW: str(text)
    b.call(wm.capi("Py_DecRef"), [text])
    with b.if_then(b.and_(flush, b.icmp_signed("==", status, _I32(0)))):
        flushed = b.call(wm.capi("PyObject_CallMethod"), [out, wm.cstr("flush"), null])
        with b.if_then(b.icmp_unsigned("==", flushed, null), likely=False):
            b.ret(_I32(-1))
        b.call(wm.capi("Py_DecRef"), [flushed])
    b.ret(status)


def format_record_helper(wm, name: str) -> ir.Function:
    """`ptr <name>(ptr record)`: the text of `record`, a new `str` (null with the error set)."""
    return get_or_define(wm.module, name, ir.FunctionType(_PTR, (_PTR,)),
                         functools.partial(_write_format_record_helper, wm, name))


def _write_format_record_helper(wm, name: str, fn: ir.Function) -> None:
    (record,) = fn.args
    null = _PTR(None)
    blk = {n: fn.append_basic_block(n) for n in (
        "entry", "piece", "literal", "value", "convert", "converted", "format", "with_spec",
        "formatted", "next", "stored", "join", "joined", "fail", "done")}
    b = ir.IRBuilder(blk["entry"])

    def call(api: str, *args: ir.Value) -> ir.Value:
        return b.call(wm.capi(api), list(args))

    def is_null(v: ir.Value) -> ir.Value:
        return b.icmp_unsigned("==", v, null)

    def phi(label: str, typ: ir.Type, incoming) -> ir.PhiInstr:
        node = b.phi(typ, label)
        for value, block in incoming:
            node.add_incoming(value, block)
        return node

    recipe = b.load(b.gep(record, [_I64(8)], source_etype=_I8), typ=_PTR)
    count = b.load(recipe, typ=_I64)
    parts = call("PyTuple_New", count)
    b.cbranch(is_null(parts), blk["done"], blk["piece"])  # (a recipe has one piece or more)
    # (an error before every OBJECT value was taken leaks the rest: only a failing spec or
    # allocation does that)

    # one piece per turn: i counts the pieces, slot the values used so far
    b.position_at_end(blk["piece"])
    i, slot = b.phi(_I64, "i"), b.phi(_I64, "slot")
    piece = b.gep(b.gep(recipe, [_I64(8)], source_etype=_I8), [i], source_etype=_PIECE)
    kind = b.load(piece, typ=_I64)
    text = b.load(b.gep(piece, [_I64(8)], source_etype=_I8), typ=_PTR)
    at = b.gep(b.gep(record, [_I64(16)], source_etype=_I8), [slot], source_etype=_SLOT)
    switch = b.switch(b.and_(kind, _I64(15)), blk["fail"])  # default: never (see `raise_record`)
    switch.add_case(_I64(LITERAL), blk["literal"])
    makers = {
        SIGNED: lambda: call("PyLong_FromLongLong", b.load(at, typ=_I64)),
        UNSIGNED: lambda: call("PyLong_FromUnsignedLongLong", b.load(at, typ=_I64)),
        FLOAT: lambda: call("PyFloat_FromDouble", b.load(at, typ=_F64)),
        BOOL: lambda: call("PyBool_FromLong", b.trunc(b.load(at, typ=_I64), wm.long_type)
                           if wm.long_type.width < 64 else b.load(at, typ=_I64)),
        COMPLEX: lambda: call("PyComplex_FromDoubles", b.load(at, typ=_F64),
                              b.load(b.gep(at, [_I64(8)], source_etype=_I8), typ=_F64)),
        OBJECT: lambda: b.load(at, typ=_PTR),  # already boxed; this takes the reference
        STR: lambda: call("PyUnicode_FromKindAndData", _INT4, b.load(at, typ=_PTR),
                          b.load(b.gep(at, [_I64(8)], source_etype=_I8), typ=_I64)),
    }
    boxed = []
    for code, make in makers.items():
        block = fn.append_basic_block(f"box{code}")
        switch.add_case(_I64(code), block)
        b.position_at_end(block)
        boxed.append((make(), block))
        b.branch(blk["value"])

    b.position_at_end(blk["literal"])
    literal = call("PyUnicode_FromString", text)
    b.branch(blk["next"])

    # a value: convert it (`!s`, `!r`, `!a`) ...
    b.position_at_end(blk["value"])
    obj = phi("obj", _PTR, boxed)
    b.cbranch(is_null(obj), blk["fail"], blk["convert"])
    b.position_at_end(blk["convert"])
    shown_in = [(obj, blk["convert"])]
    switch = b.switch(b.lshr(kind, _I64(4)), blk["converted"])
    for code, api in ((1, "PyObject_Str"), (2, "PyObject_Repr"), (3, "PyObject_ASCII")):
        block = fn.append_basic_block(api)
        switch.add_case(_I64(code), block)
        b.position_at_end(block)
        shown_in.append((call(api, obj), block))
        call("Py_DecRef", obj)
        b.branch(blk["converted"])
    b.position_at_end(blk["converted"])
    shown = phi("shown", _PTR, shown_in)
    b.cbranch(is_null(shown), blk["fail"], blk["format"])
    # ... and format it with the spec
    b.position_at_end(blk["format"])
    spec = call("PyUnicode_FromString", text)
    b.cbranch(is_null(spec), blk["formatted"], blk["with_spec"])
    b.position_at_end(blk["with_spec"])
    percent = b.icmp_unsigned("==", b.lshr(kind, _I64(4)), _I64(CONVERSIONS["%"]))
    with b.if_else(percent) as (printf, plain):
        with printf:  # `spec % value`
            by_percent = call("PyUnicode_Format", spec, shown)
            from_percent = b.block
        with plain:  # `format(value, spec)`
            by_format = call("PyObject_Format", shown, spec)
            from_format = b.block
    result = phi("result", _PTR, [(by_percent, from_percent), (by_format, from_format)])
    call("Py_DecRef", spec)
    with_spec_end = b.block
    b.branch(blk["formatted"])
    b.position_at_end(blk["formatted"])
    formatted = phi("formatted", _PTR, [(null, blk["format"]), (result, with_spec_end)])
    call("Py_DecRef", shown)
    after_value = b.add(slot, _I64(1))
    b.branch(blk["next"])

    # store the piece (the tuple steals it; null: making it raised); on to the next
    b.position_at_end(blk["next"])
    made = phi("made", _PTR, [(literal, blk["literal"]), (formatted, blk["formatted"])])
    used = phi("used", _I64, [(slot, blk["literal"]), (after_value, blk["formatted"])])
    call("PyTuple_SetItem", parts, i, made)
    following = b.add(i, _I64(1))
    i.add_incoming(_I64(0), blk["entry"])
    i.add_incoming(following, blk["stored"])
    slot.add_incoming(_I64(0), blk["entry"])
    slot.add_incoming(used, blk["stored"])
    b.cbranch(is_null(made), blk["fail"], blk["stored"])
    b.position_at_end(blk["stored"])
    b.cbranch(b.icmp_signed("<", following, count), blk["piece"], blk["join"])

    # the message: the pieces joined; the exception set with it
    b.position_at_end(blk["join"])
    empty = call("PyUnicode_FromString", wm.cstr(""))
    b.cbranch(is_null(empty), blk["fail"], blk["joined"])
    b.position_at_end(blk["joined"])
    message = call("PyUnicode_Join", empty, parts)
    call("Py_DecRef", empty)
    call("Py_DecRef", parts)
    b.ret(message)

    b.position_at_end(blk["fail"])  # an error is set
    call("Py_DecRef", parts)
    b.branch(blk["done"])
    b.position_at_end(blk["done"])
    b.ret(null)


def set_key_helper(wm) -> ir.Function:
    """`void jitlab.raise_key(ptr exc, ptr record)`: set `exc(value)` as the pending exception,
    the record's one value boxed (a tuple of its values when it has several): CPython's
    `KeyError(key)`, whose message is `repr(key)`.  `wm` is the wrapper module (`abi.py`)."""
    name = "jitlab.raise_key"
    return get_or_define(wm.module, name, ir.FunctionType(ir.VoidType(), (_PTR, _PTR)),
                         functools.partial(_write_set_key_helper, wm))


def _write_set_key_helper(wm, fn: ir.Function) -> None:
    exc, record = fn.args
    null = _PTR(None)
    b = ir.IRBuilder(fn.append_basic_block("entry"))

    def call(api: str, *args: ir.Value) -> ir.Value:
        return b.call(wm.capi(api), list(args))

    recipe = b.load(b.gep(record, [_I64(8)], source_etype=_I8), typ=_PTR)
    count = b.load(recipe, typ=_I64)
    items = call("PyTuple_New", count)
    done, loop = fn.append_basic_block("done"), fn.append_basic_block("item")
    b.cbranch(b.icmp_unsigned("==", items, null), done, loop)
    b.position_at_end(loop)
    i = b.phi(_I64, "i")
    i.add_incoming(_I64(0), fn.blocks[0])
    piece = b.gep(b.gep(recipe, [_I64(8)], source_etype=_I8), [i], source_etype=_PIECE)
    kind = b.and_(b.load(piece, typ=_I64), _I64(15))
    at = b.gep(b.gep(record, [_I64(16)], source_etype=_I8), [i], source_etype=_SLOT)
    raw = b.load(at, typ=_I64)
    as_bool = b.trunc(raw, wm.long_type) if wm.long_type.width < 64 else raw
    boxed_at = fn.append_basic_block("boxed")
    signed = fn.append_basic_block(f"box{SIGNED}")
    switch = b.switch(kind, signed)
    makers = {
        SIGNED: lambda: call("PyLong_FromLongLong", raw),
        FLOAT: lambda: call("PyFloat_FromDouble", b.bitcast(raw, _F64)),
        BOOL: lambda: call("PyBool_FromLong", as_bool),
        UNSIGNED: lambda: call("PyLong_FromUnsignedLongLong", raw),
        STR: lambda: call("PyUnicode_FromKindAndData", _INT4, b.inttoptr(raw, _PTR),
                          b.load(b.gep(at, [_I64(8)], source_etype=_I8), typ=_I64)),
    }
    made = []
    for code, make in makers.items():
        block = signed if code == SIGNED else fn.append_basic_block(f"box{code}")
        if code != SIGNED:
            switch.add_case(_I64(code), block)
        b.position_at_end(block)
        made.append((make(), b.block))
        b.branch(boxed_at)
    b.position_at_end(boxed_at)
    boxed = b.phi(_PTR, "boxed")
    for value, block in made:
        boxed.add_incoming(value, block)
    call("PyTuple_SetItem", items, i, boxed)  # steals (a null item only when out of memory)
    following = b.add(i, _I64(1))
    i.add_incoming(following, b.block)
    finish = fn.append_basic_block("raise")
    b.cbranch(b.icmp_signed("<", following, count), loop, finish)
    b.position_at_end(finish)
    one = b.icmp_signed("==", count, _I64(1))
    key = b.select(one, call("PyTuple_GetItem", items, _I64(0)), items)  # borrowed either way
    args = call("PyTuple_Pack", _I64(1), key)
    with b.if_then(b.icmp_unsigned("!=", args, null)):
        call("PyErr_SetObject", exc, args)
        call("Py_DecRef", args)
    call("Py_DecRef", items)
    b.branch(done)
    b.position_at_end(done)
    b.ret_void()
