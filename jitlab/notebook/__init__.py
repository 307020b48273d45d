"""Notebook integration: `%%jit`, `%jit_explore`, `%jit_cache`, the explorer and stepper widgets,
HTML renderers, lexers.

The only package of jitlab that imports IPython or ipywidgets; the compiler never imports it.

    magics.py     %%jit, %jit_explore, %jit_cache, load_ipython_extension
    explorer.py   jitlab.explore(f, *args): the stage-by-stage widget (CPU functions, CUDA kernels)
    timeline.py   pass timelines: jitlab's RVSDG passes and (llvm_passes.py) LLVM's own
    stepper.py    step(f, *args): the IR interpreter, one event at a time
    cache_view.py what %jit_cache shows
    render.py     highlighted views of stage texts (IRView, LLVMView, AsmView, SourceView)
    regions.py    the region graph as nested boxes and as application/vnd.jitlab.regions+json
    annotate.py   %%jit --annotate: per-line heat map
    summary.py    the one-screen summary after a %%jit cell
    sourcemap.py  which source lines each stage's rows came from
    lexers.py     Pygments lexers for LLVM IR (modern syntax), PTX and jitlab IR
"""
from .annotate import Annotation
from .explorer import Explorer, explore
from .magics import JitMagics, load_ipython_extension
from .regions import REGIONS_MIME, RegionsView, regions_json
from .render import AsmView, IRView, LLVMView, SourceView, StageView
from .stepper import Stepper, step
from .summary import CompileSummary

__all__ = ["REGIONS_MIME", "Annotation", "AsmView", "CompileSummary", "Explorer", "IRView", "JitMagics",
           "LLVMView", "RegionsView", "SourceView", "StageView", "Stepper", "explore",
           "load_ipython_extension", "regions_json", "step"]
