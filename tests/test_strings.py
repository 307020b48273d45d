"""`str` in compiled code, against CPython: arguments and results, constants, operators, indexing,
slicing, iteration, f-strings, `int(s)`/`float(s)`, `ord`/`chr`, the methods; errors by type and
message; memory flat over many calls.

Every case runs the plain function, the compiled one and the IR interpreter on the `typed` stage,
and compares outcomes (`differential_support`: the same value and type, or the same exception
type and message).
"""
from __future__ import annotations

import functools
import gc
import sys

import pytest
from differential_support import disagreement, outcome

import jitlab
from jitlab.backend.llvm import nrt
from jitlab.dispatch import typeof
from jitlab.errors import JitlabError
from jitlab.ir import parse, print_module, verify
from jitlab.ir.interpreter import Interpreter

WORDS = ["", "a", "abc", "héllo wörld", "日本語テキスト", "emoji 😀🎉 mix", "  padded\t\n", "a,b,,c", "42",
         "-17", " 3.5e2 ", "sum", "mean", "ABCdef", "x" * 100]


# -- kernels ----------------------------------------------------------------------------------
def identity(s):
    return s


def length(s):
    return len(s)


def concat(s, t):
    return s + t + "!"


def repeat(s, n):
    return s * n + n * "-"


def compare_all(s, t):
    return (s == t, s != t, s < t, s <= t, s > t, s >= t)


def contains(s, t):
    return (t in s, t not in s, "a" in s)


def index_all(s):
    out = ""
    for i in range(-len(s), len(s)):
        out = out + s[i]
    return out


def index_at(s, i):
    return s[i]


def slices(s):
    return (s[1:], s[:-1], s[::2], s[::-1], s[1:8:3], s[-3:], s[5:2], s[-100:100], s[::-2], s[7:1:-2])


def slice_at(s, a, b, c):
    return s[a:b:c]


def iterate(s):
    n = 0
    vowels = 0
    for c in s:
        n += 1
        if c in "aeiouöé":
            vowels += 1
    return n, vowels


def enumerate_chars(s):
    best = -1
    for i, c in enumerate(s):
        if c == " ":
            best = i
    return best


def branch_on_mode(mode, x):
    if mode == "sum":
        return x + x
    elif mode == "mean":
        return x / 2
    elif mode.startswith("neg"):
        return -x
    return 0.0


def fstrings(n, x, s):
    return f"{n}|{n:5d}|{n:#x}|{x}|{x:.3f}|{x:10.2e}|{s}|{s!r}|{s:>8}|{n:+}|{x:%}|{True}|{None}"


def conversions(n, x):
    return str(n) + "/" + str(x) + "/" + repr(x) + "/" + str(-n) + "/" + format(x, ".2f")


def float_reprs(x):
    return str(x) + " " + str(x * 3.0) + " " + str(x / 7.0)


def parse_int(s):
    return int(s)


def parse_float(s):
    return float(s)


def parse_or_default(s):
    try:
        return int(s)
    except ValueError:
        return -1


def ords(s):
    total = 0
    for c in s:
        total = (total * 31 + ord(c)) % 1000000007
    return total


def chrs(n):
    out = ""
    for i in range(n):
        out = out + chr(65 + i % 26) + chr(0x3b1 + i % 5)
    return out + chr(0x1F600)


def bad_chr(n):
    return chr(n)


def bad_ord(s):
    return ord(s)


def affixes(s, t):
    return (s.startswith(t), s.endswith(t), s.startswith(t, 1), s.endswith(t, 0, 3),
            s.startswith(("x", t)), s.endswith(t, -4, -1))


def searches(s, t):
    return (s.find(t), s.rfind(t), s.count(t), s.find(t, 2), s.rfind(t, 0, 5), s.count(t, -5),
            s.find(t, -3, -1), s.find(t, 50))


def index_missing(s, t):
    return s.index(t)


def case_methods(s):
    return (s.upper(), s.lower(), s.capitalize(), s.title(), s.swapcase())


def predicates(s):
    return (s.isdigit(), s.isalpha(), s.isspace(), s.isalnum(), s.isupper(), s.islower(), s.isnumeric(),
            s.isascii())


def strips(s):
    return (s.strip(), s.lstrip(), s.rstrip(), s.strip("a ,"), s.rstrip("\n"), s.lstrip("xa"))


def padding(s, n):
    return (s.zfill(n), s.center(n), s.ljust(n, "*"), s.rjust(n), s.center(n, "é"))


def replaces(s):
    return (s.replace("a", "A"), s.replace(",", ""), s.replace("", "-"), s.replace("l", "L", 1))


