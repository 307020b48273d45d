"""Nested functions and lambdas: compile-time function values, lifted into functions of their own.

A `def` or `lambda` inside a compiled function is a compile-time value (`Static("function",
InnerFunction)`): its code object and its default values (constants, or the caller's hidden
variables holding defaults computed at run time: `DefaultKey`).  It can only be called
(also several times, with different argument types, with keywords and defaults); returning it,
storing it or passing it on is an `UnsupportedError` naming the line.

A call `g(x)` becomes `py.call {callee = "closure:g:LINE"} (captured..., x, io)`: the variables
`g` captures (its code's `co_freevars` that are variables of the caller) are read from the
caller where the call happens, which is CPython's cell semantics as long as the function cannot
outlive the caller's frame: the value at call time, a variable reassigned after the `def`
included.  The callee is `lift(parent, name)`: a Python function over the same code object whose
captured variables are its leading parameters (`_jitlab_lifted_`; the decoder reads them as
locals, `bytecode.common.deref`), compiled by the dispatcher like any jitted callee, so it is
specialised per argument types and small ones are inlined.  A free variable of the caller
itself (a constant of the Python function that defined the compiled one) stays a cell of the
lifted function, read at compile time as before.  A variable of the enclosing function that
holds one nested function (`function_cells`) is not passed: the lifted function's cell holds a
`FunctionCell`, read at compile time as that function, and the values *it* captures are passed
too (`captured` is transitive), so nested functions call each other; one that calls itself (or
a sibling that calls it back) is a recursive group, a φ (`recursion.py`).  An inner function
assigning a captured variable (`nonlocal`) returns `(value, *new values)` from every `return`
(`bytecode.nested.return_with_writes`) and the call stores them back (`call_inner`); every call
of the enclosing function may change them (`touch_write`), so regions route them out.
"""
from __future__ import annotations

import types
import weakref
import dataclasses
from dataclasses import dataclass
from typing import Any

from jitlab.ir import Loc, Op, Port

from .binding import CallArgumentError, bind_call
from .bytecode.instructions import Instruction
from .bytecode import nested
from .bytecode.nested import is_comprehension
from .statics import Static

PREFIX = "closure:"


@dataclass(frozen=True)
class DefaultKey:
    """A default value computed at run time: the caller's hidden variable that holds it
    (`bytecode.nested.plan_runtime_defaults`), read where the function is called."""

    key: str


@dataclass(frozen=True)
class InnerFunction:
    """A nested function's value: its code and default values (constants, or `DefaultKey`s)."""

    code: types.CodeType
    defaults: tuple = ()
    name: str = ""   # the callee name, `closure:g:LINE`

    def binder_function(self) -> types.FunctionType:
        """A plain function with this signature, for binding a call's arguments."""
        cells = tuple(types.CellType() for _ in self.code.co_freevars)
        return types.FunctionType(self.code, {}, self.code.co_name, self.defaults or None, cells)


def inner_codes(code: types.CodeType) -> dict[str, types.CodeType]:
    """The nested functions' code objects of `code` by callee name (`closure:NAME:LINE`, with
    `#k` for the k-th more of one name on one line), in source order."""
    out: dict[str, types.CodeType] = {}
    for c in code.co_consts:
        if isinstance(c, types.CodeType) and not is_comprehension(c) and c.co_name != "__annotate__":
            name = f"{PREFIX}{c.co_name}:{c.co_firstlineno}"
            k = 1
            while (name if k == 1 else f"{name}#{k}") in out:
                k += 1
            out[name if k == 1 else f"{name}#{k}"] = c
    return out


def callee_name(parent_code: types.CodeType, code: types.CodeType) -> str:
    return next(name for name, c in inner_codes(parent_code).items() if c is code)


class FunctionCell:
    """The cell of a lifted function that holds another nested function of the same enclosing
    function (a sibling, or itself): read at compile time as that function's value (statics)."""

    _jitlab_inner_function_ = True

    def __init__(self, fn: InnerFunction):
        self.fn = fn


