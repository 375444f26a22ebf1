// rmdp gradient: placeholder until the gradient layer lands.
#include "commands.hpp"

#include <stdexcept>

namespace rmdp::cli {

Command add_gradient_command(CLI::App& app) {
    auto* sub = app.add_subcommand("gradient", "(not yet implemented)");
    return {sub, [] () -> int { throw std::invalid_argument("'gradient' is not implemented yet"); }};
}

}  // namespace rmdp::cli
