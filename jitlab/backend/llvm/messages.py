"""Exception messages raised by compiled code, word for word as the running CPython says them.

Users compare messages with what plain Python prints, so they must match the
interpreter the code is compiled for.  Rather than a table per version (3.13
added "by zero" to the float modulo message; 3.14 says "division by zero" for
every division and shows the offending value in `math` domain errors), each
message is probed once, at import, by running the operation in this
interpreter and keeping `str(exc)`.

A message that shows the operand (`math.sqrt(-2.5)` on 3.14: "expected a
nonnegative input, got -2.5") is kept as a template whose `{value}` the native
code fills with `repr()` of the float at run time (`runtime.float_repr`).
`has_value(message)` says whether a message is such a template.
"""
from __future__ import annotations

import math

VALUE = "{value}"  # where a template shows the offending float, as repr() writes it

_PROBE_VALUE = -2.5  # a float whose repr is unambiguous in any message


def _probe(operation, *args, shows: float | None = None) -> str:
    """`str()` of the exception `operation(*args)` raises, `repr(shows)` at the end made `{value}`."""
    try:
        operation(*args)
    except (ArithmeticError, ValueError) as exc:
        text = str(exc)
    else:  # pragma: no cover - every probe raises on every supported CPython
        raise RuntimeError(f"probing {operation}{args} raised nothing")
    if shows is not None and text.endswith(repr(shows)):
        text = text[: -len(repr(shows))] + VALUE
    return text


def has_value(message: str) -> bool:
    return message.endswith(VALUE)


def _unbound_local() -> str:
    def read_unbound():
        if False:
            x = 0
        return x  # unbound on purpose

    try:
        read_unbound()
    except UnboundLocalError as exc:
        return str(exc).replace("'x'", "'{name}'")
    raise RuntimeError("reading an unbound local raised nothing")  # pragma: no cover


_zero, _fzero = 0, 0.0

