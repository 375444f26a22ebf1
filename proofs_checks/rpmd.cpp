// Claims of robust policy mirror descent (claims.md "Robust policy mirror descent"):
// three-point:euclid, three-point:kl, rpmd-monotone (+ :kl), euclid-bregman-gap, rpmd-recursion (+ :kl),
// rpmd-step-sum, rpmd-sublinear (occupancy-self-mass is in foundation.cpp).
//
// Euclidean claims are decided exactly in rationals. The KL three-point relation is an identity
// (docs/rpmd.md proves it): from exact pi_k and the exact Q_r^{pi_k}, the KL step is enclosed in
// MPFI and the check certifies |lhs - rhs| <= the enclosure's width (verdict `tight`), never `holds`.
// The KL readings of rpmd-monotone and rpmd-recursion enclose V_r at the (irrational) KL step through
// an exact nearby rational policy and a Lipschitz bound of V_r (docs/rpmd.md). Every robust value used
// is certified by the operator (T_r^pi V = V), pi* likewise (certified.hpp), M by rpmd_constant's own
// certificate. A comparison that is true whatever the claim says (a step that does not move) is not
// counted: an instance with nothing else is reported vacuous.
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

std::string draw_eta(Rng& rng, std::size_t n = std::size(etas)) { return etas[rng.below(n)]; }

// |A| = 1 leaves nothing to compare (every step is the identity): the draws start at |A| = 2.
// Every RPMD draw goes through here. RPMD checks compute V_r and V* exactly (certified) whatever the
// campaign's arithmetic, so they draw only sets with exact worst cases (no kl): the same instances
// as in an exact campaign.
GeneratorOptions two_actions(GeneratorOptions opt) {
    opt.min_actions = std::min<std::size_t>(2, opt.max_actions);
    opt.transcendental_sets = false;
    return opt;
}

// Whether the first Euclidean step from pi0 moves (exact). It stays iff pi0 is optimal (greedy for its
// own Q_r), whatever eta > 0 and whichever Euclidean D; for an interior pi0 that means Q_r(s,.) is
// constant in every row, i.e. the KL step stays too. A policy that stays makes every relation 0 <= 0.
bool first_step_moves(const MdpData& md, const PolicyData& pi0) {
    const Mdp<rational> m = convert<rational>(md);
    const UncertaintySet<rational> U = convert<rational>(md.uncertainty);
    const Policy<rational> x = convert<rational>(pi0);
    const Matrix<rational> Q = robust_q(m, U, robust_value(m, U, x).V);
    return mirror_step(x, Q, rational(1), bregman::euclid).data != x.data;
}

// mdp, policies[name] and extra.eta, redrawn from the same stream until the first step from the policy
// moves: the policy is redrawn 4 times per MDP, at most 64 draws in all (then the last one stands and
// its check reports it vacuous).
template <class DrawMdp, class DrawPolicy>
Instance draw_moving(Rng& rng, const char* name, std::size_t n_etas, DrawMdp&& draw_mdp, DrawPolicy&& draw_policy) {
    Instance inst;
    for (std::size_t attempt = 0;; ++attempt) {
        if (attempt % 4 == 0) inst.mdp = draw_mdp();
        inst.policies[name] = draw_policy(inst.mdp);
        inst.extra["eta"] = draw_eta(rng, n_etas);
        if (attempt == 63 || first_step_moves(inst.mdp, inst.policies[name])) return inst;
    }
}

// Per-step claims: one step from a random pi_k (any policy; KL needs full support) that is not optimal.
Instance draw_step(Rng& rng, const GeneratorOptions& opt, std::size_t trial, bool interior) {
    const GeneratorOptions o = two_actions(opt);
    return draw_moving(rng, "pi", std::size(etas), [&] { return random_robust_mdp(rng, o, trial); },
                       [&](const MdpData& m) { return interior ? random_interior_policy(rng, m, o) : random_policy(rng, m, o); });
}

// The KL readings of rpmd-monotone / rpmd-recursion: the notes' assumptions (costs in [0,1], rho > 0),
// gamma > 0 (at gamma = 0 the first inequality of rpmd-monotone is an identity, V = c^pi, which no
// enclosure certifies; redrawn while gamma = 0), an interior pi_k that moves, eta <= 2 (so
// eta * span Q <= 2/(1-gamma) <= 2000 stays below kl_exact_exponent_limit).
Instance draw_kl_step(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    const GeneratorOptions o = two_actions(opt);
    return draw_moving(rng, "pi", 5,
                       [&] {
                           MdpData m;
                           do m = random_unit_cost_robust_mdp(rng, o, trial);
                           while (m.gamma == 0);
                           return m;
                       },
                       [&](const MdpData& m) { return random_interior_policy(rng, m, o); });
}

