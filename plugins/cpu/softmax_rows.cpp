#include "softmax_rows.h"

#include <cmath>

namespace ferc::cpu {

void softmax_rows(const float* x, float* y, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    float top = xr[0];
    for (int64_t i = 1; i < cols; ++i) top = xr[i] > top ? xr[i] : top;
    double sum = 0;
    for (int64_t i = 0; i < cols; ++i) {
      yr[i] = std::exp(xr[i] - top);  // shifted by the max so exp cannot overflow
      sum += yr[i];
    }
    float inv = static_cast<float>(1.0 / sum);
    for (int64_t i = 0; i < cols; ++i) yr[i] *= inv;
  }
}

}  // namespace ferc::cpu
