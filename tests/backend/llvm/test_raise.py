"""`py.raise` on hand-written IR: the exception type and message come back as CPython's."""
import pytest
from native import Native

from jitlab.errors import LoweringError, TypingError
from jitlab.ir import parse
from jitlab.ir.types import F64, I64

GUARDED = """
module {
  func @f(%x, %io) {
    %z = py.const {value = 0} ()
    %p, %io.1 = py.compare {op = "<"} (%x, %z, %io)
    %r, %io.4 = gamma %p (%x, %io.1) {
    ^(%x.1, %io.2):
      yield (%x.1, %io.2)
    ^(%x.2, %io.3):
      %io.5 = py.raise {RAISE} (%io.3)
      yield (%x.2, %io.5)
    }
    return (%r, %io.4)
  }
}
"""


def guarded(attrs: str, argtype=I64) -> Native:
    return Native(parse(GUARDED.replace("RAISE", attrs)).functions[0], (argtype,))


@pytest.mark.parametrize(("attrs", "exc", "args"), [
    ('exc = "ValueError", message = "x must not be negative"', ValueError, ("x must not be negative",)),
    ('exc = "AssertionError", message = "100% sure"', AssertionError, ("100% sure",)),
    ('exc = "KeyError", message = "k"', KeyError, ("k",)),
    ('exc = "ValueError"', ValueError, ()),  # `raise ValueError`: no args, like CPython
    ('exc = "NotImplementedError", message = ""', NotImplementedError, ("",)),
])
def test_raise_type_and_message(attrs, exc, args):
    native = guarded(attrs)
    assert native(5) == 5
    with pytest.raises(exc) as info:
        native(-1)
    assert type(info.value) is exc and info.value.args == args


def test_raise_keeps_float_values_flowing():
    native = guarded('exc = "ValueError", message = "neg"', F64)
    assert native(2.5) == 2.5
    with pytest.raises(ValueError, match="^neg$"):
        native(-0.5)


def test_raise_unknown_exception_is_a_typing_error():
    with pytest.raises(TypingError, match="builtin exception name"):
        guarded('exc = "NoSuchError", message = "m"')


def test_raise_exception_outside_the_status_table_is_a_lowering_error():
    with pytest.raises(LoweringError, match="cannot raise SystemExit"):
        guarded('exc = "SystemExit", message = "m"')


def test_raise_message_with_utf8():
    native = guarded('exc = "ValueError", message = "\\u00e9t\\u00e9 \\u2192 \\u221e"')
    with pytest.raises(ValueError) as info:
        native(-3)
    assert str(info.value) == "été → ∞"


_REPRODUCIBLE = '''
import jitlab

def checked(x):
    if x < 0:
        raise ValueError("negative input")
    return x * 2

print(jitlab.stages(jitlab.jit(checked, cache=False), 3)["llvm"])
'''


def test_message_globals_are_named_the_same_in_every_process():
    # The raise message's constant is named after its text; str hashes differ between processes
    # (PYTHONHASHSEED), so a name built on hash() made the IR text differ from run to run.
    import os
    import subprocess
    import sys

    texts = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", _REPRODUCIBLE], env=env, capture_output=True,
                             text=True, timeout=120, check=True).stdout
        assert "jitlab.msg." in out
        texts.append(out)
    assert texts[0] == texts[1]
