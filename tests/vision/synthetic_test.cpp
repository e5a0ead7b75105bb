// Scenes built from FER2013 faces at known places: detection, framing and same-face-same-answer.
#include <doctest/doctest.h>

#include <algorithm>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "detect.h"
#include "ferc/checkpoint.h"
#include "ferc/dsl.h"
#include "ferc/executor.h"
#include "ferc/predict.h"
#include "helpers.h"

using namespace vision_test;

namespace {

const std::vector<cv::Point> kPlaces = {{40, 60}, {330, 40}, {560, 220}};
constexpr int kSide = 160;

std::vector<cv::Mat> detectable_faces(int n) {
  ferc::vision::FaceDetector detector(ferc::default_cascade_path());
  std::vector<cv::Mat> kept;
  for (const cv::Mat& face : fer_faces(60)) {
    cv::Mat one = scene({320, 320}, {face}, {{80, 80}}, kSide);
    cv::Mat gray;
    cv::cvtColor(one, gray, cv::COLOR_BGR2GRAY);
    if (detector.detect(gray).size() == 1) kept.push_back(face);
    if (static_cast<int>(kept.size()) == n) break;
  }
  return kept;
}

// The scores of each face, keyed by box, over all records.
std::vector<nlohmann::json> all_faces(const std::vector<nlohmann::json>& records) {
  std::vector<nlohmann::json> faces;
  for (const auto& r : records)
    for (const auto& f : r["faces"]) faces.push_back(f);
  return faces;
}

// Written so it can run with the trained classifier as well as the stand-in.
void check_same_face_same_answer(const ferc::FaceClassifier& classifier) {
  auto faces = detectable_faces(3);
  REQUIRE(faces.size() == 3);
  auto dir = temp_dir("same_face");
  cv::Mat picture = scene({800, 450}, faces, kPlaces, kSide);
  auto file = dir / "folder" / "scene.png";
  std::filesystem::create_directories(file.parent_path());
  REQUIRE(cv::imwrite(file.string(), picture));
  ferc::PredictOptions options;
  options.inputs = {file.string()};
  auto alone = all_faces(run_jsonl(options, classifier));
  REQUIRE(alone.size() == 3);
  options.inputs = {(dir / "folder").string(), file.string()};
  auto twice = all_faces(run_jsonl(options, classifier));
  ferc::FaceClassifier one_at_a_time = classifier;
  one_at_a_time.max_batch = 1;
  options.inputs = {file.string()};
  auto unbatched = all_faces(run_jsonl(options, one_at_a_time));
  // A lossless video (FFV1) carries exactly the same pixels as the picture.
  auto video = dir / "scene.avi";
  cv::VideoWriter writer(video.string(), cv::CAP_FFMPEG,
                         cv::VideoWriter::fourcc('F', 'F', 'V', '1'), 10, picture.size());
  REQUIRE(writer.isOpened());
  for (int i = 0; i < 3; ++i) writer.write(picture);
  writer.release();
  options.inputs = {video.string()};
  auto framed = all_faces(run_jsonl(options, classifier));
  REQUIRE(twice.size() == 6);
  REQUIRE(unbatched.size() == 3);
  REQUIRE(framed.size() == 9);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(twice[i]["scores"] == alone[i]["scores"]);
    CHECK(twice[i + 3]["scores"] == alone[i]["scores"]);
    CHECK(unbatched[i]["scores"] == alone[i]["scores"]);
    for (size_t k = 0; k < 3; ++k) CHECK(framed[k * 3 + i]["scores"] == alone[i]["scores"]);
  }
}

}  // namespace

