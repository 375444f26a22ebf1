#!/usr/bin/env python3
"""Tests of `rmdp check` campaigns, `check --instance`, `claims --schema`, `merge` and top-level
behaviour. Usage: campaign.py RMDP_BINARY CASE, CASE one of the functions named in CASES.

  jobs_identity   -j1 and -j2: identical rows (counts, verdicts, details, counterexamples) and
                  byte-identical counterexample files
  shard_merge     three shards merged == one run (all but timing and shard fields), with claims
                  whose first counterexample is in shard 2 and shard 3, not shard 1
  instance        check --instance on hand-written files: pdl holds, occupancy-difference refuted,
                  both sides recomputed here with fractions; a whole counterexample file as input;
                  missing fields exit 2 naming them
  schema          claims --schema names what each claim needs
  toplevel        --version, help CMD, unknown commands
  bad_flags       bad seeds, --claim with --all, bad shards and jobs: exit 2 with a message
  precision       --arith mpfr:64 computes at the reported precision (not 256 bits)
  interrupt       SIGINT after a row was printed leaves the row and its counterexample file
  sbatch          scripts/slurm/campaign.sbatch run as array tasks 1..3 without Slurm (its
                  environment variables set by hand), merged == one run
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
from fractions import Fraction as F

from cli_support import check, main, run

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "campaign")


def files_of(directory):
    out = {}
    for name in sorted(os.listdir(directory)):
        with open(os.path.join(directory, name), "rb") as f:
            out[name] = f.read()
    return out


def without_paths(rows):
    """Rows with counterexample_file reduced to its base name (runs write to different directories)
    and without their timing (elapsed_seconds)."""
    out = []
    for r in rows:
        r = dict(r)
        assert isinstance(r.pop("elapsed_seconds"), (int, float)), "row without elapsed_seconds"
        if "counterexample_file" in r:
            r["counterexample_file"] = os.path.basename(r["counterexample_file"])
        out.append(r)
    return out


CLAIMS = ["--claim", "pdl", "--claim", "resolvent-norm:b", "--claim", "occupancy-lipschitz:b", "--claim", "rpmd-monotone"]


def jobs_identity(binary):
    with tempfile.TemporaryDirectory() as tmp:
        outs = {}
        for j in ("1", "2"):
            d = os.path.join(tmp, "j" + j)
            outs[j] = json.loads(run(binary, "check", *CLAIMS, "--trials", "40", "-j", j, "--json",
                                     "--counterexample-dir", d).stdout)
        check(without_paths(outs["1"]["rows"]) == without_paths(outs["2"]["rows"]),
              f"rows differ between -j1 and -j2:\n{outs['1']['rows']}\n{outs['2']['rows']}")
        verdicts = {r["claim"]: r["verdict"] for r in outs["1"]["rows"]}
        check(verdicts["resolvent-norm:b"] == "refuted" and verdicts["pdl"] == "holds", f"verdicts {verdicts}")
        f1, f2 = files_of(os.path.join(tmp, "j1")), files_of(os.path.join(tmp, "j2"))
        check(f1 == f2 and len(f1) == 2, f"counterexample files differ: {sorted(f1)} vs {sorted(f2)}")
        for k in ("format_version", "rmdp_version", "seed", "trials", "arith", "generator", "elapsed_seconds"):
            check(k in outs["1"], f"run setting {k} missing")


def shard_merge(binary):
    with tempfile.TemporaryDirectory() as tmp:
        single = json.loads(run(binary, "check", *CLAIMS, "--trials", "40", "-j", "1", "--json",
                                "--counterexample-dir", os.path.join(tmp, "single")).stdout)
        firsts = {r["claim"]: r.get("counterexample_trial") for r in single["rows"]}
        # The first counterexamples must lie outside shard 1 (trials 0, 3, 6, ... of 3 shards).
        check(firsts["resolvent-norm:b"] % 3 == 1 and firsts["occupancy-lipschitz:b"] % 3 == 2,
              f"first counterexamples {firsts} are not in shards 2 and 3")
        paths = []
        for i in (1, 2, 3):
            out = run(binary, "check", *CLAIMS, "--trials", "40", "-j", "2", "--shard", f"{i}/3",
                      "--counterexample-dir", os.path.join(tmp, "shards")).stdout
            p = os.path.join(tmp, f"shard{i}.json")
            with open(p, "w") as f:
                f.write(out)
            shard = json.loads(out)
            check(shard["shard"] == {"index": i, "count": 3}, f"shard field {shard.get('shard')}")
            for row in shard["rows"]:
                check(all(o["trial"] % 3 == i - 1 for o in row["trial_outcomes"]), "a shard ran another shard's trial")
            paths.append(p)
        merged = json.loads(run(binary, "merge", *reversed(paths), "--json",
                                "--counterexample-dir", os.path.join(tmp, "merged")).stdout)
        a = {k: v for k, v in single.items() if k not in ("elapsed_seconds",)}
        b = {k: v for k, v in merged.items() if k not in ("elapsed_seconds", "merged_shards")}
        a["rows"], b["rows"] = without_paths(a["rows"]), without_paths(b["rows"])
        check(a == b, f"merged report differs from the single run:\n{a}\n{b}")
        check(files_of(os.path.join(tmp, "single")) == files_of(os.path.join(tmp, "merged")),
              "merged counterexample files differ from the single run's")
        run(binary, "merge", paths[0], paths[2], status=2)  # shard 2 missing
        run(binary, "merge", paths[0], paths[0], paths[1], status=2)  # shard 1 twice


# ---- an independent exact reference for the two hand-written instances

def solve(M, b):
    n = len(M)
    A = [list(M[i]) + [b[i]] for i in range(n)]
    for c in range(n):
        p = next(r for r in range(c, n) if A[r][c] != 0)
        A[c], A[p] = A[p], A[c]
        for r in range(n):
            if r != c and A[r][c] != 0:
                f = A[r][c] / A[c][c]
                A[r] = [x - f * y for x, y in zip(A[r], A[c])]
    return [A[i][n] / A[i][i] for i in range(n)]


def load(path):
    with open(path) as f:
        inst = json.load(f)
    m = inst["mdp"]
    S, A = m["states"], m["actions"]
    P = [[[F(str(x)) for x in m["P"][s][a]] for a in range(A)] for s in range(S)]
    c = [[F(str(x)) for x in m["cost"][s]] for s in range(S)]
    pols = {k: [[F(str(x)) for x in row] for row in v] for k, v in inst["policies"].items()}
    return S, A, F(m["gamma"]), P, c, pols


def kernel(S, A, P, pi):
    return [[sum(pi[s][a] * P[s][a][t] for a in range(A)) for t in range(S)] for s in range(S)]


def occupancy_rows(S, gamma, Ppi):
    """D = (1 - gamma)(I - gamma P^pi)^{-1}, rows d_s."""
    I_gP = [[(1 if i == j else 0) - gamma * Ppi[i][j] for j in range(S)] for i in range(S)]
    cols = [solve(I_gP, [F(1) if i == j else F(0) for i in range(S)]) for j in range(S)]
    return [[(1 - gamma) * cols[j][i] for j in range(S)] for i in range(S)]


def values(S, A, gamma, P, c, pi):
    Ppi = kernel(S, A, P, pi)
    I_gP = [[(1 if i == j else 0) - gamma * Ppi[i][j] for j in range(S)] for i in range(S)]
    return solve(I_gP, [sum(pi[s][a] * c[s][a] for a in range(A)) for s in range(S)])


def instance(binary):
    pdl = os.path.join(DATA, "pdl-instance.json")
    r = json.loads(run(binary, "check", "--claim", "pdl", "--instance", pdl, "--json").stdout)
    S, A, gamma, P, c, pols = load(pdl)
    diff = [a - b for a, b in zip(values(S, A, gamma, P, c, pols["pi_prime"]), values(S, A, gamma, P, c, pols["pi"]))]
    check(r["verdict"] == "holds" and r["instances"] == 1 and r["decided"] == 1 and r["seed"] is None, f"pdl row {r}")
    check(r["comparison"] == "least slack" and r["relation"] == "==" and F(r["slack"]) == 0, f"pdl comparison {r}")
    s = int(r["where"].split("=")[1])
    check(F(r["lhs"]) == diff[s] == F(r["rhs"]), f"pdl sides {r['lhs']}, {r['rhs']} vs V^pi' - V^pi = {diff[s]}")
    # A relation with slack: d_s(s) >= 1 - gamma; the least slack is min_s d_s(s) - (1 - gamma).
    r = json.loads(run(binary, "check", "--claim", "occupancy-self-mass", "--instance", pdl, "--json").stdout)
    D = occupancy_rows(S, gamma, kernel(S, A, P, pols["pi"]))
    slacks = [D[s][s] - (1 - gamma) for s in range(S)]
    s = int(r["where"].split("=")[1])
    check(r["verdict"] == "holds" and r["comparison"] == "least slack" and F(r["slack"]) == min(slacks) == slacks[s]
          and F(r["rhs"]) == D[s][s] and F(r["lhs"]) == 1 - gamma, f"self-mass least slack {r} vs {slacks}")
    text = run(binary, "check", "--claim", "pdl", "--instance", pdl).stdout
    check("holds" in text and "least slack" in text, f"pdl text {text}")

    occ = os.path.join(DATA, "occupancy-difference-instance.json")
    r = json.loads(run(binary, "check", "--claim", "occupancy-difference", "--instance", occ, "--json").stdout)
    check(r["verdict"] == "refuted" and r["comparison"] == "violation" and "counterexample" in r, f"occ row {r}")
    S, A, gamma, P, c, pols = load(occ)
    D = occupancy_rows(S, gamma, kernel(S, A, P, pols["pi"]))
    D2 = occupancy_rows(S, gamma, kernel(S, A, P, pols["pi_prime"]))
    s, t = [int(x.split("=")[1]) for x in r["where"].split(", ")]
    check(F(r["lhs"]) == D2[s][t] - D[s][t] and F(r["lhs"]) != F(r["rhs"]), f"occupancy sides {r}")
    corrected = json.loads(run(binary, "check", "--claim", "occupancy-difference:corrected", "--instance", occ,
                               "--json").stdout)
    check(corrected["verdict"] == "holds", f"the corrected identity fails on the instance: {corrected}")
    # The same instance inside a counterexample file, as `rmdp verify` reads it.
    with tempfile.TemporaryDirectory() as tmp:
        cx = os.path.join(tmp, "cx.json")
        with open(cx, "w") as f:
            json.dump(r["counterexample"], f)
        run(binary, "verify", cx)
        again = json.loads(run(binary, "check", "--claim", "occupancy-difference", "--instance", cx, "--json").stdout)
        check(again["verdict"] == "refuted" and again["lhs"] == r["lhs"], f"counterexample file as instance: {again}")
        # verify on a file whose claim holds there: exit 1, and says so.
        with open(cx) as f:
            held = json.load(f)
        held["claim"] = "occupancy-difference:corrected"
        with open(cx, "w") as f:
            json.dump(held, f)
        out = run(binary, "verify", cx, status=1).stdout
        check("HOLDS" in out, f"verify of a holding claim: {out}")
        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as f:
            f.write("[1, 2]")
        err = run(binary, "check", "--claim", "pdl", "--instance", bad, status=2).stderr
        check("rmdp: error:" in err and "bad.json" in err, f"non-object instance: {err}")
    err = run(binary, "check", "--claim", "pdl", "--instance", os.path.join(DATA, "missing-policy.json"),
              status=2).stderr
    check("missing-policy.json" in err and "instance.policies.pi_prime" in err and "missing" in err, f"missing field: {err}")
    with tempfile.TemporaryDirectory() as tmp:
        with open(pdl) as f:
            inst = json.load(f)
        inst["polices"] = inst.pop("policies")  # a misspelt field
        typo = os.path.join(tmp, "typo.json")
        with open(typo, "w") as f:
            json.dump(inst, f)
        err = run(binary, "check", "--claim", "pdl", "--instance", typo, status=2).stderr
        check("instance.polices" in err and "unknown field" in err, f"misspelt field: {err}")
        inst["policies"] = inst.pop("polices")
        inst["policies"]["pi_prim"] = inst["policies"].pop("pi_prime")  # a misspelt policy name
        with open(typo, "w") as f:
            json.dump(inst, f)
        err = run(binary, "check", "--claim", "pdl", "--instance", typo, status=2).stderr
        check("instance.policies.pi_prime" in err and "missing" in err, f"misspelt policy: {err}")
    err = run(binary, "check", "--claim", "mbpo-4.1", "--instance", pdl, status=2).stderr
    check("instance.extra.mbpo" in err, f"mbpo without extra.mbpo: {err}")


def schema(binary):
    s = json.loads(run(binary, "claims", "--schema", "pdl", "--json").stdout)["schema"]
    check(s["mdp"] == "required" and s["policies"] == {"pi": "required", "pi_prime": "required"} and s["extra"] == {},
          f"pdl schema {s}")
    s = json.loads(run(binary, "claims", "--schema", "mbpo-4.1", "--json").stdout)["schema"]
    check(s["mdp"] == "absent" and s["extra"]["mbpo"]["need"] == "required", f"mbpo schema {s}")
    s = json.loads(run(binary, "claims", "--schema", "three-point:kl", "--json").stdout)["schema"]
    check("eta" in s["extra"] and "pi > 0" in s["notes"], f"KL schema {s}")
    text = run(binary, "claims", "--schema", "frechet-subgradient").stdout
    check("policies" in text and "extra fields" in text, f"text schema {text}")
    run(binary, "claims", "--schema", "no-such-claim", status=2)
    for claim in ("occupancy-self-mass", "robust-bellman-v", "differentiable-everywhere", "rpmd-recursion", "tv-chain"):
        s = json.loads(run(binary, "claims", "--schema", claim, "--json").stdout)["schema"]
        check(s["notes"] and s["example"], f"{claim}: schema without notes or example: {s}")


def toplevel(binary):
    v = run(binary, "--version").stdout
    check(v.startswith("rmdp ") and "(git " in v, f"--version: {v!r}")
    check(run(binary, "help", "check").stdout == run(binary, "check", "--help").stdout, "help check != check --help")
    err = run(binary, "frobnicate", status=2).stderr
    check("unknown command 'frobnicate'" in err, f"unknown command: {err}")
    run(binary, "help", "frobnicate", status=2)


def bad_flags(binary):
    cases = [["--seed", "-1"], ["--seed", "18446744073709551616"], ["--seed", "x"], ["--seed", ""],
             ["--claim", "pdl", "--all"], ["--shard", "0/2"], ["--shard", "3/2"], ["--shard", "1"],
             ["-j", "0"], ["--trials", "0"], ["--claim", "no-such-claim"], ["--instance", "x.json"]]
    for args in cases:
        err = run(binary, "check", *args, status=2).stderr
        check(err.startswith("rmdp: error:"), f"check {args}: {err!r}")
    # The largest seed is accepted.
    run(binary, "check", "--claim", "pdl", "--trials", "1", "--seed", "18446744073709551615", "--json")


def precision(binary):
    out = json.loads(run(binary, "check", "--claim", "three-point:kl", "--claim", "rpmd-sublinear:sharp", "--trials", "3",
                         "--arith", "mpfr:64", "--json", "-j", "1").stdout)
    check(out["precision_bits"] == 65, f"precision_bits {out.get('precision_bits')}")
    kl = out["rows"][0]
    check("MPFI at 65 bits" in kl["detail"], f"KL check under mpfr:64 did not compute at 65 bits: {kl['detail']}")


def interrupt(binary):
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([binary, "check", "--claim", "resolvent-norm:b", "--claim", "rpmd-sublinear",
                                 "--trials", "100000000", "-j", "2", "--counterexample-dir", tmp],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines = []
        try:
            for line in proc.stdout:
                lines.append(line)
                if "rmdp verify" in line:
                    break
            proc.send_signal(signal.SIGINT)
            rest, _ = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        check(any(l.startswith("resolvent-norm:b") and "refuted" in l for l in lines), f"no row streamed: {lines}")
        check(proc.returncode != 0, "the interrupted run did not stop")
        files = os.listdir(tmp)
        check(len(files) == 1 and files[0].endswith(".json"), f"counterexample files after SIGINT: {files}")
        with open(os.path.join(tmp, files[0])) as f:
            check(json.load(f)["claim"] == "resolvent-norm:b", "counterexample file unreadable")


def sbatch(binary):
    script = os.path.join(HERE, "..", "scripts", "slurm", "campaign.sbatch")
    args = ["--claim", "pdl", "--claim", "resolvent-norm:b", "--trials", "20"]
    with tempfile.TemporaryDirectory() as tmp:
        for i in (1, 2, 3):
            env = dict(os.environ, SLURM_ARRAY_TASK_ID=str(i), SLURM_ARRAY_TASK_COUNT="3", SLURM_CPUS_PER_TASK="1",
                       RMDP=binary)
            proc = subprocess.run(["bash", script, *args], cwd=tmp, env=env, capture_output=True, text=True, timeout=120)
            check(proc.returncode == 0, f"array task {i}: {proc.stderr}")
        shards = [os.path.join(tmp, "shards", f"shard-{i}.json") for i in (1, 2, 3)]
        merged = json.loads(run(binary, "merge", *shards, "--json", cwd=tmp).stdout)
        single = json.loads(run(binary, "check", *args, "--json", "-j", "1", cwd=tmp).stdout)
        check(without_paths(merged["rows"]) == without_paths(single["rows"]), f"sbatch shards merged differ from one run:\n{merged['rows']}\n{single['rows']}")


CASES = [jobs_identity, shard_merge, instance, schema, toplevel, bad_flags, precision, interrupt, sbatch]

if __name__ == "__main__":
    sys.exit(main(CASES, __doc__))
