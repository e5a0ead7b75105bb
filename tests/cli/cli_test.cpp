// The ferc command line: help, refusals with one clear line and status 1, and the quick
// commands (plugins, check, dot, time).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "ferc/checkpoint.h"
#include "ferc/dsl.h"
#include "ferc/executor.h"
#include "refusal.h"
#include "run_ferc.h"
#include "scratch_dir.h"

namespace ferc {
namespace {

const std::filesystem::path kSource = FERC_SOURCE_DIR;
// FERC_TEST_SHARED_DIR replaces the shared folder, to run the suite as on a fresh clone.
const std::filesystem::path kShared =
    std::getenv("FERC_TEST_SHARED_DIR") && *std::getenv("FERC_TEST_SHARED_DIR")
        ? std::getenv("FERC_TEST_SHARED_DIR")
        : FERC_SHARED_DIR;
const std::string kLenet = test::quoted(kSource / "models" / "lenet_bn.net");

constexpr const char* kTinyModel = "model tiny\ninput 1x48x48 -> avgpool 4 -> fc 7 -> softmax\n";

using test::check_refusal;
using test::lines;

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// A checkpoint of the tiny model, as training would save it.
void write_tiny_checkpoint(const std::filesystem::path& path) {
  ops::OpRegistry reg = ops::builtin_registry();
  Graph g = parse_model(kTinyModel, "tiny.net", reg);
  PluginHost host;
  host.discover();
  Executor ex(g, host, ExecOptions{1, false, true, "cpu"});
  ex.init_params(1);
  Checkpoint ck;
  ck.model_name = g.name;
  ck.model_fingerprint = fingerprint(g);
  ck.params = ex.params();
  save_checkpoint(ck, path);
}

// A 64x64 flat grey picture (binary PGM), in which no face is found.
void write_grey_picture(const std::filesystem::path& p) {
  write(p, "P5\n64 64\n255\n" + std::string(64 * 64, '\x5A'));
}

// A CSV of `rows` tiny-model images (labels 0..6 in turn); `usage` empty: no Usage column.
std::string tiny_csv(const std::vector<std::string>& usage) {
  std::string pixels;
  for (int i = 0; i < 2304; ++i) pixels += (i ? " " : "") + std::to_string((i * 7) % 256);
  std::string text = usage.empty() ? "emotion,pixels\n" : "emotion,pixels,Usage\n";
  size_t rows = usage.empty() ? 3 : usage.size();
  for (size_t r = 0; r < rows; ++r)
    text += std::to_string(r % 7) + "," + pixels + (usage.empty() ? "" : "," + usage[r]) + "\n";
  return text;
}

}  // namespace

TEST_CASE("help exits 0 and describes the commands") {
  test::ScratchDir dir("cli");
  auto top = test::run_ferc("--help", dir.path());
  CHECK(top.status == 0);
  CHECK(top.out.starts_with("usage: ferc MODEL COMMAND [options]"));
  CHECK(top.err.empty());
  auto train = test::run_ferc(kLenet + " train --help", dir.path());
  CHECK(train.status == 0);
  CHECK(train.out.starts_with("usage: ferc MODEL train [options]"));
  CHECK(train.out.find("training settings") != std::string::npos);
  CHECK(train.out.find("--resume") != std::string::npos);
  CHECK(test::run_ferc("", dir.path()).status == 1);  // no arguments: usage, failure
  auto model_help = test::run_ferc(kLenet + " --help", dir.path());
  CHECK(model_help.status == 0);
  CHECK(model_help.out.starts_with("usage: ferc MODEL COMMAND [options]"));
  CHECK(model_help.out.find("eval      accuracy") != std::string::npos);
  CHECK(model_help.err.empty());
  CHECK(test::run_ferc(kLenet + " -h", dir.path()).status == 0);
}

TEST_CASE("bad commands, flags and files give one line and status 1") {
  test::ScratchDir dir("cli");
  check_refusal(test::run_ferc(kLenet + " frobnicate", dir.path()),
                "unknown command 'frobnicate'; expected train, eval, check, dot or time");
  check_refusal(test::run_ferc(kLenet + " train --bogus 3", dir.path()), "'--bogus'");
  check_refusal(test::run_ferc(kLenet + " train --bogus 3", dir.path()),
                "(for 'train'; see --help)");
  check_refusal(test::run_ferc("missing.net check", dir.path()), "missing.net");
  check_refusal(
      test::run_ferc(kLenet + " train --data " + test::quoted(dir.path() / "none.zip"), dir.path()),
      (dir.path() / "none.zip").string());

  write(dir.path() / "empty.csv", "");
  check_refusal(test::run_ferc(kLenet + " train --data empty.csv", dir.path()), "empty.csv");
  write(dir.path() / "garbage.zip", "PK\x03\x04 these bytes only pretend to be a zip");
  check_refusal(test::run_ferc(kLenet + " train --data garbage.zip", dir.path()), "garbage.zip");

  std::string row = "0,";
  for (int i = 0; i < 2304; ++i) row += (i ? " " : "") + std::to_string(i % 256);
  write(dir.path() / "bad_row.csv",
        "emotion,pixels,Usage\n" + row + ",Training\n3,1 2 3,Training\n" + row + ",PublicTest\n");
  check_refusal(test::run_ferc(kLenet + " train --data bad_row.csv", dir.path()), "bad_row.csv:3");

  check_refusal(test::run_ferc(kLenet + " check extra", dir.path()), "too many positional options");
  check_refusal(test::run_ferc(kLenet + " eval --json --verbose", dir.path()),
                "--json needs a value, got the flag '--verbose'");
  check_refusal(test::run_ferc(kLenet + " time --threads 100000", dir.path()),
                "--threads must be 0 (all cores) or a count up to 256, got 100000");
}

TEST_CASE("a JPEG given as the model is refused without a crash") {
  test::ScratchDir dir("cli");
  auto jpeg = kShared / "samples" / "photos" / "curie_grayscale.jpg";
  if (!std::filesystem::exists(jpeg)) {
    MESSAGE("skipped: no sample photo at " << jpeg);
    return;
  }
  auto r = test::run_ferc(test::quoted(jpeg) + " check", dir.path());
  CAPTURE(r.err);
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err.starts_with("ferc: error: " + jpeg.string()));
  CHECK(r.err.find("internal error") == std::string::npos);
  CHECK(lines(r.err) <= 3);  // a located message: position, source line, caret
}

