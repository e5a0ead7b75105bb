// The linear schedule of a graph: forward steps in node order, then backward steps in reverse,
// and the lifetime of every activation, gradient and scratch tensor over those steps.
#pragma once

#include <vector>

#include "ferc/graph.h"
#include "ferc/memory_plan.h"

namespace ferc::exec {

/// How the gradient for one input slot of one node reaches its producer.
struct GradEdge {
  int consumer = 0;
  int slot = 0;
  int producer = 0;
  bool needed = false;  // false for the graph input: no gradient is computed
  bool direct = false;  // the first writer overwrites the producer's gradient
  int scratch = -1;     // otherwise: tensor written by the consumer, then added
};

struct Schedule {
  int nodes = 0;
  bool training = false;
  std::vector<TensorLife> tensors;  // [0,n): activations, [n,2n): gradients, then scratch
  std::vector<GradEdge> edges;      // in (consumer, slot) order

  int activation(int node) const { return node; }
  int gradient(int node) const { return nodes + node; }
  int forward_step(int node) const { return node; }
  int backward_step(int node) const { return nodes + (nodes - 1 - node); }
  /// The edge of (consumer, slot).
  const GradEdge& edge(int consumer, int slot) const;

 private:
  friend Schedule build_schedule(const Graph&, int, bool);
  std::vector<int> first_edge_;  // per node: index of its slot 0 in edges
};

/// Lifetimes at batch size `batch` (bytes of float32 tensors).
Schedule build_schedule(const Graph& graph, int batch, bool training);

}  // namespace ferc::exec
