#include "rmdp/mbpo.hpp"
#include "rmdp/deadline.hpp"

#include "rmdp/error.hpp"

#include <algorithm>

namespace rmdp {

namespace {

// max |r(s,a)|: the default r_max.
rational largest_reward(const std::vector<rational>& reward) {
    rational rmax = 0;
    for (const auto& r : reward) rmax = std::max(rmax, r < 0 ? rational(-r) : r);
    return rmax;
}

// The MBPO format reuses the MDP and policy parsers (same shapes, same exactness rules) and renames
// the field in their messages: the MDP parser calls the reward "cost" and the model kernel "P".
[[noreturn]] void rethrow_renamed(const input_error& e, const std::string& from, const std::string& to) {
    std::string field = e.field();
    if (field.compare(0, from.size(), from) == 0) field = to + field.substr(from.size());
    throw input_error(e.file(), field, e.problem());
}

MdpData parse_as_mdp(const json& j, const json& kernel, const std::string& file, const std::string& kernel_name) {
    json mdp{{"states", j.at("states")}, {"actions", j.at("actions")}, {"gamma", j.at("gamma")},
             {"cost", j.at("reward")}, {"P", kernel}};
    if (j.contains("rho")) mdp["rho"] = j.at("rho");
    try {
        return parse_mdp(mdp, file);
    } catch (const input_error& e) {
        if (e.field().compare(0, 4, "cost") == 0) rethrow_renamed(e, "cost", "reward");
        rethrow_renamed(e, "P", kernel_name);
    }
}

// The MBPO fields an MdpData holds (reward in the cost slot, kernel p); the inverse of true_mdp.
MbpoData from_mdp(const MdpData& mdp) {
    MbpoData m;
    m.S = mdp.S;
    m.A = mdp.A;
    m.gamma = mdp.gamma;
    m.reward = mdp.cost;
    m.P = mdp.P;
    m.rho = mdp.rho;
    return m;
}

PolicyData parse_named_policy(const json& j, const char* key, const MdpData& m, const std::string& file) {
    try {
        return parse_policy(json{{"policy", j.at(key)}}, m, file);
    } catch (const input_error& e) {
        rethrow_renamed(e, "policy", key);
    }
}

}  // namespace

MbpoData parse_mbpo(const json& j, const std::string& file) {
    if (!j.is_object()) throw input_error(file, "", std::string("expected a JSON object, found ") + j.type_name());
    static const char* known[] = {"states", "actions", "gamma", "reward", "r_max", "P", "P_model",
                                  "rho",    "pi_data", "pi",    "k",      "comment"};
    for (auto it = j.begin(); it != j.end(); ++it)
        if (std::none_of(std::begin(known), std::end(known), [&](const char* k) { return it.key() == k; }))
            throw input_error(file, it.key(), "unknown field");
    for (const char* key : {"states", "actions", "gamma", "reward", "P", "P_model", "pi_data", "pi", "k"})
        if (!j.contains(key)) throw input_error(file, key, "missing");

    const MdpData truth = parse_as_mdp(j, j.at("P"), file, "P");
    const MdpData model = parse_as_mdp(j, j.at("P_model"), file, "P_model");
    MbpoData m = from_mdp(truth);
    m.P_model = model.P;
    m.pi_data = parse_named_policy(j, "pi_data", truth, file);
    m.pi = parse_named_policy(j, "pi", truth, file);

    const json& k = j.at("k");
    // A cap on k keeps a typo from running for hours; branched returns cost O(k S^2).
    // Any integer JSON value (a program building the instance may store a signed one); the range decides.
    if (!k.is_number_integer() || (k.is_number_unsigned() ? k.get<std::uint64_t>() > 100000
                                                           : k.get<std::int64_t>() < 0 || k.get<std::int64_t>() > 100000))
        throw input_error(file, "k", "expected an integer branch length in 0..100000, found " + k.dump());
    m.k = k.get<std::size_t>();

    const rational rmax = largest_reward(m.reward);
    m.r_max = rmax;
    if (j.contains("r_max")) {
        m.r_max = parse_number(j.at("r_max"), file, "r_max");
        if (m.r_max < rmax)
            throw input_error(file, "r_max", m.r_max.str() + " is below max |r(s,a)| = " + rmax.str());
    }
    return m;
}

json to_json(const MbpoData& m) {
    const json mdp = to_json(true_mdp(m));
    json j{{"states", m.S},
           {"actions", m.A},
           {"gamma", m.gamma.str()},
           {"reward", mdp.at("cost")},
           {"r_max", m.r_max.str()},
           {"P", mdp.at("P")},
           {"P_model", to_json(m.P_model)},
           {"rho", mdp.at("rho")},
           {"pi_data", to_json(m.pi_data).at("policy")},
           {"pi", to_json(m.pi).at("policy")},
           {"k", m.k}};
    return j;
}

MdpData true_mdp(const MbpoData& m) {
    MdpData out;
    out.S = m.S;
    out.A = m.A;
    out.gamma = m.gamma;
    out.cost = m.reward;
    out.P = m.P;
    out.rho = m.rho;
    return out;
}

namespace {

// k in 0..min(40, 4 + trial), growing with the trial so that small counterexamples come first:
// Theorem 4.3's constant has no allowance for the drift of the state distributions before the branch,
// which outgrows its gamma^{k+1} eps_pi/(1-gamma)^2 term only for k >= 5 (docs/mbpo.md).
std::size_t draw_branch_length(Rng& rng, std::size_t trial) {
    return rng.below(1 + std::min<std::size_t>(40, 4 + trial));
}

// The absorbing-drift family (docs/mbpo.md, "Random instances"). State 0 (reward r_hi) stays under
// action 0 and falls into the absorbing trap 1 (reward r_lo) under action 1; rho = delta_0 and pi_D
// always plays action 0, so the data never leave state 0, while pi plays action 1 at state 0 with a
// small probability mu and drifts into the trap. With three states the model lets the trap escape to an
// absorbing state 2 (reward r_hi) with probability lambda: model error only where pi_D never goes.
MbpoData absorbing_drift(Rng& rng, const GeneratorOptions& opt, const rational& gamma) {
    static const std::int64_t mus[][2] = {{1, 1000}, {1, 100000}, {1, 1000000}};
    static const std::int64_t lambdas[][2] = {{1, 20}, {1, 4}, {1, 1}};
    MbpoData m;
    m.S = rng.chance(1, 2) ? 2 : 3;
    m.A = 2;
    m.gamma = gamma;
    const rational r_hi(opt.cost_max, opt.cost_denominator), r_lo(opt.cost_min, opt.cost_denominator);
    m.reward = {r_hi, r_hi, r_lo, r_lo};
    if (m.S == 3) m.reward.insert(m.reward.end(), {r_hi, r_hi});
    m.P = Kernel<rational>(m.S, m.A);
    m.P(0, 0, 0) = m.P(0, 1, 1) = 1;
    for (std::size_t s = 1; s < m.S; ++s) m.P(s, 0, s) = m.P(s, 1, s) = 1;
    m.P_model = m.P;
    if (m.S == 3) {
        const auto* l = lambdas[rng.below(3)];
        const rational lambda(l[0], l[1]);
        for (std::size_t a = 0; a < m.A; ++a) m.P_model(1, a, 1) = 1 - lambda, m.P_model(1, a, 2) = lambda;
    }
    m.rho.assign(m.S, rational(0));
    m.rho[0] = 1;
    m.pi_data = PolicyData{m.S, m.A, std::vector<rational>(m.S * m.A, rational(0))};
    for (std::size_t s = 0; s < m.S; ++s) m.pi_data.pi[s * m.A] = 1;
    m.pi = m.pi_data;
    const auto* u = mus[rng.below(3)];
    m.pi.pi[0] = 1 - rational(u[0], u[1]);
    m.pi.pi[1] = rational(u[0], u[1]);
    m.r_max = largest_reward(m.reward);
    return m;
}

}  // namespace

MbpoData random_mbpo(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    static const std::int64_t gammas[][2] = {{0, 1}, {1, 2}, {3, 4}, {9, 10}, {19, 20}, {99, 100}};
    static const std::int64_t lambdas[][2] = {{0, 1}, {1, 20}, {1, 4}, {1, 1}};
    static const std::int64_t mus[][2] = {{0, 1}, {1, 100000}, {1, 1000}, {1, 10}, {1, 2}, {1, 1}};
    if (rng.chance(1, 4)) {
        // The drift matters when eps_pi << 1 - gamma: gamma in {9/10, 19/20, 99/100}.
        const auto* g = gammas[3 + rng.below(3)];
        MbpoData m = absorbing_drift(rng, opt, rational(g[0], g[1]));
        m.k = draw_branch_length(rng, trial);
        return m;
    }
    const auto* g = gammas[rng.below(6)];
    const rational gamma(g[0], g[1]);
    const std::size_t S = 1 + rng.below(std::min<std::size_t>(opt.max_states, 1 + trial / 4));
    const std::size_t A = 1 + rng.below(std::min<std::size_t>(opt.max_actions, 1 + trial / 4));
    const MdpData base = random_mdp_sized(rng, opt, S, A, gamma);
    MbpoData m = from_mdp(base);
    const auto* l = lambdas[rng.below(4)];
    const rational lambda(l[0], l[1]);
    m.P_model = m.P;
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t a = 0; a < A; ++a) {
            const auto q = random_distribution(rng, S, opt.denominator);
            for (std::size_t t = 0; t < S; ++t) m.P_model(s, a, t) = (1 - lambda) * m.P(s, a, t) + lambda * q[t];
        }
    m.pi_data = random_policy(rng, base, opt);
    const PolicyData other = random_policy(rng, base, opt);
    const auto* u = mus[rng.below(6)];
    const rational mu(u[0], u[1]);
    m.pi = m.pi_data;
    for (std::size_t i = 0; i < m.pi.pi.size(); ++i) m.pi.pi[i] = (1 - mu) * m.pi_data.pi[i] + mu * other.pi[i];
    const rational rmax = largest_reward(m.reward);
    // |r| <= cost_max / cost_denominator by construction: a drawn larger r_max is the largest possible |r|.
    const rational loosest(std::max(-opt.cost_min, opt.cost_max), opt.cost_denominator);
    m.r_max = rng.chance(1, 4) ? std::max(rmax, loosest) : rmax;
    // Half the general instances keep k in 0..4, where the exact sums stay cheap.
    m.k = rng.chance(1, 2) ? rng.below(5) : draw_branch_length(rng, trial);
    return m;
}