INT_TRUEDIV_ZERO = _probe(lambda: 1 / _zero)
INT_FLOORDIV_ZERO = _probe(lambda: 1 // _zero)
INT_MOD_ZERO = _probe(lambda: 1 % _zero)
FLOAT_TRUEDIV_ZERO = _probe(lambda: 1.0 / _fzero)
FLOAT_FLOORDIV_ZERO = _probe(lambda: 1.0 // _fzero)
FLOAT_MOD_ZERO = _probe(lambda: 1.0 % _fzero)
INT_DIVMOD_ZERO = _probe(divmod, 1, _zero)
FLOAT_DIVMOD_ZERO = _probe(divmod, 1.0, _fzero)
ZERO_NEGATIVE_POWER = _probe(lambda: _fzero ** -1.0)
NEGATIVE_FRACTIONAL_POWER = ("negative number cannot be raised to a fractional power "
                             "(Python would return a complex number)")
FLOAT_POW_OVERFLOW = _probe(lambda: 10.0 ** 400.0)
NEGATIVE_INT_EXPONENT = ("negative exponent in int ** int: the result would be a float, but its type "
                         "must not depend on a value; write `x ** float(n)` or use a constant exponent")
NEGATIVE_SHIFT = _probe(lambda: 1 << -1)
MATH_DOMAIN = _probe(math.pow, 0.0, -1.0)  # math.pow and math.log's base keep the plain message
MATH_RANGE = _probe(math.exp, 1000.0)
SQRT_DOMAIN = _probe(math.sqrt, _PROBE_VALUE, shows=_PROBE_VALUE)
LOG_DOMAIN = _probe(math.log, _PROBE_VALUE, shows=_PROBE_VALUE)
LOG_DOMAIN_INT = _probe(math.log, -3)  # an int argument: no value shown (3.14)
TRIG_DOMAIN = _probe(math.sin, -math.inf, shows=-math.inf)
ASIN_DOMAIN = _probe(math.asin, _PROBE_VALUE, shows=_PROBE_VALUE)  # acos says the same
ACOSH_DOMAIN = _probe(math.acosh, _PROBE_VALUE, shows=_PROBE_VALUE)
ATANH_DOMAIN = _probe(math.atanh, _PROBE_VALUE, shows=_PROBE_VALUE)
LOG1P_DOMAIN = _probe(math.log1p, _PROBE_VALUE, shows=_PROBE_VALUE)
FACTORIAL_NEGATIVE = _probe(math.factorial, -1)
GAMMA_DOMAIN = _probe(math.gamma, -2.0, shows=-2.0)  # lgamma says the same; an int shows as a float
COMB_N_NEGATIVE = _probe(math.comb, -1, 2)
COMB_K_NEGATIVE = _probe(math.comb, 1, -2)
PERM_N_NEGATIVE = _probe(math.perm, -1, 2)
PERM_K_NEGATIVE = _probe(math.perm, 3, -2)
PERM_ONE_NEGATIVE = _probe(math.perm, -1)  # perm(n) is factorial(n), message included (3.11-3.14)
FSUM_OVERFLOW = _probe(math.fsum, [1e308, 1e308])
FSUM_INF_MINUS_INF = _probe(math.fsum, [math.inf, -math.inf])
DIST_DIMENSIONS = _probe(math.dist, (1.0, 2.0), (1.0,))
ISQRT_NEGATIVE = _probe(math.isqrt, -1)
ISCLOSE_TOLERANCE = _probe(lambda: math.isclose(1.0, 1.0, rel_tol=-1.0))
FLOAT_NAN_TO_INT = _probe(int, math.nan)
FLOAT_INF_TO_INT = _probe(int, math.inf)
FLOAT_TOO_BIG_FOR_INT64 = "float is too large to convert to a 64-bit integer"
RANGE_ZERO_STEP = _probe(range, 0, 1, 0)
POW_MODULUS_ZERO = _probe(pow, 3, 2, 0)
POW_NOT_INVERTIBLE = _probe(pow, 2, -1, 4)
ROUND_OVERFLOW = _probe(round, 1.7976931348623157e308, -308)
_czero = 0j
COMPLEX_DIV_ZERO = _probe(lambda: 1j / _czero)
COMPLEX_ZERO_POWER = _probe(lambda: _czero ** -1)
COMPLEX_POW_OVERFLOW = _probe(lambda: complex(1e200, 0.0) ** 2)
COMPLEX_ABS_OVERFLOW = _probe(abs, complex(1.7e308, 1.7e308))
UNBOUND_LOCAL = _unbound_local()  # `{name}` is the variable
INT_OVERFLOW = ("integer overflow: int64 result does not fit "
                "(jitlab compiles Python ints as 64-bit)")


def int_result_overflow(function: str) -> str:
    """`math.comb`/`perm`/`lcm` whose exact result needs more than 64 bits (CPython's is a big int)."""
    return (f"math.{function}() result does not fit in a 64-bit int "
            "(jitlab compiles Python ints as 64-bit; CPython would return a larger int)")

# lists (CPython's words; min/max of an empty list differ by version: probed)
MIN_EMPTY = _probe(min, [])
MAX_EMPTY = _probe(max, [])
LIST_INDEX = "list index out of range"
TUPLE_INDEX = "tuple index out of range"
LIST_ASSIGN_INDEX = "list assignment index out of range"
LIST_POP_EMPTY = "pop from empty list"
LIST_POP_RANGE = "pop index out of range"
LIST_REMOVE_MISSING = _probe(lambda: [].remove(_PROBE_VALUE))
# `[].index(x)` shows repr(x) first up to 3.13 ("-2.5 is not in list"), a constant message on 3.14
LIST_INDEX_MISSING = _probe(lambda: [].index(_PROBE_VALUE)).replace(repr(_PROBE_VALUE), "{!r}", 1)
