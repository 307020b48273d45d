"""NumPy functions outside `np.linalg` in the Python subset jitlab compiles (see `__init__.py`)."""
import numpy as np


def kron_1d(a, b):
    p = b.shape[0]
    out = np.empty(a.shape[0] * p, (np.zeros(1, a.dtype) * np.zeros(1, b.dtype)).dtype)
    for i in range(a.shape[0]):
        for k in range(p):
            out[i * p + k] = a[i] * b[k]
    return out


def kron_2d(a, b):
    p = b.shape[0]
    q = b.shape[1]
    out = np.empty((a.shape[0] * p, a.shape[1] * q), (np.zeros(1, a.dtype) * np.zeros(1, b.dtype)).dtype)
    for i in range(a.shape[0]):
        for k in range(p):
            for j in range(a.shape[1]):
                f = a[i, j]
                for m in range(q):
                    out[i * p + k, j * q + m] = f * b[k, m]
    return out


def cross(a, b):
    if a.shape[0] != 3 or b.shape[0] != 3:
        raise ValueError("incompatible dimensions for cross product\n(dimension must be 3 in compiled "
                         "code: NumPy 2 deprecates 2)")
    out = np.empty(3, (np.zeros(1, a.dtype) * np.zeros(1, b.dtype)).dtype)
    out[0] = a[1] * b[2] - a[2] * b[1]
    out[1] = a[2] * b[0] - a[0] * b[2]
    out[2] = a[0] * b[1] - a[1] * b[0]
    return out
