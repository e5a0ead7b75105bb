#include "synthetic.h"

#include <random>

namespace ferc::test {

Dataset squares(int per_class, uint32_t seed) {
  Dataset d;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> noise(0, 60), jitter(0, 3);
  for (int i = 0; i < per_class * kNumClasses; ++i) {
    const int label = i % kNumClasses;
    const int top = (label / 4) * 24 + 4 + jitter(rng), left = (label % 4) * 12 + jitter(rng) / 2;
    for (int y = 0; y < 48; ++y)
      for (int x = 0; x < 48; ++x) {
        bool in_square = y >= top && y < top + 12 && x >= left && x < left + 10;
        d.pixels.push_back(static_cast<uint8_t>(in_square ? 200 + noise(rng) / 2 : noise(rng)));
      }
    d.labels.push_back(label);
    d.sources.push_back("squares:" + std::to_string(i));
  }
  return d;
}

Fer2013 squares_fer2013(int train_per_class, int eval_per_class) {
  Fer2013 f;
  f.train = squares(train_per_class, 1);
  f.val = squares(eval_per_class, 2);
  f.test = squares(eval_per_class, 3);
  return f;
}

}  // namespace ferc::test
