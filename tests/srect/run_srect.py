#!/usr/bin/env python3
"""s-rectangular L1 sets ("s-l1") through the command line.

Usage: run_srect.py RMDP CASE   (CASE: handwritten | floats | malformed | refusals | differential)

handwritten   rmdp evaluate / solve on the files of this directory against values worked out by
              hand (in the files' comments and below).
floats        solve and evaluate in double / mpfr:100: |printed - exact| <= V_error_bound.
malformed     bad s-l1 fields exit 2 with "rmdp: error: FILE: field 'uncertainty.X'".
refusals      the (s,a)-rectangular commands (check --instance, crosscheck, rpmd, certify, gradient),
              interval arithmetic and
              --method vi exit 2 with a message naming the s-rectangular set.
differential  random s-l1 instances: `rmdp evaluate` equals the independent Fraction-LP reference
              (srect_reference.py) exactly; `rmdp solve`'s V is the reference's V_r^pi of the
              returned policy, and when it claims a certificate, the reference's maximin LP
              max_p min_a c_a + gamma <p_a, V> equals V(s) at every state (so V = T_r V = V*).
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from fractions import Fraction as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "differential"))
import srect_reference as ref  # noqa: E402

RMDP = sys.argv[1]
failures = []


def run(*args):
    p = subprocess.run([RMDP, *args], capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def run_json(*args):
    rc, out, err = run(*args, "--json")
    if rc != 0:
        raise SystemExit(f"rmdp {' '.join(args)} exited {rc}: {err}")
    return json.loads(out)


def expect(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def fr(xs):
    return [F(x) for x in xs]


def handwritten():
    mdp, pol = os.path.join(HERE, "srect-mdp.json"), os.path.join(HERE, "srect-policy.json")
    # State 1 (radius 0): V1 = gamma (V0 + V1)/2. State 0: nature spends the budget 1/2 on action 1
    # (row (0,1) -> (1/4, 3/4)), so V0 = 1/2 + (1/2)(V0/2 + (V0/4 + 3 V1/4)/2): V = (4/5, 4/15).
    r = run_json("evaluate", mdp, "--policy", pol)
    expect(fr(r["V"]) == [F(4, 5), F(4, 15)], f"evaluate srect-mdp: V = {r['V']}")
    expect("certificate" in r, "evaluate srect-mdp: no certificate")
    mixed = os.path.join(HERE, "srect-mixed.json")
    r = run_json("solve", mixed)
    expect(fr(r["V"]) == [F(1, 4), F(0), F(2)], f"solve srect-mixed: V = {r['V']}")
    expect(fr(r["policy"][0]) == [F(1, 2), F(1, 2)], f"solve srect-mixed: pi(.|0) = {r['policy'][0]}")
    expect("certificate" in r, "solve srect-mixed: no certificate")
    r = run_json("evaluate", mixed, "--policy", os.path.join(HERE, "srect-deterministic.json"))
    expect(fr(r["V"]) == [F(1, 2), F(0), F(2)], f"evaluate srect-mixed deterministic: V = {r['V']}")
    rc, out, _ = run("solve", mixed)
    expect(rc == 0 and "(1/2,1/2)" in out, "solve text output shows the stochastic row")


def floats():
    for f, extra in (("srect-mixed.json", []), ("srect-mdp.json", ["--policy", "srect-policy.json"])):
        cmd = "solve" if not extra else "evaluate"
        args = [cmd, os.path.join(HERE, f)] + [os.path.join(HERE, x) if x.endswith(".json") else x for x in extra]
        exact = fr(run_json(*args)["V"])
        for arith in ("double", "mpfr:100", "long-double"):
            r = run_json(*args, "--arith", arith)
            bound = F(r["V_error_bound"])
            for s, (x, e) in enumerate(zip(r["V"], exact)):
                expect(abs(F(x) - e) <= bound, f"{cmd} {f} {arith}: V[{s}] = {x}, exact {e}, bound {bound}")


BASE = {"states": 2, "actions": 2, "gamma": "1/2", "cost": [[1, 0], [0, 1]],
        "P": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]}


def malformed():
    cases = [
        ({"type": "s-l1", "radius": ["-1/2", 0]}, "uncertainty.radius[0]"),
        ({"type": "s-l1", "radius": [1, 1, 1]}, "uncertainty.radius"),
        ({"type": "s-l1"}, "uncertainty.radius"),
        ({"type": "s-l1", "radius": 1, "weights": [[[1, 1], [1, 0]], [[1, 1], [1, 1]]]}, "uncertainty.weights[0][1][1]"),
        ({"type": "s-l1", "radius": 1, "weights": [[1, 1], [1, 1]]}, "uncertainty.weights[0][0]"),
        ({"type": "s-l1", "radius": 1, "support": "nominal"}, "uncertainty.support"),
    ]
    with tempfile.TemporaryDirectory() as d:
        for k, (u, field) in enumerate(cases):
            path = os.path.join(d, f"bad{k}.json")
            with open(path, "w") as fh:
                json.dump(dict(BASE, uncertainty=u), fh)
            rc, _, err = run("solve", path)
            expect(rc == 2 and err.startswith("rmdp: error: ") and f"field '{field}'" in err,
                   f"malformed {u}: rc {rc}, stderr {err.strip()}")


def refusals():
    mixed = os.path.join(HERE, "srect-mixed.json")
    det = os.path.join(HERE, "srect-deterministic.json")
    d = tempfile.mkdtemp()
    with open(mixed) as fh:
        doc = json.load(fh)
    doc.pop("comment")
    inst, vals = os.path.join(d, "instance.json"), os.path.join(d, "values.json")
    with open(inst, "w") as fh:
        json.dump({"mdp": doc, "policies": {"pi": [[1, 0]] * 3, "pi_prime": [[0, 1]] * 3}}, fh)
    with open(vals, "w") as fh:
        json.dump({"V": [0, 0, 0]}, fh)
    for args in (["check", "--claim", "robust-bellman-v", "--instance", inst], ["crosscheck", mixed, "--values", vals],
                 ["rpmd", mixed], ["certify", mixed, "--out", os.path.join(d, "cert.json")],
                 ["gradient", mixed, "--policy", det], ["solve", mixed, "--arith", "interval:64"],
                 ["solve", mixed, "--arith", "double", "--method", "vi"],
                 ["evaluate", mixed, "--policy", det, "--arith", "interval:64"]):
        rc, _, err = run(*args)
        expect(rc == 2 and ("s-rectangular" in err or "'s-l1'" in err), f"refusal {' '.join(args)}: rc {rc}, stderr {err.strip()}")


def random_instance(rng):
    S, A = rng.randint(1, 3), rng.randint(1, 3)
    def dist(n):
        w = [0 if rng.random() < 0.3 else rng.randint(1, 5) for _ in range(n)]
        if sum(w) == 0:
            w[rng.randrange(n)] = 1
        return [F(x, sum(w)) for x in w]
    m = {"S": S, "A": A, "gamma": F(rng.choice([0, 1, 9, 10, 19]), 20),
         "cost": [[F(rng.randint(-4, 4), 4) for _ in range(A)] for _ in range(S)],
         "P": [[dist(S) for _ in range(A)] for _ in range(S)],
         "radius": [F(rng.randint(0, 9), 4) for _ in range(S)]}
    weighted = rng.random() < 0.4
    m["weights"] = [[[F(rng.randint(1, 4), 2) if weighted else F(1) for _ in range(S)] for _ in range(A)] for _ in range(S)]
    doc = {"states": S, "actions": A, "gamma": str(m["gamma"]),
           "cost": [[str(x) for x in row] for row in m["cost"]],
           "P": [[[str(x) for x in p] for p in row] for row in m["P"]],
           "uncertainty": {"type": "s-l1", "radius": [str(x) for x in m["radius"]]}}
    if weighted:
        doc["uncertainty"]["weights"] = [[[str(x) for x in r] for r in row] for row in m["weights"]]
    pi = [dist(A) for _ in range(S)]
    return m, doc, pi


def differential():
    rng = random.Random(int(os.environ.get("RMDP_SRECT_SEED", "13")))
    count = int(os.environ.get("RMDP_SRECT_COUNT", "25"))
    certified = 0
    with tempfile.TemporaryDirectory() as d:
        for k in range(count):
            m, doc, pi = random_instance(rng)
            path, ppath = os.path.join(d, f"m{k}.json"), os.path.join(d, f"p{k}.json")
            with open(path, "w") as fh:
                json.dump(doc, fh)
            with open(ppath, "w") as fh:
                json.dump({"policy": [[str(x) for x in row] for row in pi]}, fh)
            got = fr(run_json("evaluate", path, "--policy", ppath)["V"])
            want = ref.robust_value(m, pi)
            expect(got == want, f"instance {k}: evaluate V = {got}, reference {want}")
            r = run_json("solve", path)
            V, pol = fr(r["V"]), [fr(row) for row in r["policy"]]
            expect(ref.robust_value(m, pol) == V, f"instance {k}: solve V is not V_r^pi of its policy")
            if "certificate" in r:
                certified += 1
                for s in range(m["S"]):
                    lo = ref.maximin(m["P"][s], m["weights"][s], m["radius"][s], m["cost"][s], m["gamma"], V)
                    expect(lo == V[s], f"instance {k}: maximin at {s} = {lo}, V = {V[s]}")
            else:
                lower = fr(r["bounds"]["lower"])
                expect(all(l <= v for l, v in zip(lower, V)), f"instance {k}: bounds out of order")
    print(f"{certified} of {count} solves certified exactly")


{"handwritten": handwritten, "floats": floats, "malformed": malformed, "refusals": refusals,
 "differential": differential}[sys.argv[2]]()
print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
