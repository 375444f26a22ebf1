#include "rmdp/solvers.hpp"
#include "rmdp/deadline.hpp"
#include "rmdp/norms.hpp"
#include "rmdp/rounding.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace rmdp {

namespace {

// Exact and MPFR solvers are warm-started from a double-precision run: its answer only chooses
// where the iteration starts (a policy, a kernel); termination and the result's certificate do not
// depend on it (docs/robust.md). The warm start is skipped if the data leave double's range or the
// double run fails. Interval solves are MPFR solves enclosed afterwards, so they share it.
template <class T>
inline constexpr bool warm_starts_from_double = is_exact_v<T> || std::is_same_v<T, mpfr_float>;

template <class T>
double to_double(const T& x) {
    double d;
    if constexpr (is_exact_v<T>)
        d = from_rational<double>(x);  // throws beyond double's range
    else
        d = mpfr_get_d(x.backend().data(), MPFR_RNDN);
    if (!std::isfinite(d)) throw std::range_error("warm start: value beyond double's range");
    return d;
}

// The model, set and policy in double: every number through to_double (model.hpp's maps).
template <class T>
Mdp<double> to_double(const Mdp<T>& m) {
    return map_mdp<double>(m, [](const T& x) { return to_double(x); });
}

template <class T>
UncertaintySet<double> to_double(const UncertaintySet<T>& U) {
    return U.template map<double>([](const T& x) { return to_double(x); });
}

template <class T>
Policy<double> to_double(const Policy<T>& pi) {
    return map_matrix<double>(pi, [](const T& x) { return to_double(x); });
}

// A double value as a T: exact for rationals (every double is dyadic), rounded to the working
// precision for MPFR.
template <class T>
Vector<T> from_double(const Vector<double>& v) {
    return map_vector<T>(v, [](double x) {
        if constexpr (is_exact_v<T>)
            return exact_value(x);
        else
            return T(x);
    });
}

}  // namespace

template <class T>
std::size_t nature_policy_iteration(Kernel<T>& kernel, Vector<T>& W,
                                    const std::function<Vector<T>(const Kernel<T>&)>& evaluate,
                                    const std::function<Kernel<T>(const Vector<T>&)>& best_response,
                                    Matrix<T>* values, const char* what, std::size_t max_iterations) {
    const std::size_t S = kernel.S, A = kernel.A;
    for (std::size_t iterations = 0;;) {
        poll(what, iterations);
        W = evaluate(kernel);
        ++iterations;
        const Kernel<T> best = best_response(W);
        const T margin = switch_margin(S, sup_norm(W));
        const InnerProducts<T> dot(W);
        if (values) *values = Matrix<T>(S, A);
        bool switched = false;
        for (std::size_t s = 0; s < S; ++s)
            for (std::size_t a = 0; a < A; ++a) {
                const T current = dot(&kernel(s, a, 0)), candidate = dot(&best(s, a, 0));
                if (values) (*values)(s, a) = candidate;
                if (less(T(current + margin), candidate)) {
                    for (std::size_t t = 0; t < S; ++t) kernel(s, a, t) = best(s, a, t);
                    switched = true;
                }
            }
        if (!switched) return iterations;
        if (iterations >= max_iterations)
            throw std::runtime_error(std::string(what) + " did not settle after " + std::to_string(iterations) +
                                     " evaluations (rounding in " + scalar_traits<T>::name() + " arithmetic?)");
    }
}

