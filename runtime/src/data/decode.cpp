// Decoding the images of a FER2013 layout, on a few threads, into the three splits.
#include <algorithm>
#include <cstring>
#include <exception>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "ferc/error.h"
#include "jpeg.h"
#include "readers.h"

namespace ferc::data {
namespace {

constexpr int kSide = 48;
constexpr size_t kImageBytes = kSide * kSide;
constexpr size_t kMaxThreads = 4;
constexpr size_t kMinImagesPerThread = 512;  // below this a thread costs more than it saves
constexpr size_t kMaxSkippedExamples = 5;

// Decodes one encoded image into kSide x kSide grey bytes; returns why it failed, or "".
std::string decode_one(const std::vector<uint8_t>& bytes, uint8_t* out) {
  if (bytes.empty()) return "is empty";
  cv::Mat image;
  bool jpeg = bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
  std::string why;
  JpegResult result = jpeg ? decode_jpeg_gray(bytes, image, why) : JpegResult::Fallback;
  if (result == JpegResult::Damaged) return "is a damaged JPEG (" + why + ")";
  if (result == JpegResult::Fallback) {
    try {
      image = cv::imdecode(
          cv::Mat(1, static_cast<int>(bytes.size()), CV_8U, const_cast<uint8_t*>(bytes.data())),
          cv::IMREAD_GRAYSCALE);
    } catch (const cv::Exception&) {
      image.release();  // OpenCV rejects some malformed headers by throwing
    }
  }
  if (image.empty() || image.depth() != CV_8U) return "is not a decodable image";
  // FER2013 is 48x48; other sizes are scaled to it (area filter, aspect ratio not kept).
  if (image.rows != kSide || image.cols != kSide)
    cv::resize(image, image, cv::Size(kSide, kSide), 0, 0, cv::INTER_AREA);
  cv::Mat dst(kSide, kSide, CV_8U, out);
  image.copyTo(dst);
  return "";
}

// Decodes layout[begin, end) with its own reader; records failures by position.
void decode_range(const ImageArchive& archive, const std::vector<LayoutEntry>& layout, size_t begin,
                  size_t end, uint8_t* pixels, std::vector<std::string>& failures) {
  std::unique_ptr<EntryReader> reader = archive.open_reader();
  std::vector<uint8_t> bytes;
  for (size_t i = begin; i < end; ++i) {
    failures[i] = reader->read(archive.entries[layout[i].entry], bytes);
    if (failures[i].empty()) failures[i] = decode_one(bytes, pixels + i * kImageBytes);
  }
}

size_t thread_count(size_t images) {
  size_t hardware = std::max<size_t>(1, std::thread::hardware_concurrency());
  return std::clamp<size_t>(images / kMinImagesPerThread, 1, std::min(hardware, kMaxThreads));
}

// Runs decode_range over contiguous chunks, one per thread; the first exception is rethrown.
void decode_all(const ImageArchive& archive, const std::vector<LayoutEntry>& layout,
                uint8_t* pixels, std::vector<std::string>& failures) {
  size_t threads = thread_count(layout.size());
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) {
    size_t begin = layout.size() * t / threads, end = layout.size() * (t + 1) / threads;
    pool.emplace_back([&, t, begin, end] {
      try {
        decode_range(archive, layout, begin, end, pixels, failures);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  for (std::thread& th : pool) th.join();
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
}

Dataset& split_of(Fer2013& data, Split split) {
  switch (split) {
    case Split::Train:
      return data.train;
    case Split::Val:
      return data.val;
    case Split::Test:
      return data.test;
  }
  FERC_ASSERT(false, "unknown split");
}

}  // namespace

Fer2013 decode_layout(const ImageArchive& archive, const std::vector<LayoutEntry>& layout,
                      const LoadOptions& options) {
  std::vector<uint8_t> pixels(layout.size() * kImageBytes);
  std::vector<std::string> failures(layout.size());
  decode_all(archive, layout, pixels.data(), failures);

  Fer2013 data;
  for (size_t i = 0; i < layout.size(); ++i) {
    const LayoutEntry& e = layout[i];
    if (!failures[i].empty()) {
      std::string what = printable(e.source) + " " + failures[i];
      if (options.strict)
        throw Error(archive.path.string() + ": " + what +
                    "; replace or remove it, or load without strict mode to skip it");
      if (data.skipped_examples.size() < kMaxSkippedExamples) data.skipped_examples.push_back(what);
      ++data.skipped;
      continue;
    }
    Dataset& d = split_of(data, e.split);
    const uint8_t* image = pixels.data() + i * kImageBytes;
    d.pixels.insert(d.pixels.end(), image, image + kImageBytes);
    d.labels.push_back(e.label);
    d.sources.push_back(e.source);
  }
  return data;
}

}  // namespace ferc::data
