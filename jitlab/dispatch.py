"""`jitlab.jit`: dispatcher objects that specialise a Python function per argument types.

A `Dispatcher` wraps a plain Python function.  Calling it maps each argument to a
jitlab type (`typeof`), looks the tuple up among the loaded specialisations and
calls that specialisation's builtin directly; a miss compiles through
`pipeline.compile` first (lazy specialisation).  Eager signatures in Numba's
string form (`"float64(float64, int64)"`) compile at decoration time, and a
dispatcher with eager signatures only converts arguments to them instead of
compiling new specialisations, as Numba does.

The call path: each dispatcher has a class of its own whose `__call__` is a native
builtin (`backend.llvm.dispatch_wrapper`) -- a builtin is no descriptor, so `d(1, 2)`
reaches it with just the arguments and no Python frame.  It compares the exact classes
of the arguments (int, float, bool) with the loaded specialisations' and calls the match;
anything else (keywords, NumPy scalars or arrays, a new type) falls back to
`Dispatcher.__call__`, which selects or compiles and regenerates the native entry.

Calls from one jitted function to another (`py.call {callee="global:g"}`) are
resolved here: the callee's dispatcher (a plain Python callee gets one on
demand) compiles the specialisation and hands back its native symbol; a function loaded from
a PIXIE library hands back its symbol and its bitcode, which the caller inlines.

`cache=True` (the default) looks every specialisation up in the persistent cache
(`jitlab.cache`, docs/pixie.md) before compiling; `cache_dir=` names another folder.  The
native entry over cached specialisations is cached too (next to their entries), so a restarted
process whose kernels all hit builds no LLVM IR at all.  NumPy is never imported here: an
argument can be an array or a NumPy scalar only if NumPy is in `sys.modules` already.
"""
from __future__ import annotations

import inspect
import numbers
import sys
import threading
import types
import weakref
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

from . import cache as kernel_cache
from . import lib as library
from . import pipeline
from .backend.llvm import dispatch_wrapper, native
from .errors import JitlabError, TypingError, UnsupportedError
from .ir.types import (
    BOOL, C128, F64, I64, NONE, STR, ArrayType, DictType, FloatType, FunctionValueType, IntType, ListType,
    SetType, TupleType, Type,
)

if TYPE_CHECKING:
    import numpy as np

    from .passes import Pass

_PY_TYPES: dict[type, Type] = {bool: BOOL, int: I64, float: F64, complex: C128, str: STR}
_CLASSES: dict[Type, type] = {t: c for c, t in _PY_TYPES.items()}
_NATIVE_CLASSES = set(_PY_TYPES)
OVERFLOW_MODES = ("raise", "wrap")
_ENTRY_ROWS = 16  # specialisations the native strict entry tries (each added one regenerates it)
# One compile at a time in this process, as in Numba: a second thread calling a function that is
# being compiled waits for that compile instead of starting its own.  Background tier-1 jobs never
# take it (`tiers`), so waiting for one while holding it cannot deadlock.
_COMPILE_LOCK = threading.RLock()

# Names accepted in signature strings, mapped through NumPy's dtype names.
_SIG_ALIASES = {"boolean": "bool", "b1": "bool", "f8": "float64", "i8": "int64", "double": "float64",
                "int_": "int64", "intp": "int64"}
# The scalar names NumPy need not be imported for (it maps them to these types too).
_SIG_SCALARS = {"float64": F64, "int64": I64, "bool": BOOL, "complex128": C128, "str": STR,
                "unicode_type": STR}  # (Numba's name of str)


def _numpy():
    """NumPy if something imported it, else None (then no argument is an array or NumPy scalar)."""
    return sys.modules.get("numpy")


def typeof(value: Any) -> Type:
    """The jitlab type of a Python argument value (TypingError if it has none)."""
    t = _PY_TYPES.get(type(value))
    if t is not None:
        return t
    np = _numpy()
    if np is not None and isinstance(value, np.ndarray):
        return array_type(value)
    if np is not None and isinstance(value, np.generic):
        return dtype_to_type(value.dtype)
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, numbers.Integral):
        return I64
    if isinstance(value, numbers.Real):
        return F64
    if isinstance(value, str):  # a subclass of str: its str value
        return STR
    if type(value) is list:
        return list_type(value)
    if type(value) in (dict, set):
        return table_type(value)
    if value is None:  # an optional argument (`def f(x, y=None)`): `y is None` is decided by type
        return NONE
    if type(value) is tuple:
        return tuple_type(value)
    if isinstance(value, Dispatcher) or inspect.isfunction(value):
        return function_value_type(value)
    raise TypingError(f"cannot compile for an argument of type {type(value).__name__} ({value!r:.60})",
                      hint="jitlab compiles numbers, None, str, tuples and lists of numbers, NumPy "
                           "arrays and functions as arguments")


