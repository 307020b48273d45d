"""Invariant value redirection (`ivr`), Reissmann et al. 2020 §5.3 (jlm's `InvariantValueRedirection`).

Rules (users of the left side are redirected to the right side):
* γ exit variable whose result in every branch is the parameter of one entry
  variable -> that entry variable's input  (`gamma p (x) {^(a): yield a; ^(b): yield b}` -> `x`)
* θ loop variable whose next value is its own parameter (`post == pre`)
  -> the θ's input for it  (the value never changes in the loop)

A redirected γ exit variable is removed at once (with the entry variables no
branch reads any more), and so is a redirected `!io` loop variable: the state is
linear (V12), so its input may not stay consumed twice.  Other redirected loop
variables stay (the body may read them); `dne` removes them when it can.

A redirection can hand a γ a `py.undef` (a variable unbound before a loop that
never assigns it): that entry variable becomes a `py.undef` in each branch, as
in `fold` (`rewrite.materialise_entries`), since typing resolves an unbound value
where it is merged, not where it enters a γ.

Nested regions are handled first, so an invariant value is seen through any
depth of γ/θ nesting, and the `!io` state of a γ or θ without effects is
redirected too.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass

from jitlab.ir import Gamma, Lambda, Module, Op, Region, Theta
from jitlab.ir.types import StateType

from .base import Pass, register_pass
from .rewrite import map_functions, materialise_entries, rename_uses, replace, resolve, use_counts


def gamma_passthrough(node: Gamma) -> dict[str, str]:
    """Outputs of `node` that are one entry variable's value in every branch -> that input."""
    mapping = {}
    for k, out in enumerate(node.outputs):
        indices = set()
        for b in node.branches:
            params = [p.name for p in b.params]
            r = b.results[k]
            indices.add(params.index(r) if r in params else None)
        if len(indices) == 1 and None not in indices:
            mapping[out.name] = node.inputs[indices.pop()]
    return mapping


def _drop_exit_vars(node: Gamma, dropped: set[str]) -> Gamma:
    """Remove the redirected exit variables, then the entry variables no branch reads any more."""
    keep_out = [p.name not in dropped for p in node.outputs]
    branches = [replace(b, results=tuple(r for r, k in zip(b.results, keep_out) if k)) for b in node.branches]
    counts = [use_counts(b) for b in branches]
    keep_in = [any(c[b.params[j].name] for b, c in zip(branches, counts)) for j in range(len(node.inputs))]
    branches = [replace(b, params=tuple(p for p, k in zip(b.params, keep_in) if k)) for b in branches]
    return replace(node, inputs=tuple(n for n, k in zip(node.inputs, keep_in) if k), branches=tuple(branches),
                   outputs=tuple(p for p, k in zip(node.outputs, keep_out) if k))


def _drop_state_loop_vars(node: Theta) -> Theta:
    """Remove the `!io` loop variables the body passes through unchanged (the state is linear)."""
    keep = [not (lv.post == lv.pre.name and isinstance(lv.pre.type, StateType)) for lv in node.loop_vars]
    if all(keep):
        return node
    body = replace(node.body, params=tuple(p for p, k in zip(node.body.params, keep) if k),
                   results=(node.body.results[0], *(r for r, k in zip(node.body.results[1:], keep) if k)))
    return replace(node, inputs=tuple(n for n, k in zip(node.inputs, keep) if k), body=body,
                   outputs=tuple(p for p, k in zip(node.outputs, keep) if k))


def _region(region: Region) -> Region:
    mapping: dict[str, str] = {}
    undefs: dict[str, Op] = {}
    nodes = []
    for node in region.nodes:
        if mapping:
            node = rename_uses(Region((), (node,), ()), mapping).nodes[0]
        if isinstance(node, Op) and node.op == "py.undef":
            undefs[node.outputs[0].name] = node
        if isinstance(node, Gamma):
            # gamma p (undef, ...) -> undef made in each branch (a redirection may route one here)
            node = materialise_entries(node, {n: undefs[n] for n in node.inputs if n in undefs})
            branches = tuple(_region(b) for b in node.branches)
            if any(map(operator.is_not, branches, node.branches)):
                node = replace(node, branches=branches)
            redirected = gamma_passthrough(node)
            mapping.update(redirected)
            if redirected:
                node = _drop_exit_vars(node, set(redirected))
        elif isinstance(node, Theta):
            body = _region(node.body)
            if body is not node.body:
                node = replace(node, body=body)
            mapping.update((lv.output.name, lv.input) for lv in node.loop_vars if lv.post == lv.pre.name)
            node = _drop_state_loop_vars(node)
        nodes.append(node)
    if not mapping and not any(map(operator.is_not, nodes, region.nodes)):
        return region  # (no node is ever dropped here: `nodes` lines up with region.nodes)
    return replace(region, nodes=tuple(nodes), results=tuple(resolve(mapping, r) for r in region.results))


def redirect_invariant_values(fn: Lambda) -> Lambda:
    body = _region(fn.body)
    return fn if body is fn.body else replace(fn, body=body)


@dataclass(frozen=True)
class InvariantValueRedirection(Pass):
    name: str = "ivr"

    def run(self, module: Module) -> Module:
        return map_functions(module, redirect_invariant_values)


register_pass(InvariantValueRedirection())
