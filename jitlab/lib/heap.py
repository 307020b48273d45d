"""`heapq`'s functions on lists, in the Python subset jitlab compiles (`heapq.heappush(h, item)`
in compiled code calls these; the IR interpreter runs `heapq` itself).

A heap is a list with `h[k] <= h[2k + 1]` and `h[k] <= h[2k + 2]`; items compare with `<` only,
as `heapq` compares them (numbers, or tuples of numbers: `(priority, node)`), so ties resolve as
CPython's do and the same operations leave the same list.
"""
from __future__ import annotations


def _rise(h, start, pos):
    """Move `h[pos]` up towards `start` past every parent greater than it."""
    item = h[pos]
    while pos > start:
        up = (pos - 1) >> 1
        parent = h[up]
        if item < parent:
            h[pos] = parent
            pos = up
        else:
            break
    h[pos] = item


def _sink(h, pos):
    """Move `h[pos]` down to a leaf along the smaller children, then up to its place (the
    bottom-up variant `heapq` uses: fewer comparisons on average)."""
    end = len(h)
    start = pos
    item = h[pos]
    child = 2 * pos + 1
    while child < end:
        right = child + 1
        if right < end and not h[child] < h[right]:
            child = right
        h[pos] = h[child]
        pos = child
        child = 2 * pos + 1
    h[pos] = item
    _rise(h, start, pos)


def heappush(h, item):
    h.append(item)
    _rise(h, 0, len(h) - 1)


def heappop(h):
    if len(h) == 0:
        raise IndexError("index out of range")
    last = h.pop()
    if len(h) == 0:
        return last
    top = h[0]
    h[0] = last
    _sink(h, 0)
    return top


def heapreplace(h, item):
    if len(h) == 0:
        raise IndexError("index out of range")
    top = h[0]
    h[0] = item
    _sink(h, 0)
    return top


def heappushpop(h, item):
    if len(h) > 0 and h[0] < item:
        top = h[0]
        h[0] = item
        _sink(h, 0)
        return top
    return item


def heapify(h):
    for k in range(len(h) // 2 - 1, -1, -1):
        _sink(h, k)