// Trajectory claims: the notes' assumptions (costs in [0,1], rho > 0), a pi_0 that moves, eta, K steps,
// the Euclidean reading (1/2||.||^2 on even trials, ||.||^2 on odd ones) and, for rpmd-recursion, the
// schedule (constant or linear, each with chance 1/2). Sizes are kept small because exact iterates
// grow in bit size with every step (docs/rpmd.md, "Sizes"): |S| <= 4, 2 <= |A| <= 3, K <= 6.
Instance draw_run(Rng& rng, const GeneratorOptions& opt, std::size_t trial, bool any_schedule) {
    GeneratorOptions small = opt;
    small.max_states = std::min<std::size_t>(opt.max_states, 4);
    small.max_actions = std::min<std::size_t>(opt.max_actions, 3);
    small = two_actions(small);
    Instance inst = draw_moving(rng, "pi0", std::size(etas), [&] { return random_unit_cost_robust_mdp(rng, small, trial); },
                                [&](const MdpData& m) { return random_policy(rng, m, small); });
    inst.extra["steps"] = 1 + rng.below(std::min<std::size_t>(6, 1 + trial / 8));
    inst.extra["bregman"] = trial % 2 == 0 ? "euclid" : "euclid-w";
    if (any_schedule) inst.extra["schedule"] = rng.chance(1, 2) ? "linear" : "constant";
    return inst;
}

rational extra_eta(const Instance& inst) {
    if (!inst.extra.contains("eta")) throw input_error("", "instance.extra.eta", "missing");
    const rational eta = parse_number(inst.extra.at("eta"), "", "instance.extra.eta");
    if (eta <= 0) throw input_error("", "instance.extra.eta", "the step size must be positive");
    return eta;
}

// extra.KEY as a string (absent: the default).
std::string extra_string(const Instance& inst, const char* key, const char* fallback) {
    if (!inst.extra.contains(key)) return fallback;
    const json& v = inst.extra.at(key);
    if (!v.is_string()) throw input_error("", std::string("instance.extra.") + key, "expected a string");
    return v.get<std::string>();
}

// A run's options from extra: eta, steps, bregman (euclid | euclid-w), schedule (constant | linear;
// claims stated for a constant step size refuse linear).
RpmdOptions extra_run(const Instance& inst, bool constant_only) {
    RpmdOptions o;
    o.eta = extra_eta(inst);
    const json& e = inst.extra;
    if (!e.contains("steps") || !e.at("steps").is_number_unsigned() || e.at("steps").get<std::size_t>() > 1000)
        throw input_error("", "instance.extra.steps", "expected an integer 0..1000");
    o.steps = e.at("steps").get<std::size_t>();
    const std::string D = extra_string(inst, "bregman", "euclid");
    if (D == "euclid") o.D = bregman::euclid;
    else if (D == "euclid-w") o.D = bregman::euclid_w;
    else throw input_error("", "instance.extra.bregman", "expected 'euclid' or 'euclid-w', got '" + D + "'");
    const std::string sch = extra_string(inst, "schedule", "constant");
    if (sch == "constant") o.schedule = step_schedule::constant;
    else if (sch == "linear") o.schedule = step_schedule::linear;
    else throw input_error("", "instance.extra.schedule", "expected 'constant' or 'linear', got '" + sch + "'");
    if (constant_only && o.schedule != step_schedule::constant)
        throw input_error("", "instance.extra.schedule", "the claim is stated for a constant step size");
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

// Working precision for the KL checks, which always go through MPFI: the BITS of --arith
// interval:BITS or mpfr:BITS (so the precision reported is the one used), else 256; restored
// afterwards (it is process-wide).
struct PrecisionScope {
    unsigned saved;
    explicit PrecisionScope(const Arith& a) : saved(working_precision()) {
        set_working_precision(a.type == Arith::kind::interval || a.type == Arith::kind::mpfr ? a.bits : 256);
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
    if (kl_step_exponent(xq, Qq, eta_q) > kl_enclosure_exponent_limit)
        throw input_error("", "instance.extra.eta",
                          "eta * span Q_r^{pi}(s,.) exceeds 2^28: e^(eta Q) leaves MPFR's exponent range (docs/rpmd.md)");
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
        if (y.data == d.x.data) return;  // pi_k is a fixed point: 0 <= 0 <= 0, nothing compared
        const Vector<T> Vy = certified_robust_value(d.m, d.U, y, d.judge);
        for (std::size_t s = 0; s < d.m.S; ++s) {
            const T lhs = Vy[s] - d.V[s];
            const T mid = inner_at(d.Q, y, s) - inner_at(d.Q, d.x, s);
            tally.add(d.judge.le(lhs, mid), at(s) + " (V difference <= <Q, step>)", lhs, mid, "<=");
            bool moved = false;  // <Q, step> = 0 <= 0 where the row did not move: not counted
            for (std::size_t a = 0; a < d.m.A; ++a) moved = moved || !(y(s, a) == d.x(s, a));
            if (moved) tally.add(d.judge.le(mid, T(0)), at(s) + " (<Q, step> <= 0)", mid, T(0), "<=");
        }
    });
}

