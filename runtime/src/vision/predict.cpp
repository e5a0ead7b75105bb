#include "ferc/predict.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <ostream>

#include <opencv2/core/utils/logger.hpp>

#include "ferc/error.h"
#include "ferc/log.h"
#include "process.h"

namespace ferc {
namespace {

void check_options(const PredictOptions& o) {
  if (o.inputs.empty())
    throw Error("predict needs at least one input: a file, folder, video or camera:N");
  if (o.smooth < 1)
    throw Error("--smooth must be at least 1 (frames), got " + std::to_string(o.smooth));
  if (o.detect_every < 1)
    throw Error("--detect-every must be at least 1 (frames), got " +
                std::to_string(o.detect_every));
  if (o.max_frames < 0)
    throw Error("max_frames must be 0 (no limit) or more, got " + std::to_string(o.max_frames));
  if (o.annotate && o.out_dir.empty())
    throw Error("--annotate writes annotated copies into the output folder: add --out DIR");
  for (const std::string& input : o.inputs) vision::camera_index(input);  // throws if malformed
}

// Files a run writes into its output folder: predictions.<format> and *.annotated.<ext>.
bool is_result_file(const std::filesystem::path& file) {
  std::string name = file.filename().string();
  return name == "predictions.jsonl" || name == "predictions.csv" ||
         name.find(".annotated.") != std::string::npos;
}

// Refuses a folder holding an earlier run's results, or deletes them with replace_results.
void clear_earlier_results(const PredictOptions& o) {
  std::error_code ec;
  if (!std::filesystem::is_directory(o.out_dir, ec)) return;
  std::vector<std::filesystem::path> earlier;
  for (const auto& entry : std::filesystem::directory_iterator(o.out_dir, ec))
    if (is_result_file(entry.path())) earlier.push_back(entry.path());
  if (earlier.empty()) return;
  std::sort(earlier.begin(), earlier.end());
  if (!o.replace_results)
    throw Error("the output folder " + o.out_dir.string() + " already holds results of an " +
                "earlier run (" + earlier.front().filename().string() +
                (earlier.size() > 1 ? " and " + std::to_string(earlier.size() - 1) + " more" : "") +
                "); pass another --out folder, or --force to replace them");
  for (const auto& file : earlier) {
    std::filesystem::remove(file, ec);
    if (ec) throw Error("cannot delete the earlier result " + file.string() + ": " + ec.message());
  }
}

std::ofstream open_records(const PredictOptions& o) {
  clear_earlier_results(o);
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec)
    throw Error("cannot create the output folder " + o.out_dir.string() + ": " + ec.message());
  std::filesystem::path path = o.out_dir / ("predictions." + o.format);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) throw Error("cannot write " + path.string() + ": check the folder's permissions");
  return file;
}

void process_input(vision::RunContext& ctx, const std::string& input) {
  ctx.summary.inputs += 1;
  if (auto camera = vision::camera_index(input)) {
    cv::VideoCapture capture = vision::open_camera(*camera, ctx.options.camera_timeout_ms);
    vision::process_stream(ctx, capture, input);
    return;
  }
  if (!vision::process_file(ctx, input)) ctx.summary.failed += 1;
}

// FFmpeg and OpenCV print their own lines on stderr ("[mov,mp4,...] moov atom not found" for a
// file that is not a video); every problem is already reported through records and ferc's log.
// An OPENCV_FFMPEG_LOGLEVEL set by the user is kept, and ferc's --verbose keeps OpenCV's log.
void quiet_library_logging() {
  static std::once_flag once;
  std::call_once(once, [] {
    ::setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", 0);  // AV_LOG_QUIET, read at every FFmpeg open
    if (log::level() > log::Level::debug)
      cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  });
}

void log_summary(const PredictSummary& s) {
  std::ostringstream msg;
  msg << s.inputs << " inputs (" << s.failed << " failed), " << s.images << " images, " << s.frames
      << " frames";
  if (s.frames > 0) msg << " at " << static_cast<int>(s.frames_per_second) << " frames/s";
  msg << ", " << s.faces << " faces in " << s.seconds << " s";
  log::info("predict", msg.str());
}

}  // namespace

std::filesystem::path default_cascade_path() {
  return "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
}

PredictSummary run_predict(const PredictOptions& options, const FaceClassifier& classifier,
                           std::ostream& out) {
  auto start = std::chrono::steady_clock::now();
  check_options(options);
  quiet_library_logging();
  vision::FacePipeline pipeline(options, classifier);
  std::ofstream file;
  if (!options.out_dir.empty()) file = open_records(options);
  std::ostream& sink = options.out_dir.empty() ? out : file;
  auto writer = vision::make_writer(options.format, sink);
  PredictSummary summary;
  vision::OutputNames names(options.out_dir);
  vision::RunContext ctx{options, pipeline, *writer, summary, names};
  for (const std::string& input : vision::expand_inputs(options.inputs)) {
    if (stop_requested()) break;
    process_input(ctx, input);
  }
  summary.interrupted = stop_requested();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (ctx.video_seconds > 0) summary.frames_per_second = summary.frames / ctx.video_seconds;
  log_summary(summary);
  return summary;
}

}  // namespace ferc
