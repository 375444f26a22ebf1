// Claims of claims.md "MBPO return bounds" (docs/mbpo.md): mbpo-4.1, mbpo-4.2:{a,a2,a3,b},
// mbpo-4.3:{a,a2,a3,b}, mbpo-4.3:b-notes (the notes' own eps_m'), tv-chain, tv-accumulation. The
// MBPO instance lives in extra["mbpo"] (the format `rmdp mbpo` reads); the TV lemmas keep their
// distributions in extra as well.
#include "mbpo_report.hpp"

#include "campaign.hpp"
#include "compare.hpp"
#include "registry.hpp"

#include "rmdp/error.hpp"
#include "rmdp/mbpo.hpp"
#include "rmdp/random.hpp"

#include <algorithm>
#include <map>

namespace rmdp::checks {

namespace {

// Every sup over t is bracketed by ModelErrorBracket; a bound undecided at horizon T is retried at
// 2T, up to this budget (exact rationals: each step costs O(S^2) with growing denominators).
constexpr std::size_t first_horizon = 8, horizon_budget = 256;

// input_error from a nested object names its field under the instance's path.
template <class F>
auto within(const std::string& prefix, F&& f) {
    try {
        return f();
    } catch (const input_error& e) {
        throw input_error("", prefix + e.field(), e.problem());
    }
}

const json& extra_field(const Instance& inst, const char* key) {
    if (!inst.extra.contains(key)) throw input_error("", std::string("instance.extra.") + key, "missing");
    return inst.extra.at(key);
}

MbpoData instance_mbpo(const Instance& inst) {
    return within("instance.extra.mbpo.", [&] { return parse_mbpo(extra_field(inst, "mbpo"), ""); });
}

Instance draw_mbpo(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    Instance inst;
    inst.extra["mbpo"] = to_json(random_mbpo(rng, opt, trial));
    return inst;
}

enum class theorem { t41, t42, t43 };


// eta[pi] >= reference - C(eps), reference = eta_hat (4.1) or eta^branch under `reading` (4.2, 4.3),
// with eps_m (4.1, 4.2) or the 4.3 model error `model` (error_policy::updated: claims.md's eps_m';
// mixed: the notes' wording) bracketed and the horizon doubled until decide_bound decides.
template <class T>
Finding check_bound(const Instance& inst, theorem th, branch_reading reading, error_policy model) {
    const MbpoData data = instance_mbpo(inst);
    const MbpoModel<T> m = convert<T>(data);
    const T eta = discounted_return(m.mdp, m.mdp.P, m.pi);
    const T reference = th == theorem::t41 ? discounted_return(m.mdp, m.P_model, m.pi) : branched_return(m, reading);
    const T eps_pi = policy_divergence(m.pi, m.pi_data);
    auto bracket = model_error_bracket(data, m, th == theorem::t43 ? model : error_policy::data);
    auto bound = [&](const T& eps) {
        return th == theorem::t41 ? bound_41(m, eps, eps_pi) : th == theorem::t42 ? bound_42(m, eps, eps_pi) : bound_43(m, eps, eps_pi);
    };
    const T slack = float_tolerance<T>(true_mdp(data));
    const char* eps_name = th != theorem::t43 ? "eps_m" : model == error_policy::mixed ? "eps_m'(n)" : "eps_m'";
    Finding f;
    for (std::size_t horizon = first_horizon;; horizon *= 2) {
        while (bracket.horizon() < horizon && !bracket.closed()) bracket.advance();
        const T c_lo = bound(bracket.lower()), c_hi = bound(bracket.upper());
        f.result = decide_bound(eta, reference, c_lo, c_hi, slack);
        if (f.result != truth::unknown || bracket.closed() || horizon >= horizon_budget) {
            const bool fails = f.result == truth::no;
            f.where = std::string(eps_name) + " in [" + to_string(bracket.lower()) + ", " + to_string(bracket.upper()) +
                      "] (" + (bracket.closed() ? "exact" : "bracketed") + ", horizon " +
                      std::to_string(bracket.horizon()) + "), eps_pi = " + to_string(eps_pi);
            // The side compared: with the end of the bracket that decided (upper for a violation).
            f.lhs = to_string(T(reference - (fails ? c_hi : c_lo)));
            f.rhs = to_string(eta);
            f.relation = "<=";
            if (f.result == truth::unknown)
                f.note = "not decided in this arithmetic after horizon " + std::to_string(bracket.horizon()) +
                         " (an equality such as eta = eta_hat, or an " + eps_name + " bracket or enclosure too wide)";
            return f;
        }
    }
}

// Float tolerance of the TV lemmas: 16 n u, n the number of rounded operations a side accumulates
// (docs/mbpo.md, "Float tolerances"): every quantity is a sum of at most n terms of size <= 1, each
// rounded with relative error <= u, and TV values lie in [0, 1]. Zero for exact and interval types.
template <class T>
T rounding_tolerance(std::size_t n) {
    if constexpr (is_exact_v<T> || is_interval_v<T>)
        return T(0);
    else
        return from_rational<T>(rational(16 * static_cast<long>(n)) * exact_value(scalar_traits<T>::unit_roundoff()));
}

// A matrix of probabilities from extra (rows x cols, entries exact, each >= 0).
std::vector<std::vector<rational>> read_table(const json& j, const std::string& field) {
    if (!j.is_array() || j.empty()) throw input_error("", field, "expected a non-empty array of rows");
    std::vector<std::vector<rational>> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string fi = field + "[" + std::to_string(i) + "]";
        if (!j[i].is_array() || j[i].size() != j[0].size() || j[i].empty())
            throw input_error("", fi, "expected a row of " + std::to_string(j[0].size()) + " numbers");
        std::vector<rational> row;
        for (std::size_t k = 0; k < j[i].size(); ++k) {
            rational x = parse_number(j[i][k], "", fi + "[" + std::to_string(k) + "]");
            if (x < 0) throw input_error("", fi + "[" + std::to_string(k) + "]", "negative probability " + x.str());
            row.push_back(x);
        }
        out.push_back(std::move(row));
    }
    return out;
}

void require_sum(const std::vector<rational>& v, const std::string& field) {
    rational s = 0;
    for (const auto& x : v) s += x;
    if (s != 1) throw input_error("", field, "probabilities sum to " + s.str() + ", expected exactly 1");
}

json table_json(const std::vector<std::vector<rational>>& t) {
    json out = json::array();
    for (const auto& row : t) {
        json r = json::array();
        for (const auto& x : row) r.push_back(x.str());
        out.push_back(r);
    }
    return out;
}

// tv-chain instance: joint distributions p1, p2 on X x Y (rows x, columns y), each summing to 1.
struct Joint {
    std::vector<std::vector<rational>> p1, p2;
};

Joint read_joint(const Instance& inst) {
    Joint J{read_table(extra_field(inst, "p1"), "instance.extra.p1"), read_table(extra_field(inst, "p2"), "instance.extra.p2")};
    if (J.p1.size() != J.p2.size() || J.p1[0].size() != J.p2[0].size())
        throw input_error("", "instance.extra.p2", "shape differs from p1");
    std::vector<rational> f1, f2;
    for (std::size_t x = 0; x < J.p1.size(); ++x) {
        f1.insert(f1.end(), J.p1[x].begin(), J.p1[x].end());
        f2.insert(f2.end(), J.p2[x].begin(), J.p2[x].end());
    }
    require_sum(f1, "instance.extra.p1");
    require_sum(f2, "instance.extra.p2");
    return J;
}

Instance draw_joint(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    const std::size_t X = 1 + rng.below(std::min<std::size_t>(4, 1 + trial / 8));
    const std::size_t Y = 1 + rng.below(std::min<std::size_t>(4, 1 + trial / 8));
    const auto flat1 = random_distribution(rng, X * Y, opt.denominator);
    std::vector<std::vector<rational>> p1(X), p2(X);
    for (std::size_t x = 0; x < X; ++x) p1[x].assign(flat1.begin() + x * Y, flat1.begin() + (x + 1) * Y);
    switch (rng.below(3)) {
        case 0: {  // independent
            const auto flat2 = random_distribution(rng, X * Y, opt.denominator);
            for (std::size_t x = 0; x < X; ++x) p2[x].assign(flat2.begin() + x * Y, flat2.begin() + (x + 1) * Y);
            break;
        }
        case 1: {  // a mixture towards another joint: near ties
            const rational lambda = rng.chance(1, 2) ? rational(1, 10) : rational(1, 2);
            const auto q = random_distribution(rng, X * Y, opt.denominator);
            for (std::size_t x = 0; x < X; ++x)
                for (std::size_t y = 0; y < Y; ++y) p2[x].push_back((1 - lambda) * p1[x][y] + lambda * q[x * Y + y]);
            break;
        }
        default: {  // same x-marginal, other conditionals: only the max term of the claim is at work
            for (std::size_t x = 0; x < X; ++x) {
                rational mx = 0;
                for (const auto& v : p1[x]) mx += v;
                const auto c = random_distribution(rng, Y, opt.denominator);
                for (std::size_t y = 0; y < Y; ++y) p2[x].push_back(mx * c[y]);
            }
        }
    }
    Instance inst;
    inst.extra["p1"] = table_json(p1);
    inst.extra["p2"] = table_json(p2);
    return inst;
}

// tv-chain: D_TV(p1(x,y) || p2(x,y)) <= D_TV(p1(x) || p2(x)) + max_x D_TV(p1(y|x) || p2(y|x)), the max
// over the x where BOTH conditionals are defined (p1(x) > 0 and p2(x) > 0; an empty max is 0): the
// strictest convention, since any value given to an undefined conditional can only raise the max.
template <class T>
Finding check_tv_chain(const Instance& inst) {
    const Joint J = read_joint(inst);
    const std::size_t X = J.p1.size(), Y = J.p1[0].size();
    Vector<T> j1, j2, m1(X, T(0)), m2(X, T(0));
    for (std::size_t x = 0; x < X; ++x)
        for (std::size_t y = 0; y < Y; ++y) {
            j1.push_back(from_rational<T>(J.p1[x][y]));
            j2.push_back(from_rational<T>(J.p2[x][y]));
            m1[x] += j1.back();
            m2[x] += j2.back();
        }
    const T lhs = total_variation(j1.data(), j2.data(), X * Y);
    T worst(0);
    for (std::size_t x = 0; x < X; ++x) {
        rational e1 = 0, e2 = 0;
        for (std::size_t y = 0; y < Y; ++y) e1 += J.p1[x][y], e2 += J.p2[x][y];
        if (e1 == 0 || e2 == 0) continue;
        Vector<T> c1, c2;
        for (std::size_t y = 0; y < Y; ++y) c1.push_back(j1[x * Y + y] / m1[x]), c2.push_back(j2[x * Y + y] / m2[x]);
        worst = max_of(worst, total_variation(c1.data(), c2.data(), Y));
    }
    const T rhs = total_variation(m1.data(), m2.data(), X) + worst;
    const Judge<T> judge{rounding_tolerance<T>(X * Y + 4)};
    Tally tally;
    tally.add(judge.le(lhs, rhs), "X x Y = " + std::to_string(X) + " x " + std::to_string(Y), lhs, rhs, "<=");
    return tally.f;
}

// tv-accumulation instance: a common initial distribution mu0, two chains p1, p2 on S states, horizon T.
struct Chains {
    std::vector<rational> mu0;
    std::vector<std::vector<rational>> p1, p2;
    std::size_t T = 0;
};

Chains read_chains(const Instance& inst) {
    Chains c;
    const auto mu = read_table(json::array({extra_field(inst, "mu0")}), "instance.extra.mu0");
    c.mu0 = mu[0];
    c.p1 = read_table(extra_field(inst, "p1"), "instance.extra.p1");
    c.p2 = read_table(extra_field(inst, "p2"), "instance.extra.p2");
    const std::size_t S = c.mu0.size();
    require_sum(c.mu0, "instance.extra.mu0");
    for (const auto* p : {&c.p1, &c.p2}) {
        const std::string name = p == &c.p1 ? "instance.extra.p1" : "instance.extra.p2";
        if (p->size() != S || (*p)[0].size() != S) throw input_error("", name, "expected " + std::to_string(S) + " x " + std::to_string(S));
        for (std::size_t s = 0; s < S; ++s) require_sum((*p)[s], name + "[" + std::to_string(s) + "]");
    }
    const json& t = extra_field(inst, "T");
    if (!t.is_number_unsigned() || t.get<std::uint64_t>() < 1 || t.get<std::uint64_t>() > 1000)
        throw input_error("", "instance.extra.T", "expected an integer horizon in 1..1000, found " + t.dump());
    c.T = t.get<std::size_t>();
    return c;
}

Instance draw_chains(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    const std::size_t S = 1 + rng.below(std::min<std::size_t>(opt.max_states, 1 + trial / 4));
    std::vector<std::vector<rational>> p1, p2;
    const rational lambda = std::vector<rational>{rational(0), rational(1, 10), rational(1, 2), rational(1)}[rng.below(4)];
    for (std::size_t s = 0; s < S; ++s) p1.push_back(random_distribution(rng, S, opt.denominator));
    for (std::size_t s = 0; s < S; ++s) {
        const auto q = random_distribution(rng, S, opt.denominator);
        std::vector<rational> row;
        for (std::size_t t = 0; t < S; ++t) row.push_back((1 - lambda) * p1[s][t] + lambda * q[t]);
        p2.push_back(std::move(row));
    }
    Instance inst;
    inst.extra["mu0"] = table_json({random_distribution(rng, S, opt.denominator)})[0];
    inst.extra["p1"] = table_json(p1);
    inst.extra["p2"] = table_json(p2);
    inst.extra["T"] = 1 + rng.below(8);
    return inst;
}

// tv-accumulation: for t = 1..T, D_TV(p1^t || p2^t) <= t delta_t with
// delta_t = max_{t'<t} E_{s~q^{t'}} D_TV(p1(.|s) || p2(.|s)), read twice: q = p1 (the chain whose
// state distribution the per-step error is averaged under, as in MBPO's Lemma B.2) and q = p2.
template <class T>
Finding check_tv_accumulation(const Instance& inst) {
    const Chains c = read_chains(inst);
    const std::size_t S = c.mu0.size();
    Matrix<T> P1(S, S), P2(S, S);
    Vector<T> err(S, T(0)), d1, d2;
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t t = 0; t < S; ++t) P1(s, t) = from_rational<T>(c.p1[s][t]), P2(s, t) = from_rational<T>(c.p2[s][t]);
    for (std::size_t s = 0; s < S; ++s) err[s] = total_variation(&P1(s, 0), &P2(s, 0), S);
    for (const auto& x : c.mu0) d1.push_back(from_rational<T>(x));
    d2 = d1;
    auto step = [&](const Vector<T>& d, const Matrix<T>& P) {
        Vector<T> out(S, T(0));
        for (std::size_t s = 0; s < S; ++s)
            for (std::size_t t = 0; t < S; ++t) out[t] += d[s] * P(s, t);
        return out;
    };
    auto expected = [&](const Vector<T>& d) {
        T acc(0);
        for (std::size_t s = 0; s < S; ++s) acc += d[s] * err[s];
        return acc;
    };
    const Judge<T> judge{rounding_tolerance<T>((S + 4) * (c.T + 1) * (c.T + 1))};
    Tally tally;
    T delta1 = expected(d1), delta2 = expected(d2);
    for (std::size_t t = 1; t <= c.T; ++t) {
        d1 = step(d1, P1);
        d2 = step(d2, P2);
        const T lhs = total_variation(d1.data(), d2.data(), S);
        const T tt = from_rational<T>(rational(static_cast<long>(t)));
        tally.add(judge.le(lhs, T(tt * delta1)), "t=" + std::to_string(t) + ", delta under p1", lhs, T(tt * delta1), "<=");
        tally.add(judge.le(lhs, T(tt * delta2)), "t=" + std::to_string(t) + ", delta under p2", lhs, T(tt * delta2), "<=");
        delta1 = max_of(delta1, expected(d1));
        delta2 = max_of(delta2, expected(d2));
    }
    return tally.f;
}

