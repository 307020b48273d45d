"""What the frontend knows at compile time: `Static` values, and the names a function reads.

A global, builtin, closure variable or module attribute that a function loads is read now, when
it is compiled (`GlobalNames.resolve_*`), and classified (`GlobalNames.classify`) as a constant,
a module, a callee, a builtin exception, a NumPy dtype or a global array (a δ, see
`to_rvsdg._Builder.global_array`); anything else is an `UnsupportedError` naming it.
"""
from __future__ import annotations

import builtins
import dataclasses
import numbers
import sys
import types
from dataclasses import dataclass, field
from typing import Any

from jitlab.ir import Loc
from jitlab.ir.exceptions import exception_name
from jitlab.ir.nodes import element_type
from jitlab.lib import CALLS as LIBRARY_CALLS, NO_DEFAULT, is_default

from .binding import CallArgumentError
from .bytecode.instructions import Instruction
from .numpy_names import JOIN_CALLEES, NUMPY_FUNCTIONS, dtype_name as _dtype_name, random_callee
from .text import TEXT_BUILTINS

ALLOWED_BUILTINS = ("abs", "min", "max", "int", "float", "bool", "round", "range", "len", "divmod", "pow",
                    "sorted", "enumerate", "zip", "reversed", "sum", "list", "any", "all", "map", "filter",
                    "complex", "print", "dict", "set", "hash", "isinstance", "ord", "chr") + TEXT_BUILTINS
# the classes `isinstance(x, C)` tests against: decided by `x`'s type when compiling
ISINSTANCE_CLASSES = ("builtins.int", "builtins.float", "builtins.bool", "builtins.complex", "builtins.str")

@dataclass(frozen=True, slots=True)
class Static:
    """A compile-time value.

    kind: "const" (a number, bool, None, str, tuple or slice), "null" (CPython's NULL call
    slot), "callee" (a known function: `value` is the `py.call` callee), "module", "dead" (never
    read), "method" (`value` is the name of a method looked up on the runtime value below it),
    "exc" (a builtin exception class: `value` is its name), "exc_instance" (`value` is
    `(name, message or None)`), "dtype" (a NumPy scalar type or dtype: `value` is its dtype
    name; as a value a `py.const` of that name, called the callee `numpy.<name>`), "text" (a
    string made at run time, only for exception messages: `value` is a `text.Text`), "array" (a
    global or closure NumPy array: `value` is `(name, array)`; read, it becomes a δ of the module
    and a `py.global` op, see `_Builder.global_array`).
    """

    kind: str
    value: Any = None
    loc: Loc | None = field(default=None, compare=False)

    def __eq__(self, other):
        return (isinstance(other, Static) and self.kind == other.kind
                and type(self.value) is type(other.value) and self.value == other.value)

    def __hash__(self):
        return hash((self.kind, type(self.value).__name__))



# NumPy functions' string options: parameter -> accepted values ("positions": parameter per position)
STRING_OPTIONS = {"numpy.searchsorted": {"side": ("left", "right"), "positions": (None, None, "side")}}


