#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>

#include "commands.h"
#include "ferc/checkpoint.h"
#include "ferc/dsl.h"
#include "ferc/executor.h"
#include "ferc/log.h"
#include "ferc/train.h"
#include "options.h"

namespace ferc::cli {
namespace {

bool ends_with_png(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".png" && !path.stem().empty();
}

// Creates the folders above `path`; an Error naming `flag` when that fails.
void make_parent_dirs(const std::filesystem::path& path, const std::string& flag) {
  std::filesystem::path parent = path.parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec)
    throw Error("cannot create the folder " + parent.string() + " for " + flag + " " +
                path.string() + ": " + ec.message());
}

}  // namespace

int cmd_eval(Context& ctx, const std::string& model, const Args& args) {
  po::options_description desc("eval options");
  // clang-format off
  desc.add_options()
      ("weights", po::value<std::string>(), "checkpoint (default: the weights shipped beside the model)")
      ("split", po::value<std::string>()->default_value("test"), "test (PrivateTest) or val (PublicTest)")
      ("json", po::value<std::string>(), "also write the metrics as JSON to FILE")
      ("confusion", po::value<std::string>(), "confusion-matrix PNG, FILE.png (default: confusion_<split>.png in the current folder)")
      ("data", po::value<std::string>(), "FER2013 zip, folder or fer2013.csv")
      ("batch", po::value<int>()->default_value(256), "images per forward pass");
  // clang-format on
  add_common_options(desc);
  po::variables_map vm;
  if (!parse_args("eval", "ferc MODEL eval [options]", desc, args, vm)) return 0;
  if (vm.count("verbose")) log::set_level(log::Level::debug);
  std::string split = vm["split"].as<std::string>();
  if (split != "test" && split != "val")
    throw Error("--split must be test or val, got '" + split + "'");

  Graph g = ctx.load_model(model);
  check_class_count(g);
  Checkpoint ck = load_weights(
      g, model,
      vm.count("weights") ? std::optional(vm["weights"].as<std::string>()) : std::nullopt);
  int batch = vm["batch"].as<int>();
  if (batch < 1) throw Error("--batch must be at least 1, got " + std::to_string(batch));

  ctx.set_threads(vm["threads"].as<int>());
  Executor exec(
      g, ctx.plugins,
      ExecOptions{batch, false, true, ctx.resolve_device(vm["device"].as<std::string>())});
  exec.set_params(ck.params);
  auto data_path =
      default_data(vm.count("data") ? std::optional(vm["data"].as<std::string>()) : std::nullopt);
  const char* split_name = split == "test" ? "PrivateTest" : "PublicTest";
  std::filesystem::path png = vm.count("confusion")
                                  ? std::filesystem::path(vm["confusion"].as<std::string>())
                                  : std::filesystem::path("confusion_" + split + ".png");
  if (!ends_with_png(png))
    throw Error("--confusion must name a .png file (the matrix is written as PNG), got '" +
                png.string() + "'");
  LoadOptions load;
  load.all_splits = false;  // only the evaluated split must have images; checked below
  Fer2013 data = load_fer2013(data_path, load);
  const Dataset& ds = split == "test" ? data.test : data.val;
  if (ds.size() == 0)
    throw Error("no " + std::string(split_name) + " images found in " + data_path.string() +
                " for --split " + split +
                (split == "val" ? "; use --split test or data with PublicTest rows (in a CSV "
                                  "without a Usage column every row is a test image)"
                                : "; pass data with PrivateTest images"));
  // Opened and created before the evaluation so that an unwritable path fails at once; missing
  // parent folders are created for both outputs.
  make_parent_dirs(png, "--confusion");
  std::optional<std::ofstream> json;
  if (vm.count("json")) {
    const std::filesystem::path path = vm["json"].as<std::string>();
    make_parent_dirs(path, "--json");
    json.emplace(path);
    if (!*json) throw Error("cannot write --json " + path.string() + ": " + std::strerror(errno));
  }
  Metrics m = evaluate(exec, ds, ck.preprocessing, batch);

  std::cout << split_name << " (" << ds.size() << " images), weights "
            << (vm.count("weights") ? vm["weights"].as<std::string>()
                                    : shipped_weights(model).string())
            << "\n"
            << format_metrics(m);
  if (json) *json << metrics_json(m).dump(2) << "\n";
  write_confusion_png(m, png);
  std::cout << "confusion matrix: " << png.string() << "\n";
  return 0;
}

}  // namespace ferc::cli
