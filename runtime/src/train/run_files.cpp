#include "run_files.h"

#include "ferc/metrics.h"

namespace ferc::runfiles {

RunFiles run_files(const std::filesystem::path& out_dir, int run, int runs) {
  RunFiles f;
  f.dir = runs > 1 ? out_dir / ("run-" + std::to_string(run)) : out_dir;
  f.history_csv = f.dir / "history.csv";
  f.cost_png = f.dir / "cost.png";
  f.error_png = f.dir / "error.png";
  f.last = f.dir / "last.ckpt";
  f.best = f.dir / "best.ckpt";
  return f;
}

void write_epoch_reports(const RunFiles& files, const History& history) {
  std::filesystem::create_directories(files.dir);
  write_history_csv(history, files.history_csv);
  write_curve_pngs(history, files.cost_png, files.error_png);
}

}  // namespace ferc::runfiles
