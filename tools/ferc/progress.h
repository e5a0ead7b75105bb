// The training progress line and epoch summaries on the terminal.
#pragma once

#include "ferc/history.h"
#include "ferc/train.h"

namespace ferc::cli {

class ProgressPrinter {
 public:
  /// interactive: redraw one line in place (a TTY); else print only epoch summaries.
  explicit ProgressPrinter(bool interactive) : interactive_(interactive) {}
  void progress(const TrainProgress& p);
  void epoch(int run, int runs, int epochs, const EpochRecord& r, bool best);
  /// Ends a progress line left open, so that what follows starts on a line of its own.
  void end_line();

 private:
  bool interactive_;
  bool line_open_ = false;
};

/// "1:02:03" or "4:05".
std::string format_duration(double seconds);

}  // namespace ferc::cli
