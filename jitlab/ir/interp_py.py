"""Semantics of the `py.*` ops for the reference interpreter.

Each entry of `PY_SEMANTICS` is `semantics(ctx, args) -> outputs`: `args` are the
input values (the `!io` token last for stateful ops, passed through unchanged: the
interpreter orders effects by evaluating nodes in region order), the result one
value per output port.  Untyped nodes (frontend output) use Python's operators on
Python objects; typed nodes follow the backend's int64/float64/bool semantics (see
`interp_values`), op by op as `jitlab/backend/llvm/lower_arith.py` and
`lower_calls.py` lower them.
"""
from __future__ import annotations

import builtins
import functools
import importlib
import math
import operator
import string
import sys

from . import interp_values as v
from .interp_values import InterpreterError, OpContext, Pending, RangeIter, cast, is_int, wrap
from . import interp_dicts as dicts
from .exceptions import exception_class
from .types import ComplexType, DictType, FloatType, IntType, ListType, RangeIterType, SetType, StrType

BINARY = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
          "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "&": operator.and_,
          "|": operator.or_, "^": operator.xor, "<<": operator.lshift, ">>": operator.rshift,
          "@": operator.matmul}
# `a += b` (`inplace`): the in-place operator (an array is updated, a number gives a new one)
INPLACE = {"+": operator.iadd, "-": operator.isub, "*": operator.imul, "/": operator.itruediv,
           "//": operator.ifloordiv, "%": operator.imod, "**": operator.ipow, "&": operator.iand,
           "|": operator.ior, "^": operator.ixor, "<<": operator.ilshift, ">>": operator.irshift,
           "@": operator.imatmul}
COMPARE = {"<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne,
           ">": operator.gt, ">=": operator.ge, "is": operator.is_, "isnot": operator.is_not,
           "in": lambda a, b: a in b, "notin": lambda a, b: a not in b}
UNARY = {"-": operator.neg, "+": operator.pos, "~": operator.invert, "not": operator.not_}


def _op_fn(table: dict, ctx: OpContext):
    op = ctx.attr("op")
    fn = table.get(op)
    if fn is None:
        raise InterpreterError(f"{ctx.node.op} has no operator {op!r}")
    return fn


# -- constants -----------------------------------------------------------------------------
def const(ctx: OpContext, args):
    value = ctx.attr("value")
    if ctx.attr("function"):  # a jitted global function as a value
        return (ctx.resolve(value.removeprefix("global:")),)
    if ctx.attr("complex"):  # `1j` is written as its parts
        value = complex(*value)
    return (cast(value, ctx.out_types[0]),)


def undef(ctx: OpContext, args):
    name = ctx.attr("name")  # the Python variable, when the frontend named it
    return (v.Undefined(name) if name else v.undefined_for(ctx.node.outputs[0].name),)


# -- operators -----------------------------------------------------------------------------
def binop(ctx: OpContext, args):
    a, b, io = args
    if not ctx.typed or isinstance(ctx.in_types[0], SetType) or isinstance(ctx.out_types[0], StrType):
        return _op_fn(INPLACE if ctx.attr("inplace") else BINARY, ctx)(a, b), io
    return typed_binop(ctx.attr("op"), a, b, ctx.in_types[0], ctx.in_types[1], ctx.out_types[0],
                       ctx.checks_overflow), io


