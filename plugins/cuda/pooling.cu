// Max pooling with the CPU plugin's tie rule: each window's winner is its first maximum in
// row-major order, and backward sends the gradient to that element only. cuDNN's max pooling
// leaves the choice among ties unspecified and its backward is not deterministic.
#include "check.h"
#include "kernels.h"
#include "launch.cuh"
#include "pool_window.h"

namespace ferc::cuda {
namespace {

struct Planes {
  int64_t count;  // batch * channels
  int32_t h, w, oh, ow;
};

__global__ void maxpool_forward_kernel(const float* x, float* y, int32_t* argmax, Planes g,
                                       PoolWindow win) {
  const int64_t out_plane = int64_t{g.oh} * g.ow, total = g.count * out_plane;
  for (int64_t i = int64_t{blockIdx.x} * blockDim.x + threadIdx.x; i < total;
       i += int64_t{gridDim.x} * blockDim.x) {
    int64_t p = i / out_plane;
    int32_t o = static_cast<int32_t>(i - p * out_plane), oy = o / g.ow, ox = o % g.ow;
    const float* xp = x + p * g.h * g.w;
    int32_t y0 = win.lo(oy), y1 = win.hi(oy, g.h), x0 = win.lo(ox), x1 = win.hi(ox, g.w);
    int32_t best = y0 * g.w + x0;
    float top = xp[best];
    for (int32_t iy = y0; iy < y1; ++iy)
      for (int32_t ix = x0; ix < x1; ++ix) {
        float v = xp[iy * g.w + ix];
        if (v > top) top = v, best = iy * g.w + ix;
      }
    if (y) y[i] = top;
    if (argmax) argmax[i] = best;
  }
}

// One thread per input element gathers the gradients of the windows it won, in output order:
// no atomics, so the sums are deterministic and add up in the CPU plugin's order.
__global__ void maxpool_backward_kernel(const float* dy, const int32_t* argmax, float* dx, Planes g,
                                        PoolWindow win) {
  const int64_t in_plane = int64_t{g.h} * g.w, out_plane = int64_t{g.oh} * g.ow;
  const int64_t total = g.count * in_plane;
  for (int64_t i = int64_t{blockIdx.x} * blockDim.x + threadIdx.x; i < total;
       i += int64_t{gridDim.x} * blockDim.x) {
    int64_t p = i / in_plane;
    int32_t j = static_cast<int32_t>(i - p * in_plane), iy = j / g.w, ix = j % g.w;
    const float* dyp = dy + p * out_plane;
    const int32_t* ap = argmax + p * out_plane;
    float sum = 0.f;
    for (int32_t oy = win.first_out(iy), oy1 = win.last_out(iy, g.oh); oy <= oy1; ++oy)
      for (int32_t ox = win.first_out(ix), ox1 = win.last_out(ix, g.ow); ox <= ox1; ++ox)
        if (ap[oy * g.ow + ox] == j) sum += dyp[oy * g.ow + ox];
    dx[i] = sum;
  }
}

}  // namespace

void launch_maxpool_forward(cudaStream_t s, const float* x, float* y, int32_t* argmax,
                            const MaxPoolShape& shape) {
  Planes g{shape.planes, shape.h, shape.w, shape.oh, shape.ow};
  PoolWindow win{shape.kernel, shape.stride, shape.pad};
  maxpool_forward_kernel<<<blocks_for(g.count * g.oh * g.ow), kThreads, 0, s>>>(x, y, argmax, g,
                                                                                win);
  check_launch("maxpool_forward_kernel");
}

void launch_maxpool_backward(cudaStream_t s, const float* dy, const int32_t* argmax, float* dx,
                             const MaxPoolShape& shape) {
  Planes g{shape.planes, shape.h, shape.w, shape.oh, shape.ow};
  PoolWindow win{shape.kernel, shape.stride, shape.pad};
  maxpool_backward_kernel<<<blocks_for(g.count * g.h * g.w), kThreads, 0, s>>>(dy, argmax, dx, g,
                                                                               win);
  check_launch("maxpool_backward_kernel");
}

}  // namespace ferc::cuda