// ---- KL readings of rpmd-monotone and rpmd-recursion (docs/rpmd.md, "KL readings")

// One KL step from an exact interior pi_k, certified. y = the exact (irrational) KL step, enclosed
// entrywise by step.enclosure; step.point is an exact rational policy with |point - y| <= step.error
// entrywise. V_r at y is enclosed through the exact V_r^{point} and the Lipschitz bound
//   |V_r^{pi'}(s) - V_r^{pi}(s)| <= (c_max - c_min) / (2 (1-gamma)^2) ||pi' - pi||_{1,inf},
// so |V_r^y(s) - V_r^{point}(s)| <= e := (c_max - c_min) / (2 (1-gamma)^2) |A| step.error for every s.
struct KlStep {
    Mdp<rational> m;
    UncertaintySet<rational> U;
    Policy<rational> x;
    rational eta;
    Vector<rational> V;  // V_r^{pi_k}
    Matrix<rational> Q;  // Q_r^{pi_k}
    CertifiedKlStep step;
    Vector<rational> V_point;  // V_r^{step.point}, certified
    rational e;
    std::vector<bool> moves;  // Q_r^{pi_k}(s,.) not constant on the support: y(s) != pi_k(s)
};

KlStep kl_step(const Instance& inst) {
    KlStep d{convert<rational>(inst.mdp), convert<rational>(inst.mdp.uncertainty), convert<rational>(inst.policy("pi")),
             extra_eta(inst), {}, {}, {}, {}, 0, {}};
    for (const auto& p : d.x.data)
        if (p <= 0) throw input_error("", "instance.policies.pi", "the KL claim needs pi_k > 0 (finite divergences)");
    const Judge<rational> exact{0};
    d.V = certified_robust_value(d.m, d.U, d.x, exact);
    d.Q = robust_q(d.m, d.U, d.V);
    if (kl_step_exponent(d.x, d.Q, d.eta) > kl_exact_exponent_limit)
        throw input_error("", "instance.extra.eta",
                          "eta * span Q_r^{pi}(s,.) exceeds " + std::to_string(kl_exact_exponent_limit) +
                              ": the exact point near the KL step would need probabilities below e^-" +
                              std::to_string(kl_exact_exponent_limit) + " (docs/rpmd.md)");
    d.step = kl_step_certified(d.x, d.Q, d.eta);
    d.V_point = certified_robust_value(d.m, d.U, d.step.point, exact);
    rational cmax = inst.mdp.cost.front(), cmin = cmax;
    for (const auto& c : inst.mdp.cost) cmax = std::max(cmax, c), cmin = std::min(cmin, c);
    const rational one_minus = 1 - inst.mdp.gamma;
    d.e = (cmax - cmin) / (2 * one_minus * one_minus) * static_cast<long>(d.m.A) * d.step.error;
    for (std::size_t s = 0; s < d.m.S; ++s) {
        bool moves = false;
        for (std::size_t a = 0; a < d.m.A; ++a) moves = moves || d.Q(s, a) != d.Q(s, 0);
        d.moves.push_back(moves);
    }
    return d;
}