def typed_binop(op: str, a, b, ta, tb, rt, check: bool = True):
    """`a op b` as the backend computes it for operand types `ta`, `tb` and result type `rt`;
    `check`: an i64 result that does not fit raises `OverflowError` (else it wraps)."""
    if isinstance(rt, ComplexType):  # CPython's complex arithmetic is the backend's (`lower_complex`)
        return cast(BINARY[op](cast(a, ta), cast(b, tb)), rt)
    x, y = cast(a, rt), cast(b, rt)
    if op in ("&", "|", "^"):
        return cast(BINARY[op](x, y), rt)
    if op in ("<<", ">>"):
        if y < 0:
            raise ValueError(v.NEGATIVE_SHIFT)
        if op == "<<":
            if y >= rt.bits:  # every bit shifted out
                if check and x != 0:
                    raise OverflowError(v.INT_OVERFLOW)
                return 0
            return v.fit(x << y, rt, check)
        return 0 if y >= rt.bits and not rt.signed else x >> min(y, rt.bits - 1)
    if isinstance(rt, IntType):
        if op == "**":
            if y < 0:
                raise ValueError(v.NEGATIVE_INT_EXPONENT)
            if check and abs(x) > 1 and y >= rt.bits:
                raise OverflowError(v.INT_OVERFLOW)
            exact = pow(x, y) if check else pow(x, y, 1 << rt.bits)
            return v.fit(exact, rt, check)
        if op in ("//", "%") and y == 0:
            raise ZeroDivisionError(v.INT_FLOORDIV_ZERO if op == "//" else v.INT_MOD_ZERO)
        if op in ("+", "-", "*", "//", "%"):
            return v.fit(BINARY[op](x, y), rt, check)
    elif isinstance(rt, FloatType):
        if op == "**":
            return cast(float_power(x, y), rt)
        if op in ("/", "//", "%") and y == 0.0:
            raise ZeroDivisionError({"/": v.INT_TRUEDIV_ZERO if is_int(ta) and is_int(tb) else
                                     v.FLOAT_TRUEDIV_ZERO, "//": v.FLOAT_FLOORDIV_ZERO,
                                     "%": v.FLOAT_MOD_ZERO}[op])
        if op == "/" and v.python_ints(ta, tb) and rt.bits == 64:
            return a / b  # Python's int / int is correctly rounded, as the backend's
        if op in ("+", "-", "*", "/", "//", "%"):
            return cast(BINARY[op](x, y), rt)
    raise InterpreterError(f"no typed semantics for {ta} {op} {tb} -> {rt}")


def float_power(x: float, y: float, zero_exc=ZeroDivisionError, zero_msg=v.ZERO_NEGATIVE_POWER,
                frac_exc=ValueError, frac_msg=v.NEGATIVE_FRACTIONAL_POWER,
                overflow_msg=v.FLOAT_POW_OVERFLOW) -> float:
    """`x ** y` on floats, raising where the backend's `float_power` raises (a negative base
    with a fractional exponent raises instead of giving CPython's complex number)."""
    y_finite, x_finite = math.isfinite(y), math.isfinite(x)
    if x == 0.0 and y < 0.0 and y_finite:
        raise zero_exc(zero_msg)
    if x < 0.0 and x_finite and y_finite and math.floor(y) != y:
        raise frac_exc(frac_msg)
    try:
        return math.pow(x, y)
    except OverflowError:
        raise OverflowError(overflow_msg) from None


def unop(ctx: OpContext, args):
    a, io = args
    op = ctx.attr("op")
    if not ctx.typed:
        return _op_fn(UNARY, ctx)(a), io
    rt = ctx.out_types[0]
    if op == "not":
        return not v.truth(a), io
    x = cast(a, rt)
    if op == "+":
        return x, io
    if op in ("-", "~"):
        return (v.fit(UNARY[op](x), rt, ctx.checks_overflow) if isinstance(rt, IntType)
                else cast(UNARY[op](x), rt)), io
    raise InterpreterError(f"py.unop has no operator {op!r}")


def compare(ctx: OpContext, args):
    a, b, io = args
    fn = _op_fn(COMPARE, ctx)
    if not ctx.typed:
        return fn(a, b), io
    op = ctx.attr("op")
    if op in ("in", "notin"):
        return COMPARE[op](a, b), io
    if a is None or b is None:
        same = a is None and b is None
        return same == (op in ("==", "is")), io
    # numbers: identity compares values (both are bool where typing allows `is`); int/float
    # comparisons are exact in Python and in the backend alike
    return COMPARE[{"is": "==", "isnot": "!="}.get(op, op)](a, b), io


def truth(ctx: OpContext, args):
    a, io = args
    return v.truth(a), io


# -- iteration -----------------------------------------------------------------------------
def getiter(ctx: OpContext, args):
    x, io = args
    if isinstance(x, RangeIter):
        return x, io  # a typed range is its own (value-semantics) iterator
    if isinstance(x, range):  # the same value-semantics iterator, unbounded: easier to step through
        return RangeIter(x.start, x.stop, x.step), io
    return iter(x), io


