// Cutting a detected face out of a picture the way FER2013's images are framed.
#pragma once

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "ferc/preprocess.h"

namespace ferc::vision {

/// The box grown by `margin` of its size on every side (it may extend past the image).
cv::Rect grow_box(const cv::Rect& box, float margin);

/// The face in `gray` (8-bit) inside `box` grown by p.face_margin, resized to p.height x p.width
/// with INTER_AREA; parts outside the image repeat the edge pixels.
cv::Mat crop_face(const cv::Mat& gray, const cv::Rect& box, const Preprocessing& p);

/// Appends the normalised crop (p.height * p.width floats) to `batch`.
void append_normalized(const cv::Mat& crop, const Preprocessing& p, std::vector<float>& batch);

}  // namespace ferc::vision
