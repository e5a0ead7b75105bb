#include "image_io.h"

#include <cstring>
#include <fstream>
#include <iterator>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ferc/error.h"

namespace ferc::vision {
namespace {

bool starts_with(std::span<const uint8_t> b, size_t at, const char* magic) {
  size_t n = std::strlen(magic);
  return b.size() >= at + n && std::memcmp(b.data() + at, magic, n) == 0;
}

int be16(const uint8_t* p) {
  return (p[0] << 8) | p[1];
}
int be32(const uint8_t* p) {
  return (p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}
int le16(const uint8_t* p) {
  return p[0] | (p[1] << 8);
}
int le24(const uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16);
}

// Walks the JPEG markers up to the first start-of-frame, which holds the size.
std::optional<cv::Size> jpeg_size(std::span<const uint8_t> b) {
  size_t i = 2;
  while (i + 9 < b.size()) {
    if (b[i] != 0xFF) return std::nullopt;
    uint8_t marker = b[i + 1];
    if (marker == 0xFF) {
      ++i;
      continue;
    }
    bool sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) return cv::Size(be16(&b[i + 7]), be16(&b[i + 5]));
    i += 2 + static_cast<size_t>(be16(&b[i + 2]));
  }
  return std::nullopt;
}

std::optional<cv::Size> webp_size(std::span<const uint8_t> b) {
  if (b.size() < 30) return std::nullopt;
  if (starts_with(b, 12, "VP8X")) return cv::Size(le24(&b[24]) + 1, le24(&b[27]) + 1);
  if (starts_with(b, 12, "VP8 ")) return cv::Size(le16(&b[26]) & 0x3FFF, le16(&b[28]) & 0x3FFF);
  if (starts_with(b, 12, "VP8L")) {
    uint32_t bits = b[21] | (b[22] << 8) | (b[23] << 16) | (static_cast<uint32_t>(b[24]) << 24);
    return cv::Size(static_cast<int>((bits & 0x3FFF) + 1),
                    static_cast<int>(((bits >> 14) & 0x3FFF) + 1));
  }
  return std::nullopt;
}

// IMREAD_REDUCED_COLOR_{2,4,8} keep a huge JPEG's memory bounded.
int reduction_for(cv::Size size) {
  int64_t pixels = static_cast<int64_t>(size.width) * size.height;
  for (int factor : {1, 2, 4}) {
    if (pixels / (static_cast<int64_t>(factor) * factor) <= kMaxDecodePixels) return factor;
  }
  return 8;
}

int reduced_flag(int factor) {
  switch (factor) {
    case 2:
      return cv::IMREAD_REDUCED_COLOR_2;
    case 4:
      return cv::IMREAD_REDUCED_COLOR_4;
    case 8:
      return cv::IMREAD_REDUCED_COLOR_8;
    default:
      return cv::IMREAD_COLOR | cv::IMREAD_ANYDEPTH;
  }
}

cv::Mat composite_over_white(const cv::Mat& color, const cv::Mat& alpha) {
  cv::Mat a, c, white(color.size(), CV_32FC3, cv::Scalar::all(1.0));
  alpha.convertTo(a, CV_32F, 1.0 / 255);
  cv::cvtColor(a, a, cv::COLOR_GRAY2BGR);
  color.convertTo(c, CV_32FC3, 1.0 / 255);
  cv::Mat out = c.mul(a) + white.mul(cv::Scalar::all(1.0) - a);
  out.convertTo(out, CV_8UC3, 255);
  return out;
}

}  // namespace

