"""Typed jitlab IR → LLVM IR text (llvmlite.ir), one native function per λ.

How the RVSDG maps onto a control-flow graph:

* a region becomes straight-line code in the current block; values live in an
  environment (name → LLVM value) chained to the enclosing region's, so LLVM's
  dominance follows RVSDG scoping for free;
* γ → one block per branch and a merge block with a φ per exit value (a `bool`
  predicate branches, an integer one `switch`es, the last branch as default);
* θ → a loop block with a φ per loop variable, entered from the block before
  it and from its own latch; the repeat predicate branches back or out (a loop
  that may stop early computes its leading test in the latch, `lower_theta.py`);
* the `!io` state token has no run-time value (`None` in the environment);
* a merged aggregate (a range iterator, an array struct) gets one φ per scalar
  field, rebuilt with `insertvalue` after the φs: LLVM does not scalarise φs of
  struct type, and scalar evolution only sees induction variables in scalar φs.

Values that merge (γ exits, θ loop variables) were given their joined type by
typing; each incoming value is converted to that type at the merge.  Raising
operations test their condition and jump (a branch weighted cold) to a shared
per-function block per message, which hands the message and the exception's
status code on to the function's one exit block: it stores the message and
returns the status (see `signature.py` for the calling convention;
`exit_with` says why there is one exit); op-by-op lowering lives in
`lower_arith.py` (operators) and `lower_calls.py` (builtins, math, calls).

Unbound variables: a value that a named `py.undef` (a Python variable not bound
on some path) may reach through γ exits and θ loop variables (`maybe_unbound`)
carries an i32 "unbound id" alongside: 0 where it is bound, 1 + the index of the
variable's name where it came from the named undef, merged with φs where the
value is.  Every read of such a value (a simple node's input, a γ or θ
predicate, the λ's return value) switches on it to a block raising
`UnboundLocalError` with that name (`messages.UNBOUND_LOCAL`); where every path
binds it, the id folds to 0 and LLVM deletes the check.
"""
from __future__ import annotations

import re
import zlib
from collections import ChainMap
from dataclasses import dataclass, replace

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.nodes import Gamma, Lambda, Module, Op, Region, Theta
from jitlab.ir.types import (
    ArrayType, BoolType, ComplexType, FloatType, IntType, NoneType, StateType, TupleType, Type, UnknownType,
)

from . import excinfo, messages, nrt, stack_check
from .irmodule import declare, internal_global
from .stack_check import checked_entry
from .debuginfo import DebugInfo
from .lower_theta import lower_theta_loop
from .lower_versioning import lower_versioned
from .runtime import float_repr
from .signature import NONE_LLVM, PTR, STATUS, abi_type, llvm_type, native_signature

I1 = ir.IntType(1)
UNBOUND_ID = ir.IntType(32)  # a value's unbound id: 0 bound, else 1 + the variable's index
I8 = ir.IntType(8)
I64 = ir.IntType(64)
F64 = ir.DoubleType()

# Float flags for `fastmath=True`: everything except `nnan`/`ninf`, because the
# Python-semantics checks (division by zero, math domain errors) test for NaN and
# infinity, and LLVM may delete those tests under `nnan`/`ninf`.
FASTMATH_FLAGS = ("reassoc", "contract", "arcp", "afn", "nsz")

MESSAGE_BUFFER_BYTES = 256  # the longest message formatted at run time, NUL included
COLD_WEIGHT = 1 << 20  # `cold_branch`: the not-raising side's weight against 1


@dataclass(frozen=True)
class LowerOptions:
    boundscheck: bool = True
    fastmath: bool = False
    overflow: str = "wrap"  # int64 overflow: "wrap" (two's complement), or "raise" OverflowError


