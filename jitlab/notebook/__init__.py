"""Notebook integration: `%%jit` and `%jit_explore`, the explorer widget, HTML renderers, lexers.

The only package of jitlab that imports IPython or ipywidgets; the compiler never imports it.

    magics.py     %%jit, %jit_explore, load_ipython_extension
    explorer.py   jitlab.explore(f, *args): the stage-by-stage widget
    render.py     highlighted views of stage texts (IRView, LLVMView, AsmView, SourceView)
    regions.py    the region graph as nested boxes and as application/vnd.jitlab.regions+json
    annotate.py   %%jit --annotate: per-line heat map
    summary.py    the one-screen summary after a %%jit cell
    sourcemap.py  which source lines each stage's rows came from
    lexers.py     Pygments lexers for LLVM IR (modern syntax) and jitlab IR
"""
from .annotate import Annotation
from .explorer import Explorer, explore
from .magics import JitMagics, load_ipython_extension
from .regions import REGIONS_MIME, RegionsView, regions_json
from .render import AsmView, IRView, LLVMView, SourceView, StageView
from .summary import CompileSummary

__all__ = ["REGIONS_MIME", "Annotation", "AsmView", "CompileSummary", "Explorer", "IRView", "JitMagics",
           "LLVMView", "RegionsView", "SourceView", "StageView", "explore", "load_ipython_extension",
           "regions_json"]
