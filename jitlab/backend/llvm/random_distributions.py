"""NumPy's legacy samplers beyond the uniform and the normal, in LLVM IR, bit for bit:
`legacy_standard_gamma` (Marsaglia and Tsang from `legacy_gauss`; rejection below 1),
`legacy_beta` (Johnk, or a ratio of gammas), `random_poisson` (Hoermann's PTRS from 10 on, with
NumPy's `random_loggam`) and `legacy_random_binomial` (inversion, or Kachitvichyanukul and
Schmeiser's BTPE).  Internal functions of the module that draws, like `random_mt.py`'s.
"""
from __future__ import annotations

import math

from llvmlite import ir

from .lower import F64, I64
from .random_mt import (
    _branch, _c64, _cmp, _enter, _f, _helper, _intrinsic, _standard_exponential_of, gauss_numpy,
    next_double,
)


def _return_if(fn: ir.Function, b: ir.IRBuilder, cond: ir.Value, value: ir.Value, name: str) -> None:
    """`if cond: return value`, then go on in a new block (`value` is computed before: no draws)."""
    yes, no = _branch(fn, b, cond, name)
    b.position_at_end(yes)
    b.ret(value)
    b.position_at_end(no)


def _accept_or_retry(fn: ir.Function, b: ir.IRBuilder, cond: ir.Value, value: ir.Value,
                     retry: ir.Block) -> None:
    """`if cond: return value`, else start the sampling loop `retry` over."""
    _return_if(fn, b, cond, value, "accept")
    b.branch(retry)


def _retry_if(fn: ir.Function, b: ir.IRBuilder, cond: ir.Value, retry: ir.Block, name: str) -> None:
    """`if cond: start the sampling loop retry over`, then go on in a new block."""
    back, ok = _branch(fn, b, cond, name)
    b.position_at_end(back)
    b.branch(retry)
    b.position_at_end(ok)


def gamma_numpy(module: ir.Module) -> ir.Function:
    """NumPy's `legacy_standard_gamma(shape)`: Marsaglia and Tsang's method (shape > 1, from
    `legacy_gauss`), rejection from the exponential below 1."""
    def build(fn, b):
        st, shape = fn.args
        log, pw = _intrinsic(module, "log"), _intrinsic(module, "pow", 2)
        one, other = _branch(fn, b, _cmp(b, "==", shape, _f(1.0)), "one")
        b.position_at_end(one)  # drawn only for shape 1
        b.ret(_standard_exponential_of(b, module, st))
        b.position_at_end(other)
        _return_if(fn, b, _cmp(b, "==", shape, _f(0.0)), _f(0.0), "zero")
        small, large = _branch(fn, b, _cmp(b, "<", shape, _f(1.0)), "small")
        b.position_at_end(small)
        _, again = _enter(fn, b, "small.again")
        u = b.call(next_double(module), [st])
        v = _standard_exponential_of(b, module, st)
        inv = b.fdiv(_f(1.0), shape)
        low, high = _branch(fn, b, _cmp(b, "<=", u, b.fsub(_f(1.0), shape)), "low")
        b.position_at_end(low)
        x = b.call(pw, [u, inv])
        _accept_or_retry(fn, b, _cmp(b, "<=", x, v), x, again)
        b.position_at_end(high)
        y = b.fneg(b.call(log, [b.fdiv(b.fsub(_f(1.0), u), shape)]))
        x = b.call(pw, [b.fadd(b.fsub(_f(1.0), shape), b.fmul(shape, y)), inv])
        _accept_or_retry(fn, b, _cmp(b, "<=", x, b.fadd(v, y)), x, again)
        b.position_at_end(large)
        bb = b.fsub(shape, _f(1.0 / 3.0))
        c = b.fdiv(_f(1.0), b.call(_intrinsic(module, "sqrt"), [b.fmul(_f(9.0), bb)]))
        _, outer = _enter(fn, b, "large.again")
        x = b.call(gauss_numpy(module), [st])
        v = b.fadd(_f(1.0), b.fmul(c, x))
        _retry_if(fn, b, _cmp(b, "<=", v, _f(0.0)), outer, "nonpositive")
        v = b.fmul(b.fmul(v, v), v)
        u = b.call(next_double(module), [st])
        xx = b.fmul(x, x)
        result = b.fmul(bb, v)
        quick, slow = _branch(fn, b, _cmp(b, "<", u, b.fsub(_f(1.0), b.fmul(b.fmul(_f(0.0331), xx), xx))),
                              "squeeze")
        b.position_at_end(quick)
        b.ret(result)
        b.position_at_end(slow)
        bound = b.fadd(b.fmul(b.fmul(_f(0.5), x), x),
                       b.fmul(bb, b.fadd(b.fsub(_f(1.0), v), b.call(log, [v]))))
        _accept_or_retry(fn, b, _cmp(b, "<", b.call(log, [u]), bound), result, outer)
    return _helper(module, "gamma_numpy", F64, (ir.PointerType(), F64), build)