# Functions passed as arguments, by the digest their type names (`function<g:DIGEST>`); a
# function's type is computed once (its digest hashes its code, globals and callees).
_FUNCTION_VALUES: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
_FUNCTION_TYPES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def function_value_type(value: Any) -> FunctionValueType:
    """`function<g:DIGEST>` of a jitted or plain Python function passed as an argument: its
    identity is its cache digest (`cache.key.function_digest`), so the caller's cache key, whose
    signature prints the type, changes whenever the function does."""
    found = _FUNCTION_TYPES.get(value)
    if found is not None:
        return found
    from .cache import key as cache_key

    py_func = value.py_func if isinstance(value, Dispatcher) else value
    options = value.options if isinstance(value, Dispatcher) else pipeline.Options()
    varargs = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS
    if inspect.isfunction(py_func) and py_func.__code__.co_flags & varargs:
        raise TypingError(f"cannot compile for the function argument {py_func.__qualname__}: it has "
                          "*args or **kwargs parameters")
    try:
        digest = cache_key.function_digest(py_func, options)[:16]
    except cache_key.Uncacheable:  # a digest no other function (in any process) has
        import uuid

        digest = "u" + uuid.uuid4().hex[:15]
    name = getattr(py_func, "__name__", "f")
    t = _FUNCTION_TYPES[value] = FunctionValueType(name, digest)
    _FUNCTION_VALUES[digest] = value
    return t


_TUPLE_ITEMS = (BOOL, I64, F64, C128)


def tuple_type(value: tuple) -> TupleType:
    """`tuple<...>` of a tuple argument of numbers (ints, floats, bools, complex numbers, NumPy's
    64-bit scalars) or of such tuples, passed by value."""
    items = []
    for x in value:
        try:
            t = tuple_type(x) if type(x) is tuple else typeof(x)
        except TypingError:
            t = None
        if not isinstance(t, TupleType) and t not in _TUPLE_ITEMS:
            raise TypingError(f"cannot compile for a tuple argument holding {type(x).__name__} ({x!r:.40})",
                              hint="a tuple argument holds ints, floats, bools, complex numbers or "
                                   "tuples of them")
        items.append(t)
    return TupleType(tuple(items))


def list_type(xs: list) -> ListType:
    """`list<elem>` of a list of numbers: bool if all are bools, int if all are ints, float if any
    is a float (ints are converted when copied in); an empty list is `list<i64>`."""
    classes = set(map(type, xs))  # the common case by exact classes: 100x faster than the ABCs below
    if classes <= {int, float} or classes == {bool}:
        return ListType(F64 if float in classes else BOOL if classes == {bool} else I64)
    if classes == {tuple}:  # a list of tuples of numbers of one shape (ints among floats widen)
        return ListType(_hashable_type(xs, "list argument"))
    np = _numpy()
    kinds = {BOOL if type(x) is bool or (np is not None and isinstance(x, np.bool_)) else
             I64 if isinstance(x, numbers.Integral) else F64 if isinstance(x, numbers.Real) else None
             for x in xs}
    if None in kinds or (BOOL in kinds and len(kinds) > 1):
        bad = next((x for x in xs if not isinstance(x, numbers.Real)), None)
        what = type(bad).__name__ if bad is not None else "bools and numbers"
        raise TypingError(f"cannot compile for a list argument holding {what}",
                          hint="a list argument holds ints, floats or bools (of one kind), "
                               "or tuples of them of one shape")
    return ListType(F64 if F64 in kinds else BOOL if kinds == {BOOL} else I64)


def _hashable_type(values, what: str) -> Type:
    """The one type of a dict argument's keys (or values) or a set argument's items: int, float
    (ints among floats are converted), bool, or a tuple of those of one shape; i64 when empty."""
    kinds = set()
    for x in values:
        if type(x) is bool:
            kinds.add(BOOL)
        elif type(x) is int:
            kinds.add(I64)
        elif type(x) is float:
            kinds.add(F64)
        elif type(x) is tuple and x and all(type(i) in (bool, int, float) for i in x):
            kinds.add(TupleType(tuple(BOOL if type(i) is bool else I64 if type(i) is int else F64
                                      for i in x)))
        else:
            raise TypingError(f"cannot compile for a {what} holding {type(x).__name__} ({x!r:.40})",
                              hint="dict and set arguments hold ints, floats, bools or tuples of them")
    if kinds <= {I64, F64} and kinds:
        return F64 if F64 in kinds else I64
    if len(kinds) > 1:
        raise TypingError(f"cannot compile for a {what} mixing {', '.join(sorted(map(str, kinds)))}",
                          hint="the keys (and the values) of a dict argument have one type")
    return kinds.pop() if kinds else I64


