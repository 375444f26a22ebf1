// craam2 CSV through the library: hand-written CSV twins solve to the same exact V* and pi* as their
// hand-written JSON twins; write_csv_mdp / read_csv_mdp round-trip generated MDPs exactly; decimals
// are exact; the public generators (rmdp/testing.hpp) give what they promise.
#include "rmdp/csv.hpp"
#include "rmdp/io.hpp"
#include "rmdp/solvers.hpp"
#include "rmdp/srect.hpp"
#include "rmdp/testing.hpp"

#include <catch2/catch.hpp>
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <unistd.h>

using namespace rmdp;

namespace {

const std::string dir = RMDP_FORMATS_DIR;

MdpInputOptions csv_options(const char* gamma, bool absorbing = false, bool normalise = false, std::string unc = "") {
    MdpInputOptions o;
    o.gamma = parse_rational(gamma);
    o.absorbing = absorbing;
    o.normalise = normalise;
    o.uncertainty_path = unc.empty() ? unc : dir + "/" + unc;
    return o;
}

void same_solution(const std::string& name, const MdpInputOptions& o) {
    const MdpData c = read_mdp_input(dir + "/" + name + ".csv", o);
    const MdpData j = read_mdp_input(dir + "/" + name + ".json", MdpInputOptions{});
    REQUIRE(c.S == j.S);
    REQUIRE(c.A == j.A);
    CHECK(c.gamma == j.gamma);
    CHECK(c.cost == j.cost);
    CHECK(c.P == j.P);
    CHECK(c.rho == j.rho);
    CHECK(to_json(c)["uncertainty"] == to_json(j)["uncertainty"]);
    const auto mc = convert<rational>(c), mj = convert<rational>(j);
    const auto uc = convert<rational>(c.uncertainty), uj = convert<rational>(j.uncertainty);
    const RobustSolution<rational> sc = robust_solve(mc, uc), sj = robust_solve(mj, uj);
    CHECK(is_robust_optimal(mc, uc, sc.policy, sc.V));
    CHECK(sc.V == sj.V);
    CHECK(sc.policy.data == sj.policy.data);
}

}  // namespace

TEST_CASE("CSV twins solve to the same exact V* as their JSON twins", "[formats]") {
    same_solution("twin-nominal", csv_options("0.9"));
    same_solution("twin-l1", csv_options("0.95", false, false, "twin-l1.uncertainty.json"));
    same_solution("twin-absorbing", csv_options("1/2", true));
    same_solution("twin-normalise", csv_options("0.3", false, true));
}

TEST_CASE("CSV decimals are exact: 0.1 is 1/10", "[formats]") {
    const MdpData m = read_mdp_input(dir + "/twin-nominal.csv", csv_options("0.9"));
    CHECK(m.P(0, 0, 0) == rational(1, 10));
    CHECK(m.gamma == rational(9, 10));
    CHECK(m.cost[0] == rational(-43, 100));
}

TEST_CASE("exact_decimal is exact and terminating where it can be", "[formats]") {
    CHECK(exact_decimal(rational(1, 10)) == "0.1");
    CHECK(exact_decimal(rational(-43, 100)) == "-0.43");
    CHECK(exact_decimal(rational(7, 8)) == "0.875");
    CHECK(exact_decimal(rational(-3)) == "-3");
    CHECK(exact_decimal(rational(1, 3)) == "1/3");
    CHECK(exact_decimal(rational(0)) == "0");
    rc::prop("parse_rational(exact_decimal(x)) == x", [] {
        const auto p = *rc::gen::inRange<long>(-100000, 100000);
        const auto q = *rc::gen::element(1L, 2L, 3L, 4L, 5L, 8L, 10L, 16L, 20L, 25L, 125L, 1024L, 7L, 12L, 1000000L);
        const rational x(p, q);
        const std::string t = exact_decimal(x);
        RC_ASSERT(parse_rational(t) == x);
        integer d = boost::multiprecision::denominator(x);
        while (d % 2 == 0) d /= 2;
        while (d % 5 == 0) d /= 5;
        RC_ASSERT((t.find('/') == std::string::npos) == (d == 1));  // a decimal exactly when one exists
    });
}

