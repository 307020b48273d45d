"""The persistent per-kernel cache: one PIXIE entry per (function, signature, target).

    probe = lookup(func, argtypes, options)   # key components, digest, the entry if present
    ...compile on a miss...
    save(probe, unit)                          # write the host variant + bitcode atomically

The pipeline calls these (`pipeline.compile(..., cache=store)`); `jit(cache=True)` is the
default.  The folder is `platformdirs.user_cache_dir("jitlab")` unless `set_cache_dir(path)`
or `jit(cache_dir=...)` says otherwise.  Keys are in `key.py`, the folder rules in `store.py`,
the format in docs/pixie.md.
"""
from __future__ import annotations

import dataclasses
import os
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable

from jitlab.pixie.isa import host_variant
from jitlab.pixie.reader import Pixie

from .key import Uncacheable, digest, explain, key_components, runtime_token
from .store import DEFAULT_SIZE_LIMIT, CacheStore, CacheWarning, EntryInfo, entry_meta_key

_store: CacheStore | None = None
_hits: Counter[str] = Counter()   # entry path → hits in this process (`hits`, `%jit_cache list`)


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("jitlab"))


def set_cache_dir(path: str | os.PathLike | None) -> CacheStore:
    """Use `path` as the cache folder from now on (None: back to the platform default)."""
    global _store
    _store = CacheStore(path if path is not None else default_cache_dir(),
                        _store.size_limit if _store is not None else DEFAULT_SIZE_LIMIT)
    return _store


def get_store(path: str | os.PathLike | None = None) -> CacheStore:
    """The store for an explicit folder, else the process-wide one."""
    if path is not None:
        return CacheStore(path, get_store().size_limit)
    return _store if _store is not None else set_cache_dir(None)


def set_size_limit(nbytes: int) -> None:
    """Evict least-recently-used entries once the folder holds more than `nbytes`."""
    get_store().size_limit = nbytes


@dataclass
class Probe:
    """One lookup: the key, and the entry if there was one; `status` ends as hit/miss/stored."""

    store: CacheStore
    func: Callable
    status: str                           # "hit", "miss", "stored", "uncacheable"
    digest: str | None = None
    components: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    pixie: Pixie | None = None
    note: str = ""                        # why it missed, when not `explain_miss`'s answer
    ms: float = 0.0

    @property
    def module(self) -> str:
        return self.func.__module__ or "__main__"

    @property
    def reason(self) -> str:
        """Why it missed (`note`, else `explain_miss`: worked out when read, not on the compile's
        path, against the entries there by then -- those still being written count too)."""
        if self.note or self.status not in ("miss", "stored"):
            return self.note
        return self.explain_miss()

    @reason.setter
    def reason(self, text: str) -> None:
        self.note = text

    def miss(self, reason: str) -> None:
        self.status, self.pixie, self.note = "miss", None, reason

    def explain_miss(self) -> str:
        """Which key components differ from the newest other entry of the same function and
        signature."""
        signature = self.components.get("signature", "")
        siblings = [p for p in self.store.siblings(self.module, self.func.__qualname__, signature)
                    if p.meta.get("key", {}).get("digest") != self.digest]
        if not siblings:
            return "no entry for this function and signature"
        changes = explain(siblings[0].meta["key"]["components"], self.components)
        return "; ".join(changes) if changes else "entry removed"


def lookup(func: Callable, argtypes: tuple, options: Any, store: CacheStore | None = None) -> Probe:
    start = time.perf_counter()
    store = store or get_store()
    try:
        components = key_components(func, tuple(argtypes), options)
    except Uncacheable as exc:
        return Probe(store, func, "uncacheable", note=str(exc))
    key = digest(components)
    probe = Probe(store, func, "miss", key, components)
    probe.path = store.path(probe.module, func.__qualname__, key)
    probe.pixie = store.read(probe.path, key)
    if probe.pixie is not None:
        probe.status = "hit"
        _hits[str(probe.path)] += 1
    probe.ms = (time.perf_counter() - start) * 1e3
    return probe


def _for_host(unit, variant):
    return dataclasses.replace(unit, optimized_ir={variant.isa: unit.optimized_ir["host"]})


def host_object(unit, module=None) -> bytes:
    """The object code an entry of `unit` holds for this CPU (what the JIT loads); `module`: its
    `llvm-opt` module, taken over (no second parse)."""
    from jitlab.pixie.units import variant_object  # building: the backend's IR tools

    variant = host_variant()
    return variant_object([_for_host(unit, variant)], variant, module)


