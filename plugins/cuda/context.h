// The per-process device context: one stream, the cuDNN and cuBLAS handles bound to it, and a
// convolution workspace shared by all nodes (safe because every call runs on that one stream,
// and growing it frees the old block with cudaFree, which waits for the GPU first). Every
// kernel, library call and copy of the plugin is queued on that stream, so they run in order.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cudnn.h>

#include "handles.h"

namespace ferc::cuda {

class Context {
 public:
  /// The context, created on first use so that loading the plugin never touches the GPU.
  static Context& get();
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  cudaStream_t stream() const { return stream_; }
  cudnnHandle_t cudnn() const { return cudnn_; }
  cublasHandle_t cublas() const { return cublas_; }
  /// Scratch memory of at least `bytes`, valid until the next call to workspace().
  void* workspace(size_t bytes);

 private:
  Context();
  void release();
  cudaStream_t stream_ = nullptr;
  cudnnHandle_t cudnn_ = nullptr;
  cublasHandle_t cublas_ = nullptr;
  DeviceBuffer workspace_;
};

}  // namespace ferc::cuda
