#include "progress.h"

#include <cstdio>

namespace ferc::cli {

std::string format_duration(double seconds) {
  long s = seconds > 0 ? static_cast<long>(seconds + 0.5) : 0;
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

void ProgressPrinter::progress(const TrainProgress& p) {
  if (!interactive_) return;
  constexpr int kWidth = 24;
  int filled = p.batches ? static_cast<int>(kWidth * p.batch / p.batches) : 0;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::string run =
      p.runs > 1 ? "run " + std::to_string(p.run) + "/" + std::to_string(p.runs) + " " : "";
  std::fprintf(stderr, "\r\033[K%sepoch %d/%d [%s] %lld/%lld  loss %.4f  %.0f img/s  left %s",
               run.c_str(), p.epoch, p.epochs, bar.c_str(), static_cast<long long>(p.batch),
               static_cast<long long>(p.batches), p.loss, p.images_per_s,
               format_duration(p.eta_s).c_str());
  std::fflush(stderr);
  line_open_ = true;
}

void ProgressPrinter::epoch(int run, int runs, int epochs, const EpochRecord& r, bool best) {
  if (line_open_) std::fprintf(stderr, "\r\033[K");
  line_open_ = false;
  std::string prefix =
      runs > 1 ? "run " + std::to_string(run) + "/" + std::to_string(runs) + " " : "";
  std::fprintf(stderr,
               "%sepoch %3d/%d  train cost %.4f error %5.2f%%  val cost %.4f error %5.2f%%  "
               "lr %.3g  %.1f s  %.0f img/s%s\n",
               prefix.c_str(), r.epoch, epochs, r.train_cost, 100 * r.train_error, r.val_cost,
               100 * r.val_error, r.lr, r.seconds, r.images_per_s, best ? "  best" : "");
}

void ProgressPrinter::end_line() {
  if (line_open_) std::fprintf(stderr, "\n");
  line_open_ = false;
}

}  // namespace ferc::cli
