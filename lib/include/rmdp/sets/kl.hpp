// "kl": U_{s,a} = {p << q : KL(p||q) = sum_i p_i log(p_i / q_i) <= r(s,a)}, q = P_N(.|s,a), natural
// logarithm (docs/robust.md, "KL balls").
//
// Worst case. Let I = supp q, Vmax = max_I V, M = {i in I : V_i = Vmax}. The Lagrange dual is the
// one-dimensional convex problem
//     max_{p in U} <p, V> = min_{lambda > 0} lambda log E_q[exp(V / lambda)] + lambda r,
// whose primal maximiser at the optimal lambda is the tilt p_beta ∝ q exp(beta V), beta = 1/lambda.
// With a = V - Vmax <= 0 on I, Z(beta) = E_q[exp(beta a)] and p_beta = q exp(beta a) / Z:
//     KL(p_beta || q) = beta E_{p_beta}[a] - log Z(beta)      (increasing in beta, from 0 to -log q(M)),
//     g(beta) := Vmax + (log Z(beta) + r) / beta                (the dual at lambda = 1/beta),
//     g(beta) - <p_beta, V> = (r - KL(p_beta || q)) / beta     (>= 0 when p_beta is feasible).
// So for every beta with KL(p_beta||q) <= r, [<p_beta, V>, g(beta)] brackets the worst case: the
// left end by feasibility (primal), the right end by weak duality. The solver below keeps the
// largest feasible beta found and stops when that bracket is below 4 u max_I |V| (u = unit
// roundoff), searching beta by safeguarded Newton on KL(p_beta||q) = r (derivative beta Var_p[a])
// with bisection fallback. The value returned is the primal end <p_beta, V>.
//
// Special case, handled exactly: when r >= -log q(M) (this includes V constant on I, where
// q(M) = 1), the dual's infimum is approached only as lambda -> 0+, and the worst case is Vmax,
// attained by q restricted to M and renormalised (its KL is -log q(M) <= r). r = 0 gives p = q.
//
// Faces (on_face). Outside the special case the maximiser is unique (a linear function over a
// strictly convex set whose maximum is not attained on a flat piece), so the face is that point and
// the W-maximiser is it, with value <p, W>. In the special case the face is {p supported on M :
// KL(p||q) <= r}; for p on M, KL(p||q) = KL(p||q_M) - log q(M) with q_M = q restricted to M and
// renormalised, so max <p, W> over the face is the KL worst case of W for q_M with radius
// r + log q(M) >= 0.
//
// Arithmetics: T = double, long double, mpfr_float as above (a derived bracket, not a certificate).
// T = mpfi_float: CERTIFIED enclosures, for every point data inside the input enclosures, of the
// worst-case value and of the maximiser (kl_interval_worst_case below: the tilt at a certified
// bracket of the dual's root; the special case when the enclosures decide it; otherwise the box
// [0,1] on supp q, which encloses every maximiser, with the value still enclosed). T = rational:
// refused (the worst case is transcendental): an input_error naming uncertainty.type, so exact
// solves of a kl model exit 2.
#pragma once

#include "rmdp/sets/set.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

