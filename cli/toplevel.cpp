// Top-level behaviour of `rmdp` (the conventions of git and pytest): `rmdp --version`,
// `rmdp help CMD` (= `rmdp CMD --help`), and an unknown command named as such (exit 2).
#include "commands.hpp"
#include "rmdp_version.hpp"

#include <iostream>

namespace rmdp::cli {

std::string version_text() { return std::string("rmdp ") + RMDP_VERSION + " (git " + RMDP_GIT_REVISION + ")"; }

std::optional<int> top_level(CLI::App& app, std::vector<std::string>& args) {
    app.set_version_flag("--version", version_text(), "print the version and the git revision it was built from");
    if (args.empty()) return std::nullopt;
    std::string names;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) names += (names.empty() ? "" : ", ") + sub->get_name();
    auto known = [&](const std::string& name) {
        return !app.get_subcommands([&](CLI::App* s) { return s->get_name() == name; }).empty();
    };
    auto unknown = [&](const std::string& name) {
        std::cerr << "rmdp: error: unknown command '" << name << "' (commands: " << names << ", help; see 'rmdp --help')\n";
        return 2;
    };
    if (args[0] == "help") {
        if (args.size() == 1) {
            args = {"--help"};
        } else {
            if (!known(args[1])) return unknown(args[1]);
            args = {args[1], "--help"};
        }
        return std::nullopt;
    }
    if (!args[0].empty() && args[0][0] != '-' && !known(args[0])) return unknown(args[0]);
    return std::nullopt;
}

}  // namespace rmdp::cli
