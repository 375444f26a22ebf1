#include "rmdp/srect.hpp"

#include "rmdp/deadline.hpp"
#include "rmdp/random.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

namespace rmdp {

namespace {

// Below this a float is treated as zero by the simplex and the loops' stopping tests (floats only
// guess: every answer is re-checked by the exact operators where it matters, docs/robust.md).
template <class T>
T float_tolerance(const T& scale) {
    if constexpr (is_exact_v<T>) {
        return T(0);
    } else {
        using std::abs;
        return T(1 << 20) * scalar_traits<T>::unit_roundoff() * (T(1) + abs(scale));
    }
}

// ---- nature's best response: the multiple-choice knapsack of srect.hpp's header ----

template <class T>
struct Piece {
    std::size_t group;  // index into groups
    std::size_t vertex; // the piece goes from envelope vertex `vertex` to `vertex + 1`
    T slope;            // gain per unit of budget
    T budget;           // mass * (cost difference)
};

template <class T>
struct Vertex {
    std::size_t to;  // receiver (S = stay)
    T cost, gain;    // per unit of mass moved
};

template <class T>
struct Group {
    std::size_t a, i;
    T mass;
    std::vector<Vertex<T>> hull;  // hull[0] = stay
};

}  // namespace

template <class T>
StateResponse<T> s_best_response(const SL1Ball<T>& U, const Kernel<T>& P, std::size_t s, const T* pi,
                                 const Vector<T>& V) {
    const std::size_t S = P.S, A = P.A;
    StateResponse<T> out{Matrix<T>(A, S), T(0)};
    for (std::size_t a = 0; a < A; ++a)
        for (const auto& e : P.row(s, a)) out.p(a, e.to) = e.p;
    std::vector<Group<T>> groups;
    std::vector<Piece<T>> pieces;
    std::vector<std::size_t> receivers(S);
    for (std::size_t a = 0; a < A; ++a) {
        if (!(pi[a] > 0)) continue;
        for (std::size_t i = 0; i < S; ++i) {
            if (!(P(s, a, i) > 0)) continue;
            // Receivers by increasing cost w_i + w_j (ties: larger gain first); the envelope keeps
            // the points of increasing gain with decreasing slopes (an upper concave hull from (0,0)).
            std::vector<Vertex<T>> cand;
            for (std::size_t j = 0; j < S; ++j)
                if (V[j] > V[i]) cand.push_back({j, U.weight(S, A, s, a, i) + U.weight(S, A, s, a, j), pi[a] * (V[j] - V[i])});
            if (cand.empty()) continue;
            std::stable_sort(cand.begin(), cand.end(), [](const Vertex<T>& x, const Vertex<T>& y) {
                return x.cost < y.cost || (x.cost == y.cost && x.gain > y.gain);
            });
            Group<T> g{a, i, P(s, a, i), {{S, T(0), T(0)}}};
            for (const Vertex<T>& v : cand) {
                if (!(v.gain > g.hull.back().gain)) continue;  // costs no less, gains no more
                // pop the last vertex while it lies on or below the chord from its predecessor to v
                while (g.hull.size() >= 2) {
                    const Vertex<T>& u0 = g.hull[g.hull.size() - 2];
                    const Vertex<T>& u1 = g.hull.back();
                    const T lhs = (u1.gain - u0.gain) * (v.cost - u1.cost), rhs = (v.gain - u1.gain) * (u1.cost - u0.cost);
                    if (lhs <= rhs) g.hull.pop_back();
                    else break;
                }
                g.hull.push_back(v);
            }
            for (std::size_t k = 0; k + 1 < g.hull.size(); ++k) {
                const T dc = g.hull[k + 1].cost - g.hull[k].cost;
                pieces.push_back({groups.size(), k, (g.hull[k + 1].gain - g.hull[k].gain) / dc, g.mass * dc});
            }
            groups.push_back(std::move(g));
        }
    }
    // Largest slope first; within a group slopes strictly decrease, so its pieces stay in order.
    std::stable_sort(pieces.begin(), pieces.end(), [](const Piece<T>& x, const Piece<T>& y) { return x.slope > y.slope; });
    std::vector<std::size_t> level(groups.size(), 0);
    std::vector<T> fraction(groups.size(), T(0));  // toward vertex level + 1
    T budget = U.radius[s];
    for (const Piece<T>& pc : pieces) {
        if (!(budget > 0)) break;
        if (pc.budget <= budget) {
            budget -= pc.budget;
            level[pc.group] = pc.vertex + 1;
        } else {
            fraction[pc.group] = budget / pc.budget;
            budget = T(0);
        }
    }
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const Group<T>& gr = groups[g];
        auto move = [&](std::size_t to, const T& x) {
            if (to == S || !(x > 0)) return;
            out.p(gr.a, gr.i) -= x;
            out.p(gr.a, to) += x;
        };
        const T rest = gr.mass * fraction[g];
        move(gr.hull[level[g]].to, gr.mass - rest);
        if (rest > 0) move(gr.hull[level[g] + 1].to, rest);
    }
    for (std::size_t a = 0; a < A; ++a) {
        if (pi[a] == 0) continue;
        T d(0);
        for (std::size_t t = 0; t < S; ++t) d += out.p(a, t) * V[t];
        out.value += pi[a] * d;
    }
    return out;
}

