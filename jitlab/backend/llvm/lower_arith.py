"""Lowering of Python operators on int64/float64/bool with CPython's semantics.

Where Python and LLVM differ, the code follows Python:
* `//` and `%` round toward −∞ and the remainder takes the divisor's sign
  (LLVM's `sdiv`/`srem`/`frem` truncate); `INT64_MIN // -1` would trap in
  `sdiv`, so a divisor of −1 is handled separately (result wraps like `-x`);
* division by zero raises `ZeroDivisionError` with CPython's message;
* `int / int` on int64 is correctly rounded like CPython's (`runtime.int_true_divide`):
  converting both operands to double first would round twice beyond 2**53;
* float `//`/`%` follow CPython's `float_floor_div`/`float_rem` step by step,
  including the sign of zero results;
* comparing an int with a float is exact (`2**53 + 1 == 2.0**53` is False):
  the float is split into its integer part and fraction, never rounded;
* `int ** int` with a non-negative exponent stays an integer (computed by
  squaring); a negative exponent raises `ValueError`, because the result type
  cannot depend on it.
* Python ints do not overflow, jitlab's are int64: `+ - * ** <<`, unary `-` and
  `INT64_MIN // -1` on `i64` raise `OverflowError` when the result does not fit
  (`llvm.s*.with.overflow`), unless the node carries `nooverflow = true` (a range
  fact proved it fits; `passes/` sets it) or lowering was asked to wrap
  (`LowerOptions.overflow = "wrap"`).  Fixed-width NumPy integers (`i32`, `u8`,
  …) wrap, as NumPy's do.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import (
    F64 as F64_T, I64 as I64_T, BoolType, FloatType, FunctionValueType, IntType, NoneType, StrType, TupleType,
    Type,
)

from jitlab.ir.interp_values import python_ints
from jitlab.typing import promote

from . import messages as msg
from .lower import F64, I1, FunctionLowerer
from .runtime import checked_integer_power, int_true_divide, integer_power
from .signature import llvm_type


def const(fl: FunctionLowerer, node, args, in_types, out_types):
    t = out_types[0]
    value = node.attr("value")
    if isinstance(t, (NoneType, FunctionValueType)):  # a function value carries nothing
        return [ir.Constant(llvm_type(t), 0)]
    if isinstance(t, BoolType):
        return [ir.Constant(I1, int(bool(value)))]
    if isinstance(t, TupleType):
        items = [ir.Constant(llvm_type(item), 0 if v is None else int(v) if isinstance(item, BoolType) else v)
                 for item, v in zip(t.items, value)]
        return [ir.Constant(llvm_type(t), items)]
    return [ir.Constant(llvm_type(t), value)]


def undef(fl: FunctionLowerer, node, args, in_types, out_types):
    # A zero of the merged type; reads of a named one are checked (`FunctionLowerer.check_bound`).
    return [ir.Constant(llvm_type(out_types[0]), None)]


def truth(fl: FunctionLowerer, node, args, in_types, out_types):
    return [fl.truth(args[0], in_types[0]), None]


def is_int(t: Type) -> bool:
    return isinstance(t, (IntType, BoolType))


def checks_overflow(fl: FunctionLowerer, node, rt: Type) -> bool:
    """Whether `node`'s int result must raise on overflow: a Python int (i64), not proved safe."""
    proved = node is not None and bool(node.attr("nooverflow"))
    return rt == I64_T and fl.options.overflow == "raise" and not proved


_WITH_OVERFLOW = {"+": "sadd_with_overflow", "-": "ssub_with_overflow", "*": "smul_with_overflow"}
_WRAPPING = {"+": "add", "-": "sub", "*": "mul"}


def int_arith(fl: FunctionLowerer, node, op: str, x: ir.Value, y: ir.Value, rt: Type) -> ir.Value:
    """`x op y` for `+ - *` on integers: checked on i64 (see the module docstring), else wrapping."""
    bld = fl.builder
    if not checks_overflow(fl, node, rt):
        proved = node is not None and bool(node.attr("nooverflow")) and rt == I64_T
        return getattr(bld, _WRAPPING[op])(x, y, flags=("nsw",) if proved else ())
    pair = getattr(bld, _WITH_OVERFLOW[op])(x, y)
    fl.raise_if(bld.extract_value(pair, 1), OverflowError, msg.INT_OVERFLOW)
    return bld.extract_value(pair, 0)


