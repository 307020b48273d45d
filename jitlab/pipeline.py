"""The ordered, named stage registry: every compile walks these stages in order.

Each stage is a small named step that reads the artefacts of earlier stages from
a `CompileRecord` and adds its own.  Every artefact prints as text; the record
keeps the artefact and the stage's wall time and prints the text when something
reads it (`record.texts[name]`), so the CLI, the `%%jit` magic, the explorer and
tests all read the same record (`jitlab.stages(f, *args)`) while a plain
`jitlab.jit` compile prints nothing.  A compile for the JIT stops after
`llvm-opt`; the `asm` stage runs when its text or artefact is first read.

Stage names are stable (tools rely on them):

    source → bytecode → flow → regions → rvsdg → typed → opt → llvm → llvm-opt → asm

`rvsdg` is the frontend's output after `passes.CANONICAL_PIPELINE` (untyped-safe
cleanups, then `canon`) (the same text on every
CPython version for the same source); `opt` runs the configured passes
(`Options.passes`, else `passes.DEFAULT_PIPELINE`) on the typed IR and keeps
each pass's record in `CompileRecord.pass_records`.

after which the `native` step (not a text stage) loads the optimised module into
the JIT and wraps it as a CPython builtin.

With a cache store (`compile(..., cache=store)`, see `jitlab.cache` and docs/pixie.md) a hit
skips every stage: the entry's object code goes straight into the JIT (`CompileRecord.cache`
says hit or miss and why; `texts` stay empty until `run_stages` is asked for them).  A miss runs
the stages, stores the entry and loads that same object code (`cache_miss.py`: with tiers, tier 0
at once and the rest in the background).  Cached code gets its native
symbol from the key digest, so a cached caller names its callee the same way in every process.
"""
from __future__ import annotations

import inspect
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

from . import cache as kernel_cache
from .backend import llvm as llvm_backend
from .backend.llvm import native
from .errors import JitlabError
from .ir.types import Type
from .pixie.runtime import register_runtime_symbols

if TYPE_CHECKING:
    from .ir import Lambda, Module
    from .passes import Pass, PassRecord
    from .pixie import FunctionUnit

# The compiler proper (frontend, passes, typing, lowering) is imported by the stages that run it,
# so a process whose kernels all come from the cache never loads it.


@dataclass(frozen=True)
class Options:
    """Compile options that change the generated code (part of any cache key)."""

    boundscheck: bool = True
    fastmath: bool = False
    overflow: str = "wrap"  # int64 overflow: "wrap" (two's complement, the default) or "raise" OverflowError
    opt_level: int = 3
    passes: tuple[Pass, ...] | None = None  # the `opt` stage's passes; None: DEFAULT_PIPELINE


@dataclass
class CompileRecord:
    """Everything one compile produced: artefacts, their text and per-stage milliseconds."""

    func: Callable
    argtypes: tuple[Type, ...]
    options: Options
    resolve_call: Callable | None = None
    artefacts: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=lambda: _StagesOnDemand())  # printed when read
    timings: dict[str, float] = field(default_factory=dict)
    pass_records: list[PassRecord] = field(default_factory=list)
    cache: kernel_cache.Probe | None = None   # the cache lookup, when compiled with a cache
    symbol: str | None = None                 # the native symbol to use (cached code: from the key)
    callees: list[tuple[str, tuple[Type, ...], str]] = field(default_factory=list)  # resolved calls
    # symbol → a jitted callee (`JittedCallee`) or a PIXIE function's bitcode: what `opt` inlines
    # and what `llvm-opt` links in for the calls left (JIT LTO)
    callee_code: dict[str, Any] = field(default_factory=dict)
    link_bitcode: list[bytes] = field(default_factory=list)  # what `llvm-opt` linked in
    # the `llvm-opt` module itself, which `load` hands to the JIT (no second parse); only a
    # compile that loads it keeps it, the others drop it
    jit_module: Any = None
    linked_llvm: str | None = None  # `_linked_llvm`'s text, made once for both tiers
    # the background job making tier 1 (`tiers.Job`) of a compile that loaded tier 0 first
    optimizing: Any = None

    @property
    def filename(self) -> str:
        return self.func.__code__.co_filename

    def inline_candidate(self, symbol: str) -> Lambda | None:
        """The typed λ of the jitted callee `symbol` (None: not a jitted callee, a recursive one, whose
        module is a φ, or one compiled with other code options: lowered in the caller its nodes would
        get the caller's bounds checks, fast-math flags and overflow mode).  Its own callees become
        the caller's: an inlined body calls them."""
        code = self.callee_code.get(symbol)
        if not isinstance(code, JittedCallee):
            return None
        mine, its = self.options, code.record.options
        if (mine.boundscheck, mine.fastmath, mine.overflow) != (its.boundscheck, its.fastmath, its.overflow):
            return None
        module = code.artefact("opt")
        if module.phis or len(module.functions) != 1:
            return None
        for s, c in code.record.callee_code.items():
            self.callee_code.setdefault(s, c)
        return module.functions[0]


