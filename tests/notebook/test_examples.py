"""Every notebook in examples/ runs top to bottom in an IPython shell, as a kernel would run it.

A code cell tagged `raises-exception` (the Jupyter convention) must fail; every other cell must
succeed. The cells run in a fresh `InteractiveShell` namespace per notebook, without a kernel
process, so this needs IPython only.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))


def code_cells(path: Path) -> list[tuple[int, str, bool]]:
    """(index, source, expected to raise) for each code cell."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4
    cells = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            raises = "raises-exception" in cell.get("metadata", {}).get("tags", [])
            cells.append((i, source, raises))
    return cells


def test_there_are_examples():
    assert NOTEBOOKS, f"no notebooks in {EXAMPLES}"


@pytest.fixture
def keep_cache_dir():
    """A notebook may point the cache elsewhere (cache.ipynb does): put the suite's folder back."""
    import jitlab.cache

    root = jitlab.cache.get_store().root
    yield
    jitlab.cache.set_cache_dir(root)


@pytest.fixture
def keep_pass_registry():
    """A notebook may register passes of its own (custom_pass.ipynb): gone after the test, so later
    tests that run every registered pass see only jitlab's."""
    from jitlab.passes import base

    saved = dict(base._REGISTRY)
    yield
    base._REGISTRY.clear()
    base._REGISTRY.update(saved)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path: Path, ipython_shell, capsys, keep_cache_dir, keep_pass_registry):
    ip = ipython_shell
    ip.reset(new_session=True)
    for index, source, raises in code_cells(path):
        result = ip.run_cell(source)
        out = capsys.readouterr()
        where = f"{path.name} cell {index}:\n{source}\n--- output ---\n{out.out}{out.err}"
        if raises:
            assert not result.success, f"expected an error in {where}"
        else:
            assert result.success, f"failed: {where}"


def run_in_kernel(path: Path, cache_home: Path):
    """Execute the notebook in a fresh `python3` kernel (nbclient); jitlab's cache under `cache_home`
    (`XDG_CACHE_HOME`), never the user's own. Returns the executed notebook."""
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    repo = EXAMPLES.parent
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=120,
                                     resources={"metadata": {"path": str(repo)}})
    pythonpath = os.pathsep.join(p for p in (str(repo), os.environ.get("PYTHONPATH")) if p)
    client.execute(env={**os.environ, "PYTHONPATH": pythonpath, "XDG_CACHE_HOME": str(cache_home)})
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_a_kernel(path: Path, tmp_path: Path):
    """The same notebook through nbclient and a real `python3` kernel, as JupyterLab runs it."""
    nb = run_in_kernel(path, tmp_path)
    mimes = {mime for cell in nb.cells if cell.cell_type == "code"
             for out in cell.get("outputs", []) for mime in out.get("data", {})}
    if any(cell.source.startswith("%%jit") for cell in nb.cells if cell.cell_type == "code"):
        assert "text/html" in mimes  # the %%jit summary table at least
    if path.name == "performance.ipynb":
        assert "image/svg+xml" in mimes  # the bar chart
    if path.name == "explorer.ipynb":
        assert {"application/vnd.jupyter.widget-view+json", "application/vnd.jitlab.regions+json"} <= mimes


def compiled_rows(nb) -> list[str]:
    """The rows of the `%%jit` summaries for compiled signatures (lazy functions have none yet)."""
    texts = [out.get("data", {}).get("text/plain", "") for cell in nb.cells if cell.cell_type == "code"
             for out in cell.get("outputs", [])]
    summaries = [text for text in texts if text.startswith("jitlab: ")]
    return [row for text in summaries for row in text.splitlines()[1:] if "->" in row]


@pytest.mark.slow
def test_a_restarted_kernel_runs_the_quickstart_from_the_cache(tmp_path: Path):
    """Issue 7: the second kernel compiles nothing: every summary row says `cache hit`."""
    first = compiled_rows(run_in_kernel(EXAMPLES / "quickstart.ipynb", tmp_path))
    assert first and all("cache miss" in row for row in first), first
    second = compiled_rows(run_in_kernel(EXAMPLES / "quickstart.ipynb", tmp_path))
    assert len(second) == len(first)
    assert all(row.endswith("cache hit") for row in second), second
