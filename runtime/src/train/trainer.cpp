// The training loop. Every random choice (initialisation, epoch order, augmentation, dropout)
// is derived from (seed, run, epoch, batch), never from state carried between epochs, so a run
// resumed from its last checkpoint repeats the uninterrupted run exactly.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>

#include "ferc/checkpoint.h"
#include "ferc/dsl.h"
#include "ferc/log.h"
#include "ferc/seed.h"
#include "ferc/train.h"
#include "run_files.h"

namespace ferc {
namespace {

using Clock = std::chrono::steady_clock;

// The side of FER2013's square images; the readers scale every image to it.
constexpr int64_t kFerImageSize = 48;

uint64_t run_seed(const TrainSettings& s, int run) {
  return mix_seed(s.seed, static_cast<uint64_t>(run));
}

OptimizerConfig optimizer_config(const TrainSettings& s, int epoch) {
  OptimizerConfig c;
  c.kind = s.optimizer;
  c.lr = static_cast<float>(s.lr_at(epoch));
  c.momentum = static_cast<float>(s.momentum);
  c.weight_decay = static_cast<float>(s.weight_decay);
  c.nesterov = s.nesterov;
  c.beta1 = static_cast<float>(s.beta1);
  c.beta2 = static_cast<float>(s.beta2);
  return c;
}

// "key=value" lines as (key, value) pairs, in order.
std::vector<std::pair<std::string, std::string>> setting_lines(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    size_t eq = line.find('=');
    if (!line.empty())
      out.emplace_back(std::string(line.substr(0, eq)),
                       eq == std::string_view::npos ? "" : std::string(line.substr(eq + 1)));
    text = nl == std::string_view::npos ? "" : text.substr(nl + 1);
  }
  return out;
}

// "lr: saved 0.01, now 0.1; ..." for every setting but epochs that differs.
std::string setting_differences(std::string_view saved, std::string_view now) {
  auto a = setting_lines(saved), b = setting_lines(now);
  auto find = [](const auto& lines, const std::string& key) -> const std::string* {
    for (const auto& [k, v] : lines)
      if (k == key) return &v;
    return nullptr;
  };
  std::vector<std::string> keys;
  for (const auto* lines : {&a, &b})
    for (const auto& [k, v] : *lines)
      if (k != "epochs" && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  std::string out;
  for (const std::string& k : keys) {
    const std::string *x = find(a, k), *y = find(b, k);
    if (x && y && *x == *y) continue;
    out += (out.empty() ? "" : "; ") + k + ": saved " + (x ? *x : "(none)") + ", now " +
           (y ? *y : "(none)");
  }
  return out;
}

// The settings and the training set size, as stored with a run: both must match on resume.
std::string run_identity(const TrainSettings& s, const Fer2013& data) {
  return s.to_text() + "train_images=" + std::to_string(data.train.size()) + "\n";
}

// Settings must match for an exact resume; only the number of epochs may grow.
void check_resumable(const Checkpoint& ck, const std::filesystem::path& path, const Graph& g,
                     const std::string& identity) {
  if (!ck.train)
    throw Error(path.string() +
                " holds weights only, no training state; resume from the run's "
                "last.ckpt");
  if (ck.model_fingerprint != fingerprint(g))
    throw Error(path.string() + " was written for another model ('" + ck.model_name +
                "'); resume with the model file it was trained from");
  if (ck.train->slots.empty() && ck.train->step > 0)
    throw Error(path.string() +
                " has no optimizer state (it is a best.ckpt, kept for its weights); resume from "
                "the run's last.ckpt");
  std::string diff = setting_differences(ck.train->settings, identity);
  if (!diff.empty())
    throw Error(path.string() +
                " was trained with other settings or data; an exact resume needs the same ones "
                "(" +
                diff +
                "); pass the same --limit and overrides as the first time, only epochs may "
                "change");
}

// Whether every parameter is a finite number.
bool finite_params(const std::vector<NamedTensor>& params) {
  for (const NamedTensor& t : params)
    for (float v : t.data)
      if (!std::isfinite(v)) return false;
  return true;
}

class Trainer {
 public:
  Trainer(const Graph& g, const PluginHost& plugins, const Fer2013& data, const TrainSettings& s,
          const TrainOptions& o)
      : graph_(g),
        data_(data),
        s_(s),
        o_(o),
        exec_(g, plugins, ExecOptions{s.batch, true, true, o.device}),
        fingerprint_(fingerprint(g)) {
    prep_.channels = static_cast<int>(g.input().shape[0]);
    prep_.height = g.input().shape.rank() == 3 ? static_cast<int>(g.input().shape[1]) : 1;
    prep_.width = g.input().shape.rank() == 3 ? static_cast<int>(g.input().shape[2]) : 1;
    if (prep_.channels != 1 || prep_.height != data.train.height || prep_.width != data.train.width)
      throw Error("the model's input is " + to_string(g.input().shape) + " but the data are 1x" +
                  std::to_string(data.train.height) + "x" + std::to_string(data.train.width) +
                  " grayscale images; change the model's `input` line");
    images_.resize(static_cast<size_t>(s.batch * prep_.height * prep_.width));
    labels_.resize(static_cast<size_t>(s.batch));
    weights_.resize(static_cast<size_t>(s.batch));
    if (s.balance == Balance::ClassWeights) class_weights_ = class_weights(data.train);
  }

  TrainOutcome run() {
    TrainOutcome out;
    int first_run = 1;
    std::optional<Checkpoint> resume;
    if (o_.resume) {
      resume = load_checkpoint(*o_.resume);
      check_resumable(*resume, *o_.resume, graph_, run_identity(s_, data_));
      first_run = resume->train->run;
      log::info("train", "resuming run " + std::to_string(first_run) + " after epoch " +
                             std::to_string(resume->train->epochs_done) + " from " +
                             o_.resume->string());
    }
    for (int run = 1; run <= s_.runs; ++run) {
      TrainState state;
      if (run < first_run) {
        state = previous_run(run);
      } else {
        state = train_run(run, run == first_run && resume ? &*resume : nullptr);
        if (interrupted_) {
          out.interrupted = true;
          out.last_checkpoint = runfiles::run_files(o_.out_dir, run, s_.runs).last;
          return out;
        }
      }
      if (run == 1 || state.best_val_error < out.best_val_error) {
        out.best_run = run;
        out.best_val_error = state.best_val_error;
        out.history = state.history;
      }
    }
    finish(out);
    return out;
  }

 private:
  // The result of a run finished before a resume: read back from its best checkpoint.
  TrainState previous_run(int run) {
    auto files = runfiles::run_files(o_.out_dir, run, s_.runs);
    Checkpoint ck = load_checkpoint(files.best);
    if (!ck.train) throw Error(files.best.string() + " has no training record");
    return *ck.train;
  }

  TrainState train_run(int run, const Checkpoint* resume) {
    auto files = runfiles::run_files(o_.out_dir, run, s_.runs);
    std::filesystem::create_directories(files.dir);
    TrainState state;
    if (resume) {
      state = *resume->train;
      exec_.set_params(resume->params);
      exec_.set_optimizer_slots(state.slots);
      state.slots.clear();
    } else {
      state.run = run;
      state.seed = run_seed(s_, run);
      state.optimizer = s_.optimizer;
      exec_.init_params(state.seed);
      exec_.set_optimizer_slots({});
    }
    state.settings = run_identity(s_, data_);
    for (int epoch = state.epochs_done + 1; epoch <= s_.epochs; ++epoch) {
      EpochRecord rec = train_epoch(run, epoch, state);
      if (interrupted_) return state;
      Metrics val = evaluate(exec_, data_.val, prep_, std::max(s_.batch, 256));
      rec.val_cost = val.mean_cost;
      rec.val_error = 1.0 - val.accuracy;
      check_finite_epoch(run, epoch, state, rec);
      state.history.push_back(rec);
      state.epochs_done = epoch;
      // The first epoch is always the best so far, whatever its error (even 100%).
      bool best = state.best_epoch == 0 || rec.val_error < state.best_val_error;
      if (best) {
        state.best_val_error = rec.val_error;
        state.best_epoch = epoch;
      }
      runfiles::write_epoch_reports(files, state.history);
      if (best) save(files.best, state, false);
      save(files.last, state, true);
      if (o_.on_epoch) o_.on_epoch(run, rec, best);
    }
    return state;
  }

  EpochRecord train_epoch(int run, int epoch, TrainState& state) {
    const auto start = Clock::now();
    std::vector<uint32_t> order = epoch_order(data_.train, s_.balance, state.seed, epoch);
    const int64_t batches = (static_cast<int64_t>(order.size()) + s_.batch - 1) / s_.batch;
    const OptimizerConfig opt = optimizer_config(s_, epoch);
    Augment aug{s_.flip, s_.shift};
    double ce = 0;
    int64_t errors = 0, seen = 0;
    auto last_report = start;
    for (int64_t b = 0; b < batches; ++b) {
      if (o_.stop && o_.stop->load()) {
        interrupted_ = true;
        return {};
      }
      size_t lo = static_cast<size_t>(b * s_.batch);
      size_t n = std::min(order.size() - lo, static_cast<size_t>(s_.batch));
      std::span<const uint32_t> idx(order.data() + lo, n);
      uint64_t batch_seed =
          mix_seed(mix_seed(state.seed, static_cast<uint64_t>(epoch)), static_cast<uint64_t>(b));
      make_batch(data_.train, idx, (aug.flip || aug.shift) ? &aug : nullptr, batch_seed,
                 images_.data(), labels_.data());
      fill_weights(n);
      BatchResult r = exec_.forward_backward(images_.data(), labels_.data(), weights_.data(),
                                             static_cast<int>(n), batch_seed);
      exec_.optimizer_step(opt, ++state.step);
      if (!std::isfinite(r.ce_sum))
        throw diverged(run, epoch, state,
                       "the cost became " + non_finite_name(r.ce_sum) + " at epoch " +
                           std::to_string(epoch) + ", step " + std::to_string(b + 1) + " of " +
                           std::to_string(batches));
      ce += r.ce_sum;
      errors += r.errors;
      seen += static_cast<int64_t>(n);
      auto now = Clock::now();
      if (o_.on_progress &&
          (now - last_report > std::chrono::milliseconds(250) || b + 1 == batches)) {
        last_report = now;
        report_progress(run, epoch, b + 1, batches, ce / seen, seen, start, order.size());
      }
    }
    EpochRecord rec;
    rec.epoch = epoch;
    rec.train_cost = ce / std::max<int64_t>(seen, 1);
    rec.train_error = static_cast<double>(errors) / std::max<int64_t>(seen, 1);
    rec.lr = s_.lr_at(epoch);  // as set, not rounded to the optimizer's float
    rec.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    rec.images_per_s = seen / std::max(rec.seconds, 1e-9);
    return rec;
  }

  static std::string non_finite_name(double v) { return std::isnan(v) ? "NaN" : "infinite"; }

  // The error for a run whose numbers stopped being finite; nothing of it is saved, so the
  // run folder keeps the checkpoints of the last finished epoch.
  Error diverged(int run, int epoch, const TrainState& state, const std::string& what) const {
    auto files = runfiles::run_files(o_.out_dir, run, s_.runs);
    std::ostringstream lr;
    lr << s_.lr_at(epoch);
    std::string kept = state.epochs_done > 0
                           ? "; " + files.dir.string() + " keeps the checkpoints of epoch " +
                                 std::to_string(state.epochs_done) + " (best.ckpt, last.ckpt)"
                           : "; nothing was saved";
    return Error("training diverged: " + what + "; lower the learning rate (lr " + lr.str() +
                 ", e.g. --lr " + fmt_tenth(s_.lr) + ")" + kept);
  }

  static std::string fmt_tenth(double lr) {
    std::ostringstream s;
    s << lr / 10;
    return s.str();
  }

  // After an epoch's validation: its costs and the weights to be saved must be finite.
  void check_finite_epoch(int run, int epoch, const TrainState& state, const EpochRecord& rec) {
    std::string where = " after epoch " + std::to_string(epoch);
    if (!std::isfinite(rec.train_cost))
      throw diverged(run, epoch, state,
                     "the training cost became " + non_finite_name(rec.train_cost) + where);
    if (!std::isfinite(rec.val_cost))
      throw diverged(run, epoch, state,
                     "the validation cost became " + non_finite_name(rec.val_cost) + where);
    if (!finite_params(exec_.params()))
      throw diverged(run, epoch, state, "the weights stopped being finite numbers" + where);
  }

  void fill_weights(size_t n) {
    // Weights carry the 1/n of the batch mean, so the loss is a mean whatever the batch size.
    for (size_t i = 0; i < n; ++i) {
      float w = s_.balance == Balance::ClassWeights
                    ? class_weights_[static_cast<size_t>(labels_[i])]
                    : 1.0f;
      weights_[i] = w / static_cast<float>(n);
    }
  }

  void report_progress(int run, int epoch, int64_t batch, int64_t batches, double loss,
                       int64_t seen, Clock::time_point start, size_t epoch_images) {
    TrainProgress p;
    p.run = run;
    p.runs = s_.runs;
    p.epoch = epoch;
    p.epochs = s_.epochs;
    p.batch = batch;
    p.batches = batches;
    p.loss = loss;
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    p.images_per_s = seen / std::max(secs, 1e-9);
    double left_images =
        static_cast<double>(epoch_images - static_cast<size_t>(seen)) +
        static_cast<double>(epoch_images) *
            ((s_.epochs - epoch) + (s_.runs - run) * static_cast<double>(s_.epochs));
    // Validation costs about a forward pass over the validation set each epoch.
    double val_share = 1.0 + static_cast<double>(data_.val.size()) / (3.0 * epoch_images);
    p.eta_s = left_images / std::max(p.images_per_s, 1e-9) * val_share;
    o_.on_progress(p);
  }

  void save(const std::filesystem::path& path, const TrainState& state, bool with_slots) {
    Checkpoint ck;
    ck.model_name = graph_.name;
    ck.model_fingerprint = fingerprint_;
    ck.params = exec_.params();
    ck.preprocessing = prep_;
    ck.train = state;
    if (with_slots) ck.train->slots = exec_.optimizer_slots();
    save_checkpoint(ck, path);
  }

  // After all runs: the best run's weights at the top of out_dir, and its test metrics.
  void finish(TrainOutcome& out) {
    auto best_files = runfiles::run_files(o_.out_dir, out.best_run, s_.runs);
    out.best_checkpoint = best_files.best;
    if (s_.runs > 1) {
      out.best_checkpoint = o_.out_dir / "best.ckpt";
      std::filesystem::copy_file(best_files.best, out.best_checkpoint,
                                 std::filesystem::copy_options::overwrite_existing);
      runfiles::write_epoch_reports(runfiles::run_files(o_.out_dir, 1, 1), out.history);
    }
    Checkpoint best = load_checkpoint(out.best_checkpoint);
    exec_.set_params(best.params);
    out.test_metrics = evaluate(exec_, data_.test, prep_, std::max(s_.batch, 256));
    std::ofstream(o_.out_dir / "test_metrics.json")
        << metrics_json(out.test_metrics).dump(2) << "\n";
    write_confusion_png(out.test_metrics, o_.out_dir / "confusion.png");
  }

  const Graph& graph_;
  const Fer2013& data_;
  const TrainSettings& s_;
  const TrainOptions& o_;
  Executor exec_;
  std::string fingerprint_;
  Preprocessing prep_;
  std::vector<float> images_, weights_;
  std::vector<int32_t> labels_;
  std::array<float, kNumClasses> class_weights_{};
  bool interrupted_ = false;
};

}  // namespace

void check_class_count(const Graph& g) {
  const Node& out = g.nodes[static_cast<size_t>(g.output)];
  if (out.shape.numel() == kNumClasses) return;
  const Node& last = out.inputs.empty() ? out : g.nodes[static_cast<size_t>(out.inputs[0])];
  throw SourceError(last.loc, "the model gives " + std::to_string(out.shape.numel()) +
                                  " class scores but FER2013 has " + std::to_string(kNumClasses) +
                                  " classes; make the layer before softmax output " +
                                  std::to_string(kNumClasses) + " (e.g. fc " +
                                  std::to_string(kNumClasses) + ")");
}

void check_trainable(const Graph& g) {
  const Node& in = g.input();
  const Shape& shape = in.shape;
  if (shape.rank() != 3 || shape[0] != 1 || shape[1] != kFerImageSize ||
      shape[2] != kFerImageSize) {
    const std::string want =
        "1x" + std::to_string(kFerImageSize) + "x" + std::to_string(kFerImageSize);
    throw SourceError(
        in.loc, "the model's input is " + to_string(shape) + " but FER2013 images are " + want +
                    " (grayscale, channels x height x width); write `input " + want + "`");
  }
  const Node& out = g.nodes[static_cast<size_t>(g.output)];
  if (out.op != "softmax")
    throw SourceError(
        out.loc, "training needs the model to end in softmax, but its last layer is '" + out.name +
                     "' (" + out.op + "); add `-> softmax` after it");
  check_class_count(g);
}

TrainOutcome train(const Graph& graph, const PluginHost& plugins, const Fer2013& data,
                   const TrainSettings& settings, const TrainOptions& options) {
  if (data.train.size() == 0)
    throw Error(
        "no training images to train on (a CSV needs Usage=Training rows; one without a "
        "Usage column is read as test data only)");
  if (data.val.size() == 0) throw Error("no validation images (PublicTest) to select weights with");
  check_class_count(graph);
  RunFolder own;
  if (!options.folder) {
    own = claim_run_folder(options, settings.runs);
  } else if (options.folder->dir() != options.out_dir) {
    throw Error("the run folder claimed (" + options.folder->dir().string() +
                ") is not the one to train into (" + options.out_dir.string() + ")");
  }
  Trainer trainer(graph, plugins, data, settings, options);
  return trainer.run();
}

}  // namespace ferc