// The interval [lo, hi] with exact rational ends (rounded outward).
mpfi_float hull(const rational& lo, const rational& hi) {
    mpfi_float x;
    mpfi_interv_q(x.backend().data(), lo.backend().data(), hi.backend().data());
    return x;
}

// rpmd-monotone:kl, at every state: V_r^y(s) - V_r^{pi_k}(s) <= <Q_r^{pi_k}(s,.), y(s) - pi_k(s)> <= 0 for
// the exact KL step y. Certain violations refute; undecided comparisons leave the instance unknown.
Finding check_monotone_kl(const Instance& inst, const Arith& arith) {
    const PrecisionScope scope(arith);
    const KlStep d = kl_step(inst);
    Tally tally;
    bool any = false;
    for (bool mv : d.moves) any = any || mv;
    if (!any) return tally.f;  // y = pi_k exactly: nothing to compare
    const Policy<mpfi_float> x = to_interval(d.x);
    const Matrix<mpfi_float> Q = to_interval(d.Q);
    // mid(s) = <Q, y - pi_k>(s) = (T_r^y V_r^{pi_k})(s) - V_r^{pi_k}(s); exactly 0 at a row that is kept
    // (kl_step_certified keeps it exactly).
    std::vector<mpfi_float> mid(d.m.S, mpfi_float(0));
    bool contracts = true;  // T_r^y V_r^{pi_k} <= V_r^{pi_k} certified, hence V_r^y <= V_r^{pi_k}
    for (std::size_t s = 0; s < d.m.S; ++s)
        if (d.moves[s]) {
            mid[s] = inner_at(Q, d.step.enclosure, s) - inner_at(Q, x, s);
            contracts = contracts && scalar_traits<mpfi_float>::le(mid[s], mpfi_float(0)) == truth::yes;
        }
    for (std::size_t s = 0; s < d.m.S; ++s) {
        const rational dv = d.V_point[s] - d.V[s];
        const mpfi_float lhs = hull(dv - d.e, dv + d.e);
        truth first = scalar_traits<mpfi_float>::le(lhs, mid[s]);
        std::string how = " (kl; V difference <= <Q, step>; enclosures)";
        if (first == truth::unknown && contracts) {
            // Equality cases (e.g. s never revisited and no moving row reachable) defeat every enclosure.
            // The first inequality is V_r^y(s) <= (T_r^y V_r^{pi_k})(s); it follows from the certified
            // T_r^y V_r^{pi_k} <= V_r^{pi_k}: then V_r^y <= V_r^{pi_k} (T_r^y monotone, a contraction) and
            // V_r^y = T_r^y V_r^y <= T_r^y V_r^{pi_k} (docs/rpmd.md, "KL readings").
            first = truth::yes;
            how = " (kl; V difference <= <Q, step>; operator certificate T_r^y V_r^{pi_k} <= V_r^{pi_k})";
        }
        tally.add(first, at(s) + how, lhs, mid[s], "<=");
        if (d.moves[s])
            tally.add(scalar_traits<mpfi_float>::le(mid[s], mpfi_float(0)), at(s) + " (kl; <Q, step> <= 0)", mid[s],
                      mpfi_float(0), "<=");
    }
    if (tally.f.result == truth::unknown)
        tally.f.note = "the enclosures (MPFI at " + std::to_string(working_precision()) +
                       " bits, Lipschitz radius of V_r) do not separate the sides";
    return tally.f;
}

