// MDP files: rmdp evaluate/solve/gradient/rpmd MDP.json. Differential: read_mdp's own scanner
// (detail::read_mdp_text, the path the command line takes) must give what the DOM path gives — the
// same MdpData or the same input_error, word for word. A difference aborts (a finding).
#include "fuzz_common.hpp"

#include <cstdlib>
#include <optional>

namespace {

// The outcome of one reader: the MDP as canonical JSON, or the error message.
template <class F>
std::pair<std::optional<rmdp::json>, std::string> outcome(F&& read) {
    try {
        return {rmdp::to_json(read()), {}};
    } catch (const rmdp::input_error& e) {
        return {std::nullopt, e.what()};
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rmdp;
    const std::string text = fuzz::text(data, size);
    const auto dom = outcome([&] { return parse_mdp(parse_json_text(text, "fuzz", fuzz::limits()), "fuzz"); });
    const auto fast = outcome([&] { return detail::read_mdp_text(text, "fuzz", fuzz::limits()); });
    if (dom != fast) std::abort();
    return 0;
}
