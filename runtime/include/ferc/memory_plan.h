// Assigning activation and gradient tensors to shared buffers by lifetime.
#pragma once

#include <cstdint>
#include <vector>

namespace ferc {

/// A tensor the schedule needs: its size and the first and last step that touch it.
struct TensorLife {
  int64_t bytes = 0;
  int first_step = 0;
  int last_step = 0;  // inclusive
};

struct MemoryPlan {
  std::vector<int> buffer_of;         // per tensor: index into buffer_bytes
  std::vector<int64_t> buffer_bytes;  // size of each buffer
  int64_t total_bytes() const;
};

/// With reuse, a buffer is handed to a later tensor once the last step of every tensor it held
/// is done (best fit by size, growing a buffer when none is big enough); without reuse every
/// tensor gets its own buffer. Two tensors whose lifetimes overlap never share a buffer.
MemoryPlan plan_memory(const std::vector<TensorLife>& tensors, bool reuse);

}  // namespace ferc
