#!/usr/bin/env python3
"""Command-line smoke tests: usage `cli_smoke.py RMDP_BINARY CASE`, CASE one of the functions below.

  check_pdl_holds   `rmdp check --claim pdl --trials 500 --json` exits 0 with JSON, verdict "holds"
  verify_roundtrip  a refuted campaign saves a counterexample that `rmdp verify` confirms (exit 0);
                    the same file with the identity kernel is NOT confirmed (exit 1)
  evaluate_exact    `rmdp evaluate` on tests/malformed/good.*.json gives the hand-computed answer
  claims_json       `rmdp claims --json` lists the claims of the notes
"""

import json
import os
import sys
import tempfile
from fractions import Fraction

from cli_support import check, main, run

HERE = os.path.dirname(os.path.abspath(__file__))


def check_pdl_holds(binary):
    with tempfile.TemporaryDirectory() as tmp:
        out = run(binary, "check", "--claim", "pdl", "--trials", "500", "--json", "--counterexample-dir", tmp).stdout
    reports = json.loads(out)["rows"]
    check(isinstance(reports, list) and len(reports) == 1, f"expected one report, got {out[:500]}")
    r = reports[0]
    check(r["claim"] == "pdl", f"claim {r['claim']!r}")
    check(r["verdict"] == "holds", f"verdict {r['verdict']!r}: {r.get('detail')}")
    check(r["instances"] == 500 and r["decided"] == 500 and r["undecided"] == 0, f"counts {r}")
    check(r["arith"] == "exact" and r["seed"] == 1, f"arith/seed {r}")
    check("counterexample" not in r, "a holding claim has no counterexample")


def verify_roundtrip(binary):
    with tempfile.TemporaryDirectory() as tmp:
        out = run(binary, "check", "--claim", "resolvent-norm:b", "--trials", "200", "--seed", "1", "--json",
                  "--counterexample-dir", tmp).stdout
        r = json.loads(out)["rows"][0]
        check(r["verdict"] == "refuted", f"resolvent-norm:b not refuted: {r}")
        path = r["counterexample_file"]
        check(os.path.isfile(path) and os.path.dirname(os.path.abspath(path)) == os.path.abspath(tmp),
              f"counterexample file {path!r} not in {tmp}")
        with open(path) as f:
            cx = json.load(f)
        check(cx == r["counterexample"], "saved file differs from the reported counterexample")
        v = json.loads(run(binary, "verify", path, "--json").stdout)
        check(v["confirmed"] is True and v["claim"] == "resolvent-norm:b" and v["arith"] == "exact", f"verify: {v}")
        text = run(binary, "verify", path).stdout
        check(text.startswith("confirmed:"), f"human-readable verify: {text!r}")
        # Mutate: the identity kernel makes the claim true on this instance.
        mdp = cx["instance"]["mdp"]
        S, A = mdp["states"], mdp["actions"]
        mdp["P"] = [[["1" if t == s else "0" for t in range(S)] for _ in range(A)] for s in range(S)]
        mutated = os.path.join(tmp, "mutated.json")
        with open(mutated, "w") as f:
            json.dump(cx, f)
        v = json.loads(run(binary, "verify", mutated, "--json", status=1).stdout)
        check(v["confirmed"] is False, f"mutated counterexample confirmed: {v}")
        # Same seed, same counterexample (byte for byte).
        out2 = run(binary, "check", "--claim", "resolvent-norm:b", "--trials", "200", "--seed", "1", "--json",
                   "--counterexample-dir", tmp).stdout
        check(json.loads(out2)["rows"][0]["counterexample"] == r["counterexample"], "campaign not reproducible")


def evaluate_exact(binary):
    mdp = os.path.join(HERE, "malformed", "good.mdp.json")
    pol = os.path.join(HERE, "malformed", "good.policy.json")
    out = json.loads(run(binary, "evaluate", mdp, "--policy", pol, "--json").stdout)
    check(out["arith"] == "exact", f"arith {out.get('arith')!r}")
    check(out["V"] == ["8/3", "0"], f"V = {out['V']}")
    check(out["Q"] == [["7/3", "3"], ["8/3", "0"]], f"Q = {out['Q']}")
    d = json.loads(run(binary, "evaluate", mdp, "--policy", pol, "--json", "--arith", "double").stdout)
    check(abs(float(d["V"][0]) - 8 / 3) <= float(d["V_error_bound"]), f"double V {d}")
    i = json.loads(run(binary, "evaluate", mdp, "--policy", pol, "--json", "--arith", "interval:64").stdout)
    lo, hi = i["V"][0].strip("[]").split(",")
    check(Fraction(lo) <= Fraction(8, 3) <= Fraction(hi), f"interval V {i['V'][0]}")


def claims_json(binary):
    claims = json.loads(run(binary, "claims", "--json").stdout)
    ids = [c["id"] for c in claims]
    for want in ["pdl", "occupancy-self-mass", "occupancy-difference", "resolvent-norm:a", "resolvent-norm:b"]:
        check(want in ids, f"claim {want} missing from {ids}")
    check(len(ids) == len(set(ids)), f"duplicate ids {ids}")
    check(all(c["statement"] and c["source"] for c in claims), "every claim has a statement and a source")


if __name__ == "__main__":
    sys.exit(main([check_pdl_holds, verify_roundtrip, evaluate_exact, claims_json], __doc__))
