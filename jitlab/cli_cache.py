"""`jitlab cache list|info|clear`: the kernel cache from a shell (registered by `jitlab.cli`).

    jitlab cache list [--dir DIR]                         # every entry: function, signature, size
    jitlab cache info [--dir DIR]                         # folder, count, bytes, size limit
    jitlab cache info FILE.py:FUNCTION --sig "(int64,)"   # would it hit? if not, what changed
    jitlab cache clear [--dir DIR]
"""
from __future__ import annotations

import argparse
import runpy
import sys

from . import cache


def add_parser(sub) -> None:
    p = sub.add_parser("cache", help="the persistent kernel cache: list, info, clear")
    p.add_argument("action", choices=("list", "info", "clear"))
    p.add_argument("target", nargs="?", help="for info: FILE.py:FUNCTION, to say whether it would hit")
    p.add_argument("--sig", help='for info with a target: argument types, e.g. "(int64,)"')
    p.add_argument("--dir", help="the cache folder (default: the user cache folder)")
    p.set_defaults(run=run)


def run(ns: argparse.Namespace) -> int:
    store = cache.get_store(ns.dir)
    if ns.action == "clear":
        print(f"removed {store.clear()} entries from {store.root}")
        return 0
    entries = store.entries()
    if ns.action == "list":
        for e in entries:
            print(f"{e.function:30} {e.signature:36} {e.size:>8} B  {e.path}")
        print(f"{len(entries)} entries, {sum(e.size for e in entries)} bytes in {store.root}")
        return 0
    if ns.target is None:
        print("\n".join(cache.folder_lines(store)))
        return 0
    return _explain(ns, store)


def _explain(ns: argparse.Namespace, store: cache.CacheStore) -> int:
    from .dispatch import Dispatcher, parse_signature

    path, _, name = ns.target.rpartition(":")
    func = runpy.run_path(path, run_name="__jitlab_cli__").get(name) if path else None
    if func is None:
        print(f"error: {path or ns.target} defines no {name!r} (target is FILE.py:FUNCTION)", file=sys.stderr)
        return 2
    func = getattr(func, "py_func", func)
    _, argtypes = parse_signature(ns.sig or "()")
    probe = cache.lookup(func, argtypes, Dispatcher(func, cache=False).options, store)
    print(f"{func.__qualname__}({', '.join(map(str, argtypes))}): {probe.status}"
          + (f" ({probe.reason})" if probe.reason and probe.status != "hit" else ""))
    if probe.path is not None:
        print(f"  {probe.path}")
    return 0
