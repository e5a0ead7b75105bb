// Where plugins are looked for, and the record of what was loaded or refused.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "ferc/log.h"
#include "ferc/plugin_host.h"

namespace ferc {
namespace {

std::filesystem::path executable_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

bool is_plugin_file(const std::filesystem::path& p) {
  std::string name = p.filename().string();
  return name.starts_with("libferc_plugin_") && p.extension() == ".so";
}

}  // namespace

std::vector<std::filesystem::path> PluginHost::search_dirs() {
  std::vector<std::filesystem::path> dirs;
  if (auto exe = executable_dir(); !exe.empty()) {
    dirs.push_back(exe);
    dirs.push_back(exe.parent_path() / "lib" / "ferc" / "plugins");
  }
  if (const char* env = std::getenv("FERC_PLUGIN_PATH")) {
    std::string_view rest = env;
    while (!rest.empty()) {
      size_t colon = rest.find(':');
      std::string_view part = rest.substr(0, colon);
      if (!part.empty()) dirs.emplace_back(std::string(part));
      rest = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
    }
  }
  return dirs;
}

std::string PluginHost::duplicate_op(const Plugin& p) const {
  for (const std::string& op : p.ops())
    for (const auto& r : records_)
      if (r.plugin && r.plugin->device() == p.device() && r.plugin->kernel(op))
        return "plugin " + p.path().string() + " has a kernel for op '" + op + "' on device '" +
               std::string(p.device()) + "', which plugin '" + std::string(r.plugin->name()) +
               "' (" + r.path.string() +
               ") loaded before it has already; a plugin may add ops that its device's plugins "
               "lack, not replace one: remove the kernel from one of them";
  return "";
}

std::shared_ptr<Plugin> PluginHost::load(const std::filesystem::path& path) {
  std::shared_ptr<Plugin> p = Plugin::open(path);
  if (std::string why = duplicate_op(*p); !why.empty()) throw Error(why);
  records_.push_back({path, p, ""});
  return p;
}

void PluginHost::discover() {
  std::set<std::filesystem::path> seen;
  std::set<std::string> names;
  for (const auto& dir : search_dirs()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
      if (is_plugin_file(e.path())) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto canonical = std::filesystem::weakly_canonical(f, ec);
      if (!seen.insert(canonical).second) continue;
      try {
        auto p = Plugin::open(f);
        if (names.count(std::string(p->name()))) {
          std::string why = "a plugin named '" + std::string(p->name()) +
                            "' was found earlier on the search path; this copy is not used";
          log::debug("plugin", f.string() + ": " + why);
          records_.push_back({f, nullptr, why});
          continue;
        }
        if (std::string why = duplicate_op(*p); !why.empty()) throw Error(why);
        names.insert(std::string(p->name()));  // refused plugins leave their name free
        if (!p->usable())
          log::debug("plugin", f.string() + " loaded but unusable: " + p->unusable_reason());
        records_.push_back({f, std::move(p), ""});
      } catch (const Error& e) {
        log::warn("plugin", std::string("refused: ") + e.what());
        records_.push_back({f, nullptr, e.what()});
      }
    }
  }
}

std::shared_ptr<Plugin> PluginHost::find_device(std::string_view device) const {
  for (const auto& r : records_)
    if (r.plugin && r.plugin->device() == device) return r.plugin;
  return nullptr;
}

}  // namespace ferc
