#include "rmdp/io.hpp"

#include "rmdp/error.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <clocale>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

namespace rmdp {

namespace {

// The checks made on the SAX events while the DOM is built (one pass over the text). They refuse
// what the DOM would silently change or could not hold safely:
//   * a floating-point literal whose digits are not all zero but whose nearest double is 0
//     (1e-400 would read as 0), and one that overflows a double (1e400: nlohmann's error 406);
//   * a repeated key in one object (the DOM would keep the last one silently);
//   * nesting deeper than the limit (deep DOMs are copied and compared recursively, and a
//     200,000-deep one overflows the stack).
// Malformed JSON is reported here too, with the parser's position.
struct Screen {
    const std::string& path;
    std::size_t max_depth;
    std::vector<std::set<std::string>> keys;  // keys seen in each open object; arrays hold an empty set

    void open() {
        if (keys.size() >= max_depth)
            throw input_error(path, "", "JSON nesting deeper than " + std::to_string(max_depth) +
                                            " levels (limit: RMDP_MAX_JSON_DEPTH, docs/reliability.md)");
        keys.emplace_back();
    }
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
    bool start_object(std::size_t) {
        open();
        return true;
    }
    bool key(std::string& k) {
        if (!keys.back().insert(k).second)
            throw input_error(path, k, "duplicate key (a JSON object names each field once)");
        return true;
    }
    bool end_object() {
        keys.pop_back();
        return true;
    }
    bool start_array(std::size_t) {
        open();
        return true;
    }
    bool end_array() {
        keys.pop_back();
        return true;
    }
    bool parse_error(std::size_t, const std::string& token, const nlohmann::detail::exception& e) {
        if (e.id == 406)  // out_of_range: a number literal beyond double's range
            throw input_error(path, "", "number literal " + token +
                                            " overflows a double; write it as a string (\"" + token +
                                            "\") to read it exactly");
        std::string what = e.what();
        const auto p = what.find("parse error");
        throw input_error(path, "", "malformed JSON: " + (p == std::string::npos ? what : what.substr(p)));
    }
};

// One pass: each SAX event is screened, then handed to nlohmann's own DOM builder (the one
// json::parse uses), so the value is the one json::parse would return. Screen throws before the
// DOM sees a refused event.
struct ScreenedDom {
    Screen screen;
    nlohmann::detail::json_sax_dom_parser<json> dom;

    bool null() { return dom.null(); }
    bool boolean(bool b) { return dom.boolean(b); }
    bool number_integer(json::number_integer_t v) { return dom.number_integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return dom.number_unsigned(v); }
    bool number_float(json::number_float_t v, const std::string& text) {
        return screen.number_float(v, text) && dom.number_float(v, text);
    }
    bool string(std::string& v) { return dom.string(v); }
    bool binary(json::binary_t& v) { return dom.binary(v); }
    bool start_object(std::size_t n) { return screen.start_object(n) && dom.start_object(n); }
    bool key(std::string& k) { return screen.key(k) && dom.key(k); }
    bool end_object() { return screen.end_object() && dom.end_object(); }
    bool start_array(std::size_t n) { return screen.start_array(n) && dom.start_array(n); }
    bool end_array() { return screen.end_array() && dom.end_array(); }
    bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& e) {
        return screen.parse_error(position, token, e);  // throws input_error
    }
};

std::size_t env_limit(const char* name, std::size_t fallback) {
    const char* v = std::getenv(name);
    if (!v || !*v) return fallback;
    char* end = nullptr;
    errno = 0;
    const unsigned long long n = std::strtoull(v, &end, 10);
    if (errno != 0 || *end != '\0' || n == 0 || v[0] == '-')
        throw input_error("", name, std::string("expected a positive integer, got '") + v + "'");
    return static_cast<std::size_t>(n);
}

}  // namespace

JsonLimits JsonLimits::from_environment() {
    JsonLimits l;
    l.max_bytes = env_limit("RMDP_MAX_INPUT_BYTES", l.max_bytes);
    l.max_depth = env_limit("RMDP_MAX_JSON_DEPTH", l.max_depth);
    return l;
}

json parse_json_text(const std::string& text, const std::string& source, const JsonLimits& limits) {
    if (text.size() > limits.max_bytes)
        throw input_error(source, "", "file is larger than " + std::to_string(limits.max_bytes) +
                                          " bytes (limit: RMDP_MAX_INPUT_BYTES, docs/reliability.md)");
    json result;
    ScreenedDom handler{Screen{source, limits.max_depth, {}}, nlohmann::detail::json_sax_dom_parser<json>(result)};
    try {
        json::sax_parse(text, &handler);  // throws input_error on anything refused
    } catch (const json::exception& e) {  // the DOM builder's own errors: unreachable after the screen
        throw input_error(source, "", std::string("malformed JSON: ") + e.what());
    }
    return result;
}