@dataclass(frozen=True)
class JittedCallee:
    """A jitted callee as its caller's compile sees it: the callee's own compile record, whose
    `opt` λ the caller's `inline` pass copies in, or, for a call left standing, whose LLVM IR the
    caller's `llvm-opt` stage links in (JIT LTO).  Both are made only when asked for (a callee
    loaded from the cache runs its stages then; a caller loaded from the cache asks for neither)."""

    record: CompileRecord

    def artefact(self, stage: str) -> Any:
        record = self.record
        if not dict.__contains__(record.artefacts, stage):
            timings = dict(record.timings)  # a cache hit's record keeps saying what the hit cost
            run_stages(record, until=stage)
            record.timings = timings
        return record.artefacts[stage]

    def bitcode(self) -> bytes:
        from .backend.llvm import codegen

        probe = self.record.cache
        if probe is not None and probe.status == "hit" and probe.pixie is not None:
            return probe.pixie.bitcode  # the entry holds it: no need to run the callee's stages
        return codegen.parse(self.artefact("llvm")).as_bitcode()

    def await_callees(self) -> None:
        """Wait until the jitted functions this callee calls run optimised code: its module, linked
        into a caller, calls them by their plain symbols, which only tier 1 defines (a callee
        compiled at tier 0 gets its tier 1 from the background)."""
        for code in self.record.callee_code.values():
            job = code.record.optimizing if isinstance(code, JittedCallee) else None
            if job is not None and not job.finished:
                job.wait()


def _called_symbols(module: Module) -> set[str]:
    from .ir import Op

    # (`fn_symbol`: the function `sorted(key=f)`, `map(f, ...)` and the like call per item)
    return {n.attr("symbol") or n.attr("fn_symbol") for fn in module.lambdas for n in fn.body.walk()
            if isinstance(n, Op) and (n.op in ("py.call", "py.callmethod") and n.attr("symbol")
                                      or n.attr("fn_symbol"))}


@dataclass(frozen=True)
class Stage:
    name: str
    description: str
    run: Callable[[CompileRecord], Any]
    text: Callable[[Any], str] = str


def print_module(module: Module) -> str:
    from .ir import print_module as print_ir_module  # (the IR package loads when a stage runs)

    return print_ir_module(module)


def _source(rec: CompileRecord) -> str:
    try:
        return inspect.getsource(rec.func)
    except (OSError, TypeError):
        return f"<source of {rec.func.__qualname__} is not available>"


class _Source:
    """The `source` stage's artefact: the text is read (`inspect.getsource` tokenizes the file)
    only when something prints it -- no later stage needs it to compile."""

    __slots__ = ("_record",)

    def __init__(self, record: CompileRecord):
        self._record = record

    def __str__(self) -> str:
        return _source(self._record)


_unique = itertools.count(1)


def _typed(rec: CompileRecord) -> Module:
    from .typing import infer, with_symbol

    module = infer(rec.artefacts["rvsdg"], rec.argtypes, resolve_call=rec.resolve_call,
                   func_name=rec.func.__name__, filename=rec.filename)
    # Functions of the same name from different cells share one JIT: give each compile its own symbol.
    symbol = rec.symbol or ".".join(["jitlab", rec.func.__qualname__.replace("<locals>.", ""),
                                     str(next(_unique)), *(str(t) for t in rec.argtypes)])
    return with_symbol(module, symbol)


