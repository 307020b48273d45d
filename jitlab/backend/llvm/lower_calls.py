"""Lowering of `py.call` (builtins, `math`, jitted callees) and of range iteration.

Math functions use LLVM intrinsics where they exist (they become libm calls or
instructions) and libm (`hypot`, `atan2`, `tan`) otherwise; the JIT resolves libm
from the running process.  Errors follow CPython's `math` module: a NaN result
from a non-NaN argument is a domain error (`ValueError`), an infinite result from
finite arguments a range error (`OverflowError`).

A range iterator is the struct `(next, remaining, step)`, as CPython's own
range iterator counts down its length: `range` computes the number of items
once (in unsigned arithmetic, so even `range(-2**63, 2**63 - 1)` is exact) and
`py.iternext` returns whether `remaining` is nonzero, `next`, and the iterator
advanced by one step.  Counting makes the loop's trip count obvious to LLVM's
scalar evolution (hoisting, vectorisation, removal of implied bounds checks),
and `next` can never step past the int64 range into a wrapped value that the
loop would see.  The RVSDG threads the iterator as a value.
"""
from __future__ import annotations


from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.exceptions import exception_class
from jitlab.ir.types import (
    F64 as F64_T, I64 as I64_T, ArrayIterType, ArrayType, FloatType, IntType, NoneType, TupleType, Type,
)

from . import excinfo, formatted
from . import lower_arrays as arrays
from .lower_arrays_views import numpy_call
from .lower_math import call_math, power_modulo
from . import messages as msg
from .lower import F64, I1, I64, FunctionLowerer
from .lower_arith import (
    checks_overflow, compare_values, float_divmod, float_power, int_divmod, is_inf, is_int,
)
from .runtime import integer_power
from .signature import PTR, STATUS, abi_type, llvm_type


def call(fl: FunctionLowerer, node, args, in_types, out_types):
    callee = node.attr("callee")
    args, in_types, rt = args[:-1], in_types[:-1], out_types[0]
    if callee.startswith(("global:", "rec:", "closure:", "cell:")) or node.attr("library"):
        # rec: a λ of the same φ, in this LLVM module; library: an implementation in jitlab.lib
        return [_call_jitted(fl, node, args, in_types, rt), None]
    if callee == "value":  # a function passed as an argument: its type named the specialisation
        return [_call_jitted(fl, node, args[1:], in_types[1:], rt), None]
    if callee.startswith("math."):
        return [_call_math(fl, callee[len("math."):], node, args, in_types, rt), None]
    if callee.startswith(("numpy.random.", "random.")):
        from .lower_random import call as random_call

        return [random_call(fl, node, callee, args, in_types, rt), None]
    if callee.startswith("numpy."):
        return [numpy_call(fl, node, callee, args, in_types, rt), None]
    if callee == "builtins.isinstance":  # decided by typing
        return [ir.Constant(I1, int(node.attr("result"))), None]
    lowerer = BUILTINS.get(callee)
    if lowerer is None:
        raise LoweringError(f"cannot lower a call of {callee}", line=fl.line)
    return [lowerer(fl, args, in_types, rt), None]


def raise_(fl: FunctionLowerer, node, args, in_types, out_types):
    """`py.raise {exc, message}`: return the exception's status; what follows is unreachable."""
    exc = excinfo.BY_NAME.get(node.attr("exc")) or exception_class(node.attr("exc"))  # LinAlgError
    if exc is None or not excinfo.has_code(exc):  # (a builtin class outside the status table)
        raise LoweringError(f"cannot raise {node.attr('exc')} from compiled code (it raises one of "
                            f"{', '.join(sorted(excinfo.BY_NAME))} and LinAlgError)", line=fl.line)
    message, fmt = node.attr("message"), node.attr("format")
    if message is not None and message.startswith((chr(formatted.MARKER), chr(formatted.KEY_MARKER))):
        # it would read as a record
        fmt = message.replace("{", "{{").replace("}", "}}")
    if fmt is not None and not fl.traps_on_raise:  # a message made when raised (formatted.py)
        marker = formatted.KEY_MARKER if node.attr("args") else formatted.MARKER  # `E(value)`
        record = formatted.raise_record(fl, fmt, args[:-1], in_types[:-1], marker=marker)
        fl.builder.store(record, fl.excmsg_ptr)
        fl.leave(fl.builder, ir.Constant(STATUS, excinfo.code_of(exc)))
    else:
        fl.builder.branch(fl.raise_block(exc, message))  # no message: `raise E`, args ()
    fl.builder.position_at_end(fl.func.append_basic_block("unreachable"))
    return [None]