template <class T>
Kernel<T> s_worst_case_kernel(const SL1Ball<T>& U, const Kernel<T>& P, const Policy<T>& pi, const Vector<T>& V) {
    Kernel<T> out(P.S, P.A);
    for (std::size_t s = 0; s < P.S; ++s) {
        const StateResponse<T> r = s_best_response(U, P, s, &pi(s, 0), V);
        for (std::size_t a = 0; a < P.A; ++a) out.set_row(s, a, &r.p(a, 0));
    }
    return out;
}

template <class T>
Vector<T> s_robust_bellman(const Mdp<T>& m, const SL1Ball<T>& U, const Policy<T>& pi, const Vector<T>& V) {
    Vector<T> out(m.S, T(0));
    for (std::size_t s = 0; s < m.S; ++s) {
        T c(0);
        for (std::size_t a = 0; a < m.A; ++a) c += pi(s, a) * m.cost(s, a);
        out[s] = c + m.gamma * s_best_response(U, m.P, s, &pi(s, 0), V).value;
    }
    return out;
}

namespace {
template <class T>
T row_dot(const Kernel<T>& K, std::size_t s, std::size_t a, const Vector<T>& V) {
    return rmdp::row_dot(K.row(s, a), V);
}
}  // namespace

template <class T>
Matrix<T> s_robust_q(const Mdp<T>& m, const SL1Ball<T>& U, const Policy<T>& pi, const Vector<T>& V) {
    const Kernel<T> K = s_worst_case_kernel(U, m.P, pi, V);
    Matrix<T> Q(m.S, m.A);
    for (std::size_t s = 0; s < m.S; ++s)
        for (std::size_t a = 0; a < m.A; ++a) Q(s, a) = m.cost(s, a) + m.gamma * row_dot(K, s, a, V);
    return Q;
}