def _rvsdg(rec: CompileRecord) -> Module:
    from . import frontend
    from .passes import CANONICAL_PIPELINE, PassManager

    canonical = PassManager(CANONICAL_PIPELINE)
    module, _ = canonical.run(frontend.build_rvsdg(rec.artefacts["regions"], rec.func))
    group = frontend.recursive_group(rec.func)
    if group:  # a recursive group: one φ of every member's λ (docs/ir.md, "φ")
        module = frontend.as_phi([(rec.func, module),
                                  *((f, canonical.run(frontend.to_rvsdg(f))[0]) for f in group[1:])])
    return module


def _opt(rec: CompileRecord) -> Module:
    from .passes import DEFAULT_PIPELINE, PassManager, resolve_passes

    passes = resolve_passes(rec.options.passes if rec.options.passes is not None else DEFAULT_PIPELINE)
    # e.g. `inline` copies in the jitted callees this compile resolved (`inline_candidate`),
    # `hoist` speculates int64 arithmetic when overflow wraps
    passes = tuple(p.for_compile(rec) for p in passes)
    module, records = PassManager(passes).run(rec.artefacts["typed"])
    rec.pass_records = records
    return module


def _llvm(rec: CompileRecord) -> str:
    opts = rec.options
    return llvm_backend.lower(rec.artefacts["opt"], boundscheck=opts.boundscheck, fastmath=opts.fastmath,
                              overflow=opts.overflow, filename=rec.filename)


def _linked_llvm(rec: CompileRecord) -> str:
    """The `llvm` stage's module with the callees whose calls were left standing linked in as
    internal copies (what both tiers compile: nothing in it refers to another function's code)."""
    if rec.linked_llvm is not None:
        return rec.linked_llvm
    text = rec.artefacts["llvm"]
    called = _called_symbols(rec.artefacts["opt"]) if rec.callee_code else ()
    rec.link_bitcode = []
    for symbol, code in rec.callee_code.items():  # calls left standing: link the callee in (JIT LTO)
        if symbol in called:
            if isinstance(code, JittedCallee):
                code.await_callees()
            bitcode = code.bitcode() if isinstance(code, JittedCallee) else code
            if not any(b is bitcode for b in rec.link_bitcode):
                rec.link_bitcode.append(bitcode)
    if rec.link_bitcode:
        from .pixie.library import link_for_inlining

        text = link_for_inlining(text, rec.link_bitcode)
    rec.linked_llvm = text
    return text


def _llvm_opt(rec: CompileRecord) -> str:
    module = llvm_backend.optimize_module(_linked_llvm(rec), level=rec.options.opt_level)
    rec.jit_module = module
    return str(module)


def _asm(rec: CompileRecord) -> str:
    return llvm_backend.emit_assembly(rec.artefacts["llvm-opt"])


def _frontend():
    from . import frontend

    return frontend


STAGES: tuple[Stage, ...] = (
    Stage("source", "the function's Python source", _Source),
    Stage("bytecode", "CPython bytecode decoded into jitlab's version-free vocabulary",
          lambda rec: _frontend().decode(rec.func)),
    Stage("flow", "basic blocks at real instruction offsets, with stack depths",
          lambda rec: _frontend().build_flow_graph(rec.artefacts["bytecode"])),
    Stage("regions", "structured control flow after Bahmann loop and branch restructuring",
          lambda rec: _frontend().restructure(rec.artefacts["flow"])),
    Stage("rvsdg", "the RVSDG in jitlab IR, untyped py.* ops, canonicalised", _rvsdg, print_module),
    Stage("typed", "the RVSDG with a type on every value", _typed, print_module),
    Stage("opt", "the typed RVSDG after the optimisation passes", _opt, print_module),
    Stage("llvm", "LLVM IR as lowered, before optimisation", _llvm),
    Stage("llvm-opt", "LLVM IR after the O3 pipeline of LLVM's new pass manager", _llvm_opt),
    Stage("asm", "host assembly", _asm),
)
STAGE_NAMES: tuple[str, ...] = tuple(s.name for s in STAGES)


