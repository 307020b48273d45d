"""Region tree -> RVSDG: one λ per function, γ per branch region, θ per loop region.

Why symbolic execution: bytecode is a stack machine; executing each block on
a symbolic stack turns it into dataflow.  The state between blocks is one
environment mapping keys to values: Python locals by name, stack slots that
cross a block boundary as `$stack0`, `$stack1`, ..., restructuring's control
variables (`$repeat`, `$exit`, `$entry`, `$ctl`), the return value `$ret` and
the state token `$io`.  Region ports are named after their keys (`x`, `x.1`,
`$stack0.2`, ...); every name is unique within the lambda and the naming is
deterministic (source order).

Values known at compile time stay `Static` (constants, NULL call slots,
callees, modules) until a port needs them: then a constant becomes `py.const`
in the region that needs it; the others cannot be runtime values.  Every γ/θ
routes all it reads explicitly (strict RVSDG scoping, verifier V4): γ inputs
are the non-static keys its arms read or write, outputs the keys they write;
θ loop variables are the keys its body writes plus the non-static keys it
reads.  A key undefined on some path gets `py.undef` there.  Every `py` op
threads `$io` as docs/ir.md specifies.
"""
from __future__ import annotations

import dataclasses
from types import CodeType
from typing import Any

from jitlab.errors import UnsupportedError
from jitlab.ir import STATE, Delta, Gamma, Lambda, Loc, Module, Op, Port, Region, Theta

from . import closures
from .binding import CallArgumentError, bind_call
from .bytecode.instructions import SCOPE_MARK, Instruction
from .flow import Block
from .liveness import EXC, HANDLED, Liveness, PathLiveness, is_control, landing_slots, shuffle_stack
from .restructure import Branch, Leaf, Linear, Loop, Node, StructuredRegion
from .text import NUMPY_STRING_METHODS, TEXT_BUILTINS, Text
from .text_values import TextValues
from .statics import ISINSTANCE_CLASSES, GlobalNames, Static
from .numpy_names import BUILTIN_DTYPES, LIBRARY_CALLS

_BOOL_OPS = ("py.compare", "py.truth", "py.exc_match")
IO = "$io"
RET = "$ret"


NULL = Static("null")
DEAD = Static("dead")


def _base(key: str) -> str:
    """Port base name of an environment key (a comprehension's `x$1` is named `x`)."""
    if key == IO:
        return "io"
    if key.startswith("$"):
        return key if key.startswith("$stack") else key.rstrip("0123456789")
    return key.partition(SCOPE_MARK)[0]


def _holds_str(value) -> bool:
    """A str constant, or a tuple constant holding one."""
    return type(value) is str or type(value) is tuple and any(type(x) is str for x in value)


def _key_order(key: str):
    """Ports in a deterministic, readable order: locals, stack slots, control variables, state."""
    if key == IO:
        return (3, key)
    if key.startswith("$stack"):
        return (1, int(key[6:]))
    return (2, key) if key.startswith("$") else (0, key)


class _Names:
    """Unique, deterministic port names: `x`, `x.1`, `x.2`, ..."""

    def __init__(self):
        self.used: set[str] = set()
        self.next: dict[str, int] = {}

    def fresh(self, base: str) -> str:
        name = base
        while name in self.used:
            self.next[base] = self.next.get(base, 0) + 1
            name = f"{base}.{self.next[base]}"
        self.used.add(name)
        return name


def _usage(region, memo: dict) -> tuple[frozenset, frozenset]:
    """(keys read, keys written) anywhere inside a region, `$io` included in both."""
    got = memo.get(id(region))  # ids are stable: the region tree outlives the memo
    if got is not None:
        return got
    reads, writes = {IO}, {IO}
    if isinstance(region, (Leaf, Node)):
        node = region.node if isinstance(region, Leaf) else region
        if node.kind == "block":
            b = node.block
            reads |= {f"$stack{i}" for i in range(b.entry_depth)}
            writes |= {f"$stack{i}" for i in range(b.exit_depth)}
            for ins in b.instructions:
                if ins.op == "load_local":
                    reads.add(ins.arg)
                elif ins.op == "touch":
                    reads.update(ins.arg)
                elif ins.op == "touch_write":
                    reads.update(ins.arg)
                    writes.update(ins.arg)
                elif ins.op in ("store_local", "delete_local"):
                    writes.add(ins.arg)
                elif ins.op in ("return", "raise", "reraise", "raise_handled"):
                    writes.add(RET)
                elif ins.op in ("check_exc", "exc_jump"):
                    writes.add(EXC)
                elif ins.op in ("push_exc_info", "pop_except") and ins.arg:
                    writes.add(HANDLED)
                if ins.op == "push_exc_info" and ins.arg or "raise_handled" in (ins.op, ins.arg):
                    reads.add(HANDLED)
        elif node.kind == "landing":
            reads.add(EXC)
            writes |= {f"$stack{i}" for i in range(*landing_slots(node))}
        elif node.kind == "assign":
            writes |= {k for k, _ in node.assigns}
        elif node.kind == "switch":
            reads.add(node.var)
        else:
            reads.add(RET)
    else:
        if isinstance(region, Linear):
            parts = region.items
        elif isinstance(region, Branch):
            parts = (region.head,) + region.branches
        else:
            parts = (region.body,)
            writes.add(region.repeat)
        for part in parts:
            r, w = _usage(part, memo)
            reads |= r
            writes |= w
    memo[id(region)] = (frozenset(reads), frozenset(writes))
    return memo[id(region)]


