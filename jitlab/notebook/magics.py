"""`%%jit`: compile the functions a notebook cell defines; `%jit_explore`, `%jit_cache`.

    %load_ext jitlab

    %%jit -s "int64(int64)" --show rvsdg,llvm-opt
    def fib(n): ...

The cell runs in the user namespace like any cell. Every function whose code comes from this
cell is then replaced, under the same name, by `jitlab.jit(...)(f)`: with `-s/--signature` it is
compiled at once (eagerly, only for those signatures, as `jitlab.jit("sig")` does), otherwise
lazily on its first call, once per argument types. A one-screen summary lists the functions,
their signatures, whether each came from the persistent cache (hit) or was compiled (miss, and
which part of the key changed) and the milliseconds each pipeline stage took.

`--show STAGE[,STAGE]` prints those stages (`all` for every one) for each eager signature right
away; for a lazily compiled function it prints them once, after the call that compiles its
first specialisation. `--explore` opens the explorer widget and `--annotate` shows the source
with a per-line heat map, at the same moments. The summary is an HTML table in a notebook and
text in a terminal.

`--target cuda` makes every function of the cell a CUDA kernel (`jitlab.cuda.kernel`): `-s`
compiles it to PTX at once (`--show ptx,ptx-resources`), and it runs on a GPU when there is one,
emulated on the CPU otherwise (`kernel[grid, block](...)`, `kernel.launch(n, ...)`).
`--passes` is the `opt` stage's pass list (names of registered passes, also ones defined in an
earlier cell); `--no-cache` compiles without the persistent cache, `--force` removes the cell's
functions' cache entries first, so they are compiled and stored afresh.

`%jit_explore f [args]` opens the explorer for `f` specialised to the arguments (Python
expressions evaluated in the user namespace, or one signature string).
`%jit_cache [list|info|clear] [FUNCTION ...]` shows the cache's entries (size, last use, hits),
why each signature of a function hit or missed, or empties it (see `cache_view.py`).

A cell that fails (a `JitlabError` while compiling, or any exception while the cell runs) leaves
the user namespace as it was: names the cell added are removed and names it rebound get their
old values back (objects it mutated in place stay mutated). A `JitlabError` is shown as its
message (the cell line, a caret and a hint) without jitlab's internal traceback, also when it
happens later, on the first call of a lazily compiled function; `--debug` or `%tb` shows the
full traceback.

This is the only part of jitlab that imports IPython.
"""
from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from IPython.display import display

from .. import cache as kernel_cache
from .. import cache_miss
from ..cuda.kernel import CUDA_STAGES, Kernel, kernel
from ..dispatch import Dispatcher, jit, parse_signature
from ..errors import JitlabError
from ..ir import Module
from ..pipeline import STAGE_NAMES, CompileRecord
from .annotate import Annotation
from .cache_view import CacheListing, CacheReport, folder_report, function_report
from .explorer import explore
from .render import IRView
from .summary import CompileSummary, SummaryRow

_DEBUG_FLAG = "_jitlab_show_traceback"


@dataclass(frozen=True)
class CellOptions:
    """The parsed `%%jit` line."""

    signatures: tuple[str, ...]
    show: tuple[str, ...]
    boundscheck: bool
    fastmath: bool
    debug: bool
    explore: bool = False
    annotate: bool = False
    passes: str | None = None
    target: str = "cpu"
    cache: bool = True
    force: bool = False
    overflow: str = "wrap"

    @property
    def after_compile(self) -> bool:
        """Whether something is shown for each compiled specialisation."""
        return bool(self.show or self.explore or self.annotate)


def unquote(text: str) -> str:
    """IPython's magic argument splitter keeps quotes (`-s "int64(int64)"`): drop one matching pair."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def target_stages(target: str) -> tuple[str, ...]:
    """The stages a compile for `target` records: a kernel's stop at `opt`, then its CUDA stages."""
    if target == "cuda":
        return (*STAGE_NAMES[:STAGE_NAMES.index("opt") + 1], *CUDA_STAGES)
    return STAGE_NAMES


