#include "rmdp/csv.hpp"

#include "rmdp/error.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <sstream>
#include <tuple>

namespace rmdp {

namespace {

constexpr std::array<const char*, 5> columns = {"idstatefrom", "idaction", "idstateto", "probability", "reward"};

// Dense storage is S*A*S rationals; beyond this a file is refused instead of exhausting memory.
constexpr std::size_t max_kernel_entries = 10'000'000;

std::string trim(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : line) {
        if (c == ',') {
            out.push_back(trim(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(trim(cur));
    return out;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

struct Row {
    std::size_t s, a, t, line;
    rational p, r;
};

std::string at_line(const std::string& path, std::size_t line) { return path + ":" + std::to_string(line); }

std::string pair(std::size_t s, std::size_t a) { return "(s,a) = (" + std::to_string(s) + "," + std::to_string(a) + ")"; }

std::size_t parse_id(const std::string& text, const std::string& where, const char* column) {
    if (text.empty()) throw input_error(where, column, "empty (expected a non-negative integer id)");
    if (!std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        throw input_error(where, column, "'" + text + "' is not a non-negative integer id");
    if (text.size() > 9) throw input_error(where, column, "id " + text + " is too large (rmdp stores kernels densely)");
    return static_cast<std::size_t>(std::stoul(text));
}

rational parse_value(const std::string& text, const std::string& where, const char* column) {
    try {
        return parse_rational(text);
    } catch (const std::invalid_argument& e) {
        throw input_error(where, column, e.what());
    }
}

}  // namespace

MdpData read_csv_mdp(const std::string& path, const CsvReadOptions& opt, CsvReadReport* report, std::string* reward_varies) {
    if (!opt.gamma)
        throw input_error(path, "--gamma", "missing: a CSV file has no discount; pass it, e.g. --gamma 9/10");
    if (*opt.gamma < 0 || *opt.gamma >= 1)
        throw input_error(path, "--gamma", "discount " + opt.gamma->str() + " is not in [0,1)");
    // Regular files only, at most RMDP_MAX_INPUT_BYTES (docs/reliability.md): /dev/zero cannot hang.
    std::istringstream in(read_input_file(path, JsonLimits::from_environment().max_bytes, "a CSV file"));

    // Column order: craam2's by default, or as a header line names them.
    std::array<std::size_t, 5> col = {0, 1, 2, 3, 4};
    bool header_seen = false, data_seen = false;
    std::vector<Row> rows;
    std::string text;
    for (std::size_t lineno = 1; std::getline(in, text); ++lineno) {
        if (!text.empty() && text.back() == '\r') text.pop_back();
        if (lineno == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a UTF-8 byte order mark
        if (trim(text).empty()) continue;
        const std::string where = at_line(path, lineno);
        std::vector<std::string> f = split(text);
        if (!header_seen && !data_seen && !f[0].empty() && !std::isdigit(static_cast<unsigned char>(f[0][0]))) {
            header_seen = true;  // a header: five distinct known names, any order
            if (f.size() != columns.size())
                throw input_error(where, "header", "has " + std::to_string(f.size()) + " columns, expected the 5 of " +
                                                       "idstatefrom,idaction,idstateto,probability,reward");
            std::array<bool, 5> named{};
            for (std::size_t i = 0; i < f.size(); ++i) {
                auto it = std::find(columns.begin(), columns.end(), lower(f[i]));
                if (it == columns.end())
                    throw input_error(where, "header", "unknown column '" + f[i] +
                                                           "' (expected idstatefrom, idaction, idstateto, probability, reward)");
                const auto k = static_cast<std::size_t>(it - columns.begin());
                if (named[k]) throw input_error(where, "header", "column '" + f[i] + "' appears twice");
                named[k] = true;
                col[k] = i;
            }
            continue;
        }
        data_seen = true;
        if (f.size() != columns.size())
            throw input_error(where, "", "has " + std::to_string(f.size()) + " fields, expected 5 (" +
                                             "idstatefrom,idaction,idstateto,probability,reward)");
        Row r;
        r.line = lineno;
        r.s = parse_id(f[col[0]], where, columns[0]);
        r.a = parse_id(f[col[1]], where, columns[1]);
        r.t = parse_id(f[col[2]], where, columns[2]);
        r.p = parse_value(f[col[3]], where, columns[3]);
        r.r = parse_value(f[col[4]], where, columns[4]);
        if (r.p < 0) throw input_error(where, columns[3], "negative probability " + r.p.str());
        rows.push_back(std::move(r));
    }
    if (rows.empty()) throw input_error(path, "", "no transitions (expected rows idstatefrom,idaction,idstateto,probability,reward)");

    std::size_t S = 0, A = 0, line_S = 0, line_A = 0;
    for (const Row& r : rows) {
        if (std::max(r.s, r.t) + 1 > S) S = std::max(r.s, r.t) + 1, line_S = r.line;
        if (r.a + 1 > A) A = r.a + 1, line_A = r.line;
    }
    if (S * A > max_kernel_entries / S)
        throw input_error(at_line(path, std::max(line_S, line_A)), "",
                          std::to_string(S) + " states x " + std::to_string(A) + " actions: the dense kernel would have " +
                              std::to_string(S) + "*" + std::to_string(A) + "*" + std::to_string(S) + " entries, more than " +
                              std::to_string(max_kernel_entries) + " (ids are 0..max; are they contiguous?)");

    MdpData m;
    m.S = S;
    m.A = A;
    m.gamma = *opt.gamma;
    m.P = Kernel<rational>(S, A);
    m.cost.assign(S * A, rational(0));
    m.rho.assign(S, rational(1, static_cast<long>(S)));

    std::map<std::tuple<std::size_t, std::size_t, std::size_t>, std::size_t> seen;
    std::vector<std::size_t> first_line(S * A, 0);  // 0 = no row for (s,a)
    std::vector<bool> is_from(S, false);
    std::vector<std::size_t> to_line(S, 0);
    for (const Row& r : rows) {
        auto [it, fresh] = seen.emplace(std::make_tuple(r.s, r.a, r.t), r.line);
        if (!fresh)
            throw input_error(at_line(path, r.line), "idstateto",
                              "duplicate transition (s,a,s') = (" + std::to_string(r.s) + "," + std::to_string(r.a) + "," +
                                  std::to_string(r.t) + "), first given on line " + std::to_string(it->second));
        if (first_line[r.s * A + r.a] == 0) first_line[r.s * A + r.a] = r.line;
        is_from[r.s] = true;
        if (to_line[r.t] == 0) to_line[r.t] = r.line;
        m.P.set(r.s, r.a, r.t, r.p);
    }

    CsvReadReport rep;
    rep.rows = rows.size();
    // Every state needs actions 0..A-1 (rmdp's model has one action set).
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t a = 0; a < A; ++a) {
            if (first_line[s * A + a] != 0) continue;
            if (!opt.absorbing) {
                if (!is_from[s] && to_line[s] != 0)
                    throw input_error(path, "idstatefrom",
                                      "state " + std::to_string(s) + " appears only as idstateto (line " + std::to_string(to_line[s]) +
                                          "): it has no actions (pass --absorbing to make such states absorbing with cost 0)");
                if (!is_from[s])
                    throw input_error(path, "idstatefrom",
                                      "state " + std::to_string(s) + " has no row (states are 0.." + std::to_string(S - 1) +
                                          ", the largest id, on line " + std::to_string(line_S) +
                                          "; pass --absorbing to make it absorbing with cost 0)");
                throw input_error(path, "idaction",
                                  pair(s, a) + " has no row: every state needs actions 0.." + std::to_string(A - 1) +
                                      " (action " + std::to_string(A - 1) + " on line " + std::to_string(line_A) +
                                      "; pass --absorbing to make missing actions self-loops with cost 0)");
            }
            m.P.set(s, a, s, 1);  // absorbing: stay, at cost 0
            rep.absorbing.push_back("(" + std::to_string(s) + "," + std::to_string(a) + ")");
        }

    // Row sums: exactly one, or divided by their sum on request.
    std::vector<rational> sum(S * A, rational(0));
    for (const Row& r : rows) sum[r.s * A + r.a] += r.p;
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t a = 0; a < A; ++a) {
            const std::size_t sa = s * A + a, line = first_line[sa];
            if (line == 0 || sum[sa] == 1) continue;
            if (!opt.normalise || sum[sa] == 0)
                throw input_error(at_line(path, line), "probability",
                                  "the probabilities of " + pair(s, a) + " sum to " + sum[sa].str() + ", not exactly 1" +
                                      (sum[sa] == 0 ? std::string(" (all zero: cannot be normalised)")
                                                    : std::string(" (pass --normalise to divide them by their sum)")));
            ++rep.normalised;
            for (auto& e : m.P.rows[sa]) {
                const std::size_t t = e.to;
                const rational before = e.p;
                e.p = before / sum[sa];  // nonzero stays nonzero
                rational change = e.p - before;
                if (change < 0) change = -change;
                if (change > rep.largest_change) {
                    rep.largest_change = change;
                    rep.largest_change_at = "P(" + std::to_string(t) + "|" + std::to_string(s) + "," + std::to_string(a) +
                                            ") (row sum " + sum[sa].str() + ", line " + std::to_string(line) + ")";
                }
            }
        }

    // c(s,a) = - sum_{s'} P(s'|s,a) r(s,a,s'), with the (normalised) nominal kernel.
    std::vector<const Row*> first_row(S * A, nullptr);
    std::string varies;
    for (const Row& r : rows) {
        const std::size_t sa = r.s * A + r.a;
        m.cost[sa] -= m.P(r.s, r.a, r.t) * r.r;
        if (!first_row[sa]) first_row[sa] = &r;
        else if (varies.empty() && first_row[sa]->r != r.r)
            varies = "line " + std::to_string(r.line) + ": " + pair(r.s, r.a) + " has reward " + r.r.str() + " to state " +
                     std::to_string(r.t) + " but " + first_row[sa]->r.str() + " to state " + std::to_string(first_row[sa]->t) +
                     " (line " + std::to_string(first_row[sa]->line) + ")";
    }
    validate(m, path);
    if (report) *report = rep;
    if (reward_varies) *reward_varies = varies;
    return m;
}

std::string exact_decimal(const rational& x) {
    integer num = boost::multiprecision::numerator(x), den = boost::multiprecision::denominator(x);
    integer d = den;
    std::size_t twos = 0, fives = 0;
    while (d % 2 == 0) d /= 2, ++twos;
    while (d % 5 == 0) d /= 5, ++fives;
    if (d != 1) return x.str();
    const std::size_t k = std::max(twos, fives);
    if (k == 0) return num.str();
    integer ten_k = 1;
    for (std::size_t i = 0; i < k; ++i) ten_k *= 10;
    const integer scaled = num * (ten_k / den);  // x * 10^k, an integer
    const bool negative = scaled < 0;
    std::string digits = (negative ? integer(-scaled) : scaled).str();
    if (digits.size() <= k) digits = std::string(k + 1 - digits.size(), '0') + digits;
    digits.insert(digits.size() - k, ".");
    return (negative ? "-" : "") + digits;
}

std::size_t write_csv_mdp(std::ostream& out, const MdpData& m, bool all_successors) {
    std::size_t fractions = 0;
    auto put = [&](const rational& x) {
        std::string t = exact_decimal(x);
        if (t.find('/') != std::string::npos) ++fractions;
        return t;
    };
    out << "idstatefrom,idaction,idstateto,probability,reward\n";
    for (std::size_t s = 0; s < m.S; ++s)
        for (std::size_t a = 0; a < m.A; ++a) {
            const std::string reward = put(rational(-m.cost[s * m.A + a]));
            for (std::size_t t = 0; t < m.S; ++t) {
                const rational p = m.P(s, a, t);
                if (p == 0 && !all_successors) continue;
                out << s << ',' << a << ',' << t << ',' << put(p) << ',' << reward << '\n';
            }
        }
    return fractions;
}

std::string mdp_format_of(const std::string& path, const std::string& format) {
    if (format == "csv" || format == "json") return format;
    if (!format.empty()) throw input_error("", "--format", "expected 'csv' or 'json', got '" + format + "'");
    const std::string ext = path.size() >= 4 ? lower(path.substr(path.size() - 4)) : std::string();
    return ext == ".csv" ? "csv" : "json";
}

MdpData read_mdp_input(const std::string& path, const MdpInputOptions& opt, std::vector<std::string>* notes) {
    const std::string format = mdp_format_of(path, opt.format);
    MdpData m;
    std::string varies;
    if (format == "json") {
        if (opt.gamma) throw input_error(path, "--gamma", "a JSON MDP carries its own gamma; --gamma is for CSV input");
        if (opt.absorbing) throw input_error(path, "--absorbing", "applies to CSV input only");
        if (opt.normalise) throw input_error(path, "--normalise", "applies to CSV input only");
        m = read_mdp(path);
        if (!opt.uncertainty_path.empty() && !m.uncertainty.is_nominal())
            throw input_error(path, "uncertainty",
                              "the file has its own uncertainty set; --uncertainty is for CSV input or a JSON MDP without one");
    } else {
        CsvReadReport rep;
        m = read_csv_mdp(path, CsvReadOptions{opt.gamma, opt.absorbing, opt.normalise}, &rep, &varies);
        if (notes && !rep.absorbing.empty()) {
            std::string list;
            for (std::size_t i = 0; i < rep.absorbing.size() && i < 10; ++i) list += (i ? " " : "") + rep.absorbing[i];
            if (rep.absorbing.size() > 10) list += " ...";
            notes->push_back(path + ": --absorbing: " + std::to_string(rep.absorbing.size()) +
                             " (s,a) without rows made self-loops with cost 0: " + list);
        }
        if (notes && rep.normalised > 0)
            notes->push_back(path + ": --normalise: divided " + std::to_string(rep.normalised) +
                             " (s,a) rows by their sums; largest change of a probability " + rep.largest_change.str() +
                             " (~" + std::to_string(rep.largest_change.convert_to<double>()) + ") at " + rep.largest_change_at);
    }
    if (!opt.uncertainty_path.empty()) {
        const std::string& up = opt.uncertainty_path;
        const json j = read_json_file(up);
        const json* u = &j;
        if (j.is_object() && !j.contains("type")) {
            for (auto it = j.begin(); it != j.end(); ++it)
                if (it.key() != "uncertainty" && it.key() != "comment")
                    throw input_error(up, it.key(), "unknown field (expected an uncertainty object {\"type\": ...} or {\"uncertainty\": {...}})");
            if (!j.contains("uncertainty")) throw input_error(up, "uncertainty", "missing");
            u = &j.at("uncertainty");
        }
        m.uncertainty = parse_uncertainty(*u, m, up);
        validate(m, up);
    }
    if (!varies.empty() && !m.uncertainty.is_nominal())
        throw input_error(path, "reward",
                          varies + ": with an uncertainty set rewards must not depend on idstateto (rmdp's cost c(s,a) "
                                   "does not, and nature's choice of P would change the expected reward)");
    return m;
}

}  // namespace rmdp
