// Subcommands defined outside main.cpp, one file per layer (gradient, rpmd, mbpo).
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

Command add_gradient_command(CLI::App& app);  // cli/gradient.cpp (issue 4)
Command add_rpmd_command(CLI::App& app);      // cli/rpmd.cpp (issue 5)
Command add_mbpo_command(CLI::App& app);      // cli/mbpo.cpp (issue 6)
std::vector<Command> add_check_commands(CLI::App& app);  // cli/check.cpp: claims, check, verify, merge

// cli/toplevel.cpp: adds --version; handles `rmdp help CMD` (rewrites args to CMD --help) and
// unknown commands (returns the exit status). Call after every subcommand is declared.
std::optional<int> top_level(CLI::App& app, std::vector<std::string>& args);
std::string version_text();

}  // namespace rmdp::cli
