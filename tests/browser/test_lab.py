"""JupyterLab in a real browser: the quick-start notebook runs and jitlab's extension draws its region graph.

The test starts JupyterLab on 127.0.0.1 (a free port, a random token, private config, data, runtime,
settings, workspace and cache folders given to that process only), drives Debian's Chromium through
Playwright (never a browser Playwright downloads), runs examples/quickstart.ipynb (a copy, so the
repository's notebook stays unexecuted) and checks what a reader sees:

- the `RegionsView` cell is drawn by the extension: SVG nodes, regions nested in regions;
- hovering a node highlights its line in the source panel;
- clicking a region folds it (fewer nodes drawn), clicking the folded box unfolds it;
- the explorer widget switches tabs.

A screenshot of the region graph goes to .ci-cache/screenshots/region-graph.png, and with `--bless`
to docs/screenshots/region-graph.png, the one the README shows.

Everything started here stops at the end, on failure, and when the test process is terminated:
JupyterLab runs in its own process group, which a `finally`, an `atexit` hook and a SIGTERM
handler kill together with every process below it (kernels run in their own sessions); a Linux
parent-death signal ends JupyterLab even if pytest is killed outright, and its kernels follow
their parent.
"""
from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "examples" / "quickstart.ipynb"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
EXPLORER_SCREENSHOT = "explorer.png"
SCREENSHOT = "region-graph.png"
START_TIMEOUT_S = 90
RUN_TIMEOUT_MS = 120_000


def _requirements() -> str | None:
    """Why the test cannot run here, or None."""
    if sys.version_info[:2] != (3, 11):
        return "the browser test runs under Python 3.11 only (scripts/test.sh installs its extra there)"
    for module in ("playwright", "jupyterlab"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (pip install -e '.[test,browser]')"
    if not CHROMIUM.exists():
        return f"Debian's Chromium is missing ({CHROMIUM}; apt-get install -y chromium)"
    from jupyterlab.labextensions import LabExtensionApp  # noqa: F401  (jupyterlab imports)

    labext = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "jitlab" / "package.json"
    if not labext.exists():
        return f"jitlab's lab extension is not installed ({labext}); pip install -e . builds it"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child before exec: Linux sends SIGKILL to it when the test process dies."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (from /proc), deepest last."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class JupyterLab:
    """A JupyterLab server of our own; `stop()` ends it and everything it started."""

    def __init__(self, root: Path, home: Path):
        self.root = root
        self.port = _free_port()
        self.token = secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        names = ("config", "data", "runtime", "ipython", "settings", "workspaces", "cache")
        dirs = {name: home / name for name in names}
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        # No news/update prompts over the notebook (read from the private config folder).
        (dirs["config"] / "labconfig").mkdir()
        (dirs["config"] / "labconfig" / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
        self.env = {**os.environ,
                    "JUPYTER_CONFIG_DIR": str(dirs["config"]), "JUPYTER_DATA_DIR": str(dirs["data"]),
                    "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]), "IPYTHONDIR": str(dirs["ipython"]),
                    "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
                    "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
                    "XDG_CACHE_HOME": str(dirs["cache"]),  # jitlab's compile cache starts empty
                    "JUPYTER_PLATFORM_DIRS": "1", "PYTHONUNBUFFERED": "1"}
        self.log = (home / "jupyterlab.log").open("w")
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.root}",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.news_url=None", "--LabApp.extension_manager=readonly"]
        if os.geteuid() == 0:  # CI containers run as root
            cmd.append("--allow-root")
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=self.env, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.proc.returncode}:\n{self.log_text()}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2) as r:
                    if r.status == 200:
                        return
            time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not answer within {START_TIMEOUT_S}s:\n{self.log_text()}")

    def log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-6000:]

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        below = _descendants(proc.pid)  # kernels live in sessions of their own: collect them first
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=8)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
        for pid in below:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        self.log.close()


