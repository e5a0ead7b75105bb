// Central-difference gradient checks of every op on the CUDA plugin: the cases and tolerances
// of the CPU suite (tests/plugins/grad_cases.cpp; |analytic - numeric| <= 2e-3 + 2e-2 |numeric|
// with perturbation 1e-2), so a backward that agrees with the CPU plugin by accident of a shared
// mistake still fails here.
#include <doctest/doctest.h>

#include "cuda_env.h"
#include "grad_cases.h"

using namespace ferc::test;

namespace {

const PluginLib& cuda() {
  static PluginLib lib(plugin_path("cuda"));
  return lib;
}

}  // namespace

TEST_CASE("backward of every CUDA kernel matches central differences") {
  for (const GradCase& c : gradient_cases()) {
    SUBCASE(c.label.c_str()) {
      run_gradient_case(cuda(), c);
    }
  }
}

TEST_CASE("CUDA softmax_cross_entropy gradient is the derivative of the weighted loss") {
  check_loss_gradient(cuda());
}