def beta_numpy(module: ir.Module) -> ir.Function:
    """NumPy's `legacy_beta(a, b)`: Johnk's algorithm when both are at most 1, else a ratio of
    gammas."""
    def build(fn, b):
        st, a, bb = fn.args
        log, pw, exp = _intrinsic(module, "log"), _intrinsic(module, "pow", 2), _intrinsic(module, "exp")
        johnk, ratio = _branch(fn, b, b.and_(_cmp(b, "<=", a, _f(1.0)), _cmp(b, "<=", bb, _f(1.0))), "johnk")
        b.position_at_end(ratio)
        ga = b.call(gamma_numpy(module), [st, a])
        gb = b.call(gamma_numpy(module), [st, bb])
        b.ret(b.fdiv(ga, b.fadd(ga, gb)))
        b.position_at_end(johnk)
        _, again = _enter(fn, b, "johnk.again")
        u = b.call(next_double(module), [st])
        v = b.call(next_double(module), [st])
        x = b.call(pw, [u, b.fdiv(_f(1.0), a)])
        y = b.call(pw, [v, b.fdiv(_f(1.0), bb)])
        xy = b.fadd(x, y)
        inside, outside = _branch(fn, b, _cmp(b, "<=", xy, _f(1.0)), "inside")
        b.position_at_end(outside)
        b.branch(again)
        b.position_at_end(inside)
        _return_if(fn, b, _cmp(b, ">", xy, _f(0.0)), b.fdiv(x, xy), "plain")
        log_x = b.fdiv(b.call(log, [u]), a)
        log_y = b.fdiv(b.call(log, [v]), bb)
        log_m = b.select(_cmp(b, ">", log_x, log_y), log_x, log_y)
        log_x, log_y = b.fsub(log_x, log_m), b.fsub(log_y, log_m)
        total = b.fadd(b.call(exp, [log_x]), b.call(exp, [log_y]))
        b.ret(b.call(exp, [b.fsub(log_x, b.call(log, [total]))]))
    return _helper(module, "beta_numpy", F64, (ir.PointerType(), F64, F64), build)


LOGGAM_COEFFICIENTS = (8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
                       -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
                       6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01,
                       -1.39243221690590e+00)


def loggam(module: ir.Module) -> ir.Function:
    """NumPy's `random_loggam(x)`: log(gamma(x)) by Stirling's series from x + n >= 7 (Zhang and
    Jin's SPECFUN), as NumPy's Poisson sampler uses it."""
    def build(fn, b):
        x, = fn.args
        log = _intrinsic(module, "log")
        one_or_two = b.or_(_cmp(b, "==", x, _f(1.0)), _cmp(b, "==", x, _f(2.0)))
        _return_if(fn, b, one_or_two, _f(0.0), "trivial")
        small = _cmp(b, "<=", x, _f(7.0))
        n = b.select(small, b.fptosi(b.fsub(_f(7.0), x), I64), _c64(0))
        x0 = b.select(small, b.fadd(x, b.sitofp(n, F64)), x)
        x2 = b.fdiv(_f(1.0), b.fmul(x0, x0))
        gl0 = _f(LOGGAM_COEFFICIENTS[9])
        for k in range(8, -1, -1):
            gl0 = b.fadd(b.fmul(gl0, x2), _f(LOGGAM_COEFFICIENTS[k]))
        gl = b.fadd(b.fadd(b.fdiv(gl0, x0), _f(0.5 * math.log(2 * math.pi))),
                    b.fmul(b.fsub(x0, _f(0.5)), b.call(log, [x0])))
        gl = b.fsub(gl, x0)
        before = b.block
        loop = fn.append_basic_block("down")
        end = fn.append_basic_block("done")
        b.cbranch(b.icmp_signed(">", n, _c64(0)), loop, end)
        b.position_at_end(loop)
        k = b.phi(I64)
        g = b.phi(F64)
        xk = b.phi(F64)
        k.add_incoming(_c64(1), before)
        g.add_incoming(gl, before)
        xk.add_incoming(x0, before)
        g2 = b.fsub(g, b.call(log, [b.fsub(xk, _f(1.0))]))
        xk2 = b.fsub(xk, _f(1.0))
        k2 = b.add(k, _c64(1))
        k.add_incoming(k2, loop)
        g.add_incoming(g2, loop)
        xk.add_incoming(xk2, loop)
        b.cbranch(b.icmp_signed("<=", k2, n), loop, end)
        b.position_at_end(end)
        result = b.phi(F64)
        result.add_incoming(gl, before)
        result.add_incoming(g2, loop)
        b.ret(result)
    return _helper(module, "loggam", F64, (F64,), build)


