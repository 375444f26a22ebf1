// MDP files: rmdp evaluate/solve/gradient/rpmd MDP.json.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rmdp;
    return fuzz::run([&] { (void)parse_mdp(parse_json_text(fuzz::text(data, size), "fuzz", fuzz::limits()), "fuzz"); });
}
