"""LLVM IR text → optimised IR, assembly, and machine code loaded into this process.

* `optimize` runs LLVM's standard `default<O{level}>` pipeline through llvmlite's
  new pass manager (`PassBuilder` + `PipelineTuningOptions`) for the host CPU, with
  runtime unrolling of loops that have one exit besides the latch's (`_run_pipeline`).
* `JITEngine` is one process-wide MCJIT engine.  MCJIT links modules against
  each other and against the running process (libm) in memory, so no system
  linker is needed; a jitted caller's module may be added after its callee's.
* `emit_assembly` prints the host CPU's assembly for the `asm` stage, using a
  non-JIT target machine so the listing shows the default code model.

LLVM's native target is initialised once, on first use.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from functools import cache

import llvmlite.binding as llvm

from jitlab.errors import LoweringError

from . import linkage

_init_lock = threading.Lock()
_initialized = False


def _initialize() -> None:
    global _initialized
    with _init_lock:
        if not _initialized:
            llvm.initialize_native_target()
            llvm.initialize_native_asmprinter()
            llvm.initialize_native_asmparser()
            _initialized = True


@cache
def host_target_machine(*, jit: bool = False, opt: int = 3) -> llvm.TargetMachine:
    """A target machine for this CPU (its name and features), for the JIT or for printing."""
    _initialize()
    target = llvm.Target.from_default_triple()
    return target.create_target_machine(cpu=llvm.get_host_cpu_name(),
                                        features=llvm.get_host_cpu_features().flatten(),
                                        opt=opt, jit=jit)


def parse(llvm_ir: str) -> llvm.ModuleRef:
    """Parse and verify LLVM IR text (a LoweringError, not a crash, on bad IR)."""
    _initialize()
    try:
        module = llvm.parse_assembly(llvm_ir)
        module.verify()
    except RuntimeError as exc:
        raise LoweringError(f"invalid LLVM IR: {exc}") from None
    tm = host_target_machine()
    module.triple = tm.triple
    module.data_layout = str(tm.target_data)
    return module


def optimize(llvm_ir: str, level: int = 3) -> str:
    """Run the standard `default<O{level}>` pipeline (level 0-3) and return the new IR text."""
    return str(optimize_module(llvm_ir, level))


def optimize_module(llvm_ir: str, level: int = 3) -> llvm.ModuleRef:
    """`optimize`, returning the module (for `JITEngine.add_ir`: no second parse)."""
    module = parse(llvm_ir)
    _run_pipeline(module, host_target_machine(), level, _side_exits(llvm_ir))
    return module


# LLVM runtime-unrolls a loop with a second exit (and one exiting block besides the latch) only
# when this option is set, or when that exit deoptimizes, which jitlab's code never does.  A loop
# with one raising check has that shape: every raise leaves through one exit block
# (`FunctionLowerer.exit_with`), and `int(float)` decides its exception before its one branch.
# A module that has a loop whose second exit would be the program's own (`lower.SIDE_EXITS`, a
# short-circuit `while` condition, a `break`) is optimized without it: such an exit is taken
# often, and unrolling its loop was measured a loss (insertion sort's inner loop: 1.27x slower).
_MULTI_EXIT_UNROLL = "-unroll-runtime-other-exit-predictable"
_pipeline_lock = threading.Lock()


def _side_exits(llvm_ir: str) -> bool:
    return "!jitlab.side_exits = " in llvm_ir


@contextmanager
def _multi_exit_unrolling():
    """Set `_MULTI_EXIT_UNROLL` for one pipeline run and restore LLVM's default after it.

    The option is process-wide; switching it off again keeps it from changing the code that
    another llvmlite user (Numba) compiles in this process outside jitlab's own runs."""
    with _pipeline_lock:
        llvm.set_option("", f"{_MULTI_EXIT_UNROLL}=true")
        try:
            yield
        finally:
            llvm.set_option("", f"{_MULTI_EXIT_UNROLL}=false")