def poisson_numpy(module: ir.Module) -> ir.Function:
    """NumPy's `random_poisson(lam)`: Hoermann's transformed rejection (PTRS) from 10 on, the
    product of uniforms below."""
    def build(fn, b):
        st, lam = fn.args
        log = _intrinsic(module, "log")
        ptrs, other = _branch(fn, b, _cmp(b, ">=", lam, _f(10.0)), "ptrs")
        b.position_at_end(other)
        _return_if(fn, b, _cmp(b, "==", lam, _f(0.0)), _c64(0), "zero")
        enlam = b.call(_intrinsic(module, "exp"), [b.fneg(lam)])
        before, loop = _enter(fn, b, "mult.loop")
        count = b.phi(I64)
        prod = b.phi(F64)
        count.add_incoming(_c64(0), before)
        prod.add_incoming(_f(1.0), before)
        prod2 = b.fmul(prod, b.call(next_double(module), [st]))
        more, done = _branch(fn, b, _cmp(b, ">", prod2, enlam), "more")
        b.position_at_end(done)
        b.ret(count)
        b.position_at_end(more)
        count.add_incoming(b.add(count, _c64(1)), more)
        prod.add_incoming(prod2, more)
        b.branch(loop)
        b.position_at_end(ptrs)
        slam = b.call(_intrinsic(module, "sqrt"), [lam])
        loglam = b.call(log, [lam])
        bb = b.fadd(_f(0.931), b.fmul(_f(2.53), slam))
        a = b.fadd(_f(-0.059), b.fmul(_f(0.02483), bb))
        invalpha = b.fadd(_f(1.1239), b.fdiv(_f(1.1328), b.fsub(bb, _f(3.4))))
        vr = b.fsub(_f(0.9277), b.fdiv(_f(3.6224), b.fsub(bb, _f(2.0))))
        _, again = _enter(fn, b, "ptrs.again")
        u = b.fsub(b.call(next_double(module), [st]), _f(0.5))
        v = b.call(next_double(module), [st])
        us = b.fsub(_f(0.5), b.call(_intrinsic(module, "fabs"), [u]))
        t = b.fadd(b.fadd(b.fmul(b.fadd(b.fdiv(b.fmul(_f(2.0), a), us), bb), u), lam), _f(0.43))
        k = b.fptosi(b.call(_intrinsic(module, "floor"), [t]), I64)
        _return_if(fn, b, b.and_(_cmp(b, ">=", us, _f(0.07)), _cmp(b, "<=", v, vr)), k, "quick")
        reject = b.or_(b.icmp_signed("<", k, _c64(0)),
                       b.and_(_cmp(b, "<", us, _f(0.013)), _cmp(b, ">", v, us)))
        _retry_if(fn, b, reject, again, "reject")
        lhs = b.fsub(b.fadd(b.call(log, [v]), b.call(log, [invalpha])),
                     b.call(log, [b.fadd(b.fdiv(a, b.fmul(us, us)), bb)]))
        kf = b.sitofp(k, F64)
        rhs = b.fsub(b.fadd(b.fneg(lam), b.fmul(kf, loglam)),
                     b.call(loggam(module), [b.sitofp(b.add(k, _c64(1)), F64)]))
        _accept_or_retry(fn, b, _cmp(b, "<=", lhs, rhs), k, again)
    return _helper(module, "poisson_numpy", I64, (ir.PointerType(), F64), build)


