"""Build PIXIE containers: compiled functions → bitcode + one object per ISA variant + metadata.

A `FunctionUnit` is what the pipeline knows about one compiled function (its LLVM IR before the
O3 pipeline, symbol, types, argument names).  `build_container` links the units into one module,
keeps that module's bitcode, and per variant optimises it for the variant's CPU, adds the
CPython wrappers and emits relocatable object code.  Units may call each other by symbol.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field

import llvmlite.binding as llvm

from jitlab.backend import llvm as llvm_backend
from jitlab.backend.llvm import abi
from jitlab.ir.types import Type

from .container import write_container
from .isa import Variant
from .reader import versions

FORMAT = 1


@dataclass(frozen=True)
class FunctionUnit:
    """One compiled function, ready to be put into a container."""

    name: str
    symbol: str
    argtypes: tuple[Type, ...]
    rettype: Type
    llvm_ir: str                                  # the `llvm` stage: before the O3 pipeline
    argnames: tuple[str, ...] = ()
    writable: tuple[bool, ...] | None = None
    doc: str | None = None
    source: str = ""
    callees: tuple[tuple[str, tuple[str, ...], str], ...] = ()  # (callee, argtype texts, symbol)
    optimized_ir: dict[str, str] = field(default_factory=dict)  # isa → `llvm-opt` text already made

    @property
    def wrapper_symbol(self) -> str:
        return f"{self.symbol}.pywrap"

    def to_json(self) -> dict:
        return {"name": self.name, "symbol": self.symbol, "wrapper": self.wrapper_symbol,
                "argtypes": [str(t) for t in self.argtypes], "rettype": str(self.rettype),
                "argnames": list(self.argnames),
                "writable": None if self.writable is None else list(self.writable),
                "doc": self.doc, "callees": [[c, list(ts), s] for c, ts, s in self.callees]}


def linked_module(irs: list[str]) -> llvm.ModuleRef:
    """Parse and link LLVM IR texts into one module."""
    module = llvm_backend.codegen.parse(irs[0])
    for text in irs[1:]:
        module.link_in(llvm_backend.codegen.parse(text))
    return module


def wrapper_ir(unit: FunctionUnit) -> str:
    text, symbol = abi.make_wrapper_ir(unit.name, unit.symbol, unit.argtypes, unit.rettype,
                                       argnames=unit.argnames or None, writable=unit.writable)
    assert symbol == unit.wrapper_symbol, (symbol, unit.wrapper_symbol)
    return text


def variant_object(units: list[FunctionUnit], variant: Variant,
                   module: llvm.ModuleRef | None = None) -> bytes:
    """Object code of every unit and its wrapper, optimised for `variant` (`module`: the units'
    code already optimised for it, which this call takes over)."""
    ready = [u.optimized_ir.get(variant.isa) for u in units]
    if module is not None:
        pass
    elif all(ready):
        module = linked_module(ready)
    else:
        module = llvm_backend.optimize_for(str(linked_module([u.llvm_ir for u in units])),
                                           variant.cpu, variant.features)
    wrappers = llvm_backend.optimize_for(str(linked_module([wrapper_ir(u) for u in units])),
                                         variant.cpu, variant.features)
    module.link_in(wrappers)
    return llvm_backend.emit_object(module, variant.cpu, variant.features)


def build_container(units: list[FunctionUnit], variants: tuple[Variant, ...], *, name: str,
                    extra_meta: dict | None = None, objects: dict[str, bytes] | None = None) -> bytes:
    """The bytes of a PIXIE container holding `units` for every variant in `variants` (`objects`:
    a variant's object code made already, by ISA name)."""
    if not units:
        raise ValueError("a PIXIE container needs at least one function")
    bitcode = linked_module([u.llvm_ir for u in units]).as_bitcode()
    sections = {"meta": b""}
    for variant in variants:
        made = (objects or {}).get(variant.isa)
        sections[f"obj:{variant.isa}"] = made if made is not None else variant_object(units, variant)
    sections["bitcode"] = bitcode
    source_hash = hashlib.sha256("\n".join(u.source for u in units).encode("utf-8")).hexdigest()
    meta = {"pixie": FORMAT, "uuid": uuid.uuid4().hex, "name": name,
            "triple": llvm_backend.host_target_machine().triple, "versions": versions(),
            "source_hash": source_hash, "functions": [u.to_json() for u in units],
            "variants": [v.to_json() for v in variants], **(extra_meta or {})}
    sections["meta"] = json.dumps(meta, sort_keys=True).encode("utf-8")
    return write_container(sections)
