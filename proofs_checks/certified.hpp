// Solver output enters a check only with its certificate verified by the operators (the small
// trusted kernel, docs/robust.md "Certificates"): a robust value V of pi satisfies T_r^pi V = V
// (T_r^pi is a gamma-contraction, so V is V_r^pi), and an optimum satisfies V* = T_r V* with pi*
// greedy (T_r^{pi*} V* = V*). A failed certificate is a library bug: std::logic_error (exit 3).
//
// Intervals: an equality is never certified by an enclosure. The interval solvers certify by
// construction instead (solvers.hpp: V = V~ +- ||T V~ - V~||/(1-gamma) contains the fixed point of the
// gamma-contraction T; pi* is the argmin of Q decided by the enclosures), and here the operator
// must not certainly disagree with V (a disagreement the enclosures prove is a library bug).
#pragma once

#include "compare.hpp"

#include "rmdp/solvers.hpp"

#include <stdexcept>
#include <string>

namespace rmdp::checks {

template <class T>
bool certificate_fails(const Judge<T>& judge, const T& a, const T& b) {
    if constexpr (is_interval_v<T>)
        return scalar_traits<T>::eq(a, b) == truth::no;
    else
        return judge.eq(a, b) != truth::yes;
}

// V, verified to be V_r^pi: T_r^pi V = V (decided in T).
template <class T>
Vector<T> certify_robust_value(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi, Vector<T> V,
                               const Judge<T>& judge) {
    const Vector<T> TV = robust_bellman(m, U, pi, V);
    for (std::size_t s = 0; s < m.S; ++s)
        if (certificate_fails(judge, TV[s], V[s]))
            throw std::logic_error("robust value fails its certificate T_r^pi V = V at s=" + std::to_string(s));
    return V;
}

// V_r^pi from robust_value, certified.
template <class T>
Vector<T> certified_robust_value(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi,
                                 const Judge<T>& judge) {
    return certify_robust_value(m, U, pi, robust_value(m, U, pi).V, judge);
}

// pi* and V* from robust_solve, certified: V* = T_r V* and T_r^{pi*} V* = V*.
template <class T>
RobustSolution<T> certified_optimum(const Mdp<T>& m, const UncertaintySet<T>& U, const Judge<T>& judge) {
    RobustSolution<T> sol = robust_solve(m, U);
    const Vector<T> TV = robust_bellman_optimal(m, U, sol.V);
    for (std::size_t s = 0; s < m.S; ++s)
        if (certificate_fails(judge, TV[s], sol.V[s]))
            throw std::logic_error("robust_solve returned V* with T_r V* != V* at s=" + std::to_string(s));
    certify_robust_value(m, U, sol.policy, sol.V, judge);
    return sol;
}

}  // namespace rmdp::checks
