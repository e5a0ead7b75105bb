#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "ferc/error.h"
#include "ferc/metrics.h"
#include "heatmap.h"
#include "scratch_dir.h"

using namespace ferc;
namespace fs = std::filesystem;

namespace {

using TempDir = ferc::test::ScratchDir;

std::string read_text(const fs::path& p) {
  std::ostringstream s;
  s << std::ifstream(p).rdbuf();
  return s.str();
}

// Pixel near the top-left corner of a cell, clear of the numbers written in its middle.
cv::Vec3b cell_pixel(const cv::Mat& img, int t, int p) {
  const cv::Rect r = report::HeatmapLayout::cell(t, p);
  return img.at<cv::Vec3b>(r.y + 4, r.x + 4);
}

int pixels_of(const cv::Mat& img, cv::Vec3b colour) {
  cv::Mat mask;
  cv::inRange(img, colour, colour, mask);
  return cv::countNonZero(mask);
}

History three_epochs() {
  return {EpochRecord{1, 1.9, 0.7, 1.8, 0.65, 0.01, 12.5, 2300},
          EpochRecord{2, 1.5, 0.55, 1.6, 0.5, 0.005, 11.25, 2400.5},
          EpochRecord{3, 1.25, 0.5, 1.5, 0.5, 0.01 * 0.9, 11, 2410}};
}

}  // namespace

TEST_CASE("the colour scale runs from white to the hot colour") {
  CHECK(report::heat_colour(0.0) == cv::Vec3b(255, 251, 247));
  CHECK(report::heat_colour(1.0) == cv::Vec3b(107, 48, 8));
  CHECK(report::heat_colour(2.0) == report::heat_colour(1.0));  // clamped
  CHECK(report::heat_colour(0.5)[0] < report::heat_colour(0.25)[0]);
}

TEST_CASE("the confusion figure is a decodable PNG with hot cells where rows are pure") {
  TempDir dir;
  // angry always right (100%), fear split 3:1 between fear and angry, the rest absent.
  const std::vector<int32_t> truth = {0, 0, 2, 2, 2, 2};
  const std::vector<int32_t> pred = {0, 0, 2, 2, 2, 0};
  const fs::path png = dir / "figs/confusion.png";
  write_confusion_png(compute_metrics(truth, pred), png);
  const cv::Mat img = cv::imread(png.string(), cv::IMREAD_COLOR);
  REQUIRE_FALSE(img.empty());
  CHECK(img.cols == report::HeatmapLayout::kWidth);
  CHECK(img.rows == report::HeatmapLayout::kHeight);
  CHECK(cell_pixel(img, 0, 0) == report::heat_colour(1.0));
  CHECK(cell_pixel(img, 0, 1) == report::heat_colour(0.0));
  CHECK(cell_pixel(img, 2, 2) == report::heat_colour(0.75));
  CHECK(cell_pixel(img, 2, 0) == report::heat_colour(0.25));
  CHECK(cell_pixel(img, 4, 4) == report::heat_colour(0.0));  // a class with no samples
}

TEST_CASE("learning curves are written at their size, also for one epoch and flat lines") {
  TempDir dir;
  const History flat = {EpochRecord{1, 1, 0, 1, 0, 0.01, 1, 1},
                        EpochRecord{2, 1, 0, 1, 0, 0.01, 1, 1}};
  for (const History& h : {three_epochs(), History{three_epochs()[0]}, flat}) {
    write_curve_pngs(h, dir / "cost.png", dir / "error.png");
    for (const char* name : {"cost.png", "error.png"}) {
      const cv::Mat img = cv::imread((dir / name).string(), cv::IMREAD_COLOR);
      CAPTURE(h.size());
      CAPTURE(name);
      REQUIRE_FALSE(img.empty());
      CHECK(img.cols == 820);
      CHECK(img.rows == 520);
      // Both series colours appear: the blue training line and the orange validation line.
      CHECK(pixels_of(img, cv::Vec3b(180, 119, 31)) > 0);
      CHECK(pixels_of(img, cv::Vec3b(14, 127, 255)) > 0);
    }
  }
}

TEST_CASE("learning curves need at least one epoch") {
  TempDir dir;
  try {
    write_curve_pngs({}, dir / "c.png", dir / "e.png");
    FAIL("an empty history should be refused");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "cannot draw learning curves for " + (dir / "c.png").string() +
                                       ": the history has no epochs; train at least one epoch "
                                       "first");
  }
}

TEST_CASE("a figure that cannot be written names its path") {
  TempDir dir;
  std::ofstream(dir / "file") << "x";
  const fs::path png = dir / "file/confusion.png";
  try {
    write_confusion_png(compute_metrics({}, {}), png);
    FAIL("writing under a file should fail");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).starts_with("cannot write confusion figure " + png.string() +
                                            ": cannot create directory " + (dir / "file").string() +
                                            ": "));
  }
}

TEST_CASE("the history CSV has the header and one row per epoch") {
  TempDir dir;
  write_history_csv(three_epochs(), dir / "history.csv");
  CHECK(read_text(dir / "history.csv") ==
        "epoch,train_cost,train_error,val_cost,val_error,lr,seconds,images_per_s\n"
        "1,1.9,0.7,1.8,0.65,0.01,12.5,2300\n"
        "2,1.5,0.55,1.6,0.5,0.005,11.25,2400.5\n"
        "3,1.25,0.5,1.5,0.5,0.009,11,2410\n");
  write_history_csv({}, dir / "empty.csv");
  CHECK(read_text(dir / "empty.csv") ==
        "epoch,train_cost,train_error,val_cost,val_error,lr,seconds,images_per_s\n");
}