TEST_CASE("write_csv_mdp then read_csv_mdp gives the MDP back (generated MDPs, robust sets with ties)", "[formats]") {
    rc::prop("round trip through CSV", [] {
        MdpData m = *testing::gen_robust_mdp();
        m.rho.assign(m.S, rational(1, static_cast<long>(m.S)));  // CSV holds no rho: uniform
        const bool all = *rc::gen::arbitrary<bool>();
        std::ostringstream text;
        write_csv_mdp(text, m, all);
        const std::string path =
            (std::filesystem::temp_directory_path() / ("rmdp-format-test-" + std::to_string(::getpid()) + ".csv")).string();
        {
            std::ofstream f(path);
            f << text.str();
        }
        CsvReadOptions o;
        o.gamma = m.gamma;
        const MdpData r = read_csv_mdp(path, o);
        std::remove(path.c_str());
        RC_ASSERT(r.S == m.S);
        RC_ASSERT(r.A == m.A);
        RC_ASSERT(r.P == m.P);
        RC_ASSERT(r.cost == m.cost);
        RC_ASSERT(r.rho == m.rho);
    });
}

TEST_CASE("public generators: valid instances, feasible directions", "[formats][testing]") {
    rc::prop("gen_robust_mdp, gen_policy, gen_direction", [] {
        const MdpData m = *testing::gen_robust_mdp();
        validate(m, "generated");
        const PolicyData pi = *testing::gen_policy(m);
        validate(pi, m, "generated");
        const std::vector<rational> d = *testing::gen_direction(pi);
        RC_ASSERT(d.size() == m.S * m.A);
        for (std::size_t s = 0; s < m.S; ++s) {
            rational sum = 0;
            for (std::size_t a = 0; a < m.A; ++a) {
                sum += d[s * m.A + a];
                RC_ASSERT(pi.pi[s * m.A + a] + d[s * m.A + a] >= 0);  // pi + delta is a policy
            }
            RC_ASSERT(sum == 0);
        }
    });
}

