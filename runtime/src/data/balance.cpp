// Epoch orders and class weights that compensate for FER2013's rare classes.
#include <algorithm>
#include <numeric>

#include "ferc/data.h"
#include "ferc/error.h"
#include "rng.h"

namespace ferc {
namespace {

std::array<std::vector<uint32_t>, kNumClasses> indices_by_class(const Dataset& data) {
  std::array<std::vector<uint32_t>, kNumClasses> by_class;
  for (size_t i = 0; i < data.size(); ++i) {
    int32_t label = data.labels[i];
    FERC_ASSERT(label >= 0 && label < kNumClasses, "label " + std::to_string(label));
    by_class[static_cast<size_t>(label)].push_back(static_cast<uint32_t>(i));
  }
  return by_class;
}

// Every class grown to the largest one's count: whole copies, then a shuffled remainder, so
// each image of a class appears the same number of times give or take one.
std::vector<uint32_t> oversampled(const Dataset& data, std::mt19937_64& rng) {
  auto by_class = indices_by_class(data);
  size_t largest = 0;
  for (const auto& members : by_class) largest = std::max(largest, members.size());
  std::vector<uint32_t> order;
  for (auto& members : by_class) {
    if (members.empty()) continue;
    for (size_t copies = largest / members.size(); copies > 0; --copies)
      order.insert(order.end(), members.begin(), members.end());
    data::shuffle(members, rng);
    order.insert(order.end(), members.begin(), members.begin() + largest % members.size());
  }
  return order;
}

}  // namespace

std::vector<uint32_t> epoch_order(const Dataset& data, Balance balance, uint64_t seed, int epoch) {
  std::mt19937_64 rng = data::make_rng(seed, static_cast<uint64_t>(epoch));
  std::vector<uint32_t> order;
  if (balance == Balance::Oversample) {
    order = oversampled(data, rng);
  } else {
    order.resize(data.size());
    std::iota(order.begin(), order.end(), 0u);
  }
  data::shuffle(order, rng);
  return order;
}

std::array<float, kNumClasses> class_weights(const Dataset& data) {
  std::array<int64_t, kNumClasses> counts = data.class_counts();
  auto present = std::count_if(counts.begin(), counts.end(), [](int64_t n) { return n > 0; });
  std::array<float, kNumClasses> weights{};
  if (present == 0) {
    weights.fill(1.0f);
    return weights;
  }
  // w_c = N / (K n_c): every present class carries the same total weight, and the weights
  // summed over the N samples give N.
  double total = static_cast<double>(data.size());
  for (size_t c = 0; c < weights.size(); ++c)
    if (counts[c] > 0)
      weights[c] = static_cast<float>(total / (static_cast<double>(present) * counts[c]));
  return weights;
}

}  // namespace ferc
