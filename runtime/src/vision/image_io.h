// Reading still images by content: every pixel layout OpenCV can decode becomes 8-bit BGR.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include <opencv2/core.hpp>

namespace ferc::vision {

/// What a file holds, told apart by its first bytes.
enum class Content { Empty, Jpeg, Png, Webp, Gif, OtherImage, Video, Unknown };

/// Classifies `bytes` (the start of a file is enough) by magic numbers.
Content sniff(std::span<const uint8_t> bytes);

/// Width and height read from a JPEG, PNG or WebP header without decoding, if recognised.
std::optional<cv::Size> header_size(std::span<const uint8_t> bytes);

/// A decoded image: 8-bit BGR pixels, possibly reduced, and the stored size.
struct Image {
  cv::Mat bgr;         // CV_8UC3, upright (EXIF orientation applied)
  cv::Size full_size;  // size at full resolution, upright
  double scale = 1.0;  // bgr.cols / full width (< 1 for huge JPEGs decoded reduced)
};

/// JPEGs above this many pixels are decoded at 1/2, 1/4 or 1/8 resolution.
inline constexpr int64_t kMaxDecodePixels = 24'000'000;
/// Other formats above this many pixels are refused (they cannot be decoded reduced).
inline constexpr int64_t kMaxFullDecodePixels = 64'000'000;

/// Decodes one still image. Throws ferc::Error with a sentence saying what is wrong.
Image decode_image(std::span<const uint8_t> bytes);

/// Reads a whole file. Throws ferc::Error naming the path if it cannot be read.
std::string read_file(const std::filesystem::path& path);

/// Converts any depth and channel count OpenCV decodes to 8-bit BGR; alpha is composited over
/// white, 16-bit is scaled by 255/65535, float by 255.
cv::Mat to_bgr8(const cv::Mat& decoded);

}  // namespace ferc::vision
