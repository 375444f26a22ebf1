#!/usr/bin/env python3
"""Differential test: `rmdp mbpo --json` against mbpo_reference.py on random instances.

Instances are drawn here (Python's own seeded generator, independent of rmdp's), including sparse
kernels, point-mass policies, rho with zeros, gamma = 0 and k = 0. Every exact quantity must agree
as a rational: returns, eps_pi, branched returns, the eps brackets at the horizon rmdp reports,
and the constants C at both ends of the brackets.

Usage: run_mbpo_differential.py RMDP [--count N] [--seed S] [--horizon H]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mbpo_reference as ref  # noqa: E402


def distribution(rng: random.Random, n: int) -> list[Fraction]:
    w = [0 if rng.random() < 0.3 else rng.randint(1, 5) for _ in range(n)]
    if sum(w) == 0:
        w[rng.randrange(n)] = 1
    return [Fraction(x, sum(w)) for x in w]


def instance(rng: random.Random) -> dict:
    S, A = rng.randint(1, 4), rng.randint(1, 3)
    f = ref.format_fraction
    kernel = lambda: [[[f(x) for x in distribution(rng, S)] for _ in range(A)] for _ in range(S)]  # noqa: E731
    policy = lambda: [[f(x) for x in distribution(rng, A)] for _ in range(S)]  # noqa: E731
    return {
        "states": S, "actions": A, "gamma": rng.choice(["0", "1/2", "9/10", "99/100"]),
        "reward": [[f(Fraction(rng.randint(-4, 4), 4)) for _ in range(A)] for _ in range(S)],
        "r_max": "2", "P": kernel(), "P_model": kernel(), "rho": [f(x) for x in distribution(rng, S)],
        "pi_data": policy(), "pi": policy(), "k": rng.randint(0, 4) if rng.random() < 0.8 else rng.randint(5, 30),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("rmdp")
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--horizon", type=int, default=12)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.count):
            obj = instance(rng)
            path = os.path.join(tmp, f"mbpo-{i}.json")
            with open(path, "w") as fh:
                json.dump(obj, fh)
            out = subprocess.run([args.rmdp, "mbpo", path, "--json", "--horizon", str(args.horizon)],
                                 capture_output=True, text=True, timeout=60)
            if out.returncode != 0:
                print(f"instance {i}: rmdp exit {out.returncode}: {out.stderr}")
                failures += 1
                continue
            got = json.loads(out.stdout)
            want = ref.reference(obj, got["eps_m"]["horizon"], got["eps_m_prime"]["horizon"],
                                 got["eps_m_prime_notes"]["horizon"])
            checks = [("eta", got["eta"], want["eta"]), ("eta_hat", got["eta_hat"], want["eta_hat"]),
                      ("eps_pi", got["eps_pi"], want["eps_pi"])]
            for r in ("a", "a2", "a3", "b"):
                checks.append((f"eta_branch:{r}", got["eta_branch"][r], want["eta_branch"][r]))
            for key in ("eps_m", "eps_m_prime", "eps_m_prime_notes"):
                for end in ("lower", "upper"):
                    checks.append((f"{key}.{end}", got[key][end], want[key][end]))
            for b in got["bounds"]:
                theorem = b["claim"].split(":")[0].replace("mbpo-", "")
                if b["claim"].endswith("-notes"):  # the notes' eps_m' (claim mbpo-4.3:b-notes)
                    theorem += "-notes"
                    checks.append((f"{b['claim']} reference", b["reference"], want["eta_branch"]["b"]))
                checks.append((f"{b['claim']} C.lower", b["C"]["lower"], want["C_lower"][theorem]))
                checks.append((f"{b['claim']} C.upper", b["C"]["upper"], want["C_upper"][theorem]))
            for name, g, w in checks:
                if Fraction(g) != Fraction(w):
                    print(f"instance {i} ({path}): {name}: rmdp {g} != reference {w}\n{json.dumps(obj)}")
                    failures += 1
    print(f"{args.count} instances, {failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
