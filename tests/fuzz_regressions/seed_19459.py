"""Fuzz program 19459: a saved mismatch between CPython and jitlab (tests/fuzz_regressions/saved.py)."""
SEED = 19459
SOURCE = '''\
def f(a, b, c):
    x = 7
    y = 5
    z = 3
    w1 = 0
    while w1 < 2 and (a and (z < -5 != y)):
        w1 += 1
        w2 = 0
        while True:
            w2 += 1
            if w2 > 1:
                break
            if not x:
                z = min((x * b), (c // 3)) % 997 - 498
                y = z % 997 - 498
                if (((1 // (b - a)) > (x - 9)) and (-4 < c < 6 > y)):
                    break
            elif ((y - c) >= (z - a)):
                z = -c % 997 - 498
            for i0 in range(7, 0, -1):
                z = i0 % 997
            if (((z + c) >= (z + z)) and x):
                x = (b * z) % 997 - 498
                break
            w3 = 0
            while True:
                w3 += 1
                if w3 > 6:
                    break
                x = ((c + y) - min(z, b)) % 997 - 498
                x += 4
                if c:
                    break
                y += -5
                y = ((y + a) + (x - 9)) % 997
            if ((c + b) > (x % (a % 4))):
                if (c > (x * z)):
                    return -8
            else:
                z = abs((x + z)) % 997
            y = x % 997 - 498
        x += 0
        for i0 in range(1):
            if 2:
                return (min(y, i0) and (z + i0))
    return x
'''
CASES = [((0, 0, 0), ('value', 'int', 7)),
 ((1, 2, 3), ('value', 'int', 7)),
 ((-3, 5, -7), ('value', 'int', 7)),
 ((7, -1, 0), ('value', 'int', 7)),
 ((12, 12, -12), ('value', 'int', 7)),
 ((-20, 3, 9), ('value', 'int', 7)),
 ((5, 0, 1), ('value', 'int', 7))]
JITLAB_AT_SAVE = "fuzz seed 19459, f(0, 0, 0): CPython ('value', 'int', 7), jitlab ('raise', 'LoweringError')"
