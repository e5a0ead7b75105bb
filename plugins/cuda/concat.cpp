// concat: joins inputs along an axis of the per-sample shape (0 = channels). Seen as matrices
// with one row per index before the axis, each input is a block of columns of the output, so
// both directions are strided 2-D copies.
#include "op_kernel.h"
#include "ops.h"

namespace ferc::cuda {
namespace {

class Concat : public NodeBase {
 public:
  explicit Concat(const ferc_node_desc& d)
      : NodeBase(d), axis_(int(sdk::attr_int(d, "axis", 0)) + 1) {}

  void forward(const ferc_call& c) {
    each_block(c, [&](int i, size_t offset, size_t width, size_t pitch, size_t rows) {
      copy_2d(c.output.data + offset, pitch, c.inputs[i].data, width, width, rows);
    });
  }

  void backward(const ferc_call& c) {
    each_block(c, [&](int i, size_t offset, size_t width, size_t pitch, size_t rows) {
      if (float* dx = wanted(c.d_inputs, i, c.n_inputs))
        copy_2d(dx, width, c.d_output.data + offset, pitch, width, rows);
    });
  }

 private:
  // Calls f(input, column offset, block width, output row width, rows), widths in floats.
  template <class F>
  void each_block(const ferc_call& c, F f) const {
    size_t rows = 1;
    for (int d = 0; d < axis_; ++d) rows *= size_t(c.output.shape.dims[d]);
    size_t pitch = size_t(sdk::numel(c.output.shape)) / rows;
    size_t offset = 0;
    for (int i = 0; i < c.n_inputs; ++i) {
      size_t width = size_t(sdk::numel(c.inputs[i].shape)) / rows;
      f(i, offset, width, pitch, rows);
      offset += width;
    }
  }

  static void copy_2d(float* dst, size_t dst_pitch, const float* src, size_t src_pitch,
                      size_t width, size_t rows) {
    constexpr size_t f = sizeof(float);
    FERC_CUDA_CHECK(cudaMemcpy2DAsync(dst, dst_pitch * f, src, src_pitch * f, width * f, rows,
                                      cudaMemcpyDeviceToDevice, Context::get().stream()));
  }

  int axis_;  // axis of the batched tensor
};

}  // namespace

ferc_kernel concat_kernel() {
  return make_kernel<Concat>("concat");
}

}  // namespace ferc::cuda
