// LoadOptions::limit: an evenly spread subset, so a quick run still sees every class.
#include "readers.h"

namespace ferc::data {

std::vector<size_t> spread_pick(size_t count, size_t limit) {
  size_t n = (limit == 0 || limit >= count) ? count : limit;
  std::vector<size_t> positions(n);
  // Position i * count / n: in class-sorted order this takes each class in proportion.
  for (size_t i = 0; i < n; ++i) positions[i] = i * count / n;
  return positions;
}

Dataset select(const Dataset& data, const std::vector<size_t>& positions) {
  Dataset out;
  out.height = data.height;
  out.width = data.width;
  size_t bytes = static_cast<size_t>(data.height) * static_cast<size_t>(data.width);
  out.pixels.reserve(positions.size() * bytes);
  for (size_t i : positions) {
    out.pixels.insert(out.pixels.end(), data.image(i), data.image(i) + bytes);
    out.labels.push_back(data.labels[i]);
    out.sources.push_back(data.sources[i]);
  }
  return out;
}

}  // namespace ferc::data
