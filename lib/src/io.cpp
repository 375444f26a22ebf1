#include "rmdp/io.hpp"

#include "rmdp/error.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

namespace rmdp {

namespace {

// A SAX pass that sees each floating-point literal's text: a literal whose digits are not all
// zero but whose nearest double is 0 (e.g. 1e-400) would silently read as 0 — refuse it, as
// parse_number refuses literals too large to be exact. (The DOM keeps only the double.)
struct UnderflowCheck {
    std::string path;
    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(json::number_integer_t) { return true; }
    bool number_unsigned(json::number_unsigned_t) { return true; }
    bool number_float(json::number_float_t v, const std::string& text) {
        if (v == 0) {
            const std::string mantissa = text.substr(0, text.find_first_of("eE"));
            if (mantissa.find_first_of("123456789") != std::string::npos)
                throw input_error(path, "", "number literal " + text +
                                                " underflows to 0 as a double; write it as a string (\"" + text +
                                                "\") to read it exactly");
        }
        return true;
    }
    bool string(std::string&) { return true; }
    bool binary(json::binary_t&) { return true; }
    bool start_object(std::size_t) { return true; }
    bool key(std::string&) { return true; }
    bool end_object() { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_array() { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }
};

}  // namespace

json read_json_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw input_error(path, "", "cannot open file");
    std::stringstream buf;
    buf << in.rdbuf();
    try {
        UnderflowCheck check{path};
        json::sax_parse(buf.str(), &check);  // malformed JSON is reported by the parse below
        return json::parse(buf.str());
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        auto p = what.find("parse error");
        throw input_error(path, "", "malformed JSON: " + (p == std::string::npos ? what : what.substr(p)));
    }
}

rational parse_number(const json& j, const std::string& file, const std::string& field) {
    if (j.is_number_integer()) {
        if (j.is_number_unsigned()) return rational(integer(j.get<std::uint64_t>()));
        return rational(integer(j.get<std::int64_t>()));
    }
    if (j.is_number_float()) {
        double d = j.get<double>();
        if (!std::isfinite(d)) throw input_error(file, field, "number is not finite");
        // JSON parsers turn integer literals beyond 64 bits into doubles: refuse to guess.
        if (std::fabs(d) >= 9223372036854775808.0)
            throw input_error(file, field,
                              "number literal " + j.dump() + " is too large to be read exactly (|x| >= 2^63); write it as a string of digits");
        return exact_value(d);  // the exact value of the double the literal denotes
    }
    if (j.is_string()) {
        try {
            return parse_rational(j.get<std::string>());
        } catch (const std::invalid_argument& e) {
            throw input_error(file, field, e.what());
        }
    }
    throw input_error(file, field, std::string("expected a number or a numeric string, found ") + j.type_name());
}

namespace {

std::string idx(const std::string& name, std::size_t i) { return name + "[" + std::to_string(i) + "]"; }

const json& require(const json& j, const char* key, const std::string& file, const std::string& prefix = "") {
    if (!j.contains(key)) throw input_error(file, prefix + key, "missing");
    return j.at(key);
}

const json& require_array(const json& j, std::size_t n, const std::string& file, const std::string& field) {
    if (!j.is_array()) throw input_error(file, field, std::string("expected an array, found ") + j.type_name());
    if (j.size() != n)
        throw input_error(file, field, "has " + std::to_string(j.size()) + " entries, expected " + std::to_string(n));
    return j;
}

std::size_t parse_count(const json& j, const std::string& file, const std::string& field) {
    if (!j.is_number_integer()) throw input_error(file, field, std::string("expected a positive integer, found ") + j.dump());
    if (j.is_number_unsigned() ? j.get<std::uint64_t>() == 0 : j.get<std::int64_t>() <= 0)
        throw input_error(file, field, "expected a positive integer, found " + j.dump());
    return j.get<std::size_t>();
}

// Reads an n1 x n2 x ... block of numbers into out (row-major), checking every shape first.
void read_vector(const json& j, std::size_t n, std::vector<rational>& out, const std::string& file,
                 const std::string& field) {
    require_array(j, n, file, field);
    for (std::size_t i = 0; i < n; ++i) out.push_back(parse_number(j[i], file, idx(field, i)));
}

void read_matrix(const json& j, std::size_t n, std::size_t m, std::vector<rational>& out, const std::string& file,
                 const std::string& field) {
    require_array(j, n, file, field);
    for (std::size_t i = 0; i < n; ++i) read_vector(j[i], m, out, file, idx(field, i));
}

void read_cube(const json& j, std::size_t n, std::size_t m, std::size_t k, std::vector<rational>& out,
               const std::string& file, const std::string& field) {
    require_array(j, n, file, field);
    for (std::size_t i = 0; i < n; ++i) read_matrix(j[i], m, k, out, file, idx(field, i));
}

}  // namespace

Uncertainty parse_uncertainty(const json& j, const MdpData& m, const std::string& file) {
    Uncertainty u;
    if (!j.is_object()) throw input_error(file, "uncertainty", "expected an object with a \"type\"");
    const json& t = require(j, "type", file, "uncertainty.");
    if (!t.is_string()) throw input_error(file, "uncertainty.type", "expected a string");
    const std::string type = t.get<std::string>();
    auto no_extra = [&](std::initializer_list<const char*> allowed) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            bool ok = false;
            for (const char* a : allowed) ok = ok || it.key() == a;
            if (!ok) throw input_error(file, "uncertainty." + it.key(), "unknown field for type '" + type + "'");
        }
    };
    if (type == "none") {
        no_extra({"type"});
        u.type = Uncertainty::kind::none;
    } else if (type == "l1") {
        no_extra({"type", "radius"});
        u.type = Uncertainty::kind::l1;
        const json& r = require(j, "radius", file, "uncertainty.");
        if (r.is_array()) {
            read_matrix(r, m.S, m.A, u.radius, file, "uncertainty.radius");
        } else {
            rational one = parse_number(r, file, "uncertainty.radius");
            u.radius.assign(m.S * m.A, one);
        }
    } else if (type == "interval") {
        no_extra({"type", "lower", "upper"});
        u.type = Uncertainty::kind::interval;
        read_cube(require(j, "lower", file, "uncertainty."), m.S, m.A, m.S, u.lower, file, "uncertainty.lower");
        read_cube(require(j, "upper", file, "uncertainty."), m.S, m.A, m.S, u.upper, file, "uncertainty.upper");
    } else if (type == "finite") {
        no_extra({"type", "distributions"});
        u.type = Uncertainty::kind::finite;
        const json& d = require(j, "distributions", file, "uncertainty.");
        require_array(d, m.S, file, "uncertainty.distributions");
        for (std::size_t s = 0; s < m.S; ++s) {
            std::string fs = idx("uncertainty.distributions", s);
            require_array(d[s], m.A, file, fs);
            for (std::size_t a = 0; a < m.A; ++a) {
                std::string fa = idx(fs, a);
                const json& list = d[s][a];
                if (!list.is_array()) throw input_error(file, fa, "expected an array of distributions");
                std::vector<std::vector<rational>> pts;
                for (std::size_t k = 0; k < list.size(); ++k) {
                    std::vector<rational> p;
                    read_vector(list[k], m.S, p, file, idx(fa, k));
                    pts.push_back(std::move(p));
                }
                u.points.push_back(std::move(pts));
            }
        }
    } else {
        throw input_error(file, "uncertainty.type", "unknown type '" + type + "' (expected none, l1, interval or finite)");
    }
    return u;
}