def catch(fl: FunctionLowerer, node, args, in_types, out_types):
    """`py.catch`: the status the caught op before left pending (cleared) and its message."""
    bld = fl.builder
    slot = fl.pending_slot()
    status = bld.load(slot, name="status")
    bld.store(ir.Constant(STATUS, excinfo.OK), slot)
    message = bld.load(fl.excmsg_ptr, typ=PTR, name="message")
    exc = ir.Constant(ir.LiteralStructType([STATUS, PTR]), ir.Undefined)
    exc = bld.insert_value(bld.insert_value(exc, status, 0), message, 1)
    return [bld.icmp_signed("!=", status, ir.Constant(STATUS, excinfo.OK)), exc, None]


def exc_match(fl: FunctionLowerer, node, args, in_types, out_types):
    """`except E`: the caught status is one of the codes whose class is a subclass of E."""
    names = node.attr("exc")
    classes = tuple(exception_class(n) for n in (names if isinstance(names, tuple) else (names,)))
    bld = fl.builder
    status = bld.extract_value(args[0], 0)
    match = ir.Constant(ir.IntType(1), 0)
    for code in excinfo.ALL_CODES:
        if excinfo.matches(code, classes):
            match = bld.or_(match, bld.icmp_signed("==", status, ir.Constant(STATUS, code)))
    return [match, None]


def reraise(fl: FunctionLowerer, node, args, in_types, out_types):
    """`py.reraise`: raise a caught exception again (its status and message)."""
    bld = fl.builder
    bld.store(bld.extract_value(args[0], 1), fl.excmsg_ptr)
    fl.leave(bld, bld.extract_value(args[0], 0))
    bld.position_at_end(fl.func.append_basic_block("unreachable"))
    return [None]


# -- jitted callees ------------------------------------------------------------------------
def _call_jitted(fl: FunctionLowerer, node, args, in_types, rt: Type):
    symbol = node.attr("symbol")
    if not symbol:
        raise LoweringError(f"call of {node.attr('callee')} has no native symbol: typing records it",
                            line=fl.line)
    return call_symbol(fl, symbol, args, in_types, rt)


def call_symbol(fl: FunctionLowerer, symbol: str, args, in_types, rt: Type):
    """Call the compiled function `symbol` (jitted callee ABI); an exception it raises propagates."""
    fnty = ir.FunctionType(STATUS, [PTR, PTR, *(abi_type(t) for t in in_types)])
    callee = fl.declare(symbol, fnty)
    bld = fl.builder
    by_value = isinstance(rt, (NoneType, ArrayType, TupleType))
    slot = fl.alloca(llvm_type(rt) if by_value else abi_type(rt), name="callret")
    abi_args = [fl.to_abi(a, t) for a, t in zip(args, in_types)]
    status = bld.call(callee, [slot, fl.excmsg_ptr, *abi_args])
    failed = bld.icmp_signed("!=", status, ir.Constant(STATUS, 0))
    propagate = fl.func.append_basic_block("propagate")
    cont = fl.func.append_basic_block("ok")
    bld.cbranch(failed, propagate, cont)
    bld.position_at_end(propagate)
    fl.leave(bld, status)  # the callee already stored its message through our excmsg
    bld.position_at_end(cont)
    if isinstance(rt, NoneType):
        return ir.Constant(llvm_type(rt), 0)
    if isinstance(rt, (ArrayType, TupleType)):  # an array or tuple result comes back by value
        return bld.load(slot, typ=llvm_type(rt))
    return fl.from_abi(bld.load(slot), rt)


