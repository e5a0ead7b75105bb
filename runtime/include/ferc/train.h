// Training a graph on FER2013: settings from the model's train block (overridable), epochs
// with balancing and augmentation, validation-based selection of the best weights, several
// runs with different shuffling seeds, checkpoints and exact resume.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ferc/data.h"
#include "ferc/executor.h"
#include "ferc/graph.h"
#include "ferc/metrics.h"
#include "ferc/plugin_host.h"

namespace ferc {

/// The training regime, resolved from the model's train block and command-line overrides.
struct TrainSettings {
  std::string optimizer = "sgd";  // sgd | adam
  double lr = 0.01, momentum = 0.9, weight_decay = 0.0;
  bool nesterov = false;
  double beta1 = 0.9, beta2 = 0.999;
  double lr_decay = 1.0;  // the learning rate is multiplied by this every lr_step epochs
  int lr_step = 1;
  int batch = 30, epochs = 30, runs = 1;
  uint64_t seed = 1;
  Balance balance = Balance::Oversample;
  bool flip = true;
  int shift = 0;

  /// Learning rate of a 1-based epoch.
  double lr_at(int epoch) const;
  /// "key=value" lines of every setting, in a fixed order (stored in checkpoints).
  std::string to_text() const;
};

/// Every key the train block accepts, with a one-line description, for `--help`.
std::vector<std::pair<std::string, std::string>> train_setting_docs();

/// Resolves g.train, then `overrides` (key -> DSL value text). A bad key or value in the model
/// is a SourceError at its position; a bad override is an Error naming the flag.
TrainSettings resolve_settings(const Graph& g, const std::map<std::string, std::string>& overrides);

/// Progress of the running epoch, reported a few times a second.
struct TrainProgress {
  int run = 1, runs = 1, epoch = 1, epochs = 1;
  int64_t batch = 0, batches = 0;
  double loss = 0;          // mean training cost so far in this epoch
  double images_per_s = 0;  // in this epoch so far
  double eta_s = 0;         // estimated seconds to the end of all runs
};

class RunFolder;

struct TrainOptions {
  std::filesystem::path out_dir = "runs/latest";
  /// When out_dir exists already, claim out_dir-2, out_dir-3, ... instead of refusing (for
  /// generated names, which two trainings started in the same second share).
  bool fresh_name = false;
  std::string device = "cpu";
  std::optional<std::filesystem::path> resume;  // a last.ckpt to continue from
  const std::atomic<bool>* stop = nullptr;      // set asynchronously (a signal) to stop cleanly
  /// The caller's claim on out_dir (claim_run_folder); without one, train() claims the folder
  /// itself for its duration.
  const RunFolder* folder = nullptr;
  std::function<void(const TrainProgress&)> on_progress;
  std::function<void(int run, const EpochRecord&, bool best)> on_epoch;
};

struct TrainOutcome {
  bool interrupted = false;
  std::filesystem::path last_checkpoint;  // when interrupted: where to resume from (may not exist)
  int best_run = 1;
  double best_val_error = 1.0;
  std::filesystem::path best_checkpoint;
  History history;       // of the best run
  Metrics test_metrics;  // of the best weights on the test split (empty when interrupted)
};

/// Trains and writes into options.out_dir: history.csv, cost.png, error.png, last.ckpt,
/// best.ckpt (per run in run-N/ when runs > 1, the best run's weights as best.ckpt at the top),
/// test_metrics.json and confusion.png.
TrainOutcome train(const Graph& graph, const PluginHost& plugins, const Fer2013& data,
                   const TrainSettings& settings, const TrainOptions& options);

/// Throws a SourceError at the last layer when the model does not give one score per class.
void check_class_count(const Graph& g);

/// Everything about the model that training on FER2013 needs, checked before any data loads:
/// an input of 1x48x48 grayscale images, a final softmax, and one score per class. Throws a
/// SourceError at the offending statement.
void check_trainable(const Graph& g);

/// A run folder held by one training: a lock file (`.ferc-lock`, holding the process id) is
/// locked with flock() while the object lives, so a second training into the same folder is
/// refused, and the lock goes with the process however it ends. Releasing it removes the lock
/// file and, when this claim created the folder and nothing was saved in it, the folder.
class RunFolder {
 public:
  RunFolder() = default;
  RunFolder(RunFolder&& other) noexcept;
  RunFolder& operator=(RunFolder&& other) noexcept;
  RunFolder(const RunFolder&) = delete;
  RunFolder& operator=(const RunFolder&) = delete;
  ~RunFolder() { release(); }

  const std::filesystem::path& dir() const { return dir_; }
  void release();

 private:
  friend RunFolder claim_run_folder(const TrainOptions& options, int runs);
  std::filesystem::path dir_;
  int fd_ = -1;
  bool created_ = false;
};

/// Claims options.out_dir for a training of `runs` runs: creates it (atomically; with
/// fresh_name, the first free out_dir-N), checks it can be written, locks it, and refuses a
/// folder that another training holds, one that already holds a run (unless resuming), and a
/// resume whose checkpoint lies in another run folder than out_dir.
RunFolder claim_run_folder(const TrainOptions& options, int runs);

/// The run folder a checkpoint belongs to: its folder, or the one above run-N/ for runs > 1.
std::filesystem::path run_folder_of(const std::filesystem::path& checkpoint, int runs);

/// Class predictions and the mean cross-entropy of `exec` (inference) over a dataset.
Metrics evaluate(Executor& exec, const Dataset& data, const Preprocessing& prep, int batch);

}  // namespace ferc