def save(probe: Probe, unit, obj: bytes | None = None) -> bytes:
    """Build the entry (host variant + bitcode) and write it; returns the host object code
    (`obj`: that code made already, by `host_object`)."""
    from jitlab.pixie.units import build_container  # building: the backend's IR tools

    variant = host_variant()
    unit = _for_host(unit, variant)
    key = entry_meta_key(probe.components, probe.digest, probe.func.__qualname__, probe.module)
    data = build_container([unit], (variant,), name=probe.func.__qualname__, extra_meta={"key": key},
                           objects=None if obj is None else {variant.isa: obj})
    probe.store.write(probe.path, data)
    probe.status = "stored"
    return obj if obj is not None else Pixie.parse(data).sections[f"obj:{variant.isa}"]


@dataclass(frozen=True)
class CachedObjects:
    """Object code kept in the cache by name (`backend.llvm.native.ObjectCache`): a dispatcher's
    native entries next to its function's entries, the shared wrapper helpers in a folder of
    their own.  The file's name and its check cover the code's name and the compiler, target and
    versions (`key.runtime_token`): code another jitlab, LLVM, Python or CPU made is never loaded."""

    store: CacheStore
    module: str
    qualname: str

    def _where(self, name: str) -> tuple[Path, str]:
        key = f"{name} {runtime_token()}"
        return self.store.object_path(self.module, self.qualname, key), key

    def get(self, name: str) -> tuple[bytes, tuple[str, ...]] | None:
        return self.store.read_object(*self._where(name))

    def put(self, name: str, data: bytes, symbols: tuple[str, ...]) -> None:
        path, key = self._where(name)
        try:
            self.store.write_object(path, key, data, symbols)
        except OSError as exc:
            warnings.warn(f"jitlab cache: could not write {path}: {exc}", CacheWarning, stacklevel=3)


def dispatch_objects(func: Callable, store: CacheStore | None = None) -> CachedObjects:
    """Where the native entries of `func`'s dispatcher are cached."""
    return CachedObjects(store or get_store(), func.__module__ or "__main__", func.__qualname__)


def runtime_objects(store: CacheStore | None = None) -> CachedObjects:
    """Where the helpers every JIT wrapper shares are cached (`native.load_wrapper_support`)."""
    return CachedObjects(store or get_store(), "jitlab", "<runtime>")


def list_entries(store: CacheStore | None = None) -> list[EntryInfo]:
    return (store or get_store()).entries()


def clear(store: CacheStore | None = None) -> int:
    return (store or get_store()).clear()


def hits(path: str | os.PathLike) -> int:
    """How often this process loaded the entry at `path` from the cache."""
    return _hits[str(path)]


def forget(func: Callable, store: CacheStore | None = None) -> int:
    """Remove every entry of `func` (all signatures); return how many (`%%jit --force`)."""
    func = getattr(func, "py_func", func)
    return (store or get_store()).remove_function(func.__module__ or "__main__", func.__qualname__)


def folder_info(store: CacheStore | None = None) -> dict[str, object]:
    """The folder, how many entries it holds, their bytes and the size limit."""
    store = store or get_store()
    entries = store.entries()
    return {"folder": str(store.root), "entries": len(entries), "bytes": sum(e.size for e in entries),
            "limit": store.size_limit}


def folder_lines(store: CacheStore | None = None) -> list[str]:
    """`folder_info` as aligned `name: value` lines (`jitlab cache info`, `%jit_cache info`)."""
    return [f"{k + ':':8} {v}" for k, v in folder_info(store).items()]


PROBE_STATUS = {"hit": "hit", "stored": "miss, compiled and stored", "miss": "miss",
                "uncacheable": "not cacheable"}


def describe(probe: Probe | None) -> str:
    """One compile's cache outcome in words: `hit`, `miss, compiled and stored (code changed)`, ..."""
    if probe is None:
        return "cache off"
    reason = f" ({probe.reason})" if probe.reason and probe.status != "hit" else ""
    return PROBE_STATUS[probe.status] + reason


def info(f) -> str:
    """For a jitted function: each signature's last cache lookup and why it missed."""
    lines = [f"{f.__qualname__}: cache folder {get_store(getattr(f, 'cache_dir', None)).root}"]
    overloads = getattr(f, "overloads", {})
    if not overloads:
        lines.append("  no signature compiled yet in this process")
    for argtypes, compiled in overloads.items():
        probe = getattr(compiled.record, "cache", None)
        lines.append(f"  ({', '.join(map(str, argtypes))}): {describe(probe)}")
        if probe is not None and probe.path is not None:
            lines.append(f"      {probe.path}")
    return "\n".join(lines)


__all__ = ["CacheStore", "CacheWarning", "CachedObjects", "EntryInfo", "Probe", "clear",
           "default_cache_dir", "describe", "dispatch_objects", "folder_info", "folder_lines", "forget",
           "get_store", "hits", "host_object", "info", "list_entries", "lookup", "runtime_objects", "save",
           "set_cache_dir", "set_size_limit"]
