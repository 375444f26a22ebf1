// Claims of the gradient layer (placeholder: none registered yet).
#include "registry.hpp"

namespace rmdp::checks {

void register_gradient_claims(std::vector<Claim>&) {}

}  // namespace rmdp::checks
