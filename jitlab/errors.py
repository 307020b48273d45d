"""jitlab's exception classes: the one shared leaf module every layer may import.

Every error a user can cause names the construct, the source line (the cell line
in a notebook) and, for frontend errors, the Python version; `str(err)` shows
the offending line with a caret under the column, then a one-line hint.
"""
from __future__ import annotations

import copy
import linecache
import sys


class JitlabError(Exception):
    """Base of every error jitlab raises on purpose.

    `filename`/`line`/`col` locate the construct (1-based line in `filename`,
    which is `<ipython-input-…>` or similar for a notebook cell: IPython keeps
    cells in `linecache`, so the line text is found there); `hint` says what to
    do instead.
    """

    kind = "error"

    def __init__(self, message: str, *, filename: str | None = None, line: int | None = None,
                 col: int | None = None, hint: str | None = None, source_line: str | None = None):
        self.message = message
        self.filename = filename
        self.line = line
        self.col = col
        self.hint = hint
        if source_line is None and filename and line:
            source_line = linecache.getline(filename, line).rstrip("\n") or None
        self.source_line = source_line
        super().__init__(self._format())

    def with_location(self, filename: str | None, line: int | None, col: int | None = None) -> JitlabError:
        """A copy of this error located at `filename:line` (when it has no location yet)."""
        if self.line is not None:
            return self
        err = copy.copy(self)
        err.filename, err.line, err.col = filename, line, col
        text = linecache.getline(filename, line).rstrip("\n") if filename and line else ""
        err.source_line = text or None
        err.args = (err._format(),)
        return err

    def _format(self) -> str:
        parts = [self.message]
        if self.line is not None:
            where = f'File "{self.filename}", line {self.line}' if self.filename else f"line {self.line}"
            parts.append(f"  {where}:")
            if self.source_line is not None:
                text = self.source_line.rstrip()
                stripped = text.lstrip()
                indent = len(text) - len(stripped)
                parts.append(f"    {stripped}")
                if self.col is not None and self.col >= indent:
                    parts.append("    " + " " * (self.col - indent) + "^")
        if self.hint:
            parts.append(f"hint: {self.hint}")
        return "\n".join(parts)


class UnsupportedError(JitlabError):
    """A Python construct jitlab cannot compile (yet)."""

    kind = "unsupported"

    def __init__(self, construct: str, **kw):
        self.construct = construct
        version = f"Python {sys.version_info.major}.{sys.version_info.minor}"
        msg = construct if construct.startswith("unsupported") else f"unsupported construct: {construct}"
        super().__init__(f"{msg} ({version})", **kw)


class UnsupportedBytecode(UnsupportedError):
    """An opcode (or opcode form) the running Python's decoder does not know."""

    def __init__(self, opname: str, **kw):
        self.opname = opname
        super().__init__(f"unsupported bytecode {opname}", **kw)


class TypingError(JitlabError):
    """Type inference failed: names the value, the conflicting types and the line."""

    kind = "typing"


class VerificationError(JitlabError):
    """The IR breaks one of the verifier's numbered invariants (`invariant` is e.g. "V3")."""

    def __init__(self, invariant: str, message: str, **kw):
        self.invariant = invariant
        super().__init__(f"[{invariant}] {message}", **kw)


class IRParseError(JitlabError):
    """IR text does not follow the grammar; names line, column and what was expected."""


class LoweringError(JitlabError):
    """The LLVM backend met a typed op it cannot lower."""
