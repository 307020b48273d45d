"""Typing rules of typed lists: `[]`, `[a, b]`, `list()`, comprehensions, `append`,
`pop`, `insert`, `extend`, `count`, `copy`, `clear`, `reverse`, `len`, `xs[i]`, `xs[i] = v`,
`for x in xs`, `if xs`, `xs + ys`, `xs * n`, `sum(xs)`, `np.array(xs)`.

A list holds one item type: a scalar (bool, an integer or a float), a tuple of them, an array or
another list (`typing/list_items.py` says which and how two join).  Its element type comes from what is
put into it, wherever that is (see `infer.ListSites`): the items of its display, `append`,
item stores; int and float widen to float as in NumPy, anything else that differs is a
`TypingError` naming the list, both types and the line.  Sets and dicts are in `dicts.py`.

Each rule here takes the list case of an op and hands every other case to the rule it wraps.
"""
from __future__ import annotations

from collections.abc import Callable

from jitlab.errors import TypingError
from jitlab.ir.types import (
    BOOL, F64, I64, NONE, STATE, ArrayType, BoolType, FloatType, IntType, ListIterType, ListType,
    RangeIterType, SliceType, StrType, TupleType, Type, UnknownType,
)

from ..infer import RuleContext
from ..lattice import is_integer
from ..list_items import holdable
from .iterators import ITERATORS, item_type

Rule = Callable[[RuleContext, list[Type]], tuple[Type, ...]]


def _name(ctx: RuleContext, site: str) -> str:
    site = ctx.inferer.lists.root(site)
    if site.startswith("arg:"):
        return f"list argument {ctx.inferer.lists.names.get(site, site[4:])}"
    base = site.split(".")[0]
    return "a list" if base in ("t", "c") else f"list {base}"


def _put(ctx: RuleContext, lst: ListType, value: Type, how: str) -> None:
    """Widen `lst`'s element type to hold `value` (put there by `how`), or refuse."""
    if not holdable(value):
        raise ctx.error(f"{_name(ctx, lst.site)}: cannot hold a {value} ({how})",
                        hint="jitlab's lists hold numbers, bools, tuples of them, arrays or lists")

    def clash(old: Type, new: Type) -> TypingError:
        fixed = ctx.inferer.lists.root(lst.site) in ctx.inferer.lists.fixed
        return ctx.error(f"{_name(ctx, lst.site)}: {how} a {new} meets items of type {old}",
                         hint="a list passed in keeps its element type" if fixed else
                         "a list holds items of one type (int and float widen to float)")
    ctx.inferer.lists.widen(lst.site, value, clash)


def _list(ctx: RuleContext, site: str) -> ListType:
    lists = ctx.inferer.lists
    lists.used = True
    return ListType(lists.elem_of(ListType(UnknownType(), site)), site)