def _binomial_inversion(module: ir.Module) -> ir.Function:
    """NumPy's `random_binomial_inversion(n, p)` (n * p <= 30): walk the distribution from 0."""
    def build(fn, b):
        st, n, p = fn.args
        nf = b.sitofp(n, F64)
        q = b.fsub(_f(1.0), p)
        qn = b.call(_intrinsic(module, "exp"), [b.fmul(nf, b.call(_intrinsic(module, "log"), [q]))])
        np_ = b.fmul(nf, p)
        spread = b.call(_intrinsic(module, "sqrt"), [b.fadd(b.fmul(np_, q), _f(1.0))])
        limit = b.fadd(np_, b.fmul(_f(10.0), spread))
        bound = b.fptosi(b.select(_cmp(b, "<", nf, limit), nf, limit), I64)
        first = b.call(next_double(module), [st])
        before, head = _enter(fn, b, "walk")
        x, px, u = b.phi(I64), b.phi(F64), b.phi(F64)
        x.add_incoming(_c64(0), before)
        px.add_incoming(qn, before)
        u.add_incoming(first, before)
        step, done = _branch(fn, b, _cmp(b, ">", u, px), "step")
        b.position_at_end(done)
        b.ret(x)
        b.position_at_end(step)
        x1 = b.add(x, _c64(1))
        restart, go_on = _branch(fn, b, b.icmp_signed(">", x1, bound), "restart")
        b.position_at_end(restart)
        x.add_incoming(_c64(0), restart)
        px.add_incoming(qn, restart)
        u.add_incoming(b.call(next_double(module), [st]), restart)
        b.branch(head)
        b.position_at_end(go_on)
        x.add_incoming(x1, go_on)
        u.add_incoming(b.fsub(u, px), go_on)
        top = b.fmul(b.fmul(b.sitofp(b.add(b.sub(n, x1), _c64(1)), F64), p), px)
        px.add_incoming(b.fdiv(top, b.fmul(b.sitofp(x1, F64), q)), go_on)
        b.branch(head)
    return _helper(module, "binomial_inversion", I64, (ir.PointerType(), I64, F64), build)


def _btpe_series(b: ir.IRBuilder, a2: ir.Value, a1: ir.Value) -> ir.Value:
    """`(13680 - (462 - (132 - (99 - 140/a2)/a2)/a2)/a2)/a1/166320` (Stirling's correction)."""
    t = b.fdiv(b.fsub(_f(99.0), b.fdiv(_f(140.0), a2)), a2)
    t = b.fdiv(b.fsub(_f(132.0), t), a2)
    t = b.fdiv(b.fsub(_f(462.0), t), a2)
    return b.fdiv(b.fdiv(b.fsub(_f(13680.0), t), a1), _f(166320.0))