class GlobalNames:
    """The name-resolving half of the RVSDG builder (`to_rvsdg._Builder`): it needs `func`,
    `error(message, ins)`, `loc(ins)`, `text_of(value)`, `env` and `nodes` from the builder."""

    # -- string options of NumPy calls ------------------------------------------------------
    def string_options(self, callee, args: list, kwnames, ins: Instruction) -> tuple[list, tuple, tuple]:
        """A call's arguments, keyword names and attributes (`kwnames`, and the constant string
        options of NumPy functions, such as `np.searchsorted`'s `side`, which become attributes:
        compiled code has no string values); list displays made for NumPy calls become tuple
        displays (`join_display`)."""
        kwnames = tuple(kwnames or ())
        if isinstance(callee, Static) and callee.kind == "callee":
            self.join_display(callee.value, args, kwnames)
        options = STRING_OPTIONS.get(callee.value) if isinstance(callee, Static) else None
        attrs = []
        if options:
            npos, positions = len(args) - len(kwnames), options["positions"]
            kept = []
            for i, value in enumerate(args):
                keyword = kwnames[i - npos] if i >= npos else None
                name = keyword or (positions[i] if i < len(positions) else None)
                if name is None or name not in options or name == "positions":
                    kept.append((value, keyword))
                    continue
                if not (isinstance(value, Static) and value.kind == "const" and value.value in options[name]):
                    raise self.error(f"{callee.value.removeprefix('numpy.')}() {name} must be one of "
                                     f"{', '.join(map(repr, options[name]))}, given as a constant", ins)
                attrs.append((name, value.value))
            args = [v for v, _ in kept]
            kwnames = tuple(k for _, k in kept if k is not None)
        return args, kwnames, ((("kwnames", kwnames),) if kwnames else ()) + tuple(attrs)

    # -- a list display of arrays for np.concatenate ----------------------------------------
    def join_display(self, callee: str, args: list, kwnames) -> None:
        """`np.concatenate([a, b])` (and the stacking functions), `np.array([[1, 2], [3, 4]])` (or
        with `dtype=`): a list display made just for the call (built in this region, held by no
        variable) becomes a tuple display, its nested displays too, since lists cannot hold arrays
        or lists (and `np.array` of a list takes no dtype)."""
        if not args or args[0] in self.env.values():
            return
        if callee in ("numpy.array", "numpy.asarray"):
            made = {node.outputs[0].name: k for k, node in enumerate(self.nodes)
                    if getattr(node, "op", None) == "py.build_list"}
            tuples = {node.outputs[0].name for node in self.nodes  # tuple displays and constants
                      if getattr(node, "op", None) == "py.build_tuple"
                      or getattr(node, "op", None) == "py.const" and type(node.attr("value")) is tuple}
            if args[0] in made and (kwnames or any(x in made or x in tuples
                                                   for x in self.nodes[made[args[0]]].inputs)):
                self._tuple_display(args[0], made)
            return
        if callee not in JOIN_CALLEES:
            return
        for k, node in enumerate(self.nodes):
            if getattr(node, "op", None) == "py.build_list" and node.outputs[0].name == args[0]:
                self.nodes[k] = dataclasses.replace(node, op="py.build_tuple")
                return

    def _tuple_display(self, port: str, made: dict) -> None:
        k = made[port]
        self.nodes[k] = dataclasses.replace(self.nodes[k], op="py.build_tuple")
        for item in self.nodes[k].inputs:
            if item in made and item not in self.env.values():
                self._tuple_display(item, made)

    # -- globals ---------------------------------------------------------------------------
    def resolve_global(self, name: str, ins: Instruction) -> Static:
        g = self.func.__globals__
        if name in g:
            return self.classify(g[name], name, f"global:{name}", ins)
        if name in ALLOWED_BUILTINS:
            return Static("callee", f"builtins.{name}")
        value = getattr(builtins, name, None)
        if isinstance(value, type) and issubclass(value, BaseException):
            return Static("exc", name)
        if hasattr(builtins, name):
            raise self.error(f"builtin {name}", ins)
        raise self.error(f"undefined global name {name}", ins)

    def resolve_builtin(self, name: str, ins: Instruction) -> Static:
        """A builtin loaded without the globals (`LOAD_ASSERTION_ERROR`, 3.14 `LOAD_COMMON_CONSTANT`)."""
        value = getattr(builtins, name, None)
        if value is None:
            raise self.error(f"builtin {name}", ins)
        return self.classify(value, name, f"builtins.{name}", ins)

    def resolve_closure(self, name: str, ins: Instruction) -> Static:
        """A free variable of the function: its cell's value, when that is a compile-time value."""
        code = self.func.__code__
        cells = dict(zip(code.co_freevars, self.func.__closure__ or ()))
        try:
            value = cells[name].cell_contents
        except (KeyError, ValueError):
            raise self.error(f"closure variable {name} is not bound yet", ins) from None
        got = self.classify(value, f"closure variable {name}", f"closure:{name}", ins)
        if got.kind == "callee" and got.value == f"closure:{name}" and (
                isinstance(value, types.FunctionType) or getattr(value, "_jitlab_dispatcher_", False)):
            return Static("callee", f"cell:{name}")  # a jitted (or plain) function called from a closure
        if got.kind == "callee" and got.value == f"closure:{name}":
            raise self.error(f"closure variable {name} holds a function (only constants, modules "
                             "and builtins are read from enclosing scopes)", ins)
        return got

    def resolve_attr(self, obj, name: str, ins: Instruction) -> Static:
        if name == "format" and self.text_of(obj) is not None and obj.kind == "const":
            return Static("str_format", obj.value)  # `"...{}".format(x)`, for a message
        if isinstance(obj, Static) and obj.kind == "numinfo":  # `np.finfo(np.float64).eps`
            value = getattr(obj.value, name, None)
            if not isinstance(value, numbers.Number) or isinstance(value, complex):
                raise self.error(f"attribute .{name} of {obj.value!r:.60}", ins)
            return Static("const", int(value) if isinstance(value, numbers.Integral) else float(value),
                          self.loc(ins))
        if not isinstance(obj, Static) or obj.kind != "module":
            what = f"constant {obj.value!r}" if isinstance(obj, Static) and obj.kind == "const" else obj.kind
            raise self.error(f"attribute access .{name} on a compile-time {what}", ins)
        module = obj.value
        if not hasattr(module, name):
            raise self.error(f"module {module.__name__} has no attribute {name}", ins)
        return self.classify(getattr(module, name), f"{module.__name__}.{name}",
                             f"{module.__name__}.{name}", ins)

    def classify(self, value, what: str, callee: str, ins: Instruction) -> Static:
        # Objects that name themselves to the compiler (`jitlab.cuda`'s API): a namespace reads as
        # a module, a function as a callee, a const as its value and a value as a call of it
        # (see `intrinsic_value`).
        intrinsic = value._jitlab_intrinsic_ if hasattr(type(value), "_jitlab_intrinsic_") else None
        if intrinsic:
            kind, name = intrinsic
            return Static({"namespace": "module", "function": "callee", "value": "intrinsic",
                           "const": "const"}[kind],
                          value if kind == "namespace" else name)
        if getattr(type(value), "_jitlab_inner_function_", False):  # a sibling nested function
            return Static("function", value.fn, self.loc(ins))
        if value is None or type(value) in (bool, int, float, complex) or _constant_tuple(value):
            return Static("const", value, self.loc(ins))
        if isinstance(value, types.ModuleType):
            return Static("module", value)
        exc_name = exception_name(value)
        if exc_name is not None:
            return Static("exc", exc_name)
        dtype = _dtype_name(value)
        if dtype is not None:
            return Static("dtype", dtype, self.loc(ins))
        np = sys.modules.get("numpy")
        if np is not None and (value is np.finfo or value is np.iinfo):  # folded where called
            return Static("callee", f"numpy.{value.__name__}")
        if np is not None and type(value) is np.ndarray:
            if value.ndim == 0 or element_type(value.dtype) is None:
                raise self.error(f"global {what}: a {value.ndim}-d array of dtype {value.dtype} (global "
                                 "arrays of 1 or more dimensions of bool, int, float or complex are read "
                                 "as constants)", ins)
            return Static("array", (callee.rpartition(":")[2], value), self.loc(ins))
        for b in ALLOWED_BUILTINS:
            if value is getattr(builtins, b):
                return Static("callee", f"builtins.{b}")
        random = random_callee(value)  # `np.random.seed`, `random.random`: typing/rules/random_calls.py
        if random is not None:
            return Static("callee", random)
        if isinstance(value, types.FunctionType) or getattr(value, "_jitlab_dispatcher_", False):
            return Static("callee", callee)
        if isinstance(value, (types.BuiltinFunctionType,)) and callee.count(".") == 1 \
                and not callee.startswith("global:"):
            return Static("callee", callee)
        if callee in NUMPY_FUNCTIONS and type(value).__name__ == "_ArrayFunctionDispatcher":
            return Static("callee", callee)
        if type(value).__name__ == "ufunc" and type(value).__module__ == "numpy" \
                and not callee.startswith("global:"):
            return Static("callee", callee)
        raise self.error(f"global {what} of type {type(value).__name__}", ins)

    # -- calls of NumPy functions written in jitlab Python (jitlab/lib) ------------------------
    def bind_library(self, callee: str, args: list, kwnames: tuple[str, ...], loc: Loc,
                     ins: Instruction) -> tuple[list, tuple]:
        """A call of a NumPy function compiled from jitlab Python (`jitlab.lib`): its run-time
        inputs (defaults as constants; those after the first static parameter by keyword) and the
        attributes `kwnames` and `static` (the constant parameters that are not the default)."""
        lib = LIBRARY_CALLS[callee]
        short = callee.removeprefix("numpy.")
        npos = len(args) - len(kwnames)
        limit = len(lib.params) if lib.npositional is None else lib.npositional
        if npos > limit:
            raise CallArgumentError(f"{short}() takes {limit} positional arguments but {npos} were given",
                                    filename=self.decoded.filename, line=ins.line, col=ins.col)
        given = dict(zip(lib.params, args[:npos]))
        for name, value in zip(kwnames, args[npos:]):
            if name not in lib.params or name in given:
                why = "an unexpected" if name not in lib.params else "multiple values for"
                raise CallArgumentError(f"{short}() got {why} keyword argument {name!r}",
                                        filename=self.decoded.filename, line=ins.line, col=ins.col)
            given[name] = value
        inputs, names, static, after_static = [], [], [], False
        for name in lib.params:
            if name in given:
                value = given[name]
            elif lib.default(name) is not NO_DEFAULT:
                value = Static("const", lib.default(name), loc)
            else:
                raise CallArgumentError(f"{short}() missing required argument {name!r}",
                                        filename=self.decoded.filename, line=ins.line, col=ins.col)
            if name in lib.static:
                if not (isinstance(value, Static) and value.kind == "const"):
                    raise self.error(f"{short}() with a {name} computed at run time (it must be a "
                                     "constant)", ins)
                if not is_default(lib, name, value.value):
                    static.append((name, value.value))
                after_static = True
                continue
            if after_static:  # after a static parameter: by keyword
                names.append(name)
            inputs.append(value)
        attrs = (("kwnames", tuple(names)),) if names else ()
        return inputs, attrs + ((("static", tuple(static)),) if static else ())


def _constant_tuple(value) -> bool:
    """A tuple of numbers, bools, None, strings or such tuples: a global read as a constant."""
    return type(value) is tuple and all(
        v is None or type(v) in (bool, int, float, complex, str) or _constant_tuple(v) for v in value)
