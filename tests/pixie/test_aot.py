"""AOT PIXIE libraries (`jitlab pixie build`): a real shared library that imports as a CPython
extension module in an interpreter without jitlab, picks its variant from CPUID inside the `.so`,
and never one the CPU lacks (checked on simulated feature masks, through the library's own
`pixie_select`)."""
from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pytest

from jitlab import aot, cli
from jitlab.errors import JitlabError
from jitlab.pixie import X86_64, X86_64_V2, X86_64_V3, X86_64_V4, host_arch, host_features, select_variant
from jitlab.pixie import aot as pixie_aot
from jitlab.pixie import cpuid
from jitlab.pixie.describe import describe

pytestmark = pytest.mark.skipif(host_arch() != "x86_64" or sys.platform != "linux",
                                reason="the variants and the selector under test are x86-64 Linux's")

KERNELS = '''
import numpy as np
import jitlab


@jitlab.jit("float64(float64)")
def poly(x):
    """x² + 3x + 1."""
    return x * x + 3.0 * x + 1.0


def half(i):
    return i * 0.5


@jitlab.jit("float64(int64)")
def total(n):
    s = 0.0
    for i in range(n):
        s += half(i)        # a plain callee: compiled into the library too
    return s


@jitlab.jit("float64(float64[:])", "int64(int64[:])")
def asum(a):
    s = a[0] * 0
    for i in range(a.shape[0]):
        s += a[i]
    return s


@jitlab.jit("float64[:](int64)")
def ramp(n):
    out = np.zeros(n)
    for i in range(n):
        out[i] = i * 2.0
    return out


def not_exported(x):
    return x + 1
'''

# The variants in a shuffled order: the selector must go by rank, not by position.
ORDER = ["x86-64-v3", "baseline", "x86-64-v4", "x86-64-v2"]
ISA_ORDER = ["x86-64-v3", "x86-64", "x86-64-v4", "x86-64-v2"]

