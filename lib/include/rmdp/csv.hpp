// craam2's CSV exchange format (docs/format.md, "CSV"), and the one entry point every command that
// reads an MDP goes through (JSON or CSV).
//
//   idstatefrom,idaction,idstateto,probability,reward
//
// One row per listed transition (s, a, s') with P(s'|s,a) and the reward r(s,a,s'). rmdp minimises
// costs, so the cost of (s,a) is minus the expected reward under the nominal kernel:
//   c(s,a) = - sum_{s'} P(s'|s,a) r(s,a,s').
// Numbers are read exactly (decimal text -> rational: "0.1" is 1/10). The file has no discount,
// no initial distribution and no uncertainty set: gamma comes from the caller, rho is uniform, the
// set is read from a separate JSON file holding the MDP format's `uncertainty` object.
#pragma once

#include "rmdp/io.hpp"
#include "rmdp/model.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace rmdp {

struct CsvReadOptions {
    std::optional<rational> gamma;  // required: the CSV has no discount
    // States that appear only as idstateto, states with no row and missing (s,a) are errors unless
    // `absorbing`: then each missing (s,a) is a self-loop P(s|s,a) = 1 with cost 0.
    bool absorbing = false;
    // Rows that do not sum to one are errors unless `normalise`: then P(.|s,a) is divided by its
    // sum (exactly) and the largest change is reported.
    bool normalise = false;
};

// What reading did beyond the file's letter (printed by the CLI as notes).
struct CsvReadReport {
    std::size_t rows = 0;                  // data rows read
    std::vector<std::string> absorbing;    // "(s,a)" pairs made absorbing
    std::size_t normalised = 0;            // number of (s,a) rows divided by their sum
    rational largest_change;               // max |P_new - P_old| over all entries
    std::string largest_change_at;         // "P(s'|s,a)" where it happened, with the row's sum
};

// Reads the CSV at `path`; input_error naming "path:LINE" and the column on bad input. The result
// has uncertainty type none and is validated. `report` (optional) receives the notes above.
// Rewards that vary with s' for one (s,a) are recorded in `reward_varies` (the first such (s,a)
// as "line N: (s,a)", empty if none): with an uncertainty set they are an error (read_mdp_input),
// because nature's choice of P would change the expected reward, which a cost c(s,a) cannot.
MdpData read_csv_mdp(const std::string& path, const CsvReadOptions& opt, CsvReadReport* report = nullptr,
                     std::string* reward_varies = nullptr);

// Writes m as CSV: header, then one row (s, a, s', P, -c(s,a)) per s' with P(s'|s,a) > 0 (or every
// s' with `all_successors`, as craam2's L1 sets need to let nature reach every state). Numbers are
// written as exact decimals when they have a finite decimal expansion, else as "p/q" (exact; rmdp
// reads it back, craam2 does not). Returns how many numbers were written as p/q.
std::size_t write_csv_mdp(std::ostream& out, const MdpData& m, bool all_successors = false);

// The decimal expansion of x if it terminates (denominator 2^i 5^j), else "p/q".
std::string exact_decimal(const rational& x);

// One entry point for every command that reads an MDP.
struct MdpInputOptions {
    std::string format;                 // "", "csv" or "json"; "" = by extension (.csv -> csv, else json)
    std::optional<rational> gamma;      // CSV: required; JSON: an error (the file has its own)
    std::string uncertainty_path;       // a JSON file: the `uncertainty` object, or {"uncertainty": {...}}
    bool absorbing = false, normalise = false;  // CSV only (see CsvReadOptions)
};

// Reads a JSON or CSV MDP as the options say; with `uncertainty_path` the set is read from that
// file (CSV, or a JSON MDP without a set of its own) and validated against the MDP's shape.
// Notes for the user (normalisation, absorbing states) are appended to `notes`.
MdpData read_mdp_input(const std::string& path, const MdpInputOptions& opt, std::vector<std::string>* notes = nullptr);

// "csv" or "json" for a path under `format` ("" = by extension).
std::string mdp_format_of(const std::string& path, const std::string& format);

}  // namespace rmdp
