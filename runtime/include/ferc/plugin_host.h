// Finding, loading and checking op plugins (shared libraries behind plugin_abi.h).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ferc/ops/schema.h"
#include "ferc/plugin_abi.h"

namespace ferc {

/// A loaded plugin. Owns the dlopen handle; kernel pointers stay valid while it lives.
class Plugin {
 public:
  /// Loads and validates `path`. Throws Error naming the path, its ABI version and ferc's when
  /// the file is missing, is not a plugin, lacks the entry symbol, or has another ABI version,
  /// and naming the field when its table or op declarations are unusable (see plugin_check.h).
  static std::unique_ptr<Plugin> open(const std::filesystem::path& path);
  ~Plugin();
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const ferc_plugin& table() const { return *table_; }
  std::string_view name() const { return table_->name; }
  std::string_view version() const { return table_->version; }
  std::string_view device() const { return table_->device; }
  /// Empty when the device can run now; else why not (e.g. "no CUDA driver found").
  const std::string& unusable_reason() const { return unusable_reason_; }
  bool usable() const { return unusable_reason_.empty(); }

  const ferc_kernel* kernel(std::string_view op) const;
  std::vector<std::string> ops() const;

 private:
  Plugin() = default;
  std::filesystem::path path_;
  void* handle_ = nullptr;
  const ferc_plugin* table_ = nullptr;
  std::string unusable_reason_;
};

/// What happened to one candidate file.
struct PluginRecord {
  std::filesystem::path path;
  std::shared_ptr<Plugin> plugin;  // null when refused
  std::string refusal;             // why it was refused
};

/// All plugins found beside the executable, in <exe>/../lib/ferc/plugins and in the
/// directories of FERC_PLUGIN_PATH (colon-separated), in that order.
class PluginHost {
 public:
  /// Scans the search directories for libferc_plugin_*.so and loads each; refusals are kept
  /// and logged as warnings, never fatal here. Besides what Plugin::open refuses, a plugin is
  /// refused when one found earlier has its name, or has a kernel for one of its ops on the
  /// same device (the first plugin with a device's op runs it; a later one may only add ops).
  void discover();
  /// Loads one file explicitly; throws on refusal, as discover() records it.
  std::shared_ptr<Plugin> load(const std::filesystem::path& path);

  static std::vector<std::filesystem::path> search_dirs();
  const std::vector<PluginRecord>& records() const { return records_; }

  /// The first loaded plugin for `device` ("cpu", "cuda"), usable or not; null if none.
  std::shared_ptr<Plugin> find_device(std::string_view device) const;

  /// Adds schemas for ops that plugins bring and `ops` does not know yet.
  void register_plugin_ops(ops::OpRegistry& ops) const;

 private:
  /// Why `p` duplicates an op of a plugin already loaded for its device; empty when it does not.
  std::string duplicate_op(const Plugin& p) const;

  std::vector<PluginRecord> records_;
};

}  // namespace ferc
