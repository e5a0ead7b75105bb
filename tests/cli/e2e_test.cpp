// train, eval and resume through the CLI on the real FER2013 zip (skipped without it).
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "run_ferc.h"
#include "scratch_dir.h"

namespace ferc {
namespace {

const std::filesystem::path kZip = std::filesystem::path(FERC_SHARED_DIR) / "data" / "fer2013.zip";

size_t csv_rows(const std::filesystem::path& p) {
  std::ifstream in(p);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n - 1;  // less the header
}

}  // namespace

TEST_CASE("train, eval and resume lenet_bn on 3000 FER2013 images") {
  if (!std::filesystem::exists(kZip)) {
    MESSAGE("skipped: FER2013 zip not found at " << kZip);
    return;
  }
  test::ScratchDir dir("e2e");
  const std::string common =
      test::quoted(std::filesystem::path(FERC_SOURCE_DIR) / "models" / "lenet_bn.net") +
      " train --data " + test::quoted(kZip) + " --limit 3000 --batch 64 --threads 2 --out run";
  auto trained = test::run_ferc(common + " --epochs 3", dir.path());
  CAPTURE(trained.err);
  REQUIRE(trained.status == 0);
  const auto run = dir.path() / "run";
  for (const char* f : {"history.csv", "cost.png", "error.png", "last.ckpt", "best.ckpt",
                        "test_metrics.json", "confusion.png"}) {
    CAPTURE(f);
    CHECK(std::filesystem::file_size(run / f) > 0);
  }
  CHECK(csv_rows(run / "history.csv") == 3);
  auto metrics = nlohmann::json::parse(test::read_text(run / "test_metrics.json"));
  const double accuracy = metrics["accuracy"].get<double>();
  CHECK(metrics["total"] == 3589);
  CHECK(accuracy > 0.25);  // chance is 1/7; always "happy" would score about 0.25

  auto eval = test::run_ferc(
      test::quoted(std::filesystem::path(FERC_SOURCE_DIR) / "models" / "lenet_bn.net") +
          " eval --weights run/best.ckpt --threads 2 --json eval.json "
          "--confusion eval.png --data " +
          test::quoted(kZip),
      dir.path());
  CAPTURE(eval.err);
  REQUIRE(eval.status == 0);
  auto again = nlohmann::json::parse(test::read_text(dir.path() / "eval.json"));
  CHECK(again["accuracy"].get<double>() == doctest::Approx(accuracy).epsilon(1e-9));
  CHECK(again["confusion"] == metrics["confusion"]);

  auto resumed = test::run_ferc(common + " --epochs 4 --resume run/last.ckpt", dir.path());
  CAPTURE(resumed.err);
  REQUIRE(resumed.status == 0);
  CHECK(csv_rows(run / "history.csv") == 4);
}

}  // namespace ferc
