// Elementwise kernels: fill, axpy, bias rows, dropout and the optimizer steps.
#include <cmath>

#include "check.h"
#include "kernels.h"
#include "launch.cuh"

namespace ferc::cuda {
namespace {

__global__ void fill_kernel(float* dst, float value, int64_t count) {
  for (int64_t i = first_index(); i < count; i += grid_stride()) dst[i] = value;
}

__global__ void axpy_kernel(float alpha, const float* x, float* y, int64_t count) {
  for (int64_t i = first_index(); i < count; i += grid_stride()) y[i] += alpha * x[i];
}

__global__ void add_bias_rows_kernel(float* y, const float* bias, int64_t rows, int64_t cols) {
  for (int64_t i = first_index(); i < rows * cols; i += grid_stride()) y[i] += bias[i % cols];
}

__global__ void sum_rows_kernel(const float* m, float* out, int64_t rows, int64_t cols) {
  for (int64_t c = first_index(); c < cols; c += grid_stride()) {
    float sum = 0.f;
    for (int64_t r = 0; r < rows; ++r) sum += m[r * cols + c];
    out[c] = sum;
  }
}

// A uniform draw in [0, 1) from (seed, index): SplitMix64 of the pair, top 24 bits.
__device__ float uniform_at(uint64_t seed, uint64_t index) {
  uint64_t z = seed + (index + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<float>(z >> 40) * (1.0f / 16777216.0f);
}

__global__ void dropout_kernel(const float* x, float* y, float rate, float scale, uint64_t seed,
                               int64_t count) {
  for (int64_t i = first_index(); i < count; i += grid_stride())
    y[i] = x[i] * (uniform_at(seed, static_cast<uint64_t>(i)) < rate ? 0.f : scale);
}

__global__ void bn_running_single_kernel(float* mean, float* var, const float* batch_mean,
                                         float momentum, int64_t channels) {
  for (int64_t c = first_index(); c < channels; c += grid_stride()) {
    mean[c] = (1.f - momentum) * mean[c] + momentum * batch_mean[c];
    var[c] = (1.f - momentum) * var[c];
  }
}

__global__ void sgd_kernel(ferc_sgd_args a, float* p, const float* g, float* v, int64_t count) {
  for (int64_t i = first_index(); i < count; i += grid_stride()) {
    float grad = g[i] + a.weight_decay * p[i];
    if (v) {
      float vel = a.momentum * v[i] + grad;
      v[i] = vel;
      grad = a.nesterov ? grad + a.momentum * vel : vel;
    }
    p[i] -= a.lr * grad;
  }
}

__global__ void adam_kernel(ferc_adam_args a, float c1, float c2, float* p, const float* g,
                            float* m, float* v, int64_t count) {
  for (int64_t i = first_index(); i < count; i += grid_stride()) {
    float grad = g[i] + a.weight_decay * p[i];
    float mi = a.beta1 * m[i] + (1.f - a.beta1) * grad;
    float vi = a.beta2 * v[i] + (1.f - a.beta2) * grad * grad;
    m[i] = mi;
    v[i] = vi;
    p[i] -= a.lr * (mi / c1) / (sqrtf(vi / c2) + a.eps);
  }
}

}  // namespace

void launch_fill(cudaStream_t s, float* dst, float value, int64_t count) {
  fill_kernel<<<blocks_for(count), kThreads, 0, s>>>(dst, value, count);
  check_launch("fill_kernel");
}

void launch_axpy(cudaStream_t s, float alpha, const float* x, float* y, int64_t count) {
  axpy_kernel<<<blocks_for(count), kThreads, 0, s>>>(alpha, x, y, count);
  check_launch("axpy_kernel");
}

void launch_add_bias_rows(cudaStream_t s, float* y, const float* bias, int64_t rows, int64_t cols) {
  add_bias_rows_kernel<<<blocks_for(rows * cols), kThreads, 0, s>>>(y, bias, rows, cols);
  check_launch("add_bias_rows_kernel");
}

void launch_sum_rows(cudaStream_t s, const float* m, float* out, int64_t rows, int64_t cols) {
  sum_rows_kernel<<<blocks_for(cols), kThreads, 0, s>>>(m, out, rows, cols);
  check_launch("sum_rows_kernel");
}

void launch_dropout(cudaStream_t s, const float* x, float* y, float rate, uint64_t seed,
                    int64_t count) {
  float scale = 1.f / (1.f - rate);
  dropout_kernel<<<blocks_for(count), kThreads, 0, s>>>(x, y, rate, scale, seed, count);
  check_launch("dropout_kernel");
}

void launch_bn_running_single(cudaStream_t s, float* running_mean, float* running_var,
                              const float* batch_mean, float momentum, int64_t channels) {
  bn_running_single_kernel<<<blocks_for(channels), kThreads, 0, s>>>(
      running_mean, running_var, batch_mean, momentum, channels);
  check_launch("bn_running_single_kernel");
}

void launch_sgd(cudaStream_t s, const ferc_sgd_args& args, float* param, const float* grad,
                float* velocity, int64_t count) {
  // Without momentum the velocity is not needed and may be absent.
  float* v = args.momentum != 0.f ? velocity : nullptr;
  sgd_kernel<<<blocks_for(count), kThreads, 0, s>>>(args, param, grad, v, count);
  check_launch("sgd_kernel");
}

void launch_adam(cudaStream_t s, const ferc_adam_args& args, float* param, const float* grad,
                 float* m, float* v, int64_t count) {
  // Bias corrections in double: beta^step underflows gracefully and stays exact for small steps.
  float c1 = static_cast<float>(1.0 - std::pow(double{args.beta1}, double(args.step)));
  float c2 = static_cast<float>(1.0 - std::pow(double{args.beta2}, double(args.step)));
  adam_kernel<<<blocks_for(count), kThreads, 0, s>>>(args, c1, c2, param, grad, m, v, count);
  check_launch("adam_kernel");
}

}  // namespace ferc::cuda
