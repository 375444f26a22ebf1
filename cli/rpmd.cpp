// rmdp rpmd: placeholder until the rpmd layer lands.
#include "commands.hpp"

#include <stdexcept>

namespace rmdp::cli {

Command add_rpmd_command(CLI::App& app) {
    auto* sub = app.add_subcommand("rpmd", "(not yet implemented)");
    return {sub, [] () -> int { throw std::invalid_argument("'rpmd' is not implemented yet"); }};
}

}  // namespace rmdp::cli
