// The MDP input options shared by every command that reads an MDP (JSON or craam2 CSV,
// docs/format.md): --format, --gamma, --uncertainty, --absorbing, --normalise.
#pragma once

#include "rmdp/csv.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace rmdp::cli {

// Declares the options on `sub`; values land in `opt` (which must outlive parsing). A --gamma
// that is not a number is a usage error (exit 2) raised while parsing.
void add_mdp_input_options(CLI::App* sub, MdpInputOptions& opt);

// read_mdp_input, with its notes (normalisation, absorbing states) printed on stderr as
// "rmdp: note: ...".
MdpData load_mdp(const std::string& path, const MdpInputOptions& opt);

}  // namespace rmdp::cli