TEST_CASE("eval refuses a truncated checkpoint and one of another model") {
  test::ScratchDir dir("cli");
  write_tiny_checkpoint(dir.path() / "tiny.ckpt");
  write(dir.path() / "tiny.net", kTinyModel);
  std::string bytes = test::read_text(dir.path() / "tiny.ckpt");
  REQUIRE(bytes.size() > 1000);
  write(dir.path() / "cut.ckpt", bytes.substr(0, bytes.size() / 2));

  check_refusal(test::run_ferc("tiny.net eval --weights cut.ckpt", dir.path()), "cut.ckpt");
  check_refusal(test::run_ferc(kLenet + " eval --weights tiny.ckpt", dir.path()),
                "tiny.ckpt holds weights for model 'tiny', whose layers differ from");
}

TEST_CASE("plugins lists the CPU plugin with its ops") {
  test::ScratchDir dir("cli");
  auto r = test::run_ferc("plugins", dir.path());
  CHECK(r.status == 0);
  CHECK(r.out.find("libferc_plugin_cpu.so") != std::string::npos);
  CHECK(r.out.find("  device:  cpu") != std::string::npos);
  CHECK(r.out.find("  state:   ready") != std::string::npos);
  for (const char* op : {" conv", " bn", " relu", " maxpool", " fc", " add", " concat", " softmax"})
    CHECK(r.out.find(op) != std::string::npos);
}

TEST_CASE("check prints the layer table; dot writes Graphviz") {
  test::ScratchDir dir("cli");
  auto check = test::run_ferc(kLenet + " check", dir.path());
  CHECK(check.status == 0);
  for (const char* word : {"conv1", "bn2", "fc3", "softmax1", "1x48x48", "20x44x44"})
    CHECK(check.out.find(word) != std::string::npos);

  auto dot = test::run_ferc(kLenet + " dot -o graph.dot", dir.path());
  CHECK(dot.status == 0);
  std::string text = test::read_text(dir.path() / "graph.dot");
  CHECK(text.starts_with("digraph"));
  CHECK(text.find("conv1") != std::string::npos);
  if (std::system("command -v dot >/dev/null 2>&1") == 0) {
    std::string cmd = "dot -Tsvg " + test::quoted(dir.path() / "graph.dot") + " -o " +
                      test::quoted(dir.path() / "graph.svg") + " 2>/dev/null";
    CHECK(std::system(cmd.c_str()) == 0);
    CHECK(test::read_text(dir.path() / "graph.svg").find("<svg") != std::string::npos);
  } else {
    MESSAGE("graphviz not installed: the DOT text is not rendered");
  }
}