def iternext(ctx: OpContext, args):
    it, io = args
    if isinstance(it, RangeIter):
        ok = it.next < it.stop if it.step > 0 else it.next > it.stop
        following = it.next + it.step
        t = ctx.in_types[0]
        item = t.item if isinstance(t, RangeIterType) else IntType(64)
        if ctx.typed and wrap(following, item) != following:  # past the int64 range the iterator is exhausted
            following = it.stop
        value = it.next if ok else v.undefined_for(ctx.node.outputs[1].name)
        return ok, value, RangeIter(following, it.stop, it.step), io
    try:
        return True, next(it), it, io
    except StopIteration:
        return False, v.undefined_for(ctx.node.outputs[1].name), it, io


# -- subscripts ----------------------------------------------------------------------------
def getitem(ctx: OpContext, args):
    a, i, io = args
    return cast(a[i], ctx.out_types[0]), io


def setitem(ctx: OpContext, args):
    a, i, value, io = args
    if ctx.typed and isinstance(ctx.in_types[0], ListType):
        value = cast(value, ctx.in_types[0].elem)  # a list<f64> holds floats: 1 is stored as 1.0
    if ctx.typed and isinstance(ctx.in_types[0], DictType):  # a dict<f64, f64> stores 1: 1 as 1.0: 1.0
        i, value = dicts.convert(i, ctx.in_types[0].key), dicts.convert(value, ctx.in_types[0].value)
    a[i] = value
    return (io,)


# -- tuples, slices, attributes, raise -----------------------------------------------------
def build_tuple(ctx: OpContext, args):
    *items, io = args
    return tuple(items), io


def build_list(ctx: OpContext, args):
    *items, io = args
    if ctx.typed:
        items = [cast(x, ctx.out_types[0].elem) for x in items]
    return list(items), io


def build_set(ctx: OpContext, args):
    *items, io = args
    if ctx.typed:  # insertion-ordered, as native code's (`interp_dicts`)
        return dicts.build_set(items, ctx.out_types[0]), io
    return set(items), io


def build_map(ctx: OpContext, args):
    *items, io = args
    if ctx.typed:
        return dicts.build_map(items, ctx.out_types[0]), io
    return dict(zip(items[::2], items[1::2])), io


def unpack(ctx: OpContext, args):
    t, io = args
    items = tuple(t)
    count = ctx.attr("count", len(ctx.node.outputs) - 1)
    if len(items) > count:
        raise ValueError(f"too many values to unpack (expected {count})")
    if len(items) < count:
        raise ValueError(f"not enough values to unpack (expected {count}, got {len(items)})")
    return (*items, io)


def make_slice(ctx: OpContext, args):
    start, stop, step, io = args
    return slice(start, stop, step), io


def getattr_(ctx: OpContext, args):
    x, io = args
    value = getattr(x, ctx.attr("name"))
    return (cast(value, ctx.out_types[0]) if ctx.typed and isinstance(x, complex) else value), io


def callmethod(ctx: OpContext, args):
    x, *values, io = args
    values = _with_function(ctx, values, offset=1)
    if ctx.typed and isinstance(ctx.in_types[0], ListType) and ctx.attr("name") == "append":
        values = [cast(values[0], ctx.in_types[0].elem)]
    if ctx.typed and isinstance(ctx.in_types[0], (DictType, SetType)):
        name = ctx.attr("name")
        result = getattr(x, name)(*dicts.convert_args(name, ctx.in_types[0], values))
        if name in ("keys", "values", "items"):
            return result, io
        return dicts.convert(result, ctx.out_types[0]), io
    kwnames = ctx.attr("kwnames") or ()
    npos = len(values) - len(kwnames)
    return getattr(x, ctx.attr("name"))(*values[:npos], **dict(zip(kwnames, values[npos:]))), io


_CONVERT = {None: lambda x: x, "s": str, "r": repr, "a": ascii}


