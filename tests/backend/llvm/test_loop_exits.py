"""A loop's raising checks leave through one exit, and LLVM runtime-unrolls such loops.

`int(float)` picks its exception (ValueError for NaN, OverflowError for infinities and values
outside int64) in its cold path and leaves by one branch; every raising check of a function
goes through one exit block (`FunctionLowerer.exit_with`); `codegen` lets LLVM unroll loops with
one exit besides the latch's.  Unrolled, the loop runs each element's check in one of four
copies or in the remainder loop, so each bad value is tried in every position of an 11-element
array: exception type, message, and the writes done before it (the counts) must be CPython's.
"""
import math

import llvmlite.binding as llvm
import numpy as np
import pytest

import jitlab
from jitlab.backend.llvm import codegen
from jitlab.backend.llvm.messages import FLOAT_TOO_BIG_FOR_INT64


def binned(data, counts, lo, hi):
    """A histogram: `int(float)`, then the user's own range test before indexing."""
    width = (hi - lo) / len(counts)
    inside = 0
    for i in range(len(data)):
        k = int((data[i] - lo) / width)
        if k >= 0 and k < len(counts):
            counts[k] += 1
            inside += 1
    return inside


def indexed(data, counts):
    """`int(float)` used straight as an index: the bounds check stays in the loop too."""
    for i in range(len(data)):
        counts[int(data[i])] += 1
    return len(data)


def rounded(data, counts):
    """`round` and `math.floor` convert to int through the same check."""
    total = 0
    for i in range(len(data)):
        total += round(data[i]) - math.floor(data[i])
        counts[i % len(counts)] += 1
    return total


BAD = [math.nan, math.inf, -math.inf, 1e300, -1e300, 2.0 ** 63, -2.0 ** 63 - 4096.0]
N = 11  # two unrolled rounds of four, then a remainder of three


def outcome(f, data, counts):
    """What `f` returns or raises, and the counts it leaves."""
    try:
        return ("ok", f(data, counts)), counts.tolist()
    except (ValueError, OverflowError, IndexError) as exc:
        return (type(exc), str(exc)), counts.tolist()


def run_both(kernel, data, bins: int, *extra):
    """(CPython's outcome, jitlab's) of `kernel(data, zeros(bins), *extra)`."""
    compiled = jitlab.jit(kernel)
    expected = outcome(lambda d, c: kernel(d, c, *extra), data, np.zeros(bins, np.int64))
    got = outcome(lambda d, c: compiled(d, c, *extra), data, np.zeros(bins, np.int64))
    return expected, got


def int64_reference(kernel, data, position: int, bins: int, *extra):
    """Where CPython's `int` makes a big int, jitlab's int64 raises OverflowError (its documented
    limit): the outcome is that error after the writes of the elements before `position`."""
    counts = np.zeros(bins, np.int64)
    kernel(data[:position], counts, *extra)
    return (OverflowError, FLOAT_TOO_BIG_FOR_INT64), counts.tolist()


@pytest.mark.parametrize("bad", BAD, ids=repr)
def test_int_of_a_bad_float_raises_as_cpython_in_every_position(bad):
    for position in range(N):
        data = np.linspace(-3.5, 3.5, N)
        data[position] = bad
        for kernel, extra, bins in ((binned, (-4.0, 4.0), 8), (indexed, (), 8), (rounded, (), 5)):
            expected, got = run_both(kernel, data, bins, *extra)
            if math.isfinite(bad):  # past int64, not past Python's ints
                expected = int64_reference(kernel, data, position, bins, *extra)
            assert got == expected, (kernel.__name__, position)
            assert expected[0][0] in (ValueError, OverflowError), (kernel.__name__, position)


@pytest.mark.parametrize("bad", [8.0, 8.5, 1e6, -9.0, -8.5], ids=repr)
def test_an_index_out_of_bounds_after_int_raises_in_every_position(bad):
    """`counts[int(x)]`: the conversion fits, the bounds check raises (or a negative index wraps
    as in Python)."""
    for position in range(N):
        data = np.linspace(0.0, 7.5, N)
        data[position] = bad
        expected, got = run_both(indexed, data, 8)
        assert got == expected, position
        assert expected[0][0] is (IndexError if bad >= 8.0 or bad <= -9.0 else "ok"), position


