// The sample video: frames, timestamps, tracks, smoothing and the annotated copy; cameras.
#include <doctest/doctest.h>

#include <fstream>
#include <map>

#include <opencv2/videoio.hpp>

#include "ferc/classes.h"
#include "ferc/error.h"
#include "helpers.h"

using namespace vision_test;

namespace {

const std::string kVideo = (kSamples / "video/fr_short_hamilton_clip.mp4").string();

std::vector<nlohmann::json> first_frames(int n, int smooth) {
  ferc::PredictOptions options;
  options.inputs = {kVideo};
  options.max_frames = n;
  options.smooth = smooth;
  return run_jsonl(options, fake_classifier());
}

}  // namespace

TEST_CASE("video records carry frame index, increasing time, size and track ids") {
  if (!available(kVideo)) return;
  auto records = first_frames(40, 1);
  REQUIRE(records.size() == 40);
  int faces = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    CHECK(records[i]["frame"] == i);
    CHECK(records[i]["width"] == 640);
    CHECK(records[i]["height"] == 360);
    if (i > 0) CHECK(records[i]["time"].get<double>() > records[i - 1]["time"].get<double>());
    for (const auto& f : records[i]["faces"]) {
      CHECK(f["track"].get<int>() >= 0);
      ++faces;
    }
  }
  CHECK(records[30]["time"].get<double>() == doctest::Approx(30 / 29.97).epsilon(0.002));
  REQUIRE(faces > 0);
}

TEST_CASE("a face held across frames keeps its track id") {
  if (!available(kVideo)) return;
  auto records = first_frames(40, 1);
  std::map<int, int> frames_per_track;
  for (const auto& r : records)
    for (const auto& f : r["faces"]) frames_per_track[f["track"].get<int>()] += 1;
  int longest = 0;
  for (auto [track, count] : frames_per_track) longest = std::max(longest, count);
  CHECK(longest >= 8);
}

TEST_CASE("--smooth averages each track's scores over its last N frames") {
  if (!available(kVideo)) return;
  auto raw = first_frames(40, 1);
  auto smoothed = first_frames(40, 4);
  REQUIRE(raw.size() == smoothed.size());
  std::map<int, std::vector<std::vector<double>>> history;  // raw scores per track
  int checked = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    REQUIRE(raw[i]["faces"].size() == smoothed[i]["faces"].size());
    for (size_t k = 0; k < raw[i]["faces"].size(); ++k) {
      const auto& r = raw[i]["faces"][k];
      const auto& s = smoothed[i]["faces"][k];
      REQUIRE(r["track"] == s["track"]);
      auto& h = history[r["track"].get<int>()];
      h.push_back({});
      for (auto name : ferc::kClassNames) h.back().push_back(r["scores"][std::string(name)]);
      size_t from = h.size() > 4 ? h.size() - 4 : 0;
      for (int c = 0; c < ferc::kNumClasses; ++c) {
        double mean = 0;
        for (size_t j = from; j < h.size(); ++j) mean += h[j][static_cast<size_t>(c)];
        mean /= static_cast<double>(h.size() - from);
        CHECK(s["scores"][std::string(ferc::kClassNames[static_cast<size_t>(c)])].get<double>() ==
              doctest::Approx(mean).epsilon(1e-4));
      }
      ++checked;
    }
  }
  CHECK(checked >= 10);
}

TEST_CASE("the whole video: 275 frames, and an annotated copy that plays the same") {
  if (!available(kVideo)) return;
  auto dir = temp_dir("video_out");
  ferc::PredictOptions options;
  options.inputs = {kVideo};
  options.out_dir = dir;
  options.annotate = true;
  std::ostringstream unused;
  ferc::PredictSummary summary = ferc::run_predict(options, fake_classifier(), unused);
  CHECK(unused.str().empty());
  CHECK(summary.frames == 275);
  CHECK(summary.skipped_frames == 0);
  CHECK(summary.frames_per_second > 0);
  CHECK(summary.exit_status() == 0);
  std::ifstream records(dir / "predictions.jsonl");
  int lines = 0;
  for (std::string line; std::getline(records, line);) ++lines;
  CHECK(lines == 275);
  cv::VideoCapture copy((dir / "fr_short_hamilton_clip.annotated.mp4").string(), cv::CAP_FFMPEG);
  REQUIRE(copy.isOpened());
  CHECK(copy.get(cv::CAP_PROP_FRAME_WIDTH) == 640);
  CHECK(copy.get(cv::CAP_PROP_FRAME_HEIGHT) == 360);
  CHECK(copy.get(cv::CAP_PROP_FPS) == doctest::Approx(29.97).epsilon(0.01));
  int frames = 0;
  for (cv::Mat f; copy.read(f);) ++frames;
  CHECK(frames == 275);
}

TEST_CASE("a missing camera is an error that names the device, without waiting") {
  ferc::PredictOptions options;
  options.inputs = {"camera:7"};
  options.camera_timeout_ms = 1000;
  std::ostringstream out;
  CHECK_THROWS_WITH_AS(ferc::run_predict(options, fake_classifier(), out),
                       "camera 7 not found: /dev/video7 does not exist; list cameras with 'ls "
                       "/dev/video*'",
                       ferc::Error);
  options.inputs = {"camera:front"};
  CHECK_THROWS_WITH_AS(ferc::run_predict(options, fake_classifier(), out),
                       doctest::Contains("bad camera input 'camera:front'"), ferc::Error);
}

TEST_CASE("a stop request ends the run before the next frame") {
  ferc::request_stop();
  auto records = first_frames(10, 1);
  ferc::clear_stop_request();
  CHECK(records.empty());
  CHECK_FALSE(ferc::stop_requested());
}