def render_message(fmt: str, values) -> str:
    """The message a `py.raise {format}` makes of `values`: `fmt.format(*values)`, a field
    converted with `!%` being `spec % value` (the IR interpreters' side of `formatted.py`)."""
    out, values = [], iter(values)
    for literal, name, spec, conversion in string.Formatter().parse(fmt):
        out.append(literal)
        if name is not None:
            value = next(values)
            if hasattr(value, "item") and not hasattr(value, "__len__"):  # a NumPy scalar: its Python value
                value = value.item()
            out.append(spec % (value,) if conversion == "%"
                       else format(_CONVERT[conversion](value), spec or ""))
    return "".join(out)


def raise_(ctx: OpContext, args):
    *values, _io = args
    exc = exception_class(ctx.attr("exc"))
    if exc is None:
        raise InterpreterError(f"py.raise of {ctx.attr('exc')!r}, which is not a builtin exception")
    fmt = ctx.attr("format")
    if ctx.attr("args"):  # `E(value)`: the values are the exception's arguments
        raise exc(*values)
    if fmt is not None:  # made now, as the f-string would be
        raise exc(render_message(fmt, values))
    message = ctx.attr("message")
    raise exc(message) if message is not None else exc(*values)


def print_(ctx: OpContext, args):
    """`py.print {format}`: the line written to `sys.stdout`, as `print` writes it."""
    *values, io = args
    out = sys.stdout
    if out is not None:
        out.write(render_message(ctx.attr("format"), values))
        if ctx.attr("flush"):
            out.flush()
    return (io,)


def format_(ctx: OpContext, args):
    """`py.format {format}`: the str an f-string (`str(x)`, `repr(x)`, ...) makes of `args`."""
    return (render_message(ctx.attr("format"), args),)


def catch(ctx: OpContext, args):
    """`py.catch`: (pending?, the exception or None, state) from the state an op left."""
    (io,) = args
    if isinstance(io, Pending):
        return True, io.exc, io.state
    return False, None, io


def exc_match(ctx: OpContext, args):
    """`except E` / `except (E1, E2)`: is the caught exception an instance of a listed class?"""
    exc, io = args
    classes = tuple(exception_class(name) for name in ctx.attr("exc"))
    return isinstance(exc, classes), io


def reraise(ctx: OpContext, args):
    exc, _io = args
    if not isinstance(exc, BaseException):
        raise InterpreterError(f"py.reraise of {exc!r}, which is not a caught exception")
    raise exc


# -- calls ---------------------------------------------------------------------------------
def _with_function(ctx: OpContext, values: list, offset: int = 0) -> list:
    """The call's values with its per-item function (`fn_arg`, see `rules/functional.py`) as a
    Python callable: a nested function bound to its captured values, or the named builtin."""
    index = ctx.attr("fn_arg")
    if index is None:
        return values
    n = ctx.attr("captures") or 0
    values, captured = list(values[:len(values) - n]), values[len(values) - n:]
    builtin = ctx.attr("fn_builtin")
    fn = getattr(builtins, builtin.removeprefix("builtins.")) if builtin else values[index - offset]
    values[index - offset] = functools.partial(fn, *captured) if n else fn
    # a typed range is the backend's (next, stop, step) struct: its items
    return [range(x.next, x.stop, x.step) if isinstance(x, RangeIter) else x for x in values]


