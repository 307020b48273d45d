"""`jitlab` on the command line: print any stage of a function's compile.

    jitlab compile examples/demo_funcs.py:mandel --sig "int64(float64, float64, int64)" --emit rvsdg,llvm-opt
    jitlab stages        # list the stage names

Reads the same stage registry (`jitlab.pipeline`) as the notebook.
"""
from __future__ import annotations

import argparse
import runpy
import sys

from . import cli_cache
from .errors import JitlabError
from .pipeline import STAGE_NAMES, STAGES


def _cmd_compile(ns: argparse.Namespace) -> int:
    from .dispatch import jit, parse_signature

    path, _, name = ns.target.rpartition(":")
    if not path or not name:
        print("error: target must be FILE.py:FUNCTION", file=sys.stderr)
        return 2
    module_globals = runpy.run_path(path, run_name="__jitlab_cli__")
    func = module_globals.get(name)
    if func is None:
        print(f"error: {path} defines no {name!r}", file=sys.stderr)
        return 2
    emit = [s.strip() for s in ns.emit.split(",") if s.strip()] if ns.emit else list(STAGE_NAMES)
    unknown = [s for s in emit if s not in STAGE_NAMES]
    if unknown:
        print(f"error: unknown stage(s) {', '.join(unknown)}; stages: {', '.join(STAGE_NAMES)}",
              file=sys.stderr)
        return 2
    dispatcher = jit(func)
    _, argtypes = parse_signature(ns.sig)
    texts = dispatcher.compile(argtypes).record.texts
    for stage in emit:
        if len(emit) > 1:
            print(f";; ---- {stage} ----")
        print(texts[stage].rstrip("\n"))
    return 0


def _cmd_stages(ns: argparse.Namespace) -> int:
    for stage in STAGES:
        print(f"{stage.name:10} {stage.description}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jitlab", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("compile", help="compile FILE.py:FUNC and print stages")
    p.add_argument("target", help="FILE.py:FUNCTION")
    p.add_argument("--sig", required=True, help='argument types, e.g. "(int64, float64)" or "f8(f8, i8)"')
    p.add_argument("--emit", help=f"comma-separated stages (default: all): {','.join(STAGE_NAMES)}")
    p.set_defaults(run=_cmd_compile)
    p = sub.add_parser("stages", help="list the pipeline's stages")
    p.set_defaults(run=_cmd_stages)
    cli_cache.add_parser(sub)
    ns = parser.parse_args(argv)
    try:
        return ns.run(ns)
    except JitlabError as err:
        print(f"jitlab: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