OLD_SSE2 = {"cmov", "cx8", "fxsr", "mmx", "sse", "sse2"}
NEHALEM = OLD_SSE2 | {"cx16", "popcnt", "sahf", "sse3", "sse4.1", "sse4.2", "ssse3"}
HASWELL = NEHALEM | {"avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave"}
SKYLAKE_X = HASWELL | {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("aot")
    source = folder / "kernels.py"
    source.write_text(KERNELS)
    return aot.build(source, folder / "libkern.so", variants=ORDER)


def fresh_python(code: str, *path: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `code` in an interpreter without site-packages (so without jitlab, llvmlite, numpy):
    `-S` skips site, `-E` ignores PYTHONPATH; `path` is all it can import from."""
    prelude = f"import sys; sys.path[:0] = {list(path)!r}\n"
    # cwd: not the checkout, whose jitlab/ would be importable through `-c`'s sys.path[0] ('')
    return subprocess.run([sys.executable, "-S", "-E", "-c", prelude + textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})},
                          cwd=path[0] if path else tempfile.gettempdir())


def test_the_library_imports_and_runs_without_jitlab(built):
    done = fresh_python("""
        import json
        for name in ("jitlab", "llvmlite", "numpy"):
            try:
                __import__(name)
                raise SystemExit(name + " is importable: not a fresh interpreter")
            except ImportError:
                pass
        import libkern
        pixie = libkern.__PIXIE__
        print(json.dumps({"poly": libkern.poly(2.0), "total": libkern.total(10), "variant": pixie["variant"],
                          "variants": pixie["variants"], "signatures": pixie["signatures"],
                          "bitcode": pixie["bitcode"][:4].hex(), "meta": pixie["metadata"]["name"],
                          "features": pixie["features"], "public": sorted(k for k in vars(libkern)
                                                                          if not k.startswith("__")),
                          "doc": libkern.poly.__doc__, "type": type(libkern.poly).__name__}))
    """, str(built.parent))
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["poly"] == 11.0 and got["total"] == sum(i * 0.5 for i in range(10))
    assert got["variants"] == ISA_ORDER
    assert got["variant"] == select_variant([X86_64, X86_64_V2, X86_64_V3, X86_64_V4], host_features(),
                                            "x86_64").isa
    assert got["signatures"] == {"poly": ["f64(f64)"], "total": ["f64(i64)"],
                                 "asum": ["f64(array<f64, 1, A>)", "i64(array<i64, 1, A>)"],
                                 "ramp": ["array<f64, 1, C>(i64)"]}
    assert got["bitcode"] == "4243c0de"  # LLVM bitcode magic
    assert got["meta"] == "libkern"
    assert got["public"] == ["asum", "poly", "ramp", "total"]  # no helper, no overlay leftovers
    assert got["type"] == "builtin_function_or_method" and got["doc"] == "x² + 3x + 1."
    assert set(got["features"]) == set(host_features()) & set(cpuid.FEATURES)


def test_the_library_imports_and_runs_in_a_fresh_venv(built, tmp_path):
    """A real virtual environment (`python -m venv`: site runs, with its own empty site-packages),
    as a user without jitlab has one -- not just `-S -E`."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120,
                   capture_output=True)
    app = tmp_path / "app"
    app.mkdir()
    shutil.copy(built, app / built.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}  # no PYTHONPATH/HOME
    done = subprocess.run([str(venv / "bin" / "python"), "-c", textwrap.dedent("""
        import importlib.util, json, sys
        import libkern
        names = ("jitlab", "llvmlite", "numpy")
        print(json.dumps({"venv": sys.prefix, "in_venv": sys.prefix != sys.base_prefix,
                          "found": [n for n in names if importlib.util.find_spec(n)],
                          "loaded": [n for n in names if n in sys.modules],
                          "file": libkern.__file__, "poly": libkern.poly(2.0), "total": libkern.total(10),
                          "variant": libkern.__PIXIE__["variant"]}))
    """)], capture_output=True, text=True, timeout=60, env=env, cwd=app)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["in_venv"] and Path(got["venv"]).resolve() == venv.resolve()
    assert got["found"] == [] and got["loaded"] == []  # neither importable nor imported
    assert Path(got["file"]).resolve() == (app / built.name).resolve()
    assert got["poly"] == 11.0 and got["total"] == sum(i * 0.5 for i in range(10))
    assert got["variant"] == select_variant([X86_64, X86_64_V2, X86_64_V3, X86_64_V4], host_features(),
                                            "x86_64").isa


def test_arrays_in_and_out_with_numpy_only(built):
    numpy_dir = str(Path(np.__file__).resolve().parent.parent)
    done = fresh_python("""
        import numpy as np
        import libkern
        print(libkern.asum(np.arange(5.0)), libkern.asum(np.arange(5)), libkern.ramp(4).tolist())
        try:
            libkern.asum("no")
        except TypeError as exc:
            print(exc)
    """, str(built.parent), numpy_dir)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "10.0 10 [0.0, 2.0, 4.0, 6.0]"
    assert lines[1].startswith("asum() argument 'a' must be")


MESSAGES = '''
import numpy as np
import jitlab


@jitlab.jit("(float64[:], float64)")
def split(a, limit):
    if limit < 0.0:
        raise ValueError(f"limit {limit:.2f} < 0 (got {limit!r}, {a.shape[0]} items)")
    return a * 2.0, a[1:]
'''


def test_messages_with_values_and_tuples_of_arrays_without_jitlab(tmp_path):
    """The wrapper formats raised messages and boxes several arrays with the C API alone."""
    (tmp_path / "msgs.py").write_text(MESSAGES)
    aot.build(tmp_path / "msgs.py", tmp_path / "libmsgs.so", variants=["baseline"])
    numpy_dir = str(Path(np.__file__).resolve().parent.parent)
    done = fresh_python("""
        import numpy as np
        import libmsgs
        a = np.arange(4.0)
        doubled, tail = libmsgs.split(a, 1.0)
        print(doubled.tolist(), tail.tolist(), tail.base is a)
        try:
            libmsgs.split(a, -0.125)
        except ValueError as exc:
            print(exc)
    """, str(tmp_path), numpy_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[0.0, 2.0, 4.0, 6.0] [1.0, 2.0, 3.0] True",
                                        "limit -0.12 < 0 (got -0.125, 4 items)"]


def test_every_variant_the_cpu_has_runs_and_one_it_lacks_is_refused(built):
    have = host_features()
    for variant in (X86_64, X86_64_V2, X86_64_V3, X86_64_V4):
        done = fresh_python("import libkern; print(libkern.__PIXIE__['variant'], libkern.total(100))",
                            str(built.parent), env={"PIXIE_VARIANT": variant.isa})
        if variant.requires <= have:
            assert done.returncode == 0, done.stderr
            assert done.stdout.split() == [variant.isa, "2475.0"]
        else:
            assert "this CPU lacks" in done.stderr
    done = fresh_python("import libkern", str(built.parent), env={"PIXIE_VARIANT": "armv9"})
    assert "has no such variant" in done.stderr


def selector(built):
    lib = ctypes.CDLL(str(built))
    lib.pixie_select.restype, lib.pixie_select.argtypes = ctypes.c_int32, (ctypes.c_uint64,)
    lib.pixie_cpu_features.restype = ctypes.c_uint64
    return lib


@pytest.mark.parametrize(("cpu", "expected"), [
    (SKYLAKE_X, "x86-64-v4"),
    (HASWELL, "x86-64-v3"),             # AVX2+FMA without AVX-512: v3 (PIXIE's prototype got this wrong)
    (HASWELL - {"fma"}, "x86-64-v2"),   # one v3 feature missing
    (NEHALEM, "x86-64-v2"),
    (OLD_SSE2, "x86-64"),               # an old CPU gets the baseline, never v4
    (SKYLAKE_X - {"avx512vl"}, "x86-64-v3"),
    (set(), None),                      # nothing fits: no variant, never a fallback to the best
])
def test_the_libraries_own_selector_on_simulated_cpus(built, cpu, expected):
    index = selector(built).pixie_select(cpuid.feature_mask(cpu))
    assert (ISA_ORDER[index] if index >= 0 else None) == expected
    # the JIT's reader makes the same choice
    chosen = select_variant([X86_64_V3, X86_64, X86_64_V4, X86_64_V2], cpu, "x86_64")
    assert (chosen.isa if chosen else None) == expected


def test_cpuid_in_the_library_agrees_with_llvm(built):
    mask = selector(built).pixie_cpu_features()
    assert set(cpuid.mask_features(mask)) == set(host_features()) & set(cpuid.FEATURES)


@pytest.mark.parametrize(("cpu", "expected"), [(HASWELL, "x86-64-v3"), (OLD_SSE2, "x86-64"),
                                               (NEHALEM, "x86-64-v2")])
def test_import_on_a_simulated_cpu(built, cpu, expected):
    """`PIXIE_CPU_FEATURES` replaces what CPUID says: the whole import path on an older CPU."""
    done = fresh_python("import libkern; print(libkern.__PIXIE__['variant'], libkern.total(100))",
                        str(built.parent), env={"PIXIE_CPU_FEATURES": hex(cpuid.feature_mask(cpu))})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [expected, "2475.0"]


def test_a_library_without_a_fitting_variant_fails_to_import_clearly(tmp_path):
    aot.build({"__name__": "ns", "f": _plain}, tmp_path / "libv4.so", variants=["x86-64-v4", "x86-64-v3"],
              exports=["f:(int64,)"])
    done = fresh_python("import libv4", str(tmp_path),
                        env={"PIXIE_CPU_FEATURES": hex(cpuid.feature_mask(NEHALEM))})
    assert done.returncode != 0
    assert "no variant of the PIXIE library libv4 runs on this CPU (x86-64-v4 needs avx" in done.stderr
    if X86_64_V3.requires <= host_features():
        assert fresh_python("import libv4; print(libv4.f(2))", str(tmp_path)).stdout.strip() == "7"


def _plain(n):
    return n * 3 + 1


def test_export_option_alias_and_overloads(tmp_path):
    ns = {"__name__": "ns", "f": _plain}
    path = aot.build(ns, tmp_path / "libex.so", variants=["baseline"],
                     exports=["g=f:(int64,)", "f:(float64,)"])
    done = fresh_python("""
        import libex
        print(libex.g(2), libex.f(2.5), sorted(libex.__PIXIE__["signatures"]), libex.__PIXIE__["variant"])
    """, str(path.parent))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["7", "8.5", "['f',", "'g']", "x86-64"]


def test_several_signatures_dispatch_by_argument_conversion(built):
    numpy_dir = str(Path(np.__file__).resolve().parent.parent)
    done = fresh_python("""
        import numpy as np, libkern
        print(libkern.asum.__name__, len(libkern.__PIXIE__["overloads"]["asum"]))
        print(type(libkern.asum(np.arange(3))).__name__, type(libkern.asum(np.arange(3.0))).__name__)
    """, str(built.parent), numpy_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["asum", "2", "int", "float"]


def test_missing_linker_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no cc, gcc or clang there
    monkeypatch.delenv("CC", raising=False)
    with pytest.raises(pixie_aot.LinkerNotFound, match="needs a system linker"):
        aot.build({"__name__": "ns", "f": _plain}, tmp_path / "libno.so", exports=["f:(int64,)"])
    assert not (tmp_path / "libno.so").exists()


def test_bad_requests_are_jitlab_errors(tmp_path):
    ns = {"__name__": "ns", "f": _plain}
    with pytest.raises(JitlabError, match="nothing to export"):
        aot.build(ns, tmp_path / "libe.so")
    with pytest.raises(JitlabError, match="unknown variant"):
        aot.build(ns, tmp_path / "libe.so", variants=["x86-64-v9"], exports=["f:(int64,)"])
    with pytest.raises(JitlabError, match="not a Python identifier"):
        aot.build(ns, tmp_path / "lib-e.so", exports=["f:(int64,)"])
    with pytest.raises(JitlabError, match="defines no function"):
        aot.build(ns, tmp_path / "libe.so", exports=["nope:(int64,)"])


def test_cli_build_and_inspect(tmp_path, capsys):
    source = tmp_path / "mod.py"
    source.write_text("def sq(x):\n    return x * x\n")
    assert cli.main(["pixie", "build", str(source), "-o", str(tmp_path / "libsq.so"),
                     "--variants", "baseline,x86-64-v3", "--export", "sq:float64(float64)"]) == 0
    assert cli.main(["pixie", "inspect", str(tmp_path / "libsq.so")]) == 0
    out = capsys.readouterr().out
    assert "PIXIE shared-library 'libsq'" in out
    assert "sq(f64) -> f64" in out
    assert "x86-64-v3" in out and "+ avx, avx2" in out
    assert cli.main(["pixie", "inspect", "--json", str(tmp_path / "libsq.so")]) == 0
    meta = json.loads(capsys.readouterr().out)
    assert [v["isa"] for v in meta["variants"]] == ["x86-64", "x86-64-v3"]


def test_cli_without_linker_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CC", raising=False)
    source = tmp_path / "mod.py"
    source.write_text("def sq(x):\n    return x * x\n")
    assert cli.main(["pixie", "build", str(source), "-o", str(tmp_path / "libsq.so"),
                     "--export", "sq:(f8,)"]) == 1
    assert "needs a system linker" in capsys.readouterr().err


def test_inspect_a_cache_entry(tmp_path):
    import jitlab
    import jitlab.cache

    store = jitlab.cache.get_store(tmp_path)
    ns = {}
    exec("def inspected(n):\n    return n * 5 - 2\n", ns)  # a function no earlier test compiled
    f = jitlab.jit(ns["inspected"], cache_dir=str(tmp_path))
    assert f(3) == 13
    assert f.wait_optimized()  # (a miss writes its entry from the background)
    (entry,) = store.entries()
    text = describe(entry.path)
    assert "PIXIE cache entry 'inspected'" in text and "cache key:" in text and "obj:host:" in text
