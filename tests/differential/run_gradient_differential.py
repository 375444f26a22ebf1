#!/usr/bin/env python3
"""Differential test: `rmdp gradient --json --direction` against gradient_reference.py.

Usage: run_gradient_differential.py RMDP_BINARY [--count N] [--seed S] [--keep-dir DIR] [-v]

Instances come from run_robust_differential.generate_instance (every set type, discounts up to
999/1000, duplicated states and actions: exact ties), with a random rho half of the time, the
policy made small enough for the reference's enumeration, and a random feasible direction
(rows zero or target row - pi row). Per instance, all exact:

  f, V                  equal to rho . V_r^pi and V_r^pi of the brute-force reference;
  worst_case            every row lies in U_{s,a} and attains max over its vertices of <v, V_r>;
  Q, occupancy,         recomputed by the reference from rmdp's kernel (the gradient depends on
  gradient              which worst case is chosen where nature ties) and equal;
  directional_derivative, h, W
                        equal to the maximum over kernels of face vertices;
  remainder_sequence    the first two entries equal (f(pi + t delta) - f(pi))/t - f' with f
                        recomputed by the reference at the same t.

Prints each mismatch, then "N passed, M failed"; exit 0 iff M == 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
from fractions import Fraction

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gradient_reference as gref  # noqa: E402
import robust_reference as rr  # noqa: E402
from run_differential import spell  # noqa: E402
from run_robust_differential import (generate_instance, make_evaluable, num, pick_row,  # noqa: E402
                                     policy_json, run_rmdp)

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples")


def random_direction(pol, m, rng):
    delta = []
    for row in pol:
        if rng.random() < 1 / 3:
            delta.append([Fraction(0)] * m)
        else:
            target = pick_row(m, rng)
            delta.append([t - p for t, p in zip(target, row)])
    return delta


def compare(problems, label, got, want):
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            problems.append(f"{label}: shape differs: {json.dumps(got)[:100]}")
            return
        for i, (g, w) in enumerate(zip(got, want)):
            compare(problems, f"{label}[{i}]", g, w)
        return
    value = num(got, label)
    if value != want:
        problems.append(f"{label}: rmdp {got} != reference {gref.format_fraction(want)}")


def check_instance(binary, rm, pol, delta, paths):
    problems = []
    code, out, err = run_rmdp(binary, ["gradient", paths[0], "--policy", paths[1], "--direction", paths[2], "--json"], 300)
    if code != 0:
        return [f"exit {code}: {err.strip()[:200]}"]
    out = json.loads(out)
    ev = rr.robust_evaluate(rm, pol)
    rho = gref.rho_of(rm)
    compare(problems, "f", out["f"], rr.dot(rho, ev.V))
    compare(problems, "V", out["V"], ev.V)
    kernel = [[[num(x, "worst_case") for x in row] for row in per_s] for per_s in out["worst_case"]]
    for s in range(rm.n):
        for a in range(rm.m):
            p = kernel[s][a]
            if not rm.sets[s][a].contains(p):
                problems.append(f"worst_case[{s}][{a}] is not in U_(s,a)")
            elif rr.dot(p, ev.V) != rr.best_vertex_value(rm.vertices()[s][a], ev.V):
                problems.append(f"worst_case[{s}][{a}] does not attain max <p, V_r>")
    at = gref.gradient_at(rm, pol, kernel)
    for key in ("Q", "occupancy", "gradient"):
        compare(problems, key, out[key], at[key])
    fprime, h, W = gref.directional_derivative(rm, pol, ev.V, ev.Q, delta)
    compare(problems, "directional_derivative", out["directional_derivative"], fprime)
    compare(problems, "h", out["h"], h)
    compare(problems, "W", out["W"], W)
    for entry in out["remainder_sequence"][:2]:
        t = num(entry["t"], "t")
        moved = [[p + t * d for p, d in zip(pr, dr)] for pr, dr in zip(pol, delta)]
        try:
            ft = rr.dot(rho, rr.robust_evaluate(rm, moved).V)
        except rr.TooLarge:
            continue
        compare(problems, f"remainder_sequence k={entry['k']}", entry["remainder"], (ft - rr.dot(rho, ev.V)) / t - fprime)
    return problems


def write(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--count", type=int, default=int(os.environ.get("RMDP_GRADIENT_DIFF_COUNT", 40)))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("RMDP_GRADIENT_DIFF_SEED", 20241121)))
    ap.add_argument("--keep-dir")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    workdir = args.keep_dir or tempfile.mkdtemp(prefix="rmdp-gradient-diff-")
    os.makedirs(workdir, exist_ok=True)
    passed = failed = 0
    cases = [("example-gradient-tie", os.path.join(EXAMPLES, "gradient-tie.json"),
              os.path.join(EXAMPLES, "gradient-tie-policy.json"), os.path.join(EXAMPLES, "gradient-tie-direction.json"))]
    for i in range(args.count):
        mdp_json, exact, desc = generate_instance(i, rng)
        if rng.random() < 0.5:
            mdp_json["rho"] = [spell(x, rng) for x in pick_row(mdp_json["states"], rng)]
        rm = rr.parse_robust_mdp(mdp_json)
        pol = make_evaluable(rm, exact["policy"], rng)
        delta = random_direction(pol, rm.m, rng)
        base = os.path.join(workdir, f"g{i:03d}")
        write(base + ".mdp.json", mdp_json)
        write(base + ".policy.json", policy_json(pol, rng))
        write(base + ".direction.json", {"direction": [[spell(x, rng) for x in row] for row in delta]})
        cases.append((f"{i:03d} {desc}", base + ".mdp.json", base + ".policy.json", base + ".direction.json"))
    for name, mdp_path, pol_path, dir_path in cases:
        rm = rr.load_robust_mdp(mdp_path)
        pol = gref.ref.load_policy(pol_path, rm.mdp)
        with open(dir_path, encoding="utf-8") as f:
            delta = [[gref.ref.parse_number(x, "direction") for x in row] for row in json.load(f)["direction"]]
        try:
            problems = check_instance(args.binary, rm, pol, delta, (mdp_path, pol_path, dir_path))
        except rr.TooLarge as exc:
            if args.v:
                print(f"skip {name}: {exc}")
            continue
        if problems:
            failed += 1
            print(f"FAIL {name} ({mdp_path})")
            for p in problems[:8]:
                print(f"  {p}")
        else:
            passed += 1
            if args.v:
                print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed")
    if failed == 0 and not args.keep_dir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
