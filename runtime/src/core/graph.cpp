#include "ferc/graph.h"

namespace ferc {

std::vector<int> Graph::consumers(int id) const {
  std::vector<int> out;
  for (const Node& n : nodes)
    for (int in : n.inputs)
      if (in == id) out.push_back(n.id);
  return out;
}

int64_t Graph::param_count() const {
  int64_t total = 0;
  for (const Node& n : nodes)
    for (const ParamSpec& p : n.params)
      if (p.trainable) total += p.shape.numel();
  return total;
}

}  // namespace ferc
