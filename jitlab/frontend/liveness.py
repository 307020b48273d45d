"""Liveness of environment keys: over the region tree, and path by path over the graph.

Why: the RVSDG builder routes values through γ and θ nodes explicitly, and
without liveness every stale stack slot and spent control variable would
become a port of every structural node.  Keys are those of `to_rvsdg`: Python
locals, `$stackN`, control variables, `$ret` and `$io` (always live: state is
never dead).

Two views:

* `Liveness` walks the region tree backwards once (θ bodies to a fixpoint) and
  records, for each branch and loop region, the keys live after it; `live_in`
  of an arm or a loop body then says what must flow in.  It is
  path-insensitive: after a join it is the union over every path.
* `PathLiveness` answers "what is live at graph node n when the control
  variables hold these values": a restructured arm ends by assigning control
  variables that pick the path after the join, so a value the arm leaves
  behind may be live on another arm's path but dead on its own.  The builder
  routes such a value as `py.undef` from that arm instead of merging it, so a
  dead stack slot (an `i64` left by a chained comparison) never widens the
  type of a live one (the `bool` result).

Stack slots are tracked per block by following the stack: a slot that is only
moved (`swap`, `copy`) and then popped is dead, not read.
"""
from __future__ import annotations

from collections.abc import Mapping

from .flow import Block
from .restructure import Branch, ControlGraph, Leaf, Linear

IO = "$io"
RET = "$ret"
EXC = "$exc"          # the exception a `check_exc`/`exc_jump` caught, until its landing node
HANDLED = "$handled"  # the exception being handled (`PUSH_EXC_INFO` .. `POP_EXCEPT`)

# op -> (values popped, values pushed) for ops that consume what they pop.
_ARITY = {
    "const": (0, 1), "load_global": (0, 1), "push_null": (0, 1), "load_attr": (1, 1),
    "binary": (2, 1), "unary": (1, 1), "to_bool": (1, 1), "compare": (2, 1), "getitem": (2, 1),
    "setitem": (3, 0), "get_iter": (1, 1), "branch": (1, 0), "return": (1, 0), "store_local": (1, 0),
    "delitem": (2, 0),
    "nop": (0, 0), "jump": (0, 0), "load_method": (1, 2), "load_builtin": (0, 1), "load_deref": (0, 1),
    "function_attr": (2, 1), "function_defaults": (1, 1),
    "delete_local": (0, 0),
    "raise": (1, 0), "check_exc": (0, 0), "exc_jump": (0, 0), "push_exc_info": (1, 2),
    "pop_except": (1, 0), "exc_match": (2, 2), "reraise": (1, 0), "raise_handled": (0, 0),
}
_THROW_POPS = {"raise": 1, "reraise": 1, "raise_handled": 0}
# ops that pop or push a counted number of values: op -> count -> (popped, pushed)
_COUNTED_ARITY = {
    "build_tuple": lambda n: (n, 1), "unpack": lambda n: (1, n), "build_slice": lambda n: (n, 1),
    "build_list": lambda n: (n, 1), "build_set": lambda n: (n, 1), "build_map": lambda n: (2 * n, 1),
    "build_const_key_map": lambda keys: (len(keys) + 1, 1),
    "build_string": lambda n: (n, 1), "make_function": lambda flags: (1 + (flags & 1), 1),
}



def shuffle_stack(stack: list, op: str, arg) -> bool:
    """Apply a pure stack shuffle (`pop`, `copy`, `swap`, `reverse`) to `stack` in place.

    The liveness scan and the RVSDG builder run the same shuffles on different stack entries
    (sets of uses, IR values); False means `op` is not a shuffle.
    """
    if op == "pop":
        stack.pop()
    elif op == "copy":
        stack.append(stack[-arg])
    elif op == "swap":
        stack[-1], stack[-arg] = stack[-arg], stack[-1]
    elif op == "reverse":
        stack[len(stack) - arg:] = stack[len(stack) - arg:][::-1]
    else:
        return False
    return True

