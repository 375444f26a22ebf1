#!/usr/bin/env python3
"""Self-test of robust_reference.py on hand-computed examples, and of
run_robust_differential.py against a fake rmdp with injected bugs.

Run:  python3 tests/differential/test_robust_reference.py
(or)  python3 -m unittest discover -s tests/differential -p 'test_*.py'
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import unittest
from fractions import Fraction as F

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import exact_reference as ref  # noqa: E402
import robust_reference as rr  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def good_bad(gamma="1/2", **unc):
    """State 0: cost 0, nominally stays in 0.  State 1: cost 1, absorbing.
    Nature wants to push mass from state 0 to the bad state 1."""
    return {"states": 2, "actions": 1, "gamma": gamma, "cost": [[0], [1]],
            "P": [[[1, 0]], [[0, 1]]], "uncertainty": unc}


def evaluate(obj, pol):
    rm = rr.parse_robust_mdp(obj)
    return rm, rr.robust_evaluate(rm, ref.parse_policy({"policy": pol}, rm.n, rm.m), grid=12)


class Vertices(unittest.TestCase):
    def test_l1_hexagon(self):
        # L1 ball of radius 2/3 around the centre of the 2-simplex: the six
        # points q + (1/3)(e_i - e_j).
        got = set(rr.L1Set([F(1, 3)] * 3, F(2, 3)).vertices())
        want = {tuple(F(1, 3) + (F(1, 3) if k == i else 0) - (F(1, 3) if k == j else 0)
                      for k in range(3))
                for i in range(3) for j in range(3) if i != j}
        self.assertEqual(got, want)

    def test_l1_big_radius_is_the_simplex(self):
        for r in (F(2), F(3), F(5, 2)):
            got = set(rr.L1Set([F(1, 2), F(1, 2), F(0)], r).vertices())
            self.assertEqual(got, {(1, 0, 0), (0, 1, 0), (0, 0, 1)})

    def test_l1_radius_zero_is_a_point(self):
        self.assertEqual(rr.L1Set([F(1, 4), F(0), F(3, 4)], 0).vertices(), [(F(1, 4), 0, F(3, 4))])

    def test_l1_mass_into_zero_entries(self):
        # Centre (1, 0, 0), radius 1: moves up to 1/2 of the mass, also into
        # states with nominal probability 0.
        got = set(rr.L1Set([F(1), F(0), F(0)], 1).vertices())
        self.assertEqual(got, {(1, 0, 0), (F(1, 2), F(1, 2), 0), (F(1, 2), 0, F(1, 2))})

    def test_weighted_l1_two_receivers(self):
        # Issue 13: q = (1,0,0), V = (0,1,2), w = (1/10,1,3), r = 21/10: the
        # optimum 3/2 is at (0, 1/2, 1/2); one receiver gives at most 42/31.
        st = rr.L1Set([1, 0, 0], F(21, 10), weights=[F(1, 10), 1, 3])
        V = [0, 1, 2]
        self.assertEqual(rr.best_vertex_value(st.vertices(), V), F(3, 2))
        self.assertIn((0, F(1, 2), F(1, 2)), st.vertices())
        self.assertTrue(st.contains([0, F(1, 2), F(1, 2)]))
        self.assertFalse(st.contains([0, F(1, 2) - F(1, 100), F(1, 2) + F(1, 100)]))

    def test_weighted_l1_unit_weights_is_l1(self):
        q = [F(1, 2), F(1, 3), F(1, 6)]
        self.assertEqual(set(rr.L1Set(q, F(1, 2), weights=[1, 1, 1]).vertices()),
                         set(rr.L1Set(q, F(1, 2)).vertices()))

    def test_l1_nominal_support(self):
        st = rr.L1Set([F(1, 2), F(1, 2), 0], 2, nominal_support=True)
        self.assertEqual(set(st.vertices()), {(1, 0, 0), (0, 1, 0)})
        self.assertFalse(st.contains([0, F(1, 2), F(1, 2)]))
        self.assertEqual(rr.best_vertex_value(st.vertices(), [0, 1, 5]), 1)

    def test_interval_vertices(self):
        got = set(rr.IntervalSet([0] * 3, [F(1, 2)] * 3).vertices())
        self.assertEqual(got, {(0, F(1, 2), F(1, 2)), (F(1, 2), 0, F(1, 2)), (F(1, 2), F(1, 2), 0)})
        # Pinned: lower = upper.
        self.assertEqual(rr.IntervalSet([F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)]).vertices(),
                         [(F(1, 3), F(2, 3))])

    def test_one_state(self):
        self.assertEqual(rr.L1Set([F(1)], F(1, 2)).vertices(), [(F(1),)])
        self.assertEqual(rr.IntervalSet([F(0)], [F(1)]).vertices(), [(F(1),)])

    def test_membership(self):
        hull = rr.FiniteSet([[1, 0, 0], [0, 1, 0]])
        self.assertTrue(hull.contains([F(1, 2), F(1, 2), 0]))
        self.assertTrue(hull.contains([F(1), 0, 0]))
        self.assertFalse(hull.contains([F(1, 3), F(1, 3), F(1, 3)]))
        tri = rr.FiniteSet([[1, 0, 0], [0, 1, 0], [0, 0, 1], [F(1, 3), F(1, 3), F(1, 3)]])
        self.assertTrue(tri.contains([F(1, 5), F(1, 5), F(3, 5)]))
        ball = rr.L1Set([F(1), 0], F(1, 2))
        self.assertTrue(ball.contains([F(3, 4), F(1, 4)]))
        self.assertFalse(ball.contains([F(1, 2), F(1, 2)]))
        self.assertFalse(ball.contains([F(5, 4), F(-1, 4)]))  # not in the simplex
        box = rr.IntervalSet([0, F(1, 4)], [F(3, 4), 1])
        self.assertTrue(box.contains([F(3, 4), F(1, 4)]))
        self.assertFalse(box.contains([F(4, 5), F(1, 5)]))


class HandComputedEvaluate(unittest.TestCase):
    # gamma = 1/2, V(1) = 1 / (1 - 1/2) = 2 always (nature keeps 1 absorbing).
    def test_radius_two_moves_all_mass_to_the_bad_state(self):
        rm, ev = evaluate(good_bad(type="l1", radius=2), [[1], [1]])
        self.assertEqual(ev.V, [F(1), F(2)])               # V0 = 0 + V1/2
        self.assertEqual(ev.Q, [[F(1)], [F(2)]])
        self.assertEqual(ev.argmax[0][0], [(0, 1)])

    def test_radius_one_moves_half(self):
        # p = (1/2, 1/2): V0 = (V0/2 + 1)/2  =>  V0 = 2/3.
        rm, ev = evaluate(good_bad(type="l1", radius=1), [[1], [1]])
        self.assertEqual(ev.V, [F(2, 3), F(2)])
        self.assertEqual(ev.argmax[0][0], [(F(1, 2), F(1, 2))])

    def test_radius_half(self):
        # p = (3/4, 1/4): V0 = (3/4 V0 + 1/2)/2  =>  V0 = 2/5.
        _, ev = evaluate(good_bad(type="l1", radius="1/2"), [[1], [1]])
        self.assertEqual(ev.V, [F(2, 5), F(2)])

    def test_radius_zero_and_none_are_nominal(self):
        for unc in ({"type": "l1", "radius": 0}, {"type": "none"},
                    {"type": "l1", "radius": [[0], [0]]}):
            _, ev = evaluate(good_bad(**unc), [[1], [1]])
            self.assertEqual(ev.V, [F(0), F(2)])

    def test_radius_matrix(self):
        # Radius 2 at state 0 only; state 1 may not leave anyway (nature would
        # not want to).
        _, ev = evaluate(good_bad(type="l1", radius=[[2], [0]]), [[1], [1]])
        self.assertEqual(ev.V, [F(1), F(2)])

    def test_interval(self):
        # Box for state 0: p1 <= 1/4  =>  p = (3/4, 1/4), V0 = 2/5 (as radius 1/2).
        unc = {"type": "interval", "lower": [[[0, 0]], [[0, 0]]],
               "upper": [[[1, "1/4"]], [[1, 1]]]}
        _, ev = evaluate(good_bad(**unc), [[1], [1]])
        self.assertEqual(ev.V, [F(2, 5), F(2)])
        # Pinned box at state 0: p = (1/3, 2/3): V0 = (V0/3 + 4/3)/2 => V0 = 4/5.
        unc = {"type": "interval", "lower": [[["1/3", "2/3"]], [[0, 1]]],
               "upper": [[["1/3", "2/3"]], [[0, 1]]]}
        _, ev = evaluate(good_bad(**unc), [[1], [1]])
        self.assertEqual(ev.V, [F(4, 5), F(2)])

    def test_interval_box_excluding_nominal(self):
        # The nominal kernel need not be in the box: state 1 is forced to
        # send 1/2 of its mass to state 0:  V1 = 1 + (V0 + V1)/4, V0 = V1/2
        # (state 0 sent to state 1 entirely)  =>  V1 = 1 + 3V1/8  =>  V1 = 8/5.
        unc = {"type": "interval", "lower": [[[0, 0]], [["1/2", 0]]],
               "upper": [[[1, 1]], [["1/2", 1]]]}
        _, ev = evaluate(good_bad(**unc), [[1], [1]])
        self.assertEqual(ev.V, [F(4, 5), F(8, 5)])

    def test_finite(self):
        unc = {"type": "finite", "distributions": [[[[1, 0], [0, 1]]], [[[0, 1]]]]}
        rm, ev = evaluate(good_bad(**unc), [[1], [1]])
        self.assertEqual(ev.V, [F(1), F(2)])
        # A hull not containing the nominal row.
        unc = {"type": "finite", "distributions": [[[["1/2", "1/2"], ["3/4", "1/4"]]], [[[0, 1]]]]}
        _, ev = evaluate(good_bad(**unc), [[1], [1]])
        self.assertEqual(ev.V, [F(2, 3), F(2)])

    def test_gamma_zero(self):
        _, ev = evaluate(good_bad(gamma=0, type="l1", radius=2), [[1], [1]])
        self.assertEqual(ev.V, [F(0), F(1)])

    def test_mixed_policy(self):
        # State 0, cost 0, both actions stay nominally; action 0 has radius 2,
        # action 1 no uncertainty.  pi(.|0) = (1/2, 1/2):
        # V0 = 1/2 * (V1/2) + 1/2 * (V0/2), V1 = 2  =>  V0 = 2/3.
        obj = {"states": 2, "actions": 2, "gamma": "1/2", "cost": [[0, 0], [1, 1]],
               "P": [[[1, 0], [1, 0]], [[0, 1], [0, 1]]],
               "uncertainty": {"type": "l1", "radius": [[2, 0], [0, 0]]}}
        _, ev = evaluate(obj, [["1/2", "1/2"], [1, 0]])
        self.assertEqual(ev.V, [F(2, 3), F(2)])
        self.assertEqual(ev.Q, [[F(1), F(1, 3)], [F(2), F(2)]])

    def test_three_state_tie(self):
        # States 1 and 2 are duplicates (cost 1, absorbing into themselves):
        # nature is indifferent between them; every maximiser is reported.
        obj = {"states": 3, "actions": 1, "gamma": "1/2", "cost": [[0], [1], [1]],
               "P": [[[1, 0, 0]], [[0, 1, 0]], [[0, 0, 1]]],
               "uncertainty": {"type": "l1", "radius": 2}}
        _, ev = evaluate(obj, [[1], [1], [1]])
        self.assertEqual(ev.V, [F(1), F(2), F(2)])
        self.assertEqual(set(ev.argmax[0][0]), {(0, 1, 0), (0, 0, 1)})


class HandComputedSolve(unittest.TestCase):
    def test_safe_beats_risky(self):
        # State 0: action 0 costs 1/4 and surely stays (radius 0); action 1
        # costs 0 and nominally stays but nature (radius 2) sends it to the
        # bad absorbing state 1 (cost 1).  gamma = 1/2.
        # safe:  V0 = 1/4 + V0/2 = 1/2.   risky: V0 = 0 + V1/2 = 1.
        obj = {"states": 2, "actions": 2, "gamma": "1/2", "cost": [["1/4", 0], [1, 1]],
               "P": [[[1, 0], [1, 0]], [[0, 1], [0, 1]]],
               "uncertainty": {"type": "l1", "radius": [[0, 2], [0, 0]]}}
        rm = rr.parse_robust_mdp(obj)
        sol = rr.robust_solve(rm)
        self.assertEqual(sol.V, [F(1, 2), F(2)])
        self.assertEqual(sol.Q, [[F(1, 2), F(1)], [F(2), F(2)]])
        self.assertEqual(sorted(sol.optimal), [(0, 0), (0, 1)])  # tie at state 1
        self.assertEqual(sol.values[(1, 0)], [F(1), F(2)])
        # Nominally (no uncertainty) the risky action is optimal: V0 = 0.
        obj["uncertainty"] = {"type": "none"}
        self.assertEqual(rr.robust_solve(rr.parse_robust_mdp(obj)).V, [F(0), F(2)])


class Parsing(unittest.TestCase):
    def bad(self, unc):
        obj = good_bad(**unc)
        with self.assertRaises(ref.InputError):
            rr.parse_robust_mdp(obj)

    def test_rejections(self):
        self.bad({"type": "l1", "radius": "-1/2"})
        self.bad({"type": "l1"})
        self.bad({"type": "l1", "radius": [[1]]})
        self.bad({"type": "ball", "radius": 1})
        self.bad({"type": "l1", "radius": 1, "extra": 0})
        self.bad({"type": "interval", "lower": [[["1/2", 0]], [[0, 0]]],
                  "upper": [[["1/4", 1]], [[1, 1]]]})                    # lower > upper
        self.bad({"type": "interval", "lower": [[[0, 0]], [[0, 0]]],
                  "upper": [[["1/4", "1/4"]], [[1, 1]]]})                # sum upper < 1
        self.bad({"type": "finite", "distributions": [[[]], [[[0, 1]]]]})
        self.bad({"type": "finite", "distributions": [[[["1/2", "1/3"]]], [[[0, 1]]]]})

    def test_default_is_none(self):
        obj = good_bad()
        del obj["uncertainty"]
        self.assertEqual(rr.parse_robust_mdp(obj).utype, "none")


class CommandLine(unittest.TestCase):
    def test_cli(self):
        with tempfile.TemporaryDirectory() as d:
            mp, pp = os.path.join(d, "m.json"), os.path.join(d, "p.json")
            with open(mp, "w") as fh:
                json.dump(good_bad(type="l1", radius=1), fh)
            with open(pp, "w") as fh:
                json.dump({"policy": [[1], [1]]}, fh)
            script = os.path.join(HERE, "robust_reference.py")
            out = subprocess.run([sys.executable, script, "evaluate", mp, pp],
                                 capture_output=True, text=True, check=True)
            self.assertEqual(json.loads(out.stdout),
                             {"V": ["2/3", "2"], "Q": [["2/3"], ["2"]],
                              "worst_case": [[["1/2", "1/2"]], [["0", "1"]]]})
            out = subprocess.run([sys.executable, script, "solve", mp],
                                 capture_output=True, text=True, check=True)
            self.assertEqual(json.loads(out.stdout)["V"], ["2/3", "2"])


class DriverAgainstFake(unittest.TestCase):
    """run_robust_differential.py passes a correct binary and catches broken
    ones (fake_robust_rmdp.py answers from the reference, with injected bugs)."""

    COUNT = 9      # one instance of each uncertainty-type slot
    BUG_COUNT = 3

    def run_driver(self, bug, count, extra=()):
        with tempfile.TemporaryDirectory() as d:
            fake = os.path.join(d, "rmdp")
            with open(fake, "w") as fh:
                fh.write(f"#!/bin/sh\nexec {sys.executable} -S "
                         f"{os.path.join(HERE, 'fake_robust_rmdp.py')} \"$@\"\n")
            os.chmod(fake, 0o755)
            env = dict(os.environ, RMDP_FAKE_BUG=bug)
            env.pop("RMDP_ROBUST_DIFF_COUNT", None)
            return subprocess.run(
                [sys.executable, os.path.join(HERE, "run_robust_differential.py"), fake,
                 "--count", str(count), "--seed", "3", "--keep-dir", os.path.join(d, "inst"),
                 *extra],
                capture_output=True, text=True, env=env)

    def test_correct_binary_passes(self):
        r = self.run_driver("", self.COUNT)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        import run_robust_differential as drv
        regressions = sum(len(case[3]) for case in drv.REGRESSIONS)
        self.assertEqual(r.stdout.strip().splitlines()[-1],
                         f"{13 * self.COUNT + regressions} passed, 0 failed")

    def test_bugs_are_caught(self):
        cases = [("worst_outside", "is NOT in U"), ("worst_nominal", "!= max over U"),
                 ("nominal_q", "[evaluate exact]"), ("policy", "is not optimal"),
                 ("interval", "does not contain")]
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(cases)) as pool:
            runs = list(pool.map(lambda c: self.run_driver(c[0], self.BUG_COUNT, ["--no-regressions"]),
                                 cases))
        for (bug, marker), r in zip(cases, runs):
            with self.subTest(bug=bug):
                self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
                self.assertIn(marker, r.stdout)
                self.assertRegex(r.stdout.strip().splitlines()[-1], r"^\d+ passed, [1-9]\d* failed$")


if __name__ == "__main__":
    unittest.main()
