"""Type inference on hand-built IR: result types, joins, θ fixpoints and error messages."""
import pytest
from irbuild import FunctionBuilder

from jitlab.errors import TypingError
from jitlab.ir import Gamma, Module, Op, Theta, print_ir
from jitlab.ir.types import BOOL, F64, I64, NONE, STATE, FloatType, IntType, RangeIterType, UnknownType
from jitlab.typing import infer


def result_type(fb, result, argtypes):
    typed = infer(fb.module(result), argtypes)
    fn = typed.functions[0]
    ports = {p.name: p.type for p in fn.body.params}
    for node in fn.body.walk():
        ports.update({p.name: p.type for p in node.outputs})
        if isinstance(node, Gamma):
            for b in node.branches:
                ports.update({p.name: p.type for p in b.params})
        if isinstance(node, Theta):
            ports.update({p.name: p.type for p in node.body.params})
    assert not any(isinstance(t, UnknownType) for t in ports.values())
    return ports[fn.body.results[0]]


@pytest.mark.parametrize(("op", "a", "b", "expected"), [
    ("+", I64, I64, I64), ("+", I64, F64, F64), ("+", BOOL, BOOL, I64), ("+", BOOL, I64, I64),
    ("/", I64, I64, F64), ("/", BOOL, BOOL, F64), ("//", I64, I64, I64), ("//", I64, F64, F64),
    ("%", I64, I64, I64), ("%", F64, I64, F64), ("**", I64, I64, I64), ("**", I64, F64, F64),
    ("&", BOOL, BOOL, BOOL), ("&", BOOL, I64, I64), ("<<", I64, I64, I64),
    ("+", IntType(32), I64, I64), ("+", IntType(32), FloatType(32), F64),
])
def test_binop_types(op, a, b, expected):
    fb = FunctionBuilder("f", ["a", "b"])
    assert result_type(fb, fb.binop(op, "a", "b"), (a, b)) == expected


def test_power_with_constant_exponent():
    fb = FunctionBuilder("f", ["a"])
    assert result_type(fb, fb.binop("**", "a", fb.const(2)), (I64,)) == I64
    fb = FunctionBuilder("f", ["a"])
    assert result_type(fb, fb.binop("**", "a", fb.const(-1)), (I64,)) == F64
    fb = FunctionBuilder("f", ["a"])
    minus_one = fb.unop("-", fb.const(1))
    assert result_type(fb, fb.binop("**", "a", minus_one), (I64,)) == F64


@pytest.mark.parametrize(("op", "a", "expected"), [
    ("-", BOOL, I64), ("~", BOOL, I64), ("-", F64, F64), ("not", F64, BOOL), ("not", NONE, BOOL),
])
def test_unop_types(op, a, expected):
    fb = FunctionBuilder("f", ["a"])
    assert result_type(fb, fb.unop(op, "a"), (a,)) == expected


def test_compare_and_truth_are_bool():
    fb = FunctionBuilder("f", ["a", "b"])
    assert result_type(fb, fb.compare("<", "a", "b"), (I64, F64)) == BOOL
    fb = FunctionBuilder("f", ["a"])
    assert result_type(fb, fb.truth("a"), (F64,)) == BOOL


@pytest.mark.parametrize(("callee", "args", "expected"), [
    ("builtins.abs", (BOOL,), I64), ("builtins.abs", (F64,), F64), ("builtins.min", (I64, F64), F64),
    ("builtins.max", (I64, I64, I64), I64), ("builtins.int", (F64,), I64), ("builtins.float", (I64,), F64),
    ("builtins.bool", (I64,), BOOL), ("builtins.round", (F64,), I64), ("builtins.round", (F64, I64), F64),
    ("builtins.round", (I64, I64), I64), ("builtins.range", (I64, I64), RangeIterType(I64)),
    ("math.sqrt", (I64,), F64), ("math.floor", (F64,), I64), ("math.ceil", (F64,), I64),
    ("math.isnan", (F64,), BOOL), ("math.atan2", (F64, I64), F64), ("math.log", (F64, F64), F64),
])
def test_call_types(callee, args, expected):
    names = ["a", "b", "c"][:len(args)]
    fb = FunctionBuilder("f", names)
    assert result_type(fb, fb.call(callee, *names), args) == expected


