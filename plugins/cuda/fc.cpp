// fc: y[N,U] = x[N,F] W[U,F]^T + b with cuBLAS. cuBLAS is column-major, so every row-major
// matrix is read as its transpose: x is F x N, W is F x U and y is U x N, all with ld = rows.
#include "kernels.h"
#include "op_kernel.h"
#include "ops.h"

namespace ferc::cuda {
namespace {

constexpr float kOne = 1.f, kZero = 0.f;

class FullyConnected : public NodeBase {
 public:
  explicit FullyConnected(const ferc_node_desc& d)
      : NodeBase(d),
        units_(int(d.param_shapes[0].dims[0])),
        features_(int(d.param_shapes[0].dims[1])),
        has_bias_(d.n_params > 1) {}

  void forward(const ferc_call& c) {
    Context& ctx = Context::get();
    int n = int(c.inputs[0].shape.dims[0]);
    check(cublasSgemm(ctx.cublas(), CUBLAS_OP_T, CUBLAS_OP_N, units_, n, features_, &kOne,
                      c.params[0].data, features_, c.inputs[0].data, features_, &kZero,
                      c.output.data, units_),
          "cublasSgemm (forward)");
    if (has_bias_) launch_add_bias_rows(ctx.stream(), c.output.data, c.params[1].data, n, units_);
  }

  void backward(const ferc_call& c) {
    Context& ctx = Context::get();
    int n = int(c.inputs[0].shape.dims[0]);
    const float* dy = c.d_output.data;
    if (float* dw = wanted(c.d_params, 0, c.n_params))  // dW (F x U) = x (F x N) dy^T (N x U)
      check(cublasSgemm(ctx.cublas(), CUBLAS_OP_N, CUBLAS_OP_T, features_, units_, n, &kOne,
                        c.inputs[0].data, features_, dy, units_, &kZero, dw, features_),
            "cublasSgemm (weight gradient)");
    if (float* db = wanted(c.d_params, 1, c.n_params); db && has_bias_)
      launch_sum_rows(ctx.stream(), dy, db, n, units_);
    if (float* dx = wanted(c.d_inputs, 0, c.n_inputs))  // dx (F x N) = W (F x U) dy (U x N)
      check(cublasSgemm(ctx.cublas(), CUBLAS_OP_N, CUBLAS_OP_N, features_, n, units_, &kOne,
                        c.params[0].data, features_, dy, units_, &kZero, dx, features_),
            "cublasSgemm (input gradient)");
  }

 private:
  int units_, features_;
  bool has_bias_;
};

}  // namespace

ferc_kernel fc_kernel() {
  return make_kernel<FullyConnected>("fc");
}

}  // namespace ferc::cuda
