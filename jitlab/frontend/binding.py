"""Binding of call arguments to a Python function's parameters, exactly as CPython binds them.

`make_binder(func)` returns a function with `func`'s parameters, defaults, name and qualname whose
body returns its arguments as one tuple in parameter order (positional, then keyword-only).
Calling it binds keywords and defaults by CPython's own rules and raises CPython's own
`TypeError` messages (`f() missing 1 required positional argument: 'b'`), which no hand-written
binder (`inspect.Signature.bind` words them differently) would match on every version.

Two users: the dispatcher binds a Python call with keywords or left-out defaults before it
selects a specialisation (compiled code takes every parameter positionally), and the frontend
binds a call of a jitted function from jitted code at compile time (`bind_call`), so the IR
call is positional with the defaults as constants.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from jitlab.errors import JitlabError, UnsupportedError


class CallArgumentError(JitlabError, TypeError):
    """A call of a jitted function from jitted code whose arguments do not bind; the message is
    CPython's `TypeError` message for the same call."""

    kind = "typing"


def parameter_names(code) -> tuple[str, ...]:
    """The parameters compiled code takes, in order: positional, keyword-only, then the `*args`
    tuple (CPython's own order of them in `co_varnames`)."""
    return code.co_varnames[:code.co_argcount + code.co_kwonlyargcount
                            + bool(code.co_flags & inspect.CO_VARARGS)]


def make_binder(func: Callable) -> Callable:
    """A function binding arguments like `func` and returning them as a tuple in parameter order
    (`*args` as one tuple, last)."""
    code = func.__code__
    if code.co_flags & inspect.CO_VARKEYWORDS:
        raise UnsupportedError(f"**kwargs parameters of {func.__qualname__}",
                               line=code.co_firstlineno, filename=code.co_filename)
    npos, nkw, nposonly = code.co_argcount, code.co_kwonlyargcount, code.co_posonlyargcount
    names = parameter_names(code)
    star = [f"*{names[-1]}"] if code.co_flags & inspect.CO_VARARGS else (["*"] if nkw else [])
    params = [*names[:nposonly], *(["/"] if nposonly else []), *names[nposonly:npos],
              *star, *names[npos:npos + nkw]]
    namespace: dict[str, Any] = {}
    exec(f"def bind({', '.join(params)}):\n    return ({''.join(n + ', ' for n in names)})", namespace)
    binder = namespace["bind"]
    binder.__name__, binder.__qualname__ = func.__name__, func.__qualname__
    binder.__defaults__, binder.__kwdefaults__ = func.__defaults__, func.__kwdefaults__
    return binder


class _Arg:
    """A placeholder for the call's `index`-th argument while binding."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index


def bind_call(func: Callable, nargs: int, kwnames: tuple[str, ...]) -> list[int | tuple[Any]]:
    """Bind a call of `func` with `nargs` values of which the last `len(kwnames)` are keywords.

    Returns, per parameter in order, the index of the argument bound to it or a 1-tuple holding
    its default value (for `*args`, a list of the indices it collects); a call CPython would reject
    raises `TypeError` with CPython's message.
    """
    npos = nargs - len(kwnames)
    bound = make_binder(func)(*map(_Arg, range(npos)),
                              **{k: _Arg(npos + i) for i, k in enumerate(kwnames)})
    star = bool(func.__code__.co_flags & inspect.CO_VARARGS)
    out = [v.index if isinstance(v, _Arg) else (v,) for v in (bound[:-1] if star else bound)]
    return out + [[v.index for v in bound[-1]]] if star else out
