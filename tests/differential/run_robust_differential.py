#!/usr/bin/env python3
"""Differential test: robust `rmdp evaluate` and `rmdp solve` against the
independent exact reference robust_reference.py (vertex enumeration + brute
force over nature's and the agent's deterministic choices).

Usage:
    run_robust_differential.py RMDP_BINARY [--count N] [--seed S] [--keep-dir DIR]
                               [--jobs J] [--no-regressions] [-v]

For each of N random robust instances (uncertainty types none, l1 with one
radius or an n x m matrix of radii, interval, finite, weighted-l1 (weights
from {1/2, 1, 2, 3}, ties on purpose), l1 with "support": "nominal"; taken in
turn, as are
the discount factors 0, 1/2, 9/10, 99/100, 999/1000), with deliberate exact
ties (duplicated states, duplicated actions, costs in {0,1}), radius 0,
radius >= 2, pinned intervals (lower = upper), boxes that exclude the nominal
row, zero nominal probabilities and sparse kernels, it runs 13 commands:

  evaluate --arith exact        V, Q exactly equal (canonical "p/q" spelling);
                                "kernel" is "robust" (type != none);
                                every worst_case[s][a] lies in U_{s,a} (decided
                                exactly) and attains max_{p in U_{s,a}} <p, V>.
  evaluate --arith double,      |printed - exact| <= V_error_bound / Q_error_bound;
           long-double,         worst_case rows in U and maximising up to a
           mpfr:120             small tolerance (1e-9 double, 1e-12 long double,
                                2^-(BITS-40) mpfr): they are rounded points.
  evaluate --arith interval:120 every "[lo,hi]" contains the exact value.
  evaluate --nominal            equals the NOMINAL exact reference (exact_reference.py).
  solve    --arith exact        V*, Q* exactly equal; the policy deterministic
           (default pi)         and optimal (its robust value equals V*; any
                                optimal policy is accepted).
  solve    double, long-double, within the bounds (pi), and with --method vi
           mpfr:120, vi double, (with an --epsilon floating point can reach);
           vi mpfr:120,         interval: containment.  The policy must be
           interval:120         deterministic and optimal; in these inexact
                                modes a policy that is not exactly optimal but
                                provably within 2 E_Q/(1-gamma) (or the interval
                                width) of V* is reported as a NOTE, not a failure.

Then (unless --no-regressions) the minimal instances of known disagreements in
REGRESSIONS are run with their listed commands.

One (instance, command) pair is one comparison.  Prints every mismatch
(instance file, command, entry, both values) and, last, "N passed, M failed".
Exit status 0 iff M == 0 (2 for usage errors).  Instances are kept (in a
temporary directory, or --keep-dir) when something failed.
Environment: RMDP_ROBUST_DIFF_COUNT / RMDP_ROBUST_DIFF_SEED set the defaults.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import exact_reference as ref  # noqa: E402
import robust_reference as rr  # noqa: E402
from run_differential import random_simplex, spell  # noqa: E402

DEFAULT_COUNT = 40
DEFAULT_SEED = 20240607
MAX_REPORTED = 8
KERNEL_LIMIT = 4000          # nature kernels per evaluated policy (keeps the reference fast)

GAMMAS = ["0", "1/2", "9/10", "99/100", "999/1000"]
UTYPES = ["l1", "interval", "finite", "l1-matrix", "interval", "finite", "none", "weighted-l1",
          "l1-nominal"]
WEIGHTS = [Fraction(1, 2), Fraction(1), Fraction(2), Fraction(3)]
RADII = [Fraction(0), Fraction(1, 10), Fraction(1, 4), Fraction(1, 3), Fraction(1, 2),
         Fraction(2, 3), Fraction(1), Fraction(3, 2), Fraction(2), Fraction(3)]
WIDTHS = [Fraction(0), Fraction(1, 10), Fraction(1, 5), Fraction(1, 4), Fraction(1, 3),
          Fraction(1, 2), Fraction(1)]
SCHEMES = ["fraction", "dyadic", "decimal", "thirds"]
ROW_STYLES = ["deterministic", "sparse", "dense"]

# Tolerances for the worst-case kernel printed in floating-point modes (it is
# a rounded point, so exact membership cannot be asked for).
def float_kernel_tol(mode: str) -> Fraction:
    if mode == "double":
        return Fraction(1, 10**9)
    if mode == "long-double":
        return Fraction(1, 10**12)
    bits = int(mode.split(":")[1])          # mpfr:BITS
    return Fraction(1, 2 ** max(bits - 40, 10))


# Minimal instances of known disagreements, run on every invocation (unless
# --no-regressions) with the commands listed.  Both have all costs 1, so
# V = 1/(1-gamma) at every state and nature is indifferent between all
# kernels (an exact tie everywhere).
REGRESSIONS = [
    ("tie-2state-double",
     {"states": 2, "actions": 1, "gamma": "9/10", "cost": [[1], [1]],
      "P": [[["1/5", "4/5"]], [["3/5", "2/5"]]],
      "uncertainty": {"type": "l1", "radius": "2/3"}},
     [[1], [1]],
     [("evaluate", "exact"), ("evaluate", "double"), ("solve", "double")]),
    ("tie-3state-uniform-mpfr",
     {"states": 3, "actions": 1, "gamma": "9/10", "cost": [[1], [1], [1]],
      "P": [[["1/3", "1/3", "1/3"]], [["1/3", "1/3", "1/3"]], [["1/3", "1/3", "1/3"]]],
      "uncertainty": {"type": "l1", "radius": 2}},
     [[1], [1], [1]],
     [("evaluate", "exact"), ("evaluate", "mpfr:113"), ("evaluate", "mpfr:128"),
      ("evaluate", "interval:128"), ("solve", "mpfr:128"), ("solve", "interval:113")]),
    # Issue 13's two-receiver example inside an MDP: states 0, 1, 2 absorbing with V = (0, 1, 2);
    # state 3 (nominally to 0) has weights (1/10, 1, 3, 3) and radius 21/10: its worst case sends
    # its mass to state 1, then half of it on to state 2, p = (0, 1/2, 1/2, 0), V_3 = 3/4 (one
    # receiver would give at most 2 * 21/31 / 2 = 21/31).
    ("two-receivers-weighted-l1",
     {"states": 4, "actions": 1, "gamma": "1/2", "cost": [["0"], ["1/2"], ["1"], ["0"]],
      "P": [[["1", "0", "0", "0"]], [["0", "1", "0", "0"]], [["0", "0", "1", "0"]], [["1", "0", "0", "0"]]],
      "uncertainty": {"type": "weighted-l1", "radius": [["0"], ["0"], ["0"], ["21/10"]],
                      "weights": [[["1", "1", "1", "1"]], [["1", "1", "1", "1"]], [["1", "1", "1", "1"]],
                                  [["1/10", "1", "3", "3"]]]}},
     [[1], [1], [1], [1]],
     [("evaluate", "exact"), ("evaluate", "double"), ("evaluate", "mpfr:120"),
      ("evaluate", "interval:120"), ("solve", "exact"), ("solve", "double")]),
    # Nominal support: state 2 has the largest value but zero nominal probability from state 0, so
    # nature cannot move mass there (the "l1" default would).
    ("nominal-support-l1",
     {"states": 3, "actions": 1, "gamma": "1/2", "cost": [["0"], ["1/2"], ["5/2"]],
      "P": [[["1/2", "1/2", "0"]], [["0", "1", "0"]], [["0", "0", "1"]]],
      "uncertainty": {"type": "l1", "radius": "2", "support": "nominal"}},
     [[1], [1], [1]],
     [("evaluate", "exact"), ("evaluate", "double"), ("evaluate", "interval:120"), ("solve", "exact")]),
]

# Exact weighted-l1 worst cases of rmdp's output in which two or more states gain mass (printed at
# the end: the greedy over donor-receiver pairs is exercised beyond one receiver).
TWO_RECEIVER_ROWS = [0]


# --------------------------------------------------------------------------
# Instances
# --------------------------------------------------------------------------


def pick_row(n, rng, style=None):
    return random_simplex(n, style or rng.choice(ROW_STYLES), rng.choice(SCHEMES), rng)


def generate_instance(i: int, rng: random.Random):
    """(mdp_json, policy_json, exact, desc)."""
    utype = UTYPES[i % len(UTYPES)]
    gamma = ref.parse_number(GAMMAS[i % len(GAMMAS)])
    n = 1 if i % 11 == 10 else rng.choice([2, 2, 3, 3, 3])
    m = rng.choice([1, 2, 2, 2])
    feats = []
    cost_style = rng.choice(["01", "01", "int", "frac"])
    feats.append(f"cost={cost_style}")

    def cost():
        if cost_style == "01":
            return Fraction(rng.randint(0, 1))
        if cost_style == "int":
            return Fraction(rng.randint(-3, 3))
        return Fraction(rng.randint(-20, 20), rng.randint(1, 7))

    C = [[cost() for _ in range(m)] for _ in range(n)]
    P = [[pick_row(n, rng) for _ in range(m)] for _ in range(n)]

    # uncertainty description per (s,a), exact
    radius_scalar = None
    staircase = False
    if utype in ("l1", "l1-matrix"):
        if utype == "l1":
            r = rng.choice(RADII + [Fraction(0), Fraction(2), Fraction(5, 2)])
            radius_scalar = r
            R = [[r] * m for _ in range(n)]
            feats.append(f"radius={ref.format_fraction(r)}")
        else:
            R = [[rng.choice(RADII) for _ in range(m)] for _ in range(n)]
            feats.append("radius=matrix")
        U = [[("l1", R[s][a]) for a in range(m)] for s in range(n)]
    elif utype == "l1-nominal":
        r = rng.choice(RADII + [Fraction(2), Fraction(5, 2)])
        radius_scalar = r
        feats.append(f"radius={ref.format_fraction(r)} support=nominal")
        U = [[("l1-nominal", r) for a in range(m)] for s in range(n)]
    elif utype == "weighted-l1":
        # Ties on purpose: weights from a small set, all equal in a row with
        # chance 1/3; point-mass and sparse nominal rows make two receivers
        # (the cheap one first, then on to the better, dearer one) common.
        # "staircase": costs grow with the state by about 1 and the weights
        # 5^t/2 much faster, so that better states for nature are dearer to
        # reach, the upper hull of (w_t, V_t) has several points and large
        # radii make two receivers (cheap state first, then on to a dearer
        # one); no duplicated states there (they would flatten the stairs).
        staircase = rng.random() < 0.5
        if staircase:
            C = [[Fraction(s) + Fraction(rng.randint(0, 3), 4) for _ in range(m)] for s in range(n)]
            feats.append("staircase")
        scalar = rng.random() < 0.5
        big = [Fraction(4), Fraction(5), Fraction(6), Fraction(8), Fraction(10)]
        radii = big if staircase else RADII + [Fraction(21, 10), Fraction(4)]
        r = rng.choice(radii)
        radius_scalar = r if scalar else None
        U = [[None] * m for _ in range(n)]
        for s in range(n):
            for a in range(m):
                if staircase:
                    w = [Fraction(5 ** t, 2) for t in range(n)]
                else:
                    w = ([rng.choice(WEIGHTS)] * n if rng.random() < 1 / 3
                         else [rng.choice(WEIGHTS) for _ in range(n)])
                U[s][a] = ("weighted-l1", r if scalar else rng.choice(radii), w)
        feats.append("radius=" + (ref.format_fraction(r) if scalar else "matrix"))
    elif utype == "interval":
        U = [[None] * m for _ in range(n)]
        styles = set()
        for s in range(n):
            for a in range(m):
                style = rng.choice(["nominal", "nominal", "other", "pinned", "full", "zeros"])
                styles.add(style)
                x = P[s][a] if style in ("nominal", "pinned", "zeros") else pick_row(n, rng)
                if style == "pinned":
                    lo, hi = list(x), list(x)
                elif style == "full":
                    lo, hi = [Fraction(0)] * n, [Fraction(1)] * n
                elif style == "zeros":
                    lo = [Fraction(0)] * n
                    hi = [Fraction(0) if x[t] == 0 else min(Fraction(1), x[t] + rng.choice(WIDTHS))
                          for t in range(n)]
                else:
                    lo = [max(Fraction(0), x[t] - rng.choice(WIDTHS)) for t in range(n)]
                    hi = [min(Fraction(1), x[t] + rng.choice(WIDTHS)) for t in range(n)]
                U[s][a] = ("interval", lo, hi)
        feats.append("boxes=" + "/".join(sorted(styles)))
    elif utype == "finite":
        U = [[None] * m for _ in range(n)]
        for s in range(n):
            for a in range(m):
                k = rng.randint(1, 3)
                dists = [pick_row(n, rng) for _ in range(k)]
                if rng.random() < 0.5:
                    dists.insert(rng.randrange(len(dists) + 1), list(P[s][a]))
                if rng.random() < 0.2:
                    dists.append(list(rng.choice(dists)))
                U[s][a] = ("finite", dists)
    else:
        U = [[("none",) for _ in range(m)] for _ in range(n)]

    # Policy for evaluate.
    pol = [pick_row(m, rng, rng.choice(["deterministic", "dense", "sparse"])) for _ in range(n)]

    # Deliberate ties.
    if m >= 2 and rng.random() < 0.25:
        for s in range(n):
            if rng.random() < 0.7:
                C[s][1], P[s][1], U[s][1] = C[s][0], list(P[s][0]), U[s][0]
        feats.append("dup-action")
    if n >= 2 and not staircase and rng.random() < 0.35:
        src = rng.randrange(n - 1)
        C[n - 1], P[n - 1], U[n - 1], pol[n - 1] = list(C[src]), list(P[src]), list(U[src]), list(pol[src])
        feats.append(f"dup-state{src}->{n - 1}")

    radius_json = None
    if utype == "l1":
        radius_json = spell(radius_scalar, rng)
    elif utype == "l1-matrix":
        radius_json = [[spell(U[s][a][1], rng) for a in range(m)] for s in range(n)]
    elif utype in ("l1-nominal", "weighted-l1"):
        radius_json = (spell(radius_scalar, rng) if radius_scalar is not None
                       else [[spell(U[s][a][1], rng) for a in range(m)] for s in range(n)])

    def sp(x):
        return spell(x, rng)

    mdp_json = {"states": n, "actions": m, "gamma": sp(gamma),
                "cost": [[sp(c) for c in row] for row in C],
                "P": [[[sp(p) for p in row] for row in per_s] for per_s in P]}
    if utype in ("l1", "l1-matrix"):
        mdp_json["uncertainty"] = {"type": "l1", "radius": radius_json}
    elif utype == "l1-nominal":
        mdp_json["uncertainty"] = {"type": "l1", "radius": radius_json, "support": "nominal"}
    elif utype == "weighted-l1":
        mdp_json["uncertainty"] = {
            "type": "weighted-l1", "radius": radius_json,
            "weights": [[[sp(x) for x in U[s][a][2]] for a in range(m)] for s in range(n)]}
    elif utype == "interval":
        mdp_json["uncertainty"] = {
            "type": "interval",
            "lower": [[[sp(x) for x in U[s][a][1]] for a in range(m)] for s in range(n)],
            "upper": [[[sp(x) for x in U[s][a][2]] for a in range(m)] for s in range(n)]}
    elif utype == "finite":
        mdp_json["uncertainty"] = {
            "type": "finite",
            "distributions": [[[[sp(x) for x in d] for d in U[s][a][1]] for a in range(m)]
                              for s in range(n)]}
    elif rng.random() < 0.5:
        mdp_json["uncertainty"] = {"type": "none"}
    exact = {"gamma": gamma, "cost": C, "P": P, "U": U, "policy": pol}
    desc = f"n={n} m={m} gamma={ref.format_fraction(gamma)} U={utype} " + " ".join(feats)
    return mdp_json, exact, desc


def policy_json(pol, rng):
    return {"policy": [[spell(x, rng) for x in row] for row in pol]}


def make_evaluable(rm, pol, rng):
    """Make mixed rows deterministic until nature's enumeration is small."""
    pol = [list(r) for r in pol]
    while rr.kernel_count(rm, pol) > KERNEL_LIMIT:
        mixed = [s for s in range(rm.n) if sum(1 for x in pol[s] if x != 0) > 1]
        s = rng.choice(mixed)
        a = max(range(rm.m), key=lambda b: pol[s][b])
        pol[s] = [Fraction(1) if b == a else Fraction(0) for b in range(rm.m)]
    return pol


