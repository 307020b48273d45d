"""Suite-wide test settings.

A watchdog per test: compiled code that loops forever holds the GIL, so neither a signal handler
nor a Python timer thread can stop it. `faulthandler`'s watchdog is a C thread that needs no GIL:
past the limit it prints every thread's Python stack (naming the test) and ends the process, so
a hang fails the run instead of stalling CI.
"""
from __future__ import annotations

import faulthandler
import os
import sys
from pathlib import Path

import pytest

TEST_TIME_LIMIT_S = 120
SLOW_TEST_TIME_LIMIT_S = 600

_real_stderr = None  # a copy of fd 2 taken before pytest captures it (the watchdog writes there)


def pytest_addoption(parser):
    parser.addoption("--bless", action="store_true", default=False,
                     help="rewrite the golden files (tests/*/golden) from the current output")
    parser.addoption("--binder-build", action="store_true", default=False,
                     help="also build a fresh Binder environment and run the quick-start in it "
                          "(about 4 minutes; `make binder-check`)")
    fuzz = parser.getgroup("fuzz", "random-program differential fuzzing (tests/test_fuzz.py)")
    fuzz.addoption("--fuzz-seed", type=int, default=None,
                   help="run only the fuzz program with this seed (its source is printed on failure)")
    fuzz.addoption("--fuzz-count", type=int, default=None,
                   help="how many fuzz programs to run (default: 2000 on CPython 3.11, the default "
                        "interpreter of `make test`, 300 on the other versions)")
    fuzz.addoption("--fuzz-start", type=int, default=0, help="the first fuzz seed")
    fuzz.addoption("--fuzz-save", action="store_true", default=False,
                   help="save each mismatch as tests/fuzz_regressions/seed_N.py (make test runs it)")


# Suites that test the backend and the compiled library (NumPy/linalg/random/containers) on many
# dtypes and layouts. What they exercise does not depend on the bytecode version beyond what the
# frontend suites, the differential suites and the fuzzer (which run under every version) cover,
# so under the middle versions (3.12, 3.13) they are deselected: they run under the oldest and the
# newest interpreter (3.11, 3.14), where version-dependent messages also differ. Set
# JITLAB_ALL_VERSIONS=1 to run them everywhere.
EDGE_VERSIONS = ((3, 11), (3, 14))
EDGE_VERSION_ONLY = (
    "tests/test_linalg.py",
    "tests/test_corpus_arrays.py",
    "tests/test_corpus_arrays2.py",
    "tests/test_corpus_arrays3.py",
    "tests/backend/llvm/test_arrays_alloc.py",
    "tests/test_tiers.py",
    "tests/test_dicts_sets.py",
    "tests/test_random.py",
    "tests/test_complex_arrays.py",
    "tests/test_math_cmath.py",
)
_ROOT = Path(__file__).resolve().parent.parent


def _edge_only_here() -> bool:
    return sys.version_info[:2] not in EDGE_VERSIONS and not os.environ.get("JITLAB_ALL_VERSIONS")


def pytest_collection_modifyitems(config, items):
    if not _edge_only_here():
        return
    keep, drop = [], []
    for item in items:
        rel = Path(item.fspath).resolve().relative_to(_ROOT).as_posix()
        (drop if rel in EDGE_VERSION_ONLY else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
        config._jitlab_edge_deselected = len(drop)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    n = getattr(config, "_jitlab_edge_deselected", 0)
    if n:
        terminalreporter.write_line(
            f"jitlab: {n} tests of the backend/library suites deselected under Python "
            f"{sys.version_info[0]}.{sys.version_info[1]} (they run under 3.11 and 3.14; "
            "JITLAB_ALL_VERSIONS=1 runs them here)")


def pytest_configure(config):
    global _real_stderr
    _real_stderr = os.fdopen(os.dup(2), "w")
    # The suite never reads or fills the user's kernel cache: one fresh folder per run.
    import tempfile

    import jitlab.cache

    jitlab.cache.set_cache_dir(tempfile.mkdtemp(prefix="jitlab-test-cache-"))


@pytest.fixture(autouse=True, scope="module")
def _settle_background_compiles():
    # A test module's calls leave tier-1 (O3) compiles and cache writes running on the background
    # thread; finish them at the end of the module, so the next module's timings and memory
    # measurements (the leak tests) do not see another module's work.
    yield
    import jitlab.tiers

    jitlab.tiers.wait_all(timeout=300)


@pytest.fixture(autouse=True)
def _hang_watchdog(request):
    limit = SLOW_TEST_TIME_LIMIT_S if request.node.get_closest_marker("slow") else TEST_TIME_LIMIT_S
    faulthandler.dump_traceback_later(limit, exit=True, file=_real_stderr)
    yield
    faulthandler.cancel_dump_traceback_later()