// Kernels are stored sparsely (kernel.hpp); a file gives them dense ("P", zeros dropped) or sparse
// ("P_sparse"). The two forms of one MDP must be the same MDP: the same stored kernel and the same
// exact answers, for every set kind the generator draws (the set's own fields stay dense).
TEST_CASE("P and P_sparse of the same MDP: the same kernel and the same answers, every set kind", "[formats][sparse]") {
    rc::prop("dense and sparse twins", [] {
        MdpData m = *testing::gen_robust_mdp();
        // The generator draws none / l1 / interval / finite / weighted-l1; kl and s-l1 here.
        Rng rng(*rc::gen::inRange<std::uint64_t>(0, 1000000));
        const int pick = *rc::gen::inRange(0, 6);
        if (pick == 4) m.uncertainty = Uncertainty(KLBall<rational>::draw(rng, m.P, GeneratorOptions{}));
        if (pick == 5) m.uncertainty = Uncertainty(SL1Ball<rational>::draw(rng, m.P, GeneratorOptions{}));
        nlohmann::json dense = to_json(m), sparse = dense;
        sparse.erase("P");
        nlohmann::json rows = nlohmann::json::array();
        for (std::size_t s = 0; s < m.S; ++s) {
            nlohmann::json per_action = nlohmann::json::array();
            for (std::size_t a = 0; a < m.A; ++a) {
                nlohmann::json list = nlohmann::json::array();
                for (std::size_t k = m.P.row(s, a).size(); k-- > 0;)  // listed in reverse: order is free
                    list.push_back({m.P.row(s, a)[k].to, m.P.row(s, a)[k].p.str()});
                const std::size_t t = (s + a) % m.S;
                if (m.P(s, a, t) == 0 && *rc::gen::inRange(0, 4) == 0) list.push_back({t, "0"});  // a listed zero
                per_action.push_back(list);
            }
            rows.push_back(per_action);
        }
        sparse["P_sparse"] = rows;
        const MdpData d = parse_mdp(dense, "dense.json"), p = parse_mdp(sparse, "sparse.json");
        RC_ASSERT(d.P == m.P);
        RC_ASSERT(p.P == m.P);
        for (const auto& row : p.P.rows)
            for (const auto& e : row) RC_ASSERT(e.p != 0);  // zeros are not stored
        RC_TAG(m.uncertainty.kind());
        const SetTraits traits = m.uncertainty.traits();
        const PolicyData pi = *testing::gen_policy(m);
        if (traits.s_rectangular) {
            const auto& Ud = *d.uncertainty.get<SL1Ball<rational>>();
            const auto& Up = *p.uncertainty.get<SL1Ball<rational>>();
            const auto vd = s_robust_value(convert<rational>(d), Ud, convert<rational>(pi));
            const auto vp = s_robust_value(convert<rational>(p), Up, convert<rational>(pi));
            RC_ASSERT(vd.V == vp.V);
            RC_ASSERT(vd.kernel == vp.kernel);
        } else if (traits.exact) {
            const auto vd = robust_value(convert<rational>(d), convert<rational>(d.uncertainty), convert<rational>(pi));
            const auto vp = robust_value(convert<rational>(p), convert<rational>(p.uncertainty), convert<rational>(pi));
            RC_ASSERT(vd.V == vp.V);
            RC_ASSERT(vd.kernel == vp.kernel);
            const auto sd = robust_solve(convert<rational>(d), convert<rational>(d.uncertainty));
            const auto sp = robust_solve(convert<rational>(p), convert<rational>(p.uncertainty));
            RC_ASSERT(sd.V == sp.V);
            RC_ASSERT(sd.policy.data == sp.policy.data);
        } else {
            const auto vd = robust_value(convert<double>(d), convert<double>(d.uncertainty), convert<double>(pi));
            const auto vp = robust_value(convert<double>(p), convert<double>(p.uncertainty), convert<double>(pi));
            RC_ASSERT(vd.V == vp.V);  // the same computation on the same numbers: bit for bit
        }
    });
}

// ---------------------------------------------------------------------------------------------
// read_mdp's fast path (io.hpp, detail::read_mdp_text: SAX straight to exact rationals for the big
// arrays) against the DOM path parse_mdp(parse_json_text(...)): the same MdpData, or the same error.