TEST_CASE("faces placed in a scene are found where they were put") {
  if (!available(kFer2013Zip)) return;
  auto faces = detectable_faces(3);
  REQUIRE(faces.size() == 3);
  auto file = temp_dir("placed") / "scene.png";
  REQUIRE(cv::imwrite(file.string(), scene({800, 450}, faces, kPlaces, kSide)));
  ferc::PredictOptions options;
  options.inputs = {file.string()};
  auto records = run_jsonl(options, fake_classifier());
  REQUIRE(records.size() == 1);
  auto found = records[0]["faces"];
  REQUIRE(found.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    // Boxes are sorted left to right, as the places are.
    cv::Rect box(found[i]["box"][0], found[i]["box"][1], found[i]["box"][2], found[i]["box"][3]);
    cv::Rect placed(kPlaces[i], cv::Size(kSide, kSide));
    CAPTURE(i);
    CHECK(placed.contains((box.tl() + box.br()) / 2));
    CHECK((box & placed).area() >= 0.5 * box.area());
  }
}

TEST_CASE("the face margin frames a detected face like FER2013's crops") {
  if (!available(kFer2013Zip)) return;
  // FER2013 images are the face itself; the cascade's box inside one tells how much of the
  // picture lies beyond the box, which is what the margin must add back.
  ferc::vision::FaceDetector detector(ferc::default_cascade_path());
  std::vector<double> margins;
  for (const cv::Mat& face : fer_faces(40)) {
    cv::Mat one = scene({320, 320}, {face}, {{80, 80}}, kSide), gray;
    cv::cvtColor(one, gray, cv::COLOR_BGR2GRAY);
    auto boxes = detector.detect(gray);
    if (boxes.size() == 1) margins.push_back((static_cast<double>(kSide) / boxes[0].width - 1) / 2);
  }
  REQUIRE(margins.size() >= 10);
  std::nth_element(margins.begin(), margins.begin() + margins.size() / 2, margins.end());
  double median = margins[margins.size() / 2];
  MESSAGE("median margin over " << margins.size() << " FER2013 faces: " << median);
  CHECK(std::abs(ferc::kFer2013FaceMargin - median) <= 0.05);
}

TEST_CASE("--crops classifies each picture as one face, without detection") {
  if (!available(kFer2013Zip)) return;
  auto dir = temp_dir("crops");
  auto faces = fer_faces(2);
  REQUIRE(faces.size() == 2);
  for (int i = 0; i < 2; ++i)
    REQUIRE(cv::imwrite((dir / ("face" + std::to_string(i) + ".png")).string(),
                        faces[static_cast<size_t>(i)]));
  ferc::PredictOptions options;
  options.inputs = {dir.string()};
  options.crops = true;
  auto records = run_jsonl(options, fake_classifier());
  REQUIRE(records.size() == 2);
  for (const auto& r : records) {
    REQUIRE(r["faces"].size() == 1);
    CHECK(r["faces"][0]["box"] == nlohmann::json::array({0, 0, 48, 48}));
  }
}

TEST_CASE("the same face gets the same scores as a file, in a folder, batched and as a frame") {
  if (!available(kFer2013Zip)) return;
  check_same_face_same_answer(fake_classifier());
}

TEST_CASE("the same face gets the same scores with the trained lenet_bn") {
  if (!available(kFer2013Zip)) return;
  const std::filesystem::path model = FERC_SOURCE_DIR "/models/lenet_bn.net";
  const std::filesystem::path weights = FERC_SOURCE_DIR "/models/lenet_bn.ckpt";
  ferc::PluginHost plugins;
  plugins.load(std::filesystem::path(FERC_BIN_DIR) / "libferc_plugin_cpu.so");
  ferc::Graph g = ferc::load_model(model, ferc::ops::builtin_registry());
  ferc::Checkpoint ck = ferc::load_checkpoint(weights);
  ferc::Executor exec(g, plugins, ferc::ExecOptions{64, false, true, "cpu"});
  exec.set_params(ck.params);
  ferc::FaceClassifier classifier;
  classifier.preprocessing = ck.preprocessing;
  classifier.classify = [&exec](const float* faces, int n, float* scores) {
    exec.forward(faces, n, scores);
  };
  check_same_face_same_answer(classifier);
}
