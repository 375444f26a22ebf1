#!/usr/bin/env python3
"""Independent exact reference for `rmdp gradient` (Fractions, standard library only).

Written from the definitions (claims.md "Conventions", docs/gradients.md), not from rmdp's C++:

  f_rho(pi)            = rho . V_r^pi, V_r^pi by brute force over nature's vertex kernels
                         (robust_reference.robust_evaluate);
  gradient at kernel u = d_rho^{pi,u}(s) Q_u^pi(s,a) / (1-gamma), with
                         d_rho^{pi,u} = (1-gamma) rho^T (I - gamma P_u^pi)^{-1} solved as the
                         transposed system, Q_u^pi = c + gamma P_u V_u^pi;
  f_rho'(pi; delta)    = max over kernels u whose rows are VERTICES of the faces
                         F_{s,a} = argmax_{p in U_{s,a}} <p, V_r^pi> (enumerated: a face of a
                         polytope is the hull of the polytope's vertices in it) of
                         rho^T (I - gamma P_u^pi)^{-1} h, h(s) = sum_a delta(s,a) Q_r^pi(s,a);
                         W = the componentwise maximum, which one kernel must attain.

Usage: gradient_reference.py MDP.json POL.json [DIR.json]   prints JSON like
`rmdp gradient --json` ("f", "V", "occupancy", "gradient", "worst_case", and with a direction
"directional_derivative", "h", "W"). Bad input: message on stderr, exit 2.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from fractions import Fraction

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import exact_reference as ref  # noqa: E402
import robust_reference as rr  # noqa: E402
from exact_reference import InputError, format_fraction  # noqa: E402

ZERO, ONE = Fraction(0), Fraction(1)


def rho_of(rm):
    return list(rm.mdp.rho) if rm.mdp.rho is not None else [Fraction(1, rm.n)] * rm.n


def mixed(kernel, pol, n, m):
    """P_u^pi as an n x n list."""
    return [[sum((pol[s][a] * kernel[s][a][t] for a in range(m)), ZERO) for t in range(n)] for s in range(n)]


def resolvent_right(gamma, P, b):
    n = len(P)
    A = [[(ONE if s == t else ZERO) - gamma * P[s][t] for t in range(n)] for s in range(n)]
    return ref.solve_linear_system(A, b)


def resolvent_left(gamma, P, b):
    """x with x (I - gamma P) = b, i.e. (I - gamma P)^T x = b."""
    n = len(P)
    A = [[(ONE if s == t else ZERO) - gamma * P[t][s] for t in range(n)] for s in range(n)]
    return ref.solve_linear_system(A, b)


def gradient_at(rm, pol, kernel):
    """f, V_u, Q_u, d_rho^{pi,u}, gradient for the kernel u."""
    n, m, g = rm.n, rm.m, rm.gamma
    rho = rho_of(rm)
    P = mixed(kernel, pol, n, m)
    c_pi = [sum((pol[s][a] * rm.cost[s][a] for a in range(m)), ZERO) for s in range(n)]
    V = resolvent_right(g, P, c_pi)
    Q = [[rm.cost[s][a] + g * rr.dot(kernel[s][a], V) for a in range(m)] for s in range(n)]
    d = resolvent_left(g, P, [(1 - g) * r for r in rho])
    grad = [[d[s] * Q[s][a] / (1 - g) for a in range(m)] for s in range(n)]
    return {"f": rr.dot(rho, V), "V": V, "Q": Q, "occupancy": d, "gradient": grad}


def face_vertices(rm, V):
    verts = rm.vertices()
    out = []
    for s in range(rm.n):
        row = []
        for a in range(rm.m):
            best = rr.best_vertex_value(verts[s][a], V)
            row.append([v for v in verts[s][a] if rr.dot(v, V) == best])
        out.append(row)
    return out


def directional_derivative(rm, pol, V, Q, delta):
    """(f', h, W) by enumerating the kernels of face vertices (rows with pi(a|s) > 0 only:
    the others do not enter P_u^pi)."""
    n, m, g = rm.n, rm.m, rm.gamma
    rho = rho_of(rm)
    faces = face_vertices(rm, V)
    h = [sum((delta[s][a] * Q[s][a] for a in range(m)), ZERO) for s in range(n)]
    per_state = []
    for s in range(n):
        support = [a for a in range(m) if pol[s][a] != 0]
        rows = {}
        for combo in itertools.product(*(faces[s][a] for a in support)):
            rows.setdefault(tuple(sum((pol[s][a] * v[t] for a, v in zip(support, combo)), ZERO)
                                  for t in range(n)), None)
        per_state.append(list(rows))
    values = [resolvent_right(g, [list(r) for r in rows], h) for rows in itertools.product(*per_state)]
    W = [max(w[s] for w in values) for s in range(n)]
    if not any(list(w) == W for w in values):
        raise AssertionError("reference: no single face kernel attains the componentwise max")
    return rr.dot(rho, W), h, W


def reference(rm, pol, delta=None):
    ev = rr.robust_evaluate(rm, pol)
    kernel = [[ev.argmax[s][a][0] for a in range(rm.m)] for s in range(rm.n)]
    out = gradient_at(rm, pol, kernel)
    out["worst_case"] = kernel
    if delta is not None:
        out["directional_derivative"], out["h"], out["W"] = directional_derivative(rm, pol, ev.V, ev.Q, delta)
    return out


def spell_out(obj):
    if isinstance(obj, Fraction):
        return format_fraction(obj)
    if isinstance(obj, (list, tuple)):
        return [spell_out(x) for x in obj]
    if isinstance(obj, dict):
        return {k: spell_out(v) for k, v in obj.items()}
    return obj


def main(argv):
    try:
        if len(argv) not in (3, 4):
            print(f"usage: {argv[0]} MDP.json POL.json [DIR.json]", file=sys.stderr)
            return 2
        rm = rr.load_robust_mdp(argv[1])
        pol = ref.load_policy(argv[2], rm.mdp)
        delta = None
        if len(argv) == 4:
            raw = ref._load_json(argv[3])["direction"]
            delta = [[ref.parse_number(x, "direction") for x in row] for row in raw]
        out = reference(rm, pol, delta)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out.pop("Q", None)
    json.dump(spell_out(out), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
