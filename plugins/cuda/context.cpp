#include "context.h"

namespace ferc::cuda {

Context& Context::get() {
  static Context instance;  // a throwing constructor is retried on the next call
  return instance;
}

Context::Context() {
  try {
    FERC_CUDA_CHECK(cudaStreamCreate(&stream_));
    FERC_CUDA_CHECK(cudnnCreate(&cudnn_));
    FERC_CUDA_CHECK(cudnnSetStream(cudnn_, stream_));
    FERC_CUDA_CHECK(cublasCreate(&cublas_));
    FERC_CUDA_CHECK(cublasSetStream(cublas_, stream_));
    // The default math mode keeps fp32 GEMMs off TF32 tensor cores, so results match the CPU;
    // set explicitly so that nothing else in the process can change it for this handle.
    FERC_CUDA_CHECK(cublasSetMathMode(cublas_, CUBLAS_DEFAULT_MATH));
  } catch (...) {
    release();  // the destructor does not run for a half-built object
    throw;
  }
}

Context::~Context() {
  release();
}

void Context::release() {
  workspace_.reset();
  if (cublas_) cublasDestroy(cublas_);
  if (cudnn_) cudnnDestroy(cudnn_);
  if (stream_) cudaStreamDestroy(stream_);
  cublas_ = nullptr;
  cudnn_ = nullptr;
  stream_ = nullptr;
}

void* Context::workspace(size_t bytes) {
  workspace_.reserve(bytes);
  return workspace_.get();
}

}  // namespace ferc::cuda
