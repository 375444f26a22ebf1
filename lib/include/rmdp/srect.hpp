// The s-rectangular L1 set "s-l1" (sets/s_l1.hpp): U = x_s U_s,
//   U_s = {(p_a)_a : p_a in simplex, sum_a sum_i w(s,a,i) |p_a(i) - q_a(i)| <= r(s)}.
// Nature's worst case at s couples the actions and depends on the policy row pi(.|s), so the
// operators take the policy (docs/robust.md, "s-rectangular L1"):
//   T_r^pi V (s)  = c^pi(s) + gamma max_{p in U_s} sum_a pi(a|s) <p_a, V>           s_robust_bellman
//   T_r V (s)     = min_{pi(.|s) in simplex} max_{p in U_s} sum_a pi(a|s) (c(s,a) + gamma <p_a, V>)
//                                                                                   s_robust_bellman_optimal
//   V_r^pi        = the fixed point of T_r^pi (nature's policy iteration)             s_robust_value
//   V*            = the fixed point of T_r; optimal policies may be stochastic       s_robust_solve
//
// Nature's best response (s_best_response) is exact in rationals: an L1 move of mass x from i to j
// in action a costs x (w(s,a,i) + w(s,a,j)) of the budget and gains pi_a x (V_j - V_i). Every
// p in U_s is such a transport from the states that lose mass to those that gain it, at exactly
// its cost, so max over U_s = a linear multiple-choice knapsack: each donor (a, i) splits its mass
// q_a(i) among "stay" and the receivers j; its gain as a function of the budget it spends is the
// upper concave envelope of {(0,0)} u {(w_i + w_j, pi_a (V_j - V_i))} scaled by q_a(i), and one
// shared budget over concave pieces is maximised by taking the pieces of largest slope first.
// Unweighted, every receiver costs 2 and the envelope is one piece to the top state of V.
#pragma once

#include "rmdp/solvers.hpp"

#include <optional>