def split_join(s):
    parts = s.split(",")
    words = s.split()
    return "|".join(parts) + "#" + "+".join(words) + "#" + str(len(s.split(",", 1)))


def split_lists(s):
    return s.split(), s.split(","), s.rsplit(" ", 1), s.split(maxsplit=1)


def join_numbers(n):
    return ",".join([str(i) for i in range(n)]) + "".join([chr(0x3b1 + i) for i in range(n)])


def strip_more(s):
    return s.strip(None) + "|" + s.rstrip(" \t") + "|" + s.lstrip("") + "|" + s.strip("😀 é")


def list_of_strs(s):
    xs = s.split()
    ys = sorted(xs)
    xs.sort(reverse=True)
    first = xs[0] if xs else ""
    ys.append("~")
    xs.append("")
    return (ys, xs, first in xs, "zz" in xs, xs.count(first), xs == ys, min(ys), max(xs),
            [w.upper() for w in ys if len(w) > 1])


def list_index_missing(s):
    return s.split().index("b")


def dict_counts(text):
    counts = {}
    for word in text.split():
        counts[word] = counts.get(word, 0) + 1
    seen = set()
    for c in text:
        seen.add(c)
    pairs = {("a", 1): 0.5}
    pairs[(text[:1], len(text))] = 1.5
    return counts, len(seen), "a" in seen, pairs[("a", 1)], sorted(counts.keys())


def dict_missing(text):
    d = {"x": 1, "y": 2}
    return d[text]


def partitions(s):
    return s.partition(","), s.rpartition(" ")


def word_count(text):
    counts = 0
    longest = ""
    for word in text.split():
        counts += 1
        if len(word) > len(longest):
            longest = word
    return counts, longest


def build_in_loop(n):
    s = ""
    for i in range(n):
        s += str(i)
        if i % 3 == 0:
            s += ","
    return s, len(s)


def builder_branches(n):
    s = ""
    for i in range(n):
        s += chr(97 + i % 26)
    t = s + "!"  # appended in place after s
    u = s + "?"  # s no longer ends the block: a new one
    v = t[:2] + "x"
    w = (s + "1") + (s + "2")
    return t[-3:], u[-3:], v, w[-4:], len(w), s[:3]


def caesar(s, k):
    out = ""
    for c in s:
        o = ord(c)
        if 97 <= o <= 122:
            out += chr((o - 97 + k) % 26 + 97)
        else:
            out += c
    return out


def palindrome(s):
    t = s.lower()
    return t == t[::-1]


def str_in_tuple(s, n):
    pair = (s, n)
    name, count = pair
    return name * count, (name, count + 1)


def kind_of(x):
    if isinstance(x, str):
        return "str:" + x
    if isinstance(x, (int, float)):
        return "number"
    return "other"


def truthiness(s):
    if s:
        return 1
    if not s:
        return 2
    return 3


def mixed_equality(s, n):
    return (s == n, s != n, s == "x")


def raise_with_str(s):
    if len(s) > 2:
        raise ValueError(f"bad input {s!r} of length {len(s)}")
    raise KeyError(s)


def raise_str_value(s):
    raise ValueError(s)


def print_strs(s, n):
    print(s, n, f"<{s}>", sep="|")
    return n


