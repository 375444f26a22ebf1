#include "rmdp/mbpo.hpp"
