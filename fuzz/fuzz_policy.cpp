// Policy files: --policy POL.json, read against a fixed 2x2 MDP.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rmdp;
    return fuzz::run([&] {
        (void)parse_policy(parse_json_text(fuzz::text(data, size), "fuzz", fuzz::limits()), fuzz::small_mdp(), "fuzz");
    });
}
