"""Values of the reference interpreter and the machine semantics of typed IR.

Untyped IR (`?` ports, frontend output) computes with Python objects and Python's
own operators.  Typed IR computes with the same Python objects, constrained to what
the port's type can hold, and follows what the LLVM backend does with that type
(`jitlab/backend/llvm/lower_arith.py`, `lower_calls.py`):

* an `i64` value is a Python `int` that must fit: `+ - * << **`, negation, `abs`
  and `INT64_MIN // -1` raise `OverflowError(INT_OVERFLOW)` when the result does
  not fit, unless the node carries `nooverflow = true` (a range fact) or the
  interpreter runs with `overflow="wrap"` (the backend's `LowerOptions.overflow`);
  other `iN`/`uN` (NumPy's fixed-width integers) wrap modulo 2**N; converting a
  float to an integer (`int`, `round`, `math.floor`…) raises `OverflowError`
  when the result does not fit instead of growing into a big int;
* an `f64` is a Python `float` (IEEE double, the same as LLVM's `double`); `f32`
  values are rounded to single precision after every operation;
* a `c128` is a Python `complex`, computed by CPython's own complex arithmetic, which the
  backend reproduces bit for bit (`lower_complex.py`); a `c64` is a `complex` whose parts
  are rounded to single precision after every operation;
* a `bool` is a Python `bool`, `none` is `None`, `range_iter<iN>` a `RangeIter`;
* where two types meet (γ exits, θ loop variables, an op's operands promoted to
  its result type) the value is converted as `FunctionLowerer.cast` converts it.

The exception messages below are word for word those of
`jitlab/backend/llvm/messages.py` (which are CPython's); they live here too
because `jitlab.ir` may not import the backend.
"""
from __future__ import annotations

import math
import operator
import struct
from dataclasses import dataclass

from ..errors import JitlabError
from .types import (
    I64, BoolType, ComplexType, FloatType, IntType, NoneType, RangeIterType, StateType, Type, UnknownType,
)



def _message_of(operation, *operands) -> str:
    """The message the running CPython gives when `operation(*operands)` raises.

    Messages change between releases (3.13: "float modulo by zero"; 3.14: "division by zero" for
    every division), so they are read off the interpreter, never written down per version."""
    try:
        operation(*operands)
    except ArithmeticError as exc:
        return str(exc)
    raise AssertionError(f"{operation} did not raise")  # pragma: no cover


INT_TRUEDIV_ZERO = _message_of(operator.truediv, 1, 0)
INT_FLOORDIV_ZERO = _message_of(operator.floordiv, 1, 0)
INT_MOD_ZERO = _message_of(operator.mod, 1, 0)
FLOAT_TRUEDIV_ZERO = _message_of(operator.truediv, 1.0, 0.0)
FLOAT_FLOORDIV_ZERO = _message_of(operator.floordiv, 1.0, 0.0)
FLOAT_MOD_ZERO = _message_of(operator.mod, 1.0, 0.0)
ZERO_NEGATIVE_POWER = _message_of(operator.pow, 0.0, -1.0)
NEGATIVE_FRACTIONAL_POWER = ("negative number cannot be raised to a fractional power "
                             "(Python would return a complex number)")
FLOAT_POW_OVERFLOW = "(34, 'Numerical result out of range')"
NEGATIVE_INT_EXPONENT = ("negative exponent in int ** int: the result would be a float, but its type "
                         "must not depend on a value; write `x ** float(n)` or use a constant exponent")
NEGATIVE_SHIFT = "negative shift count"
MATH_DOMAIN = "math domain error"
MATH_RANGE = "math range error"
FLOAT_NAN_TO_INT = "cannot convert float NaN to integer"
FLOAT_INF_TO_INT = "cannot convert float infinity to integer"
FLOAT_TOO_BIG_FOR_INT64 = "float is too large to convert to a 64-bit integer"
RANGE_ZERO_STEP = "range() arg 3 must not be zero"
INT_OVERFLOW = ("integer overflow: int64 result does not fit "
                "(jitlab compiles Python ints as 64-bit)")


def int_result_overflow(function: str) -> str:
    """`math.comb`/`perm`/`lcm` whose exact result needs more than 64 bits (as `messages.py`)."""
    return (f"math.{function}() result does not fit in a 64-bit int "
            "(jitlab compiles Python ints as 64-bit; CPython would return a larger int)")


class InterpreterError(JitlabError):
    """The interpreter met IR it cannot run (an op without semantics, a missing function...).

    Errors of the interpreted program itself are raised as the Python exception
    CPython would raise (`ZeroDivisionError`, `ValueError`, ...), never as this."""


class Undefined:
    """The value of `py.undef`: a variable not bound on this path.  Passing it along
    (through γ/θ ports) is fine; an op that reads it raises `UnboundLocalError`."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"<undef {self.name}>"

    def error(self) -> UnboundLocalError:
        return UnboundLocalError(
            f"cannot access local variable '{self.name}' where it is not associated with a value")


class Pending:
    """The state output of an op with `catch = true` that raised: the exception waits on the
    state for the `py.catch` that follows (`state` is the token the op received)."""

    __slots__ = ("exc", "state")

    def __init__(self, exc: BaseException, state):
        self.exc = exc
        self.state = state

    def __repr__(self) -> str:
        return f"!io<pending {type(self.exc).__name__}>"


def undefined_for(port_name: str) -> Undefined:
    """The undefined value of a port: the Python variable is the name before its first `.`."""
    return Undefined(port_name.split(".")[0] or port_name)


@dataclass(frozen=True, slots=True)
class RangeIter:
    """A typed `range_iter<iN>`: the backend's struct (next, stop, step), a plain value
    that `py.iternext` returns advanced (the RVSDG threads the iterator as a value)."""

    next: int
    stop: int
    step: int

    def __repr__(self) -> str:
        return f"range_iter({self.next}, {self.stop}, {self.step})"


def is_typed(t: Type) -> bool:
    return not isinstance(t, (UnknownType, StateType))


def is_int(t: Type) -> bool:
    """Integer in arithmetic: `iN`, `uN` and `bool`."""
    return isinstance(t, (IntType, BoolType))


def python_ints(ta: Type, tb: Type) -> bool:
    """Signed (or bool) operands, one an int64: `/` is Python's correctly rounded division
    (also in the backend, `lower_arith`); narrower ints fit a double exactly, unsigned ones
    divide as NumPy's (both converted to double)."""
    signed = all(isinstance(t, BoolType) or (isinstance(t, IntType) and t.signed) for t in (ta, tb))
    return signed and I64 in (ta, tb)