const char* to_string(branch_reading r) {
    switch (r) {
        case branch_reading::a: return "a";
        case branch_reading::a2: return "a2";
        case branch_reading::a3: return "a3";
        case branch_reading::b: return "b";
    }
    return "?";
}

template <class T>
MbpoModel<T> convert(const MbpoData& m) {
    MbpoModel<T> out;
    out.mdp = convert<T>(true_mdp(m));
    out.P_model = convert<T>(m.P_model);
    out.pi_data = convert<T>(m.pi_data);
    out.pi = convert<T>(m.pi);
    out.r_max = from_rational<T>(m.r_max);
    out.k = m.k;
    return out;
}

template <class T>
T total_variation(const T* p, const T* q, std::size_t n) {
    using std::abs;
    T acc(0);
    for (std::size_t i = 0; i < n; ++i) acc += abs(T(p[i] - q[i]));
    return acc / T(2);
}

template <class T>
T max_of(const T& a, const T& b) {
    if constexpr (is_interval_v<T>) {
        // Both ends of max(x, y) over x in a, y in b are the maxima of the ends.
        mpfr_float alo, ahi, blo, bhi;
        mpfi_get_left(alo.backend().data(), a.backend().data());
        mpfi_get_right(ahi.backend().data(), a.backend().data());
        mpfi_get_left(blo.backend().data(), b.backend().data());
        mpfi_get_right(bhi.backend().data(), b.backend().data());
        T out;
        mpfi_interv_fr(out.backend().data(), (alo < blo ? blo : alo).backend().data(),
                       (ahi < bhi ? bhi : ahi).backend().data());
        return out;
    } else {
        return a < b ? b : a;
    }
}

