// Number spellings: the bytes as a numeric string ("p/q", decimals, exponents: parse_rational),
// and as a JSON literal (parse_number), each round-tripped through its exact printed form.
#include "fuzz_common.hpp"

#include <cstdlib>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rmdp;
    const std::string s = fuzz::text(data, size);
    try {
        const rational q = parse_rational(s);
        if (parse_rational(q.str()) != q) std::abort();  // the exact output spelling reads back exactly
    } catch (const std::invalid_argument&) {
    }
    return fuzz::run([&] {
        const rational q = parse_number(parse_json_text(s, "fuzz", fuzz::limits()), "fuzz", "x");
        if (parse_rational(q.str()) != q) std::abort();
    });
}
