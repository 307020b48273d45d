"""A small evaluator of frontend RVSDG output (`py.*` ops), used as a test oracle.

Why here and not jitlab.ir.interpreter: the frontend tests must not depend on
other layers' progress; this evaluates only what the frontend emits, with
Python's own semantics, so `evaluate(to_rvsdg(f), args) == f(*args)` checks
decoding, restructuring and RVSDG construction end to end.
"""
from __future__ import annotations

import builtins
import importlib
import operator

from jitlab.frontend import closures
from jitlab.ir import Gamma, Op
from jitlab.ir.interp_py import render_message


class Undefined:
    """A `py.undef` value; `name` is the Python variable it stands for (its `name` attr), if any."""

    def __init__(self, name=None):
        self.name = name

    def __repr__(self):
        return f"<undef {self.name}>" if self.name else "<undef>"


UNDEF = Undefined()


class Pending:
    """The state after an op with `catch = true` raised: the exception waits for `py.catch`."""

    def __init__(self, exc):
        self.exc = exc


def unbound_error(v: Undefined, port: str = "return value") -> UnboundLocalError:
    """CPython's error for reading the variable `v` stands for (the port, if it names none)."""
    if v.name is None:
        return UnboundLocalError(port)
    return UnboundLocalError(
        f"cannot access local variable '{v.name}' where it is not associated with a value")
_BIN = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
        "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "&": operator.and_,
        "|": operator.or_, "^": operator.xor, "<<": operator.lshift, ">>": operator.rshift}
_CMP = {"<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne,
        ">": operator.gt, ">=": operator.ge, "is": operator.is_, "isnot": operator.is_not}
_UN = {"-": operator.neg, "+": operator.pos, "~": operator.invert, "not": operator.not_}


class _Eval:
    def __init__(self, module, func, steps=100_000):
        self.module = module
        self.func = func
        self.globals = func.__globals__
        self.steps = steps

    def use(self, env, name):
        v = env[name]
        if isinstance(v, Undefined):
            raise unbound_error(v, name)
        return v

    def callee(self, name):
        if name.startswith("global:"):
            return self.globals[name[7:]]
        if name.startswith(closures.PREFIX):  # a nested function: captured values, then arguments
            return closures.python_callable(self.func, name)
        if name == "value":  # a function passed as an argument: the first input
            return lambda f, *args: f(*args)
        mod, _, attr = name.rpartition(".")
        return getattr(builtins if mod == "builtins" else importlib.import_module(mod), attr)

    def region(self, region, args):
        env = dict(zip((p.name for p in region.params), args))
        for node in region.nodes:
            self.steps -= 1
            if self.steps < 0:
                raise RuntimeError("evaluation does not terminate")
            if isinstance(node, Op) and node.attr("catch"):  # docs/ir.md: caught exceptions
                try:
                    outs = self.op(node, env)
                except Exception as exc:
                    outs = [UNDEF] * (len(node.outputs) - 1) + [Pending(exc)]
                env.update(zip((p.name for p in node.outputs), outs))
            elif isinstance(node, Op):
                outs = self.op(node, env)
                env.update(zip((p.name for p in node.outputs), outs))
            elif isinstance(node, Gamma):
                k = int(self.use(env, node.predicate))
                res = self.region(node.branches[k], [env[i] for i in node.inputs])
                env.update(zip((p.name for p in node.outputs), res))
            else:
                vals = [env[i] for i in node.inputs]
                while True:
                    res = self.region(node.body, vals)
                    vals = res[1:]
                    if not res[0]:
                        break
                env.update(zip((p.name for p in node.outputs), vals))
        return [env[r] for r in region.results]

    def op(self, node, env):
        a = [self.use(env, i) if not node.op.endswith(("iternext",)) else env[i] for i in node.inputs]
        kind, attr = node.op, node.attr
        if kind == "py.const":
            return [self.callee(attr("value")) if attr("function") else attr("value")]
        if kind == "py.undef":
            return [Undefined(attr("name"))]
        if kind == "py.global":  # a δ: the array frozen when the module was built
            return [self.module.delta(attr("name")).array()]
        if kind == "py.format":  # a str made at run time (no state)
            return [render_message(attr("format"), a)]
        io = a[-1] if a else None
        if kind == "py.binop":
            return [_BIN[attr("op")](a[0], a[1]), io]
        if kind == "py.unop":
            return [_UN[attr("op")](a[0]), io]
        if kind == "py.compare":
            return [_CMP[attr("op")](a[0], a[1]), io]
        if kind == "py.truth":
            return [bool(a[0]), io]
        if kind == "py.call":
            kw = attr("kwnames") or ()
            args = a[:-1]
            pos, kws = args[:len(args) - len(kw)], dict(zip(kw, args[len(args) - len(kw):]))
            return [self.callee(attr("callee"))(*pos, **kws), io]
        if kind == "py.getiter":
            return [iter(a[0]), io]
        if kind == "py.iternext":
            try:
                return [True, next(a[0]), a[0], io]
            except StopIteration:
                return [False, UNDEF, a[0], io]
        if kind == "py.getitem":
            return [a[0][a[1]], io]
        if kind == "py.setitem":
            a[0][a[1]] = a[2]
            return [io]
        if kind == "py.getattr":
            return [getattr(a[0], attr("name")), io]
        if kind == "py.callmethod":
            kw = attr("kwnames") or ()
            args = a[1:-1]
            pos, kws = args[:len(args) - len(kw)], dict(zip(kw, args[len(args) - len(kw):]))
            return [getattr(a[0], attr("name"))(*pos, **kws), io]
        if kind == "py.build_tuple":
            return [tuple(a[:-1]), io]
        if kind == "py.build_list":
            return [list(a[:-1]), io]
        if kind == "py.build_set":
            return [set(a[:-1]), io]
        if kind == "py.build_map":
            return [dict(zip(a[:-1:2], a[1:-1:2])), io]
        if kind == "py.unpack":
            return [*_unpacker(attr("count"))(a[0]), io]
        if kind == "py.slice":
            return [slice(*a[:3]), io]
        if kind == "py.catch":
            return [True, io.exc, "io"] if isinstance(io, Pending) else [False, UNDEF, io]
        if kind == "py.exc_match":
            return [isinstance(a[0], tuple(getattr(builtins, n) for n in attr("exc"))), io]
        if kind == "py.reraise":
            raise a[0]
        if kind == "py.raise":
            exc = getattr(builtins, attr("exc"))
            if attr("args"):  # `E(value)`
                raise exc(*a[:-1])
            message = attr("message")
            if attr("format") is not None:  # a message that shows values, made now
                message = render_message(attr("format"), a[:-1])
            raise exc() if message is None else exc(message)
        raise NotImplementedError(kind)


_UNPACKERS: dict = {}


def _unpacker(count: int):
    """`lambda v: (x0, ..., xn)` after `x0, ..., xn = v`: CPython's own checks and messages."""
    if count not in _UNPACKERS:
        names = ", ".join(f"x{k}" for k in range(count))
        ns: dict = {}
        exec(f"def unpack(v):\n    {names}, = v\n    return ({names},)\n", ns)
        _UNPACKERS[count] = ns["unpack"]
    return _UNPACKERS[count]


def evaluate(module, func, *args):
    """Run the module's function on `args` with Python semantics; returns its result."""
    fn = module.get(func.__name__)
    ret, _io = _Eval(module, func).region(fn.body, list(args) + ["io"])
    if isinstance(ret, Undefined):  # `return x` with x unbound: the read of x raises
        raise unbound_error(ret)
    return ret
