#include "rmdp/error_bound.hpp"

#include <algorithm>

namespace rmdp {

namespace {
rational abs_q(const rational& x) { return x < 0 ? rational(-x) : x; }
}  // namespace

namespace {
// Non-exact set kinds (kl): T V~ enclosed in MPFI at >= 128 bits through the kind's certified
// worst_case<mpfi_float>; the bound is the upper end of the residual's enclosure (error_bound.hpp).
residual_bound enclosed_residual_bound(const MdpData& m, const PolicyData* pi, const Vector<rational>& V) {
    struct precision_scope {
        unsigned saved = working_precision();
        precision_scope() { set_working_precision(std::max(saved, 128u)); }
        ~precision_scope() { set_working_precision(saved); }
    } scope;
    const auto iv = [](const rational& x) { return from_rational<mpfi_float>(x); };
    Kernel<mpfi_float> P(m.S, m.A);
    for (std::size_t i = 0; i < P.p.size(); ++i) P.p[i] = iv(m.P.p[i]);
    const Vector<mpfi_float> Vi = map_vector<mpfi_float>(V, iv);
    const InnerProducts<mpfi_float> dot(Vi);
    const Order none;
    Matrix<mpfi_float> Q(m.S, m.A);
    m.uncertainty.visit([&](const auto& k) {
        using K = std::decay_t<decltype(k)>;
        if constexpr (!K::traits.exact) {
            const auto ki = k.template map<mpfi_float>(iv);
            for (std::size_t s = 0; s < m.S; ++s)
                for (std::size_t a = 0; a < m.A; ++a)
                    Q(s, a) = iv(m.cost[s * m.A + a]) +
                              iv(m.gamma) * ki.worst_case(SetRow<mpfi_float>{s, a, m.S, m.A, P.row(s, a), Vi, dot, none}).value;
        }
    });
    residual_bound b;
    b.Q_at = Matrix<rational>(m.S, m.A);
    for (std::size_t i = 0; i < Q.data.size(); ++i) {
        const rational lo = lower_rational(Q.data[i]), hi = upper_rational(Q.data[i]);
        b.Q_at.data[i] = (lo + hi) / 2;
        b.Q_radius = std::max(b.Q_radius, rational((hi - lo) / 2));
    }
    rational residual = 0;
    for (std::size_t s = 0; s < m.S; ++s) {
        rational lo, hi;  // the enclosure of (T V~)(s)
        if (pi) {
            mpfi_float t(0);
            for (std::size_t a = 0; a < m.A; ++a) t += iv(pi->pi[s * m.A + a]) * Q(s, a);
            lo = lower_rational(t);
            hi = upper_rational(t);
        } else {
            lo = lower_rational(Q(s, 0));
            hi = upper_rational(Q(s, 0));
            for (std::size_t a = 1; a < m.A; ++a) {
                lo = std::min(lo, lower_rational(Q(s, a)));
                hi = std::min(hi, upper_rational(Q(s, a)));
            }
        }
        residual = std::max({residual, abs_q(hi - V[s]), abs_q(lo - V[s])});
    }
    b.V = residual / (rational(1) - m.gamma);
    return b;
}
}  // namespace

residual_bound bellman_residual_bound(const MdpData& m, const PolicyData* pi, const Vector<rational>& V) {
    if (!m.uncertainty.traits().exact) return enclosed_residual_bound(m, pi, V);
    const Mdp<rational> mq = convert<rational>(m);
    const UncertaintySet<rational> U = convert<rational>(m.uncertainty);
    residual_bound b;
    b.Q_at = robust_q(mq, U, V);
    Vector<rational> TV;
    if (pi) {
        const Policy<rational> pq = convert<rational>(*pi);
        for (std::size_t s = 0; s < m.S; ++s) TV.push_back(inner_at(pq, b.Q_at, s));
    } else {
        for (std::size_t s = 0; s < m.S; ++s) {
            rational best = b.Q_at(s, 0);
            for (std::size_t a = 1; a < m.A; ++a) best = std::min(best, b.Q_at(s, a));
            TV.push_back(best);
        }
    }
    rational residual = 0;
    for (std::size_t s = 0; s < m.S; ++s) residual = std::max(residual, abs_q(TV[s] - V[s]));
    b.V = residual / (rational(1) - m.gamma);
    return b;
}

template <class T>
evaluation_bound evaluation_error_bound(const MdpData& m, const Kernel<rational>& P, const PolicyData& pi,
                                        const Vector<T>& V) {
    Vector<rational> Vq;
    for (const auto& x : V) Vq.push_back(exact_value(x));
    const Mdp<rational> mq = convert<rational>(m);
    const Policy<rational> pq = convert<rational>(pi);
    const Matrix<rational> Qexact = q_value(mq, P, Vq);  // c + gamma P V~, exactly
    rational residual = 0;
    for (std::size_t s = 0; s < m.S; ++s) residual = std::max(residual, abs_q(inner_at(pq, Qexact, s) - Vq[s]));
    evaluation_bound b;
    b.V = residual / (rational(1) - m.gamma);
    // The Q-values as the caller computes them in T, from T's rounded data.
    const Mdp<T> mt = convert<T>(m);
    const Matrix<T> Qt = q_value(mt, convert<T>(P), V);
    rational qdiff = 0;
    for (std::size_t i = 0; i < Qt.data.size(); ++i) qdiff = std::max(qdiff, abs_q(exact_value(Qt.data[i]) - Qexact.data[i]));
    b.Q = qdiff + m.gamma * b.V;
    return b;
}

template evaluation_bound evaluation_error_bound(const MdpData&, const Kernel<rational>&, const PolicyData&,
                                                 const Vector<double>&);
template evaluation_bound evaluation_error_bound(const MdpData&, const Kernel<rational>&, const PolicyData&,
                                                 const Vector<long double>&);
template evaluation_bound evaluation_error_bound(const MdpData&, const Kernel<rational>&, const PolicyData&,
                                                 const Vector<mpfr_float>&);

}  // namespace rmdp
