#include <unistd.h>

#include <chrono>
#include <csignal>
#include <ctime>
#include <iostream>

#include "commands.h"
#include "ferc/data.h"
#include "ferc/dsl.h"
#include "ferc/log.h"
#include "ferc/signal_stack.h"
#include "ferc/train.h"
#include "options.h"
#include "progress.h"

namespace ferc::cli {
namespace {

std::atomic<bool> g_stop{false};
volatile std::sig_atomic_t g_signal = 0;

// Ctrl-C, `kill` and a closed terminal all stop training cleanly after the current batch.
constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};

void on_stop_signal(int sig) {
  g_signal = sig;
  g_stop = true;  // SA_RESETHAND: a second signal ends the process at once
}

// Installs on_stop_signal for kStopSignals while it lives, then restores the old handlers.
class StopSignals {
 public:
  StopSignals() {
    g_stop = false;
    g_signal = 0;
    use_signal_stack();
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_RESTART | SA_ONSTACK;
    for (size_t i = 0; i < std::size(kStopSignals); ++i) sigaction(kStopSignals[i], &sa, &old_[i]);
  }
  ~StopSignals() {
    for (size_t i = 0; i < std::size(kStopSignals); ++i)
      sigaction(kStopSignals[i], &old_[i], nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_[std::size(kStopSignals)] = {};
};

const char* signal_name(int sig) {
  return sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" : "Ctrl-C";
}

std::string timestamp() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", std::localtime(&t));
  return buf;
}

// A word for the shell: as is when nothing in it is special, else in single quotes.
std::string shell_word(const std::string& word) {
  bool plain = !word.empty() && word.find_first_not_of(
                                    "abcdefghijklmnopqrstuvwxyz"
                                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789-_./=:,+@%") == std::string::npos;
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The command line that continues a run: the program as invoked, the same flags, and --resume
// pointing at `last`.
std::string resume_command(const std::string& program, const std::string& model, const Args& args,
                           const std::filesystem::path& last) {
  std::string cmd = shell_word(program) + " " + shell_word(model) + " train";
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--resume") {
      ++i;
      continue;
    }
    if (args[i].starts_with("--resume=")) continue;
    cmd += " " + shell_word(args[i]);
  }
  return cmd + " --resume " + shell_word(last.string());
}

// The files of a finished run that exist, for the closing summary.
std::string run_file_list(const std::filesystem::path& dir, int runs) {
  std::string out;
  std::error_code ec;
  for (const char* f : {"best.ckpt", "last.ckpt", "history.csv", "cost.png", "error.png",
                        "test_metrics.json", "confusion.png"})
    if (std::filesystem::exists(dir / f, ec)) out += (out.empty() ? "" : ", ") + std::string(f);
  if (runs > 1)
    out += (out.empty() ? "" : "; ") + std::string("run-1/ to run-") + std::to_string(runs) +
           "/ with each run's best.ckpt, last.ckpt, history.csv, cost.png, error.png";
  return out;
}

// --limit: a positive count of training images, or absent for all of them.
size_t parse_limit(const po::variables_map& vm) {
  if (!vm.count("limit")) return 0;
  const std::string text = vm["limit"].as<std::string>();
  size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || n <= 0)
    throw Error("--limit must be a positive number of training images, got '" + text +
                "' (leave it out to train on all of them)");
  return static_cast<size_t>(n);
}

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
      ("limit", po::value<std::string>(), "use only the first N training images (default: all)")
      ("resume", po::value<std::string>(), "continue from a run's last.ckpt, in that run's folder")
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
  check_trainable(g);  // before the data loads, so a model problem shows at once
  LoadOptions load;
  load.limit = parse_limit(vm);
  load.strict = vm.count("strict") > 0;

  TrainOptions opt;
  opt.device = ctx.resolve_device(vm["device"].as<std::string>());
  ctx.set_threads(vm["threads"].as<int>());
  if (vm.count("resume")) {
    opt.resume = vm["resume"].as<std::string>();
    // A run continues in its own folder; --out may only name that folder.
    opt.out_dir = vm.count("out") ? std::filesystem::path(vm["out"].as<std::string>())
                                  : run_folder_of(*opt.resume, settings.runs);
  } else if (vm.count("out")) {
    opt.out_dir = vm["out"].as<std::string>();
  } else {
    opt.out_dir = "runs/" + g.name + "-" + timestamp();
    opt.fresh_name = true;  // another training started in the same second gets name-2
  }

  // From here on a stop signal ends training cleanly.
  StopSignals signals;
  // Claimed before the data loads, so a bad or busy --out fails at once; held to the end.
  RunFolder folder = claim_run_folder(opt, settings.runs);
  opt.out_dir = folder.dir();
  opt.folder = &folder;
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
  opt.stop = &g_stop;
  TrainOutcome out;
  try {
    out = train(g, ctx.plugins, data, settings, opt);
  } catch (...) {
    printer.end_line();
    throw;
  }

  if (out.interrupted) {
    printer.end_line();
    const int sig = g_signal ? static_cast<int>(g_signal) : SIGINT;
    std::error_code ec;
    if (!std::filesystem::exists(out.last_checkpoint, ec)) {
      std::cerr << "interrupted (" << signal_name(sig)
                << ") before the first epoch ended; nothing to resume\n";
      return 128 + sig;
    }
    std::cerr << "interrupted (" << signal_name(sig) << "); continue with:\n  "
              << resume_command(ctx.program, model, args, out.last_checkpoint) << "\n";
    return 128 + sig;
  }
  std::cout << "\nbest run " << out.best_run << ": validation error " << 100 * out.best_val_error
            << "%\n"
            << "test split (PrivateTest), best weights:\n"
            << format_metrics(out.test_metrics) << "\nfiles in " << opt.out_dir.string() << ": "
            << run_file_list(opt.out_dir, settings.runs) << "\n";
  return 0;
}

}  // namespace ferc::cli
