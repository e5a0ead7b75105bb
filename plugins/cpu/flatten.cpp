// flatten: NxCxHxW to Nx(C*H*W); the data is already in that order, so a copy suffices.
#include <cstring>

#include "kernel.h"
#include "kernels.h"

namespace ferc::cpu {
namespace {

void copy(const float* src, float* dst, const ferc_shape& s) {
  if (src != dst) std::memcpy(dst, src, static_cast<size_t>(sdk::numel(s)) * sizeof(float));
}

class Flatten : public Node {
 public:
  explicit Flatten(const ferc_node_desc&) {}
  void forward(const ferc_call& call) override {
    copy(call.inputs[0].data, call.output.data, call.inputs[0].shape);
  }
  void backward(const ferc_call& call) override {
    if (wanted(call.d_inputs, 0))
      copy(call.d_output.data, call.d_inputs[0].data, call.inputs[0].shape);
  }
};

}  // namespace

ferc_kernel flatten_kernel() {
  return make_kernel<Flatten>("flatten");
}

}  // namespace ferc::cpu