def _run_pipeline(module: llvm.ModuleRef, tm: llvm.TargetMachine, level: int, side_exits: bool) -> None:
    """LLVM's `default<O{level}>` pipeline for `tm` on `module`, in place (with `_MULTI_EXIT_UNROLL`
    unless the module has loops with side exits of the program's own)."""
    pto = llvm.create_pipeline_tuning_options(speed_level=level)
    pto.loop_vectorization = level >= 2
    pto.slp_vectorization = level >= 2
    pb = llvm.create_pass_builder(tm, pto)
    if side_exits:
        pb.getModulePassManager().run(module, pb)
        return
    with _multi_exit_unrolling():
        pb.getModulePassManager().run(module, pb)


QUICK_SUFFIX = ".t0"


def quick_object(llvm_ir: str, glue: str | None = None, suffix: str = QUICK_SUFFIX
                 ) -> tuple[bytes, tuple[str, ...]]:
    """Tier-0 object code of a lowered module: fast to make, slower to run (`pipeline.compile`).

    One pass, SROA (allocas to SSA values), then LLVM's fast instruction selector and register
    allocator (codegen at -O0): the register allocator decides how fast such code runs, so
    instcombine or simplifycfg here cost compile time (about a tenth of tier 0's) and gained
    nothing measurable; no inlining, loop passes or vectorisers.  For the compile-time
    benchmark's functions this is a fifth to a tenth of O3 plus O3 codegen.  Every
    global the module defines (the function, φ members, anything not internal) gets `suffix`
    appended, so that tier 1 can later define the real names in the same JIT.  `glue` (the
    CPython wrapper's IR, naming the renamed symbols) is linked in after the passes: one object
    costs less than two.  Returns the object code and the global functions it defines."""
    module = parse(llvm_ir)
    for value in (*module.functions, *module.global_variables):
        if not value.is_declaration and value.linkage not in (llvm.Linkage.internal, llvm.Linkage.private):
            value.name = value.name + suffix
    tm = host_target_machine()
    pm = llvm.create_new_module_pass_manager()
    pm.add_sroa_pass()
    pm.add_strip_symbols_pass()  # line tables: see `strip_debug_info`
    pm.run(module, llvm.create_pass_builder(tm, llvm.create_pipeline_tuning_options(speed_level=1)))
    if glue is not None:
        module.link_in(parse(glue))
    return glue_object(module)


def strip_debug_info(module: llvm.ModuleRef) -> None:
    """Drop the line tables (and local value names) of a module about to be JIT-compiled: the
    running code never reads them (the `asm` stage and the explorer print from the IR text), and
    emitting the DWARF sections is about a seventh of the codegen time of a small function."""
    pm = llvm.create_new_module_pass_manager()
    pm.add_strip_symbols_pass()
    pm.run(module, llvm.create_pass_builder(host_target_machine(), llvm.create_pipeline_tuning_options()))


@cache
def target_machine_for(cpu: str, features: str, *, pic: bool = False, opt: int = 3) -> llvm.TargetMachine:
    """A target machine of the host's architecture for a named CPU variant (PIXIE, the cache).

    Object code for the JIT is static with the large code model: absolute addresses only, so
    MCJIT's loader needs no GOT (several PIC objects with GOT entries crash it on LLVM 22).
    `pic=True` is for code a system linker puts into a shared library.
    """
    _initialize()
    target = llvm.Target.from_default_triple()
    if pic:
        return target.create_target_machine(cpu=cpu, features=features, opt=opt, reloc="pic")
    return target.create_target_machine(cpu=cpu, features=features, opt=opt, reloc="static",
                                        codemodel="large")


def optimize_for(llvm_ir: str, cpu: str, features: str, level: int = 3) -> llvm.ModuleRef:
    """`optimize` for a given CPU variant instead of the host; returns the module."""
    module = parse(llvm_ir)
    tm = target_machine_for(cpu, features)
    module.triple = tm.triple
    module.data_layout = str(tm.target_data)
    _run_pipeline(module, tm, level, _side_exits(llvm_ir))
    return module


@cache
def host_cpu() -> tuple[str, str]:
    """The host CPU's LLVM name and feature string."""
    _initialize()
    return llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten()


