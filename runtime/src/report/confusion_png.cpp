// The confusion matrix as a heat-map: colour = share of the true class, text = count and share.
#include <cstdio>

#include <opencv2/imgproc.hpp>

#include "ferc/metrics.h"
#include "figure.h"
#include "heatmap.h"
#include "report_util.h"

namespace ferc::report {
namespace {

using L = HeatmapLayout;

// Anchors of the colour ramp, light to dark (BGR), a sequential blue scale.
constexpr std::array<std::array<double, 3>, 5> kRamp = {
    {{255, 251, 247}, {238, 219, 198}, {225, 174, 107}, {189, 113, 33}, {107, 48, 8}}};

std::string percent(double f) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * f);
  return buf;
}

void draw_cell(cv::Mat& img, int t, int p, int64_t count, double f) {
  const cv::Rect r = L::cell(t, p);
  cv::rectangle(img, r, cv::Scalar(heat_colour(f)), cv::FILLED);
  // Light text on dark cells keeps the numbers readable across the whole ramp.
  const cv::Scalar ink = f > 0.55 ? cv::Scalar(255, 255, 255) : kInk;
  const cv::Point mid(r.x + r.width / 2, r.y + r.height / 2);
  draw_text(img, std::to_string(count), {mid.x, mid.y - 9}, {0.55, ink, 1});
  draw_text(img, percent(f), {mid.x, mid.y + 12}, {0.4, ink, 1});
}

void draw_grid(cv::Mat& img, const Metrics& m) {
  for (int t = 0; t < kNumClasses; ++t) {
    const auto row = row_fractions(m, t);
    for (int p = 0; p < kNumClasses; ++p) draw_cell(img, t, p, m.confusion[t][p], row[p]);
  }
  for (int i = 0; i <= kNumClasses; ++i) {
    const int at = i * L::kCell;
    cv::line(img, {L::kLeft + at, L::kTop}, {L::kLeft + at, L::kTop + L::kGrid}, kPaper, 1);
    cv::line(img, {L::kLeft, L::kTop + at}, {L::kLeft + L::kGrid, L::kTop + at}, kPaper, 1);
  }
  cv::rectangle(img, {L::kLeft, L::kTop, L::kGrid + 1, L::kGrid + 1}, kInk, 1);
}

void draw_axes(cv::Mat& img) {
  const TextStyle names{0.45, kInk, 1};
  for (int i = 0; i < kNumClasses; ++i) {
    const std::string name(kClassNames[i]);
    const cv::Rect r = L::cell(i, i);
    draw_text(img, name, {L::kLeft - 8, r.y + r.height / 2}, names, Align::end);
    draw_text(img, name, {r.x + r.width / 2, L::kTop + L::kGrid + 10}, names, Align::center,
              Align::start);
  }
  const TextStyle axis{0.6, kInk, 1, kTitleFont};
  draw_text(img, "predicted", {L::kLeft + L::kGrid / 2, L::kTop + L::kGrid + 40}, axis,
            Align::center, Align::start);
  draw_vertical_text(img, "true", {22, L::kTop + L::kGrid / 2}, axis);
}

void draw_scale(cv::Mat& img) {
  for (int y = 0; y < L::kGrid; ++y) {
    const cv::Scalar c(heat_colour(1.0 - double(y) / (L::kGrid - 1)));
    cv::line(img, {L::kBarLeft, L::kTop + y}, {L::kBarLeft + L::kBarWidth - 1, L::kTop + y}, c);
  }
  cv::rectangle(img, {L::kBarLeft, L::kTop, L::kBarWidth, L::kGrid}, kInk, 1);
  for (int pct = 0; pct <= 100; pct += 25) {
    const int y = L::kTop + (L::kGrid - 1) * (100 - pct) / 100;
    const int x = L::kBarLeft + L::kBarWidth;
    cv::line(img, {x, y}, {x + 4, y}, kInk, 1);
    draw_text(img, std::to_string(pct) + "%", {x + 7, y}, {0.4, kInk, 1}, Align::start);
  }
}

void draw_title(cv::Mat& img, const Metrics& m) {
  draw_text(img, "Confusion matrix", {L::kLeft + L::kGrid / 2, 22}, {0.75, kInk, 1, kTitleFont});
  const std::string sub = "accuracy " + percent(m.accuracy) + " of " + std::to_string(m.total) +
                          " images; colour = share of the true class";
  draw_text(img, sub, {L::kLeft + L::kGrid / 2, 52}, {0.42, cv::Scalar(90, 90, 90), 1});
}

}  // namespace

cv::Vec3b heat_colour(double fraction) {
  const double x = std::clamp(fraction, 0.0, 1.0) * (kRamp.size() - 1);
  const size_t i = std::min(size_t(x), kRamp.size() - 2);
  const double w = x - double(i);
  cv::Vec3b c;
  for (int k = 0; k < 3; ++k)
    c[k] = cv::saturate_cast<uchar>(kRamp[i][k] * (1 - w) + kRamp[i + 1][k] * w);
  return c;
}

}  // namespace ferc::report

namespace ferc {

void write_confusion_png(const Metrics& m, const std::filesystem::path& path) {
  cv::Mat img(report::HeatmapLayout::kHeight, report::HeatmapLayout::kWidth, CV_8UC3,
              report::kPaper);
  report::draw_title(img, m);
  report::draw_grid(img, m);
  report::draw_axes(img);
  report::draw_scale(img);
  report::save_png(img, path, "confusion figure");
}

}  // namespace ferc
