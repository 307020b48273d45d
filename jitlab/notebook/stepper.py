"""`jitlab.notebook.step(f, *args)`: step the IR interpreter through a function, one event at a time.

For teaching the RVSDG: every region entered (a θ iteration, the branch a γ took), every node
evaluated with its input and output values, every region left.  A slider and ◀ ▶ buttons move
through the events; the IR row the event is about and the source line it came from are
highlighted, and the breadcrumb shows where in the region tree it happens
(`@f / 3:theta#1 / 1:gamma[0]`: the λ, iteration 1 of the θ that is node 3, branch 0 of γ node 1).

The events come from `jitlab.ir.interpreter.Interpreter.steps` (the reference semantics the
differential tests check native code against), on any IR stage: `rvsdg` (untyped, Python
semantics) by default, or `typed`/`opt` (machine semantics).
"""
from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable

import ipywidgets as widgets

from ..ir import Module, print_module
from ..ir.interpreter import Event, Interpreter
from .render import code_html

MAX_EVENTS = 5000


def _row_matching(rows: list[str], pattern: str, start: int = 0) -> int | None:
    regex = re.compile(pattern)
    return next((i for i in range(start, len(rows)) if regex.search(rows[i])), None)


def event_row(rows: list[str], event: Event) -> int | None:
    """The 0-based row of the printed module that `event` is about."""
    if event.kind == "node":
        names = [p.name for p in event.node.outputs]
        return _row_matching(rows, rf"^\s*%{re.escape(names[0])}[,:= ]") if names else None
    if event.kind == "enter":
        if len(event.path) == 1:
            return _row_matching(rows, rf"^\s*func @{re.escape(event.path[0].label.lstrip('@'))}\(")
        params = event.region.params
        first = re.escape(params[0].name) if params else ""
        return _row_matching(rows, rf"^\s*\^\(%{first}[,:)]" if params else r"^\s*\^\(\):")
    results = ", ".join(f"%{r}" for r in event.region.results)
    return _row_matching(rows, rf"^\s*(yield|return) \({re.escape(results)}\)")


def _loc_line(event: Event) -> int | None:
    node = event.node if event.kind == "node" else event.path[-1].node
    loc = getattr(node, "loc", None)
    return loc.line if loc is not None else None


class Stepper:
    """The events of one interpreted call, and the widget that walks through them."""

    def __init__(self, module: Module, name: str, args: tuple, *, source: str = "", first_line: int = 1,
                 max_events: int = MAX_EVENTS):
        self.module = module
        self.text = print_module(module)
        self.rows = self.text.splitlines()
        self.source, self.first_line = source, first_line
        self.events: list[Event] = []
        self.result = self.error = None
        run = Interpreter(module).steps(name, *args)
        try:
            for event in itertools.islice(run, max_events):
                self.events.append(event)
            if len(self.events) == max_events:
                self.error = f"stopped after {max_events} events"
        except Exception as exc:  # the program raised: the events up to it are still worth seeing
            self.error = f"{type(exc).__name__}: {exc}"
        if self.error is None and self.events and self.events[-1].kind == "exit":
            self.result = self.events[-1].outputs[0]
        self.html = widgets.HTML()
        self.slider = widgets.IntSlider(value=0, min=0, max=max(0, len(self.events) - 1), description="event",
                                        layout=widgets.Layout(width="60%"))
        back, forward = widgets.Button(description="◀", layout=widgets.Layout(width="3em")), \
            widgets.Button(description="▶", layout=widgets.Layout(width="3em"))
        back.on_click(lambda _: self.move(-1))
        forward.on_click(lambda _: self.move(1))
        self.slider.observe(lambda _: self.show(), names="value")
        self.widget = widgets.VBox([widgets.HBox([back, self.slider, forward]), self.html])
        self.show()

    def move(self, delta: int) -> None:
        self.slider.value = min(max(0, self.slider.value + delta), self.slider.max)

    def find(self, predicate: Callable[[Event], bool]) -> int:
        """Go to (and return the index of) the first event from here on for which `predicate` holds."""
        for i in range(self.slider.value, len(self.events)):
            if predicate(self.events[i]):
                self.slider.value = i
                return i
        raise LookupError("no such event")

    @property
    def event(self) -> Event | None:
        return self.events[self.slider.value] if self.events else None

    def describe(self, event: Event) -> str:
        where = " / ".join(str(s) for s in event.path)
        return f"{self.slider.value + 1}/{len(self.events)}  {where}  {str(event).split(' ', 1)[1]}"

    def show(self) -> None:
        event = self.event
        if event is None:
            self.html.value = f"<i>no events{': ' + html.escape(self.error) if self.error else ''}</i>"
            return
        row = event_row(self.rows, event)
        ir_map = [frozenset({1}) if i == row else frozenset() for i in range(len(self.rows))]
        parts = [f"<div><code>{html.escape(self.describe(event))}</code></div>"]
        line = _loc_line(event)
        if self.source:
            src_rows = self.source.splitlines()
            src_map = [frozenset({self.first_line + i}) for i in range(len(src_rows))]
            parts.append(code_html(self.source, "python", title="source", line_map=src_map,
                                   highlight=frozenset({line}) if line else frozenset(), copy=False))
        parts.append(code_html(self.text, "jitlab-ir", title="IR", line_map=ir_map, highlight=frozenset({1}),
                               copy=False, css=not self.source))
        if self.slider.value == len(self.events) - 1:
            end = f"error: {self.error}" if self.error else f"returned {self.result!r}"
            parts.append(f"<div><b>{html.escape(end)}</b></div>")
        self.html.value = "".join(parts)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        return {**bundle, "text/plain": "\n".join(str(e) for e in self.events[:200])}


def step(func, *args, stage: str = "rvsdg", max_events: int = MAX_EVENTS) -> Stepper:
    """Step the IR interpreter through `func(*args)` on the `stage` IR (`rvsdg`, `typed`, `opt`)."""
    from .explorer import record_for

    record = record_for(func, *args)
    module = record.artefacts[stage]
    if not isinstance(module, Module):
        raise ValueError(f"stage {stage!r} is not IR; step through rvsdg, typed or opt")
    return Stepper(module, module.functions[0].name, args, source=record.texts.get("source", ""),
                   first_line=record.func.__code__.co_firstlineno, max_events=max_events)