namespace {

// ---- MPFI: an MPFR solve on the midpoints (untrusted), enclosed by a contraction bound.

mpfi_float point(const mpfr_float& x) {
    mpfi_float v;
    mpfi_set_fr(v.backend().data(), x.backend().data());
    return v;
}

// The enclosure [x - r, x + r] for a point x and r = sup of `radius`.
mpfi_float ball(const mpfi_float& x, const mpfi_float& radius) {
    mpfr_float r;
    mpfi_get_right(r.backend().data(), radius.backend().data());
    mpfi_float unit;
    mpfi_interv_si(unit.backend().data(), -1, 1);
    return x + unit * point(r);
}

// V~ +- ||TV - V~||_inf / (1 - gamma): every point of the result contains the fixed point of a
// gamma-contraction T whose value at V~ lies in TV (Banach: ||V~ - V*|| <= ||T V~ - V~||/(1-gamma)).
Vector<mpfi_float> contraction_enclosure(const Vector<mpfi_float>& Vt, const Vector<mpfi_float>& TV, const mpfi_float& gamma) {
    Vector<mpfi_float> d;
    for (std::size_t s = 0; s < Vt.size(); ++s) d.push_back(TV[s] - Vt[s]);
    const mpfi_float radius = sup_norm(d) / (mpfi_float(1) - gamma);
    Vector<mpfi_float> V;
    for (const auto& x : Vt) V.push_back(ball(x, radius));
    return V;
}

RobustEvaluation<mpfi_float> enclosed_robust_value(const Mdp<mpfi_float>& m, const UncertaintySet<mpfi_float>& U,
                                                   const Policy<mpfi_float>& pi) {
    Policy<mpfr_float> pim(pi.rows, pi.cols);
    pim.data = map_vector<mpfr_float>(pi.data, midpoint);
    const RobustEvaluation<mpfr_float> e = robust_value(map_mdp<mpfr_float>(m, midpoint), U.template map<mpfr_float>(midpoint), pim);
    const Vector<mpfi_float> Vt = map_vector<mpfi_float>(e.V, point);
    RobustEvaluation<mpfi_float> r;
    r.V = contraction_enclosure(Vt, robust_bellman(m, U, pi, Vt), m.gamma);
    r.kernel = worst_case_kernel(U, m.P, r.V);
    r.worst_values = worst_case_values(U, m.P, r.V);
    r.iterations = e.iterations;
    return r;
}

RobustSolution<mpfi_float> enclosed_robust_solve(const Mdp<mpfi_float>& m, const UncertaintySet<mpfi_float>& U,
                                                 std::size_t max_iterations) {
    const RobustSolution<mpfr_float> e = robust_solve(map_mdp<mpfr_float>(m, midpoint), U.template map<mpfr_float>(midpoint), max_iterations);
    const Vector<mpfi_float> Vt = map_vector<mpfi_float>(e.V, point);
    RobustSolution<mpfi_float> r;
    r.V = contraction_enclosure(Vt, robust_bellman_optimal(m, U, Vt), m.gamma);
    r.Q = robust_q(m, U, r.V);
    r.kernel = worst_case_kernel(U, m.P, r.V);
    r.policy = Policy<mpfi_float>(m.S, m.A);
    for (std::size_t s = 0; s < m.S; ++s) {
        std::size_t best = 0;  // the first action of least Q, decided by the enclosures
        for (std::size_t a = 1; a < m.A; ++a)
            if (less(r.Q(s, a), r.Q(s, best))) best = a;
        for (std::size_t a = 0; a < best; ++a)  // certified: Q(s, best) < Q(s, a) before it, <= after it
            if (!less(r.Q(s, best), r.Q(s, a))) detail::undecided("argmin of Q");
        r.policy(s, best) = mpfi_float(1);
    }
    r.policy_iterations = e.policy_iterations;
    r.nature_iterations = e.nature_iterations;
    return r;
}

}  // namespace

template <class T>
RobustEvaluation<T> robust_value(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi,
                                 const Kernel<T>* start, std::size_t max_iterations) {
    if constexpr (is_interval_v<T>) {
        (void)start;
        (void)max_iterations;
        return enclosed_robust_value(m, U, pi);
    } else {
        RobustEvaluation<T> r;
        if (start) {
            r.kernel = *start;
        } else {
            bool warm = false;
            if constexpr (warm_starts_from_double<T>) {
                try {
                    const RobustEvaluation<double> d = robust_value(to_double(m), to_double(U), to_double(pi), static_cast<const Kernel<double>*>(nullptr), std::size_t{1000});
                    r.kernel = worst_case_kernel(U, m.P, from_double<T>(d.V));  // rows of U in T, chosen at the double V
                    warm = true;
                } catch (const std::exception&) {
                }
            }
            if (!warm) r.kernel = worst_case_kernel(U, m.P, value(m, m.P, pi));
        }
        r.iterations = nature_policy_iteration<T>(
            r.kernel, r.V, [&](const Kernel<T>& u) { return value(m, u, pi); },
            [&](const Vector<T>& V) { return worst_case_kernel(U, m.P, V); }, &r.worst_values,
            "robust_value: nature's policy iteration", max_iterations);
        return r;
    }
}

