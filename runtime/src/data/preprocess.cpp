#include "ferc/preprocess.h"

#include <algorithm>
#include <cmath>

#include "ferc/error.h"

namespace ferc {
namespace {

// One grey level: a nearly flat image is not stretched beyond the 8-bit quantisation step, and
// a flat one becomes all zeros instead of dividing by zero.
constexpr double kMinStd = 1.0;

void normalize_per_image(const uint8_t* pixels, size_t n, float* out) {
  // Integer sums are exact, so the variance does not suffer from cancellation.
  int64_t sum = 0, sum_sq = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += pixels[i];
    sum_sq += int64_t{pixels[i]} * pixels[i];
  }
  auto count = static_cast<int64_t>(n);
  double mean = static_cast<double>(sum) / static_cast<double>(count);
  double var = static_cast<double>(count * sum_sq - sum * sum) / static_cast<double>(count * count);
  double inv = 1.0 / std::max(std::sqrt(var), kMinStd);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>((pixels[i] - mean) * inv);
}

}  // namespace

void normalize_image(const Preprocessing& p, const uint8_t* pixels, float* out) {
  if (p.channels <= 0 || p.height <= 0 || p.width <= 0)
    throw Error("preprocessing: image size must be positive, got " + std::to_string(p.channels) +
                "x" + std::to_string(p.height) + "x" + std::to_string(p.width));
  auto n = static_cast<size_t>(p.channels) * static_cast<size_t>(p.height) *
           static_cast<size_t>(p.width);
  if (p.normalize == "per_image") return normalize_per_image(pixels, n, out);
  throw Error("preprocessing: unknown normalize '" + p.normalize +
              "'; the only method is per_image");
}

}  // namespace ferc
