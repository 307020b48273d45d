"""The layer order of DESIGN.md §1, checked on the import statements of every module in jitlab/.

    errors ← ir ← frontend, passes, typing ← backend ← cache, pixie ← pipeline, dispatch ← notebook, cli

A module may import its own layer and the layers its row below allows, nothing above; every
import counts, also those inside functions or under `if TYPE_CHECKING`. Only `jitlab/notebook`
imports IPython or ipywidgets; only `jitlab/backend/cuda` imports Numba (numba-cuda's driver).
A new top-level module or package must be given a layer in `LAYER_OF` below.

Also a soft size ceiling (STYLE.md): a module over `WARN_LINES` warns, over `MAX_LINES` fails.
"""
from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "jitlab"

# The first name after `jitlab.` → its layer.  "jitlab" alone (the package root) is the top layer.
LAYER_OF = {
    "errors": "errors",
    "lazy": "errors",
    "lib": "errors",  # NumPy functions in jitlab Python: plain Python, imports no jitlab layer
    "ir": "ir",
    "frontend": "frontend",
    "passes": "passes",
    "typing": "typing",
    "backend": "backend",
    "cache": "storage",
    "pixie": "storage",
    "pipeline": "driver",
    "dispatch": "driver",
    "tiers": "driver",
    "cache_miss": "driver",
    "cuda": "driver",
    "aot": "driver",
    "notebook": "interface",
    "cli": "interface",
    "cli_cache": "interface",
    "cli_pixie": "interface",
    "demo": "interface",
    "__init__": "root",
    "__main__": "interface",
}

# Layer → the other layers it may import.
MAY_IMPORT = {
    "errors": set(),
    "ir": {"errors"},
    "frontend": {"ir", "errors"},
    "passes": {"ir", "errors"},
    "typing": {"ir", "errors"},
    "backend": {"typing", "passes", "ir", "errors"},
    "storage": {"backend", "typing", "passes", "ir", "errors"},
    "driver": {"storage", "backend", "typing", "passes", "frontend", "ir", "errors"},
    "interface": {"root", "driver", "storage", "backend", "typing", "passes", "frontend", "ir", "errors"},
    "root": {"interface", "driver", "storage", "backend", "typing", "passes", "frontend", "ir", "errors"},
}

# Third-party top-level packages → the jitlab module prefixes allowed to import them.
RESTRICTED_THIRD_PARTY = {
    "IPython": ("jitlab.notebook",),
    "ipywidgets": ("jitlab.notebook",),
    "ipykernel": ("jitlab.notebook",),
    "numba": ("jitlab.backend.cuda",),
}

WARN_LINES = 800
MAX_LINES = 1000

MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = ("jitlab", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(name: str) -> str:
    """The layer of module `jitlab.x.y` (`jitlab` itself is the root)."""
    parts = name.split(".")
    if parts == ["jitlab"]:
        return "root"
    first = parts[1]
    if first not in LAYER_OF:
        pytest.fail(f"module {name} has no layer: add {first!r} to LAYER_OF in tests/test_layering.py "
                    f"(DESIGN.md §1 says where it belongs)")
    return LAYER_OF[first]


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in the module at `path`."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module
            for alias in node.names:
                # `from . import pipeline` imports the submodule jitlab.pipeline, not the package.
                candidate = f"{base}.{alias.name}"
                is_module = candidate.startswith("jitlab.") and _exists(candidate)
                found.append((node.lineno, candidate if is_module else base))
    return found


def _exists(module: str) -> bool:
    rel = Path(*module.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").exists() or (PACKAGE / rel / "__init__.py").exists()


def _id(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_there_are_modules_to_check():
    assert len(MODULES) > 5, f"found only {len(MODULES)} modules under {PACKAGE}"


@pytest.mark.parametrize("path", MODULES, ids=_id)
def test_imports_follow_the_layer_order(path: Path):
    name = module_name(path)
    layer = layer_of(name)
    bad = []
    for line, target in imported_modules(path):
        if target != "jitlab" and not target.startswith("jitlab."):
            continue
        target_layer = layer_of(target)
        if target_layer != layer and target_layer not in MAY_IMPORT[layer]:
            bad.append(f"{_id(path)}:{line}: {name} ({layer}) imports {target} ({target_layer})")
    assert not bad, "imports against DESIGN.md §1's layer order:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", MODULES, ids=_id)
def test_restricted_third_party_imports(path: Path):
    name = module_name(path)
    bad = []
    for line, target in imported_modules(path):
        top = target.split(".")[0]
        allowed = RESTRICTED_THIRD_PARTY.get(top)
        if allowed is not None and not any(name == a or name.startswith(a + ".") for a in allowed):
            bad.append(f"{_id(path)}:{line}: imports {target}; only {', '.join(allowed)} may")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("path", MODULES, ids=_id)
def test_module_size(path: Path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{_id(path)} has {lines} lines (> {MAX_LINES}): split it by concept"
    if lines > WARN_LINES:
        warnings.warn(f"{_id(path)} has {lines} lines (> {WARN_LINES}): time to split it by concept",
                      stacklevel=1)


# The checker checks itself: a few hand-made import graphs.
@pytest.mark.parametrize(("importer", "imported", "ok"), [
    ("jitlab.ir.nodes", "jitlab.errors", True),
    ("jitlab.ir.nodes", "jitlab.ir.types", True),
    ("jitlab.ir.nodes", "jitlab.typing", False),
    ("jitlab.errors", "jitlab.ir", False),
    ("jitlab.frontend.flow", "jitlab.ir", True),
    ("jitlab.frontend.flow", "jitlab.typing", False),
    ("jitlab.typing.infer", "jitlab.frontend", False),
    ("jitlab.backend.llvm.lower", "jitlab.typing", True),
    ("jitlab.backend.llvm.lower", "jitlab.frontend", False),
    ("jitlab.backend.llvm.lower", "jitlab.pipeline", False),
    ("jitlab.pipeline", "jitlab.frontend", True),
    ("jitlab.dispatch", "jitlab.notebook", False),
    ("jitlab.dispatch", "jitlab", False),
    ("jitlab.notebook.magics", "jitlab.dispatch", True),
    ("jitlab.cli", "jitlab", True),
])
def test_layer_rules(importer: str, imported: str, ok: bool):
    a, b = layer_of(importer), layer_of(imported)
    assert (a == b or b in MAY_IMPORT[a]) is ok
