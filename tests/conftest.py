"""Suite-wide test settings.

A watchdog per test: compiled code that loops forever holds the GIL, so neither a signal handler
nor a Python timer thread can stop it. `faulthandler`'s watchdog is a C thread that needs no GIL:
past the limit it prints every thread's Python stack (naming the test) and ends the process, so
a hang fails the run instead of stalling CI.
"""
from __future__ import annotations

import faulthandler
import os

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


def pytest_configure(config):
    global _real_stderr
    _real_stderr = os.fdopen(os.dup(2), "w")
    # The suite never reads or fills the user's kernel cache: one fresh folder per run.
    import tempfile

    import jitlab.cache

    jitlab.cache.set_cache_dir(tempfile.mkdtemp(prefix="jitlab-test-cache-"))


@pytest.fixture(autouse=True)
def _hang_watchdog(request):
    limit = SLOW_TEST_TIME_LIMIT_S if request.node.get_closest_marker("slow") else TEST_TIME_LIMIT_S
    faulthandler.dump_traceback_later(limit, exit=True, file=_real_stderr)
    yield
    faulthandler.cancel_dump_traceback_later()