TEST_CASE("time writes throughput figures as JSON") {
  test::ScratchDir dir("cli");
  auto r = test::run_ferc(kLenet + " time --batch 8 --iterations 2 --threads 2 --json t.json",
                          dir.path());
  CAPTURE(r.err);
  REQUIRE(r.status == 0);
  auto j = nlohmann::json::parse(test::read_text(dir.path() / "t.json"));
  CHECK(j["batch"] == 8);
  CHECK(j["iterations"] == 2);
  CHECK(j["train_img_s"].get<double>() > 0);
  CHECK(j["infer_img_s"].get<double>() > 0);
  CHECK(j["ops"].size() == 14);  // every node but the input
}

TEST_CASE("check refuses a batch training refuses and warns when memory would not suffice") {
  test::ScratchDir dir("cli");
  check_refusal(
      test::run_ferc(kLenet + " check --batch 2147483647", dir.path()),
      "command-line setting batch=2147483647: batch must be in [1, 65536], got 2147483647");
  check_refusal(test::run_ferc(kLenet + " check --batch 0", dir.path()),
                "command-line setting batch=0: batch must be in [1, 65536], got 0");
  // 1024 maps of 46x46 floats per image: over 500 GiB of activations at batch 65536.
  write(dir.path() / "wide.net",
        "model wide\ninput 1x48x48 -> conv 1024x3x3 -> relu -> fc 7 -> "
        "softmax\n");
  auto r = test::run_ferc("wide.net check --batch 65536", dir.path());
  CAPTURE(r.err);
  CHECK(r.status == 0);
  CHECK(r.err.starts_with("ferc: warning: [check] the planned activation memory at batch 65536 ("));
  CHECK(r.err.find("exceeds this machine's physical memory") != std::string::npos);
  auto small = test::run_ferc("wide.net check --batch 2", dir.path());
  CHECK(small.status == 0);
  CHECK(small.err.empty());
}

TEST_CASE("eval refuses an empty split and treats its output paths alike") {
  test::ScratchDir dir("cli");
  write(dir.path() / "tiny.net", kTinyModel);
  write_tiny_checkpoint(dir.path() / "tiny.ckpt");
  write(dir.path() / "test_only.csv", tiny_csv({}));
  check_refusal(
      test::run_ferc("tiny.net eval --data test_only.csv --split val", dir.path()),
      "no PublicTest images found in test_only.csv for --split val; use --split test or data "
      "with PublicTest rows (in a CSV without a Usage column every row is a test image)");
  CHECK_FALSE(std::filesystem::exists(dir.path() / "confusion_val.png"));

  // The test split needs only PrivateTest rows; training and validation rows may be missing.
  write(dir.path() / "no_val.csv", tiny_csv({"Training", "PrivateTest", "PrivateTest"}));
  auto no_val = test::run_ferc("tiny.net eval --data no_val.csv --confusion nv.png", dir.path());
  CAPTURE(no_val.err);
  CHECK(no_val.status == 0);
  CHECK(no_val.out.starts_with("PrivateTest (2 images)"));
  check_refusal(test::run_ferc("tiny.net eval --data no_val.csv --split val", dir.path()),
                "no PublicTest images found in no_val.csv for --split val; use --split test or "
                "data with PublicTest rows");

  write(dir.path() / "all.csv", tiny_csv({"Training", "PublicTest", "PrivateTest", "PrivateTest"}));
  check_refusal(test::run_ferc("tiny.net eval --data all.csv --confusion c.jpg", dir.path()),
                "--confusion must name a .png file (the matrix is written as PNG), got 'c.jpg'");
  CHECK_FALSE(std::filesystem::exists(dir.path() / "c.jpg"));

  auto r = test::run_ferc(
      "tiny.net eval --data all.csv --json new/a/m.json --confusion new/b/c.png", dir.path());
  CAPTURE(r.err);
  CHECK(r.status == 0);
  CHECK(r.out.find("PrivateTest (2 images)") != std::string::npos);
  CHECK(std::filesystem::exists(dir.path() / "new/a/m.json"));
  CHECK(std::filesystem::exists(dir.path() / "new/b/c.png"));
  auto plain = test::run_ferc("tiny.net eval --data all.csv", dir.path());
  CHECK(plain.status == 0);
  CHECK(plain.out.find("confusion matrix: confusion_test.png") != std::string::npos);
  CHECK(std::filesystem::exists(dir.path() / "confusion_test.png"));
  write(dir.path() / "file", "");
  check_refusal(test::run_ferc("tiny.net eval --data all.csv --json file/m.json", dir.path()),
                "cannot create the folder file for --json file/m.json");
}

