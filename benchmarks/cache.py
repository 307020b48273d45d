"""The kernel cache: a cold compile vs a cache hit in a fresh process, jitlab vs Numba `cache=True`.

    python benchmarks/cache.py [--repeat 5]

Per tool and state (cold: empty cache folder; hit: the folder a previous process filled) it runs a
fresh interpreter and reports the wall time from process start to the first result, and the time
of the first call alone (compile, or load from the cache). Ratios are from the same run.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

KERNELS = """
@{deco}
def g(x):
    return x * 0.5 + 1.0

@{deco}
def f(n):
    s = 0.0
    for i in range(n):
        s += g(i * 1.0)
    return s
"""

JITLAB = """
import sys, time
sys.path.insert(0, {root!r})
import jitlab, jitlab.cache
jitlab.cache.set_cache_dir({cache!r})
{kernels}
t = time.perf_counter(); r = f(1000); first = time.perf_counter() - t
print(first, f.last_compile.cache.status)
"""


def run(script: str, env_cache: str | None = None) -> tuple[float, float, str]:
    import os

    env = dict(os.environ)
    if env_cache is not None:
        env["NUMBA_CACHE_DIR"] = env_cache  # Numba's only way to move its cache
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    wall = time.perf_counter() - start
    first, status = out.stdout.split()
    return wall, float(first), status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    ns = parser.parse_args()
    rows = {}
    for tool in ("jitlab", "numba"):
        for state in ("cold", "hit"):
            walls, firsts = [], []
            for _ in range(ns.repeat):
                folder = tempfile.mkdtemp(prefix=f"bench-cache-{tool}-")
                if tool == "jitlab":
                    script = JITLAB.format(root=str(ROOT), cache=folder,
                                           kernels=KERNELS.format(deco="jitlab.jit"))
                    env = None
                else:
                    path = Path(folder) / "kernels_mod.py"
                    path.write_text("import numba\n" + KERNELS.format(deco="numba.njit(cache=True)"))
                    script = f"import sys, time; sys.path.insert(0, {folder!r})\n" \
                             "t = time.perf_counter()\nimport kernels_mod\nr = kernels_mod.f(1000)\n" \
                             "print(time.perf_counter() - t, 'numba')\n"
                    env = folder + "/nbcache"
                if state == "hit":
                    run(script, env)
                wall, first, _ = run(script, env)
                walls.append(wall)
                firsts.append(first)
                shutil.rmtree(folder, ignore_errors=True)
            rows[tool, state] = (statistics.median(walls), statistics.median(firsts))
    print(f"{'':16}{'start→result s':>16}{'first call ms':>16}")
    for (tool, state), (wall, first) in rows.items():
        print(f"{tool + ' ' + state:16}{wall:16.3f}{first * 1e3:16.1f}")
    jc, jh = rows["jitlab", "cold"], rows["jitlab", "hit"]
    nh = rows["numba", "hit"]
    print(json.dumps({
        "jitlab_hit_vs_cold_first_call": round(jh[1] / jc[1], 4),
        "jitlab_hit_vs_cold_start_to_result": round(jh[0] / jc[0], 3),
        "jitlab_hit_vs_numba_hit_start_to_result": round(jh[0] / nh[0], 3),
    }))


if __name__ == "__main__":
    main()
