"""Strings built at run time, for exception messages only: f-strings, `str()`, `repr()`, `+`.

Compiled code has no string values.  A message such as `f"bad value {x:.3f}"` is kept
at compile time as a *recipe*: a `str.format` format string with one automatically
numbered field per run-time value (`"bad value {:.3f}"`) and the port names of those
values.  `raise E(recipe)` becomes `py.raise {exc, format}` taking the values as inputs,
and the message is made only when the exception is raised: the IR interpreter calls
`format.format(*values)`, the LLVM wrapper the C API (`PyObject_Format`) -- both exactly
what the f-string does in CPython, because `"{!r:>8}".format(x)` is `format(repr(x), ">8")`.

Everything here is pure: `Text` values, constant strings and the rules that combine them.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass

CONVERT = {None: lambda x: x, "s": str, "r": repr, "a": ascii}
# the array methods whose string arguments are dtype names, sort kinds, orders or sides
# (`a.astype("f4")`, `a.sort(kind="stable")`): a constant string passed to one of them, or to a
# NumPy function, stays such a name; every other constant string is a `str` value
NUMPY_STRING_METHODS = frozenset({
    "astype", "view", "sort", "argsort", "argpartition", "sum", "prod", "mean", "std", "var", "cumsum",
    "cumprod", "copy", "flatten", "ravel", "reshape", "searchsorted", "min", "max", "nansum"})
TEXT_BUILTINS = ("str", "repr", "ascii", "format")  # builtins that make a string


class TextError(Exception):
    """A string operation compiled code cannot do (the frontend words it with the line)."""


@dataclass(frozen=True)
class Text:
    """A string made at run time: `fmt.format(*values)`; `values` are port names."""

    fmt: str
    values: tuple[str, ...] = ()
    args: bool = False  # an exception's run-time argument (`ValueError(s)`): raised as `E(*values)`


def escape(literal: str) -> str:
    """`literal` as the literal part of a format string."""
    return literal.replace("{", "{{").replace("}", "}}")


def of(value) -> Text | None:
    """A constant string or a `Text` as a `Text`; None for anything else."""
    if isinstance(value, Text):
        return value
    if isinstance(value, str):
        return Text(escape(value))
    return None


def concat(parts: list) -> Text:
    """The concatenation of constant strings and `Text`s (an f-string's `BUILD_STRING`, `+`)."""
    texts = [of(p) for p in parts]
    return Text("".join(t.fmt for t in texts), tuple(v for t in texts for v in t.values))


def field(port: str, conversion: str | None, spec: str) -> Text:
    """`format(conversion(port), spec)` of a run-time value."""
    if "{" in spec or "}" in spec:
        raise TextError(f"format spec {spec!r} with braces")
    return Text("{" + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}",
                (port,))


def fold(value, conversion: str | None, spec: str) -> str:
    """`format(conversion(value), spec)` of a constant, at compile time."""
    try:
        return format(CONVERT[conversion](value), spec)
    except (TypeError, ValueError) as exc:
        raise TextError(f"formatting the constant {value!r} with {spec!r}: {exc}") from None


def reformat(text: Text, conversion: str | None, spec: str) -> Text:
    """`format(conversion(text), spec)` of a `Text`: the identity for `format(text, "")`, and a
    spec added to a lone converted field (3.13's `CONVERT_VALUE` then `FORMAT_WITH_SPEC`)."""
    if conversion is None and not spec:
        return text
    if conversion is None and len(text.values) == 1 and re.fullmatch(r"\{![sra]\}", text.fmt):
        return field(text.values[0], text.fmt[2], spec)
    raise TextError("formatting a string built at run time again (a conversion or spec of `str(x)`)")


def format_fields(template: str, npos: int, kwnames: tuple[str, ...]):
    """The pieces of `template.format(...)` with `npos` positional and `kwnames` keyword
    arguments: a literal string, or (argument index, conversion, spec) of a field."""
    auto, numbering = 0, set()
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise TextError(f"bad format string {template!r}: {exc}") from None
    for literal, name, spec, conversion in parsed:
        if literal:
            yield literal
        if name is None:
            continue
        if name == "" or name.isdigit():
            numbering.add(name == "")
            if len(numbering) > 1:
                raise TextError("cannot switch from automatic field numbering to manual field specification")
            index, auto = (auto, auto + 1) if name == "" else (int(name), auto)
            if index >= npos:
                raise TextError(f"format field {{{name}}} has no argument ({npos} given)")
        elif name in kwnames:
            index = npos + kwnames.index(name)
        else:
            raise TextError(f"format field {{{name}}} (only positional and keyword arguments are shown)")
        if "{" in (spec or ""):
            raise TextError("a format spec computed at run time")
        yield index, conversion, spec or ""


_PERCENT = re.compile(  # a printf-style conversion: %, mapping key, flags, width, precision, length, type
    r"%(?P<key>\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>.?)")


def percent_fields(template: str, count: int):
    """The pieces of `template % values` with `count` values: a literal string, or (value index,
    the one-conversion template `%5.2f` that formats it)."""
    at = index = 0
    for match in _PERCENT.finditer(template):
        if match.start() > at:
            yield template[at:match.start()]
        at = match.end()
        spec, kind = match.group(0), match.group("type")
        if kind == "%" and spec == "%%":
            yield "%"
            continue
        if match.group("key") is not None or "*" in spec or kind not in "diouxXeEfFgGcrsa" or not kind:
            raise TextError(f"the % conversion {spec!r} (only plain conversions such as %d, %.3f, %s, %r)")
        if index >= count:
            raise TextError("not enough arguments for format string")
        yield index, spec
        index += 1
    if at < len(template):
        yield template[at:]
    if index != count:
        raise TextError("not all arguments converted during string formatting")


def fold_percent(spec: str, value) -> str:
    """`spec % value` of a constant, at compile time."""
    try:
        return spec % (value,)
    except (TypeError, ValueError) as exc:
        raise TextError(f"formatting the constant {value!r} with {spec!r}: {exc}") from None


def percent_field(port: str, spec: str) -> Text:
    """`spec % value` of a run-time value: a field with the conversion `%`."""
    return Text("{!%:" + spec + "}", (port,))


def constant_spec(spec) -> str:
    """A format spec that must be known at compile time (`f"{x:{width}}"` is not)."""
    if isinstance(spec, str):
        return spec
    raise TextError("a format spec computed at run time")
