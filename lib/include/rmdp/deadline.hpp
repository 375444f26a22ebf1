// A wall-clock limit and progress reports for long computations (docs/reliability.md).
//
// Exact work can be long for valid input (a 300-state exact solve, a 1000-step exact RPMD run):
// the loops that can run long call poll(stage, step). It throws time_limit_exceeded once the
// deadline has passed, and calls the progress reporter (if one is installed) at most once a
// second. One process-wide deadline: rmdp computes on one thread. warn_predicted_work() reports
// work whose sizes predict it to be huge before it starts.
//
// time_limit_exceeded deliberately does not derive from std::exception: code that catches
// std::exception to try a fallback (a double warm start before an exact solve) must not swallow
// it. The command line maps it to exit status 5.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace rmdp {

struct time_limit_exceeded {
    double seconds;        // the limit that was set
    const char* stage;     // what was running when it passed
    std::size_t step;      // how far that stage had come
};

namespace detail {
struct DeadlineState {
    std::optional<std::chrono::steady_clock::time_point> at;
    double seconds = 0;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now(), last_report = start;
    std::function<void(const char*, std::size_t, double)> reporter;  // (stage, step, elapsed seconds)
    std::function<void(const std::string&)> warner;
    bool warned = false;
};
inline DeadlineState& deadline_state() {
    static DeadlineState s;
    return s;
}
}  // namespace detail

// Limits the work from now on to `seconds` of wall time (seconds <= 0: no limit).
inline void set_time_limit(double seconds) {
    auto& s = detail::deadline_state();
    s.start = s.last_report = std::chrono::steady_clock::now();
    s.seconds = seconds;
    if (seconds > 0)
        s.at = s.start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
    else
        s.at.reset();
}

// Called about once a second from poll() with the stage, its step and the seconds since
// set_time_limit (or program start). Empty: no reports.
inline void set_progress_reporter(std::function<void(const char*, std::size_t, double)> f) {
    detail::deadline_state().reporter = std::move(f);
}

// Where warnings about predicted-huge work go (the command line: stderr). Empty: nowhere.
inline void set_warning_reporter(std::function<void(const std::string&)> f) {
    detail::deadline_state().warner = std::move(f);
}

// A computation predicted from its sizes to take more than a few seconds says so once per
// process, before it starts (`what` names it and the estimate).
inline void warn_predicted_work(const std::string& what) {
    auto& s = detail::deadline_state();
    if (!s.warner || s.warned) return;
    s.warned = true;
    s.warner(what);
}

// A checkpoint of a loop that can run long.
inline void poll(const char* stage, std::size_t step) {
    auto& s = detail::deadline_state();
    if (!s.at && !s.reporter) return;
    const auto now = std::chrono::steady_clock::now();
    if (s.at && now >= *s.at) throw time_limit_exceeded{s.seconds, stage, step};
    if (s.reporter && now - s.last_report >= std::chrono::seconds(1)) {
        s.last_report = now;
        s.reporter(stage, step, std::chrono::duration<double>(now - s.start).count());
    }
}

}  // namespace rmdp
