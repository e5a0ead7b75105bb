// Loading one plugin file and checking its table before anything calls into it.
#include <dlfcn.h>

#include <cstring>

#include "ferc/log.h"
#include "ferc/plugin_host.h"
#include "plugin_check.h"

namespace ferc {
namespace {

std::string abi_mismatch(const std::filesystem::path& path, uint32_t theirs) {
  return "plugin " + path.string() + " was built for plugin ABI version " + std::to_string(theirs) +
         ", this ferc uses version " + std::to_string(FERC_PLUGIN_ABI_VERSION) +
         "; rebuild the plugin against this ferc's headers";
}

}  // namespace

std::unique_ptr<Plugin> Plugin::open(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw Error("plugin " + path.string() + " does not exist");
  std::unique_ptr<Plugin> p(new Plugin());  // private constructor: make_unique cannot reach it
  p->path_ = path;
  p->handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!p->handle_) {
    const char* why = dlerror();
    throw Error("plugin " + path.string() + " cannot be loaded: " + (why ? why : "unknown reason"));
  }
  auto entry = reinterpret_cast<ferc_plugin_entry_fn>(dlsym(p->handle_, FERC_ENTRY_SYMBOL));
  if (!entry)
    throw Error("plugin " + path.string() +
                " lacks the entry symbol '" FERC_ENTRY_SYMBOL "'; is it a ferc plugin?");
  p->table_ = entry(FERC_PLUGIN_ABI_VERSION);
  if (!p->table_)
    throw Error("plugin " + path.string() + " refused this ferc (plugin ABI version " +
                std::to_string(FERC_PLUGIN_ABI_VERSION) +
                "); rebuild the plugin against this ferc's headers");
  if (p->table_->abi_version != FERC_PLUGIN_ABI_VERSION)
    throw Error(abi_mismatch(path, p->table_->abi_version));
  plugin_check::check_table(path, *p->table_);
  if (p->table_->probe) {
    char reason[512] = {0};
    if (p->table_->probe(reason, sizeof reason) != FERC_OK) {
      reason[sizeof reason - 1] = '\0';  // a plugin that filled the buffer left no terminator
      p->unusable_reason_ = *reason ? reason : "its device is not available";
    }
  }
  return p;
}

Plugin::~Plugin() {
  if (handle_) dlclose(handle_);
}

const ferc_kernel* Plugin::kernel(std::string_view op) const {
  for (int i = 0; i < table_->n_kernels; ++i)
    if (op == table_->kernels[i].op) return &table_->kernels[i];
  return nullptr;
}

std::vector<std::string> Plugin::ops() const {
  std::vector<std::string> out;
  for (int i = 0; i < table_->n_kernels; ++i) out.emplace_back(table_->kernels[i].op);
  return out;
}

}  // namespace ferc
