"""Run a kernel in a fresh interpreter against a given cache folder (a restarted notebook kernel)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DRIVER = """
import json, sys, warnings
sys.path.insert(0, {root!r})
import jitlab, jitlab.cache
jitlab.cache.set_cache_dir({cache!r})
caught = []
warnings.simplefilter("always")
warnings.showwarning = lambda message, *a, **k: caught.append(str(message))
{source}
result = {call}
f = {func}
f.wait_optimized()  # a miss stores its entry from the background (tier 1)
record = f.last_compile
print(json.dumps({{"result": result, "timings": list(record.timings), "status": record.cache.status,
                  "reason": record.cache.reason, "info": jitlab.cache.info(f), "warnings": caught}}))
"""


def run_kernel(cache_dir: Path, source: str, call: str = "f(1)", func: str = "f") -> dict:
    """Define `source` in a new process, evaluate `call`; report the result and the cache's view."""
    script = DRIVER.format(root=str(ROOT), cache=str(cache_dir), source=textwrap.dedent(source), call=call,
                           func=func)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