def _power_of_two(value: ir.Value) -> int | None:
    """k when `value` is the constant 2**k (k >= 0), else None."""
    if not isinstance(value, ir.Constant) or not isinstance(value.constant, int):
        return None
    n = value.constant
    return n.bit_length() - 1 if n > 0 and n & (n - 1) == 0 else None


# -- binary operators ----------------------------------------------------------------------
def binop(fl: FunctionLowerer, node, args, in_types, out_types):
    op = node.attr("op")
    a, b = args[0], args[1]
    ta, tb, rt = in_types[0], in_types[1], out_types[0]
    if op in ("&", "|", "^", "<<", ">>"):
        return [_bitwise(fl, node, op, a, b, ta, tb, rt), None]
    if op == "**":
        return [_power(fl, node, a, b, ta, tb, rt), None]
    both_int = is_int(ta) and is_int(tb)
    x, y = fl.cast(a, ta, rt), fl.cast(b, tb, rt)
    bld = fl.builder
    if isinstance(rt, IntType):
        if op in ("+", "-", "*"):
            return [int_arith(fl, node, op, x, y, rt), None]
        if op in ("//", "%"):
            power = _power_of_two(y)
            if power is not None:  # floor semantics by 2**k: a shift, a mask (any sign of x)
                if op == "//":
                    shift = ir.Constant(x.type, power)
                    return [bld.ashr(x, shift) if rt.signed else bld.lshr(x, shift), None]
                return [bld.and_(x, ir.Constant(x.type, (1 << power) - 1)), None]
            zero = bld.icmp_signed("==", y, ir.Constant(y.type, 0))
            fl.raise_if(zero, ZeroDivisionError, msg.INT_FLOORDIV_ZERO if op == "//" else msg.INT_MOD_ZERO)
            if op == "//" and checks_overflow(fl, node, rt):  # INT64_MIN // -1 == 2**63
                smallest = ir.Constant(x.type, -2 ** 63)
                minus_one = bld.icmp_signed("==", y, ir.Constant(y.type, -1))
                fl.raise_if(bld.and_(bld.icmp_signed("==", x, smallest), minus_one), OverflowError,
                            msg.INT_OVERFLOW)
            quotient, remainder = int_divmod(fl, x, y, rt.signed)
            return [quotient if op == "//" else remainder, None]
    elif isinstance(rt, FloatType):
        flags = fl.float_flags
        if op == "+":
            return [bld.fadd(x, y, flags=flags), None]
        if op == "-":
            return [bld.fsub(x, y, flags=flags), None]
        if op == "*":
            return [bld.fmul(x, y, flags=flags), None]
        if op in ("/", "//", "%"):
            zero = bld.fcmp_ordered("==", y, ir.Constant(y.type, 0.0))
            message = {"/": msg.INT_TRUEDIV_ZERO if both_int else msg.FLOAT_TRUEDIV_ZERO,
                       "//": msg.FLOAT_FLOORDIV_ZERO, "%": msg.FLOAT_MOD_ZERO}[op]
            fl.raise_if(zero, ZeroDivisionError, message)
            if op == "/" and rt == F64_T and python_ints(ta, tb):  # correctly rounded, as CPython
                xi, yi = fl.cast(a, ta, I64_T), fl.cast(b, tb, I64_T)
                return [bld.call(int_true_divide(fl.module), [xi, yi]), None]
            if op == "/":
                return [bld.fdiv(x, y, flags=flags), None]
            floordiv, mod = float_divmod(fl, x, y)
            return [floordiv if op == "//" else mod, None]
    raise LoweringError(f"cannot lower {ta} {op} {tb} -> {rt}", line=fl.line)


