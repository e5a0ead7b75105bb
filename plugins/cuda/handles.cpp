#include "handles.h"

#include <string>

namespace ferc::cuda {

void set_nchw(const TensorDesc& desc, int64_t n, int64_t c, int64_t h, int64_t w) {
  check(cudnnSetTensor4dDescriptor(desc.get(), CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT,
                                   static_cast<int>(n), static_cast<int>(c), static_cast<int>(h),
                                   static_cast<int>(w)),
        "cudnnSetTensor4dDescriptor");
}

void set_nchw(const TensorDesc& desc, const ferc_shape& shape) {
  if (shape.rank < 1 || shape.rank > 4)
    throw DeviceError("expected a tensor of rank 1 to 4, got rank " + std::to_string(shape.rank));
  int64_t d[4] = {1, 1, 1, 1};
  for (int i = 0; i < shape.rank; ++i) d[i] = shape.dims[i];
  set_nchw(desc, d[0], d[1], d[2], d[3]);
}

}  // namespace ferc::cuda
