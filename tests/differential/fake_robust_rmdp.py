#!/usr/bin/env python3
"""A stand-in for robust `rmdp evaluate` / `rmdp solve`, used only to test
run_robust_differential.py itself (test_robust_reference.py runs it).

It answers from robust_reference.py, so it is correct by construction;
RMDP_FAKE_BUG injects one error so the driver can be shown to catch it:
    worst_outside  worst_case[s][a] = the vertex e_t of the simplex with the
                   largest V(t) (outside U_{s,a} unless the set allows it)
    worst_nominal  worst_case = the nominal row (not a maximiser in general)
    nominal_q      Q computed with the nominal kernel at the robust V
    policy         solve returns a non-optimal deterministic policy if any
    interval       interval mode: enclosures shifted off the exact value
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, getcontext
from fractions import Fraction

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import exact_reference as ref  # noqa: E402
import robust_reference as rr  # noqa: E402


def dec(x: Fraction, rounding=None, digits=45) -> str:
    getcontext().prec = digits
    if rounding is not None:
        getcontext().rounding = rounding
    out = str(Decimal(x.numerator) / Decimal(x.denominator))
    getcontext().rounding = "ROUND_HALF_EVEN"
    return out


def show(mode, xs):
    """Printed values and the exact error bound for a list of Fractions."""
    if mode == "double":
        texts = [repr(float(x)) for x in xs]
    else:
        texts = [dec(x) for x in xs]
    err = max(abs(Fraction(t) - x) for t, x in zip(texts, xs))
    return texts, err


def cached_solve(path, rm):
    """robust_solve, cached next to the instance (the driver runs solve six
    times per instance; this keeps the self-test quick)."""
    cache = path + ".fake-solve.pickle"
    try:
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError):
        pass
    sol = rr.robust_solve(rm, check=False)
    tmp = f"{cache}.{os.getpid()}"
    with open(tmp, "wb") as fh:
        pickle.dump(sol, fh)
    os.replace(tmp, cache)
    return sol


def main(argv):
    bug = os.environ.get("RMDP_FAKE_BUG", "")
    cmd = argv[1]
    path = argv[2]
    mode = argv[argv.index("--arith") + 1] if "--arith" in argv else "exact"
    rm = rr.load_robust_mdp(path)
    n, m = rm.n, rm.m
    out = {"arith": mode}
    if cmd == "evaluate":
        pol = ref.load_policy(argv[argv.index("--policy") + 1], rm.mdp)
        if "--nominal" in argv or rm.utype == "none":
            V, Q = ref.evaluate(rm.mdp, pol)
            worst = None
            out["kernel"] = "nominal"
        else:
            ev = rr.robust_evaluate(rm, pol, check=False)
            V, Q = ev.V, ev.Q
            worst = [[list(ev.argmax[s][a][0]) for a in range(m)] for s in range(n)]
            if bug == "worst_outside":
                t = max(range(n), key=lambda k: V[k])
                worst = [[[Fraction(int(k == t)) for k in range(n)] for a in range(m)] for s in range(n)]
            if bug == "worst_nominal":
                worst = [[list(rm.P[s][a]) for a in range(m)] for s in range(n)]
            if bug == "nominal_q":
                Q = [[rm.cost[s][a] + rm.gamma * rr.dot(rm.P[s][a], V) for a in range(m)]
                     for s in range(n)]
            out["kernel"] = "robust"
    else:
        sol = cached_solve(path, rm)
        V, Q = sol.V, sol.Q
        actions = sol.optimal[-1]
        if bug == "policy":
            bad = [k for k in sol.values if sol.values[k] != sol.V]
            if bad:
                actions = bad[0]
        out["policy"] = [["1" if a == b else "0" for b in range(m)] for a in actions]
        worst = None
    flatQ = [q for row in Q for q in row]
    if mode == "exact":
        out["V"] = [ref.format_fraction(x) for x in V]
        out["Q"] = [[ref.format_fraction(x) for x in row] for row in Q]
    elif mode.startswith("interval:"):
        shift = Fraction(1, 10**20) if bug == "interval" else 0

        def enclose(x):
            lo = dec(x + shift - Fraction(1, 10**35), ROUND_FLOOR)
            hi = dec(x + shift + Fraction(1, 10**35), ROUND_CEILING)
            return f"[{lo},{hi}]"
        out["V"] = [enclose(x) for x in V]
        out["Q"] = [[enclose(x) for x in row] for row in Q]
        worst = None
    else:
        tv, ev_ = show(mode, V)
        tq, eq_ = show(mode, flatQ)
        out["V"] = tv
        out["Q"] = [tq[s * m:(s + 1) * m] for s in range(n)]
        out["V_error_bound"] = "%.6e" % (2 * float(ev_) + 1e-300)
        out["Q_error_bound"] = "%.6e" % (2 * float(eq_) + 1e-300)
    if worst is not None:
        out["worst_case"] = [[[ref.format_fraction(x) for x in row] for row in per] for per in worst]
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
