#!/usr/bin/env python3
"""Independent exact reference for rmdp's ROBUST policy evaluation and solve.

Standard library only; written from the definitions (docs/format.md and the
robust MDP definitions), not from rmdp's C++ sources.  Costs are minimised by
the agent and maximised by nature over an (s,a)-rectangular set
U = x_{s,a} U_{s,a}.

Method (deliberately brute force, and different from "greedy mass moving +
policy iteration"):

  1. Every U_{s,a} is a polytope.  Its VERTICES are enumerated exactly:
       none     : {P_N(.|s,a)}
       l1       : H-representation of {p : sum p = 1, p >= 0,
                  sigma.(p - q) <= r for every sign vector sigma in {-1,1}^n}
                  (this is the L1 ball intersected with the simplex);
                  with "support": "nominal" also p_i <= 0 where q_i = 0;
       weighted-l1: the same with sigma_i w_i in place of sigma_i;
       interval : {p : sum p = 1, lower <= p <= upper, p >= 0};
       finite   : the listed distributions (their convex hull's extreme
                  points are among them, which is all a maximum needs).
     For the H-polytopes every choice of n-1 inequalities is made active,
     together with sum p = 1, the n x n system is solved exactly (Fractions)
     and the solution kept if it is unique and feasible: the basic feasible
     solutions, i.e. the vertices.
     So max_{p in U_{s,a}} <p, V> = max over the vertices of <v, V>.

  2. V_r^pi: nature's deterministic choices are one vertex per (s,a) with
     pi(a|s) > 0.  Each choice is a kernel u; V_u^pi = (I - gamma P_u^pi)^-1 c^pi
     exactly.  V_r^pi = componentwise max over all these kernels; it is checked
     that ONE kernel attains the maximum at every state.

  3. V* = componentwise min over deterministic agent policies of V_r^pi; it is
     checked that one policy attains it at every state.

  4. Self-checks (exact): V_r^pi(s) = sum_a pi(a|s) Q_r^pi(s,a) with
     Q_r^pi(s,a) = c(s,a) + gamma max_{vertex} <v, V_r^pi>  (robust Bellman
     fixed point), V*(s) = min_a Q*(s,a), every vertex lies in U_{s,a}, and
     (optionally) no point of a rational grid of the simplex that lies in
     U_{s,a} beats the best vertex.

Usage as a CLI:
    robust_reference.py evaluate MDP.json POL.json
    robust_reference.py solve MDP.json
prints JSON shaped like rmdp's exact output ("V", "Q", "worst_case" /
"policy").  Bad input: message on stderr, exit status 2.
"""

from __future__ import annotations

import itertools
import json
import sys
import os
from fractions import Fraction

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import exact_reference as ref  # noqa: E402
from exact_reference import InputError, format_fraction, parse_number  # noqa: E402

__all__ = [
    "RobustMDP", "TooLarge", "parse_robust_mdp", "load_robust_mdp",
    "solve_unique", "h_vertices", "L1Set", "IntervalSet", "FiniteSet", "PointSet",
    "robust_evaluate", "robust_solve", "grid_points",
]

ZERO = Fraction(0)
ONE = Fraction(1)

# Maximum number of nature kernels enumerated for one policy.
DEFAULT_KERNEL_LIMIT = 20000


class TooLarge(RuntimeError):
    """The brute-force enumeration would be too big for this instance."""


# --------------------------------------------------------------------------
# Exact linear algebra
# --------------------------------------------------------------------------


def solve_unique(A, b):
    """The unique x with A x = b (A: r x c, r >= c allowed), or None when the
    system is inconsistent or has more than one solution (rank < c)."""
    rows = len(A)
    cols = len(A[0]) if rows else 0
    M = [[Fraction(x) for x in A[i]] + [Fraction(b[i])] for i in range(rows)]
    r = 0
    for col in range(cols):
        p = next((i for i in range(r, rows) if M[i][col] != 0), None)
        if p is None:
            return None  # rank deficient in this column: not unique
        M[r], M[p] = M[p], M[r]
        inv = 1 / M[r][col]
        M[r] = [x * inv for x in M[r]]
        for i in range(rows):
            if i != r and M[i][col] != 0:
                f = M[i][col]
                M[i] = [x - f * y for x, y in zip(M[i], M[r])]
        r += 1
    # consistency: remaining rows must read 0 = 0
    for i in range(r, rows):
        if M[i][cols] != 0:
            return None
    return [M[i][cols] for i in range(cols)]


def dot(p, v):
    return sum((x * y for x, y in zip(p, v)), ZERO)


