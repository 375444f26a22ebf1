"""A lemma of the notes as a property of exact MDPs: the performance difference lemma (claims.md `pdl`)
    f_rho(pi') - f_rho(pi) = 1/(1-gamma) sum_s d_rho^{pi'}(s) sum_a (pi'(a|s) - pi(a|s)) Q^pi(s,a).
Run: /usr/bin/python3 -m pytest examples/python/true_lemma_pdl.py  (or run this file)."""
from hypothesis import given, settings, strategies as st
import rmdp.testing as rt


@settings(deadline=None)  # exact arithmetic: time per example varies
@given(rt.mdps(), st.data())
def test_performance_difference_lemma(m, data):
    pi, pi2 = data.draw(rt.policies(m)), data.draw(rt.policies(m))
    Q, g, g2 = m.evaluate(pi).Q, m.gradient(pi), m.gradient(pi2)   # g2.occupancy = d_rho^{pi'}
    rhs = sum(g2.occupancy[s] * (pi2[s][a] - pi[s][a]) * Q[s][a] for s in range(m.states) for a in range(m.actions))
    assert g2.f - g.f == rhs / (1 - m.gamma)                         # exact: == is a decision


if __name__ == "__main__":
    test_performance_difference_lemma()
    print("the performance difference lemma held on every exact MDP Hypothesis drew")
