// gap: global average pooling, NxCxHxW to NxC; each gradient spreads evenly over its window.
#include "kernels.h"
#include "op_kernel.h"
#include "ops.h"

namespace ferc::cuda {
namespace {

class GlobalAvgPool : public NodeBase {
 public:
  using NodeBase::NodeBase;

  void forward(const ferc_call& c) {
    const ferc_shape& s = c.inputs[0].shape;
    launch_row_mean(Context::get().stream(), c.inputs[0].data, c.output.data, s.dims[0] * s.dims[1],
                    s.dims[2] * s.dims[3]);
  }

  void backward(const ferc_call& c) {
    float* dx = wanted(c.d_inputs, 0, c.n_inputs);
    if (!dx) return;
    const ferc_shape& s = c.inputs[0].shape;
    launch_spread_mean_grad(Context::get().stream(), c.d_output.data, dx, s.dims[0] * s.dims[1],
                            s.dims[2] * s.dims[3]);
  }
};

}  // namespace

ferc_kernel gap_kernel() {
  return make_kernel<GlobalAvgPool>("gap");
}

}  // namespace ferc::cuda
