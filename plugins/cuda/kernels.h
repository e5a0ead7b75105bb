// Launchers for the plugin's own CUDA kernels. All run on `stream` and check their launch.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "ferc/plugin_abi.h"

namespace ferc::cuda {

/// dst[i] = value.
void launch_fill(cudaStream_t stream, float* dst, float value, int64_t count);
/// y[i] += alpha * x[i].
void launch_axpy(cudaStream_t stream, float alpha, const float* x, float* y, int64_t count);
/// y[r, i] += bias[i] for every row r of a rows x cols matrix.
void launch_add_bias_rows(cudaStream_t stream, float* y, const float* bias, int64_t rows,
                          int64_t cols);
/// out[i] = sum over rows r of m[r, i] for a rows x cols matrix.
void launch_sum_rows(cudaStream_t stream, const float* m, float* out, int64_t rows, int64_t cols);
/// Inverted dropout: y = x * keep / (1 - rate) with keep drawn from (seed, index).
void launch_dropout(cudaStream_t stream, const float* x, float* y, float rate, uint64_t seed,
                    int64_t count);
/// out[r] = mean of in[r, 0..width) for `rows` rows.
void launch_row_mean(cudaStream_t stream, const float* in, float* out, int64_t rows, int64_t width);
/// out[r, j] = in[r] / width for `rows` rows of `width` entries.
void launch_spread_mean_grad(cudaStream_t stream, const float* in, float* out, int64_t rows,
                             int64_t width);
/// Row-wise softmax of an n x classes matrix.
void launch_softmax_rows(cudaStream_t stream, const float* logits, float* probs, int64_t n,
                         int64_t classes);
/// d_logits = weights[r] * (probs - onehot(labels[r])).
void launch_softmax_xent_grad(cudaStream_t stream, const float* probs, const float* labels,
                              const float* weights, float* d_logits, int64_t n, int64_t classes);
/// A max pooling over `planes` planes of h x w with square windows, output oh x ow.
struct MaxPoolShape {
  int64_t planes;
  int32_t h, w, oh, ow, kernel, stride, pad;
};
/// y = window maxima (y may be null) and argmax = each window's first maximum in row-major
/// order, as an offset in its input plane (argmax may be null).
void launch_maxpool_forward(cudaStream_t stream, const float* x, float* y, int32_t* argmax,
                            const MaxPoolShape& shape);
/// dx[i] = sum of dy over the windows whose argmax is i; overwrites dx.
void launch_maxpool_backward(cudaStream_t stream, const float* dy, const int32_t* argmax, float* dx,
                             const MaxPoolShape& shape);
/// Running statistics of a batch norm whose batch has one value per channel: the mean moves
/// to the batch mean and the variance towards 0 (the biased variance, as the CPU plugin does).
void launch_bn_running_single(cudaStream_t stream, float* running_mean, float* running_var,
                              const float* batch_mean, float momentum, int64_t channels);
/// SGD with momentum, weight decay and optional Nesterov momentum.
void launch_sgd(cudaStream_t stream, const ferc_sgd_args& args, float* param, const float* grad,
                float* velocity, int64_t count);
/// Adam with bias correction; weight decay is added to the gradient (L2).
void launch_adam(cudaStream_t stream, const ferc_adam_args& args, float* param, const float* grad,
                 float* m, float* v, int64_t count);

}  // namespace ferc::cuda
