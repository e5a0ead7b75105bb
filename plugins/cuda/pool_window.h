// Geometry of square pooling windows, shared by the max-pool kernels and their host tests.
// Output o covers input rows [o * stride - pad, o * stride - pad + kernel) clipped to the input,
// the rule of the CPU plugin and of the schema's floor-rounded output size.
#pragma once

#include <cstdint>

#ifdef __CUDACC__
#define FERC_HOST_DEVICE __host__ __device__
#else
#define FERC_HOST_DEVICE
#endif

namespace ferc::cuda {

struct PoolWindow {
  int32_t kernel, stride, pad;

  /// First input index covered by output `o`.
  FERC_HOST_DEVICE int32_t lo(int32_t o) const {
    int32_t b = o * stride - pad;
    return b < 0 ? 0 : b;
  }
  /// One past the last input index covered by output `o` in an axis of `size`.
  FERC_HOST_DEVICE int32_t hi(int32_t o, int32_t size) const {
    int32_t e = o * stride - pad + kernel;
    return e > size ? size : e;
  }
  /// First output whose window covers input index `i`.
  FERC_HOST_DEVICE int32_t first_out(int32_t i) const {
    int32_t t = i + pad - kernel + 1;
    return t <= 0 ? 0 : (t + stride - 1) / stride;
  }
  /// Last output whose window covers input `i`, for `outs` outputs (may be < first_out).
  FERC_HOST_DEVICE int32_t last_out(int32_t i, int32_t outs) const {
    int32_t o = (i + pad) / stride;
    return o < outs - 1 ? o : outs - 1;
  }
};

}  // namespace ferc::cuda
