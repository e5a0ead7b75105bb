#include "optimizer.h"

#include <cmath>

namespace ferc::cpu {

int sgd_step(const ferc_sgd_args* a, float* param, const float* grad, float* velocity,
             size_t count) {
  long n = static_cast<long>(count);
  const float lr = a->lr, mom = a->momentum, wd = a->weight_decay;
  const bool nesterov = a->nesterov != 0, use_velocity = mom != 0.f && velocity;
#pragma omp parallel for simd if (n > (1 << 16))
  for (long i = 0; i < n; ++i) {
    float g = grad[i] + wd * param[i];
    if (use_velocity) {
      float v = mom * velocity[i] + g;
      velocity[i] = v;
      g = nesterov ? g + mom * v : v;
    }
    param[i] -= lr * g;
  }
  return FERC_OK;
}

int adam_step(const ferc_adam_args* a, float* param, const float* grad, float* m, float* v,
              size_t count) {
  long n = static_cast<long>(count);
  const float b1 = a->beta1, b2 = a->beta2, wd = a->weight_decay, eps = a->eps;
  const double t = static_cast<double>(a->step);
  const float step = static_cast<float>(a->lr / (1.0 - std::pow(a->beta1, t)));
  const float root_bc2 = static_cast<float>(std::sqrt(1.0 - std::pow(a->beta2, t)));
#pragma omp parallel for simd if (n > (1 << 16))
  for (long i = 0; i < n; ++i) {
    float g = grad[i] + wd * param[i];
    m[i] = b1 * m[i] + (1.f - b1) * g;
    v[i] = b2 * v[i] + (1.f - b2) * g * g;
    param[i] -= step * m[i] / (std::sqrt(v[i]) / root_bc2 + eps);
  }
  return FERC_OK;
}

}  // namespace ferc::cpu