def parse_show(spec: str | None, target: str = "cpu") -> tuple[str, ...]:
    """`"rvsdg,llvm-opt"` → `("rvsdg", "llvm-opt")`; `"all"` → every stage, in pipeline order."""
    if not spec:
        return ()
    stages = target_stages(target)
    names = [s.strip() for s in spec.split(",") if s.strip()]
    if "all" in names:
        return stages
    unknown = [n for n in names if n not in stages]
    if unknown:
        raise UsageError(f"--show: unknown stage {', '.join(map(repr, unknown))} for --target {target}; "
                         f"stages are {', '.join(stages)} (or all)")
    return tuple(names)


def split_signature(sig: str) -> tuple[str | None, str]:
    """`"NAME:SIG"` → (NAME, SIG); a bare SIG (which may hold `:` in array types such as
    `float64[::1]`) → (None, SIG)."""
    target, sep, rest = sig.partition(":")
    if sep and target.strip().isidentifier():
        return target.strip(), rest
    return None, sig


def signatures_for(name: str, signatures: tuple[str, ...]) -> tuple[str, ...]:
    """The `-s` signatures that apply to function `name`: `NAME:SIG` for it alone, a bare `SIG` for all."""
    found = []
    for target, sig in map(split_signature, signatures):
        if target is None or target == name:
            found.append(sig)
    return tuple(found)


def format_signature(name: str, argtypes, rettype=None) -> str:
    text = f"{name}({', '.join(map(str, argtypes))})"
    return f"{text} -> {rettype}" if rettype is not None else text


def format_stages(title: str, record: CompileRecord, names: tuple[str, ...]) -> str:
    """The requested stages' text, each under a `──── stage: title ────` heading."""
    blocks = []
    for name in names:
        text = record.texts.get(name, "<not produced>")
        blocks.append(f"──── {name}: {title} " + "─" * max(4, 60 - len(name) - len(title)))
        blocks.append(text.rstrip("\n"))
    return "\n".join(blocks)


def cell_functions(namespace: dict, filename: str) -> list[tuple[str, Callable]]:
    """(name, function) for every function bound in `namespace` whose code comes from `filename`.

    Functions the cell already wrapped with `@jitlab.jit` are included (as their dispatchers).
    """
    found = []
    for name, value in namespace.items():
        func = value.py_func if isinstance(value, Dispatcher) else value
        if inspect.isfunction(func) and func.__code__.co_filename == filename:
            found.append((func.__code__.co_firstlineno, name, value))
    return [(name, value) for _, name, value in sorted(found, key=lambda t: t[:2])]


def show_compiled(title: str, record: CompileRecord, options: CellOptions) -> None:
    """What `--show`, `--explore` and `--annotate` ask to see of one compiled specialisation."""
    if options.show:
        print(format_stages(title, record, options.show))
    if options.annotate:
        display(Annotation(record))
    if options.explore:
        display(explore(record))


def _show_after_first_compile(dispatcher: Dispatcher | Kernel, options: CellOptions) -> None:
    """Show `options`' stages/views once, after `dispatcher` compiles its first specialisation (on a call)."""
    method = "specialise" if isinstance(dispatcher, Kernel) else "compile"
    compile_once = getattr(dispatcher, method)

    def compile_and_show(sig):
        compiled = compile_once(sig)
        delattr(dispatcher, method)  # back to the class's method: show only the first specialisation
        title = format_signature(dispatcher.__name__, compiled.argtypes, getattr(compiled, "rettype", None))
        show_compiled(title, compiled.record, options)
        return compiled

    setattr(dispatcher, method, compile_and_show)


def device_functions(functions: list[tuple[str, Callable]]) -> set[str]:
    """In a `--target cuda` cell: the functions another function of the cell calls (device
    functions, compiled into the kernels that call them); the others become kernels."""
    called = set()
    for name, value in functions:
        func = getattr(value, "py_func", value)
        called.update(n for n in func.__code__.co_names if n != name)
    return {name for name, _ in functions if name in called}


