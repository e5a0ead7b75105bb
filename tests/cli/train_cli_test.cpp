// `ferc MODEL train` on a small generated CSV: run folders held by one training, stops on
// signals, refusals before the data loads, and the closing summary.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <random>

#include "ferc/train.h"
#include "refusal.h"
#include "run_ferc.h"
#include "scratch_dir.h"

namespace ferc {
namespace {

const std::filesystem::path kSource = FERC_SOURCE_DIR;

constexpr const char* kTiny =
    "model tiny\ninput 1x48x48 -> avgpool 4 -> fc 7 -> softmax\n"
    "train {\n  batch 10\n  epochs 1\n  lr 0.05\n}\n";

using test::check_refusal;
using test::lines;

// A FER2013 CSV of random faces: `train` Training rows of label `train_label` (-1: every
// class in turn), `val` PublicTest rows of label `val_label`, and 14 PrivateTest rows.
void write_csv(const std::filesystem::path& path, int train, int val, int train_label = -1,
               int val_label = 1) {
  std::mt19937 rng(7);
  std::ofstream out(path);
  out << "emotion,pixels,Usage\n";
  auto rows = [&](int n, int label, const char* usage) {
    for (int i = 0; i < n; ++i) {
      out << (label < 0 ? i % 7 : label) << ',';
      for (int p = 0; p < 48 * 48; ++p) out << (p ? " " : "") << rng() % 256;
      out << ',' << usage << '\n';
    }
  };
  rows(train, train_label, "Training");
  rows(val, val_label, "PublicTest");
  rows(14, -1, "PrivateTest");
}

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// Runs a shell script in `cwd`; returns its exit status.
int run_script(const std::filesystem::path& cwd, const std::string& script) {
  write(cwd / ".script.sh", "cd " + test::quoted(cwd) + " || exit 1\n" + script + "\n");
  int raw = std::system(("sh " + test::quoted(cwd / ".script.sh")).c_str());
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

// Runs `ferc args` in the background in `cwd`, waits until `ready` is a file there, sends
// `signal`, and returns how the process ended. Gives up (status -1) after a minute.
test::CliResult run_and_signal(const std::string& args, const std::filesystem::path& cwd,
                               const std::string& ready, const std::string& signal) {
  const std::string bin = test::quoted(std::filesystem::path(FERC_BIN_DIR) / "ferc");
  run_script(cwd, bin + " " + args + " >.out 2>.err </dev/null & pid=$!\ni=0\nwhile [ ! -e " +
                      ready +
                      " ] && [ $i -lt 600 ] && kill -0 $pid 2>/dev/null; do sleep 0.1; "
                      "i=$((i+1)); done\nkill -" +
                      signal + " $pid\nwait $pid\necho $? >.status");
  test::CliResult r;
  std::string status = test::read_text(cwd / ".status");
  r.status = status.empty() ? -1 : std::stoi(status);
  r.out = test::read_text(cwd / ".out");
  r.err = test::read_text(cwd / ".err");
  return r;
}

}  // namespace

TEST_CASE("a run folder in use by another training is refused, naming the folder") {
  test::ScratchDir dir("cli_train");
  write_csv(dir / "d.csv", 70, 14);
  write(dir / "tiny.net", kTiny);
  TrainOptions o;
  o.out_dir = dir / "busy";
  RunFolder held = claim_run_folder(o, 1);
  check_refusal(test::run_ferc("tiny.net train --data d.csv --out busy", dir.path()),
                "ferc: error: busy is in use by another training (process " +
                    std::to_string(getpid()) + "); wait for it to end, or choose another --out");
  CHECK_FALSE(std::filesystem::exists(dir / "busy" / "history.csv"));
  held.release();
  auto r = test::run_ferc("tiny.net train --data d.csv --out busy", dir.path());
  CAPTURE(r.err);
  CHECK(r.status == 0);
  CHECK(std::filesystem::exists(dir / "busy" / "best.ckpt"));
  CHECK_FALSE(std::filesystem::exists(dir / "busy" / ".ferc-lock"));
}

TEST_CASE("trainings started together with generated names write into different folders") {
  test::ScratchDir dir("cli_train");
  write_csv(dir / "d.csv", 70, 14);
  write(dir / "tiny.net", kTiny);
  const std::string bin = test::quoted(std::filesystem::path(FERC_BIN_DIR) / "ferc");
  const std::string one = bin + " tiny.net train --data d.csv --threads 1 </dev/null";
  REQUIRE(run_script(dir.path(), one + " >a.out 2>a.err &\n" + one + " >b.out 2>b.err &\n" + one +
                                     " >c.out 2>c.err &\nwait\n"
                                     "grep -h '^writing to' a.err b.err c.err >names") == 0);
  std::string names = test::read_text(dir / "names");
  CAPTURE(names);
  std::vector<std::string> folders;
  for (size_t at = 0; (at = names.find("writing to ", at)) != std::string::npos;) {
    at += 11;
    folders.push_back(names.substr(at, names.find('\n', at) - at));
  }
  REQUIRE(folders.size() == 3);
  std::sort(folders.begin(), folders.end());
  CHECK(std::unique(folders.begin(), folders.end()) == folders.end());
  for (const std::string& f : folders) {
    CAPTURE(f);
    CHECK(f.starts_with("runs/tiny-"));
    CHECK(std::filesystem::exists(dir / f / "test_metrics.json"));
  }
}

TEST_CASE("a run whose validation error stays at 100% keeps its first epoch as best") {
  test::ScratchDir dir("cli_train");
  write_csv(dir / "d.csv", 70, 14, 0, 1);  // always class 0 in training, 1 in validation
  write(dir / "tiny.net", kTiny);
  auto r = test::run_ferc("tiny.net train --data d.csv --out r --set balance=none", dir.path());
  CAPTURE(r.err);
  CHECK(r.status == 0);
  CHECK(r.out.find("validation error 100%") != std::string::npos);
  CHECK(std::filesystem::exists(dir / "r" / "best.ckpt"));
}

TEST_CASE("--limit takes a positive count") {
  test::ScratchDir dir("cli_train");
  write(dir / "tiny.net", kTiny);
  for (const char* bad : {"-1", "0", "ten", "5x"}) {
    CAPTURE(bad);
    // Refused before the data load: the data file does not exist.
    check_refusal(
        test::run_ferc("tiny.net train --data none.csv --limit " + std::string(bad), dir.path()),
        "ferc: error: --limit must be a positive number of training images, got '" +
            std::string(bad) + "' (leave it out to train on all of them)");
  }
  CHECK_FALSE(std::filesystem::exists(dir / "runs"));
}

TEST_CASE("model problems are refused before the data loads, with the model's line") {
  test::ScratchDir dir("cli_train");
  write(dir / "rgb.net", "input 3x48x48 -> fc 7 -> softmax\n");
  write(dir / "nosoftmax.net", "input 1x48x48 -> fc 7\n");
  // none.csv does not exist: the model is checked first.
  auto r = test::run_ferc("rgb.net train --data none.csv", dir.path());
  CHECK(r.status == 1);
  CHECK(
      r.err.starts_with("ferc: error: rgb.net:1:1: the model's input is 3x48x48 but FER2013 "
                        "images are 1x48x48"));
  r = test::run_ferc("nosoftmax.net train --data none.csv", dir.path());
  CHECK(r.status == 1);
  CHECK(
      r.err.starts_with("ferc: error: nosoftmax.net:1:18: training needs the model to end in "
                        "softmax, but its last layer is 'fc1' (fc); add `-> softmax` after it"));
  CHECK_FALSE(std::filesystem::exists(dir / "runs"));
}

TEST_CASE("--resume refuses another --out at once, and names only the settings that differ") {
  test::ScratchDir dir("cli_train");
  write_csv(dir / "d.csv", 70, 14);
  write(dir / "tiny.net", kTiny);
  REQUIRE(test::run_ferc("tiny.net train --data d.csv --out a", dir.path()).status == 0);
  check_refusal(
      test::run_ferc("tiny.net train --data d.csv --epochs 2 --resume a/last.ckpt --out b",
                     dir.path()),
      "ferc: error: --resume continues a run in its own folder: a/last.ckpt belongs to the run "
      "folder a, not to --out b; leave out --out, or give the run's folder");
  CHECK_FALSE(std::filesystem::exists(dir / "b"));
  // Found once the data are loaded (the training set size is part of the check).
  auto mismatch = test::run_ferc(
      "tiny.net train --data d.csv --epochs 2 --lr 0.1 --limit 50 --resume a/last.ckpt",
      dir.path());
  CHECK(mismatch.status == 1);
  CHECK(mismatch.err.ends_with(
      "\nferc: error: a/last.ckpt was trained with other settings or data; an exact resume needs "
      "the "
      "same ones (lr: saved 0.05, now 0.1; train_images: saved 70, now 50); pass the "
      "same --limit and overrides as the first time, only epochs may change\n"));
  auto r = test::run_ferc("tiny.net train --data d.csv --epochs 2 --resume a/last.ckpt --out a",
                          dir.path());
  CAPTURE(r.err);
  CHECK(r.status == 0);
}

TEST_CASE("the summary of several runs lists only files that exist") {
  test::ScratchDir dir("cli_train");
  write_csv(dir / "d.csv", 70, 14);
  write(dir / "tiny.net", kTiny);
  auto r = test::run_ferc("tiny.net train --data d.csv --out r --runs 2", dir.path());
  CAPTURE(r.err);
  REQUIRE(r.status == 0);
  const std::string intro = "files in r: ";
  size_t at = r.out.find(intro);
  REQUIRE(at != std::string::npos);
  std::string list = r.out.substr(at + intro.size());
  CHECK(list ==
        "best.ckpt, history.csv, cost.png, error.png, test_metrics.json, confusion.png; run-1/ "
        "to run-2/ with each run's best.ckpt, last.ckpt, history.csv, cost.png, error.png\n");
  for (const char* f : {"best.ckpt", "history.csv", "cost.png", "error.png", "test_metrics.json",
                        "confusion.png", "run-1/last.ckpt", "run-2/last.ckpt", "run-2/best.ckpt"})
    CHECK(std::filesystem::exists(dir / "r" / f));
  CHECK_FALSE(std::filesystem::exists(dir / "r" / "last.ckpt"));
}

TEST_CASE("SIGTERM and SIGHUP stop training like Ctrl-C") {
  test::ScratchDir dir("cli_train");
  write_csv(dir / "d.csv", 700, 14);
  const std::string lenet = test::quoted(kSource / "models" / "lenet_bn.net");
  const std::string args = lenet + " train --data d.csv --threads 1 --batch 10 --epochs 20";
  const std::string bin = (std::filesystem::path(FERC_BIN_DIR) / "ferc").string();

  SUBCASE("before the first epoch ends: no folder is left") {
    auto r = run_and_signal(args + " --out early", dir.path(), "early/.ferc-lock", "TERM");
    CAPTURE(r.err);
    CHECK(r.status == 143);
    CHECK(r.err.find("interrupted (SIGTERM) before the first epoch ended; nothing to resume\n") !=
          std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "early"));
  }
  SUBCASE("after an epoch: the command that continues, with the program as invoked") {
    auto r = run_and_signal(args + " --out late", dir.path(), "late/last.ckpt", "HUP");
    CAPTURE(r.err);
    CHECK(r.status == 129);
    CHECK(r.err.find("interrupted (SIGHUP); continue with:\n  " + bin + " " +
                     (kSource / "models" / "lenet_bn.net").string() +
                     " train --data d.csv --threads 1 --batch 10 --epochs 20 --out late "
                     "--resume late/last.ckpt\n") != std::string::npos);
    CHECK(std::filesystem::exists(dir / "late" / "last.ckpt"));
    CHECK_FALSE(std::filesystem::exists(dir / "late" / ".ferc-lock"));
  }
}

TEST_CASE("training that diverges stops with an error and a non-zero status") {
  test::ScratchDir dir("cli_train");
  write_csv(dir / "d.csv", 140, 14);
  write(dir / "deep.net",
        "input 1x48x48 -> conv 8x5x5 -> relu -> fc 64 -> relu -> fc 64 -> relu -> fc 7 -> "
        "softmax\n");
  auto r = test::run_ferc(
      "deep.net train --data d.csv --out r --epochs 20 --lr 10 --set "
      "momentum=0.99",
      dir.path());
  CAPTURE(r.err);
  CHECK(r.status == 1);
  CHECK(r.err.find("ferc: error: training diverged: the ") != std::string::npos);
  CHECK(r.err.find("; lower the learning rate (lr 10, e.g. --lr 1)") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "r" / "test_metrics.json"));
}

}  // namespace ferc
