#include "cuda_env.h"

#include <filesystem>

#include "harness.h"

namespace ferc::test {

std::string plugin_path(const std::string& name) {
  return std::string(FERC_BIN_DIR) + "/libferc_plugin_" + name + ".so";
}

std::string cuda_skip_reason() {
  std::string path = plugin_path("cuda");
  if (!std::filesystem::exists(path)) return "CUDA plugin not built (no " + path + ")";
  try {
    PluginLib lib(path);
    char reason[512] = "";
    if (lib.table()->probe && lib.table()->probe(reason, sizeof reason) != FERC_OK)
      return std::string("CUDA plugin unusable: ") + reason;
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

}  // namespace ferc::test
