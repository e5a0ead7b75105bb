// Optimizer slots of the CPU plugin table, with PyTorch's update rules.
#pragma once

#include "ferc/plugin_abi.h"

namespace ferc::cpu {

/// g = grad + wd * p; v = momentum * v + g; p -= lr * v (nesterov: p -= lr * (g + momentum * v)).
int sgd_step(const ferc_sgd_args* args, float* param, const float* grad, float* velocity,
             size_t count);
/// Adam with bias correction; weight decay is added to the gradient (L2, not AdamW).
int adam_step(const ferc_adam_args* args, float* param, const float* grad, float* m, float* v,
              size_t count);

}  // namespace ferc::cpu
