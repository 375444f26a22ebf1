// Direction files: rmdp gradient --direction DIR.json, read against the uniform 2x2 policy.
#include "fuzz_common.hpp"

#include "rmdp/gradient.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rmdp;
    static const PolicyData pi{2, 2, {rational(1, 2), rational(1, 2), rational(1, 2), rational(1, 2)}};
    return fuzz::run([&] {
        const json j = parse_json_text(fuzz::text(data, size), "fuzz", fuzz::limits());
        (void)parse_direction(j.is_object() && j.contains("direction") ? j.at("direction") : j, pi, "fuzz", "direction");
    });
}
