"""Dead node elimination (`dne`): mark and sweep, Reissmann et al. 2020 §5.1 (jlm's `DeadNodeElimination`).

A region is swept backwards from its live results:
* a simple node stays when one of its outputs is live or when it is not pure
  (`purity.is_pure`); a pure state-threading node whose values are dead leaves
  the `!io` chain (its state output is renamed to its state input);
* a γ loses the exit variables no one reads (with their branch results), then,
  after sweeping its branches, the entry variables no branch reads; a γ with no
  output left is removed;
* a θ keeps a loop variable when its output is live or when the body needs its
  value (its parameter is live); this is a fixpoint, since keeping one variable
  can make others live.  A θ itself is never removed, even with no output left:
  removing a loop that may not terminate would change what the program does.

Then a δ (global constant) that no `py.global` of the module reads any more is removed.
"""
from __future__ import annotations

from dataclasses import dataclass

from jitlab.ir import Gamma, Lambda, Module, Op, Region, Theta

from .base import Pass, register_pass
from .purity import is_pure
from .rewrite import bypass_state, const_values, map_functions, port_types, rename_uses, replace


class _Sweeper:
    def __init__(self, fn: Lambda):
        self.types = port_types(fn)
        self.consts = const_values(fn)
        # (id(region), live results) → (region, its sweep): a θ's fixpoint sweeps its body again
        # with more results live, and the regions nested in it mostly with the same ones
        self.swept: dict[tuple[int, tuple[bool, ...]], tuple[Region, tuple[Region, list[bool]]]] = {}

    def region(self, region: Region, live_results: list[bool]) -> tuple[Region, list[bool]]:
        """Sweep `region` keeping the results marked live; return it and which params are live."""
        key = (id(region), tuple(live_results))
        found = self.swept.get(key)
        if found is not None and found[0] is region:
            return found[1]
        result = self.swept_region(region, live_results)
        self.swept[key] = (region, result)
        return result

    def swept_region(self, region: Region, live_results: list[bool]) -> tuple[Region, list[bool]]:
        live: set[str] = {r for r, keep in zip(region.results, live_results) if keep}
        kept: list = []
        bypass: dict[str, str] = {}
        same = True  # every node kept as it was: the region itself stays
        for node in reversed(region.nodes):
            if isinstance(node, Op):
                new = self.op(node, live, bypass)
            elif isinstance(node, Gamma):
                new = self.gamma(node, live)
            else:
                new = self.theta(node, live)
            if new is not None:
                kept.append(new)
            same = same and new is node
        new = region if same else replace(region, nodes=tuple(reversed(kept)))
        new = rename_uses(new, bypass)
        return new, [p.name in live for p in region.params]

    def op(self, node: Op, live: set[str], bypass: dict[str, str]) -> Op | None:
        values_live = any(p.name in live for p in node.outputs[:-1]) if bypass_state(node) else \
            any(p.name in live for p in node.outputs)
        if not values_live and is_pure(node, self.types, self.consts):
            state = bypass_state(node)
            if state and node.outputs[-1].name in live:
                live.add(node.inputs[-1])
                bypass.update(state)
            return None
        live.update(node.inputs)
        return node

    def gamma(self, node: Gamma, live: set[str]) -> Gamma | None:
        keep_out = [p.name in live for p in node.outputs]
        if not any(keep_out):
            return None
        all_out = all(keep_out)
        outputs = node.outputs if all_out else tuple(p for p, k in zip(node.outputs, keep_out) if k)
        swept = []
        for b in node.branches:
            if not all_out:
                b = replace(b, results=tuple(r for r, k in zip(b.results, keep_out) if k))
            swept.append(self.region(b, [True] * len(outputs)))
        keep_in = [any(flags[j] for _, flags in swept) for j in range(len(node.inputs))]
        live.add(node.predicate)
        if all(keep_in):
            live.update(node.inputs)
            if all_out and all(b is old for (b, _), old in zip(swept, node.branches)):
                return node
            return replace(node, outputs=outputs, branches=tuple(b for b, _ in swept))
        branches = tuple(replace(b, params=tuple(p for p, k in zip(b.params, keep_in) if k))
                         for b, _ in swept)
        inputs = tuple(n for n, k in zip(node.inputs, keep_in) if k)
        live.update(inputs)
        return replace(node, inputs=inputs, outputs=outputs, branches=branches)

    def theta(self, node: Theta, live: set[str]) -> Theta:
        keep = [lv.output.name in live for lv in node.loop_vars]
        while True:
            body, params_live = self.region(node.body, [True, *keep])
            grown = [k or p for k, p in zip(keep, params_live)]
            if grown == keep:
                break
            keep = grown
        if all(keep):
            live.update(node.inputs)
            return node if body is node.body else replace(node, body=body)
        body = replace(body, params=tuple(p for p, k in zip(body.params, keep) if k),
                       results=(body.results[0], *(r for r, k in zip(body.results[1:], keep) if k)))
        inputs = tuple(n for n, k in zip(node.inputs, keep) if k)
        live.update(inputs)
        return replace(node, inputs=inputs, body=body,
                       outputs=tuple(p for p, k in zip(node.outputs, keep) if k))


def eliminate_dead_nodes(fn: Lambda) -> Lambda:
    body, _ = _Sweeper(fn).region(fn.body, [True] * len(fn.body.results))
    return fn if body is fn.body else replace(fn, body=body)


@dataclass(frozen=True)
class DeadNodeElimination(Pass):
    name: str = "dne"

    def run(self, module: Module) -> Module:
        module = map_functions(module, eliminate_dead_nodes)
        if not module.deltas:
            return module
        read = {n.attr("name") for fn in module.lambdas for n in fn.body.walk()
                if isinstance(n, Op) and n.op == "py.global"}
        live = tuple(d for d in module.deltas if d.name in read)  # a δ no λ reads is dead too
        return module if len(live) == len(module.deltas) else replace(module, deltas=live)


register_pass(DeadNodeElimination())