class _Builder(GlobalNames, closures.NestedFunctions, TextValues):
    def __init__(self, func, structured: StructuredRegion):
        self.func = func
        self.decoded = structured.flow.decoded
        self.names = _Names()
        self.nodes: list = []
        self.env: dict[str, Any] = {}
        self.pred: str | None = None
        self.memo: dict = {}
        self.liveness = Liveness(structured.root)
        self.paths = PathLiveness(structured.graph)
        self.graph = structured.graph
        self.handlers = any(n.kind == "landing" for n in structured.graph.nodes.values())
        self.bools: set[str] = set()
        self.deltas: dict[str, Delta] = {}  # the global arrays read, frozen (name -> δ)
        self.made_at: dict[str, Loc] = {}    # port -> where the py op making it is
        self.tuple_items: dict[str, list] = {}  # port of a py.build_tuple -> its items
        self.io_before: str | None = None  # the state before the current raw instruction
        self.thrown = False  # a `throw` of a caught exception value set `$exc` for `exc_jump`
        self.numpy_arguments = False  # materialising the arguments of a NumPy call (`py`)

    # -- emitting ------------------------------------------------------------------------
    def loc(self, ins: Instruction | None = None, line: int | None = None) -> Loc:
        if ins is not None:
            return Loc(ins.line or self.decoded.firstlineno, ins.col or 0)
        return Loc(line or self.decoded.firstlineno, 0)

    def error(self, what: str, ins: Instruction | None, loc: Loc | None = None,
              hint: str | None = None) -> UnsupportedError:
        """`what` is not supported, at `ins` (else at `loc`)."""
        if ins is None and loc is not None:
            return UnsupportedError(what, filename=self.decoded.filename, line=loc.line, col=loc.col,
                                    hint=hint)
        return UnsupportedError(what, filename=self.decoded.filename,
                                line=ins.line if ins else None, col=ins.col if ins else None, hint=hint)

    def const(self, value, loc: Loc, base: str = "c", text_value: bool = False) -> str:
        """`py.const`; `text_value` marks a string that is a `str` value (`str = true`), not a
        NumPy dtype name or sort kind (the unmarked strings, which typing reads as those)."""
        if type(value) is tuple and any(type(v) in (tuple, complex) for v in value):
            # `((1, 2), (3, 4))`, `(1j, 2.0)`: typing takes flat tuples of numbers as constants,
            # so a nested one is built from its items as the code `((a, b), (c, d))` would be
            items = [Static("const", v, loc) for v in value]
            return self.py("py.build_tuple", items, loc, (), base)[0]
        name = self.names.fresh(base)
        # the text format has no complex literal: `1j` is its parts, marked complex
        attrs = ((("value", (value.real, value.imag)), ("complex", True)) if type(value) is complex
                 else (("value", value),) + ((("str", True),) if text_value and _holds_str(value) else ()))
        self.nodes.append(Op("py.const", (), (Port(name),), attrs, loc))
        return name

    def undef(self, key: str | None, loc: Loc) -> str:
        """`py.undef`; one standing for a Python variable says which (`{name = "x"}`): reading it
        raises `UnboundLocalError` naming it.  Stack slots, control variables, `$ret` and
        unnamed operands (key None) get none."""
        name = self.names.fresh(_base(key) if key is not None else "c")
        attrs = (("name", _base(key)),) if key is not None and not key.startswith("$") else ()
        self.nodes.append(Op("py.undef", (), (Port(name),), attrs, loc))
        return name

    def value(self, v, loc: Loc, key: str | None = None, ins: Instruction | None = None) -> str:
        """The port name of a value, materialising a constant; None (never defined) -> undef.

        `key` is the environment key the value is read from (None for an operand): it names
        the port and, for a Python variable, the `py.undef`."""
        key_base = _base(key) if key is not None else "c"
        if v is None:
            return self.undef(key, loc)
        if isinstance(v, str):
            return v
        if v.kind == "const":
            return self.const(v.value, v.loc or loc, key_base, text_value=not self.numpy_arguments)
        if v.kind == "dead":
            return self.undef(key, loc)
        if v.kind == "dtype":
            return self.const(v.value, v.loc or loc, "dtype")
        if v.kind == "text":  # an f-string, str(x), ... used as a value: a str made at run time
            name = self.names.fresh(key_base if key is not None else "s")
            self.nodes.append(Op("py.format", v.value.values, (Port(name),), (("format", v.value.fmt),),
                                 v.loc or loc))
            return name
        if v.kind == "callee" and v.value in BUILTIN_DTYPES:  # `dtype=float`: NumPy's float64
            return self.const(BUILTIN_DTYPES[v.value], v.loc or loc, "dtype")
        if v.kind == "callee" and v.value.startswith("global:"):  # a jitted global passed on
            name = self.names.fresh(v.value.removeprefix("global:"))
            self.nodes.append(Op("py.const", (), (Port(name),), (("value", v.value), ("function", True)),
                                 v.loc or loc))
            return name
        fname = v.value.code.co_name if v.kind == "function" else ""
        what = {"null": "NULL call slot", "callee": f"function {v.value} used as a value",
                "module": f"module {getattr(v.value, '__name__', v.value)} used as a value",
                "method": f"method .{v.value} used as a value (only calls of methods are supported)",
                "exc": f"exception class {v.value} used as a value",
                "exc_tuple": f"tuple of exception classes {v.value} used as a value",
                "exc_instance": f"exception {v.value[0] if v.kind == 'exc_instance' else ''} used as a "
                                "value (only `raise` is supported)",
                "str_format": "str.format used as a value",
                "function": f"the nested function {fname} used as a value (a nested function or lambda "
                            "can only be called in the function that defines it: not returned, stored in "
                            "a container or passed on)",
                "code": "a code object used as a value",
                }[v.kind]
        raise self.error(what, ins, v.loc or loc)

    def py(self, op: str, args: list, loc: Loc, attrs=(), base: str = "t", nresults: int = 1,
           ins: Instruction | None = None) -> list[str]:
        """Emit a state-threading py op: (args..., io) -> (results..., io)."""
        attr = dict(attrs)
        # constant strings passed to NumPy (a function, an array's method) are dtype names
        callee = str(attr.get("callee", ""))
        self.numpy_arguments = op == "py.call" and callee.startswith(("numpy.", "lib:")) \
            or op == "py.callmethod" and attr.get("name") in NUMPY_STRING_METHODS
        try:
            inputs = tuple(self.value(a, loc, ins=ins) for a in args) + (self.value(self.env[IO], loc),)
        finally:
            self.numpy_arguments = False
        results = [self.names.fresh(base) for _ in range(nresults)]
        io = self.names.fresh("io")
        outs = tuple(Port(r) for r in results) + (Port(io, STATE),)
        self.nodes.append(Op(op, inputs, outs, tuple(attrs), loc))
        self.env[IO] = io
        for r in results:
            self.made_at[r] = loc
        if op in _BOOL_OPS or (op == "py.unop" and ("op", "not") in attrs):
            self.bools.add(results[0])
        return results

    # -- blocks ----------------------------------------------------------------------------
    def run_block(self, block: Block) -> None:
        stack = [self.env.get(f"$stack{i}") for i in range(block.entry_depth)]
        ins_list = block.instructions
        for k, ins in enumerate(ins_list):
            nxt = ins_list[k + 1] if k + 1 < len(ins_list) else None
            base = nxt.arg if nxt is not None and nxt.op == "store_local" else "t"
            if ins.op == "unpack":  # `x, y = t`: name the items after the locals they go to
                after = ins_list[k + 1:k + 1 + ins.arg]
                base = tuple(i.arg if i.op == "store_local" else "t" for i in after)
                base += ("t",) * (ins.arg - len(base))
            self.step(ins, stack, base)
        for i, v in enumerate(stack):
            self.env[f"$stack{i}"] = v
        # Slots above the exit depth are gone, as liveness (`block_live_in`) has it: a stale
        # binding must not reach a join, where it may be a port of another region.
        for key in self.env:
            if key.startswith("$stack") and int(key[6:]) >= len(stack):
                self.env[key] = DEAD

    def step(self, ins: Instruction, stack: list, base: str) -> None:
        op, arg, loc = ins.op, ins.arg, self.loc(ins)
        if ins.part == 0:
            self.io_before = self.env[IO]
        if op == "nop" or op == "jump":
            return
        if op == "const":
            stack.append(self.constant(arg, loc, ins))
        elif op == "load_local":
            v = self.env.get(arg)
            if v is None:
                v = self.env[arg] = self.undef(arg, loc)
            stack.append(v)
        elif op == "store_local":
            self.env[arg] = stack.pop()
        elif op == "delete_local":
            self.env[arg] = None  # unbound: a later read is a named `py.undef`
        elif op == "load_global":
            stack.append(self.intrinsic_value(self.resolve_global(arg, ins), loc, base, ins))
        elif op == "push_null":
            stack.append(NULL)
        elif op == "load_attr":
            obj = self.str_receiver(stack.pop(), arg, loc, ins)
            if self.is_runtime(obj):
                stack.append(self.py("py.getattr", [obj], loc, (("name", arg),), base, ins=ins)[0])
            else:
                stack.append(self.intrinsic_value(self.resolve_attr(obj, arg, ins), loc, base, ins))
        elif op == "load_method":
            obj = self.str_receiver(stack.pop(), arg, loc, ins)
            if self.is_runtime(obj):
                stack += [Static("method", arg, loc), obj]
            else:
                stack += [self.intrinsic_value(self.resolve_attr(obj, arg, ins), loc, base, ins), NULL]
        elif op == "load_builtin":
            stack.append(self.resolve_builtin(arg, ins))
        elif op == "load_deref":
            stack.append(self.intrinsic_value(self.resolve_closure(arg, ins), loc, base, ins))
        elif op == "build_tuple":
            items = stack[len(stack) - arg:]
            del stack[len(stack) - arg:]
            if items and all(isinstance(v, Static) and v.kind == "exc" for v in items):  # except (E1, E2)
                stack.append(Static("exc_tuple", tuple(v.value for v in items)))
                return
            if items and all(isinstance(v, Static) and v.kind == "callee" and v.value in ISINSTANCE_CLASSES
                             for v in items):  # isinstance(x, (int, float))
                stack.append(Static("class_tuple", tuple(v.value for v in items)))
                return
            stack.append(self.py("py.build_tuple", items, loc, (), base, ins=ins)[0])
            self.tuple_items[stack[-1]] = items  # for `"%d %d" % (a, b)`
        elif op in ("build_list", "build_set", "build_map"):
            count = arg * 2 if op == "build_map" else arg
            items = stack[len(stack) - count:]
            del stack[len(stack) - count:]
            stack.append(self.py(f"py.{op}", items, loc, (), base, ins=ins)[0])
        elif op == "build_const_key_map":  # the values, then the constant tuple of keys
            stack.pop()
            values = stack[len(stack) - len(arg):]
            del stack[len(stack) - len(arg):]
            items = [x for key, v in zip(arg, values) for x in (Static("const", key, loc), v)]
            stack.append(self.py("py.build_map", items, loc, (), base, ins=ins)[0])
        elif op in ("list_append", "set_add"):
            # located at the item's computation (else the line): CPython's position of the append
            # differs by version
            v = stack.pop()
            name = "append" if op == "list_append" else "add"
            at = self.made_at.get(v, Loc(loc.line, 0))
            self.py("py.callmethod", [stack[-arg], v], at, (("name", name),), "t", ins=ins)
        elif op == "map_add":
            v, k = stack.pop(), stack.pop()
            self.py("py.setitem", [stack[-arg], k, v], self.made_at.get(k, Loc(loc.line, 0)), (), nresults=0,
                    ins=ins)
        elif op == "unpack":
            stack += self.unpack(stack.pop(), arg, loc, ins, base)[::-1]
        elif op == "build_slice":
            parts = stack[len(stack) - arg:]
            del stack[len(stack) - arg:]
            stack.append(self.slice(parts, loc, ins))
        elif op == "raise":
            self.raise_(stack.pop(), loc, ins)
        elif op == "format":
            conversion, has_spec = arg
            spec = stack.pop() if has_spec else Static("const", "")
            stack.append(self.format(stack.pop(), conversion, spec, ins))
        elif op == "build_string":
            parts = stack[len(stack) - arg:]
            del stack[len(stack) - arg:]
            stack.append(self.concat(parts, ins))
        elif op == "binary" and arg.removesuffix("=") == "%" and isinstance(stack[-2], Static) \
                and stack[-2].kind == "const" and isinstance(stack[-2].value, str):
            values, template = stack.pop(), stack.pop()
            stack.append(self.percent(template.value, values, ins))
        elif op == "binary" and arg.removesuffix("=") == "+" \
                and all(self.text_of(v) is not None for v in stack[-2:]) \
                and any(isinstance(v, Static) and v.kind == "text" for v in stack[-2:]):
            b, a = stack.pop(), stack.pop()
            stack.append(self.concat([a, b], ins))
        elif op == "throw":  # a raise inside a `try` body: the exception goes to `exc_jump`
            v = stack.pop() if arg != "raise_handled" else self.env.get(HANDLED)
            if arg == "raise" and not self.is_runtime(v):
                self.raise_(v, loc, ins, ends=False)
            elif not self.is_runtime(v) or v is None:
                raise self.error("re-raise outside an except block", ins)
            else:  # re-raising a caught exception value: it goes to the handler as it is
                self.env[EXC] = v
                self.thrown = True
        elif op in ("check_exc", "exc_jump"):
            self.catch(loc, ins)
        elif op == "push_exc_info":
            exc = stack.pop()
            stack += [self.env.get(HANDLED, DEAD) if arg else DEAD, exc]
            if arg:
                self.env[HANDLED] = exc
        elif op == "pop_except":
            prev = stack.pop()
            if arg:
                self.env[HANDLED] = prev
        elif op == "exc_match":
            classes = self.exception_classes(stack.pop(), ins)
            stack.append(self.py("py.exc_match", [stack[-1]], loc, (("exc", classes),), "m", ins=ins)[0])
        elif op == "reraise":
            self.reraise(stack.pop(), loc, ins)
        elif op == "raise_handled":
            self.reraise(self.env.get(HANDLED), loc, ins)
        elif op == "binary":  # `a += b`: `inplace` (an array is updated where it is, a number rebound)
            b, a = stack.pop(), stack.pop()
            attrs = (("op", arg[:-1]), ("inplace", True)) if arg.endswith("=") else (("op", arg),)
            stack.append(self.py("py.binop", [a, b], loc, attrs, base, ins=ins)[0])
        elif op == "unary" and arg == "-" and isinstance(stack[-1], Static) and stack[-1].kind == "const" \
                and type(stack[-1].value) in (int, float):  # `-np.inf`: a constant, as `-1` is
            stack.append(Static("const", -stack.pop().value, loc))
        elif op == "unary":
            stack.append(self.py("py.unop", [stack.pop()], loc, (("op", arg),), base, ins=ins)[0])
        elif op == "to_bool":
            stack.append(self.py("py.truth", [stack.pop()], loc, (), base, ins=ins)[0])
        elif op == "compare":
            b, a = stack.pop(), stack.pop()
            stack.append(self.py("py.compare", [a, b], loc, (("op", arg),), base, ins=ins)[0])
        elif op == "getitem":
            i, a = stack.pop(), stack.pop()
            stack.append(self.py("py.getitem", [a, i], loc, (), base, ins=ins)[0])
        elif op == "setitem":
            i, a, v = stack.pop(), stack.pop(), stack.pop()
            self.py("py.setitem", [a, i, v], loc, (), nresults=0, ins=ins)
        elif op == "delitem":  # `del xs[i]`: the container's __delitem__
            i, a = stack.pop(), stack.pop()
            self.py("py.callmethod", [a, i], loc, (("name", "__delitem__"),), base, ins=ins)
        elif op == "get_iter":
            stack.append(self.py("py.getiter", [stack.pop()], loc, (), "it", ins=ins)[0])
        elif shuffle_stack(stack, op, arg):
            pass
        elif op == "call":
            self.call(ins, stack, base)
        elif op in closures.FUNCTION_OPS:
            self.function_op(op, arg, stack, ins)
        elif op in ("branch", "branch_or_pop"):
            v = stack.pop() if op == "branch" else stack[-1]
            self.pred = self.predicate(v, arg, loc, ins)
        elif op == "for_iter":
            ok, item, it = self.py("py.iternext", [stack[-1]], loc, (), nresults=3, ins=ins)
            stack[-1] = it
            stack.append(item)
            self.pred = ok
        elif op == "return":
            self.env[RET] = self.returned(stack.pop(), ins)
        else:  # pragma: no cover - the decoder only emits vocabulary ops
            raise AssertionError(f"unhandled vocabulary op {op}")

    def predicate(self, v, cond: str, loc: Loc, ins: Instruction) -> str:
        """The γ predicate of a branch, matching `restructure.ordered_successors`."""
        if cond in ("true", "false"):
            if isinstance(v, str) and v in self.bools:
                return v
            return self.py("py.truth", [v], loc, (), "p", ins=ins)[0]
        none = Static("const", None, loc)
        return self.py("py.compare", [v, none], loc, (("op", "is" if cond == "none" else "isnot"),),
                       "p", ins=ins)[0]

    def call(self, ins: Instruction, stack: list, base: str) -> None:
        nargs, kwnames, kw_on_stack = ins.arg
        if kw_on_stack:
            stack.pop()
        args = stack[len(stack) - nargs:]
        del stack[len(stack) - nargs:]
        below, top = stack.pop(), stack.pop()
        callee_v, self_v = (below, top) if top == NULL else (top, below) if below == NULL else (top, below)
        args, kwnames, kw = self.string_options(callee_v, args, kwnames, ins)  # np.searchsorted side=
        loc = self.loc(ins)
        if callee_v in closures.FUNCTION_TAKERS:  # sorted(xs, key=f), map(f, xs), ...: f as a value
            args, fn_attrs = self.function_argument(callee_v, args, kwnames, loc, ins)
            kw += fn_attrs
        if isinstance(callee_v, Static) and callee_v.kind == "method":
            stack.append(self.py("py.callmethod", [self_v, *args], loc, (("name", callee_v.value),) + kw,
                                 base, ins=ins)[0])
            return
        if self_v != NULL:  # CPython's "callable, self" form with a non-method: self is argument 0
            args = [self_v, *args]
        if isinstance(callee_v, Static) and callee_v.kind == "exc":
            stack.append(self.exception(callee_v.value, args, kwnames, ins))
            return
        if isinstance(callee_v, Static) and callee_v.kind == "str_format":
            stack.append(self.str_format(callee_v.value, args, tuple(kwnames or ()), ins))
            return
        if isinstance(callee_v, Static) and callee_v.kind == "function":
            stack.append(self.call_inner(callee_v.value, args, kwnames, loc, base, ins))
            return
        if isinstance(callee_v, Static) and callee_v.kind == "dtype":
            callee_v = Static("callee", f"numpy.{callee_v.value}")
        if isinstance(callee_v, Static) and callee_v.kind == "callee" \
                and callee_v.value.removeprefix("builtins.") in TEXT_BUILTINS:
            stack.append(self.text_call(callee_v.value.removeprefix("builtins."), args, kwnames, ins))
            return
        if isinstance(callee_v, Static) and callee_v == Static("callee", "builtins.print"):
            self.print_(args, tuple(kwnames or ()), loc, ins)
            stack.append(Static("const", None, loc))  # print() returns None
            return
        if self.is_runtime(callee_v) and callee_v is not None:  # a function passed as an argument
            if kwnames:
                raise self.error("keyword arguments in a call of a function value (pass them by "
                                 "position)", ins)
            stack.append(self.py("py.call", [callee_v, *args], loc, (("callee", "value"),), base, ins=ins)[0])
            return
        if callee_v == DEAD:
            raise self.error("call of a variable that holds different functions on different paths", ins,
                             hint="call each function in its own branch")
        if not isinstance(callee_v, Static) or callee_v.kind != "callee":
            raise self.error("call of a value that is not a known function", ins)
        if callee_v.value.startswith(("global:", "cell:")):
            args, kw = self.bind_jitted(callee_v.value, args, tuple(kwnames or ()), loc, ins), ()
        elif callee_v.value in LIBRARY_CALLS:
            args, kw = self.bind_library(callee_v.value, args, tuple(kwnames or ()), loc, ins)
        if not kwnames and self.builtin_shorthand(callee_v.value, args, stack, loc, base, ins):
            return
        stack.append(self.py("py.call", args, loc, (("callee", callee_v.value),) + kw, base, ins=ins)[0])

    def builtin_shorthand(self, callee: str, args: list, stack: list, loc: Loc, base: str,
                          ins: Instruction) -> bool:
        """Builtin calls that are another construct: `float("inf")` is a constant, `pow(a, b)` is
        `a ** b` (pushed on `stack`; False for every other call)."""
        if callee == "builtins.float" and len(args) == 1 and isinstance(args[0], Static) \
                and args[0].kind == "const" and isinstance(args[0].value, str):
            try:
                stack.append(Static("const", float(args[0].value), loc))
            except ValueError:
                raise self.error(f"float() of the string {args[0].value!r}, which is not a number",
                                 ins) from None
            return True
        if callee == "builtins.isinstance":
            classes = args[1] if len(args) == 2 else None
            if isinstance(classes, Static) and classes.kind == "callee" \
                    and classes.value in ISINSTANCE_CLASSES:
                classes = Static("class_tuple", (classes.value,))
            if not isinstance(classes, Static) or classes.kind != "class_tuple":
                raise self.error("isinstance() other than with int, float, bool, complex, str or a tuple of "
                                 "them", ins)
            stack.append(self.py("py.call", args[:1], loc, (("callee", callee), ("classes", classes.value)),
                                 base, ins=ins)[0])
            return True
        if callee in ("numpy.finfo", "numpy.iinfo"):  # limits of a dtype known when compiling
            dtype = args[0] if len(args) == 1 else None
            if isinstance(dtype, Static) and dtype.kind == "callee" and dtype.value in BUILTIN_DTYPES:
                dtype = Static("dtype", BUILTIN_DTYPES[dtype.value])
            if not isinstance(dtype, Static) or dtype.kind != "dtype":
                raise self.error(f"{callee}() of a value that is not a dtype known when compiling", ins,
                                 hint="name the dtype: np.finfo(np.float64)")
            import numpy as np

            try:
                stack.append(Static("numinfo", getattr(np, callee[6:])(dtype.value)))
            except ValueError as exc:
                raise self.error(f"{callee}({dtype.value}): {exc}", ins) from None
            return True
        if callee == "builtins.pow" and len(args) == 2:
            stack.append(self.py("py.binop", args, loc, (("op", "**"),), base, ins=ins)[0])
            return True
        return False

    def bind_jitted(self, callee: str, args: list, kwnames: tuple[str, ...], loc: Loc,
                    ins: Instruction) -> list:
        """A call of a jitted (or plain Python) global function, bound at compile time: keywords
        go to their parameters and left-out parameters get their defaults as constants, so the
        IR call passes every parameter positionally (`binding.bind_call`)."""
        if callee.startswith("cell:"):  # a function in a closure cell of this one
            cells = dict(zip(self.func.__code__.co_freevars, self.func.__closure__ or ()))
            target = cells[callee.removeprefix("cell:")].cell_contents
        else:
            target = self.func.__globals__[callee.removeprefix("global:")]
        func = getattr(target, "py_func", target)
        if not hasattr(func, "__code__"):  # a PIXIE library function: positional, no defaults
            if kwnames:
                raise self.error(f"keyword arguments in a call of {callee.removeprefix('global:')} "
                                 f"(a {type(target).__name__}: pass its arguments by position)", ins)
            return args
        try:
            bound = bind_call(func, len(args), kwnames)
        except TypeError as exc:
            raise CallArgumentError(str(exc), filename=self.decoded.filename, line=ins.line,
                                    col=ins.col) from None
        out = []
        for param, item in zip(func.__code__.co_varnames, bound):
            if isinstance(item, int):
                out.append(args[item])
                continue
            if isinstance(item, list):  # `*args`: the tuple of the arguments it collects
                out.append(self.py("py.build_tuple", [args[i] for i in item], loc, (), "t", ins=ins)[0])
                continue
            value = self.classify(item[0], f"default of parameter {param} of {func.__qualname__}",
                                  "", ins)
            if value.kind != "const":
                raise self.error(f"default value of parameter {param} of {func.__qualname__} "
                                 f"(a {value.kind}; defaults must be numbers, None or tuples)", ins)
            out.append(Static("const", value.value, loc))
        return out

    # -- values the frontend builds -------------------------------------------------------
    @staticmethod
    def is_runtime(v) -> bool:
        """A value computed at run time (a port name), not a compile-time `Static`."""
        return isinstance(v, str) or v is None

    def constant(self, value, loc: Loc, ins: Instruction):
        """A `LOAD_CONST`; a slice (3.14 folds `a[1:3]`'s) becomes its `py.slice` at once, as
        `BUILD_SLICE` makes it on earlier versions, and so does a tuple holding one."""
        if isinstance(value, slice):
            parts = [Static("const", p, loc) for p in (value.start, value.stop, value.step)]
            return self.slice(parts, loc, ins)
        if isinstance(value, tuple) and any(isinstance(v, slice) for v in value):
            items = [self.constant(v, loc, ins) for v in value]
            return self.py("py.build_tuple", items, loc, (), "t", ins=ins)[0]
        if isinstance(value, CodeType):  # a nested function's code, for `make_function`
            return Static("code", value, loc)
        return Static("const", value, loc)

    def slice(self, parts: list, loc: Loc, ins: Instruction) -> str:
        """`py.slice (start, stop, step)`; a missing step is `py.const {value = none}`."""
        if len(parts) == 2:
            parts = [*parts, Static("const", None, loc)]
        return self.py("py.slice", parts, loc, (), "s", ins=ins)[0]

    def unpack(self, v, count: int, loc: Loc, ins: Instruction, base=()) -> list:
        """`a, b = t`: a constant tuple's items, else `py.unpack {count}` of a runtime value."""
        if isinstance(v, Static) and v.kind == "const" and isinstance(v.value, tuple):
            if len(v.value) != count:
                raise self.error(f"unpacking {len(v.value)} values into {count} names", ins)
            return [Static("const", x, loc) for x in v.value]
        if not self.is_runtime(v):
            raise self.error(f"tuple unpacking of {v.kind} {v.value!r}", ins)
        inputs = (self.value(v, loc, ins=ins), self.value(self.env[IO], loc))
        items = [self.names.fresh(b) for b in (base if isinstance(base, tuple) else ("t",) * count)]
        io = self.names.fresh("io")
        self.nodes.append(Op("py.unpack", inputs, tuple(Port(i) for i in items) + (Port(io, STATE),),
                             (("count", count),), loc))
        self.env[IO] = io
        return items

    def exception(self, name: str, args: list, kwnames, ins: Instruction) -> Static:
        """`E("constant message")`, `E(f"message {x}")` or `E()`: an exception whose message is a
        constant string, a `Text` made when it is raised, or None."""
        if kwnames or len(args) > 1:
            raise self.error(f"{name}(...) with more than one argument", ins)
        if not args:
            return Static("exc_instance", (name, None))
        msg = args[0]
        if isinstance(msg, Static) and msg.kind == "text":
            return Static("exc_instance", (name, msg.value))
        if self.is_runtime(msg) and msg is not None:  # E(s) of a run-time value: its message is str(s)
            return Static("exc_instance", (name, Text("{}", (msg,), args=True)))
        if not (isinstance(msg, Static) and msg.kind == "const" and isinstance(msg.value, str)):
            raise self.error(f"{name}(...) with a message that is not a string (pass an f-string "
                             "or `str(x)` to show a value)", ins)
        return Static("exc_instance", (name, msg.value))

    def raise_(self, v, loc: Loc, ins: Instruction, ends: bool = True) -> None:
        """`raise E` / `raise E("msg")` -> `py.raise`; the path ends (its return value is dead)
        unless a handler catches it (`ends` False: `throw`).  `raise e` of a caught exception
        value (`except E as e`) is `py.reraise`."""
        if self.is_runtime(v):
            self.reraise(v, loc, ins, ends)
            return
        if isinstance(v, Static) and v.kind == "exc":
            name, message = v.value, None
        elif isinstance(v, Static) and v.kind == "exc_instance":
            name, message = v.value
        else:
            raise self.error("raise of a value that is not a builtin exception", ins)
        values = []
        if isinstance(message, Text):  # made when raised: `format` and its values
            attrs = (("exc", name), ("format", message.fmt)) + ((("args", True),) if message.args else ())
            values = list(message.values)
        else:
            attrs = (("exc", name),) + ((("message", message),) if message is not None else ())
        self.py("py.raise", values, loc, attrs, nresults=0, ins=ins)
        if ends:
            self.env[RET] = DEAD

    def reraise(self, v, loc: Loc, ins: Instruction, ends: bool = True) -> None:
        """Raise a caught exception value again (`RERAISE`, bare `raise`, `raise e`): `py.reraise`."""
        if not self.is_runtime(v) or v is None:
            raise self.error("re-raise outside an except block", ins)
        # a re-raise is compiler-made cleanup code: its line, no column (CPython's differ by version)
        self.py("py.reraise", [v], Loc(loc.line, 0), (), nresults=0, ins=ins)
        if ends:
            self.env[RET] = DEAD

    def catch(self, loc: Loc, ins: Instruction) -> None:
        """`check_exc`/`exc_jump`: `py.catch` takes the exception the op before left pending on
        the state; its `pending` is the γ predicate towards the handler (`check_exc`), the
        exception goes to the landing node as `$exc`.  When the instruction emitted no op
        (a compile-time value), nothing can be pending: the predicate is a constant False."""
        if self.thrown:
            self.thrown = False
            return
        if self.env[IO] == self.io_before:
            self.pred = self.const(False, loc, "p")
            self.env[EXC] = DEAD
            return
        self.mark_caught(self.env[IO])
        pending, exc, io = self.names.fresh("caught"), self.names.fresh("exc"), self.names.fresh("io")
        self.nodes.append(Op("py.catch", (self.value(self.env[IO], loc),),
                             (Port(pending), Port(exc), Port(io, STATE)), (), loc))
        self.env[IO] = io
        self.pred = pending
        self.env[EXC] = exc

    def mark_caught(self, io: str) -> None:
        """Give the op that made state `io` the attribute `catch = true`: its exception waits on
        that state for the `py.catch` after it instead of leaving the function."""
        for k in range(len(self.nodes) - 1, -1, -1):
            node = self.nodes[k]
            if isinstance(node, Op) and node.outputs and node.outputs[-1].name == io:
                self.nodes[k] = dataclasses.replace(node, attrs=node.attrs + (("catch", True),))
                return
        raise AssertionError(f"no op made state {io}")  # pragma: no cover

    def exception_classes(self, v, ins: Instruction) -> tuple[str, ...]:
        """The classes of `except E` / `except (E1, E2)`: builtin exception classes by name."""
        if isinstance(v, Static) and v.kind == "exc":
            return (v.value,)
        if isinstance(v, Static) and v.kind == "exc_tuple":
            return v.value
        raise self.error("except clause with something other than builtin exception classes", ins)

    def intrinsic_value(self, v, loc: Loc, base: str, ins: Instruction):
        """An intrinsic value (`cuda.threadIdx.x`) reads as a call of it with no arguments; a global
        array as its δ (`global_array`)."""
        if isinstance(v, Static) and v.kind == "intrinsic":
            return self.py("py.call", [], loc, (("callee", v.value),), base, ins=ins)[0]
        if isinstance(v, Static) and v.kind == "array":
            return self.global_array(*v.value, loc)
        return v

    def global_array(self, name: str, array, loc: Loc) -> str:
        """A global (closure, module attribute) array read: a δ holding a copy made now (frozen, as in
        Numba) and a pure `py.global {name}`; two arrays of one name get δs `G`, `G.1`, …"""
        frozen = Delta.from_array(name, array, self.loc(line=loc.line))
        key = name
        while key in self.deltas and not self.deltas[key].same_value(frozen):
            key = self.names.fresh(name)  # a name no port or δ of this function has
        self.deltas.setdefault(key, dataclasses.replace(frozen, name=key))
        port = self.names.fresh(_base(name.rpartition(".")[2]))
        self.nodes.append(Op("py.global", (), (Port(port),), (("name", key),), loc))
        return port

    # -- regions ---------------------------------------------------------------------------
    def run(self, region) -> None:
        if isinstance(region, Linear):
            for item in region.items:
                self.run(item)
        elif isinstance(region, Leaf):
            self.run_leaf(region.node)
        elif isinstance(region, Branch):
            self.run_branch(region)
        else:
            self.run_loop(region)

    def run_leaf(self, node: Node) -> None:
        self.pred = None
        if node.kind == "block":
            self.run_block(node.block)
        elif node.kind == "assign":
            for var, val in node.assigns:
                self.env[var] = Static("const", val, self.loc(line=node.line))
            if self.handlers and node.assigns:
                self.drop_dead_slots(node)
        elif node.kind == "switch":
            self.pred = self.value(self.env.get(node.var), self.loc(line=node.line), node.var)
        elif node.kind == "landing":
            first, end = landing_slots(node)
            for key in [k for k in self.env if k.startswith("$stack") and int(k[6:]) >= first]:
                self.env[key] = DEAD
            for i in range(first, end - 1):
                self.env[f"$stack{i}"] = DEAD  # `lasti`: never read
            self.env[f"$stack{end - 1}"] = self.env.get(EXC)
            self.env[EXC] = DEAD

    def _port(self, key: str) -> Port:
        return Port(self.names.fresh(_base(key)), STATE if key == IO else Port("x").type)

    def run_branch(self, region: Branch) -> None:
        self.run_leaf(region.head)
        pred = self.pred
        head = region.head
        loc = self.loc(head.block.terminator) if head.kind == "block" else self.loc(line=head.line)
        live_out = self.liveness.live_out[id(region)]
        live_in, writes = set(), set()
        for arm in region.branches:
            live_in |= self.liveness.live_in(arm, live_out)
            writes |= _usage(arm, self.memo)[1]
        used = sorted(live_in, key=_key_order)
        keys_in = [k for k in used if k in self.env and not isinstance(self.env[k], Static)]
        statics = {k: self.env[k] for k in used if isinstance(self.env.get(k), Static)}
        outer_nodes, outer_env = self.nodes, self.env
        arms = []
        for arm in region.branches:
            params = tuple(self._port(k) for k in keys_in)
            self.nodes, self.env = [], {**statics, **{k: p.name for k, p in zip(keys_in, params)}}
            self.run(arm)
            arms.append((params, self.nodes, self.env))
        self.nodes, self.env = outer_nodes, outer_env
        inputs = tuple(self.env[k] for k in keys_in)
        out_keys, results = [], [[] for _ in arms]
        if self.handlers:  # slots an arm dropped (`drop_dead_slots`) are written there
            writes = writes | {k for k in keys_in if k.startswith("$stack")
                               and any(env.get(k) == DEAD for _, _, env in arms)}
        for k in writes - live_out:
            self.env[k] = DEAD
        after = [self.live_after_arm(region, env) for _, _, env in arms]
        for k in sorted(writes & live_out, key=_key_order):
            # Only stack slots: a dead local keeps its value, so a name never becomes an
            # undef-only chain that typing must resolve on its own.
            # A key an arm neither received nor wrote is dead on its path (liveness did not route
            # it in); the outer port is out of the arm's scope, so it leaves as undef.
            vals = [env.get(k) if k in live or not k.startswith("$stack") else DEAD
                    for (_, _, env), live in zip(arms, after)]
            if all(isinstance(v, Static) and v == vals[0] for v in vals):
                self.env[k] = vals[0]
                continue
            if any(isinstance(v, Static) and v.kind not in ("const", "dead") for v in vals):
                # one compile-time object where the others are dead (an exception's path leaving
                # `sum([...])`) stays that object; differing ones are never read after the join
                alive = {v for v in vals if not (isinstance(v, Static) and v.kind == "dead")}
                one = next(iter(alive)) if len(alive) == 1 else None
                self.env[k] = one if isinstance(one, Static) and one.kind != "const" else DEAD
                continue
            for i, (_, nodes, _env) in enumerate(arms):
                self.nodes = nodes
                results[i].append(self.value(vals[i], loc, k))
            self.nodes = outer_nodes
            out_keys.append(k)
        outputs = tuple(self._port(k) for k in out_keys)
        branches = tuple(Region(params, tuple(nodes), tuple(res))
                         for (params, nodes, _), res in zip(arms, results))
        self.nodes.append(Gamma(pred, inputs, branches, outputs, loc))
        for k, port in zip(out_keys, outputs):
            self.env[k] = port.name

    def drop_dead_slots(self, node: Node) -> None:
        """Forget the stack slots dead on the path this assignment picks.

        In a function with exception handlers a slot holds a caught exception on one path and
        a number on another; where control variables merge into ports, path liveness at a
        later join no longer tells the paths apart, and the two would meet in one port."""
        known = {k: v.value for k, v in self.env.items()
                 if is_control(k) and isinstance(v, Static) and v.kind == "const"}
        live = self.paths.at(self.graph.succs[node.id][0], known)
        for key, v in self.env.items():
            # compile-time objects (a callee below a comprehension's loop) make no ports: kept
            if key.startswith("$stack") and key not in live \
                    and (not isinstance(v, Static) or v.kind == "const"):
                self.env[key] = DEAD

    def live_after_arm(self, region: Branch, env: dict) -> frozenset:
        """Data keys live where this arm continues: the join, on the path its control values pick."""
        known = {k: v.value for k, v in env.items()
                 if is_control(k) and isinstance(v, Static) and v.kind == "const"}
        return self.paths.at(region.join, known)

    def run_loop(self, region: Loop) -> None:
        loc = self.loc(line=region.line)
        writes = _usage(region.body, self.memo)[1] - {region.repeat}
        live_out = self.liveness.live_out[id(region)]
        body_in = self.liveness.loop_in[id(region)]
        wanted = body_in | (live_out & writes)
        # A compile-time value in a stack slot below a comprehension's loop (`sum` and its NULL in
        # `sum([...])`) passes through unchanged: it stays static, not a loop variable.
        passing = {k for k in wanted if k.startswith("$stack") and isinstance(self.env.get(k), Static)
                   and self.env[k].kind not in ("const", "dead")}
        keys = [k for k in sorted(wanted - passing, key=_key_order)
                if k in writes or (k in self.env and not isinstance(self.env[k], Static))]
        statics = {k: self.env[k] for k in body_in | passing
                   if isinstance(self.env.get(k), Static) and (k not in writes or k in passing)}
        inputs = tuple(self.value(self.env.get(k), loc, k) for k in keys)
        params = tuple(self._port(k) for k in keys)
        outer_nodes, outer_env = self.nodes, self.env
        self.nodes, self.env = [], {**statics, **{k: p.name for k, p in zip(keys, params)}}
        self.run(region.body)
        pred = self.value(self.env.get(region.repeat), loc, region.repeat)
        if any(self.env.get(k) != statics[k] for k in passing):  # pragma: no cover - decoder bug
            raise AssertionError(f"a loop changed a compile-time stack slot {sorted(passing)}")
        results = (pred,) + tuple(self.value(self.env.get(k), loc, k) for k in keys)
        body = Region(params, tuple(self.nodes), results)
        self.nodes, self.env = outer_nodes, outer_env
        outputs = tuple(self._port(k) for k in keys)
        self.nodes.append(Theta(inputs, body, outputs, loc))
        for k in writes - set(keys) - passing:
            self.env[k] = DEAD
        for k, port in zip(keys, outputs):
            self.env[k] = port.name

    def build(self, structured: StructuredRegion) -> Lambda:
        args = tuple(Port(self.names.fresh(a)) for a in self.decoded.argnames)
        io = Port(self.names.fresh("io"), STATE)
        self.env = {a: p.name for a, p in zip(self.decoded.argnames, args)}
        self.env[IO] = io.name
        self.run(structured.root)
        loc = self.loc(line=self.decoded.firstlineno)
        ret = self.value(self.env.get(RET), loc, RET)
        body = Region(args + (io,), tuple(self.nodes), (ret, self.env[IO]))
        return Lambda(self.func.__name__, body, loc)


def build_rvsdg(structured: StructuredRegion, func) -> Module:
    """Build the RVSDG module (one λ named after `func`, and a δ per global array it reads)."""
    builder = _Builder(func, structured)
    fn = builder.build(structured)
    return Module((fn,), (), tuple(builder.deltas.values()))