std::string read_input_file(const std::string& path, std::size_t max_bytes, const char* kind) {
    // stat before open: opening a FIFO blocks until a writer appears, and a device such as
    // /dev/zero never ends. Only regular files are read, and never more than the limit.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw input_error(path, "", std::string("cannot open file: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw input_error(path, "", std::string("is a directory, expected ") + kind);
    if (!S_ISREG(st.st_mode))
        throw input_error(path, "", "not a regular file (devices, FIFOs and sockets are not read; docs/reliability.md)");
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
        throw input_error(path, "", "file is larger than " + std::to_string(max_bytes) +
                                        " bytes (limit: RMDP_MAX_INPUT_BYTES, docs/reliability.md)");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw input_error(path, "", "cannot open file");
    std::string text;
    const std::size_t cap = max_bytes + 1;  // one byte more than allowed: the file may have grown since stat
    text.resize(std::min<std::size_t>(static_cast<std::size_t>(st.st_size) + 1, cap));
    std::size_t got = 0;
    while (in && got < cap) {
        if (got == text.size()) text.resize(std::min<std::size_t>(2 * text.size(), cap));
        in.read(text.data() + got, static_cast<std::streamsize>(text.size() - got));
        got += static_cast<std::size_t>(in.gcount());
    }
    if (in.bad()) throw input_error(path, "", "read error");
    text.resize(got);
    if (text.size() > max_bytes)
        throw input_error(path, "", "file is larger than " + std::to_string(max_bytes) +
                                        " bytes (limit: RMDP_MAX_INPUT_BYTES, docs/reliability.md)");
    return text;
}

json read_json_file(const std::string& path, const JsonLimits& limits) {
    return parse_json_text(read_input_file(path, limits.max_bytes, "a JSON file"), path, limits);
}

json read_json_file(const std::string& path) { return read_json_file(path, JsonLimits::from_environment()); }

namespace {

// A field's name, built only when a message names it: the chain "P" -> 3 -> 1 is "P[3][1]".
// The readers below pass these down instead of strings (a string per number cost more than the
// number itself); a child refers to its parent, so it lives no longer than the parent's scope.
class Field {
public:
    Field(std::string root) : root_(std::move(root)) {}
    Field(const char* root) : root_(root) {}
    Field(const Field& parent, std::size_t index) : parent_(&parent), index_(index) {}
    std::string str() const { return parent_ ? parent_->str() + "[" + std::to_string(index_) + "]" : root_; }

private:
    std::string root_;
    const Field* parent_ = nullptr;
    std::size_t index_ = 0;
};

rational number_of(const json& j, const std::string& file, const Field& field) {
    if (j.is_number_integer()) {
        // Literals of magnitude >= 2^63 are refused (docs/format.md): parsers differ on them.
        const bool too_large = j.is_number_unsigned()
                                   ? j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)
                                   : j.get<std::int64_t>() == INT64_MIN;
        if (too_large)
            throw input_error(file, field.str(),
                              "number literal " + j.dump() + " is too large to be read exactly (|x| >= 2^63); write it as a string of digits");
        return rational(integer(j.get<std::int64_t>()));
    }
    if (j.is_number_float()) {
        double d = j.get<double>();
        if (!std::isfinite(d)) throw input_error(file, field.str(), "number is not finite");
        // JSON parsers turn integer literals beyond 64 bits into doubles: refuse to guess.
        if (std::fabs(d) >= 9223372036854775808.0)
            throw input_error(file, field.str(),
                              "number literal " + j.dump() + " is too large to be read exactly (|x| >= 2^63); write it as a string of digits");
        return exact_value(d);  // the exact value of the double the literal denotes
    }
    if (j.is_string()) {
        try {
            return parse_rational(j.get_ref<const std::string&>());
        } catch (const std::invalid_argument& e) {
            throw input_error(file, field.str(), e.what());
        }
    }
    throw input_error(file, field.str(), std::string("expected a number or a numeric string, found ") + j.type_name());
}

// ---------------------------------------------------------------------------------------------
// read_mdp's numeric arrays. The MDP's big arrays (cost, P, P_sparse, rho and the uncertainty
// set's array fields) are read from the SAX events into a NumericTree: their nesting, and each
// number already as the exact rational number_of gives for it, without a DOM node or a string
// per number. Anything number_of or the screen would refuse (and anything but arrays and numbers)
// is not handled there: read_mdp then reads the file again through the DOM (parse_mdp), so every
// input error, and its message, is the DOM path's own.
struct NumericTree {
    enum class kind : std::uint8_t { array, integer, floating, string, taken };
    struct Item {
        kind k;
        std::uint32_t count = 0;  // array: number of children
        std::uint32_t first = 0;  // array: where its children's item indices start in `kids`; number: index in `numbers`
    };
    std::vector<Item> items;  // items[0] is the root array
    std::vector<std::uint32_t> kids;
    std::vector<rational> numbers;
};
using NumericTrees = std::map<std::string, NumericTree>;  // by field name: "P", "uncertainty.radius"

