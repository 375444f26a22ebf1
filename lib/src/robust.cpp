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

// The nominal row as a set kind reads it: sparse for the sparse-native kinds, plus a dense scratch
// row (O(S), reused across rows) for the others.
template <class K, class T>
const T* dense_nominal(const Kernel<T>& nominal, std::size_t s, std::size_t a, Vector<T>& scratch) {
    if constexpr (K::traits.sparse) return nullptr;
    nominal.dense_row(s, a, scratch);
    return scratch.data();
}

template <class T>
SparseRow<T> as_row(SparseWorstCase<T>&& w) { return std::move(w.p); }
template <class T>
SparseRow<T> as_row(WorstCase<T>&& w) { return sparse_row(w.p.data(), w.p.size()); }

template <class T>
WorstCase<T> as_dense(SparseWorstCase<T>&& w, std::size_t S) {
    WorstCase<T> out{Vector<T>(S, T(0)), std::move(w.value)};
    for (auto& e : w.p) out.p[e.to] = std::move(e.p);
    return out;
}
template <class T>
WorstCase<T> as_dense(WorstCase<T>&& w, std::size_t) { return std::move(w); }

// One dispatch on the kind per pass, then the kind's own code for every (s,a); f(s, a, w) gets the
// kind's worst case (sparse or dense).
template <class T, class F>
void for_each_row(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V, F&& f) {
    const InnerProducts<T> dot(V);
    U.visit([&](const auto& k) {
        using K = std::decay_t<decltype(k)>;
        const Order ord = order_for<K>(V);
        Vector<T> scratch;
        for (std::size_t s = 0; s < nominal.S; ++s)
            for (std::size_t a = 0; a < nominal.A; ++a) {
                const T* q = dense_nominal<K>(nominal, s, a, scratch);
                f(s, a, k.worst_case(SetRow<T>{s, a, nominal.S, nominal.A, q, V, dot, ord, &nominal.row(s, a)}));
            }
    });
}

template <class T, class F>
void for_each_face_row(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V, const Vector<T>& W,
                       F&& f) {
    const InnerProducts<T> dotV(V), dotW(W);
    U.visit([&](const auto& k) {
        using K = std::decay_t<decltype(k)>;
        const Order byV = order_for<K>(V), lex = lexicographic_order_for<K>(V, W);
        Vector<T> scratch;
        for (std::size_t s = 0; s < nominal.S; ++s)
            for (std::size_t a = 0; a < nominal.A; ++a) {
                const T* q = dense_nominal<K>(nominal, s, a, scratch);
                f(s, a, k.on_face(SetRow<T>{s, a, nominal.S, nominal.A, q, V, dotV, byV, &nominal.row(s, a)},
                                  SetRow<T>{s, a, nominal.S, nominal.A, q, W, dotW, lex, &nominal.row(s, a)}));
            }
    });
}

}  // namespace

template <class T>
WorstCase<T> worst_case(const UncertaintySet<T>& U, const Kernel<T>& nominal, std::size_t s, std::size_t a,
                        const Vector<T>& V) {
    const InnerProducts<T> dot(V);
    return U.visit([&](const auto& k) {
        using K = std::decay_t<decltype(k)>;
        const Order ord = order_for<K>(V);
        Vector<T> scratch;
        const T* q = dense_nominal<K>(nominal, s, a, scratch);
        return as_dense(k.worst_case(SetRow<T>{s, a, nominal.S, nominal.A, q, V, dot, ord, &nominal.row(s, a)}), nominal.S);
    });
}

template <class T>
Matrix<T> worst_case_values(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V) {
    Matrix<T> out(nominal.S, nominal.A);
    for_each_row(U, nominal, V, [&](std::size_t s, std::size_t a, auto&& w) { out(s, a) = std::move(w.value); });
    return out;
}

template <class T>
Kernel<T> worst_case_kernel(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V) {
    Kernel<T> out(nominal.S, nominal.A);
    for_each_row(U, nominal, V, [&](std::size_t s, std::size_t a, auto&& w) { out.set_row(s, a, as_row(std::move(w))); });
    return out;
}

template <class T>
WorstCase<T> worst_case_on_face(const UncertaintySet<T>& U, const Kernel<T>& nominal, std::size_t s, std::size_t a,
                                const Vector<T>& V, const Vector<T>& W) {
    const InnerProducts<T> dotV(V), dotW(W);
    return U.visit([&](const auto& k) {
        using K = std::decay_t<decltype(k)>;
        const Order byV = order_for<K>(V), lex = lexicographic_order_for<K>(V, W);
        Vector<T> scratch;
        const T* q = dense_nominal<K>(nominal, s, a, scratch);
        return as_dense(k.on_face(SetRow<T>{s, a, nominal.S, nominal.A, q, V, dotV, byV, &nominal.row(s, a)},
                                  SetRow<T>{s, a, nominal.S, nominal.A, q, W, dotW, lex, &nominal.row(s, a)}),
                        nominal.S);
    });
}

template <class T>
Kernel<T> worst_case_kernel_on_face(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V,
                                    const Vector<T>& W) {
    Kernel<T> out(nominal.S, nominal.A);
    for_each_face_row(U, nominal, V, W, [&](std::size_t s, std::size_t a, auto&& w) { out.set_row(s, a, as_row(std::move(w))); });
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