@dataclass(frozen=True)
class Compiled:
    """A loaded specialisation: the builtin to call and what it was built from."""

    entry: Callable
    symbol: str
    argtypes: tuple[Type, ...]
    rettype: Type
    record: CompileRecord
    tier: int = 1  # 0: quick code (`load_quick`), 1: optimised
    quick_symbol: str | None = None  # tier 0: the symbol its code has in the JIT

    @property
    def wrapper(self) -> str:
        """The symbol of the entry's METH_FASTCALL wrapper in the JIT."""
        return f"{self.quick_symbol or self.symbol}.pywrap"

    @property
    def optimizing(self) -> bool:
        """Quick code whose optimised version is still being made."""
        job = self.record.optimizing
        return self.tier == 0 and job is not None and job.result is None and job.error is None


def run_stages(record: CompileRecord, until: str | None = None) -> CompileRecord:
    """Run the stages in order (up to and including `until`), filling `record`."""
    if until is not None and until not in STAGE_NAMES:
        raise ValueError(f"unknown stage {until!r}; stages are {', '.join(STAGE_NAMES)}")
    for stage in STAGES:
        if dict.__contains__(record.artefacts, stage.name):
            continue
        start = time.perf_counter()
        try:
            artefact = stage.run(record)
        except JitlabError as err:
            raise err.with_location(record.filename, record.func.__code__.co_firstlineno) from None
        record.artefacts[stage.name] = artefact
        texts = record.texts
        if isinstance(artefact, str) and stage.text is str:
            texts[stage.name] = artefact
        elif isinstance(texts, _StagesOnDemand):  # printed when read
            texts.defer(stage.name, lambda text=stage.text, artefact=artefact: text(artefact))
        else:
            texts[stage.name] = stage.text(artefact)
        _timed(record, stage.name, start)
        if stage.name == until:
            break
    return record


def _timed(record: CompileRecord, name: str, start: float) -> None:
    """Note a step's milliseconds: a new dict, as a reader in another thread may be iterating the
    old one (tier 1 runs in the background)."""
    record.timings = {**record.timings, name: (time.perf_counter() - start) * 1e3}


def _argnames(func) -> tuple[str, ...]:
    """The parameter names, positional then keyword-only: the native entry takes them all
    positionally; a lifted nested function's captured variables come first (frontend/closures.py)."""
    from .frontend.binding import parameter_names

    return tuple(getattr(func, "_jitlab_lifted_", ())) + parameter_names(func.__code__)


def load(record: CompileRecord) -> Compiled:
    """The `native` step: JIT the optimised module, wrap it as a CPython builtin."""
    from .backend.llvm import abi  # generating the wrapper: llvmlite's IR builder (a hit needs none)

    start = time.perf_counter()
    fn = record.artefacts["opt"].lambdas[0]
    symbol, argtypes, rettype = llvm_backend.native_signature(fn)
    engine = llvm_backend.get_engine()
    module, record.jit_module = record.jit_module or record.artefacts["llvm-opt"], None
    engine.add_ir(module)
    wrapper_ir, wrapper_symbol = abi.make_wrapper_ir(record.func.__name__, symbol, argtypes, rettype,
                                                     argnames=_argnames(record.func),
                                                     writable=llvm_backend.written_arguments(fn))
    native.load_wrapper_support()
    engine.add_ir(wrapper_ir, quick=True)  # glue: fast codegen (see JITEngine.add_ir)
    entry = native.make_builtin(record.func.__name__, engine.address_of(wrapper_symbol),
                                doc=record.func.__doc__, keepalive=engine, module=record.func.__module__)
    _timed(record, "native", start)
    return Compiled(entry, symbol, argtypes, rettype, record)