TEST_CASE("predict finds its default model and a linked model's weights from any folder") {
  test::ScratchDir dir("cli");
  write_grey_picture(dir.path() / "grey.pgm");
  auto r = test::run_ferc("predict grey.pgm", dir.path());
  CAPTURE(r.err);
  CHECK(r.status == 0);
  CHECK(r.out.starts_with("{\"source\":\"grey.pgm\",\"width\":64,\"height\":64,\"faces\":[]}"));

  std::filesystem::create_symlink(kSource / "models" / "lenet_bn.net", dir.path() / "link.net");
  auto linked = test::run_ferc("predict grey.pgm --model link.net", dir.path());
  CAPTURE(linked.err);
  CHECK(linked.status == 0);
  CHECK(linked.out.find("\"faces\":[]") != std::string::npos);
  // Weights beside the link come first.
  write(dir.path() / "link.ckpt", "not a checkpoint");
  check_refusal(test::run_ferc("predict grey.pgm --model link.net", dir.path()), "link.ckpt");

  // A copy of the program outside any tree says where it looked.
  std::filesystem::create_directories(dir.path() / "a" / "b");
  std::filesystem::copy_file(std::filesystem::path(FERC_BIN_DIR) / "ferc",
                             dir.path() / "a" / "b" / "ferc");
  std::string cmd = "cd " + test::quoted(dir.path()) + " && a/b/ferc predict grey.pgm 2>err.txt";
  CHECK(std::system(cmd.c_str()) != 0);
  CHECK(test::read_text(dir.path() / "err.txt") ==
        "ferc: error: no default model lenet_bn.net found (looked in " +
            (dir.path() / "models" / "lenet_bn.net").string() + ", " +
            (dir.path() / "a" / "share" / "ferc" / "models" / "lenet_bn.net").string() +
            "); pass --model MODEL.net\n");
}

TEST_CASE("predict keeps earlier results unless --force, and FFmpeg stays quiet") {
  test::ScratchDir dir("cli");
  write_grey_picture(dir.path() / "grey.pgm");
  // An MP4 header without the rest: FFmpeg cannot find the moov atom.
  write(dir.path() / "broken.mp4", std::string("\0\0\0\x18"
                                               "ftypmp42\0\0\0\0mp42isom",
                                               24) +
                                       std::string(512, '\0'));
  auto first = test::run_ferc("predict grey.pgm broken.mp4 --out out", dir.path());
  CAPTURE(first.err);
  CHECK(first.status == 2);
  CHECK(first.err.find("moov") == std::string::npos);
  CHECK(first.err.find("[mov") == std::string::npos);
  CHECK(first.err.starts_with("2 input(s), 1 failed"));
  CHECK(lines(test::read_text(dir.path() / "out" / "predictions.jsonl")) == 2);
  check_refusal(test::run_ferc("predict grey.pgm --out out", dir.path()),
                "the output folder out already holds results of an earlier run "
                "(predictions.jsonl); pass another --out folder, or --force to replace them");
  CHECK(lines(test::read_text(dir.path() / "out" / "predictions.jsonl")) == 2);
  auto forced = test::run_ferc("predict grey.pgm --out out --force", dir.path());
  CHECK(forced.status == 0);
  CHECK(lines(test::read_text(dir.path() / "out" / "predictions.jsonl")) == 1);
  check_refusal(test::run_ferc("predict grey.pgm --force", dir.path()),
                "--force replaces earlier results in the --out folder: add --out DIR");
}

}  // namespace ferc
