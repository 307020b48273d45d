"""Which array arguments a function may write: the wrapper asks only those for writable buffers.

Why: `PyObject_GetBuffer(..., PyBUF_WRITABLE)` fails on a read-only array
(`np.arange(3)` after `setflags(write=False)`, a `bytes`-backed buffer), so a
function that only reads must not ask for it.  Algorithm: union-find over the
port names of one typed λ -- a view or iterator joins the array it comes from,
γ/θ ports join the values they route -- then every argument in the set of a
`py.setitem` target, or passed to a jitted callee (which may write it), is written.
"""
from __future__ import annotations

from jitlab.ir.nodes import Gamma, Lambda, Op, Region, Theta
from jitlab.ir.types import (
    ArrayIterType, ArrayType, EnumerateIterType, StateType, TupleIterType, TupleType, ZipIterType,
)

# views (a[1:], a.T), iterators and tuples that may hold (part of) an input array
_ALIASING_OPS = ("py.getitem", "py.getattr", "py.getiter", "py.iternext", "py.unpack", "py.build_tuple")
_ALIASING_CALLS = ("builtins.enumerate", "builtins.zip", "builtins.reversed")
_HOLDERS = (ArrayType, ArrayIterType, TupleType, EnumerateIterType, ZipIterType, TupleIterType)


class _Sets:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        self.parent[x] = root
        return root

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def written_arguments(fn: Lambda) -> tuple[bool, ...]:
    """One flag per non-state parameter of `fn`: True when its array may be written."""
    params = [p for p in fn.body.params if not isinstance(p.type, StateType)]
    if not any(isinstance(p.type, ArrayType) for p in params):
        return (False,) * len(params)  # (no array argument: nothing to walk for)
    sets, written = _Sets(), []

    def walk(region: Region) -> None:
        for node in region.nodes:
            if isinstance(node, Op):
                is_call = node.op == "py.call" and node.attr("callee") in _ALIASING_CALLS
                if node.op in _ALIASING_OPS or is_call:
                    many = is_call or node.op == "py.build_tuple"
                    sources = node.inputs[:-1] if many else node.inputs[:1]
                    for out in node.outputs:
                        if isinstance(out.type, _HOLDERS):
                            for source in sources:
                                sets.union(out.name, source)
                elif node.op == "py.setitem":
                    written.append(node.inputs[0])
                elif node.op == "py.call" and _calls_compiled(str(node.attr("callee", ""))):
                    written.extend(node.inputs)
            elif isinstance(node, Gamma):
                for ev in node.entry_vars:
                    for p in ev.branch_params:
                        sets.union(p.name, ev.input)
                for xv in node.exit_vars:
                    for r in xv.branch_results:
                        sets.union(r, xv.output.name)
                for branch in node.branches:
                    walk(branch)
            elif isinstance(node, Theta):
                for lv in node.loop_vars:
                    for name in (lv.pre.name, lv.post, lv.output.name):
                        sets.union(name, lv.input)
                walk(node.body)

    walk(fn.body)
    roots = {sets.find(name) for name in written}
    return tuple(isinstance(p.type, ArrayType) and sets.find(p.name) in roots for p in params)


def _calls_compiled(callee: str) -> bool:
    """A call of compiled code (a jitted global, a nested function, a function argument), which
    may write into the arrays it gets."""
    return callee.startswith(("global:", "closure:", "cell:")) or callee == "value"
