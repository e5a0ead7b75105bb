// Still images and the routing of files by content.
#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include "annotate.h"
#include "ferc/error.h"
#include "ferc/log.h"
#include "image_io.h"
#include "process.h"

namespace ferc::vision {
namespace {

std::span<const uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// OpenCV 4.6 has no GIF decoder; its FFmpeg backend reads GIFs as videos.
Image first_gif_frame(const std::string& path) {
  cv::VideoCapture capture(path, cv::CAP_FFMPEG);
  cv::Mat frame;
  if (!capture.isOpened() || !capture.read(frame) || frame.empty())
    throw Error("cannot decode GIF: neither OpenCV nor its FFmpeg backend could read a frame");
  return Image{to_bgr8(frame), frame.size(), 1.0};
}

void write_still(RunContext& ctx, const std::string& source, Image image) {
  Record record{source, false, 0, 0, image.full_size.width, image.full_size.height, {}, {}};
  record.faces = ctx.pipeline.faces(image.bgr, image.scale, image.full_size);
  ctx.summary.images += 1;
  ctx.summary.faces += static_cast<int>(record.faces.size());
  ctx.writer.write(record);
  if (!ctx.options.annotate) return;
  annotate(image.bgr, record.faces, image.scale, true);
  std::filesystem::path out = ctx.names.next(source, ".jpg");
  if (!cv::imwrite(out.string(), image.bgr))
    log::warn("predict", "could not write the annotated copy " + out.string());
}

std::string sniff_head(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open the file for reading (missing or no permission)");
  std::string head(64, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

bool open_video(RunContext& ctx, const std::string& source) {
  cv::VideoCapture capture(source, cv::CAP_FFMPEG);
  if (!capture.isOpened())
    throw Error(
        "cannot open video: OpenCV's FFmpeg backend could not read the container (not a "
        "video, or an incomplete file such as an interrupted download)");
  process_stream(ctx, capture, source);
  return true;
}

bool route(RunContext& ctx, const std::string& source) {
  std::error_code ec;
  if (!std::filesystem::exists(source, ec)) throw Error("no such file or folder");
  if (!std::filesystem::is_regular_file(source, ec)) throw Error("not a regular file");
  Content content = sniff(as_bytes(sniff_head(source)));
  if (content == Content::Empty) throw Error("empty file (0 bytes): not an image or video");
  if (content == Content::Video) return open_video(ctx, source);
  if (content == Content::Unknown && has_video_extension(source)) return open_video(ctx, source);
  if (content == Content::Gif) {
    write_still(ctx, source, first_gif_frame(source));
    return true;
  }
  write_still(ctx, source, decode_image(as_bytes(read_file(source))));
  return true;
}

}  // namespace

bool process_file(RunContext& ctx, const std::string& source) {
  try {
    return route(ctx, source);
  } catch (const Error& e) {
    ctx.writer.write(Record{source, false, 0, 0, 0, 0, {}, e.what()});
  } catch (const cv::Exception& e) {
    ctx.writer.write(Record{source, false, 0, 0, 0, 0, {}, "OpenCV failed: " + e.err});
  }
  return false;
}

}  // namespace ferc::vision
