// Claims about a fixed kernel u (claims.md "Gradients" and "Robust policy mirror descent"):
// pdl, occupancy-self-mass, occupancy-difference, resolvent-norm:a, resolvent-norm:b.
// In each instance the MDP's kernel P plays the role of P_u.
#include "compare.hpp"
#include "registry.hpp"

#include "rmdp/evaluation.hpp"

namespace rmdp::checks {

namespace {

Instance draw_one_policy(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    Instance inst;
    inst.mdp = random_mdp(rng, opt, trial);
    inst.policies["pi"] = random_policy(rng, inst.mdp, opt);
    return inst;
}

Instance draw_two_policies(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    Instance inst = draw_one_policy(rng, opt, trial);
    inst.policies["pi_prime"] = random_policy(rng, inst.mdp, opt);
    return inst;
}

// pdl: V_u^{pi'}(s) - V_u^pi(s) = 1/(1-gamma) sum_{s'} d_s^{pi',u}(s') <Q_u^pi(s',.), pi'(.|s') - pi(.|s')>.
template <class T>
Finding check_pdl(const Instance& inst) {
    const Mdp<T> m = convert<T>(inst.mdp);
    const Policy<T> pi = convert<T>(inst.policy("pi")), pi2 = convert<T>(inst.policy("pi_prime"));
    const Vector<T> V = value(m, m.P, pi), V2 = value(m, m.P, pi2);
    const Matrix<T> Q = q_value(m, m.P, V);
    const Matrix<T> D2 = occupancy(m, m.P, pi2);
    Matrix<T> diff(m.S, m.A);
    for (std::size_t i = 0; i < diff.data.size(); ++i) diff.data[i] = pi2.data[i] - pi.data[i];
    const Judge<T> judge{float_tolerance<T>(inst.mdp)};
    Tally tally;
    for (std::size_t s = 0; s < m.S; ++s) {
        T lhs = V2[s] - V[s];
        T acc(0);
        for (std::size_t t = 0; t < m.S; ++t) acc += D2(s, t) * inner_at(Q, diff, t);
        T rhs = acc / (T(1) - m.gamma);
        tally.add(judge.eq(lhs, rhs), at(s), lhs, rhs, "==");
    }
    return tally.f;
}

// occupancy-self-mass: d_s^{pi,u}(s) >= 1 - gamma.
template <class T>
Finding check_self_mass(const Instance& inst) {
    const Mdp<T> m = convert<T>(inst.mdp);
    const Matrix<T> D = occupancy(m, m.P, convert<T>(inst.policy("pi")));
    const Judge<T> judge{float_tolerance<T>(inst.mdp)};
    Tally tally;
    for (std::size_t s = 0; s < m.S; ++s) {
        T lhs = T(1) - m.gamma;
        tally.add(judge.le(lhs, D(s, s)), at(s), lhs, D(s, s), "<=");
    }
    return tally.f;
}

// occupancy-difference, in the order the notes write it (literal = true):
//   d_s^{pi',u} - d_s^{pi,u} = (1-gamma) gamma (I - gamma P^{pi'})^{-1} (P^pi - P^{pi'}) (I - gamma P^pi)^{-1} e_s.
// The left side is the occupancy of the conventions (a row vector: row s of (1-gamma)(I-gamma P)^{-1});
// the right side is a column vector (column s of the product), exactly as written.
//
// Not a claim of the notes (literal = false): the resolvent identity with A = I - gamma P^{pi'},
// B = I - gamma P^pi, B - A = gamma (P^{pi'} - P^pi), applied to the occupancy row vector:
//   d_s^{pi',u} - d_s^{pi,u} = (1-gamma) gamma e_s^T (I - gamma P^{pi'})^{-1} (P^{pi'} - P^pi) (I - gamma P^pi)^{-1}.
// Checked beside the literal claim so that the docs can say exactly what is wrong with it.
template <class T, bool literal>
Finding check_occupancy_difference(const Instance& inst) {
    const Mdp<T> m = convert<T>(inst.mdp);
    const Policy<T> pi = convert<T>(inst.policy("pi")), pi2 = convert<T>(inst.policy("pi_prime"));
    const Matrix<T> D = occupancy(m, m.P, pi), D2 = occupancy(m, m.P, pi2);
    const Matrix<T> P = policy_kernel(m.P, pi), P2 = policy_kernel(m.P, pi2);
    Matrix<T> dP(m.S, m.S);
    for (std::size_t i = 0; i < dP.data.size(); ++i) dP.data[i] = literal ? P.data[i] - P2.data[i] : P2.data[i] - P.data[i];
    const Matrix<T> R = multiply(multiply(resolvent(m.gamma, P2), dP), resolvent(m.gamma, P));
    const T scale = (T(1) - m.gamma) * m.gamma;
    const Judge<T> judge{float_tolerance<T>(inst.mdp)};
    Tally tally;
    for (std::size_t s = 0; s < m.S; ++s)
        for (std::size_t t = 0; t < m.S; ++t) {
            T lhs = D2(s, t) - D(s, t);
            T rhs = scale * (literal ? R(t, s) : R(s, t));
            tally.add(judge.eq(lhs, rhs), at(s) + ", s'=" + std::to_string(t), lhs, rhs, "==");
        }
    return tally.f;
}

// resolvent-norm: ||(I - gamma P_u^pi)^{-1}||_1 <= 1/(1-gamma).
//   :a  the matrix acts on row vectors from the left, x -> x M, so the l1-operator norm is the
//       maximum ROW sum of |M|;
//   :b  the standard induced 1-norm (M acting on columns): the maximum COLUMN sum.
template <class T, bool rows>
Finding check_resolvent_norm(const Instance& inst) {
    using std::abs;
    const Mdp<T> m = convert<T>(inst.mdp);
    const Matrix<T> M = resolvent(m.gamma, policy_kernel(m.P, convert<T>(inst.policy("pi"))));
    const T bound = T(1) / (T(1) - m.gamma);
    const Judge<T> judge{float_tolerance<T>(inst.mdp)};
    Tally tally;
    for (std::size_t i = 0; i < m.S; ++i) {
        T sum(0);
        for (std::size_t j = 0; j < m.S; ++j) sum += abs(rows ? M(i, j) : M(j, i));
        tally.add(judge.le(sum, bound), (rows ? "row " : "column ") + std::to_string(i), sum, bound, "<=");
    }
    return tally.f;
}

#define RMDP_CHECK(fn) [](const Instance& inst, const Arith& a) { return dispatch(a, [&]<class T>() { return fn<T>(inst); }); }

}  // namespace

void register_foundation_claims(std::vector<Claim>& out) {
    out.push_back({"pdl",
                   "V_u^{pi'}(s) - V_u^pi(s) = 1/(1-gamma) E_{s'~d_s^{pi',u}} <Q_u^pi(s',.), pi'(.|s') - pi(.|s')> for every s",
                   "robust-pg-notes, 'ロバストMDPと微分可能性', proof of the policy-gradient lemma, step (a)",
                   "checked as an equality at every state",
                   draw_two_policies, RMDP_CHECK(check_pdl)});
    out.push_back({"occupancy-self-mass", "d_s^{pi,u}(s) >= 1 - gamma for every s",
                   "robust-pg-notes, 'Robust Policy Mirror Descent', step (c) of the bound on (A)",
                   "d_s is the occupancy of the conventions: row s of (1-gamma)(I - gamma P_u^pi)^{-1}",
                   draw_one_policy, RMDP_CHECK(check_self_mass)});
    out.push_back({"occupancy-difference",
                   "d_s^{pi',u} - d_s^{pi,u} = (1-gamma) gamma (I - gamma P_u^{pi'})^{-1} (P_u^pi - P_u^{pi'}) (I - gamma P_u^pi)^{-1} e_s",
                   "robust-pg-notes, 'ロバストMDPと微分可能性', occupancy-measure step of the policy-gradient lemma",
                   "literal: left side the occupancy row vector of the conventions, right side the column vector "
                   "the notes write (matrix product applied to e_s), compared entry by entry",
                   draw_two_policies, [](const Instance& inst, const Arith& a) { return dispatch(a, [&]<class T>() { return check_occupancy_difference<T, true>(inst); }); }});
    out.push_back({"occupancy-difference:corrected",
                   "(not in the notes) d_s^{pi',u} - d_s^{pi,u} = (1-gamma) gamma e_s^T (I - gamma P_u^{pi'})^{-1} (P_u^{pi'} - P_u^pi) (I - gamma P_u^pi)^{-1}",
                   "robust-pg-notes, 'ロバストMDPと微分可能性': the identity the notes' step intends",
                   "companion of occupancy-difference: sign of the middle factor and row-vector orientation corrected",
                   draw_two_policies, [](const Instance& inst, const Arith& a) { return dispatch(a, [&]<class T>() { return check_occupancy_difference<T, false>(inst); }); }});
    out.push_back({"resolvent-norm:a", "||(I - gamma P_u^pi)^{-1}||_1 <= 1/(1-gamma), norm of x -> x M on row vectors",
                   "robust-pg-notes, 'ロバストMDPと微分可能性', bound on ||(I - gamma P_u^pi)^{-1}||_1",
                   "the operator acts on row vectors from the left; its l1 norm is the maximum row sum of |M|",
                   draw_one_policy, [](const Instance& inst, const Arith& a) { return dispatch(a, [&]<class T>() { return check_resolvent_norm<T, true>(inst); }); }});
    out.push_back({"resolvent-norm:b", "||(I - gamma P_u^pi)^{-1}||_1 <= 1/(1-gamma), standard induced 1-norm",
                   "robust-pg-notes, 'ロバストMDPと微分可能性', bound on ||(I - gamma P_u^pi)^{-1}||_1",
                   "the standard induced matrix 1-norm: the maximum column sum of |M|",
                   draw_one_policy, [](const Instance& inst, const Arith& a) { return dispatch(a, [&]<class T>() { return check_resolvent_norm<T, false>(inst); }); }});
}

}  // namespace rmdp::checks
