// Drawing helpers for the report figures (OpenCV, BGR images on a white page).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace ferc::report {

inline const cv::Scalar kInk(40, 40, 40);       // text and axes
inline const cv::Scalar kGrid(225, 225, 225);   // gridlines
inline const cv::Scalar kPaper(255, 255, 255);  // background
inline constexpr int kFont = 0;                 // cv::FONT_HERSHEY_SIMPLEX
inline constexpr int kTitleFont = 2;            // cv::FONT_HERSHEY_DUPLEX

/// Where a text's anchor sits relative to the text box.
enum class Align { start, center, end };

/// Text style: font, scale, colour and stroke.
struct TextStyle {
  double scale = 0.5;
  cv::Scalar colour = kInk;
  int thickness = 1;
  int font = kFont;
};

/// Draws `text` with its box aligned on `at` horizontally (h) and vertically (v).
void draw_text(cv::Mat& img, const std::string& text, cv::Point at, const TextStyle& style,
               Align h = Align::center, Align v = Align::center);

/// Draws `text` rotated a quarter turn counter-clockwise, centred on `at` (y-axis titles).
void draw_vertical_text(cv::Mat& img, const std::string& text, cv::Point at,
                        const TextStyle& style);

/// Width and height of `text` in pixels.
cv::Size text_size(const std::string& text, const TextStyle& style);

/// Round tick values ("1, 2, 5 times a power of ten") covering [lo, hi], about `target` of them.
std::vector<double> nice_ticks(double lo, double hi, int target);

/// A tick label without trailing zeros: 0.25, 1, 1.5, 40.
std::string tick_label(double v, double step);

/// Encodes `img` as PNG at `path`, creating its directory; `what` names the figure in errors.
void save_png(const cv::Mat& img, const std::filesystem::path& path, const std::string& what);

}  // namespace ferc::report
