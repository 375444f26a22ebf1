// Robust policy mirror descent: the prox steps (exact Euclidean projection, KL enclosures), the
// constant M, runs, and the RPMD claims' verdicts on small campaigns.
#include "../proofs_checks/registry.hpp"

#include "rmdp/error.hpp"
#include "rmdp/random.hpp"
#include "rmdp/rpmd.hpp"

#include <catch2/catch.hpp>
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

using namespace rmdp;

namespace {

// x is the projection of y iff x in Delta and <y - x, z - x> <= 0 for every z in Delta; affine in z,
// so the vertices z = e_a decide it. Exact.
bool is_projection(const Vector<rational>& y, const Vector<rational>& x) {
    rational sum = 0, rx = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (x[i] < 0) return false;
        sum += x[i];
        rx += (y[i] - x[i]) * x[i];
    }
    if (sum != 1) return false;
    for (std::size_t a = 0; a < x.size(); ++a)
        if (y[a] - x[a] - rx > 0) return false;
    return true;
}

Policy<rational> uniform(std::size_t S, std::size_t A) {
    Policy<rational> pi(S, A);
    for (auto& x : pi.data) x = rational(1, static_cast<long>(A));
    return pi;
}

}  // namespace

TEST_CASE("project_simplex: hand-computed projections", "[rpmd]") {
    CHECK(project_simplex(Vector<rational>{rational(1, 2), rational(1, 4), rational(-3)}) ==
          Vector<rational>{rational(5, 8), rational(3, 8), rational(0)});
    CHECK(project_simplex(Vector<rational>{rational(2), rational(0)}) == Vector<rational>{rational(1), rational(0)});
    CHECK(project_simplex(Vector<rational>{rational(1), rational(1), rational(1)}) ==
          Vector<rational>(3, rational(1, 3)));
    CHECK(project_simplex(Vector<rational>{rational(-7)}) == Vector<rational>{rational(1)});
    // Intervals: the sort and the threshold are filtered decisions; the result encloses the exact one.
    const Vector<mpfi_float> one = project_simplex(Vector<mpfi_float>{mpfi_float(1)});
    CHECK((lower_rational(one[0]) == 1 && upper_rational(one[0]) == 1));
    const Vector<mpfi_float> p = project_simplex(Vector<mpfi_float>{from_rational<mpfi_float>(rational(1, 2)),
                                                                     from_rational<mpfi_float>(rational(1, 4)), mpfi_float(-3)});
    CHECK((lower_rational(p[0]) <= rational(5, 8) && rational(5, 8) <= upper_rational(p[0])));
    CHECK((lower_rational(p[1]) <= rational(3, 8) && rational(3, 8) <= upper_rational(p[1])));
    CHECK((lower_rational(p[2]) == 0 && upper_rational(p[2]) == 0));
    // Tied entries that are not points: no enclosure orders them, so the projection says it cannot.
    const mpfi_float third = from_rational<mpfi_float>(rational(1, 3));
    CHECK_THROWS_AS(project_simplex(Vector<mpfi_float>{third, third}), undecided_comparison);
}

TEST_CASE("project_simplex: exact projection of random rational vectors (variational inequality)", "[rpmd]") {
    rc::prop("x = Proj(y) satisfies x in Delta and <y - x, e_a - x> <= 0", [] {
        const auto n = *rc::gen::inRange<std::size_t>(1, 7);
        Vector<rational> y;
        for (std::size_t i = 0; i < n; ++i)
            y.emplace_back(*rc::gen::inRange<long>(-40, 41), *rc::gen::inRange<long>(1, 9));
        if (n > 1 && *rc::gen::arbitrary<bool>()) y[1] = y[0];  // ties
        RC_ASSERT(is_projection(y, project_simplex(y)));
        // The double projection of the same y is within rounding of the exact one.
        Vector<double> yd;
        for (const auto& q : y) yd.push_back(q.convert_to<double>());
        const Vector<double> xd = project_simplex(yd);
        const Vector<rational> x = project_simplex(y);
        for (std::size_t i = 0; i < n; ++i) RC_ASSERT(std::abs(xd[i] - x[i].convert_to<double>()) <= 1e-12);
    });
}

