"""Notebook integration: the `%%jit` cell magic (later: explorer widgets, HTML renderers).

The only package of jitlab that imports IPython or ipywidgets; the compiler never imports it.
"""
from .magics import JitMagics, load_ipython_extension

__all__ = ["JitMagics", "load_ipython_extension"]
