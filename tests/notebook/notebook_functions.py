"""Functions the notebook tests compile and explore (a module, so `inspect.getsource` finds them)."""


def loop_function(n):
    s = 0.0
    for i in range(n):
        if i % 3 == 0:
            s += i * 0.5
        else:
            s -= 1.0
    return s