def int_divmod(fl: FunctionLowerer, x: ir.Value, y: ir.Value, signed: bool = True):
    """Python's floor division and modulo of integers (y != 0 is checked by the caller)."""
    bld = fl.builder
    if not signed:
        return bld.udiv(x, y), bld.urem(x, y)
    zero, one = ir.Constant(x.type, 0), ir.Constant(x.type, 1)
    minus_one = bld.icmp_signed("==", y, ir.Constant(x.type, -1))
    safe_y = bld.select(minus_one, one, y)  # INT64_MIN / -1 traps in sdiv
    q = bld.sdiv(x, safe_y)
    r = bld.srem(x, safe_y)
    q = bld.select(minus_one, bld.sub(zero, x), q)
    r = bld.select(minus_one, zero, r)
    # the truncated remainder has the dividend's sign; move it to the divisor's
    signs_differ = bld.icmp_signed("<", bld.xor(r, y), zero)
    adjust = bld.and_(bld.icmp_signed("!=", r, zero), signs_differ)
    q = bld.sub(q, bld.zext(adjust, x.type))
    r = bld.select(adjust, bld.add(r, y), r)
    return q, r


def float_divmod(fl: FunctionLowerer, vx: ir.Value, wx: ir.Value):
    """CPython's float floor division and modulo (wx != 0 is checked by the caller)."""
    bld = fl.builder
    flags = fl.float_flags
    zero = ir.Constant(vx.type, 0.0)
    copysign = fl.intrinsic("copysign", vx.type, 2)
    mod = bld.frem(vx, wx, flags=flags)
    div = bld.fdiv(bld.fsub(vx, mod, flags=flags), wx, flags=flags)
    mod_nonzero = bld.fcmp_unordered("!=", mod, zero)
    signs_differ = bld.xor(bld.fcmp_ordered("<", wx, zero), bld.fcmp_ordered("<", mod, zero))
    fix = bld.and_(mod_nonzero, signs_differ)
    mod = bld.select(fix, bld.fadd(mod, wx, flags=flags), mod)
    div = bld.select(fix, bld.fsub(div, ir.Constant(vx.type, 1.0), flags=flags), div)
    mod = bld.select(mod_nonzero, mod, bld.call(copysign, [zero, wx]))
    floordiv = bld.call(fl.intrinsic("floor", vx.type), [div])
    round_up = bld.fcmp_ordered(">", bld.fsub(div, floordiv, flags=flags), ir.Constant(vx.type, 0.5))
    floordiv = bld.select(round_up, bld.fadd(floordiv, ir.Constant(vx.type, 1.0), flags=flags), floordiv)
    div_nonzero = bld.fcmp_unordered("!=", div, zero)
    zero_result = bld.call(copysign, [zero, bld.fdiv(vx, wx, flags=flags)])
    return bld.select(div_nonzero, floordiv, zero_result), mod


def _bitwise(fl: FunctionLowerer, node, op, a, b, ta, tb, rt):
    bld = fl.builder
    x, y = fl.cast(a, ta, rt), fl.cast(b, tb, rt)
    if op == "&":
        return bld.and_(x, y)
    if op == "|":
        return bld.or_(x, y)
    if op == "^":
        return bld.xor(x, y)
    zero = ir.Constant(y.type, 0)
    fl.raise_if(bld.icmp_signed("<", y, zero), ValueError, msg.NEGATIVE_SHIFT)
    width = ir.Constant(y.type, y.type.width)
    too_far = bld.icmp_signed(">=", y, width)
    if op == "<<":
        shift = bld.select(too_far, zero, y)
        shifted = bld.shl(x, shift)
        if checks_overflow(fl, node, rt):  # bits (or the sign) shifted out: 1 << 63, 3 << 62, 1 << 64
            lost = bld.icmp_signed("!=", bld.ashr(shifted, shift), x)
            lost = bld.or_(lost, bld.and_(too_far, bld.icmp_signed("!=", x, zero)))
            fl.raise_if(lost, OverflowError, msg.INT_OVERFLOW)
        return bld.select(too_far, zero, shifted)
    clamped = bld.select(too_far, ir.Constant(y.type, y.type.width - 1), y)
    if isinstance(rt, IntType) and not rt.signed:
        return bld.select(too_far, zero, bld.lshr(x, clamped))
    return bld.ashr(x, clamped)


