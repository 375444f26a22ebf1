// A posteriori error bounds for floating-point policy evaluation (docs/arithmetic.md).
//
// For a computed V~ (any floating T with unit roundoff u), with exact data (c, P, pi, gamma):
//   V - V~ = (I - gamma P^pi)^{-1} r,   r = c^pi - (I - gamma P^pi) V~,
//   ||(I - gamma P^pi)^{-1}||_inf = 1/(1-gamma)  (P^pi row-stochastic), hence
//   ||V - V~||_inf <= ||r||_inf / (1 - gamma).
// r is evaluated in T from the rounded data; with K = S + A + 6 rounding steps per entry and
// g_K = K u / (1 - K u) (Higham, Lemma 3.1), |fl(r) - r| <= g_K (c_max + (1 + gamma)||V~||_inf), so
//   E_V = (||fl(r)||_inf + g_K (c_max + (1 + gamma)||V~||_inf)) / (1 - gamma).
// Q~ = fl(c + gamma P V~): |Q~ - Q| <= gamma E_V + g_{S+4} (c_max + gamma ||V~||_inf) =: E_Q.
// The bound itself is computed in exact rationals from the floats' exact values, so it is not
// subject to rounding.
#pragma once

#include "rmdp/evaluation.hpp"

namespace rmdp {

struct evaluation_bound {
    rational V, Q;  // bounds on max_s |V~(s) - V(s)| and max_{s,a} |Q~(s,a) - Q(s,a)|
};

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
