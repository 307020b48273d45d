"""How NumPy's array functions implemented in `arrays.py` bind (merged into `jitlab.lib.CALLS`).

`arrays` entries name what each run-time input may be: array dimensions, 0 for a number, -1 for
None (typing, `rules/library.py`, passes these in `ndims` to the selector, which picks the variant
of the implementation).
"""
from __future__ import annotations

from collections.abc import Callable

from . import LibraryFunction

ANY = (1, 2, 3)
NUMBER = (0,)


def _fixed(impl: str | Callable, **defaults) -> Callable:
    """A selector refusing static values other than NumPy's defaults (`axis=1` where only the
    flattened array is supported)."""
    def select(static: dict, ndims: tuple) -> str:
        for name, default in defaults.items():
            value = static.get(name, default)
            if value != default or type(value) is not type(default):
                raise ValueError(f"{name}={value!r} is not supported (only {name}={default!r})")
        return impl(static, ndims) if callable(impl) else impl
    return select


def _by_ndim(name: str, position: int, names: dict) -> Callable:
    """`arrays.<name><suffix>` by the dimensions of input `position` (`names`: ndim -> suffix)."""
    return lambda static, ndims: f"arrays.{name}{names[ndims[position]]}"


def _mode(name: str) -> Callable:
    def select(static: dict, ndims: tuple) -> str:
        mode = static["mode"]
        if mode not in ("full", "same", "valid"):
            raise ValueError(f"mode must be 'full', 'same' or 'valid', not {mode!r}")
        return f"arrays.{name}_{mode}"
    return select


def _ptp(static: dict, ndims: tuple) -> str:
    if static["keepdims"] is not False:
        raise ValueError("keepdims=True is not supported")
    return "arrays.ptp" if ndims[1] == -1 else "arrays.ptp_axis"


def _pair(name: str) -> Callable:
    """`cov(m)` of a 2-d m (variables in rows), `cov(x, y)` of two 1-d ones."""
    def select(static: dict, ndims: tuple) -> str:
        if ndims[0] == 2 and ndims[1] == -1:
            return f"arrays.{name}"
        if ndims[0] == 1 and ndims[1] == 1:
            return f"arrays.{name}_xy"
        raise ValueError("only a 2-d array (variables in rows) or two 1-d arrays are supported")
    return select