template <class T>
RobustEvaluation<T> s_robust_value(const Mdp<T>& m, const SL1Ball<T>& U, const Policy<T>& pi, const Kernel<T>* start,
                                   std::size_t max_iterations) {
    RobustEvaluation<T> r;
    r.kernel = start ? *start : s_worst_case_kernel(U, m.P, pi, value(m, m.P, pi));
    for (;;) {
        poll("nature's policy iteration (s-rectangular)", r.iterations);
        r.V = value(m, r.kernel, pi);
        ++r.iterations;
        T scale(0);
        for (const auto& x : r.V) scale = std::max<T>(scale, x < 0 ? T(-x) : x);
        const T margin = float_tolerance(scale);
        bool switched = false;
        r.worst_values = Matrix<T>(m.S, m.A);
        for (std::size_t s = 0; s < m.S; ++s) {
            const StateResponse<T> best = s_best_response(U, m.P, s, &pi(s, 0), r.V);
            T current(0);
            for (std::size_t a = 0; a < m.A; ++a)
                if (pi(s, a) != 0) current += pi(s, a) * row_dot(r.kernel, s, a, r.V);
            const bool better = best.value > current + margin;
            for (std::size_t a = 0; a < m.A; ++a) {
                if (better)
                    r.kernel.set_row(s, a, &best.p(a, 0));
                T d(0);
                for (std::size_t t = 0; t < m.S; ++t) d += best.p(a, t) * r.V[t];
                r.worst_values(s, a) = d;
            }
            switched = switched || better;
        }
        if (!switched) return r;
        if (r.iterations >= max_iterations) throw std::runtime_error("s_robust_value: iteration limit reached");
    }
}

// ---- the per-state min-max: two small LPs solved by a dense simplex (Bland's rule) ----

namespace {

// minimise c.x subject to sum_j A[i][j] x_j (rel_i) b_i, x >= 0; rel: -1 (<=), 0 (=), +1 (>=).
// Two phases with an artificial variable per row. Bland's rule (smallest entering index, ties of
// the ratio test by smallest basic index) never cycles, so in exact arithmetic it terminates at
// an optimal basic solution. The LPs built here are feasible and bounded; anything else is a bug.
template <class T>
struct Lp {
    std::size_t n = 0;
    std::vector<Vector<T>> A;
    Vector<T> b;
    std::vector<int> rel;
    Vector<T> c;
    void row(Vector<T> a, int r, T rhs) {
        A.push_back(std::move(a));
        rel.push_back(r);
        b.push_back(std::move(rhs));
    }
};

template <class T>
Vector<T> solve_lp(const Lp<T>& lp) {
    const std::size_t m = lp.A.size();
    std::size_t slacks = 0;
    for (int r : lp.rel) slacks += r != 0;
    const std::size_t nA = lp.n + slacks, ncol = nA + m;  // structural, slacks, artificials
    Matrix<T> tab(m, ncol + 1);
    std::vector<std::size_t> basis(m);
    T scale(1);
    for (std::size_t i = 0, k = lp.n; i < m; ++i) {
        const bool flip = lp.b[i] < 0;
        for (std::size_t j = 0; j < lp.n; ++j) {
            tab(i, j) = flip ? T(-lp.A[i][j]) : lp.A[i][j];
            using std::abs;
            scale = std::max<T>(scale, abs(tab(i, j)));
        }
        if (lp.rel[i] != 0) {
            tab(i, k) = T(lp.rel[i] < 0 ? 1 : -1) * T(flip ? -1 : 1);
            ++k;
        }
        tab(i, nA + i) = T(1);
        tab(i, ncol) = flip ? T(-lp.b[i]) : lp.b[i];
        basis[i] = nA + i;
    }
    const T tol = float_tolerance(scale);
    Vector<T> d(ncol + 1, T(0));
    auto pivot = [&](std::size_t r, std::size_t e) {
        const T pv = tab(r, e);
        for (std::size_t j = 0; j <= ncol; ++j) tab(r, j) /= pv;
        for (std::size_t i = 0; i < m; ++i) {
            if (i == r || tab(i, e) == 0) continue;
            const T f = tab(i, e);
            for (std::size_t j = 0; j <= ncol; ++j)
                if (tab(r, j) != 0) tab(i, j) -= f * tab(r, j);
        }
        if (d[e] != 0) {
            const T f = d[e];
            for (std::size_t j = 0; j <= ncol; ++j)
                if (tab(r, j) != 0) d[j] -= f * tab(r, j);
        }
        basis[r] = e;
    };
    auto run = [&](const Vector<T>& cost, std::size_t allowed) {
        for (std::size_t j = 0; j <= ncol; ++j) {
            d[j] = j < ncol ? cost[j] : T(0);
            for (std::size_t i = 0; i < m; ++i)
                if (cost[basis[i]] != 0 && tab(i, j) != 0) d[j] -= cost[basis[i]] * tab(i, j);
        }
        for (std::size_t steps = 0;; ++steps) {
            if ((steps & 255) == 255) poll("simplex (s-rectangular)", steps);
            std::size_t e = ncol;
            for (std::size_t j = 0; j < allowed; ++j)
                if (d[j] < -tol) {
                    e = j;
                    break;
                }
            if (e == ncol) return;
            std::size_t r = m;
            T best(0);
            for (std::size_t i = 0; i < m; ++i) {
                if (!(tab(i, e) > tol)) continue;
                const T ratio = tab(i, ncol) / tab(i, e);
                if (r == m || ratio < best || (ratio == best && basis[i] < basis[r])) {
                    r = i;
                    best = ratio;
                }
            }
            if (r == m) throw std::logic_error("simplex: unbounded LP (s-rectangular game)");
            pivot(r, e);
        }
    };
    Vector<T> phase1(ncol, T(0));
    for (std::size_t i = 0; i < m; ++i) phase1[nA + i] = T(1);
    run(phase1, ncol);
    if (-d[ncol] > tol) throw std::logic_error("simplex: infeasible LP (s-rectangular game)");
    for (std::size_t i = 0; i < m; ++i)
        if (basis[i] >= nA)
            for (std::size_t j = 0; j < nA; ++j) {
                using std::abs;
                if (abs(tab(i, j)) > tol) {
                    pivot(i, j);
                    break;
                }
            }
    Vector<T> phase2(ncol, T(0));
    for (std::size_t j = 0; j < lp.n; ++j) phase2[j] = lp.c[j];
    run(phase2, nA);
    Vector<T> x(lp.n, T(0));
    for (std::size_t i = 0; i < m; ++i)
        if (basis[i] < lp.n) x[basis[i]] = tab(i, ncol);
    return x;
}

// A float row may leave the simplex by rounding: clamp and renormalise (exact rows are untouched).
template <class T>
void normalise(T* row, std::size_t n) {
    if constexpr (!is_exact_v<T>) {
        T sum(0);
        for (std::size_t k = 0; k < n; ++k) {
            if (row[k] < 0) row[k] = T(0);
            sum += row[k];
        }
        for (std::size_t k = 0; k < n; ++k) row[k] /= sum;
    }
}

}  // namespace

