// Deriving independent random streams from one seed, without state carried between uses.
#pragma once

#include <cstdint>

namespace ferc {

/// A well-mixed seed for stream `stream` of `seed` (a splitmix64 step). Runs, epochs, batches and
/// nodes each draw from their own stream, so a resumed run repeats an uninterrupted one.
inline uint64_t mix_seed(uint64_t seed, uint64_t stream) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace ferc
