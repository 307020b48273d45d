"""Fuzz program 74100: a saved mismatch between CPython and jitlab (tests/fuzz_regressions/saved.py)."""
SEED = 74100
SOURCE = '''\
def f(a, b, c):
    x = 7
    y = -1
    z = 8
    if ((a != a > -9) or ((y + y) >= (4 - b))):
        if (-b > abs(-4)):
            return ((c * a) * b)
        y = b % 997
    elif a:
        if ((x and 2) > (x + a)):
            return c
    elif (a == -a):
        x = -a % 997 - 498
    z = (z + min(b, -4)) % 997 - 498
    if ((x + y) > -7):
        w1 = 0
        while True:
            w1 += 1
            if w1 > 2:
                break
            if (-4 <= -7):
                break
            y = -z % 997 - 498
            if ((c - y) >= x):
                break
    elif 6:
        x = --3 % 997 - 498
        w2 = 0
        while w2 < 6 and (-4 != x >= z):
            w2 += 1
            if (y and (z > c > b < -9)):
                y = a % 997
                y = ((y - c) - 7) % 997 - 498
                z += -3
            elif (((y - z) <= (b + a)) and ((x * y) == z)):
                x += 4
                z = ((y + z) * -9) % 997
            elif ((6 + b) > abs(c)):
                z += 9
        w3 = 0
        while w3 < 1 and (z == (z + x)):
            w3 += 1
            z += 0
            x = -x % 997 - 498
            if 2:
                continue
    elif ((c >= a != y) or (x == a >= y)):
        if (-3 >= x >= x > z):
            z = x % 997 - 498
        elif ((a - z) == (c or x)):
            for i0 in range(0):
                if (y <= -i0):
                    continue
                if ((a - b) >= i0):
                    continue
            else:
                z = a % 997
                z += -3
                if ((a <= y < z) and (4 > b != z > x)):
                    return ((b % -5) + (a + c))
            x += -2
        elif ((a // 3) <= y):
            w4 = 0
            while w4 < 4:
                w4 += 1
                if (a < 9 < 9):
                    continue
                z = b % 997
                z += -5
        else:
            x += 4
            y = (-x - (b // 3)) % 997
        y += 4
    return max((x * a), (b + -6))
'''
CASES = [((0, 0, 0), ('value', 'int', 0)),
 ((1, 2, 3), ('value', 'int', 7)),
 ((-3, 5, -7), ('value', 'int', -1)),
 ((7, -1, 0), ('value', 'int', 49)),
 ((12, 12, -12), ('value', 'int', 84)),
 ((-20, 3, 9), ('value', 'int', 9)),
 ((5, 0, 1), ('value', 'int', 35))]
JITLAB_AT_SAVE = ('fuzz seed 74100: the process aborted: LLVM ERROR: Symbol not found: __udivti3'
                  ' (a loop trip count LLVM widened to i128 and divided by 9)')
