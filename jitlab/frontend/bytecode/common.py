"""Decoding machinery shared by the per-version decoders.

A per-version module supplies a table `opname -> handler`; a handler turns
one raw instruction (`raw.RawInstruction`) into zero or more vocabulary operations
`(op, arg, target)`, or `(op, arg, target, (line, col))` for one at another
source position.  This module walks the raw instructions, keeps positions,
refuses unsupported constructs by name and unknown opcodes with
`UnsupportedBytecode`, and records CPython's own stack effects for the flow
graph's cross-check.  It never asks which Python is running: what differs
between versions lives in the tables.
"""
from __future__ import annotations

import ast
import dis
import inspect
import linecache
from types import CodeType
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

from jitlab.errors import UnsupportedBytecode, UnsupportedError
from jitlab.frontend.binding import parameter_names

from .nested import (
    captured_cells, hidden_closure_item, hide_closure_tuples, is_comprehension, make_function,
    plan_runtime_defaults, return_with_writes, store_defaults, written_cells, written_free_vars,
)
from .raw import ArgFormat, get_instructions
from .instructions import (
    BINARY_OPERATORS, RAISE_OPS, RAISING_OPS, SCOPE_MARK, UNSUPPORTED_CONSTRUCTS, DecodedCode,
    DIS_EFFECTS, VOCABULARY, Instruction, dis_stack_effect, dis_stack_effects, effects,
)

Op = tuple  # (op, arg, target)


@dataclass(slots=True)
class Context:
    """What a handler may look at besides its own raw instruction.

    One per code object decoded: the function's own, and each comprehension or generator
    expression inlined into it (see `inline_comprehension`); `scopes` is shared by all of them.
    """

    code: Any
    raws: list
    index: int
    version: str                          # "3.12": the decoder's own version, for messages
    kwnames: tuple[str, ...] = ()         # set by 3.11/3.12 KW_NAMES for the next CALL
    # Comprehension scopes, innermost last: Python name -> environment key (`x$1`).
    scopes: list = field(default_factory=list)
    # The current raw instruction has no CPython stack counterpart in the vocabulary (a hidden
    # function object, a comprehension's saved local): record its vocabulary effect as CPython's.
    unchecked: bool = False
    inline: Any = None                    # set by a handler: decode this code object next, inline
    pending: list = field(default_factory=list)   # comprehension code objects made, not yet called
    skip: set = field(default_factory=set)        # raw indices that decode to nothing (handler code)
    known_handlers: set = field(default_factory=set)  # exception-table targets understood
    hidden: set = field(default_factory=set)      # raw indices of hidden shuffles (`SWAP`)
    closure_tuples: set = field(default_factory=set)  # raw indices of nested functions' closure tuples
    default_tuples: dict = field(default_factory=dict)     # raw index -> hidden keys of run-time defaults
    function_defaults: dict = field(default_factory=dict)  # MAKE_FUNCTION's raw index -> those keys
    nested: bool = False                  # decoding an inlined comprehension's own code object
    cells: frozenset = frozenset()        # cell names read as locals (captured by comprehensions)
    lifted: frozenset = frozenset()       # a nested function's captured variables (its parameters)
    captured: tuple = ()                  # variables nested functions capture: each call reads them
    written: tuple = ()                   # variables nested functions assign: each call may change them
    returns_writes: tuple = ()            # a nested function's `nonlocal` variables, returned with its value
    restores: list = field(default_factory=list)  # open 3.12+ scopes: (end offset, names to restore)
    plans: dict = field(default_factory=dict)     # 3.12+: raw index -> (names, end) of a comprehension
    constant_display: int = -2            # raw index of a display's constant tuple (see `build`)
    # try statements: what protects an inlined code object's instructions (its call's protection),
    # and the protection of the current instruction; (absolute handler offset, depth, lasti)
    outer_entry: tuple | None = None
    last_entry: tuple | None = None

    def next_raw(self, k: int = 1):
        j = self.index + k
        return self.raws[j] if j < len(self.raws) else None

    def key(self, name: str) -> str:
        """The environment key of a Python local: renamed inside a comprehension's scope."""
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return name

    def open_scope(self, names) -> None:
        depth = len(self.scopes) + 1
        self.scopes.append({n: f"{n}{SCOPE_MARK}{depth}" for n in names})


Handler = Callable[[Any, Context], list]


def pure(handler: Handler) -> Handler:
    """Mark a handler whose ops depend on nothing but its own raw instruction (it reads no other
    instruction and sets nothing on the context): where no `try`, comprehension scope or
    special index applies, the decoder calls it without the context's bookkeeping."""
    handler.pure = True
    return handler


def pure_locals(handler: Handler) -> Handler:
    """`pure`, for a handler whose ops read or write locals (renamed in a comprehension's scope)."""
    handler.pure = "locals"
    return handler


def const(value) -> Handler:
    return lambda raw, ctx: [("const", value, None)]


def load_const(raw, ctx):
    """A constant; a constant tuple unpacked at once pushes its items instead (last first),
    each at its own source position (see `item_positions`)."""
    nxt = ctx.next_raw()
    if is_comprehension(raw.argval):  # the code of a comprehension's function object: hidden
        ctx.unchecked = True
        return []
    if ctx.nested and raw.argval is None and nxt is not None and nxt.opname == "RETURN_VALUE":
        ctx.unchecked = True  # a generator expression's final `return None`
        return []
    if isinstance(raw.argval, tuple) and nxt is not None and nxt.opname == "UNPACK_SEQUENCE" \
            and nxt.arg == len(raw.argval):
        where = item_positions(raw, ctx, len(raw.argval))
        return [("const", v, None, p) for v, p in zip(reversed(raw.argval), reversed(where))]
    return [("const", raw.argval, None)]


