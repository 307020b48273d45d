"""Parse errors name the line, the column (1-based in the message) and what was expected."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import modules

from jitlab.errors import IRParseError, JitlabError
from jitlab.ir import parse, parse_function, print_module

GOOD_HEAD = "module {\n  func @f(%a, %io: !io) {\n"
GOOD_TAIL = "    return (%a, %io)\n  }\n}\n"


def body(*lines: str) -> str:
    """A module whose function body holds `lines` (they start on line 3)."""
    return GOOD_HEAD + "".join(f"    {line}\n" for line in lines) + GOOD_TAIL


CASES = [
    # (text, line, col (1-based), message fragment)
    (body("%b = test.op (%a = %a)"), 3, 22, "expected ')' but found '='"),
    (body("%b = test.op (%a, )"), 3, 23, "expected a value '%name' but found ')'"),
    (body("%b: i65 = test.op ()"), 3, 9, "expected a type but found 'i65'"),
    (body("%b: = test.op ()"), 3, 9, "expected a type but found '='"),
    (body("%b = op (%a)"), 3, 10, "expected an op name ('family.name'), 'gamma' or 'theta' but found 'op'"),
    (body('%b = test.op {x = "abc} (%a)'), 3, 23, "unterminated string"),
    (body('%b = test.op {x = "\\q"} (%a)'), 3, 23, "bad string escape"),
    (body("%b = test.op {x = -nan} (%a)"), 3, 23, "expected a value but found '-nan'"),
    (body("%b = test.op {x = (1 2)} (%a)"), 3, 26, "expected ',' or ')' but found '2'"),
    (body("%b = test.op {x = } (%a)"), 3, 23, "expected a value (number, string, true, false, none"),
    (body("%b = test.op {1 = 2} (%a)"), 3, 19, "expected an attribute name but found '1'"),
    (body("%b = test.op {} (%a)"), 3, 19, "expected an attribute name but found '}'"),
    (body("%b = test.op (%a) loc(3)"), 3, 28, "expected ':' but found ')'"),
    (body("%b = test.op (%a) loc(x:1)"), 3, 27, "expected a line number but found 'x'"),
    (body("%b = test.op (%a) # comment"), 3, 23, "unexpected character '#'"),
    (body("% = test.op ()"), 3, 5, "expected a name after '%'"),
    (body("%b = theta (%a) {", "^(%c):", "  yield (%c, %c)", "^(%d):", "  yield (%d, %d)", "}"),
     6, 5, "expected '}' but found '^'"),
    (body("%b = gamma %a (%a) {", "^(%c):", "  return (%c)", "}"),
     5, 7, "expected 'yield' but found 'return'"),
    (body("%b = gamma (%a) {", "}"), 3, 16, "expected a predicate '%name' but found '('"),
    (body("%b = gamma %a (%a) {", "  test.op ()", "}"), 4, 7, "expected '^' or '}' but found 'test.op'"),
    (GOOD_HEAD + "    yield (%a, %io)\n  }\n}\n", 3, 5, "expected 'return' but found 'yield'"),
    (GOOD_HEAD + "  }\n}\n", 3, 3, "expected a node or 'return' but found '}'"),
    ("func @f(%io) {\n  return (%io, %io)\n}\n", 1, 1, "expected 'module' but found 'func'"),
    ("module {\n  %a = test.op ()\n}\n", 2, 3, "expected 'delta', 'func', 'phi' or '}' but found '%a'"),
    ("module {\n  phi {\n  }\n}\n", 3, 3, "expected 'func' but found '}'"),
    ("module {\n  func f(%io) {\n  }\n}\n", 2, 8, "expected a function name '@name' but found 'f'"),
    ("module {\n}\nmodule {\n}\n", 3, 1, "expected end of input but found 'module'"),
    ("module {\n", 2, 1, "expected 'delta', 'func', 'phi' or '}' but found end of input"),
    ("", 1, 1, "expected 'module' but found end of input"),
    ("module {\n  delta @G: array<f64, 1, C> shape (2,) = (1.0, 2.0)\n}\n", 2, 13,
     "expected a read-only C array type (array<dtype, ndim, C, readonly>) but found array<f64, 1, C>"),
    ("module {\n  delta @G: array<f64, 1, C, readonly> shape (3,) = (1.0, 2.0)\n}\n", 2, 53,
     "expected 3 values for shape (3,) but found 2"),
    ("module {\n  delta @G: array<i8, 2, C, readonly> shape (1,) = (1,)\n}\n", 2, 45,
     "expected a shape of 2 non-negative ints but found (1,)"),
    ("module {\n  delta @G: array<u8, 1, C, readonly> shape (1,) = (300,)\n}\n", 2, 52,
     "expected values of u8"),
    ("module {\n  delta G: array<u8, 1, C, readonly> shape (1,) = (3,)\n}\n", 2, 9,
     "expected a global name '@name' but found 'G'"),
]


@pytest.mark.parametrize(("text", "line", "col", "fragment"), CASES,
                         ids=[f"{i}-{c[3][:30]}" for i, c in enumerate(CASES)])
def test_parse_error_names_line_column_and_expectation(text, line, col, fragment):
    with pytest.raises(IRParseError) as info:
        parse(text)
    err = info.value
    assert err.message.startswith(f"line {line}, col {col}: "), err.message
    assert fragment in err.message
    assert (err.line, err.col) == (line, col - 1)  # the attributes use Loc's 0-based column


def test_parse_error_shows_the_line_with_a_caret():
    with pytest.raises(IRParseError) as info:
        parse(body("%b = test.op (%a = %a)"))
    lines = str(info.value).splitlines()
    assert lines[0] == "line 3, col 22: expected ')' but found '='"
    assert lines[-2].strip() == "%b = test.op (%a = %a)"
    assert lines[-1].index("^") == lines[-2].index("=", lines[-2].index("(%a"))
    assert isinstance(info.value, JitlabError)


def test_parse_error_carries_the_filename():
    with pytest.raises(IRParseError) as info:
        parse("modul {}", filename="golden/f.ir")
    assert info.value.filename == "golden/f.ir" and 'File "golden/f.ir", line 1' in str(info.value)


def test_parse_function_rejects_trailing_text():
    with pytest.raises(IRParseError, match="line 4, col 1: expected end of input but found 'func'"):
        parse_function("func @f(%io) {\n  return (%io, %io)\n}\nfunc @g(%io) {\n}\n")


def test_huge_integer_literal_is_a_parse_error_not_a_crash():
    digits = "9" * 5000
    with pytest.raises(IRParseError, match="line 3, col 23"):
        parse(body(f"%b = test.op {{x = {digits}}} (%a)"))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules(max_functions=1, max_depth=2), st.randoms(use_true_random=False))
def test_mangled_text_parses_or_raises_ir_parse_error(module, rnd):
    """Any edit of a printed module either parses or raises IRParseError with a location."""
    text = print_module(module)
    for _ in range(10):
        i = rnd.randrange(len(text) + 1)
        edited = text[:i] + rnd.choice(['', *'(){}%@^:=,"\\-0a. \n!<>#/']) + text[i + 1:]
        try:
            parse(edited)
        except IRParseError as err:
            assert err.line is not None and err.col is not None
