// Robust objects of claims.md "Conventions" and "Robust Bellman equations", for an
// (s,a)-rectangular uncertainty set U = x_{s,a} U_{s,a}. Nature MAXIMISES cost.
//
//   worst case      argmax_{p in U_{s,a}} <p, V>                      worst_case
//   kernel          u(.|s,a) = that argmax for every (s,a)            worst_case_kernel
//   T_r^pi          (T_r^pi V)(s) = sum_a pi(a|s)[c(s,a) + gamma max_{p in U_{s,a}} <p, V>]
//   Q form          (robust_q V)(s,a) = c(s,a) + gamma max_{p in U_{s,a}} <p, V>
//   T_r             (T_r V)(s) = min_a (robust_q V)(s,a)
//
// Worst cases need comparisons, so this layer is instantiated for the ordered types
// (exact, MPFR, double, long double); interval enclosures are built on top of it.
#pragma once

#include "rmdp/evaluation.hpp"
#include "rmdp/model.hpp"

namespace rmdp {

// <p, V> for many vectors p against one V (every worst case and every Q-value needs them).
// Exact: V is put over its common denominator D once (V = y / D, y integer), so each inner
// product is an integer dot product sum_t num(p_t) (L / den(p_t)) y_t over L D, L = lcm den(p):
// one canonicalisation instead of a gcd per term (profile: 45% of an exact solve was these).
template <class T>
class InnerProducts {
public:
    explicit InnerProducts(const Vector<T>& V) : V_(V) {}
    T operator()(const T* p) const {
        T acc(0);
        for (std::size_t t = 0; t < V_.size(); ++t) acc += p[t] * V_[t];
        return acc;
    }

private:
    const Vector<T>& V_;
};

template <>
class InnerProducts<rational> {
public:
    explicit InnerProducts(const Vector<rational>& V);
    rational operator()(const rational* p) const;

private:
    std::vector<integer> y_;
    integer D_;
};

template <class T>
struct UncertaintySet {
    Uncertainty::kind type = Uncertainty::kind::none;
    Vector<T> radius;                      // l1: S*A
    Vector<T> lower, upper;                // interval: S*A*S
    std::vector<std::vector<Vector<T>>> points;  // finite: [s*A+a][k]
};

template <class T>
UncertaintySet<T> convert(const Uncertainty& u);

template <class T>
struct WorstCase {
    Vector<T> p;  // a maximiser of <p, V> over U_{s,a}
    T value;      // <p, V>
};

// argmax_{p in U_{s,a}} <p, V>, exactly for exact T:
//   none      p = P_N(.|s,a);
//   l1        move delta = min(r/2, 1 - q(j)) into j = argmax V (mass may move into states with
//             q = 0), taking it from the states of smallest V first;
//   interval  start at `lower`, then fill the remaining mass 1 - sum(lower) into the states of
//             largest V first, each up to `upper`;
//   finite    the best listed distribution (a linear function is maximised at a vertex).
// Ties in V are broken by the lowest state index (any tie-break attains the same value).
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
// value = <p, W>:
//   l1, interval  the greedy of worst_case with states ordered by the pair (V, W)
//                 lexicographically: it is the greedy for V + eps W, optimal for every small eps > 0,
//                 hence in F(V) and maximal for W there;
//   finite        among the listed points maximising <p, V>, the first maximising <p, W>;
//   none          P_N(.|s,a) (F is that point).
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
    extern template UncertaintySet<T> convert<T>(const Uncertainty&);                                           \
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
RMDP_ROBUST_EXTERN(rational)
RMDP_ROBUST_EXTERN(mpfr_float)
RMDP_ROBUST_EXTERN(double)
RMDP_ROBUST_EXTERN(long double)
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
