"""jitlab: a Jupyter-centric interactive compiler for Python.

    import jitlab

    @jitlab.jit
    def f(x, n): ...

    jitlab.stages(f, 1.0, 3)["llvm-opt"]

In a notebook: `%load_ext jitlab`, then a `%%jit` cell.
"""
__version__ = "0.1.0"

from .dispatch import Dispatcher, jit, stages
from .errors import JitlabError, TypingError, UnsupportedBytecode, UnsupportedError
from .pipeline import STAGE_NAMES


def load_ipython_extension(ipython):
    """`%load_ext jitlab`: register the `%%jit` magics (IPython is imported only there)."""
    from .notebook import load_ipython_extension as _load

    _load(ipython)


def explore(func, *args):
    """An explorer widget over every stage of `func` compiled for `args` (needs ipywidgets)."""
    from .notebook import explore as _explore

    return _explore(func, *args)


__all__ = ["Dispatcher", "JitlabError", "STAGE_NAMES", "TypingError", "UnsupportedBytecode",
           "UnsupportedError", "__version__", "explore", "jit", "stages"]
