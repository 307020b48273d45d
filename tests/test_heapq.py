"""`heapq` on lists in compiled code (jitlab/lib/heap.py, compiled by jitlab): the same heaps and
results as CPython's `heapq`, with numbers and with (priority, item) tuples."""
from __future__ import annotations

import heapq
import random

import pytest

import jitlab
from jitlab.errors import TypingError
from jitlab.lib import heap


def dijkstra(n):
    dist = [1e18] * n
    dist[0] = 0.0
    h = [(0.0, 0)]
    while h:
        d, u = heapq.heappop(h)
        if d > dist[u]:
            continue
        for v, w in ((u + 1) % n, 1.0 + u % 3), ((u * 7) % n, 2.5):
            nd = d + w
            if nd < dist[v]:
                dist[v] = nd
                heapq.heappush(h, (nd, v))
    return dist


def heap_ops(n):
    xs = [(i * 7919) % 101 for i in range(n)]
    heapq.heapify(xs)
    a = heapq.heapreplace(xs, 50) if xs else -1
    b = heapq.heappushpop(xs, 3)
    before = list(xs)
    out = []
    while xs:
        out.append(heapq.heappop(xs))
    return a, b, before, out


def pop_empty(n):
    h = [1.5] * n
    for _ in range(n + 1):
        heapq.heappop(h)
    return h


@pytest.mark.parametrize("f, n", [(dijkstra, 30), (dijkstra, 1), (heap_ops, 0), (heap_ops, 1), (heap_ops, 40),
                                  (pop_empty, 0), (pop_empty, 3)])
def test_heapq_matches_cpython(f, n):
    try:
        want = f(n)
    except IndexError as e:
        with pytest.raises(IndexError, match=str(e)):
            jitlab.jit(f)(n)
    else:
        assert jitlab.jit(f)(n) == want


def test_the_implementation_makes_cpythons_heaps():
    rng = random.Random(5)
    for _ in range(200):
        items = [rng.randrange(20) for _ in range(rng.randrange(30))]
        mine, theirs = list(items), list(items)
        heap.heapify(mine)
        heapq.heapify(theirs)
        assert mine == theirs
        for _ in range(10):
            v = rng.randrange(20)
            if rng.random() < 0.5 or not mine:
                heap.heappush(mine, v)
                heapq.heappush(theirs, v)
            else:
                assert heap.heappop(mine) == heapq.heappop(theirs)
            assert mine == theirs


def test_pushing_widens_the_callers_list_or_names_it():
    def f(n):
        h = [1, 2]
        heapq.heappush(h, 0.5)  # ints meet a float: the list holds floats (NumPy's rule)
        return h
    assert jitlab.jit(f)(1) == [0.5, 2.0, 1.0]

    def g(n):
        h = [(1, 2)]
        heapq.heappush(h, 0.5)
        return h
    with pytest.raises(TypingError, match="list h: pushing a f64 meets items of type tuple"):
        jitlab.jit(g)(1)
