#!/usr/bin/env python3
"""How large a certificate Coq checks in a given time (docs/formal.md, "How large an instance").

usage: /usr/bin/python3 formal/scale.py RMDP N [N ...]

For each N: a random L1 instance (N states, 2 actions, gamma 9/10, probabilities k/t with
k in 0..6, radii in {0, 1/4, 1/2, 3/4}; seed 1, Python's Mersenne Twister, so the same instance on
every machine with the same Python), its optimal-policy certificate from `rmdp certify`, and the CPU
time of `bash scripts/coq-check.sh` on it (children's user + system time)."""
import json
import os
import random
import resource
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def instance(n, m=2, seed=1):
    rnd = random.Random(seed)

    def row():
        w = [rnd.randint(0, 6) for _ in range(n)]
        if sum(w) == 0:
            w[rnd.randrange(n)] = 1
        return ["%d/%d" % (x, sum(w)) for x in w]

    P = [[row() for _ in range(m)] for _ in range(n)]
    cost = [["%d/4" % rnd.randint(0, 4) for _ in range(m)] for _ in range(n)]
    radius = [["%d/4" % rnd.randint(0, 3) for _ in range(m)] for _ in range(n)]
    return {"states": n, "actions": m, "gamma": "9/10", "cost": cost, "P": P,
            "uncertainty": {"type": "l1", "radius": radius}}


def main():
    rmdp, sizes = sys.argv[1], [int(x) for x in sys.argv[2:]]
    tmp = tempfile.mkdtemp(prefix="rmdp-scale-")
    print("states  .v bytes  accepted  CPU s")
    for n in sizes:
        mdp, cert, v = (os.path.join(tmp, "%s%d.%s" % (k, n, e)) for k, e in
                        (("mdp", "json"), ("cert", "json"), ("cert", "v")))
        with open(mdp, "w") as f:
            json.dump(instance(n), f)
        subprocess.run([rmdp, "certify", mdp, "--out", cert, "--coq", v], check=True, capture_output=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        rc = subprocess.run(["bash", os.path.join(ROOT, "scripts", "coq-check.sh"), v], capture_output=True).returncode
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print("%6d  %8d  %8s  %5.1f" % (n, os.path.getsize(v), "yes" if rc == 0 else "NO", cpu), flush=True)


if __name__ == "__main__":
    main()
