// Seeded random streams for shuffles and augmentation, reproducible across platforms.
#pragma once

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace ferc::data {

/// SplitMix64 finaliser: spreads nearby inputs (seed, seed + 1) to unrelated outputs.
inline uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// A generator that depends only on (seed, stream).
inline std::mt19937_64 make_rng(uint64_t seed, uint64_t stream) {
  return std::mt19937_64(mix(mix(seed) ^ stream));
}

/// A draw in [0, n): the standard distributions differ between libraries, so this is spelled out.
inline uint64_t draw_below(std::mt19937_64& rng, uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(rng()) * n) >> 64);
}

/// Fisher-Yates shuffle with draw_below.
template <typename T>
void shuffle(std::vector<T>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[draw_below(rng, i)]);
}

}  // namespace ferc::data
