"""The NumPy names the frontend knows: functions it may call, and the values that are dtypes."""
from __future__ import annotations

import sys

from jitlab.lib import CALLS as LIBRARY_CALLS  # compiled from jitlab Python (jitlab/lib)

# NumPy functions that are neither builtins nor ufuncs (NumPy 2 wraps them for __array_function__)
NUMPY_FUNCTIONS = ("numpy.real", "numpy.imag", "numpy.empty_like", "numpy.zeros_like", "numpy.ones_like",
                   "numpy.full_like", "numpy.linspace", "numpy.sum", "numpy.prod", "numpy.min", "numpy.max",
                   "numpy.amin", "numpy.amax", "numpy.mean", "numpy.std", "numpy.var", "numpy.argmin",
                   "numpy.argmax", "numpy.any", "numpy.all", "numpy.cumsum", "numpy.copy", "numpy.where",
                   "numpy.clip", "numpy.round", "numpy.around", "numpy.reshape", "numpy.ravel",
                   "numpy.transpose", "numpy.dot", "numpy.concatenate", "numpy.vstack", "numpy.hstack",
                   "numpy.sort", "numpy.argsort", "numpy.cumprod", "numpy.count_nonzero", "numpy.median",
                   "numpy.eye", "numpy.identity", "numpy.diff", "numpy.outer", "numpy.linalg.norm",
                   "numpy.allclose", "numpy.isclose", "numpy.searchsorted", "numpy.nonzero",
                   "numpy.flatnonzero", "numpy.unique", "numpy.asarray", "numpy.ascontiguousarray",
                   "numpy.nansum", "numpy.nanprod", "numpy.nanmean", "numpy.nanmin", "numpy.nanmax",
                   "numpy.trace", "numpy.roll", "numpy.bincount", "numpy.array_equal", "numpy.diag",
                   "numpy.stack", "numpy.column_stack", "numpy.interp", "numpy.average",
                   "numpy.flip", "numpy.fliplr", "numpy.flipud", "numpy.angle", "numpy.swapaxes",
                   "numpy.moveaxis", "numpy.expand_dims", "numpy.squeeze", "numpy.atleast_1d",
                   "numpy.atleast_2d", "numpy.atleast_3d", "numpy.asfortranarray",
                   *LIBRARY_CALLS)
# functions joining a sequence of arrays: a list display passed to them is built as a tuple
JOIN_CALLEES = ("numpy.concatenate", "numpy.stack", "numpy.vstack", "numpy.hstack", "numpy.column_stack",
                "numpy.dstack")
# the builtin types NumPy takes as dtypes (`np.zeros(n, dtype=float)`), read as values
BUILTIN_DTYPES = {"builtins.float": "float64", "builtins.int": "int64", "builtins.bool": "bool",
                  "builtins.complex": "complex128"}


# modules whose functions compiled code draws random numbers with (typing: rules/random_calls.py)
RANDOM_MODULES = ("numpy.random", "random")
_random_names: dict[str, tuple[object, dict[int, str]]] = {}


def random_callee(value) -> str | None:
    """`numpy.random.<name>` or `random.<name>` when `value` is that public function of the module
    (by identity: `from random import random` and `import numpy.random as npr` name it too)."""
    for module_name in RANDOM_MODULES:
        module = sys.modules.get(module_name)
        if module is None:
            continue
        known = _random_names.get(module_name)
        if known is None or known[0] is not module:
            names = {id(v): f"{module_name}.{k}" for k, v in vars(module).items()
                     if not k.startswith("_") and callable(v) and not isinstance(v, type)}
            known = _random_names[module_name] = (module, names)
        name = known[1].get(id(value))
        if name is not None and getattr(module, name.rpartition(".")[2], None) is value:
            return name
    return None


def dtype_name(value) -> str | None:
    """The dtype name of a NumPy scalar type (`np.float64`) or dtype object, else None.

    NumPy is only looked at when the program already imported it.
    """
    np = sys.modules.get("numpy")
    if np is None:
        return None
    if isinstance(value, type) and issubclass(value, np.generic) or isinstance(value, np.dtype):
        return np.dtype(value).name
    return None
