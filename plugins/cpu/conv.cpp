// conv: 2-D convolution over NCHW with oneDNN primitives, cached per batch size.
//
// Several input channels: forward and weight gradient run on NHWC activations and weights in
// the layout oneDNN picks, the data gradient on oneDNN's channel-blocked layout; that selects
// its direct AVX-512 (or AMX for bf16) kernels, two to three times faster here than the
// im2col+gemm ones it uses on NCHW, and the reorders to and from the graph's NCHW cost a few
// percent of that. One input channel: the forward pass stays on NCHW gemm, as reordering its
// wide output would cost more than a faster kernel saves, and only the weight gradient runs on
// NHWC; these stay fp32 whatever FERC_CPU_PRECISION says.
#include <map>
#include <vector>

#include "dnnl_context.h"
#include "kernel.h"
#include "kernels.h"
#include "precision.h"

namespace ferc::cpu {
namespace {

using dnnl::memory;
using Tag = memory::format_tag;

// What a primitive argument holds, to keep one reorder buffer per role.
enum Role {
  kSrc,
  kWeights,
  kDst,
  kDataDiffDst,
  kDataWeights,
  kDiffSrc,
  kWeightsDiffDst,
  kWeightsSrc,
  kDiffWeights,
  kRoles
};

struct ConvPrims {
  dnnl::convolution_forward::primitive_desc fwd_pd;
  dnnl::convolution_forward fwd;
  dnnl::convolution_backward_data::primitive_desc bwd_data_pd;
  dnnl::convolution_backward_data bwd_data;
  dnnl::convolution_backward_weights::primitive_desc bwd_weights_pd;
  dnnl::convolution_backward_weights bwd_weights;
  memory::desc src, weights, dst;  // the graph's plain layouts
  std::vector<memory> buffers = std::vector<memory>(kRoles);
};

memory::data_type f32() {
  return memory::data_type::f32;
}

memory wrap(const memory::desc& md, float* data) {
  return memory(md, engine(), data);
}

// `plain` data as the primitive wants it: the data itself when the layouts agree, else a
// reordered copy in the role's buffer.
memory as_input(ConvPrims& p, Role role, const memory::desc& want, const memory::desc& plain,
                float* data) {
  memory user = wrap(plain, data);
  if (want == plain) return user;
  memory& buf = p.buffers[role];
  if (!buf) buf = memory(want, engine());
  dnnl::reorder(user, buf).execute(stream(), user, buf);
  return buf;
}

// Where the primitive writes a result that lands in `data` through finish_output.
memory output_slot(ConvPrims& p, Role role, const memory::desc& have, const memory::desc& plain,
                   float* data) {
  if (have == plain) return wrap(plain, data);
  memory& buf = p.buffers[role];
  if (!buf) buf = memory(have, engine());
  return buf;
}

void finish_output(const memory& slot, const memory::desc& plain, float* data) {
  if (slot.get_desc() == plain) return;
  memory user = wrap(plain, data);
  dnnl::reorder(slot, user).execute(stream(), const_cast<memory&>(slot), user);
}

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
        training_(d.training != 0),
        precision_(precision()) {}

