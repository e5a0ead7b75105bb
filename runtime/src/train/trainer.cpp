// The training loop. Every random choice (initialisation, epoch order, augmentation, dropout)
// is derived from (seed, run, epoch, batch), never from state carried between epochs, so a run
// resumed from its last checkpoint repeats the uninterrupted run exactly.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>

#include "ferc/checkpoint.h"
#include "ferc/dsl.h"
#include "ferc/log.h"
#include "ferc/seed.h"
#include "ferc/train.h"
#include "run_files.h"

namespace ferc {
namespace {

using Clock = std::chrono::steady_clock;

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

// The settings text minus its epochs line.
std::string without_epochs(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.starts_with("epochs=")) out += std::string(line) + "\n";
    text = nl == std::string_view::npos ? "" : text.substr(nl + 1);
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
  std::string saved = without_epochs(ck.train->settings), current = without_epochs(identity);
  if (saved != current)
    throw Error(path.string() +
                " was trained with other settings or data; an exact resume needs the same ones "
                "(pass the same --limit and overrides; only epochs may change). Saved:\n" +
                saved + "Now:\n" + current);
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
      state.history.push_back(rec);
      state.epochs_done = epoch;
      bool best = rec.val_error < state.best_val_error;
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
    rec.lr = opt.lr;
    rec.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    rec.images_per_s = seen / std::max(rec.seconds, 1e-9);
    return rec;
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

void prepare_out_dir(const TrainOptions& options) {
  std::error_code ec;
  if (!options.resume)
    for (const char* file : {"last.ckpt", "best.ckpt", "history.csv", "run-1"})
      if (std::filesystem::exists(options.out_dir / file, ec))
        throw Error(options.out_dir.string() + " already holds a training run (" + file +
                    "); choose another --out, or continue it with --resume " +
                    (options.out_dir / "last.ckpt").string());
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec || !std::filesystem::is_directory(options.out_dir))
    throw Error("cannot create the run folder " + options.out_dir.string() + ": " +
                (ec ? ec.message() : "a file of that name exists"));
}

TrainOutcome train(const Graph& graph, const PluginHost& plugins, const Fer2013& data,
                   const TrainSettings& settings, const TrainOptions& options) {
  if (data.train.size() == 0)
    throw Error(
        "no training images to train on (a CSV needs Usage=Training rows; one without a "
        "Usage column is read as test data only)");
  if (data.val.size() == 0) throw Error("no validation images (PublicTest) to select weights with");
  check_class_count(graph);
  prepare_out_dir(options);
  Trainer trainer(graph, plugins, data, settings, options);
  return trainer.run();
}

}  // namespace ferc
