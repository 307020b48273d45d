"""Kernel intrinsics on top of the CPU lowering: one `FunctionLowerer` per target.

A kernel body is lowered by the CPU backend's `FunctionLowerer` (same γ/θ/array code,
same status-code calling convention), with the `jitlab.cuda.*` callees, and `math.*`,
taken over here.  Two targets share everything but the few target-specific primitives:

* `GPUFunctionLowerer` reads the PTX special registers (`llvm.nvvm.read.ptx.sreg.*`),
  puts shared arrays in address space 3 and calls libdevice (`__nv_*`) for math;
* `EmulatedFunctionLowerer` (CPU) reads the thread and block indices from module globals
  that the emulation driver (`emulate.py`) sets before it calls the kernel for each thread,
  keeps shared arrays in one module global (blocks run one after another) and calls libm.

Math never raises here (CUDA's math returns NaN/inf), so the two targets agree.  Atomics are
`atomicrmw`/`cmpxchg` with monotonic ordering (CUDA's relaxed atomics); the emulator runs
threads one at a time, where the same instructions are trivially right.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.nodes import Op
from jitlab.ir.types import I64 as I64_T, ArrayType, FloatType, IntType, TupleType, Type
from jitlab.typing.rules.gpu import array_shape, dtype_of

from ..llvm import lower_arrays as arrays
from ..llvm.irmodule import internal_global
from ..llvm.lower import F64, I64, FunctionLowerer
from ..llvm.signature import PTR, llvm_type

PREFIX = "jitlab.cuda."
I32 = ir.IntType(32)
F32 = ir.FloatType()
DIM3 = {"threadIdx": "tid", "blockIdx": "ctaid", "blockDim": "ntid", "gridDim": "nctaid"}
# cuda.math / math functions that have an LLVM intrinsic on the CPU (others call libm).
# math functions of int64s or of sequences, compiled for the CPU only
HOST_ONLY_MATH = {"math.comb", "math.perm", "math.lcm", "math.prod", "math.fsum", "math.dist"}
CPU_INTRINSICS = ("sqrt", "fabs", "floor", "ceil", "fma", "exp", "exp2", "log", "log2", "sin", "cos", "pow")


class KernelLowering:
    """The target-independent half: mixed into a `FunctionLowerer` before it."""

    shared_address_space = 0
    random_numbers = False  # no device generator yet: `lower_random.call` says so

    def op(self, node: Op, env) -> None:
        if node.op == "py.print":  # the device has no sys.stdout (nor CPython's formatting)
            raise LoweringError("print() in a CUDA kernel is not supported: write the values to an "
                                "output array and print them on the host", line=self.line)
        callee = node.attr("callee") if node.op == "py.call" else None
        n_args = len(node.inputs) - 1
        if isinstance(callee, str) and callee not in ("cmath.isnan", "cmath.isinf", "cmath.isfinite") \
                and (callee.startswith("cmath.") or callee in HOST_ONLY_MATH
                     or (callee == "math.hypot" and n_args != 2)):
            raise LoweringError(f"{callee} in a CUDA kernel is not supported (it is compiled for the CPU "
                                "only)", line=self.line)
        if not isinstance(callee, str) or not callee.startswith((PREFIX, "math.")) \
                or callee in ("math.isnan", "math.isinf"):
            return super().op(node, env)
        args = [self.lookup(env, n) for n in node.inputs[:-1]]
        in_types = [self.types[n] for n in node.inputs[:-1]]
        rt = node.outputs[0].type
        if callee.startswith("math."):
            value = self.math(callee.removeprefix("math."), args, in_types, rt)
        else:
            value = self.kernel_call(callee.removeprefix(PREFIX), node, args, in_types, rt)
        env[node.outputs[0].name] = value
        env[node.outputs[1].name] = None

    def kernel_call(self, name: str, node: Op, args, in_types, rt: Type):
        head, _, axis = name.partition(".")
        if head in DIM3:
            return self.special(DIM3[head], axis)
        if name in ("grid", "gridsize"):
            ndim = len(rt.items) if isinstance(rt, TupleType) else 1
            values = [self.grid_axis(name, "xyz"[k]) for k in range(ndim)]
            if ndim == 1:
                return values[0]
            result = ir.Constant(llvm_type(rt), None)
            for k, v in enumerate(values):
                result = self.builder.insert_value(result, v, k)
            return result
        if name == "syncthreads":
            self.barrier()
            return ir.Constant(llvm_type(rt), 0)
        if name in ("shared.array", "local.array"):
            return self.new_array(name.split(".")[0], node, rt)
        if head == "atomic":
            return self.atomic(axis, args, in_types, rt)
        if head == "math":
            return self.math(axis, args, in_types, rt)
        raise LoweringError(f"cannot lower kernel function jitlab.cuda.{name}", line=self.line)

    def grid_axis(self, name: str, axis: str) -> ir.Value:
        b = self.builder
        if name == "grid":  # blockIdx * blockDim + threadIdx
            return b.add(b.mul(self.special("ctaid", axis), self.special("ntid", axis)),
                         self.special("tid", axis))
        return b.mul(self.special("ntid", axis), self.special("nctaid", axis))

    def new_array(self, space: str, node: Op, rt: ArrayType) -> ir.Value:
        shape = array_shape(self.inferred_const(node.inputs[0]))
        element = arrays.memory_type(dtype_of(self.inferred_const(node.inputs[1])))
        count = 1
        for n in shape:
            count *= n
        storage_type = ir.ArrayType(element, count)
        if space == "local":
            pointer = self.alloca(storage_type, name="local.array")
        else:
            pointer = self.shared_storage(storage_type)
        itemsize = arrays.itemsize(rt.dtype)
        strides, step = [], itemsize
        for n in reversed(shape):
            strides.insert(0, step)
            step *= n
        value = ir.Constant(llvm_type(rt), None)
        value = self.builder.insert_value(value, pointer, 0)
        for k, (n, s) in enumerate(zip(shape, strides)):
            value = self.builder.insert_value(value, ir.Constant(I64, n), [1, k])
            value = self.builder.insert_value(value, ir.Constant(I64, s), [2, k])
        return value

    def shared_storage(self, storage_type: ir.Type) -> ir.Value:
        name = f"jitlab.shared.{len([g for g in self.module.globals if g.startswith('jitlab.shared.')])}"
        gv = ir.GlobalVariable(self.module, storage_type, name=name, addrspace=self.shared_address_space)
        gv.linkage = "internal"
        gv.initializer = ir.Constant(storage_type, None) if self.shared_address_space == 0 else \
            ir.Constant(storage_type, ir.Undefined)
        gv.align = 16
        if self.shared_address_space == 0:
            return gv
        return self.builder.addrspacecast(gv, PTR)

    def atomic(self, op: str, args, in_types, rt: Type) -> ir.Value:
        array, index, *values = args
        at, it = in_types[0], in_types[1]
        b = self.builder
        if isinstance(it, TupleType):
            indices = [self.cast(b.extract_value(index, k), t, I64_T) for k, t in enumerate(it.items)]
        else:
            indices = [self.cast(index, it, I64_T)]
        pointer = arrays.element_pointer(self, array, at, indices)
        values = [self.cast(v, t, rt) for v, t in zip(values, in_types[2:])]
        if op == "cas":
            pair = b.cmpxchg(pointer, values[0], values[1], "monotonic", "monotonic")
            return b.extract_value(pair, 0)
        is_float = isinstance(rt, FloatType)
        signed = isinstance(rt, IntType) and rt.signed
        rmw = {"add": "fadd" if is_float else "add",
               "min": "fmin" if is_float else "min" if signed else "umin",
               "max": "fmax" if is_float else "max" if signed else "umax"}[op]
        return b.atomic_rmw(rmw, pointer, values[0], "monotonic")

    def math(self, name: str, args, in_types, rt: Type) -> ir.Value:
        b = self.builder
        if isinstance(rt, IntType):  # math.floor / math.ceil give ints in Python
            value = self.math(name, args, in_types, FloatType(64))
            return b.fptosi(value, llvm_type(rt))
        if name == "rsqrt":
            one = ir.Constant(llvm_type(rt), 1.0)
            return b.fdiv(one, self.math("sqrt", args, in_types, rt))
        ty = llvm_type(rt)
        values = [self.cast(a, t, rt) for a, t in zip(args, in_types)]
        name = {"gamma": "tgamma"}.get(name, name)  # (the device's and libm's own, not CPython's Lanczos)
        return b.call(self.math_function(name, ty, len(values)), values)


class GPUFunctionLowerer(KernelLowering, FunctionLowerer):
    """Lowers a kernel or device λ for `nvptx64-nvidia-cuda`."""

    shared_address_space = 3
    traps_on_raise = True  # a failed check (boundscheck=True, ZeroDivisionError, ...) aborts the launch

    def special(self, register: str, axis: str) -> ir.Value:
        fn = self.declare(f"llvm.nvvm.read.ptx.sreg.{register}.{axis}", ir.FunctionType(I32, []))
        return self.builder.zext(self.builder.call(fn, []), I64)

    def barrier(self) -> None:
        self.builder.call(self.declare("llvm.nvvm.barrier0", ir.FunctionType(ir.VoidType(), [])), [])

    def math_function(self, name: str, ty: ir.Type, nargs: int) -> ir.Function:
        suffix = "f" if ty == F32 else ""
        return self.declare(f"__nv_{name}{suffix}", ir.FunctionType(ty, [ty] * nargs))


class EmulatedFunctionLowerer(KernelLowering, FunctionLowerer):
    """Lowers a kernel or device λ for the CPU emulator (see `emulate.py`)."""

    def special(self, register: str, axis: str) -> ir.Value:
        gv = emulation_global(self.module, register)
        pointer = self.builder.gep(gv, [ir.Constant(I32, 0), ir.Constant(I32, "xyz".index(axis))],
                                   inbounds=True)
        return self.builder.load(pointer)

    def barrier(self) -> None:
        self.builder.call(self.declare(BARRIER_SYMBOL, ir.FunctionType(ir.VoidType(), [])), [])

    def math_function(self, name: str, ty: ir.Type, nargs: int) -> ir.Function:
        if name in CPU_INTRINSICS:
            return self.intrinsic(name, ty, nargs)
        suffix = "f" if ty == F32 else ""
        return self.declare(f"{name}{suffix}", ir.FunctionType(ty, [ty] * nargs))


BARRIER_SYMBOL = "jitlab.emulate.syncthreads"


def emulation_global(module: ir.Module, register: str) -> ir.GlobalVariable:
    """The emulator's `[3 x i64]` copy of special register `register` (tid, ctaid, ntid, nctaid)."""
    name = f"jitlab.emulate.{register}"
    return internal_global(module, name, ir.ArrayType(I64, 3))


__all__ = ["BARRIER_SYMBOL", "EmulatedFunctionLowerer", "GPUFunctionLowerer", "F64", "emulation_global"]
