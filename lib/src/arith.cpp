#include "rmdp/arith.hpp"

#include <stdexcept>

namespace rmdp {

std::string Arith::name() const {
    switch (type) {
        case kind::exact: return "exact";
        case kind::mpfr: return "mpfr:" + std::to_string(bits);
        case kind::interval: return "interval:" + std::to_string(bits);
        case kind::float64: return "double";
        case kind::float80: return "long-double";
    }
    return "?";
}

Arith parse_arith(const std::string& text) {
    const std::string accepted = " (accepted: exact, mpfr:BITS, interval:BITS, double, long-double; BITS in 16..100000)";
    Arith a;
    if (text == "exact") return a;
    if (text == "double") {
        a.type = Arith::kind::float64;
        return a;
    }
    if (text == "long-double") {
        a.type = Arith::kind::float80;
        return a;
    }
    auto colon = text.find(':');
    std::string head = text.substr(0, colon);
    if (colon == std::string::npos || (head != "mpfr" && head != "interval"))
        throw std::invalid_argument("unknown arithmetic '" + text + "'" + accepted);
    std::string digits = text.substr(colon + 1);
    if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos)
        throw std::invalid_argument("bad precision in '" + text + "'" + accepted);
    unsigned long bits = std::stoul(digits);
    if (bits < 16 || bits > 100000) throw std::invalid_argument("precision out of range in '" + text + "'" + accepted);
    a.type = head == "mpfr" ? Arith::kind::mpfr : Arith::kind::interval;
    a.bits = static_cast<unsigned>(bits);
    return a;
}

}  // namespace rmdp
