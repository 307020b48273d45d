"""Exception messages raised by compiled code, word for word as the running CPython says them.

Users compare messages with what plain Python prints, so they must match the
interpreter the code is compiled for.  Checked against CPython 3.11, 3.12 and
3.13: only the float modulo message changed (3.13 added "by zero").
"""
from __future__ import annotations

import sys

INT_TRUEDIV_ZERO = "division by zero"
INT_FLOORDIV_ZERO = "integer division or modulo by zero"
INT_MOD_ZERO = "integer modulo by zero"
FLOAT_TRUEDIV_ZERO = "float division by zero"
FLOAT_FLOORDIV_ZERO = "float floor division by zero"
FLOAT_MOD_ZERO = "float modulo by zero" if sys.version_info >= (3, 13) else "float modulo"
ZERO_NEGATIVE_POWER = "0.0 cannot be raised to a negative power"
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
UNBOUND_LOCAL = "local variable referenced before assignment"
