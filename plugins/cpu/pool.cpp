// maxpool and avgpool over NxCxHxW with square windows; one plane per loop iteration.
#include <cstring>
#include <limits>

#include "kernel.h"
#include "kernels.h"

namespace ferc::cpu {
namespace {

// Window geometry of one node, and the clamped extent of one output position.
struct Window {
  int64_t k, stride, pad, h, w, oh, ow;
  int64_t lo(int64_t o) const { return o * stride - pad < 0 ? 0 : o * stride - pad; }
  int64_t hi(int64_t o, int64_t size) const {
    int64_t e = o * stride - pad + k;
    return e > size ? size : e;
  }
};

Window window_of(const ferc_node_desc& d) {
  int64_t k = sdk::attr_int(d, "kernel", 1);
  int64_t stride = sdk::attr_int(d, "stride", 0);
  return {k,
          stride == 0 ? k : stride,
          sdk::attr_int(d, "pad", 0),
          d.input_shapes[0].dims[2],
          d.input_shapes[0].dims[3],
          d.output_shape.dims[2],
          d.output_shape.dims[3]};
}

int64_t planes(const ferc_call& call) {
  return call.inputs[0].shape.dims[0] * call.inputs[0].shape.dims[1];
}

class MaxPool : public Node {
 public:
  explicit MaxPool(const ferc_node_desc& d) : win_(window_of(d)) {}

  void forward(const ferc_call& call) override {
    const Window& g = win_;
    int64_t in_plane = g.h * g.w, out_plane = g.oh * g.ow;
#pragma omp parallel for
    for (int64_t p = 0; p < planes(call); ++p) {
      const float* x = call.inputs[0].data + p * in_plane;
      float* y = call.output.data + p * out_plane;
      for (int64_t oy = 0; oy < g.oh; ++oy)
        for (int64_t ox = 0; ox < g.ow; ++ox) y[oy * g.ow + ox] = x[argmax(x, oy, ox)];
    }
  }

  // Recomputes the argmax from the input, so no state is kept between the calls. Ties go to the
  // first element of the window in row-major order.
  void backward(const ferc_call& call) override {
    if (!wanted(call.d_inputs, 0)) return;
    const Window& g = win_;
    int64_t in_plane = g.h * g.w, out_plane = g.oh * g.ow;
#pragma omp parallel for
    for (int64_t p = 0; p < planes(call); ++p) {
      const float* x = call.inputs[0].data + p * in_plane;
      const float* dy = call.d_output.data + p * out_plane;
      float* dx = call.d_inputs[0].data + p * in_plane;
      std::memset(dx, 0, static_cast<size_t>(in_plane) * sizeof(float));
      for (int64_t oy = 0; oy < g.oh; ++oy)
        for (int64_t ox = 0; ox < g.ow; ++ox) dx[argmax(x, oy, ox)] += dy[oy * g.ow + ox];
    }
  }

 private:
  int64_t argmax(const float* x, int64_t oy, int64_t ox) const {
    const Window& g = win_;
    int64_t best = g.lo(oy) * g.w + g.lo(ox);
    for (int64_t iy = g.lo(oy); iy < g.hi(oy, g.h); ++iy)
      for (int64_t ix = g.lo(ox); ix < g.hi(ox, g.w); ++ix)
        if (x[iy * g.w + ix] > x[best]) best = iy * g.w + ix;
    return best;
  }

  Window win_;
};

class AvgPool : public Node {
 public:
  explicit AvgPool(const ferc_node_desc& d) : win_(window_of(d)) {}

  void forward(const ferc_call& call) override {
    const Window& g = win_;
    int64_t in_plane = g.h * g.w, out_plane = g.oh * g.ow;
#pragma omp parallel for
    for (int64_t p = 0; p < planes(call); ++p) {
      const float* x = call.inputs[0].data + p * in_plane;
      float* y = call.output.data + p * out_plane;
      for (int64_t oy = 0; oy < g.oh; ++oy)
        for (int64_t ox = 0; ox < g.ow; ++ox) {
          float s = 0;
          for (int64_t iy = g.lo(oy); iy < g.hi(oy, g.h); ++iy)
            for (int64_t ix = g.lo(ox); ix < g.hi(ox, g.w); ++ix) s += x[iy * g.w + ix];
          y[oy * g.ow + ox] = s / static_cast<float>(count(oy, ox));
        }
    }
  }

  void backward(const ferc_call& call) override {
    if (!wanted(call.d_inputs, 0)) return;
    const Window& g = win_;
    int64_t in_plane = g.h * g.w, out_plane = g.oh * g.ow;
#pragma omp parallel for
    for (int64_t p = 0; p < planes(call); ++p) {
      const float* dy = call.d_output.data + p * out_plane;
      float* dx = call.d_inputs[0].data + p * in_plane;
      std::memset(dx, 0, static_cast<size_t>(in_plane) * sizeof(float));
      for (int64_t oy = 0; oy < g.oh; ++oy)
        for (int64_t ox = 0; ox < g.ow; ++ox) {
          float share = dy[oy * g.ow + ox] / static_cast<float>(count(oy, ox));
          for (int64_t iy = g.lo(oy); iy < g.hi(oy, g.h); ++iy)
            for (int64_t ix = g.lo(ox); ix < g.hi(ox, g.w); ++ix) dx[iy * g.w + ix] += share;
        }
    }
  }

 private:
  // Padding is excluded from the count: only input elements inside the window are averaged.
  int64_t count(int64_t oy, int64_t ox) const {
    const Window& g = win_;
    return (g.hi(oy, g.h) - g.lo(oy)) * (g.hi(ox, g.w) - g.lo(ox));
  }

  Window win_;
};

}  // namespace

ferc_kernel maxpool_kernel() {
  return make_kernel<MaxPool>("maxpool");
}
ferc_kernel avgpool_kernel() {
  return make_kernel<AvgPool>("avgpool");
}

}  // namespace ferc::cpu
