// What every command shares for reliability (docs/reliability.md): the global --time-limit
// (exit status 5), progress on a terminal's stderr, and the check that the output was written.
#include "commands.hpp"

#include "rmdp/deadline.hpp"

#include <cstdio>
#include <iostream>

#include <unistd.h>

namespace rmdp::cli {

void add_global_options(CLI::App& app) {
    app.add_option_function<double>(
           "--time-limit", [](const double& s) { set_time_limit(s); },
           "stop any command after SECONDS of wall time with exit status 5 (docs/reliability.md)")
        ->check(CLI::PositiveNumber);
    // `rmdp solve X --time-limit 5`: a subcommand hands options it does not know to the app.
    for (CLI::App* sub : app.get_subcommands({})) sub->fallthrough();
}

int guarded_main(int argc, char** argv, int (*run)(int, char**)) {
    const bool terminal = ::isatty(2) == 1;
    bool shown = false;
    if (terminal)
        set_progress_reporter([&shown](const char* stage, std::size_t step, double elapsed) {
            std::cerr << "\rrmdp: " << static_cast<long>(elapsed) << " s, " << stage << " " << step << "\033[K" << std::flush;
            shown = true;
        });
    set_warning_reporter([](const std::string& w) { std::cerr << "rmdp: warning: " << w << "\n"; });
    int status = 0;
    try {
        status = run(argc, argv);
    } catch (const time_limit_exceeded& e) {
        if (shown) std::cerr << "\r\033[K";
        std::cout.flush();
        std::cerr << "rmdp: time limit: stopped after " << e.seconds << " s of wall time, in " << e.stage << " (step "
                  << e.step << "); no result was computed (exit status 5, docs/reliability.md)\n";
        return exit_time_limit;
    }
    if (shown) std::cerr << "\r\033[K" << std::flush;
    // Output goes through a buffer: a full disk or a closed pipe shows only when it is flushed.
    std::cout.flush();
    if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout)) {
        std::cerr << "rmdp: error: standard output: write failed (disk full or closed pipe?); the output is incomplete\n";
        return exit_bad_input;
    }
    return status;
}

}  // namespace rmdp::cli
