// The terminal form of a Metrics: fixed-width columns so the numbers line up.
#include <cmath>
#include <cstdio>
#include <string>

#include "ferc/metrics.h"
#include "report_util.h"

namespace ferc {
namespace {

constexpr int kNameWidth = 14;  // fits "weighted avg" and every class name
constexpr int kColWidth = 10;

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string pad_left(const std::string& s, int width) {
  return s.size() >= size_t(width) ? s : std::string(width - s.size(), ' ') + s;
}

std::string pad_right(const std::string& s, int width) {
  return s.size() >= size_t(width) ? s : s + std::string(width - s.size(), ' ');
}

std::string score_row(const std::string& name, double p, double r, double f1, int64_t support,
                      const char* note = "") {
  return pad_right(name, kNameWidth) + pad_left(fmt("%.4f", p), kColWidth) +
         pad_left(fmt("%.4f", r), kColWidth) + pad_left(fmt("%.4f", f1), kColWidth) +
         pad_left(std::to_string(support), kColWidth) + note + "\n";
}

std::string scores(const Metrics& m) {
  std::string out = pad_right("class", kNameWidth) + pad_left("precision", kColWidth) +
                    pad_left("recall", kColWidth) + pad_left("f1", kColWidth) +
                    pad_left("support", kColWidth) + "\n";
  double macro_p = 0, macro_r = 0, weighted_p = 0, weighted_r = 0;
  for (int c = 0; c < kNumClasses; ++c) {
    const ClassMetrics& k = m.per_class[c];
    // Precision 0 of a class never predicted means "undefined", not "always wrong": flag it.
    out += score_row(std::string(kClassNames[c]), k.precision, k.recall, k.f1, k.support,
                     k.predicted == 0 ? "  never predicted" : "");
    const double share = m.total ? double(k.support) / double(m.total) : 0.0;
    macro_p += k.precision / kNumClasses;
    macro_r += k.recall / kNumClasses;
    weighted_p += k.precision * share;
    weighted_r += k.recall * share;
  }
  out += "\n" + score_row("macro avg", macro_p, macro_r, m.macro_f1, m.total);
  out += score_row("weighted avg", weighted_p, weighted_r, m.weighted_f1, m.total);
  return out;
}

std::string confusion_header(const char* title) {
  std::string out = std::string(title) + "\n" + pad_right("true \\ pred", kNameWidth);
  for (std::string_view name : kClassNames) out += pad_left(std::string(name), kColWidth);
  return out + "\n";
}

std::string confusion_counts(const Metrics& m) {
  std::string out = confusion_header("confusion matrix (counts; rows true, columns predicted)");
  for (int t = 0; t < kNumClasses; ++t) {
    out += pad_right(std::string(kClassNames[t]), kNameWidth);
    for (int64_t n : m.confusion[t]) out += pad_left(std::to_string(n), kColWidth);
    out += "\n";
  }
  return out;
}

std::string confusion_percent(const Metrics& m) {
  std::string out = confusion_header("confusion matrix (percent of each true class)");
  for (int t = 0; t < kNumClasses; ++t) {
    out += pad_right(std::string(kClassNames[t]), kNameWidth);
    for (double f : report::row_fractions(m, t)) out += pad_left(fmt("%.1f%%", 100 * f), kColWidth);
    out += "\n";
  }
  return out;
}

std::string summary(const Metrics& m) {
  std::string out = "accuracy " + fmt("%.2f%%", 100 * m.accuracy) + " (" +
                    std::to_string(std::lround(m.accuracy * double(m.total))) + " of " +
                    std::to_string(m.total) + ")\n";
  if (m.mean_cost > 0) out += "mean cost " + fmt("%.4f", m.mean_cost) + "\n";
  return out;
}

}  // namespace

std::string format_metrics(const Metrics& m) {
  std::string out =
      summary(m) + "\n" + scores(m) + "\n" + confusion_counts(m) + "\n" + confusion_percent(m);
  const std::vector<std::string> never = report::never_predicted(m);
  if (!never.empty()) {
    out += "\nnever predicted:";
    for (size_t i = 0; i < never.size(); ++i) out += (i ? ", " : " ") + never[i];
    out += "\n";
  }
  return out;
}

}  // namespace ferc
