"""The suite's own selection rules (tests/conftest.py) stay true as files move."""
from __future__ import annotations

import sys
from pathlib import Path

import importlib.util

ROOT = Path(__file__).resolve().parent.parent


def _load_suite_conftest():
    # By file, not `import conftest`: other folders' conftest.py files may own that module name.
    spec = importlib.util.spec_from_file_location("jitlab_suite_conftest", ROOT / "tests" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


conftest = _load_suite_conftest()


def test_edge_version_suites_exist():
    # A renamed suite would silently run everywhere again (or, worse, a typo would hide nothing
    # and look deliberate): every listed path must be a test file.
    for rel in conftest.EDGE_VERSION_ONLY:
        path = ROOT / rel
        assert path.is_file() and path.name.startswith("test_"), rel


def test_frontend_suites_run_under_every_version():
    # Issue 3: the frontend and differential suites and the fuzzer run under all four versions.
    for rel in conftest.EDGE_VERSION_ONLY:
        assert not rel.startswith("tests/frontend/"), rel
        assert Path(rel).name not in ("test_differential.py", "test_fuzz.py", "test_three_way.py")


class _Hook:
    def __init__(self):
        self.deselected = []

    def pytest_deselected(self, items):
        self.deselected.extend(items)


class _Config:
    def __init__(self):
        self.hook = _Hook()


class _Item:
    def __init__(self, rel):
        self.fspath = ROOT / rel


def test_middle_versions_deselect_exactly_the_listed_suites(monkeypatch):
    listed = conftest.EDGE_VERSION_ONLY[0]
    items = [_Item("tests/test_layering.py"), _Item(listed)]
    monkeypatch.delenv("JITLAB_ALL_VERSIONS", raising=False)
    monkeypatch.setattr(conftest, "EDGE_VERSIONS", ())  # as if under a middle version
    config = _Config()
    conftest.pytest_collection_modifyitems(config, items)
    assert [str(i.fspath) for i in items] == [str(ROOT / "tests/test_layering.py")]
    assert len(config.hook.deselected) == 1 and config._jitlab_edge_deselected == 1

    monkeypatch.setenv("JITLAB_ALL_VERSIONS", "1")
    items = [_Item(listed), _Item("tests/test_layering.py")]
    conftest.pytest_collection_modifyitems(_Config(), items)
    assert len(items) == 2

    monkeypatch.delenv("JITLAB_ALL_VERSIONS")
    monkeypatch.setattr(conftest, "EDGE_VERSIONS", (sys.version_info[:2],))
    items = [_Item(listed)]
    conftest.pytest_collection_modifyitems(_Config(), items)
    assert len(items) == 1
