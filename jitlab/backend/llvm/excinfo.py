"""Exception codes shared by the native calling convention and the CPython wrapper.

A compiled function raises without the CPython API: it returns a status (`0` =
returned normally, otherwise an index into `EXCEPTIONS`) and, on an error, stores
a pointer to a NUL-terminated UTF-8 message through its `excmsg` out-parameter.
The CPython wrapper (`abi.py`) turns the pair back into the same Python exception.
(`print` is the one op that calls CPython from compiled code, `lower_print.py`; when it
fails, its Python exception is already set and the wrapper keeps it.)
"""
from __future__ import annotations

OK = 0
EXCEPTIONS: tuple[type[BaseException], ...] = (
    # index 0 is "no exception"; do not reorder: codes are stored in cached machine code.
    BaseException,
    ZeroDivisionError,
    ValueError,
    OverflowError,
    IndexError,
    AssertionError,
    UnboundLocalError,
    TypeError,
    RuntimeError,
    MemoryError,
    KeyError,
    NotImplementedError,
    ArithmeticError,
    LookupError,
    Exception,
    RecursionError,  # the stack check of recursive functions (stack_check.py)
)


BY_NAME = {exc.__name__: exc for exc in EXCEPTIONS[1:]}  # what `py.raise {exc = "..."}` may name


def code_of(exc_type: type[BaseException]) -> int:
    """The status code that raises `exc_type` (must be one of `EXCEPTIONS[1:]`)."""
    return EXCEPTIONS.index(exc_type)