# -- conversions ---------------------------------------------------------------------------
def float_to_int(fl: FunctionLowerer, x: ir.Value) -> ir.Value:
    """CPython's `int(float)` for results that fit int64 (truncates toward zero).

    One test on the hot path.  On x86-64 the conversion comes first, with the instruction's
    own semantics (`llvm.x86.sse2.cvttsd2si64`: NaN and values outside int64 give
    `-2**63`), and the test is an integer compare with `-2**63` (a compare-and-branch, one
    micro-op); elsewhere it is `|x| < 2**63` (false for NaN and infinities too), before
    `fptosi`.  The cold path lets `-2**63` itself through and otherwise leaves by ONE branch,
    choosing the exception there (NaN: ValueError, infinity and out of range: OverflowError,
    with CPython's messages): a loop that converts floats then has a single exiting check,
    which LLVM can unroll (`FunctionLowerer.exit_if`)."""
    bld = fl.builder
    fast, cold = fl.func.append_basic_block("int.fits"), fl.func.append_basic_block("int.check")
    if fl.target_arch == "x86_64" and x.type == F64:
        vector = ir.VectorType(F64, 2)
        convert = fl.declare("llvm.x86.sse2.cvttsd2si64", ir.FunctionType(I64, [vector]))
        result = bld.call(convert, [bld.insert_element(ir.Constant(vector, None), x, ir.Constant(I64, 0))])
        fl.cold_branch(bld.icmp_signed("==", result, ir.Constant(I64, -2 ** 63)), cold, fast)
    else:
        size = bld.call(fl.intrinsic("fabs", x.type), [x])
        fl.cold_branch(bld.fcmp_unordered(">=", size, ir.Constant(x.type, 2.0 ** 63)), cold, fast)
        result = None
    bld.position_at_end(cold)
    raising = bld.fcmp_unordered("!=", x, ir.Constant(x.type, -2.0 ** 63))  # true for NaN
    nan = bld.fcmp_unordered("uno", x, x)
    status = bld.select(nan, ir.Constant(STATUS, excinfo.code_of(ValueError)),
                        ir.Constant(STATUS, excinfo.code_of(OverflowError)))
    zero = ir.Constant(ir.IntType(32), 0)  # (a GEP to each message's first byte: one type for `select`)
    text = [fl.cstring(m).gep([zero, zero]) for m in (msg.FLOAT_NAN_TO_INT, msg.FLOAT_INF_TO_INT,
                                                      msg.FLOAT_TOO_BIG_FOR_INT64)]
    message = bld.select(nan, text[0], bld.select(is_inf(fl, x), text[1], text[2]))
    fl.exit_if(raising, status, message, fast)
    bld.position_at_end(fast)
    return bld.fptosi(x, I64) if result is None else result


def _to_f64(fl: FunctionLowerer, value, t: Type):
    return fl.cast(value, t, F64_T)


def _int(fl, args, in_types, rt):
    if not args:
        return ir.Constant(I64, 0)
    if isinstance(in_types[0], FloatType):
        return float_to_int(fl, _to_f64(fl, args[0], in_types[0]))
    return fl.cast(args[0], in_types[0], I64_T)


def _float(fl, args, in_types, rt):
    if not args:
        return ir.Constant(F64, 0.0)
    return _to_f64(fl, args[0], in_types[0])


def _bool(fl, args, in_types, rt):
    if not args:
        return ir.Constant(I1, 0)
    return fl.truth(args[0], in_types[0])


def _abs(fl, args, in_types, rt):
    x = fl.cast(args[0], in_types[0], rt)
    if isinstance(rt, FloatType):
        return fl.builder.call(fl.intrinsic("fabs", x.type), [x])
    negative = fl.builder.icmp_signed("<", x, ir.Constant(x.type, 0))
    if checks_overflow(fl, None, rt):  # abs(INT64_MIN) == 2**63
        fl.raise_if(fl.builder.icmp_signed("==", x, ir.Constant(x.type, -2 ** 63)), OverflowError,
                    msg.INT_OVERFLOW)
    return fl.builder.select(negative, fl.builder.sub(ir.Constant(x.type, 0), x), x)


def _minmax(op: str):
    def lower_minmax(fl, args, in_types, rt):
        # Python keeps the first of equal items and never replaces with a NaN-compare-false item.
        best = fl.cast(args[0], in_types[0], rt)
        for value, t in zip(args[1:], in_types[1:]):
            x = fl.cast(value, t, rt)
            better = compare_values(fl, op, x, best, rt, rt)
            best = fl.builder.select(better, x, best)
        return best
    return lower_minmax