# outside a comprehension, a constant other than a tuple or a code object is just itself
load_const.plain = ("const", None, True, False, (tuple, CodeType))


def item_positions(raw, ctx, count: int) -> list:
    """(line, col) of each item of a constant tuple display such as `a, b = 0, 1`.

    Where the compiler folded the display into one constant tuple (3.11-3.13), the instruction
    only has the display's span; 3.14 loads each item by itself, at the item's position.  The
    items' columns come from the source line (the display's span, parsed), so both give one
    graph; without the source, every item gets the display's position.
    """
    line, col = _position(raw, ctx.code.co_firstlineno)
    fallback = [(line, col)] * count
    pos = raw.positions
    if pos is None or pos.lineno is None or pos.end_lineno != pos.lineno or pos.col_offset is None \
            or pos.end_col_offset is None:
        return fallback
    text = linecache.getline(ctx.code.co_filename, pos.lineno)[pos.col_offset:pos.end_col_offset]
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError:
        return fallback
    if not isinstance(tree, ast.Tuple) or len(tree.elts) != count:
        return fallback
    return [(line, pos.col_offset + e.col_offset) for e in tree.elts]


def build_tuple(raw, ctx):
    """`BUILD_TUPLE n; UNPACK_SEQUENCE n` (`a, b, c, d = d, c, b, a`) folds away: no tuple value.

    Any other tuple display is a value: `build_tuple n`.
    """
    nxt = ctx.next_raw()
    if nxt is not None and nxt.opname == "UNPACK_SEQUENCE" and nxt.arg == raw.arg:
        return []
    if nxt is not None and nxt.opname.startswith("LOAD_CONST") and is_comprehension(nxt.argval):
        ctx.unchecked = True  # the closure tuple of a comprehension's function object: hidden
        return [("pop", None, None)] * raw.arg
    return [("build_tuple", raw.arg, None)]


def unpack_sequence(raw, ctx):
    """The second half of the folds above (the items are already on the stack, reversed), else
    `unpack n` of a runtime value (`a, b = t`)."""
    prev = ctx.raws[ctx.index - 1] if ctx.index > 0 else None
    if prev is not None and prev.opname == "BUILD_TUPLE" and prev.arg == raw.arg:
        return [("reverse", raw.arg, None)]
    if prev is not None and prev.opname.startswith("LOAD_CONST") and isinstance(prev.argval, tuple) \
            and len(prev.argval) == raw.arg:
        return []
    return [("unpack", raw.arg, None)]


def raise_varargs(raw, ctx):
    """`raise E` / `raise E(...)`; a bare `raise` re-raises the exception being handled;
    `raise ... from ...` is refused."""
    if raw.arg == 1:
        return [("raise", None, None)]
    if raw.arg == 0:
        return [("raise_handled", None, None)]
    raise UnsupportedError("raise ... from ... (exception chaining)")


def delete_fast(raw, ctx):
    """`del x` is refused, but for the cleanup of `except E as x` (`x = None; del x`): unbinds x."""
    prev = ctx.raws[ctx.index - 2:ctx.index] if ctx.index > 1 else []
    if len(prev) == 2 and prev[0].opname == "LOAD_CONST" and prev[0].argval is None \
            and prev[1].opname == "STORE_FAST" and prev[1].argval == raw.argval:
        return [("delete_local", raw.argval, None)]
    raise UnsupportedError("del statement")


def load_builtin(name: str) -> Handler:
    return simple("load_builtin", name)


@pure
def binary_slice(raw, ctx):
    """`a[i:j]` in one instruction (3.12+): the slice, then a plain subscript."""
    return [("build_slice", 2, None), ("getitem", None, None)]


@pure
def store_slice(raw, ctx):
    """`a[i:j] = v` in one instruction (3.12+): the slice, then a plain item store."""
    return [("build_slice", 2, None), ("setitem", None, None)]


def plain(op: str, arg=None, *, argval: bool = False, target: bool = False) -> Handler:
    """A handler of one op that reads nothing but its raw instruction: `op arg`, or `op argval`
    (`argval`), or `op arg -> argval` (`target`: a jump).  The decoder copies such ops itself
    where nothing else applies (no `try`, no comprehension scope), without calling the handler
    (`handler.plain`: op, arg, argval?, target?, and the types of `argval` for which the handler
    must run after all)."""
    if op not in VOCABULARY:
        raise ValueError(f"{op!r} is not a vocabulary op")
    if argval:
        def handler(raw, ctx):
            return [(op, raw.argval, None)]
    elif target:
        def handler(raw, ctx):
            return [(op, arg, raw.argval)]
    else:
        def handler(raw, ctx):
            return [(op, arg, None)]
    handler.plain = (op, arg, argval, target, ())
    return handler


def simple(op: str, arg=None) -> Handler:
    return plain(op, arg)


