"""AOT: a PIXIE shared library that is also a CPython extension module (docs/pixie.md, "AOT").

    jitlab.pixie.build("kernels.py", "libkern.so", variants=["x86-64", "x86-64-v3"])
    # then, in any interpreter of the same Python version, without jitlab:
    import libkern; libkern.f(3); libkern.__PIXIE__["variant"]

What gets exported: every `@jitlab.jit("sig", ...)` function of the module (its signatures), or
the `exports` given as `"name:sig"` (`"name=func:sig"` exports `func` as `name`).  Every exported
function and the jitted functions it calls, transitively, are compiled once; per variant the
library holds one object (the functions optimised for that CPU, plus their CPython wrappers,
`backend/llvm/abi.py`), all linked by the system C compiler driver (`cc`) into one `.so` with a
support object made here in LLVM IR:

* `PyInit_<name>`: reads the CPU's features (`cpuid.py`), picks a variant, runs the Python
  overlay (a source string) in the module's namespace, adds the chosen variant's functions
  (static `PyMethodDef` tables, METH_FASTCALL), and gives the overlay the last word;
* the embedded PIXIE container (meta + bitcode), which `jitlab pixie inspect` finds in the file;
* the array arena and the pointer to the boxing function that compiled code names
  (`backend/llvm/nrt.py`), so returned arrays work without jitlab.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import llvmlite.binding as llvm
from llvmlite import ir

from jitlab.backend import llvm as llvm_backend
from jitlab.backend.llvm import abi, native, nrt
from jitlab.errors import JitlabError
from jitlab.ir.types import ArrayType, TupleType, Type

from . import cpuid
from .container import section_spans, write_container
from .isa import VARIANTS, Variant, default_variants, host_arch
from .units import linked_module, versions

PY_FILE_INPUT = 257  # Py_file_input
PYTHON_API_VERSION = 1013
METH_FASTCALL = native.METH_FASTCALL
_IMMORTAL_REFCNT = 0xFFFFFFFF  # immortal from 3.12 on, a count nothing reaches before

_PTR = ir.PointerType()
_I8, _I32, _I64 = ir.IntType(8), ir.IntType(32), ir.IntType(64)


class LinkerNotFound(JitlabError):
    """No system C compiler driver to link a shared library with."""


def find_linker() -> str:
    """The C compiler driver that links the library: `$CC`, else cc, gcc or clang on PATH."""
    candidates = [os.environ["CC"].split()[0]] if os.environ.get("CC") else ["cc", "gcc", "clang"]
    for name in candidates:
        found = shutil.which(name)
        if found:
            return found
    raise LinkerNotFound(
        f"building a PIXIE shared library needs a system linker, and no C compiler driver "
        f"({', '.join(candidates)}) is on PATH",
        hint="install one (e.g. `apt install gcc` or Xcode's command line tools) or set CC; "
             "the JIT and the kernel cache need no linker")

@dataclass(frozen=True)
class AotFunction:
    """One exported function as compiled: its name in the library, native symbol and types."""

    name: str
    symbol: str
    argtypes: tuple[Type, ...]
    rettype: Type
    argnames: tuple[str, ...]
    writable: tuple[bool, ...] | None
    doc: str | None


def _returns_array(t: Type) -> bool:
    return isinstance(t, ArrayType) or (isinstance(t, TupleType) and any(map(_returns_array, t.items)))


def _signature_text(c: AotFunction) -> str:
    return f"{c.rettype}({', '.join(map(str, c.argtypes))})"


def _ml_names(compiled: list[AotFunction]) -> list[str]:
    """The `__name__` of each builtin: the export name, numbered when it has several signatures."""
    counts: dict[str, int] = {}
    for c in compiled:
        counts[c.name] = counts.get(c.name, 0) + 1
    seen: dict[str, int] = {}
    names = []
    for c in compiled:
        n = c.name
        if counts[n] == 1:
            names.append(n)
        else:
            names.append(f"{n}__{seen.get(n, 0)}")
            seen[n] = seen.get(n, 0) + 1
    return names


def _linked(irs: list[str], bitcodes: list[bytes]) -> llvm.ModuleRef:
    module = linked_module(irs)
    for bitcode in bitcodes:
        other = llvm.parse_bitcode(bitcode)
        other.triple, other.data_layout = module.triple, module.data_layout
        module.link_in(other)
    return module


def _variant_object(irs: list[str], bitcodes: list[bytes], wrappers: dict[str, str],
                    variant: Variant) -> bytes:
    """Position-independent object code of every function for `variant`: the wrappers renamed to
    `wrappers[symbol]` (hidden, for the support object), everything else internal."""
    module = _linked(irs, bitcodes)
    for fn in module.functions:
        if fn.is_declaration:
            continue
        if fn.name in wrappers:
            fn.name = wrappers[fn.name]
            fn.visibility = "hidden"
        else:
            fn.linkage = llvm.Linkage.internal
    for var in module.global_variables:
        if not var.is_declaration:
            var.linkage = llvm.Linkage.internal
    optimized = llvm_backend.optimize_for(str(module), variant.cpu, variant.features)
    return llvm_backend.emit_object(optimized, variant.cpu, variant.features, pic=True)


# -- the overlay ------------------------------------------------------------------------------
_OVERLAY = '''\
def _pixie_overlay(ns):
    import json
    import os

    c = ns["_pixie_constants"]
    meta = json.loads(ns.pop("_pixie_meta"))
    features = ns.pop("_pixie_features")
    index = ns["_pixie_index"]
    variants = meta["variants"]
    have = [name for i, name in enumerate(c["features"]) if features >> i & 1]
    forced = os.environ.get("PIXIE_VARIANT")
    if forced:
        isas = [v["isa"] for v in variants]
        if forced not in isas:
            raise ImportError(f"PIXIE_VARIANT={forced}: {c['name']} has no such variant "
                              f"(it has {', '.join(isas)})")
        missing = sorted(set(variants[isas.index(forced)]["requires"]) - set(have))
        if missing and c["arch"] == "x86_64":
            raise ImportError(f"PIXIE_VARIANT={forced}: this CPU lacks {', '.join(missing)}")
        index = isas.index(forced)
    if index < 0:
        needs = "; ".join(f"{v['isa']} needs {', '.join(sorted(set(v['requires']) - set(have)))}"
                          for v in variants)
        raise ImportError(f"no variant of the PIXIE library {c['name']} runs on this CPU ({needs})")
    ns["_pixie_index"] = index
    signatures = {}
    for name, sig in c["exports"]:
        signatures.setdefault(name, []).append(sig)
    ns["__PIXIE__"] = {
        "name": meta["name"], "variants": [v["isa"] for v in variants], "variant": variants[index]["isa"],
        "features": have, "signatures": signatures, "bitcode": ns.pop("_pixie_bitcode"), "metadata": meta,
        "overloads": {},
    }
    if c["box"] is not None:  # returned arrays become numpy arrays: numpy is imported on the first one
        box_ns = {}

        def box_array(*args):
            if "box_array" not in box_ns:
                exec(compile(c["box"], "<pixie " + c["name"] + " box_array>", "exec"), box_ns)
            return box_ns["box_array"](*args)

        ns["_pixie_box"] = box_array


def _pixie_finish(ns):
    """After PyInit added the chosen variant's builtins: one callable per exported name."""
    c = ns.pop("_pixie_constants")
    del ns["_pixie_index"]
    ns.pop("_pixie_box", None)
    builtins = {}
    for (name, _), ml_name in zip(c["exports"], c["ml_names"]):
        builtins.setdefault(name, []).append(ns.pop(ml_name) if ml_name != name else ns[name])
    for name, overloads in builtins.items():
        ns["__PIXIE__"]["overloads"][name] = overloads
        if len(overloads) > 1:
            ns[name] = _dispatch(name, overloads)


