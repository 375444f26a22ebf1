#!/usr/bin/env python3
"""Independent exact reference for the s-rectangular L1 set "s-l1" (Fractions only).

U_s = {(p_a)_a : p_a in simplex, sum_a sum_i w[s][a][i] |p_a(i) - q_a(i)| <= r[s]}.

Nature's best response at s for a policy row pi is the LP
    max sum_a pi_a <p_a, V>  over p >= 0, d >= 0:
        sum_i p_a(i) = 1,  p_a(i) - d_a(i) <= q_a(i),  -p_a(i) - d_a(i) <= -q_a(i),
        sum w d <= r
solved here by a textbook Big-M simplex with Bland's rule on Fractions (written independently of
rmdp's srect.cpp, which uses a knapsack greedy for this and a two-phase simplex for the game).
Robust evaluation: nature's policy iteration with that LP. The maximin value of the state game
max_{p in U_s} min_a c_a + gamma <p_a, V> is a second LP (used to certify a claimed V*).
"""

from __future__ import annotations

from fractions import Fraction as F


def simplex_max(c, rows):
    """max c.x s.t. rows = [(coeffs, sense, rhs)], sense in '<=', '=', x >= 0. Big-M, Bland.

    The big M is symbolic: objective entries are pairs (M-part, constant part) compared
    lexicographically, so no numeric M can be too small."""
    n = len(c)
    # normalise rhs >= 0
    norm = []
    for a, sense, b in rows:
        a = [F(x) for x in a]
        b = F(b)
        if b < 0:
            a = [-x for x in a]
            b = -b
            sense = {'<=': '>=', '>=': '<=', '=': '='}[sense]
        norm.append((a, sense, b))
    m = len(norm)
    cols = n
    slack_of, art_of = {}, {}
    for i, (a, sense, b) in enumerate(norm):
        if sense != '=':
            slack_of[i] = cols
            cols += 1
    for i, (a, sense, b) in enumerate(norm):
        if sense in ('=', '>='):
            art_of[i] = cols
            cols += 1
    T = []
    basis = []
    for i, (a, sense, b) in enumerate(norm):
        row = a + [F(0)] * (cols - n) + [b]
        if sense == '<=':
            row[slack_of[i]] = F(1)
            basis.append(slack_of[i])
        else:
            if sense == '>=':
                row[slack_of[i]] = F(-1)
            row[art_of[i]] = F(1)
            basis.append(art_of[i])
        T.append(row)
    arts = set(art_of.values())
    # objective (maximise): coefficient pairs (M, const); artificials get -M
    obj = [(F(0), F(x)) for x in c] + [(F(0), F(0))] * (cols - n)
    for j in arts:
        obj[j] = (F(-1), F(0))

    def reduced(j):
        # c_j - c_B B^-1 A_j  as a pair
        m0, c0 = obj[j]
        for i in range(m):
            bm, bc = obj[basis[i]]
            m0 -= bm * T[i][j]
            c0 -= bc * T[i][j]
        return (m0, c0)

    while True:
        enter = None
        for j in range(cols):
            if j in basis:
                continue
            if reduced(j) > (F(0), F(0)):
                enter = j
                break
        if enter is None:
            break
        leave, best = None, None
        for i in range(m):
            if T[i][enter] > 0:
                ratio = T[i][-1] / T[i][enter]
                if best is None or ratio < best or (ratio == best and basis[i] < basis[leave]):
                    leave, best = i, ratio
        if leave is None:
            raise RuntimeError("unbounded LP")
        pv = T[leave][enter]
        T[leave] = [x / pv for x in T[leave]]
        for i in range(m):
            if i != leave and T[i][enter] != 0:
                f = T[i][enter]
                T[i] = [x - f * y for x, y in zip(T[i], T[leave])]
        basis[leave] = enter
    x = [F(0)] * cols
    for i in range(m):
        x[basis[i]] = T[i][-1]
    if any(x[j] != 0 for j in arts):
        raise RuntimeError("infeasible LP")
    return x[:n], sum(ci * xi for ci, xi in zip(c, x[:n]))


