// When and how the CPU kernels spread a loop over OpenMP threads.
#pragma once

#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace ferc::cpu {

/// Elements below which one thread is faster than waking the others.
constexpr int64_t kParallelFrom = 1 << 15;

/// True when a loop over `elements` floats is worth running on several threads.
inline bool worth_threads(int64_t elements) {
  return elements >= kParallelFrom;
}

/// Calls body(begin, end) on contiguous slices of [0, n), one per thread when n is large.
/// Keeping the split outside the body leaves its inner loop a plain one the compiler vectorises.
template <class F>
void parallel_slices(int64_t n, F&& body) {
  if (!worth_threads(n) || omp_get_max_threads() == 1) return body(int64_t{0}, n);
#pragma omp parallel
  {
    int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    // Slices start on 64-byte boundaries so that no cache line is written by two threads.
    int64_t slice = ((n + threads - 1) / threads + 15) / 16 * 16;
    int64_t begin = std::min(n, t * slice), end = std::min(n, begin + slice);
    if (begin < end) body(begin, end);
  }
}

}  // namespace ferc::cpu