def h_vertices(n, G, h):
    """Vertices of {p in Q^n : sum(p) = 1, G p <= h} by enumerating every set
    of n-1 active inequalities (basic feasible solutions).  Returns a list of
    distinct tuples, in a deterministic order."""
    found = {}
    k = len(G)
    ones = [ONE] * n
    for active in itertools.combinations(range(k), n - 1):
        A = [ones] + [G[i] for i in active]
        b = [ONE] + [h[i] for i in active]
        x = solve_unique(A, b)
        if x is None:
            continue
        if all(dot(G[i], x) <= h[i] for i in range(k)):
            found.setdefault(tuple(x), None)
    return list(found)


def simplex_violation(p):
    """max(|sum p - 1|, max(-p_i)) -- 0 iff p is in the simplex."""
    return max([abs(sum(p, ZERO) - 1)] + [-x for x in p] + [ZERO])


# --------------------------------------------------------------------------
# Uncertainty sets U_{s,a}
# --------------------------------------------------------------------------


class PointSet:
    """U = {q} (type none)."""

    kind = "none"

    def __init__(self, q):
        self.q = tuple(q)
        self.n = len(q)

    def vertices(self):
        return [self.q]

    def contains(self, p):
        return tuple(p) == self.q

    def violation(self, p):
        return max(abs(x - y) for x, y in zip(p, self.q))


class L1Set:
    """U = {p in simplex : sum_i w_i |p_i - q_i| <= r} (w = 1: type l1;
    weights given: type weighted-l1), and with nominal_support also p_i = 0
    wherever q_i = 0 (type l1 with "support": "nominal").

    H-representation: sum_i w_i |x_i| = max over sign vectors sigma of
    sum_i sigma_i w_i x_i, so the ball is {p : sum_i sigma_i w_i p_i <=
    r + sum_i sigma_i w_i q_i for every sigma}; the support restriction adds
    p_i <= 0 for q_i = 0 (with -p_i <= 0 that is p_i = 0)."""

    def __init__(self, q, r, weights=None, nominal_support=False):
        self.q = tuple(q)
        self.r = Fraction(r)
        self.n = len(q)
        self.w = tuple(Fraction(x) for x in weights) if weights is not None else (ONE,) * self.n
        self.kind = "weighted-l1" if weights is not None else "l1"
        self.nominal_support = nominal_support
        self._vertices = None

    def constraints(self):
        n = self.n
        G, h = [], []
        for i in range(n):  # -p_i <= 0
            G.append([-ONE if j == i else ZERO for j in range(n)])
            h.append(ZERO)
        if self.nominal_support:
            for i in range(n):  # p_i <= 0 outside the nominal support
                if self.q[i] == 0:
                    G.append([ONE if j == i else ZERO for j in range(n)])
                    h.append(ZERO)
        for sigma in itertools.product((ONE, -ONE), repeat=n):
            row = [x * w for x, w in zip(sigma, self.w)]
            G.append(row)
            h.append(self.r + dot(row, self.q))
        return G, h

    def vertices(self):
        if self._vertices is None:
            G, h = self.constraints()
            self._vertices = h_vertices(self.n, G, h)
        return self._vertices

    def distance(self, p):
        return sum((w * abs(x - y) for x, y, w in zip(p, self.q, self.w)), ZERO)

    def outside_support(self, p):
        if not self.nominal_support:
            return ZERO
        return max([abs(x) for x, y in zip(p, self.q) if y == 0] + [ZERO])

    def contains(self, p):
        return (simplex_violation(p) == 0 and self.outside_support(p) == 0
                and self.distance(p) <= self.r)

    def violation(self, p):
        return max(simplex_violation(p), self.outside_support(p), self.distance(p) - self.r, ZERO)


class IntervalSet:
    """U = {p in simplex : lower <= p <= upper}."""

    kind = "interval"

    def __init__(self, lower, upper):
        self.lower = tuple(lower)
        self.upper = tuple(upper)
        self.n = len(lower)
        self._vertices = None

    def constraints(self):
        n = self.n
        G, h = [], []
        for i in range(n):
            e = [ONE if j == i else ZERO for j in range(n)]
            G.append([-x for x in e])
            h.append(-max(self.lower[i], ZERO))  # p_i >= max(lower_i, 0)
            G.append(e)
            h.append(self.upper[i])
        return G, h

    def vertices(self):
        if self._vertices is None:
            G, h = self.constraints()
            self._vertices = h_vertices(self.n, G, h)
        return self._vertices

    def contains(self, p):
        return (simplex_violation(p) == 0
                and all(lo <= x <= hi for lo, x, hi in zip(self.lower, p, self.upper)))

    def violation(self, p):
        return max([simplex_violation(p)]
                   + [lo - x for lo, x in zip(self.lower, p)]
                   + [x - hi for x, hi in zip(p, self.upper)] + [ZERO])


