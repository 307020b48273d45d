"""`jitlab` on the command line: print any stage of a function's compile, and work on IR text.

    jitlab compile examples/demo_funcs.py:mandel --sig "int64(float64, float64, int64)" --emit rvsdg,llvm-opt
    jitlab stages                          # list the stage names
    jitlab opt -p dne,cne file.jir         # run passes by name, print the IR after them
    jitlab run file.jir f 3 2.5            # interpret λ @f on arguments (Python literals)
    jitlab verify file.jir                 # check the verifier's invariants V1…Vn
    jitlab pixie build mod.py -o libm.so   # an importable PIXIE library (see `jitlab pixie -h`)

`FILE.jir` may be `-` for standard input, so stages chain:
`jitlab compile f.py:g --sig "(int64,)" --emit rvsdg | jitlab opt -p dne - | jitlab run - g 10`.
Reads the same stage registry (`jitlab.pipeline`) and pass registry (`jitlab.passes`) as the notebook.
"""
from __future__ import annotations

import argparse
import ast
import runpy
import sys

from . import cli_cache, cli_pixie
from .errors import JitlabError
from .ir import Module, parse, print_module, verify
from .pipeline import STAGE_NAMES, STAGES, new_record, run_stages


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
    # Run only as far as the last stage asked for (IR stages need no native code).
    record = new_record(func, argtypes, dispatcher.options, dispatcher._resolve_call)
    texts = run_stages(record, until=max(emit, key=STAGE_NAMES.index)).texts
    for stage in emit:
        if len(emit) > 1:
            print(f";; ---- {stage} ----")
        print(texts[stage].rstrip("\n"))
    return 0


def _cmd_stages(ns: argparse.Namespace) -> int:
    for stage in STAGES:
        print(f"{stage.name:10} {stage.description}")
    return 0


def _read_module(path: str) -> Module:
    if path == "-":
        return parse(sys.stdin.read())
    with open(path, encoding="utf-8") as f:
        return parse(f.read())


def _cmd_opt(ns: argparse.Namespace) -> int:
    from .passes import PassManager

    module = _read_module(ns.file)
    verify(module)
    names = [p.strip() for p in ns.passes.split(",") if p.strip()]
    try:
        manager = PassManager(names, verify=True)
    except KeyError as err:
        print(f"error: {err.args[0]}", file=sys.stderr)
        return 2
    module, records = manager.run(module)
    for record in records:
        if ns.stats:
            print(record, file=sys.stderr)
        if ns.diff and record.changed:
            print(record.diff(), end="", file=sys.stderr)
    text = print_module(module)
    if ns.output and ns.output != "-":
        with open(ns.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


def _literal(text: str):
    """A command-line argument as a Python value: a literal (`3`, `2.5`, `True`, `None`), or a
    float spelled as Python's `float()` accepts it (`nan`, `inf`, `-inf`)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        try:
            return float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a Python literal") from None


def _cmd_run(ns: argparse.Namespace) -> int:
    from .ir.interpreter import Interpreter

    module = _read_module(ns.file)
    verify(module)
    try:
        args = [_literal(a) for a in ns.args]
    except argparse.ArgumentTypeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    interpreter = Interpreter(module, max_steps=ns.max_steps, overflow=ns.overflow)
    try:
        if ns.steps:
            events = interpreter.steps(ns.func, *args)
            while True:
                try:
                    print(next(events))
                except StopIteration as done:
                    value = done.value
                    break
        else:
            value = interpreter.call(ns.func, *args)
    except JitlabError:
        raise
    except Exception as err:  # the interpreted program raised: report it as Python would
        print(f"{type(err).__name__}: {err}", file=sys.stderr)
        return 1
    print(repr(value))
    return 0


def _cmd_verify(ns: argparse.Namespace) -> int:
    module = _read_module(ns.file)
    verify(module)
    print(f"ok: {len(module.functions)} function{'s' if len(module.functions) != 1 else ''} verified")
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
    cli_pixie.add_parser(sub)
    p = sub.add_parser("opt", help="run passes on IR text and print the result")
    p.add_argument("-p", "--passes", default="", help="pass names, e.g. dne,cne ('' for none)")
    p.add_argument("file", help="IR text file (.jir), or - for standard input")
    p.add_argument("-o", "--output", help="write the IR here instead of standard output")
    p.add_argument("--stats", action="store_true", help="print each pass's time and whether it changed")
    p.add_argument("--diff", action="store_true", help="print each changing pass's diff (to standard error)")
    p.set_defaults(run=_cmd_opt)
    p = sub.add_parser("run", help="interpret a function of IR text on arguments")
    p.add_argument("file", help="IR text file (.jir), or - for standard input")
    p.add_argument("func", help="the function's name (without @)")
    p.add_argument("args", nargs="*", help="arguments as Python literals: 3 2.5 True None nan")
    p.add_argument("--steps", action="store_true", help="print every region entered and node evaluated")
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many nodes evaluated")
    p.add_argument("--overflow", choices=("raise", "wrap"), default="raise",
                   help="an i64 result that does not fit raises OverflowError (default) or wraps")
    p.set_defaults(run=_cmd_run)
    p = sub.add_parser("verify", help="check IR text against the verifier's invariants")
    p.add_argument("file", help="IR text file (.jir), or - for standard input")
    p.set_defaults(run=_cmd_verify)
    ns = parser.parse_args(argv)
    try:
        return ns.run(ns)
    except JitlabError as err:
        print(f"jitlab: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
