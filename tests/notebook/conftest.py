"""One IPython shell for the notebook tests (IPython's test shell can be started once per process)."""
from __future__ import annotations

import pytest
from IPython import get_ipython
from IPython.testing.globalipapp import start_ipython


@pytest.fixture(scope="session")
def ipython_shell():
    """IPython's InteractiveShell as the test suite's global app, with `%load_ext jitlab` done."""
    shell = start_ipython() or get_ipython()
    shell.run_line_magic("load_ext", "jitlab")
    return shell
