"""`%jit_cache` and `%%jit --target cuda` through IPython's InteractiveShell."""
from __future__ import annotations

import numpy as np
import pytest
from IPython.core.error import UsageError
from IPython.core.formatters import format_display_data

import jitlab.cache
from jitlab.backend.cuda import ptxas
from jitlab.cuda import Kernel
from jitlab.notebook.cache_view import CacheListing, CacheReport, format_age, format_bytes


@pytest.fixture
def ip(ipython_shell, tmp_path):
    """The shell, with a cache folder of this test's own (the suite's is shared by every test)."""
    before = jitlab.cache.get_store().root
    jitlab.cache.set_cache_dir(tmp_path / "cache")
    yield ipython_shell
    jitlab.cache.set_cache_dir(before)


def run(ip, capsys, cell: str):
    result = ip.run_cell(cell)
    captured = capsys.readouterr()
    return result, captured.out + captured.err


CELL = '%%jit -s "float64(float64)"\ndef halve(x):\n    return x / 2.0\n'


def test_help_lists_the_actions(ip):
    doc = ip.find_line_magic("jit_cache").__doc__
    for word in ("list", "info", "clear", "FUNCTION", "--dir", "hits"):
        assert word in doc, word


def test_list_shows_entries_sizes_and_hits_as_html_and_text(ip, capsys):
    listing = ip.run_line_magic("jit_cache", "list")
    assert isinstance(listing, CacheListing) and listing.entries == ()
    assert "the cache is empty" in listing.html()
    assert run(ip, capsys, CELL)[0].success
    assert run(ip, capsys, CELL)[0].success            # the second run is a hit
    listing = ip.run_line_magic("jit_cache", "")       # list is the default
    assert [e.function for e in listing.entries] == ["halve"]
    (row,) = listing.rows()
    assert row[0] == "halve" and row[1] == "(f64) -> f64" and row[4] == "1"
    data, _ = format_display_data(listing)
    assert {"text/plain", "text/html"} <= set(data)
    assert "<table class='jl-cache'>" in data["text/html"] and "halve" in data["text/html"]
    assert "1 entry" in data["text/plain"] and "halve" in data["text/plain"]


def test_info_says_why_a_signature_missed(ip, capsys):
    run(ip, capsys, CELL)
    run(ip, capsys, CELL.replace("2.0", "4.0"))
    report = ip.run_line_magic("jit_cache", "info halve")
    assert isinstance(report, CacheReport)
    text = report.text()
    assert "entries: 2" in text
    assert "(f64): miss, compiled and stored (code changed)" in text
    data, _ = format_display_data(report)
    assert "<pre" in data["text/html"]
    everything = ip.run_line_magic("jit_cache", "info").text()  # every jitted function of the namespace
    assert "halve" in everything


def test_clear_one_function_or_all(ip, capsys):
    run(ip, capsys, CELL)
    run(ip, capsys, '%%jit -s "int64(int64)"\ndef keep(n):\n    return n\n')
    assert "removed 1 entries of halve" in ip.run_line_magic("jit_cache", "clear halve").text()
    assert [e.function for e in jitlab.cache.list_entries()] == ["keep"]
    assert "removed 1 entries" in ip.run_line_magic("jit_cache", "clear").text()
    assert jitlab.cache.list_entries() == []
    _, out = run(ip, capsys, CELL)  # cleared in this process: compiled and stored again
    assert ip.user_ns["halve"].wait_optimized()  # (the entry is written in the background)
    assert "cache miss" in out and len(jitlab.cache.list_entries()) == 1


def test_bad_arguments_are_usage_errors(ip, capsys):
    result, out = run(ip, capsys, "%jit_cache info no_such_name")
    assert isinstance(result.error_in_exec, UsageError) and "no_such_name" in out
    result, out = run(ip, capsys, "%jit_cache purge")
    assert not result.success


def test_format_helpers():
    assert format_bytes(512) == "512 B" and format_bytes(2048) == "2.0 KiB"
    assert format_age(100.0, now=130.0) == "30 s ago" and format_age(0, now=3 * 86400) == "3 d ago"


CUDA_CELL = '''def scale(v):
    return v * 2.0

def twice(x, out):
    i = jitlab.cuda.grid(1)
    if i < x.shape[0]:
        out[i] = scale(x[i])
'''


def test_target_cuda_makes_kernels_and_keeps_device_functions(ip, capsys):
    ip.run_cell("import jitlab.cuda")
    result, out = run(ip, capsys, "%%jit --target cuda\n" + CUDA_CELL)
    assert result.success, out
    twice, scale = ip.user_ns["twice"], ip.user_ns["scale"]
    assert isinstance(twice, Kernel) and not isinstance(scale, Kernel)  # scale: a device function
    assert "CUDA kernel" in out
    x, out_array = np.arange(5.0), np.zeros(5)
    twice.launch(5, x, out_array)  # on a GPU when there is one, emulated otherwise
    assert list(out_array) == [0.0, 2.0, 4.0, 6.0, 8.0]


def test_target_cuda_with_a_signature_shows_ptx(ip, capsys):
    ip.run_cell("import jitlab.cuda")
    cell = '%%jit --target cuda -s "void(float64[::1], float64[::1])" --show ptx\n' + CUDA_CELL
    result, out = run(ip, capsys, cell)
    assert result.success, out
    assert "──── ptx: twice(array<f64, 1, C>, array<f64, 1, C>)" in out
    assert ".visible .entry jitlab_kernel_twice(" in out
    assert "add.rn.f64" in out or "mul.rn.f64" in out  # v * 2.0 (LLVM writes it as v + v)


@pytest.mark.skipif(ptxas.ptxas_path() is None, reason="ptxas (pip nvidia-cuda-nvcc-cu12) missing")
def test_target_cuda_shows_ptxas_resources(ip, capsys):
    ip.run_cell("import jitlab.cuda")
    cell = '%%jit --target cuda -s "void(float64[::1], float64[::1])" --show ptx-resources\n' + CUDA_CELL
    result, out = run(ip, capsys, cell)
    assert result.success, out
    assert "registers" in out and "spill" in out


def test_target_cuda_refuses_passes(ip, capsys):
    result, out = run(ip, capsys, "%%jit --target cuda --passes dne\n" + CUDA_CELL)
    assert isinstance(result.error_in_exec, UsageError) and "--passes" in out


def test_target_cuda_annotate_counts_the_kernels_llvm_instructions(ip, capsys):
    from jitlab.notebook.annotate import annotate_lines

    ip.run_cell("import jitlab.cuda")
    cell = '%%jit --target cuda --annotate -s "void(float64[::1], float64[::1])"\n' + CUDA_CELL
    result, out = run(ip, capsys, cell)
    assert result.success, out
    record = next(iter(ip.user_ns["twice"].specialisations.values())).record
    body = next(i for i in annotate_lines(record) if "out[i] = scale(x[i])" in i.text)
    assert body.ir_nodes > 0 and body.llvm_instructions > 0
