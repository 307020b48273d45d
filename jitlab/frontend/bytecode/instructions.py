"""jitlab's own, version-free bytecode records.

Why: CPython's bytecode changes in every release.  Each per-version decoder
(`py311` ... `py314`) maps the raw instructions (read from `co_code` by
`raw.py`, as `dis.get_instructions` would list them) at once onto the frozen
`Instruction` records defined here, whose `op` comes from one small vocabulary
(`VOCABULARY`).  Nothing after decoding ever sees a raw instruction or asks
which Python is running.

Every record carries its stack effect per outgoing edge (`effect` on the
fall-through edge, `jump_effect` on the jump edge), derived from the vocabulary
alone, and the last record of each raw instruction carries what
`dis.stack_effect` says about that raw instruction (`dis_effect`), so that the
flow graph can cross-check the decoder against CPython on every edge.
"""
from __future__ import annotations

import dis
from dataclasses import dataclass
from typing import Any, NamedTuple

# op -> (effect on fall-through edge, effect on jump edge); None: no such edge.
# `call` and `copy`-like ops whose effect depends on the argument are computed in `effects`.
FIXED_EFFECTS: dict[str, tuple[int | None, int | None]] = {
    "nop": (0, None),
    "const": (1, None),
    "load_local": (1, None),
    "store_local": (-1, None),
    "delete_local": (0, None),   # the variable is unbound again (`except E as e` ends with `del e`)
    "load_global": (1, None),
    "push_null": (1, None),
    "load_attr": (0, None),
    "load_method": (1, None),    # pops the object; pushes a callable and its self, or a callable and NULL
    "load_builtin": (1, None),   # a builtin by name, not through the globals (LOAD_ASSERTION_ERROR)
    "load_deref": (1, None),     # a closure cell's value (resolved at compile time)
    "binary": (-1, None),
    "unary": (0, None),
    "to_bool": (0, None),
    "compare": (-1, None),
    "getitem": (-1, None),
    "setitem": (-3, None),
    "delitem": (-2, None),
    "get_iter": (0, None),
    "pop": (-1, None),
    "copy": (1, None),
    "swap": (0, None),
    "reverse": (0, None),        # reverse the top `arg` values (a folded tuple pack + unpack)
    "branch": (-1, -1),          # pop the condition on both edges
    "branch_or_pop": (-1, 0),    # 3.11 JUMP_IF_*_OR_POP: keep the value when jumping
    "jump": (None, 0),
    "for_iter": (1, -1),         # push the next item / pop the exhausted iterator and leave
    "return": (-1, None),        # pops the value; the function ends (no successor)
    "raise": (-1, None),         # pops the exception (class or instance); the path ends (no successor)
    # `list_append k` pops a value and appends it to the list now k deep (the k-th from the top);
    # `set_add k` likewise; `map_add k` pops a value and a key (pushed first) into the dict k deep
    "list_append": (-1, None),
    "set_add": (-1, None),
    "map_add": (-2, None),
    # f-strings: `format (conversion, has_spec)` pops a format spec (when has_spec) and a value
    # and pushes `format(conv(value), spec)`; conversion is None, "s", "r" or "a"
    "format": (0, None),
    # try/except (see `common.decode_code`): the exception table made explicit
    "check_exc": (0, 0),         # after a raising op in a `try` body: an exception pending -> handler
    "exc_jump": (None, 0),       # after a `throw`: always to the handler
    # `push_exc_info`/`pop_except` track the handled exception only with `arg` True (the function
    # has a bare `raise`); else the previously handled exception is never read
    "push_exc_info": (1, None),  # exc -> previously handled exception, exc (now the handled one)
    "pop_except": (-1, None),    # pops the previously handled exception and makes it current again
    "exc_match": (0, None),      # exc, E -> exc, bool: `isinstance(exc, E)` (`except E`)
    "reraise": (-1, None),       # pops an exception value and raises it again; the path ends
    "raise_handled": (0, None),  # bare `raise`: the exception being handled again; the path ends
    # nested functions (see `nested.py`): `function_attr 1` pops the defaults tuple
    # below the function; `touch names` reads the variables nested functions capture (a call
    # may run one of them) and changes no stack
    "function_attr": (-1, None),
    "function_defaults": (0, None),  # the function on top reads its defaults from these variables
    "touch": (0, None),
    "touch_write": (0, None),  # ... and these it may assign (a nested function's `nonlocal`)
}
# The jump edge of `check_exc`/`exc_jump` leads to a handler with the absolute stack depth of the
# exception-table entry (`depth` + `lasti` + the exception), whatever the depth at the raise.

