"""Fuzz program 14690: a saved mismatch between CPython and jitlab (tests/fuzz_regressions/saved.py)."""
SEED = 14690
SOURCE = '''\
def f(a, b, c):
    x = -5
    y = 6
    z = -4
    if ((b or y) >= max(z, b)):
        return ((8 or x) * y)
    w1 = 0
    while True:
        w1 += 1
        if w1 > 5:
            break
        x = z % 997
        x += 2
        if ((-7 - 7) < (x + x)):
            continue
        if (b >= z <= c):
            y = a % 997
            break
        for i0 in range(0):
            if not ((i0 // (z - -4)) < (y - y)):
                y = ((c + x) + (c - 5)) % 997
            else:
                x = a % 997 - 498
                x = i0 % 997 - 498
                if (-9 < (-9 + z)):
                    return b
            for i1 in range(z % 5):
                if -3:
                    return ((i0 * i0) + b)
                if (((i1 + -9) == (i0 % 3)) or (z != b != a <= -1)):
                    break
                x = c % 997
        else:
            if ((c <= x <= y > c) or ((b + b) != -b)):
                if not (a != x >= y != z):
                    return (c + (a or 6))
            else:
                y += 9
                y = (a and -2) % 997
                x = (x + c) % 997 - 498
    return ((z + a) // (0 - x))
'''
CASES = [((0, 0, 0), ('value', 'int', 48)),
 ((1, 2, 3), ('value', 'int', 48)),
 ((-3, 5, -7), ('value', 'int', 48)),
 ((7, -1, 0), ('value', 'int', 48)),
 ((12, 12, -12), ('value', 'int', 48)),
 ((-20, 3, 9), ('value', 'int', 48)),
 ((5, 0, 1), ('value', 'int', 48))]
JITLAB_AT_SAVE = "fuzz seed 14690, f(0, 0, 0): CPython ('value', 'int', 48), jitlab ('raise', 'TypingError')"
