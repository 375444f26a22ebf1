"""rmdp.Mdp: input adaptation (layouts, floats, snap, rewards, files). The library validates; these
tests pin what the adapter sends it."""
import json
from fractions import Fraction

import numpy as np
import pytest

import rmdp

F = Fraction

# examples/two-state.json, written out by hand.
TWO_P = [[["1/2", "1/2"], [1, 0]], [[0, 1], ["1/10", "9/10"]]]
TWO_COST = [[1, "1/2"], [0, "1/4"]]


def test_from_json_equals_lists(examples):
    m = rmdp.Mdp.from_json(examples / "two-state.json")
    doc = json.loads((examples / "two-state.json").read_text())
    n = rmdp.Mdp(P=doc["P"], cost=doc["cost"], gamma=doc["gamma"], rho=doc.get("rho"),
                 uncertainty=doc.get("uncertainty"))
    assert m == n
    assert m.states == doc["states"] and m.actions == doc["actions"]
    assert m.gamma == F(doc["gamma"])


def test_to_json_round_trip(tmp_path, examples):
    for name in ("two-state.json", "gamma999-l1.json", "gradient-tie.json", "rpmd-l1.json"):
        m = rmdp.Mdp.from_json(examples / name)
        m.to_json(tmp_path / name)
        assert rmdp.Mdp.from_json(tmp_path / name) == m
        assert rmdp.Mdp.from_dict(json.loads(m.to_json())) == m


def test_layout_ass_is_the_transpose():
    P_sas = np.array([[[0.5, 0.5], [1.0, 0.0]], [[0.0, 1.0], [0.25, 0.75]]])
    cost = np.array([[1.0, 0.5], [0.0, 0.25]])
    a = rmdp.Mdp(P=P_sas, cost=cost, gamma=F(9, 10))
    b = rmdp.Mdp(P=P_sas.transpose(1, 0, 2), cost=cost, gamma=F(9, 10), layout="ass")
    assert a == b
    assert a.P[1][1] == [F(1, 4), F(3, 4)]


def test_number_spellings_are_exact():
    P = np.empty((1, 2, 1), dtype=object)
    P[0, 0, 0], P[0, 1, 0] = F(1), 1
    m = rmdp.Mdp(P=P, cost=[["0.1", F(1, 3)]], gamma="9/10")
    assert m.cost == [[F(1, 10), F(1, 3)]]
    m = rmdp.Mdp(P=[[[1], [1]]], cost=np.array([[3, -2]], dtype=np.int64), gamma=0.5)
    assert m.cost == [[3, -2]] and m.gamma == F(1, 2)


def test_float_is_its_exact_binary_value():
    m = rmdp.Mdp(P=[[[1.0]]], cost=[[0.1]], gamma=0.9)
    assert m.cost[0][0] == F(0.1) != F(1, 10)
    assert m.gamma == F(0.9)
    assert m.snap_error is None


def test_float_row_that_misses_one_says_by_how_much():
    with pytest.raises(ValueError) as e:
        rmdp.Mdp(P=[[[0.1, 0.9]], [[0.5, 0.5]]], cost=[[0], [0]], gamma=0.5)
    msg = str(e.value)
    assert "field 'P[0][0]'" in msg and "1 + 1/36028797018963968" in msg and "snap" in msg


def test_snap_limit_denominator_and_row_fix_up():
    row = [0.15, 0.15, 0.7]
    m = rmdp.Mdp(P=[[row]] * 3, cost=[[0]] * 3, gamma=0.7, snap=5)
    # limit_denominator(5): 1/5, 1/5, 2/3; the row misses 1 by -1/15, the largest entry absorbs it.
    assert m.P[0][0] == [F(1, 5), F(1, 5), F(3, 5)]
    assert m.gamma == F(0.7).limit_denominator(5) == F(2, 3)
    expected = max(abs(F(0.15) - F(1, 5)), abs(F(0.7) - F(3, 5)), abs(F(0.7) - F(2, 3)))
    assert m.snap_error == expected


def test_snap_refuses_rows_that_are_not_distributions():
    with pytest.raises(ValueError, match=r"field 'P\[0\]\[0\]'.*more than\s+1/10"):
        rmdp.Mdp(P=[[[0.5, 0.5, 0.5]]] * 3, cost=[[0]] * 3, gamma=0.5, snap=10)


def test_snap_leaves_exact_input_alone():
    m = rmdp.Mdp(P=[[["1/3", "2/3"]], [[F(1, 7), F(6, 7)]]], cost=[[F(1, 3)], [1]], gamma="99/100", snap=2)
    assert m.P[0][0] == [F(1, 3), F(2, 3)] and m.gamma == F(99, 100) and m.snap_error == 0


def test_reward_is_negated_and_said_so():
    m = rmdp.Mdp(P=[[[1], [1]]], reward=[[1, F(-1, 2)]], gamma=0)
    assert m.cost == [[-1, F(1, 2)]] and m.reward_negated and "reward" in m.note
    assert not rmdp.Mdp(P=[[[1], [1]]], cost=[[1, 2]], gamma=0).reward_negated


