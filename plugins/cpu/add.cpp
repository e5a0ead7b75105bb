// add: elementwise sum of n inputs of one shape; each input's gradient is d_output.
#include <cstring>

#include "kernel.h"
#include "kernels.h"

namespace ferc::cpu {
namespace {

class Add : public Node {
 public:
  explicit Add(const ferc_node_desc&) {}

  void forward(const ferc_call& call) override {
    int64_t n = sdk::numel(call.output.shape);
    float* y = call.output.data;
    const float* a = call.inputs[0].data;
    const float* b = call.inputs[1].data;
#pragma omp parallel for simd if (n > (1 << 16))
    for (int64_t i = 0; i < n; ++i) y[i] = a[i] + b[i];
    for (int32_t k = 2; k < call.n_inputs; ++k) {
      const float* x = call.inputs[k].data;
#pragma omp parallel for simd if (n > (1 << 16))
      for (int64_t i = 0; i < n; ++i) y[i] += x[i];
    }
  }

  void backward(const ferc_call& call) override {
    size_t bytes = static_cast<size_t>(sdk::numel(call.output.shape)) * sizeof(float);
    for (int32_t k = 0; k < call.n_inputs; ++k)
      if (wanted(call.d_inputs, k) && call.d_inputs[k].data != call.d_output.data)
        std::memcpy(call.d_inputs[k].data, call.d_output.data, bytes);
  }
};

}  // namespace

ferc_kernel add_kernel() {
  return make_kernel<Add>("add");
}

}  // namespace ferc::cpu
