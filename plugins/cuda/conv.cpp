// conv: cuDNN convolution. Algorithms are found once per batch size and kept; the workspace is
// the context's shared buffer.
#include <map>
#include <string>

#include "algo_choice.h"
#include "op_kernel.h"
#include "ops.h"

namespace ferc::cuda {
namespace {

// Algorithms needing more scratch memory than this are passed over.
constexpr size_t kMaxWorkspace = size_t{512} << 20;
constexpr int kCandidates = 8;

struct Algo {
  int id = -1;  // cudnnConvolution*Algo_t, or -1 when not chosen yet
  size_t workspace = 0;
};

struct BatchAlgos {
  Algo fwd, bwd_data, bwd_filter;
};

// The result choose_algo() takes; throws when none qualifies.
template <class Perf>
Algo pick(const Perf* perf, int n, const char* what) {
  int i = choose_algo(perf, n, kMaxWorkspace);
  if (i >= 0) return {static_cast<int>(perf[i].algo), perf[i].memory};
  throw DeviceError(std::string("cuDNN has no ") + what + " algorithm that runs in fp32 FMA " +
                    "math within " + std::to_string(kMaxWorkspace >> 20) + " MiB of workspace (" +
                    std::to_string(n) + " candidates tried); set CUDNN_LOGLEVEL_DBG=2 to see " +
                    "why each was refused");
}

class Conv : public NodeBase {
 public:
  explicit Conv(const ferc_node_desc& d) : NodeBase(d), has_bias_(d.n_params > 1) {
    const ferc_shape& w = d.param_shapes[0];
    check(
        cudnnSetFilter4dDescriptor(filter_.get(), CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW,
                                   int(w.dims[0]), int(w.dims[1]), int(w.dims[2]), int(w.dims[3])),
        "cudnnSetFilter4dDescriptor");
    int stride = int(sdk::attr_int(d, "stride", 1)), pad = int(sdk::attr_int(d, "pad", 0));
    check(cudnnSetConvolution2dDescriptor(conv_.get(), pad, pad, stride, stride, 1, 1,
                                          CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
          "cudnnSetConvolution2dDescriptor");
    // Plain fp32 arithmetic: TF32 tensor cores would drift about 1e-3 from the CPU plugin.
    check(cudnnSetConvolutionMathType(conv_.get(), CUDNN_FMA_MATH), "cudnnSetConvolutionMathType");
    set_nchw(bias_desc_, 1, w.dims[0], 1, 1);
  }

  void forward(const ferc_call& c) {
    Context& ctx = Context::get();
    BatchAlgos& a = describe(c);
    if (a.fwd.id < 0) a.fwd = find_forward(c);
    check(cudnnConvolutionForward(
              ctx.cudnn(), &kOne, x_.get(), c.inputs[0].data, filter_.get(), c.params[0].data,
              conv_.get(), cudnnConvolutionFwdAlgo_t(a.fwd.id), ctx.workspace(a.fwd.workspace),
              a.fwd.workspace, &kZero, y_.get(), c.output.data),
          "cudnnConvolutionForward");
    if (has_bias_)
      check(cudnnAddTensor(ctx.cudnn(), &kOne, bias_desc_.get(), c.params[1].data, &kOne, y_.get(),
                           c.output.data),
            "cudnnAddTensor");
  }

  void backward(const ferc_call& c) {
    BatchAlgos& a = describe(c);
    if (float* dw = wanted(c.d_params, 0, c.n_params)) weight_grad(c, a, dw);
    if (float* db = wanted(c.d_params, 1, c.n_params); db && has_bias_)
      check(cudnnConvolutionBackwardBias(Context::get().cudnn(), &kOne, y_.get(), c.d_output.data,
                                         &kZero, bias_desc_.get(), db),
            "cudnnConvolutionBackwardBias");
    if (float* dx = wanted(c.d_inputs, 0, c.n_inputs)) input_grad(c, a, dx);
  }

 private:
  static constexpr float kOne = 1.f, kZero = 0.f;

  BatchAlgos& describe(const ferc_call& c) {
    set_nchw(x_, c.inputs[0].shape);
    set_nchw(y_, c.output.shape);
    return algos_[c.inputs[0].shape.dims[0]];
  }

  Algo find_forward(const ferc_call& c) {
    cudnnConvolutionFwdAlgoPerf_t perf[kCandidates];
    int n = 0;
    check(cudnnFindConvolutionForwardAlgorithm(Context::get().cudnn(), x_.get(), filter_.get(),
                                               conv_.get(), y_.get(), kCandidates, &n, perf),
          "cudnnFindConvolutionForwardAlgorithm");
    return pick(perf, n, "forward convolution");
  }

  void weight_grad(const ferc_call& c, BatchAlgos& a, float* dw) {
    Context& ctx = Context::get();
    if (a.bwd_filter.id < 0) {
      cudnnConvolutionBwdFilterAlgoPerf_t perf[kCandidates];
      int n = 0;
      check(cudnnFindConvolutionBackwardFilterAlgorithm(
                ctx.cudnn(), x_.get(), y_.get(), conv_.get(), filter_.get(), kCandidates, &n, perf),
            "cudnnFindConvolutionBackwardFilterAlgorithm");
      a.bwd_filter = pick(perf, n, "weight-gradient convolution");
    }
    check(cudnnConvolutionBackwardFilter(ctx.cudnn(), &kOne, x_.get(), c.inputs[0].data, y_.get(),
                                         c.d_output.data, conv_.get(),
                                         cudnnConvolutionBwdFilterAlgo_t(a.bwd_filter.id),
                                         ctx.workspace(a.bwd_filter.workspace),
                                         a.bwd_filter.workspace, &kZero, filter_.get(), dw),
          "cudnnConvolutionBackwardFilter");
  }

  void input_grad(const ferc_call& c, BatchAlgos& a, float* dx) {
    Context& ctx = Context::get();
    if (a.bwd_data.id < 0) {
      cudnnConvolutionBwdDataAlgoPerf_t perf[kCandidates];
      int n = 0;
      check(cudnnFindConvolutionBackwardDataAlgorithm(ctx.cudnn(), filter_.get(), y_.get(),
                                                      conv_.get(), x_.get(), kCandidates, &n, perf),
            "cudnnFindConvolutionBackwardDataAlgorithm");
      a.bwd_data = pick(perf, n, "input-gradient convolution");
    }
    check(cudnnConvolutionBackwardData(
              ctx.cudnn(), &kOne, filter_.get(), c.params[0].data, y_.get(), c.d_output.data,
              conv_.get(), cudnnConvolutionBwdDataAlgo_t(a.bwd_data.id),
              ctx.workspace(a.bwd_data.workspace), a.bwd_data.workspace, &kZero, x_.get(), dx),
          "cudnnConvolutionBackwardData");
  }

  bool has_bias_;
  FilterDesc filter_;
  ConvDesc conv_;
  TensorDesc x_, y_, bias_desc_;
  std::map<int64_t, BatchAlgos> algos_;  // keyed by batch size
};

}  // namespace

ferc_kernel conv_kernel() {
  return make_kernel<Conv>("conv");
}

}  // namespace ferc::cuda
