#include "rmdp/mirror.hpp"
