"""Random numbers in compiled code: `np.random.*` (NumPy's legacy global API) and `random.*`.

Differential: each kernel seeds inside compiled code and draws a long sequence; the same Python
function run by CPython (seeding NumPy's / CPython's global generator) must give the same
numbers, element by element, for several seeds.  Then: errors, unseeded statistics, state
shared between functions and with cache hits, impurity (no CSE, no hoisting), the IR
interpreter, CUDA.
"""
import math
import random
import subprocess
import sys

import numpy as np
import pytest

import jitlab
from jitlab.errors import JitlabError, TypingError, UnsupportedError

SEEDS = (0, 1, 42, 2**32 - 1, 123456789)
PY_SEEDS = (0, 1, 42, -7, 2**32, 2**40 + 5, -(2**63), 2**63 - 1)
N = 400


# -- NumPy's legacy API ----------------------------------------------------------------------------
def np_random(seed, n):
    np.random.seed(seed)
    out = np.empty(n)
    for i in range(n):
        out[i] = np.random.random()
    return out


def np_sized(seed, n):
    np.random.seed(seed)
    a = np.random.random_sample(n)
    b = np.random.rand(3, 4)
    c = np.random.random((2, 3))
    d = np.random.sample(size=5)
    e = np.random.ranf()
    return a, b, c, d, e


def np_gauss(seed, n):
    np.random.seed(seed)
    out = np.empty(n)
    for i in range(n):
        out[i] = np.random.randn() if i % 3 else np.random.standard_normal()
    return out, np.random.randn(5, 3), np.random.standard_normal((4,)), np.random.randn()


def np_normal(seed, n):
    np.random.seed(seed)
    x = np.random.normal()
    a = np.random.normal(1.5, 3.0, n)
    b = np.random.normal(scale=2.0, size=(3, 3))
    c = np.random.normal(-1.0, 0.5)
    return x, a, b, c


def np_uniform(seed, n):
    np.random.seed(seed)
    a = np.random.uniform(-2.0, 5.0, n)
    b = np.random.uniform(size=(2, 2))
    c = np.random.uniform(3, 4)
    d = np.random.uniform(high=-1.0)
    return a, b, c, d


def np_exponential(seed, n):
    np.random.seed(seed)
    a = np.random.exponential(2.0, n)
    b = np.random.exponential()
    c = np.random.standard_exponential(7)
    d = np.random.exponential(scale=0.5, size=(2, 3))
    return a, b, c, d


def np_randint(seed, n):
    np.random.seed(seed)
    a = np.random.randint(0, 10, n)
    b = np.random.randint(-5, 2**40, size=n)
    c = np.random.randint(7)
    d = np.random.randint(-2**63, 2**63 - 1, size=(3, 4))
    e = np.random.randint(2**32 - 1, 2**33, 9)
    f = np.random.randint(3, 4, size=5)
    g = np.random.randint(low=1, high=2**32 + 1, size=6)
    return a, b, c, d, e, f, g


def np_shuffle(seed, n):
    np.random.seed(seed)
    a = np.arange(n)
    np.random.shuffle(a)
    b = np.arange(24.0).reshape(6, 4)
    np.random.shuffle(b)
    c = np.arange(10)[::2].copy()
    np.random.shuffle(c[::-1])
    return a, b, c


def np_permutation(seed, n):
    np.random.seed(seed)
    a = np.random.permutation(n)
    b = np.random.permutation(np.arange(12.0).reshape(4, 3))
    c = np.random.permutation(np.arange(5, 40))
    return a, b, c


def np_choice(seed, n):
    np.random.seed(seed)
    pool = np.arange(100.0, 160.0)
    a = np.random.choice(10)
    b = np.random.choice(pool)
    c = np.random.choice(50, n)
    d = np.random.choice(pool, size=(3, 4))
    e = np.random.choice(30, 10, replace=False)
    f = np.random.choice(pool, size=(2, 5), replace=False)
    g = np.random.choice(7, replace=False)
    h = np.random.choice(pool, 60, False)
    return a, b, c, d, e, f, g, h


