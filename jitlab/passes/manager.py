"""The pass manager: runs passes in order and records what each one did.

For every pass it keeps a `PassRecord`: the pass name, the IR before and after,
the wall time in milliseconds and whether the module changed (structural
equality of the frozen IR values, not text comparison).  The record holds the
IR values and prints them only when asked (`record.before`, `record.after`), so
compiling costs no printing.  The notebook's
pass-by-pass view and `jitlab opt` read these records; nothing re-runs a pass
to show it.  With `verify=True` (the tests turn it on) the verifier checks the
module after every pass, and an error names the pass that broke an invariant.
"""
from __future__ import annotations

import difflib
import time
from collections.abc import Iterable

from jitlab.errors import VerificationError
from jitlab.ir import Module, print_module, verify

from .base import Pass, resolve_passes


class PassRecord:
    """What one pass did: `name`, `before`/`after` (IR text), `time_ms`, `changed`.

    The record keeps the IR values themselves (`module_before`, `module_after`: frozen, so they
    never change) and prints them only when `before`/`after` is read, once; `changed` is
    structural equality, likewise computed on first use (a pass that returns its input object
    is unchanged without comparing anything).
    """

    __slots__ = ("name", "module_before", "module_after", "time_ms", "_texts", "_changed")

    def __init__(self, name: str, module_before: Module, module_after: Module, time_ms: float,
                 previous: PassRecord | None = None):
        self.name = name
        self.module_before = module_before
        self.module_after = module_after
        self.time_ms = time_ms
        self._changed: bool | None = False if module_after is module_before else None
        # the text cache, shared with the previous record, whose `after` is this one's `before`
        self._texts: dict[int, str] = previous._texts if previous is not None else {}

    def _text(self, module: Module) -> str:
        text = self._texts.get(id(module))
        if text is None:
            text = self._texts[id(module)] = print_module(module)
        return text

    @property
    def before(self) -> str:
        return self._text(self.module_before)

    @property
    def after(self) -> str:
        return self._text(self.module_before if not self.changed else self.module_after)

    @property
    def changed(self) -> bool:
        if self._changed is None:
            self._changed = self.module_after != self.module_before
        return self._changed

    def diff(self, context: int = 3) -> str:
        """A unified diff of the IR text before and after the pass ('' when unchanged)."""
        return "".join(difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            fromfile=f"before {self.name}", tofile=f"after {self.name}", n=context))

    def __repr__(self) -> str:
        return (f"PassRecord(name={self.name!r}, time_ms={self.time_ms:.3f}, "
                f"changed={self.changed})")

    def __str__(self) -> str:
        return f"{self.name:<8} {self.time_ms:8.3f} ms  {'changed' if self.changed else 'unchanged'}"


class PassManager:
    """`PassManager(passes, verify=False).run(module) -> (module, records)`; passes by name or object."""

    def __init__(self, passes: Iterable[str | Pass], verify: bool = False):
        self.passes = resolve_passes(passes)
        self.verify = verify

    def run(self, module: Module) -> tuple[Module, list[PassRecord]]:
        records: list[PassRecord] = []
        for p in self.passes:
            start = time.perf_counter()
            result = p.run(module)
            elapsed = (time.perf_counter() - start) * 1e3
            if not isinstance(result, Module):
                raise TypeError(f"pass {p.name!r} returned {type(result).__name__}, not a Module")
            if self.verify:
                try:
                    verify(result)
                except VerificationError as err:
                    message = err.message.removeprefix(f"[{err.invariant}] ")
                    raise VerificationError(err.invariant, f"after pass {p.name!r}: {message}",
                                            line=err.line) from err
            records.append(PassRecord(p.name, module, result, elapsed, records[-1] if records else None))
            module = result
        return module, records