def load_quick(record: CompileRecord) -> Compiled:
    """Tier 0: the `llvm` stage's module through SROA and fast codegen
    (`codegen.quick_object`), under its symbols with `QUICK_SUFFIX`, and its CPython wrapper in
    the same object, wrapped as a builtin."""
    from .backend.llvm import abi, codegen

    start = time.perf_counter()
    fn = record.artefacts["opt"].lambdas[0]
    symbol, argtypes, rettype = llvm_backend.native_signature(fn)
    engine = llvm_backend.get_engine()
    # A symbol from a cache key names the same code each time that key is compiled in this
    # process (its entry not stored yet, or stored elsewhere): each tier 0 gets a number too.
    suffix = codegen.QUICK_SUFFIX if record.symbol is None else f"{codegen.QUICK_SUFFIX}.{next(_unique)}"
    wrapper_ir, wrapper_symbol = abi.make_wrapper_ir(record.func.__name__, symbol + suffix,
                                                     argtypes, rettype, argnames=_argnames(record.func),
                                                     writable=llvm_backend.written_arguments(fn))
    native.load_wrapper_support()
    engine.add_object(*codegen.quick_object(_linked_llvm(record), glue=wrapper_ir, suffix=suffix))
    entry = native.make_builtin(record.func.__name__, engine.address_of(wrapper_symbol),
                                doc=record.func.__doc__, keepalive=engine, module=record.func.__module__)
    _timed(record, "tier0", start)
    return Compiled(entry, symbol, argtypes, rettype, record, tier=0, quick_symbol=symbol + suffix)


def new_record(func: Callable, argtypes: tuple[Type, ...], options: Options = Options(),
               resolve_call: Callable | None = None, *, symbol: str | None = None) -> CompileRecord:
    """A record to run the stages on, noting the callees `resolve_call` resolves (see `_traced`)."""
    record = CompileRecord(func, tuple(argtypes), options, symbol=symbol)
    record.resolve_call = _traced(record, resolve_call)
    return record


def _traced(record: CompileRecord, resolve_call: Callable | None) -> Callable | None:
    """`resolve_call` that also notes each callee's symbol (and a PIXIE callee's bitcode) in `record`."""
    if resolve_call is None:
        return None

    def resolve(callee: str, argtypes: tuple[Type, ...]) -> tuple[Type, str]:
        if callee.startswith("typeof:"):  # the type of a function used as a value: no callee
            return resolve_call(callee, tuple(argtypes))
        rettype, symbol, *code = resolve_call(callee, tuple(argtypes))
        if (callee, tuple(argtypes), symbol) not in record.callees:
            record.callees.append((callee, tuple(argtypes), symbol))
            if code:
                record.callee_code[symbol] = code[0]
        return rettype, symbol

    return resolve


def _builtin(record: CompileRecord, symbol: str, argtypes, rettype) -> Compiled:
    engine = llvm_backend.get_engine()
    entry = native.make_builtin(record.func.__name__, engine.address_of(f"{symbol}.pywrap"),
                                doc=record.func.__doc__, keepalive=engine, module=record.func.__module__)
    return Compiled(entry, symbol, tuple(argtypes), rettype, record)


