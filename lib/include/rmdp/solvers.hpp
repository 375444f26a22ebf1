// Solvers: exact robust policy evaluation and exact optimal robust policies (policy iteration),
// robust value iteration with an error-bounding stopping rule. Solvers may be clever; their
// answers are verified by checks that use only the operators of robust.hpp. Exact and MPFR
// robust_value / robust_solve start from a double run's policy and worst-case kernel (when the data
// fit in double); the start changes the iteration count, never the termination rule.
#pragma once

#include "rmdp/robust.hpp"

#include <optional>

namespace rmdp {

template <class T>
struct RobustEvaluation {
    Vector<T> V;        // V_r^pi
    Kernel<T> kernel;   // a worst-case kernel u_pi (attains V_r^pi)
    // max_{p in U_{s,a}} <p, V> at the returned V (S x A): worst_case_values(U, P_N, V), computed
    // by the last switch test, so robust_q(V) = c + gamma * worst_values needs no further pass.
    Matrix<T> worst_values;
    std::size_t iterations = 0;  // kernels evaluated
};

// V_r^pi by policy iteration of nature: evaluate the current kernel exactly, switch (s,a) rows to
// the worst case of the new V only where that is strictly better, repeat. Nature faces an MDP that
// maximises cost with finitely many candidate rows (worst cases are vertices determined by the
// order of V), each switch strictly increases V_u^pi, so no kernel repeats and the loop ends with
// T_r^pi V = V (docs/robust.md). `start` warm-starts nature (e.g. from the previous policy's u).
template <class T>
RobustEvaluation<T> robust_value(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi,
                                 const Kernel<T>* start = nullptr, std::size_t max_iterations = 100000);

template <class T>
struct RobustSolution {
    Policy<T> policy;   // deterministic
    Vector<T> V;        // V* = V_r^{pi*}
    Matrix<T> Q;        // robust_q at V*
    Kernel<T> kernel;   // u_{pi*}
    std::size_t policy_iterations = 0, nature_iterations = 0;
};

// Robust policy iteration: each deterministic policy is evaluated exactly against nature's best
// response (robust_value); the policy switches at s only to an action with strictly smaller
// robust Q. Then T_r^{pi'} V <= V with strict inequality where it switched, so V_r^{pi'} <= V_r^pi
// with strict decrease somewhere: no policy repeats, and there are finitely many.
template <class T>
RobustSolution<T> robust_solve(const Mdp<T>& m, const UncertaintySet<T>& U, std::size_t max_iterations = 100000);

// Robust value iteration V_{k+1} = T_r V_k from V_0 = 0, stopped when
// gamma/(1-gamma) ||V_{k+1} - V_k||_inf <= eps, which gives ||V_{k+1} - V*||_inf <= eps by the
// gamma-contraction of T_r (in exact arithmetic; rounding is reported separately). In floating
// point an eps at or below the rounding floor (factor * 4(S+A+2) u c_max/(1-gamma)) is refused with
// std::invalid_argument; eps = 0 means twice that floor.
template <class T>
struct ValueIterationResult {
    Vector<T> V;
    std::size_t iterations = 0;
    T last_step;  // ||V_{k+1} - V_k||_inf at the stop
};

template <class T>
ValueIterationResult<T> robust_value_iteration(const Mdp<T>& m, const UncertaintySet<T>& U, const T& eps,
                                               std::size_t max_iterations = 10000000);

#define RMDP_SOLVERS_EXTERN(T)                                                                                  \
    extern template RobustEvaluation<T> robust_value(const Mdp<T>&, const UncertaintySet<T>&, const Policy<T>&, \
                                                     const Kernel<T>*, std::size_t);                            \
    extern template RobustSolution<T> robust_solve(const Mdp<T>&, const UncertaintySet<T>&, std::size_t);       \
    extern template ValueIterationResult<T> robust_value_iteration(const Mdp<T>&, const UncertaintySet<T>&,     \
                                                                   const T&, std::size_t);
RMDP_ORDERED_SCALARS(RMDP_SOLVERS_EXTERN)
#undef RMDP_SOLVERS_EXTERN

}  // namespace rmdp
