// Robust objects of claims.md "Conventions" and "Robust Bellman equations", for an
// (s,a)-rectangular uncertainty set U = x_{s,a} U_{s,a}. Nature MAXIMISES cost.
//
//   worst case      argmax_{p in U_{s,a}} <p, V>                      worst_case
//   kernel          u(.|s,a) = that argmax for every (s,a)            worst_case_kernel
//   T_r^pi          (T_r^pi V)(s) = sum_a pi(a|s)[c(s,a) + gamma max_{p in U_{s,a}} <p, V>]
//   Q form          (robust_q V)(s,a) = c(s,a) + gamma max_{p in U_{s,a}} <p, V>
//   T_r             (T_r V)(s) = min_a (robust_q V)(s,a)
//
// Worst cases need comparisons; they go through the filtered comparisons of scalar.hpp, so this
// layer exists for every scalar. For MPFI the result encloses the exact one whenever the
// enclosures decide the orderings (of V, and of <p, V> for finite sets); otherwise the call throws
// undecided_comparison and the caller reruns in exact rationals (docs/arithmetic.md).
#pragma once

#include "rmdp/evaluation.hpp"
#include "rmdp/model.hpp"

namespace rmdp {

// argmax_{p in U_{s,a}} <p, V>: the set kind's worst_case (sets/*.hpp; exact for exact T when the
// kind's traits say so). Ties in V are broken by the lowest state index (any tie-break attains the
// same value).
template <class T>
WorstCase<T> worst_case(const UncertaintySet<T>& U, const Kernel<T>& nominal, std::size_t s, std::size_t a,
                        const Vector<T>& V);

// max_{p in U_{s,a}} <p, V> for every (s,a), as an S x A matrix.
template <class T>
Matrix<T> worst_case_values(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V);

// The kernel P_u with u(.|s,a) = worst case for V at every (s,a) (u_pi when V = V_r^pi).
template <class T>
Kernel<T> worst_case_kernel(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V);

// The face F_{s,a}(V) = argmax_{p in U_{s,a}} <p, V> is where nature's ties live (Danskin: the
// directional derivative of f_rho is a max over the kernels in x_{s,a} F_{s,a}). This returns a
// point of F_{s,a}(V) maximising <p, W> (a lexicographic maximiser of (<p,V>, <p,W>)), with
// value = <p, W>: the set kind's on_face (for the greedy kinds, the greedy of worst_case with states
// ordered by (V, W) lexicographically, i.e. the greedy for V + eps W for every small eps > 0).
template <class T>
WorstCase<T> worst_case_on_face(const UncertaintySet<T>& U, const Kernel<T>& nominal, std::size_t s, std::size_t a,
                                const Vector<T>& V, const Vector<T>& W);

// The kernel with u(.|s,a) = worst_case_on_face(V, W) at every (s,a): a worst-case kernel of V.
template <class T>
Kernel<T> worst_case_kernel_on_face(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V,
                                    const Vector<T>& W);

template <class T>
Matrix<T> robust_q(const Mdp<T>& m, const UncertaintySet<T>& U, const Vector<T>& V);

template <class T>
Vector<T> robust_bellman(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi, const Vector<T>& V);

template <class T>
Vector<T> robust_bellman_optimal(const Mdp<T>& m, const UncertaintySet<T>& U, const Vector<T>& V);

#define RMDP_ROBUST_EXTERN(T)                                                                                     \
    extern template WorstCase<T> worst_case(const UncertaintySet<T>&, const Kernel<T>&, std::size_t, std::size_t, \
                                            const Vector<T>&);                                                   \
    extern template Matrix<T> worst_case_values(const UncertaintySet<T>&, const Kernel<T>&, const Vector<T>&);   \
    extern template Kernel<T> worst_case_kernel(const UncertaintySet<T>&, const Kernel<T>&, const Vector<T>&);   \
    extern template WorstCase<T> worst_case_on_face(const UncertaintySet<T>&, const Kernel<T>&, std::size_t,      \
                                                    std::size_t, const Vector<T>&, const Vector<T>&);             \
    extern template Kernel<T> worst_case_kernel_on_face(const UncertaintySet<T>&, const Kernel<T>&, const Vector<T>&, \
                                                        const Vector<T>&);                                        \
    extern template Matrix<T> robust_q(const Mdp<T>&, const UncertaintySet<T>&, const Vector<T>&);               \
    extern template Vector<T> robust_bellman(const Mdp<T>&, const UncertaintySet<T>&, const Policy<T>&,          \
                                             const Vector<T>&);                                                  \
    extern template Vector<T> robust_bellman_optimal(const Mdp<T>&, const UncertaintySet<T>&, const Vector<T>&);
RMDP_ALL_SCALARS(RMDP_ROBUST_EXTERN)
#undef RMDP_ROBUST_EXTERN

// The certificate of an exact optimal robust policy, checked with the operators alone:
// V = T_r V (so V = V*, the unique fixed point) and T_r^pi V = V (pi is greedy, so V_r^pi = V*).
// Exact arithmetic only: with rounding, equality is not a meaningful test.
// The same test given Q = robust_q(V) already computed (one worst-case pass serves both operators).
inline bool is_greedy_fixed_point(const Matrix<rational>& Q, const Policy<rational>& pi, const Vector<rational>& V) {
    for (std::size_t s = 0; s < Q.rows; ++s) {
        rational best = Q(s, 0);
        for (std::size_t a = 1; a < Q.cols; ++a)
            if (Q(s, a) < best) best = Q(s, a);
        if (best != V[s] || inner_at(pi, Q, s) != V[s]) return false;
    }
    return true;
}

inline bool is_robust_optimal(const Mdp<rational>& m, const UncertaintySet<rational>& U, const Policy<rational>& pi,
                              const Vector<rational>& V) {
    return is_greedy_fixed_point(robust_q(m, U, V), pi, V);
}

}  // namespace rmdp