template <class T>
RobustSolution<T> robust_solve(const Mdp<T>& m, const UncertaintySet<T>& U, std::size_t max_iterations) {
    if constexpr (is_interval_v<T>) {
        return enclosed_robust_solve(m, U, max_iterations);
    } else {
        RobustSolution<T> out;
        out.policy = Policy<T>(m.S, m.A);
        bool warm_policy = false;
        Kernel<T> warm_kernel;
        if constexpr (warm_starts_from_double<T>) {
            try {
                // One conversion and one double solve serve both warm starts: the policy, and nature's
                // kernel for that policy (d.V is its robust value in double), so the first robust_value
                // below does not convert and solve in double again.
                const RobustSolution<double> d = robust_solve(to_double(m), to_double(U), std::size_t{1000});
                warm_kernel = worst_case_kernel(U, m.P, from_double<T>(d.V));
                for (std::size_t i = 0; i < d.policy.data.size(); ++i) out.policy.data[i] = d.policy.data[i] == 1.0 ? T(1) : T(0);
                warm_policy = true;
            } catch (const std::exception&) {
            }
        }
        if (!warm_policy)
            for (std::size_t s = 0; s < m.S; ++s) {
                std::size_t best = 0;
                for (std::size_t a = 1; a < m.A; ++a)
                    if (m.cost(s, a) < m.cost(s, best)) best = a;
                out.policy(s, best) = T(1);
            }
        std::vector<std::size_t> action(m.S);
        for (std::size_t s = 0; s < m.S; ++s)
            for (std::size_t a = 0; a < m.A; ++a)
                if (out.policy(s, a) == 1) action[s] = a;
        const Kernel<T>* warm = warm_policy ? &warm_kernel : nullptr;
        for (;;) {
            poll("robust policy iteration", out.policy_iterations);
            RobustEvaluation<T> ev = robust_value(m, U, out.policy, warm);
            out.nature_iterations += ev.iterations;
            ++out.policy_iterations;
            out.V = ev.V;
            out.kernel = ev.kernel;
            warm = &out.kernel;
            // robust_q(m, U, V), term for term, from the worst-case pass robust_value has just made at V.
            out.Q = Matrix<T>(m.S, m.A);
            for (std::size_t s = 0; s < m.S; ++s)
                for (std::size_t a = 0; a < m.A; ++a) out.Q(s, a) = m.cost(s, a) + m.gamma * ev.worst_values(s, a);
            bool switched = false;
            const T margin = switch_margin(m.S + m.A, sup_norm(out.Q.data));
            for (std::size_t s = 0; s < m.S; ++s) {
                std::size_t best = action[s];
                for (std::size_t a = 0; a < m.A; ++a)
                    if (out.Q(s, a) < out.Q(s, best) - margin) best = a;
                if (best != action[s]) {
                    out.policy(s, action[s]) = T(0);
                    out.policy(s, best) = T(1);
                    action[s] = best;
                    switched = true;
                }
            }
            if (!switched) return out;
            if (out.policy_iterations >= max_iterations)
                throw std::runtime_error("robust_solve: policy iteration did not settle after " +
                                         std::to_string(out.policy_iterations) + " policies");
        }
    }
}

