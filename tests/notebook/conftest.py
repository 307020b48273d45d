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


@pytest.fixture(scope="session")
def loop_record():
    """The compile record of a function with a loop and a branch, specialised to (int64,)."""
    import jitlab
    from jitlab.ir import I64
    from notebook_functions import loop_function

    return jitlab.jit(loop_function).compile((I64,)).record