@pure
def binary_op(raw, ctx):
    """BINARY_OP: argument -> operator; an in-place form is the operator with `=` (`+=`)."""
    n = len(BINARY_OPERATORS)
    if not 0 <= raw.arg < 2 * n:
        raise _unknown(raw, ctx, f"BINARY_OP argument {raw.arg}")
    op = BINARY_OPERATORS[raw.arg % n]
    return [("binary", op + "=" if raw.arg >= n else op, None)]


CONVERSIONS = {0: None, 1: "s", 2: "r", 3: "a"}  # FORMAT_VALUE's and CONVERT_VALUE's argument


@pure
def format_value(raw, ctx):
    """3.11/3.12 `FORMAT_VALUE`: the low two bits convert (`!s`, `!r`, `!a`), bit 2 says a
    format spec is on the stack above the value."""
    return [("format", (CONVERSIONS[raw.arg & 3], bool(raw.arg & 4)), None)]


@pure
def contains_op(raw, ctx):
    return [("compare", "notin" if raw.arg else "in", None)]


@pure
def is_op(raw, ctx):
    return [("compare", "isnot" if raw.arg else "is", None)]


def branch(cond: str) -> Handler:
    return plain("branch", cond, target=True)


def branch_or_pop(cond: str) -> Handler:
    return plain("branch_or_pop", cond, target=True)


jump = plain("jump", target=True)


def load_global(null_first: bool) -> Handler:
    """LOAD_GLOBAL; the low bit asks for a NULL beside the callable (below it when `null_first`).

    `call` accepts the NULL on either side of the callable, so the order only
    matters to instructions that work on the top of the stack (`LOAD_ATTR`).
    """
    @pure
    def handler(raw, ctx):
        ops = [("load_global", raw.argval, None)]
        if raw.arg & 1:
            ops.insert(0 if null_first else 1, ("push_null", None, None))
        return ops
    return handler


@pure
def load_method(raw, ctx):
    """Method-form attribute load (`LOAD_METHOD`, `LOAD_ATTR` with the low bit): pops the object,
    pushes "callable, self" for a method of a runtime value and "callable, NULL" for a module's
    function.  CPython's NULL position differs per version; `call` accepts either side, so the
    vocabulary keeps one order.
    """
    return [("load_method", raw.argval, None)]


@pure_locals
def store_then_load(raw, ctx):
    a, b = raw.argval
    return [("store_local", a, None), ("load_local", b, None)]


@pure_locals
def load_load(raw, ctx):
    a, b = raw.argval
    return [("load_local", a, None), ("load_local", b, None)]


@pure_locals
def store_store(raw, ctx):
    a, b = raw.argval
    return [("store_local", a, None), ("store_local", b, None)]


@pure
def return_const(raw, ctx):
    return [("const", raw.argval, None), ("return", None, None)]


# -- comprehensions and generator expressions ---------------------------------------------------
#
# A comprehension is a loop that builds its container in the caller's graph.  3.11 compiles list,
# set and dict comprehensions, and every version compiles generator expressions, to a nested code
# object made by `MAKE_FUNCTION` and called at once with the iterator (`GET_ITER; CALL 0`); 3.12+
# inline list, set and dict comprehensions (PEP 709), saving the names they bind with
# `LOAD_FAST_AND_CLEAR` and restoring them after the loop and in an exception-table cleanup.
# Both become the same vocabulary: the nested code is decoded in place of the call, the function
# object and the saved values never reach the vocabulary's stack (`ctx.unchecked`), and the
# comprehension's own names are renamed to keys of its scope (`x$1`: depth 1), so they never
# clobber the caller's variables of the same name.  The canonical shape, on the stack below
# `it`: `build_list 0; swap 2; for_iter ...; list_append k; ...` leaving the list.  A generator
# expression is materialised the same way as a list (`yield v` appends), so `sum(x for x in xs)`
# is `sum` of a list built by the loop.

# `COMPREHENSIONS` and `is_comprehension` live in `nested.py` with the other nested code objects.


def load_closure(raw, ctx):
    """A cell put into a comprehension's closure tuple: a placeholder the tuple pops."""
    return [("const", None, None)]


def deref(store: bool) -> Handler:
    """`LOAD_DEREF`/`STORE_DEREF`: a cell shared with a comprehension or nested function is a
    plain local of the caller, and so is a captured variable inside a nested function (its
    lifted parameter, `closures.py`); a free variable of the function itself is read from its
    closure (`load_deref`)."""
    def handler(raw, ctx):
        name = raw.argval
        if name in ctx.cells:  # a lifted `nonlocal` variable is returned with the value (`returns_writes`)
            return [("store_local" if store else "load_local", name, None)]
        if store:
            raise UnsupportedError("closure variable assigned in the function")
        return [("load_deref", name, None)]
    return handler


def comprehension_call(raw, ctx) -> bool:
    """Is this `CALL 0` the call of a comprehension's function object with its iterator?"""
    if raw.arg != 0 or not ctx.pending:
        return False
    j = ctx.index - 1
    while j >= 0 and ctx.raws[j].opname in ("PRECALL", "CACHE"):
        j -= 1
    return j >= 0 and ctx.raws[j].opname == "GET_ITER"


def inline_comprehension(raw, ctx):
    """The call: the nested code object is decoded next, in its place (see above)."""
    ctx.inline = ctx.pending.pop()
    ctx.unchecked = True
    return []


