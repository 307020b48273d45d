"""The one parser of jitlab IR text: reads back exactly what `printer.py` prints.

Why hand-written: the grammar (EBNF in docs/ir.md, "Grammar") is small and
LL(2), and a hand-written recursive descent gives error messages that name the
line, the column and what was expected (`line 4, col 12: expected ')' but found
'='`), which a generated parser makes hard.

Lexing is done on demand by the parser (`_Lexer.peek`/`next`) because one
token kind depends on context: a type (`i64`, `!io`, `range_iter<i64>`) is read
as raw text after the `:` of a port, up to a delimiter at bracket depth 0, and
handed to `types.parse_type`.  Everywhere else whitespace and `//` comments are
insignificant, so hand-written test files may be laid out freely.

Round trip: `parse(print_module(m)) == m` and `print_module(parse(t)) == t` for
every printed `t`.  `nan` parses to the one object `math.nan`: NaN is unequal to
itself, but tuple and dataclass equality compare identical objects as equal (and
`hash(nan)` depends on the object), so modules whose NaN attributes are
`math.nan` compare and hash equal after a round trip.  Builders of IR should use
`math.nan` for that reason.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

from ..errors import IRParseError
from .nodes import AttrValue, Delta, Gamma, Lambda, Loc, Module, Node, Op, Phi, Port, Region, Theta
from .printer import is_name_char
from .types import UNKNOWN, ArrayType, Type, parse_type

# Token kinds.  PORT/FUNC carry the name without the sigil.
WORD, NUMBER, STRING, PORT, FUNC, PUNCT, EOF = "word", "number", "string", "port", "func", "punct", "eof"

_PUNCT = set("(){},:=^")
# `inf` and `nan` lex as words; with a sign they are numbers.
_NUMBER = re.compile(r"-(?:inf|nan)(?![\w.$])|-?[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?")
# A JSON string literal (json.loads checks the escapes).
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
# At bracket depth 0 these end a type's text.
_TYPE_END = set(" \t\r\n,)={}")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str  # the source text (a string token: its decoded value; PORT/FUNC: the name)
    line: int  # 1-based
    col: int  # 0-based
    pos: int  # offset in the text

    def describe(self) -> str:
        if self.kind == EOF:
            return "end of input"
        if self.kind == PORT:
            return f"'%{self.text}'"
        if self.kind == FUNC:
            return f"'@{self.text}'"
        if self.kind == STRING:
            return f"string {json.dumps(self.text)}"
        return f"'{self.text}'"


class _Lexer:
    def __init__(self, text: str, filename: str | None):
        self.text = text
        self.filename = filename
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self._peeked: list[Token] = []

    # -- errors ---------------------------------------------------------------------------------
    def error(self, line: int, col: int, message: str) -> IRParseError:
        lines = self.text.split("\n")
        source = lines[line - 1] if 0 < line <= len(lines) else None
        return IRParseError(f"line {line}, col {col + 1}: {message}", filename=self.filename,
                            line=line, col=col, source_line=source)

    # -- characters -----------------------------------------------------------------------------
    def _skip_space(self) -> None:
        text, n = self.text, len(self.text)
        while self.pos < n:
            ch = text[self.pos]
            if ch == "\n":
                self.pos += 1
                self.line, self.line_start = self.line + 1, self.pos
            elif ch in " \t\r":
                self.pos += 1
            elif text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = n if end < 0 else end
            else:
                return

    def _name(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and is_name_char(self.text[self.pos]):
            self.pos += 1
        return self.text[start:self.pos]

    def _string(self, line: int, col: int) -> str:
        m = _STRING.match(self.text, self.pos)
        if m is None:
            raise self.error(line, col, "unterminated string")
        try:
            value = json.loads(m.group())
        except json.JSONDecodeError as exc:
            raise self.error(line, col, f"bad string escape ({exc.msg})") from None
        self.pos = m.end()
        return value

    def _lex(self) -> Token:
        self._skip_space()
        line, col, text = self.line, self.pos - self.line_start, self.text
        if self.pos >= len(text):
            return Token(EOF, "", line, col, self.pos)
        start = self.pos
        ch = text[start]
        if ch in "%@":
            self.pos += 1
            if self.pos < len(text) and text[self.pos] == '"':
                name = self._string(line, col)
            else:
                name = self._name()
                if not name:
                    raise self.error(line, col, f"expected a name after '{ch}'")
            return Token(PORT if ch == "%" else FUNC, name, line, col, start)
        if ch == '"':
            return Token(STRING, self._string(line, col), line, col, start)
        if ch in _PUNCT:
            self.pos += 1
            return Token(PUNCT, ch, line, col, start)
        m = _NUMBER.match(text, self.pos) if ch in "-0123456789" else None
        if m is not None:
            self.pos = m.end()
            return Token(NUMBER, m.group(), line, col, start)
        if ch.isidentifier():
            return Token(WORD, self._name(), line, col, start)
        raise self.error(line, col, f"unexpected character {ch!r}")

    # -- tokens ---------------------------------------------------------------------------------
    # The lexer state (pos, line) is always just after the last token lexed; `_peeked` holds
    # the tokens lexed but not yet consumed.
    def peek(self, ahead: int = 0) -> Token:
        while len(self._peeked) <= ahead:
            self._peeked.append(self._lex())
        return self._peeked[ahead]

    def next(self) -> Token:
        tok = self.peek()
        del self._peeked[0]
        return tok

    def type_text(self) -> tuple[str, int, int]:
        """Raw text of a type at the current position (tokens peeked past it are lexed again)."""
        if self._peeked:
            first = self._peeked[0]
            self.pos, self.line, self.line_start = first.pos, first.line, first.pos - first.col
            self._peeked.clear()
        self._skip_space()
        line, col, start, depth = self.line, self.pos - self.line_start, self.pos, 0
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in "<[(":
                depth += 1
            elif ch in ">])" and depth > 0:
                depth -= 1
            elif ch == "\n" or depth == 0 and (ch in _TYPE_END or self.text.startswith("//", self.pos)):
                break
            self.pos += 1
        return self.text[start:self.pos], line, col


class _Parser:
    def __init__(self, text: str, filename: str | None):
        self.lex = _Lexer(text, filename)

    # -- helpers --------------------------------------------------------------------------------
    def error(self, expected: str, tok: Token | None = None) -> IRParseError:
        tok = tok or self.lex.peek()
        return self.lex.error(tok.line, tok.col, f"expected {expected} but found {tok.describe()}")

    def at(self, kind: str, text: str | None = None, ahead: int = 0) -> bool:
        tok = self.lex.peek(ahead)
        return tok.kind == kind and (text is None or tok.text == text)

    def expect(self, kind: str, text: str | None = None, what: str | None = None) -> Token:
        if not self.at(kind, text):
            raise self.error(what or (f"'{text}'" if text else kind))
        return self.lex.next()

    def punct(self, ch: str) -> Token:
        return self.expect(PUNCT, ch)

    def keyword(self, word: str) -> Token:
        return self.expect(WORD, word)

    def comma_list(self, item, close: str = ")") -> list:
        """`item {',' item}` up to `close` (not consumed), or nothing."""
        items = []
        if self.at(PUNCT, close):
            return items
        items.append(item())
        while self.at(PUNCT, ","):
            self.lex.next()
            items.append(item())
        return items

    # -- module and function --------------------------------------------------------------------
    def module(self) -> Module:
        self.keyword("module")
        self.punct("{")
        functions, phis, deltas = [], [], []
        while self.at(WORD, "delta"):
            deltas.append(self.delta())
        while self.at(WORD, "func"):
            functions.append(self.function())
        while self.at(WORD, "phi"):
            phis.append(self.phi())
        if not self.at(PUNCT, "}"):
            raise self.error("'phi' or '}'" if phis else "'func', 'phi' or '}'" if functions
                             else "'delta', 'func', 'phi' or '}'")
        self.lex.next()
        self.end()
        return Module(tuple(functions), tuple(phis), tuple(deltas))

    def delta(self) -> Delta:
        """`delta @G: TYPE shape (n, …) = (values…) [loc]`: a global constant array."""
        self.keyword("delta")
        name = self.expect(FUNC, what="a global name '@name'").text
        self.punct(":")
        tok = self.lex.peek()
        t = self.type()
        if not isinstance(t, ArrayType) or not t.readonly or t.layout != "C":
            raise self.lex.error(tok.line, tok.col, f"expected a read-only C array type "
                                 f"(array<dtype, ndim, C, readonly>) but found {t}")
        self.keyword("shape")
        shape_tok = self.lex.peek()
        shape = self.tuple_value()
        if len(shape) != t.ndim or not all(type(n) is int and n >= 0 for n in shape):
            raise self.lex.error(shape_tok.line, shape_tok.col,
                                 f"expected a shape of {t.ndim} non-negative ints but found {shape}")
        self.punct("=")
        values_tok = self.lex.peek()
        values = self.tuple_value()
        count = math.prod(shape)
        if len(values) != count:
            raise self.lex.error(values_tok.line, values_tok.col,
                                 f"expected {count} values for shape {shape} but found {len(values)}")
        try:
            delta = Delta.from_values(name, t, shape, values)
        except (TypeError, ValueError, OverflowError) as exc:
            raise self.lex.error(values_tok.line, values_tok.col,
                                 f"expected values of {t.dtype} ({exc})") from None
        return Delta(delta.name, delta.type, delta.shape, delta.data, self.opt_loc())

    def phi(self) -> Phi:
        """`phi { func … }`: a recursion environment of one or more λs."""
        self.keyword("phi")
        self.punct("{")
        functions = [self.function()]
        while self.at(WORD, "func"):
            functions.append(self.function())
        self.punct("}")
        return Phi(tuple(functions), self.opt_loc())

    def end(self) -> None:
        if not self.at(EOF):
            raise self.error("end of input")

    def function(self) -> Lambda:
        self.keyword("func")
        name = self.expect(FUNC, what="a function name '@name'").text
        params = self.port_list()
        attrs: tuple = ()
        # `{` starts the attributes when followed by `key =`, else the body
        if self.at(PUNCT, "{") and self.lex.peek(1).kind in (WORD, STRING) and self.at(PUNCT, "=", ahead=2):
            attrs = self.attrs()
        loc = self.opt_loc()
        self.punct("{")
        nodes, results = self.region_body("return")
        self.punct("}")
        return Lambda(name, Region(params, nodes, results), loc, attrs)

    # -- regions --------------------------------------------------------------------------------
    def region_body(self, terminator: str) -> tuple[tuple[Node, ...], tuple[str, ...]]:
        """Statements up to and including `terminator (uses)`."""
        nodes: list[Node] = []
        while not self.at(WORD, terminator):
            tok = self.lex.peek()
            if tok.kind == WORD and tok.text in ("return", "yield"):
                raise self.error(f"'{terminator}'")
            if tok.kind in (EOF,) or (tok.kind == PUNCT and tok.text in "}^"):
                raise self.error(f"a node or '{terminator}'")
            nodes.append(self.node())
        self.lex.next()
        return tuple(nodes), self.use_list()

    def block(self) -> Region:
        """`^(params): nodes yield (uses)` -- a γ branch or a θ body."""
        self.punct("^")
        params = self.port_list()
        self.punct(":")
        nodes, results = self.region_body("yield")
        return Region(params, nodes, results)

    # -- nodes ----------------------------------------------------------------------------------
    def node(self) -> Node:
        outputs: tuple[Port, ...] = ()
        if self.at(PORT):
            outputs = tuple(self.comma_list(self.port, close="="))
            self.punct("=")
        tok = self.lex.peek()
        if tok.kind == WORD and tok.text == "gamma":
            return self.gamma(outputs)
        if tok.kind == WORD and tok.text == "theta":
            return self.theta(outputs)
        if tok.kind == STRING or (tok.kind == WORD and "." in tok.text):
            return self.op(outputs)
        raise self.error("an op name ('family.name'), 'gamma' or 'theta'")

    def op(self, outputs: tuple[Port, ...]) -> Op:
        name = self.lex.next().text
        attrs = self.attrs() if self.at(PUNCT, "{") else ()
        inputs = self.use_list()
        return Op(name, inputs, outputs, attrs, self.opt_loc())

    def gamma(self, outputs: tuple[Port, ...]) -> Gamma:
        self.keyword("gamma")
        predicate = self.expect(PORT, what="a predicate '%name'").text
        inputs = self.use_list()
        self.punct("{")
        branches = []
        while self.at(PUNCT, "^"):
            branches.append(self.block())
        if not self.at(PUNCT, "}"):
            raise self.error("'^' or '}'")
        self.lex.next()
        return Gamma(predicate, inputs, tuple(branches), outputs, self.opt_loc())

    def theta(self, outputs: tuple[Port, ...]) -> Theta:
        self.keyword("theta")
        inputs = self.use_list()
        self.punct("{")
        body = self.block()
        self.punct("}")
        return Theta(inputs, body, outputs, self.opt_loc())

    def opt_loc(self) -> Loc | None:
        if not (self.at(WORD, "loc") and self.at(PUNCT, "(", ahead=1)):
            return None
        self.lex.next()
        self.punct("(")
        line = self.integer("a line number")
        self.punct(":")
        col = self.integer("a column number")
        self.punct(")")
        return Loc(line, col)

    def integer(self, what: str) -> int:
        tok = self.lex.peek()
        if tok.kind != NUMBER or not re.fullmatch(r"-?[0-9]+", tok.text):
            raise self.error(what)
        return self._int(self.lex.next())

    def _int(self, tok: Token) -> int:
        try:
            return int(tok.text)
        except ValueError as exc:  # more digits than int() accepts
            raise self.lex.error(tok.line, tok.col, str(exc)) from None

    # -- ports ----------------------------------------------------------------------------------
    def port(self) -> Port:
        name = self.expect(PORT, what="a value '%name'").text
        if not self.at(PUNCT, ":"):
            return Port(name, UNKNOWN)
        self.lex.next()
        return Port(name, self.type())

    def type(self) -> Type:
        text, line, col = self.lex.type_text()
        if not text:
            tok = self.lex.peek()
            raise self.lex.error(line, col, f"expected a type but found {tok.describe()}")
        try:
            return parse_type(text)
        except ValueError as exc:
            raise self.lex.error(line, col, f"expected a type but found {text!r} ({exc})") from None

    def port_list(self) -> tuple[Port, ...]:
        self.punct("(")
        ports = tuple(self.comma_list(self.port))
        self.punct(")")
        return ports

    def use_list(self) -> tuple[str, ...]:
        self.punct("(")
        uses = tuple(self.comma_list(lambda: self.expect(PORT, what="a value '%name'").text))
        self.punct(")")
        return uses

    # -- attributes -----------------------------------------------------------------------------
    def attrs(self) -> tuple[tuple[str, AttrValue], ...]:
        """`{key = value, ...}`, never empty: `func @f() {}` would otherwise be ambiguous."""
        self.punct("{")
        items = [self.attr()]
        while self.at(PUNCT, ","):
            self.lex.next()
            items.append(self.attr())
        self.punct("}")
        return tuple(items)

    def attr(self) -> tuple[str, AttrValue]:
        tok = self.lex.peek()
        if tok.kind not in (WORD, STRING):
            raise self.error("an attribute name")
        self.lex.next()
        self.punct("=")
        return tok.text, self.value()

    def value(self) -> AttrValue:
        tok = self.lex.peek()
        if tok.kind == STRING:
            return self.lex.next().text
        if tok.kind == WORD and tok.text in _WORD_VALUES:
            return _WORD_VALUES[self.lex.next().text]
        if tok.kind == NUMBER:
            self.lex.next()
            text = tok.text.lstrip("-")
            sign = -1.0 if tok.text.startswith("-") else 1.0
            if text == "nan":
                if sign < 0:
                    raise self.lex.error(tok.line, tok.col, "expected a value but found '-nan'")
                return math.nan
            if text == "inf":
                return sign * math.inf
            if re.fullmatch(r"[0-9]+", text):
                return self._int(tok)
            return float(tok.text)
        if tok.kind == PUNCT and tok.text == "(":
            return self.tuple_value()
        raise self.error("a value (number, string, true, false, none or tuple)")

    def tuple_value(self) -> tuple:
        """`()`, `(v,)` or `(v, w, ...)` with an optional trailing comma, as Python writes tuples."""
        self.punct("(")
        items: list[AttrValue] = []
        while not self.at(PUNCT, ")"):
            items.append(self.value())
            if self.at(PUNCT, ","):
                self.lex.next()
            elif not self.at(PUNCT, ")"):
                raise self.error("',' or ')'")
        self.punct(")")
        return tuple(items)


_WORD_VALUES: dict[str, AttrValue] = {
    "true": True, "false": False, "none": None, "inf": math.inf, "nan": math.nan,
}


def parse(text: str, *, filename: str | None = None) -> Module:
    """Parse a printed module (`module { func ... }`); raise IRParseError on bad text."""
    return _Parser(text, filename).module()


def parse_function(text: str, *, filename: str | None = None) -> Lambda:
    """Parse one printed function (`func @f(...) { ... }`, as `print_ir(lambda)` prints it)."""
    parser = _Parser(text, filename)
    fn = parser.function()
    parser.end()
    return fn
