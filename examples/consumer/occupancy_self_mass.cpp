// occupancy-self-mass (notes, claims.md): for every policy pi and every kernel u of the uncertainty
// set, the discounted occupancy of s started at s satisfies d_s^{pi,u}(s) >= 1 - gamma
// (the walk is at s at time 0, which alone contributes (1 - gamma)).
//
// Checked as a property on exact robust MDPs from rmdp's public generators: u is the nominal kernel
// or a worst-case kernel of U for a value vector with ties (a vertex of U that nature picks).
// Every comparison is exact. `consumer --wrong` checks the false bound 1 - gamma/2 instead, to show
// that the property can fail (and how RapidCheck reports a shrunk counterexample).
#include <rmdp/evaluation.hpp>
#include <rmdp/robust.hpp>
#include <rmdp/testing.hpp>

#include <rapidcheck.h>

#include <cstring>
#include <iostream>

using namespace rmdp;

int main(int argc, char** argv) {
    const bool wrong = argc > 1 && std::strcmp(argv[1], "--wrong") == 0;
    const bool ok = rc::check("occupancy-self-mass: d_s^{pi,u}(s) >= 1 - gamma for u in U", [wrong] {
        const MdpData data = *testing::gen_robust_mdp();
        const PolicyData pd = *testing::gen_policy(data);
        const Vector<rational> V = *testing::gen_tied_values(data.S);
        const Mdp<rational> m = convert<rational>(data);
        const UncertaintySet<rational> U = convert<rational>(data.uncertainty);
        const Policy<rational> pi = convert<rational>(pd);
        const rational bound = wrong ? rational(1 - m.gamma / 2) : rational(1 - m.gamma);
        for (const Kernel<rational>& u : {m.P, worst_case_kernel(U, m.P, V)}) {
            const Matrix<rational> d = occupancy(m, u, pi);
            for (std::size_t s = 0; s < m.S; ++s) RC_ASSERT(d(s, s) >= bound);
        }
    });
    std::cout << (ok ? "occupancy-self-mass: holds on every generated instance\n"
                     : "occupancy-self-mass: counterexample above\n");
    return ok ? 0 : 1;
}
