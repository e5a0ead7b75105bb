// Status checks for CUDA, cuDNN and cuBLAS calls: a failed call throws with the call, the status
// and what to do about it.
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

/// Throws DeviceError "<call> failed: <status>; <advice>" unless `status` is cudaSuccess.
void check(cudaError_t status, const char* call);
/// As above for cuDNN; adds cuDNN's own description of the last error when it has one.
void check(cudnnStatus_t status, const char* call);
/// As above for cuBLAS.
void check(cublasStatus_t status, const char* call);

/// Checks the last kernel launch; `kernel` names the kernel for the message.
void check_launch(const char* kernel);

/// What to do about a failed status, for the end of an error message.
std::string advice(cudaError_t status);
std::string advice(cudnnStatus_t status);
std::string advice(cublasStatus_t status);

/// True when FERC_CUDA_SYNC=1: every kernel call then waits for the GPU, so that an error of
/// asynchronous work is reported with the op that caused it (slow; for finding faults).
bool sync_each_call();

}  // namespace ferc::cuda

/// Checks a device call and names it in the error, e.g. FERC_CUDA_CHECK(cudaMalloc(&p, n)).
#define FERC_CUDA_CHECK(call) ::ferc::cuda::check((call), #call)