def build(kind: str) -> Handler:
    """`BUILD_LIST n`, `BUILD_SET n`, `BUILD_MAP n` (a `build_map` pops n keys and n values).

    A display of constants (`[1, 2, 3]`: `BUILD_LIST 0; LOAD_CONST (1, 2, 3); LIST_EXTEND 1`)
    becomes `build_list 3` of the constants, as a display of variables is."""
    def handler(raw, ctx):
        const, extend = ctx.next_raw(), ctx.next_raw(2)
        if kind in ("build_list", "build_set") and raw.arg == 0 and const is not None \
                and const.opname.startswith("LOAD_CONST") and isinstance(const.argval, (tuple, frozenset)) \
                and extend is not None and extend.opname in ("LIST_EXTEND", "SET_UPDATE") and extend.arg == 1:
            ctx.unchecked = True
            ctx.constant_display = ctx.index + 1
            return []
        return [(kind, raw.arg, None)]
    return handler


def constant_display_items(raw, ctx):
    """The constant tuple of a display (see `build`): its items; then the display's build op."""
    ctx.unchecked = True
    if raw.opname.startswith("LOAD_CONST"):
        return [("const", v, None) for v in raw.argval]
    count = len(ctx.raws[ctx.index - 1].argval)
    return [("build_list" if raw.opname == "LIST_EXTEND" else "build_set", count, None)]


def build_const_key_map(raw, ctx):
    """`BUILD_CONST_KEY_MAP n` (3.11-3.13: `{1: a, 2: b}`): the n values, then the tuple of keys
    that the `LOAD_CONST` before it pushed; the op carries the keys."""
    keys = ctx.raws[ctx.index - 1] if ctx.index else None
    if keys is None or not keys.opname.startswith("LOAD_CONST") or not isinstance(keys.argval, tuple) \
            or len(keys.argval) != raw.arg:
        line, col = _position(raw, ctx.code.co_firstlineno)
        raise UnsupportedError("dict display", filename=ctx.code.co_filename, line=line, col=col)
    return [("build_const_key_map", keys.argval, None)]


def container_add(kind: str) -> Handler:
    """`LIST_APPEND k`, `SET_ADD k`, `MAP_ADD k`: add to the container k deep."""
    return plain(kind, argval=True)  # argval: the argument itself


def _open_loops(ctx) -> int:
    """How many `FOR_ITER` loops of the current code enclose the current instruction."""
    here = ctx.raws[ctx.index].offset
    return sum(1 for r in ctx.raws[:ctx.index]
               if r.opname == "FOR_ITER" and r.argval is not None and r.argval > here)


def _nested_return_generator(raw, ctx):
    """A generator expression starts: its values go to a list below the iterator."""
    ctx.unchecked = True
    nxt = ctx.next_raw()
    if nxt is not None and nxt.opname == "POP_TOP":
        ctx.skip.add(ctx.index + 1)
    return [("build_list", 0, None)]


def _nested_yield(raw, ctx):
    """`yield v` in a generator expression: append v to its list (below the open iterators)."""
    ctx.unchecked = True
    for k in (1, 2):  # `RESUME` then `POP_TOP` of the sent value
        nxt = ctx.next_raw(k)
        if nxt is not None and nxt.opname == "POP_TOP":
            ctx.skip.add(ctx.index + k)
            break
    return [("list_append", 1 + _open_loops(ctx), None)]


def _nested_load_fast(raw, ctx):
    """`.0`, the iterator argument, is already on the stack, under the new container."""
    if raw.argval == ".0":
        ctx.unchecked = True
        return [("swap", 2, None)]
    return [("load_local", raw.argval, None)]


def _nested_return(raw, ctx):
    """The comprehension's result stays on the stack; the caller goes on after the call."""
    ctx.unchecked = True
    return []


NESTED_HANDLERS = {
    "RETURN_GENERATOR": _nested_return_generator,
    "YIELD_VALUE": _nested_yield,
    "LOAD_FAST": _nested_load_fast,
    "RETURN_VALUE": _nested_return,
    "RETURN_CONST": _nested_return,
    "MAKE_CELL": simple("nop"),
}


def _stop_iteration_handler(ctx, target: int) -> bool:
    """A generator expression's `StopIteration` -> `RuntimeError` handler (3.12+)."""
    i = next((k for k, r in enumerate(ctx.raws) if r.offset == target), None)
    return i is not None and ctx.raws[i].opname == "CALL_INTRINSIC_1" \
        and "STOPITERATION" in (ctx.raws[i].argrepr or "")


def skip_handler(ctx, target: int) -> None:
    """Mark the exception handler at `target`, through its `RERAISE`, as decoding to nothing."""
    start = next(k for k, r in enumerate(ctx.raws) if r.offset == target)
    for k in range(start, len(ctx.raws)):
        ctx.skip.add(k)
        if ctx.raws[k].opname == "RERAISE":
            break
    ctx.known_handlers.add(target)


def _position(raw, last_line: int | None):
    line = raw.line
    return (last_line if line is None else line), raw.col


def _unknown(raw, ctx, what: str | None = None) -> UnsupportedBytecode:
    line, col = _position(raw, ctx.code.co_firstlineno)
    return UnsupportedBytecode(
        what or raw.opname, filename=ctx.code.co_filename, line=line, col=col,
        hint=f"jitlab's Python {ctx.version} decoder does not know this opcode; "
             "rewrite the construct or report it",
    )