def table_type(value: dict | set) -> DictType | SetType:
    """`dict<key, value>` or `set<item>` of a dict or set argument (copied in, reflected back)."""
    if type(value) is dict:
        return DictType(_hashable_type(value.keys(), "dict argument's keys"),
                        _hashable_type(value.values(), "dict argument's values"))
    return SetType(_hashable_type(value, "set argument"))


def array_type(a: np.ndarray) -> ArrayType:
    """`array<dtype, ndim, layout>`: layout C or F when contiguous that way (C first), else A."""
    if a.ndim == 0:
        raise TypingError("cannot compile for a 0-dimensional array argument", hint="pass a[()] or a.item()")
    if not a.dtype.isnative:
        raise TypingError(f"cannot compile for an array of non-native byte order ({a.dtype})",
                          hint="convert it with a.astype(a.dtype.newbyteorder('='))")
    flags = a.flags
    layout = "C" if flags.c_contiguous else "F" if flags.f_contiguous else "A"
    return ArrayType(dtype_to_type(a.dtype), a.ndim, layout)


def dtype_to_type(dtype: np.dtype) -> Type:
    """The jitlab type of a NumPy dtype (typing's `from_dtype`), as a user-facing TypingError."""
    import numpy as np

    from .typing.lattice import from_dtype  # (the typing package loads only when needed)

    dtype = np.dtype(dtype)
    try:
        return from_dtype(dtype)
    except TypeError:
        raise TypingError(f"unsupported dtype {dtype}") from None


def parse_type_name(name: str) -> Type:
    """A scalar (`float64`, `i8`, ...), `void`, or a Numba-style array: `float64[:]` (any strides),
    `float32[::1]` (C-contiguous), `int64[:, ::1]` (C), `float64[::1, :]` (F)."""
    name = name.strip()
    if name == "void":
        return NONE
    if name.endswith("]") and "[" in name:
        head, _, dims = name[:-1].partition("[")
        axes = [d.strip() for d in dims.split(",")]
        if not all(a in (":", "::1") for a in axes) or axes.count("::1") > 1:
            raise TypingError(f"array type {name!r}: write dimensions as ':' with at most one '::1'")
        layout = "A" if "::1" not in axes else "C" if axes[-1] == "::1" else "F" if axes[0] == "::1" else None
        if layout is None:
            raise TypingError(f"array type {name!r}: '::1' goes on the first (F) or last (C) dimension")
        return ArrayType(parse_type_name(head), len(axes), layout)
    name = _SIG_ALIASES.get(name, name)
    if name in _SIG_SCALARS:
        return _SIG_SCALARS[name]
    import numpy as np

    try:
        return dtype_to_type(np.dtype(name))
    except TypeError:
        raise TypingError(f"unknown type name {name!r} in signature") from None


