"""jitlab: a Jupyter-centric interactive compiler for Python."""
__version__ = "0.1.0"
