"""`jitlab.explore(f, *args)`: an ipywidgets explorer over one compile record.

One tab per recorded stage, in pipeline order (source, bytecode, flow, regions, rvsdg, typed,
passes, opt, llvm, llvm-opt, asm, and any stage added later), each with a search box and a copy
button. A source-line picker above the tabs highlights, in every stage, the rows that came from
that line (sourcemap.py says how each stage maps back; LLVM only approximately, assembly not at
all). The `passes` tab is a timeline of `record.pass_records` when the pipeline has a pass
manager: pick a pass, see the unified diff of the IR it changed, optionally hide passes that
changed nothing. The rvsdg tab also draws the region graph as nested boxes.

Everything is computed in Python and shown as HTML, so the logic runs and is tested without a
browser: `Explorer.select_line(n)`, `Explorer.search(stage, text)`, `Explorer.stage_html(stage)`.
"""
from __future__ import annotations

import difflib
import html
from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets

from ..dispatch import Dispatcher, as_dispatcher, typeof
from ..ir import Module, print_module
from ..pipeline import STAGE_NAMES, CompileRecord, Options
from .regions import regions_html
from .render import code_html, view_for_stage
from .sourcemap import APPROXIMATE_STAGES, asm_line_map, has_debug_locations, ir_line_map, stage_line_maps

PASSES_TAB = "passes"


def record_for(func: Callable | Dispatcher | CompileRecord, *args) -> CompileRecord:
    """The compile record to explore: of `func` specialised to `args` (argument values, or one
    signature string such as `"float64(float64)"`); with no args, its latest specialisation."""
    if isinstance(func, CompileRecord):
        return func
    dispatcher = func if isinstance(func, Dispatcher) else as_dispatcher(func, Options())
    if dispatcher is None:
        raise TypeError(f"jitlab.explore expects a function, got {type(func).__name__}")
    if len(args) == 1 and isinstance(args[0], str):
        return dispatcher.compile(args[0]).record
    if not args:
        if dispatcher.last_compile is None:
            raise ValueError(f"{dispatcher.__name__} has not been compiled yet: pass example arguments, "
                             f"e.g. jitlab.explore({dispatcher.__name__}, 1.0)")
        return dispatcher.last_compile
    key = tuple(typeof(a) for a in args)
    found = dispatcher.overloads.get(key)
    return (found or dispatcher.compile(key)).record


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
    """The pass timeline, or [] when the pipeline records no passes."""
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


def stage_order(record: CompileRecord) -> list[str]:
    """The record's text stages in pipeline order, then any others; `passes` goes just before the
    IR they produce (`opt`), or after rvsdg in a pipeline without one."""
    known = [s for s in STAGE_NAMES if s in record.texts]
    order = known + [s for s in record.texts if s not in known]
    if "opt" in order:
        anchor = order.index("opt")
    else:
        anchor = order.index("rvsdg") + 1 if "rvsdg" in order else len(order)
    return [*order[:anchor], PASSES_TAB, *order[anchor:]]


