#include "rmdp/solvers.hpp"

#include <stdexcept>
#include <string>

namespace rmdp {

template <class T>
RobustEvaluation<T> robust_value(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi,
                                 const Kernel<T>* start, std::size_t max_iterations) {
    RobustEvaluation<T> r;
    r.kernel = start ? *start : worst_case_kernel(U, m.P, value(m, m.P, pi));
    for (;;) {
        r.V = value(m, r.kernel, pi);
        ++r.iterations;
        bool switched = false;
        for (std::size_t s = 0; s < m.S; ++s)
            for (std::size_t a = 0; a < m.A; ++a) {
                const WorstCase<T> w = worst_case(U, m.P, s, a, r.V);
                T current(0);
                for (std::size_t t = 0; t < m.S; ++t) current += r.kernel(s, a, t) * r.V[t];
                if (w.value > current) {
                    for (std::size_t t = 0; t < m.S; ++t) r.kernel(s, a, t) = w.p[t];
                    switched = true;
                }
            }
        if (!switched) return r;
        if (r.iterations >= max_iterations)
            throw std::runtime_error("robust_value: nature's policy iteration did not settle after " +
                                     std::to_string(r.iterations) + " evaluations (rounding in " +
                                     std::string(scalar_traits<T>::name()) + " arithmetic?)");
    }
}

template <class T>
RobustSolution<T> robust_solve(const Mdp<T>& m, const UncertaintySet<T>& U, std::size_t max_iterations) {
    RobustSolution<T> out;
    out.policy = Policy<T>(m.S, m.A);
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
    const Kernel<T>* warm = nullptr;
    for (;;) {
        RobustEvaluation<T> ev = robust_value(m, U, out.policy, warm);
        out.nature_iterations += ev.iterations;
        ++out.policy_iterations;
        out.V = ev.V;
        out.kernel = ev.kernel;
        warm = &out.kernel;
        out.Q = robust_q(m, U, out.V);
        bool switched = false;
        for (std::size_t s = 0; s < m.S; ++s) {
            std::size_t best = action[s];
            for (std::size_t a = 0; a < m.A; ++a)
                if (out.Q(s, a) < out.Q(s, best)) best = a;
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

template <class T>
ValueIterationResult<T> robust_value_iteration(const Mdp<T>& m, const UncertaintySet<T>& U, const T& eps,
                                               std::size_t max_iterations) {
    using std::abs;
    ValueIterationResult<T> r;
    r.V.assign(m.S, T(0));
    const T factor = m.gamma / (T(1) - m.gamma);
    for (;;) {
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
            throw std::runtime_error("robust_value_iteration: no convergence to " + to_string(eps) + " after " +
                                     std::to_string(r.iterations) + " iterations");
    }
}

#define RMDP_SOLVERS_INSTANTIATE(T)                                                                        \
    template RobustEvaluation<T> robust_value(const Mdp<T>&, const UncertaintySet<T>&, const Policy<T>&, \
                                              const Kernel<T>*, std::size_t);                            \
    template RobustSolution<T> robust_solve(const Mdp<T>&, const UncertaintySet<T>&, std::size_t);       \
    template ValueIterationResult<T> robust_value_iteration(const Mdp<T>&, const UncertaintySet<T>&, const T&, std::size_t);
RMDP_SOLVERS_INSTANTIATE(rational)
RMDP_SOLVERS_INSTANTIATE(mpfr_float)
RMDP_SOLVERS_INSTANTIATE(double)
RMDP_SOLVERS_INSTANTIATE(long double)

}  // namespace rmdp
