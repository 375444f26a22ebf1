#!/usr/bin/env python3
"""Differential test of KL worst cases: `rmdp evaluate` against kl_reference.py.

Usage: run_kl_differential.py RMDP_BINARY [--count N] [--seed S]

Each random row (q over n successor states, values V, radius r = k/8) becomes an
MDP whose state 0 has cost 0 and nominal row q over the absorbing states
1..n, state t absorbing with cost V_t / 2, gamma = 1/2, one action and a `kl`
set of radius r: absorbing rows are point masses, whose KL ball is the point
itself, so V(t) = V_t and V(0) = max_{KL(p||q) <= r} <p, V> / 2. Rows have ties
in V, zero entries in q, r = 0 and radii beyond -log q(M) (the special case).

Compared, with T = the reference's bracket [ref, ref + width] for the worst case
(every bound below is rmdp's own rigorous one, nothing is tuned):
  evaluate --arith double, mpfr:256  |V(0) - T/2| <= V_error_bound (reported)
  evaluate --arith interval:128      the enclosure of V(0) meets T/2
Exit 0 iff every comparison passes.
"""

from __future__ import annotations

import argparse
import decimal
import json
import os
import random
import subprocess
import sys
import tempfile
from decimal import Decimal
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kl_reference import PREC, kl_worst_case  # noqa: E402


def random_row(rng: random.Random):
    n = rng.randint(1, 5)
    w = [0 if rng.random() < 0.3 else rng.randint(1, 6) for _ in range(n)]
    if sum(w) == 0:
        w[rng.randrange(n)] = 1
    q = [Fraction(x, sum(w)) for x in w]
    pool = [Fraction(rng.randint(-8, 8), rng.choice([1, 2, 4])) for _ in range(3)]
    V = [rng.choice(pool) for _ in range(n)]  # ties on purpose
    r = Fraction(rng.randint(0, 9), 8)
    return q, V, r


def mdp_json(q, V, r):
    n = len(q)
    S = n + 1
    P = [[[str(x) for x in [Fraction(0)] + q]]]
    cost = [["0"]]
    for t in range(1, S):
        P.append([[("1" if j == t else "0") for j in range(S)]])
        cost.append([str(V[t - 1] / 2)])
    return {"states": S, "actions": 1, "gamma": "1/2", "cost": cost, "P": P,
            "uncertainty": {"type": "kl", "radius": str(r)}}


def run(rmdp, mdp_file, pol_file, arith):
    out = subprocess.run([rmdp, "evaluate", mdp_file, "--policy", pol_file, "--arith", arith, "--json"],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"rmdp evaluate --arith {arith} exited {out.returncode}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def dec(text: str) -> Decimal:
    f = Fraction(text)
    return Decimal(f.numerator) / Decimal(f.denominator)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("rmdp")
    ap.add_argument("--count", type=int, default=int(os.environ.get("RMDP_KL_DIFF_COUNT", "25")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("RMDP_KL_DIFF_SEED", "1")))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    passed = failed = 0
    decimal.getcontext().prec = PREC
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.count):
            q, V, r = random_row(rng)
            ref, width = kl_worst_case(q, V, r)
            lo, hi = ref / 2, (ref + width) / 2  # the exact V(0) lies in [lo, hi]
            mdp_file = os.path.join(tmp, f"kl{i}.json")
            pol_file = os.path.join(tmp, f"kl{i}-policy.json")
            with open(mdp_file, "w") as f:
                json.dump(mdp_json(q, V, r), f)
            with open(pol_file, "w") as f:
                json.dump({"policy": [[1]] * (len(q) + 1)}, f)
            what = f"row {i}: q={[str(x) for x in q]} V={[str(x) for x in V]} r={r}"
            for arith in ("double", "mpfr:256"):
                rep = run(args.rmdp, mdp_file, pol_file, arith)
                v, e = dec(rep["V"][0]), dec(rep["V_error_bound"])
                ok = lo - e <= v <= hi + e
                passed += ok
                failed += not ok
                if not ok:
                    print(f"FAIL {what} {arith}: V(0) = {v}, reference [{lo}, {hi}], bound {e}")
            rep = run(args.rmdp, mdp_file, pol_file, "interval:128")
            elo, ehi = (dec(x) for x in rep["V"][0].strip("[]").split(","))
            ok = elo <= hi and lo <= ehi
            passed += ok
            failed += not ok
            if not ok:
                print(f"FAIL {what} interval:128: [{elo}, {ehi}] misses reference [{lo}, {hi}]")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