template <class T>
StateGame<T> s_state_game(const Mdp<T>& m, const SL1Ball<T>& U, std::size_t s, const Vector<T>& V) {
    const std::size_t S = m.S, A = m.A, AS = A * S;
    const T& g = m.gamma;
    StateGame<T> out{Vector<T>(A, T(0)), Matrix<T>(A, S), T(0), T(0)};
    {
        // The agent: min_pi c.pi + gamma max_{p in U_s} sum_a pi_a <p_a, V>, the inner max replaced
        // by its LP dual: min mu_a + sum_i q_a(i)(alpha - beta) + lambda r over
        // mu_a + alpha_ai - beta_ai >= pi_a V_i, lambda w_ai >= alpha_ai + beta_ai.
        // Variables: pi (A), mu+ (A), mu- (A), alpha (AS), beta (AS), lambda.
        Lp<T> lp;
        lp.n = 3 * A + 2 * AS + 1;
        lp.c.assign(lp.n, T(0));
        const std::size_t lam = 3 * A + 2 * AS;
        for (std::size_t a = 0; a < A; ++a) {
            lp.c[a] = m.cost(s, a);
            lp.c[A + a] = g;
            lp.c[2 * A + a] = -g;
            for (std::size_t i = 0; i < S; ++i) {
                lp.c[3 * A + a * S + i] = g * m.P(s, a, i);
                lp.c[3 * A + AS + a * S + i] = -(g * m.P(s, a, i));
            }
        }
        lp.c[lam] = g * U.radius[s];
        for (std::size_t a = 0; a < A; ++a)
            for (std::size_t i = 0; i < S; ++i) {
                Vector<T> r1(lp.n, T(0)), r2(lp.n, T(0));
                r1[A + a] = T(1);
                r1[2 * A + a] = T(-1);
                r1[3 * A + a * S + i] = T(1);
                r1[3 * A + AS + a * S + i] = T(-1);
                r1[a] = -V[i];
                lp.row(std::move(r1), 1, T(0));
                r2[lam] = U.weight(S, A, s, a, i);
                r2[3 * A + a * S + i] = T(-1);
                r2[3 * A + AS + a * S + i] = T(-1);
                lp.row(std::move(r2), 1, T(0));
            }
        Vector<T> ones(lp.n, T(0));
        for (std::size_t a = 0; a < A; ++a) ones[a] = T(1);
        lp.row(std::move(ones), 0, T(1));
        const Vector<T> x = solve_lp(lp);
        for (std::size_t a = 0; a < A; ++a) out.pi[a] = x[a];
        normalise(out.pi.data(), A);
    }
    {
        // Nature: max_{p in U_s} min_a c_a + gamma <p_a, V>, i.e. max t with t <= c_a + gamma <p_a, V>,
        // d >= |p - q|, sum w d <= r. Variables: t+, t-, p (AS), d (AS).
        Lp<T> lp;
        lp.n = 2 + 2 * AS;
        lp.c.assign(lp.n, T(0));
        lp.c[0] = T(-1);
        lp.c[1] = T(1);
        for (std::size_t a = 0; a < A; ++a) {
            Vector<T> r(lp.n, T(0)), sum(lp.n, T(0));
            r[0] = T(1);
            r[1] = T(-1);
            for (std::size_t i = 0; i < S; ++i) {
                r[2 + a * S + i] = -(g * V[i]);
                sum[2 + a * S + i] = T(1);
            }
            lp.row(std::move(r), -1, m.cost(s, a));
            lp.row(std::move(sum), 0, T(1));
        }
        Vector<T> budget(lp.n, T(0));
        for (std::size_t a = 0; a < A; ++a)
            for (std::size_t i = 0; i < S; ++i) {
                const std::size_t p = 2 + a * S + i, dd = 2 + AS + a * S + i;
                Vector<T> up(lp.n, T(0)), down(lp.n, T(0));
                up[p] = T(1);
                up[dd] = T(-1);
                lp.row(std::move(up), -1, m.P(s, a, i));
                down[p] = T(-1);
                down[dd] = T(-1);
                lp.row(std::move(down), -1, T(-m.P(s, a, i)));
                budget[dd] = U.weight(S, A, s, a, i);
            }
        lp.row(std::move(budget), -1, U.radius[s]);
        const Vector<T> x = solve_lp(lp);
        for (std::size_t a = 0; a < A; ++a) {
            for (std::size_t i = 0; i < S; ++i) out.nature(a, i) = x[2 + a * S + i];
            normalise(&out.nature(a, 0), S);
        }
    }
    // The bracket, by the operators: nature's answer must lie in U_s (exact: checked).
    if constexpr (is_exact_v<T>) {
        T used(0);
        for (std::size_t a = 0; a < A; ++a) {
            T sum(0);
            for (std::size_t i = 0; i < S; ++i) {
                const T& p = out.nature(a, i);
                if (p < 0) throw std::logic_error("s_state_game: nature's answer leaves the simplex");
                sum += p;
                used += U.weight(S, A, s, a, i) * (p > m.P(s, a, i) ? T(p - m.P(s, a, i)) : T(m.P(s, a, i) - p));
            }
            if (sum != 1) throw std::logic_error("s_state_game: nature's answer leaves the simplex");
        }
        if (used > U.radius[s]) throw std::logic_error("s_state_game: nature's answer exceeds the budget");
    }
    for (std::size_t a = 0; a < A; ++a) {
        T d(0);
        for (std::size_t i = 0; i < S; ++i) d += out.nature(a, i) * V[i];
        const T q = m.cost(s, a) + g * d;
        if (a == 0 || q < out.lower) out.lower = q;
    }
    T c(0);
    for (std::size_t a = 0; a < A; ++a) c += out.pi[a] * m.cost(s, a);
    out.upper = c + g * s_best_response(U, m.P, s, out.pi.data(), V).value;
    return out;
}

