#include "context.h"

#include <cstdlib>
#include <thread>

#include "ferc/dsl.h"
#include "ferc/error.h"

namespace ferc::cli {

// More threads than this only multiplies context switches.
constexpr int kMaxThreads = 256;

std::unique_ptr<Context> Context::create() {
  auto ctx = std::make_unique<Context>();
  ctx->plugins.discover();
  ctx->registry = ops::builtin_registry();
  ctx->plugins.register_plugin_ops(ctx->registry);
  return ctx;
}

Graph Context::load_model(const std::filesystem::path& path) const {
  return ferc::load_model(path, registry);
}

std::string Context::resolve_device(const std::string& requested) const {
  if (requested == "auto") {
    auto cuda = plugins.find_device("cuda");
    return cuda && cuda->usable() ? "cuda" : "cpu";
  }
  if (requested != "cpu" && requested != "cuda")
    throw Error("--device must be cpu, cuda or auto, got '" + requested + "'");
  auto p = plugins.find_device(requested);
  if (!p) {
    std::string dirs;
    for (const auto& d : PluginHost::search_dirs()) dirs += " " + d.string();
    throw Error("no " + requested + " plugin found (searched:" + dirs +
                "); build it or point FERC_PLUGIN_PATH at it");
  }
  if (!p->usable())
    throw Error("the " + requested + " plugin cannot run here: " + p->unusable_reason());
  return requested;
}

int Context::set_threads(int threads) const {
  if (threads < 0 || threads > kMaxThreads)
    throw Error("--threads must be 0 (all cores) or a count up to " + std::to_string(kMaxThreads) +
                ", got " + std::to_string(threads));
  if (threads == 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (const auto& r : plugins.records())
    if (r.plugin && r.plugin->table().set_threads) r.plugin->table().set_threads(threads);
  return threads;
}

namespace {

// models/lenet_bn.net -> models/lenet_bn.ckpt beside it, and, when the model is a symbolic link,
// the same beside the file it points to. First the link's, then the target's.
std::vector<std::filesystem::path> weight_candidates(const std::filesystem::path& model) {
  auto beside = [](std::filesystem::path p) { return p.replace_extension(".ckpt"); };
  std::vector<std::filesystem::path> out = {beside(model)};
  std::error_code ec;
  if (std::filesystem::is_symlink(model, ec)) {
    std::filesystem::path target = std::filesystem::canonical(model, ec);
    if (!ec && beside(target) != out[0]) out.push_back(beside(target));
  }
  return out;
}

std::filesystem::path executable_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

}  // namespace

std::filesystem::path shipped_weights(const std::filesystem::path& model) {
  std::vector<std::filesystem::path> candidates = weight_candidates(model);
  std::error_code ec;
  for (const auto& c : candidates)
    if (std::filesystem::exists(c, ec)) return c;
  return candidates.front();
}

std::vector<std::filesystem::path> default_model_candidates() {
  std::vector<std::filesystem::path> out;
  if (std::filesystem::path exe = executable_dir(); !exe.empty()) {
    // A build tree (build/bin/ferc -> models/), then an install (bin/ferc -> share/ferc/models).
    out.push_back((exe / ".." / ".." / "models" / kDefaultModel).lexically_normal());
    out.push_back((exe / ".." / "share" / "ferc" / "models" / kDefaultModel).lexically_normal());
  }
  return out;
}

std::filesystem::path default_model() {
  std::string looked;
  std::error_code ec;
  for (const auto& c : default_model_candidates()) {
    if (std::filesystem::is_regular_file(c, ec)) return c;
    looked += (looked.empty() ? "" : ", ") + c.string();
  }
  throw Error(std::string("no default model ") + kDefaultModel + " found (looked in " +
              (looked.empty() ? "no place: the program's own path is unknown" : looked) +
              "); pass --model MODEL.net");
}

Checkpoint load_weights(const Graph& g, const std::filesystem::path& model,
                        const std::optional<std::string>& flag) {
  std::filesystem::path weights = flag ? std::filesystem::path(*flag) : shipped_weights(model);
  if (!flag && !std::filesystem::exists(weights)) {
    std::string looked;
    for (const auto& c : weight_candidates(model))
      looked += (looked.empty() ? "" : ", ") + c.string();
    throw Error("no weights shipped for " + model.string() + " (looked for " + looked +
                "); train it or pass --weights CHECKPOINT");
  }
  std::error_code ec;
  if (std::filesystem::is_directory(weights, ec))
    throw Error(weights.string() + " is a directory; --weights takes a checkpoint file such as " +
                (weights / "best.ckpt").string());
  Checkpoint ck = load_checkpoint(weights);
  if (ck.model_fingerprint != fingerprint(g))
    throw Error(weights.string() + " holds weights for model '" + ck.model_name +
                "', whose layers differ from " + model.string() + "; pass the matching model");
  return ck;
}

std::filesystem::path default_data(const std::optional<std::string>& flag) {
  if (flag) return *flag;
  if (const char* env = std::getenv("FERC_DATA"); env && *env) return env;
  std::filesystem::path shared = "../shared/data/fer2013.zip";
  if (std::filesystem::exists(shared)) return shared;
  throw Error(
      "no data given: pass --data PATH (fer2013.zip, its unpacked folder, or Kaggle's "
      "fer2013.csv) or set FERC_DATA");
}

}  // namespace ferc::cli