_OPMAP = dis.opmap
_GENERATOR_OPS = ("YIELD_VALUE", "GET_AWAITABLE", "SEND", "GET_AITER", "GET_ANEXT", "GET_YIELD_FROM_ITER")


def check_signature(func, raws) -> None:
    code = func.__code__
    if code.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
        first = next((r for r in raws if r.opname in _GENERATOR_OPS), None)
        line, col = _position(first, code.co_firstlineno) if first else (code.co_firstlineno, None)
        what = UNSUPPORTED_CONSTRUCTS[first.opname] if first else "yield"
        raise UnsupportedError(f"generator or coroutine function ({what})",
                               filename=code.co_filename, line=line, col=col)
    if code.co_flags & inspect.CO_VARKEYWORDS:  # (`*args` is a tuple parameter: `binding.py`)
        raise UnsupportedError("**kwargs parameters",
                               filename=code.co_filename, line=code.co_firstlineno)


def decode_code(func, handlers: dict[str, Handler], for_iter_cleanup: tuple[str, ...],
                version: str, fmt: ArgFormat, prepare: Callable | None = None) -> DecodedCode:
    """Decode `func` with a version's handler table.

    `for_iter_cleanup` names the instructions a version puts at a `FOR_ITER`
    target (3.12: `END_FOR`, 3.13: `END_FOR POP_TOP`): the vocabulary's
    `for_iter` jumps past them, and their CPython stack effects are added to
    the recorded jump effect so the cross-check still compares like with like.
    `fmt` says how the version encodes arguments (see `raw.py`, which reads the instructions).
    `prepare(ctx)`, run on every code object before its instructions, lets a
    version plan what spans several instructions (3.12+ inlined comprehensions).
    """
    code = func.__code__
    raws = get_instructions(code, fmt)
    check_signature(func, raws)
    out: list[Instruction] = []
    opcodes = code.co_code[::2]  # the opcode of every code unit: which opcodes occur, at C speed
    if _OPMAP["CHECK_EG_MATCH"] in opcodes:  # named before the list its handler builds first
        group = next(r for r in raws if r.opname == "CHECK_EG_MATCH")
        raise UnsupportedError(UNSUPPORTED_CONSTRUCTS["CHECK_EG_MATCH"], filename=code.co_filename,
                               line=_position(group, code.co_firstlineno)[0])
    lifted = tuple(getattr(func, "_jitlab_lifted_", ()))  # captured variables: leading parameters
    ctx = Context(code, raws, 0, version, cells=frozenset(code.co_cellvars) | frozenset(lifted),
                  lifted=frozenset(lifted), captured=captured_cells(code, lifted),
                  written=written_cells(code, lifted),
                  returns_writes=tuple(n for n in written_free_vars(code) if n in lifted))
    bare_raise = _OPMAP["RAISE_VARARGS"] in opcodes and any(r.opname == "RAISE_VARARGS" and r.arg == 0
                                                            for r in raws)
    _Decoder(handlers, for_iter_cleanup, prepare, out, len(code.co_code), fmt, bare_raise).run(ctx, 0)
    if _OPMAP["CHECK_EXC_MATCH"] in opcodes:  # only `except E as e` binds an exception variable
        _check_exception_variables(out, code)
    return DecodedCode(func.__name__, code.co_filename, code.co_firstlineno,
                       lifted + parameter_names(code), tuple(out), version)


_FAST_TABLES: dict[int, tuple] = {}  # id(handler table) -> (table, cleanup, its fast tables)
_LOCAL_OPS = ("load_local", "store_local")  # what a comprehension's scope renames (`scoped`)


def _fast_tables(handlers: dict[str, Handler], for_iter_cleanup: tuple[str, ...]) -> tuple:
    """A version's opcodes the decoder may handle without the context's bookkeeping (none that
    is refused by name): opname -> `handler.plain` (its op, copied), and opname -> a `pure`
    handler (called, its ops taken as they are); a `for_iter` is neither where the version has
    a `FOR_ITER` cleanup to jump past.  Two pairs: for code outside a comprehension's scope,
    and for code inside one or of a comprehension's own code object (no op that reads or
    writes a local, no opcode with a `NESTED_HANDLERS` entry, no `load_const`: `scoped` renames
    locals, and those handlers know the comprehension).  Built once per handler table."""
    got = _FAST_TABLES.get(id(handlers))
    if got is None or got[0] is not handlers or got[1] != for_iter_cleanup:
        specs, pures, scoped_specs, scoped_pures = {}, {}, {}, {}
        for name, h in handlers.items():
            spec = getattr(h, "plain", None)
            cleaned = for_iter_cleanup and spec is not None and spec[0] == "for_iter"
            if name in UNSUPPORTED_CONSTRUCTS or cleaned:
                continue
            in_scope = name not in NESTED_HANDLERS and h is not load_const
            if spec is not None:
                specs[name] = spec
                if in_scope and spec[0] not in _LOCAL_OPS:
                    scoped_specs[name] = spec
            elif getattr(h, "pure", False):
                pures[name] = h
                if in_scope and h.pure != "locals":
                    scoped_pures[name] = h
        got = (handlers, for_iter_cleanup, (specs, pures), (scoped_specs, scoped_pures))
        _FAST_TABLES[id(handlers)] = got
    return got[2], got[3]


