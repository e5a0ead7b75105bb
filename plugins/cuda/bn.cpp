// bn: cuDNN batch normalisation per channel (NxCxHxW) or per feature (NxF, seen as NxFx1x1).
// Training forward updates the running statistics in place with the unbiased batch variance
// (cuDNN's rule and the CPU plugin's), except for batches of one value per channel, where the
// unbiased variance is undefined: cuDNN would write NaN there, the CPU plugin uses the biased 0.
#include "kernels.h"
#include "op_kernel.h"
#include "ops.h"

namespace ferc::cuda {
namespace {

constexpr cudnnBatchNormMode_t kMode = CUDNN_BATCHNORM_SPATIAL;
constexpr float kOne = 1.f, kZero = 0.f;

class BatchNorm : public NodeBase {
 public:
  explicit BatchNorm(const ferc_node_desc& d)
      : NodeBase(d),
        channels_(d.input_shapes[0].dims[1]),
        eps_(sdk::attr_float(d, "eps", 1e-5)),
        momentum_(sdk::attr_float(d, "momentum", 0.1)) {
    set_nchw(stats_desc_, 1, channels_, 1, 1);
    size_t bytes = size_t(channels_) * sizeof(float);
    saved_mean_.reserve(bytes);
    saved_inv_var_.reserve(bytes);
  }

  void forward(const ferc_call& c) {
    set_nchw(x_, c.inputs[0].shape);
    cudnnHandle_t h = Context::get().cudnn();
    const float* x = c.inputs[0].data;
    if (!c.training) {
      check(cudnnBatchNormalizationForwardInference(
                h, kMode, &kOne, &kZero, x_.get(), x, x_.get(), c.output.data, stats_desc_.get(),
                c.params[0].data, c.params[1].data, c.params[2].data, c.params[3].data, eps_),
            "cudnnBatchNormalizationForwardInference");
      saved_batch_ = -1;
      return;
    }
    const ferc_shape& s = c.inputs[0].shape;
    bool single = s.dims[0] * (s.rank == 4 ? s.dims[2] * s.dims[3] : 1) == 1;
    // Both running pointers null: cuDNN leaves the running statistics alone.
    check(cudnnBatchNormalizationForwardTraining(
              h, kMode, &kOne, &kZero, x_.get(), x, x_.get(), c.output.data, stats_desc_.get(),
              c.params[0].data, c.params[1].data, momentum_, single ? nullptr : c.params[2].data,
              single ? nullptr : c.params[3].data, eps_, saved_mean_.floats(),
              saved_inv_var_.floats()),
          "cudnnBatchNormalizationForwardTraining");
    if (single)
      launch_bn_running_single(Context::get().stream(), c.params[2].data, c.params[3].data,
                               saved_mean_.floats(), float(momentum_), channels_);
    saved_batch_ = s.dims[0];
  }

  void backward(const ferc_call& c) {
    set_nchw(x_, c.inputs[0].shape);
    // cuDNN writes every gradient; the ones the host does not want go to scratch memory.
    float* dx = wanted(c.d_inputs, 0, c.n_inputs);
    float* dgamma = wanted(c.d_params, 0, c.n_params);
    float* dbeta = wanted(c.d_params, 1, c.n_params);
    size_t stat_bytes = size_t(channels_) * sizeof(float);
    scratch_.reserve(bytes_of(c.inputs[0]) + 2 * stat_bytes);
    float* spare = scratch_.floats();
    if (!dx) dx = spare + 2 * channels_;
    if (!dgamma) dgamma = spare;
    if (!dbeta) dbeta = spare + channels_;
    // Saved statistics are reused only when they come from this batch; else cuDNN recomputes.
    bool saved = saved_batch_ == c.inputs[0].shape.dims[0];
    // Running statistics are not trained; their gradient is zero, as on the CPU plugin.
    for (int k = 2; k < 4; ++k)
      if (float* d = wanted(c.d_params, k, c.n_params))
        launch_fill(Context::get().stream(), d, 0.f, channels_);
    check(cudnnBatchNormalizationBackward(
              Context::get().cudnn(), kMode, &kOne, &kZero, &kOne, &kZero, x_.get(),
              c.inputs[0].data, x_.get(), c.d_output.data, x_.get(), dx, stats_desc_.get(),
              c.params[0].data, dgamma, dbeta, eps_, saved ? saved_mean_.floats() : nullptr,
              saved ? saved_inv_var_.floats() : nullptr),
          "cudnnBatchNormalizationBackward");
  }

 private:
  int64_t channels_;
  double eps_, momentum_;
  int64_t saved_batch_ = -1;
  TensorDesc x_, stats_desc_;
  DeviceBuffer saved_mean_, saved_inv_var_, scratch_;
};

}  // namespace

ferc_kernel bn_kernel() {
  return make_kernel<BatchNorm>("bn");
}

}  // namespace ferc::cuda
