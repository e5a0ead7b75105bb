// JPEG decoding with libjpeg's warnings caught, so a damaged image is reported by name instead
// of libjpeg printing an anonymous line on stderr.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include <opencv2/core.hpp>

namespace ferc::data {

/// Result of decode_jpeg_gray.
enum class JpegResult {
  Ok,        // `gray` holds the image
  Damaged,   // the data is corrupt or incomplete; `why` holds libjpeg's message
  Fallback,  // a layout this decoder leaves to OpenCV (CMYK)
};

/// Decodes a JPEG into 8-bit grayscale. A warning from libjpeg (corrupt data, premature end)
/// makes the image Damaged, as does a fatal error.
JpegResult decode_jpeg_gray(std::span<const uint8_t> bytes, cv::Mat& gray, std::string& why);

}  // namespace ferc::data