# `throw`: a raise inside a `try` body (`arg`: the raising op it stands for); the path continues
# with `exc_jump` to the handler instead of ending.
_THROW_EFFECTS = {"raise": -1, "reraise": -1, "raise_handled": 0}


# Inside a comprehension its own names are renamed `name$depth` (see common.py): the character
# that no Python identifier has marks the scope, and the RVSDG builder names ports without it.
SCOPE_MARK = "$"

# ops whose effect depends on their argument (a count), see `effects`
_COUNTED = {
    "build_tuple": lambda n: 1 - n,   # n items -> one tuple
    "build_list": lambda n: 1 - n,    # n items -> one list
    "build_set": lambda n: 1 - n,     # n items -> one set
    "build_map": lambda n: 1 - 2 * n,  # n keys and n values, alternating -> one dict
    "build_const_key_map": lambda keys: -len(keys),  # n values and the tuple of keys -> one dict
    "unpack": lambda n: n - 1,        # one runtime sequence -> its n items, last first
    "build_slice": lambda n: 1 - n,   # start, stop[, step] -> one slice
    "build_string": lambda n: 1 - n,  # n strings -> their concatenation (an f-string)
    # a nested function: pops the code object and, with flag 1, the tuple of defaults below it
    "make_function": lambda flags: -(flags & 1),
}

VOCABULARY = frozenset(FIXED_EFFECTS) | {"call", "throw"} | frozenset(_COUNTED)

# ops that may raise at run time: inside a `try` body each is followed by `check_exc`
RAISING_OPS = frozenset({"binary", "unary", "getitem", "setitem", "delitem", "call"})
# ops that always raise; inside a `try` body they become `throw` + `exc_jump`
RAISE_OPS = frozenset(_THROW_EFFECTS)

# Conditions of `branch`/`branch_or_pop`: the jump is taken when the popped value ...
BRANCH_CONDITIONS = ("true", "false", "none", "notnone")

# BINARY_OP's argument -> operator; the in-place forms (13 + i) map to the same operator.
BINARY_OPERATORS = ("+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^")

# Opcodes that mean "this Python construct is not supported", with its name.
UNSUPPORTED_CONSTRUCTS = {
    "RETURN_GENERATOR": "generator or coroutine function",
    "YIELD_VALUE": "yield", "GET_YIELD_FROM_ITER": "yield from",
    "GET_AWAITABLE": "await", "SEND": "await", "GET_AITER": "async for", "GET_ANEXT": "async for",
    "BEFORE_WITH": "with statement", "BEFORE_ASYNC_WITH": "async with statement",
    "LOAD_BUILD_CLASS": "class definition", "LOAD_FROM_DICT_OR_DEREF": "closure",
    "LIST_EXTEND": "list display",
    "SET_UPDATE": "set display", "DICT_UPDATE": "dict display",
    "IMPORT_NAME": "import statement", "IMPORT_FROM": "import statement",
    "STORE_GLOBAL": "global statement", "DELETE_GLOBAL": "global statement",
    "STORE_ATTR": "attribute assignment", "DELETE_ATTR": "del statement",
    "WITH_EXCEPT_START": "with statement", "CHECK_EG_MATCH": "except* (exception group)",
    "CLEANUP_THROW": "generator",
    "UNPACK_EX": "starred unpacking",
    "LOAD_NAME": "module-level code", "STORE_NAME": "module-level code",
    "CALL_FUNCTION_EX": "call with *args or **kwargs", "DICT_MERGE": "call with **kwargs",
    "MATCH_CLASS": "match statement", "MATCH_MAPPING": "match statement",
    "MATCH_SEQUENCE": "match statement", "MATCH_KEYS": "match statement", "GET_LEN": "match statement",
    "SETUP_ANNOTATIONS": "annotations", "LOAD_SUPER_ATTR": "super()",
    "LOAD_SPECIAL": "with statement",
    "BUILD_TEMPLATE": "template string", "BUILD_INTERPOLATION": "template string",
}


TERMINATORS = frozenset(("branch", "branch_or_pop", "jump", "for_iter", "return", "raise",
                         "check_exc", "exc_jump", "reraise", "raise_handled"))
# `return` and the raises outside a `try` body: no successor in this function
ENDS_PATH = frozenset(("return", "raise", "reraise", "raise_handled"))
# `check_exc`/`exc_jump`: the jump edge goes to an exception handler
EXC_TARGETS = frozenset(("check_exc", "exc_jump"))


