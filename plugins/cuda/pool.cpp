// maxpool and avgpool: cuDNN pooling over square windows; avgpool leaves padding out of the
// count, as the schema states.
#include "op_kernel.h"
#include "ops.h"

namespace ferc::cuda {
namespace {

constexpr float kOne = 1.f, kZero = 0.f;

template <cudnnPoolingMode_t Mode>
class Pool : public NodeBase {
 public:
  explicit Pool(const ferc_node_desc& d) : NodeBase(d) {
    int k = int(sdk::attr_int(d, "kernel", 1));
    int stride = int(sdk::attr_int(d, "stride", 0));
    int pad = int(sdk::attr_int(d, "pad", 0));
    if (stride == 0) stride = k;
    check(cudnnSetPooling2dDescriptor(pool_.get(), Mode, CUDNN_NOT_PROPAGATE_NAN, k, k, pad, pad,
                                      stride, stride),
          "cudnnSetPooling2dDescriptor");
  }

  void forward(const ferc_call& c) {
    describe(c);
    check(cudnnPoolingForward(Context::get().cudnn(), pool_.get(), &kOne, x_.get(),
                              c.inputs[0].data, &kZero, y_.get(), c.output.data),
          "cudnnPoolingForward");
  }

  void backward(const ferc_call& c) {
    if (!c.d_inputs || !c.d_inputs[0].data) return;
    describe(c);
    check(cudnnPoolingBackward(Context::get().cudnn(), pool_.get(), &kOne, y_.get(), c.output.data,
                               y_.get(), c.d_output.data, x_.get(), c.inputs[0].data, &kZero,
                               x_.get(), c.d_inputs[0].data),
          "cudnnPoolingBackward");
  }

 private:
  void describe(const ferc_call& c) {
    set_nchw(x_, c.inputs[0].shape);
    set_nchw(y_, c.output.shape);
  }

  PoolDesc pool_;
  TensorDesc x_, y_;
};

}  // namespace

ferc_kernel maxpool_kernel() {
  return make_kernel<Pool<CUDNN_POOLING_MAX>>("maxpool");
}
ferc_kernel avgpool_kernel() {
  return make_kernel<Pool<CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING>>("avgpool");
}

}  // namespace ferc::cuda
