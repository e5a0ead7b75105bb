// Naive double-precision references for the built-in ops, written for clarity, not speed.
#pragma once

#include <cstdint>
#include <vector>

namespace ferc::test::ref {

using Vec = std::vector<double>;
using FVec = std::vector<float>;

/// NCHW geometry of an image batch.
struct Image {
  int64_t n, c, h, w;
};

/// Square-window geometry: kernel, stride, padding on each side.
struct Window {
  int64_t k, stride, pad;
};

/// Convolution of x (NCHW) with weight [o, c, kh, kw]; bias may be empty.
Vec conv(const FVec& x, Image in, const FVec& weight, const FVec& bias, int64_t o, int64_t kh,
         int64_t kw, int64_t stride, int64_t pad);
/// Batch norm with batch statistics over (n, s) per channel; fills the biased mean and variance.
Vec bn_train(const FVec& x, int64_t n, int64_t c, int64_t s, const FVec& gamma, const FVec& beta,
             double eps, Vec& mean, Vec& var);
/// Batch norm with given statistics.
Vec bn_infer(const FVec& x, int64_t n, int64_t c, int64_t s, const FVec& gamma, const FVec& beta,
             const FVec& mean, const FVec& var, double eps);
/// Max pooling; padded positions never win.
Vec maxpool(const FVec& x, Image in, Window win);
/// Average pooling; padded positions are not counted.
Vec avgpool(const FVec& x, Image in, Window win);
/// Output extent of a pooling or convolution window.
int64_t out_size(int64_t in, int64_t k, int64_t stride, int64_t pad);
/// y[b, u] = sum_f x[b, f] * w[u, f] + bias[u].
Vec fc(const FVec& x, int64_t n, int64_t features, const FVec& w, const FVec& bias, int64_t units);
/// Row-wise softmax.
Vec softmax(const FVec& x, int64_t n, int64_t f);

}  // namespace ferc::test::ref