CASES = [
    (identity, [(w,) for w in WORDS]),
    (length, [(w,) for w in WORDS]),
    (concat, [("ab", "cd"), ("", ""), ("日本", "😀"), ("x" * 50, "y")]),
    (repeat, [("ab", 3), ("", 5), ("é😀", 2), ("ab", 0), ("ab", -3)]),
    (compare_all, [(a, b) for a in ("", "a", "ab", "b", "é", "😀", "abc")
                   for b in ("", "ab", "b", "é", "😀")]),
    (contains, [(w, t) for w in ("", "abc", "héllo wörld", "a,b,,c") for t in ("", "b", "wör", ",,", "zz")]),
    (index_all, [(w,) for w in WORDS]),
    (index_at, [("abc", 0), ("abc", -1), ("abc", 2), ("abc", 3), ("abc", -4), ("", 0), ("😀x", 0)]),
    (slices, [(w,) for w in WORDS]),
    (slice_at, [("abcdefgh", a, b, c) for a in (-10, -2, 0, 3, 20) for b in (-1, 0, 5, 30)
                for c in (1, 2, -1, -3)] + [("abc", 0, 2, 0)]),
    (iterate, [(w,) for w in WORDS]),
    (enumerate_chars, [(w,) for w in WORDS]),
    (branch_on_mode, [("sum", 3.0), ("mean", 3.0), ("negate", 3.0), ("other", 3.0), ("", 1.0)]),
    (fstrings, [(7, 2.5, "ab"), (-123456, 1e-7, "héllo"), (0, float("nan"), ""), (2**62, -0.0, "😀")]),
    (conversions, [(0, 0.1), (-5, 1e300), (12345678901, float("inf")), (7, 1 / 3)]),
    (float_reprs, [(0.1,), (1e16,), (1e-5,), (123456789.125,), (-0.0,), (float("nan"),), (5e-324,)]),
    (parse_int, [("42",), ("-17",), ("  +8 ",), ("1_000",), ("abc",), ("",), ("4.5",), ("٣",),
                 ("0x10",)]),
    (parse_float, [("3.5",), (" -1e3 ",), ("inf",), ("nan",), ("1_0.5",), ("x",), ("",), ("٣.٥",)]),
    (parse_or_default, [("12",), ("twelve",)]),
    (ords, [(w,) for w in WORDS]),
    (chrs, [(0,), (5,), (40,)]),
    (bad_chr, [(65,), (-1,), (0x110000,), (0x10FFFF,), (255,), (256,)]),
    (bad_ord, [("a",), ("",), ("ab",), ("😀",)]),
    (affixes, [(w, t) for w in ("", "abcabc", "héllo wörld", "xyz")
               for t in ("", "abc", "bc", "x", "wörld")]),
    (searches, [(w, t) for w in ("", "abcabcabc", "aaaa", "héllo wörld héllo") for t in ("", "a", "bc", "aa",
                                                                                         "héllo", "zz")]),
    (index_missing, [("abc", "b"), ("abc", "z"), ("", "")]),
    (case_methods, [(w,) for w in WORDS + ["ß straße", "ǆ dž", "İstanbul"]]),
    (predicates, [(w,) for w in WORDS + ["٣٤", "Ⅻ", "\u00a0"]]),
    (strips, [(w,) for w in WORDS]),
    (padding, [(w, n) for w in ("", "ab", "-42", "+7", "héllo") for n in (0, 3, 8)]),
    (replaces, [(w,) for w in WORDS]),
    (split_join, [(w,) for w in WORDS]),
    (split_lists, [(w,) for w in WORDS]),
    (partitions, [(w,) for w in WORDS]),
    (join_numbers, [(0,), (1,), (12,)]),
    (list_of_strs, [(w,) for w in WORDS + ["b a c a b é 😀 ab"]]),
    (list_index_missing, [("a b c",), ("a c",)]),
    (dict_counts, [(w,) for w in WORDS + ["the cat the dog é é é"]]),
    (dict_missing, [("x",), ("z",), ("é😀",)]),
    (strip_more, [(w,) for w in WORDS + ["😀 é x é😀", " \t "]]),
    (word_count, [("the quick brown fox jumps over the lazy dog",), ("",), ("  one  ",)]),
    (build_in_loop, [(0,), (10,), (100,)]),
    (builder_branches, [(0,), (1,), (30,)]),
    (caesar, [("hello, world!", 3), ("xyz é", 13)]),
    (palindrome, [("Racecar",), ("abc",), ("",), ("😀a😀",)]),
    (str_in_tuple, [("ab", 2), ("", 3)]),
    (truthiness, [("",), ("x",)]),
    (kind_of, [("ab",), (3,), (2.5,), (None,)]),
    (mixed_equality, [("1", 1), ("x", 0)]),
    (raise_with_str, [("abcd",), ("ab",), ("é",)]),
    (raise_str_value, [("some message",), ("",)]),
]
PAIRS = [(f, args) for f, arglist in CASES for args in arglist]
IDS = [f"{f.__name__}-{k}" for f, arglist in CASES for k in range(len(arglist))]


@functools.cache
def _jitted(func):
    return jitlab.jit(func)


@pytest.fixture(scope="module", autouse=True)
def _optimized_before_leaving():
    """Let the background tier-1 jobs of this module's functions finish here, not while a later
    test module measures memory."""
    yield
    for func, _ in CASES:
        _jitted(func).wait_optimized()


def _typed_interpreted(func, args):
    compiled = _jitted(func).compile(tuple(typeof(a) for a in args))
    module = compiled.record.artefacts["typed"]
    verify(module)
    return Interpreter(module).call(func.__name__, *args)


