"""The pass manager: runs passes in order and records what each one did.

For every pass it keeps a `PassRecord`: the pass name, the IR text before and
after, the wall time in milliseconds and whether the module changed (structural
equality of the frozen IR values, not text comparison).  The notebook's
pass-by-pass view and `jitlab opt` read these records; nothing re-runs a pass
to show it.  With `verify=True` (the tests turn it on) the verifier checks the
module after every pass, and an error names the pass that broke an invariant.
"""
from __future__ import annotations

import difflib
import time
from collections.abc import Iterable
from dataclasses import dataclass

from jitlab.errors import VerificationError
from jitlab.ir import Module, print_module, verify

from .base import Pass, resolve_passes


@dataclass(frozen=True)
class PassRecord:
    name: str
    before: str
    after: str
    time_ms: float
    changed: bool

    def diff(self, context: int = 3) -> str:
        """A unified diff of the IR text before and after the pass ('' when unchanged)."""
        return "".join(difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            fromfile=f"before {self.name}", tofile=f"after {self.name}", n=context))

    def __str__(self) -> str:
        return f"{self.name:<8} {self.time_ms:8.3f} ms  {'changed' if self.changed else 'unchanged'}"


class PassManager:
    """`PassManager(passes, verify=False).run(module) -> (module, records)`; passes by name or object."""

    def __init__(self, passes: Iterable[str | Pass], verify: bool = False):
        self.passes = resolve_passes(passes)
        self.verify = verify

    def run(self, module: Module) -> tuple[Module, list[PassRecord]]:
        records: list[PassRecord] = []
        before = print_module(module)
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
            changed = result != module
            after = print_module(result) if changed else before
            records.append(PassRecord(p.name, before, after, elapsed, changed))
            module, before = result, after
        return module, records
