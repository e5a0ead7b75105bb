// Initial values of parameters, drawn from a seed so runs repeat exactly.
#pragma once

#include <cstdint>
#include <vector>

#include "ferc/graph.h"

namespace ferc::exec {

/// Values for one parameter; `stream` separates parameters drawn from the same seed.
std::vector<float> initial_values(const ParamSpec& spec, uint64_t seed, uint64_t stream);

}  // namespace ferc::exec