_DIMS12 = {1: "_1d", 2: ""}
_Q = {0: "", 1: "_array"}  # a number q, or an array of them
CALLS: dict[str, LibraryFunction] = {
    "numpy.tri": LibraryFunction(("N", "M", "k"), {"M": None, "k": 0}, impl="arrays.tri",
                                 arrays=(NUMBER, (0, -1), NUMBER)),
    "numpy.tril": LibraryFunction(("m", "k"), {"k": 0}, impl=_by_ndim("tril", 0, _DIMS12),
                                  arrays=((1, 2), NUMBER), any_dtype=True),
    "numpy.triu": LibraryFunction(("m", "k"), {"k": 0}, impl=_by_ndim("triu", 0, _DIMS12),
                                  arrays=((1, 2), NUMBER), any_dtype=True),
    "numpy.vander": LibraryFunction(("x", "N", "increasing"), {"N": None, "increasing": False},
                                    impl="arrays.vander", arrays=((1,), (0, -1), NUMBER), any_dtype=True),
    "numpy.logspace": LibraryFunction(("start", "stop", "num", "endpoint", "base"),
                                      {"num": 50, "endpoint": True, "base": 10.0}, impl="arrays.logspace",
                                      arrays=(NUMBER,) * 5),
    "numpy.geomspace": LibraryFunction(("start", "stop", "num", "endpoint"), {"num": 50, "endpoint": True},
                                       impl="arrays.geomspace", arrays=(NUMBER,) * 4),
    "numpy.fill_diagonal": LibraryFunction(("a", "val", "wrap"), {"wrap": False}, impl="arrays.fill_diagonal",
                                           arrays=((2,), NUMBER, NUMBER), any_dtype=True),
    "numpy.take": LibraryFunction(("a", "indices", "axis"), {"axis": None}, static=("axis",),
                                  impl=_fixed(_by_ndim("take", 1, {0: "_scalar", 1: ""}), axis=None),
                                  arrays=(ANY, (0, 1)), any_dtype=True),
    "numpy.repeat": LibraryFunction(("a", "repeats", "axis"), {"axis": None}, static=("axis",),
                                    impl=_fixed(_by_ndim("repeat", 1, {0: "", 1: "_each"}), axis=None),
                                    arrays=(ANY, (0, 1)), any_dtype=True),
    "numpy.tile": LibraryFunction(("A", "reps"), impl=_by_ndim("tile", 0, {1: "_1d", 2: "_2d"}),
                                  arrays=((1, 2), NUMBER), any_dtype=True),
    "numpy.append": LibraryFunction(("arr", "values", "axis"), {"axis": None}, static=("axis",),
                                    impl=_fixed(_by_ndim("append", 1, {0: "_scalar", 1: "", 2: "", 3: ""}),
                                                axis=None),
                                    arrays=(ANY, (0, 1, 2, 3)), any_dtype=True),
    "numpy.ediff1d": LibraryFunction(("ary",), impl="arrays.ediff1d", arrays=(ANY,), any_dtype=True),
    "numpy.argwhere": LibraryFunction(("a",), impl=_by_ndim("argwhere", 0, {1: "_1d", 2: "_2d"}),
                                      arrays=((1, 2),), any_dtype=True),
    "numpy.extract": LibraryFunction(("condition", "arr"), impl="arrays.extract", arrays=(ANY, ANY),
                                     any_dtype=True),
    "numpy.compress": LibraryFunction(("condition", "a", "axis"), {"axis": None}, static=("axis",),
                                      impl=_fixed("arrays.extract", axis=None), arrays=((1,), ANY),
                                      any_dtype=True),
    "numpy.convolve": LibraryFunction(("a", "v", "mode"), {"mode": "full"}, static=("mode",),
                                      impl=_mode("convolve"), arrays=((1,), (1,)), any_dtype=True),
    "numpy.correlate": LibraryFunction(("a", "v", "mode"), {"mode": "valid"}, static=("mode",),
                                       impl=_mode("correlate"), arrays=((1,), (1,)), any_dtype=True),
    "numpy.polyval": LibraryFunction(("p", "x"), impl="arrays.polyval", arrays=((1,), (0, 1, 2)),
                                     any_dtype=True),
    "numpy.trapezoid": LibraryFunction(("y", "x", "dx"), {"x": None, "dx": 1.0},
                                       impl=lambda s, n: f"arrays.trapezoid{'' if n[1] == -1 else '_x'}",
                                       arrays=((1,), (1, -1), NUMBER)),
    "numpy.digitize": LibraryFunction(("x", "bins", "right"), {"right": False},
                                      impl=_by_ndim("digitize", 0, {0: "_scalar", 1: "", 2: "", 3: ""}),
                                      arrays=((0, 1, 2, 3), (1,), NUMBER)),
    "numpy.histogram": LibraryFunction(("a", "bins"), {"bins": 10}, impl="arrays.histogram",
                                       arrays=(ANY, NUMBER)),
    "numpy.isin": LibraryFunction(("element", "test_elements", "assume_unique", "invert"),
                                  {"assume_unique": False, "invert": False}, static=("assume_unique",),
                                  impl="arrays.isin", arrays=(ANY, ANY, NUMBER)),
    "numpy.union1d": LibraryFunction(("ar1", "ar2"), impl="arrays.union1d", arrays=(ANY, ANY)),
    "numpy.intersect1d": LibraryFunction(("ar1", "ar2", "assume_unique", "return_indices"),
                                         {"assume_unique": False, "return_indices": False},
                                         static=("assume_unique", "return_indices"),
                                         impl=_fixed("arrays.intersect1d", return_indices=False),
                                         arrays=(ANY, ANY)),
    "numpy.setdiff1d": LibraryFunction(("ar1", "ar2", "assume_unique"), {"assume_unique": False},
                                       static=("assume_unique",), impl="arrays.setdiff1d", arrays=(ANY, ANY)),
    "numpy.ptp": LibraryFunction(("a", "axis", "out", "keepdims"),
                                 {"axis": None, "out": None, "keepdims": False},
                                 static=("out", "keepdims"), impl=_fixed(_ptp, out=None),
                                 arrays=(ANY, (0, -1))),
    "numpy.percentile": LibraryFunction(("a", "q", "axis"), {"axis": None}, static=("axis",),
                                        impl=_fixed(_by_ndim("percentile", 1, _Q), axis=None),
                                        arrays=(ANY, (0, 1))),
    "numpy.quantile": LibraryFunction(("a", "q", "axis"), {"axis": None}, static=("axis",),
                                      impl=_fixed(_by_ndim("quantile", 1, _Q), axis=None),
                                      arrays=(ANY, (0, 1))),
    "numpy.nanpercentile": LibraryFunction(("a", "q", "axis"), {"axis": None}, static=("axis",),
                                           impl=_fixed("arrays.nanpercentile", axis=None),
                                           arrays=(ANY, NUMBER)),
    "numpy.nanquantile": LibraryFunction(("a", "q", "axis"), {"axis": None}, static=("axis",),
                                         impl=_fixed("arrays.nanquantile", axis=None), arrays=(ANY, NUMBER)),
    "numpy.nanmedian": LibraryFunction(("a", "axis"), {"axis": None}, static=("axis",),
                                       impl=_fixed("arrays.nanmedian", axis=None), arrays=(ANY,)),
    "numpy.nanvar": LibraryFunction(("a", "axis", "ddof"), {"axis": None, "ddof": 0}, static=("axis",),
                                    npositional=2,
                                    impl=_fixed("arrays.nanvar", axis=None), arrays=(ANY, NUMBER)),
    "numpy.nanstd": LibraryFunction(("a", "axis", "ddof"), {"axis": None, "ddof": 0}, static=("axis",),
                                    npositional=2,
                                    impl=_fixed("arrays.nanstd", axis=None), arrays=(ANY, NUMBER)),
    "numpy.nanargmin": LibraryFunction(("a", "axis"), {"axis": None}, static=("axis",),
                                       impl=_fixed("arrays.nanargmin", axis=None), arrays=(ANY,)),
    "numpy.nanargmax": LibraryFunction(("a", "axis"), {"axis": None}, static=("axis",),
                                       impl=_fixed("arrays.nanargmax", axis=None), arrays=(ANY,)),
    "numpy.cov": LibraryFunction(("m", "y", "rowvar", "bias", "ddof"),
                                 {"y": None, "rowvar": True, "bias": False, "ddof": None},
                                 static=("rowvar", "bias"),
                                 impl=_fixed(_pair("cov"), rowvar=True, bias=False),
                                 arrays=((1, 2), (1, -1), (0, -1))),
    "numpy.corrcoef": LibraryFunction(("x", "y", "rowvar"), {"y": None, "rowvar": True}, static=("rowvar",),
                                      impl=_fixed(_pair("corrcoef"), rowvar=True), arrays=((1, 2), (1, -1))),
    "numpy.inner": LibraryFunction(("a", "b"), impl="arrays.inner", arrays=((1,), (1,)), any_dtype=True),
    "numpy.vdot": LibraryFunction(("a", "b"), impl="arrays.vdot", arrays=(ANY, ANY), any_dtype=True),
    "numpy.sinc": LibraryFunction(("x",), impl=_by_ndim("sinc", 0, {0: "_scalar", 1: "", 2: "", 3: ""}),
                                  arrays=((0, 1, 2, 3),)),
    "numpy.fix": LibraryFunction(("x",), impl="arrays.fix", arrays=(ANY,)),
    "numpy.isposinf": LibraryFunction(("x",), impl="arrays.isposinf", arrays=(ANY,)),
    "numpy.isneginf": LibraryFunction(("x",), impl="arrays.isneginf", arrays=(ANY,)),
    "numpy.nan_to_num": LibraryFunction(("x",), impl="arrays.nan_to_num", arrays=(ANY,)),
    "numpy.delete": LibraryFunction(("arr", "obj", "axis"), {"axis": None}, static=("axis",),
                                    impl=_fixed("arrays.delete", axis=None), arrays=(ANY, NUMBER),
                                    any_dtype=True),
    "numpy.insert": LibraryFunction(("arr", "obj", "values", "axis"), {"axis": None}, static=("axis",),
                                    impl=_fixed("arrays.insert", axis=None), arrays=(ANY, NUMBER, NUMBER),
                                    any_dtype=True),
}
