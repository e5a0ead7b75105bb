// softmax: cuDNN softmax over the features of each sample (inference and plain training use).
#include "op_kernel.h"
#include "ops.h"

namespace ferc::cuda {
namespace {

constexpr float kOne = 1.f, kZero = 0.f;

class Softmax : public NodeBase {
 public:
  using NodeBase::NodeBase;

  void forward(const ferc_call& c) {
    describe(c);
    check(cudnnSoftmaxForward(Context::get().cudnn(), CUDNN_SOFTMAX_ACCURATE,
                              CUDNN_SOFTMAX_MODE_INSTANCE, &kOne, x_.get(), c.inputs[0].data,
                              &kZero, x_.get(), c.output.data),
          "cudnnSoftmaxForward");
  }

  void backward(const ferc_call& c) {
    if (!c.d_inputs || !c.d_inputs[0].data) return;
    describe(c);
    check(cudnnSoftmaxBackward(Context::get().cudnn(), CUDNN_SOFTMAX_ACCURATE,
                               CUDNN_SOFTMAX_MODE_INSTANCE, &kOne, x_.get(), c.output.data,
                               x_.get(), c.d_output.data, &kZero, x_.get(), c.d_inputs[0].data),
          "cudnnSoftmaxBackward");
  }

 private:
  void describe(const ferc_call& c) {
    const ferc_shape& s = c.inputs[0].shape;
    set_nchw(x_, s.dims[0], sdk::per_item(s), 1, 1);
  }

  TensorDesc x_;
};

}  // namespace

ferc_kernel softmax_kernel() {
  return make_kernel<Softmax>("softmax");
}

}  // namespace ferc::cuda
