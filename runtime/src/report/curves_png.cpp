// Learning curves: one figure for cost, one for error, each with training and validation lines.
#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "ferc/error.h"
#include "ferc/metrics.h"
#include "figure.h"

namespace ferc::report {
namespace {

constexpr int kWidth = 820, kHeight = 520;
const cv::Rect kPlot(86, 56, 700, 390);       // the data area inside the axes
const cv::Scalar kTrainColour(180, 119, 31);  // blue
const cv::Scalar kValColour(14, 127, 255);    // orange

struct Series {
  std::string label;
  std::vector<double> y;
  cv::Scalar colour;
};

struct Range {
  double lo, hi;
};

// Pads a data range so lines do not touch the frame; a flat range gets a window around it.
Range padded(double lo, double hi) {
  if (hi - lo < 1e-12) {
    const double half = std::abs(lo) > 1e-12 ? std::abs(lo) * 0.1 : 0.5;
    return {lo - half, hi + half};
  }
  const double pad = (hi - lo) * 0.06;
  return {lo - pad, hi + pad};
}

Range y_range(const std::vector<Series>& series) {
  double lo = INFINITY, hi = -INFINITY;
  for (const Series& s : series)
    for (double v : s.y) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  Range r = padded(lo, hi);
  if (lo >= 0) r.lo = std::max(r.lo, 0.0);  // costs and errors are never negative
  return r;
}

struct Axes {
  Range x, y;
  int px(double v) const {
    return kPlot.x + int(std::lround((v - x.lo) / (x.hi - x.lo) * kPlot.width));
  }
  int py(double v) const {
    return kPlot.y + kPlot.height - int(std::lround((v - y.lo) / (y.hi - y.lo) * kPlot.height));
  }
};

void draw_x_axis(cv::Mat& img, const Axes& a, int epochs) {
  std::vector<double> ticks = nice_ticks(1, std::max(epochs, 2), std::min(epochs, 10));
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  for (double t : ticks) {
    if (t < 1 || t > epochs || t != std::floor(t)) continue;  // epochs are whole numbers
    const int x = a.px(t);
    cv::line(img, {x, kPlot.y}, {x, kPlot.y + kPlot.height}, kGrid, 1);
    cv::line(img, {x, kPlot.y + kPlot.height}, {x, kPlot.y + kPlot.height + 5}, kInk, 1);
    draw_text(img, tick_label(t, std::max(step, 1.0)), {x, kPlot.y + kPlot.height + 9},
              {0.45, kInk, 1}, Align::center, Align::start);
  }
}

void draw_y_axis(cv::Mat& img, const Axes& a) {
  const std::vector<double> ticks = nice_ticks(a.y.lo, a.y.hi, 6);
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  for (double t : ticks) {
    const int y = a.py(t);
    cv::line(img, {kPlot.x, y}, {kPlot.x + kPlot.width, y}, kGrid, 1);
    cv::line(img, {kPlot.x - 5, y}, {kPlot.x, y}, kInk, 1);
    draw_text(img, tick_label(t, step), {kPlot.x - 9, y}, {0.45, kInk, 1}, Align::end);
  }
}

void draw_series(cv::Mat& img, const Axes& a, const Series& s) {
  std::vector<cv::Point> pts;
  for (size_t i = 0; i < s.y.size(); ++i) pts.emplace_back(a.px(double(i + 1)), a.py(s.y[i]));
  cv::polylines(img, pts, false, s.colour, 2, cv::LINE_AA);
  // Markers keep single epochs and overlapping lines visible.
  if (pts.size() <= 60)
    for (const cv::Point& p : pts) cv::circle(img, p, 3, s.colour, cv::FILLED, cv::LINE_AA);
}

void draw_legend(cv::Mat& img, const std::vector<Series>& series) {
  const TextStyle style{0.48, kInk, 1};
  int width = 0;
  for (const Series& s : series) width = std::max(width, text_size(s.label, style).width);
  const cv::Rect box(kPlot.x + kPlot.width - width - 58, kPlot.y + 10, width + 48,
                     int(series.size()) * 22 + 10);
  cv::rectangle(img, box, kPaper, cv::FILLED);
  cv::rectangle(img, box, cv::Scalar(190, 190, 190), 1);
  for (size_t i = 0; i < series.size(); ++i) {
    const int y = box.y + 16 + int(i) * 22;
    cv::line(img, {box.x + 8, y}, {box.x + 32, y}, series[i].colour, 2, cv::LINE_AA);
    cv::circle(img, {box.x + 20, y}, 3, series[i].colour, cv::FILLED, cv::LINE_AA);
    draw_text(img, series[i].label, {box.x + 40, y}, style, Align::start);
  }
}

void draw_labels(cv::Mat& img, const std::string& title, const std::string& y_label) {
  draw_text(img, title, {kPlot.x + kPlot.width / 2, 24}, {0.75, kInk, 1, kTitleFont});
  const TextStyle axis{0.55, kInk, 1, kTitleFont};
  draw_text(img, "epoch", {kPlot.x + kPlot.width / 2, kPlot.y + kPlot.height + 38}, axis,
            Align::center, Align::start);
  draw_vertical_text(img, y_label, {20, kPlot.y + kPlot.height / 2}, axis);
}

cv::Mat plot(const std::vector<Series>& series, const std::string& title,
             const std::string& y_label) {
  cv::Mat img(kHeight, kWidth, CV_8UC3, kPaper);
  const int epochs = int(series.front().y.size());
  // Half an epoch of margin on each side keeps the first and last points off the frame.
  const Axes a{{0.5, std::max(epochs, 1) + 0.5}, y_range(series)};
  draw_y_axis(img, a);
  draw_x_axis(img, a, epochs);
  cv::rectangle(img, {kPlot.x, kPlot.y, kPlot.width + 1, kPlot.height + 1}, kInk, 1);
  for (const Series& s : series) draw_series(img, a, s);
  draw_legend(img, series);
  draw_labels(img, title, y_label);
  return img;
}

std::vector<Series> curves(const History& h, bool cost) {
  Series train{"training", {}, kTrainColour}, val{"validation", {}, kValColour};
  for (const EpochRecord& e : h) {
    train.y.push_back(cost ? e.train_cost : 100 * e.train_error);
    val.y.push_back(cost ? e.val_cost : 100 * e.val_error);
  }
  return {train, val};
}

}  // namespace
}  // namespace ferc::report

namespace ferc {

void write_curve_pngs(const History& h, const std::filesystem::path& cost_png,
                      const std::filesystem::path& error_png) {
  if (h.empty())
    throw Error("cannot draw learning curves for " + cost_png.string() +
                ": the history has no epochs; train at least one epoch first");
  report::save_png(report::plot(report::curves(h, true), "Cost per epoch", "cost (cross-entropy)"),
                   cost_png, "cost figure");
  report::save_png(report::plot(report::curves(h, false), "Error per epoch", "error (%)"),
                   error_png, "error figure");
}

}  // namespace ferc
