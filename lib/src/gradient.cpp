#include "rmdp/gradient.hpp"
