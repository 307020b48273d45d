"""Typing rules of `py.call` to random numbers: NumPy's legacy global API (`numpy.random.*`) and
Python's `random` module (`random.*`).

Each function's parameters are listed here with their defaults (`NUMPY_PARAMS`,
`PYTHON_PARAMS`); the rule binds the call's positional and keyword inputs to them and records
the parameter name of every input in the node's `params` attribute, which the backend
(`backend/llvm/lower_random.py`) reads.  Parameters are numbers; `size` is None, an integer or
a tuple of integers (the result is then an array with that many dimensions, C order).
Distribution parameters given as arrays (NumPy broadcasting) are not supported.
"""
from __future__ import annotations

from jitlab.ir.types import BOOL, F64, I64, NONE, ArrayType, ComplexType, ListType, NoneType, TupleType, Type

from ..infer import RuleContext
from ..lattice import is_integer, is_numeric

REQUIRED = object()  # a parameter without a default

# callee -> ((parameter, default), ...); the defaults the backend uses for a missing one
NUMPY_PARAMS: dict[str, tuple[tuple[str, object], ...]] = {
    "seed": (("seed", REQUIRED),),
    "random": (("size", None),),
    "random_sample": (("size", None),),
    "ranf": (("size", None),),
    "sample": (("size", None),),
    "standard_normal": (("size", None),),
    "standard_exponential": (("size", None),),
    "normal": (("loc", 0.0), ("scale", 1.0), ("size", None)),
    "uniform": (("low", 0.0), ("high", 1.0), ("size", None)),
    "exponential": (("scale", 1.0), ("size", None)),
    "standard_gamma": (("shape", REQUIRED), ("size", None)),
    "gamma": (("shape", REQUIRED), ("scale", 1.0), ("size", None)),
    "beta": (("a", REQUIRED), ("b", REQUIRED), ("size", None)),
    "poisson": (("lam", 1.0), ("size", None)),
    "binomial": (("n", REQUIRED), ("p", REQUIRED), ("size", None)),
    "lognormal": (("mean", 0.0), ("sigma", 1.0), ("size", None)),
    "standard_cauchy": (("size", None),),
    "chisquare": (("df", REQUIRED), ("size", None)),
    "standard_t": (("df", REQUIRED), ("size", None)),
    "pareto": (("a", REQUIRED), ("size", None)),
    "weibull": (("a", REQUIRED), ("size", None)),
    "power": (("a", REQUIRED), ("size", None)),
    "laplace": (("loc", 0.0), ("scale", 1.0), ("size", None)),
    "gumbel": (("loc", 0.0), ("scale", 1.0), ("size", None)),
    "logistic": (("loc", 0.0), ("scale", 1.0), ("size", None)),
    "rayleigh": (("scale", 1.0), ("size", None)),
    "triangular": (("left", REQUIRED), ("mode", REQUIRED), ("right", REQUIRED), ("size", None)),
    "randint": (("low", REQUIRED), ("high", None), ("size", None)),
    "shuffle": (("x", REQUIRED),),
    "permutation": (("x", REQUIRED),),
    "choice": (("a", REQUIRED), ("size", None), ("replace", True), ("p", None)),
}
NUMPY_VARARGS = ("rand", "randn")  # `rand(d0, d1, ...)`: the dimensions, no keywords
PYTHON_PARAMS: dict[str, tuple[tuple[str, object], ...]] = {
    "seed": (("a", REQUIRED),),
    "random": (),
    "uniform": (("a", REQUIRED), ("b", REQUIRED)),
    "randint": (("a", REQUIRED), ("b", REQUIRED)),
    "randrange": (("start", REQUIRED), ("stop", None), ("step", 1)),
    "gauss": (("mu", 0.0), ("sigma", 1.0)),
    "normalvariate": (("mu", 0.0), ("sigma", 1.0)),
    "expovariate": (("lambd", 1.0),),
    "shuffle": (("x", REQUIRED),),
    "choice": (("seq", REQUIRED),),
    "getrandbits": (("k", REQUIRED),),
    "triangular": (("low", 0.0), ("high", 1.0), ("mode", None)),
    "lognormvariate": (("mu", REQUIRED), ("sigma", REQUIRED)),
    "gammavariate": (("alpha", REQUIRED), ("beta", REQUIRED)),
    "betavariate": (("alpha", REQUIRED), ("beta", REQUIRED)),
    "paretovariate": (("alpha", REQUIRED),),
    "weibullvariate": (("alpha", REQUIRED), ("beta", REQUIRED)),
}
NUMPY_FUNCTIONS = (*NUMPY_PARAMS, *NUMPY_VARARGS)
PYTHON_FUNCTIONS = tuple(PYTHON_PARAMS)
NUMPY_HINT = ("compiled code supports np.random.seed, random, random_sample, ranf, sample, rand, randn, "
              "standard_normal, normal, uniform, randint, exponential, standard_exponential, "
              "standard_gamma, gamma, beta, poisson, binomial, lognormal, standard_cauchy, chisquare, "
              "standard_t, pareto, weibull, power, laplace, gumbel, logistic, rayleigh, triangular, "
              "shuffle, permutation and choice")
