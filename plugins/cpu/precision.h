// The arithmetic precision of the CPU plugin's convolutions, chosen by FERC_CPU_PRECISION.
#pragma once

namespace ferc::cpu {

/// fp32 everywhere, or bf16 convolution inputs with fp32 accumulation and fp32 results.
enum class Precision { kFp32, kBf16 };

/// FERC_CPU_PRECISION: unset, "fp32" or "bf16"; any other value throws, naming it.
Precision precision();

}  // namespace ferc::cpu
