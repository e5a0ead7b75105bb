// Frontal face detection with an OpenCV Haar cascade, at a bounded working resolution.
#pragma once

#include <filesystem>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>

namespace ferc::vision {

/// Cascade parameters.
struct DetectSettings {
  double scale_factor;
  int min_neighbors;
  double pad_fraction;  // border added around the picture, as a fraction of its shorter side
};
/// Chosen on the sample photos. Many neighbours reject most animal faces; the border lets the
/// cascade find a face that fills the picture or is cut by its edge. A finer step (1.05 with 14
/// neighbours) finds one more small face in the group photo at twice the cost. Stills and video
/// frames use the same settings so a face gets the same box, and scores, in both.
inline constexpr DetectSettings kDetectSettings{1.1, 7, 0.25};

/// Finds frontal faces. Not thread-safe (the cascade keeps scratch buffers).
class FaceDetector {
 public:
  /// Loads `cascade`; throws ferc::Error naming the path if it is missing or not a cascade.
  explicit FaceDetector(const std::filesystem::path& cascade);

  /// Face boxes in `gray`'s coordinates, clipped to the image, sorted left to right.
  std::vector<cv::Rect> detect(const cv::Mat& gray,
                               const DetectSettings& settings = kDetectSettings);

 private:
  cv::CascadeClassifier cascade_;
};

/// Images are scaled so their longest side is at most this for detection.
inline constexpr int kDetectMaxSide = 960;
/// Images whose shorter side is below this are enlarged for detection (tiny crops).
inline constexpr int kDetectMinSide = 160;

}  // namespace ferc::vision
