"""A cache miss: compile, store the optimised code in the persistent cache, load it.

With `tier="auto"` (the default) a miss costs the caller no more than a compile without a cache:
`compile_missed` loads tier 0 at once (`pipeline.load_quick`) and queues one background job
(`tiers`) that runs `llvm-opt`, makes the host's object code of it, loads that into the JIT and
swaps it in, and only then writes the entry (the host variant and the bitcode, `cache.save`):
the entry never holds tier-0 code, and a restarted process that hits it loads optimised code
without compiling.  The job is kept at interpreter exit (so the next process hits) and a write
is atomic (`cache.store`), so an exit or a kill never leaves half an entry.  If another process
or dispatcher stored the same key since the lookup, the job loads that entry instead
(`stored_meanwhile`).  `tier=1` does the same at once on the caller's thread (`store_and_load`).
"""
from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

from . import cache as kernel_cache
from . import pipeline
from .backend import llvm as llvm_backend
from .backend.llvm import native
from .errors import JitlabError
from .pixie.runtime import register_runtime_symbols

if TYPE_CHECKING:
    from .pipeline import CompileRecord, Compiled
    from .pixie import FunctionUnit
    from .tiers import Job

# entry path → the job that will write it (until it has, or failed)
_pending: dict[str, Job] = {}


def host_code(record: CompileRecord) -> tuple[FunctionUnit, bytes]:
    """What a miss stores: the entry's function and the host's object code of its `llvm-opt`
    module (which the JIT then loads: the same code in this process as in the next)."""
    module = record.jit_module
    unit = pipeline.function_unit(record)
    return unit, kernel_cache.host_object(unit, module)


def load_host_code(record: CompileRecord, probe: kernel_cache.Probe, unit: FunctionUnit,
                   obj: bytes) -> Compiled:
    engine = llvm_backend.get_engine()
    register_runtime_symbols(kernel_cache.runtime_objects(probe.store))
    symbols = (unit.symbol, unit.wrapper_symbol)
    # (this key may be loaded already: compiled earlier in this process, its entry removed since,
    # e.g. by `%jit_cache clear`, or by a second dispatcher of the same function)
    if not engine.has_symbol(unit.wrapper_symbol):
        try:
            engine.add_object(obj, symbols)
        except JitlabError:  # another thread loaded it meanwhile
            if not all(map(engine.has_symbol, symbols)):
                raise
    return pipeline._builtin(record, unit.symbol, unit.argtypes, unit.rettype)


def write_entry(record: CompileRecord, probe: kernel_cache.Probe, unit: FunctionUnit, obj: bytes) -> None:
    start = time.perf_counter()
    try:
        kernel_cache.save(probe, unit, obj)
    except OSError as exc:
        warnings.warn(f"jitlab cache: could not write {probe.path}: {exc}", kernel_cache.CacheWarning,
                      stacklevel=3)
    native.keep_wrapper_support(kernel_cache.runtime_objects(probe.store), str(probe.store.root))
    pipeline._timed(record, "cache-write", start)


def store_and_load(record: CompileRecord, probe: kernel_cache.Probe) -> Compiled:
    """A miss compiled at once (`tier=1`): write the entry, then load the very object code it holds."""
    start = time.perf_counter()
    unit, obj = host_code(record)
    write_entry(record, probe, unit, obj)
    compiled = load_host_code(record, probe, unit, obj)
    pipeline._timed(record, "native", start)
    return compiled


def compile_missed(record: CompileRecord, probe: kernel_cache.Probe,
                   on_optimized: Callable | None) -> Compiled:
    """A miss with `tier="auto"`: tier 0 now; the background job makes the optimised code for this
    CPU, loads it, swaps it in (`on_optimized`), and only then writes the entry, so the cache
    never holds tier-0 code and the caller's thread never waits for the entry."""
    from . import tiers

    quick = pipeline.load_quick(pipeline._run_for_jit(record, until="llvm"))
    made: list[tuple[FunctionUnit, bytes]] = []

    def optimise() -> Compiled:
        found = stored_meanwhile(record, probe)
        if found is not None:
            return found
        pipeline.run_stages(record, until=pipeline._LAST_NEEDED)
        start = time.perf_counter()
        unit, obj = host_code(record)
        compiled = load_host_code(record, probe, unit, obj)
        pipeline._timed(record, "native", start)
        made.append((unit, obj))
        return compiled

    def done(compiled: Compiled | None, error: BaseException | None) -> None:
        if compiled is None:
            _pending.pop(str(probe.path), None)
        if on_optimized is not None:
            on_optimized(compiled)  # None: it failed, the quick code stays

    def write(compiled: Compiled) -> None:
        try:
            if made:
                write_entry(record, probe, *made.pop())
        finally:
            _pending.pop(str(probe.path), None)

    # keep: a job that writes the cache runs even at interpreter exit, so the next process hits
    job = tiers.Job(pipeline._label(record), optimise, done, then=write, keep=True)
    _pending[str(probe.path)] = job
    record.optimizing = tiers.submit(job)
    return quick


def wait_pending(probe: kernel_cache.Probe) -> bool:
    """A miss whose entry a background job of this process is about to write (the same key
    compiled again, e.g. a notebook cell run twice): wait for it; True if the entry is there now."""
    job = _pending.get(str(probe.path))
    if job is None:
        return False
    job.wait()
    return probe.path.exists()


def wait_for_writes() -> None:
    """Wait until every entry this process is making has been written (`%jit_cache`)."""
    for job in list(_pending.values()):
        job.wait()


def stored_meanwhile(record: CompileRecord, probe: kernel_cache.Probe) -> Compiled | None:
    """The entry of this key, if another process or dispatcher stored it since the lookup (and it
    was built against the callees this compile resolved): loaded instead of compiling it again."""
    pixie = probe.store.read(probe.path, probe.digest)
    if pixie is None:
        return None
    info = pixie.functions[0]
    variant = pixie.choose()
    if variant is None or sorted(s for *_, s in info.callees) != sorted(s for *_, s in record.callees):
        return None
    from .pixie.units import FunctionUnit

    unit = FunctionUnit(record.func.__name__, info.symbol, info.argtypes, info.rettype, "")
    try:
        compiled = load_host_code(record, probe, unit, pixie.sections[f"obj:{variant.isa}"])
    except JitlabError:  # (its code calls a callee not loaded here yet: compile it after all)
        return None
    probe.note = f"{probe.reason}; another compile stored it meanwhile: loaded that entry"
    return compiled
