#include <unistd.h>

#include <chrono>
#include <csignal>
#include <ctime>
#include <iostream>

#include "commands.h"
#include "ferc/data.h"
#include "ferc/dsl.h"
#include "ferc/log.h"
#include "ferc/train.h"
#include "options.h"
#include "progress.h"

namespace ferc::cli {
namespace {

std::atomic<bool> g_stop{false};

void on_sigint(int) {
  g_stop = true;
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
}

std::string timestamp() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", std::localtime(&t));
  return buf;
}

// The command line that continues a run: the same flags, with --resume pointing at `last`.
std::string resume_command(const std::string& model, const Args& args,
                           const std::filesystem::path& last) {
  std::string cmd = "ferc " + model + " train";
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--resume") {
      ++i;
      continue;
    }
    if (args[i].starts_with("--resume=")) continue;
    bool plain = args[i].find_first_of(" \t'\"$\\") == std::string::npos && !args[i].empty();
    cmd += " " + (plain ? args[i] : "'" + args[i] + "'");
  }
  return cmd + " --resume " + last.string();
}

// Removes a run folder that a failed start left empty.
struct RemoveIfEmpty {
  std::filesystem::path dir;
  ~RemoveIfEmpty() {
    std::error_code ec;
    if (std::filesystem::is_empty(dir, ec) && !ec) std::filesystem::remove(dir, ec);
  }
};

std::string settings_help() {
  std::string out = "\ntraining settings (model's train block, or --set KEY=VALUE):\n";
  for (const auto& [k, doc] : train_setting_docs())
    out += "  " + k + std::string(14 - k.size(), ' ') + doc + "\n";
  return out;
}

}  // namespace

int cmd_train(Context& ctx, const std::string& model, const Args& args) {
  po::options_description desc("train options");
  // clang-format off
  desc.add_options()
      ("data", po::value<std::string>(), "FER2013 zip, folder or fer2013.csv (default: $FERC_DATA or ../shared/data/fer2013.zip)")
      ("out", po::value<std::string>(), "run folder (default: runs/<model>-<time>)")
      ("epochs", po::value<std::string>(), "passes over the training set")
      ("batch", po::value<std::string>(), "images per step")
      ("lr", po::value<std::string>(), "initial learning rate")
      ("seed", po::value<std::string>(), "random seed")
      ("runs", po::value<std::string>(), "runs with different shuffling; the best on validation is kept")
      ("limit", po::value<size_t>()->default_value(0), "use only N training images (0: all)")
      ("resume", po::value<std::string>(), "continue from a run's last.ckpt")
      ("set", po::value<std::vector<std::string>>()->composing(), "override a training setting: KEY=VALUE")
      ("strict", "stop at an undecodable image instead of skipping it");
  // clang-format on
  add_common_options(desc);
  po::variables_map vm;
  if (!parse_args("train", "ferc MODEL train [options]" + settings_help(), desc, args, vm))
    return 0;
  if (vm.count("verbose")) log::set_level(log::Level::debug);

  Graph g = ctx.load_model(model);
  std::map<std::string, std::string> overrides;
  for (const char* key : {"epochs", "batch", "lr", "seed", "runs"})
    if (vm.count(key)) overrides[key] = vm[key].as<std::string>();
  if (vm.count("set"))
    for (const std::string& kv : vm["set"].as<std::vector<std::string>>()) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0)
        throw Error("--set expects KEY=VALUE, got '" + kv + "'");
      overrides[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  TrainSettings settings = resolve_settings(g, overrides);
  check_class_count(g);

  TrainOptions opt;
  opt.device = ctx.resolve_device(vm["device"].as<std::string>());
  ctx.set_threads(vm["threads"].as<int>());
  if (vm.count("resume")) {
    opt.resume = vm["resume"].as<std::string>();
    opt.out_dir = vm.count("out") ? std::filesystem::path(vm["out"].as<std::string>())
                                  : opt.resume->parent_path();
    if (settings.runs > 1 && !vm.count("out")) opt.out_dir = opt.out_dir.parent_path();
  } else {
    opt.out_dir =
        vm.count("out") ? vm["out"].as<std::string>() : "runs/" + g.name + "-" + timestamp();
  }

  prepare_out_dir(opt);  // before the data loads, so a bad --out fails at once
  RemoveIfEmpty cleanup{opt.out_dir};

  LoadOptions load;
  load.limit = vm["limit"].as<size_t>();
  load.strict = vm.count("strict") > 0;
  auto data_path =
      default_data(vm.count("data") ? std::optional(vm["data"].as<std::string>()) : std::nullopt);
  auto t0 = std::chrono::steady_clock::now();
  Fer2013 data = load_fer2013(data_path, load);
  double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cerr << "data: " << data.train.size() << " train, " << data.val.size() << " validation, "
            << data.test.size() << " test images from " << data_path.string() << " ("
            << static_cast<int>(load_s * 10) / 10.0 << " s)";
  if (data.skipped)
    std::cerr << "; skipped " << data.skipped << " undecodable, e.g. "
              << data.skipped_examples.front();
  std::cerr << "\nmodel " << g.name << ": " << g.param_count() << " parameters; "
            << settings.optimizer << " lr " << settings.lr << ", batch " << settings.batch << ", "
            << settings.epochs << " epochs, " << settings.runs << " run(s) on " << opt.device
            << "\nwriting to " << opt.out_dir.string() << "\n";

  ProgressPrinter printer(isatty(STDERR_FILENO));
  opt.on_progress = [&](const TrainProgress& p) { printer.progress(p); };
  opt.on_epoch = [&](int run, const EpochRecord& r, bool best) {
    printer.epoch(run, settings.runs, settings.epochs, r, best);
  };
  g_stop = false;
  opt.stop = &g_stop;
  std::signal(SIGINT, on_sigint);
  TrainOutcome out = train(g, ctx.plugins, data, settings, opt);
  std::signal(SIGINT, SIG_DFL);

  if (out.interrupted) {
    std::error_code ec;
    if (!std::filesystem::exists(out.last_checkpoint, ec)) {
      std::cerr << "\ninterrupted before the first epoch ended; nothing to resume\n";
      return 130;
    }
    std::cerr << "\ninterrupted; continue with:\n  "
              << resume_command(model, args, out.last_checkpoint) << "\n";
    return 130;
  }
  std::cout << "\nbest run " << out.best_run << ": validation error " << 100 * out.best_val_error
            << "%\n"
            << "test split (PrivateTest), best weights:\n"
            << format_metrics(out.test_metrics) << "\nfiles in " << opt.out_dir.string()
            << ": best.ckpt, last.ckpt, history.csv, cost.png, error.png, test_metrics.json, "
               "confusion.png\n";
  return 0;
}

}  // namespace ferc::cli