// rpmd-recursion:kl, one KL step from pi_k: gap(y) <= (1 - (1-gamma)/M) gap(pi_k) + 1/(M eta)
// E_{d_rho^{pi*,u_k}}[KL(pi* || pi_k) - KL(pi* || y)], gap(y) enclosed by the Lipschitz radius e,
// the right side in MPFI from the exact pi*, M, u_k, gap(pi_k) and the enclosure of y.
Finding check_recursion_kl(const Instance& inst, const Arith& arith) {
    const PrecisionScope scope(arith);
    for (const auto& r : inst.mdp.rho)
        if (r <= 0) throw input_error("", "instance.mdp.rho", "the bounds need rho > 0 everywhere (else M = +infinity)");
    const KlStep d = kl_step(inst);
    Tally tally;
    bool any = false;
    for (bool mv : d.moves) any = any || mv;
    if (!any) return tally.f;
    const RobustSolution<rational> star = certified_optimum(d.m, d.U, Judge<rational>{0});
    rational f_star = 0, f_k = 0, f_point = 0;
    for (std::size_t s = 0; s < d.m.S; ++s) {
        f_star += d.m.rho[s] * star.V[s];
        f_k += d.m.rho[s] * d.V[s];
        f_point += d.m.rho[s] * d.V_point[s];
    }
    const rational M = *rpmd_constant(inst.mdp, star.policy).M;
    const Kernel<mpfi_float> u_k = convert<mpfi_float>(worst_case_kernel(d.U, d.m.P, d.V));
    const mpfi_float rhs = recursion_rhs(convert<mpfi_float>(inst.mdp), u_k, to_interval(d.x), d.step.enclosure,
                                         to_interval(star.policy), from_rational<mpfi_float>(f_k - f_star),
                                         from_rational<mpfi_float>(M), from_rational<mpfi_float>(d.eta), bregman::kl);
    const mpfi_float lhs = hull(f_point - f_star - d.e, f_point - f_star + d.e);
    tally.add(scalar_traits<mpfi_float>::le(lhs, rhs), "k -> k+1 (kl; f_rho at the KL step enclosed)", lhs, rhs, "<=");
    if (tally.f.result == truth::unknown)
        tally.f.note = "the enclosures (MPFI at " + std::to_string(working_precision()) +
                       " bits, Lipschitz radius of V_r) do not separate the sides";
    return tally.f;
}

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
                bool moved = false;  // a row that did not move gives 0 <= 0: not counted
                for (std::size_t a = 0; a < d.m.A; ++a) moved = moved || !(y(s, a) == d.x(s, a));
                if (!moved) continue;
                const T X = bregman_divergence(D, star, d.x, s) - bregman_divergence(D, star, y, s);
                const T Y = bregman_divergence(D, d.x, y, s);
                tally.add(le_root(d.judge, X, T(1), T(18 * Y)), at(s) + " (" + to_string(D) + "; sides squared)", X,
                          T(18 * Y), "<= sqrt");
            }
        }
    });
}

// A certified Euclidean run for the trajectory claims, with pi*, V*, f_rho(pi*) and M. pi* is the exact
// certified optimum in every arithmetic (a float run converts it), so M, the divergences from pi* and
// the gaps all refer to the same pi*.
template <class T>
struct CheckedRun {
    Mdp<T> m;
    RpmdOptions opt;
    RpmdRun<T> run;
    Policy<T> star;
    Vector<T> V_star;
    T f_star, M;
    std::vector<T> gaps;
    Judge<T> judge;
};