template <class T>
T policy_divergence(const Policy<T>& pi, const Policy<T>& pi_data) {
    T eps(0);
    for (std::size_t s = 0; s < pi.rows; ++s)
        eps = max_of(eps, total_variation(&pi.data[s * pi.cols], &pi_data.data[s * pi.cols], pi.cols));
    return eps;
}

template <class T>
Vector<T> model_error(const Kernel<T>& P, const Kernel<T>& P_model, const Policy<T>& pol) {
    Vector<T> w(P.S, T(0));
    for (std::size_t s = 0; s < P.S; ++s)
        for (std::size_t a = 0; a < P.A; ++a)
            w[s] += pol(s, a) * total_variation(&P(s, a, 0), &P_model(s, a, 0), P.S);
    return w;
}

template <class T>
T discounted_return(const Mdp<T>& m, const Kernel<T>& P, const Policy<T>& pol) {
    const Vector<T> V = value(m, P, pol);
    T eta(0);
    for (std::size_t s = 0; s < m.S; ++s) eta += m.rho[s] * V[s];
    return eta;
}

template <class T>
T branched_return(const MbpoModel<T>& m, branch_reading r) {
    const Mdp<T>& mdp = m.mdp;
    const T& gamma = mdp.gamma;
    const std::size_t S = mdp.S;
    const Vector<T> r_pi = policy_cost(mdp.cost, m.pi);
    const Matrix<T> P_hat = policy_kernel(m.P_model, m.pi);
    // W = sum_{i<k} gamma^i Phat^i r^pi + gamma^k Phat^k V_after by Horner: W <- r^pi + gamma Phat W, k times.
    Vector<T> W(S, T(0));
    if (r == branch_reading::a2) W = value(mdp, mdp.P, m.pi);
    if (r == branch_reading::a3 || r == branch_reading::b) W = value(mdp, mdp.P, m.pi_data);
    // Exact Horner steps: W's denominators grow by those of gamma Phat each step, so k steps cost
    // about k^2 S^2 word operations times the entries' size; warn from 10^10 (tens of seconds).
    if (is_exact_v<T> && static_cast<double>(m.k) * m.k * S * S > 1e10)
        warn_predicted_work("an exact MBPO branch of k = " + std::to_string(m.k) + " steps on " + std::to_string(S) +
                            " states: exact entries grow with every step (cost about k^2 S^2); --time-limit SECONDS "
                            "bounds the run");
    for (std::size_t i = 0; i < m.k; ++i) {
        poll("MBPO branch step", i);
        Vector<T> next(r_pi);
        for (std::size_t s = 0; s < S; ++s)
            for (std::size_t t = 0; t < S; ++t) next[s] += gamma * P_hat(s, t) * W[t];
        W = std::move(next);
    }
    Vector<T> at_start = W;
    if (r != branch_reading::b) {
        // sum_t P(tau = t) [sum_{j<t} gamma^j mu_j r_D + gamma^t mu_t W] with P(tau > j) = gamma^{j+1} and
        // mu_t = rho^T P_D^t equals rho^T sum_t gamma^{2t} P_D^t (gamma r_D + (1-gamma) W).
        const Vector<T> r_D = policy_cost(mdp.cost, m.pi_data);
        Matrix<T> rhs(S, 1);
        for (std::size_t s = 0; s < S; ++s) rhs(s, 0) = gamma * r_D[s] + (T(1) - gamma) * W[s];
        at_start = resolvent_solve(T(gamma * gamma), policy_kernel(mdp.P, m.pi_data), rhs, side::right).data;
    }
    T eta(0);
    for (std::size_t s = 0; s < S; ++s) eta += mdp.rho[s] * at_start[s];
    return eta;
}

