// One row per epoch of training, as written to the run's CSV and plotted.
#pragma once

#include <vector>

namespace ferc {

struct EpochRecord {
  int epoch = 0;                           // 1-based
  double train_cost = 0, train_error = 0;  // mean loss and error fraction over the epoch
  double val_cost = 0, val_error = 0;
  double lr = 0;       // learning rate used in the epoch
  double seconds = 0;  // wall time of the epoch
  double images_per_s = 0;
};

using History = std::vector<EpochRecord>;

}  // namespace ferc
