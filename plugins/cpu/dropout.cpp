// dropout: inverted dropout; the mask is a pure function of the call's seed and the element
// index, so backward (given the same seed) recomputes it instead of storing it.
#include <cstring>

#include "kernel.h"
#include "kernels.h"

namespace ferc::cpu {
namespace {

// splitmix64 finaliser: a well-mixed 64-bit hash of (seed, index).
inline uint64_t mix(uint64_t seed, uint64_t i) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * (i + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Scale of element i: 0 when dropped, 1 / (1 - rate) when kept.
inline float keep_scale(uint64_t seed, uint64_t i, float rate, float scale) {
  float u = static_cast<float>(mix(seed, i) >> 40) * (1.0f / 16777216.0f);  // [0, 1)
  return u < rate ? 0.f : scale;
}

class Dropout : public Node {
 public:
  explicit Dropout(const ferc_node_desc& d)
      : rate_(static_cast<float>(sdk::attr_float(d, "rate", 0.5))) {}

  void forward(const ferc_call& call) override {
    apply(call, call.inputs[0].data, call.output.data);
  }

  void backward(const ferc_call& call) override {
    if (wanted(call.d_inputs, 0)) apply(call, call.d_output.data, call.d_inputs[0].data);
  }

 private:
  // dst = mask * src in training, a copy otherwise.
  void apply(const ferc_call& call, const float* src, float* dst) const {
    int64_t n = sdk::numel(call.inputs[0].shape);
    if (!call.training || rate_ == 0.f) {
      if (dst != src) std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
      return;
    }
    float scale = 1.f / (1.f - rate_);
    uint64_t seed = call.seed;
    float rate = rate_;
#pragma omp parallel for simd if (n > (1 << 16))
    for (int64_t i = 0; i < n; ++i)
      dst[i] = src[i] * keep_scale(seed, static_cast<uint64_t>(i), rate, scale);
  }

  float rate_;
};

}  // namespace

ferc_kernel dropout_kernel() {
  return make_kernel<Dropout>("dropout");
}

}  // namespace ferc::cpu
