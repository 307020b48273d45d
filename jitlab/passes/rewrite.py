"""Helpers every pass shares: fresh names, use renaming, use counts, per-function maps.

Why level-local renaming is enough: names are unique within a λ (V3) and a γ/θ
region never reads a name of an enclosing region (V4), so replacing the uses of
a value only ever touches the region that defines it; nested regions receive the
value through their own parameters.
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping

from jitlab.ir import Gamma, Lambda, Module, Op, Port, Region, Theta, node_inputs
from jitlab.ir.types import StateType, Type

_SUFFIX = re.compile(r"\.\d+$")


def base_name(name: str) -> str:
    """`x.3` → `x`: the name a value was derived from, without its uniquing number."""
    return _SUFFIX.sub("", name)


_INIT_FIELDS: dict[type, frozenset[str]] = {}


def replace(obj, /, **changes):
    """`dataclasses.replace` for the IR's frozen dataclasses, without its per-call field walk
    (passes call it for nearly every node they keep)."""
    cls = type(obj)
    names = _INIT_FIELDS.get(cls)
    if names is None:
        names = _INIT_FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls) if f.init)
    for name in names:
        if name not in changes:
            changes[name] = getattr(obj, name)
    if len(changes) != len(names):
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(changes.keys() - names))}")
    return cls(**changes)


def region_ports(region: Region) -> Iterator[Port]:
    """Every port defined in a region and its nested regions (parameters and outputs)."""
    yield from region.params
    for node in region.nodes:
        yield from node.outputs
        for sub in (node.branches if isinstance(node, Gamma) else
                    (node.body,) if isinstance(node, Theta) else ()):
            yield from region_ports(sub)


_PORT_TYPES: dict[int, tuple[Lambda, dict[str, Type]]] = {}  # id(λ) → (λ, its port types)


def port_types(fn: Lambda) -> dict[str, Type]:
    """Every port of `fn` → its type.  Shared, do not mutate: remembered for the last few λ (IR
    values are frozen, and the passes of a pipeline see the same λ again when one changes nothing)."""
    found = _PORT_TYPES.get(id(fn))
    if found is not None and found[0] is fn:
        return found[1]
    types = {p.name: p.type for p in region_ports(fn.body)}
    if len(_PORT_TYPES) >= 16:
        _PORT_TYPES.clear()
    _PORT_TYPES[id(fn)] = (fn, types)
    return types


_CONSTS: dict[int, tuple[Lambda, dict[str, object]]] = {}  # id(λ) → (λ, its constants)


def const_values(fn: Lambda) -> dict[str, object]:
    """The value of every `py.const` output in `fn` (shared like `port_types`: do not mutate)."""
    found = _CONSTS.get(id(fn))
    if found is not None and found[0] is fn:
        return found[1]
    consts = {n.outputs[0].name: n.attr("value") for n in fn.body.walk()
              if isinstance(n, Op) and n.op == "py.const"}
    if len(_CONSTS) >= 16:
        _CONSTS.clear()
    _CONSTS[id(fn)] = (fn, consts)
    return consts


class Names:
    """Fresh value names for one function: `x`, `x.1`, `x.2`, … never reusing a taken one."""

    def __init__(self, taken: set[str] | Lambda = frozenset()):
        self.taken = set(port_types(taken)) if isinstance(taken, Lambda) else set(taken)
        self.counter: dict[str, int] = {}

    def fresh(self, base: str) -> str:
        base = base_name(base)
        name, n = base, self.counter.get(base, 0)
        while name in self.taken:
            n += 1
            name = f"{base}.{n}"
        self.counter[base] = n
        self.taken.add(name)
        return name


def resolve(mapping: dict[str, str], name: str) -> str:
    seen = 0
    while name in mapping:
        name = mapping[name]
        seen += 1
        if seen > len(mapping):
            raise ValueError(f"cyclic renaming at %{name}")
    return name


def rename_uses(region: Region, mapping: dict[str, str]) -> Region:
    """Replace the uses (node inputs, γ predicates, results) of this region, chains resolved."""
    if not mapping:
        return region

    def names(ns: tuple[str, ...]) -> tuple[str, ...]:
        if not any(n in mapping for n in ns):
            return ns
        return tuple(resolve(mapping, n) for n in ns)

    nodes = []
    changed = False
    for node in region.nodes:
        inputs = names(node.inputs)
        if isinstance(node, Gamma):
            predicate = resolve(mapping, node.predicate)
            if inputs is not node.inputs or predicate != node.predicate:
                node = replace(node, predicate=predicate, inputs=inputs)
                changed = True
        elif inputs is not node.inputs:
            node = replace(node, inputs=inputs)
            changed = True
        nodes.append(node)
    results = names(region.results)
    if not changed and results is region.results:
        return region  # nothing here read a renamed value
    return replace(region, nodes=tuple(nodes), results=results)


def use_counts(region: Region) -> Counter:
    """How often each name is used in this region (not in nested ones)."""
    counts: Counter = Counter()
    for node in region.nodes:
        counts.update(node_inputs(node))
    counts.update(region.results)
    return counts


def map_functions(module: Module, transform: Callable[[Lambda], Lambda]) -> Module:
    """Apply `transform` to every λ (a φ's too); the same module object back when nothing changed."""
    functions = tuple(transform(fn) for fn in module.functions)
    phis = tuple(replace(phi, functions=tuple(transform(fn) for fn in phi.functions)) for phi in module.phis)
    if all(a is b or a == b for a, b in zip(functions, module.functions)) and phis == module.phis:
        return module
    return replace(module, functions=functions, phis=phis)


def is_state_op(node: Op) -> bool:
    """A state-threading simple node: its last output (and so its last input) is the `!io` token."""
    return bool(node.outputs) and bool(node.inputs) and isinstance(node.outputs[-1].type, StateType)


def bypass_state(node: Op) -> dict[str, str]:
    """The renaming that removes a state-threading node from the state chain: io out → io in."""
    return {node.outputs[-1].name: node.inputs[-1]} if is_state_op(node) else {}


def is_nullary_value(node) -> bool:
    """A `py.const` or `py.undef`: a value with no inputs, which any region can make itself."""
    return isinstance(node, Op) and node.op in ("py.const", "py.undef") and not node.inputs


def materialise_entries(node: Gamma, nullary: Mapping[str, Op]) -> Gamma:
    """`gamma p (v, …) {^(x, …): …} -> gamma p (…) {^(…): x = <v's node>; …}` where `v` is made by
    a nullary node (`nullary`: name → its `py.const`/`py.undef`): each branch makes the value itself.

    Why: a constant or an unbound variable is the same thing in every branch, so routing it
    through an entry variable is only plumbing that depends on where the frontend happened to
    create it; and typing resolves a `py.undef` only where it is merged (a γ exit, a θ loop
    variable), not where it enters a γ.
    """
    drop = [name in nullary for name in node.inputs]
    if not any(drop):
        return node
    branches = []
    for b in node.branches:
        made = tuple(replace(nullary[name], outputs=(p,))
                     for p, name, d in zip(b.params, node.inputs, drop) if d)
        branches.append(replace(b, params=tuple(p for p, d in zip(b.params, drop) if not d),
                                nodes=(*made, *b.nodes)))
    inputs = tuple(n for n, d in zip(node.inputs, drop) if not d)
    return replace(node, inputs=inputs, branches=tuple(branches))