def test_global_call_records_symbol():
    calls = []

    def resolve(name, argtypes):
        calls.append((name, argtypes))
        return F64, "jitlab.g.i64"

    fb = FunctionBuilder("f", ["a"])
    r = fb.call("global:g", "a")
    typed = infer(fb.module(r), (I64,), resolve)
    call = typed.functions[0].body.nodes[0]
    assert calls == [("g", (I64,))]
    assert call.attr("symbol") == "jitlab.g.i64" and call.outputs[0].type == F64
    assert 'symbol = "jitlab.g.i64"' in print_ir(typed)


def test_gamma_joins_int_and_float():
    fb = FunctionBuilder("f", ["a"])
    r, = fb.gamma(fb.truth("a"), ["a"], lambda rb, a: [rb.const(0.5)], lambda rb, a: [a])
    assert result_type(fb, r, (I64,)) == F64


def test_theta_fixpoint_widens_loop_variable():
    fb = FunctionBuilder("f", ["n"])

    def body(rb, x, n):
        x2 = rb.binop("/", x, rb.const(2))
        return rb.compare(">", x2, rb.const(1)), [x2, n]

    x, _ = fb.theta(["n", "n"], body)
    typed = infer(fb.module(x), (I64,))
    theta = next(n for n in typed.functions[0].body.nodes if isinstance(n, Theta))
    assert [p.type for p in theta.body.params] == [F64, I64, STATE]
    assert [p.type for p in theta.outputs] == [F64, I64, STATE]


def test_undef_takes_merged_type():
    """x is defined only when a is true: the undef on the other path becomes i64."""
    fb = FunctionBuilder("f", ["a"])
    r, = fb.gamma(fb.truth("a"), ["a"], lambda rb, a: [rb.undef()], lambda rb, a: [rb.binop("+", a, a)])
    typed = infer(fb.module(r), (I64,))
    gamma = typed.functions[0].body.nodes[-1]
    undef = gamma.branches[0].nodes[0]
    assert undef.op == "py.undef" and undef.outputs[0].type == I64
    assert gamma.outputs[0].type == I64


def test_undef_loop_variable_defined_in_loop():
    fb = FunctionBuilder("f", ["n"])

    def body(rb, x, n):
        x2 = rb.binop("*", n, rb.const(2.0))
        return rb.const(False), [x2, n]

    x, _ = fb.theta([fb.undef(), "n"], body)
    typed = infer(fb.module(x), (I64,))
    undef = typed.functions[0].body.nodes[0]
    assert isinstance(undef, Op) and undef.outputs[0].type == F64


def test_every_port_is_typed():
    fb = FunctionBuilder("f", ["n"])
    it = fb.getiter(fb.call("builtins.range", "n"))

    def body(rb, it, s):
        ok, value, it2 = rb.iternext(it)
        s2, = rb.gamma(ok, [s, value], lambda g, s, v: [s], lambda g, s, v: [g.binop("+", s, v)])
        return ok, [it2, s2]

    _, s = fb.theta([it, fb.const(0)], body)
    assert result_type(fb, s, (I64,)) == I64
    text = print_ir(infer(fb.module(s), (I64,)))
    assert "range_iter<i64>" in text