  void forward(const ferc_call& call) override {
    ConvPrims& p = prims(batch_of(call.inputs[0]));
    const auto& pd = p.fwd_pd;
    memory dst = output_slot(p, kDst, pd.dst_desc(), p.dst, call.output.data);
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, as_input(p, kSrc, pd.src_desc(), p.src, call.inputs[0].data)},
        {DNNL_ARG_WEIGHTS,
         as_input(p, kWeights, pd.weights_desc(), p.weights, call.params[0].data)},
        {DNNL_ARG_DST, dst}};
    if (bias_) args[DNNL_ARG_BIAS] = wrap(pd.bias_desc(), call.params[1].data);
    p.fwd.execute(stream(), args);
    finish_output(dst, p.dst, call.output.data);
    stream().wait();
  }

  void backward(const ferc_call& call) override {
    if (!training_)
      throw std::runtime_error("backward called on a node created for inference only");
    int64_t n = batch_of(call.inputs[0]);
    ConvPrims& p = prims(n);
    if (wanted(call.d_inputs, 0)) data_grad(call, p);
    if (wanted(call.d_params, 0)) {
      weights_grad(call, p);
    } else if (bias_ && wanted(call.d_params, 1)) {
      bias_grad(call, n);
    }
    stream().wait();
  }

 private:
  void data_grad(const ferc_call& call, ConvPrims& p) {
    const auto& pd = p.bwd_data_pd;
    memory dx = output_slot(p, kDiffSrc, pd.diff_src_desc(), p.src, call.d_inputs[0].data);
    p.bwd_data.execute(stream(), {{DNNL_ARG_DIFF_DST, as_input(p, kDataDiffDst, pd.diff_dst_desc(),
                                                               p.dst, call.d_output.data)},
                                  {DNNL_ARG_WEIGHTS, as_input(p, kDataWeights, pd.weights_desc(),
                                                              p.weights, call.params[0].data)},
                                  {DNNL_ARG_DIFF_SRC, dx}});
    finish_output(dx, p.src, call.d_inputs[0].data);
  }

  void weights_grad(const ferc_call& call, ConvPrims& p) {
    const auto& pd = p.bwd_weights_pd;
    std::vector<float> unwanted_bias;
    float* db = nullptr;
    if (bias_ && wanted(call.d_params, 1)) {
      db = call.d_params[1].data;
    } else if (bias_) {
      unwanted_bias.resize(static_cast<size_t>(o_));
      db = unwanted_bias.data();
    }
    memory dw =
        output_slot(p, kDiffWeights, pd.diff_weights_desc(), p.weights, call.d_params[0].data);
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_DIFF_DST,
         as_input(p, kWeightsDiffDst, pd.diff_dst_desc(), p.dst, call.d_output.data)},
        {DNNL_ARG_SRC, as_input(p, kWeightsSrc, pd.src_desc(), p.src, call.inputs[0].data)},
        {DNNL_ARG_DIFF_WEIGHTS, dw}};
    if (bias_) args[DNNL_ARG_DIFF_BIAS] = wrap(memory::desc({o_}, f32(), Tag::x), db);
    p.bwd_weights.execute(stream(), args);
    finish_output(dw, p.weights, call.d_params[0].data);
  }

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
    ConvPrims p;
    p.src = memory::desc({n, c_, h_, w_}, f32(), Tag::nchw);
    p.weights = memory::desc({o_, c_, kh_, kw_}, f32(), Tag::oihw);
    p.dst = memory::desc({n, o_, oh_, ow_}, f32(), Tag::nchw);
    bool nhwc = c_ > 1;
    // bf16 (opt-in) feeds oneDNN's AMX kernels; results and gradients stay fp32.
    auto low = nhwc && precision_ == Precision::kBf16 ? memory::data_type::bf16 : f32();
    Tag act = nhwc ? Tag::nhwc : Tag::nchw, wei_tag = nhwc ? Tag::any : Tag::oihw;
    memory::desc src({n, c_, h_, w_}, low, act), dst({n, o_, oh_, ow_}, f32(), act);
    memory::desc wei({o_, c_, kh_, kw_}, low, wei_tag), bia({o_}, f32(), Tag::x);
    // The weight gradient is faster on NHWC even for one input channel, whose NCHW input
    // needs no reorder for it.
    memory::desc w_src({n, c_, h_, w_}, low, Tag::nhwc),
        diff_dst({n, o_, oh_, ow_}, low, Tag::nhwc);
    memory::desc diff_wei({o_, c_, kh_, kw_}, f32(), Tag::any);
    memory::dims strides = {stride_, stride_}, pl = {pad_, pad_};
    // The right padding that makes the floor-rounded output size exact.
    memory::dims pr = {(oh_ - 1) * stride_ + kh_ - h_ - pad_,
                       (ow_ - 1) * stride_ + kw_ - w_ - pad_};
    auto kind = training_ ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference;
    auto algo = dnnl::algorithm::convolution_direct;
    auto fwd_d =
        bias_ ? dnnl::convolution_forward::desc(kind, algo, src, wei, bia, dst, strides, pl, pr)
              : dnnl::convolution_forward::desc(kind, algo, src, wei, dst, strides, pl, pr);
    p.fwd_pd = dnnl::convolution_forward::primitive_desc(fwd_d, engine());
    p.fwd = dnnl::convolution_forward(p.fwd_pd);
    if (!training_) return p;
    // oneDNN's NHWC backward-data kernel is several times slower than its blocked one here.
    memory::desc any_src({n, c_, h_, w_}, f32(), nhwc ? Tag::any : Tag::nchw);
    memory::desc any_dst({n, o_, oh_, ow_}, low, nhwc ? Tag::any : Tag::nchw);
    dnnl::convolution_backward_data::desc bd(algo, any_src, wei, any_dst, strides, pl, pr);
    p.bwd_data_pd = dnnl::convolution_backward_data::primitive_desc(bd, engine(), p.fwd_pd);
    p.bwd_data = dnnl::convolution_backward_data(p.bwd_data_pd);
    auto bw = bias_ ? dnnl::convolution_backward_weights::desc(algo, w_src, diff_wei, bia, diff_dst,
                                                               strides, pl, pr)
                    : dnnl::convolution_backward_weights::desc(algo, w_src, diff_wei, diff_dst,
                                                               strides, pl, pr);
    p.bwd_weights_pd = dnnl::convolution_backward_weights::primitive_desc(bw, engine(), p.fwd_pd);
    p.bwd_weights = dnnl::convolution_backward_weights(p.bwd_weights_pd);
    return p;
  }

  int64_t c_, h_, w_, o_, kh_, kw_, oh_, ow_, stride_, pad_;
  bool bias_, training_;
  Precision precision_;
  std::map<int64_t, ConvPrims> cache_;
};

}  // namespace

ferc_kernel conv_kernel() {
  return make_kernel<Conv>("conv");
}

}  // namespace ferc::cpu
