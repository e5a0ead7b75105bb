// Graphviz export. Attributes equal to a built-in op's default are left out to keep boxes short;
// ops that are not built in show all their attributes.
#include <array>

#include "ferc/inspect.h"
#include "ferc/ops/schema.h"

namespace ferc {
namespace {

// Escapes text for a double-quoted DOT string.
std::string escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string non_default_attrs(const Node& n, const ops::OpRegistry& builtins) {
  const ops::OpSchema* schema = builtins.find(n.op);
  std::string out;
  for (const auto& [name, value] : n.attrs.all()) {
    if (n.op == "input") break;  // the shape line already says it
    bool is_default = false;
    if (schema)
      for (const ops::AttrSpec& spec : schema->attrs)
        if (spec.name == name && spec.default_value) is_default = *spec.default_value == value;
    if (!is_default) out += "\\n" + escaped(name + " " + to_string(value));
  }
  return out;
}

std::string node_line(const Node& n, const ops::OpRegistry& builtins) {
  return "  n" + std::to_string(n.id) + " [label=\"" + escaped(n.name) + "\\n" + escaped(n.op) +
         non_default_attrs(n, builtins) + "\\n" + to_string(n.shape) + "\"];\n";
}

}  // namespace

std::string to_dot(const Graph& g) {
  static const ops::OpRegistry kBuiltins = ops::builtin_registry();
  std::string out = "digraph \"" + escaped(g.name) + "\" {\n";
  out += "  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (const Node& n : g.nodes) out += node_line(n, kBuiltins);
  for (const Node& n : g.nodes)
    for (int in : n.inputs)
      out += "  n" + std::to_string(in) + " -> n" + std::to_string(n.id) + " [label=\"" +
             to_string(g.nodes[static_cast<size_t>(in)].shape) + "\"];\n";
  return out + "}\n";
}

}  // namespace ferc
