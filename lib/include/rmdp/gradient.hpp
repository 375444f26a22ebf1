// Policy gradients of claims.md "Gradients" and the objects of "Variational inequality"
// (docs/gradients.md): the fixed-kernel policy gradient, the robust (sub)gradient of
// f_rho(pi) = rho . V_r^pi, its exact one-sided directional derivatives (Danskin), and the
// stationary distribution the variational-inequality identities weight with.
//
// Directional derivative. For feasible delta (rows sum to 0, delta >= 0 where pi = 0),
//   f_rho'(pi; delta) = max_{u in x_{s,a} F_{s,a}} rho^T (I - gamma P_u^pi)^{-1} h,
//   h(s) = sum_a delta(s,a) Q_r^pi(s,a),  F_{s,a} = argmax_{p in U_{s,a}} <p, V_r^pi>,
// i.e. rho . W with W the robust value of the "derivative MDP" (state cost h, policy pi, sets
// F_{s,a}); W is the unique fixed point of the gamma-contraction derivative_bellman.
#pragma once

#include "rmdp/model.hpp"
#include "rmdp/robust.hpp"

#include <utility>
#include <vector>

namespace rmdp {

// g[s',a] = 1/(1-gamma) d_start^{pi,u}(s') Q_u^pi(s',a), the gradient of start . V_u^pi on Pi
// (start = e_s: the notes' gradient of V_u^pi(s); start = rho: of rho . V_u^pi).
template <class T>
Matrix<T> policy_gradient(const Mdp<T>& m, const Kernel<T>& P, const Policy<T>& pi, const Vector<T>& start);

template <class T>
struct RobustGradient {
    T f;                  // f_rho(pi) = rho . V_r^pi
    Vector<T> V;          // V_{u_pi}^pi (= V_r^pi when u_pi is a worst case; callers verify)
    Kernel<T> kernel;     // u_pi = worst_case_kernel(V): lowest-index maximisers
    Matrix<T> Q;          // Q_{u_pi}^pi (= Q_r^pi, since V_{u_pi}^pi = V_r^pi)
    Vector<T> occupancy;  // d_rho^{pi,u_pi}
    Matrix<T> gradient;   // grad f_rho(pi)[s,a] = 1/(1-gamma) d_rho^{pi,u_pi}(s) Q_{u_pi}^pi(s,a)
};

// The notes' robust (sub)gradient at pi, with rho = m.rho.
template <class T>
RobustGradient<T> robust_gradient(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi);

// The same objects computed from a kernel u alone (V = V_u^pi, Q = Q_u^pi, d_rho^{pi,u}); for any
// worst-case kernel u of V_r^pi (any u in x F_{s,a}) this is a version of the notes' gradient.
template <class T>
RobustGradient<T> robust_gradient_at(const Mdp<T>& m, const Policy<T>& pi, const Kernel<T>& u);

// h(s) = sum_a delta(s,a) Q(s,a): the derivative MDP's state cost.
template <class T>
Vector<T> derivative_cost(const Matrix<T>& Q, const Matrix<T>& delta);

// (T_F W)(s) = h(s) + gamma sum_a pi(a|s) max_{p in F_{s,a}(V)} <p, W>  (worst_case_on_face).
template <class T>
Vector<T> derivative_bellman(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi, const Vector<T>& V,
                             const Vector<T>& h, const Vector<T>& W);

template <class T>
struct DirectionalDerivative {
    T value;           // f_rho'(pi; delta) = rho . W
    Vector<T> h;       // derivative_cost(Q_r^pi, delta)
    Vector<T> W;       // the derivative MDP's robust value (certificate: derivative_bellman(W) = W)
    Kernel<T> kernel;  // a kernel in x F_{s,a} attaining W
    std::size_t iterations = 0;
};

// f_rho'(pi; delta) for V = V_r^pi, by nature's policy iteration restricted to the faces: evaluate
// W = (I - gamma P_u^pi)^{-1} h, switch rows to worst_case_on_face(V, W) only where strictly
// better. The candidate rows are finitely many (determined by the order of (V, W) or by the listed
// points) and W increases strictly at every switch that matters, so no kernel recurs
// (docs/gradients.md). Ordered arithmetics; in floating point a switch must win by a rounding margin.
template <class T>
DirectionalDerivative<T> directional_derivative(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi,
                                                const Vector<T>& V, const Matrix<T>& delta);

// The largest t <= 1 with pi + t delta in Pi (0 when delta leaves Pi at once).
template <class T>
T max_feasible_step(const Policy<T>& pi, const Matrix<T>& delta);

// Evidence, not a verdict: (t_k, (f(pi + t_k delta) - f(pi))/t_k - fprime) for t_k = tau 2^{-k},
// k = 1..count, tau = max_feasible_step(pi, delta); f = rho . V_r exactly at each pi + t_k delta.
template <class T>
std::vector<std::pair<T, T>> directional_remainders(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi,
                                                    const Matrix<T>& delta, const T& f, const T& fprime,
                                                    std::size_t count);

// A stationary distribution nu = nu P of a row-stochastic P: the unique one of the closed
// communicating class that contains the lowest-index recurrent state (zero elsewhere). When P has
// one closed class it is THE stationary distribution.
template <class T>
Vector<T> stationary_distribution(const Matrix<T>& P);

#define RMDP_GRADIENT_EXTERN(T)                                                                                      \
    extern template Matrix<T> policy_gradient(const Mdp<T>&, const Kernel<T>&, const Policy<T>&, const Vector<T>&); \
    extern template RobustGradient<T> robust_gradient(const Mdp<T>&, const UncertaintySet<T>&, const Policy<T>&);    \
    extern template RobustGradient<T> robust_gradient_at(const Mdp<T>&, const Policy<T>&, const Kernel<T>&);         \
    extern template Vector<T> derivative_cost(const Matrix<T>&, const Matrix<T>&);                                  \
    extern template Vector<T> derivative_bellman(const Mdp<T>&, const UncertaintySet<T>&, const Policy<T>&,         \
                                                 const Vector<T>&, const Vector<T>&, const Vector<T>&);              \
    extern template DirectionalDerivative<T> directional_derivative(const Mdp<T>&, const UncertaintySet<T>&,        \
                                                                    const Policy<T>&, const Vector<T>&,              \
                                                                    const Matrix<T>&);                               \
    extern template T max_feasible_step(const Policy<T>&, const Matrix<T>&);                                        \
    extern template std::vector<std::pair<T, T>> directional_remainders(                                             \
        const Mdp<T>&, const UncertaintySet<T>&, const Policy<T>&, const Matrix<T>&, const T&, const T&, std::size_t); \
    extern template Vector<T> stationary_distribution(const Matrix<T>&);
RMDP_ORDERED_SCALARS(RMDP_GRADIENT_EXTERN)
#undef RMDP_GRADIENT_EXTERN

}  // namespace rmdp
