// Convolutions in bf16 (FERC_CPU_PRECISION=bf16): the AMX path is taken, and its results stay
// within bf16's precision of the fp32 reference, forward and backward.
#include <cmath>
#include <cstdlib>

#include "compare.h"
#include "reference.h"

namespace ferc::test {
namespace {

// bf16 keeps 8 bits of mantissa: products of rounded inputs are good to about 1%.
constexpr double kAtol = 2e-2, kRtol = 2e-2;

NodeSpec conv_spec() {
  return {"conv",
          {{"filters", std::vector<int64_t>{6, 3, 3}}, {"stride", 1}, {"pad", 1}, {"bias", 1}},
          {Shape{4, 9, 8}},
          3,
          true};
}

// Precision is read when a kernel is created: set it for the nodes of one scope.
class Precision {
 public:
  explicit Precision(const char* value) { setenv("FERC_CPU_PRECISION", value, 1); }
  ~Precision() { unsetenv("FERC_CPU_PRECISION"); }
};

}  // namespace

TEST_CASE("bf16 convolution forward is close to the reference, and not bit-equal to fp32") {
  std::vector<float> fp32, bf16;
  Values v;
  {
    NodeRun node(cpu_plugin(), conv_spec());
    v = node.random_values(3, 5);
    fp32 = node.forward(3, v, true);
  }
  {
    Precision p("bf16");
    NodeRun node(cpu_plugin(), conv_spec());
    bf16 = node.forward(3, v, true);
  }
  auto want = ref::conv(v.inputs[0], {3, 4, 9, 8}, v.params[0], v.params[1], 6, 3, 3, 1, 1);
  expect_close(bf16, want, "conv 6x3x3 pad 1 in bf16", kAtol, kRtol);
  CHECK(bf16 != fp32);
}

// Central differences are too coarse for bf16 rounding; the fp32 backward, itself checked
// against central differences, is the reference instead.
TEST_CASE("bf16 convolution gradients are close to the fp32 ones") {
  Values v;
  Gradients fp32, bf16;
  std::vector<float> d_output;
  {
    NodeRun node(cpu_plugin(), conv_spec());
    v = node.random_values(3, 8);
    d_output.resize(static_cast<size_t>(3 * 6 * 9 * 8));
    for (size_t i = 0; i < d_output.size(); ++i) d_output[i] = std::sin(0.37f * i);
    fp32 = node.backward(3, v, d_output, 1);
  }
  {
    Precision p("bf16");
    NodeRun node(cpu_plugin(), conv_spec());
    bf16 = node.backward(3, v, d_output, 1);
  }
  expect_close(bf16.inputs[0], fp32.inputs[0], "d input of conv in bf16", kAtol, kRtol);
  for (size_t i = 0; i < fp32.params.size(); ++i)
    expect_close(bf16.params[i], fp32.params[i], "d param " + std::to_string(i) + " in bf16",
                 kAtol * 10, kRtol);
}

}  // namespace ferc::test
