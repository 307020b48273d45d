"""The explorer's widget logic without a browser: tabs, linked source lines, search, pass timeline."""
from __future__ import annotations

from dataclasses import dataclass, replace

import ipywidgets as widgets
import pytest

import jitlab
from jitlab.notebook.explorer import PASSES_TAB, Explorer, explore, pass_steps, record_for

from notebook_functions import loop_function

STAGES = ("source", "bytecode", "flow", "regions", "rvsdg", PASSES_TAB, "typed", "llvm", "llvm-opt", "asm")


@pytest.fixture
def explorer(loop_record):
    return Explorer(loop_record)


def test_tabs_for_every_stage(explorer):
    assert isinstance(explorer.widget, widgets.VBox)
    assert isinstance(explorer.tab, widgets.Tab)
    titles = list(explorer.tab.titles)
    assert set(STAGES) <= set(titles)
    assert [t for t in titles if t in STAGES and t != PASSES_TAB] == [s for s in STAGES if s != PASSES_TAB]
    # the pass timeline sits just before the IR the passes produce
    after = titles[titles.index(PASSES_TAB) - 1]
    assert after == ("typed" if "opt" in titles else "rvsdg")
    assert len(explorer.tab.children) == len(explorer.tab.titles)
    for stage in explorer.stages:
        if stage != PASSES_TAB:
            assert "jl-row" in explorer.html[stage].value
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_picking_a_source_line_highlights_every_ir_stage(explorer, loop_record):
    line = loop_record.func.__code__.co_firstlineno + 4  # s += i * 0.5
    explorer.line_picker.value = line  # as a user would, through the observer
    assert explorer.highlight == {line}
    for stage in ("source", "bytecode", "flow", "rvsdg", "typed"):
        rows = explorer.highlighted_rows(stage)
        assert rows, stage
        assert explorer.html[stage].value.count('class="jl-row jl-hl') == len(rows), stage
    assert "jl-hl" in explorer.html["region-graph"].value
    explorer.select_line(None)
    assert explorer.line_picker.value == 0
    assert "jl-hl" not in explorer.html["typed"].value.split("</style>", 1)[1]


def test_search_box_marks_matches(explorer):
    explorer.search_boxes["llvm-opt"].value = "fadd"
    page = explorer.html["llvm-opt"].value
    assert page.count('jl-match"') >= 1 and "for “fadd”" in page


def test_llvm_and_asm_map_by_debug_locations(explorer, loop_record):
    """The backend emits `!dbg` locations, so LLVM and assembly rows map exactly (`.loc`)."""
    assert "approximate" not in explorer.html["llvm-opt"].value
    assert "no source lines for assembly" not in explorer.html["asm"].value
    explorer.line_picker.value = loop_record.func.__code__.co_firstlineno + 4  # s += i * 0.5
    for stage in ("llvm", "llvm-opt", "asm"):
        assert explorer.highlighted_rows(stage), stage


def test_no_pass_records_says_so(loop_record):
    e = Explorer(loop_record)
    if not pass_steps(loop_record):
        assert "No pass records" in e.html[PASSES_TAB].value


@dataclass(frozen=True)
class FakePassRecord:  # the shape of jitlab.passes.manager.PassRecord
    name: str
    before: str
    after: str
    time_ms: float
    changed: bool


def test_pass_timeline(loop_record):
    typed = loop_record.texts["rvsdg"]
    shorter = "\n".join(row for row in typed.splitlines() if "py.const {value = 3}" not in row) + "\n"
    record = replace(loop_record)
    record.pass_records = [FakePassRecord("cne", typed, typed, 0.1, False),
                           FakePassRecord("dne", typed, shorter, 0.2, True)]
    e = Explorer(record)
    assert [label for label, _ in e.pass_picker.options] == ["1. cne (no change, 0.10 ms)",
                                                            "2. dne (changed, 0.20 ms)"]
    assert "IR unchanged" in e.html[PASSES_TAB].value
    e.pass_picker.value = 1
    assert "py.const" in e.html[PASSES_TAB].value and "before dne" in e.html[PASSES_TAB].value
    e.hide_unchanged.value = True
    assert [index for _, index in e.pass_picker.options] == [1]


def test_explore_accepts_values_signatures_and_dispatchers():
    jitted = jitlab.jit(loop_function)
    assert record_for(jitted, 5).argtypes == (jitlab.ir.I64,)
    assert record_for(jitted, "float64(int64)").argtypes == (jitlab.ir.I64,)
    assert record_for(jitted).func is loop_function
    assert isinstance(explore(loop_function, 3), Explorer)
    with pytest.raises(ValueError, match="not been compiled"):
        record_for(jitlab.jit(lambda x: x))
