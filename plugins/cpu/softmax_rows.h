// Row-wise softmax shared by softmax and the fused softmax_cross_entropy kernel.
#pragma once

#include <cstdint>

namespace ferc::cpu {

/// y[r, :] = exp(x[r, :] - max) / sum, for `rows` rows of `cols` values.
void softmax_rows(const float* x, float* y, int64_t rows, int64_t cols);

}  // namespace ferc::cpu