class _NamespaceSnapshot:
    """The bindings of a namespace at one moment, to put back if a cell fails."""

    def __init__(self, namespace: dict):
        self.namespace = namespace
        self.saved = dict(namespace)

    def restore(self) -> None:
        ns = self.namespace
        for name in [n for n in ns if n not in self.saved]:
            del ns[name]
        for name, value in self.saved.items():
            if ns.get(name, _MISSING) is not value:
                ns[name] = value


_MISSING = object()


@magics_class
class JitMagics(Magics):
    """`%%jit`: compile the functions defined in the cell with jitlab."""

    @magic_arguments()
    @argument("-s", "--signature", action="append", default=[], metavar="SIG",
              help='Compile eagerly for SIG, e.g. "float64(float64, int64)"; repeat for more. '
                   '"NAME:SIG" applies to function NAME only, a bare SIG to every function of the cell.')
    @argument("--show", metavar="STAGE[,STAGE]",
              help=f"Print these stages ({', '.join(STAGE_NAMES)}, or all). Eager signatures print at "
                   "once; a lazily compiled function prints after its first call.")
    @argument("--no-boundscheck", action="store_true", help="Compile without index bounds checks.")
    @argument("--fastmath", action="store_true", help="Allow LLVM's fast-math floating point rewrites.")
    @argument("--overflow", choices=("raise", "wrap"), default="wrap",
              help="int64 overflow: wrap around (default, like NumPy and Numba) or raise OverflowError.")
    @argument("--target", choices=("cpu", "cuda"), default="cpu",
              help="Where the code runs: cpu (the default), or cuda: every function of the cell that "
                   "no other one calls becomes a CUDA kernel (jitlab.cuda.kernel; the called ones are "
                   "its device functions), shown with --show ptx,ptx-resources; it runs on a GPU when "
                   "there is one, else emulated on the CPU.")
    @argument("--passes", metavar="PASS[,PASS]",
              help="The opt stage's RVSDG passes, in order: names of registered passes (see "
                   "jitlab.passes.DEFAULT_PIPELINE), also ones defined in an earlier cell with "
                   "@jitlab.passes.module_pass.")
    @argument("--no-cache", action="store_true",
              help="Do not read or write the persistent kernel cache (%%jit_cache shows it).")
    @argument("--force", action="store_true",
              help="Remove the cell's functions' cache entries first: compile afresh and store anew.")
    @argument("--explore", action="store_true",
              help="Open the explorer widget (every stage, linked source lines) for each specialisation; "
                   "for a lazy function after its first call.")
    @argument("--annotate", action="store_true",
              help="Show the source with a per-line heat map (IR nodes, LLVM instructions) and each "
                   "line's IR on click; for a lazy function after its first call.")
    @argument("--debug", action="store_true", help="Show jitlab's internal traceback on errors.")
    @cell_magic
    def jit(self, line: str, cell: str):
        """Compile the functions this cell defines and bind the compiled versions in its namespace."""
        args = parse_argstring(self.jit, line)
        options = CellOptions(signatures=tuple(map(unquote, args.signature)),
                              show=parse_show(args.show and unquote(args.show), args.target),
                              boundscheck=not args.no_boundscheck, fastmath=args.fastmath, debug=args.debug,
                              explore=args.explore, annotate=args.annotate,
                              passes=args.passes and unquote(args.passes), target=args.target,
                              cache=not args.no_cache, force=args.force, overflow=args.overflow)
        snapshot = _NamespaceSnapshot(self.shell.user_ns)
        try:
            summary, shown = self._run(cell, options)
        except BaseException as err:
            snapshot.restore()
            if isinstance(err, JitlabError) and options.debug:
                setattr(err, _DEBUG_FLAG, True)
            raise
        display(summary)
        for title, record in shown:
            show_compiled(title, record, options)

    def _run(self, cell: str, options: CellOptions) -> tuple[CompileSummary, list[tuple[str, CompileRecord]]]:
        shell = self.shell
        # A leading newline makes line numbers in errors those of the notebook cell (line 1 is %%jit).
        source = "\n" + shell.transform_cell(cell)
        filename = shell.compile.cache(source, shell.execution_count)
        exec(shell.compile(source, filename, "exec"), shell.user_ns)

        functions = cell_functions(shell.user_ns, filename)
        if not functions:
            return CompileSummary([], ("the cell defines no function",)), []
        named = [n for n, _ in functions]
        unmatched = [s for s in options.signatures if split_signature(s)[0] not in (None, *named)]
        if unmatched:
            raise UsageError(f"-s {unmatched[0]!r} names no function of this cell ({', '.join(named)})")

        if options.target == "cuda":
            return self._summary(self._kernels(functions, options), options)
        jit_options = {"boundscheck": options.boundscheck, "fastmath": options.fastmath,
                       "cache": options.cache, "overflow": options.overflow}
        if options.passes is not None:
            jit_options["passes"] = [p.strip() for p in options.passes.split(",") if p.strip()]
        if options.force:
            cache_miss.wait_for_writes()  # (an entry still being written would come back)
            for _, value in functions:
                kernel_cache.forget(value)
        decorate = jit(**jit_options)
        # Bind the lazy ones first, so eager compiles that call them find the bound dispatchers.
        plan = [(name, value, signatures_for(name, options.signatures)) for name, value in functions]
        dispatchers: dict[str, Dispatcher] = {}
        for name, value, sigs in plan:
            if isinstance(value, Dispatcher):
                dispatchers[name] = value
            elif not sigs:
                dispatchers[name] = shell.user_ns[name] = decorate(value)
                if options.after_compile:
                    _show_after_first_compile(dispatchers[name], options)
        for name, value, sigs in plan:
            if sigs and not isinstance(value, Dispatcher):
                dispatchers[name] = shell.user_ns[name] = jit(*sigs, **jit_options)(value)
        return self._summary(dispatchers, options)

    def _kernels(self, functions: list[tuple[str, Callable]], options: CellOptions) -> dict[str, Kernel]:
        """`--target cuda`: bind a `jitlab.cuda.kernel` for each function no other one calls."""
        if options.passes is not None:
            raise UsageError("--passes is not supported with --target cuda (kernels run the default passes)")
        devices = device_functions(functions)
        kernels = {}
        for name, value in functions:
            if name in devices:
                continue
            # Bounds checks stay off in kernels, as in CUDA (jitlab.cuda.kernel's default).
            kern = kernel(getattr(value, "py_func", value), fastmath=options.fastmath)
            kernels[name] = self.shell.user_ns[name] = kern
            sigs = signatures_for(name, options.signatures)
            for sig in sigs:
                kern.specialise(parse_signature(sig)[1])
            if not sigs and options.after_compile:
                _show_after_first_compile(kern, options)
        return kernels

    @staticmethod
    def _summary(dispatchers: dict[str, Dispatcher | Kernel], options: CellOptions,
                 notes: tuple[str, ...] = ()) -> tuple[CompileSummary, list[tuple[str, CompileRecord]]]:
        """The summary table, and (title, record) of every eager specialisation to show."""
        rows = []
        shown = []
        for name, dispatcher in dispatchers.items():
            is_kernel = isinstance(dispatcher, Kernel)
            overloads = dispatcher.specialisations if is_kernel else dispatcher.overloads
            if not overloads:
                later = ", shown after the first call" if options.after_compile else ""
                rows.append(SummaryRow(name, None, None, (" (CUDA kernel)" if is_kernel else "") + later))
            for argtypes, compiled in overloads.items():
                title = format_signature(name, argtypes, None if is_kernel else compiled.rettype)
                rows.append(SummaryRow(name, title, compiled.record))
                shown.append((title, compiled.record))
        return CompileSummary(rows, notes), shown

    @line_magic
    def jit_explore(self, line: str):
        """%jit_explore f [args]: the explorer for f specialised to args (Python expressions in the
        user namespace, comma-separated; or one signature string such as "float64(float64)")."""
        name, _, rest = line.strip().partition(" ")
        if not name:
            raise UsageError("usage: %jit_explore FUNCTION [ARG, ...]")
        ns = self.shell.user_ns
        try:
            func = eval(name, ns)
            args = eval(f"({rest},)", ns) if rest.strip() else ()
        except Exception as err:
            raise UsageError(f"%jit_explore {line.strip()}: {type(err).__name__}: {err}") from None
        return explore(func, *args)

    @magic_arguments()
    @argument("action", nargs="?", choices=("list", "info", "clear"), default="list",
              help="list: every entry (function, signature, size, last use, hits by this process); "
                   "info: the folder, and for each jitted FUNCTION (default: every one in the namespace) "
                   "whether each signature was a cache hit or a miss and which part of its key changed; "
                   "clear: remove the entries of FUNCTION (default: every entry).")
    @argument("functions", nargs="*", metavar="FUNCTION",
              help="jitted functions of the namespace (for info and clear)")
    @argument("--dir", help="the cache folder (default: jitlab.cache.get_store()'s)")
    @line_magic
    def jit_cache(self, line: str):
        """%jit_cache [list|info|clear] [FUNCTION ...]: the persistent kernel cache (as `jitlab cache`)."""
        args = parse_argstring(self.jit_cache, line)
        cache_miss.wait_for_writes()  # (entries of the cells just run: written in the background)
        store = kernel_cache.get_store(args.dir)
        ns = self.shell.user_ns
        missing = [n for n in args.functions if n not in ns]
        if missing:
            raise UsageError(f"%jit_cache {args.action}: no {', '.join(missing)} in the namespace")
        if args.action == "list":
            if args.functions:
                raise UsageError("%jit_cache list takes no FUNCTION (info FUNCTION says why it missed)")
            return CacheListing.of(store)
        if args.action == "clear":
            if not args.functions:
                return CacheReport((f"removed {store.clear()} entries from {store.root}",))
            removed = sum(kernel_cache.forget(ns[n], store) for n in args.functions)
            names = ", ".join(args.functions)
            return CacheReport((f"removed {removed} entries of {names} from {store.root}",))
        names = args.functions or [n for n, v in ns.items()
                                   if isinstance(v, Dispatcher) and not n.startswith("_") and v.overloads]
        report = function_report([(n, ns[n]) for n in names]).lines
        return CacheReport((*folder_report(store).lines, *report))


