#include "tracker.h"

#include <algorithm>

namespace ferc::vision {

double iou(const cv::Rect& a, const cv::Rect& b) {
  double inter = (a & b).area();
  double uni = static_cast<double>(a.area()) + b.area() - inter;
  return uni > 0 ? inter / uni : 0.0;
}

Tracker::Tracker(int smooth, double min_iou, int max_missed)
    : smooth_(std::max(1, smooth)), min_iou_(min_iou), max_missed_(max_missed) {}

// Pairs are taken best overlap first, so two nearby faces do not swap ids.
void Tracker::assign(std::vector<Face>& faces, std::vector<int>& track_of_face) {
  struct Pair {
    double overlap;
    size_t face, track;
  };
  std::vector<Pair> pairs;
  for (size_t f = 0; f < faces.size(); ++f)
    for (size_t t = 0; t < tracks_.size(); ++t) {
      double o = iou(faces[f].box, tracks_[t].box);
      if (o >= min_iou_) pairs.push_back({o, f, t});
    }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Pair& a, const Pair& b) { return a.overlap > b.overlap; });
  std::vector<bool> track_used(tracks_.size(), false);
  track_of_face.assign(faces.size(), -1);
  for (const Pair& p : pairs) {
    if (track_used[p.track] || track_of_face[p.face] >= 0) continue;
    track_used[p.track] = true;
    track_of_face[p.face] = static_cast<int>(p.track);
  }
}

void Tracker::smooth_scores(Track& track, Face& face) {
  track.history.push_back(face.scores);
  while (static_cast<int>(track.history.size()) > smooth_) track.history.pop_front();
  std::array<float, kNumClasses> mean{};
  for (const auto& s : track.history)
    for (size_t c = 0; c < mean.size(); ++c) mean[c] += s[c];
  for (float& m : mean) m /= static_cast<float>(track.history.size());
  face.scores = mean;
}

void Tracker::update(std::vector<Face>& faces) {
  std::vector<int> track_of_face;
  assign(faces, track_of_face);
  std::vector<bool> seen(tracks_.size(), false);
  for (size_t f = 0; f < faces.size(); ++f) {
    int t = track_of_face[f];
    if (t < 0) {
      tracks_.push_back(Track{next_id_++, faces[f].box, 0, {}});
      seen.push_back(true);
      t = static_cast<int>(tracks_.size()) - 1;
    }
    Track& track = tracks_[static_cast<size_t>(t)];
    seen[static_cast<size_t>(t)] = true;
    track.box = faces[f].box;
    track.missed = 0;
    faces[f].track = track.id;
    smooth_scores(track, faces[f]);
  }
  for (size_t t = 0; t < seen.size(); ++t)
    if (!seen[t]) ++tracks_[t].missed;
  std::erase_if(tracks_, [&](const Track& t) { return t.missed > max_missed_; });
}

}  // namespace ferc::vision
