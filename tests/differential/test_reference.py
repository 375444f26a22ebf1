#!/usr/bin/env python3
"""Self-test of exact_reference.py on hand-computed examples.

Run:  python3 tests/differential/test_reference.py
(or)  python3 -m unittest discover -s tests/differential -p 'test_*.py'
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import unittest
from fractions import Fraction as F

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import exact_reference as ref  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def run(mdp_obj, pol_obj):
    mdp = ref.parse_mdp(mdp_obj)
    pol = ref.parse_policy(pol_obj, mdp.n, mdp.m)
    return ref.evaluate(mdp, pol)


class HandComputed(unittest.TestCase):
    def test_one_state_self_loop(self):
        # V = 1 + V/2  =>  V = 2;  Q = 1 + 2/2 = 2.
        V, Q = run({"states": 1, "actions": 1, "gamma": "1/2", "cost": [[1]], "P": [[[1]]]},
                   {"policy": [[1]]})
        self.assertEqual(V, [F(2)])
        self.assertEqual(Q, [[F(2)]])

    def test_one_state_two_actions_mixed(self):
        # c^pi = (1 + 3)/2 = 2, V = 2 / (1 - 1/2) = 4; Q = (1 + 2, 3 + 2) = (3, 5).
        V, Q = run({"states": 1, "actions": 2, "gamma": "0.5", "cost": [[1, "3"]],
                    "P": [[[1], ["1/1"]]]},
                   {"policy": [["1/2", 0.5]]})
        self.assertEqual(V, [F(4)])
        self.assertEqual(Q, [[F(3), F(5)]])

    def test_two_state_swap(self):
        # V0 = 1 + V1/2, V1 = V0/2  =>  V0 = 4/3, V1 = 2/3.
        V, Q = run({"states": 2, "actions": 1, "gamma": "1/2", "cost": [[1], [0]],
                    "P": [[[0, 1]], [[1, 0]]]},
                   {"policy": [[1], [1]]})
        self.assertEqual(V, [F(4, 3), F(2, 3)])
        self.assertEqual(Q, [[F(4, 3)], [F(2, 3)]])

    def test_two_states_two_actions(self):
        # action 0 stays, action 1 moves to the other state. gamma = 1/2.
        # pi: state 0 moves, state 1 stays. c = [[2, 1], [0, 5]].
        # V1 = 0 + V1/2 => 0; V0 = 1 + V1/2 = 1.
        # Q(0,0) = 2 + V0/2 = 5/2, Q(0,1) = 1 + V1/2 = 1,
        # Q(1,0) = 0 + V1/2 = 0,   Q(1,1) = 5 + V0/2 = 11/2.
        V, Q = run({"states": 2, "actions": 2, "gamma": "1/2", "cost": [[2, 1], [0, 5]],
                    "P": [[[1, 0], [0, 1]], [[0, 1], [1, 0]]]},
                   {"policy": [[0, 1], [1, 0]]})
        self.assertEqual(V, [F(1), F(0)])
        self.assertEqual(Q, [[F(5, 2), F(1)], [F(0), F(11, 2)]])

    def test_gamma_zero(self):
        # gamma = 0: V = c^pi, Q = c.
        V, Q = run({"states": 2, "actions": 2, "gamma": 0, "cost": [[-2, 4], ["1/3", 0]],
                    "P": [[["1/4", "3/4"], [1, 0]], [[0, 1], [0.5, 0.5]]]},
                   {"policy": [["1/4", "3/4"], [1, 0]]})
        self.assertEqual(V, [F(-2, 4) + F(3), F(1, 3)])
        self.assertEqual(Q, [[F(-2), F(4)], [F(1, 3), F(0)]])

    def test_gamma_near_one_absorbing(self):
        # Absorbing state with cost 1, gamma = 999/1000 => V = 1000.
        # State 0 pays -5 and moves to state 1: V0 = -5 + 999/1000 * 1000 = 994.
        V, Q = run({"states": 2, "actions": 1, "gamma": "999/1000", "cost": [["-5"], [1]],
                    "P": [[[0, 1]], [[0, 1]]]},
                   {"policy": [[1], [1]]})
        self.assertEqual(V, [F(994), F(1000)])
        self.assertEqual(Q, [[F(994)], [F(1000)]])

    def test_random_walk_matches_closed_form(self):
        # One state, stochastic self-loop is still a self-loop: V = c / (1 - gamma).
        V, _ = run({"states": 1, "actions": 1, "gamma": "9/10", "cost": [["7/3"]], "P": [[[1]]]},
                   {"policy": [[1]]})
        self.assertEqual(V, [F(70, 3)])


class NumberSpellings(unittest.TestCase):
    def test_accepted(self):
        cases = {
            "1/2": F(1, 2), "-2": F(-2), "0.125": F(1, 8), "1e-3": F(1, 1000),
            "2.5E+1": F(25), "-3.5e-2": F(-7, 200), "6/4": F(3, 2), "0": F(0),
            "-0": F(0), "0.0": F(0), "1.250": F(5, 4), "12e0": F(12),
            "123456789012345678901234567890/7": F(123456789012345678901234567890, 7),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(ref.parse_number(text), expected)

    def test_json_numbers(self):
        self.assertEqual(ref.parse_number(3), F(3))
        self.assertEqual(ref.parse_number(-7), F(-7))
        self.assertEqual(ref.parse_number(0.25), F(1, 4))
        # A float literal means the exact binary value of the double.
        self.assertEqual(ref.parse_number(0.1), F(3602879701896397, 36028797018963968))
        self.assertNotEqual(ref.parse_number(0.1), F(1, 10))
        # Integers beyond 2^53 stay exact.
        self.assertEqual(ref.parse_number(2**53 + 1), F(2**53 + 1))
        # ... also when they come through the JSON text.
        self.assertEqual(ref.parse_number(json.loads("9007199254740993")), F(2**53 + 1))
        self.assertEqual(ref.parse_number(json.loads("1e-07")), F(1e-07))

    def test_rejected(self):
        for bad in ["", " 1", "1 ", "abc", "1/0", "nan", "inf", "1/2/3", "1e", "--1",
                    "1_000", "0x10", "1/-2", True, None, [1], float("nan"), float("inf")]:
            with self.subTest(bad=bad):
                with self.assertRaises(ref.InputError):
                    ref.parse_number(bad)

    def test_format(self):
        self.assertEqual(ref.format_fraction(F(6, 4)), "3/2")
        self.assertEqual(ref.format_fraction(F(-6, 4)), "-3/2")
        self.assertEqual(ref.format_fraction(F(0)), "0")
        self.assertEqual(ref.format_fraction(F(-5)), "-5")


class Validation(unittest.TestCase):
    base = {"states": 1, "actions": 1, "gamma": "1/2", "cost": [[1]], "P": [[[1]]]}

    def bad(self, **changes):
        obj = dict(self.base, **changes)
        with self.assertRaises(ref.InputError):
            ref.parse_mdp(obj)

    def test_rejections(self):
        self.bad(gamma="1")
        self.bad(gamma="-1/2")
        self.bad(gamma="3/2")
        self.bad(P=[[["1/2"]]])                       # row sum != 1
        self.bad(states=2, cost=[[1], [1]], P=[[[2, -1]], [[0, 1]]])  # negative entry
        self.bad(P=[[[0.1]]])                         # 0.1 as a double is not 1
        self.bad(cost=[[1, 2]])                       # wrong shape
        self.bad(states=0)
        self.bad(states=True)
        with self.assertRaises(ref.InputError):
            ref.parse_mdp({"states": 1, "actions": 1, "gamma": "1/2", "cost": [[1]]})

    def test_float_rows_must_sum_exactly(self):
        # The exact binary values of the doubles 0.1 and 0.9 do not sum to 1,
        # so this row is rejected; dyadic floats such as 0.25 + 0.75 are fine.
        self.assertNotEqual(F(0.1) + F(0.9), 1)
        obj = {"states": 2, "actions": 1, "gamma": 0, "cost": [[0], [0]],
               "P": [[[0.1, 0.9]], [[0, 1]]]}
        with self.assertRaises(ref.InputError):
            ref.parse_mdp(obj)
        obj["P"] = [[[0.25, 0.75]], [[0, 1]]]
        ref.parse_mdp(obj)

    def test_policy_rejections(self):
        mdp = ref.parse_mdp(self.base)
        for bad in [{"policy": [["1/2"]]}, {"policy": [[1, 0]]}, {"policy": []}, {"pi": [[1]]}]:
            with self.subTest(bad=bad):
                with self.assertRaises(ref.InputError):
                    ref.parse_policy(bad, mdp.n, mdp.m)


class LinearSolve(unittest.TestCase):
    def test_needs_pivoting(self):
        A = [[F(0), F(1)], [F(1), F(1)]]
        self.assertEqual(ref.solve_linear_system(A, [F(2), F(3)]), [F(1), F(2)])


class CommandLine(unittest.TestCase):
    def test_cli(self):
        with tempfile.TemporaryDirectory() as d:
            mdp_path = os.path.join(d, "m.json")
            pol_path = os.path.join(d, "p.json")
            with open(mdp_path, "w") as fh:
                json.dump({"states": 2, "actions": 1, "gamma": "1/2", "cost": [[1], [0]],
                           "P": [[[0, 1]], [[1, 0]]], "rho": ["1/2", "1/2"],
                           "uncertainty": {"anything": "ignored"}}, fh)
            with open(pol_path, "w") as fh:
                json.dump({"policy": [[1], [1]]}, fh)
            script = os.path.join(HERE, "exact_reference.py")
            out = subprocess.run([sys.executable, script, mdp_path, pol_path],
                                 capture_output=True, text=True, check=True)
            self.assertEqual(json.loads(out.stdout), {"V": ["4/3", "2/3"], "Q": [["4/3"], ["2/3"]]})
            with open(pol_path, "w") as fh:
                json.dump({"policy": [["1/2"], [1]]}, fh)
            bad = subprocess.run([sys.executable, script, mdp_path, pol_path],
                                 capture_output=True, text=True)
            self.assertNotEqual(bad.returncode, 0)
            self.assertIn("policy[0]", bad.stderr)


class DriverAgainstFake(unittest.TestCase):
    """run_differential.py passes a correct binary and catches broken ones
    (fake_rmdp.py answers from the reference, optionally with an injected bug)."""

    def run_driver(self, bug, count=8):
        with tempfile.TemporaryDirectory() as d:
            fake = os.path.join(d, "rmdp")
            with open(fake, "w") as fh:
                fh.write(f"#!/bin/sh\nexec {sys.executable} {os.path.join(HERE, 'fake_rmdp.py')} \"$@\"\n")
            os.chmod(fake, 0o755)
            env = dict(os.environ, RMDP_FAKE_BUG=bug)
            env.pop("RMDP_DIFF_COUNT", None)
            return subprocess.run(
                [sys.executable, os.path.join(HERE, "run_differential.py"), fake,
                 "--count", str(count), "--seed", "7", "--keep-dir", os.path.join(d, "inst")],
                capture_output=True, text=True, env=env)

    def test_correct_binary_passes(self):
        r = self.run_driver("")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout.strip().splitlines()[-1], "24 passed, 0 failed")

    def test_bugs_are_caught(self):
        for bug, mode in [("exact", "[exact]"), ("noncanon", "[exact]"), ("bound", "[double]")]:
            with self.subTest(bug=bug):
                r = self.run_driver(bug)
                self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
                self.assertIn(mode, r.stdout)
                last = r.stdout.strip().splitlines()[-1]
                self.assertRegex(last, r"^\d+ passed, [1-9]\d* failed$")


if __name__ == "__main__":
    unittest.main()
