#include "helpers.h"

#include <doctest/doctest.h>
#include <zip.h>

#include <cmath>
#include <memory>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ferc/classes.h"

namespace vision_test {

ferc::FaceClassifier fake_classifier(int max_batch) {
  ferc::FaceClassifier c;
  c.max_batch = max_batch;
  c.classify = [](const float* faces, int n, float* scores) {
    constexpr int kPixels = 48 * 48;
    for (int i = 0; i < n; ++i) {
      const float* face = faces + static_cast<ptrdiff_t>(i) * kPixels;
      float* s = scores + static_cast<ptrdiff_t>(i) * ferc::kNumClasses;
      double total = 0;
      for (int c = 0; c < ferc::kNumClasses; ++c) {
        int top = c * 48 / ferc::kNumClasses, bottom = (c + 1) * 48 / ferc::kNumClasses;
        double sum = 0;
        for (int p = top * 48; p < bottom * 48; ++p) sum += face[p];
        s[c] = static_cast<float>(std::exp(sum / ((bottom - top) * 48)));
        total += s[c];
      }
      for (int c = 0; c < ferc::kNumClasses; ++c) s[c] = static_cast<float>(s[c] / total);
    }
  };
  return c;
}

bool available(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return true;
  MESSAGE("skipped: " << path.string()
                      << " is not present (samples/ and data/fer2013.zip are expected in "
                      << shared_dir().string() << ", beside the repository)");
  return false;
}

std::vector<nlohmann::json> run_jsonl(ferc::PredictOptions options,
                                      const ferc::FaceClassifier& classifier,
                                      ferc::PredictSummary* summary) {
  options.format = "jsonl";
  std::ostringstream out;
  ferc::PredictSummary s = ferc::run_predict(options, classifier, out);
  if (summary) *summary = s;
  std::vector<nlohmann::json> records;
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) records.push_back(nlohmann::json::parse(line));
  return records;
}

std::vector<cv::Mat> fer_faces(int n) {
  std::string path = kFer2013Zip.string();
  int err = 0;
  std::unique_ptr<zip_t, decltype(&zip_discard)> zip(zip_open(path.c_str(), ZIP_RDONLY, &err),
                                                     &zip_discard);
  std::vector<cv::Mat> faces;
  if (!zip) return faces;
  zip_int64_t count = zip_get_num_entries(zip.get(), 0);
  for (zip_int64_t i = 0; i < count && static_cast<int>(faces.size()) < n; ++i) {
    std::string name = zip_get_name(zip.get(), static_cast<zip_uint64_t>(i), 0);
    // Happy and neutral faces: frontal and unoccluded, so the cascade should find them.
    if (name.rfind("test/happy/", 0) != 0 && name.rfind("test/neutral/", 0) != 0) continue;
    zip_stat_t st;
    zip_stat_index(zip.get(), static_cast<zip_uint64_t>(i), 0, &st);
    std::vector<uint8_t> bytes(st.size);
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(
        zip_fopen_index(zip.get(), static_cast<zip_uint64_t>(i), 0), &zip_fclose);
    zip_fread(file.get(), bytes.data(), st.size);
    cv::Mat face = cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
    if (face.rows == 48 && face.cols == 48) faces.push_back(face);
  }
  return faces;
}

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("ferc_vision_test_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

cv::Mat scene(cv::Size size, const std::vector<cv::Mat>& faces, const std::vector<cv::Point>& at,
              int side) {
  cv::Mat bg(size, CV_8UC1);
  cv::RNG rng(7);
  rng.fill(bg, cv::RNG::UNIFORM, 90, 140);
  cv::GaussianBlur(bg, bg, cv::Size(0, 0), 4);
  for (size_t i = 0; i < faces.size(); ++i) {
    cv::Mat big;
    cv::resize(faces[i], big, cv::Size(side, side), 0, 0, cv::INTER_CUBIC);
    big.copyTo(bg(cv::Rect(at[i], cv::Size(side, side))));
  }
  cv::Mat bgr;
  cv::cvtColor(bg, bgr, cv::COLOR_GRAY2BGR);
  return bgr;
}

}  // namespace vision_test