class _Decoder:
    def __init__(self, handlers, for_iter_cleanup, prepare, out: list, next_base: int, fmt: ArgFormat,
                 bare_raise: bool = False):
        self.handlers = handlers
        self.fmt = fmt
        self.bare_raise = bare_raise  # track the handled exception (only a bare `raise` reads it)
        self.for_iter_cleanup = for_iter_cleanup
        self.prepare = prepare
        self.out = out
        self.next_base = next_base   # inlined code gets offsets past the end of the function's
        self.fast_tables, self.scoped_fast_tables = _fast_tables(handlers, for_iter_cleanup)

    def run(self, ctx: Context, base: int) -> None:
        """Decode one code object's instructions into `out`, offsets shifted by `base`."""
        code, raws = ctx.code, ctx.raws
        by_offset = None
        if self.prepare is not None:
            self.prepare(ctx)
        consts = code.co_consts
        if CodeType in map(type, consts) \
                and any(type(c) is CodeType and not is_comprehension(c) for c in consts):
            hide_closure_tuples(ctx)  # nested functions: their closure tuples and run-time defaults
            plan_runtime_defaults(ctx)
        if ctx.nested and code.co_exceptiontable:
            for entry in dis.Bytecode(code).exception_entries:
                if entry.target not in ctx.known_handlers and _stop_iteration_handler(ctx, entry.target):
                    skip_handler(ctx, entry.target)
        handlers_at = _exception_ranges(code, raws)
        last_line = code.co_firstlineno
        append, handlers, skip, nested = self.out.append, self.handlers, ctx.skip, ctx.nested
        new, vocabulary = tuple.__new__, VOCABULARY  # records built unchecked: the op is checked here
        unsupported, dis_memo = UNSUPPORTED_CONSTRUCTS, DIS_EFFECTS
        # `plain` handlers' ops are copied directly, and `pure` handlers run without the context's
        # bookkeeping, unless a `try` may protect an instruction (`fast`: then `last_entry` stays
        # None) or the index has a handler of its own (`special`: closure tuples, run-time
        # defaults, a constant display's items); in a comprehension's scope, only those of ops
        # that no scope renames (the tables are chosen again after every handler call: a
        # handler may open a scope, `scoped` may close one)
        fast = not self.bare_raise and not handlers_at and ctx.outer_entry is None and not ctx.returns_writes
        specs, pures = self.scoped_fast_tables if nested or ctx.scopes else self.fast_tables
        special = ctx.closure_tuples | ctx.default_tuples.keys()
        display = ctx.constant_display
        for index, raw in enumerate(raws):
            opname, opcode, arg, argval, offset, line, col, _, _ = raw
            if line is None:
                line = last_line
            last_line = line
            if skip and index in skip:
                continue
            handler = None
            if fast and index not in special:
                spec = specs.get(opname)
                if spec is not None:  # do as the handler would, without calling it
                    op, oparg, by_argval, jumps, unless = spec
                    if by_argval:
                        oparg = argval
                    if not (unless and isinstance(oparg, unless)):
                        append(new(Instruction, (offset + base, 0, opname, op, oparg,
                                                 argval + base if jumps else None, line, col,
                                                 dis_memo.get((opcode, arg)) or dis_stack_effects(raw))))
                        continue
                handler = pures.get(opname)
            if handler is not None:  # a `pure` handler: its ops, as they are
                try:
                    ops = handler(raw, ctx)
                except UnsupportedError as err:
                    raise err.with_location(code.co_filename, line, col) from None
                dis_effect = dis_memo.get((opcode, arg)) or dis_stack_effects(raw)
            else:
                ctx.index = index
                handler = NESTED_HANDLERS.get(opname) if nested else None
                if display is not None and (display == index or display == index - 1):
                    handler = constant_display_items
                elif ctx.closure_tuples and index in ctx.closure_tuples:
                    handler = hidden_closure_item
                elif ctx.default_tuples and index in ctx.default_tuples:
                    handler = store_defaults
                if handler is None:
                    if opname in unsupported:
                        raise UnsupportedError(unsupported[opname], filename=code.co_filename, line=line,
                                               col=col)
                    handler = handlers.get(opname)
                    if handler is None:
                        raise _unknown(raw, ctx)
                ctx.unchecked, ctx.inline = False, None
                try:
                    ops = handler(raw, ctx)
                    if ctx.captured and any(op[0] == "call" for op in ops):
                        k = next(k for k, op in enumerate(ops) if op[0] == "call")
                        touch = [("touch", ctx.captured, None)]
                        if ctx.written:
                            touch.append(("touch_write", ctx.written, None))
                        ops = [*ops[:k], *touch, *ops[k:]]
                    if ctx.returns_writes and any(op[0] == "return" for op in ops):
                        ops = return_with_writes(ops, ctx.returns_writes)
                        ctx.unchecked = True
                    if ctx.scopes:
                        ops = self.scoped(ctx, raw, ops)
                except UnsupportedError as err:
                    raise err.with_location(code.co_filename, line, col) from None
                specs, pures = self.scoped_fast_tables if nested or ctx.scopes else self.fast_tables
                if ctx.constant_display != display:  # a display's constant items come next
                    display = ctx.constant_display
                    special = special | {display, display + 1}
                dis_effect = dis_memo.get((raw.opcode, raw.arg)) or dis_stack_effects(raw)
                if ctx.unchecked:  # no CPython counterpart: the vocabulary's own effect on each edge
                    dis_next = sum(effects(op, arg)[0] or 0 for op, arg, *_ in ops)
                    dis_jump = dis_next
                    if ops and effects(*ops[-1][:2])[1] is not None:
                        dis_jump += effects(*ops[-1][:2])[1] - (effects(*ops[-1][:2])[0] or 0)
                    dis_effect = (dis_next, dis_jump)
                if ops and ops[-1][0] == "for_iter" and self.for_iter_cleanup:
                    if by_offset is None:
                        by_offset = {r.offset: i for i, r in enumerate(raws)}
                    target_index = by_offset[ops[-1][2]]
                    skipped = raws[target_index:target_index + len(self.for_iter_cleanup)]
                    if tuple(r.opname for r in skipped) != self.for_iter_cleanup:
                        raise _unknown(raw, ctx, f"FOR_ITER target {[r.opname for r in skipped]}")
                    cleanup = sum(dis_stack_effect(r, jump=False) for r in skipped)
                    dis_effect = (dis_effect[0], dis_effect[1] + cleanup)
                    after = raws[target_index + len(self.for_iter_cleanup)].offset
                    ops[-1] = ("for_iter", None, after)
                if self.bare_raise:
                    ops = [(op, True if op in ("push_exc_info", "pop_except") else arg, *rest)
                           for op, arg, *rest in ops]
                entry = ctx.last_entry = self.protection(ctx, handlers_at, raw.offset, base) if handlers_at \
                    else ctx.outer_entry
                if entry is None and ops and ops[-1][0] == "raise_handled":
                    raise UnsupportedError("bare raise (re-raise outside an except block)",
                                           filename=code.co_filename, line=line, col=col)
                if entry is not None:
                    ops = _protect(ops, entry, raw, ctx, base)
            offset = raw.offset + base
            if not ops:  # keep every offset so jumps may target it
                append(new(Instruction, (offset, 0, opname, "nop", None, None, line, col, dis_effect)))
            elif len(ops) == 1 and len(ops[0]) == 3:  # the common case, one op at the raw position
                op, arg, target = ops[0]
                if op not in vocabulary:
                    raise ValueError(f"{op!r} is not a vocabulary op")
                target = None if target is None else target + base
                append(new(Instruction, (offset, 0, opname, op, arg, target, line, col, dis_effect)))
                if ctx.inline is not None:
                    self.inline(ctx)
                continue
            final = len(ops) - 1
            for part, op in enumerate(ops):
                if op[0] not in vocabulary:
                    raise ValueError(f"{op[0]!r} is not a vocabulary op")
                at_line, at_col = (line, col) if len(op) == 3 else op[3]
                target = op[2]
                append(new(Instruction, (offset, part, opname, op[0], op[1],
                                         None if target is None else target + base, at_line, at_col,
                                         dis_effect if part == final else None)))
            if ctx.inline is not None:
                self.inline(ctx)

    @staticmethod
    def protection(ctx: Context, handlers_at: dict, offset: int, base: int):
        """The try statement protecting an instruction: (absolute handler offset, depth, lasti).

        A comprehension's own cleanup handler decodes to nothing (`known_handlers`); what it
        covers is protected by whatever protects that handler, and the code of a comprehension
        inlined from its own code object by whatever protected its call (`outer_entry`)."""
        seen = set()
        while True:
            entry = handlers_at.get(offset)
            if entry is None or entry[0] in seen:
                return ctx.outer_entry
            target, depth, lasti = entry
            if target not in ctx.known_handlers:
                return target + base, depth, lasti
            seen.add(target)
            offset = target

    def inline(self, ctx: Context) -> None:
        """Decode a comprehension's code object (`ctx.inline`, taken) in place of its call, in
        its own scope."""
        nested_code, ctx.inline = ctx.inline, None
        base, self.next_base = self.next_base, self.next_base + len(nested_code.co_code)
        inner = Context(nested_code, get_instructions(nested_code, self.fmt), 0, ctx.version,
                        scopes=ctx.scopes, nested=True, outer_entry=ctx.last_entry,
                        cells=ctx.cells | frozenset(nested_code.co_cellvars), lifted=ctx.lifted,
                        captured=ctx.captured, written=ctx.written)
        inner.open_scope(list(nested_code.co_varnames[nested_code.co_argcount:])
                         + list(nested_code.co_cellvars))
        try:
            self.run(inner, base)
        finally:
            ctx.scopes.pop()

    @staticmethod
    def scoped(ctx: Context, raw, ops: list) -> list:
        """Rename locals to their scope's keys; a 3.12+ comprehension's restoring stores vanish."""
        if not ctx.scopes:
            return ops
        result = []
        for op, arg, target, *where in ops:
            if op in ("load_local", "store_local"):
                if op == "store_local" and ctx.restores and raw.offset >= ctx.restores[-1][0] \
                        and arg in ctx.restores[-1][1]:
                    ctx.restores[-1][1].discard(arg)
                    if not ctx.restores[-1][1]:
                        ctx.restores.pop()
                        ctx.scopes.pop()
                    ctx.unchecked = True
                    continue
                arg = ctx.key(arg)
            result.append((op, arg, target, *where))
        return result