def is_control(key: str) -> bool:
    """Restructuring's control variables (`$repeat3`, `$ctl1`, ...), not data."""
    return key.startswith("$") and not key.startswith("$stack") and key not in (IO, RET, EXC, HANDLED)


def block_live_in(block: Block, live_out: frozenset) -> frozenset:
    """Keys live at the entry of a flow block, given those live after it."""
    reads, written, writes_ret, used, exit_sources = _block_summary(block)
    used = set(used)
    for j, sources in enumerate(exit_sources):
        if f"$stack{j}" in live_out:
            used.update(sources)
    live = {k for k in live_out if not k.startswith("$stack") and k not in written}
    if writes_ret:
        live.discard(RET)
    return frozenset(live | reads | {f"$stack{i}" for i in used} | {IO})


# id(block) → (block, its summary): the scan of a block does not depend on what is live after it,
# and the fixpoint of a loop asks for the same blocks again (kept for the last blocks seen)
_SUMMARIES: dict[int, tuple[Block, tuple]] = {}


def _block_summary(block: Block) -> tuple[frozenset, frozenset, bool, frozenset, tuple[frozenset, ...]]:
    """(locals read before written, locals written, whether it returns or raises, the entry stack
    slots it uses, for each stack slot at its exit the entry slots that value may be)."""
    found = _SUMMARIES.get(id(block))
    if found is not None and found[0] is block:
        return found[1]
    summary = _scan_block(block)
    if len(_SUMMARIES) >= 256:
        _SUMMARIES.clear()
    _SUMMARIES[id(block)] = (block, summary)
    return summary


def _scan_block(block: Block) -> tuple[frozenset, frozenset, bool, frozenset, tuple[frozenset, ...]]:
    # Each stack entry: the entry slots it may be (moved, not computed, since entry).
    stack: list[frozenset] = [frozenset({i}) for i in range(block.entry_depth)]
    used: set[int] = set()
    reads: set[str] = set()
    written: set[str] = set()
    writes_ret = False
    none = frozenset()

    def consume(n: int) -> None:
        for _ in range(n):
            used.update(stack.pop())

    for ins in block.instructions:
        op, arg = ins.op, ins.arg
        if op == "load_local":
            if arg not in written:
                reads.add(arg)
            stack.append(none)
        elif op == "touch":  # a call may run a nested function that reads these
            reads.update(n for n in arg if n not in written)
        elif op == "touch_write":  # ... or assigns these (read first: a call may leave them as they are)
            reads.update(n for n in arg if n not in written)
            written.update(arg)
        elif shuffle_stack(stack, op, arg):
            pass
        elif op == "branch_or_pop":
            used.update(stack[-1])
        elif op == "for_iter":
            used.update(stack[-1])
            stack[-1] = none
            stack.append(none)
        elif op in ("list_append", "set_add", "map_add"):
            consume(2 if op == "map_add" else 1)
            used.update(stack[-arg])  # the container it adds to is read
        elif op == "format":  # pops the value and, when it has one, the format spec
            consume(2 if arg[1] else 1)
            stack.append(none)
        elif op == "call":
            nargs, _kwnames, kw_on_stack = arg
            consume(nargs + 2 + int(kw_on_stack))
            stack.append(none)
        elif op == "throw":
            consume(_THROW_POPS[arg])
            if arg == "raise_handled" and HANDLED not in written:
                reads.add(HANDLED)
        else:
            if (op == "raise_handled" or op == "push_exc_info" and arg) and HANDLED not in written:
                reads.add(HANDLED)
            if op in ("push_exc_info", "pop_except") and arg:
                written.add(HANDLED)
            elif op in ("check_exc", "exc_jump"):
                written.add(EXC)
            pops, pushes = _COUNTED_ARITY[op](arg) if op in _COUNTED_ARITY else _ARITY[op]
            consume(pops)
            stack.extend([none] * pushes)
            if op in ("store_local", "delete_local"):
                written.add(arg)
            elif op in ("return", "raise", "reraise", "raise_handled"):
                writes_ret = True
    return frozenset(reads), frozenset(written), writes_ret, frozenset(used), tuple(stack)


