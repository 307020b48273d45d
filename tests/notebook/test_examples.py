"""Every notebook in examples/ runs top to bottom in an IPython shell, as a kernel would run it.

A code cell tagged `raises-exception` (the Jupyter convention) must fail; every other cell must
succeed. The cells run in a fresh `InteractiveShell` namespace per notebook, without a kernel
process, so this needs IPython only.
"""
from __future__ import annotations

import json
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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path: Path, ipython_shell, capsys):
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
