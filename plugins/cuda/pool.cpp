// maxpool: the plugin's own kernels, which keep the CPU plugin's tie rule (first maximum of the
// window in row-major order) and a deterministic backward. avgpool: cuDNN pooling, padding left
// out of the count as the schema states. Both use the schema's floor-rounded output size,
// which is also cuDNN's.
#include "kernels.h"
#include "op_kernel.h"
#include "ops.h"

namespace ferc::cuda {
namespace {

constexpr float kOne = 1.f, kZero = 0.f;

struct Window {
  int k, stride, pad;
};

Window window_of(const ferc_node_desc& d) {
  int k = int(sdk::attr_int(d, "kernel", 1));
  int stride = int(sdk::attr_int(d, "stride", 0));
  return {k, stride == 0 ? k : stride, int(sdk::attr_int(d, "pad", 0))};
}

class MaxPool : public NodeBase {
 public:
  explicit MaxPool(const ferc_node_desc& d) : NodeBase(d), win_(window_of(d)) {
    if (d.training) argmax_.reserve(size_t(sdk::numel(d.output_shape)) * sizeof(int32_t));
  }

  // In training the winners are kept for backward, which then only scatters the gradient.
  void forward(const ferc_call& c) {
    bool keep = c.training && argmax_.get();
    launch_maxpool_forward(Context::get().stream(), c.inputs[0].data, c.output.data,
                           keep ? winners() : nullptr, shape(c));
    kept_for_ = keep ? c.inputs[0].data : nullptr;
    kept_batch_ = keep ? c.inputs[0].shape.dims[0] : 0;
  }

  void backward(const ferc_call& c) {
    float* dx = wanted(c.d_inputs, 0, c.n_inputs);
    if (!dx) return;
    cudaStream_t stream = Context::get().stream();
    MaxPoolShape s = shape(c);
    if (kept_for_ != c.inputs[0].data || kept_batch_ != c.inputs[0].shape.dims[0]) {
      // No training forward on this input: find the winners again.
      argmax_.reserve(size_t(sdk::numel(c.output.shape)) * sizeof(int32_t));
      launch_maxpool_forward(stream, c.inputs[0].data, nullptr, winners(), s);
    }
    launch_maxpool_backward(stream, c.d_output.data, winners(), dx, s);
  }

 private:
  int32_t* winners() const { return static_cast<int32_t*>(argmax_.get()); }

  MaxPoolShape shape(const ferc_call& c) const {
    const ferc_shape& x = c.inputs[0].shape;
    const ferc_shape& y = c.output.shape;
    return {x.dims[0] * x.dims[1], int32_t(x.dims[2]),
            int32_t(x.dims[3]),    int32_t(y.dims[2]),
            int32_t(y.dims[3]),    win_.k,
            win_.stride,           win_.pad};
  }

  Window win_;
  DeviceBuffer argmax_;  // int32 winners of the last training forward
  const float* kept_for_ = nullptr;
  int64_t kept_batch_ = 0;
};

class AvgPool : public NodeBase {
 public:
  explicit AvgPool(const ferc_node_desc& d) : NodeBase(d) {
    Window w = window_of(d);
    check(cudnnSetPooling2dDescriptor(pool_.get(), CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING,
                                      CUDNN_NOT_PROPAGATE_NAN, w.k, w.k, w.pad, w.pad, w.stride,
                                      w.stride),
          "cudnnSetPooling2dDescriptor");
  }

  void forward(const ferc_call& c) {
    describe(c);
    check(cudnnPoolingForward(Context::get().cudnn(), pool_.get(), &kOne, x_.get(),
                              c.inputs[0].data, &kZero, y_.get(), c.output.data),
          "cudnnPoolingForward");
  }

  void backward(const ferc_call& c) {
    float* dx = wanted(c.d_inputs, 0, c.n_inputs);
    if (!dx) return;
    describe(c);
    check(cudnnPoolingBackward(Context::get().cudnn(), pool_.get(), &kOne, y_.get(), c.output.data,
                               y_.get(), c.d_output.data, x_.get(), c.inputs[0].data, &kZero,
                               x_.get(), dx),
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
  return make_kernel<MaxPool>("maxpool");
}
ferc_kernel avgpool_kernel() {
  return make_kernel<AvgPool>("avgpool");
}

}  // namespace ferc::cuda