def test_int_of_minus_two_to_the_63_fits():
    """The one value the cold path lets back into the loop."""
    @jitlab.jit
    def f(data):
        s = 0
        for i in range(len(data)):
            s += int(data[i]) // 2 ** 62
        return s

    for position in range(N):
        data = np.ones(N)
        data[position] = -2.0 ** 63
        assert f(data) == f.py_func(data) == -2


def _optimized(kernel, *args) -> str:
    return jitlab.stages(jitlab.jit(kernel), *args)["llvm-opt"]


def test_a_converting_loop_is_unrolled_with_its_checks_on():
    text = _optimized(binned, np.zeros(N), np.zeros(8, np.int64), -4.0, 4.0)
    conversions = text.count("fptosi ") + text.count("@llvm.x86.sse2.cvttsd2si64(")  # (x86-64's: calls)
    assert conversions >= 4  # four copies in the unrolled loop (and the remainder's)
    assert "raise.ValueError" not in text and "raise.OverflowError" not in text  # one exit block


MULTI_EXIT = """
define i64 @walk(ptr %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %next, %latch ]
  %s = phi i64 [ 0, %entry ], [ %t, %latch ]
  %q = getelementptr i64, ptr %p, i64 %i
  %v = load i64, ptr %q
  %bad = icmp slt i64 %v, 0
  br i1 %bad, label %fail, label %latch
latch:
  %t = add i64 %s, %v
  %next = add nuw nsw i64 %i, 1
  %done = icmp eq i64 %next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %t
fail:
  ret i64 -1
}
"""


def _unrolled_outside_jitlab() -> bool:
    module = llvm.parse_assembly(MULTI_EXIT)
    tm = codegen.host_target_machine()  # (runtime unrolling follows the CPU's scheduling model)
    pto = llvm.create_pipeline_tuning_options(speed_level=3)
    pb = llvm.create_pass_builder(tm, pto)
    pb.getModulePassManager().run(module, pb)
    return str(module).count("load i64") > 1


def test_the_unrolling_option_does_not_leak_to_other_llvmlite_users():
    """The option is process-wide: jitlab sets it for its own pipeline runs only, so what
    another llvmlite user (Numba) compiles in this process stays as LLVM's defaults make it."""
    _optimized(binned, np.zeros(N), np.zeros(8, np.int64), -4.0, 4.0)
    assert not _unrolled_outside_jitlab()
    with codegen._multi_exit_unrolling():  # the same loop, inside jitlab's setting, is unrolled
        assert _unrolled_outside_jitlab()
    assert not _unrolled_outside_jitlab()


def shift_insert(a):
    """Insertion sort: the inner loop stops on `j >= 0` or on the data (`a[j] > v`)."""
    for i in range(1, len(a)):
        v = a[i]
        j = i - 1
        while j >= 0 and a[j] > v:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = v
    return a[0]


def first_above(a, limit):
    for i in range(len(a)):
        if a[i] > limit:
            return i
    return -1


@pytest.mark.parametrize(("kernel", "args", "early"), [
    (binned, (np.zeros(N), np.zeros(8, np.int64), -4.0, 4.0), False),
    (shift_insert, (np.zeros(N),), True),
    (first_above, (np.zeros(N), 1.0), True),
])
def test_loops_that_stop_on_the_programs_own_second_condition_are_marked(kernel, args, early):
    """LLVM would unroll those too (their second exit is taken often: a loss); the module says
    so and `codegen` leaves the option off for it."""
    text = jitlab.stages(jitlab.jit(kernel), *args)["llvm"]
    assert ("!jitlab.side_exits = " in text) is early


def test_a_data_dependent_inner_loop_is_not_unrolled():
    text = _optimized(shift_insert, np.zeros(N))
    assert text.count("fcmp") <= 2  # the inner loop's one compare (unrolled: eight)
    data = np.random.default_rng(1).standard_normal(300)
    assert jitlab.jit(shift_insert)(data.copy()) == shift_insert(data.copy())
