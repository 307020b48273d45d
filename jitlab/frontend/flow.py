"""Flow graph: decoded instructions -> basic blocks with stack depths.

Blocks start at the first instruction, at every jump target and after every
terminator, all by real bytecode offsets (never fixed instruction widths:
caches differ per version).  The stack depth at every block entry is computed
from the vocabulary's per-edge effects and cross-checked, edge by edge, against
what CPython's `dis.stack_effect` says about the raw instructions: a
disagreement means a decoder bug, reported as `StackDepthMismatch` instead of a
silently wrong graph.

Blocks may start with a non-empty stack (`and`/`or` values, conditional
expressions, chained comparisons, the iterator of a `for` loop); the RVSDG
builder turns those slots into named ports (`$stack0`, ...).  Unreachable
blocks are dropped.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from jitlab.errors import JitlabError

from .bytecode.instructions import (
    ENDS_PATH, EXC_TARGETS, FIXED_EFFECTS, TERMINATORS, DecodedCode, Instruction, effects,
)


class StackDepthMismatch(JitlabError):
    """Internal error: the decoder's stack effects disagree with CPython's."""


# Edges and blocks are immutable named tuples, like `Instruction`: built by the thousand on every
# compile, a tuple is several times cheaper to make than a frozen dataclass.
class Edge(NamedTuple):
    target: int
    kind: str          # "next" (fall through), "jump" or "exc" (to an exception handler)
    depth: int         # stack depth on this edge


class Block(NamedTuple):
    label: int                          # offset of the first instruction
    instructions: tuple[Instruction, ...]
    entry_depth: int
    edges: tuple[Edge, ...]

    @property
    def terminator(self) -> Instruction:
        return self.instructions[-1]

    @property
    def succs(self) -> tuple[int, ...]:
        return tuple(e.target for e in self.edges)

    def edge(self, kind: str) -> Edge:
        for e in self.edges:
            if e.kind == kind:
                return e
        raise KeyError(kind)

    @property
    def exit_depth(self) -> int:
        """The deepest stack on any outgoing edge (what the block leaves behind)."""
        depth = self.entry_depth + sum(i.effect or 0 for i in self.instructions[:-1])
        last = self.terminator
        return depth + max(e for e in (last.effect, last.jump_effect) if e is not None)


@dataclass(frozen=True, slots=True)
class FlowGraph:
    decoded: DecodedCode
    blocks: tuple[Block, ...]           # in offset order; blocks[0] is the entry

    @property
    def entry(self) -> int:
        return self.blocks[0].label

    def block(self, label: int) -> Block:
        return self._index()[label]

    def _index(self) -> dict[int, Block]:
        return {b.label: b for b in self.blocks}

    def __str__(self) -> str:
        out = [f"flow {self.decoded.name}: {len(self.blocks)} blocks"]
        for b in self.blocks:
            out.append(f"block {b.label}  (stack {b.entry_depth})")
            out += [f"  {i}" for i in b.instructions]
            edges = ", ".join(f"{e.target} ({e.kind}, stack {e.depth})" for e in b.edges)
            out.append(f"  -> {edges or 'return'}")
        return "\n".join(out)


def _split(instructions: tuple[Instruction, ...]) -> list[tuple[Instruction, ...]]:
    """Chunks of instructions: one starts at the first instruction, at every jump target and
    after every terminator (always the last op of its raw instruction), at the op of part 0."""
    targets = {ins.target for ins in instructions if ins.target is not None}
    terminators = TERMINATORS
    chunks: list[tuple[Instruction, ...]] = []
    chunk: list[Instruction] = []
    after_terminator = False
    for ins in instructions:
        if chunk and ins.part == 0 and (after_terminator or ins.offset in targets):
            chunks.append(tuple(chunk))
            chunk = []
        chunk.append(ins)
        after_terminator = ins.op in terminators
    chunks.append(tuple(chunk))
    return chunks


def _edges_of(chunk: tuple[Instruction, ...], next_label: int | None, last_effects: tuple):
    """(target, kind) pairs of a chunk, in jitlab order: fall-through first (`last_effects`:
    the last instruction's `effects`)."""
    last = chunk[-1]
    effect, jump_effect = last_effects
    out = []
    if effect is not None and last.op not in ENDS_PATH:
        if next_label is None:
            raise StackDepthMismatch(f"block at {chunk[0].offset} falls off the end of the code")
        out.append((next_label, "next"))
    if jump_effect is not None:
        out.append((last.target, "exc" if last.op in EXC_TARGETS else "jump"))
    return out


def _chunk_effects(chunk) -> tuple[int, int, int]:
    """Stack effect of all but the last instruction: (vocabulary's, CPython's, the vocabulary's
    lowest point on the way)."""
    mine = theirs = lowest = 0
    fixed = FIXED_EFFECTS
    for k in range(len(chunk) - 1):
        ins = chunk[k]
        pair = fixed.get(ins.op) or effects(ins.op, ins.arg)
        mine += pair[0] or 0
        if mine < lowest:
            lowest = mine
        if ins.dis_effect is not None:
            theirs += ins.dis_effect[0]
    return mine, theirs, lowest


def _check_underflow(chunk, entry: int) -> None:
    depth = entry
    for ins in chunk:
        depth += ins.effect or 0
        if depth < 0:
            raise StackDepthMismatch(f"stack underflow at offset {ins.offset} ({ins.opname})",
                                     line=ins.line)


def build_flow_graph(decoded: DecodedCode) -> FlowGraph:
    """Split decoded code into basic blocks, compute and cross-check stack depths."""
    chunks = _split(decoded.instructions)
    new = tuple.__new__  # Edge(...) and Block(...), built as the tuples they are
    labels = [c[0].offset for c in chunks]
    by_label = dict(zip(labels, chunks))
    following = dict(zip(labels, labels[1:] + [None]))  # the label of the next block in offset order
    entry_depth: dict[int, int] = {labels[0]: 0}
    edges: dict[int, tuple[Edge, ...]] = {}
    work = [labels[0]]
    while work:
        label = work.pop()
        chunk = by_label[label]
        out = []
        mine, theirs, lowest = _chunk_effects(chunk)
        last = chunk[-1]
        entry = entry_depth[label]
        if entry + lowest < 0:
            _check_underflow(chunk, entry)
        last_effects = effects(last.op, last.arg)
        for target, kind in _edges_of(chunk, following[label], last_effects):
            jump = kind == "jump"
            depth = entry + mine + (last_effects[1 if jump else 0] or 0)
            cpython = entry + theirs + (last.dis_effect[1 if jump else 0] if last.dis_effect else 0)
            if kind == "exc":  # the handler's depth is the exception-table entry's
                handler_depth, lasti = last.arg
                depth = cpython = handler_depth + int(lasti) + 1
            if depth < 0:
                _check_underflow(chunk, entry)
            if depth != cpython:
                last = chunk[-1]
                raise StackDepthMismatch(
                    f"decoder stack effect disagrees with dis.stack_effect on edge {label} -> {target} "
                    f"({kind}): jitlab {depth}, CPython {cpython} (last op {last.opname})",
                    filename=decoded.filename, line=last.line, col=last.col)
            if target in entry_depth and entry_depth[target] != depth:
                raise StackDepthMismatch(
                    f"block {target} entered with stack depths {entry_depth[target]} and {depth}",
                    filename=decoded.filename, line=by_label[target][0].line)
            if target not in entry_depth:
                entry_depth[target] = depth
                work.append(target)
            out.append(new(Edge, (target, kind, depth)))  # Edge(target, kind, depth)
        edges[label] = tuple(out)
    blocks = tuple(new(Block, (lb, by_label[lb], entry_depth[lb], edges[lb]))
                   for lb in labels if lb in entry_depth)
    return FlowGraph(decoded, blocks)
