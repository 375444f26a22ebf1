// Solvers: exact robust policy evaluation and exact optimal robust policies (policy iteration),
// robust value iteration with an error-bounding stopping rule. Solvers may be clever; their
// answers are verified by checks that use only the operators of robust.hpp. Exact and MPFR
// robust_value / robust_solve start from a double run's policy and worst-case kernel (when the data
// fit in double); the start changes the iteration count, never the termination rule.
#pragma once

#include "rmdp/robust.hpp"

#include <functional>
#include <optional>

namespace rmdp {

// Nature's policy iteration, the one loop behind robust_value (nature maximises <p, V> over U) and
// directional_derivative (over the faces F_{s,a}(V), against W): from `kernel`, repeat
//   W = evaluate(kernel); best = best_response(W);
//   switch row (s,a) to best(s,a,.) only where <best, W> > <kernel, W> + margin
// until no row switches, and return the number of evaluations (W and kernel hold the last ones).
// The candidate rows are finitely many and W increases strictly at every switch, so no kernel
// recurs (docs/robust.md); margin = 0 in exact arithmetic, 4(S+2) u ||W|| in floating point (two
// dot products differ by rounding alone by up to half of that; without it tied rows chase rounding
// noise). For MPFI a switch the enclosures cannot decide throws undecided_comparison. `values`, when
// given, receives <best(s,a,.), W> at the last W (S x A). `what` names the loop in messages and
// progress; after max_iterations evaluations it throws std::runtime_error.
template <class T>
std::size_t nature_policy_iteration(Kernel<T>& kernel, Vector<T>& W,
                                    const std::function<Vector<T>(const Kernel<T>&)>& evaluate,
                                    const std::function<Kernel<T>(const Vector<T>&)>& best_response,
                                    Matrix<T>* values, const char* what, std::size_t max_iterations);

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
// MPFI: nature is solved in MPFR on the midpoints (untrusted), and V is the enclosure
// V~ +- ||T_r^pi V~ - V~|| / (1-gamma) of V_r^pi around that MPFR V~ (T_r^pi a gamma-contraction; the
// residual computed in MPFI at the point V~, whose order is always decided); kernel and worst_values
// are the worst cases at the enclosure of V_r^pi, so their orderings are filtered (they throw
// undecided_comparison where the enclosure does not order V, e.g. at exact ties).
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
// MPFI: V* is enclosed as V~ +- ||T_r V~ - V~|| / (1-gamma) around an MPFR solution V~, Q = robust_q
// at that enclosure, and the policy is the argmin of Q decided by the enclosures (filtered: it throws
// undecided_comparison where two actions' Q overlap). It is certified optimal: Q(s, pi(s)) <= Q(s, a)
// for every a at the exact V*, so T_r^pi V* = T_r V* = V*, i.e. V_r^pi = V*.
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
// Intervals: no value iteration (its stopping rule compares rounded steps; use robust_solve).
extern template RobustEvaluation<mpfi_float> robust_value(const Mdp<mpfi_float>&, const UncertaintySet<mpfi_float>&,
                                                          const Policy<mpfi_float>&, const Kernel<mpfi_float>*, std::size_t);
extern template RobustSolution<mpfi_float> robust_solve(const Mdp<mpfi_float>&, const UncertaintySet<mpfi_float>&, std::size_t);
#define RMDP_NATURE_EXTERN(T)                                                                                       \
    extern template std::size_t nature_policy_iteration(Kernel<T>&, Vector<T>&,                                     \
                                                        const std::function<Vector<T>(const Kernel<T>&)>&,          \
                                                        const std::function<Kernel<T>(const Vector<T>&)>&, Matrix<T>*, \
                                                        const char*, std::size_t);
RMDP_ALL_SCALARS(RMDP_NATURE_EXTERN)
#undef RMDP_NATURE_EXTERN

}  // namespace rmdp
