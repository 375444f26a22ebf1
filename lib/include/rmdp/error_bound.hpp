// A posteriori error bounds for floating-point policy evaluation (docs/arithmetic.md).
//
// For a computed V~ (any floating T) and the EXACT data (c, P, pi, gamma), the Bellman operator
// T^pi V = c^pi + gamma P^pi V is a gamma-contraction in the sup norm with fixed point V, so
//     ||V~ - V||_inf <= ||V~ - T^pi V~||_inf + gamma ||V~ - V||_inf
//     ==>  ||V~ - V||_inf <= ||T^pi V~ - V~||_inf / (1 - gamma)  =: E_V.
// The residual is computed in exact rationals from the exact values of the floats, so E_V is a
// rigorous bound, with no rounding analysis. For the Q-values Q~ computed in T by q_value,
//     |Q~ - Q| <= |Q~ - (c + gamma P V~)| + gamma ||V~ - V||_inf  =: E_Q  (first term exact).
#pragma once

#include "rmdp/evaluation.hpp"
#include "rmdp/robust.hpp"

#include <optional>

namespace rmdp {

struct evaluation_bound {
    rational V, Q;  // bounds on max_s |V~(s) - V(s)| and max_{s,a} |Q~(s,a) - Q(s,a)|
};

// The same argument for the robust operators, which are gamma-contractions too: for any V~
// (given by its exact value), with T = T_r^pi when pi is given and T = T_r otherwise,
//     ||V~ - V||_inf <= ||T V~ - V~||_inf / (1 - gamma)   (V = V_r^pi, resp. V*),
// and since V -> c + gamma max_p <p, V> is gamma-Lipschitz, |robust_q(V~) - Q| <= gamma * that bound.
// Sets without an exact worst case (kl: transcendental) get the same bound with the residual
// computed in MPFI from the kind's certified worst-case enclosure (sets/kl.hpp): the upper end of
// the enclosure of ||T V~ - V~||, and Q_at = the midpoints of the enclosures of robust_q(V~), each
// within Q_radius of the exact robust_q(V~) (Q_radius = 0 for exact kinds).
struct residual_bound {
    rational V;               // the bound on ||V~ - V||_inf
    Matrix<rational> Q_at;    // robust_q(V~), exactly (non-exact kinds: within Q_radius)
    rational Q_radius = 0;
};
residual_bound bellman_residual_bound(const MdpData& m, const PolicyData* pi, const Vector<rational>& V);

// The same bounds for a double or long double V~ and the Q~ computed with it, without rational
// arithmetic (docs/arithmetic.md, "Directed rounding"): each datum (c, P, the set, pi, gamma) is
// enclosed between two long doubles rounded down and up, and robust_q(V~), T V~ and the residual
// are evaluated in interval arithmetic with every operation rounded outward (the processor's
// rounding mode set upward). Returns {E_V, E_Q} with
//     E_V >= ||T V~ - V~||_inf / (1 - gamma),   E_Q >= max |Q~ - robust_q(V~)| + gamma E_V,
// T = T_r^pi when pi is given, else T_r (for the nominal operators pass an MdpData whose set is
// `none`). Empty when a datum or a result is beyond long double's range (then use the exact bound).
template <class T>
std::optional<evaluation_bound> directed_bellman_bound(const MdpData& m, const PolicyData* pi, const Vector<T>& V,
                                                       const Matrix<T>& Q);
extern template std::optional<evaluation_bound> directed_bellman_bound(const MdpData&, const PolicyData*,
                                                                       const Vector<double>&, const Matrix<double>&);
extern template std::optional<evaluation_bound> directed_bellman_bound(const MdpData&, const PolicyData*,
                                                                       const Vector<long double>&,
                                                                       const Matrix<long double>&);

template <class T>
Vector<rational> exact_values(const Vector<T>& v) {
    Vector<rational> out;
    for (const auto& x : v) out.push_back(exact_value(x));
    return out;
}

template <class T>
evaluation_bound evaluation_error_bound(const MdpData& m, const Kernel<rational>& P, const PolicyData& pi,
                                        const Vector<T>& V);

extern template evaluation_bound evaluation_error_bound(const MdpData&, const Kernel<rational>&, const PolicyData&,
                                                        const Vector<double>&);
extern template evaluation_bound evaluation_error_bound(const MdpData&, const Kernel<rational>&, const PolicyData&,
                                                        const Vector<long double>&);
extern template evaluation_bound evaluation_error_bound(const MdpData&, const Kernel<rational>&, const PolicyData&,
                                                        const Vector<mpfr_float>&);

}  // namespace rmdp
