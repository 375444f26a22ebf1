// rmdp convert IN OUT: an MDP from JSON to craam2 CSV or back (docs/format.md, "CSV").
//
// CSV -> JSON needs --gamma (and --uncertainty for a set); JSON -> CSV writes one row per
// transition with P > 0 (every s' with --all-successors) and reward -c(s,a). What CSV cannot hold
// (gamma, rho, the uncertainty set) is said on stderr; --write-uncertainty saves the set.
#include "commands.hpp"
#include "input.hpp"

#include "rmdp/csv.hpp"
#include "rmdp/error.hpp"
#include "rmdp/io.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

namespace rmdp::cli {

namespace {

struct ConvertOptions {
    std::string in, out, to, uncertainty_out;
    bool all_successors = false;
    MdpInputOptions input;
};

void write_file(const std::string& path, const std::string& text) {
    if (path == "-") {
        std::cout << text;
        return;
    }
    std::ofstream f(path, std::ios::binary);
    if (!f || !(f << text) || !f.flush()) throw input_error(path, "", "cannot write file");
}

int run(const ConvertOptions& o) {
    std::string to = o.to;
    if (to.empty()) {
        if (o.out == "-") throw input_error("", "--to", "writing to standard output ('-'): say the format, --to csv or --to json");
        const std::string ext = o.out.size() >= 5 ? o.out.substr(o.out.size() - 5) : o.out;
        if (mdp_format_of(o.out, "") == "csv") to = "csv";
        else if (ext == ".json" || ext == ".JSON") to = "json";
        else throw input_error(o.out, "--to", "cannot tell the output format from the name: use *.csv or *.json, or --to csv|json");
    }
    const MdpData m = load_mdp(o.in, o.input);
    if (to == "json") {
        if (!o.uncertainty_out.empty()) throw input_error("", "--write-uncertainty", "applies to CSV output only (JSON holds the set)");
        write_file(o.out, to_json(m).dump(2) + "\n");
        return 0;
    }
    std::ostringstream text;
    const std::size_t fractions = write_csv_mdp(text, m, o.all_successors);
    write_file(o.out, text.str());
    std::cerr << "rmdp: note: CSV holds no discount: read it back with --gamma " << m.gamma.str() << "\n";
    bool uniform = true;
    for (const auto& r : m.rho) uniform = uniform && r == rational(1, static_cast<long>(m.S));
    if (!uniform) std::cerr << "rmdp: note: rho is not uniform; CSV holds no rho (a CSV MDP is read with uniform rho)\n";
    if (!m.uncertainty.is_nominal()) {
        if (o.uncertainty_out.empty()) {
            std::cerr << "rmdp: note: the " << m.uncertainty.kind()
                      << " uncertainty set is not in the CSV; --write-uncertainty FILE.json saves it for --uncertainty\n";
        } else {
            write_file(o.uncertainty_out, json{{"uncertainty", to_json(m)["uncertainty"]}}.dump(2) + "\n");
            std::cerr << "rmdp: note: uncertainty set written to " << o.uncertainty_out << " (read it back with --uncertainty "
                      << o.uncertainty_out << ")\n";
        }
    }
    if (fractions > 0)
        std::cerr << "rmdp: note: " << fractions
                  << " numbers have no finite decimal expansion and were written exactly as p/q (rmdp reads them; craam2 does not)\n";
    return 0;
}

}  // namespace

Command add_convert_command(CLI::App& app) {
    auto o = std::make_shared<ConvertOptions>();
    auto* sub = app.add_subcommand("convert", "convert an MDP between JSON and craam2 CSV (exact numbers both ways)");
    sub->add_option("in", o->in, "input MDP (JSON, or CSV: *.csv or --format csv)")->required();
    sub->add_option("out", o->out, "output file (*.json or *.csv; '-' = standard output with --to)")->required();
    sub->add_option("--to", o->to, "output format: json | csv (default: from OUT's extension)")->check(CLI::IsMember({"json", "csv"}));
    sub->add_flag("--all-successors", o->all_successors,
                  "CSV output: list every s' of every (s,a), zero probabilities included (craam2's L1 sets need this to let "
                  "nature reach every state, as rmdp's do)");
    sub->add_option("--write-uncertainty", o->uncertainty_out, "CSV output: write the uncertainty set to this JSON file");
    add_mdp_input_options(sub, o->input);
    return {sub, [o] { return run(*o); }};
}

}  // namespace rmdp::cli