template <class T>
OptimalBellman<T> s_robust_bellman_optimal(const Mdp<T>& m, const SL1Ball<T>& U, const Vector<T>& V) {
    OptimalBellman<T> out{Vector<T>(m.S), Vector<T>(m.S), Policy<T>(m.S, m.A)};
    for (std::size_t s = 0; s < m.S; ++s) {
        StateGame<T> g = s_state_game(m, U, s, V);
        if constexpr (is_exact_v<T>)
            if (g.lower != g.upper) throw std::logic_error("s_state_game: the two LPs disagree (simplex bug)");
        out.lower[s] = g.lower;
        out.upper[s] = g.upper;
        for (std::size_t a = 0; a < m.A; ++a) out.policy(s, a) = g.pi[a];
    }
    return out;
}

namespace {
// The rational of denominator <= 1000 nearest x among x's continued-fraction convergents (exact
// T); other T: x itself.
template <class T>
T snap(double x) {
    if constexpr (is_exact_v<T>) {
        if (!(x > 0)) return T(0);
        long h0 = 0, h1 = 1, k0 = 1, k1 = 0;
        double y = x;
        for (int it = 0; it < 40; ++it) {
            const double fl = std::floor(y);
            const long an = static_cast<long>(fl);
            const long h2 = an * h1 + h0, k2 = an * k1 + k0;
            if (k2 > 1000) break;
            h0 = h1; h1 = h2; k0 = k1; k1 = k2;
            if (y - fl < 1e-12) break;
            y = 1 / (y - fl);
        }
        return T(h1) / T(k1);
    } else {
        return T(x);
    }
}

template <class T>
Policy<T> uniform_policy(std::size_t S, std::size_t A) {
    Policy<T> p(S, A);
    for (auto& x : p.data) x = T(1) / T(static_cast<long>(A));
    return p;
}
}  // namespace

