// Launch geometry shared by the plugin's own kernels: capped grids walked with grid-stride loops
// over 64-bit indices, so no tensor size overflows the grid or an index.
#pragma once

#include <cstdint>

namespace ferc::cuda {

constexpr int kThreads = 256;

/// Enough blocks for `count` threads, at least one; grid-stride loops cover anything beyond the
/// cap.
inline unsigned blocks_for(int64_t count) {
  int64_t b = (count + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 1 ? 1 : (b > 65535 * 8 ? 65535 * 8 : b));
}

/// This thread's first index in a grid-stride loop.
__device__ inline int64_t first_index() {
  return int64_t{blockIdx.x} * blockDim.x + threadIdx.x;
}

/// The step of a grid-stride loop: the number of threads in the grid.
__device__ inline int64_t grid_stride() {
  return int64_t{gridDim.x} * blockDim.x;
}

}  // namespace ferc::cuda