def _round(fl, args, in_types, rt):
    if len(args) == 1 or isinstance(in_types[1], NoneType):
        if is_int(in_types[0]):
            return fl.cast(args[0], in_types[0], I64_T)
        x = _to_f64(fl, args[0], in_types[0])
        return float_to_int(fl, fl.builder.call(fl.intrinsic("roundeven", F64), [x]))
    ndigits = fl.cast(args[1], in_types[1], I64_T)
    if isinstance(rt, IntType):
        return _round_int(fl, fl.cast(args[0], in_types[0], rt), ndigits)
    return fl.cast(_round_float(fl, _to_f64(fl, args[0], in_types[0]), ndigits), F64_T, rt)


def _round_float(fl: FunctionLowerer, x, ndigits):
    """`round(x, n)`: scale by 10**n, round half to even, scale back.

    CPython rounds the exact decimal value of `x`; this agrees whenever 10**|n| is
    exact (|n| <= 22) and the scaled value does not lose bits, i.e. common cases."""
    bld = fl.builder
    n = bld.sitofp(ndigits, F64)
    ten_pow = bld.call(fl.intrinsic("pow", F64, 2), [ir.Constant(F64, 10.0), bld.call(
        fl.intrinsic("fabs", F64), [n])])
    positive = bld.icmp_signed(">=", ndigits, ir.Constant(I64, 0))
    y = bld.select(positive, bld.fmul(x, ten_pow), bld.fdiv(x, ten_pow))
    z = bld.call(fl.intrinsic("roundeven", F64), [y])
    # The product may have rounded onto a tie (2.675 * 100 == 267.5 although 2.675 is
    # really 2.67499…); the fma residual's sign says on which side the exact value lies.
    fma = fl.intrinsic("fma", F64, 3)
    residual = bld.select(positive, bld.call(fma, [x, ten_pow, bld.fneg(y)]),
                          bld.call(fma, [bld.fneg(y), ten_pow, x]))
    floor_y = bld.call(fl.intrinsic("floor", F64), [y])
    tie = bld.fcmp_ordered("==", bld.fsub(y, floor_y), ir.Constant(F64, 0.5))
    zero = ir.Constant(F64, 0.0)
    z = bld.select(bld.and_(tie, bld.fcmp_ordered(">", residual, zero)),
                   bld.call(fl.intrinsic("ceil", F64), [y]), z)
    z = bld.select(bld.and_(tie, bld.fcmp_ordered("<", residual, zero)), floor_y, z)
    result = bld.select(positive, bld.fdiv(z, ten_pow), bld.fmul(z, ten_pow))
    # too many digits (y overflowed, or |y| >= 2**53 where y is no longer x * 10**n rounded to an
    # integer, while x's ulp exceeds twice any rounding step) or a non-finite x: x is already exact
    big = bld.fcmp_unordered(">=", bld.call(fl.intrinsic("fabs", F64), [y]), ir.Constant(F64, 2.0 ** 53))
    keep = bld.or_(big, bld.icmp_signed(">", ndigits, ir.Constant(I64, 308)))
    keep = bld.or_(keep, bld.fcmp_unordered("uno", x, x))
    tiny = bld.icmp_signed("<", ndigits, ir.Constant(I64, -308))
    signed_zero = bld.call(fl.intrinsic("copysign", F64, 2), [ir.Constant(F64, 0.0), x])
    result = bld.select(tiny, signed_zero, result)
    result = bld.select(keep, x, result)
    # round(1.7976931348623157e308, -308): the decimal rounds up past the largest float
    fl.raise_if(bld.and_(is_inf(fl, result), bld.not_(is_inf(fl, x))), OverflowError, msg.ROUND_OVERFLOW)
    return result


def _round_int(fl: FunctionLowerer, x, ndigits):
    """`round(int, n)`: unchanged for n >= 0, else to a multiple of 10**-n, ties to even."""
    bld = fl.builder
    negative = bld.icmp_signed("<", ndigits, ir.Constant(I64, 0))
    too_many = bld.icmp_signed("<", ndigits, ir.Constant(I64, -18))
    exponent = bld.select(negative, bld.sub(ir.Constant(I64, 0), ndigits), ir.Constant(I64, 0))
    exponent = bld.select(too_many, ir.Constant(I64, 0), exponent)
    pow10 = bld.call(integer_power(fl.module, I64), [ir.Constant(I64, 10), exponent])
    q, r = int_divmod(fl, x, pow10)
    twice = bld.shl(r, ir.Constant(I64, 1))
    up = bld.or_(bld.icmp_signed(">", twice, pow10),
                 bld.and_(bld.icmp_signed("==", twice, pow10),
                          bld.icmp_signed("!=", bld.and_(q, ir.Constant(I64, 1)), ir.Constant(I64, 0))))
    rounded = bld.mul(bld.add(q, bld.zext(up, I64)), pow10)
    rounded = bld.select(too_many, ir.Constant(I64, 0), rounded)
    return bld.select(negative, rounded, x)


