// Geometry and colours of the confusion heat-map, shared by the drawing code and its tests.
#pragma once

#include <opencv2/core.hpp>

#include "ferc/classes.h"

namespace ferc::report {

/// Pixel layout of the confusion figure: a square grid of kNumClasses x kNumClasses cells.
struct HeatmapLayout {
  static constexpr int kWidth = 760, kHeight = 670;
  static constexpr int kLeft = 130;  // y-axis title and class names
  static constexpr int kTop = 78;    // title and subtitle
  static constexpr int kCell = 72;
  static constexpr int kGrid = kCell * kNumClasses;
  static constexpr int kBarLeft = kLeft + kGrid + 28;  // colour scale
  static constexpr int kBarWidth = 20;

  /// The cell of true class `t`, predicted class `p`.
  static cv::Rect cell(int t, int p) { return {kLeft + p * kCell, kTop + t * kCell, kCell, kCell}; }
};

/// Colour (BGR) of a cell holding `fraction` (0..1) of its true class: white to deep blue.
cv::Vec3b heat_colour(double fraction);

}  // namespace ferc::report
