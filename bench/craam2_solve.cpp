// The craam2 side of the whole-process comparison (docs/benchmarks.md, "craam2 comparison"):
//     craam2_solve MODEL.csv GAMMA L1_BUDGET MAXRESIDUAL
// reads a craam2 CSV (idstatefrom,idaction,idstateto,probability,reward; as `rmdp convert
// --all-successors` writes it), keeps zero-probability rows as successors (add_transition with
// force = true: craam2's own mdp_from_csv drops them, and its L1 nature would then keep mass on the
// support), solves with craam2's robust partial policy iteration (rsolve_ppi, uniform L1 budget)
// and prints the value function, one number per line with 17 significant digits (craam2 maximises
// rewards: this is minus rmdp's V). Probabilities written as p/q (rmdp convert's exact form for
// numbers without a finite decimal expansion) are read as p divided by q in double.
#include "craam/algorithms/nature_response.hpp"
#include "craam/solvers.hpp"

#include <csv.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

namespace {

double number(const char* text) {
    const char* slash = std::strchr(text, '/');
    if (!slash) return std::strtod(text, nullptr);
    return std::strtod(text, nullptr) / std::strtod(slash + 1, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: craam2_solve MODEL.csv GAMMA L1_BUDGET MAXRESIDUAL\n";
        return 2;
    }
    try {
        io::CSVReader<5> in(argv[1]);
        in.read_header(io::ignore_extra_column, "idstatefrom", "idaction", "idstateto", "probability", "reward");
        long from = 0, action = 0, to = 0;
        char *probability = nullptr, *reward = nullptr;
        craam::MDP mdp;
        while (in.read_row(from, action, to, probability, reward))
            craam::add_transition(mdp, from, action, to, number(probability), number(reward), /*force=*/true);
        const double gamma = number(argv[2]);
        const craam::algorithms::nats::robust_l1u nature(number(argv[3]));
        const craam::SARobustSolution sol = craam::rsolve_ppi(mdp, gamma, nature, craam::numvec(0), craam::indvec(0),
                                                              craam::MAXITER, number(argv[4]));
        for (const double v : sol.valuefunction) std::printf("%.17g\n", v);
        std::fprintf(stderr, "craam2_solve: %zu states, %ld iterations, residual %.3g\n", sol.valuefunction.size(),
                     sol.iterations, sol.residual);
    } catch (const std::exception& e) {
        std::cerr << "craam2_solve: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
