#include "rmdp/gradient.hpp"

#include "rmdp/error.hpp"
#include "rmdp/solvers.hpp"

#include <stdexcept>
#include <string>

namespace rmdp {

namespace {

// g[s,a] = d(s) Q(s,a) / (1 - gamma): the notes' gradient, for an occupancy d and a Q-function.
template <class T>
Matrix<T> scaled_gradient(const Vector<T>& d, const Matrix<T>& Q, const T& gamma) {
    Matrix<T> g(Q.rows, Q.cols);
    const T scale = T(1) - gamma;
    for (std::size_t s = 0; s < Q.rows; ++s)
        for (std::size_t a = 0; a < Q.cols; ++a) g(s, a) = d[s] * Q(s, a) / scale;
    return g;
}

}  // namespace

template <class T>
Matrix<T> policy_gradient(const Mdp<T>& m, const Kernel<T>& P, const Policy<T>& pi, const Vector<T>& start) {
    const Matrix<T> Q = q_value(m, P, value(m, P, pi));
    return scaled_gradient(occupancy(m, P, pi, start), Q, m.gamma);
}

template <class T>
RobustGradient<T> robust_gradient_at(const Mdp<T>& m, const Policy<T>& pi, const Kernel<T>& u) {
    RobustGradient<T> g;
    g.kernel = u;
    g.V = value(m, u, pi);
    g.f = dot(m.rho, g.V);
    g.Q = q_value(m, u, g.V);
    g.occupancy = occupancy(m, u, pi, m.rho);
    g.gradient = scaled_gradient(g.occupancy, g.Q, m.gamma);
    return g;
}

template <class T>
RobustGradient<T> robust_gradient(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi) {
    const Vector<T> V = robust_value(m, U, pi).V;
    return robust_gradient_at(m, pi, worst_case_kernel(U, m.P, V));
}

template <class T>
Vector<T> derivative_cost(const Matrix<T>& Q, const Matrix<T>& delta) {
    Vector<T> h(Q.rows);
    for (std::size_t s = 0; s < Q.rows; ++s) h[s] = inner_at(delta, Q, s);
    return h;
}

template <class T>
Vector<T> derivative_bellman(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi, const Vector<T>& V,
                             const Vector<T>& h, const Vector<T>& W) {
    Vector<T> out = h;
    for (std::size_t s = 0; s < m.S; ++s)
        for (std::size_t a = 0; a < m.A; ++a)
            if (!is_certainly_zero(pi(s, a))) out[s] += m.gamma * pi(s, a) * worst_case_on_face(U, m.P, s, a, V, W).value;
    return out;
}

template <class T>
DirectionalDerivative<T> directional_derivative(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi,
                                                const Vector<T>& V, const Matrix<T>& delta) {
    DirectionalDerivative<T> r;
    r.h = derivative_cost(robust_q(m, U, V), delta);
    r.kernel = worst_case_kernel(U, m.P, V);  // a point of x F_{s,a}: every candidate stays there
    r.iterations = nature_policy_iteration<T>(
        r.kernel, r.W,
        [&](const Kernel<T>& u) { return resolvent_solve(m.gamma, policy_kernel(u, pi), column(r.h), side::right).data; },
        [&](const Vector<T>& W) { return worst_case_kernel_on_face(U, m.P, V, W); }, nullptr,
        "directional_derivative: nature's policy iteration on the faces", 100000);
    r.value = dot(m.rho, r.W);
    return r;
}

template <class T>
T max_feasible_step(const Policy<T>& pi, const Matrix<T>& delta) {
    T tau(1);
    for (std::size_t i = 0; i < pi.data.size(); ++i)
        if (less(delta.data[i], T(0))) tau = smaller(tau, T(pi.data[i] / T(-delta.data[i])));
    return tau;
}

template <class T>
std::vector<std::pair<T, T>> directional_remainders(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi,
                                                    const Matrix<T>& delta, const T& f, const T& fprime,
                                                    std::size_t count) {
    std::vector<std::pair<T, T>> out;
    T t = max_feasible_step(pi, delta);
    if (is_zero(t)) throw std::invalid_argument("the direction leaves the policy simplex at once (no step t > 0 is feasible)");
    for (std::size_t k = 1; k <= count; ++k) {
        t /= 2;
        Policy<T> moved = pi;
        for (std::size_t i = 0; i < moved.data.size(); ++i) moved.data[i] += t * delta.data[i];
        const Vector<T> V = robust_value(m, U, moved).V;
        if constexpr (is_exact_v<T>) {
            const Vector<T> TV = robust_bellman(m, U, moved, V);
            if (TV != V) throw std::logic_error("robust_value returned V with T_r^pi V != V");
        }
        out.emplace_back(t, (dot(m.rho, V) - f) / t - fprime);
    }
    return out;
}

template <class T>
Vector<T> stationary_distribution(const Matrix<T>& P) {
    const std::size_t n = P.rows;
    // reach[i][j]: j can be reached from i (i itself included), on the exact support of P.
    std::vector<std::vector<bool>> reach(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<bool> from(n, false);
        from[i] = true;
        reach[i] = reachable(P, std::move(from));
    }
    std::size_t r = 0;  // the lowest-index recurrent state: everything it reaches reaches it back
    for (;; ++r) {
        bool recurrent = true;
        for (std::size_t j = 0; j < n && recurrent; ++j) recurrent = !reach[r][j] || reach[j][r];
        if (recurrent) break;
    }
    std::vector<std::size_t> C;
    for (std::size_t j = 0; j < n; ++j)
        if (reach[r][j]) C.push_back(j);
    // nu (I - P_C) = 0 on the closed class C, one (redundant) balance equation replaced by sum nu = 1.
    const std::size_t k = C.size();
    Matrix<T> M(k, k);
    Vector<T> b(k, T(0));
    for (std::size_t e = 0; e + 1 < k; ++e)
        for (std::size_t i = 0; i < k; ++i) M(e, i) = (i == e ? T(1) : T(0)) - P(C[i], C[e]);
    for (std::size_t i = 0; i < k; ++i) M(k - 1, i) = T(1);
    b[k - 1] = T(1);
    Vector<T> x;
    try {
        x = lu_solve(M, column(b)).data;
    } catch (const std::domain_error&) {  // the balance equations of a closed class have rank k - 1
        throw std::logic_error("stationary_distribution: singular system");
    }
    Vector<T> nu(n, T(0));
    for (std::size_t i = 0; i < k; ++i) nu[C[i]] = x[i];
    return nu;
}

#define RMDP_GRADIENT_INSTANTIATE(T)                                                                          \
    template Matrix<T> policy_gradient(const Mdp<T>&, const Kernel<T>&, const Policy<T>&, const Vector<T>&); \
    template RobustGradient<T> robust_gradient(const Mdp<T>&, const UncertaintySet<T>&, const Policy<T>&);    \
    template RobustGradient<T> robust_gradient_at(const Mdp<T>&, const Policy<T>&, const Kernel<T>&);         \
    template Vector<T> derivative_cost(const Matrix<T>&, const Matrix<T>&);                                  \
    template Vector<T> derivative_bellman(const Mdp<T>&, const UncertaintySet<T>&, const Policy<T>&,         \
                                          const Vector<T>&, const Vector<T>&, const Vector<T>&);              \
    template DirectionalDerivative<T> directional_derivative(const Mdp<T>&, const UncertaintySet<T>&,        \
                                                             const Policy<T>&, const Vector<T>&, const Matrix<T>&); \
    template T max_feasible_step(const Policy<T>&, const Matrix<T>&);                                        \
    template std::vector<std::pair<T, T>> directional_remainders(const Mdp<T>&, const UncertaintySet<T>&,    \
                                                                 const Policy<T>&, const Matrix<T>&, const T&, \
                                                                 const T&, std::size_t);                      \
    template Vector<T> stationary_distribution(const Matrix<T>&);
RMDP_ALL_SCALARS(RMDP_GRADIENT_INSTANTIATE)

}  // namespace rmdp