def _power(fl: FunctionLowerer, node, a, b, ta, tb, rt):
    bld = fl.builder
    if isinstance(rt, IntType):
        x, y = fl.cast(a, ta, rt), fl.cast(b, tb, rt)
        fl.raise_if(bld.icmp_signed("<", y, ir.Constant(y.type, 0)), ValueError, msg.NEGATIVE_INT_EXPONENT)
        if checks_overflow(fl, node, rt):
            pair = bld.call(checked_integer_power(fl.module, x.type), [x, y])
            fl.raise_if(bld.extract_value(pair, 1), OverflowError, msg.INT_OVERFLOW)
            return bld.extract_value(pair, 0)
        return bld.call(integer_power(fl.module, x.type), [x, y])
    x, y = fl.cast(a, ta, rt), fl.cast(b, tb, rt)
    return float_power(fl, x, y, ZeroDivisionError, msg.ZERO_NEGATIVE_POWER,
                       ValueError, msg.NEGATIVE_FRACTIONAL_POWER, msg.FLOAT_POW_OVERFLOW)


def is_finite(fl: FunctionLowerer, x: ir.Value) -> ir.Value:
    fabs = fl.builder.call(fl.intrinsic("fabs", x.type), [x])
    return fl.builder.fcmp_ordered("<", fabs, ir.Constant(x.type, float("inf")))


def is_inf(fl: FunctionLowerer, x: ir.Value) -> ir.Value:
    fabs = fl.builder.call(fl.intrinsic("fabs", x.type), [x])
    return fl.builder.fcmp_ordered("==", fabs, ir.Constant(x.type, float("inf")))


def float_power(fl: FunctionLowerer, x, y, zero_exc, zero_msg, frac_exc, frac_msg, overflow_msg):
    """`x ** y` on floats via `llvm.pow`, raising where CPython's float_pow (or math.pow) raises."""
    bld = fl.builder
    zero = ir.Constant(x.type, 0.0)
    y_finite = is_finite(fl, y)
    x_finite = is_finite(fl, x)
    zero_base = bld.and_(bld.fcmp_ordered("==", x, zero), bld.fcmp_ordered("<", y, zero))
    fl.raise_if(bld.and_(zero_base, y_finite), zero_exc, zero_msg)
    fractional = bld.fcmp_ordered("!=", bld.call(fl.intrinsic("floor", y.type), [y]), y)
    negative_base = bld.and_(bld.fcmp_ordered("<", x, zero), x_finite)
    fl.raise_if(bld.and_(bld.and_(negative_base, y_finite), fractional), frac_exc, frac_msg)
    result = bld.call(fl.intrinsic("pow", x.type, 2), [x, y])
    overflow = bld.and_(is_inf(fl, result), bld.and_(x_finite, y_finite))
    fl.raise_if(overflow, OverflowError, overflow_msg)
    return result


# -- unary operators -----------------------------------------------------------------------
def unop(fl: FunctionLowerer, node, args, in_types, out_types):
    op = node.attr("op")
    a, ta, rt = args[0], in_types[0], out_types[0]
    bld = fl.builder
    if op == "not":
        return [bld.not_(fl.truth(a, ta)), None]
    x = fl.cast(a, ta, rt)
    if op == "+":
        return [x, None]
    if op == "-":
        if isinstance(rt, FloatType):
            return [bld.fneg(x, flags=fl.float_flags), None]
        return [int_arith(fl, node, "-", ir.Constant(x.type, 0), x, rt), None]
    if op == "~":
        return [bld.xor(x, ir.Constant(x.type, -1)), None]
    raise LoweringError(f"cannot lower unary {op} on {ta}", line=fl.line)


# -- comparisons ---------------------------------------------------------------------------
_SWAPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def compare(fl: FunctionLowerer, node, args, in_types, out_types):
    op = node.attr("op")
    return [compare_values(fl, op, args[0], args[1], in_types[0], in_types[1]), None]