// A value the readers see: a DOM node, or an item of a NumericTree.
class Node {
public:
    Node(const json& j) : j_(&j) {}
    Node(NumericTree& t, std::uint32_t i) : t_(&t), i_(i) {}
    const NumericTree::Item& item() const { return t_->items[i_]; }
    bool is_array() const { return j_ ? j_->is_array() : item().k == NumericTree::kind::array; }
    bool is_string() const { return j_ ? j_->is_string() : false; }  // a tree's strings are numbers
    std::size_t size() const { return j_ ? j_->size() : is_array() ? item().count : 1; }
    Node operator[](std::size_t k) const { return j_ ? Node((*j_)[k]) : Node(*t_, t_->kids[item().first + k]); }
    // Messages: a tree only reaches the success path (read_mdp redoes anything refused through the
    // DOM), so these never print a tree's value; they are exact for DOM nodes.
    std::string type_name() const {
        if (j_) return j_->type_name();
        return is_array() ? "array" : item().k == NumericTree::kind::string ? "string" : "number";
    }
    std::string dump() const { return j_ ? j_->dump() : std::string("(a value)"); }
    const json& dom() const { return *j_; }
    bool is_dom() const { return j_ != nullptr; }
    // The value as a state index in 0..n-1 (JSON integer literals only), or false.
    bool state_index(std::size_t n, std::size_t& out) const {
        if (j_) {
            const json& t = *j_;
            if (!t.is_number_integer() || (!t.is_number_unsigned() && t.get<std::int64_t>() < 0) || t.get<std::uint64_t>() >= n)
                return false;
            out = t.get<std::size_t>();
            return true;
        }
        if (item().k != NumericTree::kind::integer) return false;
        mpq_srcptr q = t_->numbers[item().first].backend().data();
        if (mpz_sgn(mpq_numref(q)) < 0 || mpz_cmp_ui(mpq_numref(q), n) >= 0) return false;
        out = static_cast<std::size_t>(mpz_get_ui(mpq_numref(q)));
        return true;
    }
    // The number (read once: a tree hands its rational over).
    rational take_number(const std::string& file, const Field& field) const {
        if (j_) return number_of(*j_, file, field);
        NumericTree::Item& it = t_->items[i_];
        if (it.k == NumericTree::kind::array || it.k == NumericTree::kind::taken)
            throw input_error(file, field.str(), "expected a number or a numeric string, found " + type_name());
        it.k = NumericTree::kind::taken;
        return std::move(t_->numbers[it.first]);
    }

private:
    const json* j_ = nullptr;
    NumericTree* t_ = nullptr;
    std::uint32_t i_ = 0;
};

// Where a field's value is: in the tree read for it, else in the DOM object.
Node field_value(const json& object, const char* key, const std::string& name, NumericTrees* trees) {
    if (trees)
        if (auto it = trees->find(name); it != trees->end()) return Node(it->second, 0);
    return Node(object.at(key));
}

const json& require(const json& j, const char* key, const std::string& file, const std::string& prefix = "") {
    if (!j.contains(key)) throw input_error(file, prefix + key, "missing");
    return j.at(key);
}

const Node& require_array(const Node& j, std::size_t n, const std::string& file, const Field& field) {
    if (!j.is_array()) throw input_error(file, field.str(), std::string("expected an array, found ") + j.type_name());
    if (j.size() != n)
        throw input_error(file, field.str(), "has " + std::to_string(j.size()) + " entries, expected " + std::to_string(n));
    return j;
}

std::size_t parse_count(const json& j, const std::string& file, const std::string& field) {
    if (!j.is_number_integer()) throw input_error(file, field, std::string("expected a positive integer, found ") + j.dump());
    if (j.is_number_unsigned() ? j.get<std::uint64_t>() == 0 : j.get<std::int64_t>() <= 0)
        throw input_error(file, field, "expected a positive integer, found " + j.dump());
    return j.get<std::size_t>();
}

// Reads an n1 x n2 x ... block of numbers into out (row-major), checking every shape first.
void read_vector(const Node& j, std::size_t n, std::vector<rational>& out, const std::string& file, const Field& field) {
    require_array(j, n, file, field);
    for (std::size_t i = 0; i < n; ++i) out.push_back(j[i].take_number(file, Field(field, i)));
}

void read_matrix(const Node& j, std::size_t n, std::size_t m, std::vector<rational>& out, const std::string& file,
                 const Field& field) {
    require_array(j, n, file, field);
    for (std::size_t i = 0; i < n; ++i) read_vector(j[i], m, out, file, Field(field, i));
}

void read_cube(const Node& j, std::size_t n, std::size_t m, std::size_t k, std::vector<rational>& out,
               const std::string& file, const Field& field) {
    require_array(j, n, file, field);
    for (std::size_t i = 0; i < n; ++i) read_matrix(j[i], m, k, out, file, Field(field, i));
}

