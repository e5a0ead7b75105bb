// dropout: inverted dropout in training, identity otherwise. The mask is a pure function of
// (call seed, element index), so backward regenerates the forward mask instead of storing it.
#include "kernels.h"
#include "op_kernel.h"
#include "ops.h"

namespace ferc::cuda {
namespace {

class Dropout : public NodeBase {
 public:
  explicit Dropout(const ferc_node_desc& d)
      : NodeBase(d), rate_(float(sdk::attr_float(d, "rate", 0.5))) {}

  void forward(const ferc_call& c) { apply(c, c.inputs[0].data, c.output.data); }

  void backward(const ferc_call& c) {
    if (float* dx = wanted(c.d_inputs, 0, c.n_inputs)) apply(c, c.d_output.data, dx);
  }

 private:
  void apply(const ferc_call& c, const float* src, float* dst) {
    if (!c.training || rate_ == 0.f) return copy_tensor(dst, src, bytes_of(c.inputs[0]));
    launch_dropout(Context::get().stream(), src, dst, rate_, c.seed, sdk::numel(c.inputs[0].shape));
  }

  float rate_;
};

}  // namespace

ferc_kernel dropout_kernel() {
  return make_kernel<Dropout>("dropout");
}

}  // namespace ferc::cuda
