// Helpers shared by the report writers.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ferc/metrics.h"

namespace ferc::report {

/// Row `t` of the confusion matrix as fractions of its true samples (zeros for an empty row).
std::array<double, kNumClasses> row_fractions(const Metrics& m, int t);

/// Names of the classes the model never predicted, in class order.
std::vector<std::string> never_predicted(const Metrics& m);

/// Creates the parent directory of an output file; `what` names the file kind in errors.
void make_parent_dir(const std::filesystem::path& path, const std::string& what);

}  // namespace ferc::report
