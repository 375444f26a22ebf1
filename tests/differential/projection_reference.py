#!/usr/bin/env python3
"""Independent exact reference for the Euclidean projection onto the simplex.

    project_simplex(y) = argmin_{x in Delta} ||x - y||_2        (Fractions in, Fractions out)

Written without the sort-and-threshold algorithm rmdp uses: it enumerates supports.
For a support set S, the KKT conditions of the projection say x_i = y_i - tau on S
with tau = (sum_{i in S} y_i - 1)/|S|, x_j = 0 off S, and they hold iff
y_i - tau >= 0 on S and y_j - tau <= 0 off S. The projection is unique, so the
first support that satisfies them gives it. Exponential in len(y): fine for the
action counts of the tests (<= 6).

Run directly, it tests itself: hand-computed projections, and on random rational
vectors the variational characterisation <y - x, z - x> <= 0 for every vertex z of
the simplex (which, being affine in z, decides it for all z in Delta).
"""

from __future__ import annotations

import itertools
import random
import sys
from fractions import Fraction


def project_simplex(y):
    y = [Fraction(v) for v in y]
    n = len(y)
    for size in range(1, n + 1):
        for S in itertools.combinations(range(n), size):
            tau = (sum(y[i] for i in S) - 1) / size
            if all(y[i] - tau >= 0 for i in S) and all(y[j] - tau <= 0 for j in range(n) if j not in S):
                return [y[i] - tau if i in S else Fraction(0) for i in range(n)]
    raise AssertionError("no support satisfies the KKT conditions (impossible)")


def is_projection(y, x):
    """x in Delta and <y - x, e_a - x> <= 0 for every vertex e_a (decided exactly)."""
    if any(v < 0 for v in x) or sum(x) != 1:
        return False
    r = [a - b for a, b in zip(y, x)]
    rx = sum(a * b for a, b in zip(r, x))
    return all(r[a] - rx <= 0 for a in range(len(y)))


def self_test(count=2000, seed=5):
    F = Fraction
    cases = [([F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)]),
             ([F(2), F(0)], [F(1), F(0)]),
             ([F(1), F(1), F(1)], [F(1, 3)] * 3),
             ([F(1, 2), F(1, 4), F(-3)], [F(5, 8), F(3, 8), F(0)]),
             ([F(-7)], [F(1)])]
    for y, want in cases:
        got = project_simplex(y)
        assert got == want, (y, got, want)
    rng = random.Random(seed)
    for _ in range(count):
        n = rng.randint(1, 6)
        y = [F(rng.randint(-20, 20), rng.randint(1, 8)) for _ in range(n)]
        if rng.random() < 0.3:  # ties
            y[rng.randrange(n)] = y[0]
        x = project_simplex(y)
        assert is_projection(y, x), (y, x)
    print(f"projection_reference: {len(cases)} hand cases and {count} random vectors ok")


if __name__ == "__main__":
    self_test()
    sys.exit(0)