class FiniteSet:
    """U = conv{d_1, ..., d_k}."""

    kind = "finite"

    def __init__(self, dists):
        uniq = {}
        for d in dists:
            uniq.setdefault(tuple(d), None)
        self.dists = list(uniq)
        self.n = len(self.dists[0])

    def vertices(self):
        return list(self.dists)

    def contains(self, p):
        """Exact convex-hull membership via Caratheodory: p is in the hull
        iff it is a convex combination of some affinely independent subset
        (at most n points)."""
        if simplex_violation(p) != 0:
            return False
        n = self.n
        for size in range(1, min(len(self.dists), n) + 1):
            for subset in itertools.combinations(self.dists, size):
                A = [[d[t] for d in subset] for t in range(n)] + [[ONE] * size]
                b = list(p) + [ONE]
                lam = solve_unique(A, b)
                if lam is not None and all(x >= 0 for x in lam):
                    return True
        return False

    def violation(self, p):
        # Only a necessary condition is measured (in the simplex); exact
        # membership is decided by contains().
        return simplex_violation(p)


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------


class RobustMDP:
    def __init__(self, mdp, utype, sets):
        self.mdp = mdp
        self.n, self.m, self.gamma = mdp.n, mdp.m, mdp.gamma
        self.cost, self.P = mdp.cost, mdp.P
        self.utype = utype
        self.sets = sets  # sets[s][a]
        self._verts = None

    def vertices(self):
        if self._verts is None:
            self._verts = [[self.sets[s][a].vertices() for a in range(self.m)]
                           for s in range(self.n)]
        return self._verts


def _expect_list(v, length, where):
    if not isinstance(v, list) or len(v) != length:
        raise InputError(where, f"expected a list of length {length}")
    return v


def _prob(x, where):
    v = parse_number(x, where)
    if not (0 <= v <= 1):
        raise InputError(where, f"must lie in [0,1], got {format_fraction(v)}")
    return v


def parse_robust_mdp(obj) -> RobustMDP:
    mdp = ref.parse_mdp(obj)
    n, m = mdp.n, mdp.m
    u = obj.get("uncertainty", {"type": "none"})
    if not isinstance(u, dict) or "type" not in u:
        raise InputError("uncertainty", "expected an object with a \"type\"")
    t = u["type"]
    allowed = {"none": {"type"}, "l1": {"type", "radius", "support"},
               "weighted-l1": {"type", "radius", "weights"},
               "interval": {"type", "lower", "upper"}, "finite": {"type", "distributions"}}
    if t not in allowed:
        raise InputError("uncertainty.type", f"unknown type {t!r}")
    extra = set(u) - allowed[t]
    if extra:
        raise InputError("uncertainty", f"unknown fields {sorted(extra)}")
    sets = [[None] * m for _ in range(n)]
    if t == "none":
        for s in range(n):
            for a in range(m):
                sets[s][a] = PointSet(mdp.P[s][a])
    elif t in ("l1", "weighted-l1"):
        if "radius" not in u:
            raise InputError("uncertainty.radius", "missing")
        rad = u["radius"]
        if isinstance(rad, list):
            _expect_list(rad, n, "uncertainty.radius")
            R = [[parse_number(x, f"uncertainty.radius[{s}][{a}]")
                  for a, x in enumerate(_expect_list(row, m, f"uncertainty.radius[{s}]"))]
                 for s, row in enumerate(rad)]
        else:
            r = parse_number(rad, "uncertainty.radius")
            R = [[r] * m for _ in range(n)]
        for s in range(n):
            for a in range(m):
                if R[s][a] < 0:
                    raise InputError(f"uncertainty.radius[{s}][{a}]", "negative radius")
        support = u.get("support", "all")
        if support not in ("all", "nominal"):
            raise InputError("uncertainty.support", f"expected \"all\" or \"nominal\", got {support!r}")
        W = None
        if t == "weighted-l1":
            if "weights" not in u:
                raise InputError("uncertainty.weights", "missing")
            W = [[[parse_number(x, f"uncertainty.weights[{s}][{a}][{i}]")
                   for i, x in enumerate(_expect_list(r, n, f"uncertainty.weights[{s}][{a}]"))]
                  for a, r in enumerate(_expect_list(row, m, f"uncertainty.weights[{s}]"))]
                 for s, row in enumerate(_expect_list(u["weights"], n, "uncertainty.weights"))]
            for s in range(n):
                for a in range(m):
                    for i in range(n):
                        if W[s][a][i] <= 0:
                            raise InputError(f"uncertainty.weights[{s}][{a}][{i}]", "weight not positive")
        for s in range(n):
            for a in range(m):
                sets[s][a] = L1Set(mdp.P[s][a], R[s][a], None if W is None else W[s][a],
                                   support == "nominal")
    elif t == "interval":
        for key in ("lower", "upper"):
            if key not in u:
                raise InputError(f"uncertainty.{key}", "missing")
        L = [[[_prob(x, f"uncertainty.lower[{s}][{a}][{i}]")
               for i, x in enumerate(_expect_list(r, n, f"uncertainty.lower[{s}][{a}]"))]
              for a, r in enumerate(_expect_list(row, m, f"uncertainty.lower[{s}]"))]
             for s, row in enumerate(_expect_list(u["lower"], n, "uncertainty.lower"))]
        U = [[[_prob(x, f"uncertainty.upper[{s}][{a}][{i}]")
               for i, x in enumerate(_expect_list(r, n, f"uncertainty.upper[{s}][{a}]"))]
              for a, r in enumerate(_expect_list(row, m, f"uncertainty.upper[{s}]"))]
             for s, row in enumerate(_expect_list(u["upper"], n, "uncertainty.upper"))]
        for s in range(n):
            for a in range(m):
                lo, hi = L[s][a], U[s][a]
                if any(x > y for x, y in zip(lo, hi)):
                    raise InputError(f"uncertainty[{s}][{a}]", "lower > upper")
                if not (sum(lo, ZERO) <= 1 <= sum(hi, ZERO)):
                    raise InputError(f"uncertainty[{s}][{a}]", "box does not meet the simplex")
                sets[s][a] = IntervalSet(lo, hi)
    else:  # finite
        if "distributions" not in u:
            raise InputError("uncertainty.distributions", "missing")
        D = _expect_list(u["distributions"], n, "uncertainty.distributions")
        for s in range(n):
            row = _expect_list(D[s], m, f"uncertainty.distributions[{s}]")
            for a in range(m):
                lst = row[a]
                if not isinstance(lst, list) or not lst:
                    raise InputError(f"uncertainty.distributions[{s}][{a}]",
                                     "expected a non-empty list of distributions")
                dists = [ref._parse_simplex_row(d, n, f"uncertainty.distributions[{s}][{a}][{k}]")
                         for k, d in enumerate(lst)]
                sets[s][a] = FiniteSet(dists)
    return RobustMDP(mdp, t, sets)


