"""The one-screen summary `%%jit` shows after a cell: functions, signatures, cache, ms per stage.

As `text/plain` (a terminal, `print`) and as a `text/html` table (a notebook). The cache column
says `hit` (loaded from the persistent cache: no stage ran), `miss` with the reason (which part
of the key changed, from `jitlab.cache`), `off` (`--no-cache`, CUDA kernels) or `not cacheable`.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from ..cache import Probe
from ..pipeline import STAGE_NAMES, CompileRecord


@dataclass(frozen=True)
class SummaryRow:
    name: str
    signature: str | None      # None: lazy, not compiled yet
    record: CompileRecord | None
    note: str = ""


def cache_status(record: CompileRecord) -> tuple[str, str]:
    """(word, reason) for the cache column: `("hit", "")`, `("miss", "code changed")`, `("off", "")`."""
    probe: Probe | None = getattr(record, "cache", None)
    if probe is None:
        return "off", ""
    word = {"hit": "hit", "uncacheable": "not cacheable"}.get(probe.status, "miss")
    return word, "" if word == "hit" else probe.reason


def format_timings(timings: dict[str, float]) -> str:
    total = sum(timings.values())
    parts = " ".join(f"{name} {ms:.1f}" for name, ms in timings.items())
    return f"{total:7.1f} ms  [{parts}]"


class CompileSummary:
    """What a `%%jit` cell compiled; displays as text or as an HTML table."""

    def __init__(self, rows: list[SummaryRow], notes: tuple[str, ...] = ()):
        self.rows = rows
        self.notes = notes

    def text(self) -> str:
        n = len({r.name for r in self.rows})
        lines = [f"jitlab: {n} function{'s' * (n != 1)} (stage times in ms)"]
        for row in self.rows:
            if row.record is None:
                lines.append(f"  {row.name}: lazy, compiles on first call{row.note}")
            else:
                word, reason = cache_status(row.record)
                cache = f"cache {word}" + (f": {reason}" if reason else "")
                lines.append(f"  {row.signature:<40} {format_timings(row.record.timings)}  {cache}")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def html(self) -> str:
        stages = [s for s in (*STAGE_NAMES, "native")
                  if any(r.record is not None and s in r.record.timings for r in self.rows)]
        extra = [s for r in self.rows if r.record is not None for s in r.record.timings if s not in stages]
        stages += list(dict.fromkeys(extra))
        head = "".join(f"<th>{html.escape(s)}</th>" for s in stages)
        body = []
        for row in self.rows:
            if row.record is None:
                body.append(f"<tr><td><b>{html.escape(row.name)}</b></td><td colspan='{len(stages) + 3}'>"
                            f"<i>lazy: compiles on first call{html.escape(row.note)}</i></td></tr>")
                continue
            t = row.record.timings
            word, reason = cache_status(row.record)
            cache = f"<td>{html.escape(word + (': ' + reason if reason else ''))}</td>"
            cells = "".join(f"<td>{t[s]:.1f}</td>" if s in t else "<td></td>" for s in stages)
            body.append(f"<tr><td><b>{html.escape(row.name)}</b></td><td><code>{html.escape(row.signature)}"
                        f"</code></td>{cache}{cells}<td><b>{sum(t.values()):.1f}</b></td></tr>")
        notes = "".join(f"<div>note: {html.escape(n)}</div>" for n in self.notes)
        style = ("<style>.jl-summary td,.jl-summary th{padding:1px 6px;text-align:right;font-size:12px}"
                 ".jl-summary td:nth-child(-n+2),.jl-summary th:nth-child(-n+2){text-align:left}</style>")
        return (f"{style}<table class='jl-summary'><thead><tr><th>function</th><th>signature</th>"
                f"<th>cache</th>{head}<th>total ms</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
                f"{notes}")

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": self.html()}