def _dispatch(name, overloads):
    """Several signatures under one name: the first whose argument conversion accepts the call."""
    prefix = name + "()"

    def dispatch(*args):
        error = None
        for fn in overloads:
            try:
                return fn(*args)
            except TypeError as exc:
                if not str(exc).startswith(prefix):
                    raise
                error = error or exc
        raise error

    dispatch.__name__ = dispatch.__qualname__ = name
    dispatch.__doc__ = "\\n".join(fn.__doc__ or name for fn in overloads)
    return dispatch


_pixie_overlay(globals())
del _pixie_overlay
'''


def overlay_source(name: str, compiled: list[AotFunction], ml_names: list[str], arch: str) -> str:
    """The Python run by `PyInit_<name>` in the new module's namespace (before and after the
    builtins are added: `_pixie_finish(globals())` is the second step)."""
    box = None
    if any(_returns_array(c.rettype) for c in compiled):
        helpers = (native._ArrayMemory, native.box_array, native._argument_holding)
        box = "import numpy as np\n\n" + "\n\n".join(inspect.getsource(obj) for obj in helpers)
    constants = {"name": name, "arch": arch, "features": cpuid.FEATURES, "box": box,
                 "exports": tuple((c.name, _signature_text(c)) for c in compiled),
                 "ml_names": tuple(ml_names)}
    return (f"# PIXIE overlay of {name} (jitlab {versions()['jitlab']})\n"
            f"_pixie_constants = {constants!r}\n\n{_OVERLAY}")


# -- the support object: PyInit, selector, tables, embedded container ----------------------------
class _Support:
    def __init__(self, name: str):
        self.module = ir.Module(name=f"pixie.{name}")
        self.module.triple = llvm.get_process_triple()
        self._strings: dict[bytes, ir.GlobalVariable] = {}

    def bytes_global(self, data: bytes, name: str) -> ir.GlobalVariable:
        kind = ir.ArrayType(_I8, len(data))
        var = ir.GlobalVariable(self.module, kind, name)
        var.linkage, var.global_constant = "private", True
        var.initializer = ir.Constant(kind, bytearray(data))
        return var

    def cstr(self, text: str) -> ir.GlobalVariable:
        data = text.encode("utf-8") + b"\0"
        if data not in self._strings:
            self._strings[data] = self.bytes_global(data, f".str.{len(self._strings)}")
        return self._strings[data]

    def declare(self, name: str, ret: ir.Type, params: Iterable[ir.Type]) -> ir.Function:
        if name not in self.module.globals:
            ir.Function(self.module, ir.FunctionType(ret, list(params)), name)
        return self.module.globals[name]


def support_ir(name: str, container: bytes, overlay: str, variants: list[Variant],
               tables: list[list[tuple[str, str, str]]]) -> str:
    """LLVM IR of the support object.  `tables[i]` lists (builtin name, wrapper symbol, doc) of
    variant i's functions."""
    s = _Support(name)
    m = s.module
    cpuid.emit_select(m, variants)
    features_fn = cpuid.emit_features(m, variants[0].arch if variants else host_arch())
    # what compiled code names: the arena and the boxing callable (backend/llvm/nrt.py)
    arena = ir.GlobalVariable(m, ir.ArrayType(_I64, 2), nrt.ARENA_SYMBOL)
    arena.initializer = ir.Constant(ir.ArrayType(_I64, 2), None)
    box_ref = ir.GlobalVariable(m, _PTR, nrt.BOX_SYMBOL)
    box_ref.initializer = _PTR(None)
    # the generators random draws use (backend/llvm/lower_random.py): the library's own two, which
    # start from MT19937's default seed 5489 on import (no OS entropy here); compiled code seeds them
    words = ir.ArrayType(_I32, native.MT_N)
    state_type = ir.LiteralStructType([words, _I32, _I32, ir.DoubleType()])
    default = ir.Constant(state_type, [ir.Constant(words, native.genrand_words(5489)), _I32(native.MT_N),
                                       _I32(0), ir.Constant(ir.DoubleType(), 0.0)])
    for symbol in (native.RANDOM_NUMPY_SYMBOL, native.RANDOM_PYTHON_SYMBOL):
        ir.GlobalVariable(m, state_type, symbol).initializer = default
    blob = s.bytes_global(container, "pixie.container")
    spans = section_spans(container)
    # PyMethodDef {name, meth, flags, doc}, null-terminated, one table per variant
    method = ir.LiteralStructType([_PTR, _PTR, _I32, _PTR])
    table_vars = []
    for i, rows in enumerate(tables):
        entries = []
        for ml_name, wrapper, doc in rows:
            fn = s.declare(wrapper, _PTR, (_PTR, _PTR, _I64))
            entries.append(ir.Constant(method, [s.cstr(ml_name), fn, _I32(METH_FASTCALL), s.cstr(doc)]))
        entries.append(ir.Constant(method, None))
        kind = ir.ArrayType(method, len(entries))
        var = ir.GlobalVariable(m, kind, f"pixie.methods.{i}")
        var.linkage, var.initializer = "private", ir.Constant(kind, entries)
        table_vars.append(var)
    tables_kind = ir.ArrayType(_PTR, len(table_vars))
    table_of = ir.GlobalVariable(m, tables_kind, "pixie.tables")
    table_of.linkage, table_of.global_constant = "private", True
    table_of.initializer = ir.Constant(tables_kind, table_vars)
    # PyModuleDef: {PyObject head (refcnt, type), m_init, m_index, m_copy}, name, doc, size, methods,
    # slots, traverse, clear, free
    moddef_kind = ir.LiteralStructType([_I64, _PTR, _PTR, _I64, _PTR, _PTR, _PTR, _I64, _PTR, _PTR, _PTR,
                                        _PTR, _PTR])
    moddef = ir.GlobalVariable(m, moddef_kind, "pixie.moduledef")
    moddef.linkage = "private"
    doc = f"PIXIE library {name} (built by jitlab {versions()['jitlab']}); see __PIXIE__"
    moddef.initializer = ir.Constant(moddef_kind, [
        _I64(_IMMORTAL_REFCNT), _PTR(None), _PTR(None), _I64(0), _PTR(None), s.cstr(name), s.cstr(doc),
        _I64(-1), _PTR(None), _PTR(None), _PTR(None), _PTR(None), _PTR(None)])

    capi = {
        "PyModule_Create2": (_PTR, (_PTR, _I32)), "PyModule_GetDict": (_PTR, (_PTR,)),
        "PyLong_FromLongLong": (_PTR, (_I64,)), "PyLong_AsLongLong": (_I64, (_PTR,)),
        "PyBytes_FromStringAndSize": (_PTR, (_PTR, _I64)), "PyDict_SetItemString": (_I32, (_PTR, _PTR, _PTR)),
        "PyDict_GetItemString": (_PTR, (_PTR, _PTR)), "PyRun_String": (_PTR, (_PTR, _I32, _PTR, _PTR)),
        "PyModule_AddFunctions": (_I32, (_PTR, _PTR)), "Py_IncRef": (ir.VoidType(), (_PTR,)),
        "Py_DecRef": (ir.VoidType(), (_PTR,)), "PyErr_SetString": (ir.VoidType(), (_PTR, _PTR)),
    }
    api = {k: s.declare(k, ret, params) for k, (ret, params) in capi.items()}
    system_error = ir.GlobalVariable(m, _PTR, "PyExc_SystemError")
    init = ir.Function(m, ir.FunctionType(_PTR, []), f"PyInit_{name}")
    b = ir.IRBuilder(init.append_basic_block("entry"))
    fail = init.append_basic_block("fail")
    null = _PTR(None)

    def check(value, bad):
        ok = init.append_basic_block("ok")
        b.cbranch(bad(value), fail, ok)
        b.position_at_end(ok)
        return value

    def is_null(v):
        return b.icmp_unsigned("==", v, null)

    mod = b.call(api["PyModule_Create2"], [moddef, _I32(PYTHON_API_VERSION)])
    with b.if_then(is_null(mod), likely=False):
        b.ret(null)
    d = b.call(api["PyModule_GetDict"], [mod])

    def put(key: str, value):
        check(value, is_null)
        status = b.call(api["PyDict_SetItemString"], [d, s.cstr(key), value])
        b.call(api["Py_DecRef"], [value])
        check(status, lambda v: b.icmp_signed("!=", v, _I32(0)))

    def section(section_name: str):
        offset, size = spans[section_name]
        start = b.gep(blob, [_I64(0), _I64(offset)], inbounds=True)
        return b.call(api["PyBytes_FromStringAndSize"], [start, _I64(size)])

    def run(source: str):
        result = check(b.call(api["PyRun_String"], [s.cstr(source), _I32(PY_FILE_INPUT), d, d]), is_null)
        b.call(api["Py_DecRef"], [result])

    # PIXIE_CPU_FEATURES=<mask> simulates another CPU (a mask over cpuid.FEATURES): for tests, and to
    # try a library's baseline on a new machine
    features = b.call(features_fn, [])
    simulated = b.call(s.declare("getenv", _PTR, (_PTR,)), [s.cstr("PIXIE_CPU_FEATURES")])
    detected = b.block
    with b.if_then(b.icmp_unsigned("!=", simulated, null)):
        parsed = b.call(s.declare("strtoull", _I64, (_PTR, _PTR, _I32)), [simulated, null, _I32(0)])
        given = b.block
    chosen_features = b.phi(_I64)
    chosen_features.add_incoming(features, detected)
    chosen_features.add_incoming(parsed, given)
    features = chosen_features
    put("_pixie_features", b.call(api["PyLong_FromLongLong"], [features]))
    chosen = b.call(m.globals["pixie_select"], [features])
    put("_pixie_index", b.call(api["PyLong_FromLongLong"], [b.sext(chosen, _I64)]))
    put("_pixie_meta", section("meta"))
    put("_pixie_bitcode", section("bitcode"))
    run(overlay)
    index_obj = check(b.call(api["PyDict_GetItemString"], [d, s.cstr("_pixie_index")]), is_null)
    index = b.call(api["PyLong_AsLongLong"], [index_obj])
    bad_index = init.append_basic_block("bad_index")
    good = init.append_basic_block("good_index")
    b.cbranch(b.icmp_unsigned(">=", index, _I64(len(tables))), bad_index, good)
    b.position_at_end(bad_index)
    b.call(api["PyErr_SetString"], [b.load(system_error, typ=_PTR), s.cstr(f"{name}: bad variant index")])
    b.branch(fail)
    b.position_at_end(good)
    table = b.load(b.gep(table_of, [_I64(0), index], inbounds=True), typ=_PTR)
    check(b.call(api["PyModule_AddFunctions"], [mod, table]), lambda v: b.icmp_signed("!=", v, _I32(0)))
    box = b.call(api["PyDict_GetItemString"], [d, s.cstr("_pixie_box")])
    with b.if_then(b.icmp_unsigned("!=", box, null)):
        b.call(api["Py_IncRef"], [box])  # kept for the life of the process, like a static type
        b.store(box, box_ref)
    run("_pixie_finish(globals())\ndel _pixie_finish, _dispatch\n")
    b.ret(mod)
    b.position_at_end(fail)
    b.call(api["Py_DecRef"], [mod])
    b.ret(null)
    return str(m)


def _hide(llvm_ir: str, exported: set[str]) -> llvm.ModuleRef:
    """Parse the support IR; every definition but `exported` gets hidden visibility."""
    module = llvm_backend.codegen.parse(llvm_ir)
    for value in (*module.functions, *module.global_variables):
        if not value.is_declaration and value.name not in exported and value.linkage != llvm.Linkage.private:
            value.visibility = "hidden"
    return module


# -- building ---------------------------------------------------------------------------------
def resolve_variants(names: Iterable[str | Variant] | None) -> list[Variant]:
    if names is None:
        return list(default_variants())
    out = []
    for v in names:
        if isinstance(v, Variant):
            out.append(v)
            continue
        key = {"baseline": "x86-64", "x86-64-v1": "x86-64"}.get(v.strip(), v.strip())
        if key not in VARIANTS:
            raise JitlabError(f"unknown variant {v!r}; known: baseline, {', '.join(VARIANTS)}")
        out.append(VARIANTS[key])
    arch = host_arch()
    foreign = [v.isa for v in out if v.arch != arch]
    if foreign:
        raise JitlabError(f"variants {', '.join(foreign)} are not for this machine's architecture ({arch})")
    if not out:
        raise JitlabError("a PIXIE library needs at least one variant")
    return out


def check_python() -> None:
    if sysconfig.get_config_var("Py_GIL_DISABLED") or object.__basicsize__ != 16:
        raise JitlabError("PIXIE shared libraries are built for CPython's default (GIL) build only")


def library_name(output: str | os.PathLike) -> str:
    """The module name of library file `output` (`libkern.so` → `libkern`)."""
    name = Path(output).name.split(".", 1)[0]
    if not name.isidentifier():
        raise JitlabError(f"{Path(output).name}: the library's name {name!r} is not a Python identifier",
                          hint="name the file NAME.so with NAME a valid module name")
    return name


def link_library(output: str | os.PathLike, functions: list[AotFunction], irs: list[str],
                 bitcodes: list[bytes], sources: list[str], variants: list[Variant]) -> Path:
    """Write the shared library `output` exporting `functions`.

    `irs` are the LLVM IR texts (before the O3 pipeline) of every function the exports need,
    calling each other by symbol; `bitcodes` are PIXIE libraries' bitcode they call into.
    """
    check_python()
    output = Path(output)
    name = library_name(output)
    linker = find_linker()
    ml_names = _ml_names(functions)
    wrapper_irs = []
    for c in functions:
        text, _ = abi.make_wrapper_ir(c.name, c.symbol, c.argtypes, c.rettype,
                                      argnames=c.argnames or None, writable=c.writable, jit=False)
        wrapper_irs.append(text)
    wrapper_symbols = [f"{c.symbol}.pywrap" for c in functions]
    # the container: metadata and the bitcode of every function (no machine code: that is the .so's)
    bitcode_module = _linked(irs, bitcodes)
    meta = {"pixie": 1, "uuid": uuid.uuid4().hex, "name": name, "kind": "shared-library",
            "triple": llvm_backend.host_target_machine().triple, "versions": versions(),
            "source_hash": hashlib.sha256("\n".join(sources).encode("utf-8")).hexdigest(),
            "python_abi": sysconfig.get_config_var("EXT_SUFFIX") or "",
            "functions": [{"name": c.name, "builtin": ml, "symbol": c.symbol,
                           "argtypes": [str(t) for t in c.argtypes], "rettype": str(c.rettype),
                           "argnames": list(c.argnames), "doc": c.doc}
                          for c, ml in zip(functions, ml_names)],
            "variants": [{**v.to_json(), "section": f"so:{i}", "mask": cpuid.required_mask(v)}
                         for i, v in enumerate(variants)]}
    container = write_container({"meta": json.dumps(meta, sort_keys=True).encode("utf-8"),
                                 "bitcode": bitcode_module.as_bitcode()})
    overlay = overlay_source(name, functions, ml_names, variants[0].arch)
    tables = [[(ml, f"pixie.{i}.{k}", _doc(c)) for k, (c, ml) in enumerate(zip(functions, ml_names))]
              for i in range(len(variants))]
    support = _hide(support_ir(name, container, overlay, variants, tables),
                    {f"PyInit_{name}", "pixie_select", "pixie_cpu_features"})
    with tempfile.TemporaryDirectory(prefix="pixie-build-") as tmp:
        objects = [Path(tmp) / "support.o"]
        objects[0].write_bytes(llvm_backend.emit_object(support, "", "", pic=True))
        for i, variant in enumerate(variants):
            rename = {w: f"pixie.{i}.{k}" for k, w in enumerate(wrapper_symbols)}
            path = Path(tmp) / f"{variant.isa}.o"
            path.write_bytes(_variant_object([*irs, *wrapper_irs], bitcodes, rename, variant))
            objects.append(path)
        _link(linker, objects, output)
    return output


def _doc(c: AotFunction) -> str:
    """`name(a, b)\\n--\\n\\n` first, so `inspect.signature` works on the builtin, then the docstring."""
    head = f"{c.name}({', '.join(c.argnames)})\n--\n\n"
    return head + (c.doc or _signature_text(c))


def _link(linker: str, objects: list[Path], output: Path) -> None:
    command = [linker, "-shared", "-o", str(output), *map(str, objects), "-lm"]
    if sys.platform == "darwin":
        command[1:1] = ["-undefined", "dynamic_lookup"]
    output.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise JitlabError(f"linking {output.name} failed ({' '.join(command)}):\n{result.stderr.strip()}")
