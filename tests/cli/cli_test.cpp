// The ferc command line: help, refusals with one clear line and status 1, and the quick
// commands (plugins, check, dot, time).
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "ferc/checkpoint.h"
#include "ferc/dsl.h"
#include "ferc/executor.h"
#include "run_ferc.h"
#include "scratch_dir.h"

namespace ferc {
namespace {

const std::filesystem::path kSource = FERC_SOURCE_DIR;
const std::filesystem::path kShared = FERC_SHARED_DIR;
const std::string kLenet = test::quoted(kSource / "models" / "lenet_bn.net");

constexpr const char* kTinyModel = "model tiny\ninput 1x48x48 -> avgpool 4 -> fc 7 -> softmax\n";

size_t lines(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

// A refusal: status 1, nothing on stdout, one "ferc: error:" line on stderr holding `needle`.
void check_refusal(const test::CliResult& r, const std::string& needle) {
  CAPTURE(r.err);
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err.starts_with("ferc: error: "));
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find(needle) != std::string::npos);
}

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

}  // namespace ferc
