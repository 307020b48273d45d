"""Nested functions and lambdas in the decoder (see `frontend/closures.py` for what they become).

Any nested code object that is not a comprehension's becomes a compile-time function value:
`make_function flags` pops the code (a `const` of the code object) and, for `flags & 1`, the tuple
of default values, and pushes the function; 3.13+ set the defaults afterwards
(`SET_FUNCTION_ATTRIBUTE 1`: `function_attr 1` pops them below the function).  The closure tuple
never reaches the vocabulary (`hide_closure_tuples`): what a call of the function captures is its
code's `co_freevars`, read from the caller's variables when it is called (CPython's cells: the
value at call time), and every `call` of a function that makes such a closure is preceded by
`touch names` so that liveness routes those variables to the call (`captured_cells`).
"""
from __future__ import annotations

import dis
import functools
from types import CodeType

from jitlab.errors import UnsupportedError

from .instructions import SCOPE_MARK, dis_stack_effect

COMPREHENSIONS = ("<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>")


def is_comprehension(value) -> bool:
    return isinstance(value, CodeType) and value.co_name in COMPREHENSIONS


FLAG_DEFAULTS, FLAG_KWDEFAULTS, FLAG_ANNOTATIONS, FLAG_CLOSURE, FLAG_ANNOTATE = 1, 2, 4, 8, 16


def _function_flags(flags: int, code) -> int:
    """The flags of a nested function the vocabulary keeps (defaults); others are refused."""
    if flags & (FLAG_ANNOTATIONS | FLAG_ANNOTATE):
        raise UnsupportedError(f"annotations on the nested function {code.co_name}",
                               hint="remove the annotations of functions defined inside compiled code")
    if flags & FLAG_KWDEFAULTS:
        raise UnsupportedError(f"keyword-only parameters with defaults in the nested function {code.co_name}")
    return flags & FLAG_DEFAULTS


def make_function(raw, ctx):
    """`MAKE_FUNCTION`: a comprehension's (hidden, called at once) or a nested function's value."""
    prev = ctx.raws[ctx.index - 1] if ctx.index else None
    code = prev.argval if prev is not None else None
    if is_comprehension(code):
        ctx.pending.append(code)
        ctx.unchecked = True
        return []
    if not isinstance(code, CodeType):
        raise UnsupportedError("nested function or lambda")
    if code.co_name == "__annotate__":  # 3.14: the annotations' own function
        raise UnsupportedError(f"annotations on the nested function {ctx.next_raw().argval.co_name}",
                               hint="remove the annotations of functions defined inside compiled code")
    if ctx.scopes:
        raise UnsupportedError(f"the nested function {code.co_name} defined inside a comprehension",
                               hint="define it before the comprehension")
    flags = raw.arg or 0
    ctx.unchecked = bool(flags & FLAG_CLOSURE)  # its closure tuple is hidden
    keys = ctx.function_defaults.get(ctx.index)
    if keys is not None and flags & FLAG_DEFAULTS:  # run-time defaults, in hidden variables
        ctx.unchecked = True
        return [("make_function", _function_flags(flags, code) & ~FLAG_DEFAULTS, None),
                ("function_defaults", keys, None)]
    return [("make_function", _function_flags(flags, code), None)]


def set_function_attribute(raw, ctx):
    """3.13+: the closure of a comprehension's or nested function's (hidden), a nested function's
    defaults (`function_attr 1`); anything else is refused."""
    k = ctx.index - 1
    while k >= 0 and ctx.raws[k].opname == "SET_FUNCTION_ATTRIBUTE":
        k -= 1
    code = ctx.raws[k - 1].argval if k > 0 and ctx.raws[k].opname == "MAKE_FUNCTION" else None
    if raw.arg == FLAG_CLOSURE and (ctx.pending or isinstance(code, CodeType)):
        ctx.unchecked = True
        return []
    if not isinstance(code, CodeType) or is_comprehension(code):
        raise UnsupportedError("nested function or lambda")
    keys = ctx.function_defaults.get(k)
    if keys is not None and raw.arg == FLAG_DEFAULTS:  # run-time defaults, in hidden variables
        ctx.unchecked = True
        return [("function_defaults", keys, None)]
    return [("function_attr", _function_flags(raw.arg, code), None)]


