// softmax over the features of each sample (NxF), with its Jacobian-vector backward.
#include "kernel.h"
#include "kernels.h"
#include "softmax_rows.h"

namespace ferc::cpu {
namespace {

class Softmax : public Node {
 public:
  explicit Softmax(const ferc_node_desc&) {}

  void forward(const ferc_call& call) override {
    softmax_rows(call.inputs[0].data, call.output.data, batch_of(call.inputs[0]),
                 sdk::per_item(call.inputs[0].shape));
  }

  // dx = y * (dy - sum(dy * y)) per row.
  void backward(const ferc_call& call) override {
    if (!wanted(call.d_inputs, 0)) return;
    int64_t n = batch_of(call.inputs[0]), f = sdk::per_item(call.inputs[0].shape);
    for (int64_t b = 0; b < n; ++b) {
      const float* y = call.output.data + b * f;
      const float* dy = call.d_output.data + b * f;
      float* dx = call.d_inputs[0].data + b * f;
      double dot = 0;
      for (int64_t i = 0; i < f; ++i) dot += static_cast<double>(dy[i]) * y[i];
      for (int64_t i = 0; i < f; ++i) dx[i] = y[i] * (dy[i] - static_cast<float>(dot));
    }
  }
};

}  // namespace

ferc_kernel softmax_kernel() {
  return make_kernel<Softmax>("softmax");
}

}  // namespace ferc::cpu
