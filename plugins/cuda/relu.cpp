// relu: cuDNN activation, max(x, 0); the gradient passes where the input is positive.
#include "op_kernel.h"
#include "ops.h"

namespace ferc::cuda {
namespace {

constexpr float kOne = 1.f, kZero = 0.f;

class Relu : public NodeBase {
 public:
  explicit Relu(const ferc_node_desc& d) : NodeBase(d) {
    check(cudnnSetActivationDescriptor(act_.get(), CUDNN_ACTIVATION_RELU, CUDNN_NOT_PROPAGATE_NAN,
                                       0.0),
          "cudnnSetActivationDescriptor");
  }

  void forward(const ferc_call& c) {
    describe(c);
    check(cudnnActivationForward(Context::get().cudnn(), act_.get(), &kOne, x_.get(),
                                 c.inputs[0].data, &kZero, x_.get(), c.output.data),
          "cudnnActivationForward");
  }

  void backward(const ferc_call& c) {
    if (!c.d_inputs || !c.d_inputs[0].data) return;
    describe(c);
    check(cudnnActivationBackward(Context::get().cudnn(), act_.get(), &kOne, x_.get(),
                                  c.output.data, x_.get(), c.d_output.data, x_.get(),
                                  c.inputs[0].data, &kZero, x_.get(), c.d_inputs[0].data),
          "cudnnActivationBackward");
  }

 private:
  // Any rank: relu is elementwise, so the tensor is described as N x (per-item) x 1 x 1.
  void describe(const ferc_call& c) {
    const ferc_shape& s = c.inputs[0].shape;
    set_nchw(x_, s.dims[0], sdk::per_item(s), 1, 1);
  }

  ActivationDesc act_;
  TensorDesc x_;
};

}  // namespace

ferc_kernel relu_kernel() {
  return make_kernel<Relu>("relu");
}

}  // namespace ferc::cuda
