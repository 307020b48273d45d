"""`jitlab.explore(f, *args)`: an ipywidgets explorer over one compile record.

One tab per recorded stage, in pipeline order (source, bytecode, flow, regions, rvsdg, typed,
passes, opt, llvm, llvm-opt, llvm-passes, asm), each with a search box and a copy button. For a
CUDA kernel (`jitlab.cuda.kernel`, `%%jit --target cuda`) the stages after `opt` are the CUDA
ones: ptx-llvm, ptx-llvm-opt, ptx, ptx-resources (ptxas: registers, spills, shared memory) and
sass (when nvdisasm or cuobjdump is installed).

A source-line picker above the tabs highlights, in every stage, the rows that came from that
line (sourcemap.py: exact through LLVM's `!dbg` and the `.loc` directives of assembly and PTX).
Two tabs are pass timelines (timeline.py): `passes`, jitlab's RVSDG passes from
`record.pass_records`, and `llvm-passes`, LLVM's own passes of the `llvm-opt` stage (of a
kernel's `ptx-llvm-opt`; llvm_passes.py: re-run with `--print-changed` in a child process the
first time the tab is opened); pick a pass, see the unified diff of what it changed, hide the
passes that changed nothing (hidden by default for LLVM's ~130 pass runs). The rvsdg tab also
draws the region graph as nested boxes.

Everything is computed in Python and shown as HTML, so the logic runs and is tested without a
browser: `Explorer.select_line(n)`, `Explorer.search(stage, text)`, `Explorer.stage_html(stage)`,
`Explorer.open_tab(stage)`.
"""
from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from ..cuda.kernel import Kernel
from ..dispatch import Dispatcher, as_dispatcher, typeof
from ..errors import JitlabError
from ..ir import Module
from ..pipeline import STAGE_NAMES, CompileRecord, Options
from .llvm_passes import llvm_pass_runs
from .regions import regions_html
from .render import view_for_stage
from .sourcemap import (
    APPROXIMATE_STAGES, LOC_STAGES, asm_line_map, has_debug_locations, ir_line_map, llvm_diff_line_map,
    stage_line_maps,
)
from .timeline import PassStep, Timeline, pass_steps

PASSES_TAB = "passes"
LLVM_PASSES_TAB = "llvm-passes"


def record_for(func: Callable | Dispatcher | Kernel | CompileRecord, *args) -> CompileRecord:
    """The compile record to explore: of `func` specialised to `args` (argument values, or one
    signature string such as `"float64(float64)"`); with no args, its latest specialisation."""
    if isinstance(func, CompileRecord):
        return func
    if isinstance(func, Kernel):
        return _kernel_record(func, *args)
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


def _kernel_record(kern: Kernel, *args) -> CompileRecord:
    from ..dispatch import parse_signature

    if len(args) == 1 and isinstance(args[0], str):
        return kern.specialise(parse_signature(args[0])[1]).record
    if not args:
        if not kern.specialisations:
            raise ValueError(f"{kern.__name__} has not been compiled yet: pass example arguments or a "
                             f'signature, e.g. jitlab.explore({kern.__name__}, "void(float64[::1])")')
        return list(kern.specialisations.values())[-1].record
    return kern.specialise(kern.argtypes_of(args)).record


def stage_order(record: CompileRecord) -> list[str]:
    """The record's text stages in pipeline order, then any others; `passes` goes just before the
    IR they produce (`opt`), or after rvsdg in a pipeline without one; `llvm-passes` just after
    `llvm-opt` (a kernel's `ptx-llvm-opt`)."""
    known = [s for s in STAGE_NAMES if s in record.texts]
    order = known + [s for s in record.texts if s not in known]
    if "opt" in order:
        anchor = order.index("opt")
    else:
        anchor = order.index("rvsdg") + 1 if "rvsdg" in order else len(order)
    order = [*order[:anchor], PASSES_TAB, *order[anchor:]]
    for optimised in ("llvm-opt", "ptx-llvm-opt"):
        if optimised in order:
            order.insert(order.index(optimised) + 1, LLVM_PASSES_TAB)
            break
    return order


