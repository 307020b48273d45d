"""PTX checks without a GPU: NVIDIA's `ptxas` (pip `nvidia-cuda-nvcc-cu12`) and, where present,
`nvdisasm`/`cuobjdump` for SASS.

`resources(ptx, arch)` assembles the PTX (so it is validated) and reads `ptxas -v`: registers,
spill stores/loads, shared memory, stack frame.  Tools are looked for beside the Python
packages first (`nvidia/cuda_nvcc/bin`), then on PATH and in /usr/local/cuda*/bin.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cache

from jitlab.errors import LoweringError


def _find_tool(name: str) -> str | None:
    for base in sys.path:
        for pkg in ("cuda_nvcc", "cuda_nvdisasm", "cuda_cuobjdump"):
            path = os.path.join(base, "nvidia", pkg, "bin", name)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                return path
    found = shutil.which(name)
    if found:
        return found
    return next(iter(sorted(glob.glob(f"/usr/local/cuda*/bin/{name}"))), None)


@cache
def ptxas_path() -> str | None:
    return _find_tool("ptxas")


@cache
def disassembler_path() -> str | None:
    return _find_tool("nvdisasm") or _find_tool("cuobjdump")


@dataclass(frozen=True)
class Resources:
    """What `ptxas -v` says of one kernel."""

    registers: int
    spill_stores: int
    spill_loads: int
    shared_bytes: int
    stack_bytes: int
    text: str
    cubin: bytes


def _number(pattern: str, text: str) -> int:
    m = re.search(pattern, text)
    return int(m.group(1)) if m else 0


def assemble(ptx: str, arch: str) -> tuple[bytes, str]:
    """(cubin, ptxas's -v report); a LoweringError with ptxas's message when it rejects the PTX."""
    exe = ptxas_path()
    if exe is None:
        raise LoweringError("ptxas not found: pip install nvidia-cuda-nvcc-cu12 (the `cuda-tools` extra)")
    with tempfile.TemporaryDirectory(prefix="jitlab-ptx-") as tmp:
        src, out = os.path.join(tmp, "kernel.ptx"), os.path.join(tmp, "kernel.cubin")
        with open(src, "w") as f:
            f.write(ptx)
        proc = subprocess.run([exe, f"-arch={arch}", "-v", src, "-o", out], capture_output=True, text=True,
                              timeout=120)
        if proc.returncode != 0:
            raise LoweringError(f"ptxas rejected the PTX:\n{proc.stderr.strip()}")
        with open(out, "rb") as f:
            return f.read(), proc.stderr


def resources(ptx: str, arch: str) -> Resources:
    cubin, report = assemble(ptx, arch)
    lines = [line.removeprefix("ptxas info    : ") for line in report.splitlines() if line.strip()]
    return Resources(
        registers=_number(r"Used (\d+) registers", report),
        spill_stores=_number(r"(\d+) bytes spill stores", report),
        spill_loads=_number(r"(\d+) bytes spill loads", report),
        shared_bytes=_number(r"(\d+) bytes smem", report),
        stack_bytes=_number(r"(\d+) bytes stack frame", report),
        text="\n".join(lines) + "\n",
        cubin=cubin,
    )


def sass(ptx: str, arch: str) -> str:
    """The kernel's SASS, by nvdisasm (or cuobjdump) on the cubin ptxas makes."""
    tool = disassembler_path()
    if tool is None:
        raise LoweringError("neither nvdisasm nor cuobjdump was found")
    cubin, _ = assemble(ptx, arch)
    with tempfile.TemporaryDirectory(prefix="jitlab-sass-") as tmp:
        path = os.path.join(tmp, "kernel.cubin")
        with open(path, "wb") as f:
            f.write(cubin)
        args = [tool, path] if os.path.basename(tool) == "nvdisasm" else [tool, "--dump-sass", path]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise LoweringError(f"{os.path.basename(tool)} failed: {proc.stderr.strip()}")
        return proc.stdout
