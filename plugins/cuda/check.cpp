#include "check.h"

#include <cstdlib>
#include <cstring>

namespace ferc::cuda {
namespace {

constexpr const char* kFindOp =
    "rerun with FERC_CUDA_SYNC=1 to stop at the op whose GPU work failed";
constexpr const char* kOutOfMemory = "the GPU is out of memory; try a smaller --batch";

[[noreturn]] void fail(const char* call, const std::string& status, const std::string& what_to_do) {
  // "cudaMalloc(&p, n)" is named "cudaMalloc"; a label such as "cublasSgemm (forward)" stays.
  std::string name = call;
  if (auto paren = name.find('(');
      paren != std::string::npos && paren > 0 && name[paren - 1] != ' ')
    name.resize(paren);
  throw DeviceError(name + " failed: " + status + "; " + what_to_do);
}

// Errors that leave the CUDA context unusable until the process ends.
bool sticky(cudaError_t s) {
  switch (s) {
    case cudaErrorIllegalAddress:
    case cudaErrorLaunchFailure:
    case cudaErrorIllegalInstruction:
    case cudaErrorMisalignedAddress:
    case cudaErrorInvalidAddressSpace:
    case cudaErrorInvalidPc:
    case cudaErrorHardwareStackError:
    case cudaErrorAssert:
    case cudaErrorLaunchTimeout:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string advice(cudaError_t s) {
  if (s == cudaErrorMemoryAllocation) return kOutOfMemory;
  if (s == cudaErrorInsufficientDriver) return "update the NVIDIA driver";
  if (s == cudaErrorNoDevice || s == cudaErrorInvalidDevice)
    return "check that a GPU is visible (nvidia-smi, CUDA_VISIBLE_DEVICES)";
  if (sticky(s))
    return std::string("a GPU kernel failed and the CUDA context is lost, restart the process; ") +
           kFindOp;
  return kFindOp;
}

std::string advice(cudnnStatus_t s) {
  if (s == CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED) return kOutOfMemory;
  if (s == CUDNN_STATUS_NOT_INITIALIZED || s == CUDNN_STATUS_SUBLIBRARY_VERSION_MISMATCH ||
      s == CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED)
    return "cuDNN could not start: check the NVIDIA driver, and that all cuDNN libraries "
           "(libcudnn_*.so.9) are installed for this CUDA version";
  return "set CUDNN_LOGLEVEL_DBG=2 and CUDNN_LOGDEST_DBG=stderr for cuDNN's account; " +
         std::string(kFindOp);
}

std::string advice(cublasStatus_t s) {
  if (s == CUBLAS_STATUS_ALLOC_FAILED) return kOutOfMemory;
  if (s == CUBLAS_STATUS_NOT_INITIALIZED)
    return "cuBLAS could not start: check the NVIDIA driver and the CUDA installation";
  return "set CUBLAS_LOGINFO_DBG=1 and CUBLAS_LOGDEST_DBG=stderr for cuBLAS's account; " +
         std::string(kFindOp);
}

void check(cudaError_t status, const char* call) {
  if (status != cudaSuccess)
    fail(call, std::string(cudaGetErrorName(status)) + " (" + cudaGetErrorString(status) + ")",
         advice(status));
}

void check(cudnnStatus_t status, const char* call) {
  if (status == CUDNN_STATUS_SUCCESS) return;
  std::string text = cudnnGetErrorString(status);
  char detail[256] = "";
  cudnnGetLastErrorString(detail, sizeof detail);
  detail[sizeof detail - 1] = '\0';
  for (char& ch : detail)
    if (ch == '\n' || ch == '\r') ch = ' ';  // messages stay on one line
  if (detail[0]) text += std::string(" (") + detail + ")";
  fail(call, text, advice(status));
}

void check(cublasStatus_t status, const char* call) {
  if (status != CUBLAS_STATUS_SUCCESS)
    fail(call,
         std::string(cublasGetStatusName(status)) + " (" + cublasGetStatusString(status) + ")",
         advice(status));
}

void check_launch(const char* kernel) {
  cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess)
    throw DeviceError(std::string("launch of ") + kernel + " failed: " + cudaGetErrorName(status) +
                      " (" + cudaGetErrorString(status) + "); " + advice(status));
}

bool sync_each_call() {
  static const bool on = [] {
    const char* v = std::getenv("FERC_CUDA_SYNC");
    return v && std::strcmp(v, "1") == 0;
  }();
  return on;
}

}  // namespace ferc::cuda
