// Central-difference gradient checks of one node on any plugin, through the harness.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness.h"

namespace ferc::test {

/// How finely to perturb and how closely analytic and numeric gradients must agree:
/// |analytic - numeric| <= atol + rtol * |numeric| for every element.
struct GradTolerance {
  float eps = 1e-2f;
  double atol = 2e-3;
  double rtol = 2e-2;
};

/// Checks d(sum(output * r))/d(each input and param) from backward against central differences
/// of forward in training mode with `seed`. `skip_inputs` / `skip_params` list tensors that are
/// not differentiated (labels, running statistics). Failures name `what`, the tensor and index.
void check_gradients(NodeRun& node, int64_t n, const Values& values, const std::string& what,
                     uint64_t seed = 1, GradTolerance tol = {},
                     const std::vector<int>& skip_inputs = {},
                     const std::vector<int>& skip_params = {});

}  // namespace ferc::test