def wrap(value: int, t: IntType) -> int:
    """`value` modulo 2**bits, as a signed or unsigned integer of type `t`."""
    bits = t.bits
    value &= (1 << bits) - 1
    if t.signed and value >> (bits - 1):
        value -= 1 << bits
    return value


def to_f32(value: float) -> float:
    try:
        return struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:  # beyond f32's range: rounds to infinity like fptrunc
        return math.copysign(math.inf, value)


def truth(value) -> bool:
    """Python's `bool(value)`; the backend agrees for numbers (NaN is true) and None."""
    return bool(value)


def cast(value, dst: Type):
    """Convert a value to type `dst` as the backend's `FunctionLowerer.cast` does
    (bool → 0/1, int → float rounds to nearest, float → float rounds, int → narrower
    int truncates).  Undefined values, `?` and `!io` pass unchanged."""
    if isinstance(value, Undefined) or not is_typed(dst):
        return value
    if isinstance(dst, BoolType):
        return bool(value)
    if isinstance(dst, IntType):
        if isinstance(value, float):
            raise InterpreterError(f"a float value {value!r} cannot be cast to {dst} implicitly")
        return wrap(int(value), dst)
    if isinstance(dst, FloatType):
        value = float(value)
        return to_f32(value) if dst.bits == 32 else value
    if isinstance(dst, ComplexType):
        value = complex(value)
        return complex(to_f32(value.real), to_f32(value.imag)) if dst.bits == 64 else value
    if isinstance(dst, NoneType):
        return None  # a merge nobody reads (typing allowed it)
    return value


def float_to_int(value: float, t: Type) -> int:
    """CPython's `int(float)` limited to int64, raising as the backend's `float_to_int`."""
    if math.isnan(value):
        raise ValueError(FLOAT_NAN_TO_INT)
    if math.isinf(value):
        raise OverflowError(FLOAT_INF_TO_INT)
    if not -2.0 ** 63 <= value < 2.0 ** 63:
        raise OverflowError(FLOAT_TOO_BIG_FOR_INT64)
    return cast(int(value), t)


def argument(value, t: Type, fn_name: str, param: str):
    """A Python argument as a value of parameter type `t` (what the CPython-ABI wrapper accepts)."""
    if not is_typed(t):
        return value
    integral = hasattr(type(value), "__index__") and not isinstance(value, bool)  # np.int8(3) too
    ok = {
        BoolType: isinstance(value, bool) or type(value).__name__ == "bool",  # numpy.bool
        IntType: integral or isinstance(value, bool),
        FloatType: integral or isinstance(value, (int, float)) or hasattr(type(value), "__float__"),
        ComplexType: isinstance(value, (int, float, complex)),
        NoneType: value is None,
    }.get(type(t), True)
    if not ok:
        raise TypeError(f"{fn_name}() argument {param!r} must be {t}, not {type(value).__name__}")
    if isinstance(t, IntType) and not isinstance(value, bool):
        value = int(value)
        lo, hi = (-(1 << (t.bits - 1)), 1 << (t.bits - 1)) if t.signed else (0, 1 << t.bits)
        if not lo <= value < hi:
            raise OverflowError(f"{fn_name}() argument {param!r} does not fit in {t}")
    return cast(value, t)


def result(value, t: Type):
    """A value of type `t` as the Python object the CPython-ABI wrapper returns."""
    if isinstance(t, RangeIterType):
        return value
    return cast(value, t)


@dataclass(frozen=True, slots=True)
class OpContext:
    """What an op's semantics may see besides its input values (built once per node).

    `typed` is true when the node's value outputs carry types: then the op follows
    the typed semantics above, else Python's.  `resolve(name)` returns the callable
    behind a `py.call {callee = "global:name"}`; `deltas` maps a δ's name to its value."""

    node: object
    in_types: tuple[Type, ...]
    out_types: tuple[Type, ...]
    typed: bool
    resolve: object
    overflow: str = "raise"
    deltas: object = None  # the module's global constants: name -> read-only NumPy array

    def attr(self, key: str, default=None):
        return self.node.attr(key, default)

    @property
    def checks_overflow(self) -> bool:
        """Whether an i64 result that does not fit raises (as the backend's `checks_overflow`)."""
        return (self.overflow == "raise" and bool(self.out_types) and self.out_types[0] == I64
                and not self.node.attr("nooverflow"))


def fit(value: int, t: IntType, check: bool) -> int:
    """An exact integer result as a value of `t`: raise when `check` and it does not fit, else wrap."""
    wrapped = wrap(value, t)
    if check and wrapped != value:
        raise OverflowError(INT_OVERFLOW)
    return wrapped
