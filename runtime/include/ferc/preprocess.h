// The pixel preprocessing shared by training and prediction. Its parameters are saved with the
// weights, so a face seen by `predict` is normalised exactly as the training images were.
#pragma once

#include <cstdint>
#include <string>

namespace ferc {

/// How raw pixels become network input; saved with the weights.
struct Preprocessing {
  int channels = 1, height = 48, width = 48;
  /// "per_image": subtract the image's mean, divide by its standard deviation, or by one grey
  /// level when the deviation is smaller, so a flat image becomes zeros. The only method.
  std::string normalize = "per_image";
  /// How a detected face box is grown before cropping to match FER2013's framing.
  float face_margin = 0.0f;
};

/// Normalises one channels*height*width image from bytes to floats as `p` says. Throws
/// ferc::Error for an unknown method.
void normalize_image(const Preprocessing& p, const uint8_t* pixels, float* out);

}  // namespace ferc
