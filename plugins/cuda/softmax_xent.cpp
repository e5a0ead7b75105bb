// softmax_cross_entropy: the training form of the final softmax. Inputs are logits [N,C],
// labels [N] (class index as float) and weights [N] (per-sample loss weight, already
// normalised); the output is the probabilities and d logits = weights * (probs - onehot).
#include "kernels.h"
#include "op_kernel.h"
#include "ops.h"

namespace ferc::cuda {
namespace {

class SoftmaxCrossEntropy : public NodeBase {
 public:
  using NodeBase::NodeBase;

  void forward(const ferc_call& c) {
    const ferc_shape& s = c.inputs[0].shape;
    launch_softmax_rows(Context::get().stream(), c.inputs[0].data, c.output.data, s.dims[0],
                        sdk::per_item(s));
  }

  void backward(const ferc_call& c) {
    cudaStream_t stream = Context::get().stream();
    const ferc_shape& s = c.inputs[0].shape;
    if (float* dx = wanted(c.d_inputs, 0, c.n_inputs))
      launch_softmax_xent_grad(stream, c.output.data, c.inputs[1].data, c.inputs[2].data, dx,
                               s.dims[0], sdk::per_item(s));
    // Labels and weights are data, not functions of parameters: their gradient is zero.
    for (int i = 1; i < c.n_inputs; ++i)
      if (float* d = wanted(c.d_inputs, i, c.n_inputs)) launch_fill(stream, d, 0.f, s.dims[0]);
  }
};

}  // namespace

ferc_kernel softmax_xent_kernel() {
  return make_kernel<SoftmaxCrossEntropy>("softmax_cross_entropy");
}

}  // namespace ferc::cuda
