#include <algorithm>
#include <cmath>

#include "ferc/error.h"
#include "ferc/preprocess.h"
#include "ferc/train.h"

namespace ferc {

Metrics evaluate(Executor& exec, const Dataset& data, const Preprocessing& prep, int batch) {
  // Metrics of no images would print as a 0% accuracy that was never measured.
  if (data.size() == 0) throw Error("nothing to evaluate: the split holds no images");
  batch = std::min(batch, exec.options().max_batch);
  const size_t pixels = static_cast<size_t>(data.height * data.width);
  std::vector<float> images(static_cast<size_t>(batch) * pixels);
  std::vector<float> probs(static_cast<size_t>(batch) * kNumClasses);
  std::vector<int32_t> predicted(data.size());
  double ce = 0;
  for (size_t start = 0; start < data.size(); start += static_cast<size_t>(batch)) {
    int n = static_cast<int>(std::min<size_t>(static_cast<size_t>(batch), data.size() - start));
    for (int i = 0; i < n; ++i)
      normalize_image(prep, data.image(start + static_cast<size_t>(i)), images.data() + i * pixels);
    exec.forward(images.data(), n, probs.data());
    for (int i = 0; i < n; ++i) {
      const float* p = probs.data() + i * kNumClasses;
      size_t k = start + static_cast<size_t>(i);
      predicted[k] = static_cast<int32_t>(std::max_element(p, p + kNumClasses) - p);
      ce -= std::log(std::max(static_cast<double>(p[data.labels[k]]), 1e-30));
    }
  }
  Metrics m = compute_metrics(data.labels, predicted);
  m.mean_cost = data.size() ? ce / static_cast<double>(data.size()) : 0.0;
  return m;
}

}  // namespace ferc
