// Subcommands defined outside main.cpp, one file per layer (values, gradient, rpmd, mbpo).
//
// Each add_*_command declares its options on `app` and returns the subcommand and what runs when
// it was parsed. Errors are thrown, never printed: rmdp::input_error and std::invalid_argument
// become "rmdp: error: ..." and exit 2 in main; anything else is an internal error (exit 3).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rmdp::cli {

struct Command {
    CLI::App* app;
    std::function<int()> run;  // returns the exit status
};

std::vector<Command> add_value_commands(CLI::App& app);  // cli/values.cpp: evaluate, solve, crosscheck
Command add_gradient_command(CLI::App& app);  // cli/gradient.cpp (issue 4)
Command add_rpmd_command(CLI::App& app);      // cli/rpmd.cpp (issue 5)
Command add_mbpo_command(CLI::App& app);      // cli/mbpo.cpp (issue 6)
Command add_certify_command(CLI::App& app);   // cli/certify.cpp (issue 15)
std::vector<Command> add_check_commands(CLI::App& app);  // cli/check.cpp: claims, check, verify, merge

// cli/toplevel.cpp: adds --version; handles `rmdp help CMD` (rewrites args to CMD --help) and
// unknown commands (returns the exit status). Call after every subcommand is declared.
std::optional<int> top_level(CLI::App& app, std::vector<std::string>& args);
std::string version_text();
Command add_convert_command(CLI::App& app);   // cli/convert.cpp (issue 11: JSON <-> craam2 CSV)

// cli/guard.cpp (issue 14): exit status 5 when --time-limit SECONDS passes.
inline constexpr int exit_time_limit = 5, exit_bad_input = 2;
// The global --time-limit (after all subcommands are added: they hand it to the app).
void add_global_options(CLI::App& app);
// Runs `run` (the real main) with progress on a terminal's stderr; maps time_limit_exceeded to
// exit 5 and a failed write of standard output to exit 2.
int guarded_main(int argc, char** argv, int (*run)(int, char**));

}  // namespace rmdp::cli
