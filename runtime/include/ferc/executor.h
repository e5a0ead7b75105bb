// Runs a graph on loaded plugins: places nodes, plans memory, and executes inference,
// training steps (forward, fused loss, backward) and optimizer updates.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ferc/checkpoint.h"
#include "ferc/graph.h"
#include "ferc/plugin_host.h"

namespace ferc {

struct ExecOptions {
  int max_batch = 1;
  bool training = false;       // allocate gradients and build backward state
  bool reuse_buffers = true;   // share buffers between tensors whose lifetimes do not overlap
  std::string device = "cpu";  // "cpu" or "cuda"
};

/// Loss and accuracy of one training or evaluation batch.
struct BatchResult {
  double objective = 0;  // sum over samples of weight * cross-entropy: what training minimises
  double ce_sum = 0;     // plain sum of cross-entropies, for reporting the cost
  int64_t errors = 0;    // samples whose arg-max differs from the label
};

/// Per-node time spent in forward and backward, accumulated while profiling is on.
struct NodeTiming {
  std::string name, op;
  double forward_ms = 0, backward_ms = 0;
  int64_t calls = 0;
};

struct OptimizerConfig {
  std::string kind = "sgd";  // "sgd" or "adam"
  float lr = 0.01f, momentum = 0.9f, weight_decay = 0.0f;
  bool nesterov = false;
  float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
};

class Executor {
 public:
  /// Places every node on a plugin of `options.device` (or, for ops that device lacks, another
  /// plugin sharing its memory), creates kernel state and allocates memory. Throws Error naming
  /// the node and op when no plugin can run it, or when training needs a backward it lacks.
  Executor(const Graph& graph, const PluginHost& plugins, ExecOptions options);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  /// Fresh parameters: He-normal weights, zero biases, unit batch-norm scale, from `seed`.
  void init_params(uint64_t seed);
  /// Host copies named "<node>.<param>", in graph order.
  std::vector<NamedTensor> params() const;
  /// Loads parameters by name; a missing name or wrong shape is an Error naming both.
  void set_params(const std::vector<NamedTensor>& params);

  /// Inference on `batch` samples: input n*C*H*W floats, output n*classes values.
  void forward(const float* input, int batch, float* output);

  /// One training step's forward and backward: softmax cross-entropy with per-sample weights
  /// (already divided by the normaliser), leaving gradients for the next optimizer step.
  /// probs (optional) receives the n*classes probabilities.
  BatchResult forward_backward(const float* input, const int32_t* labels, const float* weights,
                               int batch, uint64_t seed, float* probs = nullptr);
  /// Applies the optimizer to every trainable parameter using the last gradients.
  void optimizer_step(const OptimizerConfig& config, int64_t step);
  /// Optimizer state ("<node>.<param>.<slot>") for checkpoints.
  std::vector<NamedTensor> optimizer_slots() const;
  /// Restores optimizer state; slots absent from `slots` restart from zero.
  void set_optimizer_slots(const std::vector<NamedTensor>& slots);

  /// Planned bytes of activation and gradient buffers at max_batch.
  int64_t activation_bytes() const;
  const ExecOptions& options() const { return options_; }
  /// Which plugin runs each node ("cpu", "cuda" or a plugin path), for `check` and logs.
  std::vector<std::string> placement() const;

  void set_profiling(bool on);
  std::vector<NodeTiming> timings() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  ExecOptions options_;
};

/// Activation memory a graph needs at `batch`, without allocating it (for `check`).
int64_t planned_activation_bytes(const Graph& graph, int batch, bool training);

}  // namespace ferc
