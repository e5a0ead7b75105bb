#include "memory.h"

#include <omp.h>

#include <cstdlib>
#include <cstring>

#include "ferc/plugin_abi.h"

namespace ferc::cpu {
namespace {
constexpr size_t kAlign = 64;
constexpr long kParallelFrom = 1 << 16;  // elements; below this one thread is faster
}  // namespace

void* alloc(size_t bytes) {
  // aligned_alloc wants a size that is a multiple of the alignment.
  size_t rounded = (bytes + kAlign - 1) / kAlign * kAlign;
  return std::aligned_alloc(kAlign, rounded == 0 ? kAlign : rounded);
}

void release(void* ptr) {
  std::free(ptr);
}

int copy(void* dst, const void* src, size_t bytes) {
  if (bytes) std::memcpy(dst, src, bytes);
  return FERC_OK;
}

int fill(float* dst, float value, size_t count) {
  long n = static_cast<long>(count);
#pragma omp parallel for simd if (n > kParallelFrom)
  for (long i = 0; i < n; ++i) dst[i] = value;
  return FERC_OK;
}

int axpy(float alpha, const float* x, float* y, size_t count) {
  long n = static_cast<long>(count);
#pragma omp parallel for simd if (n > kParallelFrom)
  for (long i = 0; i < n; ++i) y[i] += alpha * x[i];
  return FERC_OK;
}

void set_threads(int n) {
  if (n > 0) omp_set_num_threads(n);
}

}  // namespace ferc::cpu
