// rmdp mbpo: placeholder until the mbpo layer lands.
#include "commands.hpp"

#include <stdexcept>

namespace rmdp::cli {

Command add_mbpo_command(CLI::App& app) {
    auto* sub = app.add_subcommand("mbpo", "(not yet implemented)");
    return {sub, [] () -> int { throw std::invalid_argument("'mbpo' is not implemented yet"); }};
}

}  // namespace rmdp::cli
