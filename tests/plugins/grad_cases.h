// The central-difference gradient cases every plugin must pass: one per op and attribute
// combination, shared by the CPU and CUDA suites so both check the same things.
#pragma once

#include <string>
#include <vector>

#include "gradcheck.h"
#include "harness.h"

namespace ferc::test {

/// One case: the node, the batch, a fix-up of the random values, and params not differentiated.
struct GradCase {
  std::string label;
  NodeSpec spec;
  int64_t n = 2;
  void (*prepare)(Values&) = nullptr;
  std::vector<int> skip_params = {};
};

/// Every built-in op except softmax_cross_entropy (see check_loss_gradient).
std::vector<GradCase> gradient_cases();

/// Runs one case on `lib` with the default GradTolerance.
void run_gradient_case(const PluginLib& lib, const GradCase& c);

/// softmax_cross_entropy on `lib`: its logits' gradient against central differences of the
/// weighted loss -sum_b w_b log p[b, label_b] computed from the forward probabilities.
void check_loss_gradient(const PluginLib& lib);

}  // namespace ferc::test
