#!/usr/bin/env python3
"""Differential test of `rmdp rpmd` (Euclidean steps, exact) against independent references.

Usage: run_rpmd_differential.py RMDP_BINARY [--count N] [--seed S] [-v]

For N random robust MDPs (1..3 states, 1..3 actions; uncertainty none, l1, interval or finite;
exact ties on purpose: costs in {0, 1}, duplicated actions, vertex policies), it runs

    rmdp rpmd F --json --bregman euclid|euclid-w --eta ETA --schedule constant|linear --steps K

and re-derives every step with code that shares nothing with rmdp:
  * V_r^{pi_k} and Q_r^{pi_k} by robust_reference.py (vertex enumeration, brute force over nature);
  * pi_{k+1}(.|s) = Proj_Delta(pi_k(.|s) - c eta_k Q(s,.)) by projection_reference.py (support
    enumeration), c = 1 for euclid (D = 1/2||.||^2) and 1/2 for euclid-w (D = ||.||^2);
  * eta_k = eta or (k+1) eta; f_k = <rho, V>; the stop (K steps, or pi_{k+1} = pi_k exactly).
All comparisons are exact (Fractions). Iterates whose nature enumeration is too large for the
reference are skipped (counted). Then a plot smoke test: --arith double --plot x.png / x.svg must
write a PNG / SVG file. Prints "N passed, M failed"; exit 0 iff M == 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from fractions import Fraction as F

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import robust_reference as rr  # noqa: E402
from projection_reference import project_simplex  # noqa: E402

ETAS = ["1/10", "1/2", "1", "3"]


def dist(rng, n, positive=False):
    w = [rng.randint(1 if positive else 0, 4) for _ in range(n)]
    if sum(w) == 0:
        w[rng.randrange(n)] = 1
    return [F(x, sum(w)) for x in w]


def instance(rng):
    S, A = rng.randint(1, 3), rng.randint(1, 3)
    binary = rng.random() < 0.3
    cost = [[F(rng.randint(0, 1)) if binary else F(rng.randint(-4, 4), 4) for _ in range(A)] for _ in range(S)]
    P = [[dist(rng, S) for _ in range(A)] for _ in range(S)]
    if A >= 2 and rng.random() < 0.25:  # a duplicated action: exact ties in Q
        for s in range(S):
            cost[s][1], P[s][1] = cost[s][0], list(P[s][0])
    kind = rng.choice(["none", "l1", "interval", "finite"])
    if kind == "none":
        unc = {"type": "none"}
    elif kind == "l1":
        unc = {"type": "l1", "radius": str(F(rng.randint(0, 8), 4))}
    elif kind == "interval":
        lo = [[[max(F(0), p - F(rng.randint(0, 2), 6)) for p in P[s][a]] for a in range(A)] for s in range(S)]
        hi = [[[min(F(1), p + F(rng.randint(0, 2), 6)) for p in P[s][a]] for a in range(A)] for s in range(S)]
        unc = {"type": "interval", "lower": lo, "upper": hi}
    else:
        unc = {"type": "finite", "distributions": [[[P[s][a]] + [dist(rng, S) for _ in range(rng.randint(0, 2))]
                                                    for a in range(A)] for s in range(S)]}
    def vertex():
        a = rng.randrange(A)
        return [1 if b == a else 0 for b in range(A)]
    rows = [vertex() if rng.random() < 0.25 else dist(rng, A) for _ in range(S)]
    mdp = {"states": S, "actions": A, "gamma": rng.choice(["0", "1/2", "9/10"]), "cost": cost, "P": P,
           "rho": dist(rng, S, positive=True), "uncertainty": unc}
    return mdp, {"policy": rows}


def spell(obj):
    if isinstance(obj, F):
        return str(obj)
    if isinstance(obj, list):
        return [spell(x) for x in obj]
    if isinstance(obj, dict):
        return {k: spell(v) for k, v in obj.items()}
    return obj


def run(binary, args):
    p = subprocess.run([binary] + args, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError(f"rmdp {' '.join(args)} exited {p.returncode}: {p.stderr.strip()[:300]}")
    return p.stdout


def check_instance(binary, tmp, i, rng, verbose):
    mdp, pol = instance(rng)
    mpath, ppath = os.path.join(tmp, f"m{i}.json"), os.path.join(tmp, f"p{i}.json")
    json.dump(spell(mdp), open(mpath, "w"))
    json.dump(spell(pol), open(ppath, "w"))
    D = rng.choice(["euclid", "euclid-w"])
    eta, schedule, K = F(rng.choice(ETAS)), rng.choice(["constant", "linear"]), rng.randint(1, 4)
    out = json.loads(run(binary, ["rpmd", mpath, "--policy", ppath, "--json", "--bregman", D, "--eta", str(eta),
                                  "--schedule", schedule, "--steps", str(K)]))
    rm = rr.load_robust_mdp(mpath)
    traj = out["trajectory"]
    problems, skipped = [], 0
    pi0 = [[F(x) for x in row] for row in traj[0]["pi"]]
    if pi0 != [[F(x) for x in row] for row in spell(pol)["policy"]]:
        problems.append("pi_0 differs from the given policy")
    for k, it in enumerate(traj):
        pi = [[F(x) for x in row] for row in it["pi"]]
        try:
            ev = rr.robust_evaluate(rm, pi, check=False)
        except rr.TooLarge:
            skipped += 1
            continue
        V = [F(x) for x in it["V"]]
        Q = [[F(x) for x in row] for row in it["Q"]]
        if V != ev.V or Q != ev.Q:
            problems.append(f"k={k}: V/Q differ from the reference")
            continue
        if F(it["f"]) != sum(F(r) * v for r, v in zip(mdp["rho"], ev.V)):
            problems.append(f"k={k}: f differs from <rho, V>")
        if k + 1 < len(traj):
            eta_k = eta * (k + 1 if schedule == "linear" else 1)
            if F(it["eta"]) != eta_k:
                problems.append(f"k={k}: eta_k = {it['eta']}, expected {eta_k}")
            c = 1 if D == "euclid" else F(1, 2)
            want = [project_simplex([pi[s][a] - c * eta_k * ev.Q[s][a] for a in range(len(pi[s]))])
                    for s in range(len(pi))]
            got = [[F(x) for x in row] for row in traj[k + 1]["pi"]]
            if got != want:
                problems.append(f"k={k}: pi_(k+1) differs from the reference projection: {spell(got)} vs {spell(want)}")
    last_same = len(traj) >= 2 and traj[-1]["pi"] == traj[-2]["pi"]
    if len(traj) != K + 1 and not out["stop"].startswith("fixed point"):
        problems.append(f"stopped after {len(traj) - 1} steps without reason: {out['stop']}")
    if last_same:
        problems.append("a repeated iterate was recorded (the run should stop at the fixed point)")
    if verbose or problems:
        print(f"{'FAIL' if problems else 'ok  '} instance {i} ({mdp['uncertainty']['type']}, {D}, eta={eta}, {schedule}, K={K})"
              + (f", {skipped} iterate(s) too large for the reference" if skipped else ""))
        for p in problems:
            print("     " + p)
    return not problems


def plot_smoke(binary, tmp):
    mdp, _ = instance(random.Random(3))
    mpath = os.path.join(tmp, "plot.json")
    json.dump(spell(mdp), open(mpath, "w"))
    ok = True
    for ext, magic in ((".png", b"\x89PNG"), (".svg", b"<?xml")):
        path = os.path.join(tmp, "gap" + ext)
        run(binary, ["rpmd", mpath, "--arith", "double", "--steps", "15", "--plot", path])
        with open(path, "rb") as f:
            head = f.read(5)
        if not head.startswith(magic):
            print(f"FAIL plot {ext}: file starts with {head!r}")
            ok = False
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--seed", type=int, default=20261121)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(a.count):
            if check_instance(a.binary, tmp, i, rng, a.verbose):
                passed += 1
            else:
                failed += 1
        if plot_smoke(a.binary, tmp):
            passed += 1
        else:
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
