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

# Exceptions of other modules, which the C API does not export as `PyExc_*` variables: the
# wrapper imports the module and takes the class when it raises one.  Status `IMPORTED_BASE + k`
# is `IMPORTED[k]`: (module, class name, the builtin bases `except` clauses match it by).
IMPORTED_BASE = 64
IMPORTED: tuple[tuple[str, str, tuple[type[BaseException], ...]], ...] = (
    ("numpy.exceptions", "AxisError", (ValueError, IndexError)),  # do not reorder: cached codes
    ("numpy.linalg", "LinAlgError", (ValueError,)),  # `raise LinAlgError(...)` in jitlab/lib
)


def code_of(exc_type: type[BaseException]) -> int:
    """The status code that raises `exc_type` (one of `EXCEPTIONS[1:]` or of `IMPORTED`)."""
    if exc_type in EXCEPTIONS:
        return EXCEPTIONS.index(exc_type)
    for k, (module, name, _) in enumerate(IMPORTED):
        if (exc_type.__module__, exc_type.__name__) == (module, name):
            return IMPORTED_BASE + k
    raise ValueError(f"{exc_type.__name__} has no status code")


def has_code(exc_type: type[BaseException]) -> bool:
    """Whether compiled code can raise `exc_type` (`code_of` gives it a status)."""
    try:
        code_of(exc_type)
    except ValueError:
        return False
    return True


def matches(code: int, classes: tuple[type[BaseException], ...]) -> bool:
    """Whether `except classes` catches the exception of status `code`."""
    if code >= IMPORTED_BASE:
        module, name, bases = IMPORTED[code - IMPORTED_BASE]
        return any((c.__module__, c.__name__) == (module, name) for c in classes) \
            or any(issubclass(base, classes) for base in bases)
    return issubclass(EXCEPTIONS[code], classes)


ALL_CODES = (*range(1, len(EXCEPTIONS)), *range(IMPORTED_BASE, IMPORTED_BASE + len(IMPORTED)))
