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
// T = mpfi_float: a CERTIFIED enclosure of the worst case of every point data inside the input
// enclosures (kl_enclosure below). T = rational: refused (the worst case is transcendental): an
// input_error naming uncertainty.type, so exact solves of a kl model exit 2.
#pragma once

#include "rmdp/sets/set.hpp"

#include <cmath>
#include <limits>
#include <optional>

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

// ---- intervals (certified) ----

inline mpfr_float kl_left(const mpfi_float& x) {
    mpfr_float e;
    mpfi_get_left(e.backend().data(), x.backend().data());
    return e;
}
inline mpfr_float kl_right(const mpfi_float& x) {
    mpfr_float e;
    mpfi_get_right(e.backend().data(), x.backend().data());
    return e;
}
inline mpfr_float kl_mid(const mpfi_float& x) {
    mpfr_float e;
    mpfi_mid(e.backend().data(), x.backend().data());
    return e;
}
inline mpfi_float kl_point(const mpfr_float& x) {
    mpfi_float e;
    mpfi_set_fr(e.backend().data(), x.backend().data());
    return e;
}
inline bool kl_is_zero(const mpfi_float& x) { return mpfi_is_zero(x.backend().data()) > 0; }

// Encloses, for every point (q, V, r) in the input enclosures with q a distribution, the tilt
// p_beta, <p_beta, V>, KL(p_beta||q) and the dual g(beta) (beta a point, shift c a point).
struct KLTiltEnclosure {
    Vector<mpfi_float> p;
    mpfi_float value, kl, dual;
};
inline KLTiltEnclosure kl_tilt_enclosure(const mpfi_float* q, std::size_t S, const Vector<mpfi_float>& V,
                                         const mpfi_float& r, const mpfr_float& c, const mpfr_float& beta) {
    const mpfi_float b = kl_point(beta), shift = kl_point(c);
    KLTiltEnclosure t{Vector<mpfi_float>(S, mpfi_float(0)), mpfi_float(0), mpfi_float(0), mpfi_float(0)};
    mpfi_float Z(0), Ea(0);
    for (std::size_t i = 0; i < S; ++i)
        if (!kl_is_zero(q[i])) {
            const mpfi_float a = V[i] - shift;
            t.p[i] = q[i] * exp(b * a);
            Z += t.p[i];
        }
    const mpfi_float logZ = log(Z);
    for (std::size_t i = 0; i < S; ++i)
        if (!kl_is_zero(q[i])) {
            t.p[i] /= Z;
            const mpfi_float a = V[i] - shift;
            t.value += t.p[i] * V[i];
            Ea += t.p[i] * a;
        }
    t.kl = b * Ea - logZ;
    if (beta > 0) t.dual = shift + (logZ + r) / b;
    return t;
}

// A certified enclosure [lower, upper] of max_{p in U} <p, V> (module comment), with p an
// enclosure of a feasible distribution attaining at least `lower`:
//   upper = min(max_I sup V_i, sup g(beta))                (weak duality, at any beta > 0)
//   lower = inf <p, V> for p = q restricted to a superset M~ of M when -log q(M~) <= r is certain
//           (special case), else p = p_beta for the largest tried beta whose KL(p_beta||q) <= r
//           is decided by the enclosures (beta from an MPFR solve at the midpoints, then backed
//           off by factors 1 - 2^-k), p = q (beta = 0, always feasible) as the last resort.
inline WorstCase<mpfi_float> kl_enclosure(const mpfi_float* q, std::size_t S, const Vector<mpfi_float>& V,
                                          const mpfi_float& r) {
    bool any = false;
    mpfr_float hiMax(0), loMax(0);
    for (std::size_t i = 0; i < S; ++i)
        if (!kl_is_zero(q[i])) {
            const mpfr_float lo = kl_left(V[i]), hi = kl_right(V[i]);
            if (!any || hi > hiMax) hiMax = hi;
            if (!any || lo > loMax) loMax = lo;
            any = true;
        }
    mpfr_float upper = hiMax;
    auto make = [&](Vector<mpfi_float> p, const mpfr_float& lower) {
        mpfi_float v;
        mpfi_interv_fr(v.backend().data(), lower.backend().data(), upper.backend().data());
        return WorstCase<mpfi_float>{std::move(p), v};
    };
    // r = 0 for certain: U = {q}, the worst case is <q, V> itself.
    if (kl_is_zero(r)) {
        mpfi_float v(0);
        for (std::size_t i = 0; i < S; ++i)
            if (!kl_is_zero(q[i])) v += q[i] * V[i];
        return {Vector<mpfi_float>(q, q + S), v};
    }
    // Special case: M~ = the states that may attain the maximum contains M, and -log q(M~) <=
    // -log q(M); if -log q(M~) <= r is certain, q restricted to M~ is feasible.
    mpfi_float qM(0);
    for (std::size_t i = 0; i < S; ++i)
        if (!kl_is_zero(q[i]) && kl_right(V[i]) >= loMax) qM += q[i];
    const mpfi_float neglog = -log(qM);
    if (kl_right(neglog) <= kl_left(r)) {
        Vector<mpfi_float> p(S, mpfi_float(0));
        mpfi_float v(0);
        for (std::size_t i = 0; i < S; ++i)
            if (!kl_is_zero(q[i]) && kl_right(V[i]) >= loMax) {
                p[i] = q[i] / qM;
                v += p[i] * V[i];
            }
        return make(std::move(p), kl_left(v));
    }
    // General case: a tilt from an MPFR solve at the midpoints.
    Vector<mpfr_float> qm, Vm;
    for (std::size_t i = 0; i < S; ++i) {
        qm.push_back(kl_is_zero(q[i]) ? mpfr_float(0) : kl_mid(q[i]));
        Vm.push_back(kl_mid(V[i]));
    }
    const KLSolution<mpfr_float> sol = kl_solve(qm.data(), S, Vm, kl_mid(r), false);
    const mpfr_float c = hiMax;
    // Back-offs beta (1 - 2^-k), k = bits, bits - 4, ..., 1: the first certified one loses about
    // 2^-k of the bracket; each try costs one pass over the row.
    const long bits = static_cast<long>(working_precision());
    for (long k = bits + 4; k >= 1; k -= 4) {
        mpfr_float beta = sol.beta;
        if (k <= bits) beta = beta - ldexp(beta, static_cast<int>(-k));
        if (!(beta > 0)) break;
        const KLTiltEnclosure t = kl_tilt_enclosure(q, S, V, r, c, beta);
        const mpfr_float dualHi = kl_right(t.dual);
        if (dualHi < upper) upper = dualHi;
        if (kl_right(t.kl) <= kl_left(r)) return make(t.p, kl_left(t.value));
    }
    mpfi_float v(0);
    for (std::size_t i = 0; i < S; ++i)
        if (!kl_is_zero(q[i])) v += q[i] * V[i];
    return make(Vector<mpfi_float>(q, q + S), kl_left(v));
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
            return detail::kl_enclosure(row.q, row.S, row.V, radius[row.index()]);
        else
            return detail::kl_solve(row.q, row.S, row.V, radius[row.index()]).w;
    }

    // Module comment, "Faces".
    WorstCase<T> on_face(const SetRow<T>& byV, const SetRow<T>& byVW) const {
        if constexpr (!scalar_traits<T>::has_exp_log) {
            throw exact_refusal();
        } else if constexpr (is_interval_v<T>) {
            // Certifying the face needs M decided exactly (ties in V); not done. An undecided decision:
            // the instance is then undecided (kl has no exact fallback), never a wrong enclosure.
            detail::undecided("face of a kl set");
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
