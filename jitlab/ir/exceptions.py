"""The exception classes compiled code may raise and catch, by the name `py.raise {exc}` and
`py.exc_match {exc}` give: CPython's builtin exceptions, and NumPy's `LinAlgError` (what
`np.linalg` raises; it is a `ValueError`), which is looked up in `numpy.linalg` only when used.
"""
from __future__ import annotations

import builtins
import importlib

# name -> (module, attribute, the builtin class it derives from) of the non-builtin classes
IMPORTED: dict[str, tuple[str, str, type[BaseException]]] = {
    "LinAlgError": ("numpy.linalg", "LinAlgError", ValueError),
}


def exception_class(name) -> type[BaseException] | None:
    """The class an exception name stands for, or None when it names none."""
    if not isinstance(name, str):
        return None
    if name in IMPORTED:
        module, attr, _base = IMPORTED[name]
        return getattr(importlib.import_module(module), attr)
    value = getattr(builtins, name, None)
    return value if isinstance(value, type) and issubclass(value, BaseException) else None


def exception_name(value) -> str | None:
    """The name compiled code knows a class by (`exception_class` of it is `value`), else None."""
    if not (isinstance(value, type) and issubclass(value, BaseException)):
        return None
    if getattr(builtins, value.__name__, None) is value:
        return value.__name__
    for name, (module, attr, _base) in IMPORTED.items():
        if value.__name__ == attr and value.__module__.startswith(module.partition(".")[0]) \
                and exception_class(name) is value:
            return name
    return None
