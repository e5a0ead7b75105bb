// Where a training run keeps its files, and writing the per-epoch reports.
#pragma once

#include <filesystem>

#include "ferc/history.h"

namespace ferc::runfiles {

struct RunFiles {
  std::filesystem::path dir, history_csv, cost_png, error_png, last, best;
};

/// out_dir itself for a single run; out_dir/run-N for each of several.
RunFiles run_files(const std::filesystem::path& out_dir, int run, int runs);

/// Rewrites the CSV and both curve figures from the history so far.
void write_epoch_reports(const RunFiles& files, const History& history);

}  // namespace ferc::runfiles