template <class T>
ModelErrorBracket<T>::ModelErrorBracket(const Matrix<T>& P, const Vector<T>& w, const Vector<T>& rho,
                                        std::vector<bool> reachable)
    : P_(P), w_(w), d_(rho), Pw_(w), reach_(std::move(reachable)), lower_(0), upper_(0) {
    for (std::size_t s = 0; s < w_.size(); ++s) lower_ += d_[s] * w_[s];
    update_upper();
}

template <class T>
void ModelErrorBracket<T>::update_upper() {
    T tail = lower_;
    for (std::size_t s = 0; s < Pw_.size(); ++s)
        if (reach_[s]) tail = max_of(tail, Pw_[s]);
    upper_ = tail;
}

template <class T>
void ModelErrorBracket<T>::advance() {
    poll("model-error bracket step", T_);
    const std::size_t S = w_.size();
    Vector<T> d(S, T(0)), Pw(S, T(0));
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t t = 0; t < S; ++t) {
            d[t] += d_[s] * P_(s, t);
            Pw[s] += P_(s, t) * Pw_[t];
        }
    d_ = std::move(d);
    Pw_ = std::move(Pw);
    ++T_;
    T dw(0);
    for (std::size_t s = 0; s < S; ++s) dw += d_[s] * w_[s];
    lower_ = max_of(lower_, dw);
    update_upper();
}

template <class T>
bool ModelErrorBracket<T>::closed() const {
    if constexpr (is_exact_v<T>)
        return lower_ == upper_;
    else
        return false;
}