PYTHON_HINT = ("compiled code supports random.seed, random, uniform, randint, randrange, getrandbits, "
               "gauss, normalvariate, lognormvariate, expovariate, gammavariate, betavariate, "
               "paretovariate, weibullvariate, triangular, shuffle and choice")


def is_random(callee: str) -> bool:
    return callee.startswith(("numpy.random.", "random."))


def _bind(ctx: RuleContext, callee: str, params, args: list[Type]) -> dict[str, Type]:
    """Parameter name -> type; records the name of every input in `params`."""
    kwnames = tuple(ctx.node.attr("kwnames") or ())
    names = [name for name, _ in params]
    n_pos = len(args) - len(kwnames)
    if n_pos > len(names):
        raise ctx.error(f"{callee}() takes at most {len(names)} positional arguments ({n_pos} given)")
    order = names[:n_pos]
    for kw in kwnames:
        if kw not in names:
            raise ctx.error(f"{callee}() got an unsupported keyword argument {kw!r}")
        if kw in order:
            raise ctx.error(f"{callee}() got multiple values for argument {kw!r}")
        order.append(kw)
    bound = dict(zip(order, args))
    for name, default in params:
        if default is REQUIRED and name not in bound:
            raise ctx.error(f"{callee}() missing required argument {name!r}")
    ctx.attrs["params"] = tuple(order)
    return bound


def _size(ctx: RuleContext, callee: str, t: Type | None) -> int | None:
    """The number of dimensions `size` gives (None: a scalar)."""
    if t is None or isinstance(t, NoneType):
        return None
    if is_integer(t) and t != BOOL:
        return 1
    if isinstance(t, TupleType) and t.items and all(is_integer(i) and i != BOOL for i in t.items):
        return len(t.items)
    raise ctx.error(f"{callee}() size must be None, an integer or a non-empty tuple of integers, not {t}")


def _numbers(ctx: RuleContext, callee: str, bound: dict[str, Type], *names: str, integers=False) -> None:
    for name in names:
        t = bound.get(name)
        if t is None or (isinstance(t, NoneType) and name in ("high", "stop", "mode")):
            continue
        if isinstance(t, ArrayType):
            raise ctx.error(f"{callee}() with an array {name} is not supported",
                            hint="distribution parameters are numbers in compiled code (no broadcasting)")
        ok = is_integer(t) if integers else is_numeric(t)
        if not ok:
            kind = "an integer" if integers else "a number"
            raise ctx.error(f"{callee}() {name} must be {kind}, not {t}")


def _shaped(dtype: Type, ndim: int | None) -> Type:
    return dtype if ndim is None else ArrayType(dtype, ndim, "C")


def type_call(ctx: RuleContext, callee: str, args: list[Type]) -> Type:
    if callee.startswith("numpy.random."):
        return _numpy(ctx, callee, callee[len("numpy.random."):], args)
    return _python(ctx, callee, callee[len("random."):], args)


