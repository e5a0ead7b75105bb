#include "kernel.h"

namespace ferc::cpu {

std::string shape_text(const ferc_shape& s) {
  if (s.rank == 0) return "scalar";
  std::string out;
  for (int i = 0; i < s.rank; ++i) out += (i ? "x" : "") + std::to_string(s.dims[i]);
  return out;
}

}  // namespace ferc::cpu
