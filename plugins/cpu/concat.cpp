// concat: joins inputs along one axis of the per-sample shape (0 = channels).
#include <cstring>

#include "kernel.h"
#include "kernels.h"

namespace ferc::cpu {
namespace {

class Concat : public Node {
 public:
  // The kernel's tensors carry the batch first, so per-sample axis a is tensor axis a + 1.
  explicit Concat(const ferc_node_desc& d)
      : axis_(static_cast<int>(sdk::attr_int(d, "axis", 0)) + 1) {}

  void forward(const ferc_call& call) override {
    walk(
        call, [](float* joined, float* part, size_t bytes) { std::memcpy(joined, part, bytes); },
        call.output.data, call.inputs);
  }

  void backward(const ferc_call& call) override {
    walk(
        call,
        [](float* joined, float* part, size_t bytes) {
          if (part) std::memcpy(part, joined, bytes);
        },
        call.d_output.data, call.d_inputs);
  }

 private:
  // Visits each input's contiguous block inside every outer slice of the joined tensor.
  template <class F>
  void walk(const ferc_call& call, F&& copy, float* joined, const ferc_tensor* parts) const {
    const ferc_shape& out = call.output.shape;
    int64_t outer = 1, inner = 1;
    for (int i = 0; i < axis_; ++i) outer *= out.dims[i];
    for (int i = axis_ + 1; i < out.rank; ++i) inner *= out.dims[i];
    int64_t joined_block = out.dims[axis_] * inner;
    int64_t offset = 0;
    for (int32_t k = 0; k < call.n_inputs; ++k) {
      int64_t block = call.inputs[k].shape.dims[axis_] * inner;
      float* part = parts ? parts[k].data : nullptr;
      for (int64_t o = 0; o < outer; ++o)
        copy(joined + o * joined_block + offset, part ? part + o * block : nullptr,
             static_cast<size_t>(block) * sizeof(float));
      offset += block;
    }
  }

  int axis_;
};

}  // namespace

ferc_kernel concat_kernel() {
  return make_kernel<Concat>("concat");
}

}  // namespace ferc::cpu