template <class T>
CheckedRun<T> checked_run(const Instance& inst, bool constant_only) {
    const MdpData& md = inst.mdp;
    for (const auto& r : md.rho)
        if (r <= 0) throw input_error("", "instance.mdp.rho", "the bounds need rho > 0 everywhere (else M = +infinity)");
    CheckedRun<T> c{convert<T>(md), extra_run(inst, constant_only), {}, {}, {}, T(0), T(0), {}, Judge<T>{float_tolerance<T>(md)}};
    const UncertaintySet<T> U = convert<T>(md.uncertainty);
    const Mdp<rational> mq = convert<rational>(md);
    const UncertaintySet<rational> Uq = convert<rational>(md.uncertainty);
    const RobustSolution<rational> sq = certified_optimum(mq, Uq, Judge<rational>{0});
    c.star = convert<T>(PolicyData{md.S, md.A, sq.policy.data});
    rational f_star = 0;
    for (std::size_t s = 0; s < md.S; ++s) {
        c.V_star.push_back(from_rational<T>(sq.V[s]));
        f_star += md.rho[s] * sq.V[s];
    }
    c.f_star = from_rational<T>(f_star);
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
        // The claims with the notes' assumptions (costs in [0,1]) are also the constant-eta ones.
        if (unit_costs) require_unit_costs(inst.mdp);
        const CheckedRun<T> c = checked_run<T>(inst, unit_costs);
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
            const T rhs = recursion_rhs(c.m, its[k].u, its[k].pi, its[k + 1].pi, c.star, c.gaps[k], c.M,
                                        its[k].eta, c.opt.D);
            tally.add(c.judge.le(c.gaps[k + 1], rhs),
                      at_k(k + 1, std::string(to_string(c.opt.D)) + ", " + to_string(c.opt.schedule) + " eta"),
                      c.gaps[k + 1], rhs, "<=");
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
            const T mid = eta * T(its[0].V[s] - c.V_star[s]);
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

// ---- Sharper intermediate forms of the notes' proofs (separate ids, docs/rpmd.md "Sharp forms"):
// a wrong constant or kernel (M -> 1, u_k -> u_{k+1}) that the final bounds' slack would hide
// breaks one of these.

// rpmd-recursion:sharp, along the runs of rpmd-recursion, for every k:
//  (i)  at every s, the three-point relation at p = pi* weighted by d_s^{pi*,u_k}, with (A) bounded by
//       rpmd-monotone and (B) by Lemma 2.7 (notes, the display before averaging over rho):
//       eta_k E_{d_s}[V_{k+1} - V_k] + E_{d_s}[D_{pi_k}^{pi_{k+1}}] + (1-gamma) eta_k (V_k(s) - V*(s))
//         <= E_{d_s}[D_{pi_k}^{pi*} - D_{pi_{k+1}}^{pi*}],   d_s = d_s^{pi*,u_k};
//  (ii) the step that brings in M: M (f_rho(pi_{k+1}) - f_rho(pi_k)) <= E_{d_rho^{pi*,u_k}}[V_{k+1} - V_k].
template <class T>
Finding check_recursion_sharp(const Instance& inst) {
    return on_run<T>(inst, false, [](const auto& c, Tally& tally) {
        const auto& its = c.run.iterates;
        const T one_minus = T(1) - c.m.gamma;
        for (std::size_t k = 0; k + 1 < its.size(); ++k) {
            const auto& a = its[k];
            const auto& b = its[k + 1];
            const Matrix<T> d = occupancy(c.m, a.u, c.star);
            const Vector<T> d_rho = occupancy(c.m, a.u, c.star, c.m.rho);
            for (std::size_t s = 0; s < c.m.S; ++s) {
                T lhs = one_minus * a.eta * T(a.V[s] - c.V_star[s]), rhs(0);
                for (std::size_t t = 0; t < c.m.S; ++t) {
                    lhs += d(s, t) * T(a.eta * T(b.V[t] - a.V[t]) + bregman_divergence(c.opt.D, b.pi, a.pi, t));
                    rhs += d(s, t) * T(bregman_divergence(c.opt.D, c.star, a.pi, t) - bregman_divergence(c.opt.D, c.star, b.pi, t));
                }
                tally.add(c.judge.le(lhs, rhs), at_k(k + 1, at(s) + ", before averaging over rho"), lhs, rhs, "<=");
            }
            T left(0);
            for (std::size_t s = 0; s < c.m.S; ++s) left += d_rho[s] * T(b.V[s] - a.V[s]);
            const T right = c.M * T(b.f - a.f);
            tally.add(c.judge.le(right, left), at_k(k + 1, "M step: M (f_{k+1} - f_k) <= E_{d_rho^{pi*,u_k}}[V_{k+1} - V_k]"),
                      right, left, "<=");
        }
    });
}

// rpmd-step-sum:sharp, constant eta, at every s and k: the sum of three-point relations at p = pi_t
// with rpmd-monotone, before V_k >= V* and symmetry are used:
//   sum_{t<k} (D_{pi_{t+1}}^{pi_t}(s) + D_{pi_t}^{pi_{t+1}}(s)) <= eta (V_r^{pi_0}(s) - V_r^{pi_k}(s)).
template <class T>
Finding check_step_sum_sharp(const Instance& inst) {
    return on_run<T>(inst, true, [](const auto& c, Tally& tally) {
        const auto& its = c.run.iterates;
        const T eta = from_rational<T>(c.opt.eta);
        for (std::size_t s = 0; s < c.m.S; ++s) {
            T sum(0);
            for (std::size_t k = 1; k < its.size(); ++k) {
                sum += bregman_divergence(c.opt.D, its[k - 1].pi, its[k].pi, s) + bregman_divergence(c.opt.D, its[k].pi, its[k - 1].pi, s);
                const T rhs = eta * T(its[0].V[s] - its[k].V[s]);
                tally.add(c.judge.le(sum, rhs), at_k(k, at(s) + ", " + to_string(c.opt.D)), sum, rhs, "<=");
            }
        }
    });
}

// rpmd-sublinear:sharp, constant eta, every k >= 1: the bound before Cauchy-Schwarz and step-sum,
//   gap_k + (1-gamma)/M sum_{t=1}^{k-1} gap_t <= gap_0 + sqrt(18)/(M eta) sum_{t<k} E_{d_rho^{pi*,u_t}} sqrt(D_{pi_{t+1}}^{pi_t}).
// The square roots are enclosed in MPFI (256 bits) from the exact (or float) divergences: holds where
// the enclosure certifies, a certain violation refutes (exact inputs: re-checked by verify), else unknown.
template <class T>
Finding check_sublinear_sharp(const Instance& inst) {
    // MPFI at 256 bits for the roots, except under mpfr:BITS, where the whole run computes at the
    // precision dispatch() set (raising it here made `--arith mpfr:64` compute at 257 bits).
    Arith roots;
    if constexpr (std::is_same_v<T, mpfr_float>) roots = Arith{Arith::kind::mpfr, working_precision()};
    const PrecisionScope scope{roots};
    return on_run<T>(inst, true, [](const auto& c, Tally& tally) {
        const auto& its = c.run.iterates;
        auto I = [](const auto& x) { return from_rational<mpfi_float>(exact_value(x)); };
        const mpfi_float M = I(c.M), eta = from_rational<mpfi_float>(c.opt.eta);
        mpfi_float roots(0);
        for (std::size_t k = 1; k < its.size(); ++k) {
            const Vector<T> d = occupancy(c.m, its[k - 1].u, c.star, c.m.rho);
            for (std::size_t s = 0; s < c.m.S; ++s)
                roots += I(d[s]) * sqrt(I(bregman_divergence(c.opt.D, its[k - 1].pi, its[k].pi, s)));
            const SublinearSides<T> sd = sublinear_sides(c.gaps, k, c.m.S, c.m.gamma, c.M, from_rational<T>(c.opt.eta));
            const mpfi_float lhs = I(sd.lhs), rhs = I(sd.base) + sqrt(mpfi_float(18)) / (M * eta) * roots;
            tally.add(scalar_traits<mpfi_float>::le(lhs, rhs), at_k(k, std::string(to_string(c.opt.D)) + "; before Cauchy-Schwarz"),
                      lhs, rhs, "<=");
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
                   "EUCLIDEAN D (the :kl reading is separate): one step with D = 1/2||.||^2 from a random pi_k; both "
                   "inequalities at every state, exact; rows that do not move are not counted",
                   step_draw, RMDP_CHECK(check_monotone)});
    out.push_back({"rpmd-monotone:kl",
                   "V_r^{pi_{k+1}}(s) - V_r^{pi_k}(s) <= <Q_r^{pi_k}(s,.), pi_{k+1}(.|s) - pi_k(.|s)> <= 0 for all s, KL D",
                   src + ", bound on (A)",
                   "one exact KL step pi_{k+1} = pi_k e^{-eta Q}/Z from a random interior pi_k (costs in [0,1], gamma > 0): "
                   "pi_{k+1} enclosed in MPFI, V_r^{pi_{k+1}} enclosed by V_r at an exact nearby policy plus the Lipschitz "
                   "radius (c_max - c_min)|A| err / (2(1-gamma)^2); holds only where certified, a certain violation refutes",
                   draw_kl_step, check_monotone_kl});
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
                   "EUCLIDEAN D (the :kl reading is separate): whole exact Euclidean runs (D = 1/2||.||^2 on even trials, "
                   "||.||^2 on odd ones), eta_k constant or linear (eta_k = (k+1) eta, extra.schedule), costs in [0,1], "
                   "rho > 0; M computed exactly and certified (robust visit values); u_k the lowest-index worst-case kernel",
                   [](Rng& rng, const GeneratorOptions& opt, std::size_t trial) { return draw_run(rng, opt, trial, true); },
                   RMDP_CHECK(check_recursion)});
    out.push_back({"rpmd-recursion:kl",
                   "f_rho(pi_{k+1}) - f_rho(pi*) <= (1 - (1-gamma)/M)(f_rho(pi_k) - f_rho(pi*)) + 1/(M eta_k) E_{s~d_rho^{pi*,u_k}} "
                   "[D_{pi_k}^{pi*}(s) - D_{pi_{k+1}}^{pi*}(s)], KL D",
                   src + ", one-step recursion",
                   "one exact KL step from a random interior pi_k (costs in [0,1], rho > 0, gamma > 0); f_rho(pi_{k+1}) enclosed "
                   "by V_r at an exact nearby policy plus the Lipschitz radius, the right side in MPFI from exact pi*, M, u_k; "
                   "holds only where certified, a certain violation refutes",
                   draw_kl_step, check_recursion_kl});
    out.push_back({"rpmd-step-sum",
                   "sum_{t<k} D_{pi_{t+1}}^{pi_t}(s) <= eta (V_r^{pi_0}(s) - V_r^{pi*}(s)) <= eta/(1-gamma) (costs in [0,1])",
                   src + ", Euclidean case",
                   "EUCLIDEAN D: whole exact Euclidean runs with constant eta (D = 1/2||.||^2 or ||.||^2 as for rpmd-recursion); "
                   "every k and s",
                   [](Rng& rng, const GeneratorOptions& opt, std::size_t trial) { return draw_run(rng, opt, trial, false); },
                   RMDP_CHECK(check_step_sum)});
    out.push_back({"rpmd-recursion:sharp",
                   "(not in the notes: the proof's intermediate forms) at every s: eta_k E_{d_s}[V_{k+1} - V_k] + E_{d_s}[D_{pi_k}^{pi_{k+1}}] "
                   "+ (1-gamma) eta_k (V_k(s) - V*(s)) <= E_{d_s}[D_{pi_k}^{pi*} - D_{pi_{k+1}}^{pi*}], d_s = d_s^{pi*,u_k}; and "
                   "M (f_rho(pi_{k+1}) - f_rho(pi_k)) <= E_{d_rho^{pi*,u_k}}[V_{k+1} - V_k]",
                   src + ", proof of the one-step recursion",
                   "EUCLIDEAN D; the runs of rpmd-recursion (constant or linear eta_k); exact",
                   [](Rng& rng, const GeneratorOptions& opt, std::size_t trial) { return draw_run(rng, opt, trial, true); },
                   RMDP_CHECK(check_recursion_sharp)});
    out.push_back({"rpmd-step-sum:sharp",
                   "(not in the notes: the proof's intermediate form) sum_{t<k} (D_{pi_{t+1}}^{pi_t}(s) + D_{pi_t}^{pi_{t+1}}(s)) "
                   "<= eta (V_r^{pi_0}(s) - V_r^{pi_k}(s))",
                   src + ", proof of the sublinear bound",
                   "EUCLIDEAN D; the runs of rpmd-step-sum (constant eta); every k and s; exact",
                   [](Rng& rng, const GeneratorOptions& opt, std::size_t trial) { return draw_run(rng, opt, trial, false); },
                   RMDP_CHECK(check_step_sum_sharp)});
    out.push_back({"rpmd-sublinear:sharp",
                   "(not in the notes: the proof's intermediate form) f_rho(pi_k) - f_rho(pi*) + (1-gamma)/M sum_{t=1}^{k-1} "
                   "(f_rho(pi_t) - f_rho(pi*)) <= f_rho(pi_0) - f_rho(pi*) + sqrt(18)/(M eta) sum_{t<k} E_{s~d_rho^{pi*,u_t}} "
                   "sqrt(D_{pi_{t+1}}^{pi_t}(s))",
                   src + ", final bound before Cauchy-Schwarz",
                   "EUCLIDEAN D; the runs of rpmd-sublinear; the square roots enclosed in MPFI (256 bits; under mpfr:BITS at that "
                   "precision): holds where certified",
                   [](Rng& rng, const GeneratorOptions& opt, std::size_t trial) { return draw_run(rng, opt, trial, false); },
                   RMDP_CHECK(check_sublinear_sharp)});
    out.push_back({"rpmd-sublinear",
                   "Euclidean, constant eta, costs in [0,1]: f_rho(pi_k) - f_rho(pi*) + (1-gamma)/M sum_{t=1}^{k-1} (f_rho(pi_t) - f_rho(pi*)) "
                   "<= f_rho(pi_0) - f_rho(pi*) + |S|/M sqrt(18k/(eta(1-gamma)))",
                   src + ", final bound",
                   "whole exact Euclidean runs (D = ||.||^2, the notes' w, on odd trials; 1/2||.||^2 on even ones); every k >= 1, "
                   "the root decided exactly by squaring",
                   [](Rng& rng, const GeneratorOptions& opt, std::size_t trial) { return draw_run(rng, opt, trial, false); },
                   RMDP_CHECK(check_sublinear)});
}

}  // namespace rmdp::checks