template <class T>
SRectSolution<T> s_robust_solve(const Mdp<T>& m, const SL1Ball<T>& U, std::size_t max_iterations) {
    SRectSolution<T> r;
    r.policy = uniform_policy<T>(m.S, m.A);
    // Exact and MPFR: start from a double run's policy (it only chooses the start; the certificate
    // and the bounds do not depend on it). Its rows are made exact distributions by normalise.
    if constexpr (is_exact_v<T> || std::is_same_v<T, mpfr_float>) {
        try {
            Mdp<double> md;
            md.S = m.S;
            md.A = m.A;
            auto dbl = [](const T& x) {
                if constexpr (is_exact_v<T>) return from_rational<double>(x);
                else return static_cast<double>(x);
            };
            md.gamma = dbl(m.gamma);
            md.cost = Matrix<double>(m.S, m.A);
            for (std::size_t i = 0; i < m.cost.data.size(); ++i) md.cost.data[i] = dbl(m.cost.data[i]);
            md.P = map_kernel<double>(m.P, dbl);
            const SL1Ball<double> Ud = U.template map<double>(dbl);
            const SRectSolution<double> d = s_robust_solve(md, Ud, 50);
            Policy<T> p(m.S, m.A);
            for (std::size_t s = 0; s < m.S; ++s) {
                // Rows snapped to nearby rationals of denominator <= 1000 (continued fractions): an
                // optimal row with small denominators is then met exactly and certified at once,
                // and the exact LPs start from small numbers. Any row is a valid start.
                T sum(0);
                std::size_t big = 0;
                for (std::size_t a = 0; a < m.A; ++a) {
                    p(s, a) = snap<T>(d.policy(s, a));
                    if (d.policy(s, a) > d.policy(s, big)) big = a;
                }
                for (std::size_t a = 0; a < m.A; ++a)
                    if (a != big) sum += p(s, a);
                if (sum > 1) {
                    for (std::size_t a = 0; a < m.A; ++a) p(s, a) = T(a == big ? 1 : 0);
                } else {
                    p(s, big) = T(1) - sum;
                }
            }
            r.policy = p;
        } catch (const time_limit_exceeded&) {
            throw;
        } catch (const std::exception&) {
        }
    }
    RobustEvaluation<T> ev = s_robust_value(m, U, r.policy);
    r.nature_iterations += ev.iterations;
    for (;;) {
        const OptimalBellman<T> G = s_robust_bellman_optimal(m, U, ev.V);
        T gap(0), scale(0);
        bool fixed = true;
        for (std::size_t s = 0; s < m.S; ++s) {
            const T lo = ev.V[s] - G.lower[s], hi = G.upper[s] - ev.V[s];
            gap = std::max<T>(gap, std::max<T>(lo < 0 ? T(-lo) : lo, hi < 0 ? T(-hi) : hi));
            scale = std::max<T>(scale, ev.V[s] < 0 ? T(-ev.V[s]) : ev.V[s]);
            fixed = fixed && G.lower[s] == ev.V[s] && G.upper[s] == ev.V[s];
        }
        const bool done = is_exact_v<T> ? fixed : !(gap > float_tolerance(scale));
        if (done || r.policy_iterations >= max_iterations) {
            r.exact = is_exact_v<T> && fixed;
            r.V = ev.V;
            r.kernel = ev.kernel;
            const T e = gap / (T(1) - m.gamma);
            r.lower = ev.V;
            for (auto& x : r.lower) x -= e;
            return r;
        }
        ++r.policy_iterations;
        r.policy = G.policy;
        ev = s_robust_value(m, U, r.policy, &ev.kernel);
        r.nature_iterations += ev.iterations;
    }
}

