"""Parse PIXIE containers without loading anything: metadata, function signatures, variants.

This is all a cache hit needs before the object code goes into the JIT, so it imports only the
container format, the ISA table and jitlab's type syntax (not llvmlite's IR builder, not the
backend).
"""
from __future__ import annotations

import json
import platform
import sys
from dataclasses import dataclass, field

from jitlab.ir.types import Type, parse_type

from .container import PixieFormatError, read_container
from .isa import Variant, host_arch, host_features, select_variant


def versions() -> dict[str, str]:
    # The package root is always imported before this module (it is our parent), but sits above
    # this layer, so its version is read from `sys.modules` rather than imported.
    import llvmlite
    import llvmlite.binding as llvm

    return {"jitlab": sys.modules["jitlab"].__version__, "llvmlite": llvmlite.__version__,
            "llvm": ".".join(map(str, llvm.llvm_version_info)), "python": platform.python_version(),
            "implementation": sys.implementation.cache_tag or sys.implementation.name}


@dataclass(frozen=True)
class FunctionInfo:
    name: str
    symbol: str
    wrapper: str
    argtypes: tuple[Type, ...]
    rettype: Type
    argnames: tuple[str, ...]
    writable: tuple[bool, ...] | None
    doc: str | None
    callees: tuple[tuple[str, tuple[Type, ...], str], ...]

    @classmethod
    def from_json(cls, d: dict) -> FunctionInfo:
        return cls(d["name"], d["symbol"], d["wrapper"], tuple(parse_type(t) for t in d["argtypes"]),
                   parse_type(d["rettype"]), tuple(d["argnames"]),
                   None if d["writable"] is None else tuple(d["writable"]), d["doc"],
                   tuple((c, tuple(parse_type(t) for t in ts), s) for c, ts, s in d["callees"]))


@dataclass
class Pixie:
    """A parsed container: its metadata and sections (nothing loaded yet)."""

    meta: dict
    sections: dict[str, bytes]
    functions: list[FunctionInfo] = field(default_factory=list)

    @classmethod
    def parse(cls, data: bytes) -> Pixie:
        sections = read_container(data)
        if "meta" not in sections:
            raise PixieFormatError("PIXIE container has no meta section")
        try:
            meta = json.loads(sections["meta"])
            functions = [FunctionInfo.from_json(f) for f in meta["functions"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise PixieFormatError(f"PIXIE metadata is malformed: {exc}") from None
        return cls(meta, sections, functions)

    @property
    def variants(self) -> list[Variant]:
        return [Variant.from_json(v) for v in self.meta["variants"]]

    @property
    def bitcode(self) -> bytes:
        return self.sections["bitcode"]

    def choose(self, features: frozenset[str] | None = None, arch: str | None = None) -> Variant | None:
        return select_variant(self.variants, host_features() if features is None else features,
                              arch or host_arch())
