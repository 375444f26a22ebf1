#include "rmdp/robust.hpp"


namespace rmdp {

namespace {

// The order of V only for the kinds that read it (traits.order_driven): for MPFI an order is a
// decision, and a tie in V would send a kl instance, which has no exact fallback, to undecided
// although its worst case never looks at the order.
template <class K, class T>
Order order_for(const Vector<T>& V) {
    return K::traits.order_driven ? order_of(V) : Order{};
}
template <class K, class T>
Order lexicographic_order_for(const Vector<T>& V, const Vector<T>& W) {
    return K::traits.order_driven ? lexicographic_order_of(V, W) : Order{};
}

// One dispatch on the kind per pass, then the kind's own code for every (s,a).
template <class T, class F>
void for_each_row(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V, F&& f) {
    const InnerProducts<T> dot(V);
    U.visit([&](const auto& k) {
        const Order ord = order_for<std::decay_t<decltype(k)>>(V);
        for (std::size_t s = 0; s < nominal.S; ++s)
            for (std::size_t a = 0; a < nominal.A; ++a)
                f(s, a, k.worst_case(SetRow<T>{s, a, nominal.S, nominal.A, nominal.row(s, a), V, dot, ord}));
    });
}

template <class T, class F>
void for_each_face_row(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V, const Vector<T>& W,
                       F&& f) {
    const InnerProducts<T> dotV(V), dotW(W);
    U.visit([&](const auto& k) {
        using K = std::decay_t<decltype(k)>;
        const Order byV = order_for<K>(V), lex = lexicographic_order_for<K>(V, W);
        for (std::size_t s = 0; s < nominal.S; ++s)
            for (std::size_t a = 0; a < nominal.A; ++a)
                f(s, a, k.on_face(SetRow<T>{s, a, nominal.S, nominal.A, nominal.row(s, a), V, dotV, byV},
                                  SetRow<T>{s, a, nominal.S, nominal.A, nominal.row(s, a), W, dotW, lex}));
    });
}

}  // namespace

template <class T>
WorstCase<T> worst_case(const UncertaintySet<T>& U, const Kernel<T>& nominal, std::size_t s, std::size_t a,
                        const Vector<T>& V) {
    const InnerProducts<T> dot(V);
    return U.visit([&](const auto& k) {
        const Order ord = order_for<std::decay_t<decltype(k)>>(V);
        return k.worst_case(SetRow<T>{s, a, nominal.S, nominal.A, nominal.row(s, a), V, dot, ord});
    });
}

template <class T>
Matrix<T> worst_case_values(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V) {
    Matrix<T> out(nominal.S, nominal.A);
    for_each_row(U, nominal, V, [&](std::size_t s, std::size_t a, WorstCase<T>&& w) { out(s, a) = std::move(w.value); });
    return out;
}

template <class T>
Kernel<T> worst_case_kernel(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V) {
    Kernel<T> out(nominal.S, nominal.A);
    for_each_row(U, nominal, V, [&](std::size_t s, std::size_t a, WorstCase<T>&& w) {
        std::move(w.p.begin(), w.p.end(), out.p.begin() + static_cast<std::ptrdiff_t>((s * nominal.A + a) * nominal.S));
    });
    return out;
}

template <class T>
WorstCase<T> worst_case_on_face(const UncertaintySet<T>& U, const Kernel<T>& nominal, std::size_t s, std::size_t a,
                                const Vector<T>& V, const Vector<T>& W) {
    const InnerProducts<T> dotV(V), dotW(W);
    return U.visit([&](const auto& k) {
        using K = std::decay_t<decltype(k)>;
        const Order byV = order_for<K>(V), lex = lexicographic_order_for<K>(V, W);
        return k.on_face(SetRow<T>{s, a, nominal.S, nominal.A, nominal.row(s, a), V, dotV, byV},
                         SetRow<T>{s, a, nominal.S, nominal.A, nominal.row(s, a), W, dotW, lex});
    });
}

template <class T>
Kernel<T> worst_case_kernel_on_face(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V,
                                    const Vector<T>& W) {
    Kernel<T> out(nominal.S, nominal.A);
    for_each_face_row(U, nominal, V, W, [&](std::size_t s, std::size_t a, WorstCase<T>&& w) {
        std::move(w.p.begin(), w.p.end(), out.p.begin() + static_cast<std::ptrdiff_t>((s * nominal.A + a) * nominal.S));
    });
    return out;
}

template <class T>
Matrix<T> robust_q(const Mdp<T>& m, const UncertaintySet<T>& U, const Vector<T>& V) {
    Matrix<T> Q = worst_case_values(U, m.P, V);
    for (std::size_t s = 0; s < m.S; ++s)
        for (std::size_t a = 0; a < m.A; ++a) Q(s, a) = m.cost(s, a) + m.gamma * Q(s, a);
    return Q;
}

template <class T>
Vector<T> robust_bellman(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi, const Vector<T>& V) {
    const Matrix<T> Q = robust_q(m, U, V);
    Vector<T> out(m.S, T(0));
    for (std::size_t s = 0; s < m.S; ++s) out[s] = inner_at(pi, Q, s);
    return out;
}

template <class T>
Vector<T> robust_bellman_optimal(const Mdp<T>& m, const UncertaintySet<T>& U, const Vector<T>& V) {
    const Matrix<T> Q = robust_q(m, U, V);
    Vector<T> out(m.S);
    for (std::size_t s = 0; s < m.S; ++s) {
        out[s] = Q(s, 0);  // min_a: for intervals the enclosure of the minimum, no decision needed
        for (std::size_t a = 1; a < m.A; ++a) out[s] = smaller(out[s], Q(s, a));
    }
    return out;
}

#define RMDP_ROBUST_INSTANTIATE(T)                                                                         \
    template WorstCase<T> worst_case(const UncertaintySet<T>&, const Kernel<T>&, std::size_t, std::size_t, \
                                     const Vector<T>&);                                                   \
    template Matrix<T> worst_case_values(const UncertaintySet<T>&, const Kernel<T>&, const Vector<T>&);   \
    template Kernel<T> worst_case_kernel(const UncertaintySet<T>&, const Kernel<T>&, const Vector<T>&);   \
    template WorstCase<T> worst_case_on_face(const UncertaintySet<T>&, const Kernel<T>&, std::size_t, std::size_t, \
                                             const Vector<T>&, const Vector<T>&);                                 \
    template Kernel<T> worst_case_kernel_on_face(const UncertaintySet<T>&, const Kernel<T>&, const Vector<T>&,      \
                                                 const Vector<T>&);                                                 \
    template Matrix<T> robust_q(const Mdp<T>&, const UncertaintySet<T>&, const Vector<T>&);               \
    template Vector<T> robust_bellman(const Mdp<T>&, const UncertaintySet<T>&, const Policy<T>&, const Vector<T>&); \
    template Vector<T> robust_bellman_optimal(const Mdp<T>&, const UncertaintySet<T>&, const Vector<T>&);
RMDP_ALL_SCALARS(RMDP_ROBUST_INSTANTIATE)

}  // namespace rmdp
