// The trainer on a tiny synthetic data set: settings, determinism, resume, several runs, the
// run folder and stopping.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>

#include "ferc/checkpoint.h"
#include "ferc/dsl.h"
#include "ferc/train.h"
#include "scratch_dir.h"
#include "synthetic.h"

namespace ferc {
namespace {

constexpr const char* kModel =
    "model squares\n"
    "input 1x48x48 -> avgpool 4 -> fc 7 -> softmax\n"
    "train {\n"
    "  optimizer sgd\n"
    "  lr 0.05\n"
    "  momentum 0.9\n"
    "  batch 10\n"
    "  epochs 3\n"
    "  balance none\n"
    "  flip false\n"
    "  shift 1\n"
    "  seed 4\n"
    "}\n";

const PluginHost& host() {
  static const PluginHost h = [] {
    PluginHost p;
    p.discover();
    return p;
  }();
  return h;
}

const ops::OpRegistry& registry() {
  static const ops::OpRegistry r = ops::builtin_registry();
  return r;
}

const Fer2013& data() {
  static const Fer2013 d = test::squares_fer2013(12, 4);
  return d;
}

Graph model(const std::string& text = kModel) {
  return parse_model(text, "squares.net", registry());
}

TrainSettings settings(const std::map<std::string, std::string>& overrides = {}) {
  return resolve_settings(model(), overrides);
}

TrainOutcome run(const std::filesystem::path& out, const TrainSettings& s,
                 std::optional<std::filesystem::path> resume = std::nullopt) {
  TrainOptions o;
  o.out_dir = out;
  o.resume = resume;
  return train(model(), host(), data(), s, o);
}

// Everything of a history but wall time and speed.
void check_same_history(const History& a, const History& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CAPTURE(i);
    CHECK(a[i].epoch == b[i].epoch);
    CHECK(a[i].train_cost == b[i].train_cost);
    CHECK(a[i].train_error == b[i].train_error);
    CHECK(a[i].val_cost == b[i].val_cost);
    CHECK(a[i].val_error == b[i].val_error);
    CHECK(a[i].lr == b[i].lr);
  }
}

void check_same_params(const std::filesystem::path& a, const std::filesystem::path& b) {
  auto pa = load_checkpoint(a).params, pb = load_checkpoint(b).params;
  REQUIRE(pa.size() == pb.size());
  for (size_t i = 0; i < pa.size(); ++i) {
    CAPTURE(pa[i].name);
    CHECK(pa[i].name == pb[i].name);
    CHECK(pa[i].data == pb[i].data);
  }
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string first_line(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

TEST_CASE("resolve_settings reads the train block and overrides") {
  TrainSettings s = settings({{"lr", "0.2"}, {"epochs", "5"}});
  CHECK(s.optimizer == "sgd");
  CHECK(s.lr == 0.2);
  CHECK(s.epochs == 5);
  CHECK(s.batch == 10);
  CHECK(s.balance == Balance::None);
  CHECK_FALSE(s.flip);
  CHECK(s.shift == 1);
  CHECK(s.seed == 4);
  CHECK(s.runs == 1);
}

TEST_CASE("resolve_settings errors name the file, line and column or the flag") {
  auto model_error = [](const std::string& block) {
    Graph g = model("input 1x48x48 -> fc 7 -> softmax\ntrain {\n" + block + "}\n");
    return error_of([&] { resolve_settings(g, {}); });
  };
  auto override_error = [](const std::string& key, const std::string& value) {
    return error_of([&] { settings({{key, value}}); });
  };
  SUBCASE("an unknown key in the model") {
    std::string msg = model_error("  momentun 0.5\n");
    CHECK(msg.starts_with("squares.net:3:"));
    CHECK(msg.find(": unknown training setting 'momentun'; did you mean 'momentum'? (settings: "
                   "optimizer, lr, momentum,") != std::string::npos);
    CHECK(msg.find("momentun 0.5\n") != std::string::npos);  // the source line, then a caret
    // Nothing close enough to suggest.
    CHECK(model_error("  lrate 0.1\n").find("'lrate' (settings: ") != std::string::npos);
  }
  SUBCASE("a bad value in the model") {
    std::string msg = model_error("  batch 10\n  optimizer rmsprop\n");
    CHECK(msg.starts_with("squares.net:4:"));
    CHECK(msg.find(": training setting 'optimizer': expected one of sgd, adam, got 'rmsprop'\n") !=
          std::string::npos);
    msg = model_error("  momentum 1.5\n");
    CHECK(msg.starts_with("squares.net:3:"));
    CHECK(msg.find("training setting 'momentum': momentum must be in [0, 0.9999], got 1.5") !=
          std::string::npos);
  }
  SUBCASE("overrides given with --set") {
    CHECK(override_error("lr", "-1") ==
          "command-line setting lr=-1: lr must be in (0, 10], got -1");
    CHECK(override_error("epochs", "2.5") ==
          "command-line setting epochs=2.5: expected an integer, got '2.5'");
    CHECK(override_error("bach", "8")
              .starts_with("command-line setting bach=8: unknown training setting 'bach'; did you "
                           "mean 'batch'?"));
  }
}

TEST_CASE("training learns the squares, writes the run folder and is deterministic") {
  test::ScratchDir dir("train");
  TrainOutcome a = run(dir.path() / "a", settings());
  TrainOutcome b = run(dir.path() / "b", settings());
  CHECK_FALSE(a.interrupted);
  REQUIRE(a.history.size() == 3);
  CHECK(a.history[2].train_cost < a.history[0].train_cost);
  CHECK(a.test_metrics.total == 28);
  CHECK(a.test_metrics.accuracy > 0.6);
  CHECK(a.best_checkpoint == dir.path() / "a" / "best.ckpt");
  check_same_history(a.history, b.history);
  check_same_params(dir.path() / "a" / "last.ckpt", dir.path() / "b" / "last.ckpt");
  CHECK(a.test_metrics.accuracy == b.test_metrics.accuracy);

  for (const char* f : {"history.csv", "cost.png", "error.png", "last.ckpt", "best.ckpt",
                        "test_metrics.json", "confusion.png"}) {
    CAPTURE(f);
    CHECK(std::filesystem::file_size(dir.path() / "a" / f) > 0);
  }
  CHECK(first_line(dir.path() / "a" / "history.csv")
            .starts_with("epoch,train_cost,train_error,val_cost,val_error"));
  Checkpoint last = load_checkpoint(dir.path() / "a" / "last.ckpt");
  REQUIRE(last.train);
  CHECK(last.train->epochs_done == 3);
  CHECK(last.train->step == 3 * 9);  // 84 images in batches of 10
  CHECK(last.model_name == "squares");
  auto metrics = nlohmann::json::parse(std::ifstream(dir.path() / "a" / "test_metrics.json"));
  CHECK(metrics["accuracy"].get<double>() == a.test_metrics.accuracy);
}

TEST_CASE("a resumed run equals the uninterrupted one") {
  test::ScratchDir dir("resume");
  TrainOutcome full = run(dir.path() / "full", settings());
  TrainOutcome first = run(dir.path() / "part", settings({{"epochs", "2"}}));
  CHECK(first.history.size() == 2);
  TrainOutcome rest = run(dir.path() / "part", settings(), dir.path() / "part" / "last.ckpt");
  check_same_history(full.history, rest.history);
  check_same_params(dir.path() / "full" / "last.ckpt", dir.path() / "part" / "last.ckpt");
  check_same_params(dir.path() / "full" / "best.ckpt", dir.path() / "part" / "best.ckpt");
  CHECK(rest.test_metrics.accuracy == full.test_metrics.accuracy);

  CHECK(error_of([&] {
          run(dir.path() / "part", settings({{"lr", "0.01"}}), dir.path() / "part" / "last.ckpt");
        })
            .starts_with(
                (dir.path() / "part" / "last.ckpt").string() +
                " was trained with other settings or data; an exact resume needs the same ones"));
}

TEST_CASE("with runs=2 the run best on validation is kept") {
  test::ScratchDir dir("runs");
  TrainOutcome out = run(dir.path(), settings({{"runs", "2"}, {"epochs", "1"}, {"lr", "0.01"}}));
  double err[2];
  for (int r = 1; r <= 2; ++r) {
    auto ck = load_checkpoint(dir.path() / ("run-" + std::to_string(r)) / "best.ckpt");
    REQUIRE(ck.train);
    err[r - 1] = ck.train->best_val_error;
    CHECK(std::filesystem::exists(dir.path() / ("run-" + std::to_string(r)) / "history.csv"));
  }
  int best = err[1] < err[0] ? 2 : 1;
  CHECK(out.best_run == best);
  CHECK(out.best_val_error == std::min(err[0], err[1]));
  CHECK(out.best_checkpoint == dir.path() / "best.ckpt");
  check_same_params(dir.path() / "best.ckpt",
                    dir.path() / ("run-" + std::to_string(best)) / "best.ckpt");
  CHECK(std::filesystem::exists(dir.path() / "test_metrics.json"));
  CHECK(std::filesystem::exists(dir.path() / "history.csv"));
}

TEST_CASE("a stop flag interrupts training after the current batch") {
  test::ScratchDir dir("stop");
  std::atomic<bool> stop{false};
  TrainOptions o;
  o.out_dir = dir.path();
  o.stop = &stop;
  o.on_epoch = [&](int, const EpochRecord& r, bool) { stop = r.epoch == 1; };
  TrainOutcome out = train(model(), host(), data(), settings(), o);
  CHECK(out.interrupted);
  CHECK(out.test_metrics.total == 0);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "test_metrics.json"));
  Checkpoint last = load_checkpoint(dir.path() / "last.ckpt");
  REQUIRE(last.train);
  CHECK(last.train->epochs_done == 1);
}

TEST_CASE("train refuses data the model cannot read") {
  Fer2013 small = data();
  small.val = Dataset{};
  TrainOptions o;
  test::ScratchDir dir("refuse");
  o.out_dir = dir.path();
  CHECK(error_of([&] { train(model(), host(), small, settings(), o); }) ==
        "no validation images (PublicTest) to select weights with");
  Graph wide = model("input 1x32x32 -> fc 7 -> softmax\n");
  CHECK(error_of([&] { train(wide, host(), data(), resolve_settings(wide, {}), o); }) ==
        "the model's input is 1x32x32 but the data are 1x48x48 grayscale images; change the "
        "model's `input` line");
}

TEST_CASE("runs are guarded: no overwriting, no resume from best.ckpt, seven classes") {
  test::ScratchDir dir("guard");
  TrainSettings s = settings({{"epochs", "1"}});
  run(dir.path() / "a", s);
  CHECK(error_of([&] { run(dir.path() / "a", s); }) ==
        (dir.path() / "a").string() +
            " already holds a training run (last.ckpt); choose another "
            "--out, or continue it with --resume " +
            (dir.path() / "a" / "last.ckpt").string());
  CHECK(error_of([&] {
          run(dir.path() / "a", settings({{"epochs", "2"}}), dir.path() / "a" / "best.ckpt");
        }) ==
        (dir.path() / "a" / "best.ckpt").string() +
            " has no optimizer state (it is a best.ckpt, kept for its weights); resume from the "
            "run's last.ckpt");
  Graph five =
      parse_model("input 1x48x48 -> avgpool 4 -> fc 5 -> softmax\n", "five.net", registry());
  CHECK(error_of([&] { check_class_count(five); }) ==
        "five.net:1:31: the model gives 5 class scores but FER2013 has 7 classes; make the layer "
        "before softmax output 7 (e.g. fc 7)\n  input 1x48x48 -> avgpool 4 -> fc 5 -> softmax\n"
        "                                ^");
}

TEST_CASE("of several bad training settings, the first in the file is reported") {
  Graph g = parse_model("input 1x48x48 -> fc 7 -> softmax\ntrain {\n  lr -1\n  batch 0\n}\n",
                        "two.net", registry());
  try {
    resolve_settings(g, {});
    FAIL("expected an error");
  } catch (const SourceError& e) {
    CHECK(e.loc().line == 3);
    CHECK(e.message() == "training setting 'lr': lr must be in (0, 10], got -1");
  }
}

}  // namespace ferc