std::function<Finding(const Instance&, const Arith&)> bound_check(theorem th, branch_reading r,
                                                                  error_policy model = error_policy::updated) {
    return [th, r, model](const Instance& inst, const Arith& a) {
        return dispatch(a, [&]<class T>() { return check_bound<T>(inst, th, r, model); });
    };
}

const char* reading_text(branch_reading r) {
    switch (r) {
        case branch_reading::a:
            return "eta^branch:a — branch time tau ~ (1-gamma) gamma^t; pi_D on p before tau; k steps of pi on p_hat "
                   "from s_tau; the rollout ENDS after them (truncated); discount by absolute time";
        case branch_reading::a2:
            return "eta^branch:a2 — as :a, but after the k model steps pi continues on the true p";
        case branch_reading::a3:
            return "eta^branch:a3 — as :a, but after the k model steps pi_D continues on p (the data process resumes)";
        case branch_reading::b:
            return "eta^branch:b — k steps of pi on p_hat from rho, then pi_D on p forever (the appendix algebra)";
    }
    return "";
}

}  // namespace

void register_mbpo_claims(std::vector<Claim>& out) {
    const std::string eps_note =
        " eps_m = sup_t E_{s~d_t^{pi_D}, a~pi_D} D_TV(p||p_hat) is enclosed in [lower_T, upper_T] (docs/mbpo.md); "
        "holds when the bound holds at the lower end, refuted when it fails at the upper end.";
    out.push_back({"mbpo-4.1", "eta[pi] >= eta_hat[pi] - [2 gamma r_max (eps_m + 2 eps_pi)/(1-gamma)^2 + 4 r_max eps_pi/(1-gamma)]",
                   "mbpo-notes, Theorem 4.1",
                   "eta, eta_hat are discounted SUMS rho^T (I - gamma P^pi)^{-1} r^pi on p and p_hat." + eps_note,
                   draw_mbpo, bound_check(theorem::t41, branch_reading::b)});
    for (auto r : {branch_reading::a, branch_reading::a2, branch_reading::a3, branch_reading::b}) {
        const std::string suffix = std::string(":") + to_string(r);
        out.push_back({"mbpo-4.2" + suffix,
                       "eta[pi] >= eta^branch[pi] - 2 r_max [gamma^{k+1} eps_pi/(1-gamma)^2 + (gamma^k + 2) eps_pi/(1-gamma) + k (eps_m + 2 eps_pi)/(1-gamma)]",
                       "mbpo-notes, Theorem 4.2", std::string(reading_text(r)) + "." + eps_note, draw_mbpo,
                       bound_check(theorem::t42, r)});
        out.push_back({"mbpo-4.3" + suffix,
                       "eta[pi] >= eta^branch[pi] - 2 r_max [gamma^{k+1} eps_pi/(1-gamma)^2 + (gamma^k + 2) eps_pi/(1-gamma) + k eps_m'/(1-gamma)]",
                       "mbpo-notes, Theorem 4.3", std::string(reading_text(r)) +
                           ". eps_m' = sup_t E_{s~d_t^pi, a~pi} D_TV(p||p_hat) (claims.md: under pi; the notes write "
                           "E_{s~pi_D,t}), bracketed like eps_m.",
                       draw_mbpo, bound_check(theorem::t43, r)});
    }
    // The notes' Theorem 4.3 writes E_{s~pi_D,t} for eps_m' (claims.md: "under pi"): a labelled reading.
    out.push_back({"mbpo-4.3:b-notes",
                   "eta[pi] >= eta^branch[pi] - 2 r_max [gamma^{k+1} eps_pi/(1-gamma)^2 + (gamma^k + 2) eps_pi/(1-gamma) + k eps_m'/(1-gamma)]",
                   "mbpo-notes, Theorem 4.3 (eps_m' as the notes write it)",
                   std::string(reading_text(branch_reading::b)) +
                       ". eps_m' as the notes' Theorem 4.3 writes it: sup_t E_{s~d_t^{pi_D}, a~pi} D_TV(p||p_hat) "
                       "(states of the DATA process, actions of pi), bracketed like eps_m.",
                   draw_mbpo, bound_check(theorem::t43, branch_reading::b, error_policy::mixed)});
    out.push_back({"tv-chain", "D_TV(p1(x,y) || p2(x,y)) <= D_TV(p1(x) || p2(x)) + max_x D_TV(p1(y|x) || p2(y|x))",
                   "mbpo-notes (MBPO Lemma B.1), used by Theorems 4.1-4.3",
                   "max over the x with p1(x) > 0 and p2(x) > 0 (where both conditionals are defined; empty max = 0): "
                   "the strictest convention, implying every other choice for undefined conditionals",
                   draw_joint, [](const Instance& inst, const Arith& a) { return dispatch(a, [&]<class T>() { return check_tv_chain<T>(inst); }); }});
    out.push_back({"tv-accumulation", "equal initial distributions and per-step expected TV error <= delta give D_TV(p1^t || p2^t) <= t delta",
                   "mbpo-notes (MBPO Lemma B.2), used by Theorems 4.1-4.3",
                   "two Markov chains on S states; for t = 1..T, delta = max_{t'<t} E_{s~q^{t'}} D_TV(p1(.|s) || p2(.|s)) "
                   "with q = p1 and, separately, q = p2; p^t the state distribution at time t",
                   draw_chains, [](const Instance& inst, const Arith& a) { return dispatch(a, [&]<class T>() { return check_tv_accumulation<T>(inst); }); }});
}