TEST_CASE("mirror_step: Euclidean readings differ by eta/2, KL encloses and refuses rationals", "[rpmd]") {
    Policy<rational> pi(1, 3);
    pi(0, 0) = rational(1, 2);
    pi(0, 1) = rational(1, 3);
    pi(0, 2) = rational(1, 6);
    Matrix<rational> Q(1, 3);
    Q(0, 0) = 1;
    Q(0, 1) = 0;
    Q(0, 2) = rational(1, 2);
    const Policy<rational> half = mirror_step(pi, Q, rational(1), bregman::euclid);
    CHECK(half.data == mirror_step(pi, Q, rational(2), bregman::euclid_w).data);
    // Proj(-1/2, 1/3, -1/3): support {1, 2}, tau = (1/3 - 1/3 - 1)/2 = -1/2, so (0, 5/6, 1/6).
    CHECK(half.data == std::vector<rational>{0, rational(5, 6), rational(1, 6)});
    REQUIRE_THROWS_AS(mirror_step(pi, Q, rational(1), bregman::kl), std::invalid_argument);

    set_working_precision(128);
    Policy<mpfi_float> pii(1, 3), Qi(1, 3);
    for (std::size_t i = 0; i < 3; ++i) {
        pii.data[i] = from_rational<mpfi_float>(pi.data[i]);
        Qi.data[i] = from_rational<mpfi_float>(Q.data[i]);
    }
    const Policy<mpfi_float> enc = mirror_step(pii, Qi, from_rational<mpfi_float>(rational(1)), bregman::kl);
    // pi e^{-Q}/Z in double must lie in the enclosure (up to double rounding), and the enclosures are narrow.
    const double w[3] = {0.5 * std::exp(-1.0), 1.0 / 3.0, (1.0 / 6.0) * std::exp(-0.5)};
    const double Z = w[0] + w[1] + w[2];
    for (std::size_t a = 0; a < 3; ++a) {
        const rational lo = lower_rational(enc.data[a]), hi = upper_rational(enc.data[a]);
        CHECK(hi - lo < rational(1, 1000000000));
        CHECK(std::abs(lo.convert_to<double>() - w[a] / Z) < 1e-15);
    }
    // A zero probability stays zero (KL keeps the support).
    pii(0, 2) = mpfi_float(0);
    pii(0, 1) = from_rational<mpfi_float>(rational(1, 2));
    const Policy<mpfi_float> enc0 = mirror_step(pii, Qi, from_rational<mpfi_float>(rational(1)), bregman::kl);
    CHECK(scalar_traits<mpfi_float>::eq(enc0(0, 2), mpfi_float(0)) == truth::yes);
}

TEST_CASE("rpmd_constant: M is the sup over U of ||d_rho^{pi*,u}/rho||_inf", "[rpmd]") {
    rc::prop("M >= the ratio for kernels of U, attained by a worst-case kernel", [] {
        GeneratorOptions opt;
        opt.max_states = *rc::gen::inRange<std::size_t>(1, 5);
        opt.max_actions = *rc::gen::inRange<std::size_t>(1, 4);
        Rng rng(*rc::gen::inRange<std::uint64_t>(0, 1000000));
        const MdpData m = random_unit_cost_robust_mdp(rng, opt, 1000);
        for (const auto& r : m.rho) RC_ASSERT(r > 0);
        for (const auto& c : m.cost) RC_ASSERT(c >= 0 && c <= 1);
        const Mdp<rational> mq = convert<rational>(m);
        const UncertaintySet<rational> U = convert<rational>(m.uncertainty);
        const RobustSolution<rational> sol = robust_solve(mq, U);
        const RpmdConstant c = rpmd_constant(m, sol.policy);
        RC_ASSERT(c.M.has_value());
        RC_ASSERT(*c.M >= 1);  // d_rho and rho are both probability vectors
        // Kernels of U: the nominal one and worst cases of other vectors.
        std::vector<Kernel<rational>> kernels{mq.P, worst_case_kernel(U, mq.P, sol.V)};
        Vector<rational> other(m.S);
        for (std::size_t s = 0; s < m.S; ++s) other[s] = rational(static_cast<long>((s * 7) % 5));
        kernels.push_back(worst_case_kernel(U, mq.P, other));
        for (const auto& P : kernels) {
            const Vector<rational> d = occupancy(mq, P, sol.policy, mq.rho);
            for (std::size_t s = 0; s < m.S; ++s) {
                RC_ASSERT(d[s] <= c.sup_visits[s]);
                RC_ASSERT(d[s] / m.rho[s] <= *c.M);
            }
        }
        RC_ASSERT(c.sup_visits[c.argmax] / m.rho[c.argmax] == *c.M);
    });
}

TEST_CASE("rpmd_constant: without uncertainty M = max_s d_rho^{pi*}(s)/rho(s), and rho = 0 gives infinity", "[rpmd]") {
    MdpData m;
    m.S = 2;
    m.A = 1;
    m.gamma = rational(1, 2);
    m.cost = {0, 1};
    m.P = Kernel<rational>(2, 1);
    m.P.set(0, 0, 1, 1);  // 0 -> 1 -> 1
    m.P.set(1, 0, 1, 1);
    m.rho = {rational(1, 2), rational(1, 2)};
    const Policy<rational> pi = uniform(2, 1);
    // d_rho = (1/2)(1/2, 1/2) + (1/2)(0, 1) = (1/4, 3/4); ratios 1/2 and 3/2.
    RpmdConstant c = rpmd_constant(m, pi);
    REQUIRE(c.M);
    CHECK(*c.M == rational(3, 2));
    CHECK(c.argmax == 1);
    m.rho = {1, 0};  // state 1 is visited but has rho = 0
    c = rpmd_constant(m, pi);
    CHECK(!c.M);
}