def call(ctx: OpContext, args):
    *values, io = args
    values = _with_function(ctx, values)
    if ctx.attr("callee") in ("builtins.map", "builtins.filter") and ctx.attr("fn_arg") is not None:
        result = list(python_callee(ctx.attr("callee"))(*values))  # made at once, as compiled code does
        return [cast(x, ctx.out_types[0].elem) for x in result] if ctx.typed else result, io
    callee = ctx.attr("callee")
    kwnames = ctx.attr("kwnames") or ()
    npos = len(values) - len(kwnames)
    pos, kws = values[:npos], dict(zip(kwnames, values[npos:]), **dict(ctx.attr("static") or ()))
    if callee == "value":  # a function passed as an argument: the value itself
        result = pos[0](*pos[1:], **kws)
        return cast(result, ctx.out_types[0]) if ctx.typed else result, io
    if callee.startswith(("global:", "rec:", "closure:", "cell:")):  # `rec:g`, `closure:g:L`, `cell:g`: as is
        target = ctx.resolve(callee.removeprefix("global:"))
        if not kws:  # the frontend passes every parameter positionally, keyword-only ones too
            pos, kws = _split_keyword_only(target, pos)
        result = target(*pos, **kws)
        return cast(result, ctx.out_types[0]) if ctx.typed else result, io
    if callee == "builtins.isinstance":  # the classes are an attribute (typed: decided by typing)
        if ctx.typed and ctx.attr("result") is not None:
            return ctx.attr("result"), io
        return isinstance(pos[0], tuple(python_callee(c) for c in ctx.attr("classes"))), io
    if ctx.typed and ctx.attr("fn_arg") is None:
        typed = TYPED_CALLEES.get(callee)
        if typed is not None:
            return typed(ctx, pos, kws), io
    if callee.startswith("builtins."):  # `list(range(n))`: a typed range is (next, stop, step)
        pos = [range(x.next, x.stop, x.step) if isinstance(x, RangeIter) else x for x in pos]
    result = (random_callee(callee) or python_callee(callee))(*pos, **kws)
    return cast(result, ctx.out_types[0]) if ctx.typed else result, io


def _split_keyword_only(target, values: list) -> tuple[list, dict]:
    """Positional values for a Python function's parameters: its keyword-only ones by name."""
    code = getattr(getattr(target, "py_func", target), "__code__", None)
    if code is None or not code.co_kwonlyargcount or len(values) <= code.co_argcount:
        return values, {}
    names = code.co_varnames[code.co_argcount:code.co_argcount + code.co_kwonlyargcount]
    return values[:code.co_argcount], dict(zip(names, values[code.co_argcount:]))


_GENERATORS: dict[str, object] = {}


def random_callee(callee: str):
    """The interpreter's own generator's method for `numpy.random.<f>` or `random.<f>`, else None.

    The interpreter draws from its own `numpy.random.RandomState` and `random.Random`, one each
    per process (seeded from the OS like compiled code's): the same streams as compiled code
    after the same seed, and never NumPy's or CPython's global generators of the caller."""
    module, _, attr = callee.rpartition(".")
    if module not in ("numpy.random", "random"):
        return None
    generator = _GENERATORS.get(module)
    if generator is None:
        if module == "random":
            import random

            generator = random.Random()
        else:
            generator = importlib.import_module("numpy.random").RandomState()
        _GENERATORS[module] = generator
    return getattr(generator, attr, None) or python_callee(callee)


def python_callee(callee: str):
    """The Python object a dotted callee names: `builtins.abs`, `math.sqrt`, `module.attr`."""
    module, _, attr = callee.rpartition(".")
    if not module:
        raise InterpreterError(f"callee {callee!r} is not `module.name` or `global:name`")
    try:
        return getattr(builtins if module == "builtins" else importlib.import_module(module), attr)
    except (ImportError, AttributeError):
        raise InterpreterError(f"unknown callee {callee!r}") from None


def _out(ctx: OpContext):
    return ctx.out_types[0]


def _int(ctx, pos, kws):
    if pos and isinstance(pos[0], float):
        return v.float_to_int(pos[0], _out(ctx))
    return cast(int(*pos), _out(ctx))


def _round(ctx, pos, kws):
    x, ndigits = (*pos, *kws.values(), None)[:2]
    if ndigits is None:
        if isinstance(x, float):
            return v.float_to_int(float(round(x)), _out(ctx)) if math.isfinite(x) else round(x)
        return cast(x, _out(ctx))
    return cast(round(x, ndigits), _out(ctx))


def _abs(ctx, pos, kws):
    rt = _out(ctx)
    if isinstance(pos[0], complex):
        return cast(abs(pos[0]), rt)
    x = abs(cast(pos[0], rt))
    return v.fit(x, rt, ctx.checks_overflow) if isinstance(rt, IntType) else cast(x, rt)


def _minmax(fn):
    def typed_minmax(ctx, pos, kws):
        if len(pos) == 1 and not isinstance(pos[0], (int, float)):  # min(xs) of a list, set, dict: its items
            return fn(pos[0])
        return fn(*(cast(x, _out(ctx)) for x in pos))
    return typed_minmax


