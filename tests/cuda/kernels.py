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


BLOCK = 128  # threads per block of the kernels below that use shared memory
TILE = 16    # tiled matmul: TILE x TILE threads per block


@cuda.kernel
def block_reduce(x, out):
    """One partial sum per block: a tree reduction in shared memory, a barrier per level."""
    partial = cuda.shared.array(BLOCK, cuda.float64)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    partial[t] = x[i] if i < len(x) else 0.0
    cuda.syncthreads()
    step = BLOCK // 2
    while step > 0:
        if t < step:
            partial[t] += partial[t + step]
        cuda.syncthreads()
        step //= 2
    if t == 0:
        out[cuda.blockIdx.x] = partial[0]


@cuda.kernel
def tiled_matmul(a, b, c):
    """c = a @ b with TILE x TILE tiles of a and b staged in shared memory."""
    sa = cuda.shared.array((TILE, TILE), cuda.float64)
    sb = cuda.shared.array((TILE, TILE), cuda.float64)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    row = cuda.blockIdx.y * TILE + ty
    col = cuda.blockIdx.x * TILE + tx
    n = a.shape[1]
    acc = 0.0
    for start in range(0, n, TILE):
        sa[ty, tx] = a[row, start + tx] if row < a.shape[0] and start + tx < n else 0.0
        sb[ty, tx] = b[start + ty, col] if start + ty < n and col < b.shape[1] else 0.0
        cuda.syncthreads()
        for k in range(TILE):
            acc += sa[ty, k] * sb[k, tx]
        cuda.syncthreads()
    if row < c.shape[0] and col < c.shape[1]:
        c[row, col] = acc


@cuda.kernel
def block_scan(x, out):
    """Inclusive prefix sum within each block (Hillis-Steele, double-buffered in shared memory)."""
    buf = cuda.shared.array((2, BLOCK), cuda.int64)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    buf[0, t] = x[i] if i < len(x) else 0
    cuda.syncthreads()
    src = 0
    offset = 1
    while offset < BLOCK:
        dst = 1 - src
        if t >= offset:
            buf[dst, t] = buf[src, t] + buf[src, t - offset]
        else:
            buf[dst, t] = buf[src, t]
        cuda.syncthreads()
        src = dst
        offset *= 2
    if i < len(out):
        out[i] = buf[src, t]