TEST_CASE("rpmd_run: exact Euclidean runs decrease f and stop at fixed points", "[rpmd]") {
    rc::prop("f_rho(pi_k) is non-increasing and pi_{k+1} = mirror_step(pi_k)", [] {
        GeneratorOptions opt;
        opt.max_states = 3;
        opt.max_actions = 3;
        Rng rng(*rc::gen::inRange<std::uint64_t>(0, 1000000));
        const MdpData m = random_unit_cost_robust_mdp(rng, opt, 1000);
        const Mdp<rational> mq = convert<rational>(m);
        const UncertaintySet<rational> U = convert<rational>(m.uncertainty);
        RpmdOptions o;
        o.eta = rational(*rc::gen::inRange<long>(1, 9), 4);
        o.steps = *rc::gen::inRange<std::size_t>(0, 4);
        o.D = *rc::gen::element(bregman::euclid, bregman::euclid_w);
        const RpmdRun<rational> run = rpmd_run(mq, U, uniform(m.S, m.A), o);
        RC_ASSERT(!run.iterates.empty());
        RC_ASSERT(run.iterates.size() <= o.steps + 1);
        for (std::size_t k = 0; k + 1 < run.iterates.size(); ++k) {
            RC_ASSERT(run.iterates[k + 1].f <= run.iterates[k].f);
            RC_ASSERT(mirror_step(run.iterates[k].pi, run.iterates[k].Q, o.eta, o.D).data == run.iterates[k + 1].pi.data);
        }
        if (run.iterates.size() < o.steps + 1) RC_ASSERT(run.stop.rfind("fixed point", 0) == 0);
    });
}

TEST_CASE("RPMD claims: computed verdicts on small campaigns", "[rpmd]") {
    checks::CampaignOptions opt;
    opt.trials = 40;
    for (const char* id : {"three-point:euclid", "rpmd-monotone", "rpmd-monotone:kl", "euclid-bregman-gap", "rpmd-recursion",
                           "rpmd-recursion:kl", "rpmd-recursion:sharp", "rpmd-step-sum", "rpmd-step-sum:sharp",
                           "rpmd-sublinear", "rpmd-sublinear:sharp"}) {
        const checks::Claim* c = checks::find_claim(id);
        REQUIRE(c);
        const checks::Report r = checks::run_campaign(*c, opt);
        INFO(id << ": " << r.detail);
        CHECK(r.verdict == "holds");
        CHECK(r.instances == 40);
        CHECK(r.vacuous == 0);  // the draws start at |A| = 2 and redraw policies that are fixed points
    }
    // The KL three-point relation is an identity: intervals certify it only up to a width.
    const checks::Report kl = checks::run_campaign(*checks::find_claim("three-point:kl"), opt);
    INFO(kl.detail);
    CHECK(kl.verdict == "tight");
    // Euclidean claims in intervals: the projections and robust values enclosed, orderings and
    // inequalities filtered (decided by the enclosures or the instance rerun exactly): same verdict.
    opt.arith = parse_arith("interval:64");
    opt.trials = 3;
    CHECK(checks::run_campaign(*checks::find_claim("rpmd-recursion"), opt).verdict == "holds");
    // The KL readings always go through MPFI: at 64 bits they still decide.
    CHECK(checks::run_campaign(*checks::find_claim("rpmd-recursion:kl"), opt).verdict == "holds");
}

TEST_CASE("RPMD draws: |A| >= 2 and a first step that moves and both schedules for rpmd-recursion", "[rpmd]") {
    const checks::Claim* rec = checks::find_claim("rpmd-recursion");
    const checks::Claim* sub = checks::find_claim("rpmd-sublinear");
    std::size_t linear = 0;
    for (std::size_t trial = 0; trial < 40; ++trial) {
        Rng rng(trial_seed(1, trial));
        const checks::Instance inst = rec->draw(rng, GeneratorOptions{}, trial);
        CHECK(inst.mdp.A >= 2);
        linear += inst.extra.at("schedule") == "linear";
        Rng rng2(trial_seed(1, trial));
        CHECK(!sub->draw(rng2, GeneratorOptions{}, trial).extra.contains("schedule"));  // constant eta only
    }
    CHECK(linear > 5);
    CHECK(linear < 35);
}

