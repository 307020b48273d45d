"""Typing rules of dicts and sets: `{}`, `{k: v}`, `dict()`, `set()`, `{a, b}`, `set(xs)`,
comprehensions, `d[k]`, `d[k] = v`, `del d[k]`, `k in d`, `len`, the methods of both, `| & - ^`
of sets, iteration over keys, values and items.

A dict has one key type and one value type, a set one item type: a number (bool, an integer, a
float) or a tuple of numbers.  Like a list's items (`lists.py`, `infer.ListSites`), they come
from what is put in, wherever that is: the display's items, stores, `setdefault`, `update`,
`add`; int and float widen to float (a divergence from CPython, whose keys keep their type),
other mixtures are a `TypingError` naming the dict or set, both types and the line.  The sites
of a dict's keys and values are its allocation site with `#k` and `#v` appended.  A lookup
(`d[k]`, `k in d`, `get`, `pop`, `discard`, ...) may use a key of another number type: it finds
what `==` finds in CPython (`d[1.0]` finds the key `1`).

A dict or set argument keeps the key and value types it was passed with: a store that would
widen them is refused (the wrapper copies it in and reflects the changes back, `abi_dicts.py`).
"""
from __future__ import annotations

from collections.abc import Callable

from jitlab.ir.types import (
    BOOL, F64, I64, NONE, STATE, ArrayIterType, ArrayType, BoolType, DictIterType, DictType, FloatType,
    IntType, ListIterType, ListType, RangeIterType, SetType, StrType, TupleType, Type, UnknownType,
    ZipIterType,
)

from ..infer import RuleContext
from ..list_items import holdable
from ..lattice import join

Rule = Callable[[RuleContext, list[Type]], tuple[Type, ...]]
CONTAINERS = (DictType, SetType, DictIterType)


def _number(t: Type) -> bool:
    return isinstance(t, (IntType, FloatType, BoolType))


def hashable(t: Type) -> bool:
    """What a dict's key or a set's item may be: a number, a str or a tuple of them."""
    def one(x: Type) -> bool:
        return _number(x) or isinstance(x, StrType)
    return one(t) or isinstance(t, TupleType) and bool(t.items) and all(one(i) for i in t.items)


def _sites(ctx: RuleContext):
    sites = ctx.inferer.lists
    sites.used = True
    return sites


def _elem(ctx: RuleContext, site: str, suffix: str, fallback: Type) -> Type:
    if not site:
        return fallback
    return _sites(ctx).elem_of(ListType(UnknownType(), site + suffix))


def key_of(ctx: RuleContext, t: Type) -> Type:
    return _elem(ctx, t.site, "#k", t.key if isinstance(t, DictType) else t.elem)


def value_of(ctx: RuleContext, t: DictType) -> Type:
    return _elem(ctx, t.site, "#v", t.value)


def new_dict(ctx: RuleContext, site: str) -> DictType:
    return DictType(key_of(ctx, DictType(UnknownType(), UnknownType(), site)),
                    _elem(ctx, site, "#v", UnknownType()), site)


def new_set(ctx: RuleContext, site: str) -> SetType:
    return SetType(_elem(ctx, site, "#k", UnknownType()), site)


def _name(ctx: RuleContext, t: Type) -> str:
    kind = "dict" if isinstance(t, DictType) else "set"
    if not t.site:
        return f"a {kind}"
    root = _sites(ctx).root(t.site + "#k")[:-2]
    if root.startswith("arg:"):
        return f"{kind} argument {_sites(ctx).names.get(root, root[4:])}"
    base = root.split(".")[0]
    return f"a {kind}" if base in ("t", "c") else f"{kind} {base}"


def _put(ctx: RuleContext, t: Type, suffix: str, value: Type, how: str) -> None:
    """Widen the key (`#k`) or value (`#v`) type of dict or set `t` to hold `value`, or refuse."""
    what = "keys" if suffix == "#k" and isinstance(t, DictType) else "items" if suffix == "#k" else "values"
    if isinstance(value, UnknownType):
        return
    if not hashable(value) and not (suffix == "#v" and isinstance(t, DictType) and holdable(value)):
        kind = "a list" if isinstance(value, ListType) else "an array" if isinstance(value, ArrayType) \
            else "a dict" if isinstance(value, DictType) else "a set" if isinstance(value, SetType) \
            else f"a {value}"
        raise ctx.error(f"{_name(ctx, t)}: its {what} cannot be {kind} ({how})",
                        hint="keys and set items are numbers, bools, strs and tuples of them; a dict's "
                             "values may also be arrays or lists")
    if not t.site:
        return

    def clash(old: Type, new: Type):
        fixed = _sites(ctx).root(t.site + suffix) in _sites(ctx).fixed
        return ctx.error(f"{_name(ctx, t)}: {how} a {new} meets {what} of type {old}",
                         hint="a dict or set passed in keeps its types" if fixed else
                         "a dict's keys (and its values) have one type (int and float widen to float)")
    _sites(ctx).widen(t.site + suffix, value, clash)


