#include "rmdp/arith.hpp"

#include <stdexcept>
#include <utility>

namespace rmdp {

namespace {

// (name, has_precision) of every type of all_scalars, in Arith::kind order.
template <std::size_t... I>
std::pair<const char*, bool> scalar_name_at(std::size_t i, std::index_sequence<I...>) {
    std::pair<const char*, bool> out{"?", false};
    ((i == I ? (out = {scalar_traits<std::tuple_element_t<I, all_scalars>>::name(),
                       scalar_traits<std::tuple_element_t<I, all_scalars>>::has_precision},
                0)
             : 0),
     ...);
    return out;
}

std::pair<const char*, bool> scalar_name_at(std::size_t i) {
    return scalar_name_at(i, std::make_index_sequence<std::tuple_size_v<all_scalars>>{});
}

}  // namespace

std::string Arith::name() const {
    const auto [base, has_bits] = scalar_name_at(static_cast<std::size_t>(type));
    return has_bits ? std::string(base) + ":" + std::to_string(bits) : std::string(base);
}

Arith parse_arith(const std::string& text) {
    std::string spellings;
    for (std::size_t i = 0; i < std::tuple_size_v<all_scalars>; ++i) {
        const auto [base, has_bits] = scalar_name_at(i);
        spellings += std::string(i ? ", " : "") + base + (has_bits ? ":BITS" : "");
    }
    const std::string accepted = " (accepted: " + spellings + "; BITS in 16..100000)";
    const auto colon = text.find(':');
    const std::string head = text.substr(0, colon);
    for (std::size_t i = 0; i < std::tuple_size_v<all_scalars>; ++i) {
        const auto [base, has_bits] = scalar_name_at(i);
        if (head != base || has_bits != (colon != std::string::npos)) continue;
        Arith a;
        a.type = static_cast<Arith::kind>(i);
        if (!has_bits) return a;
        const std::string digits = text.substr(colon + 1);
        if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos)
            throw std::invalid_argument("bad precision in '" + text + "'" + accepted);
        const unsigned long bits = std::stoul(digits);
        if (bits < 16 || bits > 100000) throw std::invalid_argument("precision out of range in '" + text + "'" + accepted);
        a.bits = static_cast<unsigned>(bits);
        return a;
    }
    throw std::invalid_argument("unknown arithmetic '" + text + "'" + accepted);
}

}  // namespace rmdp
