// The CUDA plugin's table: device memory on cudaMalloc, kernels on cuDNN, cuBLAS and a few
// kernels of its own. The entry function only returns the static table; nothing touches the
// GPU until probe() or a kernel runs, so the library loads on machines without one.
#include <array>
#include <filesystem>
#include <string>

#include "kernels.h"
#include "op_kernel.h"
#include "ops.h"
#include "versions.h"

namespace ferc::cuda {
namespace {

constexpr int kTableSize = 13;

LibraryVersions built_versions() {
  LibraryVersions v;
  v.runtime = CUDART_VERSION;
  v.cudnn = CUDNN_VERSION;
  return v;
}

LibraryVersions found_versions() {
  LibraryVersions v;
  if (cudaRuntimeGetVersion(&v.runtime) != cudaSuccess) v.runtime = 0;
  v.cudnn = cudnnGetVersion();
  v.cudnn_cuda = cudnnGetCudartVersion();
  return v;
}

int probe(char* reason, size_t len) {
  return sdk::guard(reason, len, [&] {
    if (std::string why = version_mismatch(built_versions(), found_versions()); !why.empty())
      throw DeviceError(why);
    int devices = 0;
    cudaError_t status = cudaGetDeviceCount(&devices);
    if (status != cudaSuccess) {
      std::error_code ec;
      bool driver = std::filesystem::exists("/proc/driver/nvidia/version", ec);
      int driver_version = 0;
      if (status == cudaErrorInsufficientDriver &&
          cudaDriverGetVersion(&driver_version) == cudaSuccess && driver_version > 0)
        throw DeviceError("no usable CUDA device: " +
                          driver_too_old(driver_version, CUDART_VERSION));
      throw DeviceError(
          std::string(driver ? "no usable CUDA device" : "no NVIDIA driver is loaded") +
          ": cudaGetDeviceCount returned '" + cudaGetErrorString(status) + "'");
    }
    if (devices == 0) throw DeviceError("no CUDA device: cudaGetDeviceCount found 0 devices");
    Context::get();  // creates the stream and the library handles, or says why it cannot
    return FERC_OK;
  });
}

void* alloc(size_t bytes) {
  void* p = nullptr;
  // cudaMalloc aligns to 256 bytes; a zero-byte request still gets a distinct block.
  return cudaMalloc(&p, bytes == 0 ? 256 : bytes) == cudaSuccess ? p : nullptr;
}

void release(void* p) {
  if (p) cudaFree(p);
}

// Runs a launcher and maps any failure to FERC_FAILED; the table's memory slots carry no message.
template <class F>
int launch(F&& f) {
  char ignored[8];
  return sdk::guard(ignored, sizeof ignored, [&] {
    f(Context::get().stream());
    return FERC_OK;
  });
}

// Copies are queued on the plugin's stream, so they are ordered with every kernel. From pageable
// host memory cudaMemcpyAsync returns once the source has been staged, so the caller may reuse
// it at once and the upload costs no wait for the GPU.
int upload(void* dst, const void* src, size_t bytes) {
  if (bytes == 0) return FERC_OK;
  return launch([&](cudaStream_t s) {
    FERC_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, s));
  });
}

// The one place the host waits for the GPU in a training step (besides FERC_CUDA_SYNC=1).
int download(void* dst, const void* src, size_t bytes) {
  if (bytes == 0) return FERC_OK;
  return launch([&](cudaStream_t s) {
    FERC_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, s));
    FERC_CUDA_CHECK(cudaStreamSynchronize(s));
  });
}

int fill(float* dst, float value, size_t count) {
  return launch([&](cudaStream_t s) { launch_fill(s, dst, value, int64_t(count)); });
}

int axpy(float alpha, const float* x, float* y, size_t count) {
  return launch([&](cudaStream_t s) { launch_axpy(s, alpha, x, y, int64_t(count)); });
}

int synchronize() {
  return launch([](cudaStream_t s) { FERC_CUDA_CHECK(cudaStreamSynchronize(s)); });
}

int sgd_step(const ferc_sgd_args* a, float* p, const float* g, float* v, size_t count) {
  return launch([&](cudaStream_t s) { launch_sgd(s, *a, p, g, v, int64_t(count)); });
}

int adam_step(const ferc_adam_args* a, float* p, const float* g, float* m, float* v, size_t count) {
  return launch([&](cudaStream_t s) { launch_adam(s, *a, p, g, m, v, int64_t(count)); });
}

const std::array<ferc_kernel, kTableSize> kKernels = {
    conv_kernel(),   bn_kernel(),      relu_kernel(),        maxpool_kernel(), avgpool_kernel(),
    gap_kernel(),    fc_kernel(),      dropout_kernel(),     flatten_kernel(), add_kernel(),
    concat_kernel(), softmax_kernel(), softmax_xent_kernel()};

// Shown by `ferc plugins`; the library versions explain a probe refusal at a glance.
const std::string kVersion = "0.1.0 (CUDA " + cuda_version_text(CUDART_VERSION) + ", cuDNN " +
                             cudnn_version_text(CUDNN_VERSION) + ")";

const ferc_plugin kTable = {
    FERC_PLUGIN_ABI_VERSION,
    "cuda",
    kVersion.c_str(),
    "cuda",
    probe,
    nullptr,
    alloc,
    release,
    upload,
    download,
    fill,
    axpy,
    synchronize,
    sgd_step,
    adam_step,
    kTableSize,
    kKernels.data(),
};

}  // namespace
}  // namespace ferc::cuda

extern "C" __attribute__((visibility("default"))) const ferc_plugin* ferc_plugin_entry(
    uint32_t host_abi_version) {
  // A host with another ABI gets the table anyway: it compares versions and names both.
  (void)host_abi_version;
  return &ferc::cuda::kTable;
}
