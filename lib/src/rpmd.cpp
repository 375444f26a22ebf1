#include "rmdp/rpmd.hpp"
#include "rmdp/deadline.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <stdexcept>

namespace rmdp {

const char* to_string(step_schedule s) { return s == step_schedule::constant ? "constant" : "linear"; }

RpmdConstant rpmd_constant(const MdpData& m, const Policy<rational>& pi_star) {
    const UncertaintySet<rational> U = convert<rational>(m.uncertainty);
    RpmdConstant out;
    rational best = -1;
    bool infinite = false;
    for (std::size_t s = 0; s < m.S; ++s) {
        // Nature maximises discounted visits to s: the robust value of pi* for c(s',a) = 1{s' = s}.
        MdpData visits = m;
        for (std::size_t t = 0; t < m.S; ++t)
            for (std::size_t a = 0; a < m.A; ++a) visits.cost[t * m.A + a] = rational(t == s ? 1 : 0);
        const Mdp<rational> mv = convert<rational>(visits);
        const Vector<rational> V = robust_value(mv, U, pi_star).V;
        const Vector<rational> TV = robust_bellman(mv, U, pi_star, V);
        rational avg = 0;
        for (std::size_t t = 0; t < m.S; ++t) {
            if (TV[t] != V[t]) throw std::logic_error("rpmd_constant: robust visit value fails T_r^pi V = V");
            avg += m.rho[t] * V[t];
        }
        const rational sup = (1 - m.gamma) * avg;
        // Attained: the worst-case kernel of V has exactly this occupancy at s.
        const Vector<rational> d = occupancy(mv, worst_case_kernel(U, mv.P, V), pi_star, mv.rho);
        if (d[s] != sup) throw std::logic_error("rpmd_constant: the worst-case kernel does not attain sup_u d_rho(s)");
        out.sup_visits.push_back(sup);
        if (m.rho[s] == 0) {
            if (sup > 0) infinite = true;
            continue;
        }
        const rational ratio = sup / m.rho[s];
        if (ratio > best) {
            best = ratio;
            out.argmax = s;
        }
    }
    if (!infinite) out.M = best;
    return out;
}

namespace {

// A rational for a message: 3 significant digits (exact ones can have thousands).
std::string short_decimal(const rational& x) {
    mpfr_t v;
    mpfr_init2(v, 53);
    mpfr_set_q(v, x.backend().data(), MPFR_RNDN);
    char buf[64];
    mpfr_snprintf(buf, sizeof buf, "%.3Rg", v);
    mpfr_clear(v);
    return buf;
}

template <class T>
bool same_policy(const Policy<T>& a, const Policy<T>& b) {
    for (std::size_t i = 0; i < a.data.size(); ++i)
        if (!equal(a.data[i], b.data[i])) return false;  // filtered for intervals
    return true;
}

// A float step can leave the simplex: with a large eta the projection's threshold is computed
// from entries of size eta |Q| and absorbs the probabilities (eta = 1e16 in double gave all-zero
// rows). Each row of pi_{k+1} must be finite, nonnegative and sum to 1 within the rounding of a
// sum of A terms in [0,1] after a projection that rounds each entry once: 4 (A + 2) u. Outside
// that the run stops with std::invalid_argument (the command line: exit 2), never prints a
// non-policy. Exact iterates are on the simplex by construction.
template <class T>
void require_policy(const Policy<T>& pi, std::size_t k, const RpmdOptions& opt) {
    if constexpr (!is_exact_v<T> && !is_interval_v<T>) {
        using std::abs;
        const T tol = T(4 * (pi.cols + 2)) * scalar_traits<T>::unit_roundoff();
        for (std::size_t s = 0; s < pi.rows; ++s) {
            T sum(0);
            bool ok = true;
            for (std::size_t a = 0; a < pi.cols; ++a) {
                const T& x = pi(s, a);
                ok = ok && x == x && x >= T(0) && x <= T(1);  // x == x: not NaN
                sum += x;
            }
            if (!ok || abs(T(sum - T(1))) > tol)
                throw std::invalid_argument(
                    "the " + std::string(scalar_traits<T>::name()) + " iterate pi_" + std::to_string(k) + " left the simplex at state " +
                    std::to_string(s) + " (row sum " + to_string(sum) + "): eta = " + short_decimal(opt.eta) +
                    " is too large for this arithmetic's rounding; use --arith exact (Euclidean steps), "
                    "interval:BITS (KL), or a smaller eta");
        }
    }
}

// The loop shared by every run; `step(pi, Q, eta)` returns pi_{k+1}.
template <class T, class Step>
RpmdRun<T> run_with(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi0, const RpmdOptions& opt,
                    const T* f_star, Step&& step) {
    if (opt.eta <= 0) throw std::invalid_argument("the step size eta must be positive");
    // Exact iterates grow in bit size about |S|-fold per step until a vertex is reached (docs/rpmd.md,
    // "Sizes": K = 10 at 4x3 took 115 s).
    if (is_exact_v<T> && opt.steps > 12 && m.S > 2)
        warn_predicted_work("an exact RPMD run of up to " + std::to_string(opt.steps) + " steps on " + std::to_string(m.S) +
                            " states: bit sizes can grow about |S|-fold per step until a vertex is reached (docs/rpmd.md, "
                            "'Sizes'); --time-limit SECONDS bounds the run, --arith double is fast");
    RpmdRun<T> r;
    Policy<T> pi = pi0;
    Kernel<T> warm;
    const T eta = from_rational<T>(opt.eta);
    for (std::size_t k = 0;; ++k) {
        poll("RPMD step", k);
        // Nature restarts from the previous worst case: successive policies are close.
        const RobustEvaluation<T> ev = robust_value(m, U, pi, k == 0 ? nullptr : &warm);
        warm = ev.kernel;
        RpmdIterate<T> it{pi, ev.V, robust_q(m, U, ev.V), worst_case_kernel(U, m.P, ev.V), T(0), T(0)};
        for (std::size_t s = 0; s < m.S; ++s) it.f += m.rho[s] * ev.V[s];
        if (f_star && opt.tolerance && scalar_traits<T>::le(T(it.f - *f_star), from_rational<T>(*opt.tolerance)) == truth::yes) {
            r.iterates.push_back(std::move(it));
            r.stop = "f_rho(pi_k) - f_rho(pi*) <= tolerance " + opt.tolerance->str();
            return r;
        }
        if (k == opt.steps) {
            r.iterates.push_back(std::move(it));
            r.stop = std::to_string(opt.steps) + " steps";
            return r;
        }
        it.eta = step_size(opt.schedule, eta, k);
        Policy<T> next = step(it.pi, it.Q, it.eta);
        require_policy(next, k + 1, opt);
        const bool fixed = same_policy(next, it.pi);
        r.iterates.push_back(std::move(it));
        if (fixed) {
            r.stop = "fixed point: pi_{k+1} = pi_k at k = " + std::to_string(k);
            return r;
        }
        pi = std::move(next);
    }
}

}  // namespace

template <class T>
RpmdRun<T> rpmd_run(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi0, const RpmdOptions& opt,
                    const T* f_star) {
    return run_with(m, U, pi0, opt, f_star,
                    [&](const Policy<T>& pi, const Matrix<T>& Q, const T& eta) { return mirror_step(pi, Q, eta, opt.D); });
}

rational kl_step_exponent(const Policy<rational>& pi, const Matrix<rational>& Q, const rational& eta) {
    rational x = 0;
    for (std::size_t s = 0; s < pi.rows; ++s) {
        std::optional<rational> lo, hi;
        for (std::size_t a = 0; a < pi.cols; ++a) {
            if (pi(s, a) == 0) continue;  // KL never leaves the support
            if (!lo || Q(s, a) < *lo) lo = Q(s, a);
            if (!hi || Q(s, a) > *hi) hi = Q(s, a);
        }
        if (lo) x = std::max(x, rational(eta * (*hi - *lo)));
    }
    return x;
}

CertifiedKlStep kl_step_certified(const Policy<rational>& pi, const Matrix<rational>& Q, const rational& eta) {
    const rational x = kl_step_exponent(pi, Q, eta);
    if (x > kl_exact_exponent_limit)
        throw std::invalid_argument("the KL step's exponent eta * span Q(s,.) = " + short_decimal(x) + " exceeds " +
                                    std::to_string(kl_exact_exponent_limit) +
                                    ": exact iterates would carry probabilities below e^-" +
                                    std::to_string(kl_exact_exponent_limit) + " (use a smaller eta)");
    Policy<mpfi_float> pi_i(pi.rows, pi.cols), Q_i(Q.rows, Q.cols);
    for (std::size_t i = 0; i < pi.data.size(); ++i) {
        pi_i.data[i] = from_rational<mpfi_float>(pi.data[i]);
        Q_i.data[i] = from_rational<mpfi_float>(Q.data[i]);
    }
    CertifiedKlStep out{mirror_step(pi_i, Q_i, from_rational<mpfi_float>(eta), bregman::kl), Policy<rational>(pi.rows, pi.cols), 0};
    for (std::size_t s = 0; s < pi.rows; ++s) {
        bool constant = true;  // Q(s,.) constant on the support: the exact step keeps pi(.|s)
        std::optional<rational> q;
        for (std::size_t a = 0; a < pi.cols; ++a)
            if (pi(s, a) != 0) {
                constant = constant && (!q || *q == Q(s, a));
                q = Q(s, a);
            }
        if (constant) {
            for (std::size_t a = 0; a < pi.cols; ++a) {
                out.point(s, a) = pi(s, a);
                out.enclosure(s, a) = from_rational<mpfi_float>(pi(s, a));
            }
            continue;
        }
        rational sum = 0;
        for (std::size_t a = 0; a < pi.cols; ++a) {
            const mpfi_float& e = out.enclosure(s, a);
            out.point(s, a) = (lower_rational(e) + upper_rational(e)) / 2;
            sum += out.point(s, a);
        }
        for (std::size_t a = 0; a < pi.cols; ++a) {
            out.point(s, a) /= sum;
            const rational lo = out.point(s, a) - lower_rational(out.enclosure(s, a)),
                           hi = upper_rational(out.enclosure(s, a)) - out.point(s, a);
            out.error = std::max({out.error, lo, hi});
        }
    }
    return out;
}

CertifiedKlRun rpmd_run_certified_kl(const Mdp<rational>& m, const UncertaintySet<rational>& U,
                                     const Policy<rational>& pi0, const RpmdOptions& opt, const rational* f_star) {
    CertifiedKlRun out;
    auto step = [&](const Policy<rational>& pi, const Matrix<rational>& Q, const rational& eta) {
        CertifiedKlStep st = kl_step_certified(pi, Q, eta);
        out.enclosure.push_back(std::move(st.enclosure));
        out.step_error.push_back(st.error);
        return std::move(st.point);
    };
    out.run = run_with(m, U, pi0, opt, f_star, step);
    return out;
}

template <class T>
T recursion_rhs(const Mdp<T>& m, const Kernel<T>& u_k, const Policy<T>& pi_k, const Policy<T>& pi_next,
                const Policy<T>& pi_star, const T& gap_k, const T& M, const T& eta_k, bregman D) {
    const Vector<T> d = occupancy(m, u_k, pi_star, m.rho);  // d_rho^{pi*,u_k}
    T acc(0);
    for (std::size_t s = 0; s < m.S; ++s)
        acc += d[s] * T(bregman_divergence(D, pi_star, pi_k, s) - bregman_divergence(D, pi_star, pi_next, s));
    return T(T(1) - T(T(1) - m.gamma) / M) * gap_k + acc / T(M * eta_k);
}

template <class T>
SublinearSides<T> sublinear_sides(const std::vector<T>& gaps, std::size_t k, std::size_t S, const T& gamma, const T& M,
                                  const T& eta) {
    if (k == 0 || k >= gaps.size()) throw std::invalid_argument("sublinear_sides: need 1 <= k < number of iterates");
    T sum(0);
    for (std::size_t t = 1; t < k; ++t) sum += gaps[t];
    SublinearSides<T> out{T(gaps[k] + T(T(1) - gamma) / M * sum), gaps[0], T(T(static_cast<long>(S)) / M),
                          T(T(18 * static_cast<long>(k)) / T(eta * T(T(1) - gamma)))};
    return out;
}

#define RMDP_RPMD_INSTANTIATE(T)                                                                                    \
    template RpmdRun<T> rpmd_run(const Mdp<T>&, const UncertaintySet<T>&, const Policy<T>&, const RpmdOptions&,     \
                                 const T*);                                                                         \
    template SublinearSides<T> sublinear_sides(const std::vector<T>&, std::size_t, std::size_t, const T&, const T&, \
                                               const T&);
RMDP_ALL_SCALARS(RMDP_RPMD_INSTANTIATE)
#undef RMDP_RPMD_INSTANTIATE
#define RMDP_RPMD_RHS_INSTANTIATE(T)                                                                        \
    template T recursion_rhs(const Mdp<T>&, const Kernel<T>&, const Policy<T>&, const Policy<T>&, const Policy<T>&, \
                             const T&, const T&, const T&, bregman);
RMDP_ALL_SCALARS(RMDP_RPMD_RHS_INSTANTIATE)
#undef RMDP_RPMD_RHS_INSTANTIATE

}  // namespace rmdp
