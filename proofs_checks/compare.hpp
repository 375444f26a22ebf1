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

namespace rmdp::checks {

// tau = 16 (S + A + 8) u (1 + c_max) (1 + gamma) / (1 - gamma)^3 for the claims of this
// library: every side is a sum of at most S*A products of occupancies (relative error
// <= kappa g_K, kappa = (1+gamma)/(1-gamma)), values and Q-values (absolute error
// <= kappa g_K c_max / (1-gamma)), scaled by 1/(1-gamma). docs/arithmetic.md has the derivation.
template <class T>
T float_tolerance(const MdpData& m) {
    if constexpr (is_exact_v<T> || is_interval_v<T>) {
        return T(0);
    } else {
        rational cmax = 0;
        for (const auto& c : m.cost) cmax = std::max(cmax, c < 0 ? rational(-c) : c);
        rational one_minus = rational(1) - m.gamma;
        rational k = rational(static_cast<long>(16 * (m.S + m.A + 8)));
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

// Keeps the first violation, else the first undecided comparison.
struct Tally {
    Finding f;
    template <class T>
    void add(truth t, const std::string& where, const T& lhs, const T& rhs, const char* relation) {
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

}  // namespace rmdp::checks
