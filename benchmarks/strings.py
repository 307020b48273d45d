"""Strings in compiled code: jitlab next to Numba and CPython, same process, alternating.

    python benchmarks/strings.py [--words N] [--repeat R] [--quick]

Each kernel takes one `str` argument, a text of `words` words (ASCII with a few non-ASCII ones,
so CPython and Numba hold it in their wider kinds): counting vowels character by character,
counting words into a dict, a Caesar shift built with `"".join`, counting a substring with
`find`, filtering split words by comparisons and `startswith`, and `str(int)` concatenation.
Prints the best of `repeat` runs in milliseconds, jitlab/Numba and jitlab/CPython per kernel,
then the geometric means.  Argument conversion is part of every call (a str argument is copied
in by both JITs).
"""
from __future__ import annotations

import argparse
import random
import sys
import time

from bench_support import gmean, optional_numba


def count_vowels(text):
    n = 0
    for c in text:
        if c in "aeiou":
            n += 1
    return n


def word_count(text):
    counts = {}
    for w in text.split():
        if w in counts:
            counts[w] += 1
        else:
            counts[w] = 1
    return len(counts)


def caesar(text):
    out = "".join([chr((ord(c) - 97 + 3) % 26 + 97) if "a" <= c <= "z" else c for c in text])
    return len(out)


def find_all(text):
    n = 0
    at = text.find("the")
    while at >= 0:
        n += 1
        at = text.find("the", at + 1)
    return n


def filter_words(text):
    n = 0
    for w in text.split(" "):
        if w < "m" and not w.startswith("th") and len(w) > 2:
            n += 1
    return n


def int_strings(text):
    total = 0
    for i in range(len(text) // 8):
        total += len(str(i) + "," + text[i:i + 3])
    return total


KERNELS = (count_vowels, word_count, caesar, find_all, filter_words, int_strings)
VOCABULARY = ("the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "théâtre", "naïve", "straße",
              "alpha", "beta", "gamma", "delta", "then", "there", "other", "mother", "zebra")


def make_text(words: int) -> str:
    rng = random.Random(42)
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def best_ms(f, text: str) -> float:
    start = time.perf_counter()
    f(text)
    return (time.perf_counter() - start) * 1e3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a small text, two rounds (a smoke test)")
    args = parser.parse_args(argv)
    words, repeat = (2_000, 2) if args.quick else (args.words, args.repeat)
    text = make_text(words)
    import jitlab

    numba = optional_numba()
    print(f"{'kernel':13s} {'jitlab ms':>10s} {'numba ms':>10s} {'cpython ms':>11s} {'jitlab/numba':>13s} "
          f"{'jitlab/cpython':>15s}")
    vs_numba, vs_cpython = [], []
    sample = make_text(300)
    for kernel in KERNELS:
        jitted = jitlab.jit(kernel, tier=1)
        other = numba.njit(kernel) if numba is not None else None
        assert jitted(sample) == kernel(sample) and (other is None or other(sample) == kernel(sample))
        tj, tn, tc = [], [], []
        for _ in range(repeat):  # alternate, so all see the same machine load
            tj.append(best_ms(jitted, text))
            if other is not None:
                tn.append(best_ms(other, text))
            tc.append(best_ms(kernel, text))
        vs_cpython.append(min(tj) / min(tc))
        shown_numba, ratio = "-", "-"
        if other is not None:
            vs_numba.append(min(tj) / min(tn))
            shown_numba, ratio = f"{min(tn):.2f}", f"{vs_numba[-1]:.2f}"
        print(f"{kernel.__name__:13s} {min(tj):10.2f} {shown_numba:>10s} {min(tc):11.2f} {ratio:>13s} "
              f"{vs_cpython[-1]:15.3f}")
    if vs_numba:
        print(f"geometric mean jitlab/numba {gmean(vs_numba):.2f}")
    print(f"geometric mean jitlab/cpython {gmean(vs_cpython):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