def compare_values(fl: FunctionLowerer, op: str, a, b, ta: Type, tb: Type) -> ir.Value:
    bld = fl.builder
    if isinstance(ta, NoneType) or isinstance(tb, NoneType):
        same = isinstance(ta, NoneType) and isinstance(tb, NoneType)
        return ir.Constant(I1, int(same == (op in ("==", "is"))))
    if op == "is":
        op = "=="
    elif op == "isnot":
        op = "!="
    if isinstance(ta, StrType) or isinstance(tb, StrType):  # (items of lists of strs)
        from .lower_str import compare_values as compare_strs

        return compare_strs(bld, op, a, ta, b, tb)
    if is_int(ta) and is_int(tb):
        rt = promote(ta, tb)
        if not isinstance(rt, IntType):  # uint64 against a signed int: NumPy's common type is f64
            return _mixed_sign_compare(fl, op, a, ta, b, tb)
        x, y = fl.cast(a, ta, rt), fl.cast(b, tb, rt)
        if not rt.signed:
            return bld.icmp_unsigned(op, x, y)
        return bld.icmp_signed(op, x, y)
    if isinstance(ta, FloatType) and isinstance(tb, FloatType):
        rt = promote(ta, tb)
        x, y = fl.cast(a, ta, rt), fl.cast(b, tb, rt)
        return bld.fcmp_unordered(op, x, y) if op == "!=" else bld.fcmp_ordered(op, x, y)
    # int vs float
    if is_int(ta):
        return _int_float_compare(fl, op, a, ta, fl.cast(b, tb, F64_T))
    return _int_float_compare(fl, _SWAPPED[op], b, tb, fl.cast(a, ta, F64_T))


def _mixed_sign_compare(fl: FunctionLowerer, op: str, a, ta: Type, b, tb: Type) -> ir.Value:
    """Exact `a OP b` of a uint64 and a signed int, as Python compares them: a negative signed
    side is below every unsigned value; otherwise both compare as unsigned 64-bit."""
    bld = fl.builder
    if isinstance(ta, IntType) and ta.signed:  # keep the unsigned one on the left
        return _mixed_sign_compare(fl, _SWAPPED[op], b, tb, a, ta)
    i64 = IntType(64)
    x, y = fl.cast(a, ta, IntType(64, signed=False)), fl.cast(b, tb, i64)
    negative = bld.icmp_signed("<", y, ir.Constant(y.type, 0))
    same_sign = bld.icmp_unsigned(op, x, y)
    if op in (">", ">=", "!="):
        return bld.or_(negative, same_sign)
    return bld.and_(bld.not_(negative), same_sign)


def _int_float_compare(fl: FunctionLowerer, op: str, i, ti: Type, f) -> ir.Value:
    """Exact `i op f`: compare (i, 0) with (trunc(f), f - trunc(f)) lexicographically."""
    bld = fl.builder
    if isinstance(ti, BoolType) or ti.bits < 53:
        x = fl.cast(i, ti, F64_T)  # exact: fits the mantissa
        return bld.fcmp_unordered(op, x, f) if op == "!=" else bld.fcmp_ordered(op, x, f)
    i = fl.cast(i, ti, I64_T)
    is_nan = bld.fcmp_unordered("uno", f, f)
    too_big = bld.fcmp_ordered(">=", f, ir.Constant(F64, 2.0 ** 63))
    too_small = bld.fcmp_ordered("<", f, ir.Constant(F64, -2.0 ** 63))
    special = bld.or_(is_nan, bld.or_(too_big, too_small))
    clamped = bld.select(special, ir.Constant(F64, 0.0), f)
    whole = bld.fptosi(clamped, i.type)
    frac = bld.fsub(clamped, bld.sitofp(whole, F64))
    zero = ir.Constant(F64, 0.0)
    lt = bld.or_(bld.icmp_signed("<", i, whole),
                 bld.and_(bld.icmp_signed("==", i, whole), bld.fcmp_ordered(">", frac, zero)))
    eq = bld.and_(bld.icmp_signed("==", i, whole), bld.fcmp_ordered("==", frac, zero))
    # outside int64's range the float is beyond every int64
    lt = bld.select(too_big, ir.Constant(I1, 1), bld.select(too_small, ir.Constant(I1, 0), lt))
    eq = bld.select(special, ir.Constant(I1, 0), eq)
    gt = bld.not_(bld.or_(lt, eq))
    result = {"<": lt, "<=": bld.or_(lt, eq), "==": eq, "!=": bld.not_(eq),
              ">": gt, ">=": bld.or_(gt, eq)}[op]
    if op == "!=":
        return result  # NaN != x is True, and `eq` is already False for NaN
    return bld.and_(result, bld.not_(is_nan))