def effects(op: str, arg: Any) -> tuple[int | None, int | None]:
    """Stack effect of a vocabulary op on its (fall-through, jump) edges."""
    fixed = FIXED_EFFECTS.get(op)
    if fixed is not None:
        return fixed
    if op == "call":
        nargs, _kwnames, kw_on_stack = arg
        return (-(nargs + 1 + int(kw_on_stack)), None)  # pops callable, self/NULL, args[, kwnames]
    if op == "format":
        return (-1 if arg[1] else 0, None)
    if op in _COUNTED:
        return (_COUNTED[op](arg), None)
    if op == "throw":
        return (_THROW_EFFECTS[arg], None)
    return FIXED_EFFECTS[op]


class _InstructionFields(NamedTuple):
    offset: int
    part: int
    opname: str
    op: str
    arg: Any = None
    target: int | None = None
    line: int | None = None
    col: int | None = None
    dis_effect: tuple[int | None, int | None] | None = None


class Instruction(_InstructionFields):
    """One vocabulary operation at a real bytecode offset.

    `part` numbers the operations one raw instruction was split into
    (`LOAD_FAST_LOAD_FAST` -> two `load_local`, `RETURN_CONST` -> `const`, `return`).
    `target` is the offset a jump goes to, already in vocabulary semantics
    (`for_iter` jumps past the loop's cleanup instructions).

    An immutable record, a named tuple rather than a frozen dataclass: the decoder makes one
    per vocabulary op, and a tuple is built about ten times faster (see `benchmarks/frontend_speed.py`).
    Edit with `_replace`.  The decoder, which checks its ops itself, builds them with
    `tuple.__new__(Instruction, fields)`; this constructor checks the op.
    """

    __slots__ = ()

    def __new__(cls, offset: int, part: int, opname: str, op: str, arg: Any = None,
                target: int | None = None, line: int | None = None, col: int | None = None,
                dis_effect: tuple[int | None, int | None] | None = None):
        if op not in VOCABULARY:
            raise ValueError(f"{op!r} is not a vocabulary op")
        return tuple.__new__(cls, (offset, part, opname, op, arg, target, line, col, dis_effect))

    @property
    def effect(self) -> int | None:
        return effects(self.op, self.arg)[0]

    @property
    def jump_effect(self) -> int | None:
        return effects(self.op, self.arg)[1]

    @property
    def is_terminator(self) -> bool:
        return self.op in TERMINATORS

    @property
    def ends_path(self) -> bool:
        """`return` and the raises outside a `try` body: no successor in this function."""
        return self.op in ENDS_PATH

    @property
    def exc_target(self) -> bool:
        """`check_exc`/`exc_jump`: the jump edge goes to an exception handler."""
        return self.op in EXC_TARGETS

    def format_arg(self) -> str:
        if self.op == "call":
            nargs, kwnames, _ = self.arg
            return f"{nargs}" + (f" kw={kwnames}" if kwnames else "")
        if self.arg is None:
            return ""
        return repr(self.arg) if self.op == "const" else str(self.arg)

    def __str__(self) -> str:
        where = f"{self.offset}" + (f".{self.part}" if self.part else "")
        line = "" if self.line is None else str(self.line)
        arg = self.format_arg()
        target = f" -> {self.target}" if self.target is not None else ""
        return f"{where:>7} {line:>5}  {self.op:<14}{arg}{target}"


@dataclass(frozen=True, slots=True)
class DecodedCode:
    """A function's decoded bytecode: the `bytecode` stage artefact."""

    name: str
    filename: str
    firstlineno: int
    argnames: tuple[str, ...]
    instructions: tuple[Instruction, ...]
    python: str

    def __str__(self) -> str:
        head = f"bytecode {self.name}({', '.join(self.argnames)})  [Python {self.python}]"
        rows = [f"{'offset':>7} {'line':>5}  op"]
        rows += [str(i) for i in self.instructions]
        return "\n".join([head, *rows])


DIS_EFFECTS: dict[tuple, tuple[int, int]] = {}  # (opcode, arg) -> CPython's effects


def dis_stack_effects(raw) -> tuple[int, int]:
    """`dis_stack_effect` on (fall-through, jump), memoised per (opcode, argument)."""
    key = (raw.opcode, raw.arg)
    got = DIS_EFFECTS.get(key)
    if got is None:
        got = DIS_EFFECTS[key] = (dis_stack_effect(raw, False), dis_stack_effect(raw, True))
    return got


def dis_stack_effect(raw: dis.Instruction, jump: bool) -> int:
    """What CPython says about a raw instruction on one edge."""
    if raw.opcode < dis.HAVE_ARGUMENT:
        return dis.stack_effect(raw.opcode)
    return dis.stack_effect(raw.opcode, raw.arg, jump=jump)