namespace rmdp {

namespace detail {

// The tilt p_beta of q towards V (a = V - Vmax, entries outside supp q stay 0).
template <class T>
struct KLTilt {
    Vector<T> p;
    T Ea, var, kl;  // E_p[a], Var_p[a], KL(p||q)
    T logZ;
};

template <class T>
KLTilt<T> kl_tilt(const T* q, std::size_t S, const Vector<T>& V, const T& Vmax, const T& beta) {
    using std::exp;
    using std::log;
    KLTilt<T> t{Vector<T>(S, T(0)), T(0), T(0), T(0), T(0)};
    T Z(0);
    for (std::size_t i = 0; i < S; ++i)
        if (q[i] > 0) {
            const T a = V[i] - Vmax;
            t.p[i] = q[i] * exp(beta * a);
            Z += t.p[i];
        }
    T Ea2(0);
    for (std::size_t i = 0; i < S; ++i)
        if (q[i] > 0) {
            t.p[i] /= Z;
            const T a = V[i] - Vmax;
            t.Ea += t.p[i] * a;
            Ea2 += t.p[i] * a * a;
        }
    t.var = Ea2 - t.Ea * t.Ea;
    if (t.var < 0) t.var = T(0);
    t.logZ = log(Z);
    t.kl = beta * t.Ea - t.logZ;
    return t;
}

template <class T>
unsigned kl_precision_bits() {
    if constexpr (std::is_same_v<T, mpfr_float>)
        return working_precision();
    else
        return static_cast<unsigned>(std::numeric_limits<T>::digits);
}

template <class T>
struct KLSolution {
    WorstCase<T> w;
    bool special = false;  // r >= -log q(M): w.p = q restricted to M, w.value = Vmax
    T beta = T(0);         // the feasible tilt returned (outside the special case)
    T gap = T(0);          // g(beta) - <p_beta, V>: the bracket's width (in T)
};

// The worst case of V over the KL ball of radius r around q, in floating T. `allow_special` = false
// skips the exact special case (the interval code wants a tilt even there).
template <class T>
KLSolution<T> kl_solve(const T* q, std::size_t S, const Vector<T>& V, const T& r, bool allow_special = true) {
    using std::abs;
    using std::log;
    KLSolution<T> out;
    bool any = false;
    T Vmax(0), Vmin(0), scale(0);
    for (std::size_t i = 0; i < S; ++i)
        if (q[i] > 0) {
            if (!any || V[i] > Vmax) Vmax = V[i];
            if (!any || V[i] < Vmin) Vmin = V[i];
            if (abs(V[i]) > scale) scale = abs(V[i]);
            any = true;
        }
    T qM(0);
    for (std::size_t i = 0; i < S; ++i)
        if (q[i] > 0 && V[i] == Vmax) qM += q[i];
    if (r == 0 || (allow_special && r >= -log(qM))) {
        out.special = r != 0 || Vmin == Vmax;
        out.w.p = Vector<T>(S, T(0));
        T value(0);
        for (std::size_t i = 0; i < S; ++i)
            if (q[i] > 0) {
                if (r == 0) {
                    out.w.p[i] = q[i];
                    value += q[i] * V[i];
                } else if (V[i] == Vmax) {
                    out.w.p[i] = q[i] / qM;
                }
            }
        out.w.value = r == 0 ? value : Vmax;
        return out;
    }
    if (Vmax == Vmin) {  // V constant on supp q (only reached with allow_special = false): p = q
        out.w.p = Vector<T>(q, q + S);
        out.w.value = Vmax;
        return out;
    }
    // Stop when the primal-dual bracket is below a few ulps of max |V|; the cap (a few passes over
    // the precision's bits) only guards against a bracket rounding cannot shrink further.
    const T tol = T(4) * scalar_traits<T>::unit_roundoff() * scale;
    const unsigned cap = 64 + 4 * kl_precision_bits<T>();
    T lo(0), hi(-1);  // lo: largest feasible beta seen; hi: smallest infeasible (-1: none yet)
    KLTilt<T> best = kl_tilt(q, S, V, Vmax, lo);
    T gap = std::numeric_limits<double>::infinity();
    T beta = T(1) / (Vmax - Vmin);
    for (unsigned it = 0; it < cap; ++it) {
        const KLTilt<T> t = kl_tilt(q, S, V, Vmax, beta);
        if (t.kl <= r) {
            lo = beta;
            best = t;
            gap = (r - t.kl) / beta;
            if (gap <= tol) break;
        } else {
            hi = beta;
        }
        T next = beta;
        const T slope = beta * t.var;  // d KL(p_beta||q) / d beta
        const bool newton = slope > 0;
        if (newton) next = beta - (t.kl - r) / slope;
        if (hi < 0) {  // no infeasible beta yet: Newton if it moves up, else double
            if (!newton || !(next > beta)) next = beta * 2;
        } else if (!newton || !(next > lo && next < hi)) {
            next = (lo + hi) / 2;
        }
        if (hi >= 0 && !(next > lo && next < hi)) break;  // the bracket in beta is exhausted
        beta = next;
    }
    out.beta = lo;
    out.gap = gap;
    out.w.p = std::move(best.p);
    out.w.value = Vmax + best.Ea;
    return out;
}

// The face data of the special case: q restricted to M and renormalised, and r + log q(M).
template <class T>
std::optional<std::pair<Vector<T>, T>> kl_special_face(const T* q, std::size_t S, const Vector<T>& V, const T& r) {
    using std::log;
    const KLSolution<T> sol = kl_solve(q, S, V, r);
    if (!sol.special) return std::nullopt;
    T qM(0);
    for (std::size_t i = 0; i < S; ++i)
        if (sol.w.p[i] > 0) qM += q[i];
    T rest = r + log(qM);
    if (rest < 0) rest = T(0);  // rounding: the special test said r >= -log q(M)
    return std::make_pair(sol.w.p, rest);
}

// ---- intervals (certified; docs/robust.md, "KL balls", "The maximiser in intervals") ----
//
// Input: enclosures of q, V and r (MPFI). "Every point" below means every (q, V, r) inside them with
// q a distribution. For such a point let M(V) = argmax_I V, and
//   h(beta) = KL(p_beta || q) - r,  p_beta(i) = q_i exp(beta V_i) / sum_j q_j exp(beta V_j).
// Gibbs' inequality: for p << q and lambda = 1/beta > 0, <p, V> <= lambda (KL(p||q) + log E_q e^{V/lambda}),
// with equality iff p = p_beta. So a feasible p (KL <= r) has <p, V> <= g(beta) = lambda (r + log E_q
// e^{V/lambda}), with equality iff p = p_beta and KL(p_beta||q) = r. When r < -log q(M) (hence V not
// constant on I) h increases strictly from -r < 0 (beta = 0) to -log q(M) - r > 0 (beta -> inf;
// d KL/d beta = beta Var_{p_beta}[V] > 0), so it has one root beta*, and p_{beta*} is feasible and
// attains the dual bound: it is THE maximiser (unique: any other maximiser would attain equality).
// Certification: if h(beta_lo) < 0 < h(beta_hi) for every point (interval evaluation of h at the two
// points beta_lo, beta_hi over the whole input box: the inclusion property), then r < -log q(M) for
// every point (h < -log q(M) - r everywhere) and beta* is in (beta_lo, beta_hi) for every point, so
// p_i = 1 / (1 + sum_{j != i} (q_j / q_i) exp(B (V_j - V_i))), evaluated with B = [beta_lo, beta_hi],
// contains the maximiser of every point (that form has no dependency between numerator and
// denominator and never evaluates V_i - V_i).

// Encloses, for every point and a point beta >= 0 (shift c a point): p_beta, <p_beta, V>,
// KL(p_beta||q) and the dual g(beta) (beta > 0).
struct KLTiltEnclosure {
    Vector<mpfi_float> p;
    mpfi_float value, kl, dual;
};
inline mpfi_float kl_point(const mpfr_float& x) { return interval(x, x); }
inline KLTiltEnclosure kl_tilt_enclosure(const mpfi_float* q, std::size_t S, const Vector<mpfi_float>& V,
                                         const mpfi_float& r, const mpfr_float& c, const mpfr_float& beta) {
    const mpfi_float b = kl_point(beta), shift = kl_point(c);
    KLTiltEnclosure t{Vector<mpfi_float>(S, mpfi_float(0)), mpfi_float(0), mpfi_float(0), mpfi_float(0)};
    mpfi_float Z(0), Ea(0);
    for (std::size_t i = 0; i < S; ++i)
        if (!is_certainly_zero(q[i])) {
            const mpfi_float a = V[i] - shift;
            t.p[i] = q[i] * exp(b * a);
            Z += t.p[i];
        }
    const mpfi_float logZ = log(Z);
    for (std::size_t i = 0; i < S; ++i)
        if (!is_certainly_zero(q[i])) {
            t.p[i] /= Z;
            const mpfi_float a = V[i] - shift;
            t.value += t.p[i] * V[i];
            Ea += t.p[i] * a;
        }
    t.kl = b * Ea - logZ;
    if (beta > 0) t.dual = shift + (logZ + r) / b;
    return t;
}

// The intersection of two enclosures of the same numbers (disjoint would be a bug in one of them).
inline mpfi_float kl_meet(const mpfi_float& a, const mpfi_float& b) {
    const mpfr_float alo = lower_end(a), ahi = upper_end(a), blo = lower_end(b), bhi = upper_end(b);
    const mpfr_float lo = alo < blo ? blo : alo, hi = ahi < bhi ? ahi : bhi;
    if (hi < lo) throw std::logic_error("kl: two enclosures of the same worst case are disjoint");
    return interval(lo, hi);
}

// A certified enclosure [lower, upper] of the worst-case VALUE max_{p in U} <p, V> for every point,
// needing no decision: the fallback when the maximiser cannot be certified (kl_interval_worst_case).
//   upper = min(max_I sup V_i, sup g(beta))                (weak duality, at any beta > 0)
//   lower = inf <p, V> for p = q restricted to a superset M~ of M when -log q(M~) <= r is certain
//           (q_{M~} is then feasible), else p = p_beta for the largest tried beta whose
//           KL(p_beta||q) <= r is decided by the enclosures (beta from an MPFR solve at the
//           midpoints, backed off by factors 1 - 2^-k), p = q (beta = 0, always feasible) last.
inline mpfi_float kl_value_enclosure(const mpfi_float* q, std::size_t S, const Vector<mpfi_float>& V,
                                     const mpfi_float& r) {
    bool any = false;
    mpfr_float hiMax(0), loMax(0);
    for (std::size_t i = 0; i < S; ++i)
        if (!is_certainly_zero(q[i])) {
            const mpfr_float lo = lower_end(V[i]), hi = upper_end(V[i]);
            if (!any || hi > hiMax) hiMax = hi;
            if (!any || lo > loMax) loMax = lo;
            any = true;
        }
    mpfr_float upper = hiMax;
    mpfi_float onq(0);
    for (std::size_t i = 0; i < S; ++i)
        if (!is_certainly_zero(q[i])) onq += q[i] * V[i];
    if (is_certainly_zero(r)) return onq;
    mpfi_float qM(0);
    for (std::size_t i = 0; i < S; ++i)
        if (!is_certainly_zero(q[i]) && upper_end(V[i]) >= loMax) qM += q[i];
    if (upper_end(mpfi_float(-log(qM))) <= lower_end(r)) {
        mpfi_float v(0);
        for (std::size_t i = 0; i < S; ++i)
            if (!is_certainly_zero(q[i]) && upper_end(V[i]) >= loMax) v += q[i] / qM * V[i];
        return interval(lower_end(v), upper);
    }
    Vector<mpfr_float> qm, Vm;
    for (std::size_t i = 0; i < S; ++i) {
        qm.push_back(is_certainly_zero(q[i]) ? mpfr_float(0) : midpoint(q[i]));
        Vm.push_back(midpoint(V[i]));
    }
    const KLSolution<mpfr_float> sol = kl_solve(qm.data(), S, Vm, midpoint(r), false);
    const long bits = static_cast<long>(working_precision());
    for (long k = bits + 4; k >= 1; k -= 4) {
        mpfr_float beta = sol.beta;
        if (k <= bits) beta = beta - ldexp(beta, static_cast<int>(-k));
        if (!(beta > 0)) break;
        const KLTiltEnclosure t = kl_tilt_enclosure(q, S, V, r, hiMax, beta);
        const mpfr_float dualHi = upper_end(t.dual);
        if (dualHi < upper) upper = dualHi;
        if (upper_end(t.kl) <= lower_end(r)) return interval(lower_end(t.value), upper);
    }
    return interval(lower_end(onq), upper);
}

// MPFR estimate of the root beta* of KL(p_beta||q) = r at the midpoints (untrusted: only where the
// certified bracket is looked for): the float solver's largest feasible beta, polished by Newton.
inline mpfr_float kl_root_estimate(const Vector<mpfr_float>& q, const Vector<mpfr_float>& V, const mpfr_float& r) {
    const std::size_t S = q.size();
    const KLSolution<mpfr_float> sol = kl_solve(q.data(), S, V, r, false);
    bool any = false;
    mpfr_float Vmax(0), Vmin(0);
    for (std::size_t i = 0; i < S; ++i)
        if (q[i] > 0) {
            if (!any || V[i] > Vmax) Vmax = V[i];
            if (!any || V[i] < Vmin) Vmin = V[i];
            any = true;
        }
    if (!(Vmax > Vmin)) return mpfr_float(0);
    mpfr_float beta = sol.beta > 0 ? sol.beta : mpfr_float(1 / (Vmax - Vmin));
    const mpfr_float stop = ldexp(mpfr_float(1), -static_cast<int>(working_precision()));
    for (int it = 0; it < 8; ++it) {
        const KLTilt<mpfr_float> t = kl_tilt(q.data(), S, V, Vmax, beta);
        const mpfr_float slope = beta * t.var;
        if (!(slope > 0)) break;
        const mpfr_float next = beta - (t.kl - r) / slope;
        if (!(next > 0)) break;
        const bool done = abs(mpfr_float(next - beta)) <= beta * stop;
        beta = next;
        if (done) break;
    }
    return beta;
}

// What the interval worst case knows about the maximiser (module comment, "intervals").
enum class KLMaximiser {
    unique,     // p contains the unique maximiser of every point
    canonical,  // ties certified (V constant on M, exactly): p is q_M, the maximiser every arithmetic
                // returns, but not the only one (r > -log q(M) with |M| >= 2, e.g. V constant on I)
    unknown,    // not certified (a near-tie in max V decides the regime, or no bracket): p is the
                // box [0,1] on supp q, which contains every maximiser of every point
};
struct KLIntervalWorstCase {
    WorstCase<mpfi_float> w;
    KLMaximiser maximiser;
};

// Decided by the enclosures: the maximiser (enclosed) and the worst-case value (enclosed), for every
// point. Never a guess: what cannot be certified is KLMaximiser::unknown with the vacuous box.
inline KLIntervalWorstCase kl_interval_worst_case(const mpfi_float* q, std::size_t S, const Vector<mpfi_float>& V,
                                                  const mpfi_float& r) {
    std::vector<std::size_t> I;
    for (std::size_t i = 0; i < S; ++i)
        if (!is_certainly_zero(q[i])) I.push_back(i);
    auto unknown = [&] {
        Vector<mpfi_float> p(S, mpfi_float(0));
        for (std::size_t i : I) p[i] = interval(mpfr_float(0), mpfr_float(1));
        return KLIntervalWorstCase{{std::move(p), kl_value_enclosure(q, S, V, r)}, KLMaximiser::unknown};
    };
    // r = 0: U = {q}.
    if (is_certainly_zero(r)) {
        mpfi_float v(0);
        for (std::size_t i : I) v += q[i] * V[i];
        return {{Vector<mpfi_float>(q, q + S), v}, KLMaximiser::unique};
    }
    if (!(lower_end(r) > 0)) return unknown();
    for (std::size_t i : I)
        if (!(lower_end(q[i]) > 0)) return unknown();  // supp q itself undecided
    // M~ = the states that may attain max_I V: M(V) is a subset of M~ for every point. It is M when it
    // is one state, or when its V are one and the same point (an exact tie).
    mpfr_float loMax = lower_end(V[I.front()]);
    for (std::size_t i : I)
        if (lower_end(V[i]) > loMax) loMax = lower_end(V[i]);
    std::vector<std::size_t> Mt;
    for (std::size_t i : I)
        if (upper_end(V[i]) >= loMax) Mt.push_back(i);
    bool tie = true;  // every V_i, i in M~, the same point
    for (std::size_t i : Mt)
        tie = tie && lower_end(V[i]) == upper_end(V[i]) && lower_end(V[i]) == lower_end(V[Mt.front()]);
    const bool M_known = Mt.size() == 1 || tie;
    mpfi_float qM(0);
    for (std::size_t i : Mt) qM += q[i];
    // -log q(M~); exactly 0 when M~ = I (q a distribution).
    const mpfi_float neglog = Mt.size() == I.size() ? mpfi_float(0) : mpfi_float(-log(qM));
    if (M_known && upper_end(neglog) <= lower_end(r)) {
        // Special case r >= -log q(M): the worst case is max V, attained by q_M = q restricted to M,
        // renormalised; unique iff |M| = 1 (then p = e_m).
        Vector<mpfi_float> p(S, mpfi_float(0));
        for (std::size_t i : Mt) p[i] = Mt.size() == 1 ? mpfi_float(1) : mpfi_float(q[i] / qM);
        return {{std::move(p), V[Mt.front()]}, Mt.size() == 1 ? KLMaximiser::unique : KLMaximiser::canonical};
    }
    // Otherwise the tilt case needs r < -log q(M(V)) for every point; r < -log q(M~) implies it. (The
    // bracket below certifies it again; this test only avoids a hopeless search.)
    if (!(upper_end(r) < lower_end(neglog))) return unknown();
    Vector<mpfr_float> qm, Vm;
    for (std::size_t i = 0; i < S; ++i) {
        qm.push_back(is_certainly_zero(q[i]) ? mpfr_float(0) : midpoint(q[i]));
        Vm.push_back(midpoint(V[i]));
    }
    const mpfr_float beta = kl_root_estimate(qm, Vm, midpoint(r));
    if (!(beta > 0)) return unknown();
    const mpfr_float c = upper_end(V[Mt.front()]);
    // h(b) < 0 for every point (yes), > 0 for every point (no), or undecided.
    auto sign = [&](const mpfr_float& b, KLTiltEnclosure& t) {
        t = kl_tilt_enclosure(q, S, V, r, c, b);
        if (upper_end(t.kl) < lower_end(r)) return truth::yes;
        if (lower_end(t.kl) > upper_end(r)) return truth::no;
        return truth::unknown;
    };
    // The bracket beta (1 -+ 2^-k): k from the working precision down (the first certified pair is the
    // tightest tried), then beta_lo = 0 (h(0) = -r < 0) or beta_hi = beta 2^j.
    const long bits = static_cast<long>(working_precision());
    mpfr_float lo(-1), hi(-1);
    KLTiltEnclosure tlo, thi, t;
    for (long k = bits - 8;; k = k > 8 ? k - 8 : 1) {
        const mpfr_float d = ldexp(beta, -static_cast<int>(k));
        if (lo < 0 && sign(beta - d, t) == truth::yes) lo = beta - d, tlo = t;
        if (hi < 0 && sign(beta + d, t) == truth::no) hi = beta + d, thi = t;
        if ((lo >= 0 && hi >= 0) || k == 1) break;
    }
    if (lo < 0 && sign(mpfr_float(0), t) == truth::yes) lo = 0, tlo = t;
    for (int j = 1; hi < 0 && j <= 64; ++j) {
        const mpfr_float b = ldexp(beta, j);
        if (sign(b, t) == truth::no) hi = b, thi = t;
    }
    if (lo < 0 || hi < 0) return unknown();
    const mpfi_float B = interval(lo, hi);
    const mpfi_float unit = interval(mpfr_float(0), mpfr_float(1));
    Vector<mpfi_float> p(S, mpfi_float(0));
    mpfi_float onp(0);
    for (std::size_t i : I) {
        mpfi_float den(1);
        for (std::size_t j : I)
            if (j != i) den += q[j] / q[i] * exp(B * (V[j] - V[i]));
        p[i] = kl_meet(mpfi_float(1) / den, unit);
        onp += p[i] * V[i];
    }
    // The value three ways, each enclosing it for every point: through the maximiser box; the primal
    // <p_lo, V> (p_lo feasible) and the duals g(lo), g(hi) (weak duality).
    mpfr_float upper = upper_end(thi.dual);
    if (lo > 0 && upper_end(tlo.dual) < upper) upper = upper_end(tlo.dual);
    const mpfi_float value = kl_meet(onp, interval(lower_end(tlo.value), upper));
    return {{std::move(p), value}, KLMaximiser::unique};
}
}  // namespace detail

template <class T>
struct KLBall {
    using scalar = T;
    static constexpr const char* name = "kl";
    static constexpr unsigned since = 2;
    static constexpr SetTraits traits{.polyhedral = false, .exact = false, .needs_exp_log = true, .order_driven = false};

