"""What `%jit_cache list|info|clear` shows: the kernel cache as a table (HTML in a notebook,
text in a terminal).

The data comes from `jitlab.cache` (the same calls `jitlab cache ...` makes in a shell):
`list_entries` for the entries, `folder_info` for the folder, `info(f)` for why a function's
signatures hit or missed, `hits(path)` for how often this process loaded an entry.
"""
from __future__ import annotations

import html
import time
from dataclasses import dataclass

from .. import cache as kernel_cache
from ..cache import CacheStore, EntryInfo

_STYLE = ("<style>.jl-cache td,.jl-cache th{padding:1px 6px;text-align:left;font-size:12px}"
          ".jl-cache td.n{text-align:right}</style>")


def format_bytes(n: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if n < 1024 or unit == "MiB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError  # pragma: no cover


def format_age(mtime: float, now: float | None = None) -> str:
    """`12 s ago`, `3 min ago`, `5 h ago`, `2 d ago`: when an entry was last written or loaded."""
    seconds = max(0.0, (now if now is not None else time.time()) - mtime)
    for limit, unit, size in ((120, "s", 1), (7200, "min", 60), (172800, "h", 3600)):
        if seconds < limit:
            return f"{seconds / size:.0f} {unit} ago"
    return f"{seconds / 86400:.0f} d ago"


@dataclass(frozen=True)
class CacheListing:
    """`%jit_cache list`: one row per entry (function, signature, size, last use, hits)."""

    store: CacheStore
    entries: tuple[EntryInfo, ...]

    @classmethod
    def of(cls, store: CacheStore) -> CacheListing:
        return cls(store, tuple(kernel_cache.list_entries(store)))

    def rows(self) -> list[tuple[str, str, str, str, str, str]]:
        now = time.time()
        return [(e.function, e.signature, format_bytes(e.size), format_age(e.mtime, now),
                 str(kernel_cache.hits(e.path)), e.digest[:12]) for e in self.entries]

    def footer(self) -> str:
        total = sum(e.size for e in self.entries)
        return (f"{len(self.entries)} entr{'y' if len(self.entries) == 1 else 'ies'}, {format_bytes(total)} "
                f"(limit {format_bytes(self.store.size_limit)}) in {self.store.root}")

    def text(self) -> str:
        head = ("function", "signature", "size", "last used", "hits", "key")
        rows = [head, *self.rows()]
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
        return "\n".join([*lines, self.footer(), "(hits: loads by this process)"])

    def html(self) -> str:
        def cell(i: int, text: str) -> str:
            text = html.escape(text)
            return (f"<td class='n'>{text}</td>" if i in (2, 4) else
                    f"<td><code>{text}</code></td>" if i in (1, 5) else f"<td>{text}</td>")

        body = "".join(f"<tr>{''.join(cell(i, c) for i, c in enumerate(row))}</tr>" for row in self.rows())
        if not body:
            body = "<tr><td colspan='6'><i>the cache is empty</i></td></tr>"
        return (f"{_STYLE}<table class='jl-cache'><thead><tr><th>function</th><th>signature</th><th>size</th>"
                f"<th>last used</th><th title='loads by this process'>hits</th><th>key</th></tr></thead>"
                f"<tbody>{body}</tbody></table><div>{html.escape(self.footer())}</div>")

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": self.html()}


@dataclass(frozen=True)
class CacheReport:
    """`%jit_cache info [f ...]` and `clear`: lines of text, shown as `<pre>` in a notebook."""

    lines: tuple[str, ...]

    def text(self) -> str:
        return "\n".join(self.lines)

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": self.text(),
                "text/html": f"<pre class='jl-cache'>{html.escape(self.text())}</pre>"}


def folder_report(store: CacheStore) -> CacheReport:
    return CacheReport(tuple(kernel_cache.folder_lines(store)))


def function_report(functions: list[tuple[str, object]]) -> CacheReport:
    """For each jitted function: every compiled signature's cache outcome and why it missed."""
    lines = []
    for name, f in functions:
        if not hasattr(f, "overloads"):
            lines.append(f"{name}: not a jitlab function ({type(f).__name__})")
            continue
        lines.extend(kernel_cache.info(f).splitlines())
    return CacheReport(tuple(lines))
