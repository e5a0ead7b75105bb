// relu: max(x, 0); the gradient passes where the input is positive.
#include "kernel.h"
#include "kernels.h"

namespace ferc::cpu {
namespace {

class Relu : public Node {
 public:
  explicit Relu(const ferc_node_desc&) {}

  void forward(const ferc_call& call) override {
    const float* x = call.inputs[0].data;
    float* y = call.output.data;
    int64_t n = sdk::numel(call.inputs[0].shape);
#pragma omp parallel for simd if (n > kParallelFrom)
    for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.f ? x[i] : 0.f;
  }

  void backward(const ferc_call& call) override {
    if (!wanted(call.d_inputs, 0)) return;
    const float* x = call.inputs[0].data;
    const float* dy = call.d_output.data;
    float* dx = call.d_inputs[0].data;
    int64_t n = sdk::numel(call.inputs[0].shape);
#pragma omp parallel for simd if (n > kParallelFrom)
    for (int64_t i = 0; i < n; ++i) dx[i] = x[i] > 0.f ? dy[i] : 0.f;
  }

 private:
  static constexpr int64_t kParallelFrom = 1 << 16;  // below this, threads cost more than they save
};

}  // namespace

ferc_kernel relu_kernel() {
  return make_kernel<Relu>("relu");
}

}  // namespace ferc::cpu