def load_robust_mdp(path: str) -> RobustMDP:
    return parse_robust_mdp(ref._load_json(path))


# --------------------------------------------------------------------------
# Robust evaluation and solve by enumeration
# --------------------------------------------------------------------------


def grid_points(n, D):
    """All points of the simplex with coordinates in (1/D)Z."""
    for cuts in itertools.combinations(range(D + n - 1), n - 1):
        prev, parts = -1, []
        for c in cuts:
            parts.append(c - prev - 1)
            prev = c
        parts.append(D + n - 1 - prev - 1)
        yield tuple(Fraction(x, D) for x in parts)


def best_vertex_value(verts, V):
    return max(dot(v, V) for v in verts)


def kernel_count(rm: RobustMDP, policy) -> int:
    verts = rm.vertices()
    total = 1
    for s in range(rm.n):
        for a in range(rm.m):
            if policy[s][a] != 0:
                total *= len(verts[s][a])
    return total


class RobustEvaluation:
    """V, Q (Fractions), the worst-case vertex choices, and bookkeeping."""

    def __init__(self, V, Q, argmax, kernels, attaining):
        self.V = V
        self.Q = Q
        self.argmax = argmax        # argmax[s][a]: list of maximising vertices
        self.kernels = kernels      # number of nature kernels enumerated
        self.attaining = attaining  # number of kernels attaining V at every state


