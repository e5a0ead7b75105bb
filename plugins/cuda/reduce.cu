// Row reductions: global average pooling and the fused softmax cross-entropy. Every kernel loops
// grid-stride over 64-bit indices, so no tensor size overflows the grid or an index.
#include "check.h"
#include "kernels.h"
#include "launch.cuh"

namespace ferc::cuda {
namespace {

constexpr int kWarp = 32;

// One warp per row: the lanes read consecutive elements (coalesced) and add their partial
// sums with shuffles.
__global__ void row_mean_kernel(const float* in, float* out, int64_t rows, int64_t width) {
  const int lane = threadIdx.x % kWarp;
  const int64_t warps = grid_stride() / kWarp;
  for (int64_t r = first_index() / kWarp; r < rows; r += warps) {
    const float* x = in + r * width;
    float sum = 0.f;
    for (int64_t j = lane; j < width; j += kWarp) sum += x[j];
    for (int offset = kWarp / 2; offset > 0; offset /= 2)
      sum += __shfl_down_sync(0xffffffffu, sum, offset);
    if (lane == 0) out[r] = sum / static_cast<float>(width);
  }
}

__global__ void spread_mean_grad_kernel(const float* in, float* out, int64_t rows, int64_t width) {
  for (int64_t i = first_index(); i < rows * width; i += grid_stride())
    out[i] = in[i / width] / static_cast<float>(width);
}

// One thread per row: the rows are short (the classes). Shifted by the row maximum, so exp
// cannot overflow; the sum is at least 1.
__global__ void softmax_rows_kernel(const float* logits, float* probs, int64_t n, int64_t classes) {
  for (int64_t r = first_index(); r < n; r += grid_stride()) {
    const float* x = logits + r * classes;
    float* p = probs + r * classes;
    float top = x[0];
    for (int64_t c = 1; c < classes; ++c) top = fmaxf(top, x[c]);
    float sum = 0.f;
    for (int64_t c = 0; c < classes; ++c) sum += (p[c] = expf(x[c] - top));
    const float inv = 1.f / sum;
    for (int64_t c = 0; c < classes; ++c) p[c] *= inv;
  }
}

__global__ void softmax_xent_grad_kernel(const float* probs, const float* labels,
                                         const float* weights, float* d, int64_t n,
                                         int64_t classes) {
  for (int64_t i = first_index(); i < n * classes; i += grid_stride()) {
    int64_t r = i / classes;
    float target = static_cast<int64_t>(labels[r]) == i % classes ? 1.f : 0.f;
    d[i] = weights[r] * (probs[i] - target);
  }
}

}  // namespace

void launch_row_mean(cudaStream_t s, const float* in, float* out, int64_t rows, int64_t width) {
  row_mean_kernel<<<blocks_for(rows * kWarp), kThreads, 0, s>>>(in, out, rows, width);
  check_launch("row_mean_kernel");
}

void launch_spread_mean_grad(cudaStream_t s, const float* in, float* out, int64_t rows,
                             int64_t width) {
  spread_mean_grad_kernel<<<blocks_for(rows * width), kThreads, 0, s>>>(in, out, rows, width);
  check_launch("spread_mean_grad_kernel");
}

void launch_softmax_rows(cudaStream_t s, const float* logits, float* probs, int64_t n,
                         int64_t classes) {
  softmax_rows_kernel<<<blocks_for(n), kThreads, 0, s>>>(logits, probs, n, classes);
  check_launch("softmax_rows_kernel");
}

void launch_softmax_xent_grad(cudaStream_t s, const float* probs, const float* labels,
                              const float* weights, float* d_logits, int64_t n, int64_t classes) {
  softmax_xent_grad_kernel<<<blocks_for(n * classes), kThreads, 0, s>>>(probs, labels, weights,
                                                                        d_logits, n, classes);
  check_launch("softmax_xent_grad_kernel");
}

}  // namespace ferc::cuda
