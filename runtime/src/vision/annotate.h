// Drawing results onto pictures: a box and label per face, and score bars for still images.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "record.h"

namespace ferc::vision {

/// Draws each face's box and label (with its track id when tracked) onto `bgr`, whose size may
/// be `scale` times the record's. With `bars`, adds a bar per class beside each face.
void annotate(cv::Mat& bgr, const std::vector<Face>& faces, double scale, bool bars);

}  // namespace ferc::vision
