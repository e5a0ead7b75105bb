// relu: max(x, 0); the gradient passes where the input is positive.
#include "kernel.h"
#include "kernels.h"
#include "parallel.h"

namespace ferc::cpu {
namespace {

void relu_forward(const float* __restrict x, float* __restrict y, int64_t n) {
  parallel_slices(n, [=](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) {
      float v = x[i];
      y[i] = v > 0.f ? v : 0.f;
    }
  });
}

// dy is loaded unconditionally so the loop compiles to a mask and a blend instead of a branch,
// which mispredicts on every other element of real activations.
void relu_backward(const float* __restrict x, const float* dy, float* dx, int64_t n) {
  parallel_slices(n, [=](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) {
      float g = dy[i];
      dx[i] = x[i] > 0.f ? g : 0.f;
    }
  });
}

class Relu : public Node {
 public:
  explicit Relu(const ferc_node_desc&) {}

  void forward(const ferc_call& call) override {
    relu_forward(call.inputs[0].data, call.output.data, sdk::numel(call.inputs[0].shape));
  }

  void backward(const ferc_call& call) override {
    if (!wanted(call.d_inputs, 0)) return;
    relu_backward(call.inputs[0].data, call.d_output.data, call.d_inputs[0].data,
                  sdk::numel(call.inputs[0].shape));
  }
};

}  // namespace

ferc_kernel relu_kernel() {
  return make_kernel<Relu>("relu");
}

}  // namespace ferc::cpu
