#include "rmdp/mbpo.hpp"
#include "rmdp/deadline.hpp"

#include <algorithm>
#include <utility>

namespace rmdp {

namespace {
// The fields an MBPO instance shares with its true MDP, paired once: f(mbpo field, MDP field).
template <class M, class D, class F>
void shared_fields(M& mbpo, D& mdp, F&& f) {
    f(mbpo.S, mdp.S);
    f(mbpo.A, mdp.A);
    f(mbpo.gamma, mdp.gamma);
    f(mbpo.reward, mdp.cost);
    f(mbpo.P, mdp.P);
    f(mbpo.rho, mdp.rho);
}
}  // namespace

MdpData true_mdp(const MbpoData& m) {
    MdpData out;
    shared_fields(m, out, [](const auto& from, auto& to) { to = from; });
    return out;
}

MbpoData from_true_mdp(const MdpData& mdp) {
    MbpoData out;
    shared_fields(out, mdp, [](auto& to, const auto& from) { to = from; });
    return out;
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
        return interval_max(a, b);
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
    std::vector<bool> from(P.S, false);
    for (std::size_t s = 0; s < P.S; ++s) from[s] = rho[s] != 0;
    return reachable(M, std::move(from));
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
