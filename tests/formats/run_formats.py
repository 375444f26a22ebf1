#!/usr/bin/env python3
"""craam2 CSV against hand-written JSON twins, through the rmdp command line.

usage: run_formats.py RMDP_BINARY CASE

The twins (tests/formats/twin-*.{csv,json}) were written independently of `rmdp convert`: each
JSON file by hand from its CSV, with c(s,a) = -sum_s' P(s'|s,a) r(s,a,s') computed on paper, and
decimals that are not binary fractions (0.1, 0.3, 0.35, 1.1). Cases:

  convert    CSV -> JSON equals the twin exactly (rationals compared, not text); a BOM is skipped
  commands   `rmdp gradient` and `rmdp rpmd --steps 0` (exact f_rho, V_r^pi, pi*, f_rho(pi*))
             print the same JSON for the CSV and its twin
  roundtrip  csv -> json -> csv -> json: the JSON files are equal, the CSV lists the same rows as
             the original (reward -c(s,a) per listed transition); --all-successors lists every s'
  notes      --normalise reports the largest change, --absorbing names the pairs, JSON -> CSV says
             what CSV cannot hold
  solve      `rmdp solve --json` V*, Q* and pi* equal for each CSV and its twin
"""

import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))

# twin name -> options that read the CSV as its twin
TWINS = {
    "twin-nominal": ["--gamma", "0.9"],
    "twin-l1": ["--gamma", "0.95", "--uncertainty", os.path.join(HERE, "twin-l1.uncertainty.json")],
    "twin-absorbing": ["--gamma", "1/2", "--absorbing"],
    "twin-normalise": ["--gamma", "0.3", "--normalise"],
}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)


def run(binary, args, expect_status=0):
    proc = subprocess.run([binary] + args, capture_output=True, text=True, timeout=120)
    if proc.returncode != expect_status:
        raise SystemExit(f"rmdp {' '.join(args)}: exit {proc.returncode}, expected {expect_status}\n{proc.stderr}")
    return proc


def num(x):
    return Fraction(x) if not isinstance(x, float) else None  # floats are not used in the twins


def mdp_value(j):
    """The mathematical content of an MDP JSON object, numbers as Fractions."""
    S, A = j["states"], j["actions"]
    rho = [num(x) for x in j["rho"]] if "rho" in j else [Fraction(1, S)] * S
    u = j.get("uncertainty", {"type": "none"})
    unc = {"type": u["type"]}
    if u["type"] == "l1":
        r = u["radius"]
        unc["radius"] = [[num(x) for x in row] for row in r] if isinstance(r, list) else [[num(r)] * A for _ in range(S)]
    elif u["type"] != "none":
        unc["raw"] = json.dumps(u, sort_keys=True)
    return {
        "S": S, "A": A, "gamma": num(j["gamma"]),
        "cost": [[num(x) for x in row] for row in j["cost"]],
        "P": [[[num(x) for x in d] for d in row] for row in j["P"]],
        "rho": rho, "uncertainty": unc,
    }


def csv_rows(path):
    """Rows of a CSV as {(s,a,s'): (P, r)}, header-aware."""
    cols = ["idstatefrom", "idaction", "idstateto", "probability", "reward"]
    out = {}
    with open(path, encoding="utf-8") as f:
        lines = [l.strip() for l in f if l.strip()]
    if not lines[0][0].isdigit():
        cols = [c.strip().lower() for c in lines[0].split(",")]
        lines = lines[1:]
    for l in lines:
        d = dict(zip(cols, [x.strip() for x in l.split(",")]))
        out[(int(d["idstatefrom"]), int(d["idaction"]), int(d["idstateto"]))] = (Fraction(d["probability"]), Fraction(d["reward"]))
    return out


def case_convert(binary, tmp):
    for name, opts in TWINS.items():
        out = os.path.join(tmp, name + ".json")
        run(binary, ["convert", os.path.join(HERE, name + ".csv"), out] + opts)
        with open(out) as f, open(os.path.join(HERE, name + ".json")) as g:
            got, want = mdp_value(json.load(f)), mdp_value(json.load(g))
        check(got == want, f"convert {name}.csv: {got} != twin {want}")
    # A UTF-8 byte order mark before the header (spreadsheet exports) is not part of the first column.
    p = run(binary, ["convert", os.path.join(HERE, "bom.csv"), "-", "--to", "json", "--gamma", "1/2"])
    check(mdp_value(json.loads(p.stdout))["cost"] == [[-1]], "bom.csv: " + p.stdout)


def policy_file(tmp, S, A):
    path = os.path.join(tmp, f"uniform-{S}x{A}.json")
    with open(path, "w") as f:
        json.dump({"policy": [[f"1/{A}"] * A for _ in range(S)]}, f)
    return path