def robust_evaluate(rm: RobustMDP, policy, limit=DEFAULT_KERNEL_LIMIT, check=True,
                    grid=0) -> RobustEvaluation:
    n, m, g = rm.n, rm.m, rm.gamma
    verts = rm.vertices()
    # Per state: the distinct mixed rows sum_a pi(a|s) v_a over vertex choices.
    per_state = []
    total = 1
    for s in range(n):
        support = [a for a in range(m) if policy[s][a] != 0]
        rows = {}
        for combo in itertools.product(*(verts[s][a] for a in support)):
            row = tuple(sum((policy[s][a] * v[t] for a, v in zip(support, combo)), ZERO)
                        for t in range(n))
            rows.setdefault(row, None)
        per_state.append(list(rows))
        total *= len(rows)
        if total > limit:
            raise TooLarge(f"more than {limit} nature kernels")
    c_pi = [sum((policy[s][a] * rm.cost[s][a] for a in range(m)), ZERO) for s in range(n)]
    values = []
    for rows in itertools.product(*per_state):
        A = [[(1 if s == t else 0) - g * rows[s][t] for t in range(n)] for s in range(n)]
        values.append(tuple(ref.solve_linear_system(A, c_pi)))
    V = [max(x[s] for x in values) for s in range(n)]
    attaining = sum(1 for x in values if list(x) == V)
    if attaining == 0:
        raise AssertionError("reference: no single nature kernel attains the componentwise max")
    Q, argmax = [], []
    for s in range(n):
        qrow, arow = [], []
        for a in range(m):
            best = best_vertex_value(verts[s][a], V)
            qrow.append(rm.cost[s][a] + g * best)
            arow.append([v for v in verts[s][a] if dot(v, V) == best])
        Q.append(qrow)
        argmax.append(arow)
    if check:
        self_check_evaluation(rm, policy, V, Q, grid)
    return RobustEvaluation(V, Q, argmax, len(values), attaining)


def self_check_evaluation(rm, policy, V, Q, grid=0):
    n, m = rm.n, rm.m
    for s in range(n):
        if sum((policy[s][a] * Q[s][a] for a in range(m)), ZERO) != V[s]:
            raise AssertionError(f"reference self-check failed: robust Bellman equation at state {s}")
    verts = rm.vertices()
    for s in range(n):
        for a in range(m):
            for v in verts[s][a]:
                if not rm.sets[s][a].contains(v):
                    raise AssertionError(f"reference self-check failed: vertex {v} not in U[{s}][{a}]")
            if grid:
                best = best_vertex_value(verts[s][a], V)
                for p in grid_points(n, grid):
                    if rm.sets[s][a].contains(p) and dot(p, V) > best:
                        raise AssertionError(
                            f"reference self-check failed: grid point {p} beats the vertices at ({s},{a})")


class RobustSolution:
    def __init__(self, V, Q, optimal, values):
        self.V = V
        self.Q = Q
        self.optimal = optimal  # list of optimal deterministic policies (action tuples)
        self.values = values    # action tuple -> V_r^pi


def deterministic_policy(actions, m):
    return [[ONE if a == b else ZERO for b in range(m)] for a in actions]


def robust_solve(rm: RobustMDP, limit=DEFAULT_KERNEL_LIMIT, check=True) -> RobustSolution:
    n, m, g = rm.n, rm.m, rm.gamma
    values = {}
    for actions in itertools.product(range(m), repeat=n):
        ev = robust_evaluate(rm, deterministic_policy(actions, m), limit, check)
        values[actions] = ev.V
    V = [min(x[s] for x in values.values()) for s in range(n)]
    optimal = [k for k, x in values.items() if x == V]
    if not optimal:
        raise AssertionError("reference: no deterministic policy attains the componentwise min")
    verts = rm.vertices()
    Q = [[rm.cost[s][a] + g * best_vertex_value(verts[s][a], V) for a in range(m)]
         for s in range(n)]
    if check:
        for s in range(n):
            if min(Q[s]) != V[s]:
                raise AssertionError(f"reference self-check failed: V*({s}) != min_a Q*({s},a)")
        for k in optimal:
            for s in range(n):
                if Q[s][k[s]] != V[s]:
                    raise AssertionError("reference self-check failed: optimal policy not greedy")
    return RobustSolution(V, Q, optimal, values)


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------


def main(argv):
    try:
        if len(argv) == 4 and argv[1] == "evaluate":
            rm = load_robust_mdp(argv[2])
            pol = ref.load_policy(argv[3], rm.mdp)
            ev = robust_evaluate(rm, pol)
            out = {"V": [format_fraction(x) for x in ev.V],
                   "Q": [[format_fraction(x) for x in r] for r in ev.Q],
                   "worst_case": [[[format_fraction(x) for x in ev.argmax[s][a][0]]
                                   for a in range(rm.m)] for s in range(rm.n)]}
        elif len(argv) == 3 and argv[1] == "solve":
            rm = load_robust_mdp(argv[2])
            sol = robust_solve(rm)
            out = {"V": [format_fraction(x) for x in sol.V],
                   "Q": [[format_fraction(x) for x in r] for r in sol.Q],
                   "policy": [["1" if a == b else "0" for b in range(rm.m)] for a in sol.optimal[0]]}
        else:
            print(f"usage: {argv[0]} evaluate MDP.json POL.json | solve MDP.json", file=sys.stderr)
            return 2
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