def _numpy(ctx: RuleContext, callee: str, name: str, args: list[Type]) -> Type:
    if name in NUMPY_VARARGS:
        if ctx.node.attr("kwnames"):
            raise ctx.error(f"{callee}() takes no keyword arguments")
        for t in args:
            if not is_integer(t) or t == BOOL:
                raise ctx.error(f"{callee}() dimensions must be integers, not {t}")
        ctx.attrs["params"] = tuple(f"d{i}" for i in range(len(args)))
        return _shaped(F64, len(args) or None)
    params = NUMPY_PARAMS.get(name)
    if params is None:
        raise ctx.error(f"call of unsupported function {callee}", hint=NUMPY_HINT)
    bound = _bind(ctx, callee, params, args)
    if name == "seed":
        _numbers(ctx, callee, bound, "seed", integers=True)
        return NONE
    if name in ("shuffle", "permutation"):
        x = bound["x"]
        if isinstance(x, ArrayType) and x.ndim >= 1:
            return NONE if name == "shuffle" else ArrayType(x.dtype, x.ndim, "C")
        if name == "permutation" and is_integer(x) and x != BOOL:
            return ArrayType(I64, 1, "C")
        want = "an array" if name == "shuffle" else "an integer or an array"
        raise ctx.error(f"{callee}() needs {want} of at least 1 dimension, not {x}")
    ndim = _size(ctx, callee, bound.get("size"))
    if name == "choice":
        a = bound["a"]
        p = bound.get("p")
        if p is not None and not isinstance(p, NoneType):
            if not (isinstance(p, ArrayType) and p.ndim == 1 and is_numeric(p.dtype)
                    and not isinstance(p.dtype, ComplexType)):
                raise ctx.error(f"{callee}() p must be a 1-d array of probabilities, not {p}")
            # the indices are drawn by jitlab.lib.sampling.choice_indices (lower_random._np_choice)
            ctx.attrs["symbol"] = ctx.resolve_call("lib:sampling.choice_indices", (I64, I64, BOOL, p))[1]
        if "replace" in bound and not (is_integer(bound["replace"])):
            raise ctx.error(f"{callee}() replace must be a bool, not {bound['replace']}")
        if isinstance(a, ArrayType) and a.ndim == 1:
            return _shaped(a.dtype, ndim)
        if is_integer(a) and a != BOOL:
            return _shaped(I64, ndim)
        raise ctx.error(f"{callee}() a must be an integer or a 1-d array, not {a}")
    if name == "randint":
        _numbers(ctx, callee, bound, "low", "high", integers=True)
        return _shaped(I64, ndim)
    if name == "binomial":
        _numbers(ctx, callee, bound, "n", integers=True)
        _numbers(ctx, callee, bound, "p")
        return _shaped(I64, ndim)
    _numbers(ctx, callee, bound, *(k for k in bound if k != "size"))
    return _shaped(I64 if name == "poisson" else F64, ndim)


def _python(ctx: RuleContext, callee: str, name: str, args: list[Type]) -> Type:
    params = PYTHON_PARAMS.get(name)
    if params is None:
        raise ctx.error(f"call of unsupported function {callee}", hint=PYTHON_HINT)
    bound = _bind(ctx, callee, params, args)
    if name == "seed":
        if not is_integer(bound["a"]):
            raise ctx.error(f"{callee}() of a {bound['a']} is not supported in compiled code",
                            hint="seed with an integer")
        return NONE
    if name in ("shuffle", "choice"):
        x = bound.get("x", bound.get("seq"))
        if isinstance(x, ListType) or (isinstance(x, ArrayType) and x.ndim == 1):
            if name == "shuffle":
                return NONE
            return ctx.inferer.lists.elem_of(x) if isinstance(x, ListType) else x.dtype
        raise ctx.error(f"{callee}() needs a list or a 1-d array, not {x}")
    if name in ("randint", "randrange", "getrandbits"):
        _numbers(ctx, callee, bound, *bound, integers=True)
        return I64
    _numbers(ctx, callee, bound, *bound)
    return F64


__all__ = ["NUMPY_FUNCTIONS", "NUMPY_PARAMS", "PYTHON_FUNCTIONS", "PYTHON_PARAMS", "REQUIRED", "is_random",
           "type_call"]
