// gap: global average pooling, NxCxHxW to NxC.
#include "kernel.h"
#include "kernels.h"

namespace ferc::cpu {
namespace {

class Gap : public Node {
 public:
  explicit Gap(const ferc_node_desc&) {}

  void forward(const ferc_call& call) override {
    int64_t planes = call.output.shape.dims[0] * call.output.shape.dims[1];
    int64_t s = sdk::per_item(call.inputs[0].shape) / call.output.shape.dims[1];
    const float* x = call.inputs[0].data;
    for (int64_t p = 0; p < planes; ++p) {
      double sum = 0;
#pragma omp simd reduction(+ : sum)
      for (int64_t i = 0; i < s; ++i) sum += x[p * s + i];
      call.output.data[p] = static_cast<float>(sum / static_cast<double>(s));
    }
  }

  void backward(const ferc_call& call) override {
    if (!wanted(call.d_inputs, 0)) return;
    int64_t planes = call.output.shape.dims[0] * call.output.shape.dims[1];
    int64_t s = sdk::per_item(call.inputs[0].shape) / call.output.shape.dims[1];
    float* dx = call.d_inputs[0].data;
    for (int64_t p = 0; p < planes; ++p) {
      float share = call.d_output.data[p] / static_cast<float>(s);
#pragma omp simd
      for (int64_t i = 0; i < s; ++i) dx[p * s + i] = share;
    }
  }
};

}  // namespace

ferc_kernel gap_kernel() {
  return make_kernel<Gap>("gap");
}

}  // namespace ferc::cpu
