#include "rmdp/error_bound.hpp"

#include <gmp.h>
#include <mpfr.h>

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <numeric>

// This file is compiled with -frounding-math (CMakeLists.txt; GCC has no #pragma STDC FENV_ACCESS):
// the directed-rounding bound below changes the rounding mode, and the compiler must neither fold
// -((-a) - b) into a + b nor assume round-to-nearest when it evaluates floating-point operations.

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
    const Kernel<mpfi_float> P = map_kernel<mpfi_float>(m.P, iv);
    const Vector<mpfi_float> Vi = map_vector<mpfi_float>(V, iv);
    const InnerProducts<mpfi_float> dot(Vi);
    const Order none;
    Matrix<mpfi_float> Q(m.S, m.A);
    m.uncertainty.visit([&](const auto& k) {
        using K = std::decay_t<decltype(k)>;
        if constexpr (!K::traits.exact) {
            const auto ki = k.template map<mpfi_float>(iv);
            Vector<mpfi_float> q;  // the dense scratch row of a kind that is not sparse-native
            for (std::size_t s = 0; s < m.S; ++s)
                for (std::size_t a = 0; a < m.A; ++a) {
                    if constexpr (!K::traits.sparse) P.dense_row(s, a, q);
                    const SetRow<mpfi_float> row{s, a, m.S, m.A, K::traits.sparse ? nullptr : q.data(), Vi, dot, none, &P.row(s, a)};
                    Q(s, a) = iv(m.cost[s * m.A + a]) + iv(m.gamma) * ki.worst_case(row).value;
                }
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

// ---- The directed-rounding bound (docs/arithmetic.md, "Directed rounding") ----
//
// Two phases. Phase 1, in the default rounding mode, turns every rational datum x = n/d into a
// `Datum`: the two long doubles n and d when both are integers below 2^64 (exact in long double's
// 64-bit significand), else an enclosure [lo, hi] from MPFR rounded down and up. Phase 2 runs with
// the rounding mode upward (fesetround, restored after), in functions that do nothing else: every
// +, -, *, / rounds up, and a lower end is computed as the negation of an upper end
// (down(a - b) = -up(b - a), down(a * b) = -up((-a) * b), down(n / d) = -up((-n) / d)), so each
// interval [lo, hi] holds the exact real result of the operation on any points of its operands.
// min and max are monotone and exact. V~ and Q~ are doubles or long doubles: exact here.
namespace {

using ld = long double;

struct Datum {
    ld a = 0, b = 0;
    bool ratio = false;  // the datum is a / b exactly; else it lies in [a, b]
};

Datum datum(const rational& q) {
    const mpq_srcptr x = q.backend().data();
    const mpz_srcptr num = mpq_numref(x), den = mpq_denref(x);
    Datum out;
    if (mpz_sgn(num) == 0) return out;  // [0, 0]
    if (mpz_sizeinbase(num, 2) <= 64 && mpz_sizeinbase(den, 2) <= 64 && GMP_NUMB_BITS == 64) {
        const ld n = static_cast<ld>(static_cast<unsigned long long>(mpz_getlimbn(num, 0)));
        out.a = mpz_sgn(num) < 0 ? -n : n;
        out.b = static_cast<ld>(static_cast<unsigned long long>(mpz_getlimbn(den, 0)));
        out.ratio = true;
        return out;
    }
    mpfr_t t;
    mpfr_init2(t, 64);
    mpfr_set_q(t, x, MPFR_RNDD);
    out.a = mpfr_get_ld(t, MPFR_RNDD);  // exact: 64 bits, or -inf / 0 beyond long double's range
    mpfr_set_q(t, x, MPFR_RNDU);
    out.b = mpfr_get_ld(t, MPFR_RNDU);
    mpfr_clear(t);
    return out;
}

// Phase 2 never overflows, so never meets inf or NaN (std::min/max would drop a NaN): every datum,
// V~ and Q~ is at most 2^16000 in magnitude (long double reaches 2^16384), the factors multiplied
// into them are probabilities, pi, gamma or a half radius capped by 1, and a sum has fewer than
// 2^64 terms. Larger inputs take the exact bound.
const ld kLargest = std::ldexp(1.0L, 16000);

bool in_range(ld x) { return std::fabs(x) <= kLargest; }  // false for inf and NaN too

bool in_range(const Datum& d) { return d.ratio || (in_range(d.a) && in_range(d.b)); }

std::vector<Datum> data(const std::vector<rational>& v, bool& ok) {
    std::vector<Datum> out;
    out.reserve(v.size());
    for (const auto& x : v) {
        out.push_back(datum(x));
        ok = ok && in_range(out.back());
    }
    return out;
}

// The set kinds with a straight-line worst case below (any other kind takes the exact bound).
enum class Kind { none, l1, interval, finite };

struct Prepared {
    std::size_t S = 0, A = 0;
    Kind type = Kind::none;
    Datum gamma;
    std::vector<Datum> cost, radius, lower, upper, pi;
    struct Entry {
        std::size_t to;
        Datum p;
    };
    std::vector<std::vector<Entry>> P;  // the nominal kernel's nonzeros, row s*A + a
    std::vector<std::vector<std::vector<Datum>>> points;
    std::vector<ld> V, Q;               // the computed values, exactly
    std::vector<std::size_t> ascending;  // states by increasing V (ties in index order)
    std::vector<std::size_t> rank;       // rank[ascending[i]] = i
    bool has_policy = false;
};

struct Iv {
    ld lo, hi;
};

// Phase 2 primitives: correct only while the rounding mode is upward.
inline Iv point(ld x) { return {x, x}; }
inline Iv enclose(const Datum& d) {
    if (!d.ratio) return {d.a, d.b};
    return {-((-d.a) / d.b), d.a / d.b};
}
inline Iv add(Iv x, Iv y) { return {-((-x.lo) - y.lo), x.hi + y.hi}; }
inline Iv sub(Iv x, Iv y) { return {-(y.hi - x.lo), x.hi - y.lo}; }
inline ld mul_dn(ld a, ld b) { return -((-a) * b); }
inline Iv mul(Iv x, Iv y) {
    const ld lo = std::min({mul_dn(x.lo, y.lo), mul_dn(x.lo, y.hi), mul_dn(x.hi, y.lo), mul_dn(x.hi, y.hi)});
    const ld hi = std::max({x.lo * y.lo, x.lo * y.hi, x.hi * y.lo, x.hi * y.hi});
    return {lo, hi};
}
inline Iv scale(Iv x, ld v) { return v >= 0 ? Iv{mul_dn(x.lo, v), x.hi * v} : Iv{mul_dn(x.hi, v), x.lo * v}; }
inline Iv imin(Iv x, Iv y) { return {std::min(x.lo, y.lo), std::min(x.hi, y.hi)}; }
inline Iv imax(Iv x, Iv y) { return {std::max(x.lo, y.lo), std::max(x.hi, y.hi)}; }

// max over U_{s,a} of <p, V>: the greedy worst case of robust.hpp evaluated as a straight-line
// program of +, -, *, min, max in the data, for the order of V fixed beforehand (V is exact, so
// the order is the exact one and the program's exact value is the exact maximum).
Iv worst_value(const Prepared& m, std::size_t s, std::size_t a) {
    const std::size_t S = m.S, row = (s * m.A + a) * S;
    const std::vector<Prepared::Entry>& P = m.P[s * m.A + a];
    Iv total{0, 0};
    switch (m.type) {
        case Kind::none:
            for (const auto& e : P) total = add(total, scale(enclose(e.p), m.V[e.to]));
            return total;
        case Kind::l1: {
            // delta = min(r/2, 1 - P(j)) moves into j = argmax V; it leaves the states of smallest V
            // first: p(k) = max(0, P(k) - left), left <- max(0, left - P(k)).
            // States outside supp P give nothing (their p(k) = max(0, 0 - left) = 0): the loop runs
            // over supp P only, by increasing V.
            const std::size_t top = m.ascending.back();
            Iv Ptop{0, 0};
            std::vector<const Prepared::Entry*> rest;
            for (const auto& e : P)
                if (e.to == top) Ptop = enclose(e.p);
                else rest.push_back(&e);
            std::sort(rest.begin(), rest.end(), [&](const Prepared::Entry* x, const Prepared::Entry* y) { return m.rank[x->to] < m.rank[y->to]; });
            const Iv half_r = scale(enclose(m.radius[s * m.A + a]), 0.5L);
            Iv left = imin(half_r, sub(point(1), Ptop));
            total = scale(add(Ptop, left), m.V[top]);
            for (const Prepared::Entry* e : rest) {
                const std::size_t k = e->to;
                const Iv Pk = enclose(e->p);
                if (left.hi <= 0) {
                    total = add(total, scale(Pk, m.V[k]));
                    continue;
                }
                total = add(total, scale(imax(point(0), sub(Pk, left)), m.V[k]));
                left = imax(point(0), sub(left, Pk));
            }
            return total;
        }
        case Kind::interval: {
            // p = lower, then the budget 1 - sum(lower) fills states of largest V first, each up to
            // upper: p(k) = lower(k) + min(upper(k) - lower(k), budget), budget <- max(0, budget - width).
            Iv budget = point(1);
            for (std::size_t t = 0; t < S; ++t) budget = sub(budget, enclose(m.lower[row + t]));
            budget = imax(point(0), budget);
            for (std::size_t i = S; i-- > 0;) {
                const std::size_t k = m.ascending[i];
                const Iv lo = enclose(m.lower[row + k]);
                const Iv width = sub(enclose(m.upper[row + k]), lo);
                total = add(total, scale(add(lo, imin(width, budget)), m.V[k]));
                budget = imax(point(0), sub(budget, width));
            }
            return total;
        }
        case Kind::finite: {
            bool first = true;
            for (const auto& q : m.points[s * m.A + a]) {
                Iv v{0, 0};
                for (std::size_t t = 0; t < S; ++t) v = add(v, scale(enclose(q[t]), m.V[t]));
                total = first ? v : imax(total, v);
                first = false;
            }
            return total;
        }
        default: break;  // not prepared (directed_bellman_bound returns before phase 2)
    }
    return total;
}

struct Bounds {
    ld V, Q;
};

[[gnu::noinline]] Bounds directed_phase(const Prepared& m) {
    const Iv gamma = enclose(m.gamma);
    ld residual = 0, qdiff = 0;
    std::vector<Iv> Qs(m.A);
    for (std::size_t s = 0; s < m.S; ++s) {
        for (std::size_t a = 0; a < m.A; ++a) {
            Qs[a] = add(enclose(m.cost[s * m.A + a]), mul(gamma, worst_value(m, s, a)));
            const ld q = m.Q[s * m.A + a];
            qdiff = std::max({qdiff, q - Qs[a].lo, Qs[a].hi - q});
        }
        Iv TV = Qs[0];
        if (m.has_policy) {
            TV = mul(enclose(m.pi[s * m.A]), Qs[0]);
            for (std::size_t a = 1; a < m.A; ++a) TV = add(TV, mul(enclose(m.pi[s * m.A + a]), Qs[a]));
        } else {
            for (std::size_t a = 1; a < m.A; ++a) TV = imin(TV, Qs[a]);
        }
        residual = std::max({residual, TV.hi - m.V[s], m.V[s] - TV.lo});
    }
    const ld one_minus_gamma = -(gamma.hi - 1);  // rounded down
    Bounds b;
    b.V = one_minus_gamma > 0 ? residual / one_minus_gamma : INFINITY;
    b.Q = qdiff + gamma.hi * b.V;
    return b;
}

class RoundUpward {
    int saved_;

public:
    RoundUpward() : saved_(std::fegetround()) { std::fesetround(FE_UPWARD); }
    ~RoundUpward() { std::fesetround(saved_); }
    RoundUpward(const RoundUpward&) = delete;
    RoundUpward& operator=(const RoundUpward&) = delete;
};

}  // namespace

template <class T>
std::optional<evaluation_bound> directed_bellman_bound(const MdpData& m, const PolicyData* pi, const Vector<T>& V,
                                                       const Matrix<T>& Q) {
    Prepared p;
    p.S = m.S;
    p.A = m.A;
    bool ok = true;
    for (const auto& x : V) ok = ok && in_range(static_cast<ld>(x));
    for (const auto& x : Q.data) ok = ok && in_range(static_cast<ld>(x));
    if (!ok) return std::nullopt;
    p.V.assign(V.begin(), V.end());
    p.Q.assign(Q.data.begin(), Q.data.end());
    p.ascending.resize(m.S);
    std::iota(p.ascending.begin(), p.ascending.end(), std::size_t(0));
    std::stable_sort(p.ascending.begin(), p.ascending.end(), [&](std::size_t i, std::size_t j) { return p.V[i] < p.V[j]; });
    p.rank.resize(m.S);
    for (std::size_t i = 0; i < m.S; ++i) p.rank[p.ascending[i]] = i;
    p.gamma = datum(m.gamma);
    ok = in_range(p.gamma);
    p.cost = data(m.cost, ok);
    p.P.resize(m.P.rows.size());
    for (std::size_t i = 0; i < m.P.rows.size(); ++i)
        for (const auto& e : m.P.rows[i]) {
            p.P[i].push_back({e.to, datum(e.p)});
            ok = ok && in_range(p.P[i].back().p);
        }
    // A set kind without a straight-line worst case here (and l1 restricted to the nominal support,
    // whose receiving state is not the global top) takes the exact bound.
    const Uncertainty& u = m.uncertainty;
    if (u.is_nominal()) {
        p.type = Kind::none;
    } else if (const auto* l1 = u.get<L1Ball<rational>>(); l1 && !l1->nominal_support()) {
        p.type = Kind::l1;
        p.radius = data(l1->radius, ok);
    } else if (const auto* box = u.get<IntervalSet<rational>>()) {
        p.type = Kind::interval;
        p.lower = data(box->lower, ok);
        p.upper = data(box->upper, ok);
    } else if (const auto* fin = u.get<FiniteSet<rational>>()) {
        p.type = Kind::finite;
        for (const auto& sa : fin->points) {
            p.points.emplace_back();
            for (const auto& q : sa) p.points.back().push_back(data(q, ok));
        }
    } else {
        return std::nullopt;
    }
    if (pi) {
        p.has_policy = true;
        p.pi = data(pi->pi, ok);
    }
    if (!ok) return std::nullopt;
    Bounds b;
    {
        const RoundUpward upward;
        b = directed_phase(p);
    }
    if (!std::isfinite(b.V) || !std::isfinite(b.Q)) return std::nullopt;
    return evaluation_bound{exact_value(b.V), exact_value(b.Q)};
}

template std::optional<evaluation_bound> directed_bellman_bound(const MdpData&, const PolicyData*, const Vector<double>&,
                                                                const Matrix<double>&);
template std::optional<evaluation_bound> directed_bellman_bound(const MdpData&, const PolicyData*,
                                                                const Vector<long double>&, const Matrix<long double>&);

}  // namespace rmdp
