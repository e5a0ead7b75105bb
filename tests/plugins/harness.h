// Runs one graph node on any plugin, moving every value through the plugin's upload/download,
// so the same checks serve the CPU plugin, the CUDA plugin and out-of-tree plugins.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ferc/attrs.h"
#include "ferc/plugin_abi.h"
#include "ferc/shape.h"

namespace ferc::test {

/// A plugin opened with dlopen; the handle closes on destruction.
class PluginLib {
 public:
  /// Opens `path` and calls its entry with `host_abi`; throws naming the path on failure.
  explicit PluginLib(const std::string& path, uint32_t host_abi = FERC_PLUGIN_ABI_VERSION);
  ~PluginLib();
  PluginLib(const PluginLib&) = delete;
  PluginLib& operator=(const PluginLib&) = delete;

  /// The entry function, for calling it again with other host versions.
  ferc_plugin_entry_fn entry() const { return entry_; }
  /// The table returned for the host version given at construction (null if refused).
  const ferc_plugin* table() const { return table_; }
  /// The kernel for `op`; throws when the plugin has none.
  const ferc_kernel& kernel(std::string_view op) const;

 private:
  void* handle_ = nullptr;
  ferc_plugin_entry_fn entry_ = nullptr;
  const ferc_plugin* table_ = nullptr;
};

/// A named attribute given to a node.
struct AttrArg {
  std::string name;
  AttrValue value;
};

/// What to create: an op, its attributes and per-sample input shapes.
struct NodeSpec {
  std::string op;
  std::vector<AttrArg> attrs;  // built-in ops get the schema's defaults for the rest
  std::vector<Shape> inputs;   // per sample, without the batch
  int64_t max_batch = 4;
  bool training = true;
};

/// Host copies of the values of one call; inputs[i] holds batch * numel(input shape) floats.
struct Values {
  std::vector<std::vector<float>> inputs;
  std::vector<std::vector<float>> params;
};

/// Gradients returned by NodeRun::backward, one vector per input and param.
struct Gradients {
  std::vector<float> output;
  std::vector<std::vector<float>> inputs;
  std::vector<std::vector<float>> params;
};

/// One kernel instance created for a NodeSpec. Shapes come from the op's schema (built-in ops),
/// the kernel's own infer (plugin ops), or the logits (softmax_cross_entropy).
class NodeRun {
 public:
  NodeRun(const PluginLib& lib, NodeSpec spec);
  ~NodeRun();
  NodeRun(const NodeRun&) = delete;
  NodeRun& operator=(const NodeRun&) = delete;

  /// Per-sample output shape.
  const Shape& output_shape() const { return output_; }
  /// Parameter shapes, in the schema's order.
  const std::vector<Shape>& param_shapes() const { return params_; }
  /// Random values of the right sizes at batch `n`, uniform in [-1, 1).
  Values random_values(int64_t n, uint64_t seed) const;

  /// Forward at batch `n`. Params are downloaded back into `values` (running statistics).
  std::vector<float> forward(int64_t n, Values& values, bool training, uint64_t seed = 0);
  /// Training forward then backward at batch `n` with the given output gradient.
  Gradients backward(int64_t n, const Values& values, const std::vector<float>& d_output,
                     uint64_t seed = 0);

 private:
  struct Desc;
  class Buffer;
  ferc_tensor tensor(Buffer& b, int64_t n, const Shape& per_sample) const;
  void check(int rc, const char* what, const char* err) const;

  const PluginLib& lib_;
  const ferc_kernel& kernel_;
  NodeSpec spec_;
  Shape output_;
  std::vector<Shape> params_;
  std::unique_ptr<Desc> desc_;
  void* state_ = nullptr;
};

}  // namespace ferc::test
