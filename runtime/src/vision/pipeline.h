// From a picture to classified faces: detection (or the whole picture for crops), cropping,
// normalisation and batched classification.
#pragma once

#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "detect.h"
#include "ferc/predict.h"
#include "record.h"

namespace ferc::vision {

/// Classifies the faces of one picture at a time.
class FacePipeline {
 public:
  /// Loads the cascade unless options.crops; throws ferc::Error for a bad cascade or classifier.
  FacePipeline(const PredictOptions& options, const FaceClassifier& classifier);

  /// Faces in `bgr` (8-bit BGR), with boxes divided by `scale` into full-resolution coordinates
  /// and clipped to `full_size`.
  std::vector<Face> faces(const cv::Mat& bgr, double scale, cv::Size full_size,
                          const DetectSettings& settings = kDetectSettings);

  /// Faces at known `boxes` of `bgr` (its own coordinates), without detection.
  std::vector<Face> faces_at(const cv::Mat& bgr, const std::vector<cv::Rect>& boxes);

 private:
  std::vector<cv::Rect> find(const cv::Mat& gray, const DetectSettings& settings);
  std::vector<Face> classify_boxes(const cv::Mat& gray, const std::vector<cv::Rect>& boxes,
                                   double scale, cv::Size full_size);
  void classify(const std::vector<float>& batch, std::vector<Face>& faces);

  const FaceClassifier& classifier_;
  Preprocessing prep_;
  bool crops_;
  std::unique_ptr<FaceDetector> detector_;
};

}  // namespace ferc::vision
