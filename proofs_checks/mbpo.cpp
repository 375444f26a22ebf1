// Claims of the mbpo layer (placeholder: none registered yet).
#include "registry.hpp"

namespace rmdp::checks {

void register_mbpo_claims(std::vector<Claim>&) {}

}  // namespace rmdp::checks
