#include "ferc/memory_plan.h"

#include <algorithm>
#include <numeric>

namespace ferc {

int64_t MemoryPlan::total_bytes() const {
  return std::accumulate(buffer_bytes.begin(), buffer_bytes.end(), int64_t{0});
}

MemoryPlan plan_memory(const std::vector<TensorLife>& tensors, bool reuse) {
  MemoryPlan plan;
  plan.buffer_of.assign(tensors.size(), -1);
  std::vector<size_t> order(tensors.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return tensors[a].first_step < tensors[b].first_step;
  });

  std::vector<int> busy_until;  // per buffer: last step of its current tenant
  for (size_t t : order) {
    const TensorLife& life = tensors[t];
    if (life.bytes <= 0) continue;
    int chosen = -1;
    if (reuse) {
      // Best fit among free buffers: the smallest that is big enough, else the largest.
      for (size_t b = 0; b < plan.buffer_bytes.size(); ++b) {
        if (busy_until[b] >= life.first_step) continue;
        if (chosen < 0) {
          chosen = static_cast<int>(b);
          continue;
        }
        int64_t have = plan.buffer_bytes[b], best = plan.buffer_bytes[chosen];
        bool fits = have >= life.bytes, best_fits = best >= life.bytes;
        if ((fits && (!best_fits || have < best)) || (!fits && !best_fits && have > best))
          chosen = static_cast<int>(b);
      }
    }
    if (chosen < 0) {
      chosen = static_cast<int>(plan.buffer_bytes.size());
      plan.buffer_bytes.push_back(0);
      busy_until.push_back(-1);
    }
    plan.buffer_bytes[chosen] = std::max(plan.buffer_bytes[chosen], life.bytes);
    busy_until[chosen] = life.last_step;
    plan.buffer_of[t] = chosen;
  }
  return plan;
}

}  // namespace ferc
