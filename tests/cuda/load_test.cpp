// Checks that need no GPU: the CUDA plugin loads, speaks this ABI, explains why it cannot run
// here, and offers a kernel for every op the CPU plugin has.
#include <dlfcn.h>
#include <doctest/doctest.h>

#include <string>

#include "cuda_env.h"
#include "harness.h"

using ferc::test::plugin_path;
using ferc::test::PluginLib;

namespace {

// True when the CUDA driver library itself is missing, as on build machines without a GPU.
bool driver_missing() {
  void* h = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
  if (h) dlclose(h);
  return h == nullptr;
}

}  // namespace

TEST_CASE("the CUDA plugin loads without touching the GPU and carries this ABI version") {
  PluginLib lib(plugin_path("cuda"));
  const ferc_plugin* p = lib.table();
  REQUIRE(p != nullptr);
  CHECK(p->abi_version == FERC_PLUGIN_ABI_VERSION);
  CHECK(std::string(p->name) == "cuda");
  CHECK(std::string(p->device) == "cuda");
  CHECK(std::string(p->version).find("cuDNN 9.") != std::string::npos);
  // Another host version still gets the table; the host compares versions and names both.
  CHECK(lib.entry()(FERC_PLUGIN_ABI_VERSION + 1) == p);
}

TEST_CASE("the CUDA plugin fills every memory and optimizer slot") {
  PluginLib lib(plugin_path("cuda"));
  const ferc_plugin* p = lib.table();
  CHECK((p->probe != nullptr));
  CHECK((p->alloc != nullptr));
  CHECK((p->release != nullptr));
  CHECK((p->upload != nullptr));
  CHECK((p->download != nullptr));
  CHECK((p->fill != nullptr));
  CHECK((p->axpy != nullptr));
  CHECK((p->synchronize != nullptr));
  CHECK((p->sgd_step != nullptr));
  CHECK((p->adam_step != nullptr));
}

TEST_CASE("probe gives a one-line reason when the device cannot be used") {
  PluginLib lib(plugin_path("cuda"));
  char reason[512] = "";
  int rc = lib.table()->probe(reason, sizeof reason);
  std::string why = reason;
  INFO("probe returned ", rc, " with '", why, "'");
  CHECK(why.find('\n') == std::string::npos);
  if (driver_missing()) {
    CHECK(rc == FERC_FAILED);
    CHECK(why.rfind("no NVIDIA driver is loaded: cudaGetDeviceCount returned '", 0) == 0);
    CHECK(why.size() > 48);
  } else if (rc != FERC_OK) {
    bool known = why.rfind("no usable CUDA device", 0) == 0 ||
                 why.rfind("no CUDA device", 0) == 0 ||
                 why.find("plugin built with") != std::string::npos;
    CHECK(known);
  }
}

TEST_CASE("the CUDA plugin has a trainable kernel for every op of the CPU plugin") {
  PluginLib cuda(plugin_path("cuda"));
  PluginLib cpu(plugin_path("cpu"));
  REQUIRE(cpu.table()->n_kernels > 0);
  for (int i = 0; i < cpu.table()->n_kernels; ++i) {
    std::string op = cpu.table()->kernels[i].op;
    CAPTURE(op);
    const ferc_kernel& k = cuda.kernel(op);
    CHECK((k.create != nullptr));
    CHECK((k.destroy != nullptr));
    CHECK((k.forward != nullptr));
    CHECK((k.backward != nullptr) == (cpu.table()->kernels[i].backward != nullptr));
  }
  CHECK(cuda.table()->n_kernels == cpu.table()->n_kernels);
}
