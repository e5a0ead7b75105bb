// Version numbers of the CUDA runtime, the driver and cuDNN as text, and the rules that decide
// whether the libraries found at run time can run what the plugin was built with. Pure
// functions of the numbers, so they are tested without a GPU.
#pragma once

#include <cstddef>
#include <string>

namespace ferc::cuda {

/// "13.0" from 13000 (CUDART_VERSION, cudaRuntimeGetVersion, cudaDriverGetVersion).
std::string cuda_version_text(int v);
/// "9.19.0" from 91900 (CUDNN_VERSION and cudnnGetVersion since cuDNN 9).
std::string cudnn_version_text(size_t v);

/// The versions a plugin was built with and found at run time.
struct LibraryVersions {
  int runtime = 0;        // CUDA runtime: 13000 for 13.0
  size_t cudnn = 0;       // cuDNN: 91900 for 9.19.0
  size_t cudnn_cuda = 0;  // the CUDA runtime cuDNN itself was built for (found only)
};

/// Empty when `found` matches `built` in CUDA runtime major.minor, cuDNN major.minor and the
/// CUDA major version cuDNN targets; else a one-line reason that says what to install.
std::string version_mismatch(const LibraryVersions& built, const LibraryVersions& found);

/// The reason for cudaErrorInsufficientDriver: the driver's CUDA version against the runtime's.
std::string driver_too_old(int driver, int runtime);

}  // namespace ferc::cuda
