#include "input.hpp"

#include <iostream>
#include <stdexcept>

namespace rmdp::cli {

void add_mdp_input_options(CLI::App* sub, MdpInputOptions& opt) {
    sub->add_option("--format", opt.format, "MDP file format: json | csv (default: csv for *.csv, else json)")
        ->check(CLI::IsMember({"json", "csv"}));
    sub->add_option_function<std::string>(
        "--gamma",
        [&opt](const std::string& text) {
            try {
                opt.gamma = parse_rational(text);
            } catch (const std::invalid_argument& e) {
                throw CLI::ValidationError("--gamma", e.what());
            }
        },
        "discount for a CSV MDP (exact, e.g. 9/10 or 0.95); required with CSV input");
    sub->add_option("--uncertainty", opt.uncertainty_path,
                    "JSON file with the uncertainty set ({\"type\": ...} as in the MDP format) for a CSV MDP");
    sub->add_flag("--absorbing", opt.absorbing,
                  "CSV: states without rows (or missing actions) become absorbing with cost 0 instead of an error");
    sub->add_flag("--normalise", opt.normalise,
                  "CSV: divide each (s,a)'s probabilities by their sum instead of an error (reports the largest change)");
}

MdpData load_mdp(const std::string& path, const MdpInputOptions& opt) {
    std::vector<std::string> notes;
    MdpData m = read_mdp_input(path, opt, &notes);
    for (const auto& n : notes) std::cerr << "rmdp: note: " << n << "\n";
    return m;
}

}  // namespace rmdp::cli
