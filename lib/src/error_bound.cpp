#include "rmdp/error_bound.hpp"

namespace rmdp {

namespace {
rational abs_q(const rational& x) { return x < 0 ? rational(-x) : x; }
}  // namespace

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
