"""binder/ runs the examples on mybinder.org: its files are well formed, repo2docker reads them, and
an environment built the way repo2docker builds it runs the quick-start notebook.

repo2docker installs binder/requirements.txt into the Python binder/runtime.txt names, then runs
binder/postBuild (which installs jitlab from the checkout, building its JupyterLab extension).
The slow test does the same in a fresh virtual environment, without Docker.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BINDER = REPO / "binder"


def _requires_python_min() -> tuple[int, int]:
    spec = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    major, minor = re.fullmatch(r">=\s*(\d+)\.(\d+)", spec.strip()).groups()
    return int(major), int(minor)


def _requirement_lines() -> list[str]:
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def test_runtime_names_a_supported_python():
    text = (BINDER / "runtime.txt").read_text()
    match = re.fullmatch(r"python-(\d+)\.(\d+)\n?", text)
    assert match, f"binder/runtime.txt must be `python-X.Y`, got {text!r}"
    version = (int(match[1]), int(match[2]))
    assert version >= _requires_python_min()
    classifiers = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["classifiers"]
    assert f"Programming Language :: Python :: {version[0]}.{version[1]}" in classifiers


def test_requirements_are_valid_requirements():
    from packaging.requirements import Requirement

    names = {Requirement(line).name.lower() for line in _requirement_lines()}  # raises on a bad line
    assert {"jupyterlab", "ipywidgets"} <= names
    assert "jitlab" not in names, "postBuild installs jitlab from the checkout"


def test_post_build_is_an_executable_bash_script_that_installs_the_checkout():
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable"
    mode = subprocess.run(["git", "ls-files", "-s", "binder/postBuild"], cwd=REPO, capture_output=True,
                          text=True).stdout.split()
    if mode:  # committed: the executable bit is what a clone gets
        assert mode[0] == "100755", f"binder/postBuild is committed with mode {mode[0]}"
    text = post_build.read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert re.search(r"^python -m pip install .*\s\.$", text, re.MULTILINE), "postBuild must `pip install .`"
    subprocess.run(["bash", "-n", str(post_build)], check=True)


def test_repo2docker_reads_the_configuration():
    """`repo2docker --no-build` turns binder/ into a Dockerfile (no Docker needed)."""
    if shutil.which("repo2docker", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                            os.environ.get("PATH", "")])) is None:
        pytest.skip("jupyter-repo2docker is not installed (pip install -e '.[binder]')")
    exe = Path(sys.executable).parent / "repo2docker"
    out = subprocess.run([str(exe if exe.exists() else "repo2docker"), "--no-build", "--no-run", "--debug",
                          str(REPO)], capture_output=True, text=True, timeout=120)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log
    runtime = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    assert f"python={runtime}" in log
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in log
    assert "./binder/postBuild" in log


@pytest.mark.slow
def test_binder_environment_runs_the_quickstart(request):
    """A fresh venv, built as repo2docker would: requirements, postBuild; then the quick-start runs
    in a kernel of that environment and JupyterLab there lists jitlab's extension.

    Opt-in (`pytest --binder-build`, `make binder-check`): it downloads and builds a whole
    environment (about 4 minutes), which would crowd `make test`'s CI budget."""
    if not request.config.getoption("--binder-build"):
        pytest.skip("builds a whole Binder environment: run with --binder-build (make binder-check)")
    if sys.version_info[:2] != (3, 11):
        pytest.skip("checked once, under Python 3.11 (binder/runtime.txt)")
    if shutil.which("npm") is None:
        pytest.skip("npm is missing: postBuild's `pip install .` needs it to build the lab extension")
    home = Path(tempfile.mkdtemp(prefix="jitlab-binder-"))
    try:
        venv = home / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        env = {**os.environ, "PATH": os.pathsep.join([str(venv / "bin"), os.environ["PATH"]]),
               "VIRTUAL_ENV": str(venv), "JUPYTER_CONFIG_DIR": str(home / "config"),
               "JUPYTER_DATA_DIR": str(home / "data"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
               "XDG_CACHE_HOME": str(home / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        env.pop("PYTHONPATH", None)

        def run(*cmd: str, timeout: int = 400) -> str:
            done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
            output = f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
            assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{output}"
            return done.stdout + done.stderr

        run(str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-r", "binder/requirements.txt")
        run(str(BINDER / "postBuild"))
        listing = run(str(venv / "bin" / "jupyter"), "labextension", "list")
        assert re.search(r"jitlab v\S+ .*enabled.*OK", listing), listing
        notebook = home / "quickstart.ipynb"
        shutil.copy(REPO / "examples" / "quickstart.ipynb", notebook)
        run(str(venv / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--inplace",
            "--ExecutePreprocessor.timeout=180", "--ExecutePreprocessor.kernel_name=python3", str(notebook))
        assert "application/vnd.jitlab.regions+json" in notebook.read_text()
    finally:
        shutil.rmtree(home, ignore_errors=True)