def test_pymdptoolbox_reward_shapes():
    P = np.array([[[0.5, 0.5], [0.25, 0.75]], [[1.0, 0.0], [0.0, 1.0]]])  # P[a][s][s']
    r_state = np.array([1.0, 2.0])
    m = rmdp.Mdp(P=P, reward=r_state, gamma=0.5, layout="ass")
    assert m.cost == [[-1, -1], [-2, -2]]
    R = np.array([[[4.0, 0.0], [8.0, 4.0]], [[2.0, 6.0], [1.0, 3.0]]])  # R[a][s][s']
    m = rmdp.Mdp(P=P, reward=R, gamma=0.5, layout="ass")
    # cost(s,a) = -sum_s' P[a][s][s'] R[a][s][s']
    assert m.cost == [[-2, -2], [-5, -3]]


def test_uncertainty_fields_follow_the_layout():
    P = [[["1/2", "1/2"], [1, 0]], [[0, 1], ["1/10", "9/10"]]]
    lower = [[[0, 0], ["1/2", 0]], [[0, "1/2"], [0, "1/2"]]]
    upper = [[[1, 1], [1, "1/2"]], [["1/2", 1], ["1/2", 1]]]
    sas = rmdp.Mdp(P=P, cost=TWO_COST, gamma="9/10", uncertainty={"type": "interval", "lower": lower, "upper": upper})
    t = lambda c: np.array(c, dtype=object).transpose(1, 0, 2)
    ass = rmdp.Mdp(P=t(P), cost=TWO_COST, gamma="9/10", layout="ass",
                   uncertainty={"type": "interval", "lower": t(lower), "upper": t(upper)})
    assert sas == ass


def test_ass_errors_name_the_users_indices():
    P = np.array([[[0.5, 0.5], [1.0, 0.0]], [[0.25, 0.5], [0.0, 1.0]]])  # P[a=1][s=0] misses 1
    with pytest.raises(ValueError, match=r"field 'P\[1\]\[0\]'"):
        rmdp.Mdp(P=P, cost=[[0, 0], [0, 0]], gamma=0.5, layout="ass")
    P = [[["1/2", "1/2"], ["1/2", "1/4"]], [[0, 1], [1, 0]]]  # exact strings: the library's check
    with pytest.raises(ValueError, match=r"field 'P\[0\]\[1\]'.*3/4"):
        rmdp.Mdp(P=P, cost=[[0, 0], [0, 0]], gamma=0.5, layout="ass")  # P[a=0][s=1]
    with pytest.raises(ValueError, match=r"field 'P\[0\]\[1\]'.*3/4"):
        rmdp.Mdp(P=P, cost=[[0, 0], [0, 0]], gamma=0.5)  # P[s=0][a=1]


def test_policies_as_actions_and_dicts():
    m = rmdp.Mdp(P=TWO_P, cost=TWO_COST, gamma="9/10")
    assert json.loads(m._policy_text([1, 0])) == {"policy": [["0", "1"], ["1", "0"]]}
    assert json.loads(m._policy_text({"policy": [[0.5, 0.5], [1, 0]]})) == {"policy": [["1/2", "1/2"], ["1", "0"]]}


def test_result_conversion_rules():
    r = rmdp.Result({"arith": "double", "V": ["0.1", "2"], "V_error_bound": "1.5e-16",
                     "worst_case": [[["1/2", "1/2"]]], "policy": [["1", "0"]]})
    assert r.V == [0.1, 2.0] and isinstance(r.V[0], float)
    assert r.V_error_bound == F(15, 10 ** 17)
    assert r.worst_case == [[[F(1, 2), F(1, 2)]]] and r.policy == [[1, 0]]
    r = rmdp.Result({"arith": "interval:64", "V": ["[0.1,0.2]"]})
    assert r.V == [(F(1, 10), F(2, 10))]
    lo, hi = r.to_numpy()["V"][0]
    assert F(lo) <= F(1, 10) and F(hi) >= F(2, 10)  # outward rounding: still an enclosure
    r = rmdp.Result({"arith": "mpfr:64", "V": ["0.1"]})
    assert r.V == [F(1, 10)]
    r = rmdp.Result({"arith": "exact", "V": ["1/3"], "given": "0.1"})
    assert r.V == [F(1, 3)] and r.given == "0.1"
    assert r.to_numpy()["V"].dtype == np.float64


@pytest.mark.parametrize("name", ["two-state.json", "gamma999-l1.json", "certify-interval.json", "certify-finite.json"])
def test_p_sparse_twin_is_the_same_mdp(tmp_path, examples, name):
    # Kernels are stored sparsely whichever spelling the file uses (docs/format.md): the P_sparse
    # twin of a file is the same Mdp and gives the same exact and double results.
    doc = json.loads((examples / name).read_text())
    sparse = dict(doc)
    P = sparse.pop("P")
    sparse["P_sparse"] = [[[[t, p] for t, p in enumerate(row) if F(p) != 0] for row in rows] for rows in P]
    path = tmp_path / ("sparse-" + name)
    path.write_text(json.dumps(sparse))
    d, s = rmdp.Mdp.from_json(examples / name), rmdp.Mdp.from_json(path)
    assert d == s
    for arith in ("exact", "double"):
        assert d.solve(arith=arith)["V"] == s.solve(arith=arith)["V"]
