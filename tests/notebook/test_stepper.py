"""The IR stepper without a browser: events, the highlighted IR row and source line, errors."""
from __future__ import annotations

from jitlab.notebook import Stepper, step
from jitlab.notebook.stepper import event_row


def early_exit(n):
    s = 0
    for i in range(n):
        if i % 2 == 0:
            s += i
        elif i > 3:
            break
    return s


def divide(n):
    return 10 // n


def test_steps_through_theta_iterations_and_gamma_branches():
    st = step(early_exit, 7)
    assert isinstance(st, Stepper)
    assert st.result == early_exit(7) == 6
    kinds = {e.kind for e in st.events}
    assert kinds == {"enter", "node", "exit"}
    paths = {str(s) for e in st.events for s in e.path}
    assert {"3:theta#0", "3:theta#5"} <= paths     # one entry per iteration: i = 0..5, break at 5
    assert "3:theta#6" not in paths
    assert any(p.endswith("gamma[0]") for p in paths) and any(p.endswith("gamma[1]") for p in paths)
    assert all(event_row(st.rows, e) is not None for e in st.events)  # every event finds its IR row


def test_slider_moves_the_highlight():
    st = step(early_exit, 7)
    st.find(lambda e: e.kind == "node" and getattr(e.node, "op", "") == "py.binop" and e.inputs[:2] == (2, 2))
    page = st.html.value
    row = st.rows[event_row(st.rows, st.event)]
    assert "py.binop" in row
    assert page.count("jl-hl") >= 2          # the IR row and the source line `s += i`
    assert "theta#2" in page
    st.move(-1000)
    assert st.slider.value == 0 and "enter" in st.html.value
    st.slider.value = st.slider.max
    assert "returned 6" in st.html.value


def test_an_exception_in_the_program_is_shown_with_the_events_before_it():
    st = step(divide, 0)
    assert st.error.startswith("ZeroDivisionError") and st.events
    st.slider.value = st.slider.max
    assert "ZeroDivisionError" in st.html.value


def test_typed_stage_uses_machine_semantics():
    st = step(early_exit, 7, stage="typed")
    assert st.result == 6
