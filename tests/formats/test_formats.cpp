// craam2 CSV through the library: hand-written CSV twins solve to the same exact V* and pi* as their
// hand-written JSON twins; write_csv_mdp / read_csv_mdp round-trip generated MDPs exactly; decimals
// are exact; the public generators (rmdp/testing.hpp) give what they promise.
#include "rmdp/csv.hpp"
#include "rmdp/solvers.hpp"
#include "rmdp/srect.hpp"
#include "rmdp/testing.hpp"

#include <catch2/catch.hpp>
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
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
