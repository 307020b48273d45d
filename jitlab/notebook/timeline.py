"""A pass timeline: pick a pass, see the diff of what it changed, hide the passes that changed
nothing, search within the diff.  The explorer shows two: jitlab's RVSDG passes (the `opt`
stage's `record.pass_records`) and LLVM's own passes (`llvm_passes.py`).

Everything is HTML computed in Python (`Timeline.html.value`), so it is tested without a browser.
"""
from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as widgets

from ..ir import Module, print_module
from ..pipeline import CompileRecord
from .render import code_html


@dataclass(frozen=True)
class PassStep:
    """One entry of a pass timeline, read from whatever shape `record.pass_records` has."""

    index: int
    name: str
    before: str
    after: str
    changed: bool
    ms: float | None

    @property
    def label(self) -> str:
        ms = f", {self.ms:.2f} ms" if self.ms is not None else ""
        return f"{self.index + 1}. {self.name} ({'changed' if self.changed else 'no change'}{ms})"

    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.before.splitlines(True), self.after.splitlines(True),
                                            f"before {self.name}", f"after {self.name}"))


def _as_text(ir) -> str:
    return print_module(ir) if isinstance(ir, Module) else str(ir if ir is not None else "")


def _field(rec, *names, default=None):
    for name in names:
        value = rec.get(name) if isinstance(rec, dict) else getattr(rec, name, None)
        if value is not None:
            return value
    return default


def pass_steps(record: CompileRecord) -> list[PassStep]:
    """The RVSDG pass timeline, or [] when the pipeline recorded no passes."""
    steps = []
    for i, rec in enumerate(getattr(record, "pass_records", None) or ()):
        before = _as_text(_field(rec, "before", "before_text", "ir_before"))
        after = _as_text(_field(rec, "after", "after_text", "ir_after"))
        changed = _field(rec, "changed", default=before != after)
        ms = _field(rec, "ms", "time_ms")
        if ms is None and _field(rec, "time", "seconds") is not None:
            ms = float(_field(rec, "time", "seconds")) * 1e3
        steps.append(PassStep(i, str(_field(rec, "name", "pass_name", default=f"pass {i + 1}")), before,
                              after, bool(changed), ms))
    return steps


class Timeline:
    """The widget over a list of `PassStep`s; `.widget` to display, `.html.value` what it shows."""

    def __init__(self, steps: Sequence[PassStep], *, language: str, empty: str, what: str = "IR",
                 hide_unchanged: bool = False,
                 line_map: Callable[[str, PassStep], Sequence[frozenset]] | None = None):
        self.steps = list(steps)
        self.language = language      # of a pass's text when it changed nothing
        self.what = what
        self.line_map = line_map or (lambda text, step: ())  # a shown text's rows → source lines
        self.highlight: frozenset[int] = frozenset()
        self.html = widgets.HTML()
        self.picker: widgets.Dropdown | None = None
        self.hide_unchanged: widgets.Checkbox | None = None
        self.search_box: widgets.Text | None = None
        if not self.steps:
            self.html.value = f"<i>{empty}</i>"
            self.widget = widgets.VBox([self.html])
            return
        changed = sum(s.changed for s in self.steps)
        self.hide_unchanged = widgets.Checkbox(value=hide_unchanged, style={"description_width": "initial"},
                                               description="hide passes that changed nothing")
        self.picker = widgets.Dropdown(description="pass", layout=widgets.Layout(width="60%"))
        self.search_box = widgets.Text(placeholder="search this pass's diff", continuous_update=False,
                                       layout=widgets.Layout(width="40%"))
        self.hide_unchanged.observe(lambda _: self.refresh(), names="value")
        self.picker.observe(lambda _: self.show(), names="value")
        self.search_box.observe(lambda _: self.show(), names="value")
        summary = widgets.HTML(f"{len(self.steps)} pass runs, {changed} changed the {what}")
        self.refresh()
        controls = widgets.HBox([self.picker, self.hide_unchanged])
        self.widget = widgets.VBox([summary, controls, self.search_box, self.html])

    def visible(self) -> list[PassStep]:
        hide = self.hide_unchanged is not None and self.hide_unchanged.value
        return [s for s in self.steps if s.changed or not hide]

    def refresh(self) -> None:
        steps = self.visible()
        self.picker.options = [(s.label, s.index) for s in steps]
        self.picker.value = steps[0].index if steps else None
        self.show()

    def select_line(self, highlight: frozenset[int]) -> None:
        self.highlight = highlight
        if self.picker is not None:
            self.show()

    def show(self) -> None:
        index = self.picker.value
        if index is None:
            self.html.value = f"<i>no pass changed the {self.what}</i>"
            return
        step = self.steps[index]
        search = self.search_box.value
        diff = step.diff()
        if not diff:
            title = f"{step.label}: {self.what} unchanged"
            self.html.value = code_html(step.after, self.language, title=title, search=search,
                                        line_map=self.line_map(step.after, step), highlight=self.highlight)
            return
        self.html.value = code_html(diff, "diff", title=step.label, line_map=self.line_map(diff, step),
                                    highlight=self.highlight, search=search)
