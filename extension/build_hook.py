"""Build the JupyterLab extension while hatchling builds a wheel (hatch-jupyter-builder's hook).

pyproject.toml names `build_labextension` as the hook's build function. A wheel (standard or
editable) needs the built extension in jitlab/labextension/, which the wheel installs to
share/jupyter/labextensions/jitlab. The built files are not committed, so building a wheel from
a checkout or an sdist needs Node.js >= 18 and npm, which fetch the npm packages pinned by
extension/package-lock.json from the npm registry (`npm ci`, then `npm run build:prod`: tsc and
`jupyter-builder build`). Without npm the build stops and says so. An sdist carries the
TypeScript sources only. A second build with unchanged sources reuses the built files.

From a checkout, `python extension/build_hook.py --develop PREFIX` rebuilds what changed and makes
PREFIX/share/jupyter/labextensions/jitlab a link to jitlab/labextension, so JupyterLab in that
environment always serves the latest build (`make lab` and scripts/test.sh do this for .venv).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "jitlab" / "labextension"
SOURCES = ("src", "style", "package.json", "package-lock.json", "tsconfig.json")
MIN_NODE = 18


class LabExtensionBuildError(RuntimeError):
    pass


def _newest_mtime(path: Path) -> float:
    if path.is_file():
        return path.stat().st_mtime
    return max((p.stat().st_mtime for p in path.rglob("*") if p.is_file()), default=0.0)


def _up_to_date() -> bool:
    marker = OUTPUT / "package.json"
    if not marker.exists() or not (OUTPUT / "static").is_dir():
        return False
    built = marker.stat().st_mtime
    return all(_newest_mtime(HERE / s) <= built for s in SOURCES if (HERE / s).exists())


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise LabExtensionBuildError(
            f"building jitlab's JupyterLab extension needs `{name}` (Node.js >= {MIN_NODE} with npm) "
            f"on PATH, and it was not found. Install Node.js (e.g. `apt-get install nodejs npm`, or "
            f"from nodejs.org) and build again, or set HATCH_JUPYTER_BUILDER_SKIP_NPM=1 to build jitlab "
            f"without the extension (notebooks then show the region graph as HTML boxes).")
    return found


def _run(cmd: list[str], env: dict[str, str]) -> None:
    print("jitlab labextension:", " ".join(cmd), flush=True)
    try:
        subprocess.run(cmd, cwd=HERE, env=env, check=True)
    except subprocess.CalledProcessError as e:
        raise LabExtensionBuildError(
            f"`{' '.join(cmd)}` failed with exit code {e.returncode} in {HERE}") from e


def build_labextension(target_name: str, version: str, force: str = "False", **_: object) -> None:
    """hatch-jupyter-builder build function: (re)build jitlab/labextension/ when its sources changed."""
    if os.environ.get("HATCH_JUPYTER_BUILDER_SKIP_NPM") == "1":
        print("jitlab labextension: HATCH_JUPYTER_BUILDER_SKIP_NPM=1, not building the extension", flush=True)
        return
    if target_name == "sdist":
        return  # the sdist ships extension/ as source; its wheel builds it
    if force != "True" and _up_to_date():
        print(f"jitlab labextension: {OUTPUT} is up to date", flush=True)
        return
    node, npm = _tool("node"), _tool("npm")
    major = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip().lstrip("v")
    if not major.split(".")[0].isdigit() or int(major.split(".")[0]) < MIN_NODE:
        raise LabExtensionBuildError(
            f"jitlab's JupyterLab extension needs Node.js >= {MIN_NODE}, found {major!r}")
    env = dict(os.environ)
    # `jupyter-builder` comes with the build requirements; put this interpreter's scripts first
    # so an unactivated virtual environment (pip install --no-build-isolation) finds it too.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    if shutil.which("jupyter-builder", path=env["PATH"]) is None:
        raise LabExtensionBuildError("jitlab's JupyterLab extension needs the Python package jupyter-builder "
                                     "(a build requirement in pyproject.toml) to build")
    lock = HERE / "node_modules" / ".package-lock.json"
    if not lock.exists() or lock.stat().st_mtime < (HERE / "package-lock.json").stat().st_mtime:
        _run([npm, "ci", "--no-audit", "--no-fund"], env)
    _run([npm, "run", "build:prod"], env)
    if not (OUTPUT / "package.json").exists():
        raise LabExtensionBuildError(f"the extension build finished without writing {OUTPUT}/package.json")
    shutil.copy2(HERE / "install.json", OUTPUT / "install.json")


def develop(prefix: Path) -> Path:
    """Link PREFIX's installed copy of the extension to the build in this checkout."""
    target = prefix / "share" / "jupyter" / "labextensions" / "jitlab"
    if target.is_symlink() and target.resolve() == OUTPUT.resolve():
        return target
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(OUTPUT, target_is_directory=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(
        description="build jitlab's JupyterLab extension when its sources changed")
    parser.add_argument("--force", action="store_true", help="build even when the build is up to date")
    parser.add_argument("--develop", metavar="PREFIX", type=Path,
                        help="then link PREFIX/share/jupyter/labextensions/jitlab to the build")
    args = parser.parse_args()
    try:
        build_labextension("wheel", "standard", force=str(args.force))
    except LabExtensionBuildError as e:
        raise SystemExit(f"error: {e}") from None
    if args.develop:
        print(f"jitlab labextension: {develop(args.develop)} -> {OUTPUT}")


if __name__ == "__main__":
    main()
