"""Read PIXIE containers and load them into the JIT: pick a variant, or re-JIT the bitcode.

`load_container(data)` chooses the best ISA variant the running CPU supports
(`isa.select_variant`) and loads its object code straight into the process's MCJIT engine;
when no variant fits, it optimises the bitcode for the host and JITs that.  The result is a
`Library` of `PixieFunction`s: builtins that jitted code can also call, with their bitcode
linked into the caller for inlining (`link_for_inlining`, "JIT LTO").
"""
from __future__ import annotations

from dataclasses import dataclass, field

import llvmlite.binding as llvm

from jitlab.backend import llvm as llvm_backend
from jitlab.backend.llvm import native
from jitlab.ir.types import Type

from .reader import FunctionInfo, Pixie
from .runtime import register_runtime_symbols
from .units import FunctionUnit, wrapper_ir


class PixieFunction:
    """A function loaded from a PIXIE container: callable, and callable from jitted code."""

    _jitlab_dispatcher_ = True  # the frontend treats it as a jitted callee
    _jitlab_pixie_ = True

    def __init__(self, info: FunctionInfo, entry, library: Library):
        self.info = info
        self.entry = entry
        self.library = library
        self.__name__ = self.__qualname__ = info.name
        self.__doc__ = info.doc

    def __call__(self, *args):
        return self.entry(*args)

    @property
    def py_func(self):
        """A Python function with this function's parameters and no body: what the frontend
        binds a jitted caller's arguments against (PIXIE functions take positional arguments)."""
        stub = self.__dict__.get("_stub")
        if stub is None:
            names = self.info.argnames or tuple(f"arg{i}" for i in range(len(self.info.argtypes)))
            namespace: dict = {}
            params = f"{', '.join(names)}, /" if names else ""
            exec(f"def stub({params}):\n    raise NotImplementedError\n", namespace)
            stub = self.__dict__["_stub"] = namespace["stub"]
            stub.__name__ = stub.__qualname__ = self.info.name
        return stub

    def __repr__(self) -> str:
        sig = ", ".join(map(str, self.info.argtypes))
        where = f"{self.library.name}.{self.info.name}"
        return f"<pixie {where}({sig}) -> {self.info.rettype} [{self.library.isa}]>"

    def resolve(self, argtypes: tuple[Type, ...]) -> tuple[Type, str, bytes]:
        """For a jitted caller: the return type, native symbol and the bitcode to inline."""
        if tuple(argtypes) != self.info.argtypes:
            from jitlab.errors import TypingError

            raise TypingError(f"{self.info.name} from PIXIE library {self.library.name} takes "
                              f"({', '.join(map(str, self.info.argtypes))}), not "
                              f"({', '.join(map(str, argtypes))})")
        return self.info.rettype, self.info.symbol, self.library.pixie.bitcode


@dataclass
class Library:
    name: str
    pixie: Pixie
    isa: str                      # the variant loaded, or "bitcode" after a re-JIT
    functions: dict[str, PixieFunction] = field(default_factory=dict)

    def __getattr__(self, name: str) -> PixieFunction:
        try:
            return self.__dict__["functions"][name]
        except KeyError:
            raise AttributeError(name) from None


def _units(pixie: Pixie) -> list[FunctionUnit]:
    return [FunctionUnit(f.name, f.symbol, f.argtypes, f.rettype, "", f.argnames, f.writable, f.doc)
            for f in pixie.functions]


def load_machine_code(pixie: Pixie, features: frozenset[str] | None = None) -> str:
    """Put the container's code into the JIT; return the variant's ISA name or "bitcode"."""
    register_runtime_symbols()
    engine = llvm_backend.get_engine()
    defined = tuple(s for f in pixie.functions for s in (f.symbol, f.wrapper))
    variant = pixie.choose(features)
    if variant is not None:
        engine.add_object(pixie.sections[f"obj:{variant.isa}"], defined)
        return variant.isa
    module = llvm.parse_bitcode(pixie.bitcode)
    module.triple = ""
    engine.add_ir(llvm_backend.optimize(str(module)))
    for unit in _units(pixie):
        engine.add_ir(wrapper_ir(unit))
    return "bitcode"


_LOADED: dict[str, Library] = {}


def load_container(data: bytes, *, features: frozenset[str] | None = None) -> Library:
    """Load a container's functions into this process (once per uuid) as a `Library`."""
    pixie = Pixie.parse(data)
    uid = pixie.meta["uuid"]
    if uid in _LOADED:
        return _LOADED[uid]
    isa = load_machine_code(pixie, features)
    engine = llvm_backend.get_engine()
    library = Library(pixie.meta.get("name", "pixie"), pixie, isa)
    for f in pixie.functions:
        entry = native.make_builtin(f.name, engine.address_of(f.wrapper), doc=f.doc, keepalive=engine,
                                    module=library.name)
        library.functions[f.name] = PixieFunction(f, entry, library)
    _LOADED[uid] = library
    return library


def load_library(path) -> Library:
    with open(path, "rb") as fh:
        return load_container(fh.read())


def link_for_inlining(caller_ir: str, bitcodes: list[bytes]) -> str:
    """Link PIXIE bitcode into a caller's module as internal copies, so LLVM may inline it."""
    module = llvm_backend.codegen.parse(caller_ir)
    for bitcode in bitcodes:
        callee = llvm.parse_bitcode(bitcode)
        callee.triple = module.triple
        callee.data_layout = module.data_layout
        defined = [f.name for f in callee.functions if not f.is_declaration]
        module.link_in(callee)
        for name in defined:
            fn = module.get_function(name)
            if fn.linkage != llvm.Linkage.internal:
                fn.linkage = llvm.Linkage.internal
    return str(module)