def np_choice_p(seed, n):
    """choice with probabilities: NumPy's cumsum + searchsorted of uniforms, and its rounds
    without replacement (zero probabilities never drawn, float32 p, an integer p)."""
    np.random.seed(seed)
    pool = np.arange(100.0, 140.0)
    p = np.arange(40.0) % 7
    p[seed % 40] = 0.0
    p /= p.sum()
    a = np.random.choice(40, n, p=p)
    b = np.random.choice(pool, (3, 4), True, p)
    c = np.random.choice(pool, p=p)
    d = np.random.choice(pool, 30, replace=False, p=p)
    e = np.random.choice(40, (2, 3), False, p)
    one = np.zeros(5, np.int64)
    one[2] = 1
    f = np.random.choice(5, None, False, one)
    g = np.random.choice(pool[:4], 6, p=(np.arange(1.0, 5.0) / 10).astype(np.float32))
    h = np.random.choice(5, 2, p=one)
    return a, b, c, d, e, f, g, h


NUMPY_KERNELS = [np_random, np_sized, np_gauss, np_normal, np_uniform, np_exponential, np_randint,
                 np_shuffle, np_permutation, np_choice, np_choice_p]


# -- the random module ----------------------------------------------------------------------------
def py_random(seed, n):
    random.seed(seed)
    out = np.empty(n)
    for i in range(n):
        out[i] = random.random()
    return out


def py_uniform(seed, n):
    random.seed(seed)
    out = np.empty(n)
    for i in range(n):
        out[i] = random.uniform(-3.0, 8.5) if i % 2 else random.uniform(2, 9)
    return out


def py_ints(seed, n):
    random.seed(seed)
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        k = i % 6
        if k == 0:
            out[i] = random.randint(1, 6)
        elif k == 1:
            out[i] = random.randrange(1000)
        elif k == 2:
            out[i] = random.randrange(-50, 2**40)
        elif k == 3:
            out[i] = random.randrange(10, -30, -3)
        elif k == 4:
            out[i] = random.randint(-(2**62), 2**62)
        else:
            out[i] = random.randrange(0, 100, 7)
    return out


def py_gauss(seed, n):
    random.seed(seed)
    out = np.empty(n)
    for i in range(n):
        k = i % 4
        if k == 0:
            out[i] = random.gauss(1.0, 2.0)
        elif k == 1:
            out[i] = random.gauss()
        elif k == 2:
            out[i] = random.normalvariate(-2.0, 0.5)
        else:
            out[i] = random.expovariate(1.5)
    return out


def py_shuffle_choice(seed, n):
    random.seed(seed)
    xs = [i * 1.5 for i in range(n)]
    random.shuffle(xs)
    a = np.arange(n)
    random.shuffle(a)
    picks = np.empty(n)
    for i in range(n):
        picks[i] = random.choice(xs) + random.choice(a)
    return np.array(xs), a, picks


PYTHON_KERNELS = [py_random, py_uniform, py_ints, py_gauss, py_shuffle_choice]


def _same(got, want, where):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), where
        for k, (g, w) in enumerate(zip(got, want)):
            _same(g, w, f"{where}[{k}]")
    elif isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray) and got.dtype == want.dtype and got.shape == want.shape, where
        bad = np.flatnonzero(got.ravel() != want.ravel())
        assert bad.size == 0, f"{where}: first difference at flat index {bad[:1]}: " \
                              f"{got.ravel()[bad[:1]]} != {want.ravel()[bad[:1]]}"
    elif isinstance(want, list):
        assert got == want, where
    else:
        assert got == want and float(got) == float(want), f"{where}: {got!r} != {want!r}"


@pytest.mark.parametrize("kernel", NUMPY_KERNELS, ids=lambda f: f.__name__)
def test_numpy_streams_match_legacy_numpy(kernel):
    jitted = jitlab.jit(kernel)
    for seed in SEEDS:
        _same(jitted(seed, N), kernel(seed, N), f"{kernel.__name__}(seed={seed})")


@pytest.mark.parametrize("kernel", PYTHON_KERNELS, ids=lambda f: f.__name__)
def test_python_streams_match_cpython(kernel):
    jitted = jitlab.jit(kernel)
    for seed in PY_SEEDS:
        _same(jitted(seed, N), kernel(seed, N), f"{kernel.__name__}(seed={seed})")


def test_long_streams_cross_reloads():
    """Many more draws than one batch of 624 words, for both generators."""
    jitted_np, jitted_py = jitlab.jit(np_random), jitlab.jit(py_random)
    for seed in (3, 2**31 + 11):
        _same(jitted_np(seed, 5000), np_random(seed, 5000), "numpy")
        _same(jitted_py(seed, 5000), py_random(seed, 5000), "python")


