// Counterexample files and rmdp verify: the file is read, its instance parsed and the claim's
// check run in exact arithmetic. To keep executions fast the instance is capped before the check
// (integers at most 8 anywhere, so at most 8 states, actions, steps; numeric strings without
// exponents), and each execution has a 1 s time limit (valid but long work is exit 5, documented).
#include "fuzz_common.hpp"

#include "registry.hpp"

#include <cctype>

namespace {
bool small(const rmdp::json& j) {
    if (j.is_array() || j.is_object()) {
        for (const auto& x : j)
            if (!small(x)) return false;
        return true;
    }
    if (j.is_number_integer()) return j.is_number_unsigned() ? j.get<std::uint64_t>() <= 8 : j.get<std::int64_t>() >= -8;
    if (j.is_string()) {
        const std::string& s = j.get_ref<const std::string&>();
        const bool numeric = !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s[0] == '.');
        return s.size() <= 40 && !(numeric && s.find_first_of("eE") != std::string::npos);
    }
    return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rmdp;
    if (size > 4096) return 0;
    return fuzz::run([&] {
        const json cx = parse_json_text(fuzz::text(data, size), "fuzz", fuzz::limits());
        if (cx.is_object() && cx.contains("instance") && !small(cx.at("instance"))) return;
        set_time_limit(1.0);
        const checks::Claim* claim = nullptr;
        (void)checks::verify(cx, "fuzz", &claim);
        set_time_limit(0);
    });
}