class _StagesOnDemand(dict):
    """A record's `texts` or `artefacts`, filled on demand so that compiling prints nothing.

    Two things wait here until something reads them (the explorer, `%%jit --show`, `stages()`,
    a test): the text of a stage that ran (`defer`: printing IR is a large part of a compile's
    time, and `jitlab.jit` never needs the text), and, while `_record` is set, the stages that
    did not run yet (a cache hit runs none; a JIT compile stops before `asm`).  Reading a text
    prints just that one; anything that asks for a missing stage or lists the entries runs the
    remaining stages once.  With `keep_timings` (a cache hit) the record's timings keep saying
    what the hit cost, not what the later stages did.
    """

    def __init__(self, record: CompileRecord | None = None, *, keep_timings: bool = False):
        super().__init__()
        self._record = record
        self._keep_timings = keep_timings
        self._deferred: dict[str, Callable[[], Any]] = {}
        # (a text is made once even when two threads read it at once: the background job making
        # tier 1 reads the record too)
        self._making = threading.RLock()

    def defer(self, key: str, make: Callable[[], Any]) -> None:
        """`self[key]` is `make()`, called on first read."""
        dict.__setitem__(self, key, None)
        self._deferred[key] = make

    def _fill(self) -> None:
        record = self._record
        if record.optimizing is not None:  # `llvm-opt` comes from the background job: not run twice
            record.optimizing.wait()
            if self._record is None:
                return
        texts, artefacts, timings = record.texts, record.artefacts, dict(record.timings)
        for d in (texts, artefacts):
            if isinstance(d, _StagesOnDemand):
                d._record = None
        try:
            run_stages(record)
            record.jit_module = None  # these stages are for reading, not loading
        finally:
            if self._keep_timings:
                record.timings = timings

    def _filled(self) -> _StagesOnDemand:
        if self._record is not None:
            self._fill()
        return self

    def __getitem__(self, key):
        if key in self._deferred:
            with self._making:
                make = self._deferred.get(key)
                if make is not None:
                    dict.__setitem__(self, key, make())
                    del self._deferred[key]
        elif not dict.__contains__(self, key):
            if self._record is None:
                raise KeyError(key)
            self._filled()
            return self[key]
        return dict.__getitem__(self, key)

    def __setitem__(self, key, value) -> None:
        self._deferred.pop(key, None)
        dict.__setitem__(self, key, value)

    def _resolved(self) -> _StagesOnDemand:
        self._filled()
        for key in list(self._deferred):
            self[key]
        return self

    def __contains__(self, key) -> bool:
        return dict.__contains__(self._filled(), key)

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __iter__(self):
        return dict.__iter__(self._filled())

    def __len__(self) -> int:
        return dict.__len__(self._filled())

    def keys(self):
        return dict.keys(self._filled())

    def values(self):
        return dict.values(self._resolved())

    def items(self):
        return dict.items(self._resolved())

    def copy(self) -> dict:
        return dict(self._resolved().items())

    def __eq__(self, other) -> bool:
        return dict.__eq__(self._resolved(), other)

    __hash__ = None

    def __repr__(self) -> str:
        return dict.__repr__(self._resolved())


def _load_cached(record: CompileRecord, probe: kernel_cache.Probe) -> Compiled | None:
    """A cache hit: its callees first (they must get the symbols the entry names), then its object code."""
    start = time.perf_counter()
    info = probe.pixie.functions[0]
    for callee, argtypes, symbol in info.callees:
        _, got = record.resolve_call(callee, argtypes)
        if got != symbol:
            probe.miss(f"callee {callee} resolves to {got}, the entry was built against {symbol}")
            return None
    for code in record.callee_code.values():  # a callee that missed (its entry evicted): the
        job = getattr(getattr(code, "record", None), "optimizing", None)  # code may call it by name
        if job is not None:
            job.wait()
    engine = llvm_backend.get_engine()
    if not engine.has_symbol(info.wrapper):
        variant = probe.pixie.choose()
        if variant is None:
            probe.miss("the entry has no variant this CPU runs")
            return None
        register_runtime_symbols(kernel_cache.runtime_objects(probe.store))
        try:
            engine.add_object(probe.pixie.sections[f"obj:{variant.isa}"], (info.symbol, info.wrapper))
        except JitlabError as exc:  # e.g. it calls a callee whose optimised code is not loaded here
            probe.miss(f"its code could not be loaded ({exc})")
            return None
    compiled = _builtin(record, info.symbol, info.argtypes, info.rettype)
    _timed(record, "cache-load", start)
    record.texts = _StagesOnDemand(record, keep_timings=True)
    record.artefacts = _StagesOnDemand(record, keep_timings=True)
    return compiled


# The stages a compile needs; the later ones (`asm`) run when something reads them.
_LAST_NEEDED = "llvm-opt"


def _run_for_jit(record: CompileRecord, until: str = _LAST_NEEDED) -> CompileRecord:
    """Run the stages up to `until`; the record's texts and artefacts run the rest on demand."""
    run_stages(record, until=until)
    artefacts = _StagesOnDemand(record)
    dict.update(artefacts, record.artefacts)
    texts = record.texts
    if not isinstance(texts, _StagesOnDemand):
        texts = _StagesOnDemand()
        dict.update(texts, record.texts)
    texts._record = record
    record.artefacts, record.texts = artefacts, texts
    return record


def compile_unit(func: Callable, argtypes: tuple[Type, ...], options: Options = Options(),
                 resolve_call: Callable | None = None, *, symbol: str | None = None) -> FunctionUnit:
    """Run every stage (loading nothing) and return what a PIXIE container holds of the result."""
    return function_unit(_run_for_jit(new_record(func, argtypes, options, resolve_call, symbol=symbol)))


