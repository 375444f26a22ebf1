// Values files (rmdp crosscheck --values V.json: {"V": [numbers]} or [numbers]) and every number
// literal in them: each leaf of the JSON goes through parse_number, as every reader does.
#include "fuzz_common.hpp"

namespace {
void leaves(const rmdp::json& j, std::size_t depth) {
    if (j.is_array() || j.is_object()) {
        for (const auto& x : j) leaves(x, depth + 1);
        return;
    }
    try {
        (void)rmdp::parse_number(j, "fuzz", "V");
    } catch (const rmdp::input_error&) {
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rmdp;
    return fuzz::run([&] { leaves(parse_json_text(fuzz::text(data, size), "fuzz", fuzz::limits()), 0); });
}
