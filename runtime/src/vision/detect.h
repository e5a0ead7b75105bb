// Frontal face detection with an OpenCV Haar cascade, at a bounded working resolution.
#pragma once

#include <filesystem>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>

namespace ferc::vision {

/// Finds frontal faces. Not thread-safe (the cascade keeps scratch buffers).
class FaceDetector {
 public:
  /// Loads `cascade`; throws ferc::Error naming the path if it is missing or not a cascade.
  explicit FaceDetector(const std::filesystem::path& cascade);

  /// Face boxes in `gray`'s coordinates, clipped to the image, sorted left to right.
  std::vector<cv::Rect> detect(const cv::Mat& gray);

 private:
  cv::CascadeClassifier cascade_;
};

/// Images are scaled so their longest side is at most this for detection.
inline constexpr int kDetectMaxSide = 960;
/// Images whose shorter side is below this are enlarged for detection (tiny crops).
inline constexpr int kDetectMinSide = 160;

}  // namespace ferc::vision
