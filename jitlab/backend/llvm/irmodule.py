"""Find-or-create for the named globals of an llvmlite `ir.Module`.

Runtime helpers, C functions, intrinsics and tables are emitted into a module on first use and
found by name afterwards; these four functions are that lookup, so every caller gets the same
function or variable however many times (and from however many lowerers) it asks:

* `declare(module, name, fnty)`: an external function or an LLVM intrinsic (`llvm.fabs.f64`);
* `get_or_define(module, name, fnty, build)`: a function with a body, `build(fn)` writing it the
  first time only (the function is in the module before `build` runs, so a recursive helper or
  one that asks for itself again finds it);
* `external_global(module, name, ty)`: a variable another object defines (`PyExc_TypeError`);
* `internal_global(module, name, ty, initializer)`: a module-local variable or table.

The name alone identifies a global: a second request does not compare types.
"""
from __future__ import annotations

from collections.abc import Callable

from llvmlite import ir


def declare(module: ir.Module, name: str, fnty: ir.FunctionType) -> ir.Function:
    """The function `name` of `module`, declared (no body) with type `fnty` if absent."""
    fn = module.globals.get(name)
    return fn if fn is not None else ir.Function(module, fnty, name)


def get_or_define(module: ir.Module, name: str, fnty: ir.FunctionType,
                  build: Callable[[ir.Function], object], linkage: str = "internal") -> ir.Function:
    """The function `name` of `module`; if absent, made with `fnty` and `linkage`, then its body
    written by `build(fn)` (its result is ignored)."""
    fn = module.globals.get(name)
    if fn is None:
        fn = ir.Function(module, fnty, name)
        fn.linkage = linkage
        build(fn)
    return fn


def external_global(module: ir.Module, name: str, ty: ir.Type) -> ir.GlobalVariable:
    """The variable `name` of `module`, declared `external` (defined elsewhere) if absent."""
    gv = module.globals.get(name)
    if gv is None:
        gv = ir.GlobalVariable(module, ty, name)
        gv.linkage = "external"
    return gv


def internal_global(module: ir.Module, name: str, ty: ir.Type, initializer: ir.Constant | None = None,
                    constant: bool = False, unnamed_addr: bool = False) -> ir.GlobalVariable:
    """The variable `name` of `module`, defined `internal` with `initializer` (zeros when None)
    if absent; `constant` marks a read-only table, `unnamed_addr` one whose address nobody
    compares (a string LLVM may merge with an equal one)."""
    gv = module.globals.get(name)
    if gv is None:
        gv = ir.GlobalVariable(module, ty, name)
        gv.linkage = "internal"
        gv.global_constant = constant
        gv.unnamed_addr = unnamed_addr
        gv.initializer = initializer if initializer is not None else ir.Constant(ty, None)
    return gv


__all__ = ["declare", "external_global", "get_or_define", "internal_global"]
