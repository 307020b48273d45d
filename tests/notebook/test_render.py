"""Every renderer's mimebundle: its keys and what the HTML and the regions JSON hold."""
from __future__ import annotations

import json

import pytest

from jitlab.ir import Module
from jitlab.notebook import (
    REGIONS_MIME, Annotation, AsmView, CompileSummary, IRView, LLVMView, RegionsView, SourceView, StageView,
    regions_json,
)
from jitlab.notebook.render import code_html, view_for_stage
from jitlab.notebook.sourcemap import stage_line_maps
from jitlab.notebook.summary import SummaryRow


def body_line(record) -> int:
    """The line of `s += i * 0.5` in conftest.loop_function."""
    return record.func.__code__.co_firstlineno + 4


@pytest.mark.parametrize(("cls", "stage"), [(SourceView, "source"), (IRView, "typed"), (LLVMView, "llvm-opt"),
                                            (AsmView, "asm"), (StageView, "bytecode")])
def test_views_have_plain_and_html(loop_record, cls, stage):
    text = loop_record.texts[stage]
    bundle = cls(text)._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/plain"] == text
    assert bundle["text/html"].count('class="jl-row') == len(text.splitlines())
    assert "<style>" in bundle["text/html"] and "navigator.clipboard" in bundle["text/html"]


def test_ir_view_of_a_module_carries_the_region_graph(loop_record):
    bundle = IRView(loop_record.artefacts["typed"])._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", REGIONS_MIME}
    assert bundle["text/plain"] == loop_record.texts["typed"]
    assert bundle[REGIONS_MIME]["schema"] == "jitlab.regions/1"


def test_highlight_and_search_mark_rows(loop_record):
    maps = stage_line_maps(loop_record)
    view = view_for_stage("typed", loop_record.texts["typed"], loop_record.artefacts["typed"],
                          line_map=maps["typed"], highlight={body_line(loop_record)}, search="py.binop")
    page = view._repr_html_()
    highlighted = sum(1 for lines in maps["typed"] if body_line(loop_record) in lines)
    assert highlighted >= 2  # `i * 0.5` and `s + ...`
    assert page.count('class="jl-row jl-hl') == highlighted
    binops = loop_record.texts["typed"].count("py.binop")
    assert f"{binops} matches" in page


def test_code_html_escapes_and_tags_source_lines():
    page = code_html("a < b\n%x = <tag>", "text", line_map=[frozenset({3}), frozenset()])
    assert "&lt;tag&gt;" in page and "<tag>" not in page.split("</style>", 1)[1].replace("<textarea", "")
    assert 'data-src="3"' in page


def test_regions_json_is_a_consistent_graph(loop_record):
    data = json.loads(json.dumps(regions_json(loop_record.artefacts["typed"])))
    nodes = {n["id"]: n for n in data["nodes"]}
    regions = {r["id"]: r for r in data["regions"]}
    kinds = [n["kind"] for n in data["nodes"]]
    assert kinds.count("lambda") == 1 and kinds.count("theta") == 1 and kinds.count("gamma") == 2
    assert data["functions"] == [{"name": "loop_function", "node": "n0"}]
    for region in data["regions"]:
        assert region["id"] in nodes[region["owner"]]["regions"]
        for nid in region["nodes"]:
            assert nodes[nid]["region"] == region["id"]
    for edge in data["edges"]:
        region = regions[edge["region"]]
        source, target = edge["from"], edge["to"]
        if "param" in source:
            assert region["params"][source["param"]]["name"] == edge["value"]
        else:
            assert nodes[source["node"]]["outputs"][source["port"]]["name"] == edge["value"]
        if "result" in target:
            assert region["results"][target["result"]] == edge["value"]
        else:
            assert nodes[target["node"]]["inputs"][target["port"]] == edge["value"]
    binop_lines = {n["line"] for n in data["nodes"] if n.get("op") == "py.binop"}
    assert body_line(loop_record) in binop_lines


def test_regions_view_draws_nested_boxes(loop_record):
    view = RegionsView(loop_record.artefacts["typed"], highlight={body_line(loop_record)})
    bundle = view._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", REGIONS_MIME}
    page = bundle["text/html"]
    assert page.count('class="jl-theta') == 1 and page.count('class="jl-gamma') == 2
    assert "λ loop_function" in page and "py.binop" in page
    assert "jl-hl" in page
    # the γ boxes are inside the θ box: the θ opens before the first γ and closes after the last
    theta = page.index('class="jl-theta')
    assert theta < page.index('class="jl-gamma')
    assert page.rindex("</details>") > page.rindex('class="jl-gamma')


def test_annotation(loop_record):
    bundle = Annotation(loop_record)._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert "s += i * 0.5" in bundle["text/plain"]
    page = bundle["text/html"]
    assert page.count("<details>") == len(loop_record.texts["source"].splitlines())
    assert "py.binop" in page and "background:rgba" in page


def test_summary(loop_record):
    summary = CompileSummary([SummaryRow("loop_function", "loop_function(i64) -> f64", loop_record),
                              SummaryRow("later", None, None)], ("a note",))
    bundle = summary._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert "loop_function(i64) -> f64" in bundle["text/plain"] and "lazy" in bundle["text/plain"]
    assert "<table" in bundle["text/html"] and "<th>llvm-opt</th>" in bundle["text/html"]
    assert "a note" in bundle["text/html"]


def test_loaded_extension_formats_ir_modules(ipython_shell, loop_record):
    module = loop_record.artefacts["typed"]
    assert isinstance(module, Module)
    data, _ = ipython_shell.display_formatter.format(module)
    assert {"text/plain", "text/html", REGIONS_MIME} <= set(data)
    assert data["text/plain"] == loop_record.texts["typed"]
