#include "figure.h"

#include <cmath>
#include <cstdio>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ferc/error.h"
#include "report_util.h"

namespace ferc::report {
namespace {

int offset(Align a, int extent) {
  return a == Align::start ? 0 : a == Align::center ? extent / 2 : extent;
}

}  // namespace

cv::Size text_size(const std::string& text, const TextStyle& style) {
  int baseline = 0;
  return cv::getTextSize(text, style.font, style.scale, style.thickness, &baseline);
}

void draw_text(cv::Mat& img, const std::string& text, cv::Point at, const TextStyle& style, Align h,
               Align v) {
  const cv::Size size = text_size(text, style);
  // putText anchors at the baseline's left end; shift so the box aligns as asked.
  cv::Point origin(at.x - offset(h, size.width), at.y + size.height - offset(v, size.height));
  cv::putText(img, text, origin, style.font, style.scale, style.colour, style.thickness,
              cv::LINE_AA);
}

void draw_vertical_text(cv::Mat& img, const std::string& text, cv::Point at,
                        const TextStyle& style) {
  const cv::Size size = text_size(text, style);
  cv::Mat strip(size.height + 8, size.width + 8, img.type(), kPaper);
  draw_text(strip, text, {strip.cols / 2, strip.rows / 2}, style);
  cv::Mat turned;
  cv::rotate(strip, turned, cv::ROTATE_90_COUNTERCLOCKWISE);
  cv::Rect where(at.x - turned.cols / 2, at.y - turned.rows / 2, turned.cols, turned.rows);
  where &= cv::Rect(0, 0, img.cols, img.rows);
  turned(cv::Rect(0, 0, where.width, where.height)).copyTo(img(where));
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  const double raw = (hi - lo) / std::max(target, 1);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power * 10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * power >= raw) {
      step = m * power;
      break;
    }
  std::vector<double> ticks;
  // Small epsilon so a tick that lands on the end of the range is kept despite rounding.
  for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

std::string tick_label(double v, double step) {
  // As many decimals as the step needs: 0.25 needs two, 0.5 one, 20 none.
  int decimals = 0;
  for (double scaled = step; decimals < 6; scaled *= 10, ++decimals)
    if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) break;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

void save_png(const cv::Mat& img, const std::filesystem::path& path, const std::string& what) {
  make_parent_dir(path, what);
  bool ok = false;
  std::string reason = "the PNG encoder refused it";
  try {
    ok = cv::imwrite(path.string(), img);
  } catch (const cv::Exception& e) {
    reason = e.msg;
  }
  if (!ok)
    throw Error("cannot write " + what + " " + path.string() + ": " + reason +
                "; check that the directory is writable and the name ends in .png");
}

}  // namespace ferc::report