def same_sets(rm, U):
    for s in range(rm.n):
        for a in range(rm.m):
            st, u = rm.sets[s][a], U[s][a]
            if u[0] == "none":
                ok = st.kind == "none"
            elif u[0] in ("l1", "l1-nominal"):
                ok = (st.kind == "l1" and st.r == u[1] and list(st.q) == list(rm.P[s][a])
                      and st.nominal_support == (u[0] == "l1-nominal"))
            elif u[0] == "weighted-l1":
                ok = (st.kind == "weighted-l1" and st.r == u[1] and list(st.w) == u[2]
                      and list(st.q) == list(rm.P[s][a]))
            elif u[0] == "interval":
                ok = st.kind == "interval" and list(st.lower) == u[1] and list(st.upper) == u[2]
            else:
                ok = st.kind == "finite" and set(st.dists) == {tuple(d) for d in u[1]}
            if not ok:
                return False
    return True


# --------------------------------------------------------------------------
# Reading rmdp's output
# --------------------------------------------------------------------------


def run_rmdp(binary, args, timeout):
    try:
        p = subprocess.run([binary] + args, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, "", f"timed out after {timeout} s"
    except OSError as exc:
        return None, "", f"could not run: {exc}"


def num(text, what):
    if not isinstance(text, str):
        raise ValueError(f"{what}: expected a string, got {json.dumps(text)[:80]}")
    try:
        return ref.parse_number_string(text, what)
    except ref.InputError as exc:
        raise ValueError(str(exc)) from None


def interval(text, what):
    if not isinstance(text, str) or not (text.startswith("[") and text.endswith("]")) \
            or text.count(",") != 1:
        raise ValueError(f"{what}: expected \"[lo,hi]\", got {json.dumps(text)[:80]}")
    lo, hi = text[1:-1].split(",")
    return num(lo, what + " lo"), num(hi, what + " hi")


def short(x, limit=120):
    s = x if isinstance(x, str) else (ref.format_fraction(x) if isinstance(x, Fraction) else json.dumps(x))
    return s if len(s) <= limit else f"{s[:limit // 2]}...[{len(s)} chars]...{s[-limit // 2:]}"


def approx(x: Fraction) -> str:
    return f"~{float(x):.17g}"


def check_shape(out, key, dims):
    """out[key] is a nested list of the given dims (strings at the leaves)."""
    def ok(v, d):
        if not d:
            return isinstance(v, str)
        return isinstance(v, list) and len(v) == d[0] and all(ok(x, d[1:]) for x in v)
    return key in out and ok(out[key], dims)


def values_problems(mode, out, V, Q, label):
    """Compare out["V"], out["Q"] against exact V, Q in the given mode."""
    n, m = len(V), len(Q[0])
    probs = []
    if not check_shape(out, "V", [n]):
        return [f"\"V\" missing or not {n} strings: {short(json.dumps(out.get('V')), 200)}"]
    if not check_shape(out, "Q", [n, m]):
        return [f"\"Q\" missing or not {n}x{m} strings: {short(json.dumps(out.get('Q')), 200)}"]
    entries = [(f"V[{s}]", out["V"][s], V[s], "V") for s in range(n)]
    entries += [(f"Q[{s}][{a}]", out["Q"][s][a], Q[s][a], "Q") for s in range(n) for a in range(m)]
    if mode == "exact":
        for name, got, want, _ in entries:
            if got == ref.format_fraction(want):
                continue
            try:
                note = " (same value, non-canonical spelling)" if num(got, name) == want else ""
            except ValueError:
                note = " (unreadable)"
            probs.append(f"{name}: rmdp \"{short(got)}\" != {label} \"{short(want)}\"{note}")
        return probs
    if mode.startswith("interval:"):
        for name, got, want, _ in entries:
            try:
                lo, hi = interval(got, name)
            except ValueError as exc:
                probs.append(str(exc))
                continue
            if not (lo <= want <= hi):
                probs.append(f"{name}: rmdp {short(got, 200)} does not contain {label} "
                             f"{short(want)} ({approx(want)})")
        return probs
    bounds = {}
    for which in ("V", "Q"):
        key = which + "_error_bound"
        try:
            bounds[which] = num(out.get(key), key)
        except ValueError as exc:
            probs.append(f"missing/unreadable {key}: {exc}")
            continue
        if bounds[which] < 0:
            probs.append(f"{key} negative: {out[key]}")
    if probs:
        return probs
    for name, got, want, which in entries:
        try:
            v = num(got, name)
        except ValueError as exc:
            probs.append(str(exc))
            continue
        if abs(v - want) > bounds[which]:
            probs.append(f"{name}: rmdp {got} differs from {label} {short(want)} ({approx(want)}) by "
                         f"{float(abs(v - want)):.6g} > {which}_error_bound {out[which + '_error_bound']}")
    return probs


def worst_case_problems(mode, out, rm, V):
    n, m = rm.n, rm.m
    if not check_shape(out, "worst_case", [n, m, n]):
        return [f"\"worst_case\" missing or not {n}x{m}x{n} strings"]
    verts = rm.vertices()
    probs = []
    scale = 1 + max(abs(x) for x in V)
    for s in range(n):
        for a in range(m):
            row = out["worst_case"][s][a]
            try:
                p = [num(x, f"worst_case[{s}][{a}][{t}]") for t, x in enumerate(row)]
            except ValueError as exc:
                probs.append(str(exc))
                continue
            best = rr.best_vertex_value(verts[s][a], V)
            val = rr.dot(p, V)
            st = rm.sets[s][a]
            shown = "[" + ", ".join(short(x, 40) for x in row) + "]"
            if mode == "exact":
                if st.kind == "weighted-l1" and sum(1 for x, y in zip(p, st.q) if x > y) >= 2:
                    TWO_RECEIVER_ROWS[0] += 1
                if not st.contains(p):
                    probs.append(f"worst_case[{s}][{a}] = {shown} is NOT in U[{s}][{a}] "
                                 f"({describe_set(st)})")
                elif val != best:
                    probs.append(f"worst_case[{s}][{a}] = {shown}: <p,V> = {short(val)} != max over U "
                                 f"{short(best)} (a maximiser: {fmt_vec(rm_argmax(verts[s][a], V))})")
            else:
                tol = float_kernel_tol(mode)
                viol = st.violation(p)
                if viol > tol:
                    probs.append(f"worst_case[{s}][{a}] = {shown} is outside U[{s}][{a}] by "
                                 f"{float(viol):.3g} > {float(tol):.0e} ({describe_set(st)})")
                elif abs(val - best) > tol * scale:
                    probs.append(f"worst_case[{s}][{a}] = {shown}: <p,V> {approx(val)} differs from the "
                                 f"max over U {approx(best)} by more than {float(tol * scale):.3g}")
    return probs


def rm_argmax(verts, V):
    return max(verts, key=lambda v: rr.dot(v, V))


def fmt_vec(v):
    return "[" + ", ".join(ref.format_fraction(x) for x in v) + "]"


def describe_set(st):
    if st.kind == "l1":
        return (f"l1 ball around {fmt_vec(st.q)} of radius {ref.format_fraction(st.r)}"
                + (" on the nominal support" if st.nominal_support else ""))
    if st.kind == "weighted-l1":
        return (f"weighted l1 ball around {fmt_vec(st.q)} with weights {fmt_vec(st.w)} "
                f"of radius {ref.format_fraction(st.r)}")
    if st.kind == "interval":
        return f"box {fmt_vec(st.lower)}..{fmt_vec(st.upper)}"
    if st.kind == "finite":
        return "hull of " + ", ".join(fmt_vec(d) for d in st.dists)
    return f"the point {fmt_vec(st.q)}"


def policy_problems(mode, out, rm, sol, E_Q=None, width=None):
    """(problems, notes) about the returned policy."""
    n, m = rm.n, rm.m
    if not check_shape(out, "policy", [n, m]):
        return [f"\"policy\" missing or not {n}x{m} strings"], []
    actions = []
    for s in range(n):
        try:
            row = [num(x, f"policy[{s}][{a}]") for a, x in enumerate(out["policy"][s])]
        except ValueError as exc:
            return [str(exc)], []
        ones = [a for a in range(m) if row[a] == 1]
        if len(ones) != 1 or any(row[a] != 0 for a in range(m) if a != ones[0]):
            return [f"policy[{s}] = {out['policy'][s]} is not deterministic"], []
        actions.append(ones[0])
    actions = tuple(actions)
    Vp = sol.values[actions]
    if Vp == sol.V:
        return [], []
    gap = max(Vp[s] - sol.V[s] for s in range(n))
    where = [s for s in range(n) if Vp[s] != sol.V[s]]
    s0 = where[0]
    msg = (f"policy {list(actions)} is not optimal: its robust value at state {s0} is "
           f"{short(Vp[s0])} ({approx(Vp[s0])}) > V* {short(sol.V[s0])} ({approx(sol.V[s0])}); "
           f"optimal policies: {[list(k) for k in sol.optimal][:4]}")
    if mode == "exact":
        return [msg], []
    g = rm.gamma
    slack = None
    if E_Q is not None:
        slack = 2 * E_Q / (1 - g)
    elif width is not None:
        slack = 2 * width / (1 - g)
    if slack is not None and gap <= slack:
        return [], [msg + f" -- within the float slack {float(slack):.3g}"]
    return [msg + (f" (gap {float(gap):.3g} > slack {float(slack):.3g})" if slack is not None else "")], []


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def vi_epsilon(rm, sol, bits, choices, rng):
    """An --epsilon for value iteration that floating point can reach, or
    None for rmdp's default (1e-10).

    In p-bit arithmetic each Bellman step errs by a few ulps (delta), so the
    computed differences only shrink to about 2 delta / (1 - gamma), and the
    stopping rule gamma/(1-gamma) ||V_{k+1} - V_k|| <= eps can be unreachable
    for small eps when gamma is close to 1 (rmdp then stops with an error after
    10^7 iterations).  A chosen eps below
    gamma / (1-gamma)^2 * 2^-bits * 64 * (1 + max|V*|) is raised to a power of
    ten above it."""
    g = rm.gamma
    scale = 1 + max(abs(x) for x in sol.V)
    floor = g / (1 - g) ** 2 * Fraction(64, 2 ** bits) * scale
    choice = rng.choice(choices)
    eps = Fraction(1, 10**10) if choice is None else ref.parse_number(choice)
    if eps >= floor:
        return None if choice is None else eps
    k = 0
    while Fraction(1, 10**k) > floor:
        k += 1
    return Fraction(1, 10 ** (k - 1))


def epsilon_args(eps, rng):
    if eps is None:
        return []
    text = ref.format_fraction(eps)
    if eps.numerator == 1 and str(eps.denominator).rstrip("0") == "1":
        text = rng.choice([text, f"1e-{len(str(eps.denominator)) - 1}"])
    return ["--epsilon", text]


def build_jobs(idx, mdp_path, pol_path, rng, rm=None, sol=None):
    ev = ["evaluate", mdp_path, "--policy", pol_path, "--json"]
    so = ["solve", mdp_path, "--json"]
    jobs = [("evaluate", "exact", ev + (["--arith", "exact"] if rng.random() < 0.5 else [])),
            ("evaluate", "double", ev + ["--arith", "double"]),
            ("evaluate", "long-double", ev + ["--arith", "long-double"]),
            ("evaluate", "mpfr:120", ev + ["--arith", "mpfr:120"]),
            ("evaluate", "interval:120", ev + ["--arith", "interval:120"]),
            ("nominal", "exact", ev + ["--nominal", "--arith", "exact"]),
            ("solve", "exact", so + (["--method", "pi"] if rng.random() < 0.5 else [])),
            ("solve", "double", so + ["--arith", "double", "--method", "pi"]),
            ("solve", "long-double", so + ["--arith", "long-double"]),
            ("solve", "mpfr:120", so + ["--arith", "mpfr:120"]),
            ("solve", "interval:120", so + ["--arith", "interval:120"]),
            ("solve-vi", "double", so + ["--arith", "double", "--method", "vi"]
             + epsilon_args(vi_epsilon(rm, sol, 53, [None, None, "1e-6", "1e-12", "1/1000"], rng), rng)),
            ("solve-vi", "mpfr:120", so + ["--arith", "mpfr:120", "--method", "vi"]
             + epsilon_args(vi_epsilon(rm, sol, 120, ["1e-20", "1e-30", "1e-25"], rng), rng))]
    return jobs


def check_job(kind, mode, out_text, inst):
    """(problems, notes)."""
    try:
        out = json.loads(out_text)
    except json.JSONDecodeError as exc:
        return [f"stdout is not JSON ({exc}): {out_text[:200]!r}"], []
    if not isinstance(out, dict):
        return ["stdout is not a JSON object"], []
    rm = inst["rm"]
    if kind == "nominal":
        return values_problems("exact", out, inst["nom_V"], inst["nom_Q"], "nominal reference"), []
    if kind == "evaluate":
        ev = inst["ev"]
        probs = values_problems(mode, out, ev.V, ev.Q, "reference")
        if rm.utype != "none" and out.get("kernel") != "robust":
            probs.append(f"\"kernel\" is {json.dumps(out.get('kernel'))}, expected \"robust\"")
        # "worst_case" is required for a robust kernel in exact/double/mpfr
        # mode; for type none (nominal kernel) it is checked only if printed.
        if not mode.startswith("interval:") and not probs and (
                rm.utype != "none" or "worst_case" in out):
            probs += worst_case_problems(mode, out, rm, ev.V)
        return probs, []
    sol = inst["sol"]
    probs = values_problems(mode, out, sol.V, sol.Q, "reference")
    if probs:
        return probs, []
    if mode == "exact":
        return policy_problems(mode, out, rm, sol)
    if mode.startswith("interval:"):
        width = Fraction(0)
        for row in out["Q"]:
            for x in row:
                lo, hi = interval(x, "Q")
                width = max(width, hi - lo)
        return policy_problems(mode, out, rm, sol, width=width)
    return policy_problems(mode, out, rm, sol, E_Q=num(out["Q_error_bound"], "Q_error_bound"))


def prepare(name, workdir, mdp_path, pol_path, rm, pol, desc):
    """Reference answers for one instance (also written next to it)."""
    ev = rr.robust_evaluate(rm, pol, limit=KERNEL_LIMIT, grid=6 if rm.n <= 3 else 0)
    sol = rr.robust_solve(rm, limit=KERNEL_LIMIT)
    nom_V, nom_Q = ref.evaluate(rm.mdp, pol)
    with open(os.path.join(workdir, os.path.basename(mdp_path).replace("_mdp.json", "_reference.json")),
              "w") as fh:
        json.dump({"evaluate": {"V": [ref.format_fraction(x) for x in ev.V],
                                "Q": [[ref.format_fraction(x) for x in r] for r in ev.Q]},
                   "solve": {"V": [ref.format_fraction(x) for x in sol.V],
                             "Q": [[ref.format_fraction(x) for x in r] for r in sol.Q],
                             "optimal_policies": [list(k) for k in sol.optimal]}}, fh)
        fh.write("\n")
    return {"name": name, "mdp": mdp_path, "pol": pol_path, "desc": desc, "rm": rm, "ev": ev,
            "sol": sol, "nom_V": nom_V, "nom_Q": nom_Q}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--count", type=int,
                    default=int(os.environ.get("RMDP_ROBUST_DIFF_COUNT", DEFAULT_COUNT)))
    ap.add_argument("--seed", type=int,
                    default=int(os.environ.get("RMDP_ROBUST_DIFF_SEED", DEFAULT_SEED)))
    ap.add_argument("--keep-dir")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--jobs", type=int, default=max(1, os.cpu_count() or 1))
    ap.add_argument("--no-regressions", action="store_true",
                    help="skip the fixed minimal instances of known disagreements (REGRESSIONS)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if not (os.path.isfile(args.binary) and os.access(args.binary, os.X_OK)):
        print(f"error: {args.binary} is not an executable file", file=sys.stderr)
        return 2
    if args.keep_dir:
        workdir = os.path.abspath(args.keep_dir)
        os.makedirs(workdir, exist_ok=True)
    else:
        workdir = tempfile.mkdtemp(prefix="rmdp-robust-differential-")
    print(f"robust differential test: seed {args.seed}, count {args.count}, dir {workdir}", flush=True)
    t0 = time.time()
    rng = random.Random(args.seed)
    instances, jobs = [], []
    for i in range(args.count):
        mdp_json, exact, desc = generate_instance(i, rng)
        mdp_path = os.path.join(workdir, f"robust_{i:03d}_mdp.json")
        with open(mdp_path, "w") as fh:
            json.dump(mdp_json, fh, indent=rng.choice([None, 1]))
            fh.write("\n")
        rm = rr.load_robust_mdp(mdp_path)
        if (rm.gamma, rm.cost, rm.P) != (exact["gamma"], exact["cost"], exact["P"]) \
                or not same_sets(rm, exact["U"]):
            print(f"internal error: generator/parser disagree on {mdp_path}", file=sys.stderr)
            return 2
        pol = make_evaluable(rm, exact["policy"], rng)
        pol_path = os.path.join(workdir, f"robust_{i:03d}_policy.json")
        with open(pol_path, "w") as fh:
            json.dump(policy_json(pol, rng), fh)
            fh.write("\n")
        if ref.load_policy(pol_path, rm.mdp) != pol:
            print(f"internal error: policy file {pol_path} misread", file=sys.stderr)
            return 2
        inst = prepare(f"{i:03d}", workdir, mdp_path, pol_path, rm, pol, desc)
        instances.append(inst)
        sol = inst["sol"]
        for kind, mode, cmd in build_jobs(i, mdp_path, pol_path, rng, rm, sol):
            jobs.append((inst, kind, mode, cmd))
    if not args.no_regressions:
        for name, mdp_obj, pol, cmds in REGRESSIONS:
            mdp_path = os.path.join(workdir, f"regression_{name}_mdp.json")
            pol_path = os.path.join(workdir, f"regression_{name}_policy.json")
            with open(mdp_path, "w") as fh:
                json.dump(mdp_obj, fh)
            with open(pol_path, "w") as fh:
                json.dump({"policy": pol}, fh)
            rm = rr.load_robust_mdp(mdp_path)
            inst = prepare(name, workdir, mdp_path, pol_path, rm, ref.load_policy(pol_path, rm.mdp),
                           "regression (minimal instance of a known disagreement)")
            instances.append(inst)
            for kind, mode in cmds:
                cmd = (["evaluate", mdp_path, "--policy", pol_path] if kind == "evaluate"
                       else ["solve", mdp_path]) + ["--json", "--arith", mode]
                jobs.append((inst, kind, mode, cmd))
    t_ref = time.time() - t0

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda j: run_rmdp(args.binary, j[3], args.timeout), jobs))

    passed = failed = 0
    notes = []
    for (inst, kind, mode, cmd), (rc, out, err) in zip(jobs, results):
        label = f"robust {inst['name']} [{kind} {mode}]"
        if rc != 0:
            problems, nts = [f"exit status {rc}; stderr: {err.strip()[:400]!r}"], []
        else:
            try:
                problems, nts = check_job(kind, mode, out, inst)
            except ValueError as exc:
                problems, nts = [f"unreadable output: {exc}"], []
        for nt in nts:
            notes.append(f"NOTE {label} {inst['mdp']}: {nt}")
        if not problems:
            passed += 1
            if args.verbose:
                print(f"ok   {label} {inst['desc']}")
            continue
        failed += 1
        raw = inst["mdp"].replace("_mdp.json", f"_{kind}_{mode.replace(':', '_')}.stdout")
        with open(raw, "w") as fh:
            fh.write(out)
        print(f"FAIL {label} {inst['desc']}")
        print(f"     instance: {inst['mdp']}" + (f"  policy: {inst['pol']}" if kind != "solve" else ""))
        print(f"     command:  {args.binary} {' '.join(cmd)}")
        print(f"     rmdp stdout saved to {raw}")
        for p in problems[:MAX_REPORTED]:
            print(f"     {p}")
        if len(problems) > MAX_REPORTED:
            print(f"     ... and {len(problems) - MAX_REPORTED} more")
        sys.stdout.flush()
    for nt in notes:
        print(nt)
    if args.verbose:
        print(f"reference time {t_ref:.1f} s, total {time.time() - t0:.1f} s; "
              f"max kernels enumerated {max(x['ev'].kernels for x in instances) if instances else 0}")
    if failed and not args.keep_dir:
        print(f"instances kept in {workdir}")
    elif not failed and not args.keep_dir:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"weighted-l1 worst cases with two or more receivers: {TWO_RECEIVER_ROWS[0]}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
