#include "schedule.h"

#include <algorithm>

namespace ferc::exec {

const GradEdge& Schedule::edge(int consumer, int slot) const {
  return edges[static_cast<size_t>(first_edge_[static_cast<size_t>(consumer)] + slot)];
}

Schedule build_schedule(const Graph& g, int batch, bool training) {
  Schedule s;
  const int n = static_cast<int>(g.nodes.size());
  s.nodes = n;
  s.training = training;
  const int last_step = training ? 2 * n - 2 : n - 1;
  s.tensors.resize(static_cast<size_t>(2 * n));

  for (const Node& node : g.nodes) {
    TensorLife& a = s.tensors[static_cast<size_t>(s.activation(node.id))];
    a.bytes = static_cast<int64_t>(batch) * node.shape.numel() * 4;
    a.first_step = a.last_step = s.forward_step(node.id);
    // Backward of a node may read its own output (relu, softmax, pooling).
    if (training && node.id > 0) a.last_step = std::max(a.last_step, s.backward_step(node.id));
  }
  s.tensors[static_cast<size_t>(g.output)].last_step = last_step;  // downloaded at the end

  s.first_edge_.assign(static_cast<size_t>(n), 0);
  for (const Node& node : g.nodes) {
    s.first_edge_[static_cast<size_t>(node.id)] = static_cast<int>(s.edges.size());
    for (size_t slot = 0; slot < node.inputs.size(); ++slot) {
      int producer = node.inputs[slot];
      TensorLife& a = s.tensors[static_cast<size_t>(producer)];
      a.last_step = std::max(a.last_step, s.forward_step(node.id));
      if (training) a.last_step = std::max(a.last_step, s.backward_step(node.id));
      s.edges.push_back(
          {node.id, static_cast<int>(slot), producer, training && producer != 0, false, -1});
    }
  }
  if (!training) return s;

  // Backward visits consumers in descending id, slots ascending: the first edge into a
  // producer in that order overwrites its gradient; every later one writes scratch and adds.
  std::vector<bool> written(static_cast<size_t>(n), false);
  for (int c = n - 1; c >= 1; --c) {
    const Node& node = g.nodes[static_cast<size_t>(c)];
    for (size_t slot = 0; slot < node.inputs.size(); ++slot) {
      GradEdge& e = s.edges[static_cast<size_t>(s.first_edge_[static_cast<size_t>(c)]) + slot];
      if (!e.needed) continue;
      TensorLife& grad = s.tensors[static_cast<size_t>(s.gradient(e.producer))];
      int step = s.backward_step(c);
      if (!written[static_cast<size_t>(e.producer)]) {
        written[static_cast<size_t>(e.producer)] = true;
        e.direct = true;
        grad.bytes = s.tensors[static_cast<size_t>(e.producer)].bytes;
        grad.first_step = step;
        grad.last_step = s.backward_step(e.producer);
      } else {
        e.scratch = static_cast<int>(s.tensors.size());
        s.tensors.push_back({grad.bytes, step, step});
      }
    }
  }
  return s;
}

}  // namespace ferc::exec