def _split_args(text: str) -> list[str]:
    """Split at the commas outside brackets: `"float64[:, :], int64"` → two arguments."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "[") - (ch == "]")
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return [p for p in (*parts, text[start:]) if p.strip()]


def parse_signature(sig: str) -> tuple[Type | None, tuple[Type, ...]]:
    """`"float64(float64, int64)"` → (F64, (F64, I64)); `"(int64,)"` has no return type."""
    sig = sig.strip()
    if not sig.endswith(")") or "(" not in sig:
        raise TypingError(f"signature {sig!r} is not of the form 'ret(arg, ...)'")
    head, _, rest = sig.partition("(")
    ret = parse_type_name(head) if head.strip() else None
    return ret, tuple(parse_type_name(a) for a in _split_args(rest[:-1]))


def _resolve_passes(passes: list[str | Pass]) -> tuple[Pass, ...]:
    from .passes import resolve_passes  # only a custom pass list needs the pass registry here

    return resolve_passes(passes)


def _returns_as(actual: Type, declared: Type) -> bool:
    """The declared return type admits the inferred one (`float64[:]` admits any layout)."""
    if isinstance(actual, ArrayType) and isinstance(declared, ArrayType) and declared.layout == "A":
        return (actual.dtype, actual.ndim) == (declared.dtype, declared.ndim)
    return actual == declared


def _convertible(value: Any, target: Type) -> bool:
    t = typeof(value)
    if t == target:
        return True
    if isinstance(target, FloatType):
        return t in (I64, BOOL) or isinstance(t, (IntType, FloatType))
    if isinstance(target, IntType):
        return t == BOOL or isinstance(t, IntType)
    return False


class Dispatcher:
    """A jitted function: call it like the original; it compiles per argument types."""

    _jitlab_dispatcher_ = True

    def __init__(self, py_func: Callable, *, signatures: tuple[str, ...] = (), boundscheck: bool = True,
                 fastmath: bool = False, cache: bool = True, cache_dir: str | None = None,
                 passes: list[str | Pass] | None = None, overflow: str = "wrap", tier: str | int = "auto"):
        if not inspect.isfunction(py_func):
            raise TypeError(f"jitlab.jit expects a Python function, got {type(py_func).__name__}")
        if overflow not in OVERFLOW_MODES:
            modes = ", ".join(map(repr, OVERFLOW_MODES))
            raise ValueError(f"overflow must be one of {modes}, got {overflow!r}")
        self.py_func = py_func
        self.options = pipeline.Options(boundscheck=boundscheck, fastmath=fastmath, overflow=overflow,
                                        passes=None if passes is None else _resolve_passes(passes))
        if tier not in pipeline.TIERS:
            raise ValueError(f"tier must be one of {', '.join(map(repr, pipeline.TIERS))}, got {tier!r}")
        self.cache = cache
        self.cache_dir = cache_dir
        self.tier = tier
        # Guards the tables below against the background thread that swaps optimised code in
        # (`_optimized`) and against other calling threads.
        self._lock = threading.RLock()
        self._overloads: dict[tuple[Type, ...], pipeline.Compiled] = {}
        # Python types of scalar arguments → loaded entry: the call fast path (hashing a tuple of
        # Python classes is far cheaper than mapping values to jitlab types and hashing those).
        self._fast: dict[tuple[type, ...], Callable] = {}
        # (class or dispatch_wrapper.ArrayKind per argument) → loaded entry, for calls with arrays:
        # rows of the native strict entry only (see `_install_entry`).
        self._array_rows: dict[tuple, Callable] = {}
        # Every row of `_fast` and `_array_rows` in the order added: (True for an array row, key).
        self._rows: list[tuple[bool, tuple]] = []
        self._entry_upto = 0  # how many of `_rows` the native entry was last made for
        self._compiling: set[tuple[Type, ...]] = set()
        self._eager = bool(signatures)
        self.last_compile: pipeline.CompileRecord | None = None
        self.__name__ = py_func.__name__
        self.__qualname__ = py_func.__qualname__
        self.__doc__ = py_func.__doc__
        self.__module__ = py_func.__module__
        self.__wrapped__ = py_func
        self._binder_fn: Callable | None = None
        if py_func.__code__.co_flags & inspect.CO_VARKEYWORDS:
            self._binder  # noqa: B018 -- raises jitlab's UnsupportedError for **kwargs now
        self._nparams = py_func.__code__.co_argcount + py_func.__code__.co_kwonlyargcount
        # Keyword-only parameters: a positional call of all parameters is a TypeError, so no call
        # may take the class-keyed fast path straight to the compiled entry.
        # (`*args` too: the binder packs the extra arguments into the tuple the code takes)
        self._positional = py_func.__code__.co_kwonlyargcount == 0 \
            and not py_func.__code__.co_flags & inspect.CO_VARARGS
        # Each dispatcher has a class of its own whose `__call__` becomes the strict entry
        # (`_install_entry`) once specialisations are loaded; `Dispatcher.__call__` stays the
        # slow path that entry falls back to.
        self.__class__ = type(type(self).__name__, (type(self),), {"__module__": type(self).__module__,
                                                                    "__qualname__": type(self).__qualname__,
                                                                    "_jitlab_own_class_": True})
        self._entry_keys: tuple = ()
        self._wrappers: dict[int, str] = {}  # id(entry) -> symbol of its METH_FASTCALL wrapper
        for sig in signatures:
            compiled = self.compile(sig)
            classes = tuple(_CLASSES.get(t) for t in compiled.argtypes)
            if None not in classes and self._positional:  # the classes that select this signature exactly
                with self._lock:
                    self._add_row(False, classes, compiled)
        self._install_entry()

    def __repr__(self) -> str:
        return f"<jitlab.jit {self.__qualname__} ({len(self._overloads)} specialisations)>"

    @property
    def _binder(self) -> Callable:
        """Binds a call's arguments to the parameters (made when a call first needs it)."""
        if self._binder_fn is None:
            from .frontend.binding import make_binder

            self._binder_fn = make_binder(self.py_func)
        return self._binder_fn

    @property
    def signatures(self) -> list[tuple[Type, ...]]:
        return list(self._overloads)

    @property
    def overloads(self) -> dict[tuple[Type, ...], pipeline.Compiled]:
        return dict(self._overloads)

    def compile(self, sig: str | tuple[Type, ...]) -> pipeline.Compiled:
        """Compile (or find) the specialisation for a signature string or a tuple of types."""
        declared_ret = None
        if isinstance(sig, str):
            declared_ret, argtypes = parse_signature(sig)
        else:
            argtypes = tuple(sig)
        found = self._overloads.get(argtypes)
        if found is not None:
            return found
        with _COMPILE_LOCK:
            found = self._overloads.get(argtypes)  # (compiled by another thread meanwhile)
            if found is not None:
                return found
            if argtypes in self._compiling:
                raise UnsupportedError(f"recursive call of {self.__name__}",
                                       hint="recursion is not supported yet; write the function as a loop")
            self._compiling.add(argtypes)
            try:
                store = kernel_cache.get_store(self.cache_dir) if self.cache else None
                compiled = pipeline.compile(self.py_func, argtypes, self.options, cache=store, tier=self.tier,
                                            resolve_call=self._resolve_call,
                                            on_optimized=lambda new: self._optimized(argtypes, new))
            finally:
                self._compiling.discard(argtypes)
            if declared_ret is not None and not _returns_as(compiled.rettype, declared_ret):
                raise TypingError(f"{self.__name__} is declared to return {declared_ret} but returns "
                                  f"{compiled.rettype}")
            with self._lock:
                self._overloads[argtypes] = compiled
                self._wrappers[id(compiled.entry)] = compiled.wrapper
                self.last_compile = compiled.record
                job = compiled.record.optimizing
                if compiled.tier == 0 and job is not None and job.result is not None:
                    self._optimized(argtypes, job.result)  # tier 1 was ready before this returned
                return self._overloads[argtypes]

    def _optimized(self, argtypes: tuple[Type, ...], new: pipeline.Compiled | None) -> None:
        """Tier 1 of `argtypes` is loaded (`new`; None: making it failed): swap its entry in for the
        quick one everywhere, then (re)build the native entry, which left the quick code out."""
        with self._lock:
            old = self._overloads.get(argtypes)
            if old is None:  # `compile` has not stored the quick code yet: it swaps when it does
                return
            if new is not None:
                self._overloads[argtypes] = new
                self._wrappers[id(new.entry)] = new.wrapper
                for table in (self._fast, self._array_rows):
                    for key, entry in list(table.items()):
                        if entry is old.entry:
                            table[key] = new.entry
            self._install_entry()

    def _latest(self, compiled: pipeline.Compiled) -> pipeline.Compiled:
        """`compiled`, or what replaced it (tier 1 swapped in meanwhile)."""
        return self._overloads.get(compiled.argtypes, compiled)

    def wait_optimized(self, timeout: float | None = None) -> bool:
        """Wait until every specialisation compiled so far runs its optimised (tier-1) code and
        its cache entry, if it missed, is written; True when all do (False: `timeout` passed, or
        optimising one failed and it keeps its quick code).  `jit(..., tier=1)` compiles optimised
        code at once instead; docs/architecture.md, "Tiered compilation"."""
        ok = True
        for compiled in list(self._overloads.values()):
            job = compiled.record.optimizing
            if compiled.tier == 0:
                ok = job is not None and job.wait(timeout) and ok
            elif job is not None and not job.finished:  # swapped in, its cache entry being written
                ok = job.wait(timeout) and ok
        return ok and all(c.tier == 1 for c in self._overloads.values())

    def _resolve_call(self, callee: str, argtypes: tuple[Type, ...]) -> tuple:
        """Compile a `global:NAME` callee for `argtypes`; return its return type and native symbol
        (and, for a PIXIE function, the bitcode to inline)."""
        name = callee.removeprefix("global:")
        if callee.startswith("lib:"):
            return _resolve_library(name.removeprefix("lib:"), argtypes, self.options, self.cache,
                                    self.cache_dir, self.tier)
        target = callee_target(self.py_func, callee)
        if callee.startswith("typeof:"):  # the type of a global function used as a value
            if target is None or not (isinstance(target, Dispatcher) or inspect.isfunction(target)):
                raise UnsupportedError(f"{name.removeprefix('typeof:global:')} used as a value",
                                       hint="only jitted or plain Python functions can be passed")
            return function_value_type(target), ""
        if getattr(target, "_jitlab_pixie_", False):
            return target.resolve(tuple(argtypes))
        dispatcher = as_dispatcher(target, self.options, cache=self.cache, cache_dir=self.cache_dir,
                                   tier=self.tier)
        if dispatcher is None:
            raise UnsupportedError(f"call of global {name!r} ({type(target).__name__})",
                                   hint="only jitted or plain Python functions can be called")
        compiled = dispatcher.compile(tuple(argtypes))
        # The caller's `opt` stage inlines a small callee's typed λ (the `inline` pass); a call
        # left standing gets the callee's unoptimised module as bitcode, linked into the caller as
        # internal copies (JIT LTO, as for PIXIE callees) so LLVM can inline it; the callee's own
        # symbol stays the one loaded in the JIT.
        return compiled.rettype, compiled.symbol, pipeline.JittedCallee(compiled.record)

    def _select(self, args: tuple) -> pipeline.Compiled:
        key = tuple(typeof(a) for a in args)
        found = self._overloads.get(key)
        if found is not None:
            return found
        if self._eager:
            for argtypes, compiled in self._overloads.items():
                if len(argtypes) == len(args) and all(_convertible(a, t) for a, t in zip(args, argtypes)):
                    return compiled
            raise TypingError(f"no signature of {self.__name__} matches argument types "
                              f"({', '.join(map(str, key))}); compiled: "
                              + "; ".join("(" + ", ".join(map(str, s)) + ")" for s in self._overloads))
        return self.compile(key)

    def __call__(self, *args, **kwargs):
        if not kwargs:
            entry = self._fast.get(tuple(map(type, args)))
            if entry is not None:
                return entry(*args)
        if kwargs or len(args) != self._nparams or not self._positional:
            args = self._binder(*args, **kwargs)
        compiled = self._select(args)
        if self._positional:
            np = _numpy()
            if any(isinstance(t, FunctionValueType) for t in compiled.argtypes):
                pass  # a function's class does not tell which function it is: the Python path types it
            elif not any(isinstance(a, (list, dict, set, tuple))
                         or (np is not None and isinstance(a, np.ndarray)) for a in args):
                # A scalar's Python class determines its jitlab type, so the class tuple can key the entry.
                classes = tuple(map(type, args))
                if classes not in self._fast:
                    with self._lock:
                        self._add_row(False, classes, compiled)
                        self._install_entry()
            elif np is not None and dispatch_wrapper.array_rows_supported():  # (a list alone has no row)
                # Arrays: (dtype, ndim, layout) determines the type; only the native entry can
                # check that cheaply, so these rows live in the entry alone.
                kinds = tuple(dispatch_wrapper.array_kind(a) if isinstance(a, np.ndarray) else
                              type(a) if type(a) in _NATIVE_CLASSES else None for a in args)
                if None not in kinds and kinds not in self._array_rows:
                    with self._lock:
                        self._add_row(True, kinds, compiled)
                        self._install_entry()
        return compiled.entry(*args)

    def _add_row(self, array: bool, key: tuple, compiled: pipeline.Compiled) -> None:
        table = self._array_rows if array else self._fast
        if key not in table:
            table[key] = self._latest(compiled).entry
            self._rows.append((array, key))

    def _install_entry(self) -> None:
        """Make this dispatcher's class `__call__` a native strict entry over the loaded
        specialisations whose arguments are exactly int, float or bool, or NumPy arrays (see
        `backend.llvm.dispatch_wrapper`); every other call falls back to `Dispatcher.__call__`.
        Quick code that is being optimised stays behind the fallback: generating the entry twice
        would cost more than the first calls gain (`_optimized` installs it with tier 1)."""
        cls = type(self)
        if not cls.__dict__.get("_jitlab_own_class_"):
            return
        with self._lock:
            self._install_entry_locked(cls)

    def _install_entry_locked(self, cls: type) -> None:
        # The entry covers the rows added before the first one whose quick code is still being
        # optimised, so the tables a process makes do not depend on the order its background jobs
        # finish in: they are the tables a process whose specialisations all hit the cache makes
        # on the way, one per row added.  Those skipped while a row was being optimised are only
        # made for the cache (a restarted process finds each of its tables there).
        optimizing = {id(c.entry) for c in self._overloads.values() if c.optimizing}
        ready = 0
        for array, key in self._rows:
            if id((self._array_rows if array else self._fast)[key]) in optimizing:
                break
            ready += 1
        for upto in range(self._entry_upto + 1, ready):
            table, _ = self._table(self._rows[:upto])
            objects = self._objects(table) if table else None
            if objects is not None:
                dispatch_wrapper.keep_dispatch_object(self.__name__, [(c, s) for c, _, s in table], objects)
        self._entry_upto = max(self._entry_upto, ready)
        table, engine = self._table(self._rows[:ready])
        keys = tuple((classes, id(entry)) for classes, entry, _ in table)
        if not table or keys == self._entry_keys:
            return
        symbols = [(classes, symbol) for classes, _, symbol in table]
        fallback = types.MethodType(Dispatcher.__call__, self)
        cls.__call__ = dispatch_wrapper.make_dispatch_builtin(
            engine, self.__name__, symbols, fallback, module=self.__module__, objects=self._objects(table))
        self._entry_keys = keys

    def _table(self, rows: list[tuple[bool, tuple]]) -> tuple[list, Any]:
        """The native entry's rows for `rows` (scalar rows first, then array rows, each in the
        order added, at most `_ENTRY_ROWS`): (classes, entry, wrapper symbol), and their engine."""
        table, engine = [], None
        ordered = [(key, self._fast[key]) for array, key in rows if not array]
        ordered += [(key, self._array_rows[key]) for array, key in rows if array]
        for classes, entry in ordered:
            owner = getattr(entry, "__self__", None)
            if len(table) == _ENTRY_ROWS:  # the rest stay in `_fast`, behind the fallback
                break
            if not isinstance(owner, native.NativeFunctionOwner) or not all(
                    c in _NATIVE_CLASSES or isinstance(c, dispatch_wrapper.ArrayKind) for c in classes):
                continue
            if engine is None:
                engine = owner.keepalive
            if owner.keepalive is not engine:
                continue
            symbol = self._wrappers.get(id(entry))
            if symbol is not None and _address(engine, symbol) == owner.method_def.ml_meth:
                table.append((classes, entry, symbol))
        return table, engine

    def _objects(self, table: list) -> kernel_cache.CachedObjects | None:
        """Where the native entry over `table` is cached: only where every row's symbol names the
        same code in every process (optimised code of a cache key, hit or stored: symbols from
        key digests; a miss's entry may still be being written)."""
        if not self.cache:
            return None
        for compiled in self._overloads.values():
            if any(entry is compiled.entry for _, entry, _ in table):
                probe = compiled.record.cache
                if probe is None or probe.digest is None or compiled.tier != 1:
                    return None
        return kernel_cache.dispatch_objects(self.py_func, kernel_cache.get_store(self.cache_dir))

    def stages(self, *args, **kwargs) -> dict[str, str]:
        """Every stage's text for the specialisation these arguments select (`llvm-opt` and `asm`
        are the optimised code's, made by the background job if tier 1 is not loaded yet)."""
        record = self._select(self._binder(*args, **kwargs)).record
        if len(record.texts) < len(pipeline.STAGE_NAMES):  # a cache hit ran no stage: run them now
            pipeline.run_stages(record)
        return dict(record.texts)