#define RMDP_SRECT_INSTANTIATE(T)                                                                                  \
    template StateResponse<T> s_best_response(const SL1Ball<T>&, const Kernel<T>&, std::size_t, const T*,          \
                                              const Vector<T>&);                                                   \
    template Kernel<T> s_worst_case_kernel(const SL1Ball<T>&, const Kernel<T>&, const Policy<T>&, const Vector<T>&); \
    template Vector<T> s_robust_bellman(const Mdp<T>&, const SL1Ball<T>&, const Policy<T>&, const Vector<T>&);     \
    template Matrix<T> s_robust_q(const Mdp<T>&, const SL1Ball<T>&, const Policy<T>&, const Vector<T>&);           \
    template RobustEvaluation<T> s_robust_value(const Mdp<T>&, const SL1Ball<T>&, const Policy<T>&, const Kernel<T>*, \
                                                std::size_t);                                                      \
    template StateGame<T> s_state_game(const Mdp<T>&, const SL1Ball<T>&, std::size_t, const Vector<T>&);          \
    template OptimalBellman<T> s_robust_bellman_optimal(const Mdp<T>&, const SL1Ball<T>&, const Vector<T>&);      \
    template SRectSolution<T> s_robust_solve(const Mdp<T>&, const SL1Ball<T>&, std::size_t);
RMDP_ORDERED_SCALARS(RMDP_SRECT_INSTANTIATE)

MdpData random_s_rectangular(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    MdpData m = random_robust_mdp(rng, opt, trial);
    Rng side = rng.fork(7);
    m.uncertainty = Uncertainty(SL1Ball<rational>::draw(side, m.P, opt));
    return m;
}

}  // namespace rmdp