MdpData parse_mdp(const json& j, const std::string& file) {
    if (!j.is_object()) throw input_error(file, "", std::string("expected a JSON object, found ") + j.type_name());
    for (auto it = j.begin(); it != j.end(); ++it) {
        static const char* known[] = {"states", "actions", "gamma", "cost", "P", "rho", "uncertainty", "comment"};
        bool ok = false;
        for (const char* k : known) ok = ok || it.key() == k;
        if (!ok) throw input_error(file, it.key(), "unknown field");
    }
    MdpData m;
    m.S = parse_count(require(j, "states", file), file, "states");
    m.A = parse_count(require(j, "actions", file), file, "actions");
    m.gamma = parse_number(require(j, "gamma", file), file, "gamma");
    read_matrix(require(j, "cost", file), m.S, m.A, m.cost, file, "cost");
    std::vector<rational> p;
    read_cube(require(j, "P", file), m.S, m.A, m.S, p, file, "P");
    m.P = Kernel<rational>(m.S, m.A);
    m.P.p = std::move(p);
    if (j.contains("rho"))
        read_vector(j.at("rho"), m.S, m.rho, file, "rho");
    else
        m.rho.assign(m.S, rational(1, static_cast<long>(m.S)));
    if (j.contains("uncertainty")) m.uncertainty = parse_uncertainty(j.at("uncertainty"), m, file);
    validate(m, file);
    return m;
}