def case_commands(binary, tmp):
    for name, opts in TWINS.items():
        csv, twin = os.path.join(HERE, name + ".csv"), os.path.join(HERE, name + ".json")
        with open(twin) as f:
            j = json.load(f)
        pol = policy_file(tmp, j["states"], j["actions"])
        a = json.loads(run(binary, ["gradient", csv, "--policy", pol, "--json"] + opts).stdout)
        b = json.loads(run(binary, ["gradient", twin, "--policy", pol, "--json"]).stdout)
        check(a == b, f"gradient {name}: CSV and twin differ")
        a = json.loads(run(binary, ["rpmd", csv, "--steps", "0", "--json"] + opts).stdout)
        b = json.loads(run(binary, ["rpmd", twin, "--steps", "0", "--json"]).stdout)
        check(a == b, f"rpmd --steps 0 {name}: CSV and twin differ (pi*, f_rho(pi*))")
        check(Fraction(a["f_star"]) is not None, "f_star is exact")


def case_roundtrip(binary, tmp):
    for name, opts in TWINS.items():
        src = os.path.join(HERE, name + ".csv")
        j1, c2, j3 = (os.path.join(tmp, name + s) for s in ("-1.json", "-2.csv", "-3.json"))
        run(binary, ["convert", src, j1] + opts)
        gamma = json.load(open(j1))["gamma"]
        back = ["--gamma", gamma] + (opts[2:4] if "--uncertainty" in opts else [])
        run(binary, ["convert", j1, c2])
        run(binary, ["convert", c2, j3] + back)
        with open(j1) as f, open(j3) as g:
            check(json.load(f) == json.load(g), f"roundtrip {name}: csv -> json -> csv -> json changed the MDP")
        if name in ("twin-l1",):  # rewards constant per (s,a), probabilities unnormalised: rows as written
            orig = {k: v for k, v in csv_rows(src).items() if v[0] != 0}
            check(csv_rows(c2) == orig, f"roundtrip {name}: CSV rows differ from the original's nonzero rows")
        full = os.path.join(tmp, name + "-all.csv")
        run(binary, ["convert", j1, full, "--all-successors"])
        S, A = json.load(open(j1))["states"], json.load(open(j1))["actions"]
        check(len(csv_rows(full)) == S * A * S, f"--all-successors {name}: expected {S * A * S} rows")
    # JSON -> CSV -> JSON from a JSON original with the set written beside it.
    twin = os.path.join(HERE, "twin-l1.json")
    c, u, j = (os.path.join(tmp, "l1" + s) for s in (".csv", ".u.json", ".json"))
    run(binary, ["convert", twin, c, "--write-uncertainty", u])
    run(binary, ["convert", c, j, "--gamma", "19/20", "--uncertainty", u])
    check(mdp_value(json.load(open(j))) == mdp_value(json.load(open(twin))), "json -> csv (+ set) -> json changed twin-l1")


def case_notes(binary, tmp):
    p = run(binary, ["convert", os.path.join(HERE, "twin-normalise.csv"), os.path.join(tmp, "n.json"), "--gamma", "0.3", "--normalise"])
    check("largest change of a probability 9/4" in p.stderr and "P(1|0,0)" in p.stderr,
          "--normalise note: " + p.stderr)
    p = run(binary, ["convert", os.path.join(HERE, "twin-absorbing.csv"), os.path.join(tmp, "a.json"), "--gamma", "1/2", "--absorbing"])
    check("3 (s,a) without rows" in p.stderr and "(1,1) (2,0) (2,1)" in p.stderr, "--absorbing note: " + p.stderr)
    p = run(binary, ["convert", os.path.join(HERE, "twin-l1.json"), os.path.join(tmp, "x.csv")])
    check("--gamma 19/20" in p.stderr and "uncertainty set is not in the CSV" in p.stderr, "json -> csv notes: " + p.stderr)
    # 1/3 has no finite decimal expansion: written exactly as p/q, and said so.
    src = os.path.join(tmp, "third.json")
    with open(src, "w") as f:
        json.dump({"states": 1, "actions": 1, "gamma": "1/2", "cost": [["1/3"]], "P": [[[1]]]}, f)
    p = run(binary, ["convert", src, "-", "--to", "csv"])
    check(p.stdout.splitlines()[1] == "0,0,0,1,-1/3", "p/q output: " + p.stdout)
    check("1 numbers have no finite decimal expansion" in p.stderr, "p/q note: " + p.stderr)


def case_solve(binary, tmp):
    for name, opts in TWINS.items():
        a = json.loads(run(binary, ["solve", os.path.join(HERE, name + ".csv"), "--json"] + opts).stdout)
        b = json.loads(run(binary, ["solve", os.path.join(HERE, name + ".json"), "--json"]).stdout)
        for key in ("V", "Q", "policy"):
            check(a[key] == b[key], f"solve {name}: {key} differs between the CSV and its twin")
        check(all(Fraction(v) is not None for v in a["V"]), f"solve {name}: V* is exact")
    return 0


def main():
    binary, case = os.path.abspath(sys.argv[1]), sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="rmdp-formats-") as tmp:
        status = globals()["case_" + case](binary, tmp) or 0
    if failures:
        print(f"{len(failures)} failed")
        return 1
    if status == 0:
        print("ok")
    return status


if __name__ == "__main__":
    sys.exit(main())
