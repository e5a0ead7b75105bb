// maxpool and avgpool over NxCxHxW with square windows; one plane per loop iteration.
#include <cstring>
#include <limits>
#include <vector>

#include "kernel.h"
#include "kernels.h"
#include "parallel.h"

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

// One output row of a 2x2 stride-2 max: branch-free selects the compiler vectorises.
void max_row_2x2(const float* __restrict top, const float* __restrict bottom, float* __restrict out,
                 int32_t ow) {
#pragma omp simd
  for (int32_t ox = 0; ox < ow; ++ox) {
    float a = top[2 * ox], b = top[2 * ox + 1], c = bottom[2 * ox], d = bottom[2 * ox + 1];
    float ab = b > a ? b : a, cd = d > c ? d : c;
    out[ox] = cd > ab ? cd : ab;
  }
}

// As max_row_2x2, also writing each window's winner as an offset in the plane (`row` is the
// offset of `top`): the first of the four, in row-major order, that equals the maximum.
void argmax_row_2x2(const float* __restrict top, const float* __restrict bottom,
                    float* __restrict out, int32_t* __restrict at, int32_t row, int32_t w,
                    int32_t ow) {
  max_row_2x2(top, bottom, out, ow);
#pragma omp simd
  for (int32_t ox = 0; ox < ow; ++ox) {
    float m = out[ox];
    int32_t pick = bottom[2 * ox + 1] == m ? w + 1 : 0;
    pick = bottom[2 * ox] == m ? w : pick;
    pick = top[2 * ox + 1] == m ? 1 : pick;
    pick = top[2 * ox] == m ? 0 : pick;
    at[ox] = row + 2 * ox + pick;
  }
}

class MaxPool : public Node {
 public:
  explicit MaxPool(const ferc_node_desc& d) : win_(window_of(d)) {
    if (d.training) argmax_.resize(static_cast<size_t>(sdk::numel(d.output_shape)));
  }

  // In training the winning positions are kept, so backward is a scatter and not a second search.
  void forward(const ferc_call& call) override {
    bool keep = call.training && !argmax_.empty();
    kept_for_ = keep ? call.inputs[0].data : nullptr;
    kept_batch_ = keep ? batch_of(call.inputs[0]) : 0;
    int64_t in_plane = win_.h * win_.w, out_plane = win_.oh * win_.ow, n = planes(call);
#pragma omp parallel for if (worth_threads(n * in_plane))
    for (int64_t p = 0; p < n; ++p) {
      const float* x = call.inputs[0].data + p * in_plane;
      float* y = call.output.data + p * out_plane;
      int32_t* at = keep ? argmax_.data() + p * out_plane : nullptr;
      pool_plane(x, y, at);
    }
  }

  // Ties go to the first element of the window in row-major order.
  void backward(const ferc_call& call) override {
    if (!wanted(call.d_inputs, 0)) return;
    bool kept = kept_for_ == call.inputs[0].data && kept_batch_ == batch_of(call.inputs[0]);
    int64_t in_plane = win_.h * win_.w, out_plane = win_.oh * win_.ow, n = planes(call);
#pragma omp parallel for if (worth_threads(n * in_plane))
    for (int64_t p = 0; p < n; ++p) {
      const float* dy = call.d_output.data + p * out_plane;
      float* dx = call.d_inputs[0].data + p * in_plane;
      std::memset(dx, 0, static_cast<size_t>(in_plane) * sizeof(float));
      if (kept) {
        const int32_t* at = argmax_.data() + p * out_plane;
        for (int64_t o = 0; o < out_plane; ++o) dx[at[o]] += dy[o];
      } else {
        // No training forward on this input: search the windows again.
        const float* x = call.inputs[0].data + p * in_plane;
        for (int64_t oy = 0; oy < win_.oh; ++oy)
          for (int64_t ox = 0; ox < win_.ow; ++ox) dx[argmax(x, oy, ox)] += dy[oy * win_.ow + ox];
      }
    }
  }

 private:
  // One plane; `at` (may be null) receives each window's argmax as an offset in the plane.
  void pool_plane(const float* x, float* y, int32_t* at) const {
    const Window& g = win_;
    if (g.k == 2 && g.stride == 2 && g.pad == 0) {
      for (int64_t oy = 0; oy < g.oh; ++oy) pool_row_2x2(x, y, at, oy);
      return;
    }
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox) {
        int64_t best = argmax(x, oy, ox);
        y[oy * g.ow + ox] = x[best];
        if (at) at[oy * g.ow + ox] = static_cast<int32_t>(best);
      }
  }

  // The common 2x2 window.
  void pool_row_2x2(const float* x, float* y, int32_t* at, int64_t oy) const {
    const float* top = x + 2 * oy * win_.w;
    int32_t ow = static_cast<int32_t>(win_.ow);
    if (at)
      argmax_row_2x2(top, top + win_.w, y + oy * ow, at + oy * ow,
                     static_cast<int32_t>(2 * oy * win_.w), static_cast<int32_t>(win_.w), ow);
    else
      max_row_2x2(top, top + win_.w, y + oy * ow, ow);
  }

  // Branch-free select, as the comparisons of real data are unpredictable.
  int64_t argmax(const float* x, int64_t oy, int64_t ox) const {
    const Window& g = win_;
    int64_t best = g.lo(oy) * g.w + g.lo(ox);
    float top = x[best];
    for (int64_t iy = g.lo(oy); iy < g.hi(oy, g.h); ++iy)
      for (int64_t ix = g.lo(ox); ix < g.hi(ox, g.w); ++ix) {
        int64_t i = iy * g.w + ix;
        bool more = x[i] > top;
        best = more ? i : best;
        top = more ? x[i] : top;
      }
    return best;
  }

  Window win_;
  std::vector<int32_t> argmax_;  // of the last training forward, max_batch planes
  const float* kept_for_ = nullptr;
  int64_t kept_batch_ = 0;
};

class AvgPool : public Node {
 public:
  explicit AvgPool(const ferc_node_desc& d) : win_(window_of(d)) {}

  void forward(const ferc_call& call) override {
    const Window& g = win_;
    int64_t in_plane = g.h * g.w, out_plane = g.oh * g.ow;
#pragma omp parallel for if (worth_threads(planes(call) * in_plane))
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
#pragma omp parallel for if (worth_threads(planes(call) * in_plane))
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