// ------------------------------------------------------------------ rmdp mbpo (mbpo.hpp)

namespace {

json bracket_json(const ModelErrorBracket<rational>& b) {
    return {{"lower", b.lower().str()},
            {"upper", b.upper().str()},
            {"status", b.closed() ? "exact" : "bracketed"},
            {"horizon", b.horizon()}};
}

// gap / C for the true C in [c_lo, c_hi] (gap = reference - eta, the actual shortfall the bound allows
// for): an enclosure [lower, upper]. An end is null where it is unbounded: C(lo) = 0 < C(hi) makes the
// upper end +inf when gap > 0 and the lower end -inf when gap < 0. With C(hi) = 0 there is no ratio
// at all (both null; the verdict says whether gap <= 0) and "C_zero" is true.
json tightness(const rational& gap, const rational& c_lo, const rational& c_hi) {
    auto ratio = [&](const rational& c) { return c == 0 ? json(nullptr) : json(rational(gap / c).str()); };
    if (c_hi == 0) return {{"lower", nullptr}, {"upper", nullptr}, {"C_zero", true}};
    json t{{"lower", "0"}, {"upper", "0"}, {"C_zero", false}};  // gap = 0: 0 for every C > 0
    if (gap > 0) t["lower"] = ratio(c_hi), t["upper"] = ratio(c_lo);
    if (gap < 0) t["lower"] = ratio(c_lo), t["upper"] = ratio(c_hi);
    return t;
}

// The tightness table over random instances (docs/mbpo.md): per claim, min / median / max of the
// upper end of the tightness enclosure over the instances with C(hi) > 0, an unbounded upper end
// (C(lo) = 0 < C(hi), gap > 0) counted as +inf; instances with C = 0 (C(hi) = 0) counted apart.
struct TightnessColumn {
    std::vector<rational> finite;  // upper ends that are finite
    std::size_t unbounded = 0, zero_c = 0, refuted = 0, undecided = 0;
    // The i-th smallest upper end, the unbounded ones last; "inf" for those.
    json at(std::size_t i) const {
        return i < finite.size() ? json(finite[i].convert_to<double>()) : json("inf");
    }
};

}  // namespace