@pytest.mark.parametrize(("func", "args"), PAIRS, ids=IDS)
def test_native_and_interpreter_agree_with_cpython(func, args):
    expected = outcome(func, args)
    native = outcome(_jitted(func), args)
    why = disagreement(expected, native)
    assert why is None, f"native {func.__name__}{args!r}: CPython {why}"
    typed = outcome(functools.partial(_typed_interpreted, func), (args,))
    why = disagreement(expected, typed)
    assert why is None, f"typed interpreter {func.__name__}{args!r}: CPython {why}"


def test_split_whitespace_is_cpythons():
    from jitlab.backend.llvm.lower_str_split import SPACES

    assert [c for c in range(0x80, 0x110000) if chr(c).isspace()] == list(SPACES)
    every = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
    text = f"a{every}b c{every}"
    assert _jitted(split_lists)(text) == split_lists(text)


def test_print_of_strs(capsys):
    assert _jitted(print_strs)("héllo😀", 3) == 3
    print_strs("héllo😀", 3)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == out[1] == "héllo😀|3|<héllo😀>"


def tricky_constant(s):
    return s + "a\"b\\c\nd\té😀\x00\ud800" + "{}"


def test_str_type_prints_and_parses_back():
    compiled = _jitted(split_join).compile((typeof("a,b"),))
    for stage in ("typed", "opt"):
        module = compiled.record.artefacts[stage]
        text = print_module(module)
        assert ": str" in text and "list<str>" in text
        assert parse(text) == module
    compiled = _jitted(tricky_constant).compile((typeof("x"),))
    for stage in ("rvsdg", "typed", "opt"):
        module = compiled.record.artefacts[stage]
        assert parse(print_module(module)) == module
    assert _jitted(tricky_constant)("x") == tricky_constant("x")


def test_memory_flat_over_many_calls():
    """Every str a call makes lives in the arena and goes when it returns; the results are new
    `str` objects CPython owns."""
    funcs = [(concat, ("héllo", "wörld")), (split_join, ("a,b,,c d",)), (fstrings, (3, 2.5, "x")),
             (case_methods, ("Abc",)), (slices, ("abcdefgh",)), (parse_or_default, ("x",)),
             (raise_with_str, ("abcd",))]
    for func, args in funcs:
        jitted = _jitted(func)
        outcome(jitted, args)  # compiled
        gc.collect()
        blocks = nrt.live_blocks()
        refs = sys.gettotalrefcount() if hasattr(sys, "gettotalrefcount") else None
        rss = _rss_kib()
        for _ in range(20000):
            outcome(jitted, args)
        gc.collect()
        assert nrt.live_blocks() == blocks, func.__name__
        if refs is not None:
            assert sys.gettotalrefcount() - refs < 100, func.__name__
        assert _rss_kib() - rss < 4096, f"{func.__name__} grew by {_rss_kib() - rss} KiB"


def test_appending_in_a_loop_is_linear():
    """`s += c` writes in place after `s` (a builder block with room), not a copy per step."""
    def append_chars(n):
        s = ""
        for i in range(n):
            s += chr(97 + i % 26)
        return len(s), s[-2:]
    jitted = jitlab.jit(append_chars)
    assert jitted(10) == append_chars(10)
    rss = _rss_kib()
    assert jitted(2_000_000) == append_chars(2_000_000)  # copying per step: terabytes
    assert _rss_kib() - rss < 200_000


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_argument_refcounts_unchanged():
    s = "some text " + str(12345)  # not interned
    before = sys.getrefcount(s)
    for _ in range(1000):
        _jitted(identity)(s)
        _jitted(length)(s)
    assert sys.getrefcount(s) == before


@pytest.mark.parametrize(("source", "message"), [
    ("def f(s):\n    return s + 1\n", 'can only concatenate str (not "int") to str'),
    ("def f(s):\n    return s < 1\n", "'<' not supported between instances of 'str' and 'int'"),
    ("def f(s):\n    s[0] = 'x'\n    return s\n", "'str' object does not support item assignment"),
    ("def f(s):\n    return s.encode()\n", "str.encode() is not supported in compiled code"),
    ("def f(s):\n    return s[1.5]\n", "string indices must be integers, not 'float'"),
    ("def f(s):\n    return 1 in s\n", "'in <string>' requires string as left operand, not int"),
    ("def f(s):\n    return s.split(1)\n", "str.split() argument 1 must be str|none, not int"),
])
def test_refused_with_a_clear_error(source, message, tmp_path):
    path = tmp_path / "refused.py"
    path.write_text(source)
    namespace = {}
    exec(compile(source, str(path), "exec"), namespace)
    with pytest.raises(JitlabError) as info:
        jitlab.jit(namespace["f"])("abc")
    assert message in str(info.value)
    assert "line 2" in str(info.value) or ":2" in str(info.value) or "refused.py" in str(info.value)