// One set parameter, read by its shape (sets/set.hpp, SetField).
void read_set_field(const Node& j, SetField& f, const MdpData& m, const std::string& file) {
    const Field name("uncertainty." + std::string(f.name));
    switch (f.kind) {
        case SetField::shape::per_state_action:
            if (j.is_array()) {
                read_matrix(j, m.S, m.A, *f.numbers, file, name);
            } else {
                const rational one = j.take_number(file, name);
                f.numbers->assign(m.S * m.A, one);
            }
            break;
        case SetField::shape::per_transition: read_cube(j, m.S, m.A, m.S, *f.numbers, file, name); break;
        case SetField::shape::per_state:
            if (j.is_array()) read_vector(j, m.S, *f.numbers, file, name);
            else f.numbers->assign(m.S, j.take_number(file, name));
            break;
        case SetField::shape::distributions:
            require_array(j, m.S, file, name);
            for (std::size_t s = 0; s < m.S; ++s) {
                const Field fs(name, s);
                require_array(j[s], m.A, file, fs);
                for (std::size_t a = 0; a < m.A; ++a) {
                    const Field fa(fs, a);
                    const Node list = j[s][a];
                    if (!list.is_array()) throw input_error(file, fa.str(), "expected an array of distributions");
                    std::vector<std::vector<rational>> pts;
                    for (std::size_t k = 0; k < list.size(); ++k) {
                        std::vector<rational> p;
                        read_vector(list[k], m.S, p, file, Field(fa, k));
                        pts.push_back(std::move(p));
                    }
                    f.lists->push_back(std::move(pts));
                }
            }
            break;
        case SetField::shape::word: {
            std::string allowed;
            for (const char* w : f.words) allowed += (allowed.empty() ? "" : ", ") + std::string(w);
            if (!j.is_string()) throw input_error(file, name.str(), "expected one of " + allowed);
            const std::string& w = j.dom().get_ref<const std::string&>();
            bool ok = false;
            for (const char* x : f.words) ok = ok || w == x;
            if (!ok) throw input_error(file, name.str(), "'" + w + "' is not one of " + allowed);
            *f.text = w;
            break;
        }
    }
}

json write_set_field(const SetField& f, const MdpData& m) {
    auto matrix = [&](const std::vector<rational>& v) {
        json r = json::array();
        for (std::size_t s = 0; s < m.S; ++s) {
            json row = json::array();
            for (std::size_t a = 0; a < m.A; ++a) row.push_back(v[s * m.A + a].str());
            r.push_back(row);
        }
        return r;
    };
    switch (f.kind) {
        case SetField::shape::per_state_action: return matrix(*f.numbers);
        case SetField::shape::per_state: {
            json r = json::array();
            for (const auto& x : *f.numbers) r.push_back(x.str());
            return r;
        }
        case SetField::shape::per_transition: {
            json out = json::array();
            for (std::size_t s = 0; s < m.S; ++s) {
                json row = json::array();
                for (std::size_t a = 0; a < m.A; ++a) {
                    json d = json::array();
                    for (std::size_t t = 0; t < m.S; ++t) d.push_back((*f.numbers)[(s * m.A + a) * m.S + t].str());
                    row.push_back(d);
                }
                out.push_back(row);
            }
            return out;
        }
        case SetField::shape::distributions: {
            json d = json::array();
            for (std::size_t s = 0; s < m.S; ++s) {
                json row = json::array();
                for (std::size_t a = 0; a < m.A; ++a) {
                    json list = json::array();
                    for (const auto& pt : (*f.lists)[s * m.A + a]) {
                        json v = json::array();
                        for (const auto& x : pt) v.push_back(x.str());
                        list.push_back(v);
                    }
                    row.push_back(list);
                }
                d.push_back(row);
            }
            return d;
        }
        case SetField::shape::word: return *f.text;
    }
    return nullptr;
}

Uncertainty read_uncertainty(const json& j, const MdpData& m, const std::string& file, NumericTrees* trees) {
    if (!j.is_object()) throw input_error(file, "uncertainty", "expected an object with a \"type\"");
    const json& t = require(j, "type", file, "uncertainty.");
    if (!t.is_string()) throw input_error(file, "uncertainty.type", "expected a string");
    const std::string type = t.get<std::string>();
    Uncertainty u;
    const bool known = with_kind_named(type, [&](auto k) {
        std::vector<SetField> fields = k.fields();
        for (auto it = j.begin(); it != j.end(); ++it) {
            bool ok = it.key() == "type";
            for (const SetField& f : fields) ok = ok || it.key() == f.name;
            if (!ok) throw input_error(file, "uncertainty." + it.key(), "unknown field for type '" + type + "'");
        }
        for (SetField& f : fields) {
            if (j.contains(f.name))
                read_set_field(field_value(j, f.name, "uncertainty." + std::string(f.name), trees), f, m, file);
            else if (f.required)
                throw input_error(file, "uncertainty." + std::string(f.name), "missing");
        }
        u = Uncertainty(std::move(k));
    });
    if (!known)
        throw input_error(file, "uncertainty.type", "unknown type '" + type + "' (expected " + registered_set_names() + ")");
    return u;
}

}  // namespace