def function_cells(parent) -> dict[str, InnerFunction]:
    """The variables of `parent` that hold one nested function: its cells assigned only that
    function (`bytecode.nested.function_cells`), and a lifted function's `FunctionCell`s."""
    out = {}
    for n, entry in nested.function_cells(parent.__code__).items():
        if entry is not None:
            out[n] = InnerFunction(entry[0], entry[1], callee_name(parent.__code__, entry[0]))
    for n, cell in zip(parent.__code__.co_freevars, parent.__closure__ or ()):
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        if isinstance(value, FunctionCell):
            out[n] = value.fn
    return out


def captured(parent, code: types.CodeType, _seen: frozenset = frozenset()) -> tuple[str, ...]:
    """The variables of `parent` (cells or lifted parameters) a call of the nested function
    `code` passes first: the values it captures, and those the nested functions it uses capture."""
    own = set(parent.__code__.co_cellvars) | set(getattr(parent, "_jitlab_lifted_", ()))
    functions = function_cells(parent)
    seen = _seen | {code}
    out: list[str] = []
    for n in code.co_freevars:
        fn = functions.get(n)
        if fn is not None:
            if fn.code not in seen:
                out += [m for m in captured(parent, fn.code, seen) if m not in out]
        elif n in own and n not in out:
            out.append(n)
    return tuple(out)


_LIFTED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # parent -> {name: function}


def lift(parent, name: str) -> Any:
    """The function the callee `name` of `parent` is compiled as (one per parent and name); a
    name that is not `parent`'s own is its enclosing function's (a sibling called by name)."""
    per_parent = _LIFTED.setdefault(parent, {})
    found = per_parent.get(name)
    if found is not None:
        return found
    code = inner_codes(parent.__code__).get(name)
    if code is None:
        enclosing = getattr(parent, "_jitlab_parent_", None)
        if enclosing is None:
            raise KeyError(name)
        return lift(enclosing, name)
    lifted = captured(parent, code)
    functions = function_cells(parent)
    outer = dict(zip(parent.__code__.co_freevars, parent.__closure__ or ()))
    cells = tuple(types.CellType() if n in lifted else types.CellType(FunctionCell(functions[n]))
                  if n in functions else outer.get(n, types.CellType()) for n in code.co_freevars)
    fn = types.FunctionType(code, parent.__globals__, code.co_name, None, cells)
    fn.__qualname__ = code.co_qualname
    fn._jitlab_lifted_ = lifted
    fn._jitlab_parent_ = parent
    per_parent[name] = fn
    return fn


def python_callable(parent, name: str):
    """What the callee `name` of `parent` computes, with Python semantics: a function of the
    captured values, then the arguments (for oracles that run the frontend's graph in Python)."""
    code = inner_codes(parent.__code__)[name]
    lifted = captured(parent, code)
    functions = function_cells(parent)
    outer = dict(zip(parent.__code__.co_freevars, parent.__closure__ or ()))

    def call(*values):
        cells = {n: types.CellType(v) for n, v in zip(lifted, values)}

        def cell(n: str) -> types.CellType:
            if n not in cells:
                if n in functions:  # a sibling (or itself): a Python function over the same cells
                    fn = functions[n]
                    cells[n] = types.CellType()
                    cells[n].cell_contents = types.FunctionType(
                        fn.code, parent.__globals__, fn.code.co_name, fn.defaults or None,
                        tuple(cell(m) for m in fn.code.co_freevars))
                else:
                    cells[n] = outer.get(n, types.CellType())
            return cells[n]
        fn = types.FunctionType(code, parent.__globals__, code.co_name, None,
                                tuple(cell(n) for n in code.co_freevars))
        result = fn(*values[len(lifted):])
        writes = nested.written_free_vars(code)
        return (result, *(cells[n].cell_contents for n in writes)) if writes else result
    return call


# calls that take a function to apply per item (`NestedFunctions.function_argument`)
FUNCTION_TAKERS = tuple(Static("callee", f"builtins.{n}")
                        for n in ("sorted", "min", "max", "map", "filter")) + (Static("method", "sort"),)


