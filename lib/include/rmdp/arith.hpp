// Choosing the arithmetic of a computation at run time: "exact", "mpfr:BITS", "double",
// "long-double", "interval:BITS" -- scalar_traits<T>::name() of each type of all_scalars
// (scalar.hpp), with ":BITS" where the type has a working precision. dispatch() calls a generic
// lambda with the scalar type, with the working precision set for the call where the type has one
// (scoped_precision: restored afterwards, so a run's precision never leaks into the next).
#pragma once

#include "rmdp/scalar.hpp"

#include <cstddef>
#include <string>
#include <tuple>

namespace rmdp {

struct Arith {
    // Position in all_scalars (the static_asserts below keep the two in step).
    enum class kind { exact, mpfr, float64, float80, interval };
    kind type = kind::exact;
    unsigned bits = 0;  // mpfr / interval: requested precision in bits
    std::string name() const;
};

template <Arith::kind K>
using scalar_of = std::tuple_element_t<static_cast<std::size_t>(K), all_scalars>;
static_assert(std::tuple_size_v<all_scalars> == 5, "a new scalar type needs its Arith::kind");
static_assert(std::is_same_v<scalar_of<Arith::kind::exact>, rational> && std::is_same_v<scalar_of<Arith::kind::mpfr>, mpfr_float> &&
              std::is_same_v<scalar_of<Arith::kind::float64>, double> && std::is_same_v<scalar_of<Arith::kind::float80>, long double> &&
              std::is_same_v<scalar_of<Arith::kind::interval>, mpfi_float>);

// Throws std::invalid_argument with a message listing the accepted spellings.
Arith parse_arith(const std::string& text);

namespace detail {
template <std::size_t I, class F>
decltype(auto) dispatch_from(const Arith& a, F&& f) {
    using T = std::tuple_element_t<I, all_scalars>;
    if constexpr (I + 1 < std::tuple_size_v<all_scalars>)
        if (static_cast<std::size_t>(a.type) != I) return dispatch_from<I + 1>(a, f);
    if constexpr (scalar_traits<T>::has_precision) {
        const scoped_precision precision(a.bits);
        return f.template operator()<T>();
    } else {
        return f.template operator()<T>();
    }
}
}  // namespace detail

template <class F>
decltype(auto) dispatch(const Arith& a, F&& f) {
    return detail::dispatch_from<0>(a, f);
}

}  // namespace rmdp
