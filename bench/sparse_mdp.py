#!/usr/bin/env python3
"""A random sparse MDP as a P_sparse file, and a uniform policy for it (docs/benchmarks.md, "Sparse
kernels"). Every (s,a) has K distinct successors with integer weights 1..6, normalised exactly;
costs k/4 with k in -4..4; gamma = 9/10. Python's random.Random(seed) fixes the instance.

usage: sparse_mdp.py STATES ACTIONS SUCCESSORS SEED OUT.mdp.json OUT.policy.json [l1-radius]
"""
import json
import random
import sys
from fractions import Fraction


def main():
    n, m, k, seed = (int(x) for x in sys.argv[1:5])
    mdp_path, policy_path = sys.argv[5], sys.argv[6]
    radius = sys.argv[7] if len(sys.argv) > 7 else None
    rng = random.Random(seed)
    cost = [[f"{rng.randint(-4, 4)}/4" for _ in range(m)] for _ in range(n)]
    P = []
    for _ in range(n):
        rows = []
        for _ in range(m):
            succ = rng.sample(range(n), k)
            w = [rng.randint(1, 6) for _ in succ]
            total = sum(w)
            rows.append([[t, str(Fraction(x, total))] for t, x in sorted(zip(succ, w))])
        P.append(rows)
    mdp = {"states": n, "actions": m, "gamma": "9/10", "cost": cost, "P_sparse": P}
    if radius is not None:
        mdp["uncertainty"] = {"type": "l1", "radius": radius}
    with open(mdp_path, "w") as f:
        json.dump(mdp, f)
    with open(policy_path, "w") as f:
        json.dump({"policy": [[f"1/{m}"] * m for _ in range(n)]}, f)


if __name__ == "__main__":
    main()
