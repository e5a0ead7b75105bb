// epoch_order and class_weights.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "ferc/data.h"

namespace ferc::test {
namespace {

// 5 angry, 2 disgust, 9 happy images (labels only; pixels are not looked at).
Dataset imbalanced() {
  Dataset d;
  for (int i = 0; i < 5; ++i) d.labels.push_back(0);
  for (int i = 0; i < 2; ++i) d.labels.push_back(1);
  for (int i = 0; i < 9; ++i) d.labels.push_back(3);
  d.pixels.resize(d.labels.size() * 48 * 48);
  d.sources.resize(d.labels.size());
  return d;
}

}  // namespace

TEST_CASE("epoch_order: None and ClassWeights give a permutation") {
  Dataset d = imbalanced();
  for (Balance b : {Balance::None, Balance::ClassWeights}) {
    std::vector<uint32_t> order = epoch_order(d, b, 7, 0);
    std::vector<uint32_t> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    std::vector<uint32_t> all(d.size());
    std::iota(all.begin(), all.end(), 0u);
    CHECK(sorted == all);
    CHECK(order != all);  // shuffled, not left in dataset order
  }
}

TEST_CASE("epoch_order: Oversample equalises the classes") {
  Dataset d = imbalanced();
  std::vector<uint32_t> order = epoch_order(d, Balance::Oversample, 7, 3);
  REQUIRE(order.size() == 27);
  std::array<int, kNumClasses> per_class{};
  std::map<uint32_t, int> per_image;
  for (uint32_t i : order) {
    ++per_class[static_cast<size_t>(d.labels[i])];
    ++per_image[i];
  }
  CHECK(per_class == std::array<int, kNumClasses>{9, 9, 0, 9, 0, 0, 0});
  // Each image is repeated as evenly as its class allows: disgust 2 -> 9 means 4 or 5 times.
  CHECK(per_image.size() == 16);
  CHECK(std::min(per_image[5], per_image[6]) == 4);
  CHECK(std::max(per_image[5], per_image[6]) == 5);
  for (uint32_t i = 0; i < 5; ++i) CHECK((per_image[i] == 1 || per_image[i] == 2));
  for (uint32_t i = 7; i < 16; ++i) CHECK(per_image[i] == 1);
}

TEST_CASE("epoch_order: depends only on seed and epoch") {
  Dataset d = imbalanced();
  for (Balance b : {Balance::None, Balance::Oversample}) {
    CHECK(epoch_order(d, b, 42, 5) == epoch_order(d, b, 42, 5));
    CHECK(epoch_order(d, b, 42, 5) != epoch_order(d, b, 42, 6));
    CHECK(epoch_order(d, b, 42, 5) != epoch_order(d, b, 43, 5));
  }
}

TEST_CASE("class_weights: inverse frequency with mean 1 over the samples") {
  Dataset d = imbalanced();
  std::array<float, kNumClasses> w = class_weights(d);
  double total = 0;
  for (int32_t label : d.labels) total += w[static_cast<size_t>(label)];
  CHECK(total / static_cast<double>(d.size()) == doctest::Approx(1.0).epsilon(1e-6));
  CHECK(w[1] / w[3] == doctest::Approx(9.0 / 2.0));
  CHECK(w[0] == doctest::Approx(16.0 / (3 * 5)));
  CHECK(w[2] == 0.0f);  // absent classes get no weight
}

}  // namespace ferc::test
