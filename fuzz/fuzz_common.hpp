// Shared by the libFuzzer targets (docs/reliability.md, "Fuzzing"). A target feeds its bytes to
// one reader exactly as the command line would; bad input must end in rmdp::input_error (exit 2
// in the CLI). Any other exception, a crash, a sanitizer report, a hang, or a leak is a finding.
#pragma once

#include "rmdp/deadline.hpp"
#include "rmdp/error.hpp"
#include "rmdp/io.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace rmdp::fuzz {

// The reading limits of the command line, smaller for size so that a run explores structure
// rather than bulk (the size limit itself is tested by tests/reliability).
inline const JsonLimits& limits() {
    static const JsonLimits l = [] {
        JsonLimits x;
        x.max_bytes = 1 << 16;
        return x;
    }();
    return l;
}

inline std::string text(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

// Runs `body` on the input; input_error is the expected outcome for bad input, and a time limit
// (for targets that compute) is the documented outcome for valid but long work.
template <class F>
int run(F&& body) {
    try {
        body();
    } catch (const input_error&) {
    } catch (const time_limit_exceeded&) {
    }
    return 0;
}

// The MDP the policy and direction targets read against: 2 states, 2 actions.
inline const MdpData& small_mdp() {
    static const MdpData m = parse_mdp(json::parse(R"({"states": 2, "actions": 2, "gamma": "9/10",
        "cost": [[1, "1/2"], [0, "1/4"]], "P": [[["1/2","1/2"], [1, 0]], [[0, 1], ["1/10","9/10"]]],
        "uncertainty": {"type": "l1", "radius": "1/10"}})"), "fuzz");
    return m;
}

}  // namespace rmdp::fuzz
