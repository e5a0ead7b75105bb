#include "ferc/shape.h"

namespace ferc {

int64_t Shape::numel() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

std::string to_string(const Shape& s) {
  if (s.dims.empty()) return "scalar";
  std::string out;
  for (size_t i = 0; i < s.dims.size(); ++i) out += (i ? "x" : "") + std::to_string(s.dims[i]);
  return out;
}

}  // namespace ferc