template <class T>
ValueIterationResult<T> robust_value_iteration(const Mdp<T>& m, const UncertaintySet<T>& U, const T& eps_in,
                                               std::size_t max_iterations) {
    T eps = eps_in;
    using std::abs;
    ValueIterationResult<T> r;
    r.V.assign(m.S, T(0));
    const T factor = m.gamma / (T(1) - m.gamma);
    if constexpr (!is_exact_v<T>) {
        // ||V_{k+1} - V_k|| <= gamma^k ||T_r 0|| <= gamma^k c_max, so the rule is met after
        // K = log(eps / (factor c_max)) / log(gamma) steps in exact arithmetic. In T each step also
        // carries rounding noise of about 4 (S+A+2) u ||V|| with ||V|| <= c_max/(1-gamma); an eps below
        // factor times that may never be met, so it is refused rather than iterated for ever.
        const T cmax = sup_norm(m.cost.data);
        const T floor = factor * switch_margin(m.S + m.A, T(cmax / (T(1) - m.gamma)));
        // "auto": twice the floor, the smallest target this arithmetic can meet with margin; when
        // the floor is 0 (gamma = 0 or all costs 0) the rule is met at once and any eps > 0 will do.
        if (eps == 0) eps = floor > 0 ? T(2 * floor) : scalar_traits<T>::unit_roundoff();
        if (eps <= floor)
            throw std::invalid_argument("epsilon " + to_string(eps) + " is below the rounding floor " + to_string(floor) +
                                        " of value iteration in " + scalar_traits<T>::name() +
                                        " arithmetic for this MDP; use a larger epsilon or mpfr:BITS");
        if (m.gamma > 0 && cmax > 0 && factor * cmax > eps) {
            const double k = std::log(static_cast<double>(eps / (factor * cmax))) / std::log(static_cast<double>(m.gamma));
            // Valid input whose contraction is too slow for the iteration limit: refused before the
            // work, as bad usage (exit 2), not found after it.
            if (k >= static_cast<double>(max_iterations))
                throw std::invalid_argument("value iteration at gamma = " + to_string(m.gamma) + " needs about " +
                                            std::to_string(static_cast<long long>(k)) + " iterations to reach epsilon " +
                                            to_string(eps) + ", more than the limit of " + std::to_string(max_iterations) +
                                            "; use --method pi (policy iteration) or a larger --epsilon");
            max_iterations = std::min<std::size_t>(max_iterations, static_cast<std::size_t>(2 * k) + 1000);
        }
    }
    for (;;) {
        poll("robust value iteration", r.iterations);
        Vector<T> next = robust_bellman_optimal(m, U, r.V);
        T step(0);
        for (std::size_t s = 0; s < m.S; ++s) {
            T d = abs(T(next[s] - r.V[s]));
            if (d > step) step = d;
        }
        r.V = std::move(next);
        ++r.iterations;
        r.last_step = step;
        if (factor * step <= eps) return r;
        if (r.iterations >= max_iterations)
            // Twice the contraction estimate: the arithmetic's rounding noise exceeds epsilon. The
            // input is valid but beyond this arithmetic (exit 2, with one that can do it).
            throw std::invalid_argument("value iteration did not reach epsilon " + to_string(eps) + " after " +
                                        std::to_string(r.iterations) + " iterations (twice the contraction estimate): "
                                        "rounding noise in " + scalar_traits<T>::name() +
                                        " arithmetic; use --arith mpfr:BITS with more bits, or --method pi");
    }
}

#define RMDP_SOLVERS_INSTANTIATE(T)                                                                        \
    template RobustEvaluation<T> robust_value(const Mdp<T>&, const UncertaintySet<T>&, const Policy<T>&, \
                                              const Kernel<T>*, std::size_t);                            \
    template RobustSolution<T> robust_solve(const Mdp<T>&, const UncertaintySet<T>&, std::size_t);       \
    template ValueIterationResult<T> robust_value_iteration(const Mdp<T>&, const UncertaintySet<T>&, const T&, std::size_t);
RMDP_ORDERED_SCALARS(RMDP_SOLVERS_INSTANTIATE)
template RobustEvaluation<mpfi_float> robust_value(const Mdp<mpfi_float>&, const UncertaintySet<mpfi_float>&,
                                                   const Policy<mpfi_float>&, const Kernel<mpfi_float>*, std::size_t);
template RobustSolution<mpfi_float> robust_solve(const Mdp<mpfi_float>&, const UncertaintySet<mpfi_float>&, std::size_t);
#define RMDP_NATURE_INSTANTIATE(T)                                                                                 \
    template std::size_t nature_policy_iteration(Kernel<T>&, Vector<T>&, const std::function<Vector<T>(const Kernel<T>&)>&, \
                                                 const std::function<Kernel<T>(const Vector<T>&)>&, Matrix<T>*,    \
                                                 const char*, std::size_t);
RMDP_ALL_SCALARS(RMDP_NATURE_INSTANTIATE)

}  // namespace rmdp
