#!/usr/bin/env python3
"""Certificates checked by Coq (docs/formal.md), one ctest entry per case.

usage: run_formal.py RMDP CASE

accept_*  `rmdp certify` writes a certificate of an example, `rmdp certify --coq-from` translates
          it, and `scripts/coq-check.sh` must accept it (exit 0, no axioms).
accept_refutation_*  `rmdp certify --counterexample` on the notes' refuted claims
          (examples/*-counterexample.json); Coq must prove the claim false.
tamper_*  the certificate is edited here (one number changed, a wrong worst case, a non-greedy
          action, a negative lambda whose dual objective still matches, a wrong resolvent) and Coq
          must reject it (exit 1). Each tampering is applied to a certificate first accepted in the
          same case, so a rejection is caused by the edit.
build     formal/ compiles and its five main theorems use no axiom (Print Assumptions).

Without coqc the cases are skipped (exit 77), except under CI=true, where they fail.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EX = os.path.join(ROOT, "examples")
CHECK = os.path.join(ROOT, "scripts", "coq-check.sh")


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(cmd, expect=None):
    p = subprocess.run(cmd, capture_output=True, text=True)
    out = p.stdout + p.stderr
    if expect is not None and p.returncode != expect:
        print(out)
        fail("%s exited %d, expected %d" % (" ".join(cmd), p.returncode, expect))
    return p.returncode, out


def frac(x):
    return Fraction(x)


def coq_check(rmdp, cert, tmp, name):
    """Translate CERT (a dict) and run coq-check; returns (exit status, output)."""
    cpath = os.path.join(tmp, name + ".json")
    vpath = os.path.join(tmp, name + ".v")
    with open(cpath, "w") as f:
        json.dump(cert, f)
    run([rmdp, "certify", "--coq-from", cpath, vpath], expect=0)
    return run(["bash", CHECK, vpath])


def certify(rmdp, tmp, mdp, policy=None):
    out = os.path.join(tmp, "cert.json")
    cmd = [rmdp, "certify", os.path.join(EX, mdp), "--out", out]
    if policy:
        cmd += ["--policy", os.path.join(EX, policy)]
    run(cmd, expect=0)
    with open(out) as f:
        return json.load(f)


def refutation(rmdp, tmp, name):
    out = os.path.join(tmp, "refutation.json")
    run([rmdp, "certify", "--counterexample", os.path.join(EX, name + "-counterexample.json"), "--out", out], expect=0)
    with open(out) as f:
        return json.load(f)


def expect_accept(rmdp, cert, tmp, name):
    rc, out = coq_check(rmdp, cert, tmp, name)
    print(out)
    if rc != 0 or "Closed under the global context" not in out:
        fail("Coq did not accept the certificate " + name)


def expect_reject(rmdp, cert, tmp, name):
    rc, out = coq_check(rmdp, cert, tmp, name)
    print(out)
    if rc != 1 or "REJECTED" not in out:
        fail("Coq did not reject the tampered certificate %s (exit %d)" % (name, rc))


def dot(p, V):
    return sum(frac(a) * frac(b) for a, b in zip(p, V))


def main():
    rmdp, case = sys.argv[1], sys.argv[2]
    if case == "bad_input":
        # no Coq needed: malformed requests exit 2 with a message naming the problem
        tmp = tempfile.mkdtemp(prefix="rmdp-formal-")
        try:
            for args, needle in [
                (["certify", "--coq-from", os.path.join(EX, "two-state.json"), os.path.join(tmp, "x.v")], "format"),
                (["certify", os.path.join(EX, "two-state.json")], "--out"),
                (["certify", "--counterexample", os.path.join(EX, "mbpo-4.2a-counterexample.json"),
                  "--out", os.path.join(tmp, "c.json")], "claim"),
            ]:
                rc, out = run([rmdp] + args)
                if rc != 2 or "rmdp: error:" not in out or needle not in out:
                    print(out)
                    fail("rmdp %s: exit %d, expected 2 and a message about %s" % (" ".join(args), rc, needle))
            for name, doc in [("format-number", {"format": 3}), ("statement-array", {"format": "rmdp-certificate", "statement": []})]:
                path = os.path.join(tmp, name + ".json")
                with open(path, "w") as f:
                    json.dump(doc, f)
                rc, out = run([rmdp, "certify", "--coq-from", path, os.path.join(tmp, "x.v")])
                if rc != 2 or "rmdp: error:" not in out:
                    print(out)
                    fail("%s: exit %d, expected 2" % (name, rc))
            cert = certify(rmdp, tmp, "certify-finite.json")
            cert["dual"][0][0]["index"] = 10**12
            cpath = os.path.join(tmp, "bad.json")
            with open(cpath, "w") as f:
                json.dump(cert, f)
            rc, out = run([rmdp, "certify", "--coq-from", cpath, os.path.join(tmp, "bad.v")])
            if rc != 2 or "dual[0][0].index" not in out:
                print(out)
                fail("an out-of-range finite index: exit %d, expected 2 naming dual[0][0].index" % rc)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        print("PASS")
        return
    if shutil.which("coqc") is None:
        if os.environ.get("CI") == "true":
            fail("coqc not found (scripts/setup.sh installs coq); required under CI=true")
        print("SKIP: coqc not found")
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="rmdp-formal-")
    try:
        if case == "build":
            subprocess.run(["make", "-s", "-C", os.path.join(ROOT, "formal")], check=True)
            probe = os.path.join(tmp, "Probe.v")
            with open(probe, "w") as f:
                f.write("From RMDP Require Import Checker Refute Pdl Resolvent.\n"
                        "Print Assumptions check_sound.\nPrint Assumptions check_refutation_sound.\n"
                        "Print Assumptions performance_difference.\nPrint Assumptions resolvent_norm_a_pi.\n"
                        "Print Assumptions occupancy_self_mass_pi.\n")
            rc, out = run(["coqc", "-q", "-w", "-notation-overridden,-ambiguous-paths",
                           "-R", os.path.join(ROOT, "formal"), "RMDP", probe])
            print(out)
            if rc != 0 or out.count("Closed under the global context") != 5:
                fail("a theorem of formal/ is not closed under the global context")
        elif case == "accept_evaluation_l1":
            expect_accept(rmdp, certify(rmdp, tmp, "certify-l1.json", "certify-l1-policy.json"), tmp, "eval_l1")
        elif case == "accept_evaluation_gamma999":
            expect_accept(rmdp, certify(rmdp, tmp, "gamma999-l1.json", "gamma999-l1-policy.json"), tmp, "eval_g999")
        elif case == "accept_optimal_l1":
            expect_accept(rmdp, certify(rmdp, tmp, "certify-l1.json"), tmp, "opt_l1")
        elif case == "accept_optimal_interval":
            expect_accept(rmdp, certify(rmdp, tmp, "certify-interval.json"), tmp, "opt_interval")
        elif case == "accept_optimal_finite":
            expect_accept(rmdp, certify(rmdp, tmp, "certify-finite.json"), tmp, "opt_finite")
        elif case == "accept_optimal_none":
            expect_accept(rmdp, certify(rmdp, tmp, "two-state.json"), tmp, "opt_none")
        elif case.startswith("accept_refutation_"):
            cx = {"resolvent_norm_b": "resolvent-norm-b", "occupancy_difference": "occupancy-difference",
                  "occupancy_lipschitz_b": "occupancy-lipschitz-b"}[case[len("accept_refutation_"):]]
            expect_accept(rmdp, refutation(rmdp, tmp, cx), tmp, "refute")
        elif case == "tamper_resolvent":
            # a wrong inverse: (I - gamma P^pi) R = I fails, however the claim then compares
            cert = refutation(rmdp, tmp, "resolvent-norm-b")
            expect_accept(rmdp, cert, tmp, "original")
            cert["resolvent"]["pi"][0][0] = str(frac(cert["resolvent"]["pi"][0][0]) + 1)
            expect_reject(rmdp, cert, tmp, "tamper_resolvent")
        elif case == "tamper_number":
            cert = certify(rmdp, tmp, "certify-interval.json")
            expect_accept(rmdp, cert, tmp, "original")
            cert["V"][1] = str(frac(cert["V"][1]) + Fraction(1, 10**9))
            expect_reject(rmdp, cert, tmp, "tamper_number")
        elif case == "tamper_worst_case":
            # the nominal row is in the set but is not the maximiser: the dual no longer matches
            cert = certify(rmdp, tmp, "certify-l1.json", "certify-l1-policy.json")
            expect_accept(rmdp, cert, tmp, "original")
            V = cert["V"]
            nominal = cert["mdp"]["P"][1][0]
            if dot(nominal, V) == dot(cert["worst_case"][1][0], V):
                fail("test instance: the nominal row of (1,0) is also a worst case; pick another row")
            cert["worst_case"][1][0] = nominal
            expect_reject(rmdp, cert, tmp, "tamper_worst_case")
        elif case == "tamper_not_greedy":
            cert = certify(rmdp, tmp, "certify-l1.json")
            expect_accept(rmdp, cert, tmp, "original")
            Q, pol = cert["Q"], cert["policy"]
            s = next((s for s in range(len(Q)) if len({frac(q) for q in Q[s]}) > 1), None)
            if s is None:
                fail("test instance: every state has tied Q values")
            worst = max(range(len(Q[s])), key=lambda a: frac(Q[s][a]))
            pol[s] = ["1" if a == worst else "0" for a in range(len(Q[s]))]
            expect_reject(rmdp, cert, tmp, "tamper_not_greedy")
        elif case == "tamper_negative_lambda":
            # At (0,1) the radius is 5/2 >= 2: with lambda = -t and mu = max V + t (r - 1) the dual
            # objective mu + lambda r + sum_i q_i max(V_i - mu, -lambda) still equals <p*, V> and
            # V_i <= mu + lambda holds; only lambda >= 0 fails, and Coq must insist on it.
            cert = certify(rmdp, tmp, "certify-l1.json")
            expect_accept(rmdp, cert, tmp, "original")
            V = [frac(v) for v in cert["V"]]
            r = frac(cert["mdp"]["uncertainty"]["radius"][0][1])
            q = [frac(x) for x in cert["mdp"]["P"][0][1]]
            t = Fraction(1, 3)
            lam, mu = -t, max(V) + t * (r - 1)
            objective = mu + lam * r + sum(qi * max(v - mu, -lam) for qi, v in zip(q, V))
            if objective != dot(cert["worst_case"][0][1], V) or any(v > mu + lam for v in V):
                fail("test construction: the tampered dual does not match the objective")
            cert["dual"][0][1] = {"mu": str(mu), "lambda": str(lam)}
            expect_reject(rmdp, cert, tmp, "tamper_negative_lambda")
        else:
            fail("unknown case " + case)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("PASS")


if __name__ == "__main__":
    main()
