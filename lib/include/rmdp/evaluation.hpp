// Policy evaluation for a fixed kernel (claims.md "Conventions"). Each function computes one
// formula of the notes, named as the notes name it; the kernel is explicit because robust
// theory evaluates the same policy under many kernels P_u.
#pragma once

#include "rmdp/linalg.hpp"
#include "rmdp/model.hpp"

namespace rmdp {

// P_u^pi(s,s') = sum_a pi(a|s) P_u(s'|s,a)  (row-stochastic).
template <class T>
Matrix<T> policy_kernel(const Kernel<T>& P, const Policy<T>& pi);

// c^pi(s) = sum_a pi(a|s) c(s,a).
template <class T>
Vector<T> policy_cost(const Matrix<T>& cost, const Policy<T>& pi);

// V_u^pi = (I - gamma P_u^pi)^{-1} c^pi.
template <class T>
Vector<T> value(const Mdp<T>& m, const Kernel<T>& P, const Policy<T>& pi);

// Q_u^pi(s,a) = c(s,a) + gamma sum_s' P_u(s'|s,a) V(s'), for a given V (normally V_u^pi).
template <class T>
Matrix<T> q_value(const Mdp<T>& m, const Kernel<T>& P, const Vector<T>& V);

// Occupancy measures as rows: row s is d_s^{pi,u} = (1-gamma) e_s^T (I - gamma P_u^pi)^{-1}.
template <class T>
Matrix<T> occupancy(const Mdp<T>& m, const Kernel<T>& P, const Policy<T>& pi);

// d_rho^{pi,u} = sum_s rho(s) d_s^{pi,u} = (1-gamma) rho^T (I - gamma P_u^pi)^{-1}.
template <class T>
Vector<T> occupancy(const Mdp<T>& m, const Kernel<T>& P, const Policy<T>& pi, const Vector<T>& rho);

// <x, y>_s = sum_a x(s,a) y(s,a).
template <class T>
T inner_at(const Matrix<T>& x, const Matrix<T>& y, std::size_t s);

#define RMDP_EVALUATION_EXTERN(T)                                                                     \
    extern template Matrix<T> policy_kernel(const Kernel<T>&, const Policy<T>&);                      \
    extern template Vector<T> policy_cost(const Matrix<T>&, const Policy<T>&);                        \
    extern template Vector<T> value(const Mdp<T>&, const Kernel<T>&, const Policy<T>&);               \
    extern template Matrix<T> q_value(const Mdp<T>&, const Kernel<T>&, const Vector<T>&);             \
    extern template Matrix<T> occupancy(const Mdp<T>&, const Kernel<T>&, const Policy<T>&);           \
    extern template Vector<T> occupancy(const Mdp<T>&, const Kernel<T>&, const Policy<T>&, const Vector<T>&); \
    extern template T inner_at(const Matrix<T>&, const Matrix<T>&, std::size_t);
RMDP_ALL_SCALARS(RMDP_EVALUATION_EXTERN)
#undef RMDP_EVALUATION_EXTERN

}  // namespace rmdp
