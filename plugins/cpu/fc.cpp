// fc: y = x W^T + b over inputs flattened to NxF, through oneDNN's sgemm.
#include <oneapi/dnnl/dnnl.hpp>

#include "kernel.h"
#include "kernels.h"

namespace ferc::cpu {
namespace {

class FullyConnected : public Node {
 public:
  explicit FullyConnected(const ferc_node_desc& d)
      : units_(d.param_shapes[0].dims[0]),
        features_(d.param_shapes[0].dims[1]),
        bias_(d.n_params > 1) {}

  void forward(const ferc_call& call) override {
    int64_t n = batch_of(call.inputs[0]);
    float* y = call.output.data;
    if (bias_)
      for (int64_t b = 0; b < n; ++b)
        for (int64_t u = 0; u < units_; ++u) y[b * units_ + u] = call.params[1].data[u];
    // y[n, units] = x[n, features] * W[units, features]^T (+ y when there is a bias)
    dnnl::sgemm('N', 'T', n, units_, features_, 1.f, call.inputs[0].data, features_,
                call.params[0].data, features_, bias_ ? 1.f : 0.f, y, units_);
  }

  void backward(const ferc_call& call) override {
    int64_t n = batch_of(call.inputs[0]);
    const float* dy = call.d_output.data;
    if (wanted(call.d_inputs, 0))  // dx[n, features] = dy[n, units] * W[units, features]
      dnnl::sgemm('N', 'N', n, features_, units_, 1.f, dy, units_, call.params[0].data, features_,
                  0.f, call.d_inputs[0].data, features_);
    if (wanted(call.d_params, 0))  // dW[units, features] = dy^T * x
      dnnl::sgemm('T', 'N', units_, features_, n, 1.f, dy, units_, call.inputs[0].data, features_,
                  0.f, call.d_params[0].data, features_);
    if (bias_ && wanted(call.d_params, 1)) {
      float* db = call.d_params[1].data;
      for (int64_t u = 0; u < units_; ++u) db[u] = 0.f;
      for (int64_t b = 0; b < n; ++b)
#pragma omp simd
        for (int64_t u = 0; u < units_; ++u) db[u] += dy[b * units_ + u];
    }
  }

 private:
  int64_t units_, features_;
  bool bias_;
};

}  // namespace

ferc_kernel fc_kernel() {
  return make_kernel<FullyConnected>("fc");
}

}  // namespace ferc::cpu