rational parse_number(const json& j, const std::string& file, const std::string& field) {
    return number_of(j, file, Field(field));
}

Uncertainty parse_uncertainty(const json& j, const MdpData& m, const std::string& file) {
    return read_uncertainty(j, m, file, nullptr);
}

namespace {

// Kernels are stored sparsely, but a dense "P" or set field holds S*A*S numbers and every policy
// evaluation solves a dense S x S system: a small file naming a huge S would otherwise ask for more
// memory than the machine has. RMDP_MAX_KERNEL_ENTRIES raises the limit.
std::string approx(long double n) {
    if (n < 1e18L) return std::to_string(static_cast<unsigned long long>(n));
    char buf[32];
    std::snprintf(buf, sizeof buf, "about %.3Lg", n);
    return buf;
}

void check_kernel_size(std::size_t S, std::size_t A, const std::string& file) {
    const std::size_t limit = env_limit("RMDP_MAX_KERNEL_ENTRIES", std::size_t(1) << 25);
    const long double entries = static_cast<long double>(S) * A * S;
    if (entries > static_cast<long double>(limit))
        throw input_error(file, "states",
                          std::to_string(S) + " states x " + std::to_string(A) + " actions need " +
                              approx(entries) +
                              " kernel entries, above the limit of " + std::to_string(limit) +
                              " (evaluations solve dense systems; RMDP_MAX_KERNEL_ENTRIES, docs/reliability.md)");
}

// "P_sparse": P_sparse[s][a] lists [s', p] pairs; unlisted successors have probability 0. Rows are
// stored sorted by s', zeros dropped; `seen` marks the successors of the current row (reset after it,
// so reading costs O(nonzeros), not O(S) per row).
void read_sparse_kernel(const Node& j, Kernel<rational>& P, const std::string& file) {
    const Field name("P_sparse");
    require_array(j, P.S, file, name);
    std::vector<bool> seen(P.S, false);
    for (std::size_t s = 0; s < P.S; ++s) {
        const Field fs(name, s);
        require_array(j[s], P.A, file, fs);
        for (std::size_t a = 0; a < P.A; ++a) {
            const Field fa(fs, a);
            const Node list = j[s][a];
            if (!list.is_array()) throw input_error(file, fa.str(), std::string("expected an array of [successor, probability] pairs, found ") + list.type_name());
            SparseRow<rational> row;
            for (std::size_t k = 0; k < list.size(); ++k) {
                const Field fk(fa, k);
                const Node pair = list[k];
                if (!pair.is_array() || pair.size() != 2)
                    throw input_error(file, fk.str(), "expected a pair [successor, probability], found " + pair.dump().substr(0, 60));
                std::size_t to = 0;
                if (!pair[0].state_index(P.S, to))
                    throw input_error(file, Field(fk, 0).str(), "successor " + pair[0].dump().substr(0, 40) + " is not a state index in 0.." + std::to_string(P.S - 1));
                if (seen[to]) throw input_error(file, Field(fk, 0).str(), "successor " + std::to_string(to) + " is listed twice");
                seen[to] = true;
                row.push_back({to, pair[1].take_number(file, Field(fk, 1))});
            }
            for (const auto& e : row) seen[e.to] = false;
            std::sort(row.begin(), row.end(), [](const auto& x, const auto& y) { return x.to < y.to; });
            std::erase_if(row, [](const auto& e) { return e.p.sign() == 0; });
            check_simplex(row, file, fa.str());  // named as in the file, before validate() says P[s][a]
            P.set_row(s, a, std::move(row));
        }
    }
}

// The nominal kernel, the one place a kernel is filled from a file: "P" (dense; its zeros are not
// stored) or "P_sparse".
void read_kernel(const json& j, MdpData& m, const std::string& file, NumericTrees* trees) {
    m.P = Kernel<rational>(m.S, m.A);
    if (!j.contains("P")) return read_sparse_kernel(field_value(j, "P_sparse", "P_sparse", trees), m.P, file);
    std::vector<rational> p;
    p.reserve(m.S * m.A * m.S);
    read_cube(field_value(j, "P", "P", trees), m.S, m.A, m.S, p, file, "P");
    for (std::size_t s = 0, i = 0; s < m.S; ++s)
        for (std::size_t a = 0; a < m.A; ++a) {
            SparseRow<rational> row;
            row.reserve(static_cast<std::size_t>(std::count_if(p.begin() + static_cast<std::ptrdiff_t>(i),
                                                               p.begin() + static_cast<std::ptrdiff_t>(i + m.S),
                                                               [](const rational& x) { return x.sign() != 0; })));
            for (std::size_t t = 0; t < m.S; ++t, ++i)
                if (p[i].sign() != 0) row.push_back({t, std::move(p[i])});  // moved, not copied: no allocation
            m.P.set_row(s, a, std::move(row));
        }
}

// parse_mdp, with the big arrays taken from `trees` where read_mdp's reader put them.
MdpData read_mdp_document(const json& j, const std::string& file, NumericTrees* trees) {
    if (!j.is_object()) throw input_error(file, "", std::string("expected a JSON object, found ") + j.type_name());
    for (auto it = j.begin(); it != j.end(); ++it) {
        static const char* known[] = {"states", "actions", "gamma", "cost", "P", "P_sparse", "rho", "uncertainty", "comment"};
        bool ok = false;
        for (const char* k : known) ok = ok || it.key() == k;
        if (!ok) throw input_error(file, it.key(), "unknown field");
    }
    MdpData m;
    m.S = parse_count(require(j, "states", file), file, "states");
    m.A = parse_count(require(j, "actions", file), file, "actions");
    check_kernel_size(m.S, m.A, file);
    m.gamma = parse_number(require(j, "gamma", file), file, "gamma");
    require(j, "cost", file);
    m.cost.reserve(m.S * m.A);
    read_matrix(field_value(j, "cost", "cost", trees), m.S, m.A, m.cost, file, "cost");
    if (j.contains("P") == j.contains("P_sparse"))
        throw input_error(file, j.contains("P") ? "P_sparse" : "P", j.contains("P") ? "give the kernel once: P or P_sparse, not both" : "missing (or P_sparse)");
    read_kernel(j, m, file, trees);
    if (j.contains("rho"))
        read_vector(field_value(j, "rho", "rho", trees), m.S, m.rho, file, "rho");
    else
        m.rho.assign(m.S, rational(1, static_cast<long>(m.S)));
    if (j.contains("uncertainty")) m.uncertainty = read_uncertainty(j.at("uncertainty"), m, file, trees);
    m.source = file;
    validate(m, file);
    return m;
}

// Thrown by the SAX reader on anything it leaves to the DOM path.
struct use_dom {};

// The SAX handler of read_mdp: the screen sees every event; the DOM gets everything but the big
// arrays (their keys stay in the DOM with a null value), which go to NumericTrees.
struct MdpReader {
    Screen screen;
    nlohmann::detail::json_sax_dom_parser<json> dom;
    NumericTrees& trees;
    std::vector<bool> open_objects;   // the open containers of the DOM part: true for an object
    bool in_uncertainty = false;      // the innermost open container is the top-level "uncertainty" object
    std::string candidate;            // the tree name for the value that follows the last key, if any
    NumericTree* tree = nullptr;      // the tree being filled
    // The tree's open arrays, innermost last: each one's item and where its children start in
    // `pending`, which holds the children of every open array (one buffer: no vector per array).
    std::vector<std::pair<std::uint32_t, std::size_t>> open_arrays;
    std::vector<std::uint32_t> pending;

