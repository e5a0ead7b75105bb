// Classification metrics and the reports built from them: terminal table, JSON, PNG figures.
#pragma once

#include <array>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferc/classes.h"
#include "ferc/history.h"

namespace ferc {

/// Scores of one class. A class never predicted has precision 0 and predicted == 0.
struct ClassMetrics {
  double precision = 0, recall = 0, f1 = 0;
  int64_t support = 0;    // true samples of the class
  int64_t predicted = 0;  // samples predicted as the class
};

/// Scores of a whole evaluation set.
struct Metrics {
  int64_t total = 0;
  double accuracy = 0;                                                    // a fraction
  std::array<std::array<int64_t, kNumClasses>, kNumClasses> confusion{};  // [true][predicted]
  std::array<ClassMetrics, kNumClasses> per_class{};
  double macro_f1 = 0, weighted_f1 = 0;
  double mean_cost = 0;  // mean cross-entropy when known
};

/// truth and predicted hold class indices 0..kNumClasses-1; sizes must match (else ferc::Error).
Metrics compute_metrics(std::span<const int32_t> truth, std::span<const int32_t> predicted);

/// A terminal table: accuracy, per-class precision/recall/F1/support, macro and weighted
/// averages, both confusion matrices, and a line for each class the model never predicts.
std::string format_metrics(const Metrics& m);

/// keys: classes, total, accuracy, confusion, confusion_normalized,
/// per_class{name:{precision,recall,f1,support,predicted}}, macro_f1, weighted_f1,
/// never_predicted, and mean_cost when it is known (> 0).
nlohmann::json metrics_json(const Metrics& m);

/// Confusion matrix heat-map (row-normalised colours with a scale, counts and percentages in
/// the cells), 760x670 pixels. Creates missing parent directories.
void write_confusion_png(const Metrics& m, const std::filesystem::path& path);

/// The report's two figures: cost per epoch and error per epoch (in percent), training and
/// validation, 820x520 pixels each. Throws ferc::Error for an empty history.
void write_curve_pngs(const History& h, const std::filesystem::path& cost_png,
                      const std::filesystem::path& error_png);

/// Header epoch,train_cost,train_error,val_cost,val_error,lr,seconds,images_per_s, then one
/// row per epoch with numbers in their shortest exact form.
void write_history_csv(const History& h, const std::filesystem::path& path);

}  // namespace ferc
