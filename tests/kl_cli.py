#!/usr/bin/env python3
"""KL sets on the command line (docs/robust.md, "KL balls").

usage: kl_cli.py RMDP_BINARY CASE

  exact_refused               solve / evaluate in exact arithmetic (the default) exit 2 naming
                              uncertainty.type and the arithmetics to use instead
  solve_double_mpfr_agree     solve --arith double and --arith mpfr:128 agree within the sum of their
                              reported (rigorous, MPFI-residual) V error bounds, and pick the same policy
  evaluate_interval_contains  evaluate --arith interval:128 encloses the mpfr:256 value (within its bound)
  check_double_campaign       rmdp check --all --arith double --trials 50 never exits 3; the claims that draw kl
                              sets compute every verdict, kl refutations confirmed in interval:256
  verify_kl                   rmdp verify of a counterexample file whose MDP has a kl set re-checks in interval:256
                              (tests/kl/verify-kl-counterexample.json: a vi-robust-identity file with its set
                              replaced, so its recorded exact violation is not the kl instance's): exit 1, not 2
"""

import json
import os
import subprocess
import sys
from fractions import Fraction as F

from cli_support import check, main, run

HERE = os.path.dirname(os.path.abspath(__file__))
MDP = os.path.join(HERE, "kl", "small.json")
POLICY = os.path.join(HERE, "kl", "small-policy.json")


def exact_refused(rmdp):
    for args in (["solve", MDP], ["evaluate", MDP, "--policy", POLICY], ["solve", MDP, "--arith", "exact"]):
        p = run(rmdp, *args, status=2)
        err = p.stderr
        check(err.startswith("rmdp: error:"), err)
        check("uncertainty.type" in err and "kl" in err, err)
        check("--arith mpfr:BITS" in err and "double" in err and "interval:BITS" in err, err)


def solve(rmdp, arith):
    return json.loads(run(rmdp, "solve", MDP, "--arith", arith, "--json", status=0).stdout)


def solve_double_mpfr_agree(rmdp):
    d, m = solve(rmdp, "double"), solve(rmdp, "mpfr:128")
    ed, em = F(d["V_error_bound"]), F(m["V_error_bound"])
    check(ed < F(1, 10**9), f"double bound {ed}")
    check(em < F(1, 10**30), f"mpfr:128 bound {em}")
    for s, (x, y) in enumerate(zip(d["V"], m["V"])):
        check(abs(F(x) - F(y)) <= ed + em, f"V[{s}]: double {x}, mpfr {y}, bounds {ed} + {em}")
    check(d["policy"] == m["policy"], f"policies differ: {d['policy']} vs {m['policy']}")


def evaluate_interval_contains(rmdp):
    m = json.loads(run(rmdp, "evaluate", MDP, "--policy", POLICY, "--arith", "mpfr:256", "--json", status=0).stdout)
    e = F(m["V_error_bound"])
    i = json.loads(run(rmdp, "evaluate", MDP, "--policy", POLICY, "--arith", "interval:128", "--json", status=0).stdout)
    for s, (x, box) in enumerate(zip(m["V"], i["V"])):
        lo, hi = (F(t) for t in box.strip("[]").split(","))
        check(lo - e <= F(x) <= hi + e, f"V[{s}] = {x} (+-{e}) outside {box}")
        check(hi - lo < F(1, 10**25), f"V[{s}] enclosure {box} too wide for 128 bits")


def check_double_campaign(rmdp):
    # The whole campaign never exits 3. (Exit 2 with "left the simplex" is a known issue of the
    # Euclidean RPMD claims in double, present on main before kl sets: rpmd-recursion stops it.)
    p = subprocess.run([rmdp, "check", "--all", "--arith", "double", "--trials", "50", "--jobs", "2"],
                       capture_output=True, text=True, timeout=280)
    check(p.returncode == 0 or (p.returncode == 2 and "left the simplex" in p.stderr),
          f"rmdp check --all --arith double: exit {p.returncode}\n{p.stderr}")
    # The claims that can draw kl sets (every claim outside the RPMD family), as JSON.
    claims = json.loads(run(rmdp, "claims", "--json", status=0).stdout)
    ids = [c["id"] for c in claims if not c["id"].startswith(("three-point", "rpmd", "euclid"))]
    args = ["check", "--arith", "double", "--trials", "50", "--jobs", "2", "--json"]
    for i in ids:
        args += ["--claim", i]
    out = json.loads(run(rmdp, *args, status=0).stdout)
    check(out["generator"].get("transcendental_sets") is True, f"kl sets not enabled: {out['generator']}")
    rows = out["rows"]
    check(len(rows) == len(ids), f"{len(rows)} rows for {len(ids)} claims")
    for r in rows:
        check(r["verdict"] in ("holds", "refuted", "tight", "inconclusive") or r["verdict"].startswith("not supported in "),
              f"{r['claim']}: verdict {r['verdict']}")
        # A refutation carries a counterexample confirmed exactly, or in intervals for kl sets.
        if r["verdict"] == "refuted":
            v = r["counterexample"]["violation"]["arith"]
            kind = r["counterexample"]["instance"].get("mdp", {}).get("uncertainty", {}).get("type", "none")
            check(v == ("interval:256" if kind == "kl" else "exact"), f"{r['claim']}: confirmed in {v} for {kind}")


def verify_kl(rmdp):
    f = os.path.join(HERE, "kl", "verify-kl-counterexample.json")
    p = run(rmdp, "verify", f, "--json", status=1)
    out = json.loads(p.stdout)
    check(out["arith"] == "interval:256", f"re-checked in {out['arith']}")
    check(out["confirmed"] is False and out["verdict"] != "refuted", str(out))


if __name__ == "__main__":
    sys.exit(main([exact_refused, solve_double_mpfr_agree, evaluate_interval_contains, check_double_campaign, verify_kl],
                  __doc__))
