// The CPU plugin's table and its one exported symbol.
#include <array>

#include "ferc/plugin_abi.h"
#include "kernels.h"
#include "memory.h"
#include "optimizer.h"

namespace ferc::cpu {
namespace {

using KernelFn = ferc_kernel (*)();
constexpr std::array<KernelFn, 13> kKernels = {conv_kernel,
                                               bn_kernel,
                                               relu_kernel,
                                               maxpool_kernel,
                                               avgpool_kernel,
                                               gap_kernel,
                                               fc_kernel,
                                               dropout_kernel,
                                               flatten_kernel,
                                               add_kernel,
                                               concat_kernel,
                                               softmax_kernel,
                                               softmax_cross_entropy_kernel};

const ferc_plugin& table() {
  static const std::array<ferc_kernel, kKernels.size()> kernels = [] {
    std::array<ferc_kernel, kKernels.size()> out{};
    for (size_t i = 0; i < kKernels.size(); ++i) out[i] = kKernels[i]();
    return out;
  }();
  static const ferc_plugin plugin = [] {
    ferc_plugin p{};
    p.abi_version = FERC_PLUGIN_ABI_VERSION;
    p.name = "cpu";
    p.version = "0.1.0";
    p.device = "cpu";
    p.set_threads = [](int32_t n) { set_threads(n); };
    p.alloc = alloc;
    p.release = release;
    p.upload = copy;
    p.download = copy;
    p.fill = fill;
    p.axpy = axpy;
    p.sgd_step = sgd_step;
    p.adam_step = adam_step;
    p.n_kernels = static_cast<int32_t>(kernels.size());
    p.kernels = kernels.data();
    return p;
  }();
  return plugin;
}

}  // namespace
}  // namespace ferc::cpu

/// Returns the table, or NULL for a host built against another ABI version.
extern "C" __attribute__((visibility("default"))) const ferc_plugin* ferc_plugin_entry(
    uint32_t host_abi_version) {
  if (host_abi_version != FERC_PLUGIN_ABI_VERSION) return nullptr;
  return &ferc::cpu::table();
}
