#include "reference.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ferc::test::ref {

int64_t out_size(int64_t in, int64_t k, int64_t stride, int64_t pad) {
  return (in + 2 * pad - k) / stride + 1;
}

Vec conv(const FVec& x, Image in, const FVec& weight, const FVec& bias, int64_t o, int64_t kh,
         int64_t kw, int64_t stride, int64_t pad) {
  int64_t oh = out_size(in.h, kh, stride, pad), ow = out_size(in.w, kw, stride, pad);
  Vec y(static_cast<size_t>(in.n * o * oh * ow));
  for (int64_t b = 0; b < in.n; ++b)
    for (int64_t oc = 0; oc < o; ++oc)
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          double s = bias.empty() ? 0.0 : bias[oc];
          for (int64_t ic = 0; ic < in.c; ++ic)
            for (int64_t ky = 0; ky < kh; ++ky)
              for (int64_t kx = 0; kx < kw; ++kx) {
                int64_t iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
                s += double(x[((b * in.c + ic) * in.h + iy) * in.w + ix]) *
                     weight[((oc * in.c + ic) * kh + ky) * kw + kx];
              }
          y[((b * o + oc) * oh + oy) * ow + ox] = s;
        }
  return y;
}

Vec bn_train(const FVec& x, int64_t n, int64_t c, int64_t s, const FVec& gamma, const FVec& beta,
             double eps, Vec& mean, Vec& var) {
  mean.assign(c, 0.0);
  var.assign(c, 0.0);
  double m = double(n * s);
  for (int64_t ch = 0; ch < c; ++ch) {
    for (int64_t b = 0; b < n; ++b)
      for (int64_t i = 0; i < s; ++i) mean[ch] += x[(b * c + ch) * s + i] / m;
    for (int64_t b = 0; b < n; ++b)
      for (int64_t i = 0; i < s; ++i) {
        double d = x[(b * c + ch) * s + i] - mean[ch];
        var[ch] += d * d / m;
      }
  }
  FVec fm(mean.begin(), mean.end()), fv(var.begin(), var.end());
  Vec y(x.size());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t i = 0; i < s; ++i) {
        size_t k = static_cast<size_t>((b * c + ch) * s + i);
        y[k] = gamma[ch] * (x[k] - mean[ch]) / std::sqrt(var[ch] + eps) + beta[ch];
      }
  return y;
}

Vec bn_infer(const FVec& x, int64_t n, int64_t c, int64_t s, const FVec& gamma, const FVec& beta,
             const FVec& mean, const FVec& var, double eps) {
  Vec y(x.size());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t i = 0; i < s; ++i) {
        size_t k = static_cast<size_t>((b * c + ch) * s + i);
        y[k] = gamma[ch] * (x[k] - double(mean[ch])) / std::sqrt(double(var[ch]) + eps) + beta[ch];
      }
  return y;
}

namespace {

// Applies `reduce(values in window)` over every output position.
template <class F>
Vec pool(const FVec& x, Image in, Window win, F reduce) {
  int64_t oh = out_size(in.h, win.k, win.stride, win.pad);
  int64_t ow = out_size(in.w, win.k, win.stride, win.pad);
  Vec y(static_cast<size_t>(in.n * in.c * oh * ow));
  for (int64_t p = 0; p < in.n * in.c; ++p)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox) {
        Vec window;
        for (int64_t ky = 0; ky < win.k; ++ky)
          for (int64_t kx = 0; kx < win.k; ++kx) {
            int64_t iy = oy * win.stride - win.pad + ky, ix = ox * win.stride - win.pad + kx;
            if (iy >= 0 && iy < in.h && ix >= 0 && ix < in.w)
              window.push_back(x[(p * in.h + iy) * in.w + ix]);
          }
        y[(p * oh + oy) * ow + ox] = reduce(window);
      }
  return y;
}

}  // namespace

Vec maxpool(const FVec& x, Image in, Window win) {
  return pool(x, in, win, [](const Vec& w) { return *std::max_element(w.begin(), w.end()); });
}

Vec avgpool(const FVec& x, Image in, Window win) {
  return pool(x, in, win, [](const Vec& w) {
    double s = 0;
    for (double v : w) s += v;
    return s / double(w.size());
  });
}

Vec fc(const FVec& x, int64_t n, int64_t features, const FVec& w, const FVec& bias, int64_t units) {
  Vec y(static_cast<size_t>(n * units));
  for (int64_t b = 0; b < n; ++b)
    for (int64_t u = 0; u < units; ++u) {
      double s = bias.empty() ? 0.0 : bias[u];
      for (int64_t f = 0; f < features; ++f) s += double(x[b * features + f]) * w[u * features + f];
      y[b * units + u] = s;
    }
  return y;
}

Vec softmax(const FVec& x, int64_t n, int64_t f) {
  Vec y(x.size());
  for (int64_t b = 0; b < n; ++b) {
    double top = -std::numeric_limits<double>::infinity(), sum = 0;
    for (int64_t i = 0; i < f; ++i) top = std::max(top, double(x[b * f + i]));
    for (int64_t i = 0; i < f; ++i) sum += std::exp(x[b * f + i] - top);
    for (int64_t i = 0; i < f; ++i) y[b * f + i] = std::exp(x[b * f + i] - top) / sum;
  }
  return y;
}

}  // namespace ferc::test::ref