def _range(ctx, pos, kws):
    if len(pos) == 1:
        start, stop, step = 0, pos[0], 1
    elif len(pos) == 2:
        start, stop, step = pos[0], pos[1], 1
    else:
        start, stop, step = pos
        if step == 0:
            raise ValueError(v.RANGE_ZERO_STEP)
    item = _out(ctx).item
    return RangeIter(cast(start, item), cast(stop, item), cast(step, item))


def _math_to_int(fn):
    def typed_rounding(ctx, pos, kws):
        x = pos[0]
        if isinstance(x, float):
            return v.float_to_int(float(fn(x)) if math.isfinite(x) else x, _out(ctx))
        return cast(x, _out(ctx))
    return typed_rounding


def _math_pow(ctx, pos, kws):
    x, y = float(pos[0]), float(pos[1])
    return float_power(x, y, ValueError, v.MATH_DOMAIN, ValueError, v.MATH_DOMAIN, v.MATH_RANGE)


def _exact_int64(name: str):
    """`math.comb`/`perm`/`lcm`/`factorial` on int64: CPython's exact result, or the backend's
    OverflowError where it needs more than 64 bits -- found by multiplying up as the backend does,
    never by making CPython's (perhaps astronomically large) int."""
    fn = getattr(math, name)

    def typed_exact(ctx, pos, kws):
        if name == "factorial" or (name == "perm" and len(pos) == 1):
            if pos[0] > 20:
                raise OverflowError(v.INT_OVERFLOW)
            return fn(*pos)
        if name == "lcm" or min(pos) < 0 or pos[1] > pos[0]:
            result = fn(*pos)  # an error, 0, or an lcm (never bigger than the product of two int64s)
        else:
            n, k = pos
            if name == "comb":
                k = min(k, n - k)
            result = 1
            for i in range(1, k + 1):
                result = result * (n - k + i) // i if name == "comb" else result * (n - i + 1)
                if result >= 2**63:
                    break
        if not -2**63 <= result < 2**63:
            raise OverflowError(v.int_result_overflow(name))
        return result
    return typed_exact


def _typed_container(ctx, pos, kws):
    """`set(...)`, `dict(...)` of typed IR: a set in insertion order, items converted."""
    return dicts.make(_out(ctx), pos[0] if pos else None)


# Callees whose typed semantics differ from calling Python's function and converting the
# result to the output type (wrapping, int64 limits, the backend's own error cases).
TYPED_CALLEES = {
    "builtins.int": _int, "builtins.round": _round, "builtins.abs": _abs,
    "builtins.min": _minmax(min), "builtins.max": _minmax(max), "builtins.range": _range,
    "math.floor": _math_to_int(math.floor), "math.ceil": _math_to_int(math.ceil),
    "math.pow": _math_pow,
    **{f"math.{name}": _exact_int64(name) for name in ("comb", "perm", "lcm", "factorial")},
    "builtins.set": _typed_container, "builtins.dict": _typed_container,
}


def global_(ctx: OpContext, args):
    """`py.global {name}`: the module's δ of that name, a read-only array (its frozen value)."""
    return (ctx.deltas[ctx.attr("name")],)


PY_SEMANTICS = {
    "py.const": const,
    "py.undef": undef,
    "py.binop": binop,
    "py.unop": unop,
    "py.compare": compare,
    "py.truth": truth,
    "py.call": call,
    "py.getiter": getiter,
    "py.iternext": iternext,
    "py.getitem": getitem,
    "py.setitem": setitem,
    "py.getattr": getattr_,
    "py.callmethod": callmethod,
    "py.build_tuple": build_tuple,
    "py.build_list": build_list,
    "py.build_set": build_set,
    "py.build_map": build_map,
    "py.slice": make_slice,
    "py.unpack": unpack,
    "py.raise": raise_,
    "py.print": print_,
    "py.format": format_,
    "py.catch": catch,
    "py.exc_match": exc_match,
    "py.reraise": reraise,
    "py.global": global_,
}

__all__ = ["PY_SEMANTICS", "TYPED_CALLEES", "float_power", "python_callee", "typed_binop"]
