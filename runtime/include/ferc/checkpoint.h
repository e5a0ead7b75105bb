// Checkpoints: weights, the preprocessing they were trained with, and the state needed to
// resume training. Stored as Protobuf (runtime/src/checkpoint/checkpoint.proto) and written
// atomically: a reader sees the old file or the new one, never a torn one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ferc/history.h"
#include "ferc/preprocess.h"
#include "ferc/shape.h"

namespace ferc {

/// A named host tensor: "conv1.weight", or an optimizer slot "conv1.weight.velocity".
struct NamedTensor {
  std::string name;
  Shape shape;
  std::vector<float> data;
};

/// Everything needed to continue a run exactly where it stopped.
struct TrainState {
  int run = 0;          // which of --runs
  int epochs_done = 0;  // completed epochs
  int64_t step = 0;     // optimizer steps taken
  uint64_t seed = 0;
  double best_val_error = 1.0;
  int best_epoch = 0;
  std::string optimizer;  // "sgd" or "adam"
  std::string settings;   // resolved training settings, "key=value" lines
  History history;
  std::vector<NamedTensor> slots;  // optimizer state
};

/// Weights, the preprocessing they expect and, for a training run, the state to resume it.
struct Checkpoint {
  std::string model_name;
  std::string model_fingerprint;  // ops and shapes of the graph; weights for another net differ
  std::vector<NamedTensor> params;
  Preprocessing preprocessing;
  std::optional<TrainState> train;
};

/// Writes to `<path>.tmp-<pid>`, fsyncs it, renames it over `path` and fsyncs the directory.
/// Creates missing parent directories. Throws ferc::Error naming the path and the OS reason.
void save_checkpoint(const Checkpoint& ckpt, const std::filesystem::path& path);

/// Throws ferc::Error naming the path for a missing, empty, truncated, foreign or newer-format
/// file, and for a tensor whose data does not match its shape.
Checkpoint load_checkpoint(const std::filesystem::path& path);

}  // namespace ferc
