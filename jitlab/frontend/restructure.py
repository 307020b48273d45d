"""Control-flow restructuring: flow graph -> tree of linear / branch / loop regions.

Implements Bahmann, Reissmann, Jahre, Meyer 2015, "Perfect reconstructability of
control flow from demand dependence graphs" (ACM TACO 11(4)):

* §4.1 loop restructuring: every strongly connected component becomes a loop
  with one entry node, one exit node and one tail node that decides "repeat or
  leave" (a tail-controlled loop, which is what a θ node is).  Several entries
  are funnelled through a switch on an entry control variable; every repetition
  edge and every exit edge sets the repetition variable (and the exit control
  variable when there are several exits) and goes to the tail.  The body,
  without its back edge, is restructured recursively.
* §4.2 branch restructuring: on the now acyclic graph, each branch's arms are the
  nodes only that arm reaches; where the arms continue at several points, every
  arm sets a control variable and one new switch node picks the continuation.
  Empty arms get an empty node so every γ branch is a region.

The graph's nodes are flow blocks plus synthetic nodes (`assign` control
variables, `switch` on one, the single `exit`).  Successors are kept in
predicate order: successor `i` runs when the node's predicate equals `i`
(for a bytecode branch, the predicate computed by the RVSDG builder).
Cost: Tarjan's SCC algorithm is linear per loop nesting level and each branch
walk stops at the branch's post-dominator, so restructuring is near-linear in
blocks for the code Python compilers emit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from jitlab.errors import UnsupportedError

from .canonical import canonicalize
from .bytecode.instructions import ENDS_PATH, EXC_TARGETS
from .flow import Block, FlowGraph


class Node(NamedTuple):
    """A node of the restructured graph (an immutable named tuple: cheap to make, see `flow.Edge`).

    kind: "block" (a flow block, `block` set), "assign" (`assigns` control
    variables, then one successor), "switch" (branch on control variable `var`),
    "exit" (the function's single exit: returns `$ret`), "landing" (on an edge to
    an exception handler: lays out the handler's stack, `landing` = (depth, lasti)).
    """

    id: str
    kind: str
    block: Block | None = None
    assigns: tuple[tuple[str, int | bool], ...] = ()
    var: str | None = None
    line: int | None = None
    landing: tuple[int, bool] | None = None

    def __str__(self) -> str:
        if self.kind == "block":
            return f"block {self.block.label}"
        if self.kind == "landing":
            return f"landing (stack {self.landing[0]}{' + lasti' if self.landing[1] else ''} + exception)"
        if self.kind == "assign":
            if not self.assigns:
                return "empty"
            return "; ".join(f"{k} = {v}" for k, v in self.assigns)
        if self.kind == "switch":
            return f"switch {self.var}"
        return "exit"


# Regions, like nodes, are immutable named tuples (thousands per compile; see `flow.Edge`).
class Leaf(NamedTuple):
    node: Node


class Linear(NamedTuple):
    items: tuple[Region, ...]


class Branch(NamedTuple):
    """`head` runs, then its predicate picks one of `branches` (a γ).

    `join` is the id of the graph node where every arm continues: with the
    control variables an arm assigns, it says which path follows that arm.
    """

    head: Node
    branches: tuple[Linear, ...]
    join: str | None = None


class Loop(NamedTuple):
    """A tail-controlled loop (a θ): `body` runs while `repeat` is true afterwards."""

    body: Linear
    repeat: str
    line: int | None


Region = Leaf | Linear | Branch | Loop


@dataclass(frozen=True, slots=True)
class ControlGraph:
    """The restructured graph the region tree was cut from: nodes and ordered successors."""

    nodes: dict[str, Node]
    succs: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class StructuredRegion:
    """The `regions` stage artefact: the region tree of one function and its graph."""

    flow: FlowGraph
    root: Linear
    graph: ControlGraph | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        out = [f"regions {self.flow.decoded.name}"]
        _format(self.root, 1, out)
        return "\n".join(out)


def _format(region, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    if isinstance(region, Leaf):
        out.append(f"{pad}{region.node}")
    elif isinstance(region, Linear):
        for item in region.items:
            _format(item, depth, out)
    elif isinstance(region, Branch):
        out.append(f"{pad}branch on {region.head}")
        for k, arm in enumerate(region.branches):
            out.append(f"{pad}  case {k}:")
            _format(arm, depth + 2, out)
    else:
        out.append(f"{pad}loop (repeat while {region.repeat})")
        _format(region.body, depth + 1, out)


def ordered_successors(block: Block) -> list[int]:
    """Flow successors in predicate order (see `to_rvsdg` for the predicates).

    branch on "true"/"none"/"notnone": predicate = jump taken -> [next, jump];
    branch on "false": predicate = truth of the value -> [jump, next];
    for_iter: predicate = "an item came" -> [jump (exhausted), next];
    check_exc: predicate = "an exception is pending" -> [next, handler].
    """
    last = block.instructions[-1]
    op, edges = last.op, block.edges
    if len(edges) != 2 or op not in _PREDICATE_ORDERED:
        return [e.target for e in edges]
    first, second = edges
    nxt, other = (first.target, second.target) if first.kind == "next" else (second.target, first.target)
    if op == "for_iter" or op != "check_exc" and last.arg == "false":
        return [other, nxt]
    return [nxt, other]


_PREDICATE_ORDERED = frozenset(("check_exc", "branch", "branch_or_pop", "for_iter"))


@dataclass
class _LoopInfo:
    head: str
    tail: str
    repeat: str
    line: int | None


class _Restructurer:
    def __init__(self, flow: FlowGraph):
        self.flow = flow
        self.nodes: dict[str, Node] = {}
        self.succs: dict[str, list[str]] = {}
        self.preds: dict[str, list[str]] = {}
        self.loops: dict[str, _LoopInfo] = {}       # by head id
        self.loop_of_tail: dict[str, _LoopInfo] = {}
        self.counter = 0
        nodes, succs, new = self.nodes, self.succs, tuple.__new__
        cyclic = False
        self.exit = "exit"
        nodes["exit"] = new(Node, ("exit", "exit", None, (), None, None, None))  # Node("exit", "exit")
        succs["exit"] = []
        for b in flow.blocks:
            label, last = b.label, b.instructions[-1]
            # `raise` ends its path like `return`: the λ's state result is where the exception
            # leaves, and the return value there is `py.undef` (never read).
            if last.op in ENDS_PATH:
                succ = [self.exit]
            elif len(b.edges) == 1 and last.op not in EXC_TARGETS:  # no landing node to add
                t = b.edges[0][0]
                if t <= label:  # a cycle has an edge to a block at or before its own offset
                    cyclic = True
                succ = [f"b{t}"]
            else:
                targets = ordered_successors(b)
                if not cyclic:
                    for t in targets:
                        if t <= label:
                            cyclic = True
                succ = [f"b{t}" for t in targets]
                if last.op in EXC_TARGETS:  # the handler edge (the last) goes through a landing node
                    lid = f"l{label}"
                    nodes[lid] = Node(lid, "landing", line=last.line, landing=last.arg)
                    succs[lid] = [succ[-1]]
                    succ[-1] = lid
                if len(succ) > 1 and len(set(succ)) == 1:
                    succ = succ[:1]
            bid = f"b{label}"
            # Node(bid, "block", block=b, line=...), built as the tuple it is
            nodes[bid] = new(Node, (bid, "block", b, (), None, b.instructions[0].line, None))
            succs[bid] = succ
        self.entry = "start"  # Node("start", "assign", line=...)
        nodes["start"] = new(Node, ("start", "assign", None, (), None, flow.decoded.firstlineno, None))
        succs["start"] = [f"b{flow.entry}"]
        preds: dict[str, list[str]] = {nid: [] for nid in nodes}
        for nid, ss in succs.items():
            for s in ss:
                preds[s].append(nid)
        self.preds = preds
        self.cyclic = cyclic  # whether the graph may have a loop

    # -- graph editing ------------------------------------------------------------
    def _add(self, node: Node, succs: list[str], link: bool = True) -> str:
        self.nodes[node.id] = node
        self.succs[node.id] = list(succs)
        self.preds.setdefault(node.id, [])
        if link:
            for s in succs:
                self.preds.setdefault(s, []).append(node.id)
        return node.id

    def _fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def _new(self, kind: str, succs: list[str], line: int | None, assigns: tuple = (),
             var: str | None = None) -> str:
        self.counter += 1
        nid = f"s{self.counter}"
        # Node(nid, kind, assigns=assigns, var=var, line=line), built as the tuple it is
        self.nodes[nid] = tuple.__new__(Node, (nid, kind, None, assigns, var, line, None))
        self.succs[nid] = list(succs)
        preds = self.preds
        preds.setdefault(nid, [])
        for s in succs:
            preds.setdefault(s, []).append(nid)
        return nid

    def _redirect(self, src: str, pos: int, new_target: str) -> None:
        old = self.succs[src][pos]
        self.succs[src][pos] = new_target
        self.preds[old].remove(src)
        self.preds[new_target].append(src)

    def _insert_on_edge(self, src: str, pos: int, kind: str, assigns: tuple = (),
                        var: str | None = None) -> str:
        """Put a new node on the edge `src -> succs[src][pos]`; returns its id."""
        succs, preds = self.succs, self.preds
        src_succs = succs[src]
        old = src_succs[pos]
        self.counter += 1
        mid = f"s{self.counter}"
        self.nodes[mid] = tuple.__new__(Node, (mid, kind, None, assigns, var, self.nodes[src].line, None))
        succs[mid] = [old]
        preds[mid] = [src]
        src_succs[pos] = mid
        old_preds = preds[old]  # `src` leaves the old target's predecessors, `mid` joins at the end
        old_preds.remove(src)
        old_preds.append(mid)
        return mid

    def _assign_on_edge(self, src: str, pos: int, assigns: tuple, to: str) -> str:
        """Put a new `assign` node on the edge `src -> succs[src][pos]` that continues at `to`
        instead (`_insert_on_edge`, then `_redirect` of the new node, in one step)."""
        succs, preds = self.succs, self.preds
        src_succs = succs[src]
        old = src_succs[pos]
        self.counter += 1
        mid = f"s{self.counter}"
        line = self.nodes[src].line
        self.nodes[mid] = tuple.__new__(Node, (mid, "assign", None, assigns, None, line, None))
        succs[mid] = [to]
        preds[mid] = [src]
        src_succs[pos] = mid
        preds[old].remove(src)
        preds[to].append(mid)
        return mid

    # -- §4.1 loop restructuring -------------------------------------------------------
    def restructure_loops(self, subset: list[str]) -> None:
        succs = self.succs
        for scc in _loops(subset, succs):
            body = self._make_loop(scc, set(scc))
            self.restructure_loops(body)

    def _make_loop(self, scc: list[str], members: set[str]) -> list[str]:
        entries = [n for n in scc if not members.issuperset(self.preds[n])]  # a predecessor outside
        line = min((self.nodes[n].line for n in scc if self.nodes[n].line is not None), default=None)
        entry_var = self._fresh("$entry") if len(entries) > 1 else None
        if entry_var:
            head = self._new("switch", list(entries), line, var=entry_var)
        else:
            head = self._new("assign", [entries[0]], line)
        for j, e in enumerate(entries):
            for p in [p for p in self.preds[e] if p not in members and p != head]:
                for pos, s in enumerate(self.succs[p]):
                    if s != e:
                        continue
                    if entry_var:
                        self._assign_on_edge(p, pos, ((entry_var, j),), head)
                    else:
                        self._redirect(p, pos, head)
        exits: list[str] = []
        for n in scc:
            for s in self.succs[n]:
                if s not in members and s not in exits:
                    exits.append(s)
        if not exits:
            raise UnsupportedError("loop that never exits (while True without break or return)",
                                   filename=self.flow.decoded.filename, line=line)
        repeat = self._fresh("$repeat")
        exit_var = self._fresh("$exit") if len(exits) > 1 else None
        tail = self._new("switch", [], line, var=repeat)
        inserted = []
        for n in scc:
            for pos, s in enumerate(list(self.succs[n])):
                if s in entries:
                    assigns = ((repeat, True),) + (((entry_var, entries.index(s)),) if entry_var else ())
                elif s not in members:
                    assigns = ((repeat, False),) + (((exit_var, exits.index(s)),) if exit_var else ())
                else:
                    continue
                inserted.append(self._assign_on_edge(n, pos, assigns, tail))
        exit_node = self._new("switch", list(exits), line, var=exit_var) if exit_var else exits[0]
        self.succs[tail] = [exit_node, head]
        self.preds[exit_node].append(tail)
        self.preds[head].append(tail)
        info = _LoopInfo(head, tail, repeat, line)
        self.loops[head] = info
        self.loop_of_tail[tail] = info
        return scc + inserted

    # -- §4.2 branch restructuring -------------------------------------------------------
    def _csuccs(self, n: str) -> list[str]:
        """Successors with inner loops collapsed into their head."""
        if n in self.loops:
            return [self.succs[self.loops[n].tail][0]]
        return self.succs[n]

    def _cpreds(self, n: str) -> list[str]:
        """Predecessors with inner loops collapsed into their head (a loop's back edge left out)."""
        tails = self.loop_of_tail
        preds = self.preds[n]
        if n in self.loops:
            back = self.loops[n].tail
            return [tails[p].head if p in tails else p for p in preds if p != back]
        if not tails or tails.keys().isdisjoint(preds):
            return preds
        return [tails[p].head if p in tails else p for p in preds]

    def structure(self, entry: str, stop: str | None, loop: _LoopInfo | None = None) -> Linear:
        new, loops, succs_of, nodes = tuple.__new__, self.loops, self.succs, self.nodes
        items: list = []
        append = items.append
        n = entry
        while n != stop:
            if n in loops and not (n == entry and loop is loops[n]):
                info = loops[n]
                append(new(Loop, (self.structure(n, info.tail, info), info.repeat, info.line)))
                n = succs_of[info.tail][0]
                continue
            succs = succs_of[n]
            if len(succs) == 1:
                append(new(Leaf, (nodes[n],)))  # Leaf(node)
                n = succs[0]
                continue
            if not succs:
                append(new(Leaf, (nodes[n],)))
                break
            join = self._split_branch(n, stop)
            append(new(Branch, (nodes[n], tuple([self.structure(s, join) for s in succs_of[n]]), join)))
            n = join
        return new(Linear, (tuple(items),))  # Linear(items)

    def _split_branch(self, head: str, stop: str | None) -> str:
        """Find the arms of `head`'s branch and make them meet at one join node."""
        succs_of, loops, tails, preds_of = self.succs, self.loops, self.loop_of_tail, self.preds
        head_succs = succs_of[head]
        owner: dict[str, int | None] = {}  # arm of the head that alone reaches a node, else None
        # Kahn-order walk from head; stops at the first node every path goes through.
        # `stop` (the enclosing region's exit) also has predecessors outside this walk.
        seen: dict[str, int] = {}
        cpreds: dict[str, list[str]] = {}
        ready, partial, order = [head], set(), []  # `ready` is a queue: `first` is its front
        first = 0
        conv, reached_stop = None, False
        while first < len(ready):
            n = ready[first]
            first += 1
            if n != head:
                preds = cpreds[n]
                if len(preds) == 1:
                    p = preds[0]
                    owner[n] = head_succs.index(n) if p == head else owner.get(p)
                else:
                    owners = {head_succs.index(n) if p == head else owner.get(p) for p in preds}
                    owner[n] = owners.pop() if len(owners) == 1 else None
                order.append(n)
                if first == len(ready) and not partial and not reached_stop:
                    conv = n
                    break
            for s in (succs_of[loops[n].tail][:1] if n in loops else succs_of[n]):  # `_csuccs(n)`
                if s == stop:
                    reached_stop = True
                    continue
                count = seen[s] = seen.get(s, 0) + 1
                ps = cpreds.get(s)
                if ps is None:
                    ps = cpreds[s] = self._cpreds(s) if tails else preds_of[s]  # no loops: the same
                if count == len(ps):
                    partial.discard(s)
                    ready.append(s)
                else:
                    partial.add(s)
        if conv is None and reached_stop and not partial:
            conv = stop
            owner[stop] = None
            order.append(stop)
        if conv is None:
            raise AssertionError(f"branch at {self.nodes[head]} has no join (graph is not single-exit)")
        # the graph is unchanged since the walk: its collapsed predecessors still hold
        cps = []
        for n in order:
            if owner[n] is None:
                for p in (cpreds[n] if n in cpreds else self._cpreds(n)):
                    if p == head or owner.get(p) is not None:
                        cps.append(n)
                        break
        line = self.nodes[head].line
        if len(cps) > 1:
            var = self._fresh("$ctl")
            join = self._new("switch", list(cps), line, var=var)
            for u in [head] + [n for n in order if owner[n] is not None]:
                # a collapsed inner loop leaves through its tail's exit edge (position 0)
                src = self.loops[u].tail if u in self.loops else u
                positions = [0] if u in self.loops else range(len(self.succs[src]))
                for pos in positions:
                    s = self.succs[src][pos]
                    if s in cps:
                        self._assign_on_edge(src, pos, ((var, cps.index(s)),), join)
        else:
            join = cps[0]
        loops, preds_of = self.loops, self.preds
        for pos, s in enumerate(list(self.succs[head])):
            # the number of `_cpreds(s)`: a loop's back edge does not count
            count = len(preds_of[s]) - (preds_of[s].count(loops[s].tail) if s in loops else 0)
            if s == join or count > 1:
                self._insert_on_edge(head, pos, "assign")
        return join


def _loops(subset: list[str], succs: dict[str, list[str]]) -> list[list[str]]:
    """The loops of the subgraph on `subset`: its strongly connected components of several
    nodes or of one node with an edge to itself, in the order Tarjan's algorithm (iterative)
    completes them, each in `subset` order.

    A node whose component is complete gets an index past every other (`done`), so an edge to
    it never lowers a `low` link: that is the "is it on the stack" test, without a set."""
    inside = set(subset)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    result: list[list[str]] = []
    done = len(subset)
    order: dict[str, int] = {}  # built once (per component it would be quadratic), when first needed
    for root in subset:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        work = [(root, iter(succs[root]))]
        while work:
            v, successors = work[-1]
            for w in successors:
                if w not in inside:
                    continue
                iw = index.get(w)
                if iw is None:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    work.append((w, iter(succs[w])))
                    break
                if iw < low[v]:
                    low[v] = iw
            else:
                work.pop()
                low_v = low[v]
                if low_v == index[v]:
                    if stack[-1] == v:  # a component of one node, the most common
                        stack.pop()
                        index[v] = done
                        if v in succs[v]:
                            result.append([v])
                    else:
                        comp = []
                        while True:
                            w = stack.pop()
                            index[w] = done
                            comp.append(w)
                            if w == v:
                                break
                        if not order:
                            order = {n: k for k, n in enumerate(subset)}
                        comp.sort(key=order.__getitem__)
                        result.append(comp)
                if work:
                    parent = work[-1][0]
                    if low_v < low[parent]:
                        low[parent] = low_v
    return result


def restructure(flow: FlowGraph) -> StructuredRegion:
    """Restructure a flow graph, in its canonical form (`canonical.py`), into a tree of linear,
    branch and loop regions; the artefact's `flow` is that canonical graph."""
    flow = canonicalize(flow)
    r = _Restructurer(flow)
    if r.cyclic:
        r.restructure_loops([n for n in r.nodes if n not in ("start",)])
    root = r.structure(r.entry, None)
    succs = r.succs  # r is done with them: the successor lists become tuples, at C speed
    graph = ControlGraph(r.nodes, dict(zip(succs, map(tuple, succs.values()))))
    return StructuredRegion(flow, root, graph)
