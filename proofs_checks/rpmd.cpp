// Claims of the rpmd layer (placeholder: none registered yet).
#include "registry.hpp"

namespace rmdp::checks {

void register_rpmd_claims(std::vector<Claim>&) {}

}  // namespace rmdp::checks
