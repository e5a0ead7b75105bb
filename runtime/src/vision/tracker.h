// Gives faces in consecutive frames stable ids by box overlap, and smooths their scores.
#pragma once

#include <array>
#include <deque>
#include <vector>

#include <opencv2/core.hpp>

#include "record.h"

namespace ferc::vision {

/// Intersection over union of two boxes (0 when either is empty).
double iou(const cv::Rect& a, const cv::Rect& b);

/// Greedy IoU tracker: each face takes the free track it overlaps most (IoU >= min_iou); others
/// start new tracks. A track unseen for more than max_missed frames is dropped.
class Tracker {
 public:
  explicit Tracker(int smooth, double min_iou = 0.3, int max_missed = 10);

  /// Sets each face's track id and replaces its scores by the mean over its track's last
  /// `smooth` frames.
  void update(std::vector<Face>& faces);

 private:
  struct Track {
    int id;
    cv::Rect box;
    int missed = 0;
    std::deque<std::array<float, kNumClasses>> history;
  };
  void assign(std::vector<Face>& faces, std::vector<int>& track_of_face);
  void smooth_scores(Track& track, Face& face);

  int smooth_;
  double min_iou_;
  int max_missed_;
  int next_id_ = 0;
  std::vector<Track> tracks_;
};

}  // namespace ferc::vision