def landing_slots(node) -> tuple[int, int]:
    """The stack slots a landing node sets: (first, end): `lasti` if any, then the exception."""
    depth, lasti = node.landing
    return depth, depth + int(lasti) + 1


def _leaf_live_in(node, live_out: frozenset) -> frozenset:
    if node.kind == "landing":
        first, _ = landing_slots(node)
        return frozenset(k for k in live_out if not (k.startswith("$stack") and int(k[6:]) >= first)) | {EXC}
    if node.kind == "assign":
        return live_out - {k for k, _ in node.assigns}
    if node.kind == "switch":
        return live_out | {node.var}
    if node.kind == "exit":
        return live_out | {RET}
    return block_live_in(node.block, live_out)


class Liveness:
    """`live_out[id(region)]` for every Branch and Loop; `live_in(region, out)` for any region."""

    def __init__(self, root: Linear):
        self.live_out: dict[int, frozenset] = {}
        self.loop_in: dict[int, frozenset] = {}
        self.live_in(root, frozenset({IO}), record=True)

    def live_in(self, region, live_out: frozenset, record: bool = False) -> frozenset:
        live_out = live_out | {IO}
        if isinstance(region, Leaf):
            return _leaf_live_in(region.node, live_out) | {IO}
        if isinstance(region, Linear):
            live = live_out
            for item in reversed(region.items):
                live = self.live_in(item, live, record)
            return live
        if record:
            self.live_out[id(region)] = live_out
        if isinstance(region, Branch):
            arms = frozenset().union(*(self.live_in(a, live_out, record) for a in region.branches))
            return _leaf_live_in(region.head, arms) | {IO}
        # θ: what the next iteration needs is live at the end of the body, too.
        body_in = self.loop_in.get(id(region), frozenset())
        while True:
            new_in = self.live_in(region.body, live_out | body_in | {region.repeat}, record)
            if new_in <= body_in:
                break
            body_in = body_in | new_in
        self.loop_in[id(region)] = body_in
        return body_in


class PathLiveness:
    """Data keys live at a graph node, given values of control variables known there.

    Block entries come from a fixpoint over the graph; between blocks the
    graph has only `assign` and `switch` nodes on control variables, and a
    switch on a variable whose value is known follows that one successor.
    Control variables themselves are not tracked (the tree view routes them).
    """

    def __init__(self, graph: ControlGraph):
        self.graph = graph
        self.block_in: dict[str, frozenset] = {}
        blocks = [n for n, node in graph.nodes.items() if node.kind == "block"]
        blocks.sort(key=lambda n: -graph.nodes[n].block.label)
        changed = True
        while changed:
            changed = False
            memo: dict[str, frozenset] = {}
            for n in blocks:
                out = frozenset().union(*(self._at(s, {}, memo) for s in graph.succs[n]))
                new = block_live_in(graph.nodes[n].block, out)
                if new != self.block_in.get(n):
                    self.block_in[n] = new
                    changed = True
                    memo.clear()

    def at(self, node_id: str, known: Mapping[str, int | bool]) -> frozenset:
        return self._at(node_id, dict(known), None)

    def _at(self, n: str, known: dict, memo: dict | None) -> frozenset:
        if memo is not None and not known and n in memo:
            return memo[n]
        node = self.graph.nodes[n]
        succs = self.graph.succs[n]
        if node.kind == "block":
            live = self.block_in.get(n, frozenset())
        elif node.kind == "exit":
            live = frozenset({RET, IO})
        elif node.kind == "landing":
            live = _leaf_live_in(node, self._at(succs[0], known, memo))
        elif node.kind == "assign":
            inner = {**known, **dict(node.assigns)}
            live = self._at(succs[0], inner, memo) if succs else frozenset()
        elif node.var in known:
            live = self._at(succs[int(known[node.var])], known, memo)
        else:
            live = frozenset().union(*(self._at(s, known, memo) for s in succs))
        if memo is not None and not known:
            memo[n] = live
        return live
