"""The frontend's strings: f-strings, `str()`, `%` and `str.format`, `print`, and the receiver of
a str method -- the `_Builder` methods that make `Text` recipes (`text.py`) and constant strings.

A mixin of `to_rvsdg._Builder`: it uses the builder's `py`, `value`, `error`, `loc`,
`is_runtime` and `tuple_items`.
"""
from __future__ import annotations

from jitlab.ir import Loc

from . import text
from .bytecode.instructions import Instruction
from .statics import Static
from .text import TextError


class TextValues:
    """Strings on the symbolic stack: constant strings and `Text`s (made at run time)."""

    def str_receiver(self, obj, name: str, loc: Loc, ins: Instruction):
        """A constant string or an f-string whose method is called (`",".join(xs)`): a run-time
        str (`"{}".format(x)` of a constant template stays a message recipe, `text.py`)."""
        if self.text_of(obj) is None or (name == "format" and obj.kind == "const"):
            return obj
        return self.value(obj, loc, ins=ins)

    # -- strings, for exception messages (see text.py) -----------------------------------
    @staticmethod
    def text_of(v):
        """A constant string or a run-time string (`Text`) on the stack, else None."""
        return text.of(v.value) if isinstance(v, Static) and v.kind in ("const", "text") else None

    def format(self, v, conversion: str | None, spec, ins: Instruction) -> Static:
        """`format(conversion(v), spec)`, an f-string's replacement field."""
        try:
            spec = text.constant_spec(spec.value if isinstance(spec, Static) and spec.kind == "const"
                                      else None)
            if isinstance(v, Static) and v.kind == "const":
                return Static("const", text.fold(v.value, conversion, spec), v.loc)
            if isinstance(v, Static) and v.kind == "text":
                try:
                    return Static("text", text.reformat(v.value, conversion, spec), self.loc(ins))
                except TextError:  # `f"{str(x)!r}"`: the inner string made first (`py.format`)
                    v = self.value(v, self.loc(ins), ins=ins)
            return Static("text", text.field(self.value(v, self.loc(ins), ins=ins), conversion, spec),
                          self.loc(ins))
        except TextError as exc:
            raise self.error(f"f-string: {exc}", ins) from None

    def concat(self, parts: list, ins: Instruction) -> Static:
        """Strings joined (an f-string, `+`): a constant when every part is one."""
        if any(self.text_of(p) is None for p in parts):
            raise self.error("string concatenation with a value that is not a string", ins)
        if all(p.kind == "const" for p in parts):
            return Static("const", "".join(p.value for p in parts))
        return Static("text", text.concat([p.value for p in parts]), self.loc(ins))

    def str_format(self, template: str, args: list, kwnames: tuple[str, ...], ins: Instruction) -> Static:
        """`template.format(*args)`: each field formatted as an f-string's, joined."""
        parts = [Static("const", "")]
        try:
            for piece in text.format_fields(template, len(args) - len(kwnames), kwnames):
                if isinstance(piece, str):
                    parts.append(Static("const", piece))
                else:
                    index, conversion, spec = piece
                    parts.append(self.format(args[index], conversion, Static("const", spec), ins))
        except TextError as exc:
            raise self.error(f"str.format: {exc}", ins) from None
        return self.concat(parts, ins)

    def percent(self, template: str, values, ins: Instruction) -> Static:
        """`template % values` (printf-style): each conversion formats one value."""
        if isinstance(values, Static) and values.kind == "const" and isinstance(values.value, tuple):
            items = [Static("const", v) for v in values.value]
        elif self.is_runtime(values) and values in self.tuple_items:
            items = self.tuple_items[values]
        else:
            items = [values]
        parts = [Static("const", "")]
        try:
            for piece in text.percent_fields(template, len(items)):
                if isinstance(piece, str):
                    parts.append(Static("const", piece))
                    continue
                index, spec = piece
                v = items[index]
                if isinstance(v, Static) and v.kind == "const":
                    parts.append(Static("const", text.fold_percent(spec, v.value)))
                elif self.is_runtime(v):
                    port = self.value(v, self.loc(ins), ins=ins)
                    parts.append(Static("text", text.percent_field(port, spec), self.loc(ins)))
                else:
                    raise TextError(f"formatting {v.kind} with {spec!r}")
        except TextError as exc:
            raise self.error(f"% formatting: {exc}", ins) from None
        return self.concat(parts, ins)

    def text_call(self, name: str, args: list, kwnames, ins: Instruction) -> Static:
        """`str(x)`, `repr(x)`, `ascii(x)`, `format(x[, spec])`: a string for a message."""
        if kwnames or not 1 <= len(args) <= (2 if name == "format" else 1):
            raise self.error(f"{name}(...) with these arguments (only {name}(x)"
                             f"{' or format(x, spec)' if name == 'format' else ''} is supported)", ins)
        conversion = {"str": "s", "repr": "r", "ascii": "a", "format": None}[name]
        spec = args[1] if len(args) == 2 else Static("const", "")
        if conversion == "s" and self.text_of(args[0]) is not None:
            return args[0]  # str() of a string
        return self.format(args[0], conversion, spec, ins)

    def print_(self, args: list, kwnames: tuple[str, ...], loc: Loc, ins: Instruction) -> None:
        """`print(*values, sep=..., end=...)` -> `py.print {format}` of the values on the state
        token: the whole line as one format string (str() of each value, `sep` between them,
        `end` after), written to `sys.stdout` at run time; constants are folded into it."""
        npos = len(args) - len(kwnames)
        options = {"sep": " ", "end": "\n", "flush": False}
        for name, v in zip(kwnames, args[npos:]):
            if name not in options:
                raise self.error(f"print(..., {name}=...) is not supported (only sep=, end=, flush=)", ins)
            value = v.value if isinstance(v, Static) and v.kind == "const" else ...
            if name == "flush" and isinstance(value, bool):
                options[name] = value
            elif name != "flush" and (value is None or isinstance(value, str)):
                options[name] = options[name] if value is None else value
            else:
                raise self.error(f"print(..., {name}=...) must be a constant "
                                 f"{'bool' if name == 'flush' else 'string or None'}", ins)
        parts = []
        for k, v in enumerate(args[:npos]):
            if k:
                parts.append(Static("const", options["sep"]))
            if self.text_of(v) is not None:  # a string: printed as it is
                parts.append(v)
            elif isinstance(v, Static) and v.kind == "const":
                parts.append(Static("const", str(v.value)))
            elif self.is_runtime(v):
                parts.append(Static("text", text.field(self.value(v, loc, ins=ins), "s", ""), loc))
            else:
                raise self.error(f"print() of a compile-time {v.kind}", ins)
        parts.append(Static("const", options["end"]))
        line = self.concat([Static("const", "")] + parts, ins)
        if line.kind == "const":
            fmt, values = text.escape(line.value), ()
        else:
            fmt, values = line.value.fmt, line.value.values
        attrs = (("format", fmt),) + ((("flush", True),) if options["flush"] else ())
        self.py("py.print", list(values), loc, attrs, nresults=0, ins=ins)
