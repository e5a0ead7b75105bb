#include "versions.h"

namespace ferc::cuda {

std::string cuda_version_text(int v) {
  return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
}

std::string cudnn_version_text(size_t v) {
  return std::to_string(v / 10000) + "." + std::to_string(v % 10000 / 100) + "." +
         std::to_string(v % 100);
}

std::string version_mismatch(const LibraryVersions& built, const LibraryVersions& found) {
  if (found.runtime <= 0)
    return "the CUDA runtime library did not report its version; reinstall CUDA " +
           cuda_version_text(built.runtime);
  if (found.runtime / 10 != built.runtime / 10)
    return "CUDA runtime " + cuda_version_text(found.runtime) + " found, plugin built with " +
           cuda_version_text(built.runtime) + "; install CUDA " + cuda_version_text(built.runtime) +
           " or rebuild ferc against the installed one";
  if (found.cudnn / 100 != built.cudnn / 100)
    return "cuDNN " + cudnn_version_text(found.cudnn) + " found, plugin built with " +
           cudnn_version_text(built.cudnn) + "; install cuDNN " + cudnn_version_text(built.cudnn) +
           " or rebuild ferc against the installed one";
  if (found.cudnn_cuda / 1000 != size_t(built.runtime) / 1000)
    return "cuDNN " + cudnn_version_text(found.cudnn) + " found is the build for CUDA " +
           cuda_version_text(int(found.cudnn_cuda)) + ", the plugin uses CUDA " +
           cuda_version_text(built.runtime) + "; install the cuDNN package for CUDA " +
           std::to_string(built.runtime / 1000);
  return {};
}

std::string driver_too_old(int driver, int runtime) {
  return "the NVIDIA driver supports CUDA " + cuda_version_text(driver) +
         " but the plugin needs CUDA " + cuda_version_text(runtime) + "; update the NVIDIA driver";
}

}  // namespace ferc::cuda
