// The prox step of robust policy mirror descent (notes "Robust Policy Mirror Descent"):
//
//   pi_{k+1}(.|s) = argmin_{p in Delta_A} eta <Q(s,.), p> + D_{pi_k}^p(s)      for every s,
//
// and the Bregman divergences D_q^p(s) it uses, written as the notes write them (the divergence
// of p from q(.|s)). Three divergences (docs/rpmd.md derives each step):
//   euclid    D = 1/2 ||p - q||^2   (claims.md's convention)      step Proj_Delta(q - eta Q)
//   euclid_w  D = ||p - q||^2       (the notes' w = ||.||_2^2)    step Proj_Delta(q - eta Q / 2)
//   kl        D = sum_a p log(p/q)                                step q e^{-eta Q} / Z
// Euclidean steps need comparisons only (sort and threshold) and are exact in rationals; the KL
// step needs exp, so exact rationals refuse it, MPFI encloses every probability of it.
#pragma once

#include "rmdp/model.hpp"

#include <string>

namespace rmdp {

enum class bregman { euclid, euclid_w, kl };

const char* to_string(bregman D);

// Euclidean projection onto the simplex, argmin_{x in Delta} ||x - y||_2, by sort and threshold
// (Held, Wolfe & Crowder 1974): with u = y sorted decreasingly, r = max{j : u_j > (sum_{i<=j} u_i - 1)/j},
// tau = (sum_{i<=r} u_i - 1)/r, x = max(y - tau, 0). Exact for rationals. Ordered types only
// (an interval cannot sort; it throws std::invalid_argument).
template <class T>
Vector<T> project_simplex(const Vector<T>& y);

// pi_{k+1} from pi_k = pi and Q = Q_r^{pi_k}, with step size eta > 0, for every state.
//   euclid, euclid_w  Proj_Delta(pi(.|s) - eta Q(s,.))  resp.  Proj_Delta(pi(.|s) - eta Q(s,.)/2);
//   kl                pi_{k+1}(a|s) = 1 / sum_{b: pi(b|s) > 0} (pi(b|s)/pi(a|s)) e^{eta (Q(s,a) - Q(s,b))}
//                     where pi(a|s) > 0, and 0 where pi(a|s) = 0 (KL keeps the support).
// The KL form is pi e^{-eta Q}/Z with every ratio written out, so each term is an exp of a
// difference (no overflow of e^{-eta Q} in double) and, in MPFI, the enclosure of each
// probability is that of one monotone expression in the exact inputs. Exact rationals have no
// exp: kl with T = rational throws std::invalid_argument.
template <class T>
Policy<T> mirror_step(const Policy<T>& pi, const Matrix<T>& Q, const T& eta, bregman D);

// D_q^p(s) for policies p, q at state s: 1/2 ||p - q||^2, ||p - q||^2 or sum_a p log(p/q)
// (0 log 0 = 0; a term with p > 0 = q is +infinity and throws std::domain_error).
template <class T>
T bregman_divergence(bregman D, const Policy<T>& p, const Policy<T>& q, std::size_t s);

#define RMDP_MIRROR_EXTERN(T)                                                         \
    extern template Vector<T> project_simplex(const Vector<T>&);                      \
    extern template Policy<T> mirror_step(const Policy<T>&, const Matrix<T>&, const T&, bregman); \
    extern template T bregman_divergence(bregman, const Policy<T>&, const Policy<T>&, std::size_t);
RMDP_ALL_SCALARS(RMDP_MIRROR_EXTERN)
#undef RMDP_MIRROR_EXTERN

}  // namespace rmdp
