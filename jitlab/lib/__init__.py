"""NumPy functions implemented in the Python subset jitlab compiles, and compiled by jitlab itself.

A call of a function listed in `CALLS` (`np.linalg.det(a)`) stays `py.call {callee =
"numpy.linalg.det"}` in the IR, so the IR interpreter runs NumPy's own function; typing
(`typing/rules/library.py`) picks the implementation (`linalg.det`, a plain Python function in
`jitlab/lib/linalg.py`), has the dispatcher compile it for the argument types as it compiles any
jitted callee (callee `lib:linalg.det`) and records its native symbol, and the backend calls that
symbol. The implementations run under CPython as well (with NumPy arrays), which is how their
algorithms are tested on their own.

How a call binds (frontend, `statics.GlobalNames.bind_library`): arguments go to NumPy's parameters
by position or keyword; a parameter in `static` must be given a compile-time constant (a mode
string, an `ord`), which goes into the call's `static` attribute when it is not the default, and
`select` maps the static values to the implementation; every other parameter is a run-time input
(its default, when left out, a constant). Inputs before the first static parameter are positional,
the rest keywords (`kwnames`), so the interpreter's NumPy call binds as the source's did.

This package imports nothing from jitlab: every layer may read the table.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

NO_DEFAULT = object()


@dataclass(frozen=True)
class LibraryFunction:
    """How a NumPy function binds and which implementation serves a call of it."""

    params: tuple[str, ...]  # NumPy's parameters, in order
    defaults: dict = field(default_factory=dict)  # parameter -> its default (the others are required)
    static: tuple[str, ...] = ()  # parameters that must be compile-time constants
    npositional: int | None = None  # parameters that may be passed by position (None: all)
    impl: str | Callable = ""  # "module.function", or (static values, ndims of the inputs) -> one
    arrays: tuple[tuple[int, ...] | None, ...] = ()  # per run-time input: the ndims it may have
    by_kind: bool = False  # a complex input takes the implementation named with `_complex` added
    complex_always: bool = False  # with `by_kind`: every input takes the `_complex` one
    any_dtype: bool = False  # arrays of bools as well (else numbers only)

    def default(self, name: str):
        return self.defaults.get(name, NO_DEFAULT)

    def runtime_params(self) -> tuple[str, ...]:
        return tuple(p for p in self.params if p not in self.static)

    def select(self, static: dict, ndims: tuple, complex_input: bool = False) -> str:
        """The implementation of a call; `ValueError(message)` for static values it does not take."""
        values = {name: static.get(name, self.defaults.get(name)) for name in self.static}
        name = self.impl(values, ndims) if callable(self.impl) else self.impl
        return f"{name}_complex" if self.by_kind and (complex_input or self.complex_always) else name


def is_default(lib: LibraryFunction, name: str, value) -> bool:
    default = lib.default(name)
    return default is not NO_DEFAULT and type(default) is type(value) and default == value


def implementation(name: str) -> Callable:
    """The Python function `module.function` names in this package."""
    module, _, func = name.rpartition(".")
    return getattr(importlib.import_module(f"{__name__}.{module}"), func)


def _vector_b(name: str) -> Callable:
    """`name`, or `name_vector` for a 1-d second argument (`solve(a, b)` with a vector `b`)."""
    return lambda static, ndims: f"{name}_vector" if ndims[1] == 1 else name


def _stackable(impl: str | Callable) -> Callable:
    """`impl`, or for a stack of matrices (a 3-d first argument) its namesake in
    `linalg_stacked` (which calls the 2-d one per matrix)."""
    def select(static: dict, ndims: tuple) -> str:
        name = impl(static, ndims) if callable(impl) else impl
        return f"linalg_stacked.{name.rpartition('.')[2]}" if ndims[0] == 3 else name
    return select


def _solve(static: dict, ndims: tuple) -> str:
    if ndims == (2, 3):
        return "linalg_stacked.solve_stacked_b"
    if ndims[0] == 3:
        return {1: "linalg_stacked.solve_vector", 2: "linalg_stacked.solve_matrix"}.get(ndims[1],
                                                                                       "linalg_stacked.solve")
    return "linalg.solve_vector" if ndims[1] == 1 else "linalg.solve"


def _qr(static: dict, ndims: tuple) -> str:
    mode = static["mode"]
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"qr mode {mode!r} is not supported (modes: 'reduced', 'complete', 'r')")
    return f"linalg.qr_{mode}"


def _uplo(name: str) -> Callable:
    def select(static: dict, ndims: tuple) -> str:
        if static["UPLO"] not in ("L", "U"):
            raise ValueError(f"UPLO must be 'L' or 'U', not {static['UPLO']!r}")
        return f"linalg_eig.{name}_{static['UPLO'].lower()}"
    return select


def _svd(static: dict, ndims: tuple) -> str:
    if static["hermitian"] is not False:
        raise ValueError("svd(..., hermitian=True) is not supported")
    if not static["compute_uv"]:
        return "linalg_svd.svdvals"
    return "linalg_svd.svd_full" if static["full_matrices"] else "linalg_svd.svd_thin"


def _matrix_rank(static: dict, ndims: tuple) -> str:
    _hermitian_false("linalg_svd.matrix_rank")(static, ndims)
    return "linalg_svd.matrix_rank_vector" if ndims[0] == 1 else "linalg_svd.matrix_rank"


def _hermitian_false(name: str) -> Callable:
    def select(static: dict, ndims: tuple) -> str:
        if static["hermitian"] is not False:
            raise ValueError(f"{name.rpartition('.')[2]}(..., hermitian=True) is not supported")
        return name
    return select


_VECTOR_ORDS = {None: "2", 2: "2", 1: "1", float("inf"): "inf", float("-inf"): "neginf", 0: "0"}
_MATRIX_ORDS = {None: "fro", "fro": "fro", "nuc": "nuc", 2: "2", -2: "neg2", 1: "1", -1: "neg1",
                float("inf"): "inf", float("-inf"): "neginf"}


def _norm(static: dict, ndims: tuple) -> str:
    if static["axis"] is not None:
        raise ValueError("norm(..., axis=...) is not supported (only the whole array's norm)")
    if static["keepdims"] is not False:
        raise ValueError("norm(..., keepdims=True) is not supported")
    ord_ = static["ord"]
    table = _VECTOR_ORDS if ndims[0] == 1 else _MATRIX_ORDS
    try:
        return f"linalg_svd.norm_{'vector' if ndims[0] == 1 else 'matrix'}_{table[ord_]}"
    except (KeyError, TypeError):
        raise ValueError(f"norm ord {ord_!r} is not supported for a {ndims[0]}-d array (ords: "
                         f"{', '.join(map(repr, table))})") from None


_SQUARE = ((2,),)
_STACK = ((2, 3),)  # a matrix or a stack of them


def _numpy_at_least(major: int, minor: int) -> bool:
    from importlib.metadata import version  # not NumPy itself: importing jitlab stays light

    parts = version("numpy").split(".")
    return (int(parts[0]), int(parts[1])) >= (major, minor)


# NumPy 2.5's eig/eigvals give complex results for every input (2.4 and before: real ones when every
# eigenvalue of a real matrix is real, which compiled code cannot decide by value); follow the NumPy
# that is installed.
_EIG_ALWAYS_COMPLEX = _numpy_at_least(2, 5)
CALLS: dict[str, LibraryFunction] = {
    "numpy.linalg.det": LibraryFunction(("a",), impl=_stackable("linalg.det"), arrays=_STACK),
    "numpy.linalg.slogdet": LibraryFunction(("a",), impl=_stackable("linalg.slogdet"), arrays=_STACK),
    "numpy.linalg.inv": LibraryFunction(("a",), impl=_stackable("linalg.inv"), arrays=_STACK),
    "numpy.linalg.solve": LibraryFunction(("a", "b"), arrays=((2, 3), (1, 2, 3)), impl=_solve),
    "numpy.linalg.cholesky": LibraryFunction(("a", "upper"), {"upper": False}, static=("upper",),
                                             npositional=1, arrays=_STACK,
                                             impl=_stackable(lambda s, n: "linalg.cholesky_upper"
                                                             if s["upper"] else "linalg.cholesky")),
    "numpy.linalg.qr": LibraryFunction(("a", "mode"), {"mode": "reduced"}, static=("mode",),
                                       impl=_stackable(_qr), arrays=_STACK),
    "numpy.linalg.lstsq": LibraryFunction(("a", "b", "rcond"), {"rcond": None},
                                          impl=_vector_b("linalg_svd.lstsq"), arrays=((2,), (1, 2), None)),
    "numpy.linalg.pinv": LibraryFunction(("a", "rcond", "hermitian"), {"rcond": None, "hermitian": False},
                                         static=("hermitian",), arrays=((2, 3), None),
                                         impl=_stackable(_hermitian_false("linalg_svd.pinv"))),
    "numpy.linalg.matrix_rank": LibraryFunction(
        ("A", "tol", "hermitian", "rtol"), {"tol": None, "hermitian": False, "rtol": None},
        static=("hermitian",), npositional=3, impl=_stackable(_matrix_rank),
        arrays=((1, 2, 3), None, None)),
    "numpy.linalg.matrix_power": LibraryFunction(("a", "n"), impl=_stackable("linalg.matrix_power"),
                                                 arrays=(_STACK[0], None)),
    "numpy.linalg.eigh": LibraryFunction(("a", "UPLO"), {"UPLO": "L"}, static=("UPLO",),
                                         impl=_stackable(_uplo("eigh")), arrays=_STACK),
    "numpy.linalg.eigvalsh": LibraryFunction(("a", "UPLO"), {"UPLO": "L"}, static=("UPLO",),
                                             impl=_stackable(_uplo("eigvalsh")), arrays=_STACK),
    "numpy.linalg.eig": LibraryFunction(("a",), impl=_stackable("linalg_eig.eig"), arrays=_STACK,
                                        by_kind=True, complex_always=_EIG_ALWAYS_COMPLEX),
    "numpy.linalg.eigvals": LibraryFunction(("a",), impl=_stackable("linalg_eig.eigvals"), arrays=_STACK,
                                            by_kind=True, complex_always=_EIG_ALWAYS_COMPLEX),
    "numpy.linalg.svd": LibraryFunction(
        ("a", "full_matrices", "compute_uv", "hermitian"),
        {"full_matrices": True, "compute_uv": True, "hermitian": False},
        static=("full_matrices", "compute_uv", "hermitian"), impl=_stackable(_svd), arrays=_STACK),
    "numpy.linalg.norm": LibraryFunction(("x", "ord", "axis", "keepdims"),
                                         {"ord": None, "axis": None, "keepdims": False},
                                         static=("ord", "axis", "keepdims"), impl=_norm, arrays=((1, 2),)),
    "numpy.linalg.cond": LibraryFunction(("x", "p"), {"p": None}, static=("p",), arrays=_STACK,
                                         impl=_stackable(lambda s, n: "linalg_svd.cond" if s["p"] in (None, 2)
                                                         else _raise(f"cond p={s['p']!r} is not supported "
                                                                     "(only p=None, 2)"))),
    "numpy.kron": LibraryFunction(("a", "b"), arrays=((1, 2), (1, 2)),
                                  impl=lambda s, n: f"numeric.kron_{n[0]}d" if n[0] == n[1] else
                                  _raise("kron() of arrays of different dimensions is not supported")),
    "numpy.cross": LibraryFunction(("a", "b"), impl="numeric.cross", arrays=((1,), (1,))),
    # `heapq` on lists (jitlab/lib/heap.py)
    "heapq.heappush": LibraryFunction(("heap", "item"), impl="heap.heappush", arrays=(None, None)),
    "heapq.heappop": LibraryFunction(("heap",), impl="heap.heappop", arrays=(None,)),
    "heapq.heapreplace": LibraryFunction(("heap", "item"), impl="heap.heapreplace", arrays=(None, None)),
    "heapq.heappushpop": LibraryFunction(("heap", "item"), impl="heap.heappushpop", arrays=(None, None)),
    "heapq.heapify": LibraryFunction(("x",), impl="heap.heapify", arrays=(None,)),
}


def _raise(message: str):
    raise ValueError(message)


from .array_calls import CALLS as _ARRAY_CALLS  # noqa: E402 (it needs LibraryFunction)

CALLS.update(_ARRAY_CALLS)
