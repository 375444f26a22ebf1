#!/usr/bin/env python3
"""Independent exact reference for `rmdp mbpo` (docs/mbpo.md). Standard library only.

Written from the definitions of docs/mbpo.md, not from rmdp's C++ sources. Where rmdp uses closed
forms (Horner sums, the resolvent of gamma^2 P^{pi_D}), this file solves ONE linear system over an
augmented state space per quantity, so the two derivations are independent:

  branched returns  nodes pre(s), branch_j(s) (j < k), after(s); the branch time is geometric, so
                    V_pre(s) = (1-gamma) V_branch_0(s) + gamma [r_D(s) + gamma sum P_D(s,s') V_pre(s')]
                    (reading b: eta = rho . V_branch_0);
  eps brackets      d_t by repeated vector-matrix products, (P^T w) by matrix powers, R by search.

Usage: mbpo_reference.py INSTANCE.json HORIZON_M HORIZON_MP [HORIZON_NOTES]  ->  JSON with the same
keys as `rmdp mbpo --json` (eta, eta_hat, eps_pi, eta_branch, eps brackets at the given horizons, C's).
"""
from __future__ import annotations

import json
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exact_reference import format_fraction, parse_number, solve_linear_system  # noqa: E402


def load(obj: dict) -> dict:
    S, A = obj["states"], obj["actions"]
    num = lambda x: parse_number(x)  # noqa: E731
    inst = {
        "S": S, "A": A, "gamma": num(obj["gamma"]), "k": obj["k"],
        "r": [[num(x) for x in row] for row in obj["reward"]],
        "P": [[[num(x) for x in d] for d in row] for row in obj["P"]],
        "Ph": [[[num(x) for x in d] for d in row] for row in obj["P_model"]],
        "rho": [num(x) for x in obj["rho"]] if "rho" in obj else [Fraction(1, S)] * S,
        "piD": [[num(x) for x in row] for row in obj["pi_data"]],
        "pi": [[num(x) for x in row] for row in obj["pi"]],
    }
    rmax = max(abs(x) for row in inst["r"] for x in row)
    inst["rmax"] = num(obj["r_max"]) if "r_max" in obj else rmax
    return inst


def tv(p, q) -> Fraction:
    return sum(abs(a - b) for a, b in zip(p, q)) / 2


def chain(inst, kernel, pol):
    S, A = inst["S"], inst["A"]
    return [[sum(pol[s][a] * kernel[s][a][t] for a in range(A)) for t in range(S)] for s in range(S)]


def reward(inst, pol):
    return [sum(pol[s][a] * inst["r"][s][a] for a in range(inst["A"])) for s in range(inst["S"])]


def value(inst, kernel, pol):
    S, g = inst["S"], inst["gamma"]
    M = chain(inst, kernel, pol)
    return solve_linear_system([[(1 if s == t else 0) - g * M[s][t] for t in range(S)] for s in range(S)], reward(inst, pol))


def branched(inst, reading: str) -> Fraction:
    """One linear system over nodes pre(s) [0..S), branch_j(s) [S(1+j)..), after(s) [S(k+1)..)."""
    S, k, g = inst["S"], inst["k"], inst["gamma"]
    n = S * (k + 2)
    pre, br, after = (lambda s: s), (lambda j, s: S * (1 + j) + s), (lambda s: S * (k + 1) + s)
    M = [[Fraction(0)] * n for _ in range(n)]
    b = [Fraction(0)] * n
    PD, rD = chain(inst, inst["P"], inst["piD"]), reward(inst, inst["piD"])
    Ph, rpi = chain(inst, inst["Ph"], inst["pi"]), reward(inst, inst["pi"])
    for s in range(S):
        # pre: branch now (prob 1-gamma, no time passes) or act with pi_D on p.
        M[pre(s)][pre(s)] += 1
        M[pre(s)][br(0, s) if k > 0 else after(s)] -= 1 - g
        b[pre(s)] = g * rD[s]
        for t in range(S):
            M[pre(s)][pre(t)] -= g * g * PD[s][t]
        for j in range(k):
            M[br(j, s)][br(j, s)] += 1
            b[br(j, s)] = rpi[s]
            nxt = (lambda t: br(j + 1, t)) if j + 1 < k else after
            for t in range(S):
                M[br(j, s)][nxt(t)] -= g * Ph[s][t]
        M[after(s)][after(s)] += 1
        if reading in ("a2", "a3", "b"):
            pol = inst["pi"] if reading == "a2" else inst["piD"]
            Pa, ra = chain(inst, inst["P"], pol), reward(inst, pol)
            b[after(s)] = ra[s]
            for t in range(S):
                M[after(s)][after(t)] -= g * Pa[s][t]
    x = solve_linear_system(M, b)
    start = (lambda s: br(0, s) if k > 0 else after(s)) if reading == "b" else pre
    return sum(inst["rho"][s] * x[start(s)] for s in range(S))