def _address(engine, symbol: str) -> int | None:
    try:
        return engine.address_of(symbol)
    except (KeyError, AttributeError):
        return None


# A plain function called from jitted code gets a dispatcher per set of the caller's options
# (a callee of a `boundscheck=False` caller is compiled without bounds checks, and so on).
_AUTO: weakref.WeakKeyDictionary[Callable, dict[tuple, Dispatcher]] = weakref.WeakKeyDictionary()


def callee_target(func: Callable, callee: str) -> Any:
    """What a callee of `func`'s IR calls: `global:g` the global `g` (None if there is none), a
    nested function `closure:g:LINE` its lifted form, `cell:g` the function in closure cell `g`,
    `function:DIGEST` the function passed as an argument whose type names that digest."""
    if callee.startswith("function:"):
        name, _, digest = callee.removeprefix("function:").rpartition(":")
        found = _FUNCTION_VALUES.get(digest)
        if found is None and name in func.__globals__:  # not typed in this process yet (a cache hit)
            candidate = func.__globals__[name]
            if (isinstance(candidate, Dispatcher) or inspect.isfunction(candidate)) \
                    and function_value_type(candidate).digest == digest:
                found = candidate
        return found
    if callee.startswith("typeof:"):
        return func.__globals__.get(callee.removeprefix("typeof:global:"))
    if callee.startswith("closure:"):
        from .frontend import closures

        return closures.lift(func, callee)
    if callee.startswith("cell:"):  # a function in one of `func`'s closure cells
        cells = dict(zip(func.__code__.co_freevars, func.__closure__ or ()))
        cell = cells.get(callee.removeprefix("cell:"))
        return cell.cell_contents if cell is not None else None
    return func.__globals__.get(callee.removeprefix("global:"))