TEST_CASE("V_r is Lipschitz in pi: |V_r^{pi'} - V_r^pi| <= (c_max - c_min)/(2(1-gamma)^2) times the max row l1 distance", "[rpmd]") {
    // The constant the KL readings use to enclose V_r at an irrational KL step (docs/rpmd.md).
    rc::prop("exact, random robust MDPs and policy pairs", [] {
        GeneratorOptions opt;
        opt.max_states = *rc::gen::inRange<std::size_t>(1, 5);
        opt.max_actions = *rc::gen::inRange<std::size_t>(1, 4);
        Rng rng(*rc::gen::inRange<std::uint64_t>(0, 1000000));
        const MdpData md = random_robust_mdp(rng, opt, 1000);
        const Mdp<rational> m = convert<rational>(md);
        const UncertaintySet<rational> U = convert<rational>(md.uncertainty);
        const Policy<rational> x = convert<rational>(random_policy(rng, md, opt)), y = convert<rational>(random_policy(rng, md, opt));
        rational cmax = md.cost.front(), cmin = cmax, dist = 0;
        for (const auto& c : md.cost) cmax = std::max(cmax, c), cmin = std::min(cmin, c);
        for (std::size_t s = 0; s < m.S; ++s) {
            rational row = 0;
            for (std::size_t a = 0; a < m.A; ++a) row += abs(x(s, a) - y(s, a));
            dist = std::max(dist, row);
        }
        const rational L = (cmax - cmin) / (2 * (1 - md.gamma) * (1 - md.gamma));
        const Vector<rational> Vx = robust_value(m, U, x).V, Vy = robust_value(m, U, y).V;
        for (std::size_t s = 0; s < m.S; ++s) RC_ASSERT(abs(Vx[s] - Vy[s]) <= L * dist);
    });
}

TEST_CASE("kl_step_certified: the exact point is in the simplex and within error of the enclosure and the limits", "[rpmd]") {
    set_working_precision(128);
    Policy<rational> pi(2, 3);
    pi.data = {rational(1, 2), rational(1, 3), rational(1, 6), rational(1, 4), rational(1, 4), rational(1, 2)};
    Matrix<rational> Q(2, 3);
    Q.data = {1, 0, rational(1, 2), 3, 3, 3};  // row 1 constant: the step keeps it exactly
    const CertifiedKlStep st = kl_step_certified(pi, Q, rational(2));
    CHECK(st.error > 0);
    CHECK(st.error < rational(1, 1000000000));
    for (std::size_t s = 0; s < 2; ++s) {
        rational sum = 0;
        for (std::size_t a = 0; a < 3; ++a) {
            sum += st.point(s, a);
            CHECK(lower_rational(st.enclosure(s, a)) - st.error <= st.point(s, a));
            CHECK(st.point(s, a) <= upper_rational(st.enclosure(s, a)) + st.error);
        }
        CHECK(sum == 1);
    }
    for (std::size_t a = 0; a < 3; ++a) CHECK(st.point(1, a) == pi(1, a));
    CHECK(kl_step_exponent(pi, Q, rational(2)) == 2);
    // eta * span Q beyond the exact-iterate limit is refused (input), never an internal error.
    CHECK_THROWS_AS(kl_step_certified(pi, Q, rational(5000)), std::invalid_argument);
    // An MPFI step whose exponent leaves MPFR's range is refused instead of touching 0.
    Policy<mpfi_float> pii(2, 3), Qi(2, 3);
    for (std::size_t i = 0; i < 6; ++i) {
        pii.data[i] = from_rational<mpfi_float>(pi.data[i]);
        Qi.data[i] = from_rational<mpfi_float>(Q.data[i]);
    }
    CHECK_THROWS_AS(mirror_step(pii, Qi, from_rational<mpfi_float>(rational(1e30)), bregman::kl), std::invalid_argument);
}

TEST_CASE("RPMD claims: a wrong step is caught (the checks can fail)", "[rpmd]") {
    // The three-point inequality at p = pi_k reads eta <Q, y - x> <= -||y - x||^2 for D = 1/2||.||^2:
    // a "step" that moves towards higher Q violates it. Checked on the sides the claim compares.
    Policy<rational> x(1, 2), y(1, 2);
    x(0, 0) = x(0, 1) = rational(1, 2);
    y(0, 0) = 1;  // moves all mass to action 0, which has the higher Q
    Matrix<rational> Q(1, 2);
    Q(0, 0) = 1;
    const rational lhs = inner_at(Q, y, 0) - inner_at(Q, x, 0);
    const rational rhs = -bregman_divergence(bregman::euclid, x, y, 0) - bregman_divergence(bregman::euclid, y, x, 0);
    CHECK(!(lhs <= rhs));
    // ... while the true step satisfies it.
    const Policy<rational> z = mirror_step(x, Q, rational(1), bregman::euclid);
    CHECK(inner_at(Q, z, 0) - inner_at(Q, x, 0) <=
          -bregman_divergence(bregman::euclid, x, z, 0) - bregman_divergence(bregman::euclid, z, x, 0));
}
