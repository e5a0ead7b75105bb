#include "precision.h"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace ferc::cpu {

Precision precision() {
  const char* env = std::getenv("FERC_CPU_PRECISION");
  std::string value = env ? env : "";
  if (value.empty() || value == "fp32") return Precision::kFp32;
  if (value == "bf16") return Precision::kBf16;
  throw std::runtime_error("FERC_CPU_PRECISION is '" + value +
                           "'; it must be fp32 or bf16 (or unset for fp32)");
}

}  // namespace ferc::cpu