def _divmod(fl, args, in_types, rt):
    """`divmod(a, b)`: Python's floor quotient and remainder, as a tuple."""
    bld = fl.builder
    t = rt.items[0]
    x, y = fl.cast(args[0], in_types[0], t), fl.cast(args[1], in_types[1], t)
    if isinstance(t, IntType):
        fl.raise_if(bld.icmp_signed("==", y, ir.Constant(y.type, 0)), ZeroDivisionError, msg.INT_DIVMOD_ZERO)
        if checks_overflow(fl, None, t):  # divmod(INT64_MIN, -1)[0] == 2**63
            fl.raise_if(bld.and_(bld.icmp_signed("==", x, ir.Constant(x.type, -2 ** 63)),
                                 bld.icmp_signed("==", y, ir.Constant(y.type, -1))), OverflowError,
                        msg.INT_OVERFLOW)
        q, r = int_divmod(fl, x, y, t.signed)
    else:
        fl.raise_if(bld.fcmp_ordered("==", y, ir.Constant(y.type, 0.0)), ZeroDivisionError,
                    msg.FLOAT_DIVMOD_ZERO)
        q, r = float_divmod(fl, x, y)
    value = ir.Constant(llvm_type(rt), None)
    return bld.insert_value(bld.insert_value(value, q, 0), r, 1)


def _range(fl, args, in_types, rt):
    item = rt.item
    values = [fl.cast(a, t, item) for a, t in zip(args, in_types)]
    ty = llvm_type(item)
    if len(values) == 1:
        start, stop, step = ir.Constant(ty, 0), values[0], ir.Constant(ty, 1)
    elif len(values) == 2:
        start, stop, step = values[0], values[1], ir.Constant(ty, 1)
    else:
        start, stop, step = values
        fl.raise_if(fl.builder.icmp_signed("==", step, ir.Constant(ty, 0)), ValueError, msg.RANGE_ZERO_STEP)
    return _range_struct(fl, rt, start, stop, step)


def _range_struct(fl, rt, start, stop, step):
    bld = fl.builder
    zero, one = ir.Constant(step.type, 0), ir.Constant(step.type, 1)
    upward = bld.icmp_signed(">", step, zero)
    # |stop - start| - 1 and |step| as unsigned numbers: exact for every int64 range
    nonempty = bld.select(upward, bld.icmp_signed("<", start, stop), bld.icmp_signed(">", start, stop))
    span = bld.select(upward, bld.sub(stop, start), bld.sub(start, stop))
    stride = bld.select(upward, step, bld.sub(zero, step))
    count = bld.add(bld.udiv(bld.sub(span, one), stride), one)
    remaining = bld.select(nonempty, count, zero)
    value = ir.Constant(llvm_type(rt), None)
    for i, field in enumerate((start, remaining, step)):
        value = bld.insert_value(value, field, i)
    return value


def getiter(fl: FunctionLowerer, node, args, in_types, out_types):
    if isinstance(in_types[0], ArrayType):
        return arrays.getiter(fl, node, args, in_types, out_types)
    return [args[0], None]  # a range is its own (value-semantics) iterator


def iternext(fl: FunctionLowerer, node, args, in_types, out_types):
    if isinstance(in_types[0], ArrayIterType):
        return arrays.iternext(fl, node, args, in_types, out_types)
    bld = fl.builder
    it = args[0]
    current, remaining, step = (bld.extract_value(it, i) for i in range(3))
    ok = bld.icmp_unsigned("!=", remaining, ir.Constant(remaining.type, 0))
    # after the last item `next` may wrap, but it is never yielded: `remaining` is 0 then,
    # and a for loop never advances an exhausted iterator again
    advanced = bld.insert_value(it, bld.add(current, step), 0)
    advanced = bld.insert_value(advanced, bld.sub(remaining, ir.Constant(remaining.type, 1)), 1)
    return [ok, current, advanced, None]