    MdpReader(const std::string& source, std::size_t max_depth, json& skeleton, NumericTrees& t)
        : screen{source, max_depth, {}}, dom(skeleton), trees(t) {}

    void leaf(NumericTree::kind k, rational&& v) {
        pending.push_back(static_cast<std::uint32_t>(tree->items.size()));
        tree->items.push_back({k, 0, static_cast<std::uint32_t>(tree->numbers.size())});
        tree->numbers.push_back(std::move(v));
    }
    void open_array() {
        const auto id = static_cast<std::uint32_t>(tree->items.size());
        if (!open_arrays.empty()) pending.push_back(id);
        tree->items.push_back({NumericTree::kind::array});
        open_arrays.emplace_back(id, pending.size());
    }
    void close_array() {
        const auto [id, from] = open_arrays.back();
        NumericTree::Item& a = tree->items[id];
        a.count = static_cast<std::uint32_t>(pending.size() - from);
        a.first = static_cast<std::uint32_t>(tree->kids.size());
        tree->kids.insert(tree->kids.end(), pending.begin() + static_cast<std::ptrdiff_t>(from), pending.end());
        pending.resize(from);
        open_arrays.pop_back();
        if (open_arrays.empty()) tree = nullptr;
    }
    // A value event in the DOM part: the key before it named no tree.
    void dom_value() { candidate.clear(); }

