#include "annotate.h"

#include <algorithm>
#include <string>

#include <opencv2/imgproc.hpp>

namespace ferc::vision {
namespace {

const cv::Scalar kBoxColor(0, 220, 0);
const cv::Scalar kTextColor(255, 255, 255);
const cv::Scalar kPanelColor(40, 40, 40);

cv::Rect scaled(const cv::Rect& r, double s) {
  return cv::Rect(cvRound(r.x * s), cvRound(r.y * s), std::max(1, cvRound(r.width * s)),
                  std::max(1, cvRound(r.height * s)));
}

// Text height follows the picture so labels stay legible on both 240p and 4K inputs.
double font_scale(const cv::Mat& img) {
  return std::max(0.4, std::min(img.cols, img.rows) / 700.0);
}

void draw_label(cv::Mat& img, const cv::Rect& box, const std::string& text) {
  double fs = font_scale(img);
  int thickness = std::max(1, cvRound(fs * 1.5)), base = 0;
  cv::Size ts = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, fs, thickness, &base);
  int y = box.y - ts.height - base - 4 >= 0 ? box.y - base - 4 : box.br().y + ts.height + 4;
  cv::rectangle(img, cv::Rect(box.x, y - ts.height - 2, ts.width + 4, ts.height + base + 4),
                kBoxColor, cv::FILLED);
  cv::putText(img, text, cv::Point(box.x + 2, y), cv::FONT_HERSHEY_SIMPLEX, fs, cv::Scalar(0, 0, 0),
              thickness, cv::LINE_AA);
}

void draw_bars(cv::Mat& img, const cv::Rect& box, const Face& face) {
  double fs = font_scale(img) * 0.6;
  int row = std::max(10, cvRound(22 * fs)), width = std::max(60, cvRound(160 * fs));
  int name_w = cv::getTextSize("surprise", cv::FONT_HERSHEY_SIMPLEX, fs, 1, nullptr).width + 6;
  int x = box.br().x + 6;
  if (x + name_w + width > img.cols) x = std::max(0, box.x - name_w - width - 6);
  int y = std::clamp(box.y, 0, std::max(0, img.rows - row * kNumClasses));
  cv::rectangle(img, cv::Rect(x, y, name_w + width, row * kNumClasses), kPanelColor, cv::FILLED);
  for (int c = 0; c < kNumClasses; ++c) {
    int top = y + c * row;
    float s = face.scores[static_cast<size_t>(c)];
    cv::putText(img, std::string(kClassNames[static_cast<size_t>(c)]),
                cv::Point(x + 3, top + row - 4), cv::FONT_HERSHEY_SIMPLEX, fs, kTextColor, 1,
                cv::LINE_AA);
    cv::Scalar color = c == face.label() ? kBoxColor : cv::Scalar(200, 160, 60);
    cv::rectangle(img,
                  cv::Rect(x + name_w, top + 2, std::max(1, cvRound(s * (width - 4))), row - 4),
                  color, cv::FILLED);
  }
}

}  // namespace

void annotate(cv::Mat& bgr, const std::vector<Face>& faces, double scale, bool bars) {
  int thickness = std::max(2, cvRound(font_scale(bgr) * 2));
  for (const Face& f : faces) {
    cv::Rect box = scaled(f.box, scale);
    cv::rectangle(bgr, box, kBoxColor, thickness);
    std::string text(kClassNames[static_cast<size_t>(f.label())]);
    if (f.track >= 0) text = "#" + std::to_string(f.track) + " " + text;
    draw_label(bgr, box, text);
    if (bars) draw_bars(bgr, box, f);
  }
}

}  // namespace ferc::vision
