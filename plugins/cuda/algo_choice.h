// Choosing among the results of cudnnFindConvolution*Algorithm. Header-only and free of device
// calls, so the rules are tested without a GPU.
#pragma once

#include <cudnn.h>

#include <cstddef>

namespace ferc::cuda {

/// Index into `perf` (n results, fastest first) of the algorithm to use, or -1 when none fits:
/// it must have run (status success), need at most `max_workspace` bytes and not depend on
/// tensor-core math (TF32 would drift about 1e-3 from the CPU plugin; the descriptor asks for
/// FMA math). Among those, the fastest deterministic one wins, so that training runs repeat
/// bit for bit; only when there is none does a nondeterministic one (atomics) qualify.
template <class Perf>
int choose_algo(const Perf* perf, int n, size_t max_workspace) {
  int any = -1;
  for (int i = 0; i < n; ++i) {
    const Perf& p = perf[i];
    if (p.status != CUDNN_STATUS_SUCCESS || p.memory > max_workspace) continue;
    if (p.mathType == CUDNN_TENSOR_OP_MATH || p.mathType == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION)
      continue;
    if (p.determinism == CUDNN_DETERMINISTIC) return i;
    if (any < 0) any = i;
  }
  return any;
}

}  // namespace ferc::cuda