def build_list(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    site = ctx.node.outputs[0].name
    lst = ListType(UnknownType(), site)
    ctx.inferer.lists.used = True
    for t in args[:-1]:
        _put(ctx, lst, t, "an item of the display")
    return _list(ctx, site), STATE


def _elem(ctx: RuleContext, t: ListType) -> Type:
    return ctx.inferer.lists.elem_of(t)


def _index(ctx: RuleContext, i: Type, what: str) -> None:
    if isinstance(i, SliceType):
        raise ctx.error(f"a slice of a list is not supported here ({what})",
                        hint="only reading a slice (xs[a:b]) makes a new list")
    if not is_integer(i):
        raise ctx.error(f"list indices must be integers or slices, not {i} ({what})",
                        hint="assigning to or deleting a slice of a list is not supported")


def getitem(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        if isinstance(args[0], RangeIterType) and is_integer(args[1]):  # range(a, b, c)[i]
            return args[0].item, STATE
        if not isinstance(args[0], ListType):
            return fallback(ctx, args)
        if isinstance(args[1], SliceType):  # xs[a:b:c]: a new list
            return _copy(ctx, args[0]), STATE
        _index(ctx, args[1], "xs[i]")
        return _elem(ctx, args[0]), STATE
    return rule


def setitem(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        if not isinstance(args[0], ListType):
            return fallback(ctx, args)
        if isinstance(args[1], SliceType):  # xs[a:b] = ys: the items of a list
            if not isinstance(args[2], ListType):
                raise ctx.error(f"assigning a {args[2]} to a slice of a list is not supported",
                                hint="assign a list: xs[a:b] = [...]")
            _put(ctx, args[0], _elem(ctx, args[2]), "assigning a slice of")
            return (STATE,)
        _index(ctx, args[1], "xs[i] = v")
        _put(ctx, args[0], args[2], "storing")
        return (STATE,)
    return rule


def callmethod(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        lst, name = args[0], ctx.node.attr("name")
        if not isinstance(lst, ListType):
            return fallback(ctx, args)
        if name == "sort":
            _reverse_flag(ctx, args[1:-1], "list.sort()")
            return NONE, STATE
        if ctx.node.attr("kwnames"):
            raise ctx.error(f"list.{name}() with keyword arguments is not supported")
        if name == "append":
            if len(args) != 3:
                raise ctx.error(f"list.append() takes exactly one argument ({len(args) - 2} given)")
            _put(ctx, lst, args[1], "appending")
            return NONE, STATE
        if name == "pop":
            if len(args) > 3:
                raise ctx.error(f"list.pop() takes at most 1 argument ({len(args) - 2} given)")
            if len(args) == 3:
                _index(ctx, args[1], "xs.pop(i)")
            return _elem(ctx, lst), STATE
        nargs = {"insert": 2, "extend": 1, "count": 1, "copy": 0, "clear": 0, "reverse": 0, "index": 1,
                 "remove": 1, "__delitem__": 1}.get(name)
        if nargs is None:
            raise ctx.error(f"list method {name}() is not supported",
                            hint="lists support append, pop, insert, extend, remove, index, count, copy, "
                                 "clear, reverse, sort, len, indexing, slicing, iteration, sum, min, max "
                                 "and np.array")
        if len(args) - 2 != nargs:
            raise ctx.error(f"list.{name}() takes {nargs} argument{'s' if nargs != 1 else ''} "
                            f"({len(args) - 2} given)")
        if name == "__delitem__":
            if not isinstance(args[1], SliceType):  # (del xs[a:b] removes a slice)
                _index(ctx, args[1], "del xs[i]")
        elif name == "insert":
            _index(ctx, args[1], "xs.insert(i, v)")
            _put(ctx, lst, args[2], "inserting")
        elif name == "extend":
            if not isinstance(args[1], ListType):
                raise ctx.error(f"list.extend() of a {args[1]} is not supported", hint="extend by a list")
            _put(ctx, lst, _elem(ctx, args[1]), "extending by a list of")
        elif name in ("count", "index", "remove"):
            if not _comparable(args[1]):
                raise ctx.error(f"list.{name}() of a {args[1]} is not supported")
            return (NONE if name == "remove" else I64), STATE
        elif name == "copy":
            return _copy(ctx, lst), STATE
        return NONE, STATE
    return rule


def _reverse_flag(ctx: RuleContext, rest: list[Type], what: str) -> None:
    """`reverse=<constant bool>`, the only argument `sorted()`/`list.sort()` take here (no `key`)."""
    kwnames = ctx.node.attr("kwnames") or ()
    if not rest:
        return
    if tuple(kwnames) != ("reverse",) or len(rest) != 1:
        raise ctx.error(f"{what} takes only reverse= here", hint="key functions are not supported")
    if not isinstance(ctx.const(ctx.node.inputs[-2]), (bool, int)):
        raise ctx.error(f"{what}: reverse must be a constant True or False")


def _copy(ctx: RuleContext, *sources: ListType) -> ListType:
    """A new list (its site is the node's output) holding the items of `sources`."""
    new = ListType(UnknownType(), ctx.node.outputs[0].name)
    for source in sources:
        _put(ctx, new, _elem(ctx, source), "copying a list")
    return _list(ctx, new.site)


def binop(fallback: Rule) -> Rule:
    """`xs + ys` and `xs * n` / `n * xs`: new lists; `xs += ys` and `xs *= n` change `xs` itself;
    `t + u` and `t * k` of tuples (k a constant)."""
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        a, b = args[0], args[1]
        op = ctx.node.attr("op")
        if op == "+" and isinstance(a, TupleType) and isinstance(b, TupleType):
            return TupleType(a.items + b.items), STATE
        if op == "*" and (isinstance(a, TupleType) or isinstance(b, TupleType)):
            tup, times = (a, ctx.node.inputs[1]) if isinstance(a, TupleType) else (b, ctx.node.inputs[0])
            count = ctx.const(times)
            if type(count) is not int:
                raise ctx.error("a tuple can only be repeated a constant number of times")
            return TupleType(tup.items * max(count, 0)), STATE
        if not (isinstance(a, ListType) or isinstance(b, ListType)):
            return fallback(ctx, args)
        if ctx.node.attr("inplace") and isinstance(a, ListType):  # xs += ys, xs *= n: the same list
            if op == "+" and isinstance(b, ListType):
                _put(ctx, a, _elem(ctx, b), "extending by a list of")
                return a, STATE
            if op == "*" and is_integer(b):
                return a, STATE
        if op == "+" and isinstance(a, ListType) and isinstance(b, ListType):
            return _copy(ctx, a, b), STATE
        if op == "*" and (is_integer(b) if isinstance(a, ListType) else is_integer(a)):
            return _copy(ctx, a if isinstance(a, ListType) else b), STATE
        raise ctx.error(f"unsupported operand types for {op}: {a} and {b}",
                        hint="lists support xs + ys and xs * n")
    return rule


def truth(fallback: Rule) -> Rule:
    """`if xs`, `not xs`: whether the list has items."""
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        if isinstance(args[0], ListType) and ctx.node.attr("op") in (None, "not"):
            return BOOL, STATE
        return fallback(ctx, args)
    return rule


def contains(fallback: Rule) -> Rule:
    """`x in c` / `x not in c` for a number `x` and a list, a tuple of numbers or an int range;
    comparisons of two tuples of numbers (lexicographic, as CPython)."""
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        op = ctx.node.attr("op")
        if op in ("<", "<=", "==", "!=", ">", ">=") and isinstance(args[0], TupleType) \
                and isinstance(args[1], TupleType):
            if not all(_comparable(t) for t in args[0].items + args[1].items):
                raise ctx.error(f"'{op}' between {args[0]} and {args[1]} is not supported",
                                hint="tuples of numbers can be compared")
            return BOOL, STATE
        if op in ("==", "!=") and isinstance(args[0], ListType) and isinstance(args[1], ListType):
            return BOOL, STATE
        if op not in ("in", "notin"):
            return fallback(ctx, args)
        x, c = args[0], args[1]
        if isinstance(c, ListType) and _comparable(x):
            return BOOL, STATE
        if isinstance(c, TupleType) and _comparable(x) and all(_comparable(t) for t in c.items):
            return BOOL, STATE
        if isinstance(c, RangeIterType) and is_integer(x):
            return BOOL, STATE
        raise ctx.error(f"`{'not in' if op == 'notin' else 'in'}` between {x} and {c} is not supported",
                        hint="test a number's membership in a list, a tuple of numbers or an int range")
    return rule


def _number(t: Type) -> bool:
    return isinstance(t, (IntType, FloatType, BoolType))


def _comparable(t: Type) -> bool:
    """A number, a str, or a tuple of comparable items (lists hold them; `==` and `<` apply)."""
    return _number(t) or isinstance(t, StrType) or isinstance(t, TupleType) and all(
        _comparable(i) for i in t.items)


def getiter(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        if isinstance(args[0], ListType):
            return ListIterType(args[0]), STATE
        return fallback(ctx, args)
    return rule


def iternext(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        if isinstance(args[0], ListIterType):
            return BOOL, _elem(ctx, args[0].source), args[0], STATE
        return fallback(ctx, args)
    return rule


def _jitted_call(ctx: RuleContext, args: list[Type], fallback: Rule) -> tuple[Type, ...]:
    """A compiled function called with lists: they go as they are (the callee changes the caller's
    list) with the element types they have now; the callee cannot change those (its list
    parameters are fixed), and a list it returns is a list of this function's, of fixed type."""
    def unknown(t: Type) -> bool:
        return isinstance(t, UnknownType) or isinstance(t, TupleType) and any(unknown(i) for i in t.items)
    settled = [ctx.inferer.settle(t) if isinstance(t, ListType) else t for t in args]
    if any(isinstance(t, ListType) and unknown(t.elem) for t in settled):
        return UnknownType(), STATE  # (typed when the lists' items are known, at a later pass)
    result = fallback(ctx, settled)
    if isinstance(result[0], (ListType, TupleType)):
        from jitlab.typing.list_items import resite

        lists = ctx.inferer.lists
        lists.used = True

        def fix(site: str, elem: Type) -> None:
            lists.elem[site] = elem
            lists.fixed.add(site)
        return (resite(result[0], ctx.node.outputs[0].name, fix), *result[1:])
    return result


def call(fallback: Rule) -> Rule:
    """`len(xs)`, `sum(xs)`, `min(xs)`, `max(xs)`, `any(xs)`, `all(xs)`, `list()`, `list(xs)` (a
    copy), `np.array(xs)`; `list(...)` of anything else is refused."""
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        callee, values = ctx.node.attr("callee"), args[:-1]
        if callee in ("heapq.heappush", "heapq.heapreplace", "heapq.heappushpop") and len(values) == 2 \
                and isinstance(values[0], ListType):
            _put(ctx, values[0], values[1], "pushing")  # the item goes into the caller's list
        if callee.startswith(("global:", "closure:", "cell:", "heapq.")) or callee == "value":
            return _jitted_call(ctx, args, fallback)  # (heapq: jitlab/lib/heap.py, compiled)
        if callee == "builtins.list":
            if len(values) == 1 and isinstance(values[0], ListType):  # a copy, a list of its own
                return _copy(ctx, values[0]), STATE
            if len(values) == 1 and isinstance(values[0], (RangeIterType, ArrayType)):  # range(), an array
                from .arrays import row_type

                new = ListType(UnknownType(), ctx.node.outputs[0].name)
                item = values[0].item if isinstance(values[0], RangeIterType) else row_type(values[0])
                _put(ctx, new, item, "filling from a range" if isinstance(values[0], RangeIterType) else
                     "filling from an array")
                return _list(ctx, new.site), STATE
            if len(values) == 1 and isinstance(values[0], ITERATORS):  # zip(), enumerate(), reversed()
                new = ListType(UnknownType(), ctx.node.outputs[0].name)
                _put(ctx, new, item_type(values[0]), "filling from an iterator")
                return _list(ctx, new.site), STATE
            if values:
                raise ctx.error(f"list(...) of a {values[0]} is not supported",
                                hint="build it with a comprehension: [x for x in it]")
            return _list(ctx, ctx.node.outputs[0].name), STATE
        if len(values) == 1 and callee in ("builtins.sum", "builtins.min", "builtins.max") \
                and isinstance(values[0], (TupleType, RangeIterType)):
            return _reduce_sequence(ctx, callee, values[0]), STATE
        if callee in ("math.prod", "math.fsum") and values and isinstance(values[0], (ListType, TupleType)):
            return _math_reduction(ctx, callee, values), STATE
        if callee == "math.dist" and len(values) == 2 \
                and all(isinstance(v, (ListType, TupleType)) for v in values):
            for v in values:
                _math_reduction(ctx, "math.fsum", [v])  # (items of real numbers)
            return F64, STATE
        if callee in ("builtins.enumerate", "builtins.zip", "builtins.reversed"):
            return fallback(ctx, args)  # iterators over lists: `iterators.iter_type`
        if callee == "builtins.sorted" and values and (isinstance(values[0], RangeIterType) or (
                isinstance(values[0], ArrayType) and values[0].ndim == 1)):  # sorted(a), a new list
            _reverse_flag(ctx, values[1:], "sorted()")
            new = ListType(UnknownType(), ctx.node.outputs[0].name)
            item = values[0].item if isinstance(values[0], RangeIterType) else values[0].dtype
            _put(ctx, new, item, "sorting")
            return _list(ctx, new.site), STATE
        if callee == "builtins.sorted":
            if not values or not isinstance(values[0], ListType):
                raise ctx.error(f"sorted() of a {values[0] if values else 'nothing'} is not supported",
                                hint="sort a list (a comprehension makes one: sorted([x for x in it]))")
            _reverse_flag(ctx, values[1:], "sorted()")
            return _copy(ctx, values[0]), STATE
        if callee == "builtins.sum" and len(values) == 2 and isinstance(values[0], RangeIterType) \
                and _number(values[1]) and not ctx.node.attr("kwnames"):  # sum(range(...), start)
            return (F64 if isinstance(values[1], FloatType) else I64), STATE
        if callee == "builtins.sum" and len(values) == 2:
            if not isinstance(values[0], ListType) or not _number(values[1]) \
                    or tuple(ctx.node.attr("kwnames") or ("start",)) != ("start",):
                raise ctx.error(f"sum() of a {values[0]} with a start value is not supported",
                                hint="sum(xs, start) takes a list (or a comprehension) and a number")
            floats = isinstance(_elem(ctx, values[0]), FloatType) or isinstance(values[1], FloatType)
            return (F64 if floats else I64), STATE
        if not values or not isinstance(values[0], ListType):
            if callee in ("builtins.sum", "builtins.any", "builtins.all") and values:
                raise ctx.error(f"{callee[9:]}() of a {values[0]} is not supported",
                                hint="pass a list, a list comprehension or a generator expression")
            return fallback(ctx, args)
        if callee in ("random.shuffle", "random.choice"):  # rules/random_calls.py
            return fallback(ctx, args)
        lst = values[0]
        if ctx.node.attr("kwnames"):
            raise ctx.error(f"{callee.split('.')[-1]}() of a list with keyword arguments is not supported")
        elem = _elem(ctx, lst)
        if callee == "builtins.len" and len(values) == 1:
            return I64, STATE
        if callee == "builtins.bool" and len(values) == 1:
            return BOOL, STATE
        if callee == "builtins.sum" and len(values) == 1:
            return (F64 if isinstance(elem, FloatType) else I64), STATE
        if callee in ("builtins.any", "builtins.all") and len(values) == 1:
            return BOOL, STATE
        if callee in ("builtins.min", "builtins.max") and len(values) == 1:
            return elem, STATE
        if callee == "numpy.array" and len(values) == 1:
            return _array_of(ctx, elem), STATE
        raise ctx.error(f"{callee.split('.')[-1]}() of a list is not supported",
                        hint="lists support len(), sum(), min(), max(), any(), all() and np.array()")
    return rule


def _array_of(ctx: RuleContext, elem: Type) -> Type:
    """The type of `np.array(xs)`: 1-D of numbers; one axis more for items that are tuples of
    numbers, lists of numbers or arrays (stacked: every item must have the first one's shape)."""
    from ..lattice import promote

    if isinstance(elem, ListType):
        elem = _elem(ctx, elem)
        if _number(elem):
            return ArrayType(elem, 2, "C")
    elif isinstance(elem, TupleType) and all(_number(i) for i in elem.items):
        numbers = [i for i in elem.items if i != BOOL]  # (bools among numbers become them)
        return ArrayType(promote(*numbers) if numbers else BOOL, 2, "C")
    elif isinstance(elem, ArrayType):
        return ArrayType(elem.dtype, elem.ndim + 1, "C")
    elif _number(elem):
        return ArrayType(elem, 1, "C")
    if isinstance(elem, UnknownType):
        return elem
    raise ctx.error(f"np.array() of a list of {elem} is not supported",
                    hint="the items must be numbers, tuples or lists of numbers, or arrays of one shape")


def _math_reduction(ctx: RuleContext, callee: str, values: list[Type]) -> Type:
    """`math.prod(xs)` / `math.fsum(xs)` of a list or a tuple of real numbers: fsum gives a float,
    prod a float once a float item meets the product (CPython multiplies from the start 1 on)."""
    name = callee[len("math."):]
    if len(values) != 1 or ctx.node.attr("kwnames"):
        raise ctx.error(f"{name}() takes one list or tuple here", hint="math.prod's start= is not supported")
    seq = values[0]
    items = (_elem(ctx, seq),) if isinstance(seq, ListType) else seq.items
    for t in items:
        if not _number(t):
            raise ctx.error(f"{name}() of a {seq} is not supported",
                            hint="the items must be int, float or bool")
    if name == "fsum" or any(isinstance(t, FloatType) for t in items):
        return F64
    return I64


def _reduce_sequence(ctx: RuleContext, callee: str, seq: Type) -> Type:
    """`sum`/`min`/`max` of a tuple of numbers of one type, or `sum(range(...))`."""
    name = callee[len("builtins."):]
    if isinstance(seq, RangeIterType):  # (min and max: its first or last item)
        return seq.item
    items = set(seq.items)
    if len(items) != 1 or not _number(seq.items[0]):
        raise ctx.error(f"{name}() of a {seq} is not supported",
                        hint="the items must be numbers of one type (CPython keeps each item's type)")
    item = seq.items[0]
    if name == "sum":
        return F64 if isinstance(item, FloatType) else I64
    return item


def wrap(rules: dict) -> dict:
    """The rule table with list cases in front of the ops lists share."""
    wrapped = dict(rules)
    for op, maker in (("py.getitem", getitem), ("py.setitem", setitem), ("py.callmethod", callmethod),
                      ("py.getiter", getiter), ("py.iternext", iternext), ("py.call", call),
                      ("py.binop", binop), ("py.truth", truth), ("py.unop", truth),
                      ("py.compare", contains)):
        wrapped[op] = maker(rules[op])
    wrapped["py.build_list"] = build_list
    return wrapped


__all__ = ["wrap"]
