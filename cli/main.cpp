// rmdp: the command line. Exit status: 0 success (any verdict computed), 1 `verify` found the
// file's instance does NOT violate its claim, 2 bad input or usage, 3 internal error.
#include "../proofs_checks/registry.hpp"
#include "commands.hpp"

#include "rmdp/error.hpp"
#include "rmdp/error_bound.hpp"
#include "rmdp/evaluation.hpp"
#include "rmdp/io.hpp"
#include "rmdp/solvers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

using namespace rmdp;

namespace {

constexpr int exit_ok = 0, exit_not_confirmed = 1, exit_bad_input = 2, exit_internal = 3;

}  // namespace

int run_main(int argc, char** argv) {
    CLI::App app{"rmdp: exact robust MDP computations and proof checks"};
    app.require_subcommand(1);

    // Commands defined in their own files (cli/commands.hpp).
    std::vector<cli::Command> more = cli::add_value_commands(app);
    for (auto c : {cli::add_gradient_command(app), cli::add_rpmd_command(app), cli::add_mbpo_command(app),
                   cli::add_certify_command(app), cli::add_convert_command(app)})
        more.push_back(c);
    for (auto& c : cli::add_check_commands(app)) more.push_back(std::move(c));  // claims, check, verify, merge
    cli::add_global_options(app);

    std::vector<std::string> args(argv + 1, argv + argc);
    if (const auto status = cli::top_level(app, args)) return *status;  // --version, help CMD, unknown commands
    std::reverse(args.begin(), args.end());
    try {
        app.parse(args);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "rmdp: error: " << e.what() << "\n(run 'rmdp --help' or 'rmdp COMMAND --help' for usage)\n";
        return exit_bad_input;
    }

    try {
        for (const auto& c : more)
            if (c.app->parsed()) return c.run();
    } catch (const input_error& e) {
        std::cerr << "rmdp: error: " << e.what() << "\n";
        return exit_bad_input;
    } catch (const std::invalid_argument& e) {
        std::cerr << "rmdp: error: " << e.what() << "\n";
        return exit_bad_input;
    } catch (const std::filesystem::filesystem_error& e) {  // a path the user gave cannot be used
        std::cerr << "rmdp: error: " << (e.path1().empty() ? std::string("path") : e.path1().string()) << ": "
                  << e.code().message() << "\n";
        return exit_bad_input;
    } catch (const json::exception& e) {  // a JSON value of the wrong type or range in an input file
        std::cerr << "rmdp: error: input JSON: " << e.what() << "\n";
        return exit_bad_input;
    } catch (const std::exception& e) {
        std::cerr << "rmdp: internal error: " << e.what() << "\n";
        return exit_internal;
    }
    return exit_internal;
}

int main(int argc, char** argv) { return rmdp::cli::guarded_main(argc, argv, run_main); }