class Explorer:
    """The explorer for one compile record; `.widget` is the ipywidgets tree it displays."""

    def __init__(self, record: CompileRecord):
        self.record = record
        self.maps = stage_line_maps(record)
        self.stages = stage_order(record)
        self.steps = pass_steps(record)
        self.highlight: frozenset[int] = frozenset()
        self.searches: dict[str, str] = {}
        first = record.func.__code__.co_firstlineno
        source_rows = record.texts.get("source", "").splitlines()
        self.line_picker = widgets.Dropdown(
            options=[("— pick a source line to highlight it in every stage —", 0)]
            + [(f"{first + i:4}: {row.strip()[:70]}", first + i) for i, row in enumerate(source_rows)
               if row.strip()],
            value=0, description="source line", layout=widgets.Layout(width="70%"),
            style={"description_width": "initial"})
        self.line_picker.observe(lambda change: self.select_line(change["new"]), names="value")
        self.html: dict[str, widgets.HTML] = {}
        self.search_boxes: dict[str, widgets.Text] = {}
        panes = [self._pane(stage) for stage in self.stages]
        self.tab = widgets.Tab(children=panes)
        self.tab.titles = tuple(self.stages)
        sig = ", ".join(map(str, record.argtypes))
        total = sum(record.timings.values())
        header = widgets.HTML(f"<b>{html.escape(record.func.__qualname__)}({html.escape(sig)})</b> — "
                              f"{len(record.texts)} stages, {total:.1f} ms")
        self.widget = widgets.VBox([header, self.line_picker, self.tab])

    # -- panes ------------------------------------------------------------------------------------
    def _pane(self, stage: str) -> widgets.Widget:
        if stage == PASSES_TAB:
            return self._passes_pane()
        box = widgets.Text(placeholder=f"search {stage}", continuous_update=False,
                           layout=widgets.Layout(width="40%"))
        box.observe(lambda change, s=stage: self.search(s, change["new"]), names="value")
        self.search_boxes[stage] = box
        self.html[stage] = widgets.HTML(self.stage_html(stage))
        children = [box, self.html[stage]]
        module = self.record.artefacts.get(stage)
        if stage == "rvsdg" and isinstance(module, Module):
            self.html["region-graph"] = widgets.HTML(regions_html(module, self.highlight))
            graph = widgets.Accordion(children=[self.html["region-graph"]], selected_index=None,
                                      titles=("region graph (γ/θ/λ as nested boxes)",))
            children.append(graph)
        return widgets.VBox(children)

    def _passes_pane(self) -> widgets.Widget:
        if not self.steps:
            self.html[PASSES_TAB] = widgets.HTML(
                "<i>No pass records: this pipeline runs no RVSDG passes yet (`record.pass_records` is "
                "absent or empty).</i>")
            return widgets.VBox([self.html[PASSES_TAB]])
        self.hide_unchanged = widgets.Checkbox(value=False, description="hide passes that changed nothing")
        self.pass_picker = widgets.Dropdown(description="pass", layout=widgets.Layout(width="60%"))
        self.html[PASSES_TAB] = widgets.HTML()
        self.hide_unchanged.observe(lambda _: self._refresh_pass_options(), names="value")
        self.pass_picker.observe(lambda _: self._show_pass(), names="value")
        self._refresh_pass_options()
        return widgets.VBox([widgets.HBox([self.pass_picker, self.hide_unchanged]), self.html[PASSES_TAB]])

    def _refresh_pass_options(self) -> None:
        steps = [s for s in self.steps if s.changed or not self.hide_unchanged.value]
        self.pass_picker.options = [(s.label, s.index) for s in steps]
        self.pass_picker.value = steps[0].index if steps else None
        self._show_pass()

    def _show_pass(self) -> None:
        index = self.pass_picker.value
        if index is None:
            self.html[PASSES_TAB].value = "<i>no pass changed the IR</i>"
            return
        step = self.steps[index]
        diff = step.diff()
        if not diff:
            self.html[PASSES_TAB].value = code_html(
                step.after, "jitlab-ir", title=f"{step.label}: IR unchanged",
                line_map=ir_line_map(step.after), highlight=self.highlight)
            return
        self.html[PASSES_TAB].value = code_html(diff, "diff", title=step.label, line_map=ir_line_map(diff),
                                                highlight=self.highlight)

    # -- what the widgets call --------------------------------------------------------------------
    def stage_html(self, stage: str) -> str:
        text = self.record.texts[stage]
        note = None
        if stage in APPROXIMATE_STAGES and not has_debug_locations(text):
            note = "source lines: approximate (by LLVM value names; no debug locations yet)"
        elif stage == "asm" and not any(asm_line_map(text)):
            note = "no source lines for assembly (the backend emits no debug locations yet)"
        view = view_for_stage(stage, text, self.record.artefacts.get(stage),
                              line_map=self.maps.get(stage, ()), highlight=self.highlight,
                              search=self.searches.get(stage, ""), note=note)
        return view._repr_html_()

    def select_line(self, line: int | None) -> None:
        """Highlight, in every stage, the rows that came from source line `line` (0/None: none)."""
        self.highlight = frozenset({line}) if line else frozenset()
        for stage in self.stages:
            if stage == PASSES_TAB:
                if self.steps:
                    self._show_pass()
                continue
            self.html[stage].value = self.stage_html(stage)
        module = self.record.artefacts.get("rvsdg")
        if "region-graph" in self.html and isinstance(module, Module):
            self.html["region-graph"].value = regions_html(module, self.highlight)
        if self.line_picker.value != (line or 0):
            self.line_picker.value = line or 0

    def search(self, stage: str, text: str) -> None:
        self.searches[stage] = text
        self.html[stage].value = self.stage_html(stage)

    def highlighted_rows(self, stage: str) -> list[int]:
        """0-based rows of `stage` that the current source line highlights."""
        return [i for i, lines in enumerate(self.maps.get(stage, ())) if lines & self.highlight]

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        return {**bundle, "text/plain": repr(self)}

    def __repr__(self) -> str:
        sig = ", ".join(map(str, self.record.argtypes))
        return f"<jitlab explorer {self.record.func.__qualname__}({sig}): {', '.join(self.stages)}>"


def explore(func: Callable | Dispatcher | CompileRecord, *args) -> Explorer:
    """Open the explorer for `func` compiled for `args` (values, or one signature string)."""
    return Explorer(record_for(func, *args))
