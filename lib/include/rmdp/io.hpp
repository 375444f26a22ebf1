// The file formats (docs/format.md): MDP and policy JSON, exact numbers in and out.
//
// Numbers in: JSON integers; strings "p/q", "-2", "0.125" (= 1/8), "1e-3" (= 1/1000); a JSON
// floating-point literal means the exact value of that double. Numbers out: see to_string in
// scalar.hpp ("p/q" for exact values, round-trip digits for floats, "[lo,hi]" for intervals).
#pragma once

#include "rmdp/model.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace rmdp {

using json = nlohmann::json;

// Limits on JSON input (docs/reliability.md). Overridable by the environment variables
// RMDP_MAX_INPUT_BYTES and RMDP_MAX_JSON_DEPTH (positive integers).
struct JsonLimits {
    std::size_t max_bytes = std::size_t(256) << 20;  // 256 MiB: far above any exact instance rmdp can solve
    std::size_t max_depth = 64;                      // rmdp's formats nest at most 8 deep
    static JsonLimits from_environment();
};

// Parses JSON text; input_error (naming `source`) on malformed JSON, a duplicate key, nesting
// beyond the limit, a text beyond the size limit, or a number literal a double cannot hold
// (overflow, or nonzero underflowing to 0).
json parse_json_text(const std::string& text, const std::string& source, const JsonLimits& limits);

// Reads and parses a JSON file: regular files only (a device, FIFO or directory is refused, so
// /dev/zero cannot hang or exhaust memory), at most limits.max_bytes; errors as parse_json_text.
json read_json_file(const std::string& path, const JsonLimits& limits);
json read_json_file(const std::string& path);  // limits from the environment

// The text of an input file under the same rules (regular files only, at most max_bytes); `kind`
// names what was expected in the message for a directory ("a JSON file", "a CSV file").
std::string read_input_file(const std::string& path, std::size_t max_bytes, const char* kind);

rational parse_number(const json& j, const std::string& file, const std::string& field);

// Parse + validate. `file` only names the source in error messages.
MdpData parse_mdp(const json& j, const std::string& file);
// The `uncertainty` object, shaped by m.S and m.A (not validated: validate(MdpData) does that).
Uncertainty parse_uncertainty(const json& j, const MdpData& m, const std::string& file);
PolicyData parse_policy(const json& j, const MdpData& m, const std::string& file);
// A direction delta (S x A numbers) read from JSON and checked feasible at pi: every row sums to 0
// exactly, and delta(s,a) >= 0 where pi(a|s) = 0 (else pi + t delta leaves Pi for every t > 0).
// input_error naming `file` and `field` otherwise. Returned row-major (s*A + a), exact.
std::vector<rational> parse_direction(const json& j, const PolicyData& pi, const std::string& file,
                                      const std::string& field);

// An MBPO instance (docs/mbpo.md, "Instance format"): parse + validate (shapes, stochastic rows,
// r_max >= max|r|); input_error names `file` and the field. The math on it is in mbpo.hpp.
struct MbpoData;
MbpoData parse_mbpo(const json& j, const std::string& file);
json to_json(const MbpoData& m);

// Reads an MDP file: read_mdp_text's fast path, the text read once (errors as parse_mdp's).
MdpData read_mdp(const std::string& path);
PolicyData read_policy(const std::string& path, const MdpData& m);

namespace detail {
// parse_mdp(parse_json_text(text, source, limits), source), the same MdpData or the same error,
// at about half the cost: the big numeric arrays (cost, P, P_sparse, rho, the uncertainty set's
// array fields) go from the SAX events straight to exact rationals, without DOM strings. Any
// input the fast path does not accept is read again through the DOM, so every error is the DOM
// path's. `fast` (tests) says whether the fast path produced the result.
MdpData read_mdp_text(const std::string& text, const std::string& source, const JsonLimits& limits,
                      bool* fast = nullptr);
}  // namespace detail

json to_json(const MdpData& m);
json to_json(const PolicyData& p);
json to_json(const Kernel<rational>& k);  // P[s][a][s'] as exact strings

template <class T>
json to_json_vector(const Vector<T>& v) {
    json out = json::array();
    for (const auto& x : v) out.push_back(to_string(x));
    return out;
}

template <class T>
json to_json_matrix(const Matrix<T>& m) {
    json out = json::array();
    for (std::size_t i = 0; i < m.rows; ++i) {
        json row = json::array();
        for (std::size_t j = 0; j < m.cols; ++j) row.push_back(to_string(m(i, j)));
        out.push_back(row);
    }
    return out;
}

}  // namespace rmdp
