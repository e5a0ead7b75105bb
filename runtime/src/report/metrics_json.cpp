#include "ferc/metrics.h"
#include "report_util.h"

namespace ferc {

nlohmann::json metrics_json(const Metrics& m) {
  nlohmann::json j;
  j["classes"] = nlohmann::json::array();
  for (std::string_view name : kClassNames) j["classes"].push_back(std::string(name));
  j["total"] = m.total;
  j["accuracy"] = m.accuracy;
  if (m.mean_cost > 0) j["mean_cost"] = m.mean_cost;
  j["confusion"] = nlohmann::json::array();
  j["confusion_normalized"] = nlohmann::json::array();
  for (int t = 0; t < kNumClasses; ++t) {
    j["confusion"].push_back(m.confusion[t]);
    j["confusion_normalized"].push_back(report::row_fractions(m, t));
  }
  j["per_class"] = nlohmann::json::object();
  for (int c = 0; c < kNumClasses; ++c) {
    const ClassMetrics& k = m.per_class[c];
    j["per_class"][std::string(kClassNames[c])] = {{"precision", k.precision},
                                                   {"recall", k.recall},
                                                   {"f1", k.f1},
                                                   {"support", k.support},
                                                   {"predicted", k.predicted}};
  }
  j["macro_f1"] = m.macro_f1;
  j["weighted_f1"] = m.weighted_f1;
  j["never_predicted"] = report::never_predicted(m);
  return j;
}

}  // namespace ferc
