#include <string>

#include "ferc/error.h"
#include "ferc/metrics.h"

namespace ferc {
namespace {

double ratio(int64_t num, int64_t den) {
  return den == 0 ? 0.0 : double(num) / double(den);
}

void check_labels(std::span<const int32_t> labels, const char* which) {
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= kNumClasses)
      throw Error(std::string("compute_metrics: ") + which + " label at index " +
                  std::to_string(i) + " is " + std::to_string(labels[i]) +
                  "; class indices must be 0.." + std::to_string(kNumClasses - 1));
}

ClassMetrics class_metrics(const Metrics& m, int c) {
  ClassMetrics r;
  const int64_t tp = m.confusion[c][c];
  for (int k = 0; k < kNumClasses; ++k) {
    r.support += m.confusion[c][k];
    r.predicted += m.confusion[k][c];
  }
  // A class the model never predicts has no precision to speak of; it counts as 0.
  r.precision = ratio(tp, r.predicted);
  r.recall = ratio(tp, r.support);
  const double sum = r.precision + r.recall;
  r.f1 = sum == 0 ? 0.0 : 2 * r.precision * r.recall / sum;
  return r;
}

}  // namespace

Metrics compute_metrics(std::span<const int32_t> truth, std::span<const int32_t> predicted) {
  if (truth.size() != predicted.size())
    throw Error("compute_metrics: " + std::to_string(truth.size()) + " true labels but " +
                std::to_string(predicted.size()) + " predictions; pass one prediction per sample");
  check_labels(truth, "true");
  check_labels(predicted, "predicted");
  Metrics m;
  m.total = static_cast<int64_t>(truth.size());
  int64_t correct = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    ++m.confusion[truth[i]][predicted[i]];
    correct += truth[i] == predicted[i];
  }
  m.accuracy = ratio(correct, m.total);
  for (int c = 0; c < kNumClasses; ++c) {
    m.per_class[c] = class_metrics(m, c);
    m.macro_f1 += m.per_class[c].f1 / kNumClasses;
    m.weighted_f1 += m.per_class[c].f1 * ratio(m.per_class[c].support, m.total);
  }
  return m;
}

}  // namespace ferc
