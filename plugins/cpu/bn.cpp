// bn: batch normalisation per channel (NxCxHxW) or per feature (NxF), vectorised loops.
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernel.h"
#include "kernels.h"
#include "parallel.h"

namespace ferc::cpu {
namespace {

// Layout of one call: n samples, c channels, s positions per channel.
struct Dims {
  int64_t n, c, s;
  int64_t at(int64_t b, int64_t ch) const { return (b * c + ch) * s; }
};

class BatchNorm : public Node {
 public:
  explicit BatchNorm(const ferc_node_desc& d)
      : eps_(sdk::attr_float(d, "eps", 1e-5)),
        momentum_(sdk::attr_float(d, "momentum", 0.1)),
        mean_(static_cast<size_t>(d.param_shapes[0].dims[0])),
        inv_std_(mean_.size()) {}

  void forward(const ferc_call& call) override {
    Dims d = dims(call);
    batch_stats_ = call.training != 0;
    if (!batch_stats_) use_running(call);
      // One channel's planes fit in L2, so normalising right after its statistics reads them
      // from cache rather than memory.
#pragma omp parallel for if (worth_threads(d.n * d.c * d.s))
    for (int64_t ch = 0; ch < d.c; ++ch) {
      if (batch_stats_) channel_stats(call, d, ch);
      normalise(call, d, ch);
    }
  }

  void backward(const ferc_call& call) override {
    Dims d = dims(call);
    const float* x = call.inputs[0].data;
    const float* dy = call.d_output.data;
    const float* gamma = call.params[0].data;
    double m = static_cast<double>(d.n * d.s);
    // Running statistics are not trained; their gradient is zero.
    for (int32_t k = 2; k < 4; ++k)
      if (wanted(call.d_params, k))
        for (int64_t ch = 0; ch < d.c; ++ch) call.d_params[k].data[ch] = 0.f;
#pragma omp parallel for if (worth_threads(d.n * d.c * d.s))
    for (int64_t ch = 0; ch < d.c; ++ch) {
      double inv = inv_std_[ch], sum_dy = 0, sum_dy_xhat = 0;
      const float mean_f = static_cast<float>(mean_[ch]);
      // Float sums within a plane vectorise; double across planes keeps the total accurate.
      for (int64_t b = 0; b < d.n; ++b) {
        const float* xp = x + d.at(b, ch);
        const float* dp = dy + d.at(b, ch);
        float s1 = 0, s2 = 0;
#pragma omp simd reduction(+ : s1, s2)
        for (int64_t i = 0; i < d.s; ++i) {
          s1 += dp[i];
          s2 += dp[i] * (xp[i] - mean_f);
        }
        sum_dy += s1;
        sum_dy_xhat += s2 * inv;
      }
      if (wanted(call.d_params, 0)) call.d_params[0].data[ch] = static_cast<float>(sum_dy_xhat);
      if (wanted(call.d_params, 1)) call.d_params[1].data[ch] = static_cast<float>(sum_dy);
      if (!wanted(call.d_inputs, 0)) continue;
      float scale = static_cast<float>(gamma[ch] * inv);
      // With batch statistics the mean and variance depend on x too.
      float a = batch_stats_ ? static_cast<float>(sum_dy / m) : 0.f;
      float k = batch_stats_ ? static_cast<float>(sum_dy_xhat / m * inv) : 0.f;
      // scale * (dy - a - (x - mean) * k), expanded to one multiply-add per operand.
      float c_dy = scale, c_x = -scale * k, c0 = scale * (mean_f * k - a);
      for (int64_t b = 0; b < d.n; ++b) {
        const float* __restrict xp = x + d.at(b, ch);
        const float* dp = dy + d.at(b, ch);
        float* dx = call.d_inputs[0].data + d.at(b, ch);
#pragma omp simd
        for (int64_t i = 0; i < d.s; ++i) dx[i] = c_dy * dp[i] + c_x * xp[i] + c0;
      }
    }
  }

 private:
  Dims dims(const ferc_call& call) const {
    const ferc_shape& s = call.inputs[0].shape;
    return {s.dims[0], s.dims[1], s.rank == 4 ? s.dims[2] * s.dims[3] : 1};
  }

  // Batch mean and variance of one channel in one pass; updates the running estimates (unbiased
  // variance). Sums are taken around the channel's first value, which avoids the cancellation
  // of the sum-of-squares formula when the mean is large against the spread.
  void channel_stats(const ferc_call& call, const Dims& d, int64_t ch) {
    const float* x = call.inputs[0].data;
    const float shift = x[d.at(0, ch)];
    double sum = 0, sq = 0;
    for (int64_t b = 0; b < d.n; ++b) {
      const float* xp = x + d.at(b, ch);
      float s1 = 0, s2 = 0;
#pragma omp simd reduction(+ : s1, s2)
      for (int64_t i = 0; i < d.s; ++i) {
        float v = xp[i] - shift;
        s1 += v;
        s2 += v * v;
      }
      sum += s1;
      sq += s2;
    }
    double m = static_cast<double>(d.n * d.s), centred = sum / m;
    double var = std::max(sq / m - centred * centred, 0.0), mean = shift + centred;
    mean_[ch] = mean;
    inv_std_[ch] = 1.0 / std::sqrt(var + eps_);
    double unbiased = m > 1 ? var * m / (m - 1) : var;
    float* run_mean = call.params[2].data;
    float* run_var = call.params[3].data;
    run_mean[ch] = static_cast<float>((1 - momentum_) * run_mean[ch] + momentum_ * mean);
    run_var[ch] = static_cast<float>((1 - momentum_) * run_var[ch] + momentum_ * unbiased);
  }

  void use_running(const ferc_call& call) {
    for (size_t ch = 0; ch < mean_.size(); ++ch) {
      mean_[ch] = call.params[2].data[ch];
      inv_std_[ch] = 1.0 / std::sqrt(static_cast<double>(call.params[3].data[ch]) + eps_);
    }
  }

  void normalise(const ferc_call& call, const Dims& d, int64_t ch) const {
    float scale = static_cast<float>(call.params[0].data[ch] * inv_std_[ch]);
    float shift = static_cast<float>(call.params[1].data[ch] - mean_[ch] * scale);
    for (int64_t b = 0; b < d.n; ++b) {
      const float* __restrict xp = call.inputs[0].data + d.at(b, ch);
      float* __restrict yp = call.output.data + d.at(b, ch);
#pragma omp simd
      for (int64_t i = 0; i < d.s; ++i) yp[i] = xp[i] * scale + shift;
    }
  }

  double eps_, momentum_;
  bool batch_stats_ = false;
  std::vector<double> mean_, inv_std_;  // of the last forward, for backward
};

}  // namespace

ferc_kernel bn_kernel() {
  return make_kernel<BatchNorm>("bn");
}

}  // namespace ferc::cpu
