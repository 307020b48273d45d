"""What JIT-loaded machine code links against (backend/llvm/linkage.py).

MCJIT aborts the process on a symbol it cannot resolve, so the two end-to-end checks run in a
child process: a regression there fails the test instead of killing the suite.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

from jitlab.backend.llvm import codegen, linkage

# i64 (a * 2**64 + b) / c, computed in i128 with a divisor only known at run time: LLVM's
# x86-64 code generator has no instruction for it and calls the compiler runtime's __udivti3.
WIDE_DIVISION = """
define i64 @jitlab_test_wide_div(i64 %a, i64 %b, i64 %c) {
  %hi = zext i64 %a to i128
  %shifted = shl i128 %hi, 64
  %lo = zext i64 %b to i128
  %n = or i128 %shifted, %lo
  %d = zext i64 %c to i128
  %q = udiv i128 %n, %d
  %r = trunc i128 %q to i64
  ret i64 %r
}
"""

MISSING_SYMBOL = """
declare i64 @jitlab_test_nothing_defines_this(i64)
define i64 @jitlab_test_calls_missing(i64 %a) {
  %r = call i64 @jitlab_test_nothing_defines_this(i64 %a)
  ret i64 %r
}
"""


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120)


def test_code_calling_the_compiler_runtime_loads_and_runs():
    done = _run(f"""
        import ctypes
        from jitlab.backend.llvm import codegen
        engine = codegen.get_engine()
        engine.add_ir({WIDE_DIVISION!r})
        f = ctypes.CFUNCTYPE(ctypes.c_uint64, ctypes.c_uint64, ctypes.c_uint64, ctypes.c_uint64)(
            engine.address_of("jitlab_test_wide_div"))
        print(f(3, 5, 7), f(1, 0, 2**63 + 1))
        """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str((3 * 2**64 + 5) // 7), str(2**64 // (2**63 + 1))]


def test_an_unresolvable_symbol_is_a_lowering_error_not_an_abort():
    done = _run(f"""
        from jitlab.backend.llvm import codegen
        from jitlab.errors import LoweringError
        engine = codegen.get_engine()
        try:
            engine.add_ir({MISSING_SYMBOL!r})
        except LoweringError as error:
            print("LoweringError:", error)
        engine.add_ir({WIDE_DIVISION!r})  # the engine still works afterwards
        print("still alive")
        """)
    assert done.returncode == 0, done.stderr
    assert "LoweringError: the machine code calls jitlab_test_nothing_defines_this" in done.stdout
    assert "still alive" in done.stdout


def test_object_symbols_reads_defined_and_undefined_globals():
    module = codegen.parse(MISSING_SYMBOL + WIDE_DIVISION.replace("@jitlab_test_wide_div", "@wd"))
    table = linkage.object_symbols(codegen.emit_object(module, *codegen.host_cpu()))
    if table is None:  # not ELF: the check is skipped on this platform
        assert sys.platform != "linux"
        return
    defined, undefined = table
    assert {"jitlab_test_calls_missing", "wd"} <= defined
    assert "jitlab_test_nothing_defines_this" in undefined
    assert "__udivti3" in undefined  # the code generator's own call, in no IR declaration
    assert linkage.object_symbols(b"\xcf\xfa\xed\xfe" + bytes(60)) is None  # Mach-O: unchecked


def test_the_compiler_runtime_helpers_are_registered_on_linux():
    codegen.get_engine()
    if sys.platform == "linux":
        assert linkage.register_libcalls() == ()  # idempotent, nothing left missing
        import llvmlite.binding as llvm
        for name in ("__udivti3", "__divti3", "__umodti3", "__modti3", "__powidf2"):
            assert llvm.address_of_symbol(name), name