    Vector<T> radius;  // S*A, >= 0

    // The one refusal of exact arithmetic: every exact path (solve, evaluate, worst-case, gradients,
    // crosscheck, certificates) reaches a kl set through this function.
    static input_error exact_refusal() {
        return input_error("", "uncertainty.type",
                           "'kl' sets have transcendental worst cases (exp and log), which exact arithmetic cannot "
                           "compute; use --arith mpfr:BITS, --arith double or --arith interval:BITS");
    }

    WorstCase<T> worst_case(const SetRow<T>& row) const {
        if constexpr (!scalar_traits<T>::has_exp_log)
            throw exact_refusal();
        else if constexpr (is_interval_v<T>)
            return detail::kl_interval_worst_case(row.q, row.S, row.V, radius[row.index()]).w;
        else
            return detail::kl_solve(row.q, row.S, row.V, radius[row.index()]).w;
    }

    // Module comment, "Faces".
    WorstCase<T> on_face(const SetRow<T>& byV, const SetRow<T>& byVW) const {
        if constexpr (!scalar_traits<T>::has_exp_log) {
            throw exact_refusal();
        } else if constexpr (is_interval_v<T>) {
            // A certified unique maximiser is the whole face: its box and <p, W>. Otherwise (a face of
            // several points, or a maximiser not certified) the decision is undecided: kl has no exact
            // fallback, so the instance is undecided, never a wrong enclosure.
            detail::KLIntervalWorstCase c = detail::kl_interval_worst_case(byV.q, byV.S, byV.V, radius[byV.index()]);
            if (c.maximiser != detail::KLMaximiser::unique) detail::undecided("face of a kl set");
            c.w.value = byVW.dot(c.w.p.data());
            return c.w;
        } else {
            const T& r = radius[byV.index()];
            if (const auto face = detail::kl_special_face(byV.q, byV.S, byV.V, r)) {
                const auto& [qM, rest] = *face;
                return detail::kl_solve(qM.data(), byV.S, byVW.V, rest).w;
            }
            WorstCase<T> w = detail::kl_solve(byV.q, byV.S, byV.V, r).w;
            w.value = byVW.dot(w.p.data());
            return w;
        }
    }

    template <class U, class F>
    KLBall<U> map(F&& f) const {
        return {map_vector<U>(radius, f)};
    }
    std::vector<SetField> fields() { return {{"radius", SetField::shape::per_state_action, true, &radius}}; }
    void validate(const Kernel<rational>& P, const std::string& file) const {
        check_radii(radius, SetField::shape::per_state_action, P.A, file);
    }
    // Radii k/8, k in 0..9: radius 0 (p = q) occurs, and radii >= -log q(M) (the special case) are
    // frequent on the generator's sparse rows. One radius or one per (s,a).
    static KLBall draw(Rng& rng, const Kernel<rational>& P, const GeneratorOptions&) {
        KLBall u;
        u.radius = draw_radii(rng, P.S * P.A, 9, 8);
        return u;
    }
};

}  // namespace rmdp
