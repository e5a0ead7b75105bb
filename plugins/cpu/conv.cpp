// conv: 2-D convolution over NCHW with oneDNN primitives, cached per batch size.
#include <map>

#include "dnnl_context.h"
#include "kernel.h"
#include "kernels.h"

namespace ferc::cpu {
namespace {

using dnnl::memory;
using Tag = memory::format_tag;

struct ConvPrims {
  dnnl::convolution_forward::primitive_desc fwd_pd;
  dnnl::convolution_forward fwd;
  dnnl::convolution_backward_data bwd_data;
  dnnl::convolution_backward_weights bwd_weights;
};

class Conv : public Node {
 public:
  explicit Conv(const ferc_node_desc& d)
      : c_(d.input_shapes[0].dims[1]),
        h_(d.input_shapes[0].dims[2]),
        w_(d.input_shapes[0].dims[3]),
        o_(d.param_shapes[0].dims[0]),
        kh_(d.param_shapes[0].dims[2]),
        kw_(d.param_shapes[0].dims[3]),
        oh_(d.output_shape.dims[2]),
        ow_(d.output_shape.dims[3]),
        stride_(sdk::attr_int(d, "stride", 1)),
        pad_(sdk::attr_int(d, "pad", 0)),
        bias_(d.n_params > 1),
        training_(d.training != 0) {}

  void forward(const ferc_call& call) override {
    int64_t n = batch_of(call.inputs[0]);
    ConvPrims& p = prims(n);
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, mem(p.fwd_pd.src_desc(), call.inputs[0].data)},
        {DNNL_ARG_WEIGHTS, mem(p.fwd_pd.weights_desc(), call.params[0].data)},
        {DNNL_ARG_DST, mem(p.fwd_pd.dst_desc(), call.output.data)}};
    if (bias_) args[DNNL_ARG_BIAS] = mem(p.fwd_pd.bias_desc(), call.params[1].data);
    p.fwd.execute(stream(), args);
    stream().wait();
  }

  void backward(const ferc_call& call) override {
    if (!training_)
      throw std::runtime_error("backward called on a node created for inference only");
    int64_t n = batch_of(call.inputs[0]);
    ConvPrims& p = prims(n);
    memory diff_dst = mem(p.fwd_pd.dst_desc(), call.d_output.data);
    if (wanted(call.d_inputs, 0))
      p.bwd_data.execute(stream(),
                         {{DNNL_ARG_DIFF_DST, diff_dst},
                          {DNNL_ARG_WEIGHTS, mem(p.fwd_pd.weights_desc(), call.params[0].data)},
                          {DNNL_ARG_DIFF_SRC, mem(p.fwd_pd.src_desc(), call.d_inputs[0].data)}});
    if (wanted(call.d_params, 0)) {
      std::vector<float> scratch_bias;
      float* db = nullptr;
      if (bias_) {
        if (wanted(call.d_params, 1)) {
          db = call.d_params[1].data;
        } else {
          scratch_bias.resize(static_cast<size_t>(o_));
          db = scratch_bias.data();
        }
      }
      std::unordered_map<int, memory> args = {
          {DNNL_ARG_DIFF_DST, diff_dst},
          {DNNL_ARG_SRC, mem(p.fwd_pd.src_desc(), call.inputs[0].data)},
          {DNNL_ARG_DIFF_WEIGHTS, mem(p.fwd_pd.weights_desc(), call.d_params[0].data)}};
      if (bias_) args[DNNL_ARG_DIFF_BIAS] = mem(memory::desc({o_}, dt(), Tag::x), db);
      p.bwd_weights.execute(stream(), args);
    } else if (bias_ && wanted(call.d_params, 1)) {
      bias_grad(call, n);
    }
    stream().wait();
  }

 private:
  static memory::data_type dt() { return memory::data_type::f32; }
  static memory mem(const memory::desc& md, float* data) { return memory(md, engine(), data); }

  // Bias gradient alone: the sum of d_output over batch and positions.
  void bias_grad(const ferc_call& call, int64_t n) const {
    const float* dy = call.d_output.data;
    float* db = call.d_params[1].data;
    int64_t plane = oh_ * ow_;
    for (int64_t o = 0; o < o_; ++o) {
      double s = 0;
      for (int64_t b = 0; b < n; ++b)
        for (int64_t i = 0; i < plane; ++i) s += dy[(b * o_ + o) * plane + i];
      db[o] = static_cast<float>(s);
    }
  }

  ConvPrims& prims(int64_t n) {
    auto it = cache_.find(n);
    if (it != cache_.end()) return it->second;
    return cache_.emplace(n, build(n)).first->second;
  }

  ConvPrims build(int64_t n) const {
    memory::desc src({n, c_, h_, w_}, dt(), Tag::nchw);
    memory::desc wei({o_, c_, kh_, kw_}, dt(), Tag::oihw);
    memory::desc bia({o_}, dt(), Tag::x);
    memory::desc dst({n, o_, oh_, ow_}, dt(), Tag::nchw);
    memory::dims strides = {stride_, stride_}, pl = {pad_, pad_};
    // The right padding that makes the floor-rounded output size exact.
    memory::dims pr = {(oh_ - 1) * stride_ + kh_ - h_ - pad_,
                       (ow_ - 1) * stride_ + kw_ - w_ - pad_};
    auto kind = training_ ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference;
    auto algo = dnnl::algorithm::convolution_direct;
    auto fwd_d =
        bias_ ? dnnl::convolution_forward::desc(kind, algo, src, wei, bia, dst, strides, pl, pr)
              : dnnl::convolution_forward::desc(kind, algo, src, wei, dst, strides, pl, pr);
    ConvPrims p;
    p.fwd_pd = dnnl::convolution_forward::primitive_desc(fwd_d, engine());
    p.fwd = dnnl::convolution_forward(p.fwd_pd);
    if (!training_) return p;
    dnnl::convolution_backward_data::desc bd(algo, src, wei, dst, strides, pl, pr);
    p.bwd_data = dnnl::convolution_backward_data(
        dnnl::convolution_backward_data::primitive_desc(bd, engine(), p.fwd_pd));
    auto bw =
        bias_ ? dnnl::convolution_backward_weights::desc(algo, src, wei, bia, dst, strides, pl, pr)
              : dnnl::convolution_backward_weights::desc(algo, src, wei, dst, strides, pl, pr);
    p.bwd_weights = dnnl::convolution_backward_weights(
        dnnl::convolution_backward_weights::primitive_desc(bw, engine(), p.fwd_pd));
    return p;
  }

  int64_t c_, h_, w_, o_, kh_, kw_, oh_, ow_, stride_, pad_;
  bool bias_, training_;
  std::map<int64_t, ConvPrims> cache_;
};

}  // namespace

ferc_kernel conv_kernel() {
  return make_kernel<Conv>("conv");
}

}  // namespace ferc::cpu
