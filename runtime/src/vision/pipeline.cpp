#include "pipeline.h"

#include <algorithm>
#include <string>

#include <opencv2/imgproc.hpp>

#include "crop.h"
#include "ferc/error.h"

namespace ferc::vision {
namespace {

void check_classifier(const FaceClassifier& c) {
  if (!c.classify) throw Error("predict needs a classifier: FaceClassifier::classify is empty");
  if (c.max_batch < 1)
    throw Error("FaceClassifier::max_batch must be at least 1, got " + std::to_string(c.max_batch));
  const Preprocessing& p = c.preprocessing;
  if (p.channels != 1 || p.height < 1 || p.width < 1)
    throw Error("predict crops grayscale faces: the model's input must be 1xHxW, got " +
                std::to_string(p.channels) + "x" + std::to_string(p.height) + "x" +
                std::to_string(p.width));
}

cv::Rect to_full(const cv::Rect& r, double scale, cv::Size full) {
  cv::Rect out(cvRound(r.x / scale), cvRound(r.y / scale), cvRound(r.width / scale),
               cvRound(r.height / scale));
  return out & cv::Rect(0, 0, full.width, full.height);
}

}  // namespace

FacePipeline::FacePipeline(const PredictOptions& options, const FaceClassifier& classifier)
    : classifier_(classifier), prep_(classifier.preprocessing), crops_(options.crops) {
  check_classifier(classifier);
  // A crop is already framed: the whole picture is the face.
  if (crops_)
    prep_.face_margin = 0.0f;
  else
    detector_ = std::make_unique<FaceDetector>(options.cascade.empty() ? default_cascade_path()
                                                                       : options.cascade);
}

std::vector<cv::Rect> FacePipeline::find(const cv::Mat& gray, const DetectSettings& settings) {
  if (crops_) return {cv::Rect(0, 0, gray.cols, gray.rows)};
  return detector_->detect(gray, settings);
}

std::vector<Face> FacePipeline::faces(const cv::Mat& bgr, double scale, cv::Size full_size,
                                      const DetectSettings& settings) {
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  return classify_boxes(gray, find(gray, settings), scale, full_size);
}

std::vector<Face> FacePipeline::faces_at(const cv::Mat& bgr, const std::vector<cv::Rect>& boxes) {
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  return classify_boxes(gray, boxes, 1.0, gray.size());
}

std::vector<Face> FacePipeline::classify_boxes(const cv::Mat& gray,
                                               const std::vector<cv::Rect>& boxes, double scale,
                                               cv::Size full_size) {
  std::vector<Face> found;
  std::vector<float> batch;
  for (const cv::Rect& box : boxes) {
    if (box.area() <= 0) continue;
    append_normalized(crop_face(gray, box, prep_), prep_, batch);
    found.push_back(Face{to_full(box, scale, full_size), {}, -1});
  }
  classify(batch, found);
  return found;
}

void FacePipeline::classify(const std::vector<float>& batch, std::vector<Face>& faces) {
  size_t pixels = static_cast<size_t>(prep_.height) * prep_.width;
  std::vector<float> scores;
  for (size_t start = 0; start < faces.size();
       start += static_cast<size_t>(classifier_.max_batch)) {
    size_t n = std::min(faces.size() - start, static_cast<size_t>(classifier_.max_batch));
    scores.assign(n * kNumClasses, 0.0f);
    classifier_.classify(batch.data() + start * pixels, static_cast<int>(n), scores.data());
    for (size_t i = 0; i < n; ++i)
      std::copy_n(scores.begin() + static_cast<long>(i * kNumClasses), kNumClasses,
                  faces[start + i].scores.begin());
  }
}

}  // namespace ferc::vision
