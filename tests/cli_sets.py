#!/usr/bin/env python3
"""The set kinds "weighted-l1" and "l1" with "support": "nominal" through the command line, on
hand-written files with hand-computed answers.  Usage: cli_sets.py RMDP_BINARY

two receivers   states 0, 1, 2 absorbing with costs 0, 1/2, 1 (gamma 1/2: V = 0, 1, 2); state 3 goes
                nominally to 0, weights (1/10, 1, 3, 3), radius 21/10.  Nature's best: all mass to
                state 1 (budget 1/10 + 1), then half of it on to state 2 (budget 1 at 3 - 1 per
                unit): p = (0, 1/2, 1/2, 0), <p, V> = 3/2, V_3 = 1/2 * 3/2 = 3/4.  (One receiver:
                at most 2 * 21/31, so V_3 <= 21/31 < 3/4.)
nominal support states 1, 2 absorbing, costs 1/2, 5/2 (V = 1, 5); state 0 nominally (1/2, 1/2, 0),
                radius 2.  With "support": "nominal" state 2 cannot receive: p = (0, 1, 0),
                V_0 = 1/2; the default support gives p = (0, 0, 1), V_0 = 5/2.
Every arithmetic, `solve`, bad fields (exit 2 naming the field), and `certify` (exit 2: no Coq
certificate for these kinds) are checked.
"""

import json
import os
import sys
import tempfile
from fractions import Fraction

from cli_support import check, run

TWO = {"states": 4, "actions": 1, "gamma": "1/2", "cost": [["0"], ["1/2"], ["1"], ["0"]],
       "P": [[["1", "0", "0", "0"]], [["0", "1", "0", "0"]], [["0", "0", "1", "0"]], [["1", "0", "0", "0"]]],
       "uncertainty": {"type": "weighted-l1", "radius": [["0"], ["0"], ["0"], ["21/10"]],
                       "weights": [[["1", "1", "1", "1"]], [["1", "1", "1", "1"]], [["1", "1", "1", "1"]],
                                   [["1/10", "1", "3", "3"]]]}}
NOMINAL = {"states": 3, "actions": 1, "gamma": "1/2", "cost": [["0"], ["1/2"], ["5/2"]],
           "P": [[["1/2", "1/2", "0"]], [["0", "1", "0"]], [["0", "0", "1"]]],
           "uncertainty": {"type": "l1", "radius": "2", "support": "nominal"}}


def number(text):
    if text.startswith("["):  # interval: both ends must be the exact value here (dyadic data)
        lo, hi = text[1:-1].split(",")
        a, b = Fraction(lo), Fraction(hi)
        check(a == b, f"interval {text} is not a point")
        return a
    return Fraction(text)


def main(binary):
    with tempfile.TemporaryDirectory() as d:
        def write(name, obj):
            path = os.path.join(d, name)
            with open(path, "w") as fh:
                json.dump(obj, fh)
            return path

        two = write("two.json", TWO)
        nom = write("nominal.json", NOMINAL)
        pol4 = write("pol4.json", {"policy": [[1]] * 4})
        pol3 = write("pol3.json", {"policy": [[1]] * 3})
        cases = [(two, pol4, [0, 1, 2, Fraction(3, 4)], 3, [0, Fraction(1, 2), Fraction(1, 2), 0]),
                 (nom, pol3, [Fraction(1, 2), 1, 5], 0, [0, 1, 0])]
        for path, pol, V, s, row in cases:
            for arith in ("exact", "double", "long-double", "mpfr:120", "interval:120"):
                for cmd in (["evaluate", path, "--policy", pol], ["solve", path]):
                    out = json.loads(run(binary, *cmd, "--json", "--arith", arith).stdout)
                    got = [number(x) for x in out["V"]]
                    check(got == V, f"{cmd[0]} {os.path.basename(path)} --arith {arith}: V = {out['V']}, expected {V}")
                    if cmd[0] == "evaluate" and arith == "exact":
                        got_row = [Fraction(x) for x in out["worst_case"][s][0]]
                        check(got_row == row, f"worst_case[{s}][0] = {out['worst_case'][s][0]}, expected {row}")
        # The default support lets nature reach state 2.
        default = write("default.json", {**NOMINAL, "uncertainty": {"type": "l1", "radius": "2"}})
        out = json.loads(run(binary, "evaluate", default, "--policy", pol3, "--json").stdout)
        check(out["V"][0] == "5/2", f"default support: V_0 = {out['V'][0]}, expected 5/2")

        bad = [({"type": "weighted-l1", "radius": 1, "weights": [[["1", "0", "1"]]] * 3}, "uncertainty.weights[0][0][1]"),
               ({"type": "weighted-l1", "radius": "-1/2", "weights": [[["1", "1", "1"]]] * 3}, "uncertainty.radius[0][0]"),
               ({"type": "weighted-l1", "radius": 1}, "uncertainty.weights"),
               ({"type": "weighted-l1", "radius": 1, "weights": [[["1", "1"]]] * 3}, "uncertainty.weights[0][0]"),
               ({"type": "l1", "radius": 1, "support": "listed"}, "uncertainty.support")]
        for k, (u, field) in enumerate(bad):
            path = write(f"bad{k}.json", {**NOMINAL, "uncertainty": u})
            err = run(binary, "solve", path, status=2).stderr
            check(err.startswith("rmdp: error: ") and field in err, f"{u}: stderr {err!r} does not name {field}")
        for path, field in ((two, "uncertainty.type"), (nom, "uncertainty.support")):
            err = run(binary, "certify", path, "--out", os.path.join(d, "cert.json"), status=2).stderr
            check(field in err and "certificate" in err, f"certify {path}: {err!r}")
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
