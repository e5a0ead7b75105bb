// When the CPU kernels spread a loop over OpenMP threads.
#pragma once

#include <cstdint>

namespace ferc::cpu {

/// Elements below which one thread is faster than waking the others.
constexpr int64_t kParallelFrom = 1 << 15;

/// True when a loop over `elements` floats is worth running on several threads.
inline bool worth_threads(int64_t elements) {
  return elements >= kParallelFrom;
}

}  // namespace ferc::cpu
