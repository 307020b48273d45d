"""Fuzz program 7746: a saved mismatch between CPython and jitlab (tests/fuzz_regressions/saved.py)."""
SEED = 7746
SOURCE = '''\
def f(a, b, c):
    x = -8
    y = -4
    z = 5
    for i0 in range(2):
        z = a % 997 - 498
        if (((1 // -5) > -5) or (min(y, z) > (b or x))):
            continue
        if (min(z, i0) <= (y + a)):
            x += -5
        elif (i0 != -4 <= i0 <= z):
            for i1 in range(5):
                if i0:
                    return (c + min(3, i1))
                x = (-i0 * -9) % 997 - 498
                y = c % 997 - 498
        elif (max(x, i0) > (i0 * c)):
            if ((b + c) != (i0 // (b % 4))):
                continue
        else:
            if -9:
                z = -9 % 997
                x += -2
            else:
                if not (a > b > c):
                    break
                x = a % 997
                y = ((i0 - a) % 7) % 997 - 498
    return -y
'''
CASES = [((0, 0, 0), ('value', 'int', 4)),
 ((1, 2, 3), ('value', 'int', 4)),
 ((-3, 5, -7), ('value', 'int', 4)),
 ((7, -1, 0), ('value', 'int', 4)),
 ((12, 12, -12), ('value', 'int', 4)),
 ((-20, 3, 9), ('value', 'int', 4)),
 ((5, 0, 1), ('value', 'int', 4))]
JITLAB_AT_SAVE = "fuzz seed 7746, f(0, 0, 0): CPython ('value', 'int', 4), jitlab ('raise', 'TypingError')"
