#include "rmdp/error_bound.hpp"

namespace rmdp {

namespace {
rational g(std::size_t k, const rational& u) {
    rational ku = rational(static_cast<long>(k)) * u;
    return ku / (rational(1) - ku);
}
rational abs_q(const rational& x) { return x < 0 ? rational(-x) : x; }
}  // namespace

template <class T>
evaluation_bound evaluation_error_bound(const MdpData& m, const Kernel<rational>& P, const PolicyData& pi,
                                        const Vector<T>& V) {
    const rational u = exact_value(scalar_traits<T>::unit_roundoff());
    const Mdp<T> mt = convert<T>(m);
    const Kernel<T> Pt = convert<T>(P);
    const Policy<T> pit = convert<T>(pi);
    const Matrix<T> Ppi = policy_kernel(Pt, pit);
    const Vector<T> cpi = policy_cost(mt.cost, pit);
    rational rnorm = 0, vnorm = 0, cmax = 0;
    for (std::size_t s = 0; s < m.S; ++s) {
        T next(0);
        for (std::size_t t = 0; t < m.S; ++t) next += Ppi(s, t) * V[t];
        T r = cpi[s] - V[s] + mt.gamma * next;
        rnorm = std::max(rnorm, abs_q(exact_value(r)));
        vnorm = std::max(vnorm, abs_q(exact_value(V[s])));
    }
    for (const auto& c : m.cost) cmax = std::max(cmax, abs_q(c));
    const rational one_minus = rational(1) - m.gamma;
    evaluation_bound b;
    b.V = (rnorm + g(m.S + m.A + 6, u) * (cmax + (rational(1) + m.gamma) * vnorm)) / one_minus;
    b.Q = m.gamma * b.V + g(m.S + 4, u) * (cmax + m.gamma * vnorm);
    return b;
}

template evaluation_bound evaluation_error_bound(const MdpData&, const Kernel<rational>&, const PolicyData&,
                                                 const Vector<double>&);
template evaluation_bound evaluation_error_bound(const MdpData&, const Kernel<rational>&, const PolicyData&,
                                                 const Vector<long double>&);
template evaluation_bound evaluation_error_bound(const MdpData&, const Kernel<rational>&, const PolicyData&,
                                                 const Vector<mpfr_float>&);

}  // namespace rmdp