def _exception_ranges(code, raws) -> dict[int, tuple[int, int, bool]]:
    """Offset -> (handler offset, stack depth, lasti) of the exception-table entry covering it.

    CPython 3.11+ keeps one flat table; the entries do not overlap."""
    if not code.co_exceptiontable:
        return {}
    entries = dis.Bytecode(code).exception_entries
    if not entries:
        return {}
    out = {}
    for raw in raws:
        for e in entries:
            if e.start <= raw.offset < e.end:
                out[raw.offset] = (e.target, e.depth, bool(e.lasti))
                break
    return out


def _protect(ops: list, entry: tuple[int, int, bool], raw, ctx, base: int = 0) -> list:
    """Give the ops of one raw instruction inside a `try` body their exception edge.

    A raising op (`RAISING_OPS`) is followed by `check_exc` (an exception pending goes to the
    handler); a raise becomes `throw` followed by `exc_jump`.  The call that builds the exception
    of `raise E(...)` raises nothing and gets no edge."""
    target, depth, lasti = entry
    target -= base  # the caller shifts every target of this code object by `base`
    edge = (depth, lasti)
    if ops and ops[-1][0] in RAISE_OPS:
        op, _, _, *where = ops[-1]  # `where`: the op's own source position, if it has one
        return [*ops[:-1], ("throw", op, None, *where), ("exc_jump", edge, target, *where)]
    if any(op[0] in RAISING_OPS for op in ops):
        nxt = ctx.next_raw()
        if nxt is not None and nxt.opname == "RAISE_VARARGS" and nxt.arg == 1 \
                and [op[0] for op in ops] == ["call"]:
            return ops
        return [*ops, ("check_exc", edge, target)]
    return ops