# -- impurity: every draw runs, in order, where it is written -----------------------------------
def test_two_draws_in_a_row_differ_and_a_discarded_draw_still_advances():
    @jitlab.jit
    def draws(seed):
        np.random.seed(seed)
        a = np.random.random()
        b = np.random.random()
        np.random.random()  # unused: not removed
        c = np.random.random()
        random.seed(seed)
        d = random.random()
        e = random.random()
        random.random()
        f = random.random()
        return a, b, c, d, e, f

    got = draws(7)
    np.random.seed(7)
    want_np = np.random.random(4)
    random.seed(7)
    want_py = [random.random() for _ in range(4)]
    assert got[0] != got[1] and got[3] != got[4]
    assert got[:3] == (want_np[0], want_np[1], want_np[3])
    assert got[3:] == (want_py[0], want_py[1], want_py[3])


def test_a_draw_in_a_loop_is_not_hoisted_or_merged():
    @jitlab.jit
    def loop(seed, n):
        np.random.seed(seed)
        out = np.empty(n)
        for i in range(n):
            x = np.random.random()
            y = np.random.random()  # the same call again: not one value
            out[i] = x - y
        return out

    got = loop(3, 50)
    np.random.seed(3)
    pairs = np.random.random(100)
    assert np.array_equal(got, pairs[0::2] - pairs[1::2])
    assert np.all(got != 0.0)
    opt = jitlab.stages(loop, 3, 50)["opt"]
    theta = opt[opt.index("theta"):]
    assert theta.count('callee = "numpy.random.random"') == 2, "a draw left the loop"


@jitlab.jit
def coin():
    return random.random()


@jitlab.jit
def twice(seed):
    random.seed(seed)
    return coin(), coin()


def test_an_inlined_callee_draws_each_time_it_is_called():
    assert 'callee = "global:coin"' not in jitlab.stages(twice, 11)["opt"]  # inlined
    random.seed(11)
    assert twice(11) == (random.random(), random.random())


# -- one state per process, shared by every compiled function --------------------------------------
def test_seeding_in_one_function_fixes_the_draws_of_another():
    @jitlab.jit
    def seed_np(s):
        np.random.seed(s)

    @jitlab.jit
    def seed_py(s):
        random.seed(s)

    @jitlab.jit
    def draw():
        return np.random.random(), random.random(), np.random.randint(0, 1000), random.randint(0, 1000)

    seed_np(5)
    seed_py(6)
    np.random.seed(5)
    random.seed(6)
    a, b = np.random.random(), random.random()
    assert draw() == (a, b, np.random.randint(0, 1000), random.randint(0, 1000))


def test_python_seeding_does_not_seed_compiled_code_and_the_two_states_are_separate():
    @jitlab.jit
    def draw_np():
        return np.random.random()

    @jitlab.jit
    def seed_py_draw_np(s):
        random.seed(s)
        return np.random.random()

    @jitlab.jit
    def seed_np(s):
        np.random.seed(s)

    seed_np(1)
    first = draw_np()
    seed_np(1)
    assert seed_py_draw_np(99) == first  # seeding the random module leaves NumPy's stream alone
    np.random.seed(1)  # NumPy's own generator, not compiled code's
    seed_np(2)
    np.random.seed(1)
    assert draw_np() != np.random.random()


CACHE_SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
import numpy as np, random
import jitlab, jitlab.cache
jitlab.cache.set_cache_dir({cache!r})

@jitlab.jit
def seed_both(s):
    np.random.seed(s)
    random.seed(s)

@jitlab.jit
def draw_np(n):
    return np.random.random(n)

@jitlab.jit(cache=False)
def draw_py():
    return random.random()