def _set_rows(q, w, r, S, A, extra_vars):
    """Constraint rows of U_s over variables [extra..., p (A*S), d (A*S)]."""
    e = extra_vars
    nv = e + 2 * A * S
    rows = []
    for a in range(A):
        row = [0] * nv
        for i in range(S):
            row[e + a * S + i] = 1
        rows.append((row, '=', 1))
    for a in range(A):
        for i in range(S):
            up = [0] * nv
            up[e + a * S + i] = 1
            up[e + A * S + a * S + i] = -1
            rows.append((up, '<=', q[a][i]))
            dn = [0] * nv
            dn[e + a * S + i] = -1
            dn[e + A * S + a * S + i] = -1
            rows.append((dn, '<=', -q[a][i]))
    budget = [0] * nv
    for a in range(A):
        for i in range(S):
            budget[e + A * S + a * S + i] = w[a][i]
    rows.append((budget, '<=', r))
    return rows


def best_response(q, w, r, pi, V):
    """max_{p in U_s} sum_a pi_a <p_a, V>: (value, p as A rows)."""
    A, S = len(q), len(V)
    c = [F(0)] * (2 * A * S)
    for a in range(A):
        for i in range(S):
            c[a * S + i] = F(pi[a]) * F(V[i])
    x, val = simplex_max(c, _set_rows(q, w, r, S, A, 0))
    return val, [x[a * S:(a + 1) * S] for a in range(A)]


def maximin(q, w, r, cost, gamma, V):
    """max_{p in U_s} min_a cost_a + gamma <p_a, V>  (t = t+ - t-)."""
    A, S = len(q), len(V)
    rows = _set_rows(q, w, r, S, A, 2)
    for a in range(A):
        row = [0] * (2 + 2 * A * S)
        row[0], row[1] = 1, -1
        for i in range(S):
            row[2 + a * S + i] = -F(gamma) * F(V[i])
        rows.append((row, '<=', cost[a]))
    c = [F(1), F(-1)] + [F(0)] * (2 * A * S)
    _, val = simplex_max(c, rows)
    return val


def solve_linear(M, b):
    n = len(b)
    A = [list(M[i]) + [b[i]] for i in range(n)]
    for col in range(n):
        piv = next(i for i in range(col, n) if A[i][col] != 0)
        A[col], A[piv] = A[piv], A[col]
        pv = A[col][col]
        A[col] = [x / pv for x in A[col]]
        for i in range(n):
            if i != col and A[i][col] != 0:
                f = A[i][col]
                A[i] = [x - f * y for x, y in zip(A[i], A[col])]
    return [A[i][n] for i in range(n)]


def evaluate(m, kernel, pi):
    """V = (I - gamma P^pi)^-1 c^pi for kernel[s][a][t]."""
    S, A, g = m['S'], m['A'], m['gamma']
    M = [[(F(1) if s == t else F(0)) - g * sum(pi[s][a] * kernel[s][a][t] for a in range(A)) for t in range(S)]
         for s in range(S)]
    c = [sum(pi[s][a] * m['cost'][s][a] for a in range(A)) for s in range(S)]
    return solve_linear(M, c)


def robust_value(m, pi):
    """V_r^pi for the s-l1 model m (dict with S, A, gamma, cost, P, radius, weights)."""
    S, A = m['S'], m['A']
    kernel = [[list(m['P'][s][a]) for a in range(A)] for s in range(S)]
    for _ in range(10000):
        V = evaluate(m, kernel, pi)
        switched = False
        for s in range(S):
            val, p = best_response(m['P'][s], m['weights'][s], m['radius'][s], pi[s], V)
            cur = sum(pi[s][a] * sum(kernel[s][a][t] * V[t] for t in range(S)) for a in range(A))
            if val > cur:
                kernel[s] = p
                switched = True
        if not switched:
            return V
    raise RuntimeError("nature's policy iteration did not stop")


if __name__ == "__main__":
    # Self-test: issue 13's weighted two-receiver example, A = 1.
    val, p = best_response([[F(1), F(0), F(0)]], [[F(1, 10), F(1), F(3)]], F(21, 10), [F(1)], [F(0), F(1), F(2)])
    assert val == F(3, 2), val
    assert p[0] == [F(0), F(1, 2), F(1, 2)], p
    print("srect_reference self-test passed")