def _lookup(ctx: RuleContext, t: Type, key: Type, what: str) -> None:
    if not hashable(key):
        raise ctx.error(f"{what}: a {key} cannot be a key of {_name(ctx, t)}",
                        hint="keys are numbers, bools or tuples of them")
    stored = key_of(ctx, t)
    if isinstance(stored, StrType) != isinstance(key, StrType) and not isinstance(stored, UnknownType):
        raise ctx.error(f"{what}: a {key} key in {_name(ctx, t)} of {stored} keys is never found",
                        hint="look up a key of the dict's (or set's) own kind")
    if isinstance(stored, TupleType) != isinstance(key, TupleType) and not isinstance(stored, UnknownType) \
            or isinstance(key, TupleType) and len(key.items) != len(stored.items):
        raise ctx.error(f"{what}: a {key} key in {_name(ctx, t)} of {stored} keys is never found",
                        hint="look up a key of the dict's (or set's) own kind")


def build_map(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    site = ctx.node.outputs[0].name
    d = DictType(UnknownType(), UnknownType(), site)
    values = args[:-1]
    for k, v in zip(values[::2], values[1::2]):
        _put(ctx, d, "#k", k, "a key of the display")
        _put(ctx, d, "#v", v, "a value of the display")
    return new_dict(ctx, site), STATE


def build_set(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    site = ctx.node.outputs[0].name
    s = SetType(UnknownType(), site)
    for t in args[:-1]:
        _put(ctx, s, "#k", t, "an item of the display")
    return new_set(ctx, site), STATE


def item_of(ctx: RuleContext, t: Type) -> Type | None:
    """What iterating `t` gives, for the iterables a set can be made from (None otherwise)."""
    if isinstance(t, DictIterType):
        src = t.source
        if isinstance(src, SetType) or t.kind == "keys":
            return key_of(ctx, src)
        if t.kind == "values":
            return value_of(ctx, src)
        return TupleType((key_of(ctx, src), value_of(ctx, src)))
    if isinstance(t, (DictType, SetType)):
        return key_of(ctx, t)
    if isinstance(t, ListType):
        return ctx.inferer.lists.elem_of(t)
    if isinstance(t, RangeIterType):
        return t.item
    if isinstance(t, ArrayType) and t.ndim == 1:
        return t.dtype
    if isinstance(t, TupleType) and t.items and all(i == t.items[0] for i in t.items):
        return t.items[0]
    return None


def _fill(ctx: RuleContext, target: Type, source: Type, how: str) -> None:
    """`target` (a set, or a dict when `source` gives pairs) receives what `source` holds."""
    if isinstance(target, DictType):
        if not isinstance(source, DictType):
            raise ctx.error(f"updating {_name(ctx, target)} from a {source} is not supported",
                            hint="update a dict from another dict")
        _put(ctx, target, "#k", key_of(ctx, source), how)
        _put(ctx, target, "#v", value_of(ctx, source), how)
        return
    item = item_of(ctx, source)
    if item is None:
        raise ctx.error(f"cannot fill {_name(ctx, target)} from a {source}",
                        hint="sets are made from sets, dicts, lists, ranges, 1-d arrays and tuples")
    _put(ctx, target, "#k", item, how)


def _result(ctx: RuleContext, a: Type, b: Type | None, how: str) -> Type:
    """A new set at this node, holding `a`'s items (and `b`'s)."""
    site = ctx.node.outputs[0].name
    out = SetType(UnknownType(), site)
    _fill(ctx, out, a, how)
    if b is not None:
        _fill(ctx, out, b, how)
    return new_set(ctx, site)


def _pairs(ctx: RuleContext, t: Type) -> tuple[Type, Type] | None:
    """(key, value) types of `zip(ks, vs)` over lists, 1-D arrays or ranges, or of a list of pairs."""
    from .iterators import item_type

    if isinstance(t, ZipIterType) and len(t.iters) == 2 and all(
            isinstance(i, (ListIterType, RangeIterType)) or isinstance(i, ArrayIterType) and i.array.ndim == 1
            for i in t.iters):
        return item_type(t.iters[0]), item_type(t.iters[1])
    if isinstance(t, ListType):
        elem = ctx.inferer.lists.elem_of(t)
        if isinstance(elem, TupleType) and len(elem.items) == 2:
            return elem.items[0], elem.items[1]
        if isinstance(elem, UnknownType):
            return elem, elem
    return None


def call(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        callee, values = ctx.node.attr("callee"), args[:-1]
        if callee == "builtins.hash":
            if len(values) != 1 or not hashable(values[0]):
                raise ctx.error(f"hash() of a {values[0] if values else 'nothing'} is not supported",
                                hint="hash() takes a number, a bool or a tuple of them")
            return I64, STATE
        if callee == "builtins.dict":
            if ctx.node.attr("kwnames"):
                raise ctx.error("dict() with keyword arguments is not supported", hint="use a display {k: v}")
            site = ctx.node.outputs[0].name
            pairs = _pairs(ctx, values[0]) if len(values) == 1 else None
            if pairs is not None:  # dict(zip(ks, vs)), dict(list of pairs)
                out = DictType(UnknownType(), UnknownType(), site)
                _put(ctx, out, "#k", pairs[0], "a key from pairs")
                _put(ctx, out, "#v", pairs[1], "a value from pairs")
                return new_dict(ctx, site), STATE
            if values:
                if len(values) > 1 or not isinstance(values[0], DictType):
                    raise ctx.error(f"dict(...) of a {values[0]} is not supported",
                                    hint="build it with a comprehension: {k: v for k, v in ...}")
                _fill(ctx, DictType(UnknownType(), UnknownType(), site), values[0], "copying a dict")
            return new_dict(ctx, site), STATE
        if callee == "builtins.set":
            if len(values) > 1:
                raise ctx.error(f"set expected at most 1 argument, got {len(values)}")
            if not values:
                return new_set(ctx, ctx.node.outputs[0].name), STATE
            return _result(ctx, values[0], None, "filling from"), STATE
        if not values or not isinstance(values[0], CONTAINERS) or not callee.startswith("builtins."):
            return fallback(ctx, args)
        c = values[0]
        if callee in ("builtins.len", "builtins.bool") and len(values) == 1:
            return (I64 if callee == "builtins.len" else BOOL), STATE
        item = item_of(ctx, c)
        if callee in ("builtins.list", "builtins.sorted", "builtins.sum", "builtins.min", "builtins.max",
                      "builtins.any", "builtins.all"):
            if ctx.node.attr("kwnames") and callee != "builtins.sorted":
                raise ctx.error(f"{callee[9:]}() with keyword arguments is not supported here")
            strs = isinstance(item, StrType) and callee[9:] in ("list", "sorted", "min", "max")
            if not _number(item) and not isinstance(item, UnknownType) and not strs:
                raise ctx.error(f"{callee[9:]}() of a {c} (items of type {item}) is not supported",
                                hint="lists hold numbers: iterate over the items in a loop instead")
            if callee in ("builtins.list", "builtins.sorted"):
                if callee == "builtins.sorted":
                    from .lists import _reverse_flag
                    _reverse_flag(ctx, values[1:], "sorted()")
                elif len(values) != 1:
                    raise ctx.error(f"list expected at most 1 argument, got {len(values)}")
                site = ctx.node.outputs[0].name
                new = ListType(UnknownType(), site)
                if not isinstance(item, UnknownType):
                    ctx.inferer.lists.widen(site, item, lambda a, b: ctx.error(f"list of {a} and {b}"))
                return ListType(ctx.inferer.lists.elem_of(new), site), STATE
            if len(values) != 1:
                raise ctx.error(f"{callee[9:]}() of a {c} takes no other argument here")
            if isinstance(item, UnknownType):
                return UnknownType(), STATE
            if callee == "builtins.sum":
                return (F64 if isinstance(item, FloatType) else I64), STATE
            if callee in ("builtins.any", "builtins.all"):
                return BOOL, STATE
            return item, STATE
        if callee in ("builtins.enumerate", "builtins.zip", "builtins.iter"):
            return fallback(ctx, args)
        raise ctx.error(f"{callee.split('.')[-1]}() of a {c} is not supported",
                        hint="dicts and sets support len(), bool(), list(), sorted(), sum(), min(), max(), "
                             "any() and all()")
    return rule


_DICT_ARGS = {"get": (1, 2), "setdefault": (1, 2), "pop": (1, 2), "popitem": (0, 0), "update": (1, 1),
              "clear": (0, 0), "copy": (0, 0), "keys": (0, 0), "values": (0, 0), "items": (0, 0),
              "__delitem__": (1, 1)}
_SET_ARGS = {"add": 1, "discard": 1, "remove": 1, "pop": 0, "clear": 0, "copy": 0, "update": 1,
             "union": 1, "intersection": 1, "difference": 1, "symmetric_difference": 1,
             "intersection_update": 1, "difference_update": 1, "symmetric_difference_update": 1,
             "issubset": 1, "issuperset": 1, "isdisjoint": 1}


def _argcount(ctx: RuleContext, kind: str, name: str, given: int, low: int, high: int) -> None:
    if low <= given <= high:
        return
    if low == high:
        raise ctx.error(f"{kind}.{name}() takes {'no arguments' if low == 0 else f'exactly {low} argument'}"
                        f"{'s' if low > 1 else ''} ({given} given)")
    raise ctx.error(f"{kind}.{name}() takes {low} to {high} arguments ({given} given)")


def _with_default(ctx: RuleContext, value: Type, default: Type, what: str) -> Type:
    if isinstance(value, UnknownType):
        return default if hashable(default) else UnknownType()
    joined = join(value, default)
    if joined is None or isinstance(joined, BoolType) != isinstance(value, BoolType):
        raise ctx.error(f"{what}: the default, a {default}, is not of the dict's value type {value}",
                        hint="give a default of the values' own kind (0 for ints, 0.0 for floats)")
    return joined


def dict_method(ctx: RuleContext, d: DictType, name: str, args: list[Type]) -> tuple[Type, ...]:
    if name not in _DICT_ARGS:
        raise ctx.error(f"dict method {name}() is not supported",
                        hint="dicts support get, setdefault, pop, popitem, update, clear, copy, keys, "
                             "values, items, indexing, del, in, len and iteration")
    _argcount(ctx, "dict", name, len(args), *_DICT_ARGS[name])
    value = value_of(ctx, d)
    if name in ("get", "pop"):
        _lookup(ctx, d, args[0], f"dict.{name}()")
        if len(args) == 1:
            if name == "get":
                raise ctx.error("dict.get(k) without a default (None when k is missing) is not supported",
                                hint="give a default of the values' kind: d.get(k, 0)")
            return value, STATE
        return _with_default(ctx, value, args[1], f"dict.{name}()"), STATE
    if name == "setdefault":
        if len(args) == 1:
            raise ctx.error("dict.setdefault(k) without a default (stores None) is not supported",
                            hint="give a default: d.setdefault(k, 0)")
        _put(ctx, d, "#k", args[0], "setdefault of")
        _put(ctx, d, "#v", args[1], "setdefault to")
        return value_of(ctx, d), STATE
    if name == "__delitem__":
        _lookup(ctx, d, args[0], "del d[k]")
        return NONE, STATE
    if name == "popitem":
        return TupleType((key_of(ctx, d), value)), STATE
    if name == "update":
        _fill(ctx, d, args[0], "updating from")
        return NONE, STATE
    if name == "copy":
        site = ctx.node.outputs[0].name
        _fill(ctx, DictType(UnknownType(), UnknownType(), site), d, "copying a dict")
        return new_dict(ctx, site), STATE
    if name in ("keys", "values", "items"):
        return DictIterType(name, d), STATE
    return NONE, STATE  # clear


def set_method(ctx: RuleContext, s: SetType, name: str, args: list[Type]) -> tuple[Type, ...]:
    if name not in _SET_ARGS:
        raise ctx.error(f"set method {name}() is not supported",
                        hint="sets support add, discard, remove, pop, clear, copy, update, union, "
                             "intersection, difference, symmetric_difference (and their _update forms), "
                             "issubset, issuperset, isdisjoint, in, len and iteration")
    _argcount(ctx, "set", name, len(args), _SET_ARGS[name], _SET_ARGS[name])
    if name == "add":
        _put(ctx, s, "#k", args[0], "adding")
        return NONE, STATE
    if name in ("discard", "remove"):
        _lookup(ctx, s, args[0], f"set.{name}()")
        return NONE, STATE
    if name == "pop":
        return key_of(ctx, s), STATE
    if name == "copy":
        return _result(ctx, s, None, "copying"), STATE
    if name in ("union", "intersection", "difference", "symmetric_difference"):
        _other_set(ctx, args[0], name)
        return _result(ctx, s, args[0] if name in ("union", "symmetric_difference") else None,
                       "combining"), STATE
    if name in ("update", "symmetric_difference_update"):
        _fill(ctx, s, args[0], "updating from")
        return NONE, STATE
    if name in ("intersection_update", "difference_update"):
        _other_set(ctx, args[0], name)
        return NONE, STATE
    _other_set(ctx, args[0], name)
    return BOOL, STATE  # issubset, issuperset, isdisjoint


def _other_set(ctx: RuleContext, t: Type, what: str) -> None:
    if not isinstance(t, SetType):
        raise ctx.error(f"set.{what}() of a {t} is not supported", hint="pass a set (set(xs) makes one)")


def callmethod(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        c, name = args[0], ctx.node.attr("name")
        if not isinstance(c, (DictType, SetType)):
            return fallback(ctx, args)
        if ctx.node.attr("kwnames"):
            raise ctx.error(f"{'dict' if isinstance(c, DictType) else 'set'}.{name}() with keyword arguments "
                            "is not supported")
        if isinstance(c, DictType):
            return dict_method(ctx, c, name, args[1:-1])
        return set_method(ctx, c, name, args[1:-1])
    return rule


def getitem(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        if isinstance(args[0], SetType):
            raise ctx.error("'set' object is not subscriptable")
        if not isinstance(args[0], DictType):
            return fallback(ctx, args)
        _lookup(ctx, args[0], args[1], "d[k]")
        return value_of(ctx, args[0]), STATE
    return rule


def setitem(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        if isinstance(args[0], SetType):
            raise ctx.error("'set' object does not support item assignment")
        if not isinstance(args[0], DictType):
            return fallback(ctx, args)
        _put(ctx, args[0], "#k", args[1], "storing a key")
        _put(ctx, args[0], "#v", args[2], "storing")
        return (STATE,)
    return rule


_SET_OPS = {"|": "union", "&": "intersection", "-": "difference", "^": "symmetric_difference"}


def binop(fallback: Rule) -> Rule:
    """`a | b`, `a & b`, `a - b`, `a ^ b` of sets (new sets); `a |= b` etc. change `a`."""
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        a, b, op = args[0], args[1], ctx.node.attr("op")
        if not isinstance(a, CONTAINERS) and not isinstance(b, CONTAINERS):
            return fallback(ctx, args)
        if not (isinstance(a, SetType) and isinstance(b, SetType)) or op not in _SET_OPS:
            raise ctx.error(f"unsupported operand types for {op}: {a} and {b}",
                            hint="sets support | & - ^ with another set")
        if ctx.node.attr("inplace"):
            if op in ("|", "^"):
                _fill(ctx, a, b, "updating from")
            return a, STATE
        return _result(ctx, a, b if op in ("|", "^") else None, "combining"), STATE
    return rule


def compare(fallback: Rule) -> Rule:
    """`k in d`, `x in s`, `k in d.keys()` (and `not in`); `==`/`!=` of dicts and of sets; `<`,
    `<=`, `>`, `>=` of sets (subsets)."""
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        a, b, op = args[0], args[1], ctx.node.attr("op")
        if op in ("in", "notin") and isinstance(b, CONTAINERS):
            if isinstance(b, DictIterType):
                if b.kind != "keys" and not isinstance(b.source, SetType):
                    raise ctx.error(f"`in` of a dict's {b.kind}() is not supported",
                                    hint="test the keys (k in d), or loop over the items")
                b = b.source
            _lookup(ctx, b, a, "`in`")
            return BOOL, STATE
        if not isinstance(a, CONTAINERS) and not isinstance(b, CONTAINERS):
            return fallback(ctx, args)
        same = isinstance(a, DictType) and isinstance(b, DictType) or isinstance(a, SetType) and \
            isinstance(b, SetType)
        if same and (op in ("==", "!=") or isinstance(a, SetType) and op in ("<", "<=", ">", ">=")):
            return BOOL, STATE
        raise ctx.error(f"'{op}' between {a} and {b} is not supported",
                        hint="dicts and sets compare with == and != (sets also by <, <=, >, >=)")
    return rule


def truth(fallback: Rule) -> Rule:
    def rule(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
        if isinstance(args[0], (DictType, SetType)) and ctx.node.attr("op") in (None, "not"):
            return BOOL, STATE
        return fallback(ctx, args)
    return rule


def wrap(rules: dict) -> dict:
    """The rule table with dict and set cases in front of the ops they share."""
    wrapped = dict(rules)
    for op, maker in (("py.getitem", getitem), ("py.setitem", setitem), ("py.callmethod", callmethod),
                      ("py.call", call), ("py.binop", binop), ("py.truth", truth), ("py.unop", truth),
                      ("py.compare", compare)):
        wrapped[op] = maker(rules[op])
    wrapped["py.build_set"] = build_set
    wrapped["py.build_map"] = build_map
    return wrapped


__all__ = ["hashable", "item_of", "key_of", "value_of", "wrap"]
