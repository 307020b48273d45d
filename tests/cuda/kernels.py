"""The kernel suite: small CUDA kernels written with `jitlab.cuda`, shared by the tests and benchmarks."""
import math

from jitlab import cuda


def scale(v):  # a device function: a plain Python function called from kernels
    return 2.0 * v


@cuda.kernel
def vector_add(x, y, out):
    i = cuda.grid(1)
    if i < len(out):
        out[i] = x[i] + y[i]


@cuda.kernel
def saxpy(a, x, y, out):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if i < len(out):
        out[i] = a * x[i] + y[i]


@cuda.kernel
def stencil_2d(a, out):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    j = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    if 0 < i and i < len(a) - 1 and 0 < j and j < len(a[0]) - 1:
        out[i][j] = 0.25 * (a[i - 1][j] + a[i + 1][j] + a[i][j - 1] + a[i][j + 1])


@cuda.kernel
def histogram(data, bins):
    i = cuda.grid(1)
    stride = cuda.gridsize(1)
    while i < len(data):
        cuda.atomic.add(bins, data[i] % len(bins), 1)
        i += stride


@cuda.kernel
def atomics(ints, floats, values):
    i = cuda.grid(1)
    if i < len(values):
        cuda.atomic.max(ints, 0, values[i])
        cuda.atomic.min(ints, 1, values[i])
        cuda.atomic.add(floats, 0, 0.5)
        cuda.atomic.cas(ints, 2, 0, i + 1)


@cuda.kernel
def math_kernel(x, out32, out64):
    i = cuda.grid(1)
    if i < len(x):
        out64[i] = math.sqrt(x[i]) + math.sin(x[i]) + scale(x[i])
        out32[i] = cuda.math.exp(out32[i])


@cuda.kernel
def local_reverse(x, out):
    i = cuda.grid(1)
    if i < len(out):
        tmp = cuda.local.array(4, cuda.float64)
        for k in range(4):
            tmp[k] = x[i] + k
        out[i] = tmp[3] - tmp[0]