def function_unit(record: CompileRecord) -> FunctionUnit:
    record.jit_module = None  # the unit's object code is made from its text
    fn = record.artefacts["opt"].lambdas[0]
    symbol, argtypes, rettype = llvm_backend.native_signature(fn)
    from .pixie.units import FunctionUnit

    return FunctionUnit(record.func.__name__, symbol, argtypes, rettype, record.texts["llvm"],
                        argnames=_argnames(record.func),
                        writable=llvm_backend.written_arguments(fn), doc=record.func.__doc__,
                        source=record.texts["source"],
                        callees=tuple((c, tuple(map(str, ts)), s) for c, ts, s in record.callees),
                        optimized_ir={"host": record.texts["llvm-opt"]})


def _label(record: CompileRecord) -> str:
    return f"{record.func.__qualname__}({', '.join(map(str, record.argtypes))})"


TIERS = ("auto", 0, 1)


def compile(func: Callable, argtypes: tuple[Type, ...], options: Options = Options(),
            resolve_call: Callable | None = None, cache: kernel_cache.CacheStore | None = None,
            tier: str | int = 1, on_optimized: Callable[[Compiled | None], None] | None = None) -> Compiled:
    """Compile `func` for `argtypes` through every stage and load it (or load it from `cache`).

    `tier` (docs/architecture.md, "tiers.py"): 1 loads the optimised code (O3); 0
    loads quick code only (`load_quick`); "auto" loads quick code now and makes the optimised
    code on the background thread (`tiers`), then calls `on_optimized` with it, or with None if
    that failed (in the thread that ran the job), and leaves the job in `record.optimizing`.
    The cache only ever stores and loads optimised code: a hit loads it whatever `tier` says; a
    miss with "auto" loads quick code and the background job stores the optimised code once it
    runs (`_compile_missed`), `tier` 1 stores it at once, `tier` 0 loads quick code and stores
    nothing."""
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {', '.join(map(repr, TIERS))}, got {tier!r}")
    record = new_record(func, argtypes, options, resolve_call)
    if cache is None:
        return _compile_tiered(record, tier, on_optimized)
    probe = record.cache = kernel_cache.lookup(func, record.argtypes, options, cache)
    if probe.digest is None:
        return _compile_tiered(record, tier, on_optimized)
    if probe.pixie is None:
        from . import cache_miss

        if cache_miss.wait_pending(probe):  # this process is writing that very entry: a hit once it has
            probe = record.cache = kernel_cache.lookup(func, record.argtypes, options, cache)
    record.symbol = ".".join(["jitlab", func.__qualname__.replace("<locals>.", ""), probe.digest[:16],
                              *(str(t) for t in record.argtypes)])
    record.timings["cache-lookup"] = probe.ms
    if probe.pixie is not None:
        compiled = _load_cached(record, probe)
        if compiled is not None:
            return compiled
        record.callees.clear()
        record.callee_code.clear()
        record.timings = {"cache-lookup": probe.ms}
    if tier == 0:  # (not stored, so not named by the key: the key may be compiled again here)
        record.symbol = None
        return load_quick(_run_for_jit(record, until="llvm"))
    from . import cache_miss

    if tier == "auto":
        return cache_miss.compile_missed(record, probe, on_optimized)
    return cache_miss.store_and_load(_run_for_jit(record), probe)


def _compile_tiered(record: CompileRecord, tier: str | int, on_optimized: Callable | None) -> Compiled:
    if tier == 1:
        return load(_run_for_jit(record))
    quick = load_quick(_run_for_jit(record, until="llvm"))
    if tier == "auto":
        from . import tiers

        def optimise() -> Compiled:
            run_stages(record, until=_LAST_NEEDED)
            return load(record)

        def done(compiled: Compiled | None, error: BaseException | None) -> None:
            if on_optimized is not None:
                on_optimized(compiled)  # None: it failed, the quick code stays

        record.optimizing = tiers.submit(tiers.Job(_label(record), optimise, done))
    return quick