    bool null() {
        if (tree) throw use_dom{};
        dom_value();
        return dom.null();
    }
    bool boolean(bool b) {
        if (tree) throw use_dom{};
        dom_value();
        return dom.boolean(b);
    }
    bool number_integer(json::number_integer_t v) {
        if (!tree) return dom_value(), dom.number_integer(v);
        if (v == INT64_MIN) throw use_dom{};
        leaf(NumericTree::kind::integer, rational(integer(v)));
        return true;
    }
    bool number_unsigned(json::number_unsigned_t v) {
        if (!tree) return dom_value(), dom.number_unsigned(v);
        if (v > static_cast<std::uint64_t>(INT64_MAX)) throw use_dom{};
        leaf(NumericTree::kind::integer, rational(integer(static_cast<std::int64_t>(v))));
        return true;
    }
    bool number_float(json::number_float_t v, const std::string& text) {
        screen.number_float(v, text);
        if (!tree) return dom_value(), dom.number_float(v, text);
        if (!std::isfinite(v) || std::fabs(v) >= 9223372036854775808.0) throw use_dom{};
        leaf(NumericTree::kind::floating, exact_value(v));
        return true;
    }
    bool string(std::string& v) {
        if (!tree) return dom_value(), dom.string(v);
        try {
            leaf(NumericTree::kind::string, parse_rational(v));
        } catch (const std::invalid_argument&) {
            throw use_dom{};
        }
        return true;
    }
    bool binary(json::binary_t&) { throw use_dom{}; }
    bool start_object(std::size_t n) {
        if (tree) throw use_dom{};
        screen.start_object(n);
        in_uncertainty = open_objects.size() == 1 && candidate == "uncertainty";
        candidate.clear();
        open_objects.push_back(true);
        return dom.start_object(n);
    }
    bool key(std::string& k) {
        if (tree) throw use_dom{};
        screen.key(k);
        if (open_objects.size() == 1) candidate = k;  // top level: "uncertainty" or a tree's name
        else if (open_objects.size() == 2 && in_uncertainty) candidate = "uncertainty." + k;
        else candidate.clear();
        return dom.key(k);
    }
    bool end_object() {
        if (tree) throw use_dom{};
        screen.end_object();
        open_objects.pop_back();
        in_uncertainty = false;  // nothing nests inside it that could hold a tree
        return dom.end_object();
    }
    bool start_array(std::size_t n) {
        screen.start_array(n);
        if (!tree) {
            static const std::set<std::string> big = {"cost", "P", "P_sparse", "rho"};
            const bool named = (open_objects.size() == 1 && big.count(candidate)) ||
                               (open_objects.size() == 2 && in_uncertainty && !candidate.empty());
            if (!named) {
                candidate.clear();
                open_objects.push_back(false);
                return dom.start_array(n);
            }
            tree = &trees[candidate];  // a repeated key was refused by the screen
            candidate.clear();
        }
        open_array();
        return true;
    }
    bool end_array() {
        screen.end_array();
        if (!tree) {
            open_objects.pop_back();
            return dom.end_array();
        }
        close_array();
        return true;
    }
    bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& e) {
        return screen.parse_error(position, token, e);  // throws input_error
    }

};

// The JSON syntax MDP files are written in, scanned into the SAX events nlohmann's parser gives
// for them (its DOM path is then the reference): strings of printable ASCII without escapes,
// integers of at most 18 digits, floating-point literals read by strtod as nlohmann reads them.
// Anything else (an escape, another byte, a longer integer, a syntax error, a decimal point other
// than '.' in the C library's locale) throws use_dom, and read_mdp reads the text through the DOM.
// nlohmann's lexer costs ~500 instructions a number; this, ~50.
template <class Handler>
class PlainJsonScanner {
public:
    PlainJsonScanner(const std::string& text, Handler& h) : p_(text.data()), end_(text.data() + text.size()), h_(h) {}
    void run() {
        if (std::localeconv()->decimal_point == nullptr || std::strcmp(std::localeconv()->decimal_point, ".") != 0)
            throw use_dom{};
        value();
        space();
        if (p_ != end_) throw use_dom{};
    }

private:
    const char* p_;
    const char* const end_;
    Handler& h_;
    std::string buf_;