def llvm_steps(record: CompileRecord) -> list[PassStep]:
    """LLVM's pass runs of the `llvm-opt` stage as timeline steps."""
    return [PassStep(i, f"{run.name} on {run.scope}", run.before, run.after, run.changed, None)
            for i, run in enumerate(llvm_pass_runs(record))]


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
        self.timelines: dict[str, Timeline] = {}
        panes = [self._pane(stage) for stage in self.stages]
        self.tab = widgets.Tab(children=panes)
        self.tab.titles = tuple(self.stages)
        self.tab.observe(self._tab_selected, names="selected_index")
        sig = ", ".join(map(str, record.argtypes))
        total = sum(record.timings.values())
        header = widgets.HTML(f"<b>{html.escape(record.func.__qualname__)}({html.escape(sig)})</b> — "
                              f"{len(record.texts)} stages, {total:.1f} ms")
        self.widget = widgets.VBox([header, self.line_picker, self.tab])

    # -- panes ------------------------------------------------------------------------------------
    def _pane(self, stage: str) -> widgets.Widget:
        if stage == PASSES_TAB:
            return self._passes_pane()
        if stage == LLVM_PASSES_TAB:
            return self._llvm_passes_pane()
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
        self.timelines[PASSES_TAB] = timeline = Timeline(
            self.steps, language="jitlab-ir", line_map=lambda text, step: ir_line_map(text),
            empty="No pass records: the opt stage ran no RVSDG passes (`record.pass_records` is empty).")
        self.html[PASSES_TAB] = timeline.html
        self.pass_picker, self.hide_unchanged = timeline.picker, timeline.hide_unchanged
        return timeline.widget

    def _llvm_passes_pane(self) -> widgets.Widget:
        """Filled the first time the tab is opened (`open_tab`): the re-run takes a second or so."""
        self.html[LLVM_PASSES_TAB] = widgets.HTML(
            "<i>LLVM's own passes: open this tab to re-run the llvm-opt pipeline with --print-changed.</i>")
        self._llvm_box = widgets.VBox([self.html[LLVM_PASSES_TAB]])
        return self._llvm_box

    def llvm_timeline(self) -> Timeline:
        """The timeline of LLVM's passes (computed once, on first use)."""
        found = self.timelines.get(LLVM_PASSES_TAB)
        if found is not None:
            return found
        try:
            steps = llvm_steps(self.record)
        except (JitlabError, OSError) as err:
            steps, empty = [], f"could not get LLVM's pass changes: {html.escape(str(err))}"
        else:
            empty = "LLVM reported no passes"
        timeline = Timeline(steps, language="llvm", what="LLVM IR", hide_unchanged=True, empty=empty,
                            line_map=lambda text, step: llvm_diff_line_map(text, step.before, step.after))
        self.timelines[LLVM_PASSES_TAB] = timeline
        self.html[LLVM_PASSES_TAB] = timeline.html
        self._llvm_box.children = (timeline.widget,)
        return timeline

    def open_tab(self, stage: str) -> None:
        """Select `stage`'s tab (as a click on it does)."""
        self.tab.selected_index = self.stages.index(stage)

    def _tab_selected(self, change) -> None:
        index = change["new"]
        if index is not None and self.stages[index] == LLVM_PASSES_TAB:
            self.llvm_timeline()

    # -- what the widgets call --------------------------------------------------------------------
    def stage_html(self, stage: str) -> str:
        text = self.record.texts[stage]
        note = None
        if stage in APPROXIMATE_STAGES and not has_debug_locations(text):
            note = "source lines: approximate (by LLVM value names: this module has no debug locations)"
        elif stage in LOC_STAGES and not any(asm_line_map(text)):
            note = f"no source lines for {stage} (no .loc directives in it)"
        view = view_for_stage(stage, text, self.record.artefacts.get(stage),
                              line_map=self.maps.get(stage, ()), highlight=self.highlight,
                              search=self.searches.get(stage, ""), note=note)
        return view._repr_html_()

    def select_line(self, line: int | None) -> None:
        """Highlight, in every stage, the rows that came from source line `line` (0/None: none)."""
        self.highlight = frozenset({line}) if line else frozenset()
        for stage in self.stages:
            if stage in self.timelines:
                self.timelines[stage].select_line(self.highlight)
            elif stage not in (PASSES_TAB, LLVM_PASSES_TAB):
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


def explore(func: Callable | Dispatcher | Kernel | CompileRecord, *args) -> Explorer:
    """Open the explorer for `func` compiled for `args` (values, or one signature string)."""
    return Explorer(record_for(func, *args))
