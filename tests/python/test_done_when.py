"""Issue 10's "Done when", one test each (the malformed-input item is test_errors.py, the shrinking
item test_hypothesis.py, check/check_instance test_cli_agreement.py)."""
import json
import os
import subprocess
import sys
from fractions import Fraction

import numpy as np

import rmdp

# A 3-state, 2-action MDP as a pymdptoolbox user holds it: P[a][s][s'] and R[s][a] as float64.
# Rows of binary fractions (exact as doubles) and rows of decimals such as 0.1 whose double
# values still sum to exactly 1 ([0.1, 0.2, 0.7] does not; [0.1, 0.9] does not; these do).
P_ASS = np.array([
    [[0.5, 0.25, 0.25], [0.0, 0.125, 0.875], [1.0, 0.0, 0.0]],
    [[0.375, 0.625, 0.0], [0.75, 0.0, 0.25], [0.0, 0.5, 0.5]],
])
R_SA = np.array([[1.0, 0.5], [-0.25, 2.0], [0.0, 0.75]])
GAMMA = 0.95

# The same model written as rmdp's JSON by hand, P[s][a][s'], cost = -reward, exact strings.
TWIN = {
    "states": 3, "actions": 2, "gamma": "0.95",
    "cost": [["-1", "-1/2"], ["1/4", "-2"], ["0", "-3/4"]],
    "P": [[["1/2", "1/4", "1/4"], ["3/8", "5/8", "0"]],
          [["0", "1/8", "7/8"], ["3/4", "0", "1/4"]],
          [["1", "0", "0"], ["0", "1/2", "1/2"]]],
}


def test_import_from_any_directory():
    env = dict(os.environ)
    p = subprocess.run([sys.executable, "-c", "import rmdp, sys; print(rmdp.__file__)"], cwd="/tmp", env=env,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_numpy_pymdptoolbox_mdp_solved_exactly_as_the_cli(cli, tmp_path):
    # gamma = 0.95 as a float is its binary value, not 19/20: snap it, or the twin must say so too.
    m = rmdp.Mdp(P=P_ASS, reward=R_SA, gamma=GAMMA, layout="ass", snap=100)
    assert m.snap_error == abs(Fraction(GAMMA) - Fraction(19, 20))  # everything else was exact
    f = tmp_path / "twin.json"
    f.write_text(json.dumps(TWIN))
    sol = m.solve()
    c = cli("solve", f, "--json")
    assert sol.json == c
    assert sol.V == [Fraction(x) for x in c["V"]] and all(isinstance(v, Fraction) for v in sol.V)
    # Without snap: the exact binary value of every double, the same as JSON float literals.
    exact = rmdp.Mdp(P=P_ASS, reward=R_SA, gamma=GAMMA, layout="ass")
    assert exact.gamma == Fraction(GAMMA)
    twin = dict(TWIN, gamma=GAMMA)  # a JSON float literal: read as its exact double by the CLI
    f.write_text(json.dumps(twin))
    assert exact.solve().json == cli("solve", f, "--json")


def test_float_values_crosschecked(cli, tmp_path):
    m = rmdp.Mdp(P=P_ASS, reward=R_SA, gamma=Fraction(19, 20), layout="ass")
    # The user's own float computation: value iteration in numpy on the (nominal) MDP.
    P = P_ASS.transpose(1, 0, 2)
    C = -R_SA
    V = np.zeros(3)
    for _ in range(2000):
        V = (C + 0.95 * P @ V).min(axis=1)
    r = m.crosscheck(V)
    assert 0 < float(r.max_abs_error) < 1e-12
    # The same audit by the CLI on the JSON twin and a values file.
    f, v = tmp_path / "twin.json", tmp_path / "values.json"
    f.write_text(json.dumps(TWIN))
    v.write_text(json.dumps({"V": V.tolist()}))
    assert r.json == cli("crosscheck", f, "--values", v, "--json")
    # And the policy the user's V is greedy for, tested for exact optimality.
    greedy = (C + 0.95 * P @ V).argmin(axis=1)
    r = m.crosscheck(V, claimed_optimal=greedy)
    assert r.json["claimed_optimal" if "claimed_optimal" in r.json else "policy"]["optimal"] is True


def test_decimal_floats_with_snap_equal_the_decimal_twin(cli, tmp_path):
    # Rows of decimals (0.1 + 0.2 + 0.7 != 1 in binary): snap=10 reads them as the decimals meant.
    P = np.array([[[0.1, 0.2, 0.7], [0.3, 0.3, 0.4], [0.6, 0.2, 0.2]],
                  [[0.9, 0.1, 0.0], [0.5, 0.25, 0.25], [0.0, 0.3, 0.7]]])
    R = np.array([[0.3, 0.1], [0.7, 0.2], [0.5, 0.9]])
    twin = {"states": 3, "actions": 2, "gamma": "0.9",
            "cost": [["-0.3", "-0.1"], ["-0.7", "-0.2"], ["-0.5", "-0.9"]],
            "P": [[["0.1", "0.2", "0.7"], ["0.9", "0.1", "0"]],
                  [["0.3", "0.3", "0.4"], ["0.5", "0.25", "0.25"]],
                  [["0.6", "0.2", "0.2"], ["0", "0.3", "0.7"]]],
            "uncertainty": {"type": "l1", "radius": "0.1"}}
    m = rmdp.Mdp(P=P, reward=R, gamma=0.9, layout="ass", snap=10, uncertainty={"type": "l1", "radius": 0.1})
    assert m.snap_error < Fraction(1, 10 ** 15)
    f = tmp_path / "twin.json"
    f.write_text(json.dumps(twin))
    for arith in ("exact", "interval:128"):
        assert m.solve(arith=arith).json == cli("solve", f, "--arith", arith, "--json")