def hide_closure_tuples(ctx) -> None:
    """Mark the closure tuples of nested (non-comprehension) functions as decoding to nothing
    (`ctx.closure_tuples`: their raw indices).

    The tuple (`LOAD_CLOSURE x` before 3.13, `LOAD_FAST x` after, then `BUILD_TUPLE n`) stands
    right below the code object; the loads before it are counted back by CPython's own stack
    effects, so superinstructions loading two cells count twice."""
    raws = ctx.raws
    for i, r in enumerate(raws):
        if r.opname != "BUILD_TUPLE" or i + 1 >= len(raws):
            continue
        code = raws[i + 1].argval
        if not raws[i + 1].opname.startswith("LOAD_CONST") or not isinstance(code, CodeType) \
                or is_comprehension(code) or not code.co_freevars or r.arg != len(code.co_freevars):
            continue
        pushed, k = 0, i
        while pushed < r.arg and k > 0:
            k -= 1
            effect = dis_stack_effect(raws[k], False)
            if effect <= 0:
                break
            pushed += effect
        if pushed == r.arg:
            ctx.closure_tuples.update(range(k, i + 1))


def hidden_closure_item(raw, ctx):
    """An instruction of a nested function's closure tuple: no vocabulary op (its offset stays,
    a jump may target it)."""
    ctx.unchecked = True
    return []


def captured_cells(code, lifted: tuple = ()) -> tuple[str, ...]:
    """The variables of `code` that its nested functions and lambdas capture (comprehensions'
    captures excluded: they are decoded in place): read by every call (`touch`).  In a lifted
    nested function every captured variable (a parameter) is: a sibling it calls may need any."""
    if not lifted and CodeType not in map(type, code.co_consts):  # no nested code (at C speed)
        return ()
    own = set(code.co_cellvars) | set(lifted)
    names = set(lifted)
    for c in code.co_consts:
        if isinstance(c, CodeType) and not is_comprehension(c) and c.co_name != "__annotate__":
            names.update(n for n in c.co_freevars if n in own)
    return tuple(sorted(names))


@functools.cache
def function_cells(code) -> dict:
    """The cell variables of `code` that hold one nested function: name -> (its code, its
    constant defaults); None for a cell also assigned anything else, another function or a
    function whose defaults are computed at run time.  Read from the raw instructions: a
    `STORE_DEREF` right after `MAKE_FUNCTION` (and 3.13+'s `SET_FUNCTION_ATTRIBUTE`s)."""
    raws = list(dis.get_instructions(code))
    out: dict = {}
    made = None  # (code, defaults) of the function just made, until it is stored
    for i, r in enumerate(raws):
        if r.opname == "MAKE_FUNCTION":
            c = raws[i - 1].argval if i else None
            made = None
            if isinstance(c, CodeType) and not is_comprehension(c):
                made = (c, _constant_defaults(raws, i - 1) if (r.arg or 0) & FLAG_DEFAULTS else ())
            continue
        if r.opname == "SET_FUNCTION_ATTRIBUTE":
            if made is not None and r.arg == FLAG_DEFAULTS:
                k = i - 1
                while raws[k].opname == "SET_FUNCTION_ATTRIBUTE":
                    k -= 1
                made = (made[0], _constant_defaults(raws, k - 1))
            continue
        if r.opname == "STORE_DEREF":
            entry = made if made is not None and made[1] is not None else None
            out[r.argval] = entry if out.get(r.argval, entry) == entry else None
        made = None
    return out


def _defaults_at(raws, code_index: int) -> int | None:
    """The index of the instruction that pushes the defaults tuple of the function whose code is
    loaded at `code_index` (the tuple stands below its closure tuple)."""
    k = code_index
    code = raws[k].argval
    if k > 0 and raws[k - 1].opname == "BUILD_TUPLE" and code.co_freevars \
            and raws[k - 1].arg == len(code.co_freevars):
        pushed, k = 0, k - 1
        while pushed < len(code.co_freevars) and k > 0:
            k -= 1
            pushed += dis_stack_effect(raws[k], False)
    return k - 1 if k > 0 else None


def _constant_defaults(raws, code_index: int):
    """The constant defaults tuple of the function whose code is loaded at `code_index`, or None
    when they are computed at run time."""
    at = _defaults_at(raws, code_index)
    prev = raws[at] if at is not None else None
    if prev is not None and prev.opname.startswith("LOAD_CONST") and isinstance(prev.argval, tuple):
        return prev.argval
    return None


