#include "detect.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "ferc/error.h"

namespace ferc::vision {
namespace {

constexpr int kMinFace = 24;
// Histogram equalisation was tried and dropped: it turned fur, sunglasses and stage lights
// into faces.

double working_scale(cv::Size size) {
  int longest = std::max(size.width, size.height);
  int shortest = std::min(size.width, size.height);
  if (longest > kDetectMaxSide) return static_cast<double>(kDetectMaxSide) / longest;
  if (shortest < kDetectMinSide && shortest > 0)
    return std::min(static_cast<double>(kDetectMinSide) / shortest,
                    static_cast<double>(kDetectMaxSide) / longest);
  return 1.0;
}

}  // namespace

FaceDetector::FaceDetector(const std::filesystem::path& cascade) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(cascade, ec))
    throw Error("face cascade " + cascade.string() +
                " does not exist; install opencv-data or pass --cascade FILE");
  bool loaded = false;
  try {
    loaded = cascade_.load(cascade.string());
  } catch (const cv::Exception&) {
    loaded = false;
  }
  if (!loaded || cascade_.empty())
    throw Error("face cascade " + cascade.string() +
                " could not be loaded: it is not an OpenCV cascade XML file; pass --cascade with "
                "e.g. haarcascade_frontalface_default.xml");
}

std::vector<cv::Rect> FaceDetector::detect(const cv::Mat& gray, const DetectSettings& settings) {
  if (gray.cols < 2 || gray.rows < 2) return {};
  double scale = working_scale(gray.size());
  cv::Mat work;
  cv::resize(gray, work, cv::Size(), scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  if (work.cols < kMinFace || work.rows < kMinFace) return {};
  int pad = static_cast<int>(std::min(work.cols, work.rows) * settings.pad_fraction);
  cv::copyMakeBorder(work, work, pad, pad, pad, pad, cv::BORDER_REPLICATE);
  std::vector<cv::Rect> found;
  cascade_.detectMultiScale(work, found, settings.scale_factor, settings.min_neighbors,
                            cv::CASCADE_SCALE_IMAGE, cv::Size(kMinFace, kMinFace));
  std::vector<cv::Rect> boxes;
  cv::Rect bounds(0, 0, gray.cols, gray.rows);
  for (const cv::Rect& r : found) {
    cv::Rect mapped(cvRound((r.x - pad) / scale), cvRound((r.y - pad) / scale),
                    cvRound(r.width / scale), cvRound(r.height / scale));
    mapped &= bounds;
    if (mapped.area() > 0) boxes.push_back(mapped);
  }
  std::sort(boxes.begin(), boxes.end(), [](const cv::Rect& a, const cv::Rect& b) {
    return a.x != b.x ? a.x < b.x : a.y < b.y;
  });
  return boxes;
}

}  // namespace ferc::vision
