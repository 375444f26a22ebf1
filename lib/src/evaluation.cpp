#include "rmdp/evaluation.hpp"

namespace rmdp {

template <class T>
Matrix<T> policy_kernel(const Kernel<T>& P, const Policy<T>& pi) {
    Matrix<T> out(P.S, P.S);
    for (std::size_t s = 0; s < P.S; ++s)
        for (std::size_t a = 0; a < P.A; ++a) {
            const T& w = pi(s, a);
            if constexpr (is_exact_v<T>)
                if (w == 0) continue;
            for (const auto& e : P.row(s, a)) out(s, e.to) += w * e.p;
        }
    return out;
}

template <class T>
Vector<T> policy_cost(const Matrix<T>& cost, const Policy<T>& pi) {
    Vector<T> out(cost.rows, T(0));
    for (std::size_t s = 0; s < cost.rows; ++s)
        for (std::size_t a = 0; a < cost.cols; ++a) out[s] += pi(s, a) * cost(s, a);
    return out;
}

template <class T>
Vector<T> value(const Mdp<T>& m, const Kernel<T>& P, const Policy<T>& pi) {
    Matrix<T> x = resolvent_solve(m.gamma, policy_kernel(P, pi), column(policy_cost(m.cost, pi)), side::right);
    return x.data;
}

template <class T>
Matrix<T> q_value(const Mdp<T>& m, const Kernel<T>& P, const Vector<T>& V) {
    Matrix<T> Q(m.S, m.A);
    for (std::size_t s = 0; s < m.S; ++s)
        for (std::size_t a = 0; a < m.A; ++a) {
            Q(s, a) = m.cost(s, a) + m.gamma * row_dot(P.row(s, a), V);
        }
    return Q;
}

template <class T>
Matrix<T> occupancy(const Mdp<T>& m, const Kernel<T>& P, const Policy<T>& pi) {
    // All rows at once: (1-gamma) times the resolvent, by the right solve. (The left solve clears
    // denominators along columns of P^pi, which in exact arithmetic costs ~20x more: bench/.)
    Matrix<T> R = resolvent(m.gamma, policy_kernel(P, pi));
    const T scale = T(1) - m.gamma;
    for (auto& x : R.data) x *= scale;
    return R;
}

template <class T>
Vector<T> occupancy(const Mdp<T>& m, const Kernel<T>& P, const Policy<T>& pi, const Vector<T>& rho) {
    Matrix<T> B(1, m.S);
    for (std::size_t s = 0; s < m.S; ++s) B(0, s) = (T(1) - m.gamma) * rho[s];
    return resolvent_solve(m.gamma, policy_kernel(P, pi), B, side::left).data;
}

template <class T>
T inner_at(const Matrix<T>& x, const Matrix<T>& y, std::size_t s) {
    T acc(0);
    for (std::size_t a = 0; a < x.cols; ++a) acc += x(s, a) * y(s, a);
    return acc;
}

#define RMDP_EVALUATION_INSTANTIATE(T)                                                         \
    template Matrix<T> policy_kernel(const Kernel<T>&, const Policy<T>&);                      \
    template Vector<T> policy_cost(const Matrix<T>&, const Policy<T>&);                        \
    template Vector<T> value(const Mdp<T>&, const Kernel<T>&, const Policy<T>&);               \
    template Matrix<T> q_value(const Mdp<T>&, const Kernel<T>&, const Vector<T>&);             \
    template Matrix<T> occupancy(const Mdp<T>&, const Kernel<T>&, const Policy<T>&);           \
    template Vector<T> occupancy(const Mdp<T>&, const Kernel<T>&, const Policy<T>&, const Vector<T>&); \
    template T inner_at(const Matrix<T>&, const Matrix<T>&, std::size_t);
RMDP_ALL_SCALARS(RMDP_EVALUATION_INSTANTIATE)

}  // namespace rmdp