def emit_object(llvm_ir: str | llvm.ModuleRef, cpu: str, features: str, *, pic: bool = False,
                opt: int = 3) -> bytes:
    """Relocatable object code of a module for a CPU variant: for `JITEngine.add_object`, or
    (`pic=True`) for a system linker.  `opt` is the codegen level (0: fast, for glue code)."""
    module = parse(llvm_ir) if isinstance(llvm_ir, str) else llvm_ir
    tm = target_machine_for(cpu, features, pic=pic, opt=opt)
    module.triple = tm.triple
    module.data_layout = str(tm.target_data)
    return tm.emit_object(module)


def glue_object(llvm_ir: str | llvm.ModuleRef) -> tuple[bytes, tuple[str, ...]]:
    """Object code of glue code (CPython wrappers, dispatch entries) made fast: LLVM's fast
    instruction selector and register allocator (codegen at -O0) take about a third of the
    time of -O3 codegen.  Returns the code and the global functions it defines."""
    module = parse(llvm_ir) if isinstance(llvm_ir, str) else llvm_ir
    defined = tuple(f.name for f in module.functions
                    if not f.is_declaration and f.linkage != llvm.Linkage.internal)
    return emit_object(module, *host_cpu(), opt=0), defined


def emit_assembly(llvm_ir: str) -> str:
    """Host-CPU assembly for the module (the `asm` stage)."""
    return host_target_machine().emit_assembly(parse(llvm_ir))


class JITEngine:
    """A process-wide in-memory JIT: `add_ir` modules, then `address_of` their symbols.

    Modules stay alive as long as the engine (machine code must not be freed
    while a compiled function may still be called).  Defining a symbol twice is
    an error: give each compilation its own symbol.
    """

    def __init__(self):
        _initialize()
        empty = llvm.parse_assembly("")
        self._engine = llvm.create_mcjit_compiler(empty, host_target_machine(jit=True))
        self._lock = threading.Lock()
        self._symbols: set[str] = set()
        self._provided: set[str] = set()  # every global symbol a loaded object defines
        linkage.register_libcalls()

    def add_ir(self, llvm_ir: str | llvm.ModuleRef, *, quick: bool = False) -> None:
        """Compile a module (IR text, or a parsed module that this call takes over) into the JIT,
        without its line tables (`strip_debug_info`).  `quick=True` is for glue code such
        as the CPython wrappers (mostly calls into the C API): codegen at -O0 (`glue_object`),
        loaded like a cached object (`add_object`)."""
        module = parse(llvm_ir) if isinstance(llvm_ir, str) else llvm_ir
        if quick:  # (glue has no line tables to strip)
            self.add_object(*glue_object(module))
            return
        strip_debug_info(module)
        defined = tuple(f.name for f in module.functions
                        if not f.is_declaration and f.linkage != llvm.Linkage.internal)
        # Code generation here rather than inside MCJIT, so `add_object` can check what the
        # machine code links against before MCJIT resolves it (see linkage.py).
        self.add_object(emit_object(module, *host_cpu()), defined)

    def add_object(self, data: bytes, symbols: tuple[str, ...] = ()) -> None:
        """Load relocatable object code (from `emit_object`) straight into the JIT, no linker.

        `symbols` are the global functions it defines (checked for clashes like `add_ir`'s).
        """
        table = linkage.object_symbols(data)
        with self._lock:
            clash = set(symbols) & self._symbols
            if clash:
                raise LoweringError(f"symbols already defined in the JIT: {', '.join(sorted(clash))}")
            if table is not None:
                provided, needed = table
                unresolved = sorted(name for name in needed - self._provided - provided
                                    if not llvm.address_of_symbol(name))
                if unresolved:
                    raise LoweringError(
                        f"the machine code calls {', '.join(unresolved)}, which nothing in this "
                        "process provides (a compiler runtime helper this platform lacks?)")
                self._provided |= provided
            self._engine.add_object_file(llvm.ObjectFileRef.from_data(data))
            self._engine.finalize_object()
            self._symbols |= set(symbols)

    def has_symbol(self, symbol: str) -> bool:
        return symbol in self._symbols

    def address_of(self, symbol: str) -> int:
        with self._lock:
            address = self._engine.get_function_address(symbol)
        if not address:
            raise KeyError(f"symbol {symbol!r} is not defined in the JIT")
        return address


_engine: JITEngine | None = None
_engine_lock = threading.Lock()


def get_engine() -> JITEngine:
    """The process-wide JIT engine (created on first use)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = JITEngine()
        return _engine