def plan_runtime_defaults(ctx) -> None:
    """Nested functions whose defaults are computed at run time (`lambda y, k=k: ...`).

    The defaults tuple's `BUILD_TUPLE n` stores the values in hidden variables of the caller
    instead (`k$dLINE`), the function made reads them where it is called
    (`function_defaults keys` after `make_function`, at 3.13+'s `SET_FUNCTION_ATTRIBUTE 1`), and
    every call routes them there (`touch`).  Records `ctx.default_tuples` (index of the
    `BUILD_TUPLE` -> keys) and `ctx.function_defaults` (index of the `MAKE_FUNCTION` -> keys)."""
    raws, keys_all = ctx.raws, []
    for i, r in enumerate(raws):
        code = r.argval
        if not r.opname.startswith("LOAD_CONST") or not isinstance(code, CodeType) or is_comprehension(code) \
                or i + 1 >= len(raws) or raws[i + 1].opname != "MAKE_FUNCTION":
            continue
        flags, k = raws[i + 1].arg or 0, i + 2
        while k < len(raws) and raws[k].opname == "SET_FUNCTION_ATTRIBUTE":
            flags, k = flags | raws[k].arg, k + 1
        at = _defaults_at(raws, i) if flags & FLAG_DEFAULTS else None
        if at is None or raws[at].opname != "BUILD_TUPLE":
            continue
        n = raws[at].arg
        params = code.co_varnames[code.co_argcount - n:code.co_argcount]
        keys = tuple(f"{p}{SCOPE_MARK}d{code.co_firstlineno}" for p in params)
        ctx.default_tuples[at] = keys
        ctx.function_defaults[i + 1] = keys
        keys_all += keys
    if keys_all:
        ctx.captured = tuple(sorted(set(ctx.captured) | set(keys_all)))


def store_defaults(raw, ctx):
    """The `BUILD_TUPLE` of run-time defaults: each value to its hidden variable (last first)."""
    ctx.unchecked = True
    return [("store_local", key, None) for key in reversed(ctx.default_tuples[ctx.index])]


_STORE_DEREF, _EXTENDED_ARG = dis.opmap["STORE_DEREF"], dis.opmap["EXTENDED_ARG"]


def written_free_vars(code) -> tuple[str, ...]:
    """The free variables `code` assigns (`nonlocal x; x = ...`).

    Read from `co_code` directly, not memoised (every decode reads it afresh, as cheaply as a
    memo): its even bytes are the opcodes (a cache entry is a `CACHE` unit), so a code object
    without a `STORE_DEREF` is answered at C speed, and one with it by walking the code units."""
    if not code.co_freevars:
        return ()
    units = code.co_code
    if _STORE_DEREF not in units[::2]:
        return ()
    free, names, ext = set(code.co_freevars), set(), 0
    for i in range(0, len(units), 2):
        op, arg = units[i], units[i + 1] | ext
        ext = arg << 8 if op == _EXTENDED_ARG else 0
        if op == _STORE_DEREF:
            name = code._varname_from_oparg(arg)
            if name in free:
                names.add(name)
    return tuple(sorted(names))


def written_cells(code, lifted: tuple = ()) -> tuple[str, ...]:
    """The variables of `code` that its nested functions assign (`nonlocal`): a call may change
    them (`touch_write`)."""
    if CodeType not in map(type, code.co_consts):  # no nested code (at C speed)
        return ()
    own = set(code.co_cellvars) | set(lifted)
    names = set()
    for c in code.co_consts:
        if isinstance(c, CodeType) and not is_comprehension(c) and c.co_name != "__annotate__":
            names.update(n for n in written_free_vars(c) if n in own)
    return tuple(sorted(names))


def return_with_writes(ops: list, names: tuple[str, ...]) -> list:
    """In a nested function that assigns the enclosing function's variables (`nonlocal`), every
    `return v` returns `(v, *their values)`: the caller stores them back (`closures.call_inner`)."""
    out = []
    for op in ops:
        if op[0] == "return":
            where = op[3:]
            out += [*(("load_local", n, None, *where) for n in names),
                    ("build_tuple", 1 + len(names), None, *where), op]
        else:
            out.append(op)
    return out