def _check_exception_variables(out: list[Instruction], code) -> None:
    """`except E as e`: `e` may only be re-raised (`raise e`); any other use is refused."""
    names = set()
    for k, ins in enumerate(out):
        if ins.op == "exc_match":
            for nxt in out[k + 1:k + 6]:
                if nxt.op == "store_local":
                    names.add(nxt.arg)
                    break
                if nxt.op not in ("branch", "nop"):
                    break
    for k, ins in enumerate(out):
        if ins.op == "load_local" and ins.arg in names:
            nxt = out[k + 1] if k + 1 < len(out) else None
            if nxt is None or not (nxt.op == "raise" or nxt.op == "throw" and nxt.arg == "raise"):
                raise UnsupportedError(f"`except ... as {ins.arg}` with {ins.arg} used as a value "
                                       "(only `raise` of it is supported)",
                                       filename=code.co_filename, line=ins.line, col=ins.col)


def common_handlers() -> dict[str, Handler]:
    """Opcodes that mean the same in 3.11, 3.12 and 3.13."""
    return {
        "NOP": simple("nop"), "RESUME": simple("nop"), "EXTENDED_ARG": simple("nop"),
        "CACHE": simple("nop"),
        "LOAD_CONST": load_const,
        "BUILD_TUPLE": build_tuple, "UNPACK_SEQUENCE": unpack_sequence,
        "LOAD_FAST": plain("load_local", argval=True),
        "LOAD_FAST_CHECK": plain("load_local", argval=True),
        "STORE_FAST": plain("store_local", argval=True),
        "BINARY_OP": binary_op,
        "UNARY_NEGATIVE": simple("unary", "-"), "UNARY_INVERT": simple("unary", "~"),
        "UNARY_NOT": simple("unary", "not"),
        "IS_OP": is_op,
        "CONTAINS_OP": contains_op,
        "BINARY_SUBSCR": simple("getitem"), "STORE_SUBSCR": simple("setitem"),
        "DELETE_SUBSCR": simple("delitem"),
        "GET_ITER": simple("get_iter"),
        "POP_TOP": simple("pop"),
        "COPY": plain("copy", argval=True),  # argval: the argument itself
        "SWAP": lambda raw, ctx: [] if ctx.index in ctx.hidden else [("swap", raw.arg, None)],
        "PUSH_NULL": simple("push_null"),
        "RETURN_VALUE": simple("return"),
        "RAISE_VARARGS": raise_varargs,
        "DELETE_FAST": delete_fast,
        "PUSH_EXC_INFO": simple("push_exc_info"), "POP_EXCEPT": simple("pop_except"),
        "CHECK_EXC_MATCH": simple("exc_match"), "RERAISE": simple("reraise"),
        "LOAD_ASSERTION_ERROR": load_builtin("AssertionError"),
        "BUILD_SLICE": plain("build_slice", argval=True),  # argval: the argument itself
        "LOAD_DEREF": deref(store=False), "STORE_DEREF": deref(store=True),
        "COPY_FREE_VARS": simple("nop"), "MAKE_CELL": simple("nop"), "LOAD_CLOSURE": load_closure,
        "MAKE_FUNCTION": make_function,
        "BUILD_STRING": build("build_string"),
        "BUILD_LIST": build("build_list"), "BUILD_SET": build("build_set"), "BUILD_MAP": build("build_map"),
        "BUILD_CONST_KEY_MAP": build_const_key_map,
        "LIST_APPEND": container_add("list_append"), "SET_ADD": container_add("set_add"),
        "MAP_ADD": container_add("map_add"),
        "JUMP_FORWARD": jump, "JUMP_BACKWARD": jump, "JUMP_BACKWARD_NO_INTERRUPT": jump,
        "FOR_ITER": plain("for_iter", target=True),
    }