namespace rmdp {

// max_{p in U_s} sum_a pi_a <p_a, V> and a maximiser (rows p_a, A x S; p_a = q_a where pi_a = 0).
template <class T>
struct StateResponse {
    Matrix<T> p;  // A x S
    T value;      // sum_a pi_a <p_a, V>
};

template <class T>
StateResponse<T> s_best_response(const SL1Ball<T>& U, const Kernel<T>& nominal, std::size_t s, const T* pi_row,
                                 const Vector<T>& V);

// The kernel whose rows at s are s_best_response(pi(.|s), V): a worst-case kernel for pi at V.
template <class T>
Kernel<T> s_worst_case_kernel(const SL1Ball<T>& U, const Kernel<T>& nominal, const Policy<T>& pi, const Vector<T>& V);

// T_r^pi V.
template <class T>
Vector<T> s_robust_bellman(const Mdp<T>& m, const SL1Ball<T>& U, const Policy<T>& pi, const Vector<T>& V);

// Q(s,a) = c(s,a) + gamma <p_a, V> with p the worst case for pi at V (sum_a pi_a Q(s,a) = T_r^pi V).
template <class T>
Matrix<T> s_robust_q(const Mdp<T>& m, const SL1Ball<T>& U, const Policy<T>& pi, const Vector<T>& V);

// V_r^pi by nature's policy iteration: evaluate the kernel exactly, switch state s to the best
// response where it is strictly better (floats: by a rounding margin), repeat. Nature faces an
// MDP whose action at s is a joint (p_a)_a; best responses are finitely many (each is fixed by
// the order of the knapsack's pieces), each switch strictly increases V, so no kernel repeats
// and the loop ends at V = T_r^pi V. RobustEvaluation::worst_values = <p_a, V> (S x A).
template <class T>
RobustEvaluation<T> s_robust_value(const Mdp<T>& m, const SL1Ball<T>& U, const Policy<T>& pi,
                                   const Kernel<T>* start = nullptr, std::size_t max_iterations = 100000);

// (T_r V)(s) as a certified bracket: lower = min_a (c_a + gamma <pbar_a, V>) for nature's mixed
// answer pbar in U_s (checked to be in U_s), upper = c^pi + gamma max_p sum_a pi_a <p_a, V> for the
// agent's row pi (s_best_response). lower <= (T_r V)(s) <= upper by weak duality whatever the
// two LPs (exact simplex, Bland's rule) returned; exact LP optima make them equal.
template <class T>
struct StateGame {
    Vector<T> pi;   // A: the agent's minimising row
    Matrix<T> nature;  // A x S: nature's maximin answer pbar
    T lower, upper;
};

template <class T>
StateGame<T> s_state_game(const Mdp<T>& m, const SL1Ball<T>& U, std::size_t s, const Vector<T>& V);

template <class T>
struct OptimalBellman {
    Vector<T> lower, upper;  // brackets of T_r V per state (equal in exact arithmetic)
    Policy<T> policy;        // the agent's rows
};

template <class T>
OptimalBellman<T> s_robust_bellman_optimal(const Mdp<T>& m, const SL1Ball<T>& U, const Vector<T>& V);

// V* by robust policy iteration over stochastic policies: pi_{k+1}(.|s) = the per-state LP's
// minimiser at V_k = V_r^{pi_k} (s_robust_value), started (exact, MPFR) from a double run of the
// same iteration (up to 50 steps) whose rows are snapped to rationals of denominator <= 1000. V_{k+1} <=
// T_r V_k <= V_k, so V_k decreases to V* at least as fast as value iteration. The loop stops when
// T_r V_k = V_k is certified exactly (`exact`; then V_k = V* and pi_k is optimal) or after
// max_iterations (exact LPs at an unsnapped V grow quickly: few steps); then V* lies in [V - e, V] with e = ||T_r V - V||_inf / (1 - gamma) (the
// gamma-contraction of T_r) and V = V_r^{pi} >= V* (V* = min over stationary policies).
template <class T>
struct SRectSolution {
    Policy<T> policy;      // possibly stochastic
    Vector<T> V;           // V_r^policy (an upper bound on V*, equal to it when exact)
    Vector<T> lower;       // certified lower bound on V* (= V when exact)
    Kernel<T> kernel;      // nature's worst case against policy at V
    bool exact = false;    // T_r V = V checked in exact arithmetic
    std::size_t policy_iterations = 0, nature_iterations = 0;
};

template <class T>
SRectSolution<T> s_robust_solve(const Mdp<T>& m, const SL1Ball<T>& U, std::size_t max_iterations = 4);

#define RMDP_SRECT_EXTERN(T)                                                                                       \
    extern template StateResponse<T> s_best_response(const SL1Ball<T>&, const Kernel<T>&, std::size_t, const T*,   \
                                                     const Vector<T>&);                                            \
    extern template Kernel<T> s_worst_case_kernel(const SL1Ball<T>&, const Kernel<T>&, const Policy<T>&,          \
                                                  const Vector<T>&);                                              \
    extern template Vector<T> s_robust_bellman(const Mdp<T>&, const SL1Ball<T>&, const Policy<T>&, const Vector<T>&); \
    extern template Matrix<T> s_robust_q(const Mdp<T>&, const SL1Ball<T>&, const Policy<T>&, const Vector<T>&);   \
    extern template RobustEvaluation<T> s_robust_value(const Mdp<T>&, const SL1Ball<T>&, const Policy<T>&,        \
                                                       const Kernel<T>*, std::size_t);                            \
    extern template StateGame<T> s_state_game(const Mdp<T>&, const SL1Ball<T>&, std::size_t, const Vector<T>&);   \
    extern template OptimalBellman<T> s_robust_bellman_optimal(const Mdp<T>&, const SL1Ball<T>&, const Vector<T>&); \
    extern template SRectSolution<T> s_robust_solve(const Mdp<T>&, const SL1Ball<T>&, std::size_t);
RMDP_ORDERED_SCALARS(RMDP_SRECT_EXTERN)
#undef RMDP_SRECT_EXTERN

// A random MDP with an s-l1 set (the s-rectangular checks' own draw; the (s,a)-rectangular
// claims never see s-l1 sets): random_robust_mdp's model, then SL1Ball::draw from a forked stream.
MdpData random_s_rectangular(Rng& rng, const GeneratorOptions& opt, std::size_t trial);

}  // namespace rmdp