@contextlib.contextmanager
def running_lab(root: Path, home: Path) -> Iterator[JupyterLab]:
    lab = JupyterLab(root, home)
    atexit.register(lab.stop)
    previous = signal.getsignal(signal.SIGTERM)

    def on_sigterm(signum, frame):
        lab.stop()
        signal.signal(signal.SIGTERM, previous if callable(previous) else signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        lab.start()
        yield lab
    finally:
        lab.stop()
        signal.signal(signal.SIGTERM, previous)
        atexit.unregister(lab.stop)


@pytest.fixture
def lab() -> Iterator[JupyterLab]:
    reason = _requirements()
    if reason:
        pytest.skip(reason)
    # Not pytest's tmp_path: another pytest run on the machine may prune those folders mid-test.
    home = Path(tempfile.mkdtemp(prefix="jitlab-browser-"))
    try:
        root = home / "notebooks"
        root.mkdir()
        shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
        with running_lab(root, home / "jupyter") as server:
            yield server
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _screenshot_paths(config, name: str = SCREENSHOT) -> list[Path]:
    paths = [REPO / ".ci-cache" / "screenshots" / name]
    if config.getoption("--bless", default=False):
        paths.append(REPO / "docs" / "screenshots" / name)
    return paths


def test_quickstart_region_graph_in_jupyterlab(lab: JupyterLab, request):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(f"{lab.url}/lab/tree/{NOTEBOOK.name}?token={lab.token}")
            notebook = page.locator(".jp-NotebookPanel")
            expect(notebook).to_be_visible()
            # JupyterLab may ask which kernel to start: the notebook's own (python3) is preselected
            accept = page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept")
            with contextlib.suppress(PlaywrightTimeout):
                accept.wait_for(state="visible", timeout=10_000)
                accept.click()
            expect(page.locator(".jp-Dialog")).to_have_count(0)
            expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1)

            # Run > Run All Cells
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

            graph = page.locator(".jl-rgx").first
            nodes = graph.locator("svg g.jl-node")
            expect(nodes.first).to_be_attached(timeout=RUN_TIMEOUT_MS)
            graph.scroll_into_view_if_needed()
            expect(graph.locator(".jl-rgx-status")).to_contain_text("nodes shown")
            shown = nodes.count()
            assert shown >= 10, f"only {shown} nodes drawn"
            assert graph.locator("svg g.jl-region").count() >= 3
            assert graph.locator("svg g.jl-region g.jl-region").count() >= 1, "no region nested in a region"
            assert graph.locator("svg g.jl-theta").count() >= 1
            assert graph.locator("svg g.jl-gamma").count() >= 1
            assert graph.locator("svg .jl-edge.jl-state").count() >= 1
            assert graph.locator("svg .jl-edge.jl-value").count() >= 1
            assert graph.locator(".jl-rgx-legend").is_visible()

            # hover a node that has a source line: its line lights up in the source panel
            with_line = graph.locator("svg g.jl-node[data-line]")
            target = with_line.nth(min(3, with_line.count() - 1))
            line = target.get_attribute("data-line")
            target.hover()
            expect(graph.locator(f".jl-rgx-source-row.jl-hl[data-line='{line}']")).to_have_count(1)
            for path in _screenshot_paths(request.config):
                path.parent.mkdir(parents=True, exist_ok=True)
                graph.screenshot(path=str(path))

            # and back: hovering the source row marks the nodes of that line
            graph.locator(f".jl-rgx-source-row[data-line='{line}']").hover()
            assert graph.locator(f"svg g.jl-node.jl-hl[data-line='{line}']").count() >= 1

            # fold the θ's body: fewer nodes, a folded box; unfold it again
            graph.locator("svg g.jl-theta > g.jl-region > text.jl-rgx-region-title").first.click()
            folded = graph.locator("svg g.jl-folded")
            expect(folded).to_have_count(1)
            assert nodes.count() < shown, f"folding kept {nodes.count()} of {shown} nodes"
            folded.first.click()
            expect(folded).to_have_count(0)
            expect(nodes).to_have_count(shown)

            # zoom: the wheel changes the viewBox
            svg = graph.locator("svg.jl-rgx-svg")
            before = svg.get_attribute("viewBox")
            svg.hover()
            page.mouse.wheel(0, -400)
            expect(svg).not_to_have_attribute("viewBox", before or "")

            # the explorer widget: clicking a tab makes it current
            tabs = page.locator(".jp-OutputArea-output .widget-tab .lm-TabBar-tab")
            expect(tabs.first).to_be_visible(timeout=RUN_TIMEOUT_MS)
            second = tabs.nth(1)
            second.scroll_into_view_if_needed()
            second.click()
            expect(second).to_have_class(re.compile(r"\blm-mod-current\b"))
            # its copy button runs (the inline handler survives the widget's HTML) and says so
            panes = ".jp-OutputArea-output .widget-tab .widget-tab-contents > .widget-box:visible"
            copy = page.locator(panes).locator("button.jl-copy").first
            copy.click()
            expect(copy).to_have_text("copied")
            # the LLVM pass timeline fills in when its tab is opened (a child process re-runs LLVM)
            llvm_tab = tabs.filter(has_text="llvm-passes").first
            llvm_tab.scroll_into_view_if_needed()
            llvm_tab.click()
            expect(page.locator(".jp-OutputArea-output .widget-tab").first).to_contain_text(
                "changed the LLVM IR", timeout=RUN_TIMEOUT_MS)
            # pick a source line: the optimised LLVM IR highlights the rows that came from it
            explorer = page.locator(".jp-OutputArea-output .widget-vbox", has=page.locator(".widget-tab"))
            explorer = explorer.first
            explorer.locator(".widget-dropdown select").first.select_option(index=9)  # y = 2.0 * x * y + cy
            tabs.filter(has_text=re.compile(r"^llvm-opt$")).first.click()
            highlighted = explorer.locator(".jl-row.jl-hl:visible").first
            expect(highlighted).to_be_visible()
            highlighted.scroll_into_view_if_needed()
            for path in _screenshot_paths(request.config, EXPLORER_SCREENSHOT):
                explorer.screenshot(path=str(path))
        except Exception:
            failure = REPO / ".ci-cache" / "screenshots" / "browser-test-failure.png"
            failure.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(Exception):
                page.screenshot(path=str(failure), full_page=True)
            print(f"browser test failed: screenshot in {failure}; JupyterLab's log:\n{lab.log_text()}")
            raise
        finally:
            browser.close()
