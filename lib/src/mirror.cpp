#include "rmdp/mirror.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>

namespace rmdp {

const char* to_string(bregman D) {
    switch (D) {
        case bregman::euclid: return "euclid";
        case bregman::euclid_w: return "euclid-w";
        case bregman::kl: return "kl";
    }
    return "?";
}

// Euclidean projection onto the simplex (sort, then the threshold tau). Its branches go through the
// filtered comparisons (scalar.hpp): for intervals each is decided by the enclosures, so the result
// encloses the exact projection, or undecided_comparison is thrown (e.g. at tied entries).
template <class T>
Vector<T> project_simplex(const Vector<T>& y) {
    Vector<T> u = y;
    std::sort(u.begin(), u.end(), [](const T& a, const T& b) { return less(b, a); });
    // The support of the projection is the r largest entries; tau makes the result sum to 1.
    T sum(0), tau(0);
    for (std::size_t j = 0; j < u.size(); ++j) {
        sum += u[j];
        T t = T(sum - T(1)) / T(static_cast<long>(j + 1));
        if (less(t, u[j])) tau = t;
    }
    Vector<T> x(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) x[i] = less(tau, y[i]) ? T(y[i] - tau) : T(0);
    return x;
}

template <class T>
Policy<T> mirror_step(const Policy<T>& pi, const Matrix<T>& Q, const T& eta, bregman D) {
    if (Q.rows != pi.rows || Q.cols != pi.cols) throw std::invalid_argument("mirror_step: Q and pi differ in shape");
    Policy<T> next(pi.rows, pi.cols);
    if (D == bregman::euclid || D == bregman::euclid_w) {
        // Euclidean prox: argmin eta<Q,p> + c||p - pi||^2 over the simplex = Proj(pi - eta Q/(2c)),
        // c = 1/2 (euclid) or 1 (euclid_w).
        const T scale = D == bregman::euclid ? eta : T(eta / T(2));
        for (std::size_t s = 0; s < pi.rows; ++s) {
            Vector<T> y(pi.cols);
            for (std::size_t a = 0; a < pi.cols; ++a) y[a] = pi(s, a) - scale * Q(s, a);
            const Vector<T> x = project_simplex(y);
            for (std::size_t a = 0; a < pi.cols; ++a) next(s, a) = x[a];
        }
        return next;
    }
    if constexpr (!scalar_traits<T>::has_exp_log) {
        throw std::invalid_argument(
            "the KL mirror step pi e^{-eta Q}/Z needs exp, which exact rationals do not have: "
            "use --arith mpfr:BITS, interval:BITS (certified enclosures) or double");
    } else {
        using std::exp;
        auto positive = [](const T& x) { return scalar_traits<T>::le(x, T(0)) == truth::no; };
        auto zero = [](const T& x) { return scalar_traits<T>::eq(x, T(0)) == truth::yes; };
        for (std::size_t s = 0; s < pi.rows; ++s)
            for (std::size_t a = 0; a < pi.cols; ++a) {
                if (zero(pi(s, a))) continue;  // KL never leaves the support of pi_k
                if (!positive(pi(s, a))) throw std::invalid_argument("mirror_step (kl): pi(a|s) is neither 0 nor positive");
                // 1/pi_{k+1}(a|s) = sum_b (pi(b|s)/pi(a|s)) e^{eta (Q(s,a) - Q(s,b))}; the b = a term is 1.
                T denom(1);
                for (std::size_t b = 0; b < pi.cols; ++b)
                    if (b != a && !zero(pi(s, b))) denom += pi(s, b) / pi(s, a) * exp(T(eta * T(Q(s, a) - Q(s, b))));
                next(s, a) = T(1) / denom;
                // An enclosure touching 0 certifies nothing (and its KL divergence would be infinite):
                // e^{eta (Q(s,a) - Q(s,b))} left the exponent range. That is the input's step size.
                if constexpr (is_interval_v<T>)
                    if (!positive(next(s, a)))
                        throw std::invalid_argument("the KL step overflows MPFR's exponent range at s=" + std::to_string(s) +
                                                    ": eta * (Q(s,a) - Q(s,b)) is too large (use a smaller eta)");
            }
        return next;
    }
}

template <class T>
T bregman_divergence(bregman D, const Policy<T>& p, const Policy<T>& q, std::size_t s) {
    T acc(0);
    if (D == bregman::euclid || D == bregman::euclid_w) {
        for (std::size_t a = 0; a < p.cols; ++a) {
            const T d = p(s, a) - q(s, a);
            acc += d * d;
        }
        return D == bregman::euclid ? T(acc / T(2)) : acc;
    }
    if constexpr (!scalar_traits<T>::has_exp_log) {
        throw std::invalid_argument("the KL divergence needs log, which exact rationals do not have");
    } else {
        using std::log;
        for (std::size_t a = 0; a < p.cols; ++a) {
            if (scalar_traits<T>::eq(p(s, a), T(0)) == truth::yes) continue;  // 0 log 0 = 0
            if (scalar_traits<T>::le(q(s, a), T(0)) != truth::no)
                throw std::domain_error("KL divergence is infinite (or undecided): p(a|s) > 0 where q(a|s) is not positive");
            acc += p(s, a) * log(T(p(s, a) / q(s, a)));
        }
        return acc;
    }
}

#define RMDP_MIRROR_INSTANTIATE(T)                                                  \
    template Vector<T> project_simplex(const Vector<T>&);                           \
    template Policy<T> mirror_step(const Policy<T>&, const Matrix<T>&, const T&, bregman); \
    template T bregman_divergence(bregman, const Policy<T>&, const Policy<T>&, std::size_t);
RMDP_ALL_SCALARS(RMDP_MIRROR_INSTANTIATE)

}  // namespace rmdp
