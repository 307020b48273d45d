"""Fuzz program 8439: a saved mismatch between CPython and jitlab (tests/fuzz_regressions/saved.py)."""
SEED = 8439
SOURCE = '''\
def f(a, b, c):
    x = 0
    y = 7
    z = 0
    w1 = 0
    while w1 < 3 and ((a <= b >= a < 7) or (z <= c < -6 >= x)):
        w1 += 1
        if ((y + b) > (c % 7)):
            continue
        if (-4 != 4):
            w2 = 0
            while w2 < 6:
                w2 += 1
                y = ((9 - c) - max(a, c)) % 997 - 498
        elif ((max(b, y) <= (-4 and c)) or ((2 - c) > (c or 2))):
            if (a > -1 >= b == y):
                break
            for i0 in range(4, -2, -1):
                if ((i0 * b) <= (z - z)):
                    break
                if c:
                    return ((i0 or i0) + -z)
                x += -4
            for i0 in range(4):
                x += 9
                z += 7
        elif (((y + c) < y) or (-4 < x < b != z)):
            for i0 in range(2):
                y = -9 % 997
            w3 = 0
            while True:
                w3 += 1
                if w3 > 6:
                    break
                y = a % 997 - 498
                y = ((c - y) and c) % 997
                if (0 == (4 * a)):
                    break
                if (b >= c > b):
                    y = ((x and b) + x) % 997 - 498
                    return (z + b)
                x = (--7 // (x - c)) % 997
        if (((b and x) < (z // 3)) or (c > b == z)):
            if c:
                continue
            z = (min(x, x) + a) % 997
            w4 = 0
            while w4 < 6 and z:
                w4 += 1
                x = b % 997
                x = (-3 - (-7 - b)) % 997
        elif ((-a < (c or a)) and z):
            z = a % 997
            y = (max(z, b) or -x) % 997
    z = max(y, (6 * -4)) % 997 - 498
    if ((z * y) >= max(c, -5)):
        z = min(z, abs(a)) % 997 - 498
        w5 = 0
        while True:
            w5 += 1
            if w5 > 5:
                break
            if (a == abs(a)):
                x = (abs(y) // (y % 4)) % 997
            if ((b and -4) <= 4):
                y += -3
                break
            z = x % 997 - 498
            for i0 in range(7, -1, -3):
                x = ((c - y) - (a + x)) % 997
                y = -y % 997
            for i0 in range(1):
                z = a % 997 - 498
    else:
        x = b % 997
        if c:
            return (1 // (1 % 4))
        z = ((c % 7) - min(y, -2)) % 997 - 498
    return ((-1 + y) - (z * y))
'''
CASES = [((0, 0, 0), ('value', 'int', 3478)),
 ((1, 2, 3), ('value', 'int', 1)),
 ((-3, 5, -7), ('value', 'int', 1)),
 ((7, -1, 0), ('value', 'int', 3478)),
 ((12, 12, -12), ('value', 'int', 1)),
 ((-20, 3, 9), ('value', 'int', 1)),
 ((5, 0, 1), ('value', 'int', 1))]
JITLAB_AT_SAVE = "fuzz seed 8439, f(0, 0, 0): CPython ('value', 'int', 3478), jitlab ('raise', 'TypingError')"
