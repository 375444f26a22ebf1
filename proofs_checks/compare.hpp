// Deciding a relation between the two sides of a claim in a given arithmetic.
//
// exact     a == b, a <= b are decisions (no epsilon);
// interval  certain only when the enclosures decide (scalar_traits<mpfi_float>::le / eq);
// floating  within a tolerance tau = float_tolerance(...), a first-order bound derived in
//           docs/arithmetic.md; a float "no" is always re-decided in exact arithmetic before a
//           claim is reported refuted.
#pragma once

#include "registry.hpp"

#include "rmdp/scalar.hpp"

#include <utility>

namespace rmdp::checks {

// tau = 8 (S + A + 8)^2 u (1 + c_max) (1 + gamma) / (1 - gamma)^3, a first-order estimate of the
// rounding error of either side of the claims of this library (docs/arithmetic.md, "Tolerance of
// floating-point checks"): LU backward error g_{3n} with growth <= 2 and n-term row sums gives a
// relative forward error of values and occupancies <= kappa 6 n^2 u, kappa = (1+gamma)/(1-gamma);
// a side is (1/(1-gamma)) times a sum over occupancy-weighted Q-values of size <= 2 c_max/(1-gamma).
// Fixed from this derivation before any run; never adjusted to make a check pass.
template <class T>
T float_tolerance(const MdpData& m) {
    if constexpr (is_exact_v<T> || is_interval_v<T>) {
        return T(0);
    } else {
        const rational cmax = c_max(m);
        rational one_minus = rational(1) - m.gamma;
        const long n = static_cast<long>(m.S + m.A + 8);
        rational k = rational(8 * n * n);
        rational tau = k * exact_value(scalar_traits<T>::unit_roundoff()) * (1 + cmax) * (1 + m.gamma) /
                       (one_minus * one_minus * one_minus);
        return from_rational<T>(tau);
    }
}

template <class T>
struct Judge {
    T tol;
    truth le(const T& a, const T& b) const {
        if constexpr (is_exact_v<T> || is_interval_v<T>)
            return scalar_traits<T>::le(a, b);
        else
            return scalar_traits<T>::le(a, T(b + tol));
    }
    truth eq(const T& a, const T& b) const {
        if constexpr (is_exact_v<T> || is_interval_v<T>) {
            return scalar_traits<T>::eq(a, b);
        } else {
            using std::abs;
            T d = abs(T(a - b));
            return scalar_traits<T>::le(d, tol);
        }
    }
};

// How far lhs REL rhs is from failing: rhs - lhs ("<="), lhs - rhs (">="), |lhs - rhs| ("==").
// Exact for exact and float types (from the exact values of the computed sides); for intervals a
// lower bound (the smallest value the enclosure of the difference allows).
template <class T>
rational slack_of(const T& lhs, const T& rhs, const std::string& relation) {
    if constexpr (is_interval_v<T>) {
        const T d = relation == ">=" ? T(lhs - rhs) : T(rhs - lhs);
        const rational lo = lower_rational(d), hi = upper_rational(d);
        if (relation != "==") return lo;
        return lo > 0 ? lo : hi < 0 ? rational(-hi) : rational(0);
    } else {
        rational d = relation == ">=" ? exact_value(lhs) - exact_value(rhs) : exact_value(rhs) - exact_value(lhs);
        if (relation == "==" && d < 0) d = -d;
        return d;
    }
}

// Keeps the first violation, else the first undecided comparison; counts the comparisons; and
// records the satisfied comparison with the least slack (the first of equal ones) for
// `rmdp check --instance`. Sides are printed only when a new least slack is found.
struct Tally {
    Finding f;
    Tally() { f.comparisons = 0; }
    template <class T>
    void add(truth t, const std::string& where, const T& lhs, const T& rhs, const char* relation) {
        ++f.comparisons;
        if (t == truth::yes && f.result != truth::no) {
            rational s = slack_of(lhs, rhs, relation);
            if (!f.least_slack || s < f.least_slack->slack)
                f.least_slack = Comparison{where, to_string(lhs), to_string(rhs), relation, std::move(s)};
        }
        if (f.result == truth::no) return;
        if (t == truth::yes) return;
        if (t == truth::unknown && f.result == truth::unknown) return;
        f.result = t;
        f.where = where;
        f.lhs = to_string(lhs);
        f.rhs = to_string(rhs);
        f.relation = relation;
    }
};

inline std::string at(std::size_t s) { return "s=" + std::to_string(s); }

// An instance the check cannot decide in the requested arithmetic, and why.
inline Finding undecided(std::string note) {
    Finding f;
    f.result = truth::unknown;
    f.note = std::move(note);
    return f;
}

}  // namespace rmdp::checks