def _resolve_library(name: str, argtypes: tuple[Type, ...], options: pipeline.Options, cache: bool,
                     cache_dir: str | None, tier: str | int) -> tuple:
    """Compile the `jitlab.lib` implementation `module.function` for `argtypes` (a `lib:` callee).

    Library code is compiled without bounds checks (its indices are tested, and the checks would
    cost its O(n^3) loops), with the default passes and the caller's `fastmath` and tier."""
    lib_options = pipeline.Options(boundscheck=False, fastmath=options.fastmath)
    dispatcher = as_dispatcher(library.implementation(name), lib_options, cache=cache, cache_dir=cache_dir,
                               tier=tier)
    compiled = dispatcher.compile(tuple(argtypes))
    return compiled.rettype, compiled.symbol, pipeline.JittedCallee(compiled.record)


def as_dispatcher(obj: Any, options: pipeline.Options, *, cache: bool = True,
                  cache_dir: str | None = None, tier: str | int = "auto") -> Dispatcher | None:
    """The dispatcher for a callee: itself, or one made on demand for a plain function."""
    if isinstance(obj, Dispatcher):
        return obj
    if inspect.isfunction(obj):
        per_options = _AUTO.setdefault(obj, {})
        key = (options, cache, cache_dir, tier)
        found = per_options.get(key)
        if found is None:
            found = per_options[key] = Dispatcher(
                obj, boundscheck=options.boundscheck, fastmath=options.fastmath, cache=cache,
                cache_dir=cache_dir, passes=options.passes, overflow=options.overflow, tier=tier)
        return found
    return None


