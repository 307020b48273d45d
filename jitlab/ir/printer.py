"""The one printer of jitlab IR text (grammar in docs/ir.md; `parser.parse` reads it back).

    module {
      func @f(%a: i64, %io: !io) {inline = true} loc(1:0) {
        %c = py.const {value = 3} () loc(2:4)
        %t, %io.1 = py.binop {op = "+"} (%a, %c, %io) loc(3:8)
        %x, %io.2 = gamma %p (%t, %io.1) {
        ^(%t.1, %io.3):
          yield (%t.1, %io.3)
        ^(%t.2, %io.4):
          yield (%t.2, %io.4)
        } loc(4:4)
        return (%x, %io.2)
      }
    }

Untyped ports print without a type (`%a`), typed ones as `%a: i64`.  A name
that would not lex back as one token (empty, with a space, a quote, a `:`…)
prints as a JSON string: `%"my var"`, `@"<lambda>"`, `{"odd key" = 1}`; an op
name prints bare only when it is `family.name` (dotted identifiers), so no op
can be mistaken for `gamma`, `theta`, `return` or `loc`.
"""
from __future__ import annotations

import json
import math
import re

from .nodes import AttrValue, Delta, Gamma, Lambda, Loc, Module, Op, Phi, Port, Region, Theta
from .types import UnknownType

INDENT = "  "

_OP_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


def is_name_char(ch: str) -> bool:
    """Characters of a bare `%port`/`@func` name: Python identifier characters, `.` and `$`."""
    return ch in ".$" or ("a" + ch).isidentifier()


_ASCII_NAME = re.compile(r"[A-Za-z0-9_.$]+")
_formatted_names: dict[str, str] = {}  # name -> its printed form (names repeat a lot in one module)


def format_name(name: str) -> str:
    """A port, function or attribute-key name: bare when it lexes back as one token, else JSON."""
    text = _formatted_names.get(name)
    if text is None:
        bare = _ASCII_NAME.fullmatch(name) or (name and all(is_name_char(ch) for ch in name))
        text = name if bare else json.dumps(name)
        if len(_formatted_names) >= 100_000:
            _formatted_names.clear()
        _formatted_names[name] = text
    return text


def format_op_name(op: str) -> str:
    return op if _OP_NAME.fullmatch(op) else json.dumps(op)


def format_attr_value(value: AttrValue) -> str:
    if value is None:
        return "none"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, tuple):
        inner = ", ".join(format_attr_value(v) for v in value)
        return f"({inner}{',' if len(value) == 1 else ''})"
    raise TypeError(f"attribute value {value!r} of type {type(value).__name__} cannot be printed")


def format_attrs(attrs: tuple[tuple[str, AttrValue], ...]) -> str:
    if not attrs:
        return ""
    return " {" + ", ".join(f"{_key(k)} = {format_attr_value(v)}" for k, v in attrs) + "}"


def _key(key: str) -> str:
    # a bare key must also start like an identifier, to lex as a word (`0 = 1` reads as a number)
    return key if key[:1].isidentifier() and format_name(key) == key else json.dumps(key)


def format_port(port: Port) -> str:
    if isinstance(port.type, UnknownType):
        return f"%{format_name(port.name)}"
    return f"%{format_name(port.name)}: {port.type}"


def _ports(ports: tuple[Port, ...]) -> str:
    return ", ".join(format_port(p) for p in ports)


def _uses(names: tuple[str, ...]) -> str:
    return ", ".join(f"%{format_name(n)}" for n in names)


def _loc(loc: Loc | None) -> str:
    return f" {loc}" if loc is not None else ""


def _lhs(outputs: tuple[Port, ...]) -> str:
    return f"{_ports(outputs)} = " if outputs else ""


def _print_region_body(region: Region, depth: int, out: list[str], terminator: str) -> None:
    pad = INDENT * depth
    for node in region.nodes:
        _print_node(node, depth, out)
    out.append(f"{pad}{terminator} ({_uses(region.results)})")


def _print_block(region: Region, depth: int, out: list[str]) -> None:
    out.append(f"{INDENT * (depth - 1)}^({_ports(region.params)}):")
    _print_region_body(region, depth, out, "yield")


def _print_node(node, depth: int, out: list[str]) -> None:
    pad = INDENT * depth
    if isinstance(node, Op):
        op = f"{format_op_name(node.op)}{format_attrs(node.attrs)}"
        out.append(f"{pad}{_lhs(node.outputs)}{op} ({_uses(node.inputs)}){_loc(node.loc)}")
    elif isinstance(node, Gamma):
        out.append(f"{pad}{_lhs(node.outputs)}gamma %{format_name(node.predicate)} ({_uses(node.inputs)}) {{")
        for branch in node.branches:
            _print_block(branch, depth + 1, out)
        out.append(f"{pad}}}{_loc(node.loc)}")
    elif isinstance(node, Theta):
        out.append(f"{pad}{_lhs(node.outputs)}theta ({_uses(node.inputs)}) {{")
        _print_block(node.body, depth + 1, out)
        out.append(f"{pad}}}{_loc(node.loc)}")
    else:
        raise TypeError(f"not an IR node: {node!r}")


def print_lambda(fn: Lambda, depth: int = 0) -> str:
    out: list[str] = []
    pad = INDENT * depth
    head = f"func @{format_name(fn.name)}({_ports(fn.body.params)})"
    out.append(f"{pad}{head}{format_attrs(fn.attrs)}{_loc(fn.loc)} {{")
    _print_region_body(fn.body, depth + 1, out, "return")
    out.append(f"{pad}}}")
    return "\n".join(out)


def print_phi(phi: Phi, depth: int = 0) -> str:
    pad = INDENT * depth
    return "\n".join([f"{pad}phi {{", *(print_lambda(fn, depth + 1) for fn in phi.functions),
                      f"{pad}}}{_loc(phi.loc)}"])


def print_delta(delta: Delta, depth: int = 0) -> str:
    """`delta @G: array<f64, 2, C, readonly> shape (2, 3) = (0.0, 1.0, …) loc(3:0)`: the
    elements in C order (a complex one as `(re, im)`), exact as Python's `repr` of a float."""
    pad = INDENT * depth
    return (f"{pad}delta @{format_name(delta.name)}: {delta.type} shape {format_attr_value(delta.shape)}"
            f" = {format_attr_value(delta.values())}{_loc(delta.loc)}")


def print_module(module: Module) -> str:
    lines = ["module {"]
    for delta in module.deltas:
        lines.append(print_delta(delta, 1))
    for fn in module.functions:
        lines.append(print_lambda(fn, 1))
    for phi in module.phis:
        lines.append(print_phi(phi, 1))
    lines.append("}")
    return "\n".join(lines) + "\n"


def print_ir(obj) -> str:
    """Print a Module, a Lambda, a Region or a single node."""
    if isinstance(obj, Module):
        return print_module(obj)
    if isinstance(obj, Lambda):
        return print_lambda(obj)
    if isinstance(obj, Phi):
        return print_phi(obj)
    if isinstance(obj, Delta):
        return print_delta(obj)
    out: list[str] = []
    if isinstance(obj, Region):
        _print_block(obj, 1, out)
    else:
        _print_node(obj, 0, out)
    return "\n".join(out)