namespace {

// The same numbers spelled as the format allows (docs/format.md): "p/q", JSON integers, exact
// binary fractions as float literals, terminating decimals as strings; and P as P_sparse (zeros
// listed or not, pairs in shuffled order). The value of every number is unchanged.
struct Respeller {
    Rng& rng;
    json number(const rational& q) {
        const integer num = numerator(q), den = denominator(q);
        switch (rng.below(5)) {
            case 0:
                if (den == 1 && abs(num) < integer(1) << 62) return json(num.convert_to<std::int64_t>());
                break;
            case 1:
                if ((den & (den - 1)) == 0 && den <= 1024 && abs(num) < integer(1) << 40)
                    return json(num.convert_to<double>() / den.convert_to<double>());  // exact: a binary fraction
                break;
            case 2: {
                // p/q with q | 10^k: a decimal string "-0.125"
                integer scale = 1;
                int k = 0;
                while (k < 12 && scale % den != 0) scale *= 10, ++k;
                if (scale % den != 0) break;
                const integer digits = abs(num) * (scale / den);
                std::string s = digits.str();
                if (k > 0) {
                    if (s.size() <= static_cast<std::size_t>(k)) s = std::string(k + 1 - s.size(), '0') + s;
                    s.insert(s.size() - k, ".");
                }
                return json((num < 0 ? "-" : "") + s);
            }
            default: break;
        }
        return json(q.str());
    }
    void walk(json& j) {
        if (j.is_array() || j.is_object())
            for (auto& x : j) walk(x);
        else if (j.is_string())
            if (rational q; try_parse(j.get<std::string>(), q)) j = number(q);
    }
    static bool try_parse(const std::string& s, rational& q) {
        try {
            q = parse_rational(s);
            return true;
        } catch (const std::invalid_argument&) {
            return false;
        }
    }
    void sparsify(json& doc, const MdpData& m) {
        json sp = json::array();
        for (std::size_t s = 0; s < m.S; ++s) {
            json row = json::array();
            for (std::size_t a = 0; a < m.A; ++a) {
                json list = json::array();
                std::vector<std::size_t> order(m.S);
                for (std::size_t t = 0; t < m.S; ++t) order[t] = t;
                for (std::size_t i = m.S; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
                const bool zeros = rng.chance(1, 2);
                for (std::size_t t : order)
                    if (zeros || m.P(s, a, t) != 0) list.push_back(json::array({t, number(m.P(s, a, t))}));
                row.push_back(list);
            }
            sp.push_back(row);
        }
        doc.erase("P");
        doc["P_sparse"] = sp;
    }
};

MdpData fast_read(const std::string& text, bool* fast = nullptr) {
    return rmdp::detail::read_mdp_text(text, "t.json", JsonLimits{}, fast);
}
MdpData dom_read(const std::string& text) { return parse_mdp(parse_json_text(text, "t.json", JsonLimits{}), "t.json"); }

// The message of the error `read` throws, "" if none.
template <class F>
std::string error_of(F read) {
    try {
        (void)read();
    } catch (const input_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("read_mdp's fast path gives the DOM path's MdpData: every set kind, P and P_sparse, every number spelling",
          "[formats][io]") {
    std::set<std::string> kinds;
    for (std::uint64_t seed = 0; seed < 240; ++seed) {
        Rng rng(seed);
        GeneratorOptions opt;
        opt.transcendental_sets = true;  // kl too
        const MdpData m = seed % 8 == 7 ? random_s_rectangular(rng, opt, 1000) : random_robust_mdp(rng, opt, 1000);
        kinds.insert(m.uncertainty.kind());
        json doc = to_json(m);
        Respeller sp{rng};
        if (rng.chance(1, 2)) sp.sparsify(doc, m);
        sp.walk(doc);
        const std::string text = doc.dump(rng.chance(1, 2) ? -1 : 1);
        bool fast = false;
        const MdpData a = fast_read(text, &fast);
        INFO("seed " << seed << ": " << text.substr(0, 300));
        REQUIRE(fast);  // read by the fast path, not by its fallback
        const json ja = to_json(a);
        REQUIRE(ja == to_json(dom_read(text)));
        REQUIRE(ja == to_json(m));  // and it is the MDP written
    }
    CHECK(kinds == std::set<std::string>{"none", "l1", "interval", "finite", "kl", "weighted-l1", "s-l1"});
}

TEST_CASE("read_mdp's fast path reports every error of the DOM path, word for word", "[formats][io]") {
    Rng rng(7);
    GeneratorOptions opt;
    opt.min_states = 3;
    opt.max_states = 3;
    opt.min_actions = 2;
    opt.max_actions = 2;
    MdpData m = random_robust_mdp(rng, opt, 1000);
    m.uncertainty = L1Ball<rational>{std::vector<rational>(m.S * m.A, rational(1, 4))};
    const json good = to_json(m);
    json sparse = good;
    Respeller{rng}.sparsify(sparse, m);
    // Bad values in each big array, at a leaf and as a whole row.
    const std::vector<json> bad = {"1/0", "abc", "nan", "", true, nullptr, json::object({{"x", 1}}), json::array({1}),
                                   json::parse("18446744073709551615"), json::parse("-9223372036854775808"),
                                   json::parse("1e300"), "-1/3", 5, json::array()};
    std::size_t compared = 0;
    for (const json& b : bad) {
        std::vector<json> docs;
        for (const char* at : {"/cost/1/0", "/P/2/1/0", "/rho/2", "/uncertainty/radius/0/1", "/cost/1", "/P/0/1", "/rho"}) {
            json d = good;
            d[json::json_pointer(at)] = b;
            docs.push_back(d);
        }
        for (const char* at : {"/P_sparse/1/0/0/1", "/P_sparse/1/0/0/0", "/P_sparse/1/0/0", "/P_sparse/2/1"}) {
            json d = sparse;
            d[json::json_pointer(at)] = b;
            docs.push_back(d);
        }
        for (const json& d : docs) {
            const std::string text = d.dump();
            const std::string want = error_of([&] { return dom_read(text); });
            INFO(text.substr(0, 400));
            CHECK(error_of([&] { return fast_read(text); }) == want);
            compared += !want.empty();
        }
    }
    CHECK(compared > 100);  // errors were compared, not only successes
    // Text-level refusals: underflow, duplicate keys (inside the big arrays' objects too), depth, syntax.
    const std::string base = good.dump();
    const std::vector<std::string> texts = {
        std::regex_replace(base, std::regex("\"cost\":\\[\\["), "\"cost\":[[1e-400,"),
        std::regex_replace(base, std::regex("\"rho\":\\["), "\"rho\":[1e999,"),
        std::regex_replace(base, std::regex("\"states\":3"), "\"states\":3,\"states\":3"),
        std::regex_replace(base, std::regex("\"radius\":"), "\"radius\":[{\"a\":1,\"a\":2}],\"r\":"),
        std::regex_replace(base, std::regex("\"P\":\\["), "\"P\":" + std::string(80, '[')),
        std::regex_replace(base, std::regex("\"rho\":\\["), "\"rho\":[,"),
        base.substr(0, base.size() / 2)};
    for (const std::string& t : texts) {
        const std::string want = error_of([&] { return dom_read(t); });
        INFO(t.substr(0, 200));
        CHECK(!want.empty());
        CHECK(error_of([&] { return fast_read(t); }) == want);
    }
    // One message pinned: file, field (built lazily), problem.
    json d = good;
    d["P"][2][1][0] = "1/0";
    CHECK(error_of([&] { return fast_read(d.dump()); }) == "t.json: field 'P[2][1][0]': '1/0' has denominator zero");
}

TEST_CASE("read_mdp's scanner leaves escapes, other bytes and long integers to the DOM path, with the same MdpData",
          "[formats][io]") {
    const std::string mdp = R"("states": 2, "actions": 1, "gamma": 0.5e0, "cost": [[-0], [1E1]],
        "P": [[[0.25, "3/4"]], [["0.5", 0.5]]], "rho": [1, "0"], "uncertainty": {"type": "l1", "radius": [["1/4"], [2]]})";
    const std::vector<std::pair<std::string, bool>> cases = {
        {"{" + mdp + "}", true},
        {"\t{ " + mdp + " }\r\n", true},
        {"{" + mdp + R"(, "comment": "tab\tand \"quotes\"")" + "}", false},
        {"{" + mdp + ", \"comment\": \"caf\xc3\xa9\"}", false},
        {"{" + mdp + ", \"comment\": 123456789012345678901234}", false},
        {"{" + mdp + ", \"comment\": [1.5e-3, true, false, null, {}, []]}", true},
    };
    for (const auto& [text, scanned] : cases) {
        INFO(text);
        bool fast = false;
        const MdpData a = fast_read(text, &fast);
        CHECK(fast == scanned);
        CHECK(to_json(a) == to_json(dom_read(text)));
    }
}
