"""`jitlab pixie build|inspect`: PIXIE shared libraries from a shell (registered by `jitlab.cli`).

    jitlab pixie build kernels.py -o libkern.so --variants baseline,x86-64-v2,x86-64-v3,x86-64-v4
    jitlab pixie build kernels.py -o libkern.so --export "f:float64(float64)" --export "g:(int64,)"
    jitlab pixie inspect libkern.so          # also a .pixie file or a cache entry; --json for all
"""
from __future__ import annotations

import argparse
import sys


def add_parser(sub) -> None:
    p = sub.add_parser("pixie", help="PIXIE shared libraries: build one, inspect one")
    actions = p.add_subparsers(dest="pixie_action", required=True)
    b = actions.add_parser("build", help="build MODULE.py's jitted functions into an importable .so")
    b.add_argument("module", help="the Python file whose @jitlab.jit(\"sig\") functions are exported")
    b.add_argument("-o", "--output", required=True, help="the library, NAME.so (import NAME)")
    b.add_argument("--variants", help="ISA variants, comma-separated (default: all of this machine's "
                                      "architecture): baseline,x86-64-v2,x86-64-v3,x86-64-v4")
    b.add_argument("--export", action="append", default=[], metavar="NAME:SIG",
                   help='export NAME with signature SIG (repeatable; "alias=NAME:SIG" renames); '
                        "replaces the module's @jit(\"sig\") functions")
    b.set_defaults(run=_build)
    i = actions.add_parser("inspect", help="print a PIXIE library's, container's or cache entry's metadata")
    i.add_argument("file")
    i.add_argument("--json", action="store_true", help="the whole metadata as JSON")
    i.set_defaults(run=_inspect)


def _build(ns: argparse.Namespace) -> int:
    from . import aot

    variants = [v for v in ns.variants.split(",") if v.strip()] if ns.variants else None
    path = aot.build(ns.module, ns.output, variants=variants, exports=ns.export)
    print(f"built {path}")
    return 0


def _inspect(ns: argparse.Namespace) -> int:
    from .pixie.describe import describe

    try:
        print(describe(ns.file, as_json=ns.json))
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
