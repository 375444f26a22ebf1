#include "rmdp/error_bound.hpp"

namespace rmdp {

namespace {
rational abs_q(const rational& x) { return x < 0 ? rational(-x) : x; }
}  // namespace

residual_bound bellman_residual_bound(const MdpData& m, const PolicyData* pi, const Vector<rational>& V) {
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
