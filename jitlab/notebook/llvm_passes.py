"""LLVM's own per-pass changes: the `llvm-opt` stage re-run with `--print-changed`, as a timeline.

llvmlite (0.44+, LLVM's new pass manager) has no pass-instrumentation callbacks, but LLVM's
standard instrumentation honours `llvm.set_option("", "--print-changed")`: after every pass it
writes `*** IR Dump After PASS on SCOPE ***` and the IR, or `... omitted because no change ***`,
to the C-level stderr.  With `--print-module-scope` each dump is the whole module, so two
consecutive dumps diff into what one pass did.

Both options are process-wide and cannot be switched off again (the option has no "none" value),
and printing the IR after every pass slows every later compile.  So the re-run happens in a
child process: the same `codegen.optimize` (same target machine and pipeline) on the same input,
its stderr read through a pipe.  Nothing of this runs unless the explorer's `llvm-passes` tab is
opened (or `llvm_pass_runs` is called).

For a CUDA kernel the same is done for its `ptx-llvm-opt` stage (`backend/cuda/ptx.optimize` for
the kernel's entry and `sm_XX`), except when the kernel calls libdevice (math): its hundreds of
functions would be printed after every pass.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass

from ..errors import JitlabError
from ..pipeline import CompileRecord
from ..pixie import link_for_inlining

_CHILD = """
import sys
import llvmlite.binding as llvm
llvm.set_option("", "--print-changed")
llvm.set_option("", "--print-module-scope")
if sys.argv[1] == "cpu":
    from jitlab.backend.llvm.codegen import optimize
    optimize(sys.stdin.read(), level=int(sys.argv[2]))
else:
    from jitlab.backend.cuda.ptx import optimize
    optimize(sys.stdin.read(), sys.argv[3], sys.argv[4], level=int(sys.argv[2]))
"""
_KERNEL_ENTRY = re.compile(r'^define\s+ptx_kernel\s+void\s+@"?([\w.$]+)"?\(', re.M)
_PTX_TARGET = re.compile(r"^\.target\s+(sm_\w+)", re.M)

_HEADER = re.compile(r"^\*\*\* IR (Dump|Deleted) (At Start|After (.+?) on (.+?))"
                     r"( omitted because no change| filtered out| ignored)? \*\*\*$")


class LLVMPassesError(JitlabError):
    """The child process that re-runs LLVM's pipeline with `--print-changed` failed."""


@dataclass(frozen=True)
class LLVMPassRun:
    """One pass run as LLVM reported it: the pass, what it ran on, and the module around it."""

    name: str        # e.g. "InstCombinePass"
    scope: str       # "[module]", a function name, "(f)" for an SCC, "loop %x in function f"
    before: str
    after: str
    changed: bool


def parse_print_changed(output: str) -> list[LLVMPassRun]:
    """Split `--print-changed --print-module-scope` output into pass runs with the module
    before and after each (the text after `At Start` is the module before the first pass)."""
    runs: list[LLVMPassRun] = []
    current = ""
    header: re.Match | None = None
    body: list[str] = []

    def flush() -> None:
        nonlocal current
        if header is None:
            return
        text = "".join(body)
        if header.group(2) == "At Start":
            current = text
            return
        name, scope, quiet = header.group(3), header.group(4), header.group(5)
        if header.group(1) == "Deleted" or quiet or not text.strip():
            runs.append(LLVMPassRun(name, scope, current, current, False))
            return
        runs.append(LLVMPassRun(name, scope, current, text, text != current))
        current = text

    for row in output.splitlines(keepends=True):
        m = _HEADER.match(row.rstrip("\n"))
        if m:
            flush()
            header, body = m, []
        elif header is not None:
            body.append(row)
    flush()
    return runs


def print_changed(llvm_ir: str, level: int = 3, timeout: float = 120.0, *,
                  kernel: tuple[str, str] | None = None) -> str:
    """LLVM's `--print-changed` report of `codegen.optimize(llvm_ir, level)` (with `kernel=(entry,
    arch)`: of `ptx.optimize`), from a child process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p and os.path.isdir(p))
    target = ["kernel", str(level), *kernel] if kernel else ["cpu", str(level)]
    try:
        proc = subprocess.run([sys.executable, "-c", _CHILD, *target], input=llvm_ir, capture_output=True,
                              text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise LLVMPassesError(f"re-running LLVM's pipeline with --print-changed took over {timeout:.0f} s"
                              ) from None
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise LLVMPassesError(f"re-running LLVM's pipeline with --print-changed failed "
                              f"(exit {proc.returncode}):\n{tail}")
    return proc.stderr


def optimizer_input(record: CompileRecord) -> str:
    """What the `llvm-opt` stage optimised: `llvm`, with jitted callees linked in for inlining."""
    text = record.texts["llvm"]
    return link_for_inlining(text, record.link_bitcode) if record.link_bitcode else text


def llvm_pass_runs(record: CompileRecord) -> list[LLVMPassRun]:
    """Every LLVM pass run of this record's `llvm-opt` stage (a kernel's `ptx-llvm-opt`), changed or not."""
    if "ptx-llvm" not in record.texts:
        return parse_print_changed(print_changed(optimizer_input(record), record.options.opt_level))
    text = record.texts["ptx-llvm"]
    if re.search(r'@"?__nv_', text):
        raise LLVMPassesError("LLVM's pass changes are not shown for a kernel that calls libdevice (math): "
                              "its hundreds of functions would be printed after every pass")
    entry, arch = _KERNEL_ENTRY.search(text), _PTX_TARGET.search(record.texts.get("ptx", ""))
    if entry is None or arch is None:
        raise LLVMPassesError("cannot tell the kernel's entry function or sm_XX from its stages")
    return parse_print_changed(print_changed(text, kernel=(entry.group(1), arch.group(1))))
