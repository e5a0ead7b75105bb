#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

#include "ferc/inspect.h"

namespace ferc {
namespace {

constexpr size_t kColumns = 6;
using Row = std::array<std::string, kColumns>;

// 973527 -> "973,527".
std::string grouped(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

Row node_row(const Graph& g, const Node& n) {
  std::string inputs;
  for (int in : n.inputs)
    inputs += (inputs.empty() ? "" : ", ") + g.nodes[static_cast<size_t>(in)].name;
  int64_t params = 0;
  for (const ParamSpec& p : n.params)
    if (p.trainable) params += p.shape.numel();
  return {n.name,          n.op,           inputs.empty() ? "-" : inputs, to_string(n.shape),
          grouped(params), grouped(n.macs)};
}

// Text columns are left-aligned, number columns right-aligned.
std::string format_rows(const std::vector<Row>& rows) {
  std::array<size_t, kColumns> width{};
  for (const Row& r : rows)
    for (size_t c = 0; c < kColumns; ++c) width[c] = std::max(width[c], r[c].size());
  std::string out;
  for (const Row& r : rows) {
    std::string line;
    for (size_t c = 0; c < kColumns; ++c) {
      std::string pad(width[c] - r[c].size(), ' ');
      line += (c ? "  " : "") + (c >= 4 ? pad + r[c] : r[c] + (c + 1 < kColumns ? pad : ""));
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string summary_table(const Graph& g, int batch, int64_t planned_activation_bytes) {
  std::vector<Row> rows = {{"name", "op", "inputs", "output", "params", "MACs"}};
  int64_t macs = 0;
  for (const Node& n : g.nodes) {
    rows.push_back(node_row(g, n));
    macs += n.macs;
  }
  std::string out = "model " + g.name + (g.source_path.empty() ? "" : " (" + g.source_path + ")") +
                    "\n\n" + format_rows(rows) + "\n";
  out += "parameters: " + grouped(g.param_count()) + "\n";
  out += "multiply-adds per sample: " + grouped(macs) + " (" + fixed(macs / 1e6, 2) + " M)\n";
  out += "forward at batch " + std::to_string(batch) + ": " +
         fixed(static_cast<double>(macs) * batch / 1e9, 3) + " GMACs\n";
  out += "planned activation memory at batch " + std::to_string(batch) + ": " +
         fixed(static_cast<double>(planned_activation_bytes) / (1024.0 * 1024.0), 2) + " MiB\n";
  return out;
}

}  // namespace ferc
