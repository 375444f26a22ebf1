#!/usr/bin/env python3
"""Independent reference for the KL worst case max {<p, V> : p << q, KL(p||q) <= r}
(natural log), in Python's decimal module at high precision, written from the
math (docs/robust.md, "KL balls") and sharing no code with rmdp.

Method: with a = V - max_{supp q} V and p_beta proportional to q exp(beta a),
KL(p_beta||q) increases in beta from 0 to -log q(M) (M = the maximisers of V on
supp q). r = 0: the answer is <q, V>. r >= -log q(M): the answer is max V on
supp q. Otherwise plain bisection on beta for KL(p_beta||q) = r. For every
feasible beta, <p_beta, V> <= answer <= Vmax + (log Z + r)/beta (weak duality),
so the reference returns the primal value and the width of that bracket.

Run directly: a self-test on cases with closed forms.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

PREC = 90


def _dec(x: Fraction) -> Decimal:
    return Decimal(x.numerator) / Decimal(x.denominator)


def kl_worst_case(q: list[Fraction], V: list[Fraction], r: Fraction) -> tuple[Decimal, Decimal]:
    """(value, bracket width): value <= true worst case <= value + width."""
    with decimal.localcontext() as ctx:
        ctx.prec = PREC
        supp = [i for i, x in enumerate(q) if x != 0]
        vmax = max(V[i] for i in supp)
        if r == 0:
            return _dec(sum(q[i] * V[i] for i in supp)), Decimal(0)
        qM = sum(q[i] for i in supp if V[i] == vmax)
        if qM == 1 or _dec(r) >= -_dec(qM).ln():
            return _dec(vmax), Decimal(0)
        qd = {i: _dec(q[i]) for i in supp}
        a = {i: _dec(V[i] - vmax) for i in supp}
        rd = _dec(r)

        def tilt(beta: Decimal):
            w = {i: qd[i] * (beta * a[i]).exp() for i in supp}
            Z = sum(w.values())
            p = {i: w[i] / Z for i in supp}
            Ea = sum(p[i] * a[i] for i in supp)
            return p, Ea, beta * Ea - Z.ln(), Z.ln()

        lo, hi = Decimal(0), Decimal(1)
        while tilt(hi)[2] <= rd:
            lo, hi = hi, hi * 2
        for _ in range(600):
            mid = (lo + hi) / 2
            if tilt(mid)[2] <= rd:
                lo = mid
            else:
                hi = mid
        if lo == 0:
            raise RuntimeError("bisection found no positive feasible beta")
        _, Ea, kl, logZ = tilt(lo)
        value = _dec(vmax) + Ea
        dual = _dec(vmax) + (logZ + rd) / lo
        return value, dual - value


def _self_test() -> None:
    F = Fraction
    # Special case: V constant, r = 0, and r >= -log q(M) give closed forms.
    assert kl_worst_case([F(1, 2), F(1, 2)], [F(3), F(3)], F(1, 8))[0] == 3
    assert kl_worst_case([F(1, 2), F(1, 4), F(1, 4)], [F(0), F(4), F(8)], F(0))[0] == 3
    assert kl_worst_case([F(1, 2), F(1, 4), F(1, 4)], [F(3), F(3), F(1)], F(3, 8))[0] == 3  # -log(3/4) = 0.2877
    # Two points, q = (1/2, 1/2), V = (0, 1): the maximiser is (1 - t, t) with
    # KL = log 2 + t log t + (1-t) log(1-t) = r; check that relation at the answer t = value.
    with decimal.localcontext() as ctx:
        ctx.prec = PREC
        v, w = kl_worst_case([F(1, 2), F(1, 2)], [F(0), F(1)], F(1, 10))
        assert w < Decimal("1e-80"), w
        t = v
        kl = Decimal(2).ln() + t * t.ln() + (1 - t) * (1 - t).ln()
        assert abs(kl - Decimal("0.1")) < Decimal("1e-70"), kl
    # Monotone in r, and between <q, V> and max V.
    q, V = [F(1, 6), F(1, 3), F(1, 2)], [F(-1), F(2), F(1, 2)]
    prev = None
    for k in range(1, 10):
        v, _ = kl_worst_case(q, V, F(k, 8))
        assert Decimal(3) / 4 - Decimal("1e-80") <= v <= 2
        assert prev is None or v >= prev
        prev = v
    print("kl_reference self-test passed")


if __name__ == "__main__":
    _self_test()
