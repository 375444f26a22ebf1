#!/usr/bin/env python3
"""A stand-in for `rmdp evaluate`, used only to test run_differential.py itself.

It answers from exact_reference.py (so it is correct by construction), and
RMDP_FAKE_BUG injects one kind of error so the driver can be shown to catch it:
    exact     Q[0][0] off by 10^-30 in exact mode (instances with n >= 3)
    noncanon  V[0] printed as an unreduced fraction in exact mode (n >= 3)
    bound     V_error_bound smaller than the actual error in double/mpfr mode (n >= 3)
"""

from __future__ import annotations

import json
import os
import sys
from decimal import Decimal, getcontext
from fractions import Fraction

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import exact_reference as ref  # noqa: E402


def main(argv):
    if len(argv) < 4 or argv[1] != "evaluate" or "--policy" not in argv:
        print("usage: fake_rmdp.py evaluate MDP --policy POL --json [--arith MODE]", file=sys.stderr)
        return 2
    mdp_path = argv[2]
    pol_path = argv[argv.index("--policy") + 1]
    mode = argv[argv.index("--arith") + 1] if "--arith" in argv else "exact"
    bug = os.environ.get("RMDP_FAKE_BUG", "")
    try:
        mdp = ref.load_mdp(mdp_path)
        policy = ref.load_policy(pol_path, mdp)
    except ref.InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    V, Q = ref.evaluate(mdp, policy)
    if mode == "exact":
        out = ref.reference_json(mdp, policy)
        if bug == "exact" and mdp.n >= 3:
            out["Q"][0][0] = ref.format_fraction(Q[0][0] + Fraction(1, 10**30))
        if bug == "noncanon" and mdp.n >= 3:
            out["V"][0] = f"{2 * V[0].numerator}/{2 * V[0].denominator}"
    elif mode == "double" or mode.startswith("mpfr:"):
        if mode == "double":
            def show(x):
                return repr(float(x))
        else:
            getcontext().prec = 70

            def show(x):
                return str(Decimal(x.numerator) / Decimal(x.denominator))
        Vs = [show(v) for v in V]
        Qs = [[show(q) for q in row] for row in Q]
        err_v = max(abs(Fraction(s) - v) for s, v in zip(Vs, V))
        err_q = max(abs(Fraction(s) - q) for rs, rq in zip(Qs, Q) for s, q in zip(rs, rq))
        bound_v, bound_q = 2 * err_v + Fraction(1, 10**300), 2 * err_q + Fraction(1, 10**300)
        if bug == "bound" and mdp.n >= 3:
            bound_v = err_v / 4
        out = {"V": Vs, "Q": Qs,
               "V_error_bound": "%.6e" % float(bound_v), "Q_error_bound": "%.6e" % float(bound_q)}
    else:
        print(f"error: unknown arithmetic {mode!r}", file=sys.stderr)
        return 2
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