def _binomial_btpe(module: ir.Module) -> ir.Function:
    """NumPy's `random_binomial_btpe(n, p)`: Kachitvichyanukul and Schmeiser's BTPE (n * p > 30)."""
    def build(fn, b):
        st, n, p = fn.args
        log, floor = _intrinsic(module, "log"), _intrinsic(module, "floor")
        fabs, sqrt = _intrinsic(module, "fabs"), _intrinsic(module, "sqrt")
        nf = b.sitofp(n, F64)
        one_minus = b.fsub(_f(1.0), p)
        r = b.select(_cmp(b, "<", p, one_minus), p, one_minus)
        q = b.fsub(_f(1.0), r)
        fm = b.fadd(b.fmul(nf, r), r)
        m = b.fptosi(b.call(floor, [fm]), I64)
        mf = b.sitofp(m, F64)
        p1 = b.fadd(b.call(floor, [b.fsub(b.fmul(_f(2.195), b.call(sqrt, [b.fmul(b.fmul(nf, r), q)])),
                                          b.fmul(_f(4.6), q))]), _f(0.5))
        xm = b.fadd(mf, _f(0.5))
        xl, xr = b.fsub(xm, p1), b.fadd(xm, p1)
        c = b.fadd(_f(0.134), b.fdiv(_f(20.5), b.fadd(_f(15.3), mf)))
        a = b.fdiv(b.fsub(fm, xl), b.fsub(fm, b.fmul(xl, r)))
        laml = b.fmul(a, b.fadd(_f(1.0), b.fdiv(a, _f(2.0))))
        a = b.fdiv(b.fsub(xr, fm), b.fmul(xr, q))
        lamr = b.fmul(a, b.fadd(_f(1.0), b.fdiv(a, _f(2.0))))
        p2 = b.fmul(p1, b.fadd(_f(1.0), b.fmul(_f(2.0), c)))
        p3 = b.fadd(p2, b.fdiv(c, laml))
        p4 = b.fadd(p3, b.fdiv(c, lamr))
        nrq = b.fmul(b.fmul(nf, r), q)
        step10 = fn.append_basic_block("step10")
        step50 = fn.append_basic_block("step50")
        step60 = fn.append_basic_block("step60")
        b.branch(step10)
        b.position_at_end(step10)
        u = b.fmul(b.call(next_double(module), [st]), p4)
        v = b.call(next_double(module), [st])
        s20, s10a = _branch(fn, b, _cmp(b, ">", u, p1), "step20")
        b.position_at_end(s10a)
        y_a = b.fptosi(b.call(floor, [b.fadd(b.fsub(xm, b.fmul(p1, v)), u)]), I64)
        from_a = b.block
        b.branch(step60)
        b.position_at_end(s20)
        s30, s20a = _branch(fn, b, _cmp(b, ">", u, p2), "step30")
        b.position_at_end(s20a)
        x = b.fadd(xl, b.fdiv(b.fsub(u, p1), c))
        v_b = b.fsub(b.fadd(b.fmul(v, c), _f(1.0)),
                     b.fdiv(b.call(fabs, [b.fadd(b.fsub(mf, x), _f(0.5))]), p1))
        _retry_if(fn, b, _cmp(b, ">", v_b, _f(1.0)), step10, "reject20")
        y_b = b.fptosi(b.call(floor, [x]), I64)
        from_b = b.block
        b.branch(step50)
        b.position_at_end(s30)
        s40, s30a = _branch(fn, b, _cmp(b, ">", u, p3), "step40")
        b.position_at_end(s30a)
        y_c = b.fptosi(b.call(floor, [b.fadd(xl, b.fdiv(b.call(log, [v]), laml))]), I64)
        bad = b.or_(b.icmp_signed("<", y_c, _c64(0)), _cmp(b, "==", v, _f(0.0)))
        _retry_if(fn, b, bad, step10, "reject30")
        v_c = b.fmul(b.fmul(v, b.fsub(u, p2)), laml)
        from_c = b.block
        b.branch(step50)
        b.position_at_end(s40)
        y_d = b.fptosi(b.call(floor, [b.fsub(xr, b.fdiv(b.call(log, [v]), lamr))]), I64)
        bad = b.or_(b.icmp_signed(">", y_d, n), _cmp(b, "==", v, _f(0.0)))
        _retry_if(fn, b, bad, step10, "reject40")
        v_d = b.fmul(b.fmul(v, b.fsub(u, p3)), lamr)
        from_d = b.block
        b.branch(step50)
        # Step 50: accept or reject (y, v)
        b.position_at_end(step50)
        y = b.phi(I64)
        vv = b.phi(F64)
        for value, vvalue, block in ((y_b, v_b, from_b), (y_c, v_c, from_c), (y_d, v_d, from_d)):
            y.add_incoming(value, block)
            vv.add_incoming(vvalue, block)
        diff = b.sub(y, m)
        k = b.select(b.icmp_signed("<", diff, _c64(0)), b.neg(diff), diff)
        kf = b.sitofp(k, F64)
        far = b.and_(b.icmp_signed(">", k, _c64(20)),
                     _cmp(b, "<", kf, b.fsub(b.fdiv(nrq, _f(2.0)), _f(1.0))))
        s52, explicit = _branch(fn, b, far, "step52")
        b.position_at_end(explicit)
        s_ = b.fdiv(r, q)
        a50 = b.fmul(s_, b.sitofp(b.add(n, _c64(1)), F64))
        up = b.icmp_signed("<", m, y)
        lo = b.add(b.select(up, m, y), _c64(1))  # i runs over (min(m, y), max(m, y)]
        hi = b.select(up, y, m)
        before = b.block
        loop = fn.append_basic_block("product")
        after = fn.append_basic_block("product.done")
        b.cbranch(b.icmp_signed("<=", lo, hi), loop, after)
        b.position_at_end(loop)
        i = b.phi(I64)
        f = b.phi(F64)
        i.add_incoming(lo, before)
        f.add_incoming(_f(1.0), before)
        term = b.fsub(b.fdiv(a50, b.sitofp(i, F64)), s_)
        f2 = b.select(up, b.fmul(f, term), b.fdiv(f, term))
        i2 = b.add(i, _c64(1))
        i.add_incoming(i2, loop)
        f.add_incoming(f2, loop)
        b.cbranch(b.icmp_signed("<=", i2, hi), loop, after)
        b.position_at_end(after)
        big_f = b.phi(F64)
        big_f.add_incoming(_f(1.0), before)
        big_f.add_incoming(f2, loop)
        _retry_if(fn, b, _cmp(b, ">", vv, big_f), step10, "reject50")
        from_e = b.block
        b.branch(step60)
        # Step 52: squeeze with Stirling's formula
        b.position_at_end(s52)
        rho = b.fmul(b.fdiv(kf, nrq),
                     b.fadd(b.fdiv(b.fadd(b.fmul(kf, b.fadd(b.fdiv(kf, _f(3.0)), _f(0.625))),
                                          _f(0.16666666666666666)), nrq), _f(0.5)))
        t = b.fdiv(b.sitofp(b.mul(b.neg(k), k), F64), b.fmul(_f(2.0), nrq))
        big_a = b.call(log, [vv])
        sure, maybe = _branch(fn, b, _cmp(b, "<", big_a, b.fsub(t, rho)), "squeeze.accept")
        b.position_at_end(sure)
        from_f = b.block
        b.branch(step60)
        b.position_at_end(maybe)
        _retry_if(fn, b, _cmp(b, ">", big_a, b.fadd(t, rho)), step10, "squeeze.reject")
        x1 = b.sitofp(b.add(y, _c64(1)), F64)
        f1 = b.sitofp(b.add(m, _c64(1)), F64)
        z = b.sitofp(b.sub(b.add(n, _c64(1)), m), F64)
        w = b.sitofp(b.add(b.sub(n, y), _c64(1)), F64)
        x2, f2s, z2, w2 = b.fmul(x1, x1), b.fmul(f1, f1), b.fmul(z, z), b.fmul(w, w)
        bound = b.fmul(xm, b.call(log, [b.fdiv(f1, x1)]))
        bound = b.fadd(bound, b.fmul(b.fadd(b.sitofp(b.sub(n, m), F64), _f(0.5)),
                                     b.call(log, [b.fdiv(z, w)])))
        bound = b.fadd(bound, b.fmul(b.sitofp(b.sub(y, m), F64),
                                     b.call(log, [b.fdiv(b.fmul(w, r), b.fmul(x1, q))])))
        for a2, a1 in ((f2s, f1), (z2, z), (x2, x1), (w2, w)):
            bound = b.fadd(bound, _btpe_series(b, a2, a1))
        _retry_if(fn, b, _cmp(b, ">", big_a, bound), step10, "reject52")
        from_g = b.block
        b.branch(step60)
        b.position_at_end(step60)
        result = b.phi(I64)
        result.add_incoming(y_a, from_a)
        for block in (from_e, from_f, from_g):
            result.add_incoming(y, block)
        b.ret(b.select(_cmp(b, ">", p, _f(0.5)), b.sub(n, result), result))
    return _helper(module, "binomial_btpe", I64, (ir.PointerType(), I64, F64), build)


def binomial_numpy(module: ir.Module) -> ir.Function:
    """NumPy's `legacy_random_binomial(p, n)`: inversion while n * min(p, 1 - p) <= 30, else BTPE,
    on the smaller of p and 1 - p (no shortcut for n == 0 or p == 0: those draw once too)."""
    def build(fn, b):
        st, n, p = fn.args
        nf = b.sitofp(n, F64)
        low = _cmp(b, "<=", p, _f(0.5))
        pp = b.select(low, p, b.fsub(_f(1.0), p))
        few, many = _branch(fn, b, _cmp(b, "<=", b.fmul(pp, nf), _f(30.0)), "inversion")
        b.position_at_end(few)
        got_few = b.call(_binomial_inversion(module), [st, n, pp])
        b.ret(b.select(low, got_few, b.sub(n, got_few)))
        b.position_at_end(many)
        got_many = b.call(_binomial_btpe(module), [st, n, pp])
        b.ret(b.select(low, got_many, b.sub(n, got_many)))
    return _helper(module, "binomial_numpy", I64, (ir.PointerType(), I64, F64), build)
