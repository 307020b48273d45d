"""A small builder for hand-written jitlab IR in tests (the frontend is not needed).

    fb = FunctionBuilder("f", ["a", "b"])
    s = fb.binop("+", "a", "b")
    fn = fb.finish(s)

Every op threads the builder's current `!io` token, as the frontend does; γ and θ
bodies are written as Python callbacks that receive a builder for the region.
"""
from __future__ import annotations

import itertools

from jitlab.ir import Gamma, Lambda, Loc, Module, Op, Port, Region, Theta
from jitlab.ir.types import STATE, UNKNOWN


class RegionBuilder:
    def __init__(self, counter, params: list[str], io: str):
        self.counter = counter
        self.params = params
        self.io = io
        self.nodes: list = []
        self.line = 1

    def fresh(self, base: str = "t") -> str:
        return f"{base}.{next(self.counter)}"

    def _op(self, op: str, inputs: list[str], n_out: int, attrs=(), base="t", io=True) -> list[str]:
        outs = [self.fresh(base) for _ in range(n_out)]
        ports = [Port(o) for o in outs]
        ins = list(inputs)
        if io:
            ins.append(self.io)
            self.io = self.fresh("io")
            ports.append(Port(self.io, STATE))
        self.nodes.append(Op(op, tuple(ins), tuple(ports), tuple(attrs), Loc(self.line, 4)))
        return outs

    def const(self, value) -> str:
        return self._op("py.const", [], 1, (("value", value),), base="c", io=False)[0]

    def undef(self) -> str:
        return self._op("py.undef", [], 1, base="u", io=False)[0]

    def binop(self, op: str, a: str, b: str) -> str:
        return self._op("py.binop", [a, b], 1, (("op", op),))[0]

    def unop(self, op: str, a: str) -> str:
        return self._op("py.unop", [a], 1, (("op", op),))[0]

    def compare(self, op: str, a: str, b: str) -> str:
        return self._op("py.compare", [a, b], 1, (("op", op),))[0]

    def truth(self, a: str) -> str:
        return self._op("py.truth", [a], 1)[0]

    def call(self, callee: str, *args: str, kwnames: tuple[str, ...] = ()) -> str:
        attrs = [("callee", callee)] + ([("kwnames", kwnames)] if kwnames else [])
        return self._op("py.call", list(args), 1, attrs)[0]

    def getiter(self, x: str) -> str:
        return self._op("py.getiter", [x], 1)[0]

    def iternext(self, it: str) -> tuple[str, str, str]:
        ok, val, it2 = self._op("py.iternext", [it], 3)
        return ok, val, it2

    def _sub(self, inputs: list[str]) -> RegionBuilder:
        params = [self.fresh("p") for _ in inputs]
        sub = RegionBuilder(self.counter, params, self.fresh("io"))
        sub.line = self.line
        return sub

    def gamma(self, pred: str, inputs: list[str], *branches) -> list[str]:
        """Each branch is `fn(region_builder, *params) -> list of results` (io is added)."""
        regions = []
        n_out = None
        for fn in branches:
            sub = self._sub(inputs)
            results = list(fn(sub, *sub.params))
            n_out = len(results)
            regions.append(sub.region(results))
        outs = [self.fresh("g") for _ in range(n_out)]
        new_io = self.fresh("io")
        self.nodes.append(Gamma(pred, (*inputs, self.io), tuple(regions),
                                (*(Port(o) for o in outs), Port(new_io, STATE)), Loc(self.line, 4)))
        self.io = new_io
        return outs

    def theta(self, inputs: list[str], body) -> list[str]:
        """`body(region_builder, *params) -> (repeat_predicate, [next values])`."""
        sub = self._sub(inputs)
        pred, nexts = body(sub, *sub.params)
        region = sub.region([pred, *nexts])
        outs = [self.fresh("l") for _ in inputs]
        new_io = self.fresh("io")
        self.nodes.append(Theta((*inputs, self.io), region,
                                (*(Port(o) for o in outs), Port(new_io, STATE)), Loc(self.line, 4)))
        self.io = new_io
        return outs

    def region(self, results: list[str]) -> Region:
        params = (*(Port(p) for p in self.params), Port(self.params_io, STATE))
        return Region(params, tuple(self.nodes), (*results, self.io))

    @property
    def params_io(self) -> str:
        return self._params_io

    def __setattr__(self, key, value):
        if key == "io" and "_params_io" not in self.__dict__:
            object.__setattr__(self, "_params_io", value)
        object.__setattr__(self, key, value)


class FunctionBuilder(RegionBuilder):
    def __init__(self, name: str, args: list[str]):
        super().__init__(itertools.count(1), list(args), "io")
        self.name = name

    def finish(self, result: str) -> Lambda:
        body = self.region([result])
        body = Region(tuple(Port(p.name, UNKNOWN) if p.type != STATE else p for p in body.params),
                      body.nodes, body.results)
        return Lambda(self.name, body, Loc(1, 0))

    def module(self, result: str) -> Module:
        return Module((self.finish(result),))