PolicyData parse_policy(const json& j, const MdpData& m, const std::string& file) {
    if (!j.is_object() || !j.contains("policy"))
        throw input_error(file, "policy", "missing (expected {\"policy\": [[pi(a|s)]]})");
    PolicyData p;
    const json& rows = j.at("policy");
    if (!rows.is_array()) throw input_error(file, "policy", "expected an array of rows");
    p.S = rows.size();
    p.A = p.S > 0 && rows[0].is_array() ? rows[0].size() : 0;
    if (p.S != m.S || p.A != m.A)
        throw input_error(file, "policy",
                          "shape " + std::to_string(p.S) + "x" + std::to_string(p.A) + " does not match the MDP's " +
                              std::to_string(m.S) + " states x " + std::to_string(m.A) + " actions");
    read_matrix(rows, m.S, m.A, p.pi, file, "policy");
    validate(p, m, file);
    return p;
}

MdpData read_mdp(const std::string& path) { return parse_mdp(read_json_file(path), path); }
PolicyData read_policy(const std::string& path, const MdpData& m) { return parse_policy(read_json_file(path), m, path); }

json to_json(const MdpData& m) {
    json j;
    j["states"] = m.S;
    j["actions"] = m.A;
    j["gamma"] = m.gamma.str();
    json cost = json::array();
    for (std::size_t s = 0; s < m.S; ++s) {
        json crow = json::array();
        for (std::size_t a = 0; a < m.A; ++a) crow.push_back(m.cost[s * m.A + a].str());
        cost.push_back(crow);
    }
    j["cost"] = cost;
    j["P"] = to_json(m.P);
    json rho = json::array();
    for (const auto& r : m.rho) rho.push_back(r.str());
    j["rho"] = rho;
    const Uncertainty& u = m.uncertainty;
    json uj;
    uj["type"] = to_string(u.type);
    auto cube = [&](const std::vector<rational>& v) {
        Kernel<rational> k(m.S, m.A);
        k.p = v;
        return to_json(k);
    };
    switch (u.type) {
        case Uncertainty::kind::none: break;
        case Uncertainty::kind::l1: {
            json r = json::array();
            for (std::size_t s = 0; s < m.S; ++s) {
                json row = json::array();
                for (std::size_t a = 0; a < m.A; ++a) row.push_back(u.radius[s * m.A + a].str());
                r.push_back(row);
            }
            uj["radius"] = r;
            break;
        }
        case Uncertainty::kind::interval:
            uj["lower"] = cube(u.lower);
            uj["upper"] = cube(u.upper);
            break;
        case Uncertainty::kind::finite: {
            json d = json::array();
            for (std::size_t s = 0; s < m.S; ++s) {
                json row = json::array();
                for (std::size_t a = 0; a < m.A; ++a) {
                    json list = json::array();
                    for (const auto& pt : u.points[s * m.A + a]) {
                        json v = json::array();
                        for (const auto& x : pt) v.push_back(x.str());
                        list.push_back(v);
                    }
                    row.push_back(list);
                }
                d.push_back(row);
            }
            uj["distributions"] = d;
            break;
        }
    }
    j["uncertainty"] = uj;
    return j;
}

json to_json(const Kernel<rational>& k) {
    json out = json::array();
    for (std::size_t s = 0; s < k.S; ++s) {
        json row = json::array();
        for (std::size_t a = 0; a < k.A; ++a) {
            json d = json::array();
            for (std::size_t t = 0; t < k.S; ++t) d.push_back(k(s, a, t).str());
            row.push_back(d);
        }
        out.push_back(row);
    }
    return out;
}

json to_json(const PolicyData& p) {
    json rows = json::array();
    for (std::size_t s = 0; s < p.S; ++s) {
        json row = json::array();
        for (std::size_t a = 0; a < p.A; ++a) row.push_back(p.pi[s * p.A + a].str());
        rows.push_back(row);
    }
    return json{{"policy", rows}};
}

}  // namespace rmdp