# -- errors --------------------------------------------------------------------------------
def test_none_and_int_on_different_paths_is_an_error():
    fb = FunctionBuilder("f", ["a"])
    fb.line = 7
    r, = fb.gamma(fb.truth("a"), ["a"], lambda rb, a: [rb.const(None)], lambda rb, a: [a])
    with pytest.raises(TypingError) as info:
        infer(fb.module(r), (I64,), filename="cell.py")
    err = info.value
    assert "incompatible types" in err.message and "i64" in err.message and "none" in err.message
    assert f"%{r}" in err.message and "merged at line 7" in err.message
    assert err.line == 1 and err.filename == "cell.py"  # reported where the value is read: the return


def test_conflict_that_is_never_read_is_fine():
    """Restructured control flow merges stack slots no later path reads."""
    fb = FunctionBuilder("f", ["a"])
    fb.gamma(fb.truth("a"), ["a"], lambda rb, a: [rb.const(None)], lambda rb, a: [a])
    typed = infer(fb.module("a"), (I64,))
    assert typed.functions[0].body.nodes[-1].outputs[0].type == NONE


def test_operator_type_error_names_types_and_line():
    fb = FunctionBuilder("f", ["a"])
    fb.line = 3
    with pytest.raises(TypingError, match="unsupported operand types for \\+: int and NoneType") as info:
        infer(fb.module(fb.binop("+", "a", fb.const(None))), (I64,))
    assert info.value.line == 3


@pytest.mark.parametrize(("build", "argtypes", "pattern"), [
    (lambda fb: fb.binop("&", "a", fb.const(1.5)), (I64,), "bitwise"),
    (lambda fb: fb.compare("<", "a", fb.const(None)), (I64,), "not supported between"),
    (lambda fb: fb.compare("is", "a", fb.const(1)), (I64,), "identity"),
    (lambda fb: fb.call("builtins.range", fb.const(1.5)), (I64,), "range\\(\\) needs integers"),
    (lambda fb: fb.call("builtins.len", "a"), (I64,), "object of type i64 has no len"),
    (lambda fb: fb.call("builtins.sum", "a"), (I64,), "sum\\(\\) of a i64 is not supported"),
    (lambda fb: fb.call("math.sqrt", "a", "a"), (I64,), "takes 1 arguments"),
    (lambda fb: fb.call("global:g", "a"), (I64,), "no resolver"),
    (lambda fb: fb.const("text"), (I64,), "constants of type str"),
    (lambda fb: fb.getiter("a"), (I64,), "cannot iterate"),
])
def test_typing_errors(build, argtypes, pattern):
    fb = FunctionBuilder("f", ["a"])
    with pytest.raises(TypingError, match=pattern):
        infer(fb.module(build(fb)), argtypes)


def test_a_read_of_a_value_bound_on_no_path_raises_unbound_local_error_when_it_runs():
    # Python raises when (if ever) the read runs: restructuring keeps such reads in code constant
    # folding shows dead (fuzz seeds 7746, 8439), so typing makes them a py.raise, not an error
    fb = FunctionBuilder("f", ["a"])
    unbound = fb._op("py.undef", [], 1, (("name", "i1"),), base="u", io=False)[0]
    typed = infer(fb.module(fb.binop("+", "a", unbound)), (I64,))
    ops = [(n.op, dict(n.attrs)) for n in typed.functions[0].body.nodes]
    message = "cannot access local variable 'i1' where it is not associated with a value"
    assert ("py.raise", {"exc": "UnboundLocalError", "message": message}) in ops
    assert "py.binop" not in [op for op, _ in ops]


def test_wrong_number_of_argument_types():
    fb = FunctionBuilder("f", ["a"])
    with pytest.raises(TypingError, match="takes 1 arguments, but 2 types were given"):
        infer(fb.module("a"), (I64, I64))


def test_func_name_selects_function():
    f = FunctionBuilder("f", ["a"]).finish("a")
    g_builder = FunctionBuilder("g", ["a"])
    g = g_builder.finish(g_builder.binop("*", "a", g_builder.const(1.5)))
    typed = infer(Module((f, g)), (I64,), func_name="g")
    assert [fn.name for fn in typed.functions] == ["g"]
