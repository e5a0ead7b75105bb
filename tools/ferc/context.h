// What every command needs: the plugins, the op registry with plugin ops, the model, the device.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ferc/checkpoint.h"
#include "ferc/graph.h"
#include "ferc/ops/schema.h"
#include "ferc/plugin_host.h"

namespace ferc::cli {

struct Context {
  PluginHost plugins;
  ops::OpRegistry registry;
  std::string program = "ferc";  // argv[0], as the user invoked ferc

  /// Discovers plugins and builds the op registry (built-in ops plus plugin ops).
  static std::unique_ptr<Context> create();
  /// Parses a model file against the registry.
  Graph load_model(const std::filesystem::path& path) const;
  /// "cpu" or "cuda" for a --device value; "auto" picks cuda when a usable plugin exists.
  /// Throws Error when the device asked for cannot be used, with the reason.
  std::string resolve_device(const std::string& requested) const;
  /// Sets the thread count of every CPU plugin (0: all cores) and returns it; a negative or
  /// absurd count is an Error.
  int set_threads(int threads) const;
};

/// The weights shipped beside a model: models/lenet_bn.net -> models/lenet_bn.ckpt. For a
/// symbolic link, the .ckpt beside the link when it exists, else the one beside its target.
std::filesystem::path shipped_weights(const std::filesystem::path& model);

/// The model `predict` uses without --model.
inline constexpr const char* kDefaultModel = "lenet_bn.net";

/// Where the default model is looked for, in order: the source tree above a build's bin/
/// (<exe>/../../models) and an installation's data folder (<exe>/../share/ferc/models).
std::vector<std::filesystem::path> default_model_candidates();

/// The first existing default_model_candidates(); an Error listing them when there is none.
std::filesystem::path default_model();

/// Loads `flag` (else the shipped weights) and checks they were trained for `g`.
Checkpoint load_weights(const Graph& g, const std::filesystem::path& model,
                        const std::optional<std::string>& flag);

/// --data, else $FERC_DATA, else ../shared/data/fer2013.zip when it exists.
std::filesystem::path default_data(const std::optional<std::string>& flag);

}  // namespace ferc::cli
