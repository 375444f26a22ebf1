"""s-rectangular L1 sets ("s-l1") from Python: per-state radii and weights in a dict, the stochastic
optimal policy and its certificate (tests/srect/srect-mixed.json worked out by hand: V* = (1/4, 0, 2)
with pi*(.|0) = (1/2, 1/2); each deterministic policy has V(0) = 1/2)."""
from fractions import Fraction as F

import pytest

import rmdp

P = [[[0, 1, 0], [0, 1, 0]], [[0, 1, 0], [0, 1, 0]], [[0, 0, 1], [0, 0, 1]]]
COST = [[0, 0], [0, 0], [1, 1]]


def test_stochastic_optimum_certified():
    m = rmdp.Mdp(cost=COST, P=P, gamma="1/2", uncertainty={"type": "s-l1", "radius": [1, 0, 0]})
    r = m.solve()
    assert r.V == [F(1, 4), F(0), F(2)]
    assert r.policy[0] == [F(1, 2), F(1, 2)]
    assert "checked exactly" in r.certificate
    assert m.evaluate([[1, 0], [1, 0], [1, 0]]).V == [F(1, 2), F(0), F(2)]


def test_weights_and_refusals():
    w = [[[1, 1, 1], [1, 1, 1]] for _ in range(3)]
    m = rmdp.Mdp(cost=COST, P=P, gamma="1/2", uncertainty={"type": "s-l1", "radius": [1, 0, 0], "weights": w})
    assert m.solve().V == [F(1, 4), F(0), F(2)]
    with pytest.raises(Exception, match="s-rectangular"):
        m.gradient([[1, 0], [1, 0], [1, 0]])
    w[0][0][1] = 0
    with pytest.raises(Exception, match="weights"):
        rmdp.Mdp(cost=COST, P=P, gamma="1/2", uncertainty={"type": "s-l1", "radius": 1, "weights": w})


def test_operators_take_the_policy():
    m = rmdp.Mdp(cost=COST, P=P, gamma="1/2", uncertainty={"type": "s-l1", "radius": [1, 0, 0]})
    V, det = [0, 0, 2], [[1, 0], [1, 0], [1, 0]]
    # Against the deterministic policy nature spends the whole budget on action 0: mass 1/2 to state 2.
    w = m.worst_case_kernel(V, policy=det)
    assert w.worst_case[0][0] == [F(0), F(1, 2), F(1, 2)] and w.values[0] == [F(1), F(0)]
    assert m.robust_bellman(V, policy=det).TV == [F(1, 2), F(0), F(2)]
    # T_r V(0) = min over pi(.|0) of gamma max_a pi_a (nature moves mass 1/2 to state 2, V_2 - V_1 = 2, in
    # the action played most) = 1/4 at the row (1/2, 1/2).
    b = m.robust_bellman(V)
    assert b.TV == [F(1, 4), F(0), F(2)] and b.policy[0] == [F(1, 2), F(1, 2)]
    with pytest.raises(Exception, match="depends on the policy"):
        m.worst_case_kernel(V)
