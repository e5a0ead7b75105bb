#include <algorithm>
#include <numeric>

#include "ferc/ops/schema.h"

namespace ferc::ops {

void OpRegistry::add(OpSchema schema) {
  auto it = schemas_.find(schema.name);
  if (it != schemas_.end())
    throw Error("op '" + schema.name + "' is defined twice: by " + it->second.origin + " and by " +
                schema.origin + "; rename one of them");
  std::string key = schema.name;
  schemas_.emplace(std::move(key), std::move(schema));
}

const OpSchema* OpRegistry::find(std::string_view name) const {
  auto it = schemas_.find(name);
  return it == schemas_.end() ? nullptr : &it->second;
}

std::vector<std::string> OpRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : schemas_) out.push_back(name);
  return out;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::vector<std::string> OpRegistry::closest(std::string_view name, size_t n) const {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& [known, _] : schemas_) {
    size_t d = edit_distance(name, known);
    bool prefix = known.starts_with(name) || name.starts_with(known);
    if (d <= std::max<size_t>(2, known.size() / 2) || prefix)
      scored.emplace_back(prefix ? 0 : d, known);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && i < n; ++i) out.push_back(scored[i].second);
  return out;
}

}  // namespace ferc::ops