Content sniff(std::span<const uint8_t> b) {
  if (b.empty()) return Content::Empty;
  if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return Content::Jpeg;
  if (starts_with(b, 0, "\x89PNG")) return Content::Png;
  if (starts_with(b, 0, "RIFF") && starts_with(b, 8, "WEBP")) return Content::Webp;
  if (starts_with(b, 0, "GIF8")) return Content::Gif;
  if (starts_with(b, 4, "ftyp") || (starts_with(b, 0, "RIFF") && starts_with(b, 8, "AVI ")) ||
      starts_with(b, 0, "\x1A\x45\xDF\xA3") || starts_with(b, 0, "OggS") ||
      (b.size() >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 1 && (b[3] == 0xBA || b[3] == 0xB3)))
    return Content::Video;
  if (starts_with(b, 0, "BM") || starts_with(b, 0, "II*") || starts_with(b, 0, "MM\0*") ||
      (b.size() >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7') ||
      starts_with(b, 0, "\x76\x2F\x31\x01") || starts_with(b, 4, "jP  "))
    return Content::OtherImage;
  return Content::Unknown;
}

std::optional<cv::Size> header_size(std::span<const uint8_t> b) {
  switch (sniff(b)) {
    case Content::Jpeg:
      return jpeg_size(b);
    case Content::Png:
      if (b.size() < 24) return std::nullopt;
      return cv::Size(be32(&b[16]), be32(&b[20]));
    case Content::Webp:
      return webp_size(b);
    default:
      return std::nullopt;
  }
}

cv::Mat to_bgr8(const cv::Mat& decoded) {
  cv::Mat m = decoded;
  if (m.depth() == CV_16U)
    m.convertTo(m, CV_8U, 255.0 / 65535.0);
  else if (m.depth() == CV_32F || m.depth() == CV_64F)
    m.convertTo(m, CV_8U, 255.0);
  else if (m.depth() != CV_8U)
    m.convertTo(m, CV_8U);
  cv::Mat out;
  switch (m.channels()) {
    case 1:
      cv::cvtColor(m, out, cv::COLOR_GRAY2BGR);
      return out;
    case 2: {
      std::vector<cv::Mat> planes;
      cv::split(m, planes);
      cv::cvtColor(planes[0], out, cv::COLOR_GRAY2BGR);
      return composite_over_white(out, planes[1]);
    }
    case 3:
      return m;
    case 4: {
      std::vector<cv::Mat> planes;
      cv::split(m, planes);
      cv::merge(std::vector<cv::Mat>{planes[0], planes[1], planes[2]}, out);
      return composite_over_white(out, planes[3]);
    }
    default:
      throw Error("unsupported pixel layout: " + std::to_string(m.channels()) +
                  " channels (expected 1 to 4)");
  }
}

Image decode_image(std::span<const uint8_t> bytes) {
  Content content = sniff(bytes);
  if (content == Content::Empty) throw Error("empty file (0 bytes): not an image");
  std::optional<cv::Size> size = header_size(bytes);
  int factor = 1;
  if (size && content == Content::Jpeg) factor = reduction_for(*size);
  if (size && content != Content::Jpeg &&
      static_cast<int64_t>(size->width) * size->height > kMaxFullDecodePixels)
    throw Error("image is " + std::to_string(size->width) + "x" + std::to_string(size->height) +
                ", above the " + std::to_string(kMaxFullDecodePixels / 1'000'000) +
                " megapixel limit for formats that cannot be decoded at reduced size; "
                "downscale it or convert it to JPEG");
  // JPEG: OpenCV applies EXIF orientation unless IMREAD_UNCHANGED; alpha is not possible.
  // Others: IMREAD_UNCHANGED keeps alpha and 16-bit depth for to_bgr8.
  int flags = content == Content::Jpeg ? reduced_flag(factor) : cv::IMREAD_UNCHANGED;
  cv::Mat raw;
  try {
    raw = cv::imdecode(
        cv::Mat(1, static_cast<int>(bytes.size()), CV_8U, const_cast<uint8_t*>(bytes.data())),
        flags);
  } catch (const cv::Exception& e) {
    throw Error("cannot decode image: " + e.err);
  }
  if (raw.empty()) {
    if (content == Content::Unknown)
      throw Error(
          "not an image: the content is not JPEG, PNG, WebP, BMP, TIFF or another "
          "format OpenCV reads");
    throw Error("cannot decode image: the data is corrupt or incomplete");
  }
  Image image;
  image.bgr = to_bgr8(raw);
  image.scale = 1.0 / factor;
  image.full_size =
      factor == 1 ? image.bgr.size() : cv::Size(image.bgr.cols * factor, image.bgr.rows * factor);
  // The header size is exact; reduced decodes round up, and EXIF may have swapped the sides.
  if (size && factor > 1)
    image.full_size = (image.bgr.cols >= image.bgr.rows) == (size->width >= size->height)
                          ? *size
                          : cv::Size(size->height, size->width);
  return image;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open " + path.string() + " for reading");
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error("error while reading " + path.string());
  return data;
}

}  // namespace ferc::vision
