"""`jitlab pixie inspect`: the metadata of a PIXIE library, container file or cache entry, as text.

Reads the file's bytes and finds the container in them (`container.find_container`): a built
shared library is never loaded or imported to be inspected.
"""
from __future__ import annotations

import json
import os

from .container import find_container, section_spans


def container_of(path: str | os.PathLike) -> bytes:
    with open(path, "rb") as fh:
        return find_container(fh.read())


def describe(path: str | os.PathLike, *, as_json: bool = False) -> str:
    """A report of the container in `path`: what it is, versions, functions, variants, sections."""
    data = container_of(path)
    spans = section_spans(data)
    off, size = spans["meta"]
    meta = json.loads(data[off:off + size])
    if as_json:
        return json.dumps(meta, indent=2, sort_keys=True)
    key = meta.get("key")
    kind = meta.get("kind") or ("cache entry" if key else "container")
    lines = [f"{path}: PIXIE {kind} {meta.get('name', '?')!r} "
             f"(format {meta.get('pixie')}, uuid {meta.get('uuid')})",
             f"  triple:   {meta.get('triple')}",
             "  versions: " + ", ".join(f"{k} {v}" for k, v in sorted(meta.get("versions", {}).items())),
             f"  source:   sha256 {meta.get('source_hash', '')[:16]}…"]
    if meta.get("python_abi"):
        lines.append(f"  python:   extension suffix {meta['python_abi']}")
    lines.append("  functions:")
    for f in meta.get("functions", []):
        sig = f"{f['name']}({', '.join(f['argtypes'])}) -> {f['rettype']}"
        lines.append(f"    {sig:48} {f['symbol']}")
        for callee in f.get("callees", []):
            lines.append(f"      calls {callee[0]}({', '.join(callee[1])}) as {callee[2]}")
    lines.append("  variants (the best one whose required CPU features are all present is chosen):")
    below: set[str] = set()
    for v in sorted(meta.get("variants", []), key=lambda v: v["rank"]):
        extra = sorted(set(v["requires"]) - below)
        requires = ", ".join(extra) if len(extra) < 24 else f"{len(extra)} features"
        lines.append(f"    {v['isa']:16} cpu {v['cpu']:14} requires {'+ ' if below else ''}{requires}")
        below |= set(v["requires"])
    lines.append("  sections:")
    for name, (_, size) in spans.items():
        lines.append(f"    {name:24} {size:>10} B")
    if key:
        lines.append(f"  cache key: {key['digest']} for {key.get('module')}.{key.get('qualname')}")
        lines.append("    components: " + ", ".join(sorted(key.get("components", {}))))
    return "\n".join(lines)
