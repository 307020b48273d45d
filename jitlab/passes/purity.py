"""Which simple nodes are pure: no effect but their value, and they never raise.

A pure node may be removed when its value is unused, merged with an identical
one, folded, or moved out of a loop; a state-threading pure node is taken out of
the `!io` chain by renaming its state output to its state input.

Before typing only `py.const`, `py.undef` and `py.global` (a δ's value) are pure: any other `py.*` op may
call a user's `__add__`, raise, or print.  After typing (every port has a
concrete type) an op on numbers is pure when jitlab's semantics for it cannot
raise: `+ - * & | ^`, unary ops, comparisons and truth tests always; `/ // %`
only with a constant non-zero divisor; shifts only by a constant in [0, 63];
`**` never (a negative exponent raises).  The table of calls lists the callees
that cannot raise on numbers.

`is_pure` lets `i64` (Python int) `+ - * <<`, unary `-`, `abs` and `// -1` through although
they raise `OverflowError` when the result leaves int64: CPython's ints never overflow,
so where such a node runs anyway, removing, merging or moving it within the code that
runs only changes where that error would come from.  Running a node where it did not
run at all (hoisting it out of a γ branch: speculation) needs more: `can_speculate`
also refuses those, unless the node carries `nooverflow = true` (a range fact) or the
code is built to wrap (`overflow="wrap"`, jitlab's default, where none of them raises).
"""
from __future__ import annotations

from jitlab.ir import Op
from jitlab.ir.types import I64, BoolType, FloatType, IntType, NoneType, StateType, Type, UnknownType

from .rewrite import is_state_op

ALWAYS_PURE_BINOPS = {"+", "-", "*", "&", "|", "^"}
DIVISIONS = {"/", "//", "%"}
SHIFTS = {"<<", ">>"}
PURE_CALLS = {"builtins.abs", "builtins.min", "builtins.max", "builtins.float", "builtins.bool"}

NO_CONST = object()
_UNKNOWN = UnknownType()  # the type of a value `types` does not know (made once: it is asked often)


def is_number(t: Type) -> bool:
    return isinstance(t, (IntType, FloatType, BoolType))


def is_pure(node: Op, types: dict[str, Type], consts: dict[str, object]) -> bool:
    """Whether `node` is pure given the types of the values it reads and the known constants."""
    if node.op in ("py.const", "py.undef", "py.global"):  # a δ read is a constant too
        return not node.inputs
    if node.attr("catch"):  # a `try` body's op: `py.catch` reads its state (docs/ir.md)
        return False
    if not is_state_op(node):
        return False
    values = node.inputs[:-1]
    in_types = [types.get(n, _UNKNOWN) for n in values]
    if any(isinstance(p.type, (UnknownType, StateType)) for p in node.outputs[:-1]):
        return False
    numbers = all(is_number(t) for t in in_types)
    op = node.attr("op")
    if node.op == "py.binop" and numbers:
        if op in ALWAYS_PURE_BINOPS:
            return True
        divisor = consts.get(values[1], NO_CONST)
        if op in DIVISIONS:
            return isinstance(divisor, (int, float)) and divisor != 0
        if op in SHIFTS:
            return type(divisor) is int and 0 <= divisor <= 63
        return False
    if node.op == "py.unop":
        return numbers
    if node.op == "py.compare":
        if op in ("is", "isnot"):
            return all(is_number(t) or isinstance(t, NoneType) for t in in_types)
        return numbers
    if node.op == "py.truth":
        return all(is_number(t) or isinstance(t, NoneType) for t in in_types)
    if node.op == "py.call":
        callee = node.attr("callee")
        if not numbers or node.attr("kwnames") or callee not in PURE_CALLS:
            return False
        return len(values) >= 2 if callee in ("builtins.min", "builtins.max") else len(values) == 1
    return False


OVERFLOWING_BINOPS = {"+", "-", "*", "<<"}


def can_speculate(node: Op, types: dict[str, Type], consts: dict[str, object],
                  overflow: str = "raise") -> bool:
    """Whether `node` may run where it would not have: pure, and it cannot raise for any input
    (no int64 overflow either, unless `overflow` is "wrap", the code's mode, where none raises;
    fixed-width ints wrap, floats overflow to inf)."""
    if not is_pure(node, types, consts):
        return False
    if overflow == "wrap" or node.attr("nooverflow") is True:
        return True
    if not node.outputs or node.outputs[0].type != I64:
        return True
    op = node.attr("op")
    if node.op == "py.binop":
        divisor = consts.get(node.inputs[1], NO_CONST)
        return op not in OVERFLOWING_BINOPS and not (op == "//" and divisor == -1)
    if node.op == "py.unop":
        return op != "-"
    if node.op == "py.call":
        return node.attr("callee") != "builtins.abs"
    return True
