// Status checks for CUDA, cuDNN and cuBLAS calls: a failed call throws with the call and status.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cudnn.h>

#include <stdexcept>
#include <string>

namespace ferc::cuda {

/// Thrown by a failed device call; kernels add the op and node when it reaches the boundary.
class DeviceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Throws DeviceError "<call> failed: <status>" unless `status` is cudaSuccess.
void check(cudaError_t status, const char* call);
/// Throws DeviceError "<call> failed: <status>" unless `status` is CUDNN_STATUS_SUCCESS.
void check(cudnnStatus_t status, const char* call);
/// Throws DeviceError "<call> failed: <status>" unless `status` is CUBLAS_STATUS_SUCCESS.
void check(cublasStatus_t status, const char* call);

/// Checks the last kernel launch; `kernel` names the kernel for the message.
void check_launch(const char* kernel);

}  // namespace ferc::cuda

/// Checks a device call and names it in the error, e.g. FERC_CUDA_CHECK(cudaMalloc(&p, n)).
#define FERC_CUDA_CHECK(call) ::ferc::cuda::check((call), #call)
