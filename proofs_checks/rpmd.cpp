// Claims of robust policy mirror descent (claims.md "Robust policy mirror descent"):
// three-point:euclid, three-point:kl, rpmd-monotone, euclid-bregman-gap, rpmd-recursion,
// rpmd-step-sum, rpmd-sublinear (occupancy-self-mass is in foundation.cpp).
//
// Euclidean claims are decided exactly in rationals. The KL three-point relation is an identity
// (docs/rpmd.md proves it): from exact pi_k and the exact Q_r^{pi_k}, the KL step is enclosed in
// MPFI and the check certifies |lhs - rhs| <= the enclosure's width (verdict `tight`), never `holds`.
// Every robust value used is certified by the operator (T_r^pi V = V), pi* likewise (certified.hpp),
// M by rpmd_constant's own certificate.
#include "certified.hpp"
#include "compare.hpp"
#include "registry.hpp"

#include "rmdp/error.hpp"
#include "rmdp/rpmd.hpp"

#include <stdexcept>

namespace rmdp::checks {

namespace {

// Step sizes drawn for the checks: small, moderate and large (the notes' bounds grow as eta -> 0).
const char* const etas[] = {"1/20", "1/4", "1/2", "1", "2", "10"};

std::string draw_eta(Rng& rng) { return etas[rng.below(std::size(etas))]; }

// Per-step claims: one step from a random pi_k (any policy; KL needs full support).
Instance draw_step(Rng& rng, const GeneratorOptions& opt, std::size_t trial, bool interior) {
    Instance inst;
    inst.mdp = random_robust_mdp(rng, opt, trial);
    inst.policies["pi"] = interior ? random_interior_policy(rng, inst.mdp, opt) : random_policy(rng, inst.mdp, opt);
    inst.extra["eta"] = draw_eta(rng);
    return inst;
}

// Trajectory claims: the notes' assumptions (costs in [0,1], rho > 0), pi_0, eta, K steps, and the
// Euclidean reading (1/2||.||^2 on even trials, ||.||^2 on odd ones). Sizes are kept small because
// exact iterates grow in bit size with every step (docs/rpmd.md, "Sizes"): |S| <= 4, |A| <= 3, K <= 6.
Instance draw_run(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    GeneratorOptions small = opt;
    small.max_states = std::min<std::size_t>(opt.max_states, 4);
    small.max_actions = std::min<std::size_t>(opt.max_actions, 3);
    Instance inst;
    inst.mdp = random_unit_cost_robust_mdp(rng, small, trial);
    inst.policies["pi0"] = random_policy(rng, inst.mdp, small);
    inst.extra["eta"] = draw_eta(rng);
    inst.extra["steps"] = 1 + rng.below(std::min<std::size_t>(6, 1 + trial / 8));
    inst.extra["bregman"] = trial % 2 == 0 ? "euclid" : "euclid-w";
    return inst;
}

rational extra_eta(const Instance& inst) {
    if (!inst.extra.contains("eta")) throw input_error("", "instance.extra.eta", "missing");
    const rational eta = parse_number(inst.extra.at("eta"), "", "instance.extra.eta");
    if (eta <= 0) throw input_error("", "instance.extra.eta", "the step size must be positive");
    return eta;
}

RpmdOptions extra_run(const Instance& inst) {
    RpmdOptions o;
    o.eta = extra_eta(inst);
    const json& e = inst.extra;
    if (!e.contains("steps") || !e.at("steps").is_number_unsigned() || e.at("steps").get<std::size_t>() > 1000)
        throw input_error("", "instance.extra.steps", "expected an integer 0..1000");
    o.steps = e.at("steps").get<std::size_t>();
    const std::string D = e.value("bregman", "euclid");
    if (D == "euclid") o.D = bregman::euclid;
    else if (D == "euclid-w") o.D = bregman::euclid_w;
    else throw input_error("", "instance.extra.bregman", "expected 'euclid' or 'euclid-w', got '" + D + "'");
    return o;
}

void require_unit_costs(const MdpData& m) {
    for (const auto& c : m.cost)
        if (c < 0 || c > 1) throw input_error("", "instance.mdp.cost", "the claim assumes costs in [0,1], found " + c.str());
}

Finding exact_only() {
    return undecided("Euclidean claims are decided in exact arithmetic (the robust core has no interval worst cases)");
}

// The vertex e_a as a policy (every row e_a): the three-point relations are affine in p, so the
// vertices of Delta_A decide "for all p".
template <class T>
Policy<T> vertex(std::size_t S, std::size_t A, std::size_t a) {
    Policy<T> e(S, A);
    for (std::size_t s = 0; s < S; ++s) e(s, a) = T(1);
    return e;
}

// eta <Q(s,.), y(s,.) - e_a> and D_x^{e_a}(s) - D_y^{e_a}(s) - D_x^y(s), with x = pi_k, y = pi_{k+1}.
template <class T>
std::pair<T, T> three_point_sides(const Policy<T>& x, const Policy<T>& y, const Matrix<T>& Q, const T& eta,
                                  const Policy<T>& e, std::size_t s, std::size_t a, bregman D) {
    T lhs = eta * T(inner_at(Q, y, s) - Q(s, a));
    T rhs = bregman_divergence(D, e, x, s) - bregman_divergence(D, e, y, s) - bregman_divergence(D, y, x, s);
    return {lhs, rhs};
}

std::string where_sa(std::size_t s, std::size_t a, const char* what) {
    return at(s) + ", p=e_" + std::to_string(a) + " (" + what + ")";
}

// One step from pi_k = policies.pi with step size extra.eta: the data every per-step Euclidean claim
// starts from, with V_r^{pi_k} certified. `body(step, tally)` compares the claim's sides.
template <class T>
struct StepData {
    Mdp<T> m;
    UncertaintySet<T> U;
    Judge<T> judge;
    Policy<T> x;  // pi_k
    T eta;
    Vector<T> V;  // V_r^{pi_k}
    Matrix<T> Q;  // Q_r^{pi_k}
};

template <class T, class Body>
Finding on_step(const Instance& inst, Body&& body) {
    if constexpr (is_interval_v<T>) {
        return exact_only();
    } else {
        StepData<T> d{convert<T>(inst.mdp), convert<T>(inst.mdp.uncertainty), Judge<T>{float_tolerance<T>(inst.mdp)},
                      convert<T>(inst.policy("pi")), from_rational<T>(extra_eta(inst)), {}, {}};
        d.V = certified_robust_value(d.m, d.U, d.x, d.judge);
        d.Q = robust_q(d.m, d.U, d.V);
        Tally tally;
        body(d, tally);
        return tally.f;
    }
}

// three-point:euclid, for D = 1/2||.||^2 with its step Proj(pi - eta Q) and for D = ||.||^2 with
// Proj(pi - eta Q/2); at every state and every vertex p = e_a.
template <class T>
Finding check_three_point_euclid(const Instance& inst) {
    return on_step<T>(inst, [](const auto& d, Tally& tally) {
        for (bregman D : {bregman::euclid, bregman::euclid_w}) {
            const Policy<T> y = mirror_step(d.x, d.Q, d.eta, D);
            for (std::size_t a = 0; a < d.m.A; ++a) {
                const Policy<T> e = vertex<T>(d.m.S, d.m.A, a);
                for (std::size_t s = 0; s < d.m.S; ++s) {
                    const auto [lhs, rhs] = three_point_sides(d.x, y, d.Q, d.eta, e, s, a, D);
                    tally.add(d.judge.le(lhs, rhs), where_sa(s, a, to_string(D)), lhs, rhs, "<=");
                }
            }
        }
    });
}

// Working precision for the KL checks: the interval's BITS, or 256 when another arithmetic was asked
// for (KL claims always go through MPFI); restored afterwards (it is process-wide).
struct PrecisionScope {
    unsigned saved;
    explicit PrecisionScope(const Arith& a) : saved(working_precision()) {
        set_working_precision(a.type == Arith::kind::interval ? a.bits : 256);
    }
    ~PrecisionScope() { set_working_precision(saved); }
};

template <class T>
Matrix<mpfi_float> to_interval(const Matrix<T>& x) {
    Matrix<mpfi_float> out(x.rows, x.cols);
    for (std::size_t i = 0; i < x.data.size(); ++i) out.data[i] = from_rational<mpfi_float>(x.data[i]);
    return out;
}

// three-point:kl. pi_k (full support) and Q_r^{pi_k} are exact; pi_{k+1} = pi_k e^{-eta Q}/Z is
// enclosed in MPFI. The relation is an identity (lhs = rhs for every p, docs/rpmd.md), so no
// interval can certify the non-strict inequality: a certain violation refutes, otherwise the
// finding is `tight` with the largest width of the enclosures of lhs - rhs.
Finding check_three_point_kl(const Instance& inst, const Arith& arith) {
    const PrecisionScope scope(arith);
    const Mdp<rational> m = convert<rational>(inst.mdp);
    const UncertaintySet<rational> U = convert<rational>(inst.mdp.uncertainty);
    const Policy<rational> xq = convert<rational>(inst.policy("pi"));
    for (const auto& p : xq.data)
        if (p <= 0) throw input_error("", "instance.policies.pi", "the KL claim needs pi_k > 0 (finite divergences)");
    const rational eta_q = extra_eta(inst);
    const Matrix<rational> Qq = robust_q(m, U, certified_robust_value(m, U, xq, Judge<rational>{0}));
    const Policy<mpfi_float> x = to_interval(xq);
    const Matrix<mpfi_float> Q = to_interval(Qq);
    const mpfi_float eta = from_rational<mpfi_float>(eta_q);
    const Policy<mpfi_float> y = mirror_step(x, Q, eta, bregman::kl);
    Tally tally;
    rational widest = 0;
    for (std::size_t a = 0; a < m.A; ++a) {
        const Policy<mpfi_float> e = vertex<mpfi_float>(m.S, m.A, a);
        for (std::size_t s = 0; s < m.S; ++s) {
            const auto [lhs, rhs] = three_point_sides(x, y, Q, eta, e, s, a, bregman::kl);
            const mpfi_float diff = lhs - rhs;
            const truth t = scalar_traits<mpfi_float>::le(diff, mpfi_float(0));
            tally.add(t, where_sa(s, a, "kl"), lhs, rhs, "<=");
            widest = std::max(widest, upper_rational(diff) - lower_rational(diff));
        }
    }
    if (tally.f.result == truth::unknown) {
        tally.f.tight = true;
        mpfr_t w;  // the width, rounded upward to 53 bits for people
        mpfr_init2(w, 53);
        mpfr_set_q(w, widest.backend().data(), MPFR_RNDU);
        tally.f.width = detail::format_mpfr(w, MPFR_RNDU);
        mpfr_clear(w);
        tally.f.note = "identity: |lhs - rhs| certified <= width, MPFI at " + std::to_string(working_precision()) + " bits";
    }
    return tally.f;
}

// rpmd-monotone: V_r^{pi_{k+1}}(s) - V_r^{pi_k}(s) <= <Q_r^{pi_k}(s,.), pi_{k+1}(.|s) - pi_k(.|s)> <= 0,
// with the Euclidean step (D = 1/2||.||^2) from a random pi_k.
template <class T>
Finding check_monotone(const Instance& inst) {
    return on_step<T>(inst, [](const auto& d, Tally& tally) {
        const Policy<T> y = mirror_step(d.x, d.Q, d.eta, bregman::euclid);
        const Vector<T> Vy = certified_robust_value(d.m, d.U, y, d.judge);
        for (std::size_t s = 0; s < d.m.S; ++s) {
            const T lhs = Vy[s] - d.V[s];
            const T mid = inner_at(d.Q, y, s) - inner_at(d.Q, d.x, s);
            tally.add(d.judge.le(lhs, mid), at(s) + " (V difference <= <Q, step>)", lhs, mid, "<=");
            tally.add(d.judge.le(mid, T(0)), at(s) + " (<Q, step> <= 0)", mid, T(0), "<=");
        }
    });
}

// pi* with its certificate (V* = T_r V*, pi* greedy), in T.
// X <= c sqrt(Z) with c >= 0, decided by squaring: X <= 0, or X^2 <= c^2 Z.
template <class T>
truth le_root(const Judge<T>& judge, const T& X, const T& c, const T& Z) {
    if (judge.le(X, T(0)) == truth::yes) return truth::yes;
    return judge.le(T(X * X), T(c * c * Z));
}

// euclid-bregman-gap, for w = ||.||^2 (as the notes say) and also D = 1/2||.||^2:
// D_{pi_t}^{pi*}(s) - D_{pi_{t+1}}^{pi*}(s) <= sqrt(18 D_{pi_{t+1}}^{pi_t}(s)), one step from a random pi_t.
template <class T>
Finding check_bregman_gap(const Instance& inst) {
    return on_step<T>(inst, [](const auto& d, Tally& tally) {
        const Policy<T> star = certified_optimum(d.m, d.U, d.judge).policy;
        for (bregman D : {bregman::euclid_w, bregman::euclid}) {
            const Policy<T> y = mirror_step(d.x, d.Q, d.eta, D);
            for (std::size_t s = 0; s < d.m.S; ++s) {
                const T X = bregman_divergence(D, star, d.x, s) - bregman_divergence(D, star, y, s);
                const T Y = bregman_divergence(D, d.x, y, s);
                tally.add(le_root(d.judge, X, T(1), T(18 * Y)), at(s) + " (" + to_string(D) + "; sides squared)", X,
                          T(18 * Y), "<= sqrt");
            }
        }
    });
}

// A certified Euclidean run for the trajectory claims, with pi*, f_rho(pi*) and M.
template <class T>
struct CheckedRun {
    Mdp<T> m;
    RpmdOptions opt;
    RpmdRun<T> run;
    RobustSolution<T> star;
    T f_star, M;
    std::vector<T> gaps;
    Judge<T> judge;
};

template <class T>
CheckedRun<T> checked_run(const Instance& inst) {
    const MdpData& md = inst.mdp;
    for (const auto& r : md.rho)
        if (r <= 0) throw input_error("", "instance.mdp.rho", "the bounds need rho > 0 everywhere (else M = +infinity)");
    CheckedRun<T> c{convert<T>(md), extra_run(inst), {}, {}, T(0), T(0), {}, Judge<T>{float_tolerance<T>(md)}};
    const UncertaintySet<T> U = convert<T>(md.uncertainty);
    c.star = certified_optimum(c.m, U, c.judge);
    for (std::size_t s = 0; s < md.S; ++s) c.f_star += c.m.rho[s] * c.star.V[s];
    // M exactly, for the exact optimum (a float run uses the exact pi* of the same instance).
    const Mdp<rational> mq = convert<rational>(md);
    const UncertaintySet<rational> Uq = convert<rational>(md.uncertainty);
    const RobustSolution<rational> sq = robust_solve(mq, Uq);
    if (!is_robust_optimal(mq, Uq, sq.policy, sq.V)) throw std::logic_error("robust_solve returned an uncertified optimum");
    c.M = from_rational<T>(*rpmd_constant(md, sq.policy).M);
    c.run = rpmd_run(c.m, U, convert<T>(inst.policy("pi0")), c.opt);
    for (const auto& it : c.run.iterates) {
        certify_robust_value(c.m, U, it.pi, it.V, c.judge);
        c.gaps.push_back(it.f - c.f_star);
    }
    return c;
}

std::string at_k(std::size_t k, const std::string& more = "") {
    return "k=" + std::to_string(k) + (more.empty() ? "" : ", " + more);
}

// A trajectory claim: `body(run, tally)` compares the claim's sides along a certified run (exact
// or floating; intervals cannot run the robust core).
template <class T, class Body>
Finding on_run(const Instance& inst, bool unit_costs, Body&& body) {
    if constexpr (is_interval_v<T>) {
        return exact_only();
    } else {
        if (unit_costs) require_unit_costs(inst.mdp);
        const CheckedRun<T> c = checked_run<T>(inst);
        Tally tally;
        body(c, tally);
        return tally.f;
    }
}

// rpmd-recursion along a whole run: gap_{k+1} <= (1 - (1-gamma)/M) gap_k + 1/(M eta_k) E_{d_rho^{pi*,u_k}}[D_k^* - D_{k+1}^*].
template <class T>
Finding check_recursion(const Instance& inst) {
    return on_run<T>(inst, false, [](const auto& c, Tally& tally) {
        const auto& its = c.run.iterates;
        for (std::size_t k = 0; k + 1 < its.size(); ++k) {
            const T rhs = recursion_rhs(c.m, its[k].u, its[k].pi, its[k + 1].pi, c.star.policy, c.gaps[k], c.M,
                                        its[k].eta, c.opt.D);
            tally.add(c.judge.le(c.gaps[k + 1], rhs), at_k(k + 1, to_string(c.opt.D)), c.gaps[k + 1], rhs, "<=");
        }
    });
}

// rpmd-step-sum along a whole run (constant eta, costs in [0,1]), at every state and every k:
// sum_{t<k} D_{pi_{t+1}}^{pi_t}(s) <= eta (V_r^{pi_0}(s) - V_r^{pi*}(s)) <= eta/(1-gamma).
template <class T>
Finding check_step_sum(const Instance& inst) {
    return on_run<T>(inst, true, [](const auto& c, Tally& tally) {
        const auto& its = c.run.iterates;
        const T eta = from_rational<T>(c.opt.eta);
        for (std::size_t s = 0; s < c.m.S; ++s) {
            const T mid = eta * T(its[0].V[s] - c.star.V[s]);
            const T right = eta / T(T(1) - c.m.gamma);
            tally.add(c.judge.le(mid, right), at(s) + " (eta (V_0 - V*) <= eta/(1-gamma))", mid, right, "<=");
            T sum(0);
            for (std::size_t k = 1; k < its.size(); ++k) {
                sum += bregman_divergence(c.opt.D, its[k - 1].pi, its[k].pi, s);
                tally.add(c.judge.le(sum, mid), at_k(k, at(s) + ", " + to_string(c.opt.D)), sum, mid, "<=");
            }
        }
    });
}

// rpmd-sublinear along a whole run (Euclidean, constant eta, costs in [0,1]), for every k >= 1:
// gap_k + (1-gamma)/M sum_{t=1}^{k-1} gap_t <= gap_0 + |S|/M sqrt(18k/(eta(1-gamma))), the root
// decided by squaring.
template <class T>
Finding check_sublinear(const Instance& inst) {
    return on_run<T>(inst, true, [](const auto& c, Tally& tally) {
        for (std::size_t k = 1; k < c.gaps.size(); ++k) {
            const SublinearSides<T> sd = sublinear_sides(c.gaps, k, c.m.S, c.m.gamma, c.M, from_rational<T>(c.opt.eta));
            const T X = sd.lhs - sd.base;
            tally.add(le_root(c.judge, X, sd.coef, sd.arg), at_k(k, std::string(to_string(c.opt.D)) + "; lhs - gap_0 <= coef sqrt(arg)"), X,
                      T(sd.coef * sd.coef * sd.arg), "<= sqrt");
        }
    });
}

#define RMDP_CHECK(fn) [](const Instance& inst, const Arith& a) { return dispatch(a, [&]<class T>() { return fn<T>(inst); }); }

}  // namespace

void register_rpmd_claims(std::vector<Claim>& out) {
    const std::string src = "robust-pg-notes, 'Robust Policy Mirror Descent'";
    auto step_draw = [](Rng& rng, const GeneratorOptions& opt, std::size_t trial) { return draw_step(rng, opt, trial, false); };
    out.push_back({"three-point:euclid",
                   "for all p in Delta_A: eta <Q_r^{pi_k}(s,.), pi_{k+1}(.|s) - p> <= D_{pi_k}^p(s) - D_{pi_{k+1}}^p(s) - D_{pi_k}^{pi_{k+1}}(s), Euclidean D",
                   src + ", three-point lemma",
                   "D = 1/2||p - q||^2 with pi_{k+1} = Proj(pi_k - eta Q), and D = ||p - q||^2 with Proj(pi_k - eta Q/2); "
                   "affine in p, decided exactly at every vertex e_a; pi_k random, Q_r^{pi_k} certified",
                   step_draw, RMDP_CHECK(check_three_point_euclid)});
    out.push_back({"three-point:kl",
                   "for all p in Delta_A: eta <Q_r^{pi_k}(s,.), pi_{k+1}(.|s) - p> <= D_{pi_k}^p(s) - D_{pi_{k+1}}^p(s) - D_{pi_k}^{pi_{k+1}}(s), KL D",
                   src + ", three-point lemma",
                   "D = KL, pi_{k+1} = pi_k e^{-eta Q}/Z enclosed in MPFI from exact pi_k > 0 and exact Q_r^{pi_k}; an identity "
                   "(docs/rpmd.md): certified |lhs - rhs| <= width at every vertex e_a (verdict tight), a certain violation refutes",
                   [](Rng& rng, const GeneratorOptions& opt, std::size_t trial) { return draw_step(rng, opt, trial, true); },
                   check_three_point_kl});
    out.push_back({"rpmd-monotone",
                   "V_r^{pi_{k+1}}(s) - V_r^{pi_k}(s) <= <Q_r^{pi_k}(s,.), pi_{k+1}(.|s) - pi_k(.|s)> <= 0 for all s",
                   src + ", bound on (A)",
                   "one Euclidean step (D = 1/2||.||^2) from a random pi_k; both inequalities at every state, exact",
                   step_draw, RMDP_CHECK(check_monotone)});
    out.push_back({"euclid-bregman-gap",
                   "for w = ||.||_2^2: D_{pi_t}^{pi*}(s) - D_{pi_{t+1}}^{pi*}(s) <= sqrt(18 D_{pi_{t+1}}^{pi_t}(s))",
                   src + ", Euclidean case",
                   "D = ||p - q||^2 (the notes' w) and also D = 1/2||p - q||^2, each with its own step from a random pi_t; "
                   "pi* certified; decided exactly by squaring",
                   step_draw, RMDP_CHECK(check_bregman_gap)});
    out.push_back({"rpmd-recursion",
                   "f_rho(pi_{k+1}) - f_rho(pi*) <= (1 - (1-gamma)/M)(f_rho(pi_k) - f_rho(pi*)) + 1/(M eta_k) E_{s~d_rho^{pi*,u_k}} "
                   "[D_{pi_k}^{pi*}(s) - D_{pi_{k+1}}^{pi*}(s)], M = sup_u ||d_rho^{pi*,u}/rho||_inf",
                   src + ", one-step recursion",
                   "whole exact Euclidean runs (D = 1/2||.||^2 on even trials, ||.||^2 on odd ones, constant eta), costs in [0,1], "
                   "rho > 0; M computed exactly and certified (robust visit values); u_k the lowest-index worst-case kernel",
                   draw_run, RMDP_CHECK(check_recursion)});
    out.push_back({"rpmd-step-sum",
                   "sum_{t<k} D_{pi_{t+1}}^{pi_t}(s) <= eta (V_r^{pi_0}(s) - V_r^{pi*}(s)) <= eta/(1-gamma) (costs in [0,1])",
                   src + ", Euclidean case",
                   "whole exact Euclidean runs with constant eta (D = 1/2||.||^2 or ||.||^2 as for rpmd-recursion); every k and s",
                   draw_run, RMDP_CHECK(check_step_sum)});
    out.push_back({"rpmd-sublinear",
                   "Euclidean, constant eta, costs in [0,1]: f_rho(pi_k) - f_rho(pi*) + (1-gamma)/M sum_{t=1}^{k-1} (f_rho(pi_t) - f_rho(pi*)) "
                   "<= f_rho(pi_0) - f_rho(pi*) + |S|/M sqrt(18k/(eta(1-gamma)))",
                   src + ", final bound",
                   "whole exact Euclidean runs (D = ||.||^2, the notes' w, on odd trials; 1/2||.||^2 on even ones); every k >= 1, "
                   "the root decided exactly by squaring",
                   draw_run, RMDP_CHECK(check_sublinear)});
}

}  // namespace rmdp::checks
