// The fingerprint leaves out node names and source positions: renaming a tensor or editing a
// comment keeps saved weights usable; any change to ops, attributes, wiring or shapes does not.
#include "ferc/dsl.h"

namespace ferc {
namespace {

std::string node_text(const Node& n, int previous) {
  std::string out = n.op + "[";
  bool first = true;
  for (const auto& [name, value] : n.attrs.all()) {
    out += (first ? "" : ",") + name + "=" + to_string(value);
    first = false;
  }
  out += "]";
  // Wiring other than "reads the node before" is spelled out.
  if (!(n.inputs.size() == 1 && n.inputs[0] == previous) && !n.inputs.empty()) {
    out += "<";
    for (size_t i = 0; i < n.inputs.size(); ++i)
      out += (i ? "," : "") + std::to_string(n.inputs[i]);
    out += ">";
  }
  return out + ":" + to_string(n.shape);
}

}  // namespace

std::string fingerprint(const Graph& g) {
  std::string out;
  for (const Node& n : g.nodes) out += (n.id ? "|" : "") + node_text(n, n.id - 1);
  return out;
}

}  // namespace ferc