class FunctionLowerer:
    """Lowers one typed λ into `module`; holds the builder and the per-function raise blocks."""

    deltas: dict = {}  # the module's δs by name (`lower` sets them; none in GPU kernels)
    host_facts = False  # `array_argument`'s facts: `lower` sets it (its text carries them), GPU code not

    def __init__(self, module: ir.Module, fn: Lambda, options: LowerOptions, debug: DebugInfo | None = None):
        self.module = module
        self.fn = fn
        self.options = options
        self.signature = native_signature(fn)
        self.func = _get_or_declare(module, self.signature.symbol, self.signature.function_type())
        self.func.linkage = "external"
        self.ret_ptr, self.excmsg_ptr, *self.abi_args = self.func.args
        self.ret_ptr.name, self.excmsg_ptr.name = "ret", "excmsg"
        self.alloca_block = self.func.append_basic_block("entry")
        self.alloca_builder = ir.IRBuilder(self.alloca_block)
        self.builder = ir.IRBuilder(self.func.append_basic_block("body"))
        self.types: dict[str, Type] = {}
        self.raise_blocks: dict[tuple, ir.Block] = {}
        self.exit_blocks: dict[ir.Block | None, tuple[ir.Block, ir.PhiInstr, ir.PhiInstr]] = {}  # exit_with
        self.unchecked_loops: set[str] = set()  # loops lowered in their unchecked version (lower_versioning)
        self.index_error: dict[ir.Block | None, tuple[ir.Block, list[ir.PhiInstr]]] = {}  # see lower_arrays
        # Inside an op with `catch = true`: (the block after it, the raise blocks that reach it);
        # its raises store their status in `pending` and go on there (`leave`).
        self.landing: tuple[ir.Block, list[ir.Block]] | None = None
        self.pending: ir.Value | None = None  # i32 alloca: the status a caught op left, 0 if none
        self.consts: dict[str, object] = {}  # value name -> Python value of each py.const
        self.current_loc = fn.loc
        self.maybe_unbound = maybe_unbound(fn.body)
        from .lower_fusion import plan

        from .lower_lifetimes import plan as plan_frees

        self.fused = plan(fn)  # elementwise results computed inside their user's loop
        self.frees = plan_frees(fn)  # id(region) -> temporaries freed where it ends
        self.unbound: dict[str, ir.Value] = {}  # value name -> its unbound id (see the module doc)
        self.unbound_names: list[str] = []  # the variable names, id - 1 -> name
        self.debug = debug
        self.subprogram = None
        if debug is not None:
            self.subprogram = debug.subprogram(self.func, fn.name, fn.loc.line if fn.loc is not None else 0)
            self.set_location(fn.loc)

    @property
    def float_flags(self) -> tuple[str, ...]:
        return FASTMATH_FLAGS if self.options.fastmath else ()

    # -- the function --------------------------------------------------------------------
    def lower(self) -> ir.Function:
        params = self.fn.body.params
        env: dict[str, ir.Value | None] = {}
        arg_ports = [p for p in params if not isinstance(p.type, StateType)]
        for port, arg in zip(arg_ports, self.abi_args):
            arg.name = port.name
            env[port.name] = self.from_abi(arg, port.type)
        for port in params:
            self.types[port.name] = port.type
            env.setdefault(port.name, None)
        results = self.region_body(self.fn.body, ChainMap(env))
        for name in self.fn.body.results:
            self.check_bound(name)
        rettype = self.signature.rettype
        if isinstance(rettype, (ArrayType, TupleType)):  # by value: the struct itself goes through %ret
            self.builder.store(results[0], self.ret_ptr)
        elif not isinstance(rettype, NoneType):
            self.builder.store(self.to_abi(results[0], rettype), self.ret_ptr)
        self.builder.ret(ir.Constant(STATUS, excinfo.OK))
        self.alloca_builder.branch(self.func.blocks[1])
        return self.func

    def from_abi(self, value: ir.Value, t: Type) -> ir.Value:
        if isinstance(t, BoolType):
            return self.builder.icmp_unsigned("!=", value, ir.Constant(I8, 0))
        if isinstance(t, ArrayType) and self.host_facts:  # passed by pointer, held by value
            return self.array_argument(value, t)
        if isinstance(t, (ArrayType, TupleType)):
            return self.builder.load(value, typ=llvm_type(t))
        return value

    def array_argument(self, ptr: ir.Value, t: ArrayType) -> ir.Value:
        """An array argument's struct, loaded field by field so that each extent carries
        `!range` and `!noundef`: an extent is never negative, and times the item size it fits
        an i64 (NumPy's rule, which `new_array` and `reshape` keep).  Knowing it, LLVM drops the
        `max(n, 0)` of a `range(len(a))` trip count and folds `0 <= k < len(a)` into one
        unsigned compare.  A contiguous array's bytes are also `dereferenceable` from its data
        pointer (`DEREFERENCEABLE`): the loop vectorizer then takes a loop that may leave early
        (a search), whose loads past the exit may not fault."""
        from .lower_arrays import itemsize  # (the op modules import this one)

        ty = llvm_type(t)
        i32 = ir.IntType(32)
        size = itemsize(t.dtype)
        extent = self.module.add_metadata([ir.Constant(I64, 0), ir.Constant(I64, (2**63 - 1) // size + 1)])
        fields = [self.builder.load(ptr, typ=PTR)]
        for part in (1, 2):
            for axis in range(t.ndim):
                load = self.builder.load(self.builder.gep(ptr, [i32(0), i32(part), i32(axis)], inbounds=True,
                                                          source_etype=ty), typ=I64)
                if part == 1:
                    load.set_metadata("range", extent)
                    load.set_metadata("noundef", self.module.add_metadata([]))
                fields.append(load)
        if t.layout in ("C", "F"):
            nbytes = ir.Constant(I64, size)
            for n in fields[1:1 + t.ndim]:
                nbytes = self.builder.mul(nbytes, n)
            align = size // 2 if isinstance(t.dtype, ComplexType) else size  # as its items are loaded
            self.builder.call(self.declare(DEREFERENCEABLE, ir.FunctionType(ir.VoidType(), [PTR, I64, I64])),
                              [fields[0], nbytes, ir.Constant(I64, align)])
        return self.assemble(ty, fields)

    def to_abi(self, value: ir.Value, t: Type) -> ir.Value:
        if isinstance(t, BoolType):
            return self.builder.zext(value, I8)
        if isinstance(t, (ArrayType, TupleType)):
            slot = self.alloca(llvm_type(t), name="array.arg" if isinstance(t, ArrayType) else "tuple.arg")
            self.builder.store(value, slot)
            return slot
        return value

    def alloca(self, ty: ir.Type, name: str = "") -> ir.Value:
        """A stack slot in the entry block (where mem2reg/SROA look for them)."""
        return self.alloca_builder.alloca(ty, name=name)

    # -- regions and nodes ----------------------------------------------------------------
    def region_body(self, region: Region, env: ChainMap, skip: int = 0) -> list:
        """Lower `region`'s nodes (all but the first `skip`, which the caller lowered) and
        free its temporaries; its results."""
        for node in region.nodes[skip:]:
            self.node(node, env)
        for name in self.frees.get(id(region), ()):
            value = self.lookup(env, name)
            if isinstance(value, ir.Value):  # not fused into its user (`lower_fusion`)
                data = self.builder.extract_value(value, 0)
                self.builder.call(nrt.free_function(self.module), [data])
        return [self.lookup(env, name) for name in region.results]

    def lookup(self, env: ChainMap, name: str):
        try:
            return env[name]
        except KeyError:
            raise LoweringError(f"value %{name} is not defined where it is used") from None

    def set_location(self, loc) -> None:
        """Give the instructions built from here on the debug location of `loc`."""
        if self.subprogram is not None and loc is not None:
            location = self.debug.location(self.subprogram, loc.line, loc.col)
            self.builder.debug_metadata = self.alloca_builder.debug_metadata = location

    def node(self, node, env: ChainMap) -> None:
        if node.loc is not None:
            self.current_loc = node.loc
            self.set_location(node.loc)
        for port in node.outputs:
            if isinstance(port.type, UnknownType):
                raise LoweringError(f"value %{port.name} has no type: run typing before lowering")
            self.types[port.name] = port.type
        if isinstance(node, Op):
            self.op(node, env)
        elif isinstance(node, Gamma):
            self.gamma(node, env)
        elif isinstance(node, Theta):
            self.theta(node, env)
        else:  # pragma: no cover
            raise LoweringError(f"not an IR node: {node!r}")

    def op(self, node: Op, env: ChainMap) -> None:
        from .op_table import OP_LOWERERS  # the op modules import this one

        lowerer = OP_LOWERERS.get(node.op)
        if lowerer is None:
            raise LoweringError(f"the LLVM backend cannot lower op {node.op}", line=_line(node))
        args = [self.lookup(env, n) for n in node.inputs]
        caught = bool(node.attrs) and bool(node.attr("catch"))
        if caught:
            self.landing = (self.func.append_basic_block("caught"), [])
        for name in node.inputs:
            self.check_bound(name)
        in_types = [self.types[n] for n in node.inputs]
        out_types = [p.type for p in node.outputs]
        if node.op == "py.const":
            self.consts[node.outputs[0].name] = node.attr("value")
        elif node.op == "py.build_tuple" and all(n in self.consts for n in node.inputs[:-1]):
            self.consts[node.outputs[0].name] = tuple(self.consts[n] for n in node.inputs[:-1])
        values = lowerer(self, node, args, in_types, out_types)
        if caught:
            values = self.land(values, out_types)
        for port, value in zip(node.outputs, values):
            env[port.name] = None if isinstance(port.type, StateType) else value
        if node.op == "py.undef" and node.attr("name") and node.outputs[0].name in self.maybe_unbound:
            self.unbound[node.outputs[0].name] = ir.Constant(UNBOUND_ID, self.unbound_id(node.attr("name")))

    def gamma(self, node: Gamma, env: ChainMap) -> None:
        pred = self.lookup(env, node.predicate)
        self.check_bound(node.predicate)
        pred_type = self.types[node.predicate]
        inputs = [self.lookup(env, n) for n in node.inputs]
        in_types = [self.types[n] for n in node.inputs]
        blocks = [self.func.append_basic_block(f"gamma.{i}") for i in range(len(node.branches))]
        merge = self.func.append_basic_block("gamma.end")
        if isinstance(pred_type, BoolType) and len(blocks) == 2:
            self.builder.cbranch(pred, blocks[1], blocks[0])
        else:
            if isinstance(pred_type, BoolType):
                pred = self.builder.zext(pred, I8)
            switch = self.builder.switch(pred, blocks[-1])
            for i, block in enumerate(blocks[:-1]):
                switch.add_case(ir.Constant(pred.type, i), block)
        incoming = []
        for branch, block in zip(node.branches, blocks):
            self.builder.position_at_end(block)
            sub = env.new_child()
            for port, value, t, name in zip(branch.params, inputs, in_types, node.inputs):
                self.types[port.name] = port.type
                sub[port.name] = None if isinstance(port.type, StateType) else self.cast(value, t, port.type)
                if name in self.unbound:
                    self.unbound[port.name] = self.unbound[name]
            results = self.region_body(branch, sub)
            converted = [None if isinstance(out.type, StateType) else
                         self.fields(self.cast(v, self.types[name], out.type))
                         for v, name, out in zip(results, branch.results, node.outputs)]
            ids = [self.unbound_id_of(name) if out.name in self.maybe_unbound else None
                   for name, out in zip(branch.results, node.outputs)]
            incoming.append((converted, self.builder.block, ids))
            self.builder.branch(merge)
        self.builder.position_at_end(merge)
        self.join_outputs(node.outputs, incoming, env)

    def join_outputs(self, outputs, incoming: list[tuple[list, ir.Block, list]], env) -> None:
        """At the join block (the builder's): bind each output to the φs of its fields from
        `incoming` ((fields per output, block, unbound ids per output) per predecessor), the
        unbound ids of the maybe-unbound ones joined too."""
        merged = self.output_phis(outputs, [(values, block) for values, block, _ in incoming])
        for i, out in enumerate(outputs):  # every φ first: φs lead their block
            if out.name in self.maybe_unbound:
                phi = self.builder.phi(UNBOUND_ID, name=f"{out.name}.unbound")
                for _, block, ids in incoming:
                    phi.add_incoming(ids[i], block)
                self.unbound[out.name] = phi
        self.assemble_outputs(outputs, merged, env)

    def output_phis(self, outputs, incoming: list[tuple[list, ir.Block]]) -> dict[str, list]:
        """The φs joining each non-state output's fields from `incoming` ((fields per output,
        block) per predecessor), made before anything else in the join block."""
        return {out.name: self.merge_phis(llvm_type(out.type), out.name,
                                          [(values[i], block) for values, block in incoming])
                for i, out in enumerate(outputs) if not isinstance(out.type, StateType)}

    def assemble_outputs(self, outputs, merged: dict[str, list], env) -> None:
        """Bind each output to its value rebuilt from its φs (None for state)."""
        for out in outputs:
            phis = merged.get(out.name)
            env[out.name] = None if phis is None else self.assemble(llvm_type(out.type), phis)

    def theta(self, node: Theta, env: ChainMap) -> None:
        if not lower_versioned(self, node, env, self.theta_loop):
            self.theta_loop(node, env)

    def theta_loop(self, node: Theta, env: ChainMap) -> None:
        lower_theta_loop(self, node, env)

    # -- caught exceptions (`catch = true`, `py.catch`; docs/ir.md) ------------------------
    @property
    def landing_key(self) -> ir.Block | None:
        """What the per-function raise blocks are cached by: one set per caught op."""
        return self.landing[0] if self.landing is not None else None

    def pending_slot(self) -> ir.Value:
        if self.pending is None:
            self.pending = self.alloca(STATUS, name="pending")
            self.alloca_builder.store(ir.Constant(STATUS, excinfo.OK), self.pending)
        return self.pending

    def leave(self, builder: ir.IRBuilder, status: ir.Value) -> None:
        """End a raising path: return `status`, or inside a caught op store it as pending and
        continue after the op (its message is already in `*excmsg`)."""
        if self.landing is None:
            builder.ret(status)
            return
        builder.store(status, self.pending_slot())
        after, preds = self.landing
        builder.branch(after)
        preds.append(builder.block)

    def land(self, values: list, out_types: list[Type]) -> list:
        """Close a caught op: its normal path and its raise paths meet after it; its values
        are undefined where it raised (only the γ arm `py.catch` picks for "no exception"
        reads them)."""
        after, preds = self.landing
        self.landing = None
        normal = self.builder.block
        self.builder.branch(after)
        self.builder.position_at_end(after)
        out = []
        for value, t in zip(values, out_types):
            if value is None or isinstance(t, StateType):
                out.append(value)
                continue
            phi = self.builder.phi(value.type)
            phi.add_incoming(value, normal)
            for block in preds:
                phi.add_incoming(ir.Constant(value.type, ir.Undefined), block)
            out.append(phi)
        return out

    # -- unbound variables (see the module doc) -------------------------------------------
    def unbound_id(self, variable: str) -> int:
        """The id standing for "not bound, it is `variable`"."""
        if variable not in self.unbound_names:
            self.unbound_names.append(variable)
        return self.unbound_names.index(variable) + 1

    def unbound_id_of(self, value: str) -> ir.Value:
        """The unbound id of value `value` (0, bound, for values no named undef reaches)."""
        return self.unbound.get(value, ir.Constant(UNBOUND_ID, 0))

    def check_bound(self, value: str) -> None:
        """Raise UnboundLocalError here when `value` is a variable not bound on this path."""
        uid = self.unbound.get(value)
        if uid is None or (isinstance(uid, ir.Constant) and uid.constant == 0):
            return
        cont = self.func.append_basic_block("bound")
        switch = self.builder.switch(uid, cont)
        for i, variable in enumerate(self.unbound_names):
            message = messages.UNBOUND_LOCAL.replace("{name}", variable)
            switch.add_case(ir.Constant(UNBOUND_ID, i + 1), self.raise_block(UnboundLocalError, message))
        self.builder.position_at_end(cont)

    def inferred_const(self, name: str):
        """The value of a `py.const` (typing only accepts constants where it needs them)."""
        try:
            return self.consts[name]
        except KeyError:
            raise LoweringError(f"%{name} must be a constant here", line=self.line) from None

    def fields(self, value: ir.Value) -> list[ir.Value]:
        """The scalar fields of an aggregate value (the value itself for a scalar)."""
        return [self.builder.extract_value(value, path) if path else value for path, _ in _leaves(value.type)]

    def assemble(self, ty: ir.Type, fields: list[ir.Value]) -> ir.Value:
        """The inverse of `fields`."""
        leaves = _leaves(ty)
        if len(leaves) == 1 and not leaves[0][0]:
            return fields[0]
        value = ir.Constant(ty, None)
        for (path, _), field in zip(leaves, fields):
            value = self.builder.insert_value(value, field, path)
        return value

    def merge_phis(self, ty: ir.Type, name: str, incoming: list[tuple[list[ir.Value], ir.Block]]) -> list:
        """φs (one per scalar field) merging `incoming` (fields, predecessor) pairs."""
        phis = [self.builder.phi(leaf, name=name) for _, leaf in _leaves(ty)]
        for fields, block in incoming:
            for phi, field in zip(phis, fields):
                phi.add_incoming(field, block)
        return phis

    # -- helpers used by the op lowerers --------------------------------------------------
    def cast(self, value: ir.Value, src: Type, dst: Type) -> ir.Value:
        """Convert a value between numeric types as Python/NumPy promotion does."""
        if src == dst or isinstance(dst, StateType):
            return value
        if isinstance(src, ArrayType) and isinstance(dst, ArrayType):
            return value  # a layout join: the struct carries real strides either way
        if isinstance(dst, NoneType):
            return ir.Constant(NONE_LLVM, 0)  # a merge nobody reads (typing allowed it)
        b = self.builder
        dst_ty = llvm_type(dst)
        if isinstance(dst, BoolType):
            return self.truth(value, src)
        if isinstance(dst, ComplexType):
            from .lower_complex import convert  # lower_complex builds on this module

            return convert(self, value, src, dst)
        if isinstance(src, BoolType):
            return b.zext(value, dst_ty) if isinstance(dst, IntType) else b.uitofp(value, dst_ty)
        if isinstance(src, IntType) and isinstance(dst, IntType):
            if src.bits == dst.bits:
                return value
            if src.bits > dst.bits:
                return b.trunc(value, dst_ty)
            return b.sext(value, dst_ty) if src.signed else b.zext(value, dst_ty)
        if isinstance(src, IntType) and isinstance(dst, FloatType):
            return b.sitofp(value, dst_ty) if src.signed else b.uitofp(value, dst_ty)
        if isinstance(src, FloatType) and isinstance(dst, FloatType):
            return b.fpext(value, dst_ty) if src.bits < dst.bits else b.fptrunc(value, dst_ty)
        raise LoweringError(f"cannot convert a {src} value to {dst}", line=self.line)

    def truth(self, value: ir.Value, t: Type) -> ir.Value:
        """Python's `bool(value)`: nonzero numbers (and NaN) are true, None is false."""
        b = self.builder
        if isinstance(t, BoolType):
            return value
        if isinstance(t, IntType):
            return b.icmp_unsigned("!=", value, ir.Constant(value.type, 0))
        if isinstance(t, FloatType):
            return b.fcmp_unordered("!=", value, ir.Constant(value.type, 0.0))
        if isinstance(t, NoneType):
            return ir.Constant(I1, 0)
        if isinstance(t, ComplexType):
            from .lower_complex import truth  # lower_complex builds on this module

            return truth(self, value)
        raise LoweringError(f"cannot test the truth of a {t} value", line=self.line)

    @property
    def target_arch(self) -> str:
        """The architecture the module is lowered for (`x86_64`, `aarch64`, `nvptx64`, ...): its
        triple's, or this process's where the triple is not set yet (a CPU module)."""
        triple = self.module.triple
        if not triple or triple.startswith("unknown"):
            import llvmlite.binding as llvm  # (only the CPU path gets here)

            triple = llvm.get_process_triple()
        arch = triple.split("-")[0]
        return "x86_64" if arch == "amd64" else "aarch64" if arch == "arm64" else arch

    @property
    def line(self) -> int | None:
        return self.current_loc.line if self.current_loc is not None else None

    def raise_if(self, cond: ir.Value, exc_type: type[BaseException], message: str,
                 value: ir.Value | None = None) -> None:
        """Continue in a new block when `cond` is false; otherwise raise `exc_type(message)`.

        A message template that shows a value (`messages.has_value`) is completed at
        run time with `repr(value)` (a float); every other message is a constant.
        """
        cont = self.func.append_basic_block("ok")
        self.cold_branch(cond, self.raise_block(exc_type, message, value), cont)
        self.builder.position_at_end(cont)

    def cold_branch(self, cond: ir.Value, cold: ir.Block, cont: ir.Block) -> ir.Instruction:
        """Branch to `cold` (a raising path) when `cond`, else to `cont`, weighted as rarely
        taken (`!prof` branch weights): LLVM lays the cold path out of the loop and keeps
        the hot path a straight line."""
        branch = self.builder.cbranch(cond, cold, cont)
        branch.set_metadata("prof", self.module.add_metadata(
            ["branch_weights", ir.Constant(ir.IntType(32), 1), ir.Constant(ir.IntType(32), COLD_WEIGHT)]))
        return branch

    def raise_block(self, exc_type: type[BaseException], message: str | None,
                    value: ir.Value | None = None) -> ir.Block:
        """The block that raises `exc_type(message)` (`exc_type()` for None), one per function
        and message.

        A block whose message shows a value takes it through a φ; the caller must
        branch to it from the block the builder is in now.
        """
        if self.traps_on_raise:
            return self.trap_block()
        key = (excinfo.code_of(exc_type), message, self.landing_key)
        formatted = value is not None and message is not None and messages.has_value(message)
        block = self.raise_blocks.get(key)
        if block is None:
            block = self.func.append_basic_block(f"raise.{exc_type.__name__}")
            rb = ir.IRBuilder(block)
            rb.debug_metadata = self.builder.debug_metadata  # the first check that raises it
            if formatted:
                shown = rb.phi(F64, name="shown")
                buffer = self.message_buffer()
                prefix = message[: -len(messages.VALUE)]
                snprintf = self.declare("snprintf", ir.FunctionType(ir.IntType(32), [PTR, I64, PTR],
                                                                    var_arg=True))
                length = rb.call(snprintf, [buffer, ir.Constant(I64, MESSAGE_BUFFER_BYTES),
                                            self.cstring("%s"), self.cstring(prefix)])
                rb.call(float_repr(self.module), [rb.gep(buffer, [rb.sext(length, I64)], source_etype=I8),
                                                  shown])
                self.exit_with(rb, ir.Constant(STATUS, key[0]), buffer)
            else:
                text = ir.Constant(PTR, None) if message is None else self.cstring(message)
                self.exit_with(rb, ir.Constant(STATUS, key[0]), text)
            self.raise_blocks[key] = block
        if formatted:
            shown = value if value.type == F64 else self.builder.fpext(value, F64)
            block.instructions[0].add_incoming(shown, self.builder.block)
        return block

    def exit_with(self, builder: ir.IRBuilder, status: ir.Value, message: ir.Value) -> None:
        """End a raising path at the function's one exit block (per caught op): it stores
        `message` (a C string, or null for `E()`) and leaves with `status`, both taken
        through φs.

        One block, not one per exception and message, because a loop whose checks all leave
        through the same block has two exits (the latch's and this one): LLVM runtime-unrolls
        such a loop (`codegen.optimize_module`), not one with an exit per message.  A raise
        block that only forwards constants is folded into its checks' branches by LLVM, so
        the checks branch straight to the exit block.
        """
        builder.branch(self._exit_block(builder.block, status, message))

    def exit_if(self, cond: ir.Value, status: ir.Value, message: ir.Value, cont: ir.Block) -> None:
        """Leave through the exit block (`exit_with`) when `cond`, else go on to `cont`; a
        check that picks its exception at run time (`status`, `message` are values).  On a
        target that traps (the GPU) the exit is the trap."""
        if self.traps_on_raise:
            self.builder.cbranch(cond, self.trap_block(), cont)
            return
        self.builder.cbranch(cond, self._exit_block(self.builder.block, status, message), cont)

    def _exit_block(self, source: ir.Block, status: ir.Value, message: ir.Value) -> ir.Block:
        entry = self.exit_blocks.get(self.landing_key)
        if entry is None:
            block = self.func.append_basic_block("raise")
            rb = ir.IRBuilder(block)
            status_phi, message_phi = rb.phi(STATUS, name="status"), rb.phi(PTR, name="message")
            rb.store(message_phi, self.excmsg_ptr)
            self.leave(rb, status_phi)
            entry = self.exit_blocks[self.landing_key] = (block, status_phi, message_phi)
        block, status_phi, message_phi = entry
        status_phi.add_incoming(status, source)
        message_phi.add_incoming(message, source)
        return block

    # A target without exceptions (the GPU) traps instead of raising: no message is formatted.
    traps_on_raise = False
    random_numbers = True  # the process's generators (lower_random.py); no CUDA kernel has them

    def trap_block(self) -> ir.Block:
        """The function's one block that aborts (`llvm.trap`), for targets that trap on raise."""
        block = self.raise_blocks.get((-1, None))
        if block is None:
            block = self.func.append_basic_block("trap")
            rb = ir.IRBuilder(block)
            rb.call(self.declare("llvm.trap", ir.FunctionType(ir.VoidType(), [])), [])
            rb.unreachable()
            self.raise_blocks[(-1, None)] = block
        return block

    def message_buffer(self) -> ir.GlobalVariable:
        """The module's buffer for messages formatted at run time (shared with IndexError's).

        One static buffer per module, as the array checks use: a message is read by the
        wrapper right after the call returns, so only concurrent failing calls could mix.
        """
        return internal_global(self.module, "jitlab.msgbuf", ir.ArrayType(I8, MESSAGE_BUFFER_BYTES))

    def cstring(self, text: str) -> ir.GlobalVariable:
        data = bytearray(text.encode("utf-8") + b"\0")
        # A digest of the text, not hash(): str hashes change from process to process, and the
        # module's IR text should not (stage goldens, diffs between two runs).
        name = f"jitlab.msg.{zlib.crc32(data):08x}"
        while name in self.module.globals:
            existing = self.module.globals[name]
            if bytes(existing.initializer.constant) == bytes(data):
                return existing
            name += "_"
        ty = ir.ArrayType(I8, len(data))
        gv = ir.GlobalVariable(self.module, ty, name=name)
        gv.global_constant = True
        gv.linkage = "internal"
        gv.unnamed_addr = True
        gv.initializer = ir.Constant(ty, data)
        return gv

    def intrinsic(self, name: str, ty: ir.Type, nargs: int = 1) -> ir.Function:
        """`llvm.<name>.<ty>` (e.g. `llvm.floor.f64`)."""
        suffix = "f64" if ty == F64 else "f32" if isinstance(ty, ir.FloatType) else f"i{ty.width}"
        return self.declare(f"llvm.{name}.{suffix}", ir.FunctionType(ty, [ty] * nargs))

    def declare(self, symbol: str, fnty: ir.FunctionType) -> ir.Function:
        return _get_or_declare(self.module, symbol, fnty)


def maybe_unbound(body: Region) -> set[str]:
    """The values of a λ that a named `py.undef` may reach through γ exits and θ loop variables."""
    found: set[str] = set()
    changed = True

    def add(name: str) -> None:
        nonlocal changed
        if name not in found:
            found.add(name)
            changed = True

    def visit(region: Region) -> None:
        for node in region.nodes:
            if isinstance(node, Op):
                if node.op == "py.undef" and node.attr("name"):
                    add(node.outputs[0].name)
            elif isinstance(node, Gamma):
                for branch in node.branches:
                    for port, name in zip(branch.params, node.inputs):
                        if name in found:
                            add(port.name)
                    visit(branch)
                    for name, out in zip(branch.results, node.outputs):
                        if name in found:
                            add(out.name)
            elif isinstance(node, Theta):
                for lv in node.loop_vars:
                    if lv.input in found or lv.post in found:
                        add(lv.pre.name)
                visit(node.body)
                for lv in node.loop_vars:
                    if lv.post in found:
                        add(lv.output.name)

    while changed:
        changed = False
        visit(body)
    return found


def _leaves(ty: ir.Type, path: tuple[int, ...] = ()) -> list[tuple[list[int], ir.Type]]:
    """(index path, scalar type) of every scalar inside `ty`, in order."""
    if isinstance(ty, ir.LiteralStructType):
        return [leaf for i, element in enumerate(ty.elements) for leaf in _leaves(element, (*path, i))]
    if isinstance(ty, ir.ArrayType):
        return [leaf for i in range(ty.count) for leaf in _leaves(ty.element, (*path, i))]
    return [(list(path), ty)]


def _get_or_declare(module: ir.Module, symbol: str, fnty: ir.FunctionType) -> ir.Function:
    fn = declare(module, symbol, fnty)
    if fn.function_type != fnty:
        raise LoweringError(f"symbol {symbol} is used with two different signatures")
    return fn


def _line(node) -> int | None:
    return node.loc.line if node.loc is not None else None


# Named metadata on a module with a loop that may leave early by the user's own control flow
# (`may_exit_early`): `codegen` does not runtime-unroll loops with a second exit in such a module.
SIDE_EXITS = "jitlab.side_exits"


def may_exit_early(node: Theta) -> bool:
    """Whether θ `node` may stop on more than one condition of the program's own: its repeat
    predicate comes from a γ (a short-circuit `while a and b`, a `break` or `return` in the
    body) whose branches do not each yield a constant.  A `for` loop over an iterator without
    `break` or `return` yields `true`/`false` per arm of the γ on "has a next item": one
    condition.  LLVM makes such extra conditions a second loop exit, like a raising check's,
    but one that is taken often and unpredictably: runtime-unrolling that loop is a loss."""
    producer = next((n for n in node.body.nodes if any(p.name == node.predicate for p in n.outputs)), None)
    if not isinstance(producer, Gamma):
        return isinstance(producer, Theta)
    index = [p.name for p in producer.outputs].index(node.predicate)

    def constant(region: Region, name: str) -> bool:
        return any(isinstance(n, Op) and n.op == "py.const" and any(p.name == name for p in n.outputs)
                   for n in region.nodes)

    return not all(constant(branch, branch.results[index]) for branch in producer.branches)


def lower(typed_module: Module, *, boundscheck: bool = True, fastmath: bool = False,
          module_name: str = "jitlab", overflow: str = "wrap", filename: str | None = None,
          debug_info: bool = True) -> str:
    """LLVM IR text for every λ of a typed module (each under its mangled native symbol).

    `boundscheck=False` drops the index checks of array accesses (see `lower_arrays.py`);
    `overflow="wrap"` the int64 overflow checks (see `lower_arith.py`).  `filename`
    names the source file in the debug locations (see `debuginfo.py`; `debug_info=False`
    leaves them out).
    """
    if overflow not in ("raise", "wrap"):
        raise ValueError(f"overflow must be 'raise' or 'wrap', not {overflow!r}")
    options = LowerOptions(boundscheck=boundscheck, fastmath=fastmath, overflow=overflow)
    module = ir.Module(name=module_name)
    debug = DebugInfo(module, filename) if debug_info else None
    deltas = {d.name: d for d in typed_module.deltas}
    for fn in typed_module.functions:
        lowerer = FunctionLowerer(module, fn, options, debug)
        lowerer.deltas = deltas
        lowerer.host_facts = True
        lowerer.lower()
    lambdas = [*typed_module.functions, *(fn for phi in typed_module.phis for fn in phi.functions)]
    if any(may_exit_early(node) for fn in lambdas for node in fn.body.walk() if isinstance(node, Theta)):
        module.add_named_metadata(SIDE_EXITS)
    for phi in typed_module.phis:  # λs that call each other by their symbols, behind a stack check
        for fn in phi.functions:
            symbol = fn.attr("symbol")
            attrs = (*(a for a in fn.attrs if a[0] != "symbol"), ("symbol", f"{symbol}.body"))
            lowerer = FunctionLowerer(module, replace(fn, attrs=attrs), options, debug)
            lowerer.deltas = deltas
            lowerer.host_facts = True
            lowerer.lower()
            lowerer.func.linkage = "internal"
            checked_entry(module, symbol, lowerer.func, lowerer.cstring(stack_check.MESSAGE))
    return dereferenceable_assumes(str(module))


# `array_argument` calls this placeholder, which `dereferenceable_assumes` rewrites into an
# `llvm.assume` with a "dereferenceable" operand bundle (llvmlite.ir cannot build bundles).
DEREFERENCEABLE = "jitlab.dereferenceable"
_DEREF_CALL = re.compile(r'call void @"jitlab\.dereferenceable"\((ptr [^,]+), (i64 [^,]+), (i64 [^)]+)\)')
_DEREF_DECL = re.compile(r'declare void @"jitlab\.dereferenceable"\([^)]*\)[^\n]*\n')


def dereferenceable_assumes(text: str) -> str:
    """`text` with each `DEREFERENCEABLE` placeholder call made an assumption about its pointer."""
    if DEREFERENCEABLE not in text:
        return text
    assume = r'call void @llvm.assume(i1 true) [ "dereferenceable"(\1, \2), "align"(\1, \3) ]'
    text = _DEREF_CALL.sub(assume, text)
    declared = re.search(r"declare void @\"?llvm\.assume\"?\(", text) is not None
    return _DEREF_DECL.sub("" if declared else "declare void @llvm.assume(i1 noundef)\n", text)


__all__ = ["lower", "FunctionLowerer", "LowerOptions", "abi_type", "PTR", "NONE_LLVM"]