std::vector<bool> reachable_states(const Kernel<rational>& P, const PolicyData& pol, const std::vector<rational>& rho) {
    const Matrix<rational> M = policy_kernel(P, convert<rational>(pol));
    std::vector<bool> reach(P.S, false);
    std::vector<std::size_t> stack;
    for (std::size_t s = 0; s < P.S; ++s)
        if (rho[s] != 0) {
            reach[s] = true;
            stack.push_back(s);
        }
    while (!stack.empty()) {
        const std::size_t s = stack.back();
        stack.pop_back();
        for (std::size_t t = 0; t < P.S; ++t)
            if (!reach[t] && M(s, t) != 0) {
                reach[t] = true;
                stack.push_back(t);
            }
    }
    return reach;
}

template <class T>
ModelErrorBracket<T> model_error_bracket(const MbpoData& data, const MbpoModel<T>& m, error_policy which) {
    const bool data_states = which != error_policy::updated;
    const Policy<T>& states = data_states ? m.pi_data : m.pi;
    const Policy<T>& actions = which == error_policy::data ? m.pi_data : m.pi;
    return ModelErrorBracket<T>(policy_kernel(m.mdp.P, states), model_error(m.mdp.P, m.P_model, actions), m.mdp.rho,
                                reachable_states(data.P, data_states ? data.pi_data : data.pi, data.rho));
}

namespace {
template <class T>
T power(const T& x, std::size_t n) {
    T out(1);
    for (std::size_t i = 0; i < n; ++i) out *= x;
    return out;
}
}  // namespace

template <class T>
T bound_41(const MbpoModel<T>& m, const T& eps_m, const T& eps_pi) {
    const T one_minus = T(1) - m.mdp.gamma;
    return T(2) * m.mdp.gamma * m.r_max * (eps_m + T(2) * eps_pi) / (one_minus * one_minus) +
           T(4) * m.r_max * eps_pi / one_minus;
}

namespace {
// 2 r_max [gamma^{k+1} eps_pi/(1-gamma)^2 + (gamma^k + 2) eps_pi/(1-gamma) + k model/(1-gamma)]: the shape
// shared by Theorems 4.2 and 4.3, which differ only in the model term.
template <class T>
T branched_bound(const MbpoModel<T>& m, const T& model, const T& eps_pi) {
    const T one_minus = T(1) - m.mdp.gamma;
    const T gk = power(m.mdp.gamma, m.k);
    const T kk = from_rational<T>(rational(static_cast<long>(m.k)));
    return T(2) * m.r_max *
           (gk * m.mdp.gamma * eps_pi / (one_minus * one_minus) + (gk + T(2)) * eps_pi / one_minus + kk * model / one_minus);
}
}  // namespace

template <class T>
T bound_42(const MbpoModel<T>& m, const T& eps_m, const T& eps_pi) {
    return branched_bound(m, T(eps_m + T(2) * eps_pi), eps_pi);
}

template <class T>
T bound_43(const MbpoModel<T>& m, const T& eps_m_prime, const T& eps_pi) {
    return branched_bound(m, eps_m_prime, eps_pi);
}

template <class T>
truth decide_bound(const T& eta, const T& reference, const T& c_lower, const T& c_upper, const T& slack) {
    const T allowed = eta + slack;
    if (scalar_traits<T>::le(T(reference - c_lower), allowed) == truth::yes) return truth::yes;
    if (scalar_traits<T>::le(T(reference - c_upper), allowed) == truth::no) return truth::no;
    return truth::unknown;
}

#define RMDP_MBPO_INSTANTIATE(T)                                                                    \
    template MbpoModel<T> convert(const MbpoData&);                                                 \
    template T total_variation(const T*, const T*, std::size_t);                                   \
    template T policy_divergence(const Policy<T>&, const Policy<T>&);                              \
    template Vector<T> model_error(const Kernel<T>&, const Kernel<T>&, const Policy<T>&);          \
    template T discounted_return(const Mdp<T>&, const Kernel<T>&, const Policy<T>&);               \
    template T branched_return(const MbpoModel<T>&, branch_reading);                               \
    template class ModelErrorBracket<T>;                                                           \
    template ModelErrorBracket<T> model_error_bracket(const MbpoData&, const MbpoModel<T>&, error_policy); \
    template T bound_41(const MbpoModel<T>&, const T&, const T&);                                  \
    template T bound_42(const MbpoModel<T>&, const T&, const T&);                                  \
    template T bound_43(const MbpoModel<T>&, const T&, const T&);                                  \
    template T max_of(const T&, const T&);                                                         \
    template truth decide_bound(const T&, const T&, const T&, const T&, const T&);
RMDP_ALL_SCALARS(RMDP_MBPO_INSTANTIATE)
#undef RMDP_MBPO_INSTANTIATE

}  // namespace rmdp