def _builtin_name(callee_v) -> str:
    return f"{callee_v.value}()" if callee_v.kind == "callee" else f"list.{callee_v.value}()"


# the vocabulary ops of nested functions (`bytecode/nested.py`), run by `function_op`
FUNCTION_OPS = frozenset(("make_function", "function_attr", "function_defaults", "touch", "touch_write"))


class NestedFunctions:
    """The nested-function half of the RVSDG builder (`to_rvsdg._Builder`): it needs `func`,
    `env`, `decoded`, `error(...)` and `py(...)` from the builder."""

    def function_op(self, op: str, arg, stack: list, ins: Instruction) -> None:
        if op == "make_function":
            code = stack.pop()
            stack.append(self.inner_function(code, stack.pop() if arg & 1 else None, ins))
        elif op == "function_attr":  # 3.13+: the defaults, set on the function made just before
            fn, defaults = stack.pop(), stack.pop()
            stack.append(self.inner_function(Static("code", fn.value.code, fn.loc), defaults, ins))
        elif op == "function_defaults":  # defaults computed at run time, kept in hidden variables
            fn = stack.pop()
            defaults = tuple(DefaultKey(k) for k in arg)
            stack.append(Static("function", dataclasses.replace(fn.value, defaults=defaults), fn.loc))
        # `touch`, `touch_write`: liveness routed the captured variables here; `call_inner` reads them

    def returned(self, v, ins: Instruction):
        """The value of a `return`: a function (nested or global) is refused at its line."""
        if isinstance(v, Static) and v.kind == "function":
            what = v.value.code.co_name
        elif isinstance(v, Static) and v.kind == "callee" and v.value.startswith("global:"):
            what = v.value.removeprefix("global:")
        else:
            return v
        raise self.error(f"return of the function {what} (functions can be called in compiled code "
                         "and passed to compiled functions, not returned)", ins)

    def function_argument(self, callee_v, args: list, kwnames, loc: Loc,
                          ins: Instruction) -> tuple[list, tuple]:
        """The function a builtin applies per item -- `sorted`/`list.sort`/`min`/`max`'s `key=`,
        `map`/`filter`'s first argument -- passed as a value: (the call's arguments, its attributes
        `fn_arg`, the index of that argument, and `captures`, how many values the call passes after
        them, which a nested function's lifted callee takes first).  A nested function or lambda is
        `py.const {value = "closure:g:LINE", function = true}`; its captured variables are read now,
        as a call of it would read them.  A builtin such as `abs` or `len` is named by `fn_builtin`."""
        kwnames = tuple(kwnames or ())
        if callee_v in (Static("callee", "builtins.map"), Static("callee", "builtins.filter")):
            index = 0 if args else None
        else:
            index = len(args) - len(kwnames) + kwnames.index("key") if "key" in kwnames else None
        if index is None:
            return args, ()
        v = args[index]
        if isinstance(v, Static) and v.kind == "callee" and v.value.startswith("builtins."):
            args = list(args)
            args[index] = Static("const", None, loc)
            return args, (("fn_arg", index + (callee_v.kind == "method")), ("fn_builtin", v.value))
        if isinstance(v, Static) and v.kind == "const" and v.value is None:
            return args, ()  # `key=None`, `filter(None, xs)`: no function
        if not (isinstance(v, Static) and v.kind == "function"):
            # a jitted global, or a function passed as an argument (a method's input 0 is its object)
            return args, (("fn_arg", index + (callee_v.kind == "method")),)
        fn = v.value
        if fn.defaults or nested.written_free_vars(fn.code):
            raise self.error(f"the nested function {fn.code.co_name} passed to {_builtin_name(callee_v)} has "
                             "default values or assigns nonlocal variables", ins,
                             hint="pass a lambda or nested function of the item only")
        passed = []
        for name in captured(self.func, fn.code):
            c = self.env.get(name)
            if isinstance(c, Static) and c.kind == "function":
                raise self.error(f"the nested function {fn.code.co_name} uses the nested function "
                                 f"{c.value.code.co_name} (a nested function can only use variables that "
                                 "hold values, not other nested functions)", ins,
                                 hint="define the function at module level and jit it")
            passed.append(None if isinstance(c, Static) and c.kind == "dead" else c)
        port = self.names.fresh(fn.code.co_name.strip("<>"))
        self.nodes.append(Op("py.const", (), (Port(port),), (("value", fn.name), ("function", True)), loc))
        args = list(args)
        args[index] = port
        return args + passed, (("fn_arg", index + (callee_v.kind == "method")), ("captures", len(passed)))

    def inner_function(self, code, defaults, ins: Instruction) -> Static:
        """`make_function`: a nested function's compile-time value, with constant defaults."""
        if not isinstance(code, Static) or code.kind != "code":  # pragma: no cover - decoder bug
            raise self.error("a function made from something other than a code object", ins)
        if defaults is None:
            values = ()
        elif isinstance(defaults, Static) and defaults.kind == "const" and isinstance(defaults.value, tuple):
            values = defaults.value
        else:
            raise self.error(f"default values of the nested function {code.value.co_name} computed at "
                             "run time (defaults of nested functions must be constants)", ins,
                             hint="pass the value as an argument, or let the function read the "
                                  "variable from the enclosing function")
        name = callee_name(self.func.__code__, code.value)
        return Static("function", InnerFunction(code.value, values, name), code.loc)

    def call_inner(self, fn: InnerFunction, args: list, kwnames, loc: Loc, base: str,
                   ins: Instruction) -> str:
        """A call of a nested function: `py.call {callee = "closure:g:LINE"}` of the variables it
        captures, read now (CPython's cells: the value at call time), then its arguments bound
        at compile time (keywords, constant defaults)."""
        try:
            bound = bind_call(fn.binder_function(), len(args), tuple(kwnames or ()))
        except TypeError as exc:
            raise CallArgumentError(str(exc), filename=self.decoded.filename, line=ins.line,
                                    col=ins.col) from None
        values = [args[i] if isinstance(i, int) else self.env.get(i[0].key) if isinstance(i[0], DefaultKey)
                  else Static("const", i[0], loc) for i in bound]
        passed = []
        for name in captured(self.func, fn.code):
            v = self.env.get(name)
            if isinstance(v, Static) and v.kind == "function":
                what = (f"the nested function {fn.code.co_name} calls itself (recursion of nested "
                        "functions is not supported)" if v.value.code is fn.code else
                        f"the nested function {fn.code.co_name} uses the nested function "
                        f"{v.value.code.co_name} (a nested function can only use variables that "
                        "hold values, not other nested functions)")
                raise self.error(what, ins, hint="define the function at module level and jit it")
            passed.append(None if isinstance(v, Static) and v.kind == "dead" else v)  # None: unbound
        writes = nested.written_free_vars(fn.code)
        if not writes:
            return self.py("py.call", passed + values, loc, (("callee", fn.name),), base, ins=ins)[0]
        own = set(self.func.__code__.co_cellvars)
        if any(n not in own for n in writes):  # `nonlocal` of a variable further out
            raise self.error(f"the nested function {fn.code.co_name} assigns the variable "
                             f"{next(n for n in writes if n not in own)} of an enclosing function "
                             "(nonlocal) and is called from another nested function", ins,
                             hint="call it from the function whose variable it assigns")
        # it returns (value, *the new values of its `nonlocal` variables): store them back
        result = self.py("py.call", passed + values, loc, (("callee", fn.name),), "t", ins=ins)[0]
        items = self.py("py.unpack", [result], loc, (("count", 1 + len(writes)),), base,
                        nresults=1 + len(writes), ins=ins)
        for name, item in zip(writes, items[1:]):
            self.env[name] = item
        return items[0]


__all__ = ["InnerFunction", "NestedFunctions", "PREFIX", "callee_name", "captured", "inner_codes", "lift",
           "python_callable"]