// Everything `rmdp mbpo` reports for one instance, exactly (docs/mbpo.md, "rmdp mbpo").
json mbpo_report(const MbpoData& data, std::size_t budget) {
    const MbpoModel<rational> m = convert<rational>(data);
    const rational eta = discounted_return(m.mdp, m.mdp.P, m.pi);
    const rational eta_hat = discounted_return(m.mdp, m.P_model, m.pi);
    const rational eps_pi = policy_divergence(m.pi, m.pi_data);
    auto eps_m = model_error_bracket(data, m, error_policy::data);
    auto eps_mp = model_error_bracket(data, m, error_policy::updated);
    auto eps_notes = model_error_bracket(data, m, error_policy::mixed);
    for (auto* b : {&eps_m, &eps_mp, &eps_notes})
        while (b->horizon() < budget && !b->closed()) b->advance();

    json out{{"arith", "exact"},
             {"states", data.S},
             {"actions", data.A},
             {"gamma", data.gamma.str()},
             {"r_max", data.r_max.str()},
             {"k", data.k},
             {"eta", eta.str()},
             {"eta_hat", eta_hat.str()},
             {"eps_pi", eps_pi.str()},
             {"eps_m", bracket_json(eps_m)},
             {"eps_m_prime", bracket_json(eps_mp)},
             {"eps_m_prime_notes", bracket_json(eps_notes)}};
    json branch = json::object();
    json bounds = json::array();
    auto add = [&](const std::string& id, const rational& reference, const rational& c_lo, const rational& c_hi) {
        const truth t = decide_bound(eta, reference, c_lo, c_hi, rational(0));
        bounds.push_back({{"claim", id},
                          {"reference", reference.str()},
                          {"C", {{"lower", c_lo.str()}, {"upper", c_hi.str()}}},
                          {"rhs", {{"with_lower_eps", rational(reference - c_lo).str()}, {"with_upper_eps", rational(reference - c_hi).str()}}},
                          {"gap", rational(reference - eta).str()},
                          {"verdict", outcome_word(t == truth::yes  ? TrialOutcome::kind::holds
                                                   : t == truth::no ? TrialOutcome::kind::refuted
                                                                    : TrialOutcome::kind::undecided)},
                          {"tightness", tightness(rational(reference - eta), c_lo, c_hi)}});
    };
    add("mbpo-4.1", eta_hat, bound_41(m, eps_m.lower(), eps_pi), bound_41(m, eps_m.upper(), eps_pi));
    for (auto r : {branch_reading::a, branch_reading::a2, branch_reading::a3, branch_reading::b}) {
        const rational eb = branched_return(m, r);
        branch[to_string(r)] = eb.str();
        const std::string suffix = std::string(":") + to_string(r);
        add("mbpo-4.2" + suffix, eb, bound_42(m, eps_m.lower(), eps_pi), bound_42(m, eps_m.upper(), eps_pi));
        add("mbpo-4.3" + suffix, eb, bound_43(m, eps_mp.lower(), eps_pi), bound_43(m, eps_mp.upper(), eps_pi));
    }
    // The notes' own eps_m' (s ~ d_t^{pi_D}, a ~ pi) with the :b branched return: claim mbpo-4.3:b-notes.
    add("mbpo-4.3:b-notes", parse_rational(branch["b"].get<std::string>()), bound_43(m, eps_notes.lower(), eps_pi),
        bound_43(m, eps_notes.upper(), eps_pi));
    out["eta_branch"] = branch;
    out["bounds"] = bounds;
    return out;
}