seed_both(123)
a = draw_np(3).tolist()
b = draw_py()
c = draw_np(2).tolist()
status = [f.wait_optimized() and f.last_compile.cache.status for f in (seed_both, draw_np)]
print(json.dumps({{"draws": [a, b, c], "status": status}}))
"""


def test_cache_hits_share_the_process_state(tmp_path):
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[1])

    def run():
        script = CACHE_SCRIPT.format(root=root, cache=str(tmp_path))
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        return __import__("json").loads(done.stdout.strip().splitlines()[-1])

    np.random.seed(123)
    random.seed(123)
    want = [np.random.random(3).tolist(), random.random(), np.random.random(2).tolist()]
    cold = run()
    assert cold["status"] == ["stored", "stored"] and cold["draws"] == want
    hot = run()  # seed_both and draw_np come from the cache, draw_py is compiled: one state
    assert hot["status"] == ["hit", "hit"] and hot["draws"] == want


UNSEEDED = """
import sys
sys.path.insert(0, {root!r})
import numpy as np, random, jitlab
f = jitlab.jit(lambda: (np.random.random(), random.random()), cache=False)
print(repr(f()))
"""


def test_unseeded_processes_start_from_os_entropy():
    from pathlib import Path

    script = UNSEEDED.format(root=str(Path(__file__).resolve().parents[1]))
    runs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           timeout=120, check=True).stdout for _ in range(2)}
    assert len(runs) == 2


def test_unseeded_draws_have_the_right_statistics():
    @jitlab.jit
    def moments(n):
        u = np.random.random(n)
        z = np.random.standard_normal(n)
        e = np.random.exponential(2.0, n)
        k = np.random.randint(0, 10, n)
        g = np.empty(n)
        for i in range(n):
            g[i] = random.gauss(1.0, 3.0)
        return u, z, e, k, g

    n = 200_000
    u, z, e, k, g = moments(n)
    tol = 5 / math.sqrt(n)
    assert 0.0 <= u.min() and u.max() < 1.0
    assert abs(u.mean() - 0.5) < tol and abs(u.var() - 1 / 12) < tol
    assert abs(z.mean()) < 5 * tol and abs(z.std() - 1.0) < 5 * tol
    assert abs(e.mean() - 2.0) < 10 * tol
    assert set(np.unique(k)) == set(range(10)) and abs(k.mean() - 4.5) < 20 * tol
    assert abs(g.mean() - 1.0) < 15 * tol and abs(g.std() - 3.0) < 15 * tol


# -- errors ------------------------------------------------------------------------------------------
RUNTIME_ERRORS = [
    ("np.random.seed(x)", -1), ("np.random.seed(x)", 2**32), ("np.random.normal(0.0, x)", -1.0),
    ("np.random.normal(0.0, x)", -0.0), ("np.random.exponential(x)", -2.0),
    ("np.random.uniform(0.0, x)", math.inf), ("np.random.randint(x, 5)", 5), ("np.random.randint(x)", 0),
    ("np.random.choice(x)", 0), ("np.random.choice(3, x, replace=False)", 5),
    ("np.random.choice(np.zeros(0), x)", 2), ("np.random.random(x)", -3),
    ("np.random.choice(3, p=x)", np.array([0.5, 0.5])), ("np.random.choice(2, p=x)", np.array([1.5, -0.5])),
    ("np.random.choice(2, p=x)", np.array([0.5, 0.6])), ("np.random.choice(2, p=x)", np.array([np.nan, 1.0])),
    ("np.random.choice(3, 3, False, p=x)", np.array([0.5, 0.5, 0.0])),
    ("np.random.choice(2, 3, False, p=x)", np.array([0.5, 0.5])),
    ("np.random.choice(0, 2, p=x)", np.zeros(0)),
    ("np.random.gamma(x)", -1.0), ("np.random.gamma(1.0, x)", -1.0), ("np.random.standard_gamma(x)", -0.0),
    ("np.random.beta(x, 1.0)", 0.0), ("np.random.beta(1.0, x)", -2.0), ("np.random.poisson(x)", -1.0),
    ("np.random.poisson(x)", math.nan), ("np.random.poisson(x)", 1e19),
    ("np.random.binomial(x, 0.5)", -1), ("np.random.binomial(5, x)", 1.5),
    ("np.random.binomial(5, x)", math.nan), ("np.random.binomial(-1, x)", 2.0),
    ("random.randint(x, 1)", 5), ("random.randrange(x)", 0), ("random.randrange(x, 3)", 3),
    ("random.randrange(0, 10, x)", 0), ("random.randrange(0, x, -2)", 4), ("random.randrange(0, x, 1)", -4),
    ("random.expovariate(x)", 0.0), ("random.choice(np.zeros(x))", 0), ("random.getrandbits(x)", -1),
    ("random.gammavariate(x, 1.0)", 0.0), ("random.betavariate(1.0, x)", -1.0),
    ("random.paretovariate(x)", 0.0), ("random.weibullvariate(1.0, x)", 0.0),
]


@pytest.mark.parametrize(("expr", "x"), RUNTIME_ERRORS)
def test_runtime_errors_are_numpys_and_cpythons(expr, x):
    namespace = {"np": np, "random": random}
    exec(f"def f(x):\n    return {expr}\n", namespace)
    func = namespace["f"]
    with pytest.raises(Exception) as want:
        func(x)
    with pytest.raises(want.type) as got:
        jitlab.jit(func)(x)
    assert str(got.value) == str(want.value)


def test_a_list_choice_of_an_empty_list_raises_index_error():
    @jitlab.jit
    def pick(n):
        xs = [1.0 * i for i in range(n)]
        return random.choice(xs)

    with pytest.raises(IndexError, match="Cannot choose from an empty sequence"):
        pick(0)
    assert pick(3) in (0.0, 1.0, 2.0)


TYPING_ERRORS = [
    ("np.random.hypergeometric(10, 5, 3)", "unsupported function numpy.random.hypergeometric"),
    ("np.random.binomial(10.0, 0.5)", "n must be an integer"),
    ("np.random.default_rng(1)", "unsupported function numpy.random.default_rng"),
    ("np.random.normal(np.zeros(3))", "array loc is not supported"),
    ("np.random.choice(5, p=np.ones((5, 1)) / 5)", "p must be a 1-d array of probabilities"),
    ("np.random.randint(1.5, 3)", "low must be an integer"),
    ("np.random.random(size=1.5)", "size must be None, an integer or a non-empty tuple"),
    ("np.random.rand(2.0)", "dimensions must be integers"),
    ("np.random.uniform(0.0, 1.0, 3, 4)", "takes at most 3 positional arguments"),
    ("np.random.normal(mean=1.0)", "unsupported keyword argument 'mean'"),
    ("np.random.shuffle(3)", "needs an array"),
    ("random.seed()", "missing required argument 'a'"),
    ("random.seed(1.5)", "seed with an integer"),
    ("random.vonmisesvariate(0.0, 1.0)", "unsupported function random.vonmisesvariate"),
    ("random.randint(1.0, 5)", "a must be an integer"),
    ("random.choice(3)", "needs a list or a 1-d array"),
]


@pytest.mark.parametrize(("expr", "message"), TYPING_ERRORS)
def test_unsupported_forms_are_typing_errors_naming_the_call_and_line(expr, message):
    namespace = {"np": np, "random": random}
    exec(compile(f"def f():\n    return {expr}\n", "<random-case>", "exec"), namespace)
    with pytest.raises(TypingError) as err:
        jitlab.jit(namespace["f"])()
    assert message in str(err.value) and err.value.line == 2


def test_an_unknown_attribute_of_numpy_random_is_a_frontend_error():
    def f():
        return np.random.no_such_function()

    with pytest.raises(UnsupportedError, match="has no attribute no_such_function"):
        jitlab.jit(f)()


# -- the IR interpreter and CUDA ------------------------------------------------------------------
def test_the_interpreter_draws_the_same_streams_from_its_own_state():
    from jitlab.frontend import to_rvsdg
    from jitlab.ir.interpreter import Interpreter

    for kernel in (np_normal, np_randint, np_choice, py_ints, py_gauss, py_more, np_gamma_beta_poisson,
                   np_binomial, np_continuous):
        module = to_rvsdg(kernel)
        got = Interpreter(module).call(kernel.__name__, 42, 60)
        _same(got, kernel(42, 60), kernel.__name__)
    typed = jitlab.jit(np_shuffle).compile((jitlab.dispatch.typeof(5), jitlab.dispatch.typeof(30))).record
    got = Interpreter(typed.artefacts["typed"]).call("np_shuffle", 5, 30)
    _same(got, np_shuffle(5, 30), "np_shuffle typed")


def test_cuda_kernels_have_no_random_numbers_yet():
    from jitlab import cuda

    @cuda.kernel
    def noisy(x):
        x[cuda.grid(1)] = np.random.random()

    with pytest.raises(JitlabError, match="no random number generator"):
        noisy.ptx(np.zeros(4))


AOT_KERNELS = '''
import random
import numpy as np
import jitlab


@jitlab.jit("float64(int64)")
def draw(seed):
    if seed >= 0:
        np.random.seed(seed)
    return np.random.random()


@jitlab.jit("int64(int64)")
def dice(seed):
    random.seed(seed)
    return random.randint(1, 6)
'''


@pytest.mark.skipif(sys.platform != "linux", reason="AOT libraries are built and loaded on Linux here")
def test_an_aot_library_has_its_own_generators(tmp_path):
    """A PIXIE library defines the two states itself, starting from MT19937's default seed."""
    from jitlab import aot

    source = tmp_path / "rkernels.py"
    source.write_text(AOT_KERNELS)
    aot.build(source, tmp_path / "librand.so", variants=["baseline"])
    code = (f"import sys; sys.path[:0] = [{str(tmp_path)!r}]\nimport librand\n"
            "print(repr([librand.draw(-1), librand.draw(0), librand.draw(-1), librand.dice(3)]))")
    done = subprocess.run([sys.executable, "-S", "-E", "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    unseeded = np.random.RandomState(5489)
    np.random.seed(0)
    first = np.random.random()
    random.seed(3)
    assert eval(done.stdout) == [unseeded.random_sample(), first, np.random.random(), random.randint(1, 6)]


def np_gamma_beta_poisson(seed, n):
    np.random.seed(seed)
    a = np.random.standard_gamma(0.5, n)
    b = np.random.gamma(3.5, 2.0, n)
    c = np.random.gamma(1.0, size=(3, 2))
    d = np.random.standard_gamma(0.0)
    e = np.random.beta(0.5, 0.7, n)
    f = np.random.beta(2.0, 5.0, n)
    g = np.random.poisson(3.0, n)
    h = np.random.poisson(25.5, n)
    i = np.random.poisson(size=4)
    j = np.random.poisson(1e6)
    k = np.random.beta(1e-3, 1e-3, n)
    return a, b, c, d, e, f, g, h, i, j, k


def test_gamma_beta_poisson_match_legacy_numpy():
    jitted = jitlab.jit(np_gamma_beta_poisson)
    for seed in SEEDS:
        _same(jitted(seed, N), np_gamma_beta_poisson(seed, N), f"np_gamma_beta_poisson(seed={seed})")


def np_binomial(seed, n):
    np.random.seed(seed)
    a = np.random.binomial(10, 0.3, n)  # inversion
    b = np.random.binomial(1000, 0.4, n)  # BTPE
    c = np.random.binomial(50, 0.9, n)  # inversion on 1 - p
    d = np.random.binomial(10**6, 0.75, size=(3, 5))  # BTPE on 1 - p, far from the mode
    e = np.random.binomial(0, 0.5)
    f = np.random.binomial(7, 0.0, 3)
    g = np.random.binomial(7, 1.0)
    h = np.random.binomial(200, 0.5, n)
    return a, b, c, d, e, f, g, h


def test_binomial_matches_legacy_numpy():
    jitted = jitlab.jit(np_binomial)
    for seed in SEEDS:
        _same(jitted(seed, N), np_binomial(seed, N), f"np_binomial(seed={seed})")


def np_continuous(seed, n):
    np.random.seed(seed)
    a = np.random.lognormal(0.5, 0.25, n)
    b = np.random.standard_cauchy(n)
    c = np.random.chisquare(3.5, n)
    d = np.random.standard_t(4.0, n)
    e = np.random.pareto(2.5, n)
    f = np.random.weibull(1.5, n)
    g = np.random.weibull(0.0, 3)
    h = np.random.power(3.0, n)
    i = np.random.laplace(1.0, 2.0, n)
    j = np.random.gumbel(-1.0, 0.5, n)
    k = np.random.logistic(size=n)
    m = np.random.rayleigh(2.0, n)
    p = np.random.triangular(-1.0, 0.5, 3.0, n)
    q = np.random.lognormal()
    r = np.random.chisquare(0.5, size=(2, 3))
    return a, b, c, d, e, f, g, h, i, j, k, m, p, q, r


def test_more_continuous_distributions_match_legacy_numpy():
    jitted = jitlab.jit(np_continuous)
    for seed in SEEDS:
        _same(jitted(seed, N), np_continuous(seed, N), f"np_continuous(seed={seed})")


def py_more(seed, n):
    random.seed(seed)
    out = np.empty(n)
    for i in range(n):
        k = i % 10
        if k == 0:
            out[i] = random.getrandbits(1 + i % 63)
        elif k == 1:
            out[i] = random.triangular(-1.0, 3.0, 0.5)
        elif k == 2:
            out[i] = random.triangular()
        elif k == 3:
            out[i] = random.gammavariate(2.5, 1.5)
        elif k == 4:
            out[i] = random.gammavariate(0.5, 2.0)
        elif k == 5:
            out[i] = random.gammavariate(1.0, 3.0)
        elif k == 6:
            out[i] = random.betavariate(0.7, 2.0)
        elif k == 7:
            out[i] = random.lognormvariate(0.5, 0.25)
        elif k == 8:
            out[i] = random.paretovariate(2.5)
        else:
            out[i] = random.weibullvariate(2.0, 1.5) + random.getrandbits(0)
    return out


def test_more_random_module_functions_match_cpython():
    jitted = jitlab.jit(py_more)
    for seed in PY_SEEDS:
        _same(jitted(seed, N), py_more(seed, N), f"py_more(seed={seed})")