def jit(func: Callable | str | None = None, *signatures: str, boundscheck: bool = True,
        fastmath: bool = False, cache: bool = True, cache_dir: str | None = None,
        passes: list[str | Pass] | None = None, overflow: str = "wrap", tier: str | int = "auto"):
    """Compile a function with jitlab.

    Usable bare (`@jit`), with options (`@jit(fastmath=True)`) or with eager
    signatures in Numba's string form (`@jit("float64(float64, int64)")`).
    `passes` is the `opt` stage's pass list (names or pass objects, see
    `jitlab.passes`); by default `jitlab.passes.DEFAULT_PIPELINE`.  `cache` keeps
    compiled code across processes (`jitlab.cache`), in `cache_dir` when given.
    `overflow`: int64 arithmetic that leaves the int64 range wraps around in two's complement
    ("wrap", the default, as NumPy and Numba do) or raises `OverflowError` ("raise": Python's
    ints never wrap silently; range analysis drops the checks it proves unneeded).  Checking
    costs more than 5% on the runtime benchmark (benchmarks/runtime.py, "ovf cost"), so,
    as issue 5 decided for that case, wrapping is the default.
    `tier`: "auto" (the default) runs quick code (tier 0: LLVM IR with SROA alone, fast codegen)
    from the first call and swaps in the optimised code (tier 1: LLVM's O3) when a background
    thread has made it; `f.wait_optimized()` waits for that.  1 compiles optimised code at once,
    0 never optimises.  Results are the same in every tier.  The persistent cache holds tier-1
    code only: with `cache` on, the background thread writes a miss's entry once tier 1 is in
    (docs/architecture.md, "tiers.py" and "cache_miss.py").

    Globals are frozen when the function is compiled, as in Numba: numbers and tuples become
    constants, and a global NumPy array is copied into the compiled code as a read-only
    constant (a δ, docs/ir.md).  Changing the global afterwards does not change an already
    compiled function; only a new compile (a new argument type signature, a new `jit`, a new
    process) reads the new value.  Writing to a global array in compiled code, or returning
    it, is a `TypingError` (work on `G.copy()`, or pass the array as an argument).
    """
    if callable(func):
        return Dispatcher(func, signatures=signatures, boundscheck=boundscheck, fastmath=fastmath,
                          cache=cache, cache_dir=cache_dir, passes=passes, overflow=overflow, tier=tier)
    sigs = tuple(s for s in (func, *signatures) if s is not None)
    if isinstance(func, (list, tuple)):
        sigs = tuple(func)

    def decorate(f: Callable) -> Dispatcher:
        return Dispatcher(f, signatures=sigs, boundscheck=boundscheck, fastmath=fastmath, cache=cache,
                          cache_dir=cache_dir, passes=passes, overflow=overflow, tier=tier)

    return decorate


def stages(func: Callable, *args) -> dict[str, str]:
    """Every stage's text for `func` specialised to the types of `args`, in pipeline order."""
    dispatcher = func if isinstance(func, Dispatcher) else as_dispatcher(func, pipeline.Options())
    if dispatcher is None:
        raise TypeError(f"jitlab.stages expects a function, got {type(func).__name__}")
    return dispatcher.stages(*args)


__all__ = ["Dispatcher", "JitlabError", "jit", "stages", "typeof", "parse_signature"]
