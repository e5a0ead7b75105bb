#include "param_init.h"

#include <cmath>
#include <random>

namespace ferc::exec {

std::vector<float> initial_values(const ParamSpec& spec, uint64_t seed, uint64_t stream) {
  std::vector<float> v(static_cast<size_t>(spec.shape.numel()), 0.0f);
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + stream * 0xBF58476D1CE4E5B9ULL + 1);
  switch (spec.init) {
    case Init::Zeros:
      break;
    case Init::Ones:
      std::fill(v.begin(), v.end(), 1.0f);
      break;
    case Init::HeNormal: {
      std::normal_distribution<double> dist(0.0,
                                            std::sqrt(2.0 / std::max<int64_t>(spec.fan_in, 1)));
      for (float& x : v) x = static_cast<float>(dist(rng));
      break;
    }
    case Init::XavierUniform: {
      double limit = std::sqrt(6.0 / std::max<int64_t>(spec.fan_in + spec.fan_out, 1));
      std::uniform_real_distribution<double> dist(-limit, limit);
      for (float& x : v) x = static_cast<float>(dist(rng));
      break;
    }
  }
  return v;
}

}  // namespace ferc::exec