BUILTINS = {
    "builtins.int": _int, "builtins.float": _float, "builtins.bool": _bool,
    "builtins.abs": _abs, "builtins.min": _minmax("<"), "builtins.max": _minmax(">"),
    "builtins.round": _round, "builtins.range": _range, "builtins.len": arrays.length,
    "builtins.divmod": _divmod,
    "builtins.pow": lambda fl, args, in_types, rt: power_modulo(
        fl, *(fl.cast(a, t, I64_T) for a, t in zip(args, in_types))),
}


# -- math ----------------------------------------------------------------------------------
def _call_math(fl: FunctionLowerer, name: str, node, args, in_types, rt):
    bld = fl.builder
    if name in ("floor", "ceil", "trunc"):
        if is_int(in_types[0]):
            return fl.cast(args[0], in_types[0], I64_T)
        return float_to_int(fl, bld.call(fl.intrinsic(name, F64), [_to_f64(fl, args[0], in_types[0])]))
    if name in ("isnan", "isinf"):
        if is_int(in_types[0]):
            return ir.Constant(I1, 0)
        x = _to_f64(fl, args[0], in_types[0])
        return bld.fcmp_unordered("uno", x, x) if name == "isnan" else is_inf(fl, x)
    xs = [_to_f64(fl, a, t) for a, t in zip(args, in_types)]
    x = xs[0] if xs else None  # (gcd() and lcm() take no argument too)
    if name == "sqrt":
        fl.raise_if(bld.fcmp_ordered("<", x, ir.Constant(F64, 0.0)), ValueError, msg.SQRT_DOMAIN, x)
        return bld.call(fl.intrinsic("sqrt", F64), [x])
    if name == "log":
        result = _log(fl, x, in_types[0])
        if len(xs) == 2:
            base = _log(fl, xs[1], in_types[1])
            fl.raise_if(bld.fcmp_ordered("==", base, ir.Constant(F64, 0.0)), ZeroDivisionError,
                        msg.FLOAT_TRUEDIV_ZERO)
            result = bld.fdiv(result, base)
        return result
    if name == "exp":
        result = bld.call(fl.intrinsic("exp", F64), [x])
        _range_error(fl, result, xs)
        return result
    if name in ("sin", "cos", "tan"):
        fl.raise_if(is_inf(fl, x), ValueError, msg.TRIG_DOMAIN, x)
        fn = fl.intrinsic(name, F64) if name != "tan" else fl.declare("tan", ir.FunctionType(F64, [F64]))
        return bld.call(fn, [x])
    if name == "fabs":
        return bld.call(fl.intrinsic("fabs", F64), [x])
    if name == "hypot":  # CPython's own vector norm (inf for huge finite sides, no error)
        from .lower_math_special import vector_norm

        return vector_norm(fl, [bld.call(fl.intrinsic("fabs", F64), [v]) for v in xs])
    if name == "atan2":
        return bld.call(fl.declare(name, ir.FunctionType(F64, [F64, F64])), xs)
    if name == "pow":
        return float_power(fl, xs[0], xs[1], ValueError, msg.MATH_DOMAIN, ValueError, msg.MATH_DOMAIN,
                           msg.MATH_RANGE)
    return call_math(fl, name, node, args, in_types, rt)


def _log(fl: FunctionLowerer, x, t: Type):
    """`log(x)` raising CPython's domain error; 3.14 shows a float argument, not an int one."""
    message = msg.LOG_DOMAIN_INT if is_int(t) else msg.LOG_DOMAIN
    fl.raise_if(fl.builder.fcmp_ordered("<=", x, ir.Constant(F64, 0.0)), ValueError, message, x)
    return fl.builder.call(fl.intrinsic("log", F64), [x])


def _range_error(fl: FunctionLowerer, result, xs):
    bld = fl.builder
    finite_args = ir.Constant(I1, 1)
    for x in xs:
        finite_args = bld.and_(finite_args, bld.not_(bld.or_(is_inf(fl, x), bld.fcmp_unordered("uno", x, x))))
    fl.raise_if(bld.and_(is_inf(fl, result), finite_args), OverflowError, msg.MATH_RANGE)


__all__ = ["call", "getiter", "iternext", "float_to_int"]
