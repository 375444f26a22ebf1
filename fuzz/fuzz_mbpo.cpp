// MBPO instance files: rmdp mbpo INSTANCE.json.
#include "fuzz_common.hpp"

#include "rmdp/mbpo.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rmdp;
    return fuzz::run([&] { (void)parse_mbpo(parse_json_text(fuzz::text(data, size), "fuzz", fuzz::limits()), "fuzz"); });
}