json mbpo_tightness_table(std::size_t trials, std::uint64_t seed, std::size_t budget) {
    std::map<std::string, TightnessColumn> columns;
    std::vector<std::string> order;
    for (std::size_t trial = 0; trial < trials; ++trial) {
        Rng rng(trial_seed(seed, trial));
        const json r = mbpo_report(random_mbpo(rng, GeneratorOptions{}, trial), budget);
        for (const auto& b : r["bounds"]) {
            const std::string id = b["claim"].get<std::string>();
            if (!columns.count(id)) order.push_back(id);
            auto& col = columns[id];
            if (b["verdict"] == outcome_word(TrialOutcome::kind::refuted)) ++col.refuted;
            if (b["verdict"] == outcome_word(TrialOutcome::kind::undecided)) ++col.undecided;
            const json& t = b["tightness"];
            if (t["C_zero"].get<bool>())
                ++col.zero_c;
            else if (t["upper"].is_null())
                ++col.unbounded;
            else
                col.finite.push_back(parse_rational(t["upper"].get<std::string>()));
        }
    }
    json out = json::array();
    for (const auto& id : order) {
        auto col = columns[id];
        std::sort(col.finite.begin(), col.finite.end());
        const std::size_t n = col.finite.size() + col.unbounded;
        json row{{"claim", id}, {"instances", trials}, {"C_zero", col.zero_c}, {"unbounded", col.unbounded},
                 {"refuted", col.refuted}, {"undecided", col.undecided}};
        if (n > 0) {
            row["min"] = col.at(0);
            row["median"] = col.at(n / 2);
            row["max"] = col.at(n - 1);
        }
        out.push_back(row);
    }
    return json{{"seed", seed}, {"trials", trials}, {"table", out}};
}

}  // namespace rmdp::checks
