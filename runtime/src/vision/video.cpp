// Videos and cameras: frames streamed one at a time, tracked, optionally written annotated.
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "annotate.h"
#include "ferc/error.h"
#include "ferc/log.h"
#include "image_io.h"
#include "process.h"
#include "tracker.h"

namespace ferc::vision {
namespace {

// A stream that keeps failing to decode is abandoned rather than polled forever.
constexpr int kMaxConsecutiveBadFrames = 50;
constexpr double kFallbackFps = 30.0;

double stream_fps(cv::VideoCapture& capture) {
  double fps = capture.get(cv::CAP_PROP_FPS);
  return fps > 0 && fps < 1000 ? fps : kFallbackFps;
}

class AnnotatedVideo {
 public:
  AnnotatedVideo(std::filesystem::path path, double fps) : path_(std::move(path)), fps_(fps) {}
  void write(const cv::Mat& frame) {
    if (!writer_.isOpened() && !failed_) open(frame.size());
    if (writer_.isOpened()) writer_.write(frame);
  }

 private:
  void open(cv::Size size) {
    writer_.open(path_.string(), cv::CAP_FFMPEG, cv::VideoWriter::fourcc('m', 'p', '4', 'v'), fps_,
                 size);
    failed_ = !writer_.isOpened();
    if (failed_) log::warn("predict", "could not write the annotated video " + path_.string());
  }
  std::filesystem::path path_;
  double fps_;
  bool failed_ = false;
  cv::VideoWriter writer_;
};

// Boxes of the last frame that ran detection, reused by the frames up to the next one.
struct Detections {
  std::vector<cv::Rect> boxes;
  bool valid = false;
};

void handle_frame(RunContext& ctx, Record& record, cv::Mat& frame, Tracker& tracker,
                  Detections& detections, AnnotatedVideo* annotated) {
  cv::Mat bgr = to_bgr8(frame);
  record.width = bgr.cols;
  record.height = bgr.rows;
  if (!detections.valid || record.frame % ctx.options.detect_every == 0) {
    record.faces = ctx.pipeline.faces(bgr, 1.0, bgr.size());
    detections.boxes.clear();
    for (const Face& f : record.faces) detections.boxes.push_back(f.box);
    detections.valid = true;
  } else {
    record.faces = ctx.pipeline.faces_at(bgr, detections.boxes);
  }
  tracker.update(record.faces);
  ctx.summary.frames += 1;
  ctx.summary.faces += static_cast<int>(record.faces.size());
  ctx.writer.write(record);
  if (!annotated) return;
  annotate(bgr, record.faces, 1.0, false);
  annotated->write(bgr);
}

}  // namespace

void process_stream(RunContext& ctx, cv::VideoCapture& capture, const std::string& source) {
  auto start = std::chrono::steady_clock::now();
  double fps = stream_fps(capture);
  Tracker tracker(ctx.options.smooth);
  std::unique_ptr<AnnotatedVideo> annotated;
  if (ctx.options.annotate)
    annotated = std::make_unique<AnnotatedVideo>(ctx.names.next(source, ".mp4"), fps);
  cv::Mat frame;
  Detections detections;
  int bad_in_a_row = 0;
  for (long index = 0; !stop_requested(); ++index) {
    if (ctx.options.max_frames > 0 && index >= ctx.options.max_frames) break;
    if (!capture.grab()) break;  // end of the stream
    if (!capture.retrieve(frame) || frame.empty()) {
      ctx.summary.skipped_frames += 1;
      if (++bad_in_a_row >= kMaxConsecutiveBadFrames) {
        log::warn("predict", source + ": stopped after " + std::to_string(bad_in_a_row) +
                                 " undecodable frames in a row");
        break;
      }
      continue;
    }
    bad_in_a_row = 0;
    Record record{source, true, index, index / fps, 0, 0, {}, {}};
    handle_frame(ctx, record, frame, tracker, detections, annotated.get());
  }
  ctx.video_seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

cv::VideoCapture open_camera(int index, int timeout_ms) {
  std::string device = "/dev/video" + std::to_string(index);
  std::error_code ec;
  if (!std::filesystem::exists(device, ec))
    throw Error("camera " + std::to_string(index) + " not found: " + device +
                " does not exist; list cameras with 'ls /dev/video*'");
  // Opening a busy device can block inside the driver; wait for it on another thread so a
  // stuck open fails after the timeout instead of hanging the run.
  auto capture = std::make_shared<cv::VideoCapture>();
  auto opened = std::async(std::launch::async, [capture, index] {
    return capture->open(index, cv::CAP_V4L2) && capture->isOpened();
  });
  if (opened.wait_for(std::chrono::milliseconds(timeout_ms)) != std::future_status::ready) {
    std::thread([f = std::move(opened)]() mutable { f.wait(); }).detach();
    throw Error("camera " + std::to_string(index) + " (" + device + ") did not open within " +
                std::to_string(timeout_ms) + " ms: it is probably in use by another program");
  }
  if (!opened.get())
    throw Error("camera " + std::to_string(index) + " (" + device +
                ") exists but could not be opened: it is busy or not a capture device");
  return std::move(*capture);
}

}  // namespace ferc::vision