def _show_jitlab_error(shell, etype, value, tb, tb_offset=None):
    """IPython custom-exception handler: a JitlabError prints as its message, not a traceback."""
    if getattr(value, _DEBUG_FLAG, False):
        stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    else:
        stb = [f"{etype.__name__}: {value}", "(%tb shows the full traceback; %%jit --debug shows it always)"]
    # `_showtraceback` is the display hook IPython's kernels override (ipykernel sends an error message).
    shell._showtraceback(etype, value, stb)
    return stb


def register_formatters(ipython) -> None:
    """Show `jitlab.ir.Module` values as highlighted IR (+ region JSON): the IR cannot import us."""
    formatter = ipython.display_formatter.mimebundle_formatter
    formatter.for_type(Module, lambda module, include=None, exclude=None: IRView(module)._repr_mimebundle_())


def load_ipython_extension(ipython) -> None:
    """`%load_ext jitlab`: register the magics, the rich display of IR modules and the
    message-only display of jitlab errors."""
    ipython.register_magics(JitMagics)
    register_formatters(ipython)
    if not ipython.custom_exceptions or ipython.custom_exceptions == (JitlabError,):
        ipython.set_custom_exc((JitlabError,), _show_jitlab_error)
    else:
        print("jitlab: another custom exception handler is installed; jitlab errors show full tracebacks",
              file=sys.stderr)
