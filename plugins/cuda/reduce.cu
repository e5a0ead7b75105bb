// Row reductions: global average pooling and the fused softmax cross-entropy.
#include "check.h"
#include "kernels.h"

namespace ferc::cuda {
namespace {

constexpr int kThreads = 128;

unsigned blocks_for(int64_t count) {
  return static_cast<unsigned>(
      (count + kThreads - 1) / kThreads < 1 ? 1 : (count + kThreads - 1) / kThreads);
}

__global__ void row_mean_kernel(const float* in, float* out, int64_t rows, int64_t width) {
  int64_t r = int64_t{blockIdx.x} * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  float sum = 0.f;
  for (int64_t j = 0; j < width; ++j) sum += in[r * width + j];
  out[r] = sum / static_cast<float>(width);
}

__global__ void spread_mean_grad_kernel(const float* in, float* out, int64_t rows, int64_t width) {
  int64_t i = int64_t{blockIdx.x} * blockDim.x + threadIdx.x;
  if (i >= rows * width) return;
  out[i] = in[i / width] / static_cast<float>(width);
}

__global__ void softmax_rows_kernel(const float* logits, float* probs, int64_t n, int64_t classes) {
  int64_t r = int64_t{blockIdx.x} * blockDim.x + threadIdx.x;
  if (r >= n) return;
  const float* x = logits + r * classes;
  float* p = probs + r * classes;
  float top = x[0];
  for (int64_t c = 1; c < classes; ++c) top = fmaxf(top, x[c]);
  float sum = 0.f;
  for (int64_t c = 0; c < classes; ++c) sum += (p[c] = expf(x[c] - top));
  for (int64_t c = 0; c < classes; ++c) p[c] /= sum;
}

__global__ void softmax_xent_grad_kernel(const float* probs, const float* labels,
                                         const float* weights, float* d, int64_t n,
                                         int64_t classes) {
  int64_t i = int64_t{blockIdx.x} * blockDim.x + threadIdx.x;
  if (i >= n * classes) return;
  int64_t r = i / classes;
  float target = static_cast<int64_t>(labels[r]) == i % classes ? 1.f : 0.f;
  d[i] = weights[r] * (probs[i] - target);
}

}  // namespace

void launch_row_mean(cudaStream_t s, const float* in, float* out, int64_t rows, int64_t width) {
  row_mean_kernel<<<blocks_for(rows), kThreads, 0, s>>>(in, out, rows, width);
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
