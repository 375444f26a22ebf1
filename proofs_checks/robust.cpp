// Claims about robust objects (claims.md "Robust Bellman equations", "Robust policy mirror
// descent" and "Variational inequality"): robust-bellman-v, robust-bellman-q, worst-case-kernel,
// robust-pdl-upper, lemma-2-7, vi-upper, vi-optimality.
//
// Solvers produce V_r^pi and pi*; every check first verifies their certificates with the operators
// alone (T_r^pi V = V; V* = T_r V* and pi* greedy), so no verdict rests on a solver's internals.
// Every check is generic in T; in MPFI its orderings and inequalities are filtered (compare.hpp):
// decided by the enclosures, or the instance is rerun exactly; its equalities are `tight`.
#include "certified.hpp"
#include "compare.hpp"
#include "registry.hpp"

#include "rmdp/solvers.hpp"

#include <stdexcept>

namespace rmdp::checks {

namespace {

Instance draw_robust(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    Instance inst;
    inst.mdp = random_robust_mdp(rng, opt, trial);
    inst.policies["pi"] = random_policy(rng, inst.mdp, opt);
    inst.policies["pi_prime"] = random_policy(rng, inst.mdp, opt);
    return inst;
}

template <class T>
struct Robust {
    Mdp<T> m;
    UncertaintySet<T> U;
    Judge<T> judge;
    explicit Robust(const Instance& inst)
        : m(convert<T>(inst.mdp)), U(convert<T>(inst.mdp.uncertainty)), judge{float_tolerance<T>(inst.mdp)} {}
};

// robust-bellman-v: V_r^pi is the fixed point of T_r^pi, and one kernel attains max_u V_u^pi(s) at
// every s at once. Certificate: T_r^pi V = V (checked), u = worst_case_kernel(V) has V_u^pi = V
// (checked); then V_u'^pi <= V for every u' in U by monotonicity (T_u'^pi V <= T_r^pi V = V).
// Uniqueness is the gamma-contraction of T_r^pi. Falsification attempt: every u' built from the
// worst cases of other vectors (nominal values, V of pi') must satisfy V_u'^pi <= V.
template <class T>
Finding check_robust_bellman_v(const Instance& inst) {
    {
        Robust<T> r(inst);
        const Policy<T> pi = convert<T>(inst.policy("pi"));
        const RobustEvaluation<T> ev = robust_value(r.m, r.U, pi);
        const Vector<T> TV = robust_bellman(r.m, r.U, pi, ev.V);
        const Vector<T> Vu = value(r.m, worst_case_kernel(r.U, r.m.P, ev.V), pi);
        Tally tally;
        for (std::size_t s = 0; s < r.m.S; ++s) {
            tally.add(r.judge.eq(TV[s], ev.V[s]), at(s) + " (T_r^pi V = V)", TV[s], ev.V[s], "==");
            tally.add(r.judge.eq(Vu[s], ev.V[s]), at(s) + " (V_{u}^pi = V_r^pi)", Vu[s], ev.V[s], "==");
        }
        const Policy<T> pi2 = convert<T>(inst.policy("pi_prime"));
        for (const Vector<T>& other : {value(r.m, r.m.P, pi), value(r.m, r.m.P, pi2)}) {
            const Vector<T> Vo = value(r.m, worst_case_kernel(r.U, r.m.P, other), pi);
            for (std::size_t s = 0; s < r.m.S; ++s)
                tally.add(r.judge.le(Vo[s], ev.V[s]), at(s) + " (V_u'^pi <= V_r^pi)", Vo[s], ev.V[s], "<=");
        }
        return tally.f;
    }
}

// robust-bellman-q: with Q = robust_q(V_r^pi), Q(s,a) = c(s,a) + gamma max_p <p, sum_a' pi(a'|.) Q(., a')>
// and V_r^pi(s) = sum_a pi(a|s) Q(s,a).
template <class T>
Finding check_robust_bellman_q(const Instance& inst) {
    {
        Robust<T> r(inst);
        const Policy<T> pi = convert<T>(inst.policy("pi"));
        const Vector<T> V = certified_robust_value(r.m, r.U, pi, r.judge);
        const Matrix<T> Q = robust_q(r.m, r.U, V);
        Vector<T> VQ(r.m.S);
        for (std::size_t s = 0; s < r.m.S; ++s) VQ[s] = inner_at(pi, Q, s);
        const Matrix<T> TQ = robust_q(r.m, r.U, VQ);
        Tally tally;
        for (std::size_t s = 0; s < r.m.S; ++s) {
            tally.add(r.judge.eq(VQ[s], V[s]), at(s) + " (sum_a pi Q = V)", VQ[s], V[s], "==");
            for (std::size_t a = 0; a < r.m.A; ++a)
                tally.add(r.judge.eq(TQ(s, a), Q(s, a)), at(s) + ", a=" + std::to_string(a) + " (Q fixed point)", TQ(s, a),
                          Q(s, a), "==");
        }
        return tally.f;
    }
}

// worst-case-kernel: u_pi(.|s,a) in argmax_p <p, V_r^pi> attains the robust value: V_{u_pi}^pi = V_r^pi.
// Checked for the kernel of worst_case_kernel and, for finite sets, for every maximising listed
// distribution (ties are where a selection could matter).
template <class T>
Finding check_worst_case_kernel(const Instance& inst) {
    {
        Robust<T> r(inst);
        const Policy<T> pi = convert<T>(inst.policy("pi"));
        const Vector<T> V = certified_robust_value(r.m, r.U, pi, r.judge);
        Kernel<T> u = worst_case_kernel(r.U, r.m.P, V);
        Tally tally;
        const Vector<T> Vu = value(r.m, u, pi);
        for (std::size_t s = 0; s < r.m.S; ++s) tally.add(r.judge.eq(Vu[s], V[s]), at(s), Vu[s], V[s], "==");
        if (const auto* fin = r.U.template get<FiniteSet<T>>()) {
            // Swap in the last maximiser instead of the first one, wherever they differ. b = the first
            // maximiser (what worst_case picks); a later k is a maximiser iff not <p_k, V> < <p_b, V>
            // (filtered comparisons: for intervals decided by the enclosures or rerun exactly).
            const InnerProducts<T> dot(V);
            for (std::size_t s = 0; s < r.m.S; ++s)
                for (std::size_t a = 0; a < r.m.A; ++a) {
                    const auto& pts = fin->points[s * r.m.A + a];
                    std::vector<T> v;
                    for (const auto& p : pts) v.push_back(dot(p.data()));
                    std::size_t b = 0;
                    for (std::size_t k = 1; k < pts.size(); ++k)
                        if (less(v[b], v[k])) b = k;
                    for (std::size_t k = pts.size(); k-- > b;)
                        if (k == b || !less(v[k], v[b])) {
                            u.set_row(s, a, pts[k].data());
                            break;
                        }
                }
            const Vector<T> Vlast = value(r.m, u, pi);
            for (std::size_t s = 0; s < r.m.S; ++s)
                tally.add(r.judge.eq(Vlast[s], V[s]), at(s) + " (last maximiser)", Vlast[s], V[s], "==");
        }
        return tally.f;
    }
}

// (1/(1-gamma)) sum_{s'} d(s,s') <Q(s',.), x(s',.) - y(s',.)>, the right side shared by
// robust-pdl-upper, lemma-2-7 and vi-upper.
template <class T>
T weighted_advantage(const Matrix<T>& D, std::size_t s, const Matrix<T>& Q, const Policy<T>& x, const Policy<T>& y) {
    T acc(0);
    for (std::size_t t = 0; t < D.cols; ++t) {
        T inner(0);
        for (std::size_t a = 0; a < Q.cols; ++a) inner += Q(t, a) * (x(t, a) - y(t, a));
        acc += D(s, t) * inner;
    }
    return acc;
}

// robust-pdl-upper: V_r^{pi'}(s) - V_r^pi(s) <= 1/(1-gamma) E_{s'~d_s^{pi',u_{pi'}}} <Q_r^pi(s',.), pi' - pi>.
template <class T>
Finding check_robust_pdl_upper(const Instance& inst) {
    {
        Robust<T> r(inst);
        const Policy<T> pi = convert<T>(inst.policy("pi")), pi2 = convert<T>(inst.policy("pi_prime"));
        const Vector<T> V = certified_robust_value(r.m, r.U, pi, r.judge);
        const Vector<T> V2 = certified_robust_value(r.m, r.U, pi2, r.judge);
        const Matrix<T> Q = robust_q(r.m, r.U, V);
        const Matrix<T> D2 = occupancy(r.m, worst_case_kernel(r.U, r.m.P, V2), pi2);
        Tally tally;
        for (std::size_t s = 0; s < r.m.S; ++s) {
            T lhs = V2[s] - V[s];
            T rhs = weighted_advantage(D2, s, Q, pi2, pi) / (T(1) - r.m.gamma);
            tally.add(r.judge.le(lhs, rhs), at(s), lhs, rhs, "<=");
        }
        return tally.f;
    }
}

// lemma-2-7 with pi_k = pi: E_{s'~d_s^{pi*,u_k}} <Q_r^{pi_k}(s',.), pi_k - pi*> >= (1-gamma)(V_r^{pi_k}(s) - V_r^{pi*}(s)) >= 0.
template <class T>
Finding check_lemma_2_7(const Instance& inst) {
    {
        Robust<T> r(inst);
        const Policy<T> pik = convert<T>(inst.policy("pi"));
        const RobustSolution<T> opt = certified_optimum(r.m, r.U, r.judge);
        const Vector<T> Vk = certified_robust_value(r.m, r.U, pik, r.judge);
        const Matrix<T> Qk = robust_q(r.m, r.U, Vk);
        const Matrix<T> D = occupancy(r.m, worst_case_kernel(r.U, r.m.P, Vk), opt.policy);
        Tally tally;
        for (std::size_t s = 0; s < r.m.S; ++s) {
            T lhs = weighted_advantage(D, s, Qk, pik, opt.policy);
            T mid = (T(1) - r.m.gamma) * (Vk[s] - opt.V[s]);
            tally.add(r.judge.le(mid, lhs), at(s) + " (first inequality)", mid, lhs, "<=");
            tally.add(r.judge.le(T(0), mid), at(s) + " (second inequality)", T(0), mid, "<=");
        }
        return tally.f;
    }
}

// vi-upper: 0 <= V_r^pi(s) - V_r^{pi*}(s) <= <F_s(pi, pi*), pi - pi*>,
// F_s(pi, pi')[s', a] = 1/(1-gamma) d_s^{pi,u_pi}(s') Q_r^{pi'}(s', a).
template <class T>
Finding check_vi_upper(const Instance& inst) {
    {
        Robust<T> r(inst);
        const Policy<T> pi = convert<T>(inst.policy("pi"));
        const RobustSolution<T> opt = certified_optimum(r.m, r.U, r.judge);
        const Vector<T> V = certified_robust_value(r.m, r.U, pi, r.judge);
        const Matrix<T> D = occupancy(r.m, worst_case_kernel(r.U, r.m.P, V), pi);
        Tally tally;
        for (std::size_t s = 0; s < r.m.S; ++s) {
            T gap = V[s] - opt.V[s];
            T rhs = weighted_advantage(D, s, opt.Q, pi, opt.policy) / (T(1) - r.m.gamma);
            tally.add(r.judge.le(T(0), gap), at(s) + " (0 <= gap)", T(0), gap, "<=");
            tally.add(r.judge.le(gap, rhs), at(s) + " (gap <= <F, pi - pi*>)", gap, rhs, "<=");
        }
        return tally.f;
    }
}

// vi-optimality: <E_{s~rho} G_s(pi*), pi - pi*> >= 0 for all pi in Pi. The left side is linear in
// pi and separable over states, so its minimum over Pi is attained at a vertex: for each s',
// min_a G(s', a) - <G(s', .), pi*(.|s')>, weighted sums of which are >= 0 iff each is. Decided
// exactly over all of Pi, not sampled.
template <class T>
Finding check_vi_optimality(const Instance& inst) {
    {
        Robust<T> r(inst);
        const RobustSolution<T> opt = certified_optimum(r.m, r.U, r.judge);
        const Vector<T> d = occupancy(r.m, worst_case_kernel(r.U, r.m.P, opt.V), opt.policy, r.m.rho);
        Tally tally;
        for (std::size_t t = 0; t < r.m.S; ++t) {
            const T at_star = d[t] * inner_at(opt.Q, opt.policy, t) / (T(1) - r.m.gamma);
            for (std::size_t a = 0; a < r.m.A; ++a) {
                T at_vertex = d[t] * opt.Q(t, a) / (T(1) - r.m.gamma);
                tally.add(r.judge.le(T(0), T(at_vertex - at_star)), "s'=" + std::to_string(t) + ", a=" + std::to_string(a),
                          T(0), T(at_vertex - at_star), "<=");
            }
        }
        return tally.f;
    }
}

#define RMDP_CHECK(fn) [](const Instance& inst, const Arith& a) { return dispatch(a, [&]<class T>() { return fn<T>(inst); }); }

}  // namespace

void register_robust_claims(std::vector<Claim>& out) {
    const std::string rb = "robust-pg-notes, 'SA-rectangular set', robust Bellman equations";
    out.push_back({"robust-bellman-v",
                   "V_r^pi is the unique fixed point of T_r^pi, and V_r^pi(s) = max_u V_u^pi(s) for all s at once", rb,
                   "certificate: T_r^pi V = V exactly and the worst-case kernel of V attains V at every state; "
                   "uniqueness by the gamma-contraction", draw_robust, RMDP_CHECK(check_robust_bellman_v)});
    out.push_back({"robust-bellman-q",
                   "Q_r^pi(s,a) = c(s,a) + max_u gamma sum_s' P_u(s'|s,a) sum_a' pi(a'|s') Q_r^pi(s',a'), and V_r^pi(s) = sum_a pi(a|s) Q_r^pi(s,a)",
                   rb, "Q_r^pi = c + gamma max_p <p, V_r^pi> (conventions), checked as a fixed point", draw_robust,
                   RMDP_CHECK(check_robust_bellman_q)});
    out.push_back({"worst-case-kernel", "the kernel u_pi attains the robust value: V_{u_pi}^pi = V_r^pi", rb,
                   "for the lowest-index maximiser and, for finite sets, the last maximiser", draw_robust,
                   RMDP_CHECK(check_worst_case_kernel)});
    out.push_back({"robust-pdl-upper",
                   "V_r^{pi'}(s) - V_r^pi(s) <= 1/(1-gamma) E_{s'~d_s^{pi',u_{pi'}}} <Q_r^pi(s',.), pi'(.|s') - pi(.|s')>",
                   "robust-pg-notes, 'Robust Policy Mirror Descent' step (a) and '変分不等式を使った定式化'",
                   "u_{pi'} the lowest-index worst-case kernel of V_r^{pi'}", draw_robust, RMDP_CHECK(check_robust_pdl_upper)});
    out.push_back({"lemma-2-7",
                   "E_{s'~d_s^{pi*,u_k}} <Q_r^{pi_k}(s',.), pi_k(.|s') - pi*(.|s')> >= (1-gamma)(V_r^{pi_k}(s) - V_r^{pi*}(s)) >= 0",
                   "robust-pg-notes, 'Robust Policy Mirror Descent', bound on (B) (Li, Lan & Zhao, Lemma 2.7)",
                   "pi_k a random policy, u_k its worst-case kernel, pi* the certified deterministic optimum",
                   draw_robust, RMDP_CHECK(check_lemma_2_7)});
    out.push_back({"vi-upper", "0 <= V_r^pi(s) - V_r^{pi*}(s) <= <F_s(pi, pi*), pi - pi*> for all pi",
                   "robust-pg-notes, '変分不等式を使った定式化'",
                   "F_s(pi,pi')[s',a] = 1/(1-gamma) d_s^{pi,u_pi}(s') Q_r^{pi'}(s',a); pi random", draw_robust,
                   RMDP_CHECK(check_vi_upper)});
    out.push_back({"vi-optimality", "<E_{s~rho} G_s(pi*), pi - pi*> >= 0 for all pi in Pi",
                   "robust-pg-notes, '変分不等式を使った定式化'",
                   "G_s(pi*) = F_s(pi*, pi*); decided exactly over all of Pi through its vertices", draw_robust,
                   RMDP_CHECK(check_vi_optimality)});
}

}  // namespace rmdp::checks