namespace ferc {
namespace {

// Squares relabelled: every training image is class 0, every validation image class 1, so the
// model learns to answer 0 and is wrong on every validation image.
Fer2013 always_wrong_data() {
  Fer2013 d = data();
  for (auto& l : d.train.labels) l = 0;
  for (auto& l : d.val.labels) l = 1;
  return d;
}

}  // namespace

TEST_CASE("the first epoch counts as best even at 100% validation error") {
  test::ScratchDir dir("best");
  TrainOptions o;
  o.out_dir = dir.path() / "r";
  TrainSettings s = settings({{"epochs", "1"}});
  TrainOutcome out = train(model(), host(), always_wrong_data(), s, o);
  REQUIRE(out.history.size() == 1);
  CHECK(out.history[0].val_error == 1.0);
  CHECK(out.best_val_error == 1.0);
  Checkpoint best = load_checkpoint(dir.path() / "r" / "best.ckpt");
  REQUIRE(best.train);
  CHECK(best.train->best_epoch == 1);
  CHECK(out.test_metrics.total == 28);
}

TEST_CASE("a diverging training stops with an error and saves no non-finite weights") {
  test::ScratchDir dir("nan");
  TrainOptions o;
  o.out_dir = dir.path() / "r";
  int epochs_seen = 0;
  o.on_epoch = [&](int, const EpochRecord&, bool) { ++epochs_seen; };
  Graph deep = model(
      "input 1x48x48 -> conv 8x5x5 -> relu -> fc 64 -> relu -> fc 64 -> relu -> fc 7 -> softmax\n");
  TrainSettings s = resolve_settings(deep, {{"lr", "10"}, {"momentum", "0.99"}, {"epochs", "30"}});
  std::string msg = error_of([&] { train(deep, host(), data(), s, o); });
  CAPTURE(msg);
  CHECK(msg.starts_with("training diverged: the "));
  CHECK(msg.find("; lower the learning rate (lr 10, e.g. --lr 1)") != std::string::npos);
  if (epochs_seen > 0) {
    CHECK(msg.ends_with("; " + o.out_dir.string() + " keeps the checkpoints of epoch " +
                        std::to_string(epochs_seen) + " (best.ckpt, last.ckpt)"));
    for (const char* f : {"best.ckpt", "last.ckpt"}) {
      Checkpoint ck = load_checkpoint(o.out_dir / f);
      for (const NamedTensor& t : ck.params)
        for (float v : t.data) REQUIRE(std::isfinite(v));
      CHECK(ck.train->epochs_done <= epochs_seen);
    }
  } else {
    CHECK(msg.ends_with("; nothing was saved"));
    CHECK_FALSE(std::filesystem::exists(o.out_dir));
  }
}

TEST_CASE("the history records the learning rate as set, without float noise") {
  test::ScratchDir dir("lr");
  TrainSettings s = settings({{"epochs", "2"}, {"lr", "0.01"}, {"lr_decay", "0.3"}});
  TrainOutcome out = run(dir.path(), s);
  REQUIRE(out.history.size() == 2);
  CHECK(out.history[0].lr == 0.01);
  CHECK(out.history[1].lr == s.lr_at(2));
  std::ifstream in(dir.path() / "history.csv");
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  CHECK(row.find(",0.01,") != std::string::npos);
}

TEST_CASE("a resume with other settings names only the settings that differ") {
  test::ScratchDir dir("diff");
  run(dir.path(), settings({{"epochs", "1"}}));
  std::string msg = error_of([&] {
    run(dir.path(), settings({{"lr", "0.1"}, {"epochs", "2"}}), dir.path() / "last.ckpt");
  });
  CHECK(msg == (dir.path() / "last.ckpt").string() +
                   " was trained with other settings or data; an exact resume needs the same "
                   "ones (lr: saved 0.05, now 0.1); pass the same --limit and overrides as the "
                   "first time, only epochs may change");
  Fer2013 fewer = data();
  fewer.train = test::squares(10, 1);
  TrainOptions o;
  o.out_dir = dir.path();
  o.resume = dir.path() / "last.ckpt";
  msg = error_of([&] { train(model(), host(), fewer, settings({{"epochs", "2"}}), o); });
  CHECK(msg.find("(train_images: saved 84, now 70)") != std::string::npos);
}

TEST_CASE("a resume must continue in the checkpoint's own run folder") {
  test::ScratchDir dir("resume_out");
  run(dir.path() / "a", settings({{"epochs", "1"}}));
  std::string msg = error_of([&] {
    run(dir.path() / "b", settings({{"epochs", "2"}}), dir.path() / "a" / "last.ckpt");
  });
  CHECK(msg ==
        "--resume continues a run in its own folder: " + (dir.path() / "a" / "last.ckpt").string() +
            " belongs to the run folder " + (dir.path() / "a").string() + ", not to --out " +
            (dir.path() / "b").string() + "; leave out --out, or give the run's folder");
  CHECK_FALSE(std::filesystem::exists(dir.path() / "b"));
  // The same folder spelt differently is the same folder.
  TrainOutcome out =
      run(dir.path() / "a" / ".", settings({{"epochs", "2"}}), dir.path() / "a" / "last.ckpt");
  CHECK(out.history.size() == 2);
  // With several runs the run folder is the one above run-N/.
  CHECK(run_folder_of(dir.path() / "x" / "run-2" / "last.ckpt", 2) == dir.path() / "x");
  CHECK(run_folder_of("last.ckpt", 1) == ".");
}

TEST_CASE("a run folder is held by one training at a time") {
  test::ScratchDir dir("claim");
  TrainOptions o;
  o.out_dir = dir.path() / "r";
  RunFolder held = claim_run_folder(o, 1);
  CHECK(held.dir() == o.out_dir);
  CHECK(std::filesystem::exists(o.out_dir / ".ferc-lock"));
  CHECK(error_of([&] {
          run(o.out_dir, settings({{"epochs", "1"}}));
        }) == o.out_dir.string() + " is in use by another training (process " +
                  std::to_string(getpid()) + "); wait for it to end, or choose another --out");
  CHECK(error_of([&] { claim_run_folder(o, 1); }).find(" is in use by another training") !=
        std::string::npos);

  // A generated name that is taken gets a suffix instead.
  TrainOptions fresh = o;
  fresh.fresh_name = true;
  RunFolder second = claim_run_folder(fresh, 1);
  CHECK(second.dir() == dir.path() / "r-2");
  RunFolder third = claim_run_folder(fresh, 1);
  CHECK(third.dir() == dir.path() / "r-3");

  // Released with nothing saved, a folder the claim created goes; the lock is free again.
  held.release();
  second.release();
  CHECK_FALSE(std::filesystem::exists(dir.path() / "r"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "r-2"));
  CHECK(std::filesystem::exists(dir.path() / "r-3"));
  TrainOutcome out = run(o.out_dir, settings({{"epochs", "1"}}));
  CHECK(out.history.size() == 1);
  CHECK_FALSE(std::filesystem::exists(o.out_dir / ".ferc-lock"));
}

TEST_CASE("a training stopped before its first epoch ends leaves no folder behind") {
  test::ScratchDir dir("stop_early");
  std::atomic<bool> stop{true};
  for (const char* runs : {"1", "2"}) {
    CAPTURE(runs);
    TrainOptions o;
    o.out_dir = dir.path() / (std::string("r") + runs);
    o.stop = &stop;
    TrainOutcome out = train(model(), host(), data(), settings({{"runs", runs}}), o);
    CHECK(out.interrupted);
    CHECK_FALSE(std::filesystem::exists(o.out_dir));
  }
}

TEST_CASE("model problems are found before any data loads, at the model's line") {
  auto problem = [](const std::string& text) {
    Graph g = parse_model(text, "m.net", registry());
    return error_of([&] { check_trainable(g); });
  };
  CHECK(problem("input 3x48x48 -> fc 7 -> softmax\n") ==
        "m.net:1:1: the model's input is 3x48x48 but FER2013 images are 1x48x48 (grayscale, "
        "channels x height x width); write `input 1x48x48`\n"
        "  input 3x48x48 -> fc 7 -> softmax\n"
        "  ^");
  CHECK(problem("\ninput 1x32x32 -> fc 7 -> softmax\n")
            .starts_with("m.net:2:1: the model's input is 1x32x32 but FER2013 images are 1x48x48"));
  CHECK(problem("input 48 -> fc 7 -> softmax\n")
            .starts_with("m.net:1:1: the model's input is 48 but FER2013 images are 1x48x48"));
  CHECK(problem("input 1x48x48 -> avgpool 4 -> fc 7\n")
            .starts_with("m.net:1:31: training needs the model to end in softmax, but its last "
                         "layer is 'fc1' (fc); add `-> softmax` after it"));
  CHECK(problem("input 1x48x48 -> fc 5 -> softmax\n").find("5 class scores") != std::string::npos);
  CHECK(problem(kModel).empty());
}

TEST_CASE("a run folder that cannot be written is refused before training") {
  if (geteuid() == 0) {
    MESSAGE("skipped: as root every folder is writable");
    return;
  }
  test::ScratchDir dir("readonly");
  std::filesystem::create_directories(dir.path() / "ro");
  std::filesystem::permissions(
      dir.path() / "ro", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  int epochs_seen = 0;
  TrainOptions o;
  o.out_dir = dir.path() / "ro";
  o.on_epoch = [&](int, const EpochRecord&, bool) { ++epochs_seen; };
  std::string msg = error_of([&] { train(model(), host(), data(), settings(), o); });
  std::filesystem::permissions(dir.path() / "ro", std::filesystem::perms::owner_all);
  CHECK(msg.starts_with("cannot write into the run folder " + o.out_dir.string() + ": "));
  CHECK(epochs_seen == 0);
}

}  // namespace ferc
