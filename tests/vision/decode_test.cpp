// Decoding by content, every pixel layout, and the broken files of samples/bad-inputs.
#include <doctest/doctest.h>

#include <map>

#include <opencv2/imgcodecs.hpp>

#include "ferc/error.h"
#include "helpers.h"
#include "image_io.h"

using namespace ferc::vision;
using vision_test::kSamples;

namespace {

Image decode_file(const std::filesystem::path& path) {
  std::string bytes = read_file(path);
  return decode_image({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

std::vector<uint8_t> encode(const cv::Mat& m, const std::string& ext) {
  std::vector<uint8_t> bytes;
  REQUIRE(cv::imencode(ext, m, bytes));
  return bytes;
}

}  // namespace

TEST_CASE("16-bit pixels are scaled to 8 bits, not truncated") {
  cv::Mat gray16(4, 4, CV_16UC1, cv::Scalar(65535));
  gray16.at<uint16_t>(0, 0) = 32896;  // 128 * 257
  Image image = decode_image(encode(gray16, ".png"));
  CHECK(image.bgr.type() == CV_8UC3);
  CHECK(image.bgr.at<cv::Vec3b>(0, 0) == cv::Vec3b(128, 128, 128));
  CHECK(image.bgr.at<cv::Vec3b>(1, 1) == cv::Vec3b(255, 255, 255));
}

TEST_CASE("transparent pixels are composited over white, opaque ones kept") {
  cv::Mat rgba(2, 2, CV_8UC4, cv::Scalar(10, 20, 30, 255));
  rgba.at<cv::Vec4b>(0, 0) = cv::Vec4b(0, 0, 0, 0);
  Image image = decode_image(encode(rgba, ".png"));
  CHECK(image.bgr.at<cv::Vec3b>(0, 0) == cv::Vec3b(255, 255, 255));
  CHECK(image.bgr.at<cv::Vec3b>(1, 1) == cv::Vec3b(10, 20, 30));
}

TEST_CASE("gray with alpha becomes BGR") {
  cv::Mat ga(2, 2, CV_8UC2, cv::Scalar(50, 255));
  cv::Mat out = to_bgr8(ga);
  CHECK(out.type() == CV_8UC3);
  CHECK(out.at<cv::Vec3b>(0, 0) == cv::Vec3b(50, 50, 50));
}

TEST_CASE("content decides the format, not the file name") {
  auto path = kSamples / "photos/df_img47_webp_named_jpg.jpg";
  if (!vision_test::available(path)) return;
  std::string bytes = read_file(path);
  CHECK(sniff({reinterpret_cast<const uint8_t*>(bytes.data()), 64}) == Content::Webp);
  Image image = decode_file(path);
  CHECK(image.full_size == cv::Size(1350, 1800));
}

TEST_CASE("CMYK, 16-bit and palette-free WebP samples decode to the portrait's size") {
  if (!vision_test::available(kSamples / "bad-inputs")) return;
  for (const char* name : {"cmyk.jpg", "gray16.png", "face.webp"}) {
    CAPTURE(name);
    Image image = decode_file(kSamples / "bad-inputs" / name);
    CHECK(image.full_size == cv::Size(320, 240));
    CHECK(image.bgr.type() == CV_8UC3);
  }
}

TEST_CASE("a 108-megapixel JPEG is read from its header and decoded reduced") {
  auto path = kSamples / "bad-inputs/huge_12000x9000.jpg";
  if (!vision_test::available(path)) return;
  std::string bytes = read_file(path);
  auto size = header_size({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
  REQUIRE(size);
  CHECK(*size == cv::Size(12000, 9000));
  Image image = decode_file(path);
  CHECK(image.full_size == cv::Size(12000, 9000));
  CHECK(image.scale == doctest::Approx(0.25));
  CHECK(static_cast<int64_t>(image.bgr.total()) <= kMaxDecodePixels);
}

TEST_CASE("errors say what is wrong with the file") {
  CHECK_THROWS_WITH_AS(decode_image({}), "empty file (0 bytes): not an image", ferc::Error);
  std::string text = "hello, this is text";
  CHECK_THROWS_WITH_AS(decode_image({reinterpret_cast<const uint8_t*>(text.data()), text.size()}),
                       doctest::Contains("not an image: the content is not JPEG, PNG, WebP"),
                       ferc::Error);
}

TEST_CASE("every bad input gives the documented behaviour and the run goes on") {
  if (!vision_test::available(kSamples / "bad-inputs")) return;
  ferc::PredictOptions options;
  const std::vector<std::string> names = {"empty.jpg",
                                          "truncated_half.jpg",
                                          "text_named_jpg.jpg",
                                          "one_pixel.png",
                                          "gray16.png",
                                          "cmyk.jpg",
                                          "animated.gif",
                                          "huge_12000x9000.jpg",
                                          "strip_4000x8.png",
                                          "face.webp",
                                          "empty.mp4",
                                          "truncated_video_moov_at_end.mp4",
                                          "html_named_Megamind.avi"};
  for (const auto& n : names) options.inputs.push_back((kSamples / "bad-inputs" / n).string());
  ferc::PredictSummary summary;
  auto records = vision_test::run_jsonl(options, vision_test::fake_classifier(), &summary);
  REQUIRE(records.size() == names.size());
  std::map<std::string, nlohmann::json> by;
  for (size_t i = 0; i < names.size(); ++i) by[names[i]] = records[i];
  CHECK(by["empty.jpg"]["error"] == "empty file (0 bytes): not an image or video");
  CHECK(by["text_named_jpg.jpg"]["error"].get<std::string>().find("not an image") == 0);
  CHECK(by["empty.mp4"]["error"] == "empty file (0 bytes): not an image or video");
  for (const char* video : {"truncated_video_moov_at_end.mp4", "html_named_Megamind.avi"})
    CHECK(by[video]["error"].get<std::string>().find("cannot open video") == 0);
  // The truncated JPEG decodes its top half, which holds the face.
  CHECK(by["truncated_half.jpg"]["width"] == 1920);
  CHECK(by["truncated_half.jpg"]["faces"].size() == 1);
  CHECK(by["one_pixel.png"]["faces"].empty());
  CHECK(by["strip_4000x8.png"]["faces"].empty());
  CHECK(by["strip_4000x8.png"]["width"] == 4000);
  CHECK(by["huge_12000x9000.jpg"]["width"] == 12000);
  CHECK(by["huge_12000x9000.jpg"]["faces"].empty());
  CHECK(by["animated.gif"]["width"] == 320);  // first frame, through FFmpeg
  CHECK(by["animated.gif"]["height"] == 180);
  for (const char* portrait : {"gray16.png", "cmyk.jpg", "face.webp"}) {
    CAPTURE(portrait);
    CHECK(by[portrait]["faces"].size() == 1);
  }
  CHECK(summary.inputs == 13);
  CHECK(summary.failed == 5);
  CHECK(summary.exit_status() == 2);
}
