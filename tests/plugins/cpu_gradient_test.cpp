// Central-difference gradient checks of every CPU kernel's backward, for inputs and params.
#include "compare.h"
#include "grad_cases.h"

namespace ferc::test {
namespace {

TEST_CASE("backward of every CPU kernel matches central differences") {
  for (const GradCase& c : gradient_cases()) {
    SUBCASE(c.label.c_str()) {
      run_gradient_case(cpu_plugin(), c);
    }
  }
}

TEST_CASE("softmax_cross_entropy gradient is the derivative of the weighted loss") {
  check_loss_gradient(cpu_plugin());
}

}  // namespace
}  // namespace ferc::test
