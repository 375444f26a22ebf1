#include "rmdp/robust.hpp"

#include <algorithm>
#include <numeric>

namespace rmdp {

InnerProducts<rational>::InnerProducts(const Vector<rational>& V) : D_(1) {
    for (const auto& v : V) D_ = lcm(D_, denominator(v));
    for (const auto& v : V) y_.push_back(numerator(v) * (D_ / denominator(v)));
}

rational InnerProducts<rational>::operator()(const rational* p) const {
    integer L = 1;
    for (std::size_t t = 0; t < y_.size(); ++t)
        if (p[t] != 0) L = lcm(L, denominator(p[t]));
    integer acc = 0;
    for (std::size_t t = 0; t < y_.size(); ++t)
        if (p[t] != 0) acc += numerator(p[t]) * (L / denominator(p[t])) * y_[t];
    return rational(acc, L * D_);
}

template <class T>
UncertaintySet<T> convert(const Uncertainty& u) {
    UncertaintySet<T> out;
    out.type = u.type;
    for (const auto& x : u.radius) out.radius.push_back(from_rational<T>(x));
    for (const auto& x : u.lower) out.lower.push_back(from_rational<T>(x));
    for (const auto& x : u.upper) out.upper.push_back(from_rational<T>(x));
    for (const auto& list : u.points) {
        std::vector<Vector<T>> pts;
        for (const auto& p : list) {
            Vector<T> v;
            for (const auto& x : p) v.push_back(from_rational<T>(x));
            pts.push_back(std::move(v));
        }
        out.points.push_back(std::move(pts));
    }
    return out;
}

namespace {


// The orders the greedy worst cases need, computed once per V (not once per (s,a)): states by
// increasing V and by decreasing V, ties by increasing index; and the first state of largest V.
struct Order {
    std::vector<std::size_t> ascending, descending;
    std::size_t top = 0;
};

template <class T>
Order order_of(const Vector<T>& V) {
    Order o;
    o.ascending.resize(V.size());
    std::iota(o.ascending.begin(), o.ascending.end(), std::size_t{0});
    o.descending = o.ascending;
    std::stable_sort(o.ascending.begin(), o.ascending.end(), [&](std::size_t i, std::size_t j) { return V[i] < V[j]; });
    std::stable_sort(o.descending.begin(), o.descending.end(), [&](std::size_t i, std::size_t j) { return V[i] > V[j]; });
    o.top = o.descending.front();
    return o;
}

// The same orders for the pair (V, W) compared lexicographically: the order of V + eps W for every
// small eps > 0 (worst_case_on_face).
template <class T>
Order lexicographic_order_of(const Vector<T>& V, const Vector<T>& W) {
    Order o;
    o.ascending.resize(V.size());
    std::iota(o.ascending.begin(), o.ascending.end(), std::size_t{0});
    o.descending = o.ascending;
    auto less = [&](std::size_t i, std::size_t j) { return V[i] < V[j] || (V[i] == V[j] && W[i] < W[j]); };
    std::stable_sort(o.ascending.begin(), o.ascending.end(), less);
    std::stable_sort(o.descending.begin(), o.descending.end(), [&](std::size_t i, std::size_t j) { return less(j, i); });
    o.top = o.descending.front();
    return o;
}

template <class T>
WorstCase<T> worst_case_ordered(const UncertaintySet<T>& U, const Kernel<T>& nominal, std::size_t s, std::size_t a,
                                const InnerProducts<T>& dot, const Order& ord) {
    const std::size_t n = nominal.S;
    WorstCase<T> w;
    w.p.resize(n);
    for (std::size_t t = 0; t < n; ++t) w.p[t] = nominal(s, a, t);
    switch (U.type) {
        case Uncertainty::kind::none: break;
        case Uncertainty::kind::l1: {
            const std::size_t j = ord.top;
            T half = U.radius[s * nominal.A + a] / 2;
            T room = T(1) - w.p[j];
            T delta = half < room ? half : room;
            w.p[j] += delta;
            T remaining = delta;
            for (std::size_t t : ord.ascending) {
                if (remaining == 0) break;
                if (t == j) continue;
                T take = w.p[t] < remaining ? w.p[t] : remaining;
                w.p[t] -= take;
                remaining -= take;
            }
            break;
        }
        case Uncertainty::kind::interval: {
            const std::size_t off = (s * nominal.A + a) * n;
            T remaining(1);
            for (std::size_t t = 0; t < n; ++t) {
                w.p[t] = U.lower[off + t];
                remaining -= w.p[t];
            }
            for (std::size_t t : ord.descending) {
                if (remaining == 0) break;
                T cap = U.upper[off + t] - U.lower[off + t];
                T add = cap < remaining ? cap : remaining;
                w.p[t] += add;
                remaining -= add;
            }
            break;
        }
        case Uncertainty::kind::finite: {
            const auto& pts = U.points[s * nominal.A + a];
            std::size_t best = 0;
            T best_value = dot(pts[0].data());
            for (std::size_t k = 1; k < pts.size(); ++k) {
                T v = dot(pts[k].data());
                if (v > best_value) {
                    best = k;
                    best_value = v;
                }
            }
            w.p = pts[best];
            w.value = best_value;
            return w;
        }
    }
    w.value = dot(w.p.data());
    return w;
}

}  // namespace

template <class T>
WorstCase<T> worst_case(const UncertaintySet<T>& U, const Kernel<T>& nominal, std::size_t s, std::size_t a,
                        const Vector<T>& V) {
    return worst_case_ordered(U, nominal, s, a, InnerProducts<T>(V), order_of(V));
}

template <class T>
Matrix<T> worst_case_values(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V) {
    Matrix<T> out(nominal.S, nominal.A);
    const Order ord = order_of(V);
    const InnerProducts<T> dot(V);
    for (std::size_t s = 0; s < nominal.S; ++s)
        for (std::size_t a = 0; a < nominal.A; ++a) out(s, a) = worst_case_ordered(U, nominal, s, a, dot, ord).value;
    return out;
}

template <class T>
Kernel<T> worst_case_kernel(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V) {
    Kernel<T> out(nominal.S, nominal.A);
    const Order ord = order_of(V);
    const InnerProducts<T> dot(V);
    for (std::size_t s = 0; s < nominal.S; ++s)
        for (std::size_t a = 0; a < nominal.A; ++a) {
            const WorstCase<T> w = worst_case_ordered(U, nominal, s, a, dot, ord);
            for (std::size_t t = 0; t < nominal.S; ++t) out(s, a, t) = w.p[t];
        }
    return out;
}

namespace {

template <class T>
WorstCase<T> worst_case_on_face_ordered(const UncertaintySet<T>& U, const Kernel<T>& nominal, std::size_t s,
                                        std::size_t a, const InnerProducts<T>& dotV, const InnerProducts<T>& dotW,
                                        const Order& lex) {
    if (U.type != Uncertainty::kind::finite) return worst_case_ordered(U, nominal, s, a, dotW, lex);
    const auto& pts = U.points[s * nominal.A + a];
    std::size_t best = 0;
    T bestV = dotV(pts[0].data()), bestW = dotW(pts[0].data());
    for (std::size_t k = 1; k < pts.size(); ++k) {
        const T v = dotV(pts[k].data());
        if (v < bestV) continue;
        const T w = dotW(pts[k].data());
        if (v > bestV || w > bestW) {
            best = k;
            bestV = v;
            bestW = w;
        }
    }
    return WorstCase<T>{pts[best], bestW};
}

}  // namespace

template <class T>
WorstCase<T> worst_case_on_face(const UncertaintySet<T>& U, const Kernel<T>& nominal, std::size_t s, std::size_t a,
                                const Vector<T>& V, const Vector<T>& W) {
    return worst_case_on_face_ordered(U, nominal, s, a, InnerProducts<T>(V), InnerProducts<T>(W),
                                      lexicographic_order_of(V, W));
}

template <class T>
Kernel<T> worst_case_kernel_on_face(const UncertaintySet<T>& U, const Kernel<T>& nominal, const Vector<T>& V,
                                    const Vector<T>& W) {
    Kernel<T> out(nominal.S, nominal.A);
    const Order lex = lexicographic_order_of(V, W);
    const InnerProducts<T> dotV(V), dotW(W);
    for (std::size_t s = 0; s < nominal.S; ++s)
        for (std::size_t a = 0; a < nominal.A; ++a) {
            const WorstCase<T> w = worst_case_on_face_ordered(U, nominal, s, a, dotV, dotW, lex);
            for (std::size_t t = 0; t < nominal.S; ++t) out(s, a, t) = w.p[t];
        }
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
        out[s] = Q(s, 0);
        for (std::size_t a = 1; a < m.A; ++a)
            if (Q(s, a) < out[s]) out[s] = Q(s, a);
    }
    return out;
}

#define RMDP_ROBUST_INSTANTIATE(T)                                                                         \
    template UncertaintySet<T> convert<T>(const Uncertainty&);                                           \
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
RMDP_ROBUST_INSTANTIATE(rational)
RMDP_ROBUST_INSTANTIATE(mpfr_float)
RMDP_ROBUST_INSTANTIATE(double)
RMDP_ROBUST_INSTANTIATE(long double)

}  // namespace rmdp
