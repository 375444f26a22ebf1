// Choosing the arithmetic of a computation at run time: "exact", "mpfr:BITS", "interval:BITS",
// "double", "long-double". dispatch() calls a generic lambda with the scalar type, after setting
// the working precision where the type has one.
#pragma once

#include "rmdp/scalar.hpp"

#include <string>

namespace rmdp {

struct Arith {
    enum class kind { exact, mpfr, interval, float64, float80 };
    kind type = kind::exact;
    unsigned bits = 0;  // mpfr / interval: requested precision in bits
    std::string name() const;
};

// Throws std::invalid_argument with a message listing the accepted spellings.
Arith parse_arith(const std::string& text);

template <class F>
decltype(auto) dispatch(const Arith& a, F&& f) {
    switch (a.type) {
        case Arith::kind::mpfr: set_working_precision(a.bits); return f.template operator()<mpfr_float>();
        case Arith::kind::interval: set_working_precision(a.bits); return f.template operator()<mpfi_float>();
        case Arith::kind::float64: return f.template operator()<double>();
        case Arith::kind::float80: return f.template operator()<long double>();
        case Arith::kind::exact: break;
    }
    return f.template operator()<rational>();
}

}  // namespace rmdp