    static bool digit(char c) { return c >= '0' && c <= '9'; }
    void space() {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }
    char next() {  // the next character after white space, not consumed
        space();
        if (p_ == end_) throw use_dom{};
        return *p_;
    }
    std::string& string() {  // at '"'
        const char* start = ++p_;
        while (p_ != end_ && *p_ != '"') {
            const auto c = static_cast<unsigned char>(*p_);
            if (c < 0x20 || c > 0x7e || c == '\\') throw use_dom{};
            ++p_;
        }
        if (p_ == end_) throw use_dom{};
        buf_.assign(start, p_++);
        return buf_;
    }
    void literal(const char* word) {
        const std::size_t n = std::strlen(word);
        if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) throw use_dom{};
        p_ += n;
    }
    void number() {
        const char* start = p_;
        const bool negative = *p_ == '-';
        if (negative) ++p_;
        if (p_ == end_ || !digit(*p_)) throw use_dom{};
        std::uint64_t v = 0;
        if (*p_ == '0') ++p_;
        else
            while (p_ != end_ && digit(*p_)) v = v * 10 + static_cast<std::uint64_t>(*p_++ - '0');
        const std::size_t int_digits = static_cast<std::size_t>(p_ - start) - (negative ? 1 : 0);
        bool floating = false;
        if (p_ != end_ && *p_ == '.') {
            floating = true;
            if (++p_ == end_ || !digit(*p_)) throw use_dom{};
            while (p_ != end_ && digit(*p_)) ++p_;
        }
        if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
            floating = true;
            ++p_;
            if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
            if (p_ == end_ || !digit(*p_)) throw use_dom{};
            while (p_ != end_ && digit(*p_)) ++p_;
        }
        if (!floating) {
            if (int_digits > 18) throw use_dom{};  // nlohmann may read it as a double
            if (negative) h_.number_integer(-static_cast<std::int64_t>(v));
            else h_.number_unsigned(v);
            return;
        }
        buf_.assign(start, p_);
        const double d = std::strtod(buf_.c_str(), nullptr);
        if (!std::isfinite(d)) throw use_dom{};  // nlohmann's error 406
        h_.number_float(d, buf_);
    }
    void value() {
        switch (next()) {
            case '{': {
                ++p_;
                h_.start_object(static_cast<std::size_t>(-1));
                if (next() == '}') {
                    ++p_;
                    h_.end_object();
                    return;
                }
                for (;;) {
                    if (next() != '"') throw use_dom{};
                    h_.key(string());
                    if (next() != ':') throw use_dom{};
                    ++p_;
                    value();
                    const char c = next();
                    ++p_;
                    if (c == '}') break;
                    if (c != ',') throw use_dom{};
                }
                h_.end_object();
                return;
            }
            case '[': {
                ++p_;
                h_.start_array(static_cast<std::size_t>(-1));
                if (next() == ']') {
                    ++p_;
                    h_.end_array();
                    return;
                }
                for (;;) {
                    value();
                    const char c = next();
                    ++p_;
                    if (c == ']') break;
                    if (c != ',') throw use_dom{};
                }
                h_.end_array();
                return;
            }
            case '"': h_.string(string()); return;
            case 't': literal("true"), h_.boolean(true); return;
            case 'f': literal("false"), h_.boolean(false); return;
            case 'n': literal("null"), h_.null(); return;
            default: number(); return;
        }
    }
};

}  // namespace

MdpData parse_mdp(const json& j, const std::string& file) { return read_mdp_document(j, file, nullptr); }

namespace detail {

MdpData read_mdp_text(const std::string& text, const std::string& source, const JsonLimits& limits, bool* fast) {
    if (fast) *fast = false;
    if (text.size() <= limits.max_bytes) {
        try {
            json skeleton;
            NumericTrees trees;
            MdpReader reader(source, limits.max_depth, skeleton, trees);
            PlainJsonScanner<MdpReader>(text, reader).run();
            MdpData m = read_mdp_document(skeleton, source, &trees);
            if (fast) *fast = true;
            return m;
        } catch (const use_dom&) {
        } catch (const std::exception&) {  // an input error: the DOM path below reports it as ever
        }
    }
    return parse_mdp(parse_json_text(text, source, limits), source);
}

}  // namespace detail

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

MdpData read_mdp(const std::string& path) {
    const JsonLimits limits = JsonLimits::from_environment();
    return detail::read_mdp_text(read_input_file(path, limits.max_bytes, "a JSON file"), path, limits, nullptr);
}
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
    json uj;
    uj["type"] = m.uncertainty.kind();
    // fields() hands out pointers for reading and writing alike; here they are only read.
    const_cast<Uncertainty&>(m.uncertainty).visit([&](auto& k) {
        for (const SetField& f : k.fields())
            if (f.numbers ? !f.numbers->empty() : f.kind != SetField::shape::word || *f.text != f.words.front())
                uj[f.name] = write_set_field(f, m);  // optional numbers left empty were absent
    });
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

std::vector<rational> parse_direction(const json& j, const PolicyData& pi, const std::string& file,
                                      const std::string& field) {
    const std::string rows = std::to_string(pi.S) + " rows of " + std::to_string(pi.A) + " numbers";
    if (!j.is_array() || j.size() != pi.S) throw input_error(file, field, "expected " + rows + " (one row per state)");
    std::vector<rational> delta;
    for (std::size_t s = 0; s < pi.S; ++s) {
        const std::string row = field + "[" + std::to_string(s) + "]";
        if (!j[s].is_array() || j[s].size() != pi.A)
            throw input_error(file, row, "expected " + std::to_string(pi.A) + " numbers (one per action)");
        rational sum = 0;
        for (std::size_t a = 0; a < pi.A; ++a) {
            const std::string entry = row + "[" + std::to_string(a) + "]";
            const rational d = parse_number(j[s][a], file, entry);
            if (d < 0 && pi.pi[s * pi.A + a] == 0)
                throw input_error(file, entry, "negative (" + d.str() + ") where pi(a|s) = 0: pi + t delta leaves the policy simplex for every t > 0");
            sum += d;
            delta.push_back(d);
        }
        if (sum != 0)
            throw input_error(file, row, "sums to " + sum.str() + ", not 0 (a feasible direction keeps every row of pi + t delta summing to 1)");
    }
    return delta;
}

}  // namespace rmdp
