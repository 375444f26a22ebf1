// Certificates of exact robust results (certificate.hpp). Untrusted by design: a certificate that
// is wrong is rejected by the checker in formal/, so nothing is double-checked here.
#include "rmdp/certificate.hpp"

#include "rmdp/solvers.hpp"

#include <algorithm>
#include <stdexcept>

namespace rmdp {

namespace {

rational max_of(const Vector<rational>& V) { return *std::max_element(V.begin(), V.end()); }
rational min_of(const Vector<rational>& V) { return *std::min_element(V.begin(), V.end()); }

}  // namespace

RowDual row_dual(const UncertaintySet<rational>& U, const Kernel<rational>& nominal, std::size_t s, std::size_t a,
                 const Vector<rational>& V, const rational* p) {
    const std::size_t n = V.size();
    RowDual d;
    d.type = U.kind();
    if (U.get<NominalSet<rational>>()) {
    } else if (const auto* l1 = U.get<L1Ball<rational>>()) {
        if (l1->nominal_support()) throw input_error("", "uncertainty.support", "no formal certificate for nominal-support l1 sets");
        const rational r = l1->radius[s * nominal.A + a];
        rational dist(0);
        bool lost = false;
        rational top_lost(0);
        for (std::size_t i = 0; i < n; ++i) {
            const rational& q = nominal(s, a, i);
            dist += abs(p[i] - q);
            if (p[i] < q && (!lost || V[i] > top_lost)) {
                top_lost = V[i];
                lost = true;
            }
        }
        const rational vmax = max_of(V);
        if (dist < r) {
            d.mu = vmax;
            d.lambda = 0;
        } else if (!lost) {
            d.mu = min_of(V);
            d.lambda = vmax - d.mu;
        } else {
            d.mu = (vmax + top_lost) / 2;
            d.lambda = (vmax - top_lost) / 2;
        }
    } else if (const auto* box = U.get<IntervalSet<rational>>()) {
        const std::size_t base = (s * nominal.A + a) * n;
        bool raised = false, below = false;
        rational lowest_raised(0), highest_below(0);
        for (std::size_t i = 0; i < n; ++i) {
            if (p[i] > box->lower[base + i] && (!raised || V[i] < lowest_raised)) {
                lowest_raised = V[i];
                raised = true;
            }
            if (p[i] < box->upper[base + i] && (!below || V[i] > highest_below)) {
                highest_below = V[i];
                below = true;
            }
        }
        d.mu = raised ? lowest_raised : below ? highest_below : rational(0);
    } else if (const auto* fin = U.get<FiniteSet<rational>>()) {
        const auto& pts = fin->points[s * nominal.A + a];
        const InnerProducts<rational> dot(V);
        bool found = false;
        for (std::size_t k = 0; k < pts.size(); ++k) {
            d.values.push_back(dot(pts[k].data()));
            if (!found && std::equal(pts[k].begin(), pts[k].end(), p)) {
                d.index = k;
                found = true;
            }
        }
    } else {
        throw input_error("", "uncertainty.type", std::string("no formal certificate for '") + U.kind() + "' sets");
    }
    return d;
}

namespace {

RobustCertificate with_evidence(const Mdp<rational>& mq, const UncertaintySet<rational>& U, Policy<rational> pi,
                                Vector<rational> V, bool optimal) {
    RobustCertificate c;
    c.optimal = optimal;
    c.policy = std::move(pi);
    c.V = std::move(V);
    c.worst_case = worst_case_kernel(U, mq.P, c.V);
    Vector<rational> p;  // dense row for row_dual
    for (std::size_t s = 0; s < mq.S; ++s)
        for (std::size_t a = 0; a < mq.A; ++a) {
            c.worst_case.dense_row(s, a, p);
            c.dual.push_back(row_dual(U, mq.P, s, a, c.V, p.data()));
        }
    if (optimal) c.Q = robust_q(mq, U, c.V);
    return c;
}

}  // namespace

void require_certifiable(const MdpData& m) {
    const auto* l1 = m.uncertainty.get<L1Ball<rational>>();
    if (l1 && l1->nominal_support())
        throw input_error(m.source, "uncertainty.support",
                          "formal certificates are not available for l1 sets with \"support\": \"nominal\" "
                          "(formal/Checker.v knows l1 balls over the whole simplex)");
    if (!m.uncertainty.is_nominal() && !l1 && !m.uncertainty.get<IntervalSet<rational>>() &&
        !m.uncertainty.get<FiniteSet<rational>>())
        throw input_error(m.source, "uncertainty.type",
                          std::string("formal certificates are not available for '") + m.uncertainty.kind() +
                              "' sets (formal/Checker.v knows none, l1, interval and finite)");
}

RobustCertificate certify_evaluation(const MdpData& m, const PolicyData& pi) {
    require_certifiable(m);
    const Mdp<rational> mq = convert<rational>(m);
    const UncertaintySet<rational> U = convert<rational>(m.uncertainty);
    Policy<rational> pq = convert<rational>(pi);
    Vector<rational> V = robust_value(mq, U, pq).V;
    return with_evidence(mq, U, std::move(pq), std::move(V), false);
}

RobustCertificate certify_optimal(const MdpData& m) {
    require_certifiable(m);
    const Mdp<rational> mq = convert<rational>(m);
    const UncertaintySet<rational> U = convert<rational>(m.uncertainty);
    RobustSolution<rational> sol = robust_solve(mq, U);
    return with_evidence(mq, U, std::move(sol.policy), std::move(sol.V), true);
}

}  // namespace rmdp
