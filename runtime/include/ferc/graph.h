// The graph IR that the DSL produces and the scheduler runs. Single-output nodes, stored in a
// topological order; every node remembers where in the model file it was written.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ferc/attrs.h"
#include "ferc/error.h"
#include "ferc/shape.h"

namespace ferc {

enum class Init { Zeros, Ones, HeNormal, XavierUniform };

/// A learnable or stateful tensor owned by a node (conv weights, batch-norm running mean).
struct ParamSpec {
  std::string name;  // local name: "weight", "bias", "running_mean", ...
  Shape shape;
  Init init = Init::Zeros;
  bool trainable = true;  // false: updated by forward (running stats), skipped by optimizers
  int64_t fan_in = 0;     // for He/Xavier initialisation
  int64_t fan_out = 0;
};

struct Node {
  int id = 0;
  std::string op;           // schema name, e.g. "conv"
  std::string name;         // unique: "conv1", "bn2", or the user's tensor name
  std::vector<int> inputs;  // ids of producer nodes, in argument order
  Attrs attrs;
  SourceLoc loc;  // the op token
  Shape shape;    // per-sample output shape, set by shape inference
  std::vector<ParamSpec> params;
  int64_t macs = 0;  // multiply-adds per sample, forward
};

/// One `key value` setting from the model's train block, with where it was written.
struct Setting {
  AttrValue value;
  SourceLoc loc;      // of the value
  SourceLoc key_loc;  // of the key
};

struct Graph {
  std::string name;                      // from `model NAME`, else the file stem
  std::string source_path;               // the model file
  std::vector<Node> nodes;               // topological order; nodes[0] is the input
  int output = -1;                       // id of the output node
  std::map<std::string, Setting> train;  // the train block, unvalidated

  const Node& input() const { return nodes.front(); }
  /// ids of nodes that read node `id`, in order.
  std::vector<int> consumers(int id) const;
  /// Total learnable parameter count.
  int64_t param_count() const;
};

}  // namespace ferc
