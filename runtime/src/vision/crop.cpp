#include "crop.h"

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "ferc/error.h"

namespace ferc::vision {

cv::Rect grow_box(const cv::Rect& box, float margin) {
  int dx = static_cast<int>(std::lround(box.width * margin));
  int dy = static_cast<int>(std::lround(box.height * margin));
  return cv::Rect(box.x - dx, box.y - dy, box.width + 2 * dx, box.height + 2 * dy);
}

cv::Mat crop_face(const cv::Mat& gray, const cv::Rect& box, const Preprocessing& p) {
  FERC_ASSERT(gray.type() == CV_8UC1, "faces are cropped from 8-bit grayscale");
  cv::Rect grown = grow_box(box, p.face_margin);
  cv::Rect inside = grown & cv::Rect(0, 0, gray.cols, gray.rows);
  FERC_ASSERT(inside.area() > 0, "a face box lies inside its image");
  cv::Mat face;
  // A face at the border keeps its framing: the missing part repeats the edge.
  cv::copyMakeBorder(gray(inside), face, inside.y - grown.y, grown.br().y - inside.br().y,
                     inside.x - grown.x, grown.br().x - inside.br().x, cv::BORDER_REPLICATE);
  cv::Mat out;
  cv::resize(face, out, cv::Size(p.width, p.height), 0, 0, cv::INTER_AREA);
  return out;
}

void append_normalized(const cv::Mat& crop, const Preprocessing& p, std::vector<float>& batch) {
  FERC_ASSERT(crop.isContinuous() && crop.rows == p.height && crop.cols == p.width,
              "crop has the model's input size");
  size_t at = batch.size();
  batch.resize(at + static_cast<size_t>(p.height) * p.width);
  normalize_image(p, crop.data, batch.data() + at);
}

}  // namespace ferc::vision