def bracket(inst, states_pol, actions_pol, horizon: int):
    S = inst["S"]
    M = chain(inst, inst["P"], states_pol)
    w = [sum(actions_pol[s][a] * tv(inst["P"][s][a], inst["Ph"][s][a]) for a in range(inst["A"])) for s in range(S)]
    reach = {s for s in range(S) if inst["rho"][s] != 0}
    todo = list(reach)
    while todo:
        s = todo.pop()
        for t in range(S):
            if M[s][t] != 0 and t not in reach:
                reach.add(t)
                todo.append(t)
    d, lower = list(inst["rho"]), None
    for _ in range(horizon + 1):
        dw = sum(d[s] * w[s] for s in range(S))
        lower = dw if lower is None else max(lower, dw)
        d = [sum(d[s] * M[s][t] for s in range(S)) for t in range(S)]
    Pw = list(w)
    for _ in range(horizon):
        Pw = [sum(M[s][t] * Pw[t] for t in range(S)) for s in range(S)]
    return lower, max([lower] + [Pw[s] for s in reach])


def bounds(inst, eps_m: Fraction, eps_mp: Fraction, eps_notes: Fraction, eps_pi: Fraction) -> dict:
    g, R, k = inst["gamma"], inst["rmax"], inst["k"]
    om = 1 - g
    branch = lambda model: 2 * R * (g ** (k + 1) * eps_pi / om**2 + (g**k + 2) * eps_pi / om + k * model / om)  # noqa: E731
    return {"4.1": 2 * g * R * (eps_m + 2 * eps_pi) / om**2 + 4 * R * eps_pi / om,
            "4.2": branch(eps_m + 2 * eps_pi), "4.3": branch(eps_mp), "4.3-notes": branch(eps_notes)}


def reference(obj: dict, horizon_m: int, horizon_mp: int, horizon_notes: int | None = None) -> dict:
    inst = load(obj)
    eta = sum(r * v for r, v in zip(inst["rho"], value(inst, inst["P"], inst["pi"])))
    eta_hat = sum(r * v for r, v in zip(inst["rho"], value(inst, inst["Ph"], inst["pi"])))
    eps_pi = max(tv(a, b) for a, b in zip(inst["pi"], inst["piD"]))
    m_lo, m_hi = bracket(inst, inst["piD"], inst["piD"], horizon_m)
    mp_lo, mp_hi = bracket(inst, inst["pi"], inst["pi"], horizon_mp)
    # The notes' eps_m' (Theorem 4.3's "E_{s~pi_D,t}"): states of the data process, actions of pi.
    n_lo, n_hi = bracket(inst, inst["piD"], inst["pi"], horizon_m if horizon_notes is None else horizon_notes)
    f = format_fraction
    return {
        "eta": f(eta), "eta_hat": f(eta_hat), "eps_pi": f(eps_pi),
        "eta_branch": {r: f(branched(inst, r)) for r in ("a", "a2", "a3", "b")},
        "eps_m": {"lower": f(m_lo), "upper": f(m_hi)},
        "eps_m_prime": {"lower": f(mp_lo), "upper": f(mp_hi)},
        "eps_m_prime_notes": {"lower": f(n_lo), "upper": f(n_hi)},
        "C_lower": {key: f(v) for key, v in bounds(inst, m_lo, mp_lo, n_lo, eps_pi).items()},
        "C_upper": {key: f(v) for key, v in bounds(inst, m_hi, mp_hi, n_hi, eps_pi).items()},
    }


def main(argv: list[str]) -> int:
    if len(argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as fh:
        obj = json.load(fh)
    notes = int(argv[4]) if len(argv) == 5 else None
    print(json.dumps(reference(obj, int(argv[2]), int(argv[3]), notes), indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
