#include "ferc/data.h"
#include "ferc/error.h"

namespace ferc {

std::array<int64_t, kNumClasses> Dataset::class_counts() const {
  std::array<int64_t, kNumClasses> counts{};
  for (int32_t label : labels) {
    FERC_ASSERT(label >= 0 && label < kNumClasses, "label " + std::to_string(label));
    ++counts[static_cast<size_t>(label)];
  }
  return counts;
}

}  // namespace ferc
