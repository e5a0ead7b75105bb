#include "check.h"

namespace ferc::cuda {
namespace {

[[noreturn]] void fail(const char* call, const std::string& status) {
  std::string name = call;
  if (auto paren = name.find('('); paren != std::string::npos) name.resize(paren);
  throw DeviceError(name + " failed: " + status);
}

}  // namespace

void check(cudaError_t status, const char* call) {
  if (status != cudaSuccess)
    fail(call, std::string(cudaGetErrorName(status)) + " (" + cudaGetErrorString(status) + ")");
}

void check(cudnnStatus_t status, const char* call) {
  if (status != CUDNN_STATUS_SUCCESS) fail(call, cudnnGetErrorString(status));
}

void check(cublasStatus_t status, const char* call) {
  if (status != CUBLAS_STATUS_SUCCESS)
    fail(call,
         std::string(cublasGetStatusName(status)) + " (" + cublasGetStatusString(status) + ")");
}

void check_launch(const char* kernel) {
  cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess)
    throw DeviceError(std::string("launch of ") + kernel + " failed: " + cudaGetErrorName(status) +
                      " (" + cudaGetErrorString(status) + ")");
}

}  // namespace ferc::cuda
