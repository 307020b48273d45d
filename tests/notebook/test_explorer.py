"""The explorer's widget logic without a browser: tabs, linked source lines, search, pass timeline."""
from __future__ import annotations

from dataclasses import dataclass, replace

import ipywidgets as widgets
import pytest

import jitlab
from jitlab.notebook.explorer import LLVM_PASSES_TAB, PASSES_TAB, Explorer, explore, pass_steps, record_for
from jitlab.notebook.llvm_passes import parse_print_changed

from notebook_functions import loop_function

STAGES = ("source", "bytecode", "flow", "regions", "rvsdg", PASSES_TAB, "typed", "llvm", "llvm-opt",
          LLVM_PASSES_TAB, "asm")
TIMELINES = (PASSES_TAB, LLVM_PASSES_TAB)


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
        if stage not in TIMELINES:
            assert "jl-row" in explorer.html[stage].value
            assert 'class="jl-copy"' in explorer.html[stage].value  # every stage has a copy button
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


def test_pass_timeline_search_marks_matches(loop_record):
    typed = loop_record.texts["rvsdg"]
    record = replace(loop_record)
    record.pass_records = [FakePassRecord("dne", typed, typed.replace("py.const", "py.konst"), 0.2, True)]
    e = Explorer(record)
    timeline = e.timelines[PASSES_TAB]
    timeline.search_box.value = "konst"
    assert "for “konst”" in e.html[PASSES_TAB].value and 'jl-match"' in e.html[PASSES_TAB].value


PRINT_CHANGED = """*** IR Dump At Start ***
define i64 @f() {
  %a = add i64 1, 2
  ret i64 %a
}
*** IR Dump After AlwaysInlinerPass on [module] omitted because no change ***
*** IR Dump After RequireAnalysisPass<llvm::GlobalsAA, llvm::Module> on [module] omitted because no change ***
*** IR Dump After InstCombinePass on f ***
define i64 @f() {
  ret i64 3
}
*** IR Dump After LICMPass on loop %ok in function f omitted because no change ***
"""


def test_parse_print_changed_pairs_each_pass_with_the_module_before_and_after():
    runs = parse_print_changed(PRINT_CHANGED)
    assert [(r.name, r.scope, r.changed) for r in runs] == [
        ("AlwaysInlinerPass", "[module]", False),
        ("RequireAnalysisPass<llvm::GlobalsAA, llvm::Module>", "[module]", False),
        ("InstCombinePass", "f", True),
        ("LICMPass", "loop %ok in function f", False)]
    combine = runs[2]
    assert "add i64 1, 2" in combine.before and "ret i64 3" in combine.after
    assert runs[3].before == runs[3].after == combine.after


def test_llvm_pass_timeline_opens_with_the_tab(loop_record):
    """LLVM's own passes (--print-changed in a child process), unchanged passes hidden."""
    e = Explorer(loop_record)
    assert LLVM_PASSES_TAB not in e.timelines  # nothing runs until the tab is opened
    e.open_tab(LLVM_PASSES_TAB)
    timeline = e.timelines[LLVM_PASSES_TAB]
    assert len(timeline.steps) > 20 and any(s.changed for s in timeline.steps)
    assert not all(s.changed for s in timeline.steps)
    shown = [index for _, index in timeline.picker.options]
    assert shown and all(timeline.steps[i].changed for i in shown)  # "hide unchanged" is on
    assert any("InstCombinePass" in s.name for s in timeline.steps)
    assert "before " in e.html[LLVM_PASSES_TAB].value   # the first changed pass's diff
    last = [s for s in timeline.steps if s.changed][-1].after

    def code(text):  # the functions, without the module header LLVM's dump and llvmlite write differently
        return [row for row in text.splitlines() if row.startswith(("define", "  "))]

    assert code(last) == code(loop_record.texts["llvm-opt"])  # the re-run reproduces the llvm-opt stage
    # picking a source line highlights the diff rows that came from it (by their !dbg locations)
    e.line_picker.value = loop_record.func.__code__.co_firstlineno + 4  # s += i * 0.5
    highlighted = []
    for _, index in timeline.picker.options:
        timeline.picker.value = index
        highlighted.append("jl-row jl-hl" in timeline.html.value)
    assert any(highlighted) and not all(highlighted)
    timeline.hide_unchanged.value = False
    assert len(timeline.picker.options) == len(timeline.steps)


def test_kernel_explorer_has_ptx_tabs_linked_to_source_lines():
    """A CUDA kernel: PTX (with .loc from the NVPTX debug locations), ptxas resources, no CPU stages."""
    np = pytest.importorskip("numpy")
    from jitlab import cuda
    from jitlab.backend.cuda import ptxas

    @cuda.kernel
    def vector_add(x, y, out):
        i = cuda.grid(1)
        if i < len(out):
            out[i] = x[i] + y[i]

    x = np.arange(8.0)
    e = explore(vector_add, x, x, np.zeros(8))
    assert {"ptx-llvm", "ptx-llvm-opt", "ptx"} <= set(e.stages)
    assert "asm" not in e.stages
    assert e.stages.index(LLVM_PASSES_TAB) == e.stages.index("ptx-llvm-opt") + 1
    assert ("ptx-resources" in e.stages) == (ptxas.ptxas_path() is not None)
    assert ".loc" in e.record.texts["ptx"]
    assert "no source lines" not in e.html["ptx"].value
    body_line = next(i for i, row in enumerate(e.record.texts["source"].splitlines()) if "out[i] =" in row)
    e.line_picker.value = e.record.func.__code__.co_firstlineno + body_line
    rows = e.record.texts["ptx"].splitlines()
    assert any("add.rn.f64" in rows[i] for i in e.highlighted_rows("ptx"))
    llvm_rows = e.record.texts["ptx-llvm-opt"].splitlines()
    assert any("fadd" in llvm_rows[i] for i in e.highlighted_rows("ptx-llvm-opt"))
    assert 'class="jl-copy"' in e.html["ptx"].value
    e.search_boxes["ptx"].value = "ld.global"
    assert "for “ld.global”" in e.html["ptx"].value

    # LLVM's own passes over the kernel module (ptx.optimize re-run with --print-changed)
    e.open_tab(LLVM_PASSES_TAB)
    timeline = e.timelines[LLVM_PASSES_TAB]
    changed = [s for s in timeline.steps if s.changed]
    assert changed and f"@{vector_add.entry_name}(" in changed[-1].after.replace('"', "")
    assert "ptx_kernel" in changed[-1].after


def test_kernel_with_math_says_why_it_has_no_llvm_pass_timeline():
    np = pytest.importorskip("numpy")
    from jitlab import cuda
    from jitlab.backend.cuda import ptx

    if ptx.libdevice_path() is None:
        pytest.skip("libdevice (pip nvidia-cuda-nvcc-cu12) missing")

    @cuda.kernel
    def sines(x, out):
        i = cuda.grid(1)
        if i < len(out):
            out[i] = cuda.math.sin(x[i])

    e = explore(sines, np.zeros(4), np.zeros(4))
    e.open_tab(LLVM_PASSES_TAB)
    assert "libdevice" in e.html[LLVM_PASSES_TAB].value
